/* ps-carrier-easypost.c: EasyPost REST v2 over libsoup
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shapes after formats-and-carriers.md §3.1 and EasyPost's recorded
 * responses: POST /shipments quotes, POST /shipments/:id/buy buys, the
 * label file is a second GET of the URL in postage_label (converted with
 * GET /shipments/:id/label?file_format= when the wanted format is not
 * there yet), POST /shipments/:id/refund voids, POST /trackers tracks.
 *
 * EasyPost has no idempotency header on buy. The shipment is the anchor:
 * the caller journals the shipment id before buying, and a buy whose
 * answer was lost (PS_CARRIER_ERROR_PURCHASE_UNKNOWN) is reconciled with
 * GET /shipments/:id, which shows a tracking code once it was bought. A
 * buy is never retried here, except after a 429, which EasyPost sends
 * before doing anything.
 *
 * Everything runs on the caller's main context with libsoup's async API.
 */

#define G_LOG_DOMAIN "ps-carrier-easypost"

#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "ps-carrier-easypost.h"
#include "ps-carrier-keyring.h"
#include "ps-carrier-private.h"
#include "ps-tracking-number.h"

/* A request that waits longer than this for any read or write fails: long
 * enough for a slow label purchase, short enough that a dead connection
 * does not hang a batch. */
#define DEFAULT_TIMEOUT_S 30
/* A 429 asking to wait at most this long is retried automatically. */
#define DEFAULT_MAX_RETRY_DELAY_S 5
#define MAX_RETRIES 2

struct _PsCarrierEasypost
{
  GObject      parent_instance;

  char        *base_url;
  char        *api_key;
  char        *account_id;
  guint        timeout;
  guint        max_retry_delay;
  SoupSession *session;
};

static void ps_carrier_easypost_iface_init (PsCarrierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsCarrierEasypost, ps_carrier_easypost, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_CARRIER,
                                                      ps_carrier_easypost_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_ACCOUNT_ID,
  PROP_TIMEOUT,
  PROP_MAX_RETRY_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* HTTP calls */

typedef enum
{
  CALL_BUY    = 1 << 0,  /* a lost answer leaves the purchase unknown */
  CALL_REFUND = 1 << 1,  /* a 4xx refusal means "cannot void" */
  CALL_FILE   = 1 << 2,  /* a label file, maybe on another host: no key */
} CallFlags;

typedef struct
{
  char      *method;
  char      *url;
  GBytes    *body;
  CallFlags  flags;
  guint      attempt;
} Call;

static void
call_free (Call *call)
{
  g_free (call->method);
  g_free (call->url);
  g_clear_pointer (&call->body, g_bytes_unref);
  g_free (call);
}

static void send_call (GTask *task);

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
json_object_member (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
json_array_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static gint64
json_int (JsonObject *object,
          const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return 0;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return 0;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return 0;
}

static gint64
parse_time (const char *iso8601)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;

  if (iso8601 == NULL)
    return 0;
  dt = g_date_time_new_from_iso8601 (iso8601, utc);
  return dt ? g_date_time_to_unix (dt) : 0;
}

/* Parses a body that must be a JSON object. */
static JsonObject *
parse_object (GBytes  *body,
              GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER,
                           "EasyPost answered with something that is not JSON: try again later");
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The first field error of an EasyPost error body, as "field: message". */
static char *
describe_error_body (JsonObject  *error_object,
                     const char **field_out)
{
  JsonArray *errors = json_array_member (error_object, "errors");
  const char *message = json_string (error_object, "message");

  *field_out = NULL;
  if (errors != NULL && json_array_get_length (errors) > 0)
    {
      JsonNode *first = json_array_get_element (errors, 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        {
          JsonObject *o = json_node_get_object (first);
          const char *field = json_string (o, "field");
          const char *detail = json_string (o, "message");

          *field_out = field;
          return g_strdup_printf ("%s%s%s", field ? field : "", field ? " " : "",
                                  detail ? detail : (message ? message : "is invalid"));
        }
      if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (first));
    }
  return g_strdup (message ? message : "no details given");
}

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *lower = haystack ? g_ascii_strdown (haystack, -1) : NULL;

  return lower != NULL && strstr (lower, needle) != NULL;
}

static PsCarrierError
code_for_field (const char *field,
                const char *code,
                const char *detail)
{
  static const char * const address_words[] = {
    "address", "street", "zip", "city", "state", "country", "phone", "name",
  };
  static const char * const parcel_words[] = {
    "parcel", "weight", "length", "width", "height", "predefined_package",
  };

  for (guint i = 0; i < G_N_ELEMENTS (parcel_words); i++)
    if (contains_ci (field, parcel_words[i]))
      return PS_CARRIER_ERROR_INVALID_PARCEL;
  for (guint i = 0; i < G_N_ELEMENTS (address_words); i++)
    if (contains_ci (field, address_words[i]))
      return PS_CARRIER_ERROR_INVALID_ADDRESS;
  if (contains_ci (code, "address") || contains_ci (detail, "address"))
    return PS_CARRIER_ERROR_INVALID_ADDRESS;
  if (contains_ci (code, "parcel") || contains_ci (detail, "weight"))
    return PS_CARRIER_ERROR_INVALID_PARCEL;
  return PS_CARRIER_ERROR_UNSUPPORTED_SERVICE;
}

/* Turns a non-2xx answer into PS_CARRIER_ERROR (STYLE.md 3.9). */
static GError *
error_for_status (guint        status,
                  GBytes      *body,
                  CallFlags    flags,
                  const char  *retry_after)
{
  g_autoptr(JsonObject) object = parse_object (body, NULL);
  JsonObject *error_object = json_object_member (object, "error");
  const char *code = json_string (error_object, "code");
  const char *field = NULL;
  g_autofree char *detail = error_object ? describe_error_body (error_object, &field)
                                         : g_strdup ("no details given");

  if (status == 402 || contains_ci (detail, "insufficient funds")
      || contains_ci (code, "insufficient_funds") || contains_ci (code, "payment"))
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_INSUFFICIENT_FUNDS,
                        "The EasyPost account balance is too low (%s): add funds in the "
                        "EasyPost dashboard", detail);
  if (status == 401 || status == 403)
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH,
                        "EasyPost refused the API key (HTTP %u: %s): enter a valid key in "
                        "Preferences › Carriers", status, detail);
  if (status == 429)
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_RATE_LIMITED,
                        "EasyPost is limiting requests: retry after %s seconds",
                        retry_after ? retry_after : "a few");
  if (status >= 500)
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER,
                        "EasyPost failed (HTTP %u: %s): try again later", status, detail);
  if ((flags & CALL_REFUND) && status >= 400)
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED,
                        "EasyPost cannot refund this label: %s", detail);
  if (status == 404)
    return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_FOUND,
                        "EasyPost has no such shipment or tracker: %s", detail);
  if (status == 400 || status == 422)
    {
      PsCarrierError carrier_code = code_for_field (field, code, detail);

      return g_error_new (PS_CARRIER_ERROR, carrier_code, "EasyPost refused the %s: %s",
                          carrier_code == PS_CARRIER_ERROR_INVALID_ADDRESS ? "address"
                          : carrier_code == PS_CARRIER_ERROR_INVALID_PARCEL ? "parcel"
                          : "shipment", detail);
    }
  return g_error_new (PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER,
                      "EasyPost answered HTTP %u (%s)", status, detail);
}

/* Errors that mean the request never left this machine. */
static gboolean
is_unsent (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED)
         || error->domain == G_RESOLVER_ERROR;
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;

  /* send_call() takes over the reference. */
  if (g_task_return_error_if_cancelled (task))
    g_object_unref (task);
  else
    send_call (task);
  return G_SOURCE_REMOVE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsCarrierEasypost *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status;
  const char *retry_after;
  guint64 delay = 0;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, error);
      else if ((call->flags & CALL_BUY) && !is_unsent (error))
        {
          g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
                                   "The label purchase was sent to EasyPost but no answer came "
                                   "back (%s): look the purchase up before buying again",
                                   error->message);
          g_error_free (error);
        }
      else
        {
          g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NETWORK,
                                   "Could not reach EasyPost (%s): check the internet "
                                   "connection", error->message);
          g_error_free (error);
        }
      return;
    }

  status = soup_message_get_status (msg);
  g_debug ("%s %s: HTTP %u, %" G_GSIZE_FORMAT " bytes", call->method,
           (call->flags & CALL_FILE) ? "(label file)" : call->url, status, g_bytes_get_size (body));
  if (status >= 200 && status < 300)
    {
      g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      return;
    }

  retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                              "Retry-After");
  if (status == 429 && call->attempt < MAX_RETRIES
      && (retry_after == NULL
          || (g_ascii_string_to_unsigned (retry_after, 10, 0, G_MAXUINT, &delay, NULL)
              && delay <= self->max_retry_delay)))
    {
      call->attempt++;
      g_debug ("rate limited, retrying in %" G_GUINT64_FORMAT " s", delay);
      g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) (delay * 1000), retry_cb,
                          g_steal_pointer (&task), NULL);
      return;
    }

  g_task_return_error (task, error_for_status (status, body, call->flags, retry_after));
}

static void
send_call (GTask *task)
{
  PsCarrierEasypost *self = g_task_get_source_object (task);
  Call *call = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = soup_message_new (call->method, call->url);

  if (msg == NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER,
                               "EasyPost gave an address that is not a URL");
      g_object_unref (task);
      return;
    }

  /* HTTP basic auth with the key as user name, sent only to the API,
   * never to the file host of label URLs. */
  if (!(call->flags & CALL_FILE) || g_str_has_prefix (call->url, self->base_url))
    {
      g_autofree char *user_pass = g_strdup_printf ("%s:", self->api_key);
      g_autofree char *encoded = g_base64_encode ((const guchar *) user_pass, strlen (user_pass));
      g_autofree char *header = g_strdup_printf ("Basic %s", encoded);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    header);
    }
  if (call->body != NULL)
    soup_message_set_request_body_from_bytes (msg, "application/json", call->body);

  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), sent_cb, task);
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  GTask *task = user_data;
  PsCarrierEasypost *self = g_task_get_source_object (task);
  GError *error = NULL;
  g_autofree char *key = ps_carrier_keyring_lookup_finish (result, &error);

  if (error != NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH, "%s",
                               error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }
  if (key == NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH,
                               "No EasyPost API key is stored for this account: enter it in "
                               "Preferences › Carriers");
      g_object_unref (task);
      return;
    }
  g_free (self->api_key);
  self->api_key = g_steal_pointer (&key);
  send_call (task);
}

/* Sends one request; completes with the 2xx body (GBytes) or a
 * PS_CARRIER_ERROR. @path is under the base URL unless it is a full URL. */
static void
call_async (PsCarrierEasypost   *self,
            const char          *method,
            const char          *path,
            JsonNode            *body,
            CallFlags            flags,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Call *call = g_new0 (Call, 1);

  g_task_set_source_tag (task, call_async);
  call->method = g_strdup (method);
  call->url = strstr (path, "://") ? g_strdup (path)
                                   : g_strconcat (self->base_url, path, NULL);
  call->flags = flags;
  if (body != NULL)
    {
      char *json = json_to_string (body, FALSE);

      call->body = g_bytes_new_take (json, strlen (json));
    }
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (self->api_key == NULL && !(flags & CALL_FILE))
    {
      if (self->account_id == NULL)
        {
          g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH,
                                   "No EasyPost API key is set for this account: enter it in "
                                   "Preferences › Carriers");
          g_object_unref (task);
          return;
        }
      ps_carrier_keyring_lookup_async ("easypost", self->account_id, cancellable, key_cb, task);
      return;
    }
  send_call (task);
}

static GBytes *
call_finish (PsCarrierEasypost  *self,
             GAsyncResult       *result,
             GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Calls whose 2xx body must be a JSON object. */
static JsonObject *
call_finish_object (PsCarrierEasypost  *self,
                    GAsyncResult       *result,
                    GError            **error)
{
  g_autoptr(GBytes) body = call_finish (self, result, error);

  return body ? parse_object (body, error) : NULL;
}

/* Requests and responses */

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  if (value == NULL || *value == '\0')
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_address (JsonBuilder     *builder,
             const char      *member,
             const PsAddress *address)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  add_string (builder, "name", address->name);
  add_string (builder, "company", address->company);
  add_string (builder, "street1", address->line1);
  add_string (builder, "street2", address->line2);
  add_string (builder, "city", address->city);
  add_string (builder, "state", address->state);
  add_string (builder, "zip", address->postcode);
  add_string (builder, "country", address->country);
  add_string (builder, "phone", address->phone);
  add_string (builder, "email", address->email);
  json_builder_end_object (builder);
}

static void
add_length (JsonBuilder *builder,
            const char  *member,
            gint64       mm)
{
  if (mm <= 0)
    return;
  json_builder_set_member_name (builder, member);
  json_builder_add_double_value (builder, (double) (gint64) (mm / 25.4 * 10 + 0.5) / 10);
}

/* {"shipment": {from_address, to_address, parcel (oz, in), reference}} */
static JsonNode *
shipment_json (const PsRateRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  double ounces = (double) (gint64) (request->parcel.weight_grams / 28.349523125 * 10 + 0.5) / 10;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "shipment");
  json_builder_begin_object (builder);
  add_address (builder, "from_address", request->ship_from);
  add_address (builder, "to_address", request->ship_to);
  json_builder_set_member_name (builder, "parcel");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "weight");
  json_builder_add_double_value (builder, MAX (ounces, 0.1));
  add_length (builder, "length", request->parcel.length_mm);
  add_length (builder, "width", request->parcel.width_mm);
  add_length (builder, "height", request->parcel.height_mm);
  json_builder_end_object (builder);
  add_string (builder, "reference", request->reference);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
carrier_code_for (const char *carrier)
{
  if (contains_ci (carrier, "usps"))
    return "usps";
  if (contains_ci (carrier, "ups"))
    return "ups";
  if (contains_ci (carrier, "fedex"))
    return "fedex";
  if (contains_ci (carrier, "dhl"))
    return "dhl";
  return "generic";
}

/* "GroundAdvantage" -> "Ground Advantage", "NextDayAirSaver" -> "Next Day Air Saver" */
static char *
service_display_name (const char *service)
{
  GString *out = g_string_new (NULL);

  for (const char *p = service; p && *p; p++)
    {
      if (p != service && g_ascii_isupper (*p) && g_ascii_islower (p[-1]))
        g_string_append_c (out, ' ');
      g_string_append_c (out, *p == '_' ? ' ' : *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_amount (JsonObject *object,
              const char *amount_member,
              const char *currency_member,
              PsMoney    *money)
{
  const char *currency = json_string (object, currency_member);
  const char *amount = json_string (object, amount_member);

  if (currency == NULL)
    currency = "USD";
  if (!ps_currency_is_valid (currency)
      || !_ps_carrier_parse_decimal (amount, ps_currency_minor_digits (currency), &money->minor))
    return FALSE;
  g_strlcpy (money->currency, currency, sizeof money->currency);
  return TRUE;
}

static PsRate *
parse_rate (JsonObject *o)
{
  g_autoptr(PsRate) rate = ps_rate_new ();
  const char *carrier = json_string (o, "carrier");
  const char *service = json_string (o, "service");

  if (carrier == NULL || service == NULL || json_string (o, "id") == NULL
      || !parse_amount (o, "rate", "currency", &rate->price))
    return NULL;
  rate->backend = g_strdup ("easypost");
  rate->carrier = g_strdup (carrier);
  rate->carrier_code = g_strdup (carrier_code_for (carrier));
  rate->service_code = g_strdup (service);
  rate->service_name = service_display_name (service);
  rate->transit_days = (int) json_int (o, "delivery_days");
  if (rate->transit_days <= 0)
    rate->transit_days = (int) json_int (o, "est_delivery_days");
  rate->estimated_delivery = parse_time (json_string (o, "delivery_date"));
  rate->shipment_ref = g_strdup (json_string (o, "shipment_id"));
  rate->rate_ref = g_strdup (json_string (o, "id"));
  return g_steal_pointer (&rate);
}

/* A bought shipment as a purchase, without the label file; NULL if it was
 * not bought (no tracking code yet). */
static PsPurchase *
parse_purchase (JsonObject *shipment)
{
  g_autoptr(PsPurchase) purchase = ps_purchase_new ();
  JsonObject *selected = json_object_member (shipment, "selected_rate");
  JsonObject *label = json_object_member (shipment, "postage_label");
  const char *tracking = json_string (shipment, "tracking_code");
  const char *carrier = json_string (selected, "carrier");

  if (tracking == NULL || *tracking == '\0' || label == NULL)
    return NULL;
  purchase->tracking_number = g_strdup (tracking);
  purchase->carrier_shipment_id = g_strdup (json_string (shipment, "id"));
  purchase->carrier = g_strdup (carrier ? carrier : "EasyPost");
  purchase->service_code = g_strdup (json_string (selected, "service"));
  if (selected != NULL)
    parse_amount (selected, "rate", "currency", &purchase->price);
  purchase->tracking_carrier = g_strdup (carrier_code_for (carrier));
  purchase->purchased_at = parse_time (json_string (label, "label_date"));
  if (purchase->purchased_at == 0)
    purchase->purchased_at = g_get_real_time () / G_USEC_PER_SEC;
  return g_steal_pointer (&purchase);
}

static const char *
format_name (PsLabelFormat format)
{
  switch (format)
    {
    case PS_LABEL_FORMAT_PDF:
      return "PDF";
    case PS_LABEL_FORMAT_ZPL:
      return "ZPL";
    case PS_LABEL_FORMAT_PNG:
    default:
      return "PNG";
    }
}

/* The URL of the label file in @format, if EasyPost made one yet. */
static const char *
label_url (JsonObject    *shipment,
           PsLabelFormat  format)
{
  JsonObject *label = json_object_member (shipment, "postage_label");

  switch (format)
    {
    case PS_LABEL_FORMAT_PDF:
      return json_string (label, "label_pdf_url");
    case PS_LABEL_FORMAT_ZPL:
      return json_string (label, "label_zpl_url");
    case PS_LABEL_FORMAT_PNG:
    default:
      if (contains_ci (json_string (label, "label_file_type"), "png"))
        return json_string (label, "label_url");
      return NULL;
    }
}

/* Rates */

static void
rates_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) shipment = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                       &error);
  g_autoptr(GPtrArray) rates = NULL;
  JsonArray *list;

  if (shipment == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  rates = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rate_free);
  list = json_array_member (shipment, "rates");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonNode *node = json_array_get_element (list, i);
      PsRate *rate = JSON_NODE_HOLDS_OBJECT (node) ? parse_rate (json_node_get_object (node))
                                                    : NULL;

      if (rate == NULL)
        continue;
      if (rate->shipment_ref == NULL)
        rate->shipment_ref = g_strdup (json_string (shipment, "id"));
      g_ptr_array_add (rates, rate);
    }

  if (rates->len == 0)
    {
      JsonArray *messages = json_array_member (shipment, "messages");
      JsonNode *first = messages && json_array_get_length (messages) > 0
                        ? json_array_get_element (messages, 0) : NULL;
      const char *why = first && JSON_NODE_HOLDS_OBJECT (first)
                        ? json_string (json_node_get_object (first), "message") : NULL;

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
                               "EasyPost has no rate for this shipment (%s): check the "
                               "addresses, the parcel and the carrier accounts in EasyPost",
                               why ? why : "no reason given");
      return;
    }
  g_ptr_array_sort (rates, ps_rate_compare_price);
  g_task_return_pointer (task, g_steal_pointer (&rates), (GDestroyNotify) g_ptr_array_unref);
}

static void
ps_carrier_easypost_quote_rates_async (PsCarrier           *carrier,
                                       const PsRateRequest *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_quote_rates_async);
  g_autoptr(JsonNode) body = NULL;
  GError *error = NULL;

  if (!ps_rate_request_validate (request, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  body = shipment_json (request);
  call_async (self, "POST", "/shipments", body, 0, cancellable, rates_cb, task);
}

/* Buying and looking up: a purchase plus its label file */

typedef struct
{
  PsPurchase    *purchase;
  PsLabelFormat  format;
  gboolean       bought_now;  /* errors after the buy leave it unknown */
} PurchaseData;

static void
purchase_data_free (PurchaseData *data)
{
  g_clear_pointer (&data->purchase, ps_purchase_free);
  g_free (data);
}

/* An error after EasyPost confirmed the purchase: the caller must not
 * think it failed. */
static void
return_label_error (GTask  *task,
                    GError *error)
{
  PurchaseData *data = g_task_get_task_data (task);

  if (data->bought_now && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
                               "The label %s was bought, but its file could not be fetched "
                               "(%s): look the purchase up to get the label",
                               data->purchase->tracking_number, error->message);
      g_error_free (error);
      return;
    }
  g_task_return_error (task, error);
}

static void
label_file_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PurchaseData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *file = call_finish (PS_CARRIER_EASYPOST (source), result, &error);

  if (file == NULL)
    {
      return_label_error (task, error);
      return;
    }
  data->purchase->label = file;
  data->purchase->label_format = data->format;
  g_task_return_pointer (task, g_steal_pointer (&data->purchase),
                         (GDestroyNotify) ps_purchase_free);
}

static void
fetch_file (GTask      *task,
            const char *url)
{
  call_async (g_task_get_source_object (task), "GET", url, NULL, CALL_FILE,
              g_task_get_cancellable (task), label_file_cb, task);
}

static void
converted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PurchaseData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) shipment = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                       &error);
  const char *url = shipment ? label_url (shipment, data->format) : NULL;

  if (shipment != NULL && url == NULL)
    g_set_error (&error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER,
                 "EasyPost made no %s label", format_name (data->format));
  if (error != NULL)
    {
      return_label_error (task, error);
      g_object_unref (task);
      return;
    }
  fetch_file (task, url);
}

/* Continues @task from a bought shipment: downloads the label in the
 * wanted format, converting it first when EasyPost has not made it. */
static void
continue_with_shipment (GTask      *task,
                        JsonObject *shipment)
{
  PurchaseData *data = g_task_get_task_data (task);
  const char *url = label_url (shipment, data->format);
  g_autofree char *path = NULL;

  if (url != NULL)
    {
      fetch_file (task, url);
      return;
    }
  path = g_strdup_printf ("/shipments/%s/label?file_format=%s",
                          data->purchase->carrier_shipment_id, format_name (data->format));
  call_async (g_task_get_source_object (task), "GET", path, NULL, 0,
              g_task_get_cancellable (task), converted_cb, task);
}

static void
bought_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  PurchaseData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) shipment = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                       &error);

  if (shipment == NULL)
    {
      /* A 2xx whose body is unreadable still bought the label. */
      if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER)
          && g_str_has_prefix (error->message, "EasyPost answered with something"))
        error->code = PS_CARRIER_ERROR_PURCHASE_UNKNOWN;
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->purchase = parse_purchase (shipment);
  if (data->purchase == NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
                               "EasyPost accepted the purchase but sent no tracking code: look "
                               "the purchase up before buying again");
      g_object_unref (task);
      return;
    }
  data->bought_now = TRUE;
  continue_with_shipment (task, shipment);
}

static void
ps_carrier_easypost_buy_label_async (PsCarrier           *carrier,
                                     const PsRateRequest *request,
                                     const PsRate        *rate,
                                     PsLabelFormat        format,
                                     const char          *idempotency_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_buy_label_async);
  PurchaseData *data = g_new0 (PurchaseData, 1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  data->format = format;
  g_task_set_task_data (task, data, (GDestroyNotify) purchase_data_free);

  if (rate->shipment_ref == NULL || rate->rate_ref == NULL
      || g_strcmp0 (rate->backend, "easypost") != 0)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
                               "This rate did not come from EasyPost: get rates again");
      g_object_unref (task);
      return;
    }

  /* EasyPost takes no idempotency key on buy (the shipment id, journaled
   * by the caller, is the anchor), so @idempotency_key is only logged. */
  g_debug ("buying %s on %s (key %s)", rate->rate_ref, rate->shipment_ref,
           idempotency_key ? idempotency_key : "none");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rate");
  json_builder_begin_object (builder);
  add_string (builder, "id", rate->rate_ref);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = g_strdup_printf ("/shipments/%s/buy", rate->shipment_ref);
  call_async (self, "POST", path, body, CALL_BUY, cancellable, bought_cb, task);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  PurchaseData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(JsonObject) shipment = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                       &error);

  if (shipment == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->purchase = parse_purchase (shipment);
  if (data->purchase == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  /* The label in whichever format EasyPost already has, PDF first. */
  data->format = label_url (shipment, PS_LABEL_FORMAT_PDF) ? PS_LABEL_FORMAT_PDF
                 : label_url (shipment, PS_LABEL_FORMAT_ZPL) ? PS_LABEL_FORMAT_ZPL
                 : PS_LABEL_FORMAT_PNG;
  continue_with_shipment (task, shipment);
}

static void
ps_carrier_easypost_lookup_purchase_async (PsCarrier           *carrier,
                                           const char          *carrier_shipment_id,
                                           const char          *idempotency_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_lookup_purchase_async);
  g_autofree char *path = NULL;

  g_task_set_task_data (task, g_new0 (PurchaseData, 1), (GDestroyNotify) purchase_data_free);
  if (carrier_shipment_id == NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
                               "EasyPost finds purchases by shipment id only: the journal entry "
                               "has none");
      g_object_unref (task);
      return;
    }
  path = g_strdup_printf ("/shipments/%s", carrier_shipment_id);
  call_async (self, "GET", path, NULL, 0, cancellable, looked_up_cb, task);
}

/* Void */

static void
refund_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) shipment = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                       &error);
  const char *status;

  if (shipment == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = json_string (shipment, "refund_status");
  if (g_strcmp0 (status, "submitted") == 0 || g_strcmp0 (status, "refunded") == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED,
                             "EasyPost refused the refund (status %s): the label may already "
                             "be in use", status ? status : "unknown");
}

static void
ps_carrier_easypost_void_label_async (PsCarrier           *carrier,
                                      const char          *carrier_shipment_id,
                                      const char          *tracking_number,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_void_label_async);
  g_autofree char *path = NULL;

  if (carrier_shipment_id == NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
                               "EasyPost refunds by shipment id: this label has none");
      g_object_unref (task);
      return;
    }
  path = g_strdup_printf ("/shipments/%s/refund", carrier_shipment_id);
  call_async (self, "POST", path, NULL, CALL_REFUND, cancellable, refund_cb, task);
}

/* Tracking */

static PsTrackingStatus
status_from_easypost (const char *status)
{
  static const struct { const char *name; PsTrackingStatus status; } map[] = {
    { "pre_transit", PS_TRACKING_STATUS_PRE_TRANSIT },
    { "in_transit", PS_TRACKING_STATUS_IN_TRANSIT },
    { "out_for_delivery", PS_TRACKING_STATUS_OUT_FOR_DELIVERY },
    { "delivered", PS_TRACKING_STATUS_DELIVERED },
    { "available_for_pickup", PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP },
    { "return_to_sender", PS_TRACKING_STATUS_RETURN_TO_SENDER },
    { "failure", PS_TRACKING_STATUS_EXCEPTION },
    { "cancelled", PS_TRACKING_STATUS_CANCELLED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (status, map[i].name) == 0)
      return map[i].status;
  return PS_TRACKING_STATUS_UNKNOWN;
}

static PsExceptionReason
reason_from_detail (const char *detail)
{
  static const struct { const char *word; PsExceptionReason reason; } map[] = {
    { "address", PS_EXCEPTION_REASON_ADDRESS_ISSUE },
    { "weather", PS_EXCEPTION_REASON_WEATHER },
    { "customs", PS_EXCEPTION_REASON_CUSTOMS_HOLD },
    { "damage", PS_EXCEPTION_REASON_DAMAGED },
    { "lost", PS_EXCEPTION_REASON_LOST },
    { "refused", PS_EXCEPTION_REASON_REFUSED },
    { "attempt", PS_EXCEPTION_REASON_FAILED_ATTEMPT },
    { "delivery_failed", PS_EXCEPTION_REASON_FAILED_ATTEMPT },
    { "delay", PS_EXCEPTION_REASON_DELAY },
    { "late", PS_EXCEPTION_REASON_DELAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (contains_ci (detail, map[i].word))
      return map[i].reason;
  return PS_EXCEPTION_REASON_OTHER;
}

static PsTrackingUpdate *
parse_tracker (JsonObject *tracker)
{
  PsTrackingUpdate *update = ps_tracking_update_new (json_string (tracker, "tracking_code"));
  JsonArray *details = json_array_member (tracker, "tracking_details");

  update->status = status_from_easypost (json_string (tracker, "status"));
  if (update->status == PS_TRACKING_STATUS_EXCEPTION)
    update->reason = reason_from_detail (json_string (tracker, "status_detail"));
  update->estimated_delivery = parse_time (json_string (tracker, "est_delivery_date"));

  for (guint i = 0; details != NULL && i < json_array_get_length (details); i++)
    {
      JsonNode *node = json_array_get_element (details, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonObject *where = json_object_member (o, "tracking_location");
      const char *message = json_string (o, "message");
      PsTrackingEvent *event;

      if (o == NULL)
        continue;
      event = ps_tracking_event_new (parse_time (json_string (o, "datetime")),
                                     status_from_easypost (json_string (o, "status")),
                                     PS_EXCEPTION_REASON_NONE,
                                     message && *message ? message
                                                         : json_string (o, "description"));
      if (event->status == PS_TRACKING_STATUS_EXCEPTION)
        event->reason = reason_from_detail (json_string (o, "status_detail"));
      event->city = g_strdup (json_string (where, "city"));
      event->state = g_strdup (json_string (where, "state"));
      event->country = g_strdup (json_string (where, "country"));
      g_ptr_array_add (update->events, event);
    }
  ps_tracking_update_sort (update);
  return update;
}

static void
tracked_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(JsonObject) tracker = call_finish_object (PS_CARRIER_EASYPOST (source), result,
                                                      &error);

  if (tracker == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, parse_tracker (tracker),
                           (GDestroyNotify) ps_tracking_update_free);
}

static void
ps_carrier_easypost_track_async (PsCarrier           *carrier,
                                 const char          *tracking_number,
                                 const char          *carrier_shipment_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  static const struct { const char *code; const char *easypost; } carriers[] = {
    { "usps", "USPS" }, { "ups", "UPS" }, { "fedex", "FedEx" }, { "dhl", "DHLExpress" },
  };
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_track_async);
  const char *code = ps_tracking_format_carrier (ps_tracking_number_detect (tracking_number));
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  /* POST /trackers returns the existing tracker for a known number, so it
   * doubles as "get". */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tracker");
  json_builder_begin_object (builder);
  add_string (builder, "tracking_code", tracking_number);
  for (guint i = 0; i < G_N_ELEMENTS (carriers); i++)
    if (g_strcmp0 (code, carriers[i].code) == 0)
      add_string (builder, "carrier", carriers[i].easypost);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  call_async (self, "POST", "/trackers", body, 0, cancellable, tracked_cb, task);
}

/* Test connection */

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GBytes) body = call_finish (PS_CARRIER_EASYPOST (source), result, &error);

  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
ps_carrier_easypost_test_connection_async (PsCarrier           *carrier,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (carrier);
  GTask *task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                      ps_carrier_test_connection_async);

  /* A list request: free, works with test and production keys alike. */
  call_async (self, "GET", "/addresses?page_size=1", NULL, 0, cancellable, tested_cb, task);
}

/* PsCarrier */

static const char *
ps_carrier_easypost_get_id (PsCarrier *carrier)
{
  return "easypost";
}

static const char *
ps_carrier_easypost_get_display_name (PsCarrier *carrier)
{
  return "EasyPost";
}

static PsCarrierCapabilities
ps_carrier_easypost_get_capabilities (PsCarrier *carrier)
{
  return PS_CARRIER_CAN_RATE | PS_CARRIER_CAN_BUY | PS_CARRIER_CAN_VOID | PS_CARRIER_CAN_TRACK;
}

static void
ps_carrier_easypost_iface_init (PsCarrierInterface *iface)
{
  iface->get_id = ps_carrier_easypost_get_id;
  iface->get_display_name = ps_carrier_easypost_get_display_name;
  iface->get_capabilities = ps_carrier_easypost_get_capabilities;
  iface->quote_rates_async = ps_carrier_easypost_quote_rates_async;
  iface->buy_label_async = ps_carrier_easypost_buy_label_async;
  iface->lookup_purchase_async = ps_carrier_easypost_lookup_purchase_async;
  iface->void_label_async = ps_carrier_easypost_void_label_async;
  iface->track_async = ps_carrier_easypost_track_async;
  iface->test_connection_async = ps_carrier_easypost_test_connection_async;
}

/* GObject */

static void
ps_carrier_easypost_constructed (GObject *object)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (object);
  gsize len;

  G_OBJECT_CLASS (ps_carrier_easypost_parent_class)->constructed (object);

  if (self->base_url == NULL)
    self->base_url = g_strdup (PS_CARRIER_EASYPOST_DEFAULT_BASE_URL);
  len = strlen (self->base_url);
  if (len > 0 && self->base_url[len - 1] == '/')
    self->base_url[len - 1] = '\0';

  /* "timeout" covers every read and write, so a server that accepts and
   * never answers fails after it instead of hanging the batch. */
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 NULL);
}

static void
ps_carrier_easypost_dispose (GObject *object)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ps_carrier_easypost_parent_class)->dispose (object);
}

static void
ps_carrier_easypost_finalize (GObject *object)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (object);

  g_free (self->base_url);
  g_free (self->api_key);
  g_free (self->account_id);

  G_OBJECT_CLASS (ps_carrier_easypost_parent_class)->finalize (object);
}

static void
ps_carrier_easypost_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_string (value, self->account_id);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RETRY_DELAY:
      g_value_set_uint (value, self->max_retry_delay);
      break;
    case PROP_API_KEY:  /* write-only: keys are not handed around */
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_carrier_easypost_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  PsCarrierEasypost *self = PS_CARRIER_EASYPOST (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_API_KEY:
      self->api_key = g_value_dup_string (value);
      break;
    case PROP_ACCOUNT_ID:
      self->account_id = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      self->timeout = g_value_get_uint (value);
      break;
    case PROP_MAX_RETRY_DELAY:
      if (self->max_retry_delay != g_value_get_uint (value))
        {
          self->max_retry_delay = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_carrier_easypost_class_init (PsCarrierEasypostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ps_carrier_easypost_constructed;
  object_class->dispose = ps_carrier_easypost_dispose;
  object_class->finalize = ps_carrier_easypost_finalize;
  object_class->get_property = ps_carrier_easypost_get_property;
  object_class->set_property = ps_carrier_easypost_set_property;

  /**
   * PsCarrierEasypost:base-url:
   *
   * The API root, %PS_CARRIER_EASYPOST_DEFAULT_BASE_URL unless a test
   * points it at a loopback server.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PsCarrierEasypost:api-key:
   *
   * The key (test or production: EasyPost tells them apart); when unset,
   * the key of #PsCarrierEasypost:account-id is read from the keyring.
   */
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PsCarrierEasypost:account-id:
   *
   * The carrier_accounts id whose key the keyring holds.
   */
  properties[PROP_ACCOUNT_ID] =
    g_param_spec_string ("account-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PsCarrierEasypost:timeout:
   *
   * Seconds a request may wait for the network before it fails.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, DEFAULT_TIMEOUT_S,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * PsCarrierEasypost:max-retry-delay:
   *
   * A 429 whose Retry-After is at most this many seconds is retried (up to
   * twice) after that delay; a longer one fails with
   * %PS_CARRIER_ERROR_RATE_LIMITED.
   */
  properties[PROP_MAX_RETRY_DELAY] =
    g_param_spec_uint ("max-retry-delay", NULL, NULL, 0, 600, DEFAULT_MAX_RETRY_DELAY_S,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY
                       | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_carrier_easypost_init (PsCarrierEasypost *self)
{
  self->timeout = DEFAULT_TIMEOUT_S;
  self->max_retry_delay = DEFAULT_MAX_RETRY_DELAY_S;
}

/* Public API */

/**
 * ps_carrier_easypost_new:
 * @base_url: (nullable): the API root; %NULL for EasyPost's
 * @api_key: the API key
 *
 * Returns: (transfer full): the carrier
 */
PsCarrierEasypost *
ps_carrier_easypost_new (const char *base_url,
                         const char *api_key)
{
  return g_object_new (PS_TYPE_CARRIER_EASYPOST, "base-url", base_url, "api-key", api_key,
                       NULL);
}

/**
 * ps_carrier_easypost_new_from_settings:
 * @settings: (nullable): `{"account_id": "3", "base_url": …, "timeout": N}`;
 *   the key itself is in the keyring under "account_id"
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the carrier
 */
PsCarrierEasypost *
ps_carrier_easypost_new_from_settings (JsonObject  *settings,
                                       GError     **error)
{
  const char *account_id = NULL, *base_url = NULL;
  gint64 timeout = DEFAULT_TIMEOUT_S;

  if (settings != NULL)
    {
      account_id = json_object_get_string_member_with_default (settings, "account_id", NULL);
      base_url = json_object_get_string_member_with_default (settings, "base_url", NULL);
      timeout = json_object_get_int_member_with_default (settings, "timeout", timeout);
    }
  if (account_id == NULL)
    {
      g_set_error_literal (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_AUTH,
                           "This EasyPost account has no account_id to find its key in the "
                           "keyring: add the account again in Preferences");
      return NULL;
    }
  return g_object_new (PS_TYPE_CARRIER_EASYPOST, "base-url", base_url, "account-id", account_id,
                       "timeout", (guint) CLAMP (timeout, 1, 600), NULL);
}
