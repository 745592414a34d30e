/* ps-heat-map.h: rates in a grid (exception rate by carrier × region)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_HEAT_MAP (ps_heat_map_get_type ())

G_DECLARE_FINAL_TYPE (PsHeatMap, ps_heat_map, PS, HEAT_MAP, GtkWidget)

GtkWidget *ps_heat_map_new                (void);
void       ps_heat_map_set_data           (PsHeatMap           *self,
                                           const char * const  *rows,
                                           const char * const  *columns,
                                           const guint         *hits,
                                           const guint         *totals);
void       ps_heat_map_set_color          (PsHeatMap           *self,
                                           const char          *color);
void       ps_heat_map_set_min_samples    (PsHeatMap           *self,
                                           guint                min_samples);
gboolean   ps_heat_map_get_element_at     (PsHeatMap           *self,
                                           double               x,
                                           double               y,
                                           int                 *row,
                                           int                 *column);
char      *ps_heat_map_describe_element   (PsHeatMap           *self,
                                           int                  row,
                                           int                  column);
gboolean   ps_heat_map_get_highlight      (PsHeatMap           *self,
                                           int                 *row,
                                           int                 *column);
gboolean   ps_heat_map_set_highlight      (PsHeatMap           *self,
                                           int                  row,
                                           int                  column);

G_END_DECLS
