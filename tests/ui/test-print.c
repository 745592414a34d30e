/* test-print.c: PsLabelPrinter against a real CUPS
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under build-aux/cups-session.sh (a cupsd with a CUPS-PDF queue and
 * a raw queue feeding a fake label printer; see its header for the
 * PS_TEST_* variables) and a display (GTK's print backends need one).
 * Without either it is skipped (77). Each test prints through the app's
 * own path and reads what came out: the PDF that cups-pdf wrote (page
 * size with pdfinfo, text with pdftotext) or the bytes the fake printer
 * received. PDFs this test makes in ~/PDF are removed.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ps-label-printer.h"
#include "ps-preferences-window.h"
#include "ps-ui-resources.h"
#include "ps-label-render.h"
#include "ps-label-zpl.h"

#define WAIT_S 30

static const char *pdf_printer;
static const char *pdf_dir;
static const char *raw_printer;
static const char *raw_dir;

static PsLabelSpec *
make_spec (const char *tracking,
           const char *name)
{
  PsLabelSpec *spec = ps_label_spec_new ();

  spec->style = PS_LABEL_STYLE_GENERIC;
  spec->carrier_id = g_strdup ("sandbox");
  spec->carrier_name = g_strdup ("Sandbox");
  spec->service_name = g_strdup ("Ground");
  spec->tracking_number = g_strdup (tracking);
  spec->order_number = g_strdup ("#1001");
  spec->weight_grams = 850;
  spec->ship_from = ps_address_new ();
  spec->ship_from->name = g_strdup ("Postsale Test Shop");
  spec->ship_from->line1 = g_strdup ("1 Warehouse Way");
  spec->ship_from->city = g_strdup ("Portland");
  spec->ship_from->state = g_strdup ("OR");
  spec->ship_from->postcode = g_strdup ("97201");
  spec->ship_from->country = g_strdup ("US");
  spec->ship_to = ps_address_new ();
  spec->ship_to->name = g_strdup (name);
  spec->ship_to->line1 = g_strdup ("42 Elm Street");
  spec->ship_to->city = g_strdup ("Springfield");
  spec->ship_to->state = g_strdup ("IL");
  spec->ship_to->postcode = g_strdup ("62701");
  spec->ship_to->country = g_strdup ("US");
  return spec;
}

static char *
unique_title (const char *what)
{
  static guint counter;

  return g_strdup_printf ("pstest-%s-%d-%u", what, (int) getpid (), ++counter);
}

static void
print_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Prints and waits for the callback; returns print_finish's result. */
static gboolean
print_and_wait (PsLabelPrinter  *printer,
                gboolean         with_dialog,
                GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  ps_label_printer_print_async (printer, NULL, with_dialog, NULL, print_done_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);
  return ps_label_printer_print_finish (printer, result, error);
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
}

static char *
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&out);
}

/* Whether @name is a file cups-pdf wrote for the job titled @title: it
 * names them TITLE-job_N.pdf, or TITLE___1__…pdf from libcups. */
static gboolean
is_pdf_of (const char *name,
           const char *title)
{
  gsize len = strlen (title);

  return strncmp (name, title, len) == 0 && (name[len] == '-' || name[len] == '_') &&
         g_str_has_suffix (name, ".pdf");
}

/* The PDF cups-pdf wrote for the job titled @title, once pdfinfo can read
 * it whole. */
static char *
wait_for_pdf (const char *title)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GDir) dir = g_dir_open (pdf_dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          if (is_pdf_of (name, title))
            {
              g_autofree char *path = g_build_filename (pdf_dir, name, NULL);
              const char *argv[] = { "pdfinfo", path, NULL };
              g_autofree char *info = run (argv);

              if (info != NULL)
                return g_steal_pointer (&path);
            }
        }
      spin (100);
    }
  g_error ("no PDF for job “%s” appeared in %s within %d s", title, pdf_dir, WAIT_S);
  return NULL;
}

static char *
pdf_info (const char *path,
          const char *field)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run (argv);
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (info);
  lines = g_strsplit (info, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], field))
      return g_strstrip (g_strdup (lines[i] + strlen (field)));
  return NULL;
}

static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };

  return run (argv);
}

static guint
count_raw_jobs (void)
{
  g_autoptr(GDir) dir = g_dir_open (raw_dir, 0, NULL);
  guint n = 0;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".bin"))
      n++;
  return n;
}

/* The bytes of raw job number @n (from 1), once it has arrived. */
static GBytes *
wait_for_raw_job (guint n)
{
  g_autofree char *path = g_strdup_printf ("%s/job-%u.bin", raw_dir, n);
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  char *data;
  gsize len;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("raw job %u did not reach the fake printer within %d s", n, WAIT_S);
      spin (50);
    }
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

/* What cups-pdf made of a job. */
typedef struct
{
  char *size;       /* pdfinfo's "Page size" */
  char *pages;      /* pdfinfo's "Pages" */
  char *text;       /* pdftotext's, with no white space: the human-readable
                     * tracking number is printed in groups */
} PdfOut;

static void
pdf_out_clear (PdfOut *out)
{
  g_clear_pointer (&out->size, g_free);
  g_clear_pointer (&out->pages, g_free);
  g_clear_pointer (&out->text, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PdfOut, pdf_out_clear)

/* Prints @printer's batch on the CUPS-PDF queue through the app's path,
 * reads the PDF that comes out, and deletes it. */
static void
print_to_pdf (PsLabelPrinter *printer,
              const char     *what,
              PdfOut         *out)
{
  g_autofree char *title = unique_title (what);
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) squeezed = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  ps_label_printer_set_printer (printer, pdf_printer);
  ps_label_printer_set_title (printer, title);
  g_assert_true (print_and_wait (printer, FALSE, &error));
  g_assert_no_error (error);

  path = wait_for_pdf (title);
  out->size = pdf_info (path, "Page size:");
  out->pages = pdf_info (path, "Pages:");
  text = pdf_text (path);
  g_assert_nonnull (text);
  for (const char *c = text; *c; c++)
    if (!g_ascii_isspace (*c))
      g_string_append_c (squeezed, *c);
  out->text = g_string_free (g_steal_pointer (&squeezed), FALSE);
  g_unlink (path);
}

static void
test_pdf_4x6 (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("1Z999AA10123456784", "Alice Example");
  g_auto(PdfOut) out = { NULL };

  ps_label_printer_add_spec (printer, spec);
  ps_label_printer_set_paper (printer, PS_LABEL_SIZE_4X6);
  g_assert_cmpuint (ps_label_printer_get_n_pages (printer), ==, 1);
  print_to_pdf (printer, "pdf", &out);

  g_assert_cmpstr (out.size, ==, "288 x 432 pts");
  g_assert_cmpstr (out.pages, ==, "1");
  g_assert_nonnull (strstr (out.text, "1Z999AA10123456784"));
  g_assert_nonnull (strstr (out.text, "AliceExample"));
}

/* Prints @printer's batch and checks that the fake label printer received
 * exactly @spec as ZPL at 300 dpi, as raw job number @n. */
static void
print_and_expect_zpl (PsLabelPrinter    *printer,
                      const PsLabelSpec *spec,
                      guint              n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) got = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (print_and_wait (printer, FALSE, &error));
  g_assert_no_error (error);
  expected = ps_label_to_zpl (spec, PS_LABEL_SIZE_4X6, 300, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (expected, "^PW1200"));
  got = wait_for_raw_job (n);
  g_assert_cmpmem (g_bytes_get_data (got, NULL), g_bytes_get_size (got),
                   expected, strlen (expected));
}

static void
test_zpl_raw (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("1Z999AA10123456784", "Alice Example");
  guint before = count_raw_jobs ();

  /* Our label, written as ZPL at 300 dpi. */
  ps_label_printer_add_spec (printer, spec);
  ps_label_printer_set_printer (printer, raw_printer);
  ps_label_printer_set_format (printer, PS_LABEL_FORMAT_ZPL);
  ps_label_printer_set_dpi (printer, 300);
  g_assert_cmpuint (ps_label_printer_get_n_pages (printer), ==, 0);
  print_and_expect_zpl (printer, spec, before + 1);
}

static void
test_carrier_zpl_raw (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  /* Carrier ZPL with bytes a filter would mangle: CRLF, tabs, a tilde
   * command, UTF-8 and a trailing byte without newline. */
  static const char zpl[] = "^XA\r\n~SD25\r\n^CI28^FO50,50^A0N,40,40^FDStraße\t№ 7^FS\r\n"
                            "^FO50,120^BCN,100,Y,N,N^FD>:1Z999AA10123456784^FS\r\n^XZ\x03";
  g_autoptr(GBytes) bytes = g_bytes_new_static (zpl, sizeof zpl - 1);
  g_autoptr(GBytes) got = NULL;
  g_autoptr(GError) error = NULL;
  guint before = count_raw_jobs ();

  g_assert_true (ps_label_printer_add_bytes (printer, bytes, &error));
  g_assert_no_error (error);
  ps_label_printer_set_printer (printer, raw_printer);
  /* The format preference is about our labels; carrier ZPL stays ZPL. */
  ps_label_printer_set_format (printer, PS_LABEL_FORMAT_PDF);
  g_assert_true (print_and_wait (printer, FALSE, &error));
  g_assert_no_error (error);

  got = wait_for_raw_job (before + 1);
  g_assert_true (g_bytes_equal (got, bytes));
}

static void
test_carrier_pdf (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("9400111899223397623910", "Bob Carrier");
  const PsLabelSpec *specs[] = { spec };
  g_autoptr(GBytes) pdf = NULL;
  g_auto(PdfOut) out = { NULL };
  g_autoptr(GError) error = NULL;

  /* A stand-in for the bytes a carrier sends. */
  pdf = ps_label_render_pdf (specs, 1, PS_LABEL_SIZE_4X6, 203, &error);
  g_assert_no_error (error);
  g_assert_true (ps_label_printer_add_bytes (printer, pdf, &error));
  g_assert_no_error (error);
  print_to_pdf (printer, "carrier", &out);

  g_assert_cmpstr (out.size, ==, "288 x 432 pts");
  g_assert_cmpstr (out.pages, ==, "1");
  g_assert_nonnull (strstr (out.text, "BobCarrier"));
}

static void
test_letter_2up (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) first = make_spec ("1Z999AA10123456784", "Alice Example");
  g_autoptr(PsLabelSpec) second = make_spec ("1Z999AA10123456795", "Carol Second");
  g_auto(PdfOut) out = { NULL };

  ps_label_printer_add_spec (printer, first);
  ps_label_printer_add_spec (printer, second);
  ps_label_printer_set_paper (printer, PS_LABEL_SIZE_LETTER_2UP);
  g_assert_cmpuint (ps_label_printer_get_n_pages (printer), ==, 1);
  print_to_pdf (printer, "2up", &out);

  g_assert_cmpstr (out.size, ==, "612 x 792 pts (letter)");
  g_assert_cmpstr (out.pages, ==, "1");
  g_assert_nonnull (strstr (out.text, "AliceExample"));
  g_assert_nonnull (strstr (out.text, "CarolSecond"));
  g_assert_nonnull (strstr (out.text, "1Z999AA10123456784"));
  g_assert_nonnull (strstr (out.text, "1Z999AA10123456795"));
}

static guint
count_pdfs (const char *title)
{
  g_autoptr(GDir) dir = g_dir_open (pdf_dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (is_pdf_of (name, title))
      n++;
  return n;
}

static void
test_missing_printer (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("1Z999AA10123456784", "Alice Example");
  g_autofree char *title = unique_title ("missing");
  g_autoptr(GError) error = NULL;
  guint raw_before = count_raw_jobs ();

  ps_label_printer_add_spec (printer, spec);
  ps_label_printer_set_printer (printer, "Postsale-No-Such-Printer");
  ps_label_printer_set_title (printer, title);
  g_assert_false (print_and_wait (printer, FALSE, &error));
  g_assert_error (error, PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (error->message, "“Postsale-No-Such-Printer”"));
  g_assert_nonnull (strstr (error->message, "Preferences"));

  /* Nothing went anywhere, and the batch can be printed again. */
  spin (1500);
  g_assert_cmpuint (count_pdfs (title), ==, 0);
  g_assert_cmpuint (count_raw_jobs (), ==, raw_before);
  g_assert_cmpuint (ps_label_printer_get_n_labels (printer), ==, 1);
}

static void
test_paused_printer (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("1Z999AA10123456784", "Alice Example");
  g_autoptr(GError) error = NULL;
  const char *disable[] = { "cupsdisable", raw_printer, NULL };
  const char *enable[] = { "cupsenable", raw_printer, NULL };
  g_autofree char *out = NULL;
  g_autofree char *out2 = NULL;
  guint raw_before = count_raw_jobs ();

  out = run (disable);
  g_assert_nonnull (out);
  ps_label_printer_add_spec (printer, spec);
  ps_label_printer_set_printer (printer, raw_printer);
  ps_label_printer_set_format (printer, PS_LABEL_FORMAT_ZPL);
  g_assert_false (print_and_wait (printer, FALSE, &error));
  out2 = run (enable);
  g_assert_nonnull (out2);

  g_assert_error (error, PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_NOT_AVAILABLE);
  g_assert_nonnull (strstr (error->message, raw_printer));
  g_assert_nonnull (strstr (error->message, "paused"));
  spin (1000);
  g_assert_cmpuint (count_raw_jobs (), ==, raw_before);
}

static void
test_empty (void)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(GError) error = NULL;

  ps_label_printer_set_printer (printer, pdf_printer);
  g_assert_false (print_and_wait (printer, FALSE, &error));
  g_assert_error (error, PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_EMPTY);
}

/* Selects @id in the first combo box under @widget that has it. */
static gboolean
select_in_combo (GtkWidget  *widget,
                 const char *id)
{
  if (GTK_IS_COMBO_BOX (widget) && gtk_combo_box_set_active_id (GTK_COMBO_BOX (widget), id))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (select_in_combo (child, id))
      return TRUE;
  return FALSE;
}

/* Preferences list the CUPS printers (asynchronously); choosing one sets
 * the setting PsLabelPrinter reads, and that prints without a dialog. */
static void
test_preferences_choose_printer (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.Postsale");
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(PsLabelSpec) spec = make_spec ("1Z999AA10123456784", "Alice Example");
  PsPreferencesWindow *prefs;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;
  guint before = count_raw_jobs ();
  gboolean found = FALSE;

  /* Links the UI resources in; their constructor registers them. */
  g_assert_nonnull (ps_ui_get_resource ());
  g_settings_reset (settings, "label-printer");
  prefs = ps_preferences_window_new (NULL, "/tmp/example.db");
  gtk_window_present (GTK_WINDOW (prefs));
  while (!found && g_get_monotonic_time () < deadline)
    {
      spin (50);
      found = select_in_combo (GTK_WIDGET (prefs), raw_printer);
    }
  g_assert_true (found);
  g_assert_true (select_in_combo (GTK_WIDGET (prefs), "zpl"));
  g_assert_true (select_in_combo (GTK_WIDGET (prefs), "300"));
  gtk_window_destroy (GTK_WINDOW (prefs));

  g_assert_cmpstr (g_settings_get_string (settings, "label-printer"), ==, raw_printer);
  ps_label_printer_load_settings (printer, settings);
  g_assert_cmpstr (ps_label_printer_get_printer (printer), ==, raw_printer);
  ps_label_printer_add_spec (printer, spec);
  print_and_expect_zpl (printer, spec, before + 1);

  g_settings_reset (settings, "label-printer");
  g_settings_reset (settings, "label-format");
  g_settings_reset (settings, "label-dpi");
}

/* GTK's CUPS backend warns (structured log) that colord, the colour
 * profile daemon, cannot be reached: true in a container, harmless for
 * printing. Every other warning stays fatal. */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        strstr (fields[i].value, "failed to contact colord") != NULL)
      return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);

  pdf_printer = g_getenv ("PS_TEST_PDF_PRINTER");
  pdf_dir = g_getenv ("PS_TEST_PDF_DIR");
  raw_printer = g_getenv ("PS_TEST_RAW_PRINTER");
  raw_dir = g_getenv ("PS_TEST_RAW_DIR");
  if (pdf_printer == NULL || pdf_dir == NULL || raw_printer == NULL || raw_dir == NULL)
    {
      g_printerr ("test-print: not under build-aux/cups-session.sh; skipped\n");
      return 77;
    }
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this under Xvfb) */
  adw_init ();

  g_test_add_func ("/print/job/pdf-4x6", test_pdf_4x6);
  g_test_add_func ("/print/job/zpl-raw", test_zpl_raw);
  g_test_add_func ("/print/job/carrier-zpl-raw", test_carrier_zpl_raw);
  g_test_add_func ("/print/job/carrier-pdf", test_carrier_pdf);
  g_test_add_func ("/print/job/letter-2up", test_letter_2up);
  g_test_add_func ("/print/job/missing-printer", test_missing_printer);
  g_test_add_func ("/print/job/paused-printer", test_paused_printer);
  g_test_add_func ("/print/job/empty", test_empty);
  g_test_add_func ("/print/preferences/choose-printer", test_preferences_choose_printer);

  return g_test_run ();
}
