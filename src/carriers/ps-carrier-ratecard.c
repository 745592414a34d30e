/* ps-carrier-ratecard.c: an offline carrier priced from the merchant's rate table
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For local couriers and the merchant's own deliveries: prices come from
 * a PsRateTable, labels are our own layout (no label bytes), tracking
 * numbers are the next ones of a configured range and there is no
 * tracking to poll. The range's next serial is part of the settings the
 * shipping service stores back after each purchase.
 */

#define G_LOG_DOMAIN "ps-carrier-ratecard"

#include "config.h"

#include <string.h>

#include "ps-carrier-ratecard.h"
#include "ps-carrier-private.h"
#include "ps-time.h"

struct _PsCarrierRatecard
{
  GObject      parent_instance;

  char        *name;
  PsRateTable *table;
  char        *prefix;
  guint64      next_serial;
  guint        digits;

  GHashTable  *by_key;       /* idempotency key -> PsPurchase */
  GHashTable  *by_shipment;  /* tracking number -> PsPurchase */
};

static void ps_carrier_ratecard_iface_init (PsCarrierInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsCarrierRatecard, ps_carrier_ratecard, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (PS_TYPE_CARRIER,
                                                      ps_carrier_ratecard_iface_init))

static PsRate *
quote_service (PsCarrierRatecard   *self,
               const PsRateRequest *request,
               const char          *service)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  gboolean domestic = ps_rate_request_is_domestic (request);
  gint64 price;
  int days;
  PsRate *rate;

  if (!ps_rate_table_lookup (self->table, service,
                             domestic ? ps_rate_request_zone (request) : 0,
                             domestic ? NULL : request->ship_to->country,
                             request->parcel.weight_grams, &price, &days))
    return NULL;

  rate = ps_rate_new ();
  rate->backend = g_strdup ("ratecard");
  rate->carrier = g_strdup (self->name);
  rate->carrier_code = g_strdup ("generic");
  rate->service_code = g_strdup (service);
  rate->service_name = g_strdup (service);
  rate->price.minor = price;
  g_strlcpy (rate->price.currency, ps_rate_table_get_currency (self->table),
             sizeof rate->price.currency);
  rate->transit_days = days;
  if (days > 0)
    rate->estimated_delivery =
      ps_time_add_business_days (request->ship_date > 0 ? request->ship_date : ps_time_now (),
                                 days, utc);
  rate->rate_ref = g_strdup (service);
  return rate;
}

static char *
describe_destination (const PsRateRequest *request)
{
  if (ps_rate_request_is_domestic (request))
    return g_strdup_printf ("zone %d", ps_rate_request_zone (request));
  return g_strdup (request->ship_to->country);
}

/* PsCarrier */

static const char *
ps_carrier_ratecard_get_id (PsCarrier *carrier)
{
  return "ratecard";
}

static const char *
ps_carrier_ratecard_get_display_name (PsCarrier *carrier)
{
  return PS_CARRIER_RATECARD (carrier)->name;
}

static PsCarrierCapabilities
ps_carrier_ratecard_get_capabilities (PsCarrier *carrier)
{
  return PS_CARRIER_CAN_RATE | PS_CARRIER_CAN_BUY | PS_CARRIER_CAN_VOID
         | PS_CARRIER_WORKS_OFFLINE;
}

static void
ps_carrier_ratecard_quote_rates_async (PsCarrier           *carrier,
                                       const PsRateRequest *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  PsCarrierRatecard *self = PS_CARRIER_RATECARD (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_quote_rates_async);
  g_autoptr(GPtrArray) rates = NULL;
  g_auto(GStrv) services = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (!ps_rate_request_validate (request, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  rates = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rate_free);
  services = ps_rate_table_dup_services (self->table);
  for (guint i = 0; services[i] != NULL; i++)
    {
      PsRate *rate = quote_service (self, request, services[i]);

      if (rate != NULL)
        g_ptr_array_add (rates, rate);
    }

  if (rates->len == 0)
    {
      g_autofree char *where = describe_destination (request);

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
                               "The %s rate table has no price for %" G_GINT64_FORMAT
                               " g to %s: add a weight band or destination to the table",
                               self->name, request->parcel.weight_grams, where);
      return;
    }
  g_ptr_array_sort (rates, ps_rate_compare_price);
  g_task_return_pointer (task, g_steal_pointer (&rates), (GDestroyNotify) g_ptr_array_unref);
}

static void
ps_carrier_ratecard_buy_label_async (PsCarrier           *carrier,
                                     const PsRateRequest *request,
                                     const PsRate        *rate,
                                     PsLabelFormat        format,
                                     const char          *idempotency_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  PsCarrierRatecard *self = PS_CARRIER_RATECARD (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_buy_label_async);
  g_autoptr(PsRate) quoted = NULL;
  PsPurchase *purchase, *known;
  GError *error = NULL;
  guint64 limit = 1;

  if (g_task_return_error_if_cancelled (task))
    return;

  known = idempotency_key ? g_hash_table_lookup (self->by_key, idempotency_key) : NULL;
  if (known != NULL)
    {
      g_task_return_pointer (task, ps_purchase_copy (known), (GDestroyNotify) ps_purchase_free);
      return;
    }
  if (!ps_rate_request_validate (request, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  quoted = quote_service (self, request, rate->service_code);
  if (quoted == NULL)
    {
      g_autofree char *where = describe_destination (request);

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
                               "The %s service \"%s\" has no price for %" G_GINT64_FORMAT
                               " g to %s: pick another rate", self->name, rate->service_code,
                               request->parcel.weight_grams, where);
      return;
    }
  for (guint i = 0; i < self->digits; i++)
    limit *= 10;
  if (self->next_serial >= limit)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
                               "The tracking number range %s… of %s is used up: set a new "
                               "range in Preferences", self->prefix, self->name);
      return;
    }

  purchase = ps_purchase_new ();
  purchase->tracking_number = g_strdup_printf ("%s%0*" G_GUINT64_FORMAT, self->prefix,
                                               (int) self->digits, self->next_serial++);
  purchase->carrier_shipment_id = g_strdup (purchase->tracking_number);
  purchase->carrier = g_strdup (self->name);
  purchase->service_code = g_strdup (quoted->service_code);
  purchase->price = quoted->price;
  purchase->label_format = format;
  purchase->tracking_carrier = g_strdup ("generic");
  purchase->purchased_at = ps_time_now ();

  if (idempotency_key != NULL)
    g_hash_table_insert (self->by_key, g_strdup (idempotency_key), ps_purchase_copy (purchase));
  g_hash_table_insert (self->by_shipment, g_strdup (purchase->carrier_shipment_id),
                       ps_purchase_copy (purchase));
  g_task_return_pointer (task, purchase, (GDestroyNotify) ps_purchase_free);
}

static void
ps_carrier_ratecard_lookup_purchase_async (PsCarrier           *carrier,
                                           const char          *carrier_shipment_id,
                                           const char          *idempotency_key,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  PsCarrierRatecard *self = PS_CARRIER_RATECARD (carrier);
  g_autoptr(GTask) task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                                    ps_carrier_lookup_purchase_async);
  PsPurchase *known = NULL;

  if (idempotency_key != NULL)
    known = g_hash_table_lookup (self->by_key, idempotency_key);
  if (known == NULL && carrier_shipment_id != NULL)
    known = g_hash_table_lookup (self->by_shipment, carrier_shipment_id);
  g_task_return_pointer (task, known ? ps_purchase_copy (known) : NULL,
                         (GDestroyNotify) ps_purchase_free);
}

/* The merchant's own courier: nothing to refund, the label is just void. */
static void
ps_carrier_ratecard_void_label_async (PsCarrier           *carrier,
                                      const char          *carrier_shipment_id,
                                      const char          *tracking_number,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = _ps_carrier_task_new (carrier, cancellable, callback, user_data,
                                    ps_carrier_void_label_async);

  g_task_return_boolean (task, TRUE);
}

static void
ps_carrier_ratecard_iface_init (PsCarrierInterface *iface)
{
  iface->get_id = ps_carrier_ratecard_get_id;
  iface->get_display_name = ps_carrier_ratecard_get_display_name;
  iface->get_capabilities = ps_carrier_ratecard_get_capabilities;
  iface->quote_rates_async = ps_carrier_ratecard_quote_rates_async;
  iface->buy_label_async = ps_carrier_ratecard_buy_label_async;
  iface->lookup_purchase_async = ps_carrier_ratecard_lookup_purchase_async;
  iface->void_label_async = ps_carrier_ratecard_void_label_async;
}

/* GObject */

static void
ps_carrier_ratecard_finalize (GObject *object)
{
  PsCarrierRatecard *self = PS_CARRIER_RATECARD (object);

  g_free (self->name);
  g_clear_pointer (&self->table, ps_rate_table_unref);
  g_free (self->prefix);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->by_shipment, g_hash_table_unref);

  G_OBJECT_CLASS (ps_carrier_ratecard_parent_class)->finalize (object);
}

static void
ps_carrier_ratecard_class_init (PsCarrierRatecardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_carrier_ratecard_finalize;
}

static void
ps_carrier_ratecard_init (PsCarrierRatecard *self)
{
  self->by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) ps_purchase_free);
  self->by_shipment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) ps_purchase_free);
}

/* Public API */

/**
 * ps_carrier_ratecard_new:
 * @name: the carrier's name for people and labels ("City Couriers")
 * @table: the prices
 * @tracking_prefix: (nullable): letters in front of every tracking number
 * @first_serial: the number the next label gets
 * @digits: the zero-padded width of the number, 1–18
 *
 * Returns: (transfer full): the carrier
 */
PsCarrierRatecard *
ps_carrier_ratecard_new (const char  *name,
                         PsRateTable *table,
                         const char  *tracking_prefix,
                         guint64      first_serial,
                         guint        digits)
{
  PsCarrierRatecard *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (digits >= 1 && digits <= 18, NULL);

  self = g_object_new (PS_TYPE_CARRIER_RATECARD, NULL);
  self->name = g_strdup (name);
  self->table = ps_rate_table_ref (table);
  self->prefix = g_strdup (tracking_prefix ? tracking_prefix : "");
  self->next_serial = first_serial;
  self->digits = digits;
  return self;
}

/**
 * ps_carrier_ratecard_new_from_settings:
 * @settings: `{"name", "table": <ps_rate_table_to_json()>, "tracking":
 *   {"prefix", "next", "digits"}}`
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): the carrier
 */
PsCarrierRatecard *
ps_carrier_ratecard_new_from_settings (JsonObject  *settings,
                                       GError     **error)
{
  g_autoptr(PsRateTable) table = NULL;
  JsonObject *tracking = NULL;
  gint64 digits = 10, next = 1;
  const char *prefix = "";

  if (settings == NULL || !json_object_has_member (settings, "table")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "table")))
    {
      g_set_error_literal (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                           "This rate card account has no rate table: import a rate CSV "
                           "in Preferences");
      return NULL;
    }
  table = ps_rate_table_new_from_json (json_object_get_object_member (settings, "table"), error);
  if (table == NULL)
    return NULL;

  if (json_object_has_member (settings, "tracking")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (settings, "tracking")))
    tracking = json_object_get_object_member (settings, "tracking");
  if (tracking != NULL)
    {
      prefix = json_object_get_string_member_with_default (tracking, "prefix", "");
      next = json_object_get_int_member_with_default (tracking, "next", 1);
      digits = json_object_get_int_member_with_default (tracking, "digits", 10);
    }
  if (digits < 1 || digits > 18 || next < 0 || strlen (prefix) > 8)
    {
      g_set_error_literal (error, PS_RATE_TABLE_ERROR, PS_RATE_TABLE_ERROR_INVALID,
                           "The tracking range needs a prefix of up to 8 characters, a next "
                           "number of 0 or more and 1-18 digits");
      return NULL;
    }

  return ps_carrier_ratecard_new (json_object_get_string_member_with_default (settings, "name",
                                                                             "Local courier"),
                                  table, prefix, (guint64) next, (guint) digits);
}

/**
 * ps_carrier_ratecard_dup_settings:
 * @self: a rate card carrier
 *
 * The settings to store back in carrier_accounts.settings, with the
 * tracking range's next number advanced past every label bought.
 *
 * Returns: (transfer full): the settings
 */
JsonObject *
ps_carrier_ratecard_dup_settings (PsCarrierRatecard *self)
{
  JsonObject *settings = json_object_new ();
  JsonObject *tracking = json_object_new ();

  g_return_val_if_fail (PS_IS_CARRIER_RATECARD (self), settings);

  json_object_set_string_member (settings, "name", self->name);
  json_object_set_object_member (settings, "table", ps_rate_table_to_json (self->table));
  json_object_set_string_member (tracking, "prefix", self->prefix);
  json_object_set_int_member (tracking, "next", (gint64) self->next_serial);
  json_object_set_int_member (tracking, "digits", self->digits);
  json_object_set_object_member (settings, "tracking", tracking);
  return settings;
}

/**
 * ps_carrier_ratecard_get_table:
 * @self: a rate card carrier
 *
 * Returns: (transfer none): its rate table
 */
PsRateTable *
ps_carrier_ratecard_get_table (PsCarrierRatecard *self)
{
  g_return_val_if_fail (PS_IS_CARRIER_RATECARD (self), NULL);
  return self->table;
}
