/* ps-label-render.h: drawing our label layout with cairo, to PDF and PNG
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "ps-label-size.h"
#include "ps-label-spec.h"

G_BEGIN_DECLS

/**
 * PsLabelBarcodeBox:
 * @kind: the symbology
 * @role: its role
 * @x: left edge of the quiet zone, in dots of the label at the dpi asked
 * @y: top edge
 * @width: width with the quiet zones
 * @height: height
 *
 * Where a barcode landed on our layout (for previews and tests).
 */
typedef struct
{
  int kind;
  int role;
  int x, y, width, height;
} PsLabelBarcodeBox;

gboolean  ps_label_render      (cairo_t                  *cr,
                                const PsLabelSpec        *spec,
                                PsLabelSize               size,
                                double                    dpi,
                                GError                  **error);
gboolean  ps_label_render_page (cairo_t                  *cr,
                                const PsLabelSpec * const *specs,
                                guint                     n_specs,
                                PsLabelSize               size,
                                double                    dpi,
                                GError                  **error);
GBytes   *ps_label_render_pdf  (const PsLabelSpec * const *specs,
                                guint                     n_specs,
                                PsLabelSize               size,
                                double                    dpi,
                                GError                  **error);
GBytes   *ps_label_render_png  (const PsLabelSpec        *spec,
                                PsLabelSize               size,
                                double                    dpi,
                                GError                  **error);
GArray   *ps_label_get_barcode_boxes (const PsLabelSpec *spec,
                                     PsLabelSize        size,
                                     double             dpi,
                                     GError           **error);

G_END_DECLS
