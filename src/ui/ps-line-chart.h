/* ps-line-chart.h: several series over time (cost per label by service)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_LINE_CHART (ps_line_chart_get_type ())

G_DECLARE_FINAL_TYPE (PsLineChart, ps_line_chart, PS, LINE_CHART, GtkWidget)

GtkWidget *ps_line_chart_new               (void);
void       ps_line_chart_set_categories    (PsLineChart         *self,
                                            const char * const  *labels);
void       ps_line_chart_add_series        (PsLineChart         *self,
                                            const char          *name,
                                            const char          *color,
                                            const double        *values,
                                            const gboolean      *flagged,
                                            guint                n_values);
void       ps_line_chart_clear             (PsLineChart         *self);
void       ps_line_chart_set_unit          (PsLineChart         *self,
                                            const char          *prefix,
                                            const char          *suffix,
                                            int                  decimals);
void       ps_line_chart_set_flag_text     (PsLineChart         *self,
                                            const char          *text);
gboolean   ps_line_chart_get_element_at    (PsLineChart         *self,
                                            double               x,
                                            double               y,
                                            int                 *series,
                                            int                 *index);
gboolean   ps_line_chart_get_point_position (PsLineChart        *self,
                                            int                  series,
                                            int                  index,
                                            double              *x,
                                            double              *y);
char      *ps_line_chart_describe_element  (PsLineChart         *self,
                                            int                  series,
                                            int                  index);
gboolean   ps_line_chart_get_highlight     (PsLineChart         *self,
                                            int                 *series,
                                            int                 *index);
gboolean   ps_line_chart_set_highlight     (PsLineChart         *self,
                                            int                  series,
                                            int                  index);

G_END_DECLS
