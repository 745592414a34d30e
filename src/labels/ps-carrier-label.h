/* ps-carrier-label.h: labels carriers send as bytes: PDF, PNG or ZPL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>

#include "ps-enums.h"

G_BEGIN_DECLS


gboolean         ps_label_format_detect         (GBytes        *bytes,
                                                 PsLabelFormat *format);
const char      *ps_label_format_to_nick        (PsLabelFormat  format);
gboolean         ps_carrier_label_get_pdf_size  (GBytes     *pdf,
                                                 double     *width,
                                                 double     *height,
                                                 GError    **error);
gboolean         ps_carrier_label_render_pdf    (cairo_t    *cr,
                                                 GBytes     *pdf,
                                                 double      width,
                                                 double      height,
                                                 GError    **error);
cairo_surface_t *ps_carrier_label_load_png      (GBytes     *png,
                                                 GError    **error);

G_END_DECLS
