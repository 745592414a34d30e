/* ps-condition-eval.h: conditions evaluated in memory on one order
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ps-condition.h"
#include "ps-order-snapshot.h"

G_BEGIN_DECLS

gboolean ps_condition_evaluate (const PsCondition     *condition,
                                const PsOrderSnapshot *order,
                                gint64                 now,
                                GTimeZone             *tz);

G_END_DECLS
