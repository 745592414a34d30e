/* ps-bar-chart.h: stacked bars per category (shipments per day by carrier)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_BAR_CHART (ps_bar_chart_get_type ())

G_DECLARE_FINAL_TYPE (PsBarChart, ps_bar_chart, PS, BAR_CHART, GtkWidget)

GtkWidget *ps_bar_chart_new                (void);
void       ps_bar_chart_set_categories     (PsBarChart          *self,
                                            const char * const  *labels);
void       ps_bar_chart_add_series         (PsBarChart          *self,
                                            const char          *name,
                                            const char          *color,
                                            const double        *values,
                                            guint                n_values);
void       ps_bar_chart_clear              (PsBarChart          *self);
void       ps_bar_chart_set_unit           (PsBarChart          *self,
                                            const char          *prefix,
                                            const char          *suffix,
                                            int                  decimals);
gboolean   ps_bar_chart_get_element_at     (PsBarChart          *self,
                                            double               x,
                                            double               y,
                                            int                 *series,
                                            int                 *category);
char      *ps_bar_chart_describe_element   (PsBarChart          *self,
                                            int                  series,
                                            int                  category);
gboolean   ps_bar_chart_get_highlight      (PsBarChart          *self,
                                            int                 *series,
                                            int                 *category);
gboolean   ps_bar_chart_set_highlight      (PsBarChart          *self,
                                            int                  series,
                                            int                  category);

G_END_DECLS
