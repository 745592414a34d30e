/* ps-region.h: destination regions for reporting
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char         *ps_region_for_address (const char *country,
                                           const char *state);
const char * const *ps_region_list        (void);

G_END_DECLS
