/* ps-cups.c: local printers through libcups, without GTK
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command-line tool prints here (GtkPrintJob needs a display), and the
 * preferences list printers here. Every call talks to cupsd over a socket
 * and may block for as long as cupsd takes to answer: call the blocking
 * functions from a worker thread or a command-line tool, never from a
 * main loop that draws a window.
 *
 * Why the options for PDF: without a media size, CUPS scales a 4x6 in
 * label onto the queue's default paper (A4 or Letter on most systems, a
 * quarter of the page on a label printer with a wrong default). So a PDF
 * is sent at its own page size (media=Custom.WxHin) and unscaled
 * (fit-to-page off, print-scaling none). "raw" makes libcups send the
 * document as application/vnd.cups-raw, which no filter touches: ZPL
 * reaches the printer byte for byte.
 */

#define G_LOG_DOMAIN "ps-cups"

#include "config.h"

#include <cups/cups.h>

#include "ps-carrier-label.h"
#include "ps-cups.h"

G_DEFINE_QUARK (ps-cups-error-quark, ps_cups_error)

/* The fallback label size for images, which carry no page size. */
#define LABEL_MEDIA "Custom.4x6in"

/**
 * ps_cups_printer_free:
 * @printer: (transfer full): a printer
 */
void
ps_cups_printer_free (PsCupsPrinter *printer)
{
  if (printer == NULL)
    return;
  g_free (printer->name);
  g_free (printer->description);
  g_free (printer);
}

static gboolean
scheduler_error (GError **error)
{
  ipp_status_t status = cupsLastError ();

  if (status == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || status == IPP_STATUS_ERROR_INTERNAL)
    {
      g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NO_SCHEDULER,
                   "The print system (CUPS) is not running: %s; start it (for example "
                   "“systemctl start cups”) and try again",
                   cupsLastErrorString ());
      return TRUE;
    }
  return FALSE;
}

static gboolean
dest_is_available (cups_dest_t *dest)
{
  const char *state = cupsGetOption ("printer-state", dest->num_options, dest->options);
  const char *accepting = cupsGetOption ("printer-is-accepting-jobs", dest->num_options,
                                         dest->options);

  /* printer-state 5 is "stopped" (IPP_PSTATE_STOPPED): paused or offline. */
  if (state != NULL && atoi (state) == IPP_PSTATE_STOPPED)
    return FALSE;
  if (accepting != NULL && (g_ascii_strcasecmp (accepting, "false") == 0 ||
                            g_str_equal (accepting, "0")))
    return FALSE;
  return TRUE;
}

/**
 * ps_cups_list_printers:
 * @error: return location for a #PS_CUPS_ERROR_NO_SCHEDULER
 *
 * Lists the CUPS print queues, sorted by name (instances of a queue, as
 * lpoptions makes them, are left out). Blocks: see the file comment.
 *
 * Returns: (transfer container) (element-type PsCupsPrinter): the
 *   printers, possibly none; %NULL when cupsd cannot be reached
 */
GPtrArray *
ps_cups_list_printers (GError **error)
{
  g_autoptr(GPtrArray) printers = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_cups_printer_free);
  cups_dest_t *dests = NULL;
  int n_dests;

  n_dests = cupsGetDests2 (CUPS_HTTP_DEFAULT, &dests);
  if (n_dests == 0 && scheduler_error (error))
    return NULL;

  for (int i = 0; i < n_dests; i++)
    {
      PsCupsPrinter *printer;

      if (dests[i].instance != NULL)
        continue;
      printer = g_new0 (PsCupsPrinter, 1);
      printer->name = g_strdup (dests[i].name);
      printer->description = g_strdup (cupsGetOption ("printer-info", dests[i].num_options,
                                                      dests[i].options));
      printer->is_default = dests[i].is_default;
      printer->is_available = dest_is_available (&dests[i]);
      g_ptr_array_add (printers, printer);
    }
  cupsFreeDests (n_dests, dests);

  return g_steal_pointer (&printers);
}

static void
list_printers_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *printers = ps_cups_list_printers (&error);

  if (printers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, printers, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * ps_cups_list_printers_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * ps_cups_list_printers() on a worker thread.
 */
void
ps_cups_list_printers_async (GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ps_cups_list_printers_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_printers_thread);
}

/**
 * ps_cups_list_printers_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type PsCupsPrinter): the printers
 */
GPtrArray *
ps_cups_list_printers_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
dup_printer_names (void)
{
  g_autoptr(GPtrArray) printers = ps_cups_list_printers (NULL);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; printers != NULL && i < printers->len; i++)
    {
      PsCupsPrinter *printer = g_ptr_array_index (printers, i);

      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", printer->name);
    }
  return g_string_free (g_steal_pointer (&names), FALSE);
}

/**
 * ps_cups_check_printer:
 * @printer: a queue name
 * @error: return location for a #PS_CUPS_ERROR
 *
 * Checks that @printer exists and takes jobs now (not stopped, accepting
 * jobs). Blocks: see the file comment.
 *
 * Returns: %TRUE if a job sent now would be queued
 */
gboolean
ps_cups_check_printer (const char  *printer,
                       GError     **error)
{
  cups_dest_t *dest;
  gboolean available;

  g_return_val_if_fail (printer != NULL, FALSE);

  if (*printer == '\0')
    {
      g_set_error_literal (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NOT_FOUND,
                           "No printer given; name one of the printers that “lpstat -e” lists");
      return FALSE;
    }

  dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, printer, NULL);
  if (dest == NULL)
    {
      g_autofree char *names = NULL;

      if (scheduler_error (error))
        return FALSE;
      names = dup_printer_names ();
      g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NOT_FOUND,
                   "There is no printer “%s”; the printers here are: %s", printer,
                   *names != '\0' ? names : "none (add one in the system's printer settings)");
      return FALSE;
    }

  available = dest_is_available (dest);
  cupsFreeDests (1, dest);
  if (!available)
    {
      g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_UNAVAILABLE,
                   "The printer “%s” is paused, offline or not accepting jobs; resume it "
                   "(“cupsenable %s” and “cupsaccept %s”) or choose another printer",
                   printer, printer, printer);
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_cups_dup_default_printer:
 * @error: return location for a #PS_CUPS_ERROR
 *
 * The system's default printer (lpoptions -d, or the server's). Blocks:
 * see the file comment.
 *
 * Returns: (transfer full) (nullable): its queue name, or %NULL with
 *   #PS_CUPS_ERROR_NOT_FOUND when there is none
 */
char *
ps_cups_dup_default_printer (GError **error)
{
  cups_dest_t *dest = cupsGetNamedDest (CUPS_HTTP_DEFAULT, NULL, NULL);
  char *name;

  if (dest == NULL)
    {
      if (!scheduler_error (error))
        g_set_error_literal (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NOT_FOUND,
                             "No default printer is set; name a printer (see “lpstat -e”)");
      return NULL;
    }
  name = g_strdup (dest->name);
  cupsFreeDests (1, dest);
  return name;
}

/* "Custom.4x6in" for a 288 x 432 pt page. */
static char *
media_for_points (double width,
                  double height)
{
  char w[G_ASCII_DTOSTR_BUF_SIZE], h[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (w, sizeof w, "%.4g", width / 72.0);
  g_ascii_formatd (h, sizeof h, "%.4g", height / 72.0);
  return g_strdup_printf ("Custom.%sx%sin", w, h);
}

/**
 * ps_cups_print_file:
 * @printer: a queue name
 * @path: a label file: PDF, PNG or ZPL, told apart by content
 * @title: (nullable): the job title; the file's base name when %NULL
 * @copies: how many copies, at least 1
 * @flags: #PS_CUPS_PRINT_FLAGS_RAW to send the bytes unchanged
 * @error: return location for a #PS_CUPS_ERROR
 *
 * Checks @printer (ps_cups_check_printer()), then sends @path as one job:
 * PDF at its own page size and unscaled, PNG fitted onto a 4x6 in label,
 * ZPL (or anything with @flags RAW) unchanged. Content that is none of
 * these is refused before anything is sent. Blocks: see the file comment.
 *
 * Returns: the CUPS job id (> 0), or 0 on error
 */
int
ps_cups_print_file (const char        *printer,
                    const char        *path,
                    const char        *title,
                    int                copies,
                    PsCupsPrintFlags   flags,
                    GError           **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *media = NULL;
  g_autofree char *copies_text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  cups_option_t *options = NULL;
  int n_options = 0;
  PsLabelFormat format;
  gsize length;
  int job;

  g_return_val_if_fail (printer != NULL, 0);
  g_return_val_if_fail (path != NULL, 0);
  g_return_val_if_fail (copies >= 1, 0);

  basename = g_path_get_basename (path);
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_CONTENT, "Cannot read the label: %s",
                   local_error->message);
      return 0;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);

  if (!ps_label_format_detect (bytes, &format))
    {
      g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_CONTENT,
                   "“%s” is not a label Postsale can print: expected a PDF, a PNG image or "
                   "ZPL commands (^XA … ^XZ)", basename);
      return 0;
    }

  switch (format)
    {
    case PS_LABEL_FORMAT_PDF:
      if (!(flags & PS_CUPS_PRINT_FLAGS_RAW))
        {
          double width, height;

          if (!ps_carrier_label_get_pdf_size (bytes, &width, &height, &local_error))
            {
              g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_CONTENT, "“%s”: %s", basename,
                           local_error->message);
              return 0;
            }
          media = media_for_points (width, height);
          n_options = cupsAddOption ("fit-to-page", "false", n_options, &options);
          n_options = cupsAddOption ("print-scaling", "none", n_options, &options);
        }
      break;

    case PS_LABEL_FORMAT_PNG:
      if (!(flags & PS_CUPS_PRINT_FLAGS_RAW))
        {
          media = g_strdup (LABEL_MEDIA);
          n_options = cupsAddOption ("print-scaling", "fit", n_options, &options);
        }
      break;

    case PS_LABEL_FORMAT_ZPL:
      /* ZPL through a filter would come out as a page of program text. */
      flags |= PS_CUPS_PRINT_FLAGS_RAW;
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ps_cups_check_printer (printer, error))
    {
      cupsFreeOptions (n_options, options);
      return 0;
    }

  if (media != NULL)
    n_options = cupsAddOption ("media", media, n_options, &options);
  if (flags & PS_CUPS_PRINT_FLAGS_RAW)
    n_options = cupsAddOption ("raw", "true", n_options, &options);
  copies_text = g_strdup_printf ("%d", copies);
  n_options = cupsAddOption ("copies", copies_text, n_options, &options);

  job = cupsPrintFile (printer, path, title != NULL ? title : basename, n_options, options);
  cupsFreeOptions (n_options, options);

  if (job <= 0)
    {
      if (!scheduler_error (error))
        g_set_error (error, PS_CUPS_ERROR, PS_CUPS_ERROR_FAILED,
                     "The printer “%s” refused “%s”: %s", printer, basename,
                     cupsLastErrorString ());
      return 0;
    }
  return job;
}
