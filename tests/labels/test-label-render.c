/* test-label-render.c: every label variant drawn, every barcode decoded
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoders: zbarimg (Code 128, GS1-128), dmtxread (DataMatrix) and
 * python3-zxing-cpp through decode.py (PDF417, MaxiCode). A missing
 * decoder skips its checks with a message.
 */

#define G_LOG_DOMAIN "test-label-render"

#include "config.h"

#include <poppler.h>
#include <string.h>

#include "ps-label-barcode.h"
#include "ps-label-layout-private.h"
#include "ps-label-render.h"

#include "label-test-util.h"

static char *tmpdir;

static char *
write_crop (const char              *png,
            const PsLabelBarcodeBox *box,
            const char              *name)
{
  cairo_surface_t *full = cairo_image_surface_create_from_png (png);
  cairo_surface_t *crop;
  cairo_t *cr;
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_cmpint (cairo_surface_status (full), ==, CAIRO_STATUS_SUCCESS);
  /* A margin of white around the quiet zones, as a scanner sees it. */
  crop = cairo_image_surface_create (CAIRO_FORMAT_RGB24, box->width + 40, box->height + 40);
  cr = cairo_create (crop);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_surface (cr, full, 20 - box->x, 20 - box->y);
  cairo_rectangle (cr, 20, 20, box->width, box->height);
  cairo_fill (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png (crop, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (crop);
  cairo_surface_destroy (full);

  return path;
}

static char *
strip_brackets_and_gs (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s != '\0'; s++)
    {
      if (*s != '[' && *s != ']' && *s != '\x1d')
        g_string_append_c (out, *s);
    }

  return g_string_free (out, FALSE);
}

/* What zxing-cpp reports for a MaxiCode of mode 2 or 3: the primary
 * message (postcode, country, class) inserted after the "[)>␞01␝96"
 * header, each followed by GS. */
static char *
expected_maxicode (const PsLabelBarcode *bc)
{
  gsize len = strlen (bc->primary);
  g_autofree char *post = g_strndup (bc->primary, len - 6);
  const char *header = "[)>\x1e" "01\x1d" "96";

  g_assert_true (g_str_has_prefix (bc->data, header));
  return g_strdup_printf ("%s%s\x1d%.3s\x1d%s\x1d%s", header, g_strstrip (post),
                          bc->primary + len - 6, bc->primary + len - 3,
                          bc->data + strlen (header));
}

static gboolean
decode (const PsLabelBarcode    *bc,
        const char              *png,
        const PsLabelBarcodeBox *box,
        int                      dpi,
        char                   **out)
{
  g_autofree char *crop = NULL;
  g_autofree char *name = g_strdup_printf ("crop-%d-%d.png", box->x, box->y);
  g_autofree char *stdout_buf = NULL;
  g_autofree char *script = g_build_filename (LABELS_TESTS_SRCDIR, "decode.py", NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;

  crop = write_crop (png, box, name);

  switch (bc->kind)
    {
    case PS_BARCODE_CODE128:
    case PS_BARCODE_GS1_128:
      {
        const char *argv[] = { "zbarimg", "--nodbus", "-q", "--raw", crop, NULL };

        if (!have_program ("zbarimg"))
          return FALSE;
        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &stdout_buf, NULL, &status, &error);
      }
      break;

    case PS_BARCODE_DATAMATRIX:
      {
        const char *argv[] = { "dmtxread", "-n", crop, NULL };

        if (!have_program ("dmtxread"))
          return FALSE;
        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &stdout_buf, NULL, &status, &error);
      }
      break;

    case PS_BARCODE_PDF417:
    case PS_BARCODE_MAXICODE:
      {
        g_autofree char *x = g_strdup_printf ("%d", 0);
        g_autofree char *y = g_strdup_printf ("%d", 0);
        g_autofree char *w = g_strdup_printf ("%d", box->width + 40);
        g_autofree char *h = g_strdup_printf ("%d", box->height + 40);
        const char *argv[] = { "/usr/bin/python3", script,
                               bc->kind == PS_BARCODE_PDF417 ? "PDF417" : "MaxiCode",
                               crop, x, y, w, h,
                               bc->kind == PS_BARCODE_MAXICODE ? "tight" : NULL, NULL };

        if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
          return FALSE;
        g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &stdout_buf, NULL, &status, &error);
        if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
          return FALSE;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("no %d barcode decoded at %d dpi in %s (box %d,%d %dx%d)", bc->kind, dpi, png,
             box->x, box->y, box->width, box->height);

  if (bc->kind != PS_BARCODE_PDF417 && bc->kind != PS_BARCODE_MAXICODE)
    g_strchomp (stdout_buf);  /* zbarimg and dmtxread end with a newline */
  *out = g_steal_pointer (&stdout_buf);
  return TRUE;
}

static void
check_variant (PsLabelStyle style,
               PsLabelSize  size,
               int          dpi)
{
  g_autoptr(PsLabelSpec) spec = make_spec (style);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GArray) boxes = NULL;
  g_autoptr(GPtrArray) barcodes = NULL;
  g_autofree char *path = NULL;
  cairo_surface_t *surface;
  int w, h;
  guint i;

  png = ps_label_render_png (spec, size, dpi, &error);
  g_assert_no_error (error);
  path = g_strdup_printf ("%s/%s-%s-%d.png", tmpdir, ps_label_style_to_nick (style),
                          ps_label_size_to_nick (size), dpi);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                      NULL));

  surface = cairo_image_surface_create_from_png (path);
  ps_label_size_get_label_dots (size, dpi, &w, &h);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, w);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, h);
  cairo_surface_destroy (surface);

  boxes = ps_label_get_barcode_boxes (spec, size, dpi, &error);
  g_assert_no_error (error);
  barcodes = ps_label_spec_dup_barcodes (spec, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (boxes->len, ==, barcodes->len);
  g_assert_cmpuint (boxes->len, ==, 2);

  for (i = 0; i < boxes->len; i++)
    {
      const PsLabelBarcodeBox *box = &g_array_index (boxes, PsLabelBarcodeBox, i);
      const PsLabelBarcode *bc = g_ptr_array_index (barcodes, i);
      g_autofree char *got = NULL;
      g_autofree char *want = NULL;

      /* Inside the label, quiet zones included. */
      g_assert_cmpint (box->x, >=, 0);
      g_assert_cmpint (box->y, >=, 0);
      g_assert_cmpint (box->x + box->width, <=, w);
      g_assert_cmpint (box->y + box->height, <=, h);

      if (!decode (bc, path, box, dpi, &got))
        {
          g_test_message ("decoder for barcode kind %d missing: not decoded", bc->kind);
          continue;
        }

      switch (bc->kind)
        {
        case PS_BARCODE_GS1_128:
          want = strip_brackets_and_gs (bc->data);
          g_strdelimit (got, "\x1d", ' ');
          {
            g_autofree char *clean = strip_brackets_and_gs (got);
            g_autofree char *nospace = NULL;
            char **parts = g_strsplit (clean, " ", -1);

            nospace = g_strjoinv ("", parts);
            g_strfreev (parts);
            g_assert_cmpstr (nospace, ==, want);
          }
          break;

        case PS_BARCODE_MAXICODE:
          want = expected_maxicode (bc);
          g_assert_cmpstr (got, ==, want);
          g_assert_nonnull (strstr (got, spec->tracking_number));
          break;

        case PS_BARCODE_CODE128:
          g_assert_cmpstr (got, ==, spec->tracking_number);
          break;

        case PS_BARCODE_DATAMATRIX:
        case PS_BARCODE_PDF417:
        default:
          g_assert_cmpstr (got, ==, bc->data);
          break;
        }
    }
}

static void
test_decode_all (void)
{
  static const PsLabelStyle styles[] = {
    PS_LABEL_STYLE_USPS, PS_LABEL_STYLE_UPS, PS_LABEL_STYLE_FEDEX, PS_LABEL_STYLE_GENERIC,
  };
  static const PsLabelSize sizes[] = { PS_LABEL_SIZE_4X6, PS_LABEL_SIZE_4X8 };
  static const int dpis[] = { 203, 300 };
  guint i, j, k;

  for (i = 0; i < G_N_ELEMENTS (styles); i++)
    for (j = 0; j < G_N_ELEMENTS (sizes); j++)
      for (k = 0; k < G_N_ELEMENTS (dpis); k++)
        check_variant (styles[i], sizes[j], dpis[k]);
}

/* Bars are whole dots: at the printer's resolution every pixel column of
 * a linear barcode is pure black or pure white. */
static void
test_whole_dots (void)
{
  static const int dpis[] = { 203, 300 };
  guint d;

  for (d = 0; d < G_N_ELEMENTS (dpis); d++)
    {
      g_autoptr(PsLabelSpec) spec = make_spec (PS_LABEL_STYLE_UPS);
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) boxes = ps_label_get_barcode_boxes (spec, PS_LABEL_SIZE_4X6, dpis[d], &error);
      g_autoptr(GBytes) png = ps_label_render_png (spec, PS_LABEL_SIZE_4X6, dpis[d], &error);
      const PsLabelBarcodeBox *box = &g_array_index (boxes, PsLabelBarcodeBox, 1);
      cairo_surface_t *s = surface_from_png (png);
      const guchar *data = cairo_image_surface_get_data (s);
      int stride = cairo_image_surface_get_stride (s);
      int x, row = box->y + box->height / 2;
      int transitions = 0;

      g_assert_no_error (error);
      g_assert_cmpint (box->role, ==, PS_BARCODE_ROLE_TRACKING);
      for (x = box->x; x < box->x + box->width; x++)
        {
          guint32 px = *(const guint32 *) (data + row * stride + 4 * x) & 0xffffff;

          g_assert_true (px == 0 || px == 0xffffff);
          if (x > box->x && px != (*(const guint32 *) (data + row * stride + 4 * (x - 1)) & 0xffffff))
            transitions++;
        }
      g_assert_cmpint (transitions, >, 30);
      cairo_surface_destroy (s);
    }
}

static void
test_long_address (void)
{
  g_autoptr(PsLabelSpec) spec = make_spec (PS_LABEL_STYLE_GENERIC);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLabelLayout) layout = NULL;
  g_autoptr(GBytes) png = NULL;
  cairo_surface_t *s;
  const guchar *data;
  int stride, w, h, x, y;
  guint i;
  gboolean cut = FALSE;

  g_free (spec->ship_to->name);
  spec->ship_to->name = g_strconcat ("WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
                                     " Wolfeschlegelsteinhausenbergerdorff Maximiliana "
                                     "Bartholomew-Featherstonehaugh the Third of Many", NULL);
  g_free (spec->ship_to->line1);
  spec->ship_to->line1 = g_strdup ("Apartment 1234567, Building of Extraordinarily Long "
                                   "Names and Wings, 98765 Interminable Boulevard Northwest");
  g_free (spec->ship_from->name);
  spec->ship_from->name = g_strnfill (200, 'M');

  layout = _ps_label_layout_new (spec, PS_LABEL_SIZE_4X6, 203, &error);
  g_assert_no_error (error);

  for (i = 0; i < layout->items->len; i++)
    {
      PsLayoutItem *item = g_ptr_array_index (layout->items, i);
      PangoRectangle ink, logical;

      if (item->kind != PS_LAYOUT_TEXT)
        continue;

      pango_layout_get_extents (item->text, &ink, &logical);
      g_assert_cmpfloat (item->x, >=, 0);
      g_assert_cmpfloat (item->x + item->width, <=, layout->width);
      g_assert_cmpfloat (item->y + item->height, <=, layout->height);
      g_assert_cmpfloat (logical.width / (double) PANGO_SCALE, <=, item->width + 0.01);
      g_assert_cmpfloat (logical.height / (double) PANGO_SCALE, <=, item->height + 0.01);
      if (g_str_has_suffix (pango_layout_get_text (item->text), "…"))
        cut = TRUE;
    }
  g_assert_true (cut);

  /* No ink in the right margin except the full-width rules. */
  png = ps_label_render_png (spec, PS_LABEL_SIZE_4X6, 203, &error);
  g_assert_no_error (error);
  s = surface_from_png (png);
  data = cairo_image_surface_get_data (s);
  stride = cairo_image_surface_get_stride (s);
  w = cairo_image_surface_get_width (s);
  h = cairo_image_surface_get_height (s);
  for (y = 0; y < h; y++)
    {
      gboolean rule = (*(const guint32 *) (data + y * stride + 4 * (w / 2)) & 0xffffff) != 0xffffff
                      && (*(const guint32 *) (data + y * stride) & 0xffffff) != 0xffffff;

      for (x = w - 20; x < w; x++)
        {
          guint32 px = *(const guint32 *) (data + y * stride + 4 * x) & 0xffffff;

          if (px != 0xffffff && !rule)
            g_error ("ink at %d,%d in the right margin", x, y);
        }
    }
  cairo_surface_destroy (s);
}

static void
test_pdf (void)
{
  static const struct { PsLabelSize size; guint n; guint pages; double w, h; } cases[] = {
    { PS_LABEL_SIZE_4X6, 3, 3, 288, 432 },
    { PS_LABEL_SIZE_4X8, 2, 2, 288, 576 },
    { PS_LABEL_SIZE_LETTER_2UP, 3, 2, 612, 792 },
  };
  guint c, i;

  for (c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) specs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_label_spec_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GObject) doc = NULL;
      g_autofree char *text = NULL;

      for (i = 0; i < cases[c].n; i++)
        {
          PsLabelSpec *spec = make_spec (PS_LABEL_STYLE_UPS);

          g_free (spec->ship_to->name);
          spec->ship_to->name = g_strdup_printf ("Recipient Number %u", i + 1);
          g_ptr_array_add (specs, spec);
        }

      pdf = ps_label_render_pdf ((const PsLabelSpec * const *) specs->pdata, specs->len,
                                 cases[c].size, 203, &error);
      g_assert_no_error (error);

      doc = G_OBJECT (poppler_document_new_from_bytes (pdf, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (poppler_document_get_n_pages (POPPLER_DOCUMENT (doc)), ==, cases[c].pages);
      for (i = 0; i < cases[c].pages; i++)
        {
          g_autoptr(GObject) page = G_OBJECT (poppler_document_get_page (POPPLER_DOCUMENT (doc), i));
          double w, h;

          poppler_page_get_size (POPPLER_PAGE (page), &w, &h);
          g_assert_cmpfloat_with_epsilon (w, cases[c].w, 0.01);
          g_assert_cmpfloat_with_epsilon (h, cases[c].h, 0.01);
        }

      if (!have_program ("pdftotext"))
        {
          g_test_message ("pdftotext missing: text not checked");
          continue;
        }
      text = pdf_to_text (pdf, tmpdir);
      for (i = 0; i < cases[c].n; i++)
        {
          g_autofree char *name = g_strdup_printf ("Recipient Number %u", i + 1);

          g_assert_nonnull (strstr (text, name));
        }
      g_assert_nonnull (strstr (text, "1Z 63R 096 03 3252 9481"));
    }
}

static void
test_invalid (void)
{
  g_autoptr(PsLabelSpec) spec = make_spec (PS_LABEL_STYLE_USPS);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = NULL;

  g_free (spec->tracking_number);
  spec->tracking_number = g_strdup ("1Z63R0960332529481");
  png = ps_label_render_png (spec, PS_LABEL_SIZE_4X6, 203, &error);
  g_assert_null (png);
  g_assert_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "IMpb"));
  g_clear_error (&error);

  g_clear_pointer (&spec->ship_to->city, g_free);
  g_assert_false (ps_label_spec_validate (spec, &error));
  g_assert_nonnull (strstr (error->message, "city"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("label-render-XXXXXX", NULL);

  g_test_add_func ("/labels/render/decode-every-variant", test_decode_all);
  g_test_add_func ("/labels/render/whole-dots", test_whole_dots);
  g_test_add_func ("/labels/render/long-address", test_long_address);
  g_test_add_func ("/labels/render/pdf", test_pdf);
  g_test_add_func ("/labels/render/invalid", test_invalid);

  ret = g_test_run ();
  if (g_getenv ("PS_KEEP_TEST_FILES") == NULL)
    remove_tree (tmpdir);
  g_free (tmpdir);
  return ret;
}
