/* ps-label-printer.c: prints a batch of labels on a local printer
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch holds our own labels (PsLabelSpec) and carrier labels (PDF, PNG
 * or ZPL bytes). It goes out one of two ways:
 *
 *  - To the label printer chosen in Preferences, with no dialog, through
 *    GtkPrintJob. Not GtkPrintOperation: on GTK 4.8.3,
 *    gtk_print_operation_run (ACTION_PRINT) without a dialog frees its
 *    printer finder twice and crashes (gtkprintoperation-unix.c queues
 *    find_printer_idle from both printer_added_cb and printer_list_done_cb),
 *    and ACTION_EXPORT never reports that it finished. The printer is
 *    looked up with gtk_enumerate_printers (wait = FALSE), so the main
 *    loop keeps running; a printer that is missing, paused or refusing
 *    jobs is an error before anything is sent. Labels on paper are drawn
 *    on the job's cairo surface in a worker thread (one label can take
 *    a few milliseconds; two hundred must not freeze the window), and
 *    ZPL — carrier ZPL, or our labels when the format preference is
 *    "zpl" — is sent as a file, unchanged, which a raw queue passes on
 *    byte for byte.
 *
 *  - Through the print dialog (no label printer chosen, or asked for),
 *    with GtkPrintOperation in ACTION_PRINT_DIALOG, asynchronously.
 *
 * Both draw with ps_label_printer_draw_page(), the function a preview or a
 * test uses too; it draws our labels with ps_label_render(), carrier PDFs
 * with poppler and carrier PNGs scaled to fit the label.
 */

#define G_LOG_DOMAIN "ps-label-printer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtk/gtkunixprint.h>
#include <unistd.h>

#include "ps-carrier-label.h"
#include "ps-label-printer.h"
#include "ps-label-render.h"
#include "ps-label-zpl.h"

/* How long the print backends get to list printers. CUPS answers in
 * milliseconds on this computer; a network printer list can take longer. */
#define ENUMERATE_TIMEOUT_S 20

typedef struct
{
  PsLabelSpec   *spec;      /* (nullable) our label */
  GBytes        *bytes;     /* (nullable) a carrier label */
  PsLabelFormat  format;    /* of @bytes */
} Doc;

struct _PsLabelPrinter
{
  GObject        parent_instance;

  GPtrArray     *docs;      /* Doc*, in print order */
  char          *title;
  char          *printer;   /* "" = ask with the dialog */
  PsLabelFormat  format;    /* PDF or ZPL, for our labels */
  int            dpi;
  PsLabelSize    paper;
  double         offset_x_mm;
  double         offset_y_mm;
  gboolean       busy;
};

G_DEFINE_FINAL_TYPE (PsLabelPrinter, ps_label_printer, G_TYPE_OBJECT)

G_DEFINE_QUARK (ps-label-printer-error-quark, ps_label_printer_error)

static void
doc_free (Doc *doc)
{
  g_clear_pointer (&doc->spec, ps_label_spec_free);
  g_clear_pointer (&doc->bytes, g_bytes_unref);
  g_free (doc);
}

static gboolean
doc_is_raw (PsLabelPrinter *self,
            const Doc      *doc)
{
  if (doc->spec != NULL)
    return self->format == PS_LABEL_FORMAT_ZPL;
  return doc->format == PS_LABEL_FORMAT_ZPL;
}

static void
ps_label_printer_finalize (GObject *object)
{
  PsLabelPrinter *self = (PsLabelPrinter *)object;

  g_clear_pointer (&self->docs, g_ptr_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->printer, g_free);

  G_OBJECT_CLASS (ps_label_printer_parent_class)->finalize (object);
}

static void
ps_label_printer_class_init (PsLabelPrinterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ps_label_printer_finalize;
}

static void
ps_label_printer_init (PsLabelPrinter *self)
{
  self->docs = g_ptr_array_new_with_free_func ((GDestroyNotify) doc_free);
  self->title = g_strdup (_("Shipping labels"));
  self->printer = g_strdup ("");
  self->format = PS_LABEL_FORMAT_PDF;
  self->dpi = 203;
  self->paper = PS_LABEL_SIZE_4X6;
}

/**
 * ps_label_printer_new:
 *
 * Returns: (transfer full): an empty batch that prints with the dialog,
 *   4x6 in, 203 dpi, as PDF, until told otherwise
 */
PsLabelPrinter *
ps_label_printer_new (void)
{
  return g_object_new (PS_TYPE_LABEL_PRINTER, NULL);
}

/**
 * ps_label_printer_add_spec:
 * @self: a #PsLabelPrinter
 * @spec: our label; copied
 *
 * Adds one of our labels to the batch.
 */
void
ps_label_printer_add_spec (PsLabelPrinter    *self,
                           const PsLabelSpec *spec)
{
  Doc *doc;

  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (spec != NULL);
  g_return_if_fail (!self->busy);

  doc = g_new0 (Doc, 1);
  doc->spec = ps_label_spec_copy (spec);
  g_ptr_array_add (self->docs, doc);
}

/**
 * ps_label_printer_add_bytes:
 * @self: a #PsLabelPrinter
 * @bytes: a carrier label: PDF, PNG or ZPL
 * @error: return location for a #PS_LABEL_ERROR_FORMAT
 *
 * Adds a carrier label to the batch; its format is told by its content.
 *
 * Returns: %TRUE if @bytes is a label format that can be printed
 */
gboolean
ps_label_printer_add_bytes (PsLabelPrinter  *self,
                            GBytes          *bytes,
                            GError         **error)
{
  PsLabelFormat format;
  Doc *doc;

  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (!self->busy, FALSE);

  if (!ps_label_format_detect (bytes, &format))
    {
      g_set_error_literal (error, PS_LABEL_ERROR, PS_LABEL_ERROR_FORMAT,
                           _("The label is not a PDF, a PNG image or ZPL, so it cannot be printed"));
      return FALSE;
    }

  doc = g_new0 (Doc, 1);
  doc->bytes = g_bytes_ref (bytes);
  doc->format = format;
  g_ptr_array_add (self->docs, doc);
  return TRUE;
}

/**
 * ps_label_printer_get_n_labels:
 * @self: a #PsLabelPrinter
 *
 * Returns: how many labels the batch holds
 */
guint
ps_label_printer_get_n_labels (PsLabelPrinter *self)
{
  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), 0);

  return self->docs->len;
}

/**
 * ps_label_printer_clear:
 * @self: a #PsLabelPrinter
 *
 * Empties the batch (not while it prints).
 */
void
ps_label_printer_clear (PsLabelPrinter *self)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (!self->busy);

  g_ptr_array_set_size (self->docs, 0);
}

/**
 * ps_label_printer_set_title:
 * @self: a #PsLabelPrinter
 * @title: the job title the print queue shows
 */
void
ps_label_printer_set_title (PsLabelPrinter *self,
                            const char     *title)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (title != NULL);

  g_free (self->title);
  self->title = g_strdup (title);
}

/**
 * ps_label_printer_set_printer:
 * @self: a #PsLabelPrinter
 * @name: (nullable): the label printer's name; %NULL or "" to ask with
 *   the print dialog
 */
void
ps_label_printer_set_printer (PsLabelPrinter *self,
                              const char     *name)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));

  g_free (self->printer);
  self->printer = g_strdup (name != NULL ? name : "");
}

/**
 * ps_label_printer_get_printer:
 * @self: a #PsLabelPrinter
 *
 * Returns: the label printer's name, "" when the dialog asks
 */
const char *
ps_label_printer_get_printer (PsLabelPrinter *self)
{
  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), NULL);

  return self->printer;
}

/**
 * ps_label_printer_set_format:
 * @self: a #PsLabelPrinter
 * @format: %PS_LABEL_FORMAT_PDF to print our labels as pages, or
 *   %PS_LABEL_FORMAT_ZPL to send them as ZPL to a thermal printer
 *
 * Carrier labels keep their own format: PDF and PNG are drawn on pages,
 * ZPL is sent as it is.
 */
void
ps_label_printer_set_format (PsLabelPrinter *self,
                             PsLabelFormat   format)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (format == PS_LABEL_FORMAT_PDF || format == PS_LABEL_FORMAT_ZPL);

  self->format = format;
}

/**
 * ps_label_printer_set_dpi:
 * @self: a #PsLabelPrinter
 * @dpi: the printer's resolution, 203 or 300 (the barcodes' dot grid)
 */
void
ps_label_printer_set_dpi (PsLabelPrinter *self,
                          int             dpi)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (dpi >= 100 && dpi <= 1200);

  self->dpi = dpi;
}

/**
 * ps_label_printer_set_paper:
 * @self: a #PsLabelPrinter
 * @paper: the stock: one 4x6 or 4x8 in label a page, or two 4x6 in labels
 *   on Letter or A4
 */
void
ps_label_printer_set_paper (PsLabelPrinter *self,
                            PsLabelSize     paper)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail ((guint) paper <= PS_LABEL_SIZE_LAST);

  self->paper = paper;
}

/**
 * ps_label_printer_set_offsets:
 * @self: a #PsLabelPrinter
 * @x_mm: millimetres to move every label right (negative: left)
 * @y_mm: millimetres to move every label down (negative: up)
 *
 * Corrects for how a printer feeds its stock. On pages the label moves by
 * that many points; in ZPL by whole dots (^LH, which cannot go negative:
 * negative offsets are not applied to ZPL).
 */
void
ps_label_printer_set_offsets (PsLabelPrinter *self,
                              double          x_mm,
                              double          y_mm)
{
  g_return_if_fail (PS_IS_LABEL_PRINTER (self));

  self->offset_x_mm = x_mm;
  self->offset_y_mm = y_mm;
}

/**
 * ps_label_printer_load_settings:
 * @self: a #PsLabelPrinter
 * @settings: the app's settings (schema com.example.Postsale)
 *
 * Takes the printer, format, resolution, paper and offsets from the
 * Preferences.
 */
void
ps_label_printer_load_settings (PsLabelPrinter *self,
                                GSettings      *settings)
{
  g_autofree char *printer = NULL;
  g_autofree char *paper_nick = NULL;
  PsLabelSize paper = PS_LABEL_SIZE_4X6;
  int format;

  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  printer = g_settings_get_string (settings, "label-printer");
  ps_label_printer_set_printer (self, printer);
  /* The enum's values are PsLabelFormat's (see the schema). */
  format = g_settings_get_enum (settings, "label-format");
  ps_label_printer_set_format (self, format == PS_LABEL_FORMAT_ZPL ? PS_LABEL_FORMAT_ZPL
                                                                   : PS_LABEL_FORMAT_PDF);
  ps_label_printer_set_dpi (self, g_settings_get_int (settings, "label-dpi"));
  paper_nick = g_settings_get_string (settings, "label-paper");
  if (ps_label_size_from_nick (paper_nick, &paper))
    ps_label_printer_set_paper (self, paper);
  ps_label_printer_set_offsets (self, g_settings_get_double (settings, "label-offset-x-mm"),
                                g_settings_get_double (settings, "label-offset-y-mm"));
}

/* The documents that go on paper, in order. */
static GPtrArray *
dup_page_docs (PsLabelPrinter *self)
{
  GPtrArray *docs = g_ptr_array_new ();

  for (guint i = 0; i < self->docs->len; i++)
    {
      Doc *doc = g_ptr_array_index (self->docs, i);

      if (!doc_is_raw (self, doc))
        g_ptr_array_add (docs, doc);
    }
  return docs;
}

static guint
count_pages (PsLabelSize paper,
             guint       n_docs)
{
  guint per_page = ps_label_size_get_n_labels (paper);

  return (n_docs + per_page - 1) / per_page;
}

static void
draw_png (cairo_t         *cr,
          cairo_surface_t *image,
          double           width,
          double           height)
{
  double iw = cairo_image_surface_get_width (image);
  double ih = cairo_image_surface_get_height (image);
  double scale = MIN (width / iw, height / ih);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
  cairo_translate (cr, (width - iw * scale) / 2, (height - ih * scale) / 2);
  cairo_scale (cr, scale, scale);
  cairo_set_source_surface (cr, image, 0, 0);
  /* Nearest when enlarging keeps barcode edges sharp; smoothing when
   * shrinking keeps thin bars from vanishing. */
  cairo_pattern_set_filter (cairo_get_source (cr),
                            scale >= 1.0 ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  cairo_restore (cr);
}

static gboolean
draw_doc (cairo_t     *cr,
          const Doc   *doc,
          PsLabelSize  paper,
          int          dpi,
          GError     **error)
{
  double width, height;

  ps_label_size_get_label_points (paper, &width, &height);

  if (doc->spec != NULL)
    return ps_label_render (cr, doc->spec, paper, dpi, error);

  switch (doc->format)
    {
    case PS_LABEL_FORMAT_PDF:
      return ps_carrier_label_render_pdf (cr, doc->bytes, width, height, error);

    case PS_LABEL_FORMAT_PNG:
      {
        cairo_surface_t *image = ps_carrier_label_load_png (doc->bytes, error);

        if (image == NULL)
          return FALSE;
        draw_png (cr, image, width, height);
        cairo_surface_destroy (image);
        return TRUE;
      }

    case PS_LABEL_FORMAT_ZPL:
    default:
      g_set_error_literal (error, PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_UNSUPPORTED,
                           _("A ZPL label can only go to a thermal label printer; choose one "
                             "in Preferences"));
      return FALSE;
    }
}

/* Draws page @page of @docs; @cr is in points with the paper's top left
 * corner at its origin. Any thread. */
static gboolean
draw_page (cairo_t     *cr,
           GPtrArray   *docs,
           guint        page,
           PsLabelSize  paper,
           int          dpi,
           double       offset_x_mm,
           double       offset_y_mm,
           GError     **error)
{
  guint per_page = ps_label_size_get_n_labels (paper);

  for (guint slot = 0; slot < per_page && page * per_page + slot < docs->len; slot++)
    {
      const Doc *doc = g_ptr_array_index (docs, page * per_page + slot);
      cairo_matrix_t matrix;
      gboolean ok;

      ps_label_size_get_label_matrix (paper, slot, &matrix);
      cairo_save (cr);
      cairo_transform (cr, &matrix);
      cairo_translate (cr, offset_x_mm * PS_POINTS_PER_MM, offset_y_mm * PS_POINTS_PER_MM);
      ok = draw_doc (cr, doc, paper, dpi, error);
      cairo_restore (cr);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * ps_label_printer_get_n_pages:
 * @self: a #PsLabelPrinter
 *
 * Returns: how many pages the labels that go on paper take (ZPL that goes
 *   to the printer raw takes none)
 */
guint
ps_label_printer_get_n_pages (PsLabelPrinter *self)
{
  g_autoptr(GPtrArray) docs = NULL;

  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), 0);

  docs = dup_page_docs (self);
  return count_pages (self->paper, docs->len);
}

/**
 * ps_label_printer_draw_page:
 * @self: a #PsLabelPrinter
 * @cr: where to draw, in points, the paper's top left corner at the origin
 * @page: the page, from 0
 * @error: return location for an error
 *
 * Draws one page of the labels that go on paper, as printing does: our
 * labels with ps_label_render(), carrier PDFs with poppler, carrier PNGs
 * scaled to fit, two to a page on the two-up papers.
 *
 * Returns: %TRUE if every label on the page was drawn
 */
gboolean
ps_label_printer_draw_page (PsLabelPrinter  *self,
                            cairo_t         *cr,
                            guint            page,
                            GError         **error)
{
  g_autoptr(GPtrArray) docs = NULL;

  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), FALSE);
  g_return_val_if_fail (cr != NULL, FALSE);

  docs = dup_page_docs (self);
  g_return_val_if_fail (page < count_pages (self->paper, docs->len), FALSE);

  return draw_page (cr, docs, page, self->paper, self->dpi, self->offset_x_mm, self->offset_y_mm,
                    error);
}

/* ------------------------------------------------------------------ printing */

typedef struct
{
  GPtrArray        *page_docs;  /* Doc*, borrowed from self->docs (busy) */
  GPtrArray        *raw_docs;
  PsLabelSize       paper;
  int               dpi;
  double            offset_x_mm;
  double            offset_y_mm;
  char             *title;
  char             *printer_name;
  GtkPrinter       *printer;
  GtkPrintSettings *settings;
  GtkPageSetup     *page_setup;
  GtkPrintJob      *job;         /* the job being drawn or sent */
  int               raw_fd;      /* the ZPL's spool file while it is sent, or -1 */
  gboolean          raw_sent;
  gboolean          pages_sent;
} PrintData;

static void
close_raw_fd (PrintData *data)
{
  if (data->raw_fd >= 0)
    close (data->raw_fd);
  data->raw_fd = -1;
}

static void
print_data_free (PrintData *data)
{
  g_clear_pointer (&data->page_docs, g_ptr_array_unref);
  g_clear_pointer (&data->raw_docs, g_ptr_array_unref);
  g_clear_pointer (&data->title, g_free);
  g_clear_pointer (&data->printer_name, g_free);
  g_clear_object (&data->printer);
  g_clear_object (&data->settings);
  g_clear_object (&data->page_setup);
  g_clear_object (&data->job);
  close_raw_fd (data);
  g_free (data);
}

static void
print_task_return (GTask  *task,
                   GError *error)
{
  PsLabelPrinter *self = g_task_get_source_object (task);

  self->busy = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static GtkPaperSize *
paper_size_new (PsLabelSize paper)
{
  double width, height;

  switch (paper)
    {
    case PS_LABEL_SIZE_LETTER_2UP:
      return gtk_paper_size_new (GTK_PAPER_NAME_LETTER);
    case PS_LABEL_SIZE_A4_2UP:
      return gtk_paper_size_new (GTK_PAPER_NAME_A4);
    case PS_LABEL_SIZE_4X6:
    case PS_LABEL_SIZE_4X8:
    default:
      ps_label_size_get_page_points (paper, &width, &height);
      return gtk_paper_size_new_custom (ps_label_size_to_nick (paper),
                                        paper == PS_LABEL_SIZE_4X8 ? _("4 × 8 in label")
                                                                   : _("4 × 6 in label"),
                                        width, height, GTK_UNIT_POINTS);
    }
}

static GtkPageSetup *
page_setup_new (PsLabelSize paper)
{
  GtkPageSetup *setup = gtk_page_setup_new ();
  GtkPaperSize *size = paper_size_new (paper);

  gtk_page_setup_set_paper_size (setup, size);
  gtk_page_setup_set_orientation (setup, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_page_setup_set_top_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_left_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (setup, 0, GTK_UNIT_POINTS);
  gtk_paper_size_free (size);
  return setup;
}

static void send_next (GTask *task);

static void
job_sent_cb (GtkPrintJob  *job,
             gpointer      user_data,
             const GError *error)
{
  g_autoptr(GTask) task = user_data;
  PrintData *data = g_task_get_task_data (task);

  if (error != NULL)
    {
      print_task_return (task, g_error_new (PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_FAILED,
                                            _("The printer “%s” did not take the labels: %s"),
                                            data->printer_name, error->message));
      return;
    }
  g_clear_object (&data->job);
  close_raw_fd (data);
  send_next (g_steal_pointer (&task));
}

static void
send_job (GTask *task)
{
  PrintData *data = g_task_get_task_data (task);

  gtk_print_job_send (data->job, job_sent_cb, g_steal_pointer (&task), NULL);
}

/* Worker thread: the ZPL of every raw label, in an unlinked temporary
 * file; returns its descriptor, rewound. */
static void
write_zpl_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PrintData *data = task_data;
  g_autoptr(GString) zpl = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  PsLabelSize size = data->paper == PS_LABEL_SIZE_4X8 ? PS_LABEL_SIZE_4X8 : PS_LABEL_SIZE_4X6;
  /* ^LH takes no negative values. */
  int x = MAX (0, (int) (data->offset_x_mm / 25.4 * data->dpi + 0.5));
  int y = MAX (0, (int) (data->offset_y_mm / 25.4 * data->dpi + 0.5));
  gsize written = 0;
  int fd;

  for (guint i = 0; i < data->raw_docs->len; i++)
    {
      const Doc *doc = g_ptr_array_index (data->raw_docs, i);

      if (g_task_return_error_if_cancelled (task))
        return;
      if (doc->spec != NULL)
        {
          if (!ps_label_append_zpl (zpl, doc->spec, size, data->dpi, x, y, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
        }
      else
        {
          gsize len;
          const char *bytes = g_bytes_get_data (doc->bytes, &len);

          g_string_append_len (zpl, bytes, len);
        }
    }

  fd = g_file_open_tmp ("postsale-labels-XXXXXX.zpl", &path, &error);
  if (fd < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_unlink (path);
  while (written < zpl->len)
    {
      ssize_t n = write (fd, zpl->str + written, zpl->len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved = errno;

          close (fd);
          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                                   "Cannot write the labels for the printer: %s",
                                   g_strerror (saved));
          return;
        }
      written += n;
    }
  lseek (fd, 0, SEEK_SET);
  g_task_return_int (task, fd);
}

static void
zpl_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PrintData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;
  int fd;

  fd = g_task_propagate_int (G_TASK (result), &error);
  if (fd < 0 || error != NULL)
    {
      print_task_return (task, error);
      return;
    }

  data->job = gtk_print_job_new (data->title, data->printer, data->settings, data->page_setup);
  /* GTK reads the descriptor as it sends, and does not close it. */
  data->raw_fd = fd;
  ok = gtk_print_job_set_source_fd (data->job, fd, &error);
  if (!ok)
    {
      print_task_return (task, error);
      return;
    }
  send_job (g_steal_pointer (&task));
}

/* Worker thread: every page on the job's surface. Nothing else touches the
 * surface until the job is sent. */
static void
draw_pages_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PrintData *data = task_data;
  cairo_surface_t *surface = g_object_get_data (G_OBJECT (task), "surface");
  guint n_pages = count_pages (data->paper, data->page_docs->len);
  cairo_t *cr = cairo_create (surface);

  for (guint page = 0; page < n_pages; page++)
    {
      GError *error = NULL;

      if (g_task_return_error_if_cancelled (task))
        {
          cairo_destroy (cr);
          return;
        }
      if (!draw_page (cr, data->page_docs, page, data->paper, data->dpi, data->offset_x_mm,
                      data->offset_y_mm, &error))
        {
          cairo_destroy (cr);
          g_task_return_error (task, error);
          return;
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  /* Writes the PDF's trailer to the spool file: gtk_print_job_send()
   * sends the file as it is. */
  cairo_surface_finish (surface);
  g_task_return_boolean (task, TRUE);
}

static void
pages_drawn_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      print_task_return (task, error);
      return;
    }
  send_job (g_steal_pointer (&task));
}

/* Sends the raw job, then the page job, whichever there is. */
static void
send_next (GTask *task)
{
  PrintData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (g_task_return_error_if_cancelled (task))
    {
      PS_LABEL_PRINTER (g_task_get_source_object (task))->busy = FALSE;
      g_object_unref (task);
      return;
    }

  if (!data->raw_sent && data->raw_docs->len > 0)
    {
      GTask *writer = g_task_new (g_task_get_source_object (task), cancellable, zpl_written_cb,
                                  task);

      data->raw_sent = TRUE;
      g_task_set_task_data (writer, data, NULL);
      g_task_run_in_thread (writer, write_zpl_thread);
      g_object_unref (writer);
      return;
    }

  if (!data->pages_sent && data->page_docs->len > 0)
    {
      GError *error = NULL;
      cairo_surface_t *surface;
      GTask *drawer;

      data->job = gtk_print_job_new (data->title, data->printer, data->settings,
                                     data->page_setup);
      surface = gtk_print_job_get_surface (data->job, &error);
      if (surface == NULL)
        {
          print_task_return (task, error);
          g_object_unref (task);
          return;
        }
      data->pages_sent = TRUE;
      drawer = g_task_new (g_task_get_source_object (task), cancellable, pages_drawn_cb, task);
      g_task_set_task_data (drawer, data, NULL);
      g_object_set_data (G_OBJECT (drawer), "surface", surface);
      g_task_run_in_thread (drawer, draw_pages_thread);
      g_object_unref (drawer);
      return;
    }

  print_task_return (task, NULL);
  g_object_unref (task);
}

static GError *
not_available_error (const char *name,
                     const char *why)
{
  return g_error_new (PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_NOT_AVAILABLE,
                      /* Translators: the second %s says why, e.g. "it is paused" */
                      _("Printer “%s” is not available (%s); choose another in Preferences"),
                      name, why);
}

static void
printer_found (GTask      *task,
               GtkPrinter *printer)
{
  PrintData *data = g_task_get_task_data (task);

  if (printer == NULL)
    {
      print_task_return (task, not_available_error (data->printer_name,
                                                    _("no printer has that name")));
      g_object_unref (task);
      return;
    }
  if (gtk_printer_is_paused (printer))
    {
      print_task_return (task, not_available_error (data->printer_name,
                                                    _("it is paused or offline")));
      g_object_unref (task);
      return;
    }
  if (!gtk_printer_is_accepting_jobs (printer))
    {
      print_task_return (task, not_available_error (data->printer_name,
                                                    _("it is not accepting jobs")));
      g_object_unref (task);
      return;
    }

  data->printer = g_object_ref (printer);
  gtk_print_settings_set_printer (data->settings, data->printer_name);
  send_next (task);
}

/* Lives as long as the enumeration (until its destroy notify), which may
 * be longer than the task waits. */
typedef struct
{
  GTask      *task;        /* (nullable) cleared once the task moved on */
  char       *name;
  GtkPrinter *printer;     /* the first printer named @name */
  guint       timeout_id;
} Enumeration;

static void
enumeration_proceed (Enumeration *e)
{
  GTask *task = g_steal_pointer (&e->task);

  g_clear_handle_id (&e->timeout_id, g_source_remove);
  if (task != NULL)
    printer_found (task, e->printer);
}

static gboolean
enumerate_cb (GtkPrinter *printer,
              gpointer    user_data)
{
  Enumeration *e = user_data;

  if (e->printer == NULL && !gtk_printer_is_virtual (printer) &&
      g_strcmp0 (gtk_printer_get_name (printer), e->name) == 0)
    {
      e->printer = g_object_ref (printer);
      enumeration_proceed (e);
    }
  /* Always FALSE: let every backend finish listing; stopping early is the
   * path that 4.8's own printer finder gets wrong. */
  return FALSE;
}

static void
enumeration_done (gpointer user_data)
{
  Enumeration *e = user_data;

  enumeration_proceed (e);
  g_clear_object (&e->printer);
  g_free (e->name);
  g_free (e);
}

static gboolean
enumeration_timeout_cb (gpointer user_data)
{
  Enumeration *e = user_data;

  e->timeout_id = 0;
  enumeration_proceed (e);
  return G_SOURCE_REMOVE;
}

/* ----------------------------------------------------- the print dialog */

static void
operation_draw_page_cb (GtkPrintOperation *operation,
                        GtkPrintContext   *context,
                        int                page,
                        GTask             *task)
{
  PrintData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!draw_page (gtk_print_context_get_cairo_context (context), data->page_docs, page,
                  data->paper, data->dpi, data->offset_x_mm, data->offset_y_mm, &error))
    {
      g_object_set_data_full (G_OBJECT (operation), "ps-error", g_steal_pointer (&error),
                              (GDestroyNotify) g_error_free);
      gtk_print_operation_cancel (operation);
    }
}

static void
operation_done_cb (GtkPrintOperation       *operation,
                   GtkPrintOperationResult  result,
                   GTask                   *task)
{
  GError *draw_error = g_object_steal_data (G_OBJECT (operation), "ps-error");
  GError *error = NULL;

  if (draw_error != NULL)
    print_task_return (task, draw_error);
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (operation, &error);
      print_task_return (task, error != NULL ? error
                         : g_error_new_literal (PS_LABEL_PRINTER_ERROR,
                                                PS_LABEL_PRINTER_ERROR_FAILED,
                                                _("Printing failed")));
    }
  else if (result == GTK_PRINT_OPERATION_RESULT_CANCEL)
    print_task_return (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("Printing was cancelled")));
  else
    print_task_return (task, NULL);

  g_signal_handlers_disconnect_by_data (operation, task);
  g_object_unref (operation);
  g_object_unref (task);
}

static void
print_with_dialog (GTask     *task,
                   GtkWindow *parent)
{
  PrintData *data = g_task_get_task_data (task);
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;
  GError *error = NULL;

  if (data->raw_docs->len > 0)
    {
      /* Our labels are drawn instead of sent as ZPL; carrier ZPL cannot be. */
      for (guint i = 0; i < data->raw_docs->len; i++)
        {
          Doc *doc = g_ptr_array_index (data->raw_docs, i);

          if (doc->spec == NULL)
            {
              print_task_return (task, g_error_new_literal (PS_LABEL_PRINTER_ERROR,
                                                            PS_LABEL_PRINTER_ERROR_UNSUPPORTED,
                                                            _("A ZPL label can only go to a "
                                                              "thermal label printer; choose one "
                                                              "in Preferences")));
              g_object_unref (task);
              return;
            }
        }
      g_ptr_array_extend_and_steal (data->page_docs, g_steal_pointer (&data->raw_docs));
      data->raw_docs = g_ptr_array_new ();
    }

  operation = gtk_print_operation_new ();
  gtk_print_operation_set_job_name (operation, data->title);
  gtk_print_operation_set_n_pages (operation, count_pages (data->paper, data->page_docs->len));
  gtk_print_operation_set_default_page_setup (operation, data->page_setup);
  gtk_print_operation_set_print_settings (operation, data->settings);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect (operation, "draw-page", G_CALLBACK (operation_draw_page_cb), task);
  g_signal_connect (operation, "done", G_CALLBACK (operation_done_cb), task);

  /* Never ACTION_PRINT without the dialog here: see the file comment. */
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent,
                                    &error);
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    return;     /* "done" follows */

  /* Finished (or failed) synchronously; "done" was not emitted in every
   * case on 4.8, so finish here unless it was. */
  if (g_signal_handlers_disconnect_by_data (operation, task) > 0)
    {
      if (error == NULL && result == GTK_PRINT_OPERATION_RESULT_CANCEL)
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Printing was cancelled"));
      else if (error == NULL && result == GTK_PRINT_OPERATION_RESULT_ERROR)
        error = g_error_new_literal (PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_FAILED,
                                     _("Printing failed"));
      print_task_return (task, error);
      g_object_unref (operation);
      g_object_unref (task);
    }
  else
    g_clear_error (&error);
}

/**
 * ps_label_printer_print_async:
 * @self: a #PsLabelPrinter with at least one label
 * @parent: (nullable): the window the print dialog belongs to
 * @with_dialog: %TRUE to ask with the print dialog even when a label
 *   printer is chosen
 * @cancellable: (nullable): cancels before the job is handed to the print
 *   system (a sent job is the print queue's to cancel)
 * @callback: called when the labels are with the print system
 * @user_data: data for @callback
 *
 * Prints the batch: straight to the chosen label printer, or through the
 * print dialog when none is chosen or @with_dialog is set. The batch may
 * not be changed until @callback runs. Main thread only.
 */
void
ps_label_printer_print_async (PsLabelPrinter      *self,
                              GtkWindow           *parent,
                              gboolean             with_dialog,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GtkPaperSize) paper_size = NULL;
  PrintData *data;
  Enumeration *e;

  g_return_if_fail (PS_IS_LABEL_PRINTER (self));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));
  g_return_if_fail (!self->busy);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_label_printer_print_async);

  if (self->docs->len == 0)
    {
      g_task_return_new_error (task, PS_LABEL_PRINTER_ERROR, PS_LABEL_PRINTER_ERROR_EMPTY,
                               _("There are no labels to print"));
      return;
    }

  data = g_new0 (PrintData, 1);
  data->raw_fd = -1;
  data->page_docs = dup_page_docs (self);
  data->raw_docs = g_ptr_array_new ();
  for (guint i = 0; i < self->docs->len; i++)
    if (doc_is_raw (self, g_ptr_array_index (self->docs, i)))
      g_ptr_array_add (data->raw_docs, g_ptr_array_index (self->docs, i));
  data->paper = self->paper;
  data->dpi = self->dpi;
  data->offset_x_mm = self->offset_x_mm;
  data->offset_y_mm = self->offset_y_mm;
  data->title = g_strdup (self->title);
  data->printer_name = g_strdup (self->printer);
  data->page_setup = page_setup_new (self->paper);
  data->settings = gtk_print_settings_new ();
  paper_size = paper_size_new (self->paper);
  gtk_print_settings_set_paper_size (data->settings, paper_size);
  gtk_print_settings_set_orientation (data->settings, GTK_PAGE_ORIENTATION_PORTRAIT);
  gtk_print_settings_set_n_copies (data->settings, 1);
  gtk_print_settings_set_use_color (data->settings, FALSE);
  if (*self->printer != '\0')
    gtk_print_settings_set_printer (data->settings, self->printer);
  g_task_set_task_data (task, data, (GDestroyNotify) print_data_free);
  self->busy = TRUE;

  if (with_dialog || *self->printer == '\0')
    {
      print_with_dialog (g_steal_pointer (&task), parent);
      return;
    }

  e = g_new0 (Enumeration, 1);
  e->task = g_steal_pointer (&task);
  e->name = g_strdup (self->printer);
  e->timeout_id = g_timeout_add_seconds (ENUMERATE_TIMEOUT_S, enumeration_timeout_cb, e);
  gtk_enumerate_printers (enumerate_cb, e, enumeration_done, FALSE);
}

/**
 * ps_label_printer_print_finish:
 * @self: a #PsLabelPrinter
 * @result: the result
 * @error: return location for a #PS_LABEL_PRINTER_ERROR, a
 *   #PS_LABEL_ERROR for a label that cannot be drawn, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE if every label was handed to the print system
 */
gboolean
ps_label_printer_print_finish (PsLabelPrinter  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (PS_IS_LABEL_PRINTER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
