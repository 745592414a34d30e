/* test-label-cache.c: the label caches change nothing in the output
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each thread keeps the texts it fitted and the sizes of the barcodes it
 * encoded (ps-label-text.c, ps-label-barcode.c). Every label here is drawn
 * three ways and compared byte for byte: with the caches off (a Pango
 * context per text and a libzint vector per barcode, as before the caches),
 * with cold caches and with warm ones; as ZPL, as pixels, as a PDF and as
 * barcode boxes. The same again after the caches have dropped old entries,
 * and on several threads at once.
 */

#define G_LOG_DOMAIN "test-label-cache"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ps-label-render.h"
#include "ps-label-zpl.h"
#include "ps-labels-private.h"

#include "label-test-util.h"

typedef struct
{
  char   *zpl;
  GBytes *pixels;
  GBytes *pdf;
  char   *boxes;
} Output;

static void
output_clear (Output *o)
{
  g_clear_pointer (&o->zpl, g_free);
  g_clear_pointer (&o->pixels, g_bytes_unref);
  g_clear_pointer (&o->pdf, g_bytes_unref);
  g_clear_pointer (&o->boxes, g_free);
}

static GBytes *
render_pixels (const PsLabelSpec *spec,
               PsLabelSize        size,
               int                dpi)
{
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  GBytes *pixels;
  int w, h;

  ps_label_size_get_label_dots (size, dpi, &w, &h);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
  cr = cairo_create (surface);
  cairo_scale (cr, dpi / PS_POINTS_PER_INCH, dpi / PS_POINTS_PER_INCH);
  g_assert_true (ps_label_render (cr, spec, size, dpi, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = g_bytes_new (cairo_image_surface_get_data (surface),
                        (gsize) cairo_image_surface_get_stride (surface) * h);
  cairo_surface_destroy (surface);

  return pixels;
}

/* The PDF with its creation date blanked: the one part that may differ. */
static GBytes *
render_pdf (const PsLabelSpec *spec,
            PsLabelSize        size,
            int                dpi)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  const char *key = "/CreationDate (";
  char *data, *date = NULL;
  gsize len, i;

  pdf = ps_label_render_pdf (&spec, 1, size, dpi, &error);
  g_assert_no_error (error);
  data = g_bytes_unref_to_data (g_steal_pointer (&pdf), &len);
  for (i = 0; date == NULL && i + strlen (key) < len; i++)
    {
      if (memcmp (data + i, key, strlen (key)) == 0)
        date = data + i + strlen (key);
    }
  g_assert_nonnull (date);
  for (; date < data + len && *date != ')'; date++)
    *date = 'x';

  return g_bytes_new_take (data, len);
}

static char *
render_boxes (const PsLabelSpec *spec,
              PsLabelSize        size,
              int                dpi)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) boxes = NULL;
  GString *out = g_string_new (NULL);
  guint i;

  boxes = ps_label_get_barcode_boxes (spec, size, dpi, &error);
  g_assert_no_error (error);
  for (i = 0; i < boxes->len; i++)
    {
      PsLabelBarcodeBox *b = &g_array_index (boxes, PsLabelBarcodeBox, i);

      g_string_append_printf (out, "%d %d %d,%d %dx%d\n", b->kind, b->role, b->x, b->y,
                              b->width, b->height);
    }

  return g_string_free (out, FALSE);
}

static char *
render_zpl (const PsLabelSpec *spec,
            PsLabelSize        size,
            int                dpi)
{
  g_autoptr(GError) error = NULL;
  char *zpl = ps_label_to_zpl (spec, size, dpi, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (zpl);
  return zpl;
}

/* ZPL first: on cold caches its layout fits and encodes everything, and
 * the drawings after it take the cached texts and sizes (their barcode
 * vectors made when drawn). */
static void
render_all (Output            *o,
            const PsLabelSpec *spec,
            PsLabelSize        size,
            int                dpi)
{
  o->zpl = render_zpl (spec, size, dpi);
  o->pixels = render_pixels (spec, size, dpi);
  o->pdf = render_pdf (spec, size, dpi);
  o->boxes = render_boxes (spec, size, dpi);
}

static void
assert_same (const Output *a,
             const Output *b)
{
  g_assert_cmpstr (a->zpl, ==, b->zpl);
  g_assert_cmpstr (a->boxes, ==, b->boxes);
  g_assert_true (g_bytes_equal (a->pixels, b->pixels));
  g_assert_true (g_bytes_equal (a->pdf, b->pdf));
}

/* The four styles, and labels whose texts repeat with other fitting
 * parameters or are cut: a cache keyed on too little gives them the wrong
 * size. */
static GPtrArray *
make_specs (void)
{
  GPtrArray *specs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_label_spec_free);
  PsLabelSpec *s;
  int style;

  for (style = PS_LABEL_STYLE_USPS; style <= PS_LABEL_STYLE_GENERIC; style++)
    g_ptr_array_add (specs, make_spec ((PsLabelStyle) style));

  /* The name is the city line (other height, sizes and lines); line 2 is
   * line 1 (the same parameters: a hit inside one label). */
  s = make_spec (PS_LABEL_STYLE_UPS);
  g_free (s->ship_to->name);
  s->ship_to->name = g_strdup ("Seattle WA 98101-1234");
  s->ship_to->line2 = g_strdup (s->ship_to->line1);
  g_ptr_array_add (specs, s);

  /* Too long for any size: cut with "…". */
  s = make_spec (PS_LABEL_STYLE_FEDEX);
  g_free (s->ship_to->name);
  s->ship_to->name = g_strdup ("Maximiliane Alexandra Konstantinopoulou-Wolfeschlegelsteinhausen "
                               "Bergerdorff the Third of Upper Lower Middlesbrough Estates");
  g_free (s->ship_to->line1);
  s->ship_to->line1 = g_strdup ("Apartment 1234, Building 56, 7890 Extraordinarily Long "
                                "Boulevard Name Northwest");
  g_ptr_array_add (specs, s);

  return specs;
}

/* What a fitted layout amounts to. */
static char *
describe_layout (PangoLayout *layout)
{
  g_autofree char *font = NULL;
  PangoRectangle logical;

  font = pango_font_description_to_string (pango_layout_get_font_description (layout));
  pango_layout_get_extents (layout, NULL, &logical);
  return g_strdup_printf ("%s|%s|%d|%d|%d|%d", pango_layout_get_text (layout), font,
                          pango_layout_get_width (layout), (int) pango_layout_get_alignment (layout),
                          pango_layout_get_line_count (layout), logical.height);
}

typedef struct
{
  const char     *text;
  double          width, height, max_size, min_size;
  gboolean        bold;
  int             max_lines;
  PangoAlignment  align;
} FitArgs;

static char *
fit_uncached (const FitArgs *a)
{
  PangoContext *context = _ps_text_context_new ();
  g_autoptr(PangoLayout) layout = NULL;

  layout = _ps_text_fit (context, a->text, a->width, a->height, a->max_size, a->min_size,
                         a->bold, a->max_lines, a->align);
  g_object_unref (context);
  return describe_layout (layout);
}

static char *
fit_cached (const FitArgs *a)
{
  g_autoptr(PangoLayout) layout = NULL;

  layout = _ps_text_fit_cached (a->text, a->width, a->height, a->max_size, a->min_size,
                                a->bold, a->max_lines, a->align);
  return describe_layout (layout);
}

/* Each fitting parameter on its own changes the result, and the cache
 * tells them apart: after the base case, every variant gets its own fit. */
static void
test_text_key (void)
{
  const FitArgs bases[] = {
    { "Customer 1234 Example-Longname", 260, 36, 15, 8, TRUE, 1, PANGO_ALIGN_LEFT },
    { "742 Evergreen Terrace Apartment 1234 Building 56", 70, 20, 10, 7, FALSE, 2,
      PANGO_ALIGN_CENTER },
  };
  /* A height and a number of lines that change each base's result. */
  const double other_height[] = { 14, 12 };
  const int other_lines[] = { 2, 1 };
  guint b, v;

  for (b = 0; b < G_N_ELEMENTS (bases); b++)
    {
      FitArgs variants[8];
      g_autofree char *base_expected = fit_uncached (&bases[b]);
      g_autofree char *base_got = NULL;

      for (v = 0; v < G_N_ELEMENTS (variants); v++)
        variants[v] = bases[b];
      variants[0].text = "Customer 1234 Example-Longnam";
      variants[1].width -= 30;
      variants[2].height = other_height[b];
      variants[3].max_size -= 3;
      variants[4].min_size -= 1;
      variants[5].bold = !variants[5].bold;
      variants[6].max_lines = other_lines[b];
      variants[7].align = PANGO_ALIGN_RIGHT;

      _ps_label_caches_clear ();
      base_got = fit_cached (&bases[b]);
      g_assert_cmpstr (base_got, ==, base_expected);

      for (v = 0; v < G_N_ELEMENTS (variants); v++)
        {
          g_autofree char *expected = fit_uncached (&variants[v]);
          g_autofree char *got = fit_cached (&variants[v]);
          g_autofree char *again = fit_cached (&variants[v]);

          /* min_size matters only to text that is cut (the second base),
           * max_size only to text that is not. */
          g_test_message ("base %u, variant %u: %s", b, v, expected);
          if (!(v == 4 && b == 0) && !(v == 3 && b == 1))
            g_assert_cmpstr (expected, !=, base_expected);
          g_assert_cmpstr (got, ==, expected);
          g_assert_cmpstr (again, ==, expected);
        }

      g_clear_pointer (&base_got, g_free);
      base_got = fit_cached (&bases[b]);
      g_assert_cmpstr (base_got, ==, base_expected);
    }
}

static const PsLabelSize sizes[] = { PS_LABEL_SIZE_4X6, PS_LABEL_SIZE_4X8 };
static const int dpis[] = { 203, 300 };

static void
test_cold_warm (void)
{
  g_autoptr(GPtrArray) specs = make_specs ();
  guint i, j, k;

  for (i = 0; i < specs->len; i++)
    for (j = 0; j < G_N_ELEMENTS (sizes); j++)
      for (k = 0; k < G_N_ELEMENTS (dpis); k++)
        {
          const PsLabelSpec *spec = specs->pdata[i];
          Output off = { 0 }, cold = { 0 }, warm = { 0 };
          PsLabelCacheStats a, b;

          _ps_label_caches_set_enabled (FALSE);
          render_all (&off, spec, sizes[j], dpis[k]);
          _ps_label_caches_get_stats (&a);
          g_assert_cmpuint (a.text_hits + a.text_misses + a.size_hits + a.size_misses, ==, 0);

          _ps_label_caches_set_enabled (TRUE);
          render_all (&cold, spec, sizes[j], dpis[k]);
          _ps_label_caches_get_stats (&a);
          g_assert_cmpuint (a.text_misses, >, 0);
          g_assert_cmpuint (a.size_misses, >, 0);

          render_all (&warm, spec, sizes[j], dpis[k]);
          _ps_label_caches_get_stats (&b);
          g_assert_cmpuint (b.text_misses, ==, a.text_misses);
          g_assert_cmpuint (b.size_misses, ==, a.size_misses);
          g_assert_cmpuint (b.text_hits, >, a.text_hits);
          g_assert_cmpuint (b.size_hits, >, a.size_hits);

          assert_same (&off, &cold);
          assert_same (&off, &warm);
          output_clear (&off);
          output_clear (&cold);
          output_clear (&warm);
        }

  /* Warm from the other sizes and dpis above: the same again. */
  for (i = 0; i < specs->len; i++)
    {
      Output off = { 0 }, warm = { 0 };

      _ps_label_caches_set_enabled (FALSE);
      render_all (&off, specs->pdata[i], PS_LABEL_SIZE_4X6, 203);
      _ps_label_caches_set_enabled (TRUE);
      render_all (&warm, specs->pdata[i], PS_LABEL_SIZE_4X8, 300);
      output_clear (&warm);
      render_all (&warm, specs->pdata[i], PS_LABEL_SIZE_4X6, 203);
      assert_same (&off, &warm);
      output_clear (&off);
      output_clear (&warm);
    }
}

/* Labels that differ in the name, weight and numbers, as in a batch. */
static PsLabelSpec *
make_batch_spec (guint i)
{
  PsLabelSpec *s = make_spec ((PsLabelStyle) (i % 4));
  char *tracking;

  g_free (s->ship_to->name);
  s->ship_to->name = g_strdup_printf ("Customer %u %s", i, i % 3 == 0 ? "Example-Longname" : "");
  g_free (s->order_number);
  s->order_number = g_strdup_printf ("#%u", 100000 + i);
  s->weight_grams = 300 + i * 7;
  switch (s->style)
    {
    case PS_LABEL_STYLE_USPS: tracking = g_strdup_printf ("94001002083031%08u", i); break;
    case PS_LABEL_STYLE_UPS: tracking = g_strdup_printf ("1Z63R09603%08u", i); break;
    case PS_LABEL_STYLE_FEDEX: tracking = g_strdup_printf ("7760%08u", i); break;
    case PS_LABEL_STYLE_GENERIC:
    default: tracking = g_strdup_printf ("PS%010u", i); break;
    }
  g_free (s->tracking_number);
  s->tracking_number = tracking;

  return s;
}

/* Enough distinct texts for the text cache to drop its oldest ones twice
 * over (it keeps two generations of 256): what comes back after that is
 * fitted again, and everything stays as without caches. */
static void
test_eviction (void)
{
  const guint n = 240;
  g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_label_spec_free);
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  PsLabelCacheStats stats;
  guint i, pass;

  _ps_label_caches_set_enabled (FALSE);
  for (i = 0; i < n; i++)
    {
      g_ptr_array_add (specs, make_batch_spec (i));
      g_ptr_array_add (expected, render_zpl (specs->pdata[i], sizes[i % 2], dpis[i / 2 % 2]));
    }

  _ps_label_caches_set_enabled (TRUE);
  for (pass = 0; pass < 2; pass++)
    for (i = 0; i < n; i++)
      {
        g_autofree char *zpl = render_zpl (specs->pdata[i], sizes[i % 2], dpis[i / 2 % 2]);

        g_assert_cmpstr (zpl, ==, expected->pdata[i]);
      }

  _ps_label_caches_get_stats (&stats);
  g_assert_cmpuint (stats.text_misses, >, 2 * 256);
  g_assert_cmpuint (stats.text_hits, >, 0);
  g_assert_cmpuint (stats.size_hits, >, stats.size_misses);
}

typedef struct
{
  GPtrArray *specs;
  GPtrArray *expected_zpl;
  GPtrArray *expected_pixels;
  guint      offset;
  guint      mismatches;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  guint n = w->specs->len * G_N_ELEMENTS (sizes) * G_N_ELEMENTS (dpis);
  guint round, i;

  for (round = 0; round < 3; round++)
    for (i = 0; i < n; i++)
      {
        guint c = (i + w->offset) % n;
        const PsLabelSpec *spec = w->specs->pdata[c / 4];
        g_autofree char *zpl = render_zpl (spec, sizes[c % 2], dpis[c / 2 % 2]);

        if (g_strcmp0 (zpl, w->expected_zpl->pdata[c]) != 0)
          w->mismatches++;
        if (round == 1 && sizes[c % 2] == PS_LABEL_SIZE_4X6 && dpis[c / 2 % 2] == 203)
          {
            g_autoptr(GBytes) pixels = render_pixels (spec, sizes[c % 2], dpis[c / 2 % 2]);

            if (!g_bytes_equal (pixels, w->expected_pixels->pdata[c]))
              w->mismatches++;
          }
      }

  return NULL;
}

/* Several threads drawing at once, each with its own caches, give what
 * one thread without caches gives. */
static void
test_threads (void)
{
  g_autoptr(GPtrArray) specs = make_specs ();
  g_autoptr(GPtrArray) expected_zpl = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) expected_pixels = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  Worker workers[4];
  GThread *threads[G_N_ELEMENTS (workers)];
  guint n = specs->len * G_N_ELEMENTS (sizes) * G_N_ELEMENTS (dpis);
  guint c, i;

  _ps_label_caches_set_enabled (FALSE);
  for (c = 0; c < n; c++)
    {
      const PsLabelSpec *spec = specs->pdata[c / 4];

      g_ptr_array_add (expected_zpl, render_zpl (spec, sizes[c % 2], dpis[c / 2 % 2]));
      g_ptr_array_add (expected_pixels, render_pixels (spec, sizes[c % 2], dpis[c / 2 % 2]));
    }
  _ps_label_caches_set_enabled (TRUE);

  for (i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      workers[i] = (Worker) { specs, expected_zpl, expected_pixels, i * 5, 0 };
      threads[i] = g_thread_new ("label-cache-test", worker_run, &workers[i]);
    }
  for (i = 0; i < G_N_ELEMENTS (workers); i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (workers[i].mismatches, ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/labels/cache/text-key", test_text_key);
  g_test_add_func ("/labels/cache/cold-warm", test_cold_warm);
  g_test_add_func ("/labels/cache/eviction", test_eviction);
  g_test_add_func ("/labels/cache/threads", test_threads);

  return g_test_run ();
}
