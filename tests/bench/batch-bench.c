/* batch-bench.c: batch-buy N orders through the sandbox, and how smooth the window stays
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: batch-bench DB [N_ORDERS]
 *
 * Needs a display (tests/bench/labels.sh runs it under
 * build-aux/ci-session.sh) and the app's compiled GSettings schema
 * (GSETTINGS_SCHEMA_DIR). DB is a demo database (`postsale-cli demo`, with
 * its sandbox carrier account and ship-from address); it is copied into a
 * temporary directory and only the copy is changed. There N_ORDERS (default
 * 200) US orders without any shipment and without an address issue are
 * picked, newest first, those awaiting shipment before the others, and the
 * others are set to awaiting shipment.
 *
 * Then, as a merchant would: a 1280x800 PsWindow on the copy, the order
 * list loaded, `win.ship-orders` with the ids opens the batch dialog,
 * ps_batch_dialog_start() buys (cheapest rate for each order, our own PDF
 * label drawn for each), and the run ends when the dialog is no longer busy.
 *
 * Frames: a tick callback on each window (the main window and the dialog)
 * queues a redraw every frame, as a spinner would, so each window's
 * GdkFrameClock paints continuously while the batch runs. The time of every
 * "after-paint" (g_get_monotonic_time) is recorded; an interval between two
 * paints (or between the start and the first paint, the last paint and the
 * end) longer than a frame means the main loop was busy for that long.
 *
 * Prints one tab-separated line:
 *   batch BOUGHT FAILED TOTAL_MS LABELS_PER_S FRAMES MAX_MS P99_MS OVER_100
 *         DIALOG_FRAMES DIALOG_MAX_MS DIALOG_OVER_100 MAIN_CPU_MS MAIN_WAIT_MS
 * (FRAMES, MAX_MS, P99_MS and OVER_100 are the main window's; 99th
 * percentile by nearest rank; MAIN_CPU_MS is the main thread's time on a
 * CPU during the batch and MAIN_WAIT_MS its time runnable but waiting for
 * one, from /proc/thread-self/schedstat, "-" without it: a busy machine
 * shows there, not in the app). With BATCH_BENCH_TRACE=1, every interval over
 * 50 ms is printed on stderr with when it happened, how many orders were
 * done by then and how long the main thread ran and waited for a CPU in
 * it, after the same for a second before the batch with nothing running.
 *
 * Afterwards the copy is checked: each picked order must be ready to ship
 * with exactly one live shipment whose stored label is a PDF.
 *
 * Exit status: 0 when every order was bought and stored, 1 when the batch
 * failed for any order (or did not run, or the database disagrees), 2 on
 * usage errors, 77 without a display.
 */

#include "config.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps-application.h"
#include "ps-batch-dialog.h"
#include "ps-database-private.h"
#include "ps-orders-page.h"
#include "ps-window.h"

#define WAIT_LIMIT_S   30
#define BATCH_LIMIT_S 240
#define SLOW_FRAME_MS 100

/* One moment: a painted frame, or the start or end of the batch. */
typedef struct
{
  gint64 time;                /* monotonic µs */
  gint64 on_cpu;              /* the main thread's schedstat, ns */
  gint64 waiting;
  guint  done;                /* orders done by then */
} Sample;

typedef struct
{
  GdkFrameClock *clock;
  gulong         handler;
  GArray        *paints;      /* Sample, each after-paint */
} FrameLog;

static gboolean recording;
static guint    orders_done;
static gint64   last_progress;

/* Database */

typedef struct
{
  guint   n_wanted;
  GArray *ids;
  guint   n_updated;
  guint   n_stored;
} PickArgs;

static gpointer
pick_orders_job (PsDatabase    *db,
                 gpointer       user_data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  PickArgs *args = user_data;
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  /* Orders a label can be bought for: US, a good address, no shipment at
   * all (not even a voided one), awaiting shipment first. Statements come
   * from the database's cache: reset, never finalized. */
  stmt = _ps_database_prepare (db,
                               "SELECT o.id, o.status = 'awaiting_shipment' FROM orders o "
                               "WHERE o.ship_country = 'US' AND o.address_issue = 0 "
                               "AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id) "
                               "ORDER BY o.status = 'awaiting_shipment' DESC, o.id DESC LIMIT ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, args->n_wanted);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (args->ids, id);
      if (sqlite3_column_int (stmt, 1) == 0)
        g_array_append_val (others, id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "picking the orders");
      return NULL;
    }

  /* The copy is ours: what is not awaiting shipment yet becomes so. */
  if (others->len > 0 && !_ps_database_exec (db, "BEGIN", error))
    return NULL;
  for (guint i = 0; i < others->len; i++)
    {
      stmt = _ps_database_prepare (db, "UPDATE orders SET status = 'awaiting_shipment' WHERE id = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, g_array_index (others, gint64, i));
      if (!_ps_database_step_done (db, stmt, error))
        return NULL;
    }
  if (others->len > 0 && !_ps_database_exec (db, "COMMIT", error))
    return NULL;
  args->n_updated = others->len;
  return GINT_TO_POINTER (TRUE);
}

/* How many of the picked orders now have exactly one live shipment with a
 * stored PDF label ("%PDF-"), and are ready to ship. */
static gpointer
check_orders_job (PsDatabase    *db,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  PickArgs *args = user_data;
  guint n_ok = 0;

  for (guint i = 0; i < args->ids->len; i++)
    {
      sqlite3_stmt *stmt = _ps_database_prepare (db,
                                                 "SELECT (SELECT count(*) FROM shipments s JOIN labels l "
                                                 "ON l.shipment_id = s.id WHERE s.order_id = o.id "
                                                 "AND s.voided_at IS NULL AND substr (l.data, 1, 5) = X'255044462D'), "
                                                 "o.status = 'ready_to_ship' FROM orders o WHERE o.id = ?",
                                                 error);
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, g_array_index (args->ids, gint64, i));
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) == 1 && sqlite3_column_int (stmt, 1) == 1)
        n_ok++;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          _ps_database_set_error (db, error, rc, "checking the orders");
          return NULL;
        }
    }
  args->n_stored = n_ok;
  return GINT_TO_POINTER (TRUE);
}

static gboolean
copy_database (const char  *from,
               const char  *to,
               GError     **error)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *src_path = g_strconcat (from, suffixes[i], NULL);
      g_autofree char *dst_path = g_strconcat (to, suffixes[i], NULL);
      g_autoptr(GFile) src = g_file_new_for_path (src_path);
      g_autoptr(GFile) dst = g_file_new_for_path (dst_path);

      if (i > 0 && !g_file_query_exists (src, NULL))
        continue;
      if (!g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

/* Now, with the main thread's time on a CPU and runnable but waiting for
 * one (from /proc/thread-self/schedstat, read on the main thread; -1
 * where the kernel has none). */
static Sample
sample_now (void)
{
  Sample sample = { g_get_monotonic_time (), -1, -1, orders_done };
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/thread-self/schedstat", &text, NULL, NULL) ||
      sscanf (text, "%" G_GINT64_FORMAT " %" G_GINT64_FORMAT, &sample.on_cpu, &sample.waiting) != 2)
    sample.on_cpu = sample.waiting = -1;
  return sample;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop as the app's does (blocking in poll between events)
 * until done (data) or limit_s seconds. */
static gboolean
wait_until (gboolean  (*done) (gpointer data),
            gpointer    data,
            guint       limit_s,
            const char *what)
{
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (limit_s, flag_cb, &timed_out);

  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    {
      g_printerr ("batch-bench: timed out after %u s waiting for %s\n", limit_s, what);
      return FALSE;
    }
  g_source_remove (timeout);
  return TRUE;
}

static void
spin (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, flag_cb, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

/* The first widget of @type in the tree below @widget. */
static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
list_loaded (gpointer data)
{
  PsOrderList *list = ps_orders_page_get_list (data);

  return list != NULL && !ps_order_list_get_loading (list);
}

static gboolean
dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */
  PsBatchDialog **dialog = data;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (PS_IS_BATCH_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *dialog = PS_BATCH_DIALOG (window);
          return gtk_widget_get_frame_clock (GTK_WIDGET (window)) != NULL;
        }
    }
  return FALSE;
}

static gboolean
realized (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_frame_clock (data) != NULL;
}

static gboolean
batch_done (gpointer data)
{
  return !ps_batch_dialog_get_busy (data);
}

/* Frames */

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  /* As a spinner does: something to paint on every frame. */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *clock,
                FrameLog      *log)
{
  Sample now;

  if (!recording)
    return;
  now = sample_now ();
  g_array_append_val (log->paints, now);
}

static void
frame_log_start (FrameLog  *log,
                 GtkWidget *widget)
{
  log->clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  log->paints = g_array_new (FALSE, FALSE, sizeof (Sample));
  log->handler = g_signal_connect (log->clock, "after-paint", G_CALLBACK (after_paint_cb), log);
  gtk_widget_add_tick_callback (widget, tick_cb, NULL, NULL);
}

static void
frame_log_reset (FrameLog *log)
{
  g_array_set_size (log->paints, 0);
}

static void
frame_log_clear (FrameLog *log)
{
  if (log->clock != NULL)
    g_clear_signal_handler (&log->handler, log->clock);
  g_clear_object (&log->clock);
  g_clear_pointer (&log->paints, g_array_unref);
}

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  guint  frames;
  double max_ms;
  double p99_ms;
  guint  over;
} FrameStats;

/* Intervals between start, each paint and end, in ms. */
static FrameStats
frame_log_stats (const FrameLog *log,
                 const Sample   *start,
                 const Sample   *end,
                 const char     *name,
                 gboolean        trace)
{
  FrameStats stats = { log->paints->len, 0, 0, 0 };
  guint n = log->paints->len + 1;
  g_autofree double *ms = g_new (double, n);
  const Sample *previous = start;

  for (guint i = 0; i < n; i++)
    {
      const Sample *s = i < log->paints->len ? &g_array_index (log->paints, Sample, i) : end;

      ms[i] = (s->time - previous->time) / 1000.0;
      if (trace && ms[i] > 50)
        g_printerr ("batch-bench: %s: %.1f ms without a frame, from %.3f s to %.3f s, %u orders done; "
                    "the main thread ran %.1f ms and waited %.1f ms for a CPU\n",
                    name, ms[i], (previous->time - start->time) / 1e6, (s->time - start->time) / 1e6,
                    s->done, (s->on_cpu - previous->on_cpu) / 1e6, (s->waiting - previous->waiting) / 1e6);
      if (ms[i] > SLOW_FRAME_MS)
        stats.over++;
      previous = s;
    }
  qsort (ms, n, sizeof *ms, cmp_double);
  stats.max_ms = ms[n - 1];
  stats.p99_ms = ms[(guint) ((n * 99 + 99) / 100) - 1];
  return stats;
}

/* The failed orders' reasons, as the dialog lists them. */
static void
print_failures (GtkWidget *widget)
{
  if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL &&
      *adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != '\0')
    g_printerr ("batch-bench: %s: %s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    print_failures (child);
}

static void
progress_changed_cb (GtkProgressBar *bar,
                     GParamSpec     *pspec,
                     guint          *n_total)
{
  orders_done = (guint) (gtk_progress_bar_get_fraction (bar) * *n_total + 0.5);
  last_progress = g_get_monotonic_time ();
}

/* The copy, with its -wal, -shm and any backup a migration wrote. */
static void
remove_copy (const char *tmpdir,
             const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_strcmp0 (g_getenv ("BATCH_BENCH_KEEP"), "1") == 0)
    {
      g_printerr ("batch-bench: database kept: %s\n", path);
      return;
    }
  dir = g_dir_open (tmpdir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (tmpdir, name, NULL);

      g_remove (file);
    }
  g_rmdir (tmpdir);
}

/* The window, the dialog, the batch and its frames; prints the line.
 * Returns the exit status. */
static int
run_batch (PsContext *context,
           PickArgs  *pick,
           gboolean   trace)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsApplication) app = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *cpu_ms = NULL;
  g_autofree char *wait_ms = NULL;
  guint n_orders = pick->ids->len;
  PsWindow *window;
  PsOrdersPage *page;
  PsBatchDialog *dialog = NULL;
  GtkProgressBar *bar;
  FrameLog window_log = { 0 }, dialog_log = { 0 };
  FrameStats window_stats, dialog_stats;
  Sample start, end;
  guint bought, failed;
  double total_ms;
  int status = 1;

  app = ps_application_new ("com.example.Postsale.Bench", G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (app), NULL, &error))
    {
      g_printerr ("batch-bench: %s\n", error->message);
      return 1;
    }
  settings = g_settings_new ("com.example.Postsale");
  window = ps_window_new (app, settings);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  ps_window_set_context (window, context);
  page = (PsOrdersPage *) find_type (GTK_WIDGET (window), PS_TYPE_ORDERS_PAGE);
  if (page == NULL ||
      !wait_until (realized, window, WAIT_LIMIT_S, "the window") ||
      !wait_until (list_loaded, page, WAIT_LIMIT_S, "the order list"))
    goto out;
  spin (500);   /* the first rows, the sidebar counts, the reconcile */
  frame_log_start (&window_log, GTK_WIDGET (window));

  if (!gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.ship-orders",
                                           g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, pick->ids->data,
                                                                      n_orders, sizeof (gint64))))
    {
      g_printerr ("batch-bench: the window has no win.ship-orders action\n");
      goto out;
    }
  if (!wait_until (dialog_shown, &dialog, WAIT_LIMIT_S, "the batch dialog"))
    goto out;
  frame_log_start (&dialog_log, GTK_WIDGET (dialog));
  bar = (GtkProgressBar *) find_type (GTK_WIDGET (dialog), GTK_TYPE_PROGRESS_BAR);
  if (bar != NULL)
    g_signal_connect (bar, "notify::fraction", G_CALLBACK (progress_changed_cb), &n_orders);
  spin (300);

  /* The same frames for a second with nothing running: the floor of this
   * display and machine. */
  recording = TRUE;
  start = sample_now ();
  spin (1000);
  end = sample_now ();
  recording = FALSE;
  window_stats = frame_log_stats (&window_log, &start, &end, "idle window", trace);
  dialog_stats = frame_log_stats (&dialog_log, &start, &end, "idle dialog", trace);
  if (trace)
    g_printerr ("batch-bench: idle for %.0f ms: window %u frames, longest %.1f ms; dialog %u frames, "
                "longest %.1f ms\n", (end.time - start.time) / 1000.0, window_stats.frames, window_stats.max_ms,
                dialog_stats.frames, dialog_stats.max_ms);
  frame_log_reset (&window_log);
  frame_log_reset (&dialog_log);

  /* The batch, as the Buy Labels button starts it. */
  recording = TRUE;
  start = sample_now ();
  ps_batch_dialog_start (dialog);
  if (!ps_batch_dialog_get_busy (dialog))
    {
      g_printerr ("batch-bench: the batch did not start\n");
      goto out;
    }
  if (!wait_until (batch_done, dialog, BATCH_LIMIT_S, "the batch"))
    goto out;
  end = sample_now ();
  recording = FALSE;

  bought = ps_batch_dialog_get_n_bought (dialog);
  failed = ps_batch_dialog_get_n_failed (dialog);
  total_ms = (end.time - start.time) / 1000.0;
  window_stats = frame_log_stats (&window_log, &start, &end, "window", trace);
  dialog_stats = frame_log_stats (&dialog_log, &start, &end, "dialog", trace);
  if (trace)
    g_printerr ("batch-bench: %u orders picked, %u of them set to awaiting shipment; "
                "the batch ran from %.6f to %.6f s (CLOCK_MONOTONIC), last progress at %.3f s\n",
                n_orders, pick->n_updated, start.time / 1e6, end.time / 1e6,
                (last_progress - start.time) / 1e6);
  if (failed > 0 || bought != n_orders)
    print_failures (GTK_WIDGET (dialog));

  /* What the dialog counts is what the database holds. */
  if (ps_database_run_sync (ps_context_get_database (context), check_orders_job, pick, NULL, &error) == NULL)
    {
      g_printerr ("batch-bench: %s\n", error->message);
      goto out;
    }
  if (pick->n_stored != bought)
    g_printerr ("batch-bench: the dialog counts %u labels bought, the database has %u of the orders "
                "ready to ship with one PDF label\n", bought, pick->n_stored);

  cpu_ms = start.on_cpu >= 0 && end.on_cpu >= 0 ? g_strdup_printf ("%.0f", (end.on_cpu - start.on_cpu) / 1e6)
                                                : g_strdup ("-");
  wait_ms = start.waiting >= 0 && end.waiting >= 0 ? g_strdup_printf ("%.0f", (end.waiting - start.waiting) / 1e6)
                                                   : g_strdup ("-");
  g_print ("batch\t%u\t%u\t%.0f\t%.1f\t%u\t%.1f\t%.1f\t%u\t%u\t%.1f\t%u\t%s\t%s\n",
           bought, failed, total_ms, bought * 1000.0 / total_ms,
           window_stats.frames, window_stats.max_ms, window_stats.p99_ms, window_stats.over,
           dialog_stats.frames, dialog_stats.max_ms, dialog_stats.over,
           cpu_ms, wait_ms);
  status = failed == 0 && bought == n_orders && pick->n_stored == n_orders ? 0 : 1;

out:
  frame_log_clear (&window_log);
  frame_log_clear (&dialog_log);
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (100);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  guint n_orders = argc > 2 ? (guint) atoi (argv[2]) : 200;
  gboolean trace = g_strcmp0 (g_getenv ("BATCH_BENCH_TRACE"), "1") == 0;
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  PickArgs pick = { n_orders, ids, 0, 0 };
  int status = 1;

  if (argc < 2 || argc > 3 || n_orders == 0)
    {
      g_printerr ("usage: batch-bench DB [N_ORDERS]\n");
      return 2;
    }
  if (!gtk_init_check ())
    {
      g_printerr ("batch-bench: no display (run it under build-aux/ci-session.sh)\n");
      return 77;
    }
  adw_init ();

  /* The bench's own copy of the database. */
  tmpdir = g_dir_make_tmp ("postsale-batch-bench-XXXXXX", &error);
  if (tmpdir == NULL)
    {
      g_printerr ("batch-bench: %s\n", error->message);
      return 1;
    }
  path = g_build_filename (tmpdir, "batch.db", NULL);
  if (!copy_database (argv[1], path, &error))
    g_printerr ("batch-bench: cannot copy %s: %s\n", argv[1], error->message);
  else if ((context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error)) == NULL)
    g_printerr ("batch-bench: cannot open %s: %s\n", argv[1], error->message);
  else if (ps_database_run_sync (ps_context_get_database (context), pick_orders_job, &pick, NULL, &error) == NULL)
    g_printerr ("batch-bench: %s\n", error->message);
  else if (ids->len < n_orders)
    g_printerr ("batch-bench: %s has only %u US orders without shipments; generate more "
                "(postsale-cli demo --orders 10000)\n", argv[1], ids->len);
  else
    status = run_batch (context, &pick, trace);

  g_clear_object (&context);
  remove_copy (tmpdir, path);
  return status;
}
