/* ps-label-text.c: fitting text into boxes, and PDF surfaces in memory
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Text is laid out by Pango at 72 dpi with unhinted metrics, so a layout
 * measured once has the same size in points on a PDF page, a 203 dpi PNG
 * and a 300 dpi PNG. Fitting shrinks the font in half-point steps until
 * the text fits its box in at most its number of lines; when even the
 * smallest size does not fit, the text is cut at the longest prefix that
 * fits with "…" appended. The cut is made here, in the text, rather than
 * by Pango's ellipsizing, so that the ZPL writer prints the same lines.
 *
 * Labels fit the same texts again and again (the ship-from block, the
 * banner, "SHIP TO:", the street of a customer with many orders), and
 * fitting is most of the time a label takes. So each thread keeps one
 * Pango context for labels and the layouts it fitted, keyed by the text
 * and every fitting parameter; _ps_text_fit_cached() hands out the same
 * layout again, which its callers only read. Per thread, since labels are
 * drawn on several threads at once and a PangoLayout is not thread-safe.
 */

#define G_LOG_DOMAIN "ps-label-text"

#include "config.h"

#include <string.h>
#include <cairo-pdf.h>

#include "ps-label-barcode.h"
#include "ps-labels-private.h"

#define FONT_FAMILY "DejaVu Sans,Sans"

PangoContext *
_ps_text_context_new (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *options = cairo_font_options_create ();

  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_destroy (options);

  return context;
}

/* Sets @desc (our family at @bold's weight) at @size on @layout. */
static void
set_size (PangoLayout          *layout,
          PangoFontDescription *desc,
          double                size)
{
  pango_font_description_set_size (desc, (int) (size * PANGO_SCALE));
  pango_layout_set_font_description (layout, desc);
}

static gboolean
fits (PangoLayout *layout,
      double       height,
      int          max_lines)
{
  PangoRectangle logical;

  if (pango_layout_get_line_count (layout) > max_lines)
    return FALSE;

  pango_layout_get_extents (layout, NULL, &logical);
  return logical.height <= height * PANGO_SCALE + 1;
}

/**
 * _ps_text_fit:
 * @context: a context from _ps_text_context_new()
 * @text: (nullable): the text; newlines break lines
 * @width: the box width in points
 * @height: the box height in points
 * @max_size: the preferred font size in points
 * @min_size: the smallest size before cutting
 * @bold: bold or regular
 * @max_lines: how many lines the box may hold
 * @align: the alignment inside @width
 *
 * Returns: (transfer full): a layout no wider than @width (words longer
 *   than a line are broken between characters) and, unless one line at
 *   @min_size is taller than @height, no taller than @height.
 */
PangoLayout *
_ps_text_fit (PangoContext   *context,
              const char     *text,
              double          width,
              double          height,
              double          max_size,
              double          min_size,
              gboolean        bold,
              int             max_lines,
              PangoAlignment  align)
{
  PangoLayout *layout = pango_layout_new (context);
  PangoFontDescription *desc = pango_font_description_from_string (FONT_FAMILY);
  double size;
  glong n_chars, lo, hi;

  if (text == NULL)
    text = "";

  pango_font_description_set_weight (desc, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);

  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);

  for (size = max_size; size >= min_size; size -= 0.5)
    {
      set_size (layout, desc, size);
      if (fits (layout, height, max_lines))
        {
          pango_font_description_free (desc);
          return layout;
        }
    }

  /* At the smallest size: as many lines as the box holds, then cut. */
  set_size (layout, desc, min_size);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, "X", -1);
  while (max_lines > 1)
    {
      PangoRectangle logical;

      pango_layout_get_extents (layout, NULL, &logical);
      if (logical.height * max_lines <= height * PANGO_SCALE + 1)
        break;
      max_lines--;
    }

  n_chars = g_utf8_strlen (text, -1);
  lo = 0;
  hi = n_chars;
  while (lo < hi)
    {
      glong mid = (lo + hi + 1) / 2;
      g_autofree char *cut = g_utf8_substring (text, 0, mid);
      g_autofree char *candidate = g_strconcat (g_strchomp (cut), "…", NULL);

      pango_layout_set_text (layout, candidate, -1);
      if (fits (layout, height, max_lines))
        lo = mid;
      else
        hi = mid - 1;
    }

  {
    g_autofree char *cut = g_utf8_substring (text, 0, lo);
    g_autofree char *final = g_strconcat (g_strchomp (cut), "…", NULL);

    pango_layout_set_text (layout, final, -1);
  }

  return layout;
}

typedef struct
{
  char           *text;
  double          width;
  double          height;
  double          max_size;
  double          min_size;
  gboolean        bold;
  int             max_lines;
  PangoAlignment  align;
} FitKey;

typedef struct
{
  PangoContext *context;
  /* Two generations of FitKey → PangoLayout: when the current one is
   * full it becomes the previous one, and the previous one is dropped;
   * a hit in the previous one moves back to the current one. */
  GHashTable   *current;
  GHashTable   *previous;
  guint         hits;
  guint         misses;
  gboolean      disabled;
} TextCache;

#define TEXT_CACHE_GENERATION 256

static void
fit_key_free (FitKey *key)
{
  g_free (key->text);
  g_free (key);
}

static guint
fit_key_hash (gconstpointer p)
{
  const FitKey *k = p;
  guint h = g_str_hash (k->text);

  h = h * 31u + g_double_hash (&k->width);
  h = h * 31u + g_double_hash (&k->height);
  h = h * 31u + g_double_hash (&k->max_size);
  h = h * 31u + g_double_hash (&k->min_size);
  h = h * 31u + (guint) k->max_lines * 4u + (guint) k->align * 2u + (k->bold ? 1u : 0u);
  return h;
}

static gboolean
fit_key_equal (gconstpointer a,
               gconstpointer b)
{
  const FitKey *x = a, *y = b;

  return x->width == y->width && x->height == y->height && x->max_size == y->max_size
         && x->min_size == y->min_size && !x->bold == !y->bold && x->max_lines == y->max_lines
         && x->align == y->align && strcmp (x->text, y->text) == 0;
}

static GHashTable *
text_cache_table_new (void)
{
  return g_hash_table_new_full (fit_key_hash, fit_key_equal, (GDestroyNotify) fit_key_free,
                                g_object_unref);
}

static void
text_cache_free (gpointer data)
{
  TextCache *cache = data;

  g_hash_table_unref (cache->current);
  g_hash_table_unref (cache->previous);
  g_object_unref (cache->context);
  g_free (cache);
}

static GPrivate text_cache_key = G_PRIVATE_INIT (text_cache_free);

static TextCache *
text_cache_get (void)
{
  TextCache *cache = g_private_get (&text_cache_key);

  if (cache == NULL)
    {
      cache = g_new0 (TextCache, 1);
      cache->context = _ps_text_context_new ();
      cache->current = text_cache_table_new ();
      cache->previous = text_cache_table_new ();
      g_private_set (&text_cache_key, cache);
    }

  return cache;
}

static void
text_cache_insert (TextCache   *cache,
                   FitKey      *key,
                   PangoLayout *layout)
{
  if (g_hash_table_size (cache->current) >= TEXT_CACHE_GENERATION)
    {
      g_hash_table_unref (cache->previous);
      cache->previous = cache->current;
      cache->current = text_cache_table_new ();
    }

  g_hash_table_insert (cache->current, key, layout);
}

/**
 * _ps_text_fit_cached:
 *
 * _ps_text_fit() in this thread's label context, remembering the result:
 * the same arguments give the same layout again. Callers must not change
 * the layout, and must use it on this thread only.
 *
 * Returns: (transfer full): a reference to the fitted layout.
 */
PangoLayout *
_ps_text_fit_cached (const char     *text,
                     double          width,
                     double          height,
                     double          max_size,
                     double          min_size,
                     gboolean        bold,
                     int             max_lines,
                     PangoAlignment  align)
{
  TextCache *cache = text_cache_get ();
  FitKey lookup = { (char *) (text != NULL ? text : ""), width, height, max_size, min_size,
                    bold, max_lines, align };
  gpointer stolen_key, stolen_layout;
  PangoLayout *layout;
  FitKey *key;

  if (cache->disabled)
    {
      PangoContext *context = _ps_text_context_new ();

      layout = _ps_text_fit (context, text, width, height, max_size, min_size, bold, max_lines,
                             align);
      g_object_unref (context);
      return layout;
    }

  layout = g_hash_table_lookup (cache->current, &lookup);
  if (layout != NULL)
    {
      cache->hits++;
      return g_object_ref (layout);
    }

  if (g_hash_table_steal_extended (cache->previous, &lookup, &stolen_key, &stolen_layout))
    {
      cache->hits++;
      text_cache_insert (cache, stolen_key, stolen_layout);
      return g_object_ref (stolen_layout);
    }

  cache->misses++;
  layout = _ps_text_fit (cache->context, text, width, height, max_size, min_size, bold,
                         max_lines, align);
  key = g_new (FitKey, 1);
  *key = lookup;
  key->text = g_strdup (lookup.text);
  text_cache_insert (cache, key, g_object_ref (layout));

  return layout;
}

/* Forgets this thread's fitted texts and barcode sizes, and their counts. */
void
_ps_label_caches_clear (void)
{
  TextCache *cache = text_cache_get ();

  g_hash_table_remove_all (cache->current);
  g_hash_table_remove_all (cache->previous);
  cache->hits = cache->misses = 0;
  _ps_barcode_size_cache_clear ();
}

/* Turns this thread's label caches off (a new Pango context for every
 * text, a vector for every barcode, as before there were caches) or back
 * on: tests compare the output of both. */
void
_ps_label_caches_set_enabled (gboolean enabled)
{
  _ps_label_caches_clear ();
  text_cache_get ()->disabled = !enabled;
  _ps_barcode_size_cache_set_enabled (enabled);
}

/* This thread's cache hits and misses since it started or was cleared. */
void
_ps_label_caches_get_stats (PsLabelCacheStats *stats)
{
  TextCache *cache = text_cache_get ();

  stats->text_hits = cache->hits;
  stats->text_misses = cache->misses;
  _ps_barcode_size_cache_get_stats (&stats->size_hits, &stats->size_misses);
}

/* The font size of a layout made by _ps_text_fit(), in points. */
double
_ps_text_layout_size (PangoLayout *layout)
{
  const PangoFontDescription *desc = pango_layout_get_font_description (layout);

  return desc != NULL ? pango_font_description_get_size (desc) / (double) PANGO_SCALE : 0.0;
}

void
_ps_text_draw (cairo_t     *cr,
               PangoLayout *layout,
               double       x,
               double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static cairo_status_t
write_to_array (void                *closure,
                const unsigned char *data,
                unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF surface writing into @buffer; sizes in points. */
cairo_surface_t *
_ps_pdf_surface_new (GByteArray *buffer,
                     double      width,
                     double      height)
{
  cairo_surface_t *surface;

  surface = cairo_pdf_surface_create_for_stream (write_to_array, buffer, width, height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "Postsale");

  return surface;
}

/* Finishes @surface (destroying it) and returns what it wrote. */
GBytes *
_ps_pdf_surface_finish (cairo_surface_t  *surface,
                        GByteArray       *buffer,
                        GError          **error)
{
  cairo_status_t status;

  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_RENDER,
                   "Could not write the PDF: %s", cairo_status_to_string (status));
      g_byte_array_unref (buffer);
      return NULL;
    }

  return g_byte_array_free_to_bytes (buffer);
}

gboolean
_ps_cairo_check (cairo_t  *cr,
                 GError  **error)
{
  cairo_status_t status = cairo_status (cr);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;

  g_set_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_RENDER,
               "Could not draw: %s", cairo_status_to_string (status));
  return FALSE;
}

/* Draws @text at @size (shrinking to 70 % before cutting) in at most
 * @max_lines lines of @width; returns the height used. For documents
 * (packing slips, handoff sheets) whose rows grow with their text. */
double
_ps_doc_text (cairo_t        *cr,
              PangoContext   *context,
              const char     *text,
              double          x,
              double          y,
              double          width,
              double          size,
              gboolean        bold,
              int             max_lines,
              PangoAlignment  align)
{
  g_autoptr(PangoLayout) layout = NULL;
  PangoRectangle logical;

  if (text == NULL || text[0] == '\0')
    return 0.0;

  layout = _ps_text_fit (context, text, width, max_lines * size * 1.3, size, size * 0.7, bold,
                         max_lines, align);
  _ps_text_draw (cr, layout, x, y);
  pango_layout_get_extents (layout, NULL, &logical);

  return logical.height / (double) PANGO_SCALE;
}

/* A Code 128 of @data with its quiet zones at (@x, @y), modules of 1/96
 * in (fewer if it would be wider than @max_width); @width gets the width
 * drawn. */
gboolean
_ps_doc_code128 (cairo_t     *cr,
                 const char  *data,
                 double       x,
                 double       y,
                 double       max_width,
                 double       bar_height,
                 double      *width,
                 GError     **error)
{
  g_autoptr(PsLabelBarcode) barcode = NULL;
  g_autoptr(PsBarcodeSymbol) symbol = NULL;
  double w_mod, module = 0.75;

  barcode = ps_label_barcode_new (PS_BARCODE_CODE128, PS_BARCODE_ROLE_TRACKING, data);
  symbol = ps_barcode_symbol_encode (barcode, bar_height / module, error);
  if (symbol == NULL)
    return FALSE;

  ps_barcode_symbol_get_size (symbol, &w_mod, NULL);
  if (w_mod * module > max_width)
    {
      module = max_width / w_mod;
      g_clear_pointer (&symbol, ps_barcode_symbol_free);
      symbol = ps_barcode_symbol_encode (barcode, bar_height / module, error);
      if (symbol == NULL)
        return FALSE;
    }

  ps_barcode_symbol_draw (symbol, cr, x, y, module);
  if (width != NULL)
    *width = w_mod * module;

  return TRUE;
}
