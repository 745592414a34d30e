/* ps-time.h: UTC Unix seconds and business days
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PS_SECONDS_PER_DAY ((gint64) 86400)

gint64   ps_time_now                  (void);
gint64   ps_time_day_start            (gint64     t,
                                       GTimeZone *tz);
gboolean ps_time_is_business_day      (gint64     t,
                                       GTimeZone *tz);
gint64   ps_time_add_business_days    (gint64     t,
                                       int        days,
                                       GTimeZone *tz);
int      ps_time_business_days_between (gint64    from,
                                        gint64    to,
                                        GTimeZone *tz);
gint64   ps_time_business_days_ago    (gint64     now,
                                       int        days,
                                       GTimeZone *tz);

G_END_DECLS
