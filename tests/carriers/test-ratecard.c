/* test-ratecard.c: rate tables from CSV and the offline rate card carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ratecard"

#include "config.h"

#include "carrier-test.h"
#include "ps-carrier-ratecard.h"

static const char good_csv[] =
  "\xef\xbb\xbf" "Service,Destination,Max_Weight,Price,Transit_Days\r\n"
  "Standard,1,500g,6.20,1\r\n"
  "Standard,1,1kg,7.40,1\r\n"
  "Standard,zone 6,500g,9.10,3\r\n"
  "Standard,*,2kg,14.00,4\r\n"
  "\r\n"
  "\"Same day, city\",1,2 lb,19.99,\r\n"
  "International,CA,16oz,21.50,7\r\n"
  "International,*,1kg,35,9\r\n";

static PsRateTable *
parse_good (void)
{
  g_autoptr(GError) error = NULL;
  PsRateTable *table = ps_rate_table_parse_csv (good_csv, -1, "USD", NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (table);
  return table;
}

static void
test_parse_good (void)
{
  g_autoptr(PsRateTable) table = parse_good ();
  g_auto(GStrv) services = ps_rate_table_dup_services (table);

  g_assert_cmpuint (ps_rate_table_get_n_rows (table), ==, 7);
  g_assert_cmpstr (ps_rate_table_get_currency (table), ==, "USD");
  g_assert_cmpuint (g_strv_length (services), ==, 3);
  g_assert_cmpstr (services[0], ==, "Standard");
  g_assert_cmpstr (services[1], ==, "Same day, city");
  g_assert_cmpstr (services[2], ==, "International");
}

static void
assert_price (PsRateTable *table,
              const char  *service,
              int          zone,
              const char  *country,
              gint64       grams,
              gint64       expected)
{
  gint64 price = -1;
  gboolean found = ps_rate_table_lookup (table, service, zone, country, grams, &price, NULL);

  if (expected < 0)
    g_assert_false (found);
  else
    {
      g_assert_true (found);
      g_assert_cmpint (price, ==, expected);
    }
}

static void
test_bands (void)
{
  g_autoptr(PsRateTable) table = parse_good ();
  int days = -1;
  gint64 price;

  /* A weight exactly at the bound is in that band; one gram more is not. */
  assert_price (table, "Standard", 1, NULL, 1, 620);
  assert_price (table, "Standard", 1, NULL, 500, 620);
  assert_price (table, "Standard", 1, NULL, 501, 740);
  assert_price (table, "Standard", 1, NULL, 1000, 740);
  /* Past the zone's own bands, the "*" row. */
  assert_price (table, "Standard", 1, NULL, 1001, 1400);
  assert_price (table, "Standard", 6, NULL, 500, 910);
  assert_price (table, "Standard", 6, NULL, 501, 1400);
  assert_price (table, "Standard", 3, NULL, 2000, 1400);
  assert_price (table, "Standard", 3, NULL, 2001, -1);
  /* 2 lb = 907 g, 16 oz = 454 g. */
  assert_price (table, "Same day, city", 1, NULL, 907, 1999);
  assert_price (table, "Same day, city", 1, NULL, 908, -1);
  assert_price (table, "Same day, city", 2, NULL, 100, -1);
  assert_price (table, "International", 0, "CA", 454, 2150);
  assert_price (table, "International", 0, "ca", 455, 3500);
  assert_price (table, "International", 0, "DE", 100, 3500);
  assert_price (table, "Standard", 0, "DE", 100, 1400);
  assert_price (table, "Nope", 1, NULL, 100, -1);

  g_assert_true (ps_rate_table_lookup (table, "Standard", 6, NULL, 400, &price, &days));
  g_assert_cmpint (days, ==, 3);
  g_assert_true (ps_rate_table_lookup (table, "Same day, city", 1, NULL, 400, &price, &days));
  g_assert_cmpint (days, ==, 0);
}

typedef struct
{
  const char *name;
  const char *csv;
  guint       line;
  guint       column;
} BadCase;

static const BadCase bad_cases[] = {
  { "empty", "", 1, 0 },
  { "header-only", "service,destination,max_weight,price\n", 1, 0 },
  { "missing-column", "service,destination,price\nA,1,2.00\n", 1, 0 },
  { "duplicate-column", "service,price,destination,max_weight,price\n", 1, 5 },
  { "destination", "service,destination,max_weight,price\nA,1,1kg,2.00\nA,zone 9,1kg,2.00\n", 3, 2 },
  { "weight-unit", "service,destination,max_weight,price\n\nA,1,12 stone,2.00\n", 3, 3 },
  { "weight-zero", "service,destination,max_weight,price\nA,1,0g,2.00\n", 2, 3 },
  { "price-decimals", "service,destination,max_weight,price\nA,1,1kg,2.005\n", 2, 4 },
  { "price-comma", "service,destination,max_weight,price\nA,1,1kg,\"2,50\"\n", 2, 4 },
  { "price-sign", "service,destination,max_weight,price\nA,1,1kg,-2\n", 2, 4 },
  { "too-few-fields", "service,destination,max_weight,price\nA,1,1kg,1.00\nB,2,1kg\n", 3, 0 },
  { "empty-service", "service,destination,max_weight,price\n,1,1kg,1.00\n", 2, 1 },
  { "transit-days", "price,service,destination,max_weight,transit_days\n1,A,1,1kg,soon\n", 2, 5 },
  { "currency", "service,destination,max_weight,price,currency\nA,1,1kg,1.00,EUR\n", 2, 5 },
  { "duplicate-band", "service,destination,max_weight,price\nA,1,1kg,1.00\nA,1,1000g,2.00\n", 3, 0 },
  { "quote", "service,destination,max_weight,price\n\"A,1,1kg,1.00\n", 2, 0 },
};

static void
test_bad_lines (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autoptr(GError) error = NULL;
      guint line = 999, column = 999;
      g_autoptr(PsRateTable) table = ps_rate_table_parse_csv (c->csv, -1, NULL, &line, &column,
                                                              &error);

      g_test_message ("%s: %s", c->name, error ? error->message : "(parsed)");
      g_assert_null (table);
      g_assert_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID);
      g_assert_cmpuint (line, ==, c->line);
      g_assert_cmpuint (column, ==, c->column);
    }
}

static char *
to_json_string (PsRateTable *table)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, ps_rate_table_to_json (table));

  return json_to_string (node, FALSE);
}

static void
test_json_round_trip (void)
{
  g_autoptr(PsRateTable) table = parse_good ();
  g_autofree char *first = to_json_string (table);
  g_autoptr(JsonNode) node = json_from_string (first, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRateTable) again = ps_rate_table_new_from_json (json_node_get_object (node), &error);
  g_autofree char *second = NULL;
  g_autoptr(JsonNode) broken = json_from_string ("{\"currency\":\"USD\",\"rows\":[{\"service\":"
                                                 "\"A\",\"destination\":\"zone 12\"}]}", NULL);
  g_autoptr(PsRateTable) bad = NULL;

  g_assert_no_error (error);
  second = to_json_string (again);
  g_assert_cmpstr (first, ==, second);
  g_assert_cmpuint (ps_rate_table_get_n_rows (again), ==, 7);
  assert_price (again, "International", 0, "CA", 454, 2150);

  bad = ps_rate_table_new_from_json (json_node_get_object (broken), &error);
  g_assert_null (bad);
  g_assert_error (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID);
}

static void
test_carrier (void)
{
  g_autoptr(PsRateTable) table = parse_good ();
  g_autoptr(PsCarrierRatecard) card = ps_carrier_ratecard_new ("City Couriers", table, "CC",
                                                               1000, 8);
  PsCarrier *carrier = PS_CARRIER (card);
  /* ZIP 10001 to 10010: zone 1. */
  g_autoptr(PsRateRequest) local = carrier_test_request ("10010", "US", 800);
  g_autoptr(PsRateRequest) heavy = carrier_test_request ("10010", "US", 5000);
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(PsPurchase) first = NULL;
  g_autoptr(PsPurchase) repeat = NULL;
  g_autoptr(PsPurchase) second = NULL;
  g_autoptr(PsPurchase) found = NULL;
  g_autoptr(PsTrackingUpdate) tracked = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(PsCarrier) restored = NULL;
  g_autoptr(PsPurchase) third = NULL;
  g_autoptr(GError) error = NULL;
  PsRate *standard;

  rates = carrier_test_quote (carrier, local, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rates->len, ==, 3); /* "International,*" prices anywhere */
  standard = carrier_test_find_rate (rates, "Standard");
  g_assert_cmpint (standard->price.minor, ==, 740);
  g_assert_cmpstr (standard->carrier, ==, "City Couriers");
  g_assert_cmpstr (standard->backend, ==, "ratecard");
  g_assert_cmpint (carrier_test_find_rate (rates, "Same day, city")->price.minor, ==, 1999);

  none = carrier_test_quote (carrier, heavy, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE);
  g_clear_error (&error);

  first = carrier_test_buy (carrier, local, standard, PS_LABEL_FORMAT_ZPL, "o1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first->tracking_number, ==, "CC00001000");
  g_assert_null (first->label);
  g_assert_cmpstr (first->tracking_carrier, ==, "generic");
  g_assert_cmpint (first->price.minor, ==, 740);
  repeat = carrier_test_buy (carrier, local, standard, PS_LABEL_FORMAT_ZPL, "o1", NULL, &error);
  g_assert_cmpstr (repeat->tracking_number, ==, "CC00001000");
  second = carrier_test_buy (carrier, local, standard, PS_LABEL_FORMAT_ZPL, "o2", NULL, &error);
  g_assert_cmpstr (second->tracking_number, ==, "CC00001001");
  found = carrier_test_lookup (carrier, NULL, "o2", &error);
  g_assert_cmpstr (found->tracking_number, ==, "CC00001001");

  /* No tracking: the capability is off. */
  tracked = carrier_test_track (carrier, "CC00001000", NULL, &error);
  g_assert_null (tracked);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (ps_carrier_get_capabilities (carrier) & PS_CARRIER_CAN_TRACK, ==, 0);

  /* The settings carry the table and the next number of the range. */
  settings = ps_carrier_ratecard_dup_settings (card);
  restored = ps_carrier_new_for_backend ("ratecard", settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ps_carrier_get_display_name (restored), ==, "City Couriers");
  third = carrier_test_buy (restored, local, standard, PS_LABEL_FORMAT_PDF, "o3", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (third->tracking_number, ==, "CC00001002");
}

static void
test_range_exhausted (void)
{
  g_autoptr(PsRateTable) table = parse_good ();
  g_autoptr(PsCarrierRatecard) card = ps_carrier_ratecard_new ("Tiny", table, "T", 9, 1);
  g_autoptr(PsRateRequest) local = carrier_test_request ("10010", "US", 800);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (card), local, NULL, NULL);
  g_autoptr(PsPurchase) last = NULL;
  g_autoptr(PsPurchase) over = NULL;
  g_autoptr(GError) error = NULL;

  last = carrier_test_buy (PS_CARRIER (card), local, g_ptr_array_index (rates, 0),
                           PS_LABEL_FORMAT_PDF, NULL, NULL, &error);
  g_assert_cmpstr (last->tracking_number, ==, "T9");
  over = carrier_test_buy (PS_CARRIER (card), local, g_ptr_array_index (rates, 0),
                           PS_LABEL_FORMAT_PDF, NULL, NULL, &error);
  g_assert_null (over);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/carriers/ratecard/parse-good", test_parse_good);
  g_test_add_func ("/carriers/ratecard/bands", test_bands);
  g_test_add_func ("/carriers/ratecard/bad-lines", test_bad_lines);
  g_test_add_func ("/carriers/ratecard/json-round-trip", test_json_round_trip);
  g_test_add_func ("/carriers/ratecard/carrier", test_carrier);
  g_test_add_func ("/carriers/ratecard/range-exhausted", test_range_exhausted);

  return g_test_run ();
}
