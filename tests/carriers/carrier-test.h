/* carrier-test.h: run PsCarrier's async operations to completion in tests
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each helper starts one operation and iterates the default main context
 * until it completes, so the async/finish pair really runs (STYLE.md 3.14).
 */

#pragma once

#include <string.h>

#include "ps-carrier.h"

static void
carrier_test_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
carrier_test_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static G_GNUC_UNUSED GPtrArray *
carrier_test_quote (PsCarrier      *carrier,
                    PsRateRequest  *request,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_quote_rates_async (carrier, request, cancellable, carrier_test_result_cb, &result);
  return ps_carrier_quote_rates_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED PsPurchase *
carrier_test_buy (PsCarrier      *carrier,
                  PsRateRequest  *request,
                  PsRate         *rate,
                  PsLabelFormat   format,
                  const char     *key,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_buy_label_async (carrier, request, rate, format, key, cancellable,
                              carrier_test_result_cb, &result);
  return ps_carrier_buy_label_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED PsPurchase *
carrier_test_lookup (PsCarrier   *carrier,
                     const char  *shipment_id,
                     const char  *key,
                     GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_lookup_purchase_async (carrier, shipment_id, key, NULL, carrier_test_result_cb,
                                    &result);
  return ps_carrier_lookup_purchase_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED gboolean
carrier_test_void (PsCarrier   *carrier,
                   const char  *shipment_id,
                   const char  *tracking_number,
                   GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_void_label_async (carrier, shipment_id, tracking_number, NULL,
                               carrier_test_result_cb, &result);
  return ps_carrier_void_label_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED PsTrackingUpdate *
carrier_test_track (PsCarrier   *carrier,
                    const char  *tracking_number,
                    const char  *shipment_id,
                    GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_track_async (carrier, tracking_number, shipment_id, NULL, carrier_test_result_cb,
                          &result);
  return ps_carrier_track_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED gboolean
carrier_test_connection (PsCarrier  *carrier,
                         GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ps_carrier_test_connection_async (carrier, NULL, carrier_test_result_cb, &result);
  return ps_carrier_test_connection_finish (carrier, carrier_test_wait (&result), error);
}

static G_GNUC_UNUSED PsAddress *
carrier_test_address (const char *line1,
                      const char *city,
                      const char *state,
                      const char *postcode,
                      const char *country)
{
  PsAddress *address = ps_address_new ();

  address->name = g_strdup ("Ada Lovelace");
  address->line1 = g_strdup (line1);
  address->city = g_strdup (city);
  address->state = g_strdup (state);
  address->postcode = g_strdup (postcode);
  address->country = g_strdup (country);
  return address;
}

/* A request from New York (ZIP 10001) to @postcode in @country. */
static G_GNUC_UNUSED PsRateRequest *
carrier_test_request (const char *postcode,
                      const char *country,
                      gint64      grams)
{
  g_autoptr(PsAddress) from = carrier_test_address ("350 5th Ave", "New York", "NY", "10001", "US");
  g_autoptr(PsAddress) to = carrier_test_address ("1 Main St", "Springfield",
                                                  g_str_equal (country, "US") ? "IL" : NULL,
                                                  postcode, country);
  PsParcel parcel = { grams, 0, 0, 0 };
  PsRateRequest *request = ps_rate_request_new (from, to, &parcel);

  request->ship_date = 1767225600; /* 2026-01-01 00:00 UTC, a Thursday */
  return request;
}

static G_GNUC_UNUSED PsRate *
carrier_test_find_rate (GPtrArray  *rates,
                        const char *service_code)
{
  for (guint i = 0; i < rates->len; i++)
    {
      PsRate *rate = g_ptr_array_index (rates, i);

      if (g_strcmp0 (rate->service_code, service_code) == 0)
        return rate;
    }
  return NULL;
}
