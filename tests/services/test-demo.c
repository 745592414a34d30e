/* test-demo.c: the demo generator against a real SQLite file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the generated rows back with plain SQL inside database jobs
 * (tests may use ps-database-private.h) and checks what the dashboard and
 * the automations rely on: determinism, the mix of channels and carriers,
 * valid tracking numbers, the planted patterns, consistent totals.
 */

#define G_LOG_DOMAIN "test-demo"

#include "config.h"

#include <sqlite3.h>

#include "ps-database-private.h"
#include "ps-demo.h"
#include "ps-tracking-number.h"

/* 2026-11-20 15:30 UTC, a Friday: a fixed end of history. */
#define TEST_NOW_SQL "1795188600"
#define TEST_NOW ((gint64) 1795188600)

/* Helpers */

static char *
temp_db_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static PsDatabase *
open_db (const char *name)
{
  g_autofree char *path = temp_db_path (name);
  g_autoptr(GError) error = NULL;
  PsDatabase *db = ps_database_new (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

typedef struct
{
  PsDemoStats *stats;
  GError      *error;
  gboolean     done;
} GenerateResult;

static void
generate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GenerateResult *r = user_data;

  r->stats = ps_demo_generate_finish (PS_DATABASE (object), result, &r->error);
  r->done = TRUE;
}

/* Runs the async API to completion; returns the stats or sets @error. */
static PsDemoStats *
generate (PsDatabase    *db,
          guint          n_orders,
          guint64        seed,
          GCancellable  *cancellable,
          GError       **error)
{
  PsDemoOptions options = { n_orders, seed, TEST_NOW };
  GenerateResult r = { NULL, NULL, FALSE };

  ps_demo_generate_async (db, &options, cancellable, generate_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.stats;
}

static PsDemoStats *
generate_ok (PsDatabase *db,
             guint       n_orders,
             guint64     seed)
{
  g_autoptr(GError) error = NULL;
  PsDemoStats *stats = generate (db, n_orders, seed, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  return stats;
}

static gpointer
int_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 *value;
  int rc;

  rc = sqlite3_prepare_v2 (_ps_database_get_handle (db), data, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "%s: %s", (const char *)data,
                   sqlite3_errmsg (_ps_database_get_handle (db)));
      return NULL;
    }
  value = g_new0 (gint64, 1);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
query_int (PsDatabase *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *value = ps_database_run_sync (db, int_job, (gpointer)sql, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return *value;
}

static double
query_double (PsDatabase *db,
              const char *sql)
{
  /* Scaled by 10^6 in SQL so int_job can carry it. */
  g_autofree char *scaled = g_strdup_printf ("SELECT CAST(1000000.0 * (%s) AS INTEGER)", sql);

  return (double)query_int (db, scaled) / 1e6;
}

#define DIGITS5 "'[0-9][0-9][0-9][0-9][0-9]'"
#define DIGITS7 "'[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"
#define DIGITS9 "'[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'"

static void
assert_int (PsDatabase *db,
            const char *sql,
            gint64      expected)
{
  gint64 value = query_int (db, sql);

  if (value != expected)
    g_test_message ("%s", sql);
  g_assert_cmpint (value, ==, expected);
}

static void
assert_none (PsDatabase *db,
             const char *sql)
{
  assert_int (db, sql, 0);
}

static void
assert_some (PsDatabase *db,
             const char *sql)
{
  gint64 value = query_int (db, sql);

  if (value <= 0)
    g_test_message ("%s", sql);
  g_assert_cmpint (value, >, 0);
}

static void
assert_same (PsDatabase *db,
             const char *sql,
             const char *other_sql)
{
  assert_int (db, sql, query_int (db, other_sql));
}

/* A digest of every generated row, in id order. channels.created_at is
 * left out: the writer stamps channels with the wall clock. */
static const char * const digest_queries[] = {
  "SELECT id, kind, name FROM channels ORDER BY id",
  "SELECT * FROM orders ORDER BY id",
  "SELECT * FROM line_items ORDER BY id",
  "SELECT * FROM shipments ORDER BY id",
  "SELECT * FROM tracking_events ORDER BY id",
  "SELECT * FROM events ORDER BY id",
  "SELECT * FROM returns ORDER BY id",
  "SELECT * FROM return_items ORDER BY return_id, line_item_id",
  "SELECT * FROM tags ORDER BY id",
  "SELECT * FROM order_tags ORDER BY order_id, tag_id",
  "SELECT * FROM notes ORDER BY id",
  "SELECT * FROM meta WHERE key LIKE 'demo%' ORDER BY key",
};

static gpointer
digest_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  for (guint q = 0; q < G_N_ELEMENTS (digest_queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (_ps_database_get_handle (db), digest_queries[q], -1, &stmt,
                              NULL) != SQLITE_OK)
        {
          g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "%s", digest_queries[q]);
          return NULL;
        }
      g_checksum_update (checksum, (const guchar *)digest_queries[q], -1);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count (stmt); c++)
          {
            const unsigned char *text = sqlite3_column_text (stmt, c);

            g_checksum_update (checksum, text ? text : (const guchar *)"\x01NULL", -1);
            g_checksum_update (checksum, (const guchar *)"\x1f", 1);
          }
      sqlite3_finalize (stmt);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static char *
digest (PsDatabase *db)
{
  g_autoptr(GError) error = NULL;
  char *value = ps_database_run_sync (db, digest_job, NULL, NULL, &error);

  g_assert_no_error (error);
  return value;
}

/* Every shipment's number validates in the format of its carrier. */
static gpointer
tracking_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 *checked = g_new0 (gint64, 1);

  sqlite3_prepare_v2 (_ps_database_get_handle (db),
                      "SELECT carrier, tracking_number FROM shipments ORDER BY id", -1,
                      &stmt, NULL);
  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *carrier = (const char *)sqlite3_column_text (stmt, 0);
      const char *number = (const char *)sqlite3_column_text (stmt, 1);
      PsTrackingFormat format = ps_tracking_number_detect (number);

      if (format == PS_TRACKING_FORMAT_UNKNOWN || !ps_tracking_number_is_valid (format, number)
          || g_strcmp0 (ps_tracking_format_carrier (format), carrier) != 0)
        g_error ("%s shipment has tracking number %s (format %d)", carrier, number, format);
      (*checked)++;
    }
  sqlite3_finalize (stmt);
  return checked;
}

/* Fixture: a 3000-order history, enough for the planted patterns to
 * stand out. */
typedef struct
{
  PsDatabase  *db;
  PsDemoStats  stats;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree PsDemoStats *stats = NULL;

  fixture->db = open_db ("demo.db");
  stats = generate_ok (fixture->db, 3000, PS_DEMO_DEFAULT_SEED);
  fixture->stats = *stats;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  ps_database_close (fixture->db);
  g_clear_object (&fixture->db);
}

/* Tests */

static void
test_determinism (void)
{
  g_autoptr(PsDatabase) a = open_db ("a.db");
  g_autoptr(PsDatabase) b = open_db ("b.db");
  g_autoptr(PsDatabase) c = open_db ("c.db");
  g_autofree PsDemoStats *sa = generate_ok (a, 600, 42);
  g_autofree PsDemoStats *sb = generate_ok (b, 600, 42);
  g_autofree PsDemoStats *sc = generate_ok (c, 600, 43);
  g_autofree char *da = NULL;
  g_autofree char *db_ = NULL;
  g_autofree char *dc = NULL;

  /* Same seed and now: the same counts and the same rows. */
  g_assert_cmpuint (sa->orders, ==, 600);
  g_assert_cmpuint (sa->orders, ==, sb->orders);
  g_assert_cmpuint (sa->line_items, ==, sb->line_items);
  g_assert_cmpuint (sa->shipments, ==, sb->shipments);
  g_assert_cmpuint (sa->tracking_events, ==, sb->tracking_events);
  g_assert_cmpuint (sa->returns, ==, sb->returns);
  g_assert_cmpuint (sa->events, ==, sb->events);

  da = digest (a);
  db_ = digest (b);
  dc = digest (c);
  g_assert_cmpstr (da, ==, db_);

  /* Another seed: as many orders, other rows. */
  g_assert_cmpuint (sc->orders, ==, 600);
  g_assert_cmpstr (da, !=, dc);
  assert_int (c, "SELECT count(*) FROM orders", 600);

  /* The stats count what was written. */
  assert_int (a, "SELECT count(*) FROM orders", sa->orders);
  assert_int (a, "SELECT count(*) FROM line_items", sa->line_items);
  assert_int (a, "SELECT count(*) FROM shipments", sa->shipments);
  assert_int (a, "SELECT count(*) FROM tracking_events", sa->tracking_events);
  assert_int (a, "SELECT count(*) FROM returns", sa->returns);
  assert_int (a, "SELECT count(*) FROM events", sa->events);
}

static void
test_meta (Fixture       *fixture,
           gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;

  assert_int (db, "SELECT value = '1' FROM meta WHERE key = 'demo'", 1);
  assert_int (db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'demo_seed'",
              PS_DEMO_DEFAULT_SEED);
  assert_int (db, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'demo_now'", TEST_NOW);
}

static void
test_history_shape (Fixture       *fixture,
                    gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;
  double intl;

  assert_int (db, "SELECT count(*) FROM orders", 3000);
  g_assert_cmpuint (fixture->stats.orders, ==, 3000);

  /* 90 days up to now, nothing in the future. */
  assert_int (db, "SELECT (" TEST_NOW_SQL " - min(created_at)) / 86400 FROM orders", 89);
  assert_none (db, "SELECT count(*) FROM orders"
                   " WHERE created_at > " TEST_NOW_SQL " OR imported_at > " TEST_NOW_SQL);
  assert_none (db, "SELECT count(*) FROM shipments WHERE label_created_at > " TEST_NOW_SQL
                   " OR first_scan_at > " TEST_NOW_SQL " OR delivered_at > " TEST_NOW_SQL);
  assert_none (db, "SELECT count(*) FROM tracking_events WHERE occurred_at > " TEST_NOW_SQL);
  assert_none (db, "SELECT count(*) FROM events WHERE occurred_at > " TEST_NOW_SQL);
  assert_none (db, "SELECT count(*) FROM returns WHERE requested_at > " TEST_NOW_SQL);

  /* Growth: the last 30 days have more orders than the first 30. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM orders"
                                  " WHERE created_at > " TEST_NOW_SQL " - 30 * 86400"),
                   >, query_int (db, "SELECT count(*) FROM orders"
                                     " WHERE created_at < " TEST_NOW_SQL " - 60 * 86400"));

  /* Five channels with their kinds and order number styles. */
  assert_int (db, "SELECT count(*) FROM channels WHERE (name, kind) IN (VALUES"
                  " ('Shopify', 'shopify'), ('WooCommerce', 'woocommerce'), ('Etsy', 'etsy'),"
                  " ('Amazon', 'amazon'), ('eBay', 'ebay'))", 5);
  assert_int (db, "SELECT count(DISTINCT channel_id) FROM orders", 5);
  assert_none (db, "SELECT count(*) FROM orders o JOIN channels c ON c.id = o.channel_id"
                   " WHERE NOT CASE c.name"
                   " WHEN 'Shopify' THEN o.order_number GLOB '#[1-9]*'"
                   " WHEN 'WooCommerce' THEN o.order_number GLOB 'WC-[1-9]*'"
                   " WHEN 'Etsy' THEN o.order_number GLOB '[1-9]' || " DIGITS9
                   " WHEN 'Amazon' THEN o.order_number GLOB"
                   "   '1[0-9][0-9]-' || " DIGITS7 " || '-' || " DIGITS7
                   " WHEN 'eBay' THEN o.order_number GLOB"
                   "   '[0-9][0-9]-' || " DIGITS5 " || '-' || " DIGITS5
                   " END");

  /* US across the states, ~15 % abroad with local postcode shapes and
   * currencies. */
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT ship_state) FROM orders"
                                  " WHERE ship_country = 'US'"), >=, 40);
  intl = query_double (db, "SELECT avg(ship_country != 'US') FROM orders");
  g_assert_cmpfloat (intl, >, 0.10);
  g_assert_cmpfloat (intl, <, 0.20);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT ship_country) FROM orders"), >=, 7);
  assert_none (db, "SELECT count(*) FROM orders WHERE NOT CASE ship_country"
                   " WHEN 'US' THEN ship_postcode GLOB " DIGITS5
                   " WHEN 'CA' THEN ship_postcode GLOB '[A-Z][0-9][A-Z] [0-9][A-Z][0-9]'"
                   " WHEN 'GB' THEN ship_postcode GLOB '[A-Z]*[0-9]* [0-9][A-Z][A-Z]'"
                   " WHEN 'DE' THEN ship_postcode GLOB " DIGITS5
                   " WHEN 'FR' THEN ship_postcode GLOB " DIGITS5
                   " WHEN 'NL' THEN ship_postcode GLOB '[1-9][0-9][0-9][0-9] [A-Z][A-Z]'"
                   " WHEN 'AU' THEN ship_postcode GLOB '[0-9][0-9][0-9][0-9]'"
                   " WHEN 'JP' THEN ship_postcode GLOB '[0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]'"
                   " ELSE 0 END");
  assert_none (db, "SELECT count(*) FROM orders WHERE currency != CASE ship_country"
                   " WHEN 'US' THEN 'USD' WHEN 'CA' THEN 'CAD' WHEN 'GB' THEN 'GBP'"
                   " WHEN 'AU' THEN 'AUD' WHEN 'JP' THEN 'JPY' ELSE 'EUR' END");
  assert_some (db, "SELECT count(*) FROM orders WHERE address_issue = 1"
                   " AND address_message IS NOT NULL");

  /* A catalog of ~40 SKUs that repeat; 1–8 lines, mostly one or two. */
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT sku) FROM line_items"), >=, 35);
  g_assert_cmpint (query_int (db, "SELECT max(n) FROM"
                                  " (SELECT count(*) AS n FROM line_items GROUP BY order_id)"),
                   <=, 8);
  g_assert_cmpfloat (query_double (db, "SELECT avg(n <= 2) FROM"
                                       " (SELECT count(*) AS n FROM line_items GROUP BY order_id)"),
                     >, 0.7);
  g_assert_cmpfloat (query_double (db, "SELECT avg(quantity = 1) FROM line_items"), >, 0.75);

  /* Tags and notes. */
  assert_int (db, "SELECT count(*) FROM tags WHERE name IN ('gift', 'wholesale', 'vip')", 3);
  assert_some (db, "SELECT count(*) FROM notes");
}

static void
test_totals (Fixture       *fixture,
             gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;

  assert_none (db, "SELECT count(*) FROM orders o WHERE item_count !="
                   " (SELECT sum(quantity) FROM line_items WHERE order_id = o.id)");
  assert_none (db, "SELECT count(*) FROM orders o WHERE subtotal_minor !="
                   " (SELECT sum(quantity * unit_price_minor) FROM line_items"
                   "  WHERE order_id = o.id)");
  assert_none (db, "SELECT count(*) FROM orders"
                   " WHERE total_minor != subtotal_minor + shipping_minor + tax_minor");
  assert_some (db, "SELECT count(*) FROM orders WHERE tax_minor > 0");
  assert_none (db, "SELECT count(*) FROM orders WHERE ship_country != 'US' AND tax_minor != 0");
}

static void
test_carriers (Fixture       *fixture,
               gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *checked = NULL;

  assert_int (db, "SELECT count(DISTINCT carrier) FROM shipments", 4);
  assert_none (db, "SELECT count(*) FROM shipments WHERE (carrier, service) NOT IN (VALUES"
                   " ('usps', 'ground_advantage'), ('usps', 'priority'),"
                   " ('usps', 'priority_express'), ('ups', 'ground'), ('ups', '2nd_day_air'),"
                   " ('ups', 'next_day_air'), ('fedex', 'ground'), ('fedex', 'express_saver'),"
                   " ('fedex', '2day'), ('dhl', 'express_worldwide'))");
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT carrier || service) FROM shipments"),
                   >=, 8);
  assert_none (db, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                   " WHERE s.carrier = 'dhl' AND o.ship_country = 'US'");
  assert_none (db, "SELECT count(*) FROM shipments"
                   " WHERE rate_minor <= 0 OR currency != 'USD' OR weight_grams <= 0");

  checked = ps_database_run_sync (db, tracking_job, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (*checked, ==, fixture->stats.shipments);
  assert_int (db, "SELECT count(*) FROM shipments", *checked);
  assert_int (db, "SELECT count(DISTINCT tracking_number) FROM shipments", *checked);
}

static void
test_shipments (Fixture       *fixture,
                gconstpointer  user_data)
{
  const char *statuses[] = { "awaiting_payment", "awaiting_shipment", "on_hold", "ready_to_ship",
                             "shipped", "delivered", "exception", "cancelled", "returned" };
  PsDatabase *db = fixture->db;
  double split;

  /* ~5 % split shipments; last_shipment_id is the later one. */
  split = query_double (db, "SELECT (SELECT count(*) FROM (SELECT order_id FROM shipments"
                            "  GROUP BY order_id HAVING count(*) = 2)) * 1.0 / count(*)"
                            " FROM orders");
  g_assert_cmpfloat (split, >, 0.02);
  g_assert_cmpfloat (split, <, 0.09);
  assert_int (db, "SELECT max(n) FROM (SELECT count(*) AS n FROM shipments GROUP BY order_id)", 2);
  assert_none (db, "SELECT count(*) FROM orders o WHERE last_shipment_id IS NOT"
                   " (SELECT max(id) FROM shipments WHERE order_id = o.id)");

  /* Timestamps follow the tracking status. */
  assert_none (db, "SELECT count(*) FROM shipments"
                   " WHERE (tracking_status = 'delivered') != (delivered_at IS NOT NULL)"
                   " OR (tracking_status = 'pre_transit') != (first_scan_at IS NULL)"
                   " OR first_scan_at < label_created_at OR delivered_at < first_scan_at"
                   " OR estimated_delivery_at IS NULL");
  assert_none (db, "SELECT count(*) FROM shipments WHERE (next_track_at IS NULL)"
                   " != (tracking_status IN ('delivered', 'return_to_sender'))");
  assert_none (db, "SELECT count(*) FROM shipments s WHERE tracking_status !="
                   " (SELECT status FROM tracking_events WHERE shipment_id = s.id"
                   "  ORDER BY occurred_at DESC, id DESC LIMIT 1)");
  /* Some missed their estimate. */
  assert_some (db, "SELECT count(*) FROM shipments WHERE delivered_at > estimated_delivery_at");

  /* Normal transit: pre_transit, several in_transit with locations,
   * out_for_delivery, delivered. */
  g_assert_cmpfloat (query_double (db, "SELECT avg(n) FROM (SELECT count(*) AS n"
                                       " FROM tracking_events t"
                                       " JOIN shipments s ON s.id = t.shipment_id"
                                       " WHERE s.tracking_status = 'delivered'"
                                       " AND t.status = 'in_transit' GROUP BY t.shipment_id)"),
                     >=, 3.0);
  assert_none (db, "SELECT count(*) FROM tracking_events"
                   " WHERE status = 'in_transit' AND location IS NULL");

  /* The order's status follows its shipments. */
  assert_none (db, "SELECT count(*) FROM orders o JOIN shipments s ON s.id = o.last_shipment_id"
                   " WHERE (SELECT count(*) FROM shipments WHERE order_id = o.id) = 1"
                   " AND o.status != CASE s.tracking_status"
                   " WHEN 'pre_transit' THEN 'ready_to_ship'"
                   " WHEN 'in_transit' THEN 'shipped'"
                   " WHEN 'out_for_delivery' THEN 'shipped'"
                   " WHEN 'available_for_pickup' THEN 'shipped'"
                   " WHEN 'delivered' THEN o.status"
                   " ELSE 'exception' END");
  assert_none (db, "SELECT count(*) FROM orders WHERE status IN ('delivered', 'returned')"
                   " AND last_shipment_id IN"
                   " (SELECT id FROM shipments WHERE tracking_status != 'delivered')");
  assert_none (db, "SELECT count(*) FROM orders WHERE status IN"
                   " ('awaiting_payment', 'awaiting_shipment', 'on_hold', 'cancelled')"
                   " AND last_shipment_id IS NOT NULL");
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM orders WHERE status = '%s'",
                                              statuses[i]);

      assert_some (db, sql);
    }
  g_assert_cmpfloat (query_double (db, "SELECT avg(status = 'delivered') FROM orders"), >, 0.6);
}

static void
test_exceptions (Fixture       *fixture,
                 gconstpointer  user_data)
{
  const char *reasons[] = { "address_issue", "failed_attempt", "late_handoff", "damaged",
                            "customs_hold", "delay", "lost", "weather" };
  PsDatabase *db = fixture->db;
  double planted, other;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "SELECT (SELECT count(*) FROM shipments WHERE exception_reason = '%s')"
        " + (SELECT count(*) FROM tracking_events WHERE exception_reason = '%s')",
        reasons[i], reasons[i]);

      assert_some (db, sql);
    }

  /* Customs holds only abroad. */
  assert_none (db, "SELECT count(*) FROM tracking_events t"
                   " JOIN shipments s ON s.id = t.shipment_id JOIN orders o ON o.id = s.order_id"
                   " WHERE t.exception_reason = 'customs_hold' AND o.ship_country = 'US'");

  /* Late handoff: a label at least a day (two business days) old, never
   * scanned, the order ready to ship, or shipped when its other half is on
   * the way. */
  assert_none (db, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                   " WHERE s.exception_reason = 'late_handoff'"
                   " AND (s.tracking_status != 'pre_transit' OR s.first_scan_at IS NOT NULL"
                   " OR o.status NOT IN ('ready_to_ship', 'shipped')"
                   " OR s.label_created_at > " TEST_NOW_SQL " - 86400)");
  assert_some (db, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                   " WHERE s.exception_reason = 'late_handoff' AND o.status = 'ready_to_ship'");

  /* Otherwise a shipment carries a reason exactly while in exception. */
  assert_none (db, "SELECT count(*) FROM shipments WHERE exception_reason != 'late_handoff'"
                   " AND tracking_status != 'exception'");
  assert_none (db, "SELECT count(*) FROM shipments"
                   " WHERE tracking_status = 'exception' AND exception_reason IS NULL");

  /* The planted cell: UPS into the Pacific Northwest, about 3x the base
   * rate, so at least twice every other UPS shipment's. */
  planted = query_double (db, "SELECT avg(EXISTS (SELECT 1 FROM tracking_events t"
                              "  WHERE t.shipment_id = s.id AND t.status = 'exception'))"
                              " FROM shipments s JOIN orders o ON o.id = s.order_id"
                              " WHERE s.carrier = 'ups'"
                              " AND o.ship_region = 'us-pacific-northwest'");
  other = query_double (db, "SELECT avg(EXISTS (SELECT 1 FROM tracking_events t"
                            "  WHERE t.shipment_id = s.id AND t.status = 'exception'))"
                            " FROM shipments s JOIN orders o ON o.id = s.order_id"
                            " WHERE s.carrier = 'ups' AND o.ship_region != 'us-pacific-northwest'");
  g_test_message ("ups exception rate: pacific northwest %.3f, elsewhere %.3f", planted, other);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM shipments s"
                                  " JOIN orders o ON o.id = s.order_id WHERE s.carrier = 'ups'"
                                  " AND o.ship_region = 'us-pacific-northwest'"), >=, 40);
  g_assert_cmpfloat (other, >, 0.02);
  g_assert_cmpfloat (planted, >=, 2 * other);

  /* Exceptions are logged as status changes with their reason. */
  assert_same (db, "SELECT count(*) FROM events WHERE type = 'tracking.status_changed'"
                   " AND json_extract(data, '$.to') = 'exception'"
                   " AND json_extract(data, '$.reason') IS NOT NULL",
               "SELECT count(*) FROM tracking_events WHERE status = 'exception'");
}

static void
test_cost_drift (Fixture       *fixture,
                 gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;
  double recent, all, fedex_recent, fedex_all;

  recent = query_double (db, "SELECT avg(rate_minor) FROM shipments"
                             " WHERE carrier = 'ups' AND service = 'ground'"
                             " AND label_created_at >= " TEST_NOW_SQL " - 14 * 86400");
  all = query_double (db, "SELECT avg(rate_minor) FROM shipments"
                          " WHERE carrier = 'ups' AND service = 'ground'");
  fedex_recent = query_double (db, "SELECT avg(rate_minor) FROM shipments"
                                   " WHERE carrier = 'fedex' AND service = 'ground'"
                                   " AND label_created_at >= " TEST_NOW_SQL " - 14 * 86400");
  fedex_all = query_double (db, "SELECT avg(rate_minor) FROM shipments"
                                " WHERE carrier = 'fedex' AND service = 'ground'");

  g_test_message ("ups/ground: last 14 days %.0f, 90 days %.0f", recent, all);
  g_assert_cmpfloat (recent, >, all * 1.05);
  /* Only that one service drifts. */
  g_assert_cmpfloat (fedex_recent, <, fedex_all * 1.04);
}

static void
test_returns (Fixture       *fixture,
              gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;

  assert_some (db, "SELECT count(*) FROM returns");
  assert_none (db, "SELECT count(*) FROM returns r"
                   " WHERE NOT EXISTS (SELECT 1 FROM return_items WHERE return_id = r.id)");
  /* Items point at the lines of the returned order. */
  assert_none (db, "SELECT count(*) FROM return_items ri JOIN returns r ON r.id = ri.return_id"
                   " JOIN line_items l ON l.id = ri.line_item_id"
                   " WHERE l.order_id != r.order_id OR ri.quantity > l.quantity");
  assert_none (db, "SELECT count(*) FROM returns r JOIN orders o ON o.id = r.order_id"
                   " WHERE o.status NOT IN ('delivered', 'returned')");
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT reason) FROM returns"), >=, 4);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT status) FROM returns"), >=, 3);
  /* Wrong size is the most common reason. */
  assert_int (db, "SELECT reason = 'wrong_size' FROM returns GROUP BY reason"
                  " ORDER BY count(*) DESC, reason LIMIT 1", 1);
  assert_none (db, "SELECT count(*) FROM returns WHERE (status IN ('received', 'refunded',"
                   " 'rejected')) != (received_at IS NOT NULL)"
                   " OR (status = 'refunded') != (refunded_at IS NOT NULL)");
  assert_same (db, "SELECT count(*) FROM events WHERE type = 'return.requested'",
               "SELECT count(*) FROM returns");
}

static void
test_events (Fixture       *fixture,
             gconstpointer  user_data)
{
  PsDatabase *db = fixture->db;

  assert_int (db, "SELECT count(*) FROM events WHERE type = 'order.imported'"
                  " AND actor = 'import' AND json_extract(data, '$.channel') IS NOT NULL", 3000);
  assert_same (db, "SELECT count(*) FROM events WHERE type = 'label.created'",
               "SELECT count(*) FROM shipments");
  assert_same (db, "SELECT count(*) FROM events WHERE type = 'shipment.delivered'",
               "SELECT count(*) FROM shipments WHERE delivered_at IS NOT NULL");
  assert_same (db, "SELECT count(*) FROM events WHERE type = 'tracking.status_changed'"
                   " AND json_extract(data, '$.from') = 'pre_transit'"
                   " AND json_extract(data, '$.to') = 'in_transit'",
               "SELECT count(*) FROM shipments WHERE first_scan_at IS NOT NULL");
  assert_some (db, "SELECT count(*) FROM events WHERE type = 'order.status_changed'"
                   " AND json_extract(data, '$.to') = 'delivered'");
  assert_none (db, "SELECT count(*) FROM events WHERE json_valid(data) = 0");
  /* Status changes chain: each one starts where the previous one ended. */
  assert_none (db, "SELECT count(*) FROM (SELECT json_extract(data, '$.from') AS f,"
                   "  lag(json_extract(data, '$.to')) OVER"
                   "   (PARTITION BY order_id ORDER BY occurred_at, id) AS prev"
                   "  FROM events WHERE type = 'order.status_changed')"
                   " WHERE prev IS NOT NULL AND prev != f");
  assert_none (db, "SELECT count(*) FROM (SELECT json_extract(data, '$.from') AS f,"
                   "  lag(json_extract(data, '$.to')) OVER"
                   "   (PARTITION BY shipment_id ORDER BY occurred_at, id) AS prev"
                   "  FROM events WHERE type = 'tracking.status_changed')"
                   " WHERE prev IS NOT NULL AND prev != f");
  assert_none (db, "SELECT count(*) FROM events e JOIN orders o ON o.id = e.order_id"
                   " WHERE e.occurred_at < o.created_at");

  /* The last order.status_changed of each order names its status now. */
  assert_none (db, "SELECT count(*) FROM orders o WHERE status != coalesce("
                   " (SELECT json_extract(data, '$.to') FROM events"
                   "  WHERE order_id = o.id AND type = 'order.status_changed'"
                   "  ORDER BY occurred_at DESC, id DESC LIMIT 1),"
                   " CASE WHEN paid_at IS NULL THEN 'awaiting_payment'"
                   " ELSE 'awaiting_shipment' END)");
}

static void
on_timeout_cancel (gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

static void
test_cancel (void)
{
  g_autoptr(PsDatabase) db = open_db ("cancel.db");
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree PsDemoStats *stats = NULL;

  /* Cancelled before the job starts. */
  g_cancellable_cancel (before);
  stats = generate (db, 100, 1, before, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);
  g_clear_error (&error);

  /* Cancelled while a big history is being written: rolled back. */
  g_timeout_add_once (50, on_timeout_cancel, during);
  stats = generate (db, 1000000, 1, during, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (stats);

  assert_none (db, "SELECT count(*) FROM orders");
  assert_none (db, "SELECT count(*) FROM events");
  assert_none (db, "SELECT count(*) FROM meta WHERE key = 'demo'");

  /* The database is still usable afterwards. */
  g_clear_pointer (&stats, g_free);
  stats = generate_ok (db, 50, 1);
  assert_int (db, "SELECT count(*) FROM orders", 50);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/services/demo/determinism", test_determinism);
  g_test_add ("/services/demo/meta", Fixture, NULL,
              fixture_setup, test_meta, fixture_teardown);
  g_test_add ("/services/demo/history", Fixture, NULL,
              fixture_setup, test_history_shape, fixture_teardown);
  g_test_add ("/services/demo/totals", Fixture, NULL,
              fixture_setup, test_totals, fixture_teardown);
  g_test_add ("/services/demo/carriers", Fixture, NULL,
              fixture_setup, test_carriers, fixture_teardown);
  g_test_add ("/services/demo/shipments", Fixture, NULL,
              fixture_setup, test_shipments, fixture_teardown);
  g_test_add ("/services/demo/exceptions", Fixture, NULL,
              fixture_setup, test_exceptions, fixture_teardown);
  g_test_add ("/services/demo/cost-drift", Fixture, NULL,
              fixture_setup, test_cost_drift, fixture_teardown);
  g_test_add ("/services/demo/returns", Fixture, NULL,
              fixture_setup, test_returns, fixture_teardown);
  g_test_add ("/services/demo/events", Fixture, NULL,
              fixture_setup, test_events, fixture_teardown);
  g_test_add_func ("/services/demo/cancel", test_cancel);

  return g_test_run ();
}
