/* ps-histogram.h: counts in bins (hours from label to first scan)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_HISTOGRAM (ps_histogram_get_type ())

G_DECLARE_FINAL_TYPE (PsHistogram, ps_histogram, PS, HISTOGRAM, GtkWidget)

GtkWidget *ps_histogram_new                (void);
void       ps_histogram_set_bins           (PsHistogram         *self,
                                            const double        *edges,
                                            const guint         *counts,
                                            guint                n_bins);
void       ps_histogram_set_unit           (PsHistogram         *self,
                                            const char          *prefix,
                                            const char          *suffix,
                                            int                  decimals);
void       ps_histogram_set_color          (PsHistogram         *self,
                                            const char          *color);
gboolean   ps_histogram_get_element_at     (PsHistogram         *self,
                                            double               x,
                                            double               y,
                                            int                 *bin);
char      *ps_histogram_describe_element   (PsHistogram         *self,
                                            int                  bin);
gboolean   ps_histogram_get_highlight      (PsHistogram         *self,
                                            int                 *bin);
gboolean   ps_histogram_set_highlight      (PsHistogram         *self,
                                            int                  bin);

G_END_DECLS
