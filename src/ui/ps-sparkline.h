/* ps-sparkline.h: a tiny line for a trend, with no axes
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_SPARKLINE (ps_sparkline_get_type ())

G_DECLARE_FINAL_TYPE (PsSparkline, ps_sparkline, PS, SPARKLINE, GtkWidget)

GtkWidget *ps_sparkline_new        (void);
void       ps_sparkline_set_values (PsSparkline  *self,
                                    const double *values,
                                    guint         n_values);
guint      ps_sparkline_get_n_values (PsSparkline *self);
void       ps_sparkline_set_color  (PsSparkline  *self,
                                    const char   *color);

G_END_DECLS
