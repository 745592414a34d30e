/* ps-tile.h: a dashboard tile (title, value, change, sparkline) that is a button
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-sparkline.h"

G_BEGIN_DECLS

#define PS_TYPE_TILE (ps_tile_get_type ())

G_DECLARE_FINAL_TYPE (PsTile, ps_tile, PS, TILE, GtkButton)

GtkWidget   *ps_tile_new            (const char   *title);
void         ps_tile_set_title      (PsTile       *self,
                                     const char   *title);
const char  *ps_tile_get_title      (PsTile       *self);
void         ps_tile_set_value      (PsTile       *self,
                                     const char   *value);
const char  *ps_tile_get_value      (PsTile       *self);
void         ps_tile_set_detail     (PsTile       *self,
                                     const char   *detail);
void         ps_tile_set_change     (PsTile       *self,
                                     double        change,
                                     const char   *change_text,
                                     gboolean      up_is_good);
void         ps_tile_clear_change   (PsTile       *self);
void         ps_tile_set_period     (PsTile       *self,
                                     const char   *period);
void         ps_tile_set_trend      (PsTile       *self,
                                     const double *values,
                                     guint         n_values);
PsSparkline *ps_tile_get_sparkline  (PsTile       *self);
char        *ps_tile_dup_summary    (PsTile       *self);

G_END_DECLS
