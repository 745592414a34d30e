/* ps-metrics-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dashboard's numbers. docs/METRICS.md defines each one; this file is
 * what computes them, so the two must say the same.
 *
 * Shipment metrics are read from per-day roll-ups (sql/0008-metrics.sql),
 * never from the million shipment rows: one query reads every roll-up row
 * of the previous period, the period and the 90 days the cost drift looks
 * at, grouped by day × carrier × service × region × currency (a few
 * hundred rows a day), and every tile, series, chart and pattern cell is
 * summed from those rows here. Orders per day come from their own
 * roll-up; the orders awaiting shipment, and the returns (a few percent
 * of orders), are read live through their indexes.
 *
 * Keeping the roll-ups right (ps_metrics_store_refresh_sync(), run
 * before every computation): a day is always rebuilt whole from the base
 * tables. The days to rebuild are those of shipments and orders added
 * since the last refresh (their ids are above the watermarks kept in
 * meta) and those named by events added since then (every change of a
 * shipment or an order writes one: label.created, label.voided,
 * tracking.status_changed, shipment.delivered, order.*). A new time zone,
 * or ids below the watermarks (a purge; the migration's trigger also
 * forgets everything when channels go), rebuilds every day.
 *
 * Everything here runs on the database worker.
 */

#define G_LOG_DOMAIN "ps-metrics-store"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ps-database-private.h"
#include "ps-metrics-store.h"
#include "ps-time.h"

#define HOUR 3600
#define N_BUCKETS 9

static const int bucket_hours[N_BUCKETS] = { 0, 4, 8, 12, 24, 36, 48, 72, 96 };

#define CHANNEL_FILTER \
  "(?3 IS NULL OR channel_id IN (SELECT id FROM channels WHERE name = ?3 COLLATE NOCASE))"

/* Helpers */

static double
ratio (double numerator,
       double denominator)
{
  return denominator > 0 ? numerator / denominator : NAN;
}

static gint64
next_day (gint64     day,
          GTimeZone *tz)
{
  /* 30 hours past a local midnight is inside the next day, even after a
   * 23- or 25-hour day. */
  return ps_time_day_start (day + 30 * HOUR, tz);
}

static int
weekday_of (gint64     day,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_get_day_of_week (local);
}

static gint64
meta_int (PsDatabase *db,
          const char *key)
{
  g_autofree char *value = ps_database_dup_meta (db, key);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : -1;
}

static gboolean
set_meta_int (PsDatabase  *db,
              const char  *key,
              gint64       value,
              GError     **error)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  return ps_database_set_meta (db, key, text, error);
}

static gint64
query_int (PsDatabase  *db,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _ps_database_set_error (db, error, rc, "metrics");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

/* Appends column 0 of every row of @sql (one int parameter) to @times. */
static gboolean
collect_times (PsDatabase  *db,
               const char  *sql,
               gint64       param,
               GArray      *times,
               GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, param);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
      {
        gint64 t = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (times, t);
      }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "metrics");
      return FALSE;
    }
  return TRUE;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* The local midnights of the days @times fall on, each once, sorted. */
static GArray *
days_of_times (GArray    *times,
               GTimeZone *tz)
{
  GArray *days = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 start = 0, end = G_MININT64;

  g_array_sort (times, compare_int64);
  for (guint i = 0; i < times->len; i++)
    {
      gint64 t = g_array_index (times, gint64, i);

      if (t < end)
        continue;
      start = ps_time_day_start (t, tz);
      end = next_day (start, tz);
      g_array_append_val (days, start);
    }
  return days;
}

/* Rebuilding */

static gboolean
rebuild_day (PsDatabase  *db,
             gint64       day,
             gint64       end,
             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "DELETE FROM metrics_ship_days WHERE day = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  stmt = _ps_database_prepare (db, "DELETE FROM metrics_order_days WHERE day = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  /* x.h is the label-to-first-scan time (NULL before the first scan),
   * x.exc whether the shipment ever had an exception: a carrier exception
   * in its tracking history, or a reason set now (a late handoff is
   * flagged on the shipment without a tracking event). */
  stmt = _ps_database_prepare (db,
    "INSERT INTO metrics_ship_days"
    " SELECT ?1, x.channel_id, x.carrier, x.service, x.region, x.currency,"
    "  count(*), count(CASE WHEN x.exc THEN 1 END),"
    "  count(x.delivered_at),"
    "  count(CASE WHEN x.delivered_at <= x.estimated_delivery_at THEN 1 END),"
    "  count(CASE WHEN x.delivered_at IS NOT NULL AND x.estimated_delivery_at IS NULL THEN 1 END),"
    "  count(x.rate_minor), coalesce (sum (x.rate_minor), 0),"
    "  count(x.h), coalesce (sum (x.h), 0),"
    "  count(CASE WHEN x.h < 4 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 4 * 3600 AND x.h < 8 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 8 * 3600 AND x.h < 12 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 12 * 3600 AND x.h < 24 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 24 * 3600 AND x.h < 36 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 36 * 3600 AND x.h < 48 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 48 * 3600 AND x.h < 72 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 72 * 3600 AND x.h < 96 * 3600 THEN 1 END),"
    "  count(CASE WHEN x.h >= 96 * 3600 THEN 1 END)"
    " FROM (SELECT o.channel_id, s.carrier, s.service,"
    "        coalesce (o.ship_region, 'other') AS region,"
    "        coalesce (s.currency, '') AS currency,"
    "        s.delivered_at, s.estimated_delivery_at, s.rate_minor,"
    "        max (s.first_scan_at - s.label_created_at, 0) AS h,"
    "        (coalesce (s.exception_reason, 'none') NOT IN ('none', '')"
    "         OR EXISTS (SELECT 1 FROM tracking_events t"
    "                    WHERE t.shipment_id = s.id AND t.status = 'exception')) AS exc"
    "       FROM shipments s JOIN orders o ON o.id = s.order_id"
    "       WHERE s.label_created_at >= ?1 AND s.label_created_at < ?2"
    "         AND s.voided_at IS NULL) x"
    " GROUP BY 2, 3, 4, 5, 6", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  sqlite3_bind_int64 (stmt, 2, end);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  stmt = _ps_database_prepare (db,
    "INSERT INTO metrics_order_days"
    " SELECT ?1, channel_id, count(*) FROM orders"
    " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY channel_id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, day);
  sqlite3_bind_int64 (stmt, 2, end);
  return _ps_database_step_done (db, stmt, error);
}

static gboolean
refresh_in_transaction (PsDatabase  *db,
                        GTimeZone   *tz,
                        guint       *n_days,
                        GError     **error)
{
  const char *tz_id = g_time_zone_get_identifier (tz);
  g_autofree char *stored_tz = ps_database_dup_meta (db, "metrics_tz");
  gint64 max_ship = meta_int (db, "metrics_max_shipment");
  gint64 max_order = meta_int (db, "metrics_max_order");
  gint64 max_event = meta_int (db, "metrics_max_event");
  gint64 now_ship, now_order, now_event;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) days = NULL;
  gboolean full;

  now_ship = query_int (db, "SELECT coalesce (max (id), 0) FROM shipments", error);
  now_order = query_int (db, "SELECT coalesce (max (id), 0) FROM orders", error);
  now_event = query_int (db, "SELECT coalesce (max (id), 0) FROM events", error);
  if (now_ship < 0 || now_order < 0 || now_event < 0)
    return FALSE;

  full = stored_tz == NULL || g_strcmp0 (stored_tz, tz_id) != 0 ||
         max_ship < 0 || max_order < 0 || max_event < 0 ||
         now_ship < max_ship || now_order < max_order || now_event < max_event;

  if (full)
    {
      gint64 first, last;

      if (!_ps_database_exec (db, "DELETE FROM metrics_ship_days; DELETE FROM metrics_order_days;",
                              error))
        return FALSE;
      first = query_int (db,
                         "SELECT coalesce (min (t), 0) FROM"
                         " (SELECT min (label_created_at) AS t FROM shipments"
                         "  UNION ALL SELECT min (created_at) FROM orders)", error);
      last = query_int (db,
                        "SELECT coalesce (max (t), 0) FROM"
                        " (SELECT max (label_created_at) AS t FROM shipments"
                        "  UNION ALL SELECT max (created_at) FROM orders)", error);
      if (first < 0 || last < 0)
        return FALSE;
      days = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (first > 0)
        for (gint64 day = ps_time_day_start (first, tz); day <= last; day = next_day (day, tz))
          g_array_append_val (days, day);
    }
  else
    {
      if (!collect_times (db, "SELECT label_created_at FROM shipments WHERE id > ?",
                          max_ship, times, error) ||
          !collect_times (db, "SELECT created_at FROM orders WHERE id > ?",
                          max_order, times, error) ||
          !collect_times (db,
                          "SELECT s.label_created_at FROM events e"
                          " JOIN shipments s ON s.id = e.shipment_id WHERE e.id > ?",
                          max_event, times, error) ||
          /* An order's change (its address, so its region) moves all of
           * its shipments. */
          !collect_times (db,
                          "SELECT s.label_created_at FROM events e"
                          " JOIN shipments s ON s.order_id = e.order_id"
                          " WHERE e.id > ? AND e.shipment_id IS NULL",
                          max_event, times, error) ||
          !collect_times (db,
                          "SELECT o.created_at FROM events e"
                          " JOIN orders o ON o.id = e.order_id WHERE e.id > ?",
                          max_event, times, error))
        return FALSE;
      days = days_of_times (times, tz);
    }

  for (guint i = 0; i < days->len; i++)
    {
      gint64 day = g_array_index (days, gint64, i);

      if (!rebuild_day (db, day, next_day (day, tz), error))
        return FALSE;
    }

  if (!ps_database_set_meta (db, "metrics_tz", tz_id, error) ||
      !set_meta_int (db, "metrics_max_shipment", now_ship, error) ||
      !set_meta_int (db, "metrics_max_order", now_order, error) ||
      !set_meta_int (db, "metrics_max_event", now_event, error))
    return FALSE;

  if (n_days != NULL)
    *n_days = days->len;
  return TRUE;
}

/**
 * ps_metrics_store_refresh_sync:
 * @db: the database
 * @tz: the merchant's time zone, which cuts the days
 * @n_days: (out) (optional): how many days were rebuilt
 * @error: return location for an error
 *
 * Brings the roll-ups up to date (see the top of this file): only the
 * days touched since the last refresh are rebuilt, in one transaction.
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_metrics_store_refresh_sync (PsDatabase  *db,
                               GTimeZone   *tz,
                               guint       *n_days,
                               GError     **error)
{
  g_return_val_if_fail (PS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);

  if (!ps_database_begin (db, error))
    return FALSE;
  if (!refresh_in_transaction (db, tz, n_days, error))
    {
      ps_database_rollback (db);
      return FALSE;
    }
  return ps_database_commit (db, error);
}

/* Computing */

typedef struct
{
  gint64 day;
  char  *carrier;
  char  *service;
  char  *region;
  char  *currency;
  gint64 v[13 + N_BUCKETS];
} RollRow;

enum
{
  V_SHIPMENTS, V_EXCEPTIONS, V_DELIVERED, V_ON_TIME, V_NO_ESTIMATE, V_COST_N, V_COST_SUM,
  V_SCANNED, V_SCAN_SECONDS, V_H0,
};

static void
roll_row_clear (gpointer data)
{
  RollRow *row = data;

  g_free (row->carrier);
  g_free (row->service);
  g_free (row->region);
  g_free (row->currency);
}

static void
metrics_row_clear (gpointer data)
{
  PsMetricsRow *row = data;

  for (guint i = 0; i < G_N_ELEMENTS (row->keys); i++)
    g_free (row->keys[i]);
}

static void
metrics_cell_clear (gpointer data)
{
  PsMetricsCell *cell = data;

  g_free (cell->carrier);
  g_free (cell->service);
  g_free (cell->region);
}

/**
 * ps_metrics_data_free:
 * @self: (nullable): metrics
 */
void
ps_metrics_data_free (PsMetricsData *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->days, g_array_unref);
  for (guint i = 0; i < PS_METRIC_N; i++)
    g_clear_pointer (&self->tiles[i].series, g_array_unref);
  for (guint i = 0; i < PS_METRICS_CHART_N; i++)
    g_clear_pointer (&self->charts[i], g_array_unref);
  g_clear_pointer (&self->cells, g_array_unref);
  g_free (self->currency);
  g_free (self);
}

/**
 * ps_metrics_data_get_n_days:
 * @self: metrics
 *
 * Returns: the number of days of the period
 */
guint
ps_metrics_data_get_n_days (const PsMetricsData *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->days->len - 1;
}

/* Where @day is in the sorted @days, or -1. */
static int
day_index (GArray *days,
           gint64  day)
{
  const gint64 *found = bsearch (&day, days->data, days->len, sizeof (gint64), compare_int64);

  return found != NULL ? (int) (found - (const gint64 *) days->data) : -1;
}

/* The window of days read: the previous period, the period, and the 90
 * days before the period's end (cost drift). */
typedef struct
{
  GArray *days;        /* gint64 local midnights, plus the end */
  int     cur;         /* index of the period's first day */
  int     n;           /* days in the window */
  int     drift90;     /* index of the 90-day baseline's first day */
  int     drift14;     /* index of the 14-day average's first day */
  int    *weekday;     /* per day, 1..7 */
  int    *week;        /* per day, the index of its week's first day */
} Window;

static void
window_clear (Window *w)
{
  g_clear_pointer (&w->days, g_array_unref);
  g_clear_pointer (&w->weekday, g_free);
  g_clear_pointer (&w->week, g_free);
}

static void
window_init (Window    *w,
             gint64     from,
             gint64     to,
             GTimeZone *tz)
{
  g_autoptr(GArray) period = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 day;
  guint n_period, n_before;

  for (day = from; day < to; day = next_day (day, tz))
    g_array_append_val (period, day);
  n_period = period->len;
  n_before = MAX (n_period, 90 > n_period ? 90 - n_period : 0);

  w->days = g_array_new (FALSE, FALSE, sizeof (gint64));
  /* Days before @from, walking back one local day at a time. */
  g_array_set_size (w->days, n_before);
  day = from;
  for (guint i = n_before; i > 0; i--)
    {
      day = ps_time_day_start (day - 18 * HOUR, tz);
      g_array_index (w->days, gint64, i - 1) = day;
    }
  g_array_append_vals (w->days, period->data, period->len);
  g_array_append_val (w->days, to);

  w->cur = (int) n_before;
  w->n = (int) (n_before + n_period);
  w->drift90 = MAX (0, w->n - 90);
  w->drift14 = MAX (0, w->n - 14);
  w->weekday = g_new (int, w->n);
  w->week = g_new (int, w->n);
  for (int i = 0; i < w->n; i++)
    {
      w->weekday[i] = weekday_of (g_array_index (w->days, gint64, i), tz);
      /* Weeks start on Monday; the period's first week starts with it. */
      w->week[i] = i > w->cur && w->weekday[i] != 1 ? w->week[i - 1] : i;
    }
}

/* A cached statement of @sql with ?1 = @from, ?2 = @to, ?3 = @channel. */
static sqlite3_stmt *
prepare_period (PsDatabase  *db,
                const char  *sql,
                gint64       from,
                gint64       to,
                const char  *channel,
                GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);
  _ps_bind_text (stmt, 3, channel);
  return stmt;
}

static gboolean
read_roll_rows (PsDatabase  *db,
                Window      *w,
                const char  *channel,
                GArray      *rows,
                GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare_period (db,
    "SELECT day, carrier, service, region, currency,"
    " sum (shipments), sum (exceptions), sum (delivered), sum (on_time), sum (no_estimate),"
    " sum (cost_n), sum (cost_sum), sum (scanned), sum (scan_seconds),"
    " sum (h0), sum (h1), sum (h2), sum (h3), sum (h4), sum (h5), sum (h6), sum (h7), sum (h8)"
    " FROM metrics_ship_days WHERE day >= ?1 AND day < ?2 AND " CHANNEL_FILTER
    " GROUP BY day, carrier, service, region, currency",
    g_array_index (w->days, gint64, 0), g_array_index (w->days, gint64, w->n), channel, error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RollRow row;

      row.day = sqlite3_column_int64 (stmt, 0);
      row.carrier = _ps_column_dup (stmt, 1);
      row.service = _ps_column_dup (stmt, 2);
      row.region = _ps_column_dup (stmt, 3);
      row.currency = _ps_column_dup (stmt, 4);
      for (guint i = 0; i < 9 + N_BUCKETS; i++)
        row.v[i] = sqlite3_column_int64 (stmt, 5 + (int) i);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "metrics");
      return FALSE;
    }
  return TRUE;
}

/* Per-day counts of column 0's times of @sql (params: from, to, channel). */
static gboolean
count_per_day (PsDatabase  *db,
               const char  *sql,
               Window      *w,
               const char  *channel,
               double      *per_day,
               GError     **error)
{
  sqlite3_stmt *stmt = prepare_period (db, sql, g_array_index (w->days, gint64, 0),
                                       g_array_index (w->days, gint64, w->n), channel, error);
  int rc;
  int i = 0;

  if (stmt == NULL)
    return FALSE;
  /* Rows come in time order; walk the days along with them. */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);

      while (i < w->n && t >= g_array_index (w->days, gint64, i + 1))
        i++;
      if (i < w->n)
        per_day[i] += sqlite3_column_double (stmt, 1);
    }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "metrics");
      return FALSE;
    }
  return TRUE;
}

static double
sum_days (const double *per_day,
          int           first,
          int           end)
{
  double total = 0;

  for (int i = first; i < end; i++)
    total += per_day[i];
  return total;
}

/* Fills @tile from per-day numerators and denominators over the window. */
static void
fill_tile (PsMetricsTile *tile,
           const Window  *w,
           const double  *num,
           const double  *den)
{
  int prev = w->cur - (w->n - w->cur);

  tile->numerator = sum_days (num, w->cur, w->n);
  tile->denominator = den != NULL ? sum_days (den, w->cur, w->n) : 1;
  tile->value = ratio (tile->numerator, tile->denominator);
  tile->previous = den != NULL ? ratio (sum_days (num, prev, w->cur), sum_days (den, prev, w->cur))
                               : sum_days (num, prev, w->cur);
  tile->series = g_array_sized_new (FALSE, FALSE, sizeof (double), w->n - w->cur);
  for (int i = w->cur; i < w->n; i++)
    {
      double v = den != NULL ? ratio (num[i], den[i]) : num[i];

      g_array_append_val (tile->series, v);
    }
}

static PsMetricsRow *
row_for (GHashTable *index,
         GArray     *rows,
         gint64      day,
         const char *k0,
         const char *k1)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s", day, k0,
                                          k1 != NULL ? k1 : "");
  gpointer found;
  PsMetricsRow row = { 0 };

  if (g_hash_table_lookup_extended (index, key, NULL, &found))
    return &g_array_index (rows, PsMetricsRow, GPOINTER_TO_UINT (found));
  row.day = day;
  row.keys[0] = g_strdup (k0);
  row.keys[1] = g_strdup (k1);
  g_array_append_val (rows, row);
  g_hash_table_insert (index, g_steal_pointer (&key), GUINT_TO_POINTER (rows->len - 1));
  return &g_array_index (rows, PsMetricsRow, rows->len - 1);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const PsMetricsRow *x = a, *y = b;
  int c;

  if (x->day != y->day)
    return (x->day > y->day) - (x->day < y->day);
  for (guint i = 0; i < G_N_ELEMENTS (x->keys); i++)
    if ((c = g_strcmp0 (x->keys[i], y->keys[i])) != 0)
      return c;
  return 0;
}

/* The shipment side: every tile, chart and cell that comes from the
 * roll-up rows. */
static void
sum_shipments (PsMetricsData *data,
               Window        *w,
               GArray        *rows,
               double         drift_percent,
               double        *orders)
{
  int n = w->n;
  g_autofree double *ships = g_new0 (double, n);
  g_autofree double *excs = g_new0 (double, n);
  g_autofree double *on_time = g_new0 (double, n);
  g_autofree double *with_estimate = g_new0 (double, n);
  g_autofree double *cost_n = g_new0 (double, n);
  g_autofree double *cost_sum = g_new0 (double, n);
  g_autofree double *scanned = g_new0 (double, n);
  g_autofree double *scan_hours = g_new0 (double, n);
  g_autoptr(GHashTable) labels_by_currency = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *idx[3];
  g_autoptr(GHashTable) cell_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) drift = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) week_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            g_free);
  gint64 buckets[N_BUCKETS] = { 0 };
  gint64 best = 0;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < 3; i++)
    idx[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* The dominant currency: the one most of the period's labels were
   * paid in. */
  for (guint r = 0; r < rows->len; r++)
    {
      RollRow *row = &g_array_index (rows, RollRow, r);
      int i = day_index (w->days, row->day);

      if (i >= w->cur && row->currency[0] != '\0')
        {
          gint64 c = GPOINTER_TO_SIZE (g_hash_table_lookup (labels_by_currency, row->currency));

          g_hash_table_insert (labels_by_currency, row->currency,
                               GSIZE_TO_POINTER (c + row->v[V_COST_N]));
        }
    }
  g_hash_table_iter_init (&iter, labels_by_currency);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if ((gint64) GPOINTER_TO_SIZE (value) > best ||
        ((gint64) GPOINTER_TO_SIZE (value) == best && g_strcmp0 (key, data->currency) < 0))
      {
        best = GPOINTER_TO_SIZE (value);
        g_free (data->currency);
        data->currency = g_strdup (key);
      }
  data->mixed_currencies = g_hash_table_size (labels_by_currency) > 1;

  for (guint c = 0; c < PS_METRICS_CHART_N; c++)
    {
      data->charts[c] = g_array_new (FALSE, TRUE, sizeof (PsMetricsRow));
      g_array_set_clear_func (data->charts[c], metrics_row_clear);
    }
  data->cells = g_array_new (FALSE, TRUE, sizeof (PsMetricsCell));
  g_array_set_clear_func (data->cells, metrics_cell_clear);

  for (guint r = 0; r < rows->len; r++)
    {
      RollRow *row = &g_array_index (rows, RollRow, r);
      int i = day_index (w->days, row->day);
      gboolean dominant = g_strcmp0 (row->currency, data->currency) == 0;
      PsMetricsRow *mr;

      if (i < 0)
        continue;

      ships[i] += row->v[V_SHIPMENTS];
      excs[i] += row->v[V_EXCEPTIONS];
      on_time[i] += row->v[V_ON_TIME];
      with_estimate[i] += row->v[V_DELIVERED] - row->v[V_NO_ESTIMATE];
      scanned[i] += row->v[V_SCANNED];
      scan_hours[i] += row->v[V_SCAN_SECONDS] / 3600.0;
      if (dominant)
        {
          cost_n[i] += row->v[V_COST_N];
          cost_sum[i] += row->v[V_COST_SUM];
        }

      /* Cost drift looks at the 90 days ending with the period. */
      if (dominant && i >= w->drift90 && row->v[V_COST_N] > 0)
        {
          g_autofree char *k = g_strdup_printf ("%s\x1f%s", row->carrier, row->service);
          double *d = g_hash_table_lookup (drift, k);

          if (d == NULL)
            {
              d = g_new0 (double, 4);
              g_hash_table_insert (drift, g_steal_pointer (&k), d);
            }
          d[0] += row->v[V_COST_N];
          d[1] += row->v[V_COST_SUM];
          if (i >= w->drift14)
            {
              d[2] += row->v[V_COST_N];
              d[3] += row->v[V_COST_SUM];
            }
        }

      if (i < w->cur)
        continue;

      data->exceptions += row->v[V_EXCEPTIONS];
      data->on_time_no_estimate += row->v[V_NO_ESTIMATE];
      for (guint b = 0; b < N_BUCKETS; b++)
        buckets[b] += row->v[V_H0 + b];

      mr = row_for (idx[0], data->charts[PS_METRICS_CHART_SHIPMENTS_BY_CARRIER], row->day,
                    row->carrier, NULL);
      mr->values[0] += row->v[V_SHIPMENTS];

      mr = row_for (idx[1], data->charts[PS_METRICS_CHART_EXCEPTIONS_BY_REGION], 0,
                    row->carrier, row->region);
      mr->values[0] += row->v[V_SHIPMENTS];
      mr->values[1] += row->v[V_EXCEPTIONS];

      if (dominant && row->v[V_COST_N] > 0)
        {
          mr = row_for (idx[2], data->charts[PS_METRICS_CHART_COST_BY_SERVICE],
                        g_array_index (w->days, gint64, w->week[i]), row->carrier, row->service);
          mr->values[0] += row->v[V_COST_N];
          mr->values[1] += row->v[V_COST_SUM];   /* a sum until the end */
        }
      {
        /* Every label of the week's service, for the drill-down. */
        g_autofree char *k = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s",
                                              g_array_index (w->days, gint64, w->week[i]),
                                              row->carrier, row->service);
        gint64 *labels = g_hash_table_lookup (week_labels, k);

        if (labels == NULL)
          {
            labels = g_new0 (gint64, 1);
            g_hash_table_insert (week_labels, g_steal_pointer (&k), labels);
          }
        *labels += row->v[V_SHIPMENTS];
      }

      {
        g_autofree char *k = g_strdup_printf ("%s\x1f%s\x1f%s\x1f%d", row->carrier, row->service,
                                              row->region, w->weekday[i]);
        gpointer found;
        PsMetricsCell *cell;

        if (!g_hash_table_lookup_extended (cell_index, k, NULL, &found))
          {
            PsMetricsCell fresh = { g_strdup (row->carrier), g_strdup (row->service),
                                    g_strdup (row->region), w->weekday[i], 0, 0 };

            g_array_append_val (data->cells, fresh);
            found = GUINT_TO_POINTER (data->cells->len - 1);
            g_hash_table_insert (cell_index, g_steal_pointer (&k), found);
          }
        cell = &g_array_index (data->cells, PsMetricsCell, GPOINTER_TO_UINT (found));
        cell->shipments += row->v[V_SHIPMENTS];
        cell->exceptions += row->v[V_EXCEPTIONS];
      }
    }

  fill_tile (&data->tiles[PS_METRIC_SHIPMENTS], w, ships, NULL);
  fill_tile (&data->tiles[PS_METRIC_ON_TIME_RATE], w, on_time, with_estimate);
  fill_tile (&data->tiles[PS_METRIC_EXCEPTION_RATE], w, excs, ships);
  fill_tile (&data->tiles[PS_METRIC_AVG_LABEL_COST], w, cost_sum, cost_n);
  fill_tile (&data->tiles[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS], w, scan_hours, scanned);
  (void) orders;

  {
    GArray *chart = data->charts[PS_METRICS_CHART_EXCEPTIONS_BY_REGION];

    for (guint r = 0; r < chart->len; r++)
      {
        PsMetricsRow *mr = &g_array_index (chart, PsMetricsRow, r);

        mr->values[2] = ratio (mr->values[1], mr->values[0]);
      }
  }
  {
    GArray *chart = data->charts[PS_METRICS_CHART_COST_BY_SERVICE];

    for (guint r = 0; r < chart->len; r++)
      {
        PsMetricsRow *mr = &g_array_index (chart, PsMetricsRow, r);
        g_autofree char *k = g_strdup_printf ("%s\x1f%s", mr->keys[0], mr->keys[1]);
        g_autofree char *wk = g_strdup_printf ("%" G_GINT64_FORMAT "\x1f%s\x1f%s", mr->day,
                                               mr->keys[0], mr->keys[1]);
        const double *d = g_hash_table_lookup (drift, k);
        const gint64 *labels = g_hash_table_lookup (week_labels, wk);

        mr->shipments = labels != NULL ? *labels : 0;

        mr->values[1] = ratio (mr->values[1], mr->values[0]);
        if (d != NULL)
          {
            mr->values[2] = ratio (d[3], d[2]);
            mr->values[3] = ratio (d[1], d[0]);
            mr->flag = d[2] > 0 && mr->values[2] > mr->values[3] * (1 + drift_percent / 100.0);
          }
      }
  }
  for (guint b = 0; b < N_BUCKETS; b++)
    {
      PsMetricsRow mr = { 0 };

      mr.keys[0] = b + 1 < N_BUCKETS ? g_strdup_printf ("%d-%d", bucket_hours[b], bucket_hours[b + 1])
                                     : g_strdup_printf ("%d+", bucket_hours[b]);
      mr.values[0] = bucket_hours[b];
      mr.values[1] = b + 1 < N_BUCKETS ? bucket_hours[b + 1] : INFINITY;
      mr.values[2] = buckets[b];
      g_array_append_val (data->charts[PS_METRICS_CHART_SCAN_HOURS], mr);
    }
  for (guint c = 0; c < 3; c++)
    {
      g_array_sort (data->charts[c], compare_rows);
      g_hash_table_unref (idx[c]);
    }
}

static gboolean
read_returns (PsDatabase     *db,
              PsMetricsData  *data,
              Window         *w,
              const char     *channel,
              double         *per_day,
              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* Without a channel, returns alone (returns_requested) answer; the
   * orders are only looked up for their channel. */
  if (!count_per_day (db,
                      channel == NULL
                      ? "SELECT requested_at, 1 FROM returns"
                        " WHERE requested_at >= ?1 AND requested_at < ?2 AND ?3 IS NULL"
                        " ORDER BY requested_at"
                      : "SELECT r.requested_at, 1 FROM returns r"
                        " JOIN orders o ON o.id = r.order_id"
                        " WHERE r.requested_at >= ?1 AND r.requested_at < ?2 AND"
                        " o.channel_id IN (SELECT id FROM channels WHERE name = ?3 COLLATE NOCASE)"
                        " ORDER BY r.requested_at", w, channel, per_day, error))
    return FALSE;

  stmt = prepare_period (db,
    channel == NULL
    ? "SELECT reason, count(*) FROM returns WHERE requested_at >= ?1 AND requested_at < ?2"
      " AND ?3 IS NULL GROUP BY 1 ORDER BY 2 DESC, 1"
    : "SELECT r.reason, count(*) FROM returns r JOIN orders o ON o.id = r.order_id"
      " WHERE r.requested_at >= ?1 AND r.requested_at < ?2 AND"
      " o.channel_id IN (SELECT id FROM channels WHERE name = ?3 COLLATE NOCASE)"
      " GROUP BY 1 ORDER BY 2 DESC, 1", data->from, data->to, channel, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsMetricsRow row = { 0 };

      row.keys[0] = _ps_column_dup (stmt, 0);
      row.values[0] = sqlite3_column_int64 (stmt, 1);
      g_array_append_val (data->charts[PS_METRICS_CHART_RETURNS_BY_REASON], row);
    }
  if (rc != SQLITE_DONE)
    goto failed;

  /* Lines without a SKU are grouped under "". */
  stmt = prepare_period (db,
    "SELECT coalesce (li.sku, ''), min (li.name), count(DISTINCT r.id), sum (ri.quantity)"
    " FROM returns r"
    " JOIN return_items ri ON ri.return_id = r.id"
    " JOIN line_items li ON li.id = ri.line_item_id"
    " WHERE r.requested_at >= ?1 AND r.requested_at < ?2 AND "
    "(?3 IS NULL OR r.order_id IN (SELECT o.id FROM orders o JOIN channels c"
    " ON c.id = o.channel_id WHERE c.name = ?3 COLLATE NOCASE))"
    " GROUP BY 1 ORDER BY 3 DESC, 4 DESC, 1 LIMIT 25", data->from, data->to, channel, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsMetricsRow row = { 0 };

      row.keys[0] = _ps_column_dup (stmt, 0);
      row.keys[1] = _ps_column_dup (stmt, 1);
      row.values[0] = sqlite3_column_int64 (stmt, 2);
      row.values[1] = sqlite3_column_int64 (stmt, 3);
      g_array_append_val (data->charts[PS_METRICS_CHART_RETURNS_BY_PRODUCT], row);
    }
  if (rc != SQLITE_DONE)
    goto failed;
  return TRUE;

failed:
  _ps_database_set_error (db, error, rc, "metrics");
  return FALSE;
}

static gboolean
read_awaiting (PsDatabase     *db,
               PsMetricsData  *data,
               Window         *w,
               const char     *channel,
               GError        **error)
{
  PsMetricsTile *tile = &data->tiles[PS_METRIC_AWAITING_SHIPMENT];
  g_autofree double *per_day = g_new0 (double, w->n);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT count(*), coalesce (min (created_at), 0) FROM orders"
    " WHERE status = 'awaiting_shipment' AND "
    "(?1 IS NULL OR channel_id IN (SELECT id FROM channels WHERE name = ?1 COLLATE NOCASE))",
    error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, channel);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      _ps_database_set_error (db, error, rc, "metrics");
      return FALSE;
    }
  tile->value = tile->numerator = sqlite3_column_int64 (stmt, 0);
  tile->denominator = 1;
  tile->previous = NAN;
  data->awaiting_oldest_at = sqlite3_column_int64 (stmt, 1);

  /* The sparkline: of the orders awaiting shipment now, those placed on
   * each day of the period. */
  if (!count_per_day (db,
                      "SELECT created_at, 1 FROM orders"
                      " WHERE status = 'awaiting_shipment' AND created_at >= ?1"
                      " AND created_at < ?2 AND " CHANNEL_FILTER " ORDER BY created_at",
                      w, channel, per_day, error))
    return FALSE;
  tile->series = g_array_new (FALSE, FALSE, sizeof (double));
  g_array_append_vals (tile->series, per_day + w->cur, w->n - w->cur);
  return TRUE;
}

/**
 * ps_metrics_store_compute_sync:
 * @db: the database
 * @from: the period's start, a local midnight (UTC Unix seconds)
 * @to: its end, a later local midnight, not included
 * @channel: (nullable): only this channel (its name, ignoring ASCII case)
 * @tz: the merchant's time zone
 * @drift_percent: how far (in percent) a service's 14-day average label
 *   cost must rise above its 90-day average to be flagged
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Refreshes the roll-ups, then computes every tile, series, chart and
 * pattern cell of the dashboard for [@from, @to) (docs/METRICS.md).
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the numbers, or %NULL with @error
 */
PsMetricsData *
ps_metrics_store_compute_sync (PsDatabase    *db,
                               gint64         from,
                               gint64         to,
                               const char    *channel,
                               GTimeZone     *tz,
                               double         drift_percent,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(PsMetricsData) data = g_new0 (PsMetricsData, 1);
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (RollRow));
  g_autofree double *orders = NULL;
  g_autofree double *returns = NULL;
  Window w = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  if (to <= from)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "The period ends before it starts: “to” must be after “from”");
      return NULL;
    }
  from = ps_time_day_start (from, tz);
  to = ps_time_day_start (to, tz);
  if (to <= from)
    to = next_day (from, tz);

  if (!ps_metrics_store_refresh_sync (db, tz, &data->rebuilt_days, error))
    return NULL;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  g_array_set_clear_func (rows, roll_row_clear);
  window_init (&w, from, to, tz);
  data->from = from;
  data->to = to;
  data->previous_from = g_array_index (w.days, gint64, w.cur - (w.n - w.cur));
  data->days = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_vals (data->days, &g_array_index (w.days, gint64, w.cur), w.n - w.cur + 1);

  orders = g_new0 (double, w.n);
  returns = g_new0 (double, w.n);

  if (!read_roll_rows (db, &w, channel, rows, error))
    goto out;
  if (!count_per_day (db,
                      "SELECT day, sum (orders) FROM metrics_order_days"
                      " WHERE day >= ?1 AND day < ?2 AND " CHANNEL_FILTER
                      " GROUP BY day ORDER BY day", &w, channel, orders, error))
    goto out;

  sum_shipments (data, &w, rows, drift_percent, orders);
  fill_tile (&data->tiles[PS_METRIC_ORDERS], &w, orders, NULL);

  if (!read_awaiting (db, data, &w, channel, error))
    goto out;
  if (!read_returns (db, data, &w, channel, returns, error))
    goto out;
  fill_tile (&data->tiles[PS_METRIC_RETURNS_RATE], &w, returns, orders);
  data->returns = (gint64) data->tiles[PS_METRIC_RETURNS_RATE].numerator;
  ok = TRUE;

out:
  window_clear (&w);
  return ok ? g_steal_pointer (&data) : NULL;
}
