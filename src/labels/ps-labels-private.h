/* ps-labels-private.h: helpers shared inside src/labels
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include "ps-label-spec.h"

G_BEGIN_DECLS

char         *_ps_label_us_zip        (const char     *postcode);

PangoContext *_ps_text_context_new    (void);
PangoLayout  *_ps_text_fit            (PangoContext   *context,
                                       const char     *text,
                                       double          width,
                                       double          height,
                                       double          max_size,
                                       double          min_size,
                                       gboolean        bold,
                                       int             max_lines,
                                       PangoAlignment  align);
PangoLayout  *_ps_text_fit_cached     (const char     *text,
                                       double          width,
                                       double          height,
                                       double          max_size,
                                       double          min_size,
                                       gboolean        bold,
                                       int             max_lines,
                                       PangoAlignment  align);
double        _ps_text_layout_size    (PangoLayout    *layout);
void          _ps_text_draw           (cairo_t        *cr,
                                       PangoLayout    *layout,
                                       double          x,
                                       double          y);

cairo_surface_t *_ps_pdf_surface_new  (GByteArray     *buffer,
                                       double          width,
                                       double          height);
GBytes       *_ps_pdf_surface_finish  (cairo_surface_t *surface,
                                       GByteArray     *buffer,
                                       GError        **error);
gboolean      _ps_cairo_check         (cairo_t        *cr,
                                       GError        **error);

double        _ps_doc_text            (cairo_t        *cr,
                                       PangoContext   *context,
                                       const char     *text,
                                       double          x,
                                       double          y,
                                       double          width,
                                       double          size,
                                       gboolean        bold,
                                       int             max_lines,
                                       PangoAlignment  align);
gboolean      _ps_doc_code128         (cairo_t        *cr,
                                       const char     *data,
                                       double          x,
                                       double          y,
                                       double          max_width,
                                       double          bar_height,
                                       double         *width,
                                       GError        **error);

/* This thread's label caches (ps-label-text.c, ps-label-barcode.c). */
typedef struct
{
  guint text_hits;
  guint text_misses;
  guint size_hits;
  guint size_misses;
} PsLabelCacheStats;

void          _ps_label_caches_clear       (void);
void          _ps_label_caches_set_enabled (gboolean           enabled);
void          _ps_label_caches_get_stats   (PsLabelCacheStats *stats);
void          _ps_barcode_size_cache_clear (void);
void          _ps_barcode_size_cache_set_enabled (gboolean enabled);
void          _ps_barcode_size_cache_get_stats (guint *hits,
                                                guint *misses);

G_END_DECLS
