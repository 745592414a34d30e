/* test-metrics.c: dashboard metrics, drill-downs and exception patterns
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * - the statistics against values computed by hand (and scipy);
 * - every tile of a small hand-made fixture written through
 *   PsOrderWriter against numbers worked out below, for all channels and
 *   for one, with the previous period, the histogram and the CSV;
 * - the roll-ups follow a change (a new shipment, a void) on the next
 *   computation;
 * - every drill-down marked exact, on the fixture with a split order
 *   added (two shipments that would meet the tests of one shipment
 *   between them) and on the demo: its condition, counted through the
 *   order store, gives the number of distinct orders of the shipments the
 *   element counts, and those shipments, found by plain SQL written here,
 *   are as many as the element's number;
 * - on the demo data: the planted UPS × Pacific Northwest cell is found;
 * - uniform random cells give no pattern.
 */

#define G_LOG_DOMAIN "test-metrics"

#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "ps-database-private.h"
#include "ps-demo.h"
#include "ps-metrics-service.h"
#include "ps-order-store.h"
#include "ps-order-writer.h"
#include "ps-stats.h"

static gint64
utc (int mo, int d, int h)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2026, mo, d, h, 0, 0);

  return g_date_time_to_unix (dt);
}

static char *
temp_db (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-metrics-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "m.db", NULL);
}

/* Statistics */

static void
test_stats_known_values (void)
{
  double low, high;
  gboolean rejected[5];
  const double p[5] = { 0.01, 0.04, 0.03, 0.005, 0.5 };

  /* Wilson 95 % for 14 of 80: (0.10721, 0.27258). */
  ps_stats_wilson_interval (14, 80, 1.959964, &low, &high);
  g_assert_cmpfloat_with_epsilon (low, 0.107206, 1e-5);
  g_assert_cmpfloat_with_epsilon (high, 0.272575, 1e-5);
  ps_stats_wilson_interval (0, 10, 1.959964, &low, &high);
  g_assert_cmpfloat (low, ==, 0.0);
  g_assert_cmpfloat_with_epsilon (high, 0.27753, 1e-4);

  /* P(X ≥ 3), X ~ Bin(10, 0.1) = 0.0701908; P(X ≥ 1) = 1 - 0.9^10. */
  g_assert_cmpfloat_with_epsilon (ps_stats_binomial_sf (3, 10, 0.1), 0.0701908, 1e-6);
  g_assert_cmpfloat_with_epsilon (ps_stats_binomial_sf (1, 10, 0.1), 1 - pow (0.9, 10), 1e-9);
  g_assert_cmpfloat (ps_stats_binomial_sf (0, 10, 0.1), ==, 1.0);
  g_assert_cmpfloat (ps_stats_binomial_sf (11, 10, 0.1), ==, 0.0);
  /* Below the mean: P(X ≥ 2), X ~ Bin(100, 0.05) = 1 - 0.95^100 - 100·0.05·0.95^99. */
  g_assert_cmpfloat_with_epsilon (ps_stats_binomial_sf (2, 100, 0.05),
                                  1 - pow (0.95, 100) - 5 * pow (0.95, 99), 1e-9);
  /* Far in the tail: P(X ≥ 14), X ~ Bin(80, 0.05) = 4.030966e-05. */
  g_assert_cmpfloat_with_epsilon (ps_stats_binomial_sf (14, 80, 0.05), 4.030966e-05, 1e-10);

  /* BH at 5 %: sorted 0.005 0.01 0.03 0.04 0.5 vs 0.01 0.02 0.03 0.04
   * 0.05: the largest rank that passes is 4. */
  g_assert_cmpuint (ps_stats_benjamini_hochberg (p, 5, 0.05, rejected), ==, 4);
  g_assert_true (rejected[0] && rejected[1] && rejected[2] && rejected[3]);
  g_assert_false (rejected[4]);
  g_assert_cmpuint (ps_stats_benjamini_hochberg (p, 5, 0.001, NULL), ==, 0);
}

/* Many cells drawn at one rate, and then the same with one cell at three
 * times that rate. */
static GArray *
random_cells (GRand  *rand,
              double  planted)
{
  static const char * const carriers[] = { "ups", "usps", "fedex", "dhl" };
  static const char * const regions[] = { "us-northeast", "us-midwest", "us-pacific-northwest",
                                          "us-california", "canada" };
  static const char * const services[] = { "ground", "express" };
  static const char * const weekdays[] = { "1", "2", "3", "4", "5", "6", "7" };
  GArray *cells = g_array_new (FALSE, FALSE, sizeof (PsStatsCell));

  for (guint c = 0; c < G_N_ELEMENTS (carriers); c++)
    for (guint r = 0; r < G_N_ELEMENTS (regions); r++)
      for (guint s = 0; s < G_N_ELEMENTS (services); s++)
        for (guint w = 0; w < G_N_ELEMENTS (weekdays); w++)
          {
            PsStatsCell cell = { { carriers[c], regions[r], services[s], weekdays[w] }, 60, 0 };
            double p = c == 0 && r == 2 && planted > 0 ? planted : 0.05;

            for (gint64 i = 0; i < cell.trials; i++)
              cell.successes += g_rand_double (rand) < p;
            g_array_append_val (cells, cell);
          }
  return cells;
}

static void
test_stats_patterns (void)
{
  guint seeds_with_false_alarm = 0;

  for (guint seed = 1; seed <= 20; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GArray) uniform = random_cells (rand, 0);
      g_autoptr(GArray) planted = random_cells (rand, 0.15);
      g_autoptr(GArray) none = NULL;
      g_autoptr(GArray) found = NULL;
      const PsStatsPattern *top;
      guint tested = 0, raw = 0;

      none = ps_stats_find_patterns ((PsStatsCell *) uniform->data, uniform->len, 30, 0.05,
                                     &tested);
      g_assert_cmpuint (tested, >, uniform->len);   /* coarser cells too */
      seeds_with_false_alarm += none->len > 0;

      /* Without the correction, uniform cells would light up: the test
       * above is about the correction, not about luck. */
      for (guint i = 0; i < uniform->len; i++)
        {
          const PsStatsCell *cell = &g_array_index (uniform, PsStatsCell, i);

          raw += ps_stats_binomial_sf (cell->successes, cell->trials, 0.05) < 0.05;
        }
      g_assert_cmpuint (raw, >, 0);

      found = ps_stats_find_patterns ((PsStatsCell *) planted->data, planted->len, 30, 0.05,
                                      NULL);
      g_assert_cmpuint (found->len, >=, 1);
      top = &g_array_index (found, PsStatsPattern, 0);
      g_assert_cmpstr (top->cell.keys[0], ==, "ups");
      g_assert_cmpstr (top->cell.keys[1], ==, "us-pacific-northwest");
      g_assert_cmpfloat (top->ratio, >, 2.0);
      g_assert_cmpfloat (top->q_value, <=, 0.05);
      g_assert_cmpfloat (top->wilson_low, >, top->baseline);
    }
  /* The false discovery rate is 5 %: under no effect at all, a false
   * alarm in about one run in twenty. */
  g_assert_cmpuint (seeds_with_false_alarm, <=, 3);
}

/* The hand-made fixture */

typedef struct
{
  char      *path;
  PsContext *context;
  gint64     orders[6];
} Fixture;

static gint64
add_order (PsOrderWriter *writer,
           const char    *channel,
           const char    *number,
           const char    *country,
           const char    *state,
           PsOrderStatus  status,
           gint64         created_at,
           gint64        *line_id)
{
  g_autoptr(GError) error = NULL;
  PsLineFields line = { "TEE-M", "Tee", NULL, 1, 2000, 200 };
  PsOrderFields order = { 0 };
  gint64 id;

  order.channel_name = channel;
  order.channel_kind = g_str_equal (channel, "Etsy") ? PS_CHANNEL_KIND_ETSY : PS_CHANNEL_KIND_SHOPIFY;
  order.order_number = number;
  order.ship_name = "Someone";
  order.ship_line1 = "1 Main St";
  order.ship_city = "Town";
  order.ship_country = country;
  order.ship_state = state;
  order.ship_postcode = "12345";
  order.status = status;
  order.currency = "USD";
  order.total_minor = 2000;
  order.created_at = created_at;
  id = ps_order_writer_add_order (writer, &order, &line, 1, line_id, &error);
  g_assert_no_error (error);
  return id;
}

static gint64
add_shipment (PsOrderWriter *writer,
              gint64         order_id,
              const char    *carrier,
              const char    *service,
              gint64         rate,
              gint64         label,
              gint64         scan,
              gint64         estimated,
              gint64         delivered,
              gint64         voided,
              PsExceptionReason reason)
{
  g_autoptr(GError) error = NULL;
  PsShipmentFields s = { 0 };
  gint64 id;

  s.order_id = order_id;
  s.carrier = carrier;
  s.service = service;
  s.tracking_number = "1Z";
  s.tracking_status = delivered ? PS_TRACKING_STATUS_DELIVERED
                                : reason != PS_EXCEPTION_REASON_NONE ? PS_TRACKING_STATUS_PRE_TRANSIT
                                                                     : PS_TRACKING_STATUS_IN_TRANSIT;
  s.exception_reason = reason;
  s.currency = "USD";
  s.rate_minor = rate;
  s.label_created_at = label;
  s.first_scan_at = scan;
  s.estimated_delivery_at = estimated;
  s.delivered_at = delivered;
  s.voided_at = voided;
  id = ps_order_writer_add_shipment (writer, &s, &error);
  g_assert_no_error (error);
  return id;
}

static gpointer
write_fixture_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  Fixture *f = data;
  PsOrderWriter *writer;
  gint64 line1 = 0, line, s2, ret;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  ps_order_writer_set_now (writer, utc (11, 18, 12));

  /* The period is [Nov 1, Nov 11), the previous one [Oct 22, Nov 1). */
  f->orders[0] = add_order (writer, "Etsy", "#1", "US", "WA", PS_ORDER_STATUS_DELIVERED,
                            utc (11, 2, 12), &line1);
  add_shipment (writer, f->orders[0], "ups", "ground", 1000, utc (11, 2, 14), utc (11, 2, 20),
                utc (11, 5, 20), utc (11, 5, 10), 0, PS_EXCEPTION_REASON_NONE);

  f->orders[1] = add_order (writer, "Etsy", "#2", "US", "OH", PS_ORDER_STATUS_DELIVERED,
                            utc (11, 3, 12), &line);
  s2 = add_shipment (writer, f->orders[1], "ups", "ground", 2000, utc (11, 3, 13),
                     utc (11, 4, 13), utc (11, 6, 0), utc (11, 7, 15), 0,
                     PS_EXCEPTION_REASON_NONE);
  g_assert_true (ps_order_writer_add_tracking_event (writer, s2, utc (11, 5, 9),
                                                     PS_TRACKING_STATUS_EXCEPTION,
                                                     PS_EXCEPTION_REASON_DELAY, "Delayed", NULL,
                                                     NULL));
  /* Voided: left out of everything. */
  add_shipment (writer, f->orders[1], "fedex", "ground", 5000, utc (11, 3, 13), 0, 0, 0,
                utc (11, 3, 14), PS_EXCEPTION_REASON_NONE);

  f->orders[2] = add_order (writer, "Shopify", "#3", "CA", "ON", PS_ORDER_STATUS_SHIPPED,
                            utc (11, 5, 12), &line);
  add_shipment (writer, f->orders[2], "usps", "priority", 3000, utc (11, 6, 10), 0, 0, 0, 0,
                PS_EXCEPTION_REASON_LATE_HANDOFF);

  f->orders[3] = add_order (writer, "Shopify", "#4", "US", "NY",
                            PS_ORDER_STATUS_AWAITING_SHIPMENT, utc (11, 6, 12), &line);
  f->orders[4] = add_order (writer, "Etsy", "#5", "US", "OR", PS_ORDER_STATUS_DELIVERED,
                            utc (10, 25, 12), &line);
  add_shipment (writer, f->orders[4], "ups", "ground", 1500, utc (10, 25, 14), utc (10, 25, 16),
                utc (10, 29, 20), utc (10, 28, 12), 0, PS_EXCEPTION_REASON_NONE);
  f->orders[5] = add_order (writer, "Etsy", "#6", "US", "TX", PS_ORDER_STATUS_AWAITING_SHIPMENT,
                            utc (11, 9, 12), &line);

  ret = ps_order_writer_add_return (writer, f->orders[0], PS_RETURN_REASON_WRONG_SIZE,
                                    PS_RETURN_STATUS_REQUESTED, utc (11, 8, 12), 0, 0, error);
  g_assert_cmpint (ret, >, 0);
  g_assert_true (ps_order_writer_add_return_item (writer, ret, line1, 1, error));

  if (!ps_order_writer_flush (writer, error))
    return NULL;
  ps_order_writer_free (writer);
  if (!ps_database_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = temp_db ();
  f->context = ps_context_open (f->path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context),
                                          write_fixture_job, f, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->context);
  g_free (f->path);
}

static PsDashboard *
compute (PsContext  *context,
         gint64      from,
         gint64      to,
         const char *channel)
{
  g_autoptr(PsMetricsService) service = ps_metrics_service_new (context);
  g_autoptr(GError) error = NULL;
  PsDashboard *dash;

  dash = ps_metrics_service_compute_sync (service, from, to, channel, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dash);
  return dash;
}

typedef struct
{
  PsCondition *condition;
  GTimeZone   *tz;
  gint64       count;
} CountJob;

static gpointer
count_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  CountJob *job = data;

  /* Conditions without day counts: now does not matter. */
  job->count = ps_order_store_search_count_sync (db, job->condition, NULL, utc (11, 18, 12),
                                                 job->tz, cancellable, error);
  return job->count >= 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

static gint64
count_orders (PsContext   *context,
              PsCondition *condition)
{
  g_autoptr(GError) error = NULL;
  CountJob job = { condition,
                   ps_order_store_get_time_zone (ps_context_get_order_store (context)), -1 };

  g_assert_nonnull (condition);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), count_job, &job,
                                          NULL, &error));
  g_assert_no_error (error);
  return job.count;
}

static void
test_fixture_tiles (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PsDashboard) dash = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), NULL);
  g_autoptr(PsDashboard) etsy = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), "etsy");
  const PsMetricsData *d = dash->data;
  const PsMetricsTile *t = d->tiles;
  g_autofree char *csv = NULL;

  g_assert_cmpuint (ps_metrics_data_get_n_days (d), ==, 10);
  g_assert_cmpint (d->previous_from, ==, utc (10, 22, 0));

  g_assert_cmpfloat (t[PS_METRIC_ORDERS].value, ==, 5);
  g_assert_cmpfloat (t[PS_METRIC_ORDERS].previous, ==, 1);
  g_assert_cmpfloat (t[PS_METRIC_SHIPMENTS].value, ==, 3);
  g_assert_cmpfloat (t[PS_METRIC_SHIPMENTS].previous, ==, 1);
  g_assert_cmpfloat (t[PS_METRIC_AWAITING_SHIPMENT].value, ==, 2);
  g_assert_true (isnan (t[PS_METRIC_AWAITING_SHIPMENT].previous));
  g_assert_cmpint (d->awaiting_oldest_at, ==, utc (11, 6, 12));
  g_assert_cmpfloat (t[PS_METRIC_ON_TIME_RATE].value, ==, 0.5);
  g_assert_cmpfloat (t[PS_METRIC_ON_TIME_RATE].previous, ==, 1.0);
  g_assert_cmpint (d->exceptions, ==, 2);
  g_assert_cmpfloat_with_epsilon (t[PS_METRIC_EXCEPTION_RATE].value, 2.0 / 3.0, 1e-12);
  g_assert_cmpfloat (t[PS_METRIC_EXCEPTION_RATE].previous, ==, 0.0);
  g_assert_cmpfloat (t[PS_METRIC_AVG_LABEL_COST].value, ==, 2000);
  g_assert_cmpfloat (t[PS_METRIC_AVG_LABEL_COST].previous, ==, 1500);
  g_assert_cmpstr (d->currency, ==, "USD");
  g_assert_false (d->mixed_currencies);
  g_assert_cmpfloat (t[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS].value, ==, 15);
  g_assert_cmpfloat (t[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS].previous, ==, 2);
  g_assert_cmpfloat (t[PS_METRIC_RETURNS_RATE].value, ==, 0.2);
  g_assert_cmpint (d->returns, ==, 1);

  /* Series: one value per day; orders on Nov 2, 3, 5, 6, 9. */
  g_assert_cmpuint (t[PS_METRIC_ORDERS].series->len, ==, 10);
  g_assert_cmpfloat (g_array_index (t[PS_METRIC_ORDERS].series, double, 1), ==, 1);
  g_assert_cmpfloat (g_array_index (t[PS_METRIC_ORDERS].series, double, 0), ==, 0);
  g_assert_cmpfloat (g_array_index (t[PS_METRIC_ORDERS].series, double, 8), ==, 1);
  g_assert_true (isnan (g_array_index (t[PS_METRIC_ON_TIME_RATE].series, double, 0)));

  /* Histogram: 6 h in [4, 8), 24 h in [24, 36). */
  {
    GArray *h = d->charts[PS_METRICS_CHART_SCAN_HOURS];

    g_assert_cmpuint (h->len, ==, 9);
    g_assert_cmpfloat (g_array_index (h, PsMetricsRow, 1).values[2], ==, 1);
    g_assert_cmpfloat (g_array_index (h, PsMetricsRow, 4).values[2], ==, 1);
    g_assert_cmpfloat (g_array_index (h, PsMetricsRow, 0).values[2], ==, 0);
  }
  /* Exceptions by carrier × region: ups to the Midwest 1 of 1. */
  {
    GArray *c = d->charts[PS_METRICS_CHART_EXCEPTIONS_BY_REGION];
    gboolean seen = FALSE;

    for (guint i = 0; i < c->len; i++)
      {
        const PsMetricsRow *r = &g_array_index (c, PsMetricsRow, i);

        if (g_str_equal (r->keys[0], "ups") && g_str_equal (r->keys[1], "us-midwest"))
          {
            seen = TRUE;
            g_assert_cmpfloat (r->values[0], ==, 1);
            g_assert_cmpfloat (r->values[1], ==, 1);
          }
        g_assert_cmpstr (r->keys[0], !=, "fedex");
      }
    g_assert_true (seen);
  }
  g_assert_cmpuint (d->charts[PS_METRICS_CHART_RETURNS_BY_REASON]->len, ==, 1);
  g_assert_cmpstr (g_array_index (d->charts[PS_METRICS_CHART_RETURNS_BY_REASON], PsMetricsRow,
                                  0).keys[0], ==, "wrong_size");
  g_assert_cmpstr (g_array_index (d->charts[PS_METRICS_CHART_RETURNS_BY_PRODUCT], PsMetricsRow,
                                  0).keys[0], ==, "TEE-M");

  csv = ps_dashboard_chart_to_csv (dash, PS_METRICS_CHART_RETURNS_BY_REASON);
  g_assert_cmpstr (csv, ==, "reason,returns\r\nwrong_size,1\r\n");

  /* One channel. */
  g_assert_cmpfloat (etsy->data->tiles[PS_METRIC_ORDERS].value, ==, 3);
  g_assert_cmpfloat (etsy->data->tiles[PS_METRIC_SHIPMENTS].value, ==, 2);
  g_assert_cmpfloat (etsy->data->tiles[PS_METRIC_AWAITING_SHIPMENT].value, ==, 1);

  /* Drill-downs of the exact tiles list as many orders (shipments: the
   * orders of the shipments, #1, #2 and #3). */
  g_assert_true (dash->tile_drill[PS_METRIC_ORDERS].exact);
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_ORDERS].condition), ==, 5);
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_SHIPMENTS].condition), ==, 3);
  g_assert_cmpint (count_orders (f->context,
                                 dash->tile_drill[PS_METRIC_AWAITING_SHIPMENT].condition), ==, 2);
  g_assert_cmpint (count_orders (f->context, etsy->tile_drill[PS_METRIC_ORDERS].condition), ==, 3);
}

static gpointer
change_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Fixture *f = data;
  PsOrderWriter *writer = ps_order_writer_new (db);

  /* A new label on Nov 4, and the Nov 6 label voided (with its event). */
  add_shipment (writer, f->orders[0], "dhl", "express", 9000, utc (11, 4, 9), 0, 0, 0, 0,
                PS_EXCEPTION_REASON_NONE);
  if (!_ps_database_exec (db, "UPDATE shipments SET voided_at = 1 WHERE carrier = 'usps'", error))
    return NULL;
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_LABEL_VOIDED, utc (11, 18, 0),
                                 f->orders[2], 0, 0, "merchant", NULL, error) == 0)
    return NULL;
  if (!ps_order_writer_flush (writer, error))
    return NULL;
  ps_order_writer_free (writer);
  return GINT_TO_POINTER (TRUE);
}

static void
test_fixture_incremental (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PsDashboard) before = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), NULL);
  g_autoptr(PsDashboard) again = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), NULL);
  g_autoptr(PsDashboard) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (again->data->rebuilt_days, ==, 0);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), change_job, f,
                                          NULL, &error));
  g_assert_no_error (error);

  after = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), NULL);
  g_assert_cmpuint (after->data->rebuilt_days, >=, 2);
  g_assert_cmpuint (after->data->rebuilt_days, <=, 6);
  /* +1 dhl, -1 usps */
  g_assert_cmpfloat (after->data->tiles[PS_METRIC_SHIPMENTS].value, ==, 3);
  g_assert_cmpint (after->data->exceptions, ==, 1);
  g_assert_cmpfloat (after->data->tiles[PS_METRIC_AVG_LABEL_COST].value, ==, 4000);
}

/* Exact drill-downs */

typedef struct
{
  GString *where;      /* on shipments s JOIN orders o */
  gint64   params[4];  /* ?1 .. ?4 */
  char    *texts[3];   /* ?5 .. ?7 */
  char    *channel;    /* ?8 */
  gint64   shipments;
  gint64   orders;
} ShipJob;

static gpointer
ship_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  ShipJob *job = data;
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*), count(DISTINCT s.order_id) FROM shipments s JOIN orders o ON o.id = s.order_id"
    " WHERE s.voided_at IS NULL AND s.label_created_at >= ?1 AND s.label_created_at < ?2"
    " AND (?8 IS NULL OR o.channel_id IN (SELECT id FROM channels WHERE name = ?8 COLLATE NOCASE))"
    " AND (%s)", job->where->str);
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);

  if (stmt == NULL)
    return NULL;
  for (int i = 0; i < 4; i++)
    sqlite3_bind_int64 (stmt, i + 1, job->params[i]);
  for (int i = 0; i < 3; i++)
    sqlite3_bind_text (stmt, i + 5, job->texts[i], -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, job->channel, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  job->shipments = sqlite3_column_int64 (stmt, 0);
  job->orders = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

#define EVER_EXCEPTION \
  "(coalesce (s.exception_reason, 'none') NOT IN ('none', '') OR EXISTS (SELECT 1" \
  " FROM tracking_events t WHERE t.shipment_id = s.id AND t.status = 'exception'))"

/* @n_counted @things (shipments, returns) were found by SQL written from
 * docs/METRICS.md; the element says @expected. @drill, if exact, must list
 * exactly their @n_orders orders. Returns whether it was exact. */
static gboolean
check_counted (PsContext         *context,
               const PsDrillDown *drill,
               const char        *what,
               const char        *things,
               gint64             n_counted,
               double             expected,
               gint64             n_orders)
{
  gint64 counted;

  if (n_counted != (gint64) expected)
    g_error ("%s: %" G_GINT64_FORMAT " %s, the element says %g", what, n_counted, things,
             expected);
  if (!drill->exact)
    return FALSE;
  counted = count_orders (context, drill->condition);
  if (counted != n_orders)
    {
      g_autofree char *json = ps_condition_to_string (drill->condition);

      g_error ("%s: the drill-down lists %" G_GINT64_FORMAT " orders, the %" G_GINT64_FORMAT
               " %s counted are of %" G_GINT64_FORMAT "\n  %s", what, counted, n_counted,
               things, n_orders, json);
    }
  return TRUE;
}

/* The shipments labelled in [@from, @to) that pass @where (written here,
 * from docs/METRICS.md, not from the metrics code) must be @expected
 * many, and @drill, if exact, must list exactly their orders. Returns
 * whether it was exact. */
static gboolean
check_drill (PsContext         *context,
             const PsDrillDown *drill,
             const char        *channel,
             gint64             from,
             gint64             to,
             double             expected,
             const char        *what,
             const char        *where,
             ...)
{
  g_autoptr(GError) error = NULL;
  ShipJob job = { g_string_new (where), { from, to, 0, 0 }, { NULL }, (char *) channel, 0, 0 };
  va_list args;

  va_start (args, where);
  for (int i = 2; i < 4; i++)
    job.params[i] = va_arg (args, gint64);
  for (int i = 0; i < 3; i++)
    job.texts[i] = va_arg (args, char *);
  va_end (args);

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), ship_job, &job,
                                          NULL, &error));
  g_assert_no_error (error);
  g_string_free (job.where, TRUE);
  return check_counted (context, drill, what, "shipments", job.shipments, expected, job.orders);
}

/* Checks every shipment tile, chart element and pattern of @dash; returns
 * how many were exact. */
static guint
check_exact_drills (PsContext   *context,
                    PsDashboard *dash,
                    const char  *channel)
{
  const PsMetricsData *d = dash->data;
  const PsMetricsTile *t = d->tiles;
  guint n = 0;
  GArray *rows;

  n += check_drill (context, &dash->tile_drill[PS_METRIC_SHIPMENTS], channel, d->from, d->to,
                    t[PS_METRIC_SHIPMENTS].value, "shipments", "1", 0, 0, NULL, NULL, NULL);
  n += check_drill (context, &dash->tile_drill[PS_METRIC_ON_TIME_RATE], channel, d->from, d->to,
                    t[PS_METRIC_ON_TIME_RATE].denominator, "on_time_rate",
                    "s.delivered_at IS NOT NULL AND s.estimated_delivery_at IS NOT NULL",
                    0, 0, NULL, NULL, NULL);
  n += check_drill (context, &dash->tile_drill[PS_METRIC_EXCEPTION_RATE], channel, d->from, d->to,
                    t[PS_METRIC_EXCEPTION_RATE].numerator, "exception_rate", EVER_EXCEPTION,
                    0, 0, NULL, NULL, NULL);
  n += check_drill (context, &dash->tile_drill[PS_METRIC_AVG_LABEL_COST], channel, d->from, d->to,
                    dash->tile_drill[PS_METRIC_AVG_LABEL_COST].exact
                      ? t[PS_METRIC_AVG_LABEL_COST].denominator : t[PS_METRIC_SHIPMENTS].value,
                    "avg_label_cost_minor", "1", 0, 0, NULL, NULL, NULL);
  n += check_drill (context, &dash->tile_drill[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS], channel,
                    d->from, d->to, t[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS].denominator,
                    "avg_label_to_scan_hours", "s.first_scan_at IS NOT NULL",
                    0, 0, NULL, NULL, NULL);

  rows = d->charts[PS_METRICS_CHART_SHIPMENTS_BY_CARRIER];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = &g_array_index (dash->chart_drill[0], PsDrillDown, i);

      n += check_drill (context, drill, channel, r->day, r->day + 86400, r->values[0],
                        "shipments_by_carrier", "s.carrier = ?5", 0, 0, r->keys[0], NULL, NULL);
    }
  rows = d->charts[PS_METRICS_CHART_EXCEPTIONS_BY_REGION];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = &g_array_index (dash->chart_drill[1], PsDrillDown, i);

      n += check_drill (context, drill, channel, d->from, d->to, r->values[0],
                        "exceptions_by_region",
                        "s.carrier = ?5 AND coalesce (o.ship_region, 'other') = ?6",
                        0, 0, r->keys[0], r->keys[1], NULL);
    }
  rows = d->charts[PS_METRICS_CHART_COST_BY_SERVICE];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = &g_array_index (dash->chart_drill[2], PsDrillDown, i);

      /* Weeks start on Monday (UTC here) or with the period. */
      n += check_drill (context, drill, channel, MAX (r->day, d->from),
                        MIN (r->day - (r->day / 86400 + 3) % 7 * 86400 + 7 * 86400, d->to),
                        r->shipments, "cost_by_service", "s.carrier = ?5 AND s.service = ?6",
                        0, 0, r->keys[0], r->keys[1], NULL);
      if (drill->exact)
        g_assert_cmpint (r->shipments, ==, (gint64) r->values[0]);
    }
  rows = d->charts[PS_METRICS_CHART_SCAN_HOURS];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = &g_array_index (dash->chart_drill[3], PsDrillDown, i);

      n += check_drill (context, drill, channel, d->from, d->to, r->values[2], "scan_hours",
                        "s.first_scan_at IS NOT NULL"
                        " AND max (s.first_scan_at - s.label_created_at, 0) >= ?3"
                        " AND (?4 < 0 OR max (s.first_scan_at - s.label_created_at, 0) < ?4)",
                        (gint64) r->values[0] * 3600,
                        isinf (r->values[1]) ? (gint64) -1 : (gint64) r->values[1] * 3600,
                        NULL, NULL, NULL);
    }
  for (guint i = 0; i < dash->patterns->len; i++)
    {
      const PsDashboardPattern *p = &g_array_index (dash->patterns, PsDashboardPattern, i);

      /* Weekday 1..7 from Monday; 1970-01-01 was a Thursday. */
      n += check_drill (context, &p->drill, channel, d->from, d->to, p->shipments, "pattern",
                        "(?5 IS NULL OR s.carrier = ?5) AND (?6 IS NULL OR s.service = ?6)"
                        " AND (?7 IS NULL OR coalesce (o.ship_region, 'other') = ?7)"
                        " AND (?3 = 0 OR (s.label_created_at / 86400 + 3) % 7 + 1 = ?3)",
                        (gint64) p->weekday, 0, p->carrier, p->service, p->region);
    }
  return n;
}

typedef struct
{
  gint64      from;
  gint64      to;
  const char *channel;
  const char *reason;
  const char *sku;
  gint64      returns;
  gint64      orders;
} ReturnJob;

/* The returns requested in [from, to) of the channel's orders, with the
 * reason and a line of the SKU when given: written here from
 * docs/METRICS.md, not from the metrics code. */
static gpointer
return_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  ReturnJob *job = data;
  sqlite3_stmt *stmt = _ps_database_prepare (db,
    "SELECT count(DISTINCT r.id), count(DISTINCT r.order_id) FROM returns r"
    " JOIN orders o ON o.id = r.order_id"
    " WHERE r.requested_at >= ?1 AND r.requested_at < ?2"
    " AND (?3 IS NULL OR o.channel_id IN (SELECT id FROM channels WHERE name = ?3 COLLATE NOCASE))"
    " AND (?4 IS NULL OR r.reason = ?4)"
    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM return_items ri JOIN line_items li"
    "      ON li.id = ri.line_item_id WHERE ri.return_id = r.id AND li.sku = ?5))", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->from);
  sqlite3_bind_int64 (stmt, 2, job->to);
  sqlite3_bind_text (stmt, 3, job->channel, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, job->reason, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, job->sku, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  job->returns = sqlite3_column_int64 (stmt, 0);
  job->orders = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

/* The returns counted must be @expected many, and @drill, if exact, must
 * list exactly their orders. Returns whether it was exact. */
static gboolean
check_return_drill (PsContext         *context,
                    const PsMetricsData *d,
                    const PsDrillDown *drill,
                    const char        *channel,
                    const char        *reason,
                    const char        *sku,
                    gint64             expected,
                    const char        *what)
{
  g_autoptr(GError) error = NULL;
  ReturnJob job = { d->from, d->to, channel, reason, sku, 0, 0 };

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), return_job, &job,
                                          NULL, &error));
  g_assert_no_error (error);
  return check_counted (context, drill, what, "returns", job.returns, (double) expected,
                        job.orders);
}

/* Checks the returns tile and every row of the returns charts; returns
 * how many were exact (all but the product row of lines without a SKU). */
static guint
check_return_drills (PsContext   *context,
                     PsDashboard *dash,
                     const char  *channel)
{
  const PsMetricsData *d = dash->data;
  GArray *rows;
  guint n = 0;

  n += check_return_drill (context, d, &dash->tile_drill[PS_METRIC_RETURNS_RATE], channel, NULL,
                           NULL, (gint64) d->tiles[PS_METRIC_RETURNS_RATE].numerator,
                           "returns_rate");
  g_assert_cmpint (d->returns, ==, (gint64) d->tiles[PS_METRIC_RETURNS_RATE].numerator);
  rows = d->charts[PS_METRICS_CHART_RETURNS_BY_REASON];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill =
        &g_array_index (dash->chart_drill[PS_METRICS_CHART_RETURNS_BY_REASON], PsDrillDown, i);

      n += check_return_drill (context, d, drill, channel, r->keys[0], NULL,
                               (gint64) r->values[0], "returns_by_reason");
    }
  rows = d->charts[PS_METRICS_CHART_RETURNS_BY_PRODUCT];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill =
        &g_array_index (dash->chart_drill[PS_METRICS_CHART_RETURNS_BY_PRODUCT], PsDrillDown, i);

      g_assert_nonnull (drill->condition);
      if (r->keys[0] == NULL || r->keys[0][0] == '\0')
        {
          g_assert_false (drill->exact);
          continue;
        }
      n += check_return_drill (context, d, drill, channel, NULL, r->keys[0],
                               (gint64) r->values[0], "returns_by_product");
    }
  return n;
}

/* Rows of the product chart with a SKU. */
static guint
n_sku_rows (const PsMetricsData *d)
{
  GArray *rows = d->charts[PS_METRICS_CHART_RETURNS_BY_PRODUCT];
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    {
      const char *sku = g_array_index (rows, PsMetricsRow, i).keys[0];

      n += sku != NULL && sku[0] != '\0';
    }
  return n;
}

/* A split order: a FedEx label in the period, and a UPS one before it
 * that was scanned, delivered on time and had an exception. Tested one
 * at a time, the two shipments meet "ups, labelled on Nov 2", "labelled
 * in the period and delivered", "... and had an exception", "... and
 * scanned" between them. */
static gpointer
split_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  PsOrderWriter *writer = ps_order_writer_new (db);
  gint64 line, order, ups;

  order = add_order (writer, "Etsy", "#7", "US", "WA", PS_ORDER_STATUS_SHIPPED,
                     utc (10, 27, 12), &line);
  add_shipment (writer, order, "fedex", "ground", 1200, utc (11, 2, 15), 0, 0, 0, 0,
                PS_EXCEPTION_REASON_NONE);
  ups = add_shipment (writer, order, "ups", "ground", 900, utc (10, 28, 10), utc (10, 28, 14),
                      utc (11, 1, 20), utc (10, 31, 12), 0, PS_EXCEPTION_REASON_NONE);
  g_assert_true (ps_order_writer_add_tracking_event (writer, ups, utc (10, 29, 9),
                                                     PS_TRACKING_STATUS_EXCEPTION,
                                                     PS_EXCEPTION_REASON_WEATHER, "Storm", NULL,
                                                     NULL));
  if (!ps_order_writer_flush (writer, error))
    return NULL;
  ps_order_writer_free (writer);
  return GINT_TO_POINTER (TRUE);
}

static void
test_fixture_drills (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PsDashboard) dash = NULL;
  g_autoptr(PsDashboard) etsy = NULL;
  g_autoptr(GError) error = NULL;
  const PsMetricsData *d;
  const PsDrillDown *ups_nov2 = NULL;
  const PsDrillDown *ups_west = NULL;

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), split_job, f,
                                          NULL, &error));
  g_assert_no_error (error);
  dash = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), NULL);
  etsy = compute (f->context, utc (11, 1, 0), utc (11, 11, 0), "etsy");
  d = dash->data;

  /* The split order's FedEx label is the only new shipment. */
  g_assert_cmpfloat (d->tiles[PS_METRIC_SHIPMENTS].value, ==, 4);
  g_assert_cmpfloat (d->tiles[PS_METRIC_ON_TIME_RATE].denominator, ==, 2);
  g_assert_cmpint (d->exceptions, ==, 2);

  /* Every drill-down of a shipment number is exact, and the split order
   * is not in those its FedEx label is not part of: #1 and #2 were
   * delivered with an estimate, #2 and #3 had exceptions, #1 and #2 were
   * scanned. */
  g_assert_cmpuint (check_exact_drills (f->context, dash, NULL), ==,
                    5 + d->charts[0]->len + d->charts[1]->len + d->charts[2]->len +
                    d->charts[3]->len + dash->patterns->len);
  g_assert_cmpuint (check_exact_drills (f->context, etsy, "etsy"), ==,
                    5 + etsy->data->charts[0]->len + etsy->data->charts[1]->len +
                    etsy->data->charts[2]->len + etsy->data->charts[3]->len +
                    etsy->patterns->len);
  for (PsMetric m = 0; m < PS_METRIC_RETURNS_RATE; m++)
    g_assert_true (dash->tile_drill[m].exact);
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_SHIPMENTS].condition), ==, 4);
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_ON_TIME_RATE].condition), ==, 2);
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_EXCEPTION_RATE].condition),
                   ==, 2);
  g_assert_cmpint (count_orders (f->context,
                                 dash->tile_drill[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS].condition),
                   ==, 2);

  for (guint i = 0; i < d->charts[0]->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (d->charts[0], PsMetricsRow, i);

      if (r->day == utc (11, 2, 0) && g_str_equal (r->keys[0], "ups"))
        ups_nov2 = &g_array_index (dash->chart_drill[0], PsDrillDown, i);
    }
  for (guint i = 0; i < d->charts[1]->len; i++)
    {
      const PsMetricsRow *r = &g_array_index (d->charts[1], PsMetricsRow, i);

      if (g_str_equal (r->keys[0], "ups") && g_str_equal (r->keys[1], "us-pacific-northwest"))
        ups_west = &g_array_index (dash->chart_drill[1], PsDrillDown, i);
    }
  g_assert_nonnull (ups_nov2);
  g_assert_nonnull (ups_west);
  g_assert_cmpint (count_orders (f->context, ups_nov2->condition), ==, 1);
  g_assert_cmpint (count_orders (f->context, ups_west->condition), ==, 1);

  /* The histogram's [4, 8) bucket: #1, scanned 6 hours after its label
   * (the split order's UPS label, 4 hours, is not of the period). */
  g_assert_cmpint (count_orders (f->context,
                                 g_array_index (dash->chart_drill[PS_METRICS_CHART_SCAN_HOURS],
                                                PsDrillDown, 1).condition), ==, 1);
  /* The returns tile and charts list the orders of the returns counted. */
  g_assert_true (dash->tile_drill[PS_METRIC_RETURNS_RATE].exact);
  g_assert_cmpint (d->returns, >, 0);
  g_assert_cmpuint (check_return_drills (f->context, dash, NULL), ==,
                    1 + d->charts[PS_METRICS_CHART_RETURNS_BY_REASON]->len + n_sku_rows (d));
  g_assert_cmpuint (check_return_drills (f->context, etsy, "etsy"), ==,
                    1 + etsy->data->charts[PS_METRICS_CHART_RETURNS_BY_REASON]->len +
                    n_sku_rows (etsy->data));
  g_assert_cmpint (count_orders (f->context, dash->tile_drill[PS_METRIC_RETURNS_RATE].condition),
                   ==, 1);
}

/* The demo */

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  PsDemoOptions options = PS_DEMO_OPTIONS_INIT;

  options.n_orders = 20000;
  options.now = utc (11, 18, 12);
  return ps_demo_generate (db, &options, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

typedef struct
{
  const char *sql;
  gint64      from;
  gint64      to;
  gint64      count;
} DistinctJob;

static gpointer
distinct_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  DistinctJob *job = data;
  sqlite3_stmt *stmt = _ps_database_prepare (db, job->sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, job->from);
  sqlite3_bind_int64 (stmt, 2, job->to);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  job->count = sqlite3_column_int64 (stmt, 0);
  return GINT_TO_POINTER (TRUE);
}

static void
test_demo (void)
{
  g_autofree char *path = temp_db ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsContext) context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_autoptr(PsDashboard) dash = NULL;
  const PsDashboardPattern *planted = NULL;
  DistinctJob job = { 0 };

  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, NULL,
                                          NULL, &error));
  g_assert_no_error (error);

  dash = compute (context, utc (8, 20, 12), utc (11, 19, 12), NULL);

  for (guint i = 0; i < dash->patterns->len; i++)
    {
      const PsDashboardPattern *p = &g_array_index (dash->patterns, PsDashboardPattern, i);

      if (g_strcmp0 (p->carrier, "ups") == 0 && g_strcmp0 (p->region, "us-pacific-northwest") == 0)
        planted = p;
    }
  g_assert_nonnull (planted);
  g_assert_cmpfloat (planted->ratio, >, 2.0);
  g_assert_cmpfloat (planted->q_value, <=, PS_METRICS_PATTERN_FDR);
  g_assert_nonnull (planted->drill.condition);
  g_assert_true (planted->drill.exact);

  /* Every exact drill-down lists the orders of the shipments counted;
   * on the demo, all shipment tiles, chart elements and patterns are. */
  g_assert_cmpuint (check_exact_drills (context, dash, NULL), ==,
                    5 + dash->data->charts[0]->len + dash->data->charts[1]->len +
                    dash->data->charts[2]->len + dash->data->charts[3]->len +
                    dash->patterns->len);
  /* ... and of the returns counted: the tile, every reason and every SKU. */
  g_assert_cmpint (dash->data->returns, >, 100);
  g_assert_cmpuint (dash->data->charts[PS_METRICS_CHART_RETURNS_BY_PRODUCT]->len, >, 0);
  g_assert_cmpuint (check_return_drills (context, dash, NULL), ==,
                    1 + dash->data->charts[PS_METRICS_CHART_RETURNS_BY_REASON]->len +
                    n_sku_rows (dash->data));

  /* Exact drill-downs count the orders behind the number. */
  g_assert_cmpint (count_orders (context, dash->tile_drill[PS_METRIC_ORDERS].condition), ==,
                   (gint64) dash->data->tiles[PS_METRIC_ORDERS].value);
  g_assert_cmpint (count_orders (context, dash->tile_drill[PS_METRIC_AWAITING_SHIPMENT].condition),
                   ==, (gint64) dash->data->tiles[PS_METRIC_AWAITING_SHIPMENT].value);
  job.sql = "SELECT count(DISTINCT order_id) FROM shipments"
            " WHERE label_created_at >= ?1 AND label_created_at < ?2 AND voided_at IS NULL";
  job.from = dash->data->from;
  job.to = dash->data->to;
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), distinct_job, &job,
                                          NULL, &error));
  g_assert_cmpint (count_orders (context, dash->tile_drill[PS_METRIC_SHIPMENTS].condition), ==,
                   job.count);
  g_assert_cmpint (count_orders (context, dash->tile_drill[PS_METRIC_AVG_LABEL_COST].condition),
                   ==, job.count);
  g_assert_cmpint (job.count, <=, (gint64) dash->data->tiles[PS_METRIC_SHIPMENTS].value);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    if (dash->tile_drill[m].exact)
      g_assert_nonnull (dash->tile_drill[m].condition);

  /* The planted cost drift of UPS Ground is flagged. */
  {
    GArray *rows = dash->data->charts[PS_METRICS_CHART_COST_BY_SERVICE];
    gboolean drift = FALSE;

    for (guint i = 0; i < rows->len; i++)
      {
        const PsMetricsRow *r = &g_array_index (rows, PsMetricsRow, i);

        if (g_str_equal (r->keys[0], "ups") && g_str_equal (r->keys[1], "ground"))
          drift = r->flag;
      }
    g_assert_true (drift);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/metrics/stats/known-values", test_stats_known_values);
  g_test_add_func ("/metrics/stats/patterns", test_stats_patterns);
  g_test_add ("/metrics/fixture/tiles", Fixture, NULL, fixture_set_up, test_fixture_tiles,
              fixture_tear_down);
  g_test_add ("/metrics/fixture/incremental", Fixture, NULL, fixture_set_up,
              test_fixture_incremental, fixture_tear_down);
  g_test_add ("/metrics/fixture/drill-downs", Fixture, NULL, fixture_set_up,
              test_fixture_drills, fixture_tear_down);
  g_test_add_func ("/metrics/demo", test_demo);

  return g_test_run ();
}
