/* test-dashboard.c: the Dashboard page on a generated demo database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb. The page computes through its own PsMetricsService;
 * the checks compare what it shows with a direct
 * ps_metrics_service_compute_sync() of the same period, formatted here
 * independently, and drill-down counts with ps_order_store_count_sync()
 * and plain SQL run as database jobs. The returns tile and the rows of
 * the returns lists open the orders of the returns they count.
 *
 * With PS_DASHBOARD_SHOTS=DIR the shots test writes the page at 1280×800
 * and 420×800, light and dark, there, and the PDF test its report.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "ps-bar-chart.h"
#include "ps-dashboard-page.h"
#include "ps-database-private.h"
#include "ps-demo.h"
#include "ps-format.h"
#include "ps-order-store.h"
#include "ps-test-ui.h"
#include "ps-time.h"
#include "ps-ui-resources.h"

#define N_DEMO_ORDERS 3000
#define DEMO_NOW      G_GINT64_CONSTANT (1795000000)

static PsContext *context;
static PsMetricsService *service;
static char *tmpdir;

typedef struct
{
  GtkWidget       *window;
  PsDashboardPage *page;
  PsCondition     *condition;    /* the last drill-down */
  char            *title;
  guint            n_drills;
} Fixture;

static void
on_drill_down_cb (PsDashboardPage *page,
                  PsCondition     *condition,
                  const char      *title,
                  Fixture         *fixture)
{
  g_clear_pointer (&fixture->condition, ps_condition_unref);
  g_clear_pointer (&fixture->title, g_free);
  fixture->condition = ps_condition_ref (condition);
  fixture->title = g_strdup (title);
  fixture->n_drills++;
}

static void
wait_computed (PsDashboardPage *page)
{
  ps_test_spin (20);
  PS_TEST_WAIT_UNTIL (!ps_dashboard_page_get_loading (page)
                      && ps_dashboard_page_get_dashboard (page) != NULL,
                      "the dashboard to be computed");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  fixture->window = gtk_window_new ();
  fixture->page = g_object_new (PS_TYPE_DASHBOARD_PAGE, NULL);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (fixture->page));
  gtk_window_set_child (GTK_WINDOW (fixture->window), overlay);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_signal_connect (fixture->page, "drill-down", G_CALLBACK (on_drill_down_cb), fixture);
  ps_dashboard_page_set_context (fixture->page, context);
  g_assert_true (ps_dashboard_page_get_loading (fixture->page));
  wait_computed (fixture->page);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_pointer (&fixture->condition, ps_condition_unref);
  g_clear_pointer (&fixture->title, g_free);
  ps_test_spin (50);
}

static GTimeZone *
tz (void)
{
  return ps_order_store_get_time_zone (ps_context_get_order_store (context));
}

/* What each tile must say, formatted here from the direct computation. */
static char *
expected_value (PsDashboard *dash,
                PsMetric     metric)
{
  double v = dash->data->tiles[metric].value;

  if (isnan (v))
    return g_strdup ("—");
  switch (metric)
    {
    case PS_METRIC_ORDERS:
    case PS_METRIC_SHIPMENTS:
    case PS_METRIC_AWAITING_SHIPMENT:
      return ps_format_count ((gint64) v);
    case PS_METRIC_ON_TIME_RATE:
    case PS_METRIC_EXCEPTION_RATE:
    case PS_METRIC_RETURNS_RATE:
      return g_strdup_printf ("%.1f%%", v * 100);
    case PS_METRIC_AVG_LABEL_COST:
      return ps_format_money ((gint64) llround (v), dash->data->currency);
    case PS_METRIC_AVG_LABEL_TO_SCAN_HOURS:
      return g_strdup_printf ("%.1f h", v);
    default:
      g_assert_not_reached ();
    }
}

static void
assert_tiles_match (PsDashboardPage *page,
                    const char      *channel)
{
  PsDashboard *shown = ps_dashboard_page_get_dashboard (page);
  g_autoptr(PsDashboard) direct = NULL;
  g_autoptr(GError) error = NULL;

  direct = ps_metrics_service_compute_sync (service, shown->data->from, shown->data->to, channel,
                                            NULL, &error);
  g_assert_no_error (error);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      g_autofree char *want = expected_value (direct, m);
      const char *got = ps_tile_get_value (ps_dashboard_page_get_tile (page, m));

      g_test_message ("%s: %s", ps_metric_to_nick (m), got);
      g_assert_cmpstr (got, ==, want);
    }
}

static void
test_tiles (Fixture       *fixture,
            gconstpointer  data)
{
  PsDashboard *dash = ps_dashboard_page_get_dashboard (fixture->page);
  gint64 to = ps_time_day_start (ps_time_day_start (DEMO_NOW, tz ()) + 30 * 3600, tz ());
  double all_orders;

  /* The default period: the last 30 days, today included. */
  g_assert_cmpint (dash->data->to, ==, to);
  g_assert_cmpuint (ps_metrics_data_get_n_days (dash->data), ==, 30);
  g_assert_cmpfloat (dash->data->tiles[PS_METRIC_ORDERS].value, >, 100);
  assert_tiles_match (fixture->page, NULL);
  all_orders = dash->data->tiles[PS_METRIC_ORDERS].value;

  /* A channel. */
  ps_dashboard_page_set_channel (fixture->page, "Etsy");
  wait_computed (fixture->page);
  assert_tiles_match (fixture->page, "Etsy");
  dash = ps_dashboard_page_get_dashboard (fixture->page);
  g_assert_cmpfloat (dash->data->tiles[PS_METRIC_ORDERS].value, <, all_orders);
  g_assert_cmpfloat (dash->data->tiles[PS_METRIC_ORDERS].value, >, 0);
  ps_dashboard_page_set_channel (fixture->page, NULL);

  /* A new period cancels the one under way: the last one asked wins. */
  ps_dashboard_page_set_period (fixture->page, to - 90 * PS_SECONDS_PER_DAY, to);
  ps_dashboard_page_set_period (fixture->page, to - 7 * PS_SECONDS_PER_DAY, to);
  wait_computed (fixture->page);
  dash = ps_dashboard_page_get_dashboard (fixture->page);
  g_assert_cmpuint (ps_metrics_data_get_n_days (dash->data), ==, 7);
  assert_tiles_match (fixture->page, NULL);
}

/* Counting on the database worker, as the Orders page would. */
typedef struct
{
  PsCondition *condition;
  gint64       from;
  gint64       to;
} CountJob;

static gpointer
count_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  CountJob *job = data;
  gint64 n = ps_order_store_count_sync (db, job->condition, DEMO_NOW, tz (), error);

  return n < 0 ? NULL : g_memdup2 (&n, sizeof n);
}

static gint64
run_count (PsDatabaseJob  func,
           CountJob      *job)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *n = ps_database_run_sync (ps_context_get_database (context), func, job, NULL,
                                               &error);

  g_assert_no_error (error);
  return *n;
}

static gint64
count_orders (PsCondition *condition)
{
  CountJob job = { condition, 0, 0 };

  return run_count (count_job, &job);
}

/* The orders with a label in [from, to), voided ones left out: plain SQL. */
static gpointer
shipped_orders_job (PsDatabase    *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CountJob *job = data;
  sqlite3_stmt *stmt;
  gint64 n;

  stmt = _ps_database_prepare (db,
                               "SELECT count(DISTINCT order_id) FROM shipments"
                               " WHERE label_created_at >= ?1 AND label_created_at < ?2"
                               " AND voided_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->from);
  sqlite3_bind_int64 (stmt, 2, job->to);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return g_memdup2 (&n, sizeof n);
}

static gint64
count_shipped_orders (gint64 from,
                      gint64 to)
{
  CountJob job = { NULL, from, to };

  return run_count (shipped_orders_job, &job);
}

/* The orders of the returns requested in [from, to) (with @reason if
 * given): plain SQL, written from docs/METRICS.md. */
typedef struct
{
  gint64      from;
  gint64      to;
  const char *reason;
  gint64      returns;
  gint64      orders;
} ReturnsJob;

static gpointer
returns_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ReturnsJob *job = data;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
                               "SELECT count(*), count(DISTINCT order_id) FROM returns"
                               " WHERE requested_at >= ?1 AND requested_at < ?2"
                               " AND (?3 IS NULL OR reason = ?3)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->from);
  sqlite3_bind_int64 (stmt, 2, job->to);
  sqlite3_bind_text (stmt, 3, job->reason, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  job->returns = sqlite3_column_int64 (stmt, 0);
  job->orders = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

static ReturnsJob
count_returns (gint64      from,
               gint64      to,
               const char *reason)
{
  g_autoptr(GError) error = NULL;
  ReturnsJob job = { from, to, reason, 0, 0 };

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), returns_job, &job,
                                          NULL, &error));
  g_assert_no_error (error);
  return job;
}

static void
test_tile_drill_down (Fixture       *fixture,
                      gconstpointer  data)
{
  PsDashboard *dash = ps_dashboard_page_get_dashboard (fixture->page);
  gint64 shipped = count_shipped_orders (dash->data->from, dash->data->to);
  ReturnsJob returned = count_returns (dash->data->from, dash->data->to, NULL);

  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      PsTile *tile = ps_dashboard_page_get_tile (fixture->page, m);
      const PsDrillDown *drill = &dash->tile_drill[m];
      guint before = fixture->n_drills;
      gint64 count;
      const char *tooltip;

      /* A button's activation shows the press, then clicks. */
      gtk_widget_activate (GTK_WIDGET (tile));
      tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (tile));
      if (drill->condition == NULL)
        {
          /* Nothing to open: no signal, and not a control. */
          ps_test_spin (400);
          g_assert_cmpuint (fixture->n_drills, ==, before);
          g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (tile)));
          g_assert_false (gtk_widget_get_can_target (GTK_WIDGET (tile)));
          continue;
        }
      PS_TEST_WAIT_UNTIL (fixture->n_drills > before, "the tile's drill-down");
      g_assert_cmpuint (fixture->n_drills, ==, before + 1);
      g_assert_true (ps_condition_equal (fixture->condition, drill->condition));
      g_assert_true (g_str_has_prefix (fixture->title,
                                       ps_tile_get_title (tile)));
      count = count_orders (fixture->condition);
      g_test_message ("%s: tile %s, drill-down lists %" G_GINT64_FORMAT " orders%s",
                      ps_metric_to_nick (m), ps_tile_get_value (tile), count,
                      drill->exact ? "" : " (approximately)");
      g_assert_nonnull (tooltip);
      if (!drill->exact)
        {
          g_assert_nonnull (strstr (tooltip, "approximately"));
          continue;
        }
      g_assert_null (strstr (tooltip, "approximately"));
      if (m == PS_METRIC_ORDERS || m == PS_METRIC_AWAITING_SHIPMENT)
        {
          /* The number clicked is the number listed. */
          g_assert_cmpint (count, ==, (gint64) dash->data->tiles[m].value);
          g_assert_cmpint (count, >, 0);
        }
      else if (m == PS_METRIC_RETURNS_RATE)
        {
          /* The orders of the returns counted (the rate's numerator, the
           * tile's returns figure): as many as the returns when no order
           * came back twice in the period. */
          g_assert_cmpint (returned.returns, ==, dash->data->returns);
          g_assert_cmpint (count, ==, returned.orders);
          g_assert_cmpint (count, >, 0);
          g_assert_cmpint (count, <=, dash->data->returns);
          if (returned.orders == returned.returns)
            g_assert_cmpint (count, ==, dash->data->returns);
        }
      else
        {
          /* Shipment numbers list the orders of the shipments counted:
           * all of the period's, or some of them (on time, exceptions,
           * scanned; tests/services/test-metrics.c checks which). */
          if (m == PS_METRIC_SHIPMENTS || m == PS_METRIC_AVG_LABEL_COST)
            g_assert_cmpint (count, ==, shipped);
          else
            g_assert_cmpint (count, <=, shipped);
          g_assert_cmpint (count, <=, (gint64) dash->data->tiles[PS_METRIC_SHIPMENTS].value);
        }
    }
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_chart_drill_down (Fixture       *fixture,
                       gconstpointer  data)
{
  PsBarChart *bars = PS_BAR_CHART (find_widget (GTK_WIDGET (fixture->page), PS_TYPE_BAR_CHART));
  PsDashboard *dash = ps_dashboard_page_get_dashboard (fixture->page);
  GArray *rows = dash->data->charts[PS_METRICS_CHART_SHIPMENTS_BY_CARRIER];
  const PsMetricsRow *last;
  const PsDrillDown *drill;
  g_autofree char *description = NULL;
  int series = -1, category = -1;
  guint before = fixture->n_drills;
  const char *tooltip;

  g_assert_nonnull (bars);
  g_assert_cmpuint (rows->len, >, 0);
  /* The last row is the last day's last carrier: the top segment of the
   * last bar with shipments (carriers are stacked in name order). Point
   * at it as the keyboard would. */
  last = &g_array_index (rows, PsMetricsRow, rows->len - 1);
  drill = &g_array_index (dash->chart_drill[PS_METRICS_CHART_SHIPMENTS_BY_CARRIER], PsDrillDown,
                          rows->len - 1);
  {
    g_autoptr(GPtrArray) carriers = g_ptr_array_new ();

    for (guint i = 0; i < rows->len; i++)
      {
        const char *carrier = g_array_index (rows, PsMetricsRow, i).keys[0];

        if (!g_ptr_array_find_with_equal_func (carriers, carrier, g_str_equal, NULL))
          g_ptr_array_add (carriers, (gpointer) carrier);
      }
    series = 0;
    for (guint i = 0; i < carriers->len; i++)
      series += g_strcmp0 (g_ptr_array_index (carriers, i), last->keys[0]) < 0;
    for (guint d = 0; d < ps_metrics_data_get_n_days (dash->data); d++)
      if (g_array_index (dash->data->days, gint64, d) == last->day)
        category = (int) d;
  }
  g_assert_cmpint (category, >=, 0);
  g_assert_true (ps_bar_chart_set_highlight (bars, series, category));
  g_assert_cmpint (series, >=, 0);
  description = ps_bar_chart_describe_element (bars, series, category);
  g_test_message ("highlighted: %s", description);
  g_assert_nonnull (strstr (description, ps_format_carrier (last->keys[0])));
  tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (bars));
  g_assert_nonnull (tooltip);
  /* Exact since shipment groups: the orders of the day's labels of the
   * carrier. */
  g_assert_true (drill->condition != NULL && drill->exact);
  g_assert_null (strstr (tooltip, "approximately"));

  g_signal_emit_by_name (bars, "segment-activated", series, category);
  g_assert_cmpuint (fixture->n_drills, ==, before + 1);
  g_assert_true (ps_condition_equal (fixture->condition, drill->condition));
  g_assert_nonnull (strstr (fixture->title, ps_format_carrier (last->keys[0])));
  g_assert_cmpint (count_orders (fixture->condition), >=, 1);
  g_assert_cmpint (count_orders (fixture->condition), <=, (gint64) last->values[0]);
}

/* Every list box of the page whose first row can be activated. */
static void
find_lists (GtkWidget *widget,
            GPtrArray *lists)
{
  if (GTK_IS_LIST_BOX (widget))
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (widget), 0);

      if (row != NULL && gtk_list_box_row_get_activatable (row))
        g_ptr_array_add (lists, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_lists (child, lists);
}

/* The returns lists' rows open their orders: activating a row emits the
 * drill-down of its chart row, exact, and the orders listed are those of
 * the returns counted. */
static void
test_returns_drill_down (Fixture       *fixture,
                         gconstpointer  data)
{
  PsDashboard *dash = ps_dashboard_page_get_dashboard (fixture->page);
  g_autoptr(GPtrArray) lists = g_ptr_array_new ();
  gboolean seen[2] = { FALSE, FALSE };

  /* The returns lists and the patterns list: tell them by what they open. */
  find_lists (GTK_WIDGET (fixture->page), lists);
  g_assert_cmpuint (lists->len, >=, 2);
  for (guint l = 0; l < lists->len; l++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (g_ptr_array_index (lists, l), 0);
      guint before = fixture->n_drills;
      PsMetricsChartKind kind;
      const PsMetricsRow *first;
      const PsDrillDown *drill;
      gint64 count;

      g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (row)));
      g_signal_emit_by_name (g_ptr_array_index (lists, l), "row-activated", row);
      g_assert_cmpuint (fixture->n_drills, ==, before + 1);

      if (ps_condition_equal (fixture->condition,
                              g_array_index (dash->chart_drill[PS_METRICS_CHART_RETURNS_BY_REASON],
                                             PsDrillDown, 0).condition))
        kind = PS_METRICS_CHART_RETURNS_BY_REASON;
      else if (ps_condition_equal (fixture->condition,
                                   g_array_index (dash->chart_drill[PS_METRICS_CHART_RETURNS_BY_PRODUCT],
                                                  PsDrillDown, 0).condition))
        kind = PS_METRICS_CHART_RETURNS_BY_PRODUCT;
      else
        continue;   /* the patterns */
      first = &g_array_index (dash->data->charts[kind], PsMetricsRow, 0);
      drill = &g_array_index (dash->chart_drill[kind], PsDrillDown, 0);
      g_assert_true (ps_condition_equal (fixture->condition, drill->condition));
      g_assert_true (drill->exact);
      seen[kind == PS_METRICS_CHART_RETURNS_BY_REASON] = TRUE;
      count = count_orders (fixture->condition);
      g_test_message ("%s: %s, drill-down lists %" G_GINT64_FORMAT " orders of %.0f returns",
                      ps_metrics_chart_kind_to_nick (kind), fixture->title, count,
                      first->values[0]);
      g_assert_cmpint (count, >, 0);
      g_assert_cmpint (count, <=, (gint64) first->values[0]);
      if (kind == PS_METRICS_CHART_RETURNS_BY_REASON)
        {
          ReturnsJob job = count_returns (dash->data->from, dash->data->to, first->keys[0]);

          g_assert_cmpint (job.returns, ==, (gint64) first->values[0]);
          g_assert_cmpint (count, ==, job.orders);
        }
    }
  g_assert_true (seen[0] && seen[1]);
}

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
export_csv_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = ps_dashboard_page_export_csv_finish (PS_DASHBOARD_PAGE (object), result, &wait->error);
  wait->done = TRUE;
}

static void
export_pdf_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = ps_dashboard_page_export_pdf_finish (PS_DASHBOARD_PAGE (object), result, &wait->error);
  wait->done = TRUE;
}

static void
test_export_csv (Fixture       *fixture,
                 gconstpointer  data)
{
  PsDashboard *shown = ps_dashboard_page_get_dashboard (fixture->page);
  g_autoptr(PsDashboard) direct = NULL;
  g_autoptr(GError) error = NULL;

  direct = ps_metrics_service_compute_sync (service, shown->data->from, shown->data->to, NULL,
                                            NULL, &error);
  g_assert_no_error (error);
  for (PsMetricsChartKind k = 0; k < PS_METRICS_CHART_N; k++)
    {
      g_autofree char *name = g_strdup_printf ("%s.csv", ps_metrics_chart_kind_to_nick (k));
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *want = ps_dashboard_chart_to_csv (direct, k);
      g_autofree char *got = NULL;
      Wait wait = { FALSE, };

      ps_dashboard_page_export_csv_async (fixture->page, k, file, NULL, export_csv_cb, &wait);
      g_assert_false (wait.done);    /* never written on the spot */
      PS_TEST_WAIT_UNTIL (wait.done, "the CSV export");
      g_assert_no_error (wait.error);
      g_assert_true (wait.ok);
      g_assert_true (g_file_get_contents (path, &got, NULL, NULL));
      g_assert_cmpstr (got, ==, want);
      g_assert_true (g_str_has_prefix (got, k == PS_METRICS_CHART_SHIPMENTS_BY_CARRIER
                                            ? "date,carrier,shipments\r\n" : ""));
      g_unlink (path);
    }
}

/* The card menu's path: dashboard.export-csv opens a save dialog, and
 * accepting it writes the chart's CSV there. */
static void
test_export_csv_dialog (Fixture       *fixture,
                        gconstpointer  data)
{
  PsMetricsChartKind kind = PS_METRICS_CHART_RETURNS_BY_REASON;
  g_autofree char *path = g_build_filename (tmpdir, "reasons.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *want = ps_dashboard_chart_to_csv (ps_dashboard_page_get_dashboard (fixture->page),
                                                     kind);
  GtkWindow *dialog = NULL;
  g_autofree char *got = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "dashboard.export-csv",
                                             "i", (int) kind));
  PS_TEST_WAIT_UNTIL ((dialog = ps_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL,
                      "the save dialog");
  /* Typed into the name field as a full path (as tests/ui/test-export.c
   * does: the fallback dialog's folder is not what the native chooser
   * reports). */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
  ps_test_spin (100);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  /* The file may be seen while it is being written: wait for all of it. */
  PS_TEST_WAIT_UNTIL (({ g_clear_pointer (&got, g_free);
                         g_file_get_contents (path, &got, NULL, NULL)
                         && strlen (got) >= strlen (want); }), "the CSV file");
  g_assert_cmpstr (got, ==, want);
  g_unlink (path);
}

static void
test_export_pdf (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (tmpdir, "dashboard.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  gsize length = 0;
  Wait wait = { FALSE, };
  const char *orders = ps_tile_get_value (ps_dashboard_page_get_tile (fixture->page,
                                                                      PS_METRIC_ORDERS));
  const char *on_time = ps_tile_get_value (ps_dashboard_page_get_tile (fixture->page,
                                                                       PS_METRIC_ON_TIME_RATE));
  int status = -1;

  ps_dashboard_page_export_pdf_async (fixture->page, file, NULL, export_pdf_cb, &wait);
  g_assert_false (wait.done);
  PS_TEST_WAIT_UNTIL (wait.done, "the PDF export");
  g_assert_no_error (wait.error);
  g_assert_true (wait.ok);
  g_assert_true (g_file_get_contents (path, &bytes, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (bytes, "%PDF"));

  if (pdftotext == NULL)
    {
      g_test_message ("pdftotext (poppler-utils) is not installed: the text is not checked");
      g_unlink (path);
      return;
    }
  {
    const char *argv[] = { pdftotext, "-layout", path, "-", NULL };
    g_autoptr(GError) error = NULL;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &text,
                                 NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_cmpint (status, ==, 0);
  }
  g_test_message ("orders tile %s, on-time tile %s", orders, on_time);
  g_assert_nonnull (strstr (text, "Postsale Dashboard"));
  g_assert_nonnull (strstr (text, orders));
  g_assert_nonnull (strstr (text, on_time));
  g_assert_nonnull (strstr (text, "Shipments per Day by Carrier"));
  g_assert_nonnull (strstr (text, "Patterns"));
  if (g_getenv ("PS_DASHBOARD_SHOTS") != NULL)
    {
      g_autofree char *keep = g_build_filename (g_getenv ("PS_DASHBOARD_SHOTS"), "dashboard.pdf",
                                                NULL);

      g_assert_true (g_file_set_contents (keep, bytes, length, NULL));
    }
  g_unlink (path);
}

static void
save_shot (GtkWidget  *window,
           const char *dir,
           const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (window), height = gtk_widget_get_height (window);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s (%d×%d)", path, width, height);
}

/* The scrolled window of the page's content: the mapped one that scrolls
 * furthest (status pages and combo boxes have their own). */
static GtkScrolledWindow *
find_page_scroller (GtkWidget *widget)
{
  GtkScrolledWindow *best = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkScrolledWindow *found = GTK_IS_SCROLLED_WINDOW (child) && gtk_widget_get_mapped (child)
                                 ? GTK_SCROLLED_WINDOW (child) : find_page_scroller (child);

      if (found != NULL
          && (best == NULL
              || gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (found))
                 > gtk_adjustment_get_upper (gtk_scrolled_window_get_vadjustment (best))))
        best = found;
    }
  return best;
}

/* The whole page, a window's height at a time. */
static void
save_scrolled_shots (GtkWidget  *window,
                     const char *dir,
                     const char *name)
{
  GtkScrolledWindow *scroller = find_page_scroller (window);
  GtkAdjustment *vadj = gtk_scrolled_window_get_vadjustment (scroller);
  guint n = 0;

  for (double y = 0; ; y += gtk_adjustment_get_page_size (vadj))
    {
      g_autofree char *file = g_strdup_printf ("%s-%u.png", name, ++n);

      gtk_adjustment_set_value (vadj, y);
      ps_test_spin (200);
      save_shot (window, dir, file);
      if (y + gtk_adjustment_get_page_size (vadj) >= gtk_adjustment_get_upper (vadj) || n >= 8)
        break;
    }
  gtk_adjustment_set_value (vadj, 0);
}

static void
test_shots (Fixture       *fixture,
            gconstpointer  data)
{
  const char *dir = g_getenv ("PS_DASHBOARD_SHOTS");
  AdwStyleManager *style = adw_style_manager_get_default ();

  if (dir == NULL)
    {
      g_test_skip ("PS_DASHBOARD_SHOTS is not set");
      return;
    }
  ps_test_spin (300);
  save_shot (fixture->window, dir, "dashboard-light.png");
  save_scrolled_shots (fixture->window, dir, "dashboard-light");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  ps_test_spin (300);
  save_shot (fixture->window, dir, "dashboard-dark.png");
  /* Narrower than two chart columns: the page goes to one column, and
   * only then may the window get as narrow as asked. */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 420, 800);
  ps_test_spin (500);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 421, 800);
  ps_test_spin (500);
  save_shot (fixture->window, dir, "dashboard-narrow-dark.png");
  save_scrolled_shots (fixture->window, dir, "dashboard-narrow-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  ps_test_spin (300);
  save_shot (fixture->window, dir, "dashboard-narrow-light.png");
}

/* The app's resources and style sheet, as PsApplication loads them. */
static void
load_app_css (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  g_assert_nonnull (ps_ui_get_resource ());
  gtk_css_provider_load_from_resource (css, "/com/example/Postsale/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

/* The window may be 360 px wide (ps-window.ui): the page must fit once
 * the window is that narrow. */
static void
test_narrow (Fixture       *fixture,
             gconstpointer  data)
{
  int minimum = 0, natural = 0;

  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                      &natural, NULL, NULL);
  /* Two chart columns need more; the page goes to one below 940 px. */
  g_test_message ("the page's minimum width at 1280 px: %d", minimum);
  g_assert_cmpint (minimum, <, 940);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 360, 800);
  ps_test_spin (500);
  gtk_widget_measure (GTK_WIDGET (fixture->page), GTK_ORIENTATION_HORIZONTAL, -1, &minimum,
                      &natural, NULL, NULL);
  g_test_message ("the page's minimum width at 360 px: %d", minimum);
  g_assert_cmpint (minimum, <=, 360);
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_demo_generate (db, data, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, DEMO_NOW);
  g_autoptr(GError) error = NULL;
  PsDemoOptions options = { N_DEMO_ORDERS, 11, DEMO_NOW, FALSE };
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();
  load_app_css ();
  /* "Today" for the page's periods is the demo history's last day. */
  g_setenv ("POSTSALE_NOW", now, TRUE);

  tmpdir = g_dir_make_tmp ("postsale-dashboard-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "dashboard.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options,
                                          NULL, &error));
  g_assert_no_error (error);
  service = ps_metrics_service_new (context);

  g_test_add ("/ui/dashboard/tiles", Fixture, NULL, fixture_setup, test_tiles, fixture_teardown);
  g_test_add ("/ui/dashboard/tile-drill-down", Fixture, NULL, fixture_setup, test_tile_drill_down,
              fixture_teardown);
  g_test_add ("/ui/dashboard/chart-drill-down", Fixture, NULL, fixture_setup,
              test_chart_drill_down, fixture_teardown);
  g_test_add ("/ui/dashboard/returns-drill-down", Fixture, NULL, fixture_setup,
              test_returns_drill_down, fixture_teardown);
  g_test_add ("/ui/dashboard/export-csv", Fixture, NULL, fixture_setup, test_export_csv,
              fixture_teardown);
  g_test_add ("/ui/dashboard/export-csv-dialog", Fixture, NULL, fixture_setup,
              test_export_csv_dialog, fixture_teardown);
  g_test_add ("/ui/dashboard/export-pdf", Fixture, NULL, fixture_setup, test_export_pdf,
              fixture_teardown);
  g_test_add ("/ui/dashboard/narrow", Fixture, NULL, fixture_setup, test_narrow, fixture_teardown);
  g_test_add ("/ui/dashboard/shots", Fixture, NULL, fixture_setup, test_shots, fixture_teardown);

  ret = g_test_run ();
  g_clear_object (&service);
  g_clear_object (&context);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (tmpdir);
  }
  g_free (tmpdir);
  return ret;
}
