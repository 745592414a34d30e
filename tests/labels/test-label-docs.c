/* test-label-docs.c: packing slips, handoff sheets and carrier labels
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-label-docs"

#include "config.h"

#include <poppler.h>

#include "ps-carrier-label.h"
#include "ps-handoff-sheet.h"
#include "ps-label-render.h"
#include "ps-packing-slip.h"

#include "label-test-util.h"

static char *tmpdir;

static int
pdf_pages (GBytes *pdf,
           double *w,
           double *h)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) doc = G_OBJECT (poppler_document_new_from_bytes (pdf, NULL, &error));
  g_autoptr(GObject) page = NULL;

  g_assert_no_error (error);
  page = G_OBJECT (poppler_document_get_page (POPPLER_DOCUMENT (doc), 0));
  poppler_page_get_size (POPPLER_PAGE (page), w, h);
  return poppler_document_get_n_pages (POPPLER_DOCUMENT (doc));
}

static PsPackingSlip *
make_slip (guint n_items)
{
  PsPackingSlip *slip = ps_packing_slip_new ();
  guint i;

  slip->store_name = g_strdup ("Bramble & Finch");
  slip->order_number = g_strdup ("#4242");
  slip->ship_to = make_address ("Alice Example", "742 Evergreen Terrace", "Seattle", "WA",
                                "98101", "US");
  slip->total = ps_money_new (12345, "USD");
  slip->notes = g_strdup ("Thank you for your order!");
  for (i = 0; i < n_items; i++)
    {
      g_autofree char *sku = g_strdup_printf ("SKU-%03u", i + 1);
      g_autofree char *name = g_strdup_printf ("Handmade ceramic mug number %u", i + 1);

      ps_packing_slip_add_item (slip, sku, name, i % 2 ? "Blue / Large" : NULL, i % 3 + 1);
    }

  return slip;
}

static void
test_slip_paginates (void)
{
  g_autoptr(PsPackingSlip) slip = make_slip (60);
  g_autoptr(PsPackingSlip) small = make_slip (3);
  const PsPackingSlip *slips[] = { slip };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  double w, h;
  int pages;
  guint i;

  pdf = ps_packing_slip_render_pdf (slips, 1, PS_PAPER_LETTER, &error);
  g_assert_no_error (error);
  pages = pdf_pages (pdf, &w, &h);
  g_assert_cmpint (pages, >=, 2);
  g_assert_cmpfloat_with_epsilon (w, 612, 0.01);
  g_assert_cmpfloat_with_epsilon (h, 792, 0.01);

  if (have_program ("pdftotext"))
    {
      g_autofree char *text = pdf_to_text (pdf, tmpdir);

      for (i = 0; i < 60; i++)
        {
          g_autofree char *sku = g_strdup_printf ("SKU-%03u", i + 1);

          g_assert_nonnull (strstr (text, sku));
        }
      g_assert_nonnull (strstr (text, "Order #4242"));
      g_assert_nonnull (strstr (text, "Page 2 (continued)"));
      g_assert_nonnull (strstr (text, "Total: 123.45 USD"));
      g_assert_nonnull (strstr (text, "Alice Example"));
    }
  else
    g_test_message ("pdftotext missing: slip text not checked");

  /* A4 and 4x6 variants; two slips make at least two pages. */
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = ps_packing_slip_render_pdf (slips, 1, PS_PAPER_A4, &error);
  g_assert_no_error (error);
  pdf_pages (pdf, &w, &h);
  g_assert_cmpfloat_with_epsilon (w, 595.276, 0.01);

  {
    const PsPackingSlip *two[] = { small, small };

    g_clear_pointer (&pdf, g_bytes_unref);
    pdf = ps_packing_slip_render_pdf (two, 2, PS_PAPER_4X6, &error);
    g_assert_no_error (error);
    g_assert_cmpint (pdf_pages (pdf, &w, &h), ==, 2);
    g_assert_cmpfloat_with_epsilon (w, 288, 0.01);
    g_assert_cmpfloat_with_epsilon (h, 432, 0.01);
  }

  /* More items on a 4x6 slip than fit one label. */
  g_clear_pointer (&pdf, g_bytes_unref);
  pdf = ps_packing_slip_render_pdf (slips, 1, PS_PAPER_4X6, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdf_pages (pdf, &w, &h), >, pages);
}

static void
test_handoff (void)
{
  static const char * const numbers[] = {
    "1Z63R0960332529481", "1ZA82D672031716786", "9400100208303109505657",
    "9205590164917337534322", "776094337676", "3318810025",
  };
  static const char * const carriers[] = { "UPS", "UPS", "USPS", "USPS", "FedEx", "DHL" };
  g_autoptr(PsHandoffSheet) sheet = ps_handoff_sheet_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = NULL;
  double w, h;
  guint i;

  sheet->date = 1795309445;
  sheet->store_name = g_strdup ("Bramble & Finch");
  for (i = 0; i < 60; i++)
    ps_handoff_sheet_add (sheet, carriers[i % G_N_ELEMENTS (carriers)],
                          numbers[i % G_N_ELEMENTS (numbers)], "Ground", 500 + i, "#1001");

  pdf = ps_handoff_sheet_render_pdf (sheet, PS_PAPER_LETTER, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pdf_pages (pdf, &w, &h), >=, 2);

  if (!have_program ("pdftotext"))
    {
      g_test_message ("pdftotext missing: handoff text not checked");
      return;
    }

  {
    g_autofree char *text = pdf_to_text (pdf, tmpdir);

    for (i = 0; i < G_N_ELEMENTS (numbers); i++)
      g_assert_nonnull (strstr (text, numbers[i]));
    g_assert_nonnull (strstr (text, "UPS — 20 shipments"));
    g_assert_nonnull (strstr (text, "USPS — 20 shipments"));
    g_assert_nonnull (strstr (text, "DHL — 10 shipments"));
    g_assert_nonnull (strstr (text, "Total: 60 shipments"));
    g_assert_nonnull (strstr (text, "Driver signature"));
    g_assert_nonnull (strstr (text, "2026-11-22"));
  }
}

static void
test_carrier_labels (void)
{
  g_autoptr(PsLabelSpec) spec = make_spec (PS_LABEL_STYLE_GENERIC);
  const PsLabelSpec *specs[] = { spec };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ps_label_render_pdf (specs, 1, PS_LABEL_SIZE_4X6, 203, &error);
  g_autoptr(GBytes) png = ps_label_render_png (spec, PS_LABEL_SIZE_4X6, 203, &error);
  g_autoptr(GBytes) zpl = g_bytes_new_static ("\n^XA^FO10,10^FDx^FS^XZ", 22);
  g_autoptr(GBytes) zpl_tilde = g_bytes_new_static ("~SD25\n^XA^XZ", 12);
  g_autoptr(GBytes) junk = g_bytes_new_static ("hello", 5);
  cairo_surface_t *img, *loaded;
  cairo_t *cr;
  const guchar *data;
  int stride, x, y, dark = 0;
  double w, h;
  PsLabelFormat format;

  g_assert_no_error (error);
  g_assert_true (ps_label_format_detect (pdf, &format) && format == PS_LABEL_FORMAT_PDF);
  g_assert_true (ps_label_format_detect (png, &format) && format == PS_LABEL_FORMAT_PNG);
  g_assert_true (ps_label_format_detect (zpl, &format) && format == PS_LABEL_FORMAT_ZPL);
  g_assert_true (ps_label_format_detect (zpl_tilde, &format) && format == PS_LABEL_FORMAT_ZPL);
  g_assert_false (ps_label_format_detect (junk, NULL));
  g_assert_false (ps_label_format_detect (NULL, NULL));
  g_assert_cmpstr (ps_label_format_to_nick (PS_LABEL_FORMAT_ZPL), ==, "zpl");

  g_assert_true (ps_carrier_label_get_pdf_size (pdf, &w, &h, &error));
  g_assert_cmpfloat (w, ==, 288);
  g_assert_cmpfloat (h, ==, 432);

  /* Page 1 drawn with poppler into a Letter-sized preview: some ink. */
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 200, 300);
  cr = cairo_create (img);
  g_assert_true (ps_carrier_label_render_pdf (cr, pdf, 200, 300, &error));
  g_assert_no_error (error);
  cairo_destroy (cr);
  cairo_surface_flush (img);
  data = cairo_image_surface_get_data (img);
  stride = cairo_image_surface_get_stride (img);
  for (y = 0; y < 300; y++)
    for (x = 0; x < 200; x++)
      if ((*(const guint32 *) (data + y * stride + 4 * x) & 0xff) < 0x80)
        dark++;
  g_assert_cmpint (dark, >, 2000);
  cairo_surface_destroy (img);

  loaded = ps_carrier_label_load_png (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cairo_image_surface_get_width (loaded), ==, 812);
  g_assert_cmpint (cairo_image_surface_get_height (loaded), ==, 1218);
  cairo_surface_destroy (loaded);

  g_assert_null (ps_carrier_label_load_png (junk, &error));
  g_assert_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT);
  g_clear_error (&error);
  img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 10, 10);
  cr = cairo_create (img);
  g_assert_false (ps_carrier_label_render_pdf (cr, png, 10, 10, &error));
  g_assert_error (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT);
  cairo_destroy (cr);
  cairo_surface_destroy (img);
}

/* The real carrier ZPL samples are detected as ZPL (skipped without
 * ../shared). */
static void
test_samples (void)
{
  g_autofree char *dir = g_build_filename (LABELS_TESTS_SRCDIR, "..", "..", "..", "shared",
                                           "samples", "zpl", NULL);
  const char *name;
  GDir *d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  PsLabelFormat format;

  if (d == NULL)
    {
      g_test_skip ("../shared/samples/zpl is not here");
      return;
    }

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;
      g_autoptr(GBytes) bytes = NULL;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      bytes = g_bytes_new (contents, len);
      if (g_str_has_suffix (name, ".zpl"))
        {
          g_assert_true (ps_label_format_detect (bytes, &format) && format == PS_LABEL_FORMAT_ZPL);
          n++;
        }
      else if (g_str_has_suffix (name, ".png"))
        g_assert_true (ps_label_format_detect (bytes, &format) && format == PS_LABEL_FORMAT_PNG);
    }
  g_dir_close (d);
  g_assert_cmpuint (n, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tmpdir = g_dir_make_tmp ("label-docs-XXXXXX", NULL);

  g_test_add_func ("/labels/docs/packing-slip-paginates", test_slip_paginates);
  g_test_add_func ("/labels/docs/handoff-sheet", test_handoff);
  g_test_add_func ("/labels/docs/carrier-labels", test_carrier_labels);
  g_test_add_func ("/labels/docs/carrier-zpl-samples", test_samples);

  ret = g_test_run ();
  remove_tree (tmpdir);
  g_free (tmpdir);
  return ret;
}
