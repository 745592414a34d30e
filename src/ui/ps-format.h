/* ps-format.h: how values look on screen
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ps-enums.h"

G_BEGIN_DECLS

char       *ps_format_money           (gint64            minor,
                                       const char       *currency);
char       *ps_format_date            (gint64            unix_utc);
char       *ps_format_count           (gint64            n);
const char *ps_format_order_status    (PsOrderStatus     status);
const char *ps_format_tracking_status (PsTrackingStatus  status);
const char *ps_format_exception_reason (PsExceptionReason reason);
const char *ps_format_channel_kind    (PsChannelKind     kind);
char       *ps_format_destination     (const char       *city,
                                       const char       *state,
                                       const char       *country);
const char *ps_format_carrier         (const char       *carrier);

G_END_DECLS
