/* ps-import-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Order exports into the database, one file at a time, each file in one
 * transaction: a file is imported entirely or not at all, whatever
 * happens (an error, Cancel, the process being killed).
 *
 * Per file, two threads work as a pipeline:
 *
 *   producer (a GTask thread)        writer (one job on the database worker)
 *   PsImportReader → records  ──→   BEGIN IMMEDIATE, PsOrderWriter upserts,
 *   batches of BATCH_SIZE,           COMMIT (or ROLLBACK on error/cancel)
 *   at most MAX_IN_FLIGHT queued
 *
 * The bounded queue keeps memory constant however big the file is: the
 * producer waits while the writer is behind. The writer polls the queue
 * every POLL_MS so Cancel is noticed quickly even while the producer is
 * slow; the producer checks the cancellable per record and stops when the
 * writer gave up. Opening a file (which reads only its start: binary,
 * empty and unknown files fail here, fast) happens on a thread before the
 * writer job is queued, so a file that cannot be read never takes the
 * database's write lock.
 *
 * Progress is sampled by a timeout source in the caller's main context
 * (PROGRESS_INTERVAL_MS), never pushed per record.
 *
 * Files are paired and opened by ps-import-sources.c (which also keeps the
 * saved mappings); the preview and rejected rows are in ps-import-preview.c.
 */

#define G_LOG_DOMAIN "ps-import-service"

#include "config.h"

#include <string.h>

#include "ps-import-service-private.h"
#include "ps-order-writer.h"
#include "ps-time.h"
#include "ps-tracking-number.h"

/* Records per batch handed from the producer to the writer. */
#define BATCH_SIZE 256
/* Batches queued at most: with BATCH_SIZE, a few thousand records. */
#define MAX_IN_FLIGHT 8
/* How often blocked threads look at the cancellable. Cancel must finish
 * an import within 200 ms: a poll, a batch and a rollback fit in that. */
#define POLL_MS 40
/* ~12 progress callbacks a second: at least 10, at most 15. */
#define PROGRESS_INTERVAL_MS 80

/* Results */

static void
file_result_free (PsImportFileResult *file)
{
  if (file == NULL)
    return;
  g_clear_pointer (&file->problems, g_array_unref);
  g_free (file->encoding);
  g_free (file->file_name);
  g_clear_object (&file->file);
  g_clear_error (&file->error);
  g_free (file);
}

static PsImportFileResult *
file_result_new (const PsImportUnit *unit)
{
  PsImportFileResult *file = g_new0 (PsImportFileResult, 1);

  file->problems = _ps_import_problems_new ();
  file->file = g_object_ref (unit->file);
  file->file_name = g_file_get_basename (unit->file);
  if (unit->items != NULL)
    {
      g_autofree char *items = g_file_get_basename (unit->items);
      char *both = g_strconcat (file->file_name, " + ", items, NULL);

      g_free (file->file_name);
      file->file_name = both;
    }
  return file;
}

/**
 * ps_import_result_free:
 * @result: (nullable) (transfer full): a #PsImportResult
 *
 * Frees @result and its file results.
 */
void
ps_import_result_free (PsImportResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->files, g_ptr_array_unref);
  g_free (result);
}

/* The pipeline of one file */

typedef struct
{
  GPtrArray *records;   /* a batch, or NULL */
  GPtrArray *hashes;    /* the records' source hashes */
  GArray    *problems;  /* with @end: the reader's rejected rows */
  GError    *error;     /* the reader failed */
  gboolean   end;
} Message;

static void
message_free (Message *msg)
{
  g_clear_pointer (&msg->records, g_ptr_array_unref);
  g_clear_pointer (&msg->hashes, g_ptr_array_unref);
  g_clear_pointer (&msg->problems, g_array_unref);
  g_clear_error (&msg->error);
  g_free (msg);
}

typedef struct
{
  gatomicrefcount      ref_count;

  /* Set before the threads start; read-only afterwards. */
  PsImportReader      *reader;         /* the producer's, until it ends */
  GAsyncQueue         *queue;          /* Message*, producer → writer */
  GAsyncQueue         *spent;          /* Message*, writer → producer, to free */
  goffset              bytes_total;

  /* Under @lock. */
  GMutex               lock;
  GCond                cond;
  guint                in_flight;      /* messages queued, at most MAX_IN_FLIGHT */
  gboolean             stop;           /* the writer is done: stop producing */
  goffset              bytes_done;

  /* Written by the writer job, read by the main thread once it is done;
   * @orders_done is also read by the progress source. */
  PsImportFileResult  *result;
  gint                 orders_done;    /* atomic */
  GArray              *lines;          /* PsLineFields scratch */
  GArray              *tracking;       /* PsTrackingFields scratch */
} FileRun;

static FileRun *
file_run_new (PsImportReader     *reader,
              PsImportFileResult *result)
{
  FileRun *run = g_new0 (FileRun, 1);

  g_atomic_ref_count_init (&run->ref_count);
  run->reader = reader;
  run->queue = g_async_queue_new_full ((GDestroyNotify)message_free);
  run->spent = g_async_queue_new_full ((GDestroyNotify)message_free);
  run->bytes_total = ps_import_reader_get_size (reader);
  g_mutex_init (&run->lock);
  g_cond_init (&run->cond);
  run->result = result;
  run->lines = g_array_new (FALSE, TRUE, sizeof (PsLineFields));
  run->tracking = g_array_new (FALSE, TRUE, sizeof (PsTrackingFields));
  return run;
}

static FileRun *
file_run_ref (FileRun *run)
{
  g_atomic_ref_count_inc (&run->ref_count);
  return run;
}

static void
file_run_unref (FileRun *run)
{
  if (!g_atomic_ref_count_dec (&run->ref_count))
    return;
  g_clear_pointer (&run->reader, ps_import_reader_free);
  g_async_queue_unref (run->queue);
  g_async_queue_unref (run->spent);
  g_mutex_clear (&run->lock);
  g_cond_clear (&run->cond);
  file_result_free (run->result);
  g_array_unref (run->lines);
  g_array_unref (run->tracking);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileRun, file_run_unref)

/* Tells the producer to stop: the writer finished or gave up. */
static void
file_run_stop (FileRun *run)
{
  g_mutex_lock (&run->lock);
  run->stop = TRUE;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

/* Producer side: waits for room in the queue. Returns FALSE (and frees
 * @msg) when the writer stopped or the import was cancelled. */
static gboolean
push_message (FileRun      *run,
              Message      *msg,
              GCancellable *cancellable)
{
  Message *spent;

  /* Freeing thousands of small strings is work the database worker
   * should not do: it hands written batches back. */
  while ((spent = g_async_queue_try_pop (run->spent)) != NULL)
    message_free (spent);

  g_mutex_lock (&run->lock);
  run->bytes_done = ps_import_reader_get_bytes_read (run->reader);
  while (run->in_flight >= MAX_IN_FLIGHT && !run->stop &&
         !g_cancellable_is_cancelled (cancellable))
    g_cond_wait_until (&run->cond, &run->lock,
                       g_get_monotonic_time () + POLL_MS * G_TIME_SPAN_MILLISECOND);
  if (run->stop || g_cancellable_is_cancelled (cancellable))
    {
      g_mutex_unlock (&run->lock);
      message_free (msg);
      return FALSE;
    }
  run->in_flight++;
  g_mutex_unlock (&run->lock);

  g_async_queue_push (run->queue, msg);
  return TRUE;
}

/* Producer side: everything about a record that needs no database, so
 * the worker only binds and steps. Tracking numbers are normalized in
 * place ("1Z 999…" and "1z999…" are one shipment); a number that does not
 * normalize (letters and slashes of some local courier) is kept as
 * written, trimmed; empty ones go. */
static void
prepare_record (PsImportRecord *record,
                GPtrArray      *hashes)
{
  for (guint k = 0; record->tracking_numbers != NULL && k < record->tracking_numbers->len;)
    {
      char **slot = (char **)&g_ptr_array_index (record->tracking_numbers, k);
      char *number = ps_tracking_number_normalize (*slot);

      if (number == NULL)
        {
          number = g_strstrip (g_strdup (*slot != NULL ? *slot : ""));
          if (*number == '\0' || strlen (number) > 64)
            {
              g_free (number);
              g_ptr_array_remove_index (record->tracking_numbers, k);
              continue;
            }
        }
      g_free (*slot);
      *slot = number;
      k++;
    }

  /* Of the record with its numbers normalized: the same file always gives
   * the same hash, which is all a re-import compares. */
  g_ptr_array_add (hashes, ps_import_record_dup_hash (record));
}

static Message *
batch_message (GPtrArray *records,
               GPtrArray *hashes)
{
  Message *msg = g_new0 (Message, 1);

  msg->records = records;
  msg->hashes = hashes;
  return msg;
}

static void
produce_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  FileRun *run = task_data;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  GError *error = NULL;
  PsImportRecord *record;
  Message *msg;

  batch = g_ptr_array_new_full (BATCH_SIZE, (GDestroyNotify)ps_import_record_free);
  hashes = g_ptr_array_new_full (BATCH_SIZE, g_free);
  while ((record = ps_import_reader_next (run->reader, cancellable, &error)) != NULL)
    {
      g_ptr_array_add (batch, record);
      prepare_record (record, hashes);
      if (batch->len < BATCH_SIZE)
        continue;

      msg = batch_message (g_steal_pointer (&batch), g_steal_pointer (&hashes));
      if (!push_message (run, msg, cancellable))
        {
          g_task_return_boolean (task, FALSE);
          return;
        }
      batch = g_ptr_array_new_full (BATCH_SIZE, (GDestroyNotify)ps_import_record_free);
      hashes = g_ptr_array_new_full (BATCH_SIZE, g_free);
    }

  if (error == NULL && batch->len > 0)
    {
      msg = batch_message (g_steal_pointer (&batch), g_steal_pointer (&hashes));
      if (!push_message (run, msg, cancellable))
        {
          g_task_return_boolean (task, FALSE);
          return;
        }
    }

  msg = g_new0 (Message, 1);
  if (error != NULL)
    msg->error = error;
  else
    {
      msg->end = TRUE;
      msg->problems = _ps_import_problems_new ();
      _ps_import_problems_append (msg->problems, ps_import_reader_get_problems (run->reader));
    }
  g_task_return_boolean (task, push_message (run, msg, cancellable));
}

/* Writer side */

static const char *
default_channel_name (PsChannelKind kind)
{
  switch (kind)
    {
    case PS_CHANNEL_KIND_SHOPIFY:     return "Shopify";
    case PS_CHANNEL_KIND_WOOCOMMERCE: return "WooCommerce";
    case PS_CHANNEL_KIND_ETSY:        return "Etsy";
    case PS_CHANNEL_KIND_AMAZON:      return "Amazon";
    case PS_CHANNEL_KIND_EBAY:        return "eBay";
    case PS_CHANNEL_KIND_MANUAL:      return "Manual";
    case PS_CHANNEL_KIND_CUSTOM:
    default:                          return "Spreadsheet";
    }
}

static void
reject_record (FileRun              *run,
               const PsImportRecord *record,
               const char           *message)
{
  PsImportProblem problem = { record->line, g_strdup (message) };

  g_array_append_val (run->result->problems, problem);
}

/* The carriers of a record's (normalized) tracking numbers. */
static void
collect_tracking (FileRun              *run,
                  const PsImportRecord *record)
{
  g_array_set_size (run->tracking, 0);

  for (guint k = 0; record->tracking_numbers != NULL && k < record->tracking_numbers->len; k++)
    {
      PsTrackingFields t;

      t.tracking_number = g_ptr_array_index (record->tracking_numbers, k);
      t.carrier = ps_tracking_format_carrier (ps_tracking_number_detect (t.tracking_number));
      g_array_append_val (run->tracking, t);
    }
}

static gboolean
write_record (FileRun               *run,
              PsOrderWriter         *writer,
              const PsImportRecord  *record,
              const char            *hash,
              gint64                 now,
              GError               **error)
{
  PsOrderFields f = { 0 };
  PsUpsertResult upsert;
  guint n_lines = record->lines != NULL ? record->lines->len : 0;
  guint n_shipments = 0;

  if (record->order_number == NULL || *record->order_number == '\0')
    {
      reject_record (run, record, "The row has no order number");
      return TRUE;
    }

  g_array_set_size (run->lines, n_lines);
  for (guint k = 0; k < n_lines; k++)
    {
      const PsImportLine *in = &g_array_index (record->lines, PsImportLine, k);
      PsLineFields *out = &g_array_index (run->lines, PsLineFields, k);

      out->sku = in->sku;
      /* line_items.name is NOT NULL: an export without item names still
       * says something about the item. */
      out->name = in->name != NULL && *in->name != '\0' ? in->name
                  : in->sku != NULL && *in->sku != '\0' ? in->sku : "Item";
      out->variant = in->variant;
      out->quantity = MAX (in->quantity, 1);
      out->unit_price_minor = in->unit_price_minor;
      out->weight_grams = in->weight_grams;
    }
  collect_tracking (run, record);

  f.channel_kind = record->channel_kind;
  f.channel_name = record->channel_name != NULL && *record->channel_name != '\0'
                   ? record->channel_name : default_channel_name (record->channel_kind);
  f.order_number = record->order_number;
  f.customer_name = record->customer_name;
  f.customer_email = record->customer_email;
  f.customer_phone = record->customer_phone;
  f.ship_name = record->ship_name;
  f.ship_company = record->ship_company;
  f.ship_line1 = record->ship_line1;
  f.ship_line2 = record->ship_line2;
  f.ship_city = record->ship_city;
  f.ship_state = record->ship_state;
  f.ship_postcode = record->ship_postcode;
  f.ship_country = record->ship_country;
  f.address_issue = record->address_issue;
  f.address_message = record->address_message;
  f.status = record->status;
  f.currency = record->currency[0] != '\0' ? record->currency : "USD";
  f.subtotal_minor = record->subtotal_minor;
  f.shipping_minor = record->shipping_minor;
  f.tax_minor = record->tax_minor;
  f.total_minor = record->total_minor;
  /* orders.created_at is NOT NULL; an export without dates is "now". */
  f.created_at = record->created_at != 0 ? record->created_at : now;
  f.paid_at = record->paid_at;
  f.imported_at = now;
  f.source_hash = hash;

  upsert = ps_order_writer_import_order (writer, &f,
                                         (const PsLineFields *)(gpointer)run->lines->data,
                                         n_lines,
                                         (const PsTrackingFields *)(gpointer)run->tracking->data,
                                         run->tracking->len, NULL, &n_shipments, error);
  switch (upsert)
    {
    case PS_UPSERT_CREATED:
      run->result->orders_created++;
      run->result->line_items += n_lines;
      break;
    case PS_UPSERT_UPDATED:
      run->result->orders_updated++;
      run->result->line_items += n_lines;
      break;
    case PS_UPSERT_UNCHANGED:
      run->result->orders_unchanged++;
      break;
    case PS_UPSERT_ERROR:
    default:
      return FALSE;
    }
  run->result->shipments_created += n_shipments;
  return TRUE;
}

static int
compare_problems (gconstpointer a,
                  gconstpointer b)
{
  guint x = ((const PsImportProblem *)a)->line, y = ((const PsImportProblem *)b)->line;

  return x < y ? -1 : x > y;
}

/* The database job: one transaction for the whole file. */
static gpointer
write_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  FileRun *run = data;
  g_autoptr(PsOrderWriter) writer = NULL;
  gint64 job_start = g_get_monotonic_time ();
  gint64 commit_start;
  gint64 now = ps_time_now ();
  gboolean ok = TRUE;
  gboolean done = FALSE;

  if (!ps_database_begin (db, error))
    {
      file_run_stop (run);
      return NULL;
    }
  writer = ps_order_writer_new (db);
  ps_order_writer_set_now (writer, now);

  while (ok && !done)
    {
      Message *msg;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ok = FALSE;
          break;
        }

      msg = g_async_queue_timeout_pop (run->queue, POLL_MS * 1000);
      if (msg == NULL)
        continue;

      g_mutex_lock (&run->lock);
      run->in_flight--;
      g_cond_signal (&run->cond);
      g_mutex_unlock (&run->lock);

      if (msg->records != NULL)
        {
          for (guint i = 0; ok && i < msg->records->len; i++)
            {
              ok = write_record (run, writer, g_ptr_array_index (msg->records, i),
                                 g_ptr_array_index (msg->hashes, i), now, error);
              /* Every 64 records: Cancel within a fraction of a batch. */
              if (ok && (i & 63) == 63 &&
                  g_cancellable_set_error_if_cancelled (cancellable, error))
                ok = FALSE;
            }
          ok = ok && ps_order_writer_flush (writer, error);
          g_atomic_int_add (&run->orders_done, (gint)msg->records->len);
        }
      else if (msg->error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&msg->error));
          ok = FALSE;
        }
      else if (msg->end)
        {
          /* The reader's rejects and ours, in line order. */
          _ps_import_problems_append (msg->problems, run->result->problems);
          g_array_sort (msg->problems, compare_problems);
          g_array_unref (run->result->problems);
          run->result->problems = g_steal_pointer (&msg->problems);
          done = TRUE;
        }
      g_async_queue_push (run->spent, msg);
    }

  file_run_stop (run);
  if (ok)
    ok = ps_order_writer_flush (writer, error);
  g_clear_pointer (&writer, ps_order_writer_free);

  if (!ok)
    {
      ps_database_rollback (db);
      return NULL;
    }
  commit_start = g_get_monotonic_time ();
  if (!ps_database_commit (db, error))
    return NULL;
  g_debug ("%s: written in %.2f s, committed in %.2f s", run->result->file_name,
           (commit_start - job_start) / (double)G_USEC_PER_SEC,
           (g_get_monotonic_time () - commit_start) / (double)G_USEC_PER_SEC);
  return GINT_TO_POINTER (TRUE);
}

/* Import: the main-thread side */

typedef struct
{
  PsContext             *context;
  PsImportFormat         format;
  PsImportMapping       *mapping;
  PsImportProgressFunc   progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GPtrArray             *files;           /* GFile* as given */

  GArray                *units;           /* PsImportUnit, once planned */
  guint                  unit_index;
  PsImportResult        *result;
  FileRun               *run;             /* the file being written */
  GError                *run_error;
  guint                  pending;         /* producer + writer still running */
  guint                  orders_before;   /* orders of the finished files */
  GSource               *progress_source;
  gboolean               changed;         /* something was committed */
  gboolean               cancelled;       /* Cancel rolled back or skipped a file */
} ImportData;

static void
import_data_free (ImportData *d)
{
  if (d->progress_source != NULL)
    {
      g_source_destroy (d->progress_source);
      g_source_unref (d->progress_source);
    }
  if (d->progress_destroy != NULL)
    d->progress_destroy (d->progress_data);
  g_clear_object (&d->context);
  g_clear_pointer (&d->mapping, ps_import_mapping_free);
  g_clear_pointer (&d->files, g_ptr_array_unref);
  g_clear_pointer (&d->units, g_array_unref);
  ps_import_result_free (d->result);
  g_clear_pointer (&d->run, file_run_unref);
  g_clear_error (&d->run_error);
  g_free (d);
}

static void import_next_unit (GTask *task);

static void
report_progress (ImportData *d,
                 gboolean    file_done)
{
  goffset done = 0, total = 0;
  guint orders = d->orders_before;

  if (d->progress == NULL || d->units == NULL)
    return;

  if (d->run != NULL)
    {
      g_mutex_lock (&d->run->lock);
      done = d->run->bytes_done;
      g_mutex_unlock (&d->run->lock);
      total = d->run->bytes_total;
      orders += (guint)g_atomic_int_get (&d->run->orders_done);
      if (file_done)
        done = total;
    }
  d->progress (MIN (d->unit_index, d->units->len ? d->units->len - 1 : 0), d->units->len,
               done, total, orders, d->progress_data);
}

static gboolean
progress_cb (gpointer user_data)
{
  report_progress (g_task_get_task_data (user_data), FALSE);
  return G_SOURCE_CONTINUE;
}

static void
import_complete (GTask *task)
{
  ImportData *d = g_task_get_task_data (task);
  PsImportResult *result = d->result;

  if (d->progress_source != NULL)
    {
      g_source_destroy (d->progress_source);
      g_clear_pointer (&d->progress_source, g_source_unref);
    }

  /* Listeners hear about what was committed even if a later file failed
   * or the import was cancelled. */
  if (d->changed)
    ps_order_store_emit_changed (ps_context_get_order_store (d->context), NULL);

  /* Cancel after the last commit changes nothing: that is a success. */
  if (d->cancelled)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Import cancelled");
      return;
    }

  if (result->n_failed > 0 && result->n_failed == result->files->len)
    {
      PsImportFileResult *first = g_ptr_array_index (result->files, 0);

      g_task_return_error (task, g_error_copy (first->error));
      return;
    }

  d->result = NULL;
  g_task_return_pointer (task, result, (GDestroyNotify)ps_import_result_free);
}

static void
add_file_result (ImportData         *d,
                 PsImportFileResult *file)
{
  PsImportResult *r = d->result;

  if (g_error_matches (file->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    d->cancelled = TRUE;
  if (file->error != NULL)
    {
      /* Rolled back: nothing of the file counts. */
      file->orders_created = file->orders_updated = file->orders_unchanged = 0;
      file->line_items = file->shipments_created = 0;
      g_array_set_size (file->problems, 0);
      r->n_failed++;
    }
  file->rows_rejected = file->problems != NULL ? file->problems->len : 0;

  r->orders_created += file->orders_created;
  r->orders_updated += file->orders_updated;
  r->orders_unchanged += file->orders_unchanged;
  r->line_items += file->line_items;
  r->rows_rejected += file->rows_rejected;
  r->shipments_created += file->shipments_created;
  if (file->orders_created + file->orders_updated + file->shipments_created > 0)
    d->changed = TRUE;
  g_ptr_array_add (r->files, file);
}

static void
unit_finished (GTask *task)
{
  ImportData *d = g_task_get_task_data (task);
  FileRun *run = d->run;
  PsImportFileResult *file;

  report_progress (d, TRUE);

  file = g_steal_pointer (&run->result);
  file->error = g_steal_pointer (&d->run_error);
  if (file->error != NULL)
    g_debug ("%s not imported: %s", file->file_name, file->error->message);
  d->orders_before += file->error == NULL ? (guint)g_atomic_int_get (&run->orders_done) : 0;
  add_file_result (d, file);
  g_clear_pointer (&d->run, file_run_unref);

  d->unit_index++;
  import_next_unit (task);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *d = g_task_get_task_data (task);
  GError *error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      if (d->run_error == NULL)
        d->run_error = error;
      else
        g_error_free (error);
    }
  /* The job may not have run at all (cancelled first, database closed):
   * the producer must not wait for it. */
  file_run_stop (d->run);

  if (--d->pending == 0)
    unit_finished (task);
}

static void
produce_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *d = g_task_get_task_data (task);

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (--d->pending == 0)
    unit_finished (task);
}

typedef struct
{
  PsImportUnit     unit;
  PsImportFormat   format;
  PsImportMapping *mapping;
  PsDatabase      *db;
} OpenData;

static void
open_data_free (OpenData *o)
{
  _ps_import_unit_clear (&o->unit);
  g_clear_pointer (&o->mapping, ps_import_mapping_free);
  g_clear_object (&o->db);
  g_free (o);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenData *o = task_data;
  GError *error = NULL;
  PsImportReader *reader;

  reader = _ps_import_open_unit (&o->unit, o->format, o->mapping, o->db, cancellable, &error);
  if (reader == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reader, (GDestroyNotify)ps_import_reader_free);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *d = g_task_get_task_data (task);
  const PsImportUnit *unit = &g_array_index (d->units, PsImportUnit, d->unit_index);
  PsDatabase *db = ps_context_get_database (d->context);
  PsImportFileResult *file = file_result_new (unit);
  GError *error = NULL;
  PsImportReader *reader;
  GTask *producer;

  reader = g_task_propagate_pointer (G_TASK (result), &error);
  if (reader == NULL)
    {
      file->error = error;
      g_debug ("%s not opened: %s", file->file_name, error->message);
      add_file_result (d, file);
      d->unit_index++;
      import_next_unit (task);
      return;
    }

  file->format = ps_import_reader_get_format (reader);
  file->encoding = g_strdup (ps_import_reader_get_encoding (reader));
  d->run = file_run_new (reader, file);
  d->pending = 2;

  ps_database_run_async (db, write_job, file_run_ref (d->run), (GDestroyNotify)file_run_unref,
                         NULL, g_task_get_cancellable (task), write_done_cb,
                         g_object_ref (task));

  producer = g_task_new (NULL, g_task_get_cancellable (task), produce_done_cb,
                         g_object_ref (task));
  g_task_set_source_tag (producer, produce_thread);
  g_task_set_task_data (producer, file_run_ref (d->run), (GDestroyNotify)file_run_unref);
  g_task_run_in_thread (producer, produce_thread);
  g_object_unref (producer);
}

static void
import_next_unit (GTask *task)
{
  ImportData *d = g_task_get_task_data (task);
  g_autoptr(GTask) opener = NULL;
  OpenData *o;

  if (d->unit_index < d->units->len &&
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    d->cancelled = TRUE;
  if (d->unit_index >= d->units->len || d->cancelled)
    {
      import_complete (task);
      return;
    }

  o = g_new0 (OpenData, 1);
  o->unit.file = g_object_ref (g_array_index (d->units, PsImportUnit, d->unit_index).file);
  o->unit.items = g_array_index (d->units, PsImportUnit, d->unit_index).items;
  if (o->unit.items != NULL)
    g_object_ref (o->unit.items);
  o->format = d->format;
  o->mapping = d->mapping ? ps_import_mapping_copy (d->mapping) : NULL;
  o->db = g_object_ref (ps_context_get_database (d->context));

  opener = g_task_new (NULL, g_task_get_cancellable (task), open_done_cb, g_object_ref (task));
  g_task_set_source_tag (opener, open_thread);
  g_task_set_task_data (opener, o, (GDestroyNotify)open_data_free);
  g_task_run_in_thread (opener, open_thread);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  ImportData *d = task_data;

  GArray *units;

  units = _ps_import_plan_units ((GFile **)d->files->pdata, d->files->len, d->format,
                                 cancellable);
  g_task_return_pointer (task, units, (GDestroyNotify)g_array_unref);
}

static void
plan_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ImportData *d = g_task_get_task_data (task);

  d->units = g_task_propagate_pointer (G_TASK (result), NULL);
  if (d->progress != NULL)
    {
      d->progress_source = g_timeout_source_new (PROGRESS_INTERVAL_MS);
      g_source_set_callback (d->progress_source, progress_cb, task, NULL);
      g_source_set_static_name (d->progress_source, "[ps-import-service] progress");
      g_source_attach (d->progress_source, g_task_get_context (task));
    }
  import_next_unit (task);
}

/**
 * ps_import_service_import_async:
 * @context: a #PsContext
 * @files: (array length=n_files): the export files
 * @n_files: number of @files, at least 1
 * @format: %PS_IMPORT_FORMAT_AUTO to detect each file's dialect, or the
 *   dialect to insist on (%PS_IMPORT_FORMAT_ETSY_ORDERS or _ITEMS accept
 *   either Etsy file)
 * @mapping: (nullable): the column mapping for a layout no dialect knows
 *   (with %PS_IMPORT_FORMAT_GENERIC or _AUTO); without one, a layout
 *   mapped and saved before uses its saved mapping
 * @progress: (nullable) (scope notified): called on the caller's main
 *   context about 12 times a second and at the end of each file
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data when the import ends
 * @cancellable: (nullable): a #GCancellable; cancelling rolls back the file
 *   being imported (files finished before stay) within about 200 ms
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Imports the files one after the other, each in one transaction, with
 * re-imports updating orders by channel and order number (see
 * ps_order_writer_import_order()). An EtsySoldOrders and an
 * EtsySoldOrderItems file among @files are joined into one. Files are read
 * as streams on a thread, so neither their size nor the import blocks the
 * caller. When anything was committed, #PsOrderStore::orders-changed is
 * emitted before @callback runs.
 *
 * Must be called from a thread with a main context (the UI thread, or the
 * CLI's own loop).
 */
void
ps_import_service_import_async (PsContext              *context,
                                GFile                 **files,
                                guint                   n_files,
                                PsImportFormat          format,
                                const PsImportMapping  *mapping,
                                PsImportProgressFunc    progress,
                                gpointer                progress_data,
                                GDestroyNotify          progress_destroy,
                                GCancellable           *cancellable,
                                GAsyncReadyCallback     callback,
                                gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) planner = NULL;
  ImportData *d;

  g_return_if_fail (PS_IS_CONTEXT (context));
  g_return_if_fail (files != NULL && n_files > 0);
  g_return_if_fail (format <= PS_IMPORT_FORMAT_LAST);

  d = g_new0 (ImportData, 1);
  d->context = g_object_ref (context);
  d->format = format;
  d->mapping = mapping != NULL ? ps_import_mapping_copy (mapping) : NULL;
  d->progress = progress;
  d->progress_data = progress_data;
  d->progress_destroy = progress_destroy;
  d->files = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (d->files, g_object_ref (files[i]));
  d->result = g_new0 (PsImportResult, 1);
  d->result->files = g_ptr_array_new_with_free_func ((GDestroyNotify)file_result_free);

  task = g_task_new (context, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_import_service_import_async);
  g_task_set_task_data (task, d, (GDestroyNotify)import_data_free);
  /* Whether a Cancel counts is decided by what it rolled back (see
   * import_complete()), not by the cancellable's state at the end. */
  g_task_set_check_cancellable (task, FALSE);

  planner = g_task_new (NULL, cancellable, plan_done_cb, g_object_ref (task));
  g_task_set_source_tag (planner, plan_thread);
  g_task_set_check_cancellable (planner, FALSE);
  g_task_set_task_data (planner, d, NULL);
  g_task_run_in_thread (planner, plan_thread);
}

/**
 * ps_import_service_import_finish:
 * @context: the #PsContext
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * The result lists every file; a file that could not be imported has its
 * @error set and nothing of it was written. Only when no file could be
 * imported at all does this fail, with the first file's error (a
 * %PS_IMPORT_ERROR the UI can explain, a %PS_STORE_ERROR, or
 * %G_IO_ERROR_CANCELLED).
 *
 * Returns: (transfer full) (nullable): the counts per file and in total
 */
PsImportResult *
ps_import_service_import_finish (PsContext     *context,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (g_task_is_valid (result, context), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_import_service_import_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

