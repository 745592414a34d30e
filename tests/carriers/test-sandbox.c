/* test-sandbox.c: the deterministic built-in carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-sandbox"

#include "config.h"

#include "carrier-test.h"
#include "ps-carrier-sandbox.h"
#include "ps-enum-types.h"
#include "ps-tracking-number.h"

#define HOUR ((gint64) 3600)
#define DAY (24 * HOUR)
#define T0 ((gint64) 1767261600) /* 2026-01-01 10:00 UTC */

static gint64
fixed_now (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static PsCarrierSandbox *
sandbox_at (guint64  seed,
            gint64  *clock)
{
  PsCarrierSandbox *sandbox = ps_carrier_sandbox_new (seed);

  ps_carrier_sandbox_set_now_func (sandbox, fixed_now, clock, NULL);
  return sandbox;
}

static void
test_determinism (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) a = sandbox_at (7, &clock);
  g_autoptr(PsCarrierSandbox) b = sandbox_at (7, &clock);
  g_autoptr(PsCarrierSandbox) c = sandbox_at (8, &clock);
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 1200);
  g_autoptr(GPtrArray) ra = carrier_test_quote (PS_CARRIER (a), request, NULL, NULL);
  g_autoptr(GPtrArray) rb = carrier_test_quote (PS_CARRIER (b), request, NULL, NULL);
  g_autoptr(GPtrArray) rc = carrier_test_quote (PS_CARRIER (c), request, NULL, NULL);
  g_autoptr(PsPurchase) pa = NULL;
  g_autoptr(PsPurchase) pb = NULL;
  gboolean differs = FALSE;

  g_assert_nonnull (ra);
  g_assert_cmpuint (ra->len, ==, 9);
  g_assert_cmpuint (ra->len, ==, rb->len);
  for (guint i = 0; i < ra->len; i++)
    {
      PsRate *x = g_ptr_array_index (ra, i), *y = g_ptr_array_index (rb, i);
      PsRate *z = carrier_test_find_rate (rc, x->service_code);

      g_assert_cmpstr (x->service_code, ==, y->service_code);
      g_assert_cmpint (x->price.minor, ==, y->price.minor);
      g_assert_cmpint (x->estimated_delivery, ==, y->estimated_delivery);
      g_assert_cmpstr (x->backend, ==, "sandbox");
      g_assert_cmpstr (x->price.currency, ==, "USD");
      g_assert_nonnull (z);
      differs |= z->price.minor != x->price.minor;
    }
  g_assert_true (differs);

  pa = carrier_test_buy (PS_CARRIER (a), request, g_ptr_array_index (ra, 0), PS_LABEL_FORMAT_PDF,
                         "order-1/1", NULL, NULL);
  pb = carrier_test_buy (PS_CARRIER (b), request, g_ptr_array_index (rb, 0), PS_LABEL_FORMAT_PDF,
                         "order-1/1", NULL, NULL);
  g_assert_nonnull (pa);
  g_assert_cmpstr (pa->tracking_number, ==, pb->tracking_number);
  g_assert_cmpstr (pa->carrier_shipment_id, ==, pb->carrier_shipment_id);
  g_assert_null (pa->label);
  g_assert_cmpint (pa->purchased_at, ==, T0);
}

static gint64
price_of (PsCarrierSandbox *sandbox,
          const char       *postcode,
          gint64            grams,
          gint64            length_mm,
          const char       *service)
{
  g_autoptr(PsRateRequest) request = carrier_test_request (postcode, "US", grams);
  g_autoptr(GPtrArray) rates = NULL;
  PsRate *rate;

  request->parcel.length_mm = request->parcel.width_mm = request->parcel.height_mm = length_mm;
  rates = carrier_test_quote (PS_CARRIER (sandbox), request, NULL, NULL);
  g_assert_nonnull (rates);
  rate = carrier_test_find_rate (rates, service);
  g_assert_nonnull (rate);
  return rate->price.minor;
}

static void
test_prices_rise (void)
{
  static const char * const services[] = {
    "usps_ground_advantage", "usps_priority", "usps_priority_express", "ups_ground",
    "ups_2nd_day_air", "ups_next_day_air_saver", "fedex_ground", "fedex_home_delivery",
    "fedex_2day",
  };
  /* From ZIP 100: 10010 is local, 60601 mid-country, 94107 across. */
  static const char * const by_zone[] = { "10010", "30301", "60601", "94107" };
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (1, &clock);

  for (guint s = 0; s < G_N_ELEMENTS (services); s++)
    {
      gint64 last = 0;

      for (gint64 grams = 400; grams <= 20000; grams += 1300)
        {
          gint64 price = price_of (sandbox, "60601", grams, 0, services[s]);

          g_assert_cmpint (price, >, last);
          last = price;
        }
      last = 0;
      for (guint z = 0; z < G_N_ELEMENTS (by_zone); z++)
        {
          gint64 price = price_of (sandbox, by_zone[z], 2000, 0, services[s]);

          g_assert_cmpint (price, >, last);
          last = price;
        }
      /* Same band: the same price. */
      g_assert_cmpint (price_of (sandbox, "60601", 100, 0, services[s]), ==,
                       price_of (sandbox, "60601", 450, 0, services[s]));
    }

  /* Dimensional weight: a 500 g pillow in a 40 cm cube costs as 12.8 kg
   * with UPS, and as 500 g in a small box. */
  g_assert_cmpint (price_of (sandbox, "60601", 500, 400, "ups_ground"), >,
                   price_of (sandbox, "60601", 500, 100, "ups_ground"));
  g_assert_cmpint (price_of (sandbox, "60601", 500, 400, "ups_ground"), ==,
                   price_of (sandbox, "60601", 12800, 100, "ups_ground"));
  /* USPS applies it only above one cubic foot. */
  g_assert_cmpint (price_of (sandbox, "60601", 500, 250, "usps_priority"), ==,
                   price_of (sandbox, "60601", 500, 100, "usps_priority"));
}

static void
test_cheapest_fastest (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (3, &clock);
  g_autoptr(PsRateRequest) domestic = carrier_test_request ("94107", "US", 900);
  g_autoptr(PsRateRequest) abroad = carrier_test_request ("SW1A 1AA", "GB", 900);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), domestic, NULL, NULL);
  g_autoptr(GPtrArray) intl = carrier_test_quote (PS_CARRIER (sandbox), abroad, NULL, NULL);
  PsRate *cheapest = ps_rates_find_cheapest (rates);
  PsRate *fastest = ps_rates_find_fastest (rates);

  g_assert_nonnull (cheapest);
  g_assert_nonnull (fastest);
  g_assert_true (cheapest != fastest);
  for (guint i = 0; i < rates->len; i++)
    {
      PsRate *r = g_ptr_array_index (rates, i);

      g_assert_cmpint (cheapest->price.minor, <=, r->price.minor);
      g_assert_cmpint (fastest->transit_days, <=, r->transit_days);
      g_assert_cmpint (r->transit_days, >, 0);
      g_assert_cmpint (r->estimated_delivery, >, domestic->ship_date);
    }
  g_assert_cmpint (fastest->transit_days, ==, 1);
  g_assert_cmpstr (cheapest->service_code, ==, "usps_ground_advantage");

  /* Abroad: only the international services, DHL among them. */
  g_assert_cmpuint (intl->len, ==, 2);
  g_assert_nonnull (carrier_test_find_rate (intl, "dhl_express_worldwide"));
  g_assert_null (carrier_test_find_rate (intl, "ups_ground"));
}

static void
test_tracking_numbers_valid (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (11, &clock);
  g_autoptr(PsRateRequest) domestic = carrier_test_request ("30301", "US", 1500);
  g_autoptr(PsRateRequest) abroad = carrier_test_request ("2000", "AU", 1500);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), domestic, NULL, NULL);
  g_autoptr(GPtrArray) intl = carrier_test_quote (PS_CARRIER (sandbox), abroad, NULL, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_ptr_array_extend_and_steal (rates, g_steal_pointer (&intl));
  for (guint i = 0; i < rates->len; i++)
    for (guint n = 0; n < 40; n++)
      {
        PsRate *rate = g_ptr_array_index (rates, i);
        g_autofree char *key = g_strdup_printf ("%s/%u", rate->service_code, n);
        g_autoptr(PsPurchase) p = NULL;
        PsTrackingFormat format = ps_tracking_format_for_carrier (rate->carrier_code);

        p = carrier_test_buy (PS_CARRIER (sandbox),
                              g_str_has_prefix (rate->service_code, "dhl")
                              || g_str_has_suffix (rate->service_code, "international")
                              ? abroad : domestic, rate, PS_LABEL_FORMAT_ZPL, key, NULL, NULL);
        g_assert_nonnull (p);
        g_assert_cmpint (format, !=, PS_TRACKING_FORMAT_UNKNOWN);
        g_assert_true (ps_tracking_number_is_valid (format, p->tracking_number));
        g_assert_cmpint (ps_tracking_number_detect (p->tracking_number), ==, format);
        g_assert_cmpstr (p->tracking_carrier, ==, rate->carrier_code);
        g_assert_cmpint (p->price.minor, ==, rate->price.minor);
        g_assert_true (g_hash_table_add (seen, g_strdup (p->tracking_number)));
      }
}

static void
test_tracking_progression (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (5, &clock);
  g_autoptr(PsRateRequest) domestic = carrier_test_request ("94107", "US", 700);
  g_autoptr(PsRateRequest) abroad = carrier_test_request ("75001", "FR", 700);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), domestic, NULL, NULL);
  g_autoptr(GPtrArray) intl = carrier_test_quote (PS_CARRIER (sandbox), abroad, NULL, NULL);
  guint reasons[PS_EXCEPTION_REASON_OTHER + 1] = { 0 };
  guint delivered = 0, n = 0, exceptions_seen = 0;

  for (guint i = 0; i < 400; i++)
    {
      gboolean international = i % 4 == 3;
      GPtrArray *list = international ? intl : rates;
      PsRate *rate = g_ptr_array_index (list, i % list->len);
      g_autofree char *key = g_strdup_printf ("track/%u", i);
      g_autoptr(PsPurchase) p = NULL;
      g_autoptr(PsTrackingUpdate) at_buy = NULL;
      g_autoptr(PsTrackingUpdate) final = NULL;
      PsTrackingStatus last_status = PS_TRACKING_STATUS_UNKNOWN;
      gboolean had_exception = FALSE;

      clock = T0 + (gint64) i * 3 * HOUR;
      p = carrier_test_buy (PS_CARRIER (sandbox), international ? abroad : domestic, rate,
                            PS_LABEL_FORMAT_PDF, key, NULL, NULL);
      g_assert_nonnull (p);

      at_buy = carrier_test_track (PS_CARRIER (sandbox), p->tracking_number,
                                   p->carrier_shipment_id, NULL);
      g_assert_nonnull (at_buy);
      g_assert_cmpint (at_buy->status, ==, PS_TRACKING_STATUS_PRE_TRANSIT);
      g_assert_cmpuint (at_buy->events->len, ==, 1);
      g_assert_cmpint (at_buy->estimated_delivery, >, p->purchased_at);

      /* Walk the clock in 6-hour steps: the history only grows, in time
       * order, and never goes back to pre_transit after the first scan. */
      for (gint64 t = p->purchased_at; t <= p->purchased_at + 20 * DAY; t += 6 * HOUR)
        {
          g_autoptr(PsTrackingUpdate) u = ps_carrier_sandbox_track_at (sandbox, NULL,
                                                                       p->carrier_shipment_id,
                                                                       t, NULL);
          PsTrackingEvent *last = g_ptr_array_index (u->events, u->events->len - 1);

          for (guint e = 1; e < u->events->len; e++)
            g_assert_cmpint (((PsTrackingEvent *) g_ptr_array_index (u->events, e - 1))->time,
                             <=, ((PsTrackingEvent *) g_ptr_array_index (u->events, e))->time);
          g_assert_cmpint (last->time, <=, t);
          g_assert_cmpint (u->status, ==, last->status);
          if (last_status != PS_TRACKING_STATUS_UNKNOWN
              && last_status != PS_TRACKING_STATUS_PRE_TRANSIT)
            g_assert_cmpint (u->status, !=, PS_TRACKING_STATUS_PRE_TRANSIT);
          if (u->status == PS_TRACKING_STATUS_EXCEPTION)
            {
              g_assert_cmpint (u->reason, !=, PS_EXCEPTION_REASON_NONE);
              if (!had_exception)
                reasons[u->reason]++;
              had_exception = TRUE;
            }
          else
            g_assert_cmpint (u->reason, ==, PS_EXCEPTION_REASON_NONE);
          last_status = u->status;
        }
      exceptions_seen += had_exception;

      clock = p->purchased_at + 20 * DAY;
      final = carrier_test_track (PS_CARRIER (sandbox), p->tracking_number, NULL, NULL);
      g_assert_nonnull (final);
      g_assert_true (final->status == PS_TRACKING_STATUS_DELIVERED
                     || final->status == PS_TRACKING_STATUS_EXCEPTION);
      if (final->status == PS_TRACKING_STATUS_DELIVERED)
        {
          PsTrackingEvent *first_scan = g_ptr_array_index (final->events, 1);

          delivered++;
          g_assert_cmpint (first_scan->status, ==, PS_TRACKING_STATUS_IN_TRANSIT);
          g_assert_cmpint (first_scan->time - p->purchased_at, >=, 4 * HOUR);
          g_assert_cmpint (first_scan->time - p->purchased_at, <, 24 * HOUR);
        }
      else
        g_assert_true (final->reason == PS_EXCEPTION_REASON_LOST
                       || final->reason == PS_EXCEPTION_REASON_ADDRESS_ISSUE);
      n++;
    }

  g_test_message ("%u of %u delivered, %u met an exception", delivered, n, exceptions_seen);
  /* About one in eight runs into trouble: a share, not all or nothing. */
  g_assert_cmpuint (exceptions_seen, >=, n / 20);
  g_assert_cmpuint (exceptions_seen, <=, n / 4);
  g_assert_cmpuint (delivered, >=, n * 9 / 10);
  for (PsExceptionReason r = PS_EXCEPTION_REASON_ADDRESS_ISSUE;
       r <= PS_EXCEPTION_REASON_WEATHER; r++)
    {
      g_test_message ("%s: %u", ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, r), reasons[r]);
      g_assert_cmpuint (reasons[r], >, 0);
    }
}

static void
test_void_rules (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (2, &clock);
  g_autoptr(PsRateRequest) request = carrier_test_request ("60601", "US", 700);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), request, NULL, NULL);
  g_autoptr(PsPurchase) early = carrier_test_buy (PS_CARRIER (sandbox), request,
                                                  g_ptr_array_index (rates, 0),
                                                  PS_LABEL_FORMAT_PDF, "v1", NULL, NULL);
  g_autoptr(PsPurchase) late = carrier_test_buy (PS_CARRIER (sandbox), request,
                                                 g_ptr_array_index (rates, 1),
                                                 PS_LABEL_FORMAT_PDF, "v2", NULL, NULL);
  g_autoptr(PsTrackingUpdate) voided = NULL;
  g_autoptr(GError) error = NULL;

  /* Before the first scan (at least 4 hours after purchase): void works,
   * twice is harmless, and tracking says cancelled from then on. */
  clock = T0 + HOUR;
  g_assert_true (carrier_test_void (PS_CARRIER (sandbox), early->carrier_shipment_id, NULL,
                                    &error));
  g_assert_no_error (error);
  g_assert_true (carrier_test_void (PS_CARRIER (sandbox), NULL, early->tracking_number, &error));
  g_assert_no_error (error);
  clock = T0 + 10 * DAY;
  voided = carrier_test_track (PS_CARRIER (sandbox), early->tracking_number, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (voided->status, ==, PS_TRACKING_STATUS_CANCELLED);

  /* After it: refused. */
  clock = T0 + 2 * DAY;
  g_assert_false (carrier_test_void (PS_CARRIER (sandbox), late->carrier_shipment_id,
                                     late->tracking_number, &error));
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED);
  g_clear_error (&error);

  /* A label the sandbox never sold. */
  g_assert_false (carrier_test_void (PS_CARRIER (sandbox), NULL, "9400100000000000000000",
                                     &error));
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_FOUND);
}

static void
assert_quote_fails (PsCarrierSandbox *sandbox,
                    PsRateRequest    *request,
                    int               code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), request, NULL, &error);

  g_assert_null (rates);
  g_assert_error (error, PS_CARRIER_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_faults (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (4, &clock);
  g_autoptr(PsRateRequest) zip = carrier_test_request ("00000", "US", 700);
  g_autoptr(PsRateRequest) street = carrier_test_request ("60601", "US", 700);
  g_autoptr(PsRateRequest) weight = carrier_test_request ("60601", "US", 0);
  g_autoptr(PsRateRequest) good = carrier_test_request ("60601", "US", 700);
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(PsPurchase) cheap = NULL;
  g_autoptr(PsPurchase) again = NULL;
  g_autoptr(PsPurchase) dear = NULL;
  g_autoptr(GError) error = NULL;
  PsRate *cheapest, *fastest;
  gint64 balance;

  g_clear_pointer (&street->ship_to->line1, g_free);
  assert_quote_fails (sandbox, zip, PS_CARRIER_ERROR_INVALID_ADDRESS);
  assert_quote_fails (sandbox, street, PS_CARRIER_ERROR_INVALID_ADDRESS);
  assert_quote_fails (sandbox, weight, PS_CARRIER_ERROR_INVALID_PARCEL);

  /* A low balance: the cheap label fits, the express one does not, and a
   * repeated buy with the same key is not charged twice. */
  rates = carrier_test_quote (PS_CARRIER (sandbox), good, NULL, NULL);
  cheapest = ps_rates_find_cheapest (rates);
  fastest = carrier_test_find_rate (rates, "usps_priority_express");
  ps_carrier_sandbox_set_balance (sandbox, cheapest->price.minor + 1000);
  cheap = carrier_test_buy (PS_CARRIER (sandbox), good, cheapest, PS_LABEL_FORMAT_PDF, "f1", NULL,
                            &error);
  g_assert_no_error (error);
  balance = ps_carrier_sandbox_get_balance (sandbox);
  g_assert_cmpint (balance, ==, 1000);
  again = carrier_test_buy (PS_CARRIER (sandbox), good, cheapest, PS_LABEL_FORMAT_PDF, "f1", NULL,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->tracking_number, ==, cheap->tracking_number);
  g_assert_cmpint (ps_carrier_sandbox_get_balance (sandbox), ==, balance);
  dear = carrier_test_buy (PS_CARRIER (sandbox), good, fastest, PS_LABEL_FORMAT_PDF, "f2", NULL,
                           &error);
  g_assert_null (dear);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_INSUFFICIENT_FUNDS);
  g_clear_error (&error);

  /* A domestic service to another country. */
  {
    g_autoptr(PsRateRequest) abroad = carrier_test_request ("75001", "FR", 700);
    g_autoptr(PsPurchase) wrong = carrier_test_buy (PS_CARRIER (sandbox), abroad, cheapest,
                                                    PS_LABEL_FORMAT_PDF, NULL, NULL, &error);

    g_assert_null (wrong);
    g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE);
  }
}

static void
test_lookup_and_cancel (void)
{
  gint64 clock = T0;
  g_autoptr(PsCarrierSandbox) sandbox = sandbox_at (9, &clock);
  g_autoptr(PsRateRequest) request = carrier_test_request ("60601", "US", 700);
  g_autoptr(GPtrArray) rates = carrier_test_quote (PS_CARRIER (sandbox), request, NULL, NULL);
  g_autoptr(PsPurchase) bought = carrier_test_buy (PS_CARRIER (sandbox), request,
                                                   g_ptr_array_index (rates, 0),
                                                   PS_LABEL_FORMAT_PNG, "k1", NULL, NULL);
  g_autoptr(PsPurchase) found = NULL;
  g_autoptr(PsPurchase) by_id = NULL;
  g_autoptr(PsPurchase) missing = NULL;
  g_autoptr(GPtrArray) cancelled_rates = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  found = carrier_test_lookup (PS_CARRIER (sandbox), NULL, "k1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->tracking_number, ==, bought->tracking_number);
  by_id = carrier_test_lookup (PS_CARRIER (sandbox), bought->carrier_shipment_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (by_id->tracking_number, ==, bought->tracking_number);
  missing = carrier_test_lookup (PS_CARRIER (sandbox), NULL, "never-bought", &error);
  g_assert_no_error (error);
  g_assert_null (missing);

  g_cancellable_cancel (cancellable);
  cancelled_rates = carrier_test_quote (PS_CARRIER (sandbox), request, cancellable, &error);
  g_assert_null (cancelled_rates);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_true (carrier_test_connection (PS_CARRIER (sandbox), NULL));
  g_assert_cmpint (ps_carrier_get_capabilities (PS_CARRIER (sandbox)) & PS_CARRIER_WORKS_OFFLINE,
                   !=, 0);
}

static void
test_registry (void)
{
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autoptr(PsCarrier) carrier = NULL;
  g_autoptr(PsCarrier) unknown = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (settings, "seed", 42);
  json_object_set_int_member (settings, "balance_minor", 5000);
  carrier = ps_carrier_new_for_backend ("sandbox", settings, &error);
  g_assert_no_error (error);
  g_assert_true (PS_IS_CARRIER_SANDBOX (carrier));
  g_assert_cmpstr (ps_carrier_get_id (carrier), ==, "sandbox");
  g_assert_cmpint (ps_carrier_sandbox_get_balance (PS_CARRIER_SANDBOX (carrier)), ==, 5000);

  unknown = ps_carrier_new_for_backend ("pigeon", NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/carriers/sandbox/determinism", test_determinism);
  g_test_add_func ("/carriers/sandbox/prices-rise", test_prices_rise);
  g_test_add_func ("/carriers/sandbox/cheapest-fastest", test_cheapest_fastest);
  g_test_add_func ("/carriers/sandbox/tracking-numbers-valid", test_tracking_numbers_valid);
  g_test_add_func ("/carriers/sandbox/tracking-progression", test_tracking_progression);
  g_test_add_func ("/carriers/sandbox/void-rules", test_void_rules);
  g_test_add_func ("/carriers/sandbox/faults", test_faults);
  g_test_add_func ("/carriers/sandbox/lookup-and-cancel", test_lookup_and_cancel);
  g_test_add_func ("/carriers/sandbox/registry", test_registry);

  return g_test_run ();
}
