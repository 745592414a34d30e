/* test-easypost.c: the EasyPost backend against a real SoupServer on 127.0.0.1
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server serves our own fixtures (tests/carriers/data/easypost-*.json,
 * in the shapes of EasyPost's recorded responses) and can be told to fail
 * in each way EasyPost fails. An optional test replays the recorded
 * samples in ../shared/samples when they are there.
 */

#define G_LOG_DOMAIN "test-easypost"

#include "config.h"

#include <libsoup/soup.h>

#include "carrier-test.h"
#include "ps-carrier-easypost.h"

static const char png_bytes[] = "\x89PNG\r\n\x1a\nfake label";
static const char pdf_bytes[] = "%PDF-1.4\n% fake label\n";

typedef struct
{
  SoupServer *server;
  char       *root;         /* http://127.0.0.1:PORT */
  char       *base;         /* root + /v2 */
  const char *mode;         /* NULL: behave */
  const char *samples_dir;  /* replay ../shared/samples instead of fixtures */
  guint       n_requests;
  guint       n_buys;
  guint       n_429;
  gboolean    bought;
  gboolean    converted;
  char       *last_auth;
  char       *shipment_body;
  GPtrArray  *paused;
} Fixture;

static char *
load_text (Fixture    *f,
           const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "carriers", "data", name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* A recorded sample's "body", label URLs pointed at this server. */
static char *
load_sample_body (Fixture    *f,
                  const char *name)
{
  g_autofree char *path = g_build_filename (f->samples_dir, name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) out = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  body = json_node_copy (json_object_get_member (json_node_get_object (json_parser_get_root (parser)),
                                                 "body"));
  text = json_to_string (body, FALSE);
  out = g_string_new (text);
  g_string_replace (out, "https://easypost-files.s3.us-west-2.amazonaws.com", f->root, 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
respond_fixture (Fixture           *f,
                 SoupServerMessage *msg,
                 guint              status,
                 const char        *name)
{
  g_autofree char *text = f->samples_dir ? load_sample_body (f, name) : load_text (f, name);
  g_autoptr(GString) out = g_string_new (text);
  g_autofree char *pdf = g_strdup_printf ("\"%s/files/label.pdf\"", f->root);

  g_string_replace (out, "@BASE@", f->root, 0);
  g_string_replace (out, "@PDF_URL@", f->converted ? pdf : "null", 0);
  respond (msg, status, out->str);
}

static gboolean
fail_by_mode (Fixture           *f,
              SoupServerMessage *msg)
{
  if (f->mode == NULL)
    return FALSE;
  if (g_str_equal (f->mode, "hang"))
    {
      soup_server_message_pause (msg);
      g_ptr_array_add (f->paused, g_object_ref (msg));
      return TRUE;
    }
  if (g_str_equal (f->mode, "401") || g_str_equal (f->mode, "403"))
    respond (msg, g_str_equal (f->mode, "401") ? 401 : 403,
             "{\"error\":{\"code\":\"APIKEY.INACTIVE\",\"message\":\"This api key is no "
             "longer active.\",\"errors\":[]}}");
  else if (g_str_equal (f->mode, "422-address"))
    respond (msg, 422, "{\"error\":{\"code\":\"ADDRESS.VERIFY.FAILURE\",\"message\":\"Unable to "
                       "verify address.\",\"errors\":[{\"field\":\"to_address.street1\","
                       "\"message\":\"cannot be blank\"}]}}");
  else if (g_str_equal (f->mode, "422-parcel"))
    respond (msg, 422, "{\"error\":{\"code\":\"PARAMETER.INVALID\",\"message\":\"Invalid "
                       "parameter.\",\"errors\":[{\"field\":\"parcel.weight\",\"message\":"
                       "\"must be greater than 0\"}]}}");
  else if (g_str_equal (f->mode, "422-service"))
    respond (msg, 422, "{\"error\":{\"code\":\"SHIPMENT.RATE.UNAVAILABLE\",\"message\":\"Rate "
                       "unavailable.\",\"errors\":[\"The selected service does not serve this "
                       "route\"]}}");
  else if (g_str_equal (f->mode, "402"))
    respond (msg, 402, "{\"error\":{\"code\":\"PAYMENT.REQUIRED\",\"message\":\"Add a payment "
                       "method.\",\"errors\":[]}}");
  else if (g_str_equal (f->mode, "funds"))
    respond (msg, 422, "{\"error\":{\"code\":\"SHIPMENT.POSTAGE.FAILURE\",\"message\":"
                       "\"Insufficient funds in your account.\",\"errors\":[]}}");
  else if (g_str_equal (f->mode, "500"))
    respond (msg, 500, "{\"error\":{\"code\":\"INTERNAL_SERVER_ERROR\",\"message\":\"Oops\"}}");
  else if (g_str_equal (f->mode, "not-json"))
    respond (msg, 200, "<html>maintenance</html>");
  else if (g_str_equal (f->mode, "429-long") || (g_str_equal (f->mode, "429-once") && f->n_429++ == 0))
    {
      respond (msg, 429, "{\"error\":{\"code\":\"RATE_LIMITED\",\"message\":\"Slow down\"}}");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                    g_str_equal (f->mode, "429-long") ? "120" : "1");
    }
  else
    return FALSE;
  return TRUE;
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  Fixture *f = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  const char *file_format = query ? g_hash_table_lookup (query, "file_format") : NULL;

  f->n_requests++;
  g_free (f->last_auth);
  f->last_auth = g_strdup (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                         "Authorization"));

  if (g_str_has_prefix (path, "/files/"))
    {
      const char *bytes = g_str_has_suffix (path, ".pdf") ? pdf_bytes : png_bytes;
      gsize len = g_str_has_suffix (path, ".pdf") ? sizeof pdf_bytes - 1 : sizeof png_bytes - 1;

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC,
                                        bytes, len);
      return;
    }
  if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/buy"))
    {
      if (f->mode && g_str_equal (f->mode, "buy-lost"))
        {
          /* The purchase happens, the answer never arrives. */
          f->n_buys++;
          f->bought = TRUE;
          soup_server_message_pause (msg);
          g_ptr_array_add (f->paused, g_object_ref (msg));
          return;
        }
      if (fail_by_mode (f, msg))
        return;
      f->n_buys++;
      f->bought = TRUE;
      respond_fixture (f, msg, 200, f->samples_dir ? "easypost_shipment_buy_label.json"
                                                   : "easypost-bought.json");
      return;
    }
  if (fail_by_mode (f, msg))
    return;

  if (g_str_equal (method, "POST") && g_str_equal (path, "/v2/shipments"))
    {
      g_free (f->shipment_body);
      f->shipment_body = g_strndup (request->data, request->length);
      respond_fixture (f, msg, 201, f->samples_dir ? "easypost_shipment_create_with_rates.json"
                                                   : "easypost-shipment.json");
    }
  else if (g_str_equal (method, "GET") && g_str_has_suffix (path, "/label") && file_format)
    {
      f->converted = g_str_equal (file_format, "PDF");
      respond_fixture (f, msg, 200, "easypost-bought.json");
    }
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v2/shipments/shp_test1"))
    respond_fixture (f, msg, 200, f->bought ? "easypost-bought.json" : "easypost-shipment.json");
  else if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/refund"))
    respond (msg, 200, "{\"id\":\"shp_test1\",\"refund_status\":\"submitted\"}");
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/v2/trackers"))
    respond_fixture (f, msg, 200, f->samples_dir ? "easypost_tracker_pre_transit.json"
                                                 : "easypost-tracker.json");
  else if (g_str_equal (method, "GET") && g_str_equal (path, "/v2/addresses"))
    respond (msg, 200, "{\"addresses\":[],\"has_more\":false}");
  else
    respond (msg, 404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"The requested "
                       "resource could not be found.\"}}");
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  f->paused = g_ptr_array_new_with_free_func (g_object_unref);
  f->server = soup_server_new ("server-header", "fake-easypost", NULL);
  soup_server_add_handler (f->server, NULL, handler, f, NULL);
  g_assert_true (soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  f->root = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  f->base = g_strconcat (f->root, "/v2", NULL);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < f->paused->len; i++)
    {
      SoupServerMessage *msg = g_ptr_array_index (f->paused, i);

      respond (msg, 500, "{}");
      soup_server_message_unpause (msg);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_ptr_array_unref (f->paused);
  g_free (f->root);
  g_free (f->base);
  g_free (f->last_auth);
  g_free (f->shipment_body);
}

static PsCarrier *
easypost_for (Fixture *f,
              guint    timeout)
{
  return g_object_new (PS_TYPE_CARRIER_EASYPOST, "base-url", f->base, "api-key", "ek_test",
                       "timeout", timeout, "max-retry-delay", 2, NULL);
}

static GPtrArray *
quote (PsCarrier  *carrier,
       GError    **error)
{
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 800);

  request->parcel.length_mm = 254;
  request->reference = g_strdup ("#1001");
  return carrier_test_quote (carrier, request, NULL, error);
}

static void
test_rates (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = quote (carrier, &error);
  g_autoptr(JsonNode) sent = NULL;
  JsonObject *shipment, *parcel;
  PsRate *ga, *express, *ups;

  g_assert_no_error (error);
  /* The rate without a price is skipped; cheapest first. */
  g_assert_cmpuint (rates->len, ==, 3);
  ga = g_ptr_array_index (rates, 0);
  g_assert_cmpstr (ga->service_code, ==, "GroundAdvantage");
  g_assert_cmpstr (ga->service_name, ==, "Ground Advantage");
  g_assert_cmpstr (ga->carrier, ==, "USPS");
  g_assert_cmpstr (ga->carrier_code, ==, "usps");
  g_assert_cmpint (ga->price.minor, ==, 640);
  g_assert_cmpstr (ga->price.currency, ==, "USD");
  g_assert_cmpint (ga->transit_days, ==, 3);
  g_assert_cmpstr (ga->shipment_ref, ==, "shp_test1");
  g_assert_cmpstr (ga->rate_ref, ==, "rate_ga");
  express = carrier_test_find_rate (rates, "Express");
  g_assert_cmpint (express->price.minor, ==, 3175);
  g_assert_cmpint (express->estimated_delivery, ==, 1767376800);
  ups = carrier_test_find_rate (rates, "NextDayAirSaver");
  g_assert_cmpstr (ups->service_name, ==, "Next Day Air Saver");
  g_assert_cmpstr (ups->carrier_code, ==, "ups");
  g_assert_cmpint (ups->transit_days, ==, 1);

  /* HTTP basic auth with the key as user name. */
  g_assert_cmpstr (f->last_auth, ==, "Basic ZWtfdGVzdDo=");
  /* What was sent: ounces and inches. */
  sent = json_from_string (f->shipment_body, &error);
  g_assert_no_error (error);
  shipment = json_object_get_object_member (json_node_get_object (sent), "shipment");
  parcel = json_object_get_object_member (shipment, "parcel");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (parcel, "weight"), 28.2, 0.01);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (parcel, "length"), 10.0, 0.01);
  g_assert_false (json_object_has_member (parcel, "width"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (shipment,
                                                                                 "to_address"),
                                                  "zip"), ==, "94107");
  g_assert_cmpstr (json_object_get_string_member (shipment, "reference"), ==, "#1001");
}

static void
test_buy (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 5);
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 800);
  g_autoptr(GPtrArray) rates = quote (carrier, NULL);
  g_autoptr(PsPurchase) none = NULL;
  g_autoptr(PsPurchase) png = NULL;
  g_autoptr(PsPurchase) pdf = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *bytes;

  none = carrier_test_lookup (carrier, "shp_test1", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);

  png = carrier_test_buy (carrier, request, g_ptr_array_index (rates, 0), PS_LABEL_FORMAT_PNG,
                          "order-1001/1", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (png->tracking_number, ==, "9400100000000000000018");
  g_assert_cmpstr (png->carrier_shipment_id, ==, "shp_test1");
  g_assert_cmpstr (png->tracking_carrier, ==, "usps");
  g_assert_cmpint (png->price.minor, ==, 640);
  g_assert_cmpint (png->purchased_at, ==, 1767279600);
  g_assert_nonnull (png->label);
  g_assert_cmpint (png->label_format, ==, PS_LABEL_FORMAT_PNG);
  bytes = g_bytes_get_data (png->label, &len);
  g_assert_cmpmem (bytes, len, png_bytes, sizeof png_bytes - 1);
  g_assert_cmpuint (f->n_buys, ==, 1);

  /* PDF is not made yet: the label is converted, then fetched. */
  f->bought = FALSE;
  pdf = carrier_test_buy (carrier, request, g_ptr_array_index (rates, 0), PS_LABEL_FORMAT_PDF,
                          "order-1001/2", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (f->converted);
  g_assert_cmpint (pdf->label_format, ==, PS_LABEL_FORMAT_PDF);
  bytes = g_bytes_get_data (pdf->label, &len);
  g_assert_cmpmem (bytes, len, pdf_bytes, sizeof pdf_bytes - 1);
}

typedef struct
{
  const char *mode;
  int         code;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "401", PS_CARRIER_ERROR_AUTH },
  { "403", PS_CARRIER_ERROR_AUTH },
  { "422-address", PS_CARRIER_ERROR_INVALID_ADDRESS },
  { "422-parcel", PS_CARRIER_ERROR_INVALID_PARCEL },
  { "422-service", PS_CARRIER_ERROR_UNSUPPORTED_SERVICE },
  { "402", PS_CARRIER_ERROR_INSUFFICIENT_FUNDS },
  { "funds", PS_CARRIER_ERROR_INSUFFICIENT_FUNDS },
  { "429-long", PS_CARRIER_ERROR_RATE_LIMITED },
  { "500", PS_CARRIER_ERROR_SERVER },
  { "not-json", PS_CARRIER_ERROR_SERVER },
};

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 5);

  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rates = NULL;
      gint64 start = g_get_monotonic_time ();
      guint before = f->n_requests;

      f->mode = error_cases[i].mode;
      rates = quote (carrier, &error);
      g_test_message ("%s: %s", f->mode, error ? error->message : "(no error)");
      g_assert_null (rates);
      g_assert_error (error, PS_CARRIER_ERROR, error_cases[i].code);
      /* Only the small Retry-After is retried: these fail at once. */
      g_assert_cmpuint (f->n_requests - before, ==, 1);
      g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
    }

  /* The field EasyPost named is in the message. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) rates = NULL;

    f->mode = "422-address";
    rates = quote (carrier, &error);
    g_assert_nonnull (strstr (error->message, "to_address.street1"));
  }

  {
    g_autoptr(GError) error = NULL;

    f->mode = "401";
    g_assert_false (carrier_test_connection (carrier, &error));
    g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH);
  }
}

static void
test_retry_after (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 5);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  gint64 start = g_get_monotonic_time (), waited;

  f->mode = "429-once";
  rates = quote (carrier, &error);
  waited = g_get_monotonic_time () - start;
  g_test_message ("retried after %.3f s", waited / 1e6);
  g_assert_no_error (error);
  g_assert_cmpuint (rates->len, ==, 3);
  g_assert_cmpuint (f->n_requests, ==, 2);
  /* Retry-After: 1 was honoured. */
  g_assert_cmpint (waited, >=, G_USEC_PER_SEC * 95 / 100);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  gint64 start = g_get_monotonic_time ();

  f->mode = "hang";
  rates = quote (carrier, &error);
  g_test_message ("%s after %.3f s", error ? error->message : "?",
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_null (rates);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NETWORK);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_unreachable (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(PsCarrier) carrier = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  g_autofree char *base = NULL;

  /* A port that was free a moment ago and is closed now: nothing listens. */
  g_assert_true (g_socket_bind (socket, any_port, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  base = g_strdup_printf ("http://127.0.0.1:%u/v2",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  carrier = g_object_new (PS_TYPE_CARRIER_EASYPOST, "base-url", base, "api-key", "k",
                          "timeout", 2, NULL);
  rates = quote (carrier, &error);
  g_assert_null (rates);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NETWORK);
}

static void
test_lost_buy (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 1);
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 800);
  g_autoptr(GPtrArray) rates = quote (carrier, NULL);
  g_autoptr(PsPurchase) lost = NULL;
  g_autoptr(PsPurchase) found = NULL;
  g_autoptr(GError) error = NULL;

  f->mode = "buy-lost";
  lost = carrier_test_buy (carrier, request, g_ptr_array_index (rates, 0), PS_LABEL_FORMAT_PNG,
                           "order-1001/1", NULL, &error);
  g_assert_null (lost);
  g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN);
  g_clear_error (&error);
  /* Not retried. */
  g_assert_cmpuint (f->n_buys, ==, 1);

  f->mode = NULL;
  found = carrier_test_lookup (carrier, "shp_test1", "order-1001/1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpstr (found->tracking_number, ==, "9400100000000000000018");
  g_assert_nonnull (found->label);
  g_assert_cmpuint (f->n_buys, ==, 1);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 30);
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 800);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = NULL;
  gint64 start = g_get_monotonic_time ();

  f->mode = "hang";
  g_timeout_add (100, cancel_cb, cancellable);
  rates = carrier_test_quote (carrier, request, cancellable, &error);
  g_assert_null (rates);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->paused->len, ==, 1);
}

static void
test_void_track_connection (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(PsCarrier) carrier = easypost_for (f, 5);
  g_autoptr(PsTrackingUpdate) update = NULL;
  g_autoptr(GError) error = NULL;
  PsTrackingEvent *first, *last;

  g_assert_true (carrier_test_void (carrier, "shp_test1", NULL, &error));
  g_assert_no_error (error);

  update = carrier_test_track (carrier, "9400100000000000000018", "shp_test1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (update->status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (update->reason, ==, PS_EXCEPTION_REASON_WEATHER);
  g_assert_cmpint (update->estimated_delivery, ==, 1767729600);
  g_assert_cmpuint (update->events->len, ==, 3);
  first = g_ptr_array_index (update->events, 0);
  last = g_ptr_array_index (update->events, 2);
  g_assert_cmpint (first->status, ==, PS_TRACKING_STATUS_PRE_TRANSIT);
  g_assert_cmpint (last->status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (last->reason, ==, PS_EXCEPTION_REASON_WEATHER);
  g_assert_cmpstr (last->city, ==, "MEMPHIS");

  g_assert_true (carrier_test_connection (carrier, &error));
  g_assert_no_error (error);

  /* No key and no account: told where to enter it, nothing sent. */
  {
    g_autoptr(PsCarrier) keyless = g_object_new (PS_TYPE_CARRIER_EASYPOST, "base-url", f->base,
                                                 NULL);
    guint before = f->n_requests;

    g_assert_false (carrier_test_connection (keyless, &error));
    g_assert_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH);
    g_assert_cmpuint (f->n_requests, ==, before);
  }
}

static void
test_samples (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "samples",
                                                NULL);
  g_autofree char *probe = g_build_filename (dir, "easypost_shipment_create_with_rates.json", NULL);
  g_autoptr(PsCarrier) carrier = NULL;
  g_autoptr(PsRateRequest) request = carrier_test_request ("94107", "US", 800);
  g_autoptr(GPtrArray) rates = NULL;
  g_autoptr(PsPurchase) purchase = NULL;
  g_autoptr(PsTrackingUpdate) update = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_test (probe, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("../shared/samples is not here");
      return;
    }
  f->samples_dir = dir;
  carrier = easypost_for (f, 5);

  rates = carrier_test_quote (carrier, request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rates->len, >=, 3);
  g_assert_nonnull (carrier_test_find_rate (rates, "GroundAdvantage"));
  g_assert_cmpint (carrier_test_find_rate (rates, "GroundAdvantage")->price.minor, ==, 607);

  purchase = carrier_test_buy (carrier, request, carrier_test_find_rate (rates, "GroundAdvantage"),
                               PS_LABEL_FORMAT_PNG, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (purchase->tracking_number, ==, "9400100208303109505657");
  g_assert_nonnull (purchase->label);

  update = carrier_test_track (carrier, "EZ1000000001", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (update->status, ==, PS_TRACKING_STATUS_PRE_TRANSIT);
  g_assert_cmpuint (update->events->len, >=, 2);
}

/* LeakSanitizer (the ASan run of build-aux/test.sh) calls this: one-time
 * allocations that are not ours, kept by GDBus's worker thread and by
 * libsoup's listening socket and the sockets it accepts (the loopback
 * fixture server side, not the carrier). */
const char *__lsan_default_suppressions (void);

const char *
__lsan_default_suppressions (void)
{
  return "leak:g_dbus_message_new_from_blob\nleak:soup_server_listen_local\nleak:g_socket_accept\n";
}

int
main (int   argc,
      char *argv[])
{
  /* The isolated XDG dirs hide the system's GSettings schemas, which
   * GNOME's proxy resolver reads; loopback needs no proxy. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/carriers/easypost/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rates", test_rates);
  ADD ("buy", test_buy);
  ADD ("errors", test_errors);
  ADD ("retry-after", test_retry_after);
  ADD ("timeout", test_timeout);
  ADD ("lost-buy", test_lost_buy);
  ADD ("cancel", test_cancel);
  ADD ("void-track-connection", test_void_track_connection);
  ADD ("samples", test_samples);
#undef ADD
  g_test_add_func ("/carriers/easypost/unreachable", test_unreachable);

  return g_test_run ();
}
