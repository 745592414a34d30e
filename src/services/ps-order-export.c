/* ps-order-export.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exports orders, given by id, to a CSV file: one row per order in the
 * order of the ids, a header row first.
 *
 * The work runs on the database worker as a chain of short jobs (about
 * 40 ms each, batches of PS_ORDER_EXPORT_BATCH orders), so the list's own
 * row fetches slip in between and a million orders never sit in memory at
 * once. Rows go through a buffered stream into a hidden temporary file
 * beside the destination, which is renamed over the destination only when
 * the last row is written: a cancelled or failed export removes its
 * temporary file and leaves whatever was at the destination untouched.
 *
 * The format:
 *  - RFC 4180: comma separated, CRLF line ends, a cell with a comma, quote,
 *    CR or LF (or a leading or trailing space) is quoted by libcsv's
 *    csv_write(), which doubles inner quotes;
 *  - UTF-8 without a byte order mark unless PS_ORDER_EXPORT_FLAGS_BOM asks
 *    for one (plain UTF-8 is what LibreOffice, Google Sheets, Numbers and
 *    every script expect; older Excel needs the mark);
 *  - formula neutralization (OWASP "CSV Injection"): every cell whose text
 *    came from outside (order numbers, names, addresses, SKUs, tags,
 *    tracking numbers...) and starts with = + - @ a tab or a carriage
 *    return gets a leading apostrophe and is quoted, so a spreadsheet
 *    shows it as text and never evaluates it. Cells we format ourselves
 *    (amounts, counts, weights, dates) are numbers or ISO dates and are
 *    written as they are: a minus there is a sign (a refund), and a
 *    spreadsheet must still be able to add the column up;
 *  - amounts as plain decimals with the currency's minor digits (12.50
 *    USD, 1250 JPY) and the ISO code in its own column;
 *  - times as ISO 8601 with the UTC offset, in the store's time zone
 *    (PsOrderStore:time-zone), e.g. 2026-11-22T10:15:00-05:00;
 *  - lists (items, tags, tracking numbers) joined with "; ", an item as
 *    "SKU × quantity" (the item name when it has no SKU).
 * The header names are chosen so that Postsale's own spreadsheet import
 * guesses the columns it can read back.
 */

#define G_LOG_DOMAIN "ps-order-export"

#include "config.h"

#include <csv.h>
#include <string.h>

#include "ps-money.h"
#include "ps-order-export.h"
#include "ps-order-export-private.h"

/* How long one database job may run before it lets other jobs in. */
#define SLICE_USEC (40 * 1000)
/* Progress at most ten times a second. */
#define PROGRESS_INTERVAL_USEC (100 * 1000)
#define BUFFER_SIZE (64 * 1024)

static const char * const header[] = {
  "Order Number",
  "Channel",
  "Order Date",
  "Status",
  "Customer Name",
  "Email",
  "Phone",
  "Ship Name",
  "Ship Company",
  "Ship Address 1",
  "Ship Address 2",
  "Ship City",
  "Ship State",
  "Ship Postcode",
  "Ship Country",
  "Address Issue",
  "Item Count",
  "Items",
  "Currency",
  "Subtotal",
  "Shipping",
  "Tax",
  "Total",
  "Weight (g)",
  "Tags",
  "Carrier",
  "Service",
  "Tracking Numbers",
  "Tracking Status",
  "Label Created",
  "Delivered",
  NULL
};

typedef struct
{
  PsDatabase                *db;
  GTimeZone                 *tz;
  gint64                    *ids;
  gsize                      n_ids;
  PsOrderExportFlags         flags;
  GFile                     *destination;
  PsOrderExportProgressFunc  progress;
  gpointer                   progress_data;
  GDestroyNotify             progress_destroy;

  /* Worker side, touched by one job at a time (jobs are chained) */
  gsize                      next;      /* index of the next id to export */
  guint64                    written;
  GFile                     *temp;
  GOutputStream             *out;
  GString                   *buffer;
  gboolean                   finished;  /* the file is in place */

  /* Main side */
  gint64                     last_progress;
  GError                    *error;     /* kept while the temp file is removed */
} ExportRun;

static void
export_run_free (ExportRun *run)
{
  /* Every path removes the temporary file before the task returns. */
  g_assert (run->out == NULL && run->temp == NULL);

  if (run->progress_destroy != NULL)
    run->progress_destroy (run->progress_data);
  g_clear_object (&run->db);
  g_clear_pointer (&run->tz, g_time_zone_unref);
  g_free (run->ids);
  g_clear_object (&run->destination);
  g_string_free (run->buffer, TRUE);
  g_clear_error (&run->error);
  g_free (run);
}

/* Cells */

static gboolean
needs_neutralizing (const char *text)
{
  return text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL;
}

/**
 * ps_order_export_append_cell:
 * @out: where the row is being built
 * @text: (nullable): the cell's text, UTF-8; %NULL is an empty cell
 * @external: whether the text came from outside Postsale (a shop export,
 *   the merchant, a carrier) rather than being a number or date Postsale
 *   formatted
 *
 * Appends one cell (without a separator). External text that a spreadsheet
 * would read as a formula (first character = + - @ tab or CR) gets a
 * leading apostrophe; cells with a comma, quote, CR, LF or surrounding
 * spaces, and every neutralized cell, are quoted as RFC 4180 says.
 */
void
ps_order_export_append_cell (GString    *out,
                             const char *text,
                             gboolean    external)
{
  g_autofree char *prefixed = NULL;
  gsize len, size;

  g_return_if_fail (out != NULL);

  if (text == NULL || *text == '\0')
    return;

  len = strlen (text);
  if (external && needs_neutralizing (text))
    {
      prefixed = g_strconcat ("'", text, NULL);
      text = prefixed;
      len++;
    }
  else if (strpbrk (text, ",\"\r\n") == NULL && text[0] != ' ' && text[len - 1] != ' ')
    {
      g_string_append_len (out, text, len);
      return;
    }

  /* csv_write() returns the size it needs whatever room it was given. */
  size = csv_write (NULL, 0, text, len);
  {
    gsize start = out->len;

    g_string_set_size (out, start + size);
    csv_write (out->str + start, size, text, len);
  }
}

static void
append_separator (GString *out)
{
  g_string_append_c (out, ',');
}

static void
add_text (GString    *out,
          const char *text)
{
  append_separator (out);
  ps_order_export_append_cell (out, text, TRUE);
}

static void
add_int (GString *out,
         gint64   value)
{
  append_separator (out);
  g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
}

/* 1250 USD -> "12.50"; 1250 JPY -> "1250"; -5 USD -> "-0.05". */
static void
add_amount (GString    *out,
            gint64      minor,
            const char *currency)
{
  guint digits = ps_currency_minor_digits (currency);
  guint64 magnitude = minor < 0 ? -(guint64)minor : (guint64)minor;
  guint64 scale = 1;

  for (guint i = 0; i < digits; i++)
    scale *= 10;

  append_separator (out);
  if (minor < 0)
    g_string_append_c (out, '-');
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, magnitude / scale);
  if (digits > 0)
    g_string_append_printf (out, ".%0*" G_GUINT64_FORMAT, (int)digits, magnitude % scale);
}

static void
add_time (GString   *out,
          gint64     t,
          GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *text = NULL;

  append_separator (out);
  if (t == 0 || (utc = g_date_time_new_from_unix_utc (t)) == NULL)
    return;
  local = g_date_time_to_timezone (utc, tz);
  text = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  g_string_append (out, text);
}

static void
add_list (GString   *out,
          GPtrArray *items)
{
  g_autoptr(GString) cell = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      if (i > 0)
        g_string_append (cell, "; ");
      g_string_append (cell, g_ptr_array_index (items, i));
    }
  add_text (out, cell->str);
}

static void
add_items (GString *out,
           GArray  *lines)
{
  g_autoptr(GString) cell = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      const PsExportLine *line = &g_array_index (lines, PsExportLine, i);
      const char *what = line->sku != NULL && *line->sku != '\0' ? line->sku : line->name;

      if (i > 0)
        g_string_append (cell, "; ");
      g_string_append_printf (cell, "%s × %d", what != NULL ? what : "", line->quantity);
    }
  add_text (out, cell->str);
}

static void
append_header (GString *out)
{
  for (guint i = 0; header[i] != NULL; i++)
    {
      if (i > 0)
        append_separator (out);
      ps_order_export_append_cell (out, header[i], FALSE);
    }
  g_string_append (out, "\r\n");
}

/* One order, in the order of the header. */
static void
append_row (GString           *out,
            const PsExportRow *row,
            GTimeZone         *tz)
{
  ps_order_export_append_cell (out, row->order_number, TRUE);
  add_text (out, row->channel_name);
  add_time (out, row->created_at, tz);
  add_text (out, row->status);
  add_text (out, row->customer_name);
  add_text (out, row->customer_email);
  add_text (out, row->customer_phone);
  add_text (out, row->ship_name);
  add_text (out, row->ship_company);
  add_text (out, row->ship_line1);
  add_text (out, row->ship_line2);
  add_text (out, row->ship_city);
  add_text (out, row->ship_state);
  add_text (out, row->ship_postcode);
  add_text (out, row->ship_country);
  add_text (out, row->address_issue ? (row->address_message != NULL ? row->address_message
                                                                       : "Address issue")
                                    : NULL);
  add_int (out, row->item_count);
  add_items (out, row->lines);
  add_text (out, row->currency);
  add_amount (out, row->subtotal_minor, row->currency);
  add_amount (out, row->shipping_minor, row->currency);
  add_amount (out, row->tax_minor, row->currency);
  add_amount (out, row->total_minor, row->currency);
  add_int (out, row->weight_grams);
  add_list (out, row->tags);
  add_text (out, row->carrier);
  add_text (out, row->service);
  add_list (out, row->tracking_numbers);
  add_text (out, row->tracking_status);
  add_time (out, row->label_created_at, tz);
  add_time (out, row->delivered_at, tz);
  g_string_append (out, "\r\n");
}

/* Files */

/* Rewrites a failure's message so that it says what to do; the domain and
 * code stay. */
static void
explain_error (GError *error,
               GFile  *destination)
{
  g_autofree char *name = g_file_get_parse_name (destination);
  g_autoptr(GFile) parent = g_file_get_parent (destination);
  g_autofree char *folder = parent != NULL ? g_file_get_parse_name (parent) : g_strdup (name);
  char *message;

  if (error->domain != G_IO_ERROR)
    message = g_strdup_printf ("Could not read the orders to export: %s", error->message);
  else if (error->code == G_IO_ERROR_NO_SPACE)
    message = g_strdup_printf ("The disk is full: “%s” could not be written. Free some space "
                               "or choose another disk, then export again.", name);
  else if (error->code == G_IO_ERROR_PERMISSION_DENIED || error->code == G_IO_ERROR_READ_ONLY)
    message = g_strdup_printf ("Permission denied: you cannot write files in “%s”. Choose "
                               "another folder.", folder);
  else if (error->code == G_IO_ERROR_NOT_FOUND || error->code == G_IO_ERROR_NOT_DIRECTORY)
    message = g_strdup_printf ("The folder “%s” does not exist.", folder);
  else if (error->code == G_IO_ERROR_IS_DIRECTORY || error->code == G_IO_ERROR_WOULD_MERGE)
    message = g_strdup_printf ("“%s” is a folder; choose a file name.", name);
  else
    message = g_strdup_printf ("Could not write “%s”: %s", name, error->message);

  g_free (error->message);
  error->message = message;
}

static gboolean
write_buffer (ExportRun     *run,
              GCancellable  *cancellable,
              GError       **error)
{
  gboolean ok = g_output_stream_write_all (run->out, run->buffer->str, run->buffer->len, NULL,
                                           cancellable, error);

  g_string_truncate (run->buffer, 0);
  return ok;
}

/* A hidden file beside the destination, so that the final rename stays on
 * one file system. */
static gboolean
open_temp (ExportRun     *run,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (run->destination);
  g_autoptr(GFileOutputStream) stream = NULL;

  if (parent == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY, "no file name");
      return FALSE;
    }

  for (guint attempt = 0; stream == NULL; attempt++)
    {
      g_autofree char *name = g_strdup_printf (".postsale-export-%08x.part", g_random_int ());
      g_autoptr(GError) local_error = NULL;

      g_clear_object (&run->temp);
      run->temp = g_file_get_child (parent, name);
      stream = g_file_create (run->temp, G_FILE_CREATE_NONE, cancellable, &local_error);
      if (stream == NULL)
        {
          g_clear_object (&run->temp);
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS) || attempt >= 16)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return FALSE;
            }
        }
    }

  run->out = g_buffered_output_stream_new_sized (G_OUTPUT_STREAM (stream), BUFFER_SIZE);
  if (run->flags & PS_ORDER_EXPORT_FLAGS_BOM)
    g_string_append (run->buffer, "\xEF\xBB\xBF");
  append_header (run->buffer);
  return write_buffer (run, cancellable, error);
}

/* Drops the temporary file. Never cancellable: it is the clean-up. */
static void
discard_temp (ExportRun *run)
{
  if (run->out != NULL)
    {
      g_output_stream_close (run->out, NULL, NULL);
      g_clear_object (&run->out);
    }
  if (run->temp != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!g_file_delete (run->temp, NULL, &error))
        g_warning ("Could not remove the unfinished export: %s", error->message);
      g_clear_object (&run->temp);
    }
}

static gboolean
finish_file (ExportRun     *run,
             GCancellable  *cancellable,
             GError       **error)
{
  if (!g_output_stream_close (run->out, NULL, error))
    return FALSE;
  g_clear_object (&run->out);

  /* The last moment a Cancel still keeps the old file. */
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!g_file_move (run->temp, run->destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  g_clear_object (&run->temp);
  return TRUE;
}

/* Jobs */

static gpointer
export_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  ExportRun *run = data;
  gint64 deadline = g_get_monotonic_time () + SLICE_USEC;
  GError *local_error = NULL;

  if (run->out == NULL && !open_temp (run, cancellable, &local_error))
    goto failed;

  while (run->next < run->n_ids)
    {
      guint n = (guint)MIN (run->n_ids - run->next, PS_ORDER_EXPORT_BATCH);
      g_autoptr(GPtrArray) rows = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        goto failed;
      rows = ps_order_export_read_rows_sync (db, run->ids + run->next, n, &local_error);
      if (rows == NULL)
        goto failed;
      for (guint i = 0; i < rows->len; i++)
        append_row (run->buffer, g_ptr_array_index (rows, i), run->tz);
      if (!write_buffer (run, cancellable, &local_error))
        goto failed;
      run->next += n;
      run->written += rows->len;

      if (run->next < run->n_ids && g_get_monotonic_time () >= deadline)
        return GINT_TO_POINTER (TRUE);
    }

  if (!finish_file (run, cancellable, &local_error))
    goto failed;
  run->finished = TRUE;
  return GINT_TO_POINTER (TRUE);

failed:
  discard_temp (run);
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    explain_error (local_error, run->destination);
  g_propagate_error (error, local_error);
  return NULL;
}

static void
report_progress (ExportRun *run,
                 gboolean   force)
{
  gint64 now = g_get_monotonic_time ();

  if (run->progress == NULL)
    return;
  if (!force && now - run->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  run->last_progress = now;
  run->progress (run->next, run->n_ids, run->progress_data);
}

static void
discard_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  discard_temp (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
discarded_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportRun *run = g_task_get_task_data (task);

  g_task_return_error (task, g_steal_pointer (&run->error));
}

static void queue_job (GTask *task);

static void
export_job_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ExportRun *run = g_task_get_task_data (task);
  GError *error = NULL;

  /* A Cancel that comes after the last job moved the file into place is
   * too late: the export happened. */
  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL && !run->finished)
    {
      /* A job cancelled before it started did not clean up: do it off
       * the main thread, then fail. */
      if (run->out != NULL || run->temp != NULL)
        {
          g_autoptr(GTask) discard = g_task_new (NULL, NULL, discarded_cb, g_object_ref (task));

          run->error = error;
          g_task_set_task_data (discard, run, NULL);
          g_task_run_in_thread (discard, discard_thread);
          return;
        }
      g_task_return_error (task, error);
      return;
    }
  g_clear_error (&error);

  if (!run->finished)
    {
      report_progress (run, FALSE);
      queue_job (g_steal_pointer (&task));
      return;
    }

  report_progress (run, TRUE);
  g_task_return_int (task, (gssize)run->written);
}

static void
queue_job (GTask *task)
{
  ExportRun *run = g_task_get_task_data (task);

  ps_database_run_async (run->db, export_job, run, NULL, NULL,
                         g_task_get_cancellable (task), export_job_cb, task);
}

/* Public API */

/**
 * ps_order_export_async:
 * @context: a #PsContext
 * @ids: (array length=n_ids): the orders to export, in the order the rows
 *   should have (copied)
 * @n_ids: how many
 * @destination: the CSV file to write; replaced when the export succeeds
 * @flags: #PsOrderExportFlags
 * @progress: (nullable) (scope notified): called on the caller's main
 *   context while the export runs
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the export ends
 * @cancellable: (nullable): a #GCancellable; cancelling before the file is
 *   moved into place removes the partial file and keeps what was at
 *   @destination
 * @callback: called on the caller's main context when done
 * @user_data: data for @callback
 *
 * Writes @ids' orders as CSV (see the format at the top of
 * ps-order-export.c). Orders that no longer exist are skipped. Reading and
 * writing run on the database worker, in slices that let other database
 * jobs through.
 */
void
ps_order_export_async (PsContext                 *context,
                       const gint64              *ids,
                       gsize                      n_ids,
                       GFile                     *destination,
                       PsOrderExportFlags         flags,
                       PsOrderExportProgressFunc  progress,
                       gpointer                   progress_data,
                       GDestroyNotify             progress_destroy,
                       GCancellable              *cancellable,
                       GAsyncReadyCallback        callback,
                       gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportRun *run;

  g_return_if_fail (PS_IS_CONTEXT (context));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (G_IS_FILE (destination));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run = g_new0 (ExportRun, 1);
  run->db = g_object_ref (ps_context_get_database (context));
  run->tz = g_time_zone_ref (ps_order_store_get_time_zone (ps_context_get_order_store (context)));
  run->ids = n_ids > 0 ? g_memdup2 (ids, n_ids * sizeof *ids) : NULL;
  run->n_ids = n_ids;
  run->flags = flags;
  run->destination = g_object_ref (destination);
  run->progress = progress;
  run->progress_data = progress_data;
  run->progress_destroy = progress_destroy;
  run->buffer = g_string_sized_new (BUFFER_SIZE);
  run->last_progress = g_get_monotonic_time ();

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_order_export_async);
  g_task_set_name (task, "[ps-order-export] export");
  g_task_set_task_data (task, run, (GDestroyNotify)export_run_free);
  /* Once the file is in place the export happened, Cancel or not. */
  g_task_set_check_cancellable (task, FALSE);

  queue_job (g_steal_pointer (&task));
}

/**
 * ps_order_export_finish:
 * @context: a #PsContext
 * @result: the result
 * @error: return location for an error; its message names the file and
 *   what to do (disk full, permission denied, no such folder)
 *
 * Returns: the number of orders written, or -1 with @error set
 */
gint64
ps_order_export_finish (PsContext     *context,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PS_IS_CONTEXT (context), -1);
  g_return_val_if_fail (g_task_is_valid (result, context), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_order_export_async, -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/**
 * ps_order_export_get_header:
 *
 * Returns: (transfer none) (array zero-terminated=1): the column names of
 *   the header row, in order
 */
const char * const *
ps_order_export_get_header (void)
{
  return header;
}

/**
 * ps_order_export_get_n_columns:
 *
 * Returns: how many cells every row has
 */
guint
ps_order_export_get_n_columns (void)
{
  return G_N_ELEMENTS (header) - 1;
}

/**
 * ps_order_export_suggest_name:
 * @now: (nullable): the local time to name the file after; %NULL for now
 *
 * Returns: (transfer full): a file name such as "orders-2026-11-22.csv"
 */
char *
ps_order_export_suggest_name (GDateTime *now)
{
  g_autoptr(GDateTime) local = now != NULL ? g_date_time_ref (now) : g_date_time_new_now_local ();

  return g_date_time_format (local, "orders-%Y-%m-%d.csv");
}
