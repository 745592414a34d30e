/* ps-shipping-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rates from every enabled carrier account, and buying labels so that a
 * label is never bought twice:
 *
 *   1. journal the purchase under its idempotency key (worker thread);
 *   2. a key seen before is not bought again: "bought" returns the stored
 *      label; "pending"/"unknown" (a crash or a lost answer) is looked up
 *      at the carrier first, and only a carrier that says "not bought"
 *      lets the purchase go on;
 *   3. ask the carrier; an answer that may have been lost (the request
 *      was sent: PURCHASE_UNKNOWN, or cancelled in flight) marks the entry
 *      unknown for reconcile, a refusal marks it failed (nothing bought);
 *   4. store shipment, label, status and events in one transaction.
 *
 * Backends without label bytes (sandbox, rate card) get our own layout,
 * drawn by src/labels in the preferred format.
 *
 * Carrier objects are built from carrier_accounts on first use and kept
 * (the sandbox's balance and the EasyPost session live in them).
 */

#define G_LOG_DOMAIN "ps-shipping-service"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-carrier-keyring.h"
#include "ps-carrier-ratecard.h"
#include "ps-carrier-sandbox.h"
#include "ps-handoff-sheet.h"
#include "ps-label-render.h"
#include "ps-label-spec.h"
#include "ps-label-zpl.h"
#include "ps-order-lookup.h"
#include "ps-rate-request.h"
#include "ps-rate-table.h"
#include "ps-shipping-service-private.h"
#include "ps-time.h"


G_DEFINE_FINAL_TYPE (PsShippingService, ps_shipping_service, G_TYPE_OBJECT)

/* Value types */

void
ps_shipment_draft_free (PsShipmentDraft *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->order, ps_shipping_order_free);
  g_clear_pointer (&self->ship_from, ps_address_free);
  g_free (self);
}

PsRateQuote *
ps_rate_quote_copy (const PsRateQuote *self)
{
  PsRateQuote *copy = g_new0 (PsRateQuote, 1);

  copy->rate = ps_rate_copy (self->rate);
  copy->account_id = self->account_id;
  copy->account_name = g_strdup (self->account_name);
  return copy;
}

void
ps_rate_quote_free (PsRateQuote *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rate, ps_rate_free);
  g_free (self->account_name);
  g_free (self);
}

void
ps_rate_quotes_free (PsRateQuotes *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->quotes, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_free (self);
}

void
ps_label_result_free (PsLabelResult *self)
{
  if (self == NULL)
    return;
  g_free (self->tracking_number);
  g_clear_pointer (&self->label, g_bytes_unref);
  g_free (self);
}

void
ps_batch_item_free (PsBatchItem *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->result, ps_label_result_free);
  g_free (self->order_number);
  g_free (self->error);
  g_free (self);
}

static int
compare_quotes (gconstpointer a,
                gconstpointer b)
{
  const PsRateQuote *qa = *(PsRateQuote * const *)a;
  const PsRateQuote *qb = *(PsRateQuote * const *)b;
  const PsRate *ra = qa->rate;
  const PsRate *rb = qb->rate;

  return ps_rate_compare_price (&ra, &rb);
}

/**
 * ps_rate_quotes_choose:
 * @quotes: (element-type PsRateQuote): quotes
 * @rule: how to choose
 * @max_days: for %PS_RATE_CHOICE_CHEAPEST_WITHIN, the most transit days
 *
 * Returns: (transfer none) (nullable): the chosen quote, %NULL when there
 *   are none
 */
const PsRateQuote *
ps_rate_quotes_choose (GPtrArray    *quotes,
                       PsRateChoice  rule,
                       int           max_days)
{
  const PsRateQuote *best = NULL;
  const PsRateQuote *cheapest = NULL;

  g_return_val_if_fail (quotes != NULL, NULL);

  for (guint i = 0; i < quotes->len; i++)
    {
      const PsRateQuote *q = g_ptr_array_index (quotes, i);
      const PsRate *r = q->rate;

      if (cheapest == NULL || r->price.minor < cheapest->rate->price.minor)
        cheapest = q;

      switch (rule)
        {
        case PS_RATE_CHOICE_CHEAPEST:
          break;
        case PS_RATE_CHOICE_CHEAPEST_WITHIN:
          if (r->transit_days > 0 && r->transit_days <= max_days &&
              (best == NULL || r->price.minor < best->rate->price.minor))
            best = q;
          break;
        case PS_RATE_CHOICE_FASTEST:
          if (r->transit_days > 0 &&
              (best == NULL || r->transit_days < best->rate->transit_days ||
               (r->transit_days == best->rate->transit_days && r->price.minor < best->rate->price.minor)))
            best = q;
          break;
        default:
          break;
        }
    }

  return best != NULL ? best : cheapest;
}

/* Helpers */

gint64
_ps_shipping_now (PsShippingService *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : ps_time_now ();
}

static gint64
sandbox_now_cb (gpointer data)
{
  return _ps_shipping_now (data);
}

PsDatabase *
_ps_shipping_database (PsShippingService *self)
{
  return ps_context_get_database (self->context);
}

PsCarrier *
_ps_shipping_carrier_for_account (PsShippingService       *self,
                     const PsCarrierAccount  *account,
                     GError                 **error)
{
  PsCarrier *carrier = g_hash_table_lookup (self->carriers, &account->id);
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  if (carrier != NULL)
    return carrier;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, account->settings != NULL ? account->settings : "{}", -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  carrier = ps_carrier_new_for_backend (account->backend,
                                        JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL,
                                        error);
  if (carrier == NULL)
    return NULL;
  if (PS_IS_CARRIER_SANDBOX (carrier) && self->now_func != NULL)
    ps_carrier_sandbox_set_now_func (PS_CARRIER_SANDBOX (carrier), sandbox_now_cb, self, NULL);

  g_hash_table_insert (self->carriers, g_memdup2 (&account->id, sizeof account->id), carrier);
  return carrier;
}

PsRateRequest *
_ps_shipping_draft_request (const PsShipmentDraft *draft)
{
  PsRateRequest *request = ps_rate_request_new (draft->ship_from, draft->order->ship_to, &draft->parcel);

  request->reference = g_strdup (draft->order->order_number);
  return request;
}

/* Draws our own label for a purchase that came without one. */
static GBytes *
render_own_label (PsShippingService      *self,
                  const PsShipmentDraft  *draft,
                  const PsRate           *rate,
                  const PsPurchase       *purchase,
                  GError                **error)
{
  g_autoptr(PsLabelSpec) spec = ps_label_spec_new ();
  g_autoptr(GError) local_error = NULL;
  const PsLabelSpec *specs[1];
  GBytes *bytes;

  spec->style = ps_label_style_for_carrier (purchase->tracking_carrier != NULL
                                            ? purchase->tracking_carrier : rate->carrier_code);
  spec->ship_from = ps_address_copy (draft->ship_from);
  spec->ship_to = ps_address_copy (draft->order->ship_to);
  spec->carrier_id = g_strdup (rate->carrier_code);
  spec->carrier_name = g_strdup (rate->carrier);
  spec->service_name = g_strdup (rate->service_name);
  spec->service_code = g_strdup (rate->service_code);
  spec->tracking_number = g_strdup (purchase->tracking_number);
  spec->order_number = g_strdup (draft->order->order_number);
  spec->weight_grams = draft->parcel.weight_grams;
  spec->length_mm = draft->parcel.length_mm;
  spec->width_mm = draft->parcel.width_mm;
  spec->height_mm = draft->parcel.height_mm;
  spec->ship_date = purchase->purchased_at != 0 ? purchase->purchased_at : _ps_shipping_now (self);

  /* A carrier style that cannot be drawn (a USPS routing barcode needs a
   * US ZIP) falls back to the generic layout rather than failing a
   * purchase already made. */
  if (!ps_label_spec_validate (spec, &local_error))
    {
      g_debug ("Drawing a generic label: %s", local_error->message);
      spec->style = PS_LABEL_STYLE_GENERIC;
      g_clear_error (&local_error);
    }

  specs[0] = spec;
  switch (self->label_format)
    {
    case PS_LABEL_FORMAT_ZPL:
      {
        char *zpl = ps_label_to_zpl (spec, PS_LABEL_SIZE_4X6, self->label_dpi, 0, 0, error);

        return zpl != NULL ? g_bytes_new_take (zpl, strlen (zpl)) : NULL;
      }
    case PS_LABEL_FORMAT_PNG:
      bytes = ps_label_render_png (spec, PS_LABEL_SIZE_4X6, self->label_dpi, error);
      break;
    case PS_LABEL_FORMAT_PDF:
    default:
      bytes = ps_label_render_pdf (specs, 1, PS_LABEL_SIZE_4X6, self->label_dpi, error);
      break;
    }
  return bytes;
}

/* Prepare */

static gpointer
prepare_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  gint64 order_id = *(gint64 *)data;
  g_autoptr(PsShipmentDraft) draft = g_new0 (PsShipmentDraft, 1);

  draft->order = ps_shipping_store_load_order_sync (db, order_id, error);
  if (draft->order == NULL)
    return NULL;
  draft->ship_from = ps_shipping_store_get_ship_from_sync (db, error);
  if (draft->ship_from == NULL)
    return NULL;
  draft->parcel.weight_grams = draft->order->weight_grams;
  /* The package its SKUs ship in: its sides, and its own weight on top. */
  if (draft->order->preset_id != 0)
    {
      g_autoptr(GPtrArray) presets = ps_shipping_store_list_presets_sync (db, error);

      if (presets == NULL)
        return NULL;
      for (guint i = 0; i < presets->len; i++)
        {
          const PsPackagePreset *p = g_ptr_array_index (presets, i);

          if (p->id != draft->order->preset_id)
            continue;
          draft->parcel.length_mm = p->length_mm;
          draft->parcel.width_mm = p->width_mm;
          draft->parcel.height_mm = p->height_mm;
          draft->parcel.weight_grams += p->weight_grams;
        }
    }
  return g_steal_pointer (&draft);
}

/**
 * ps_shipping_service_prepare_async:
 * @self: a #PsShippingService
 * @order_id: the order to ship
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads the order and the ship-from address; the parcel starts at the
 * items' weight.
 */
void
ps_shipping_service_prepare_async (PsShippingService   *self,
                                   gint64               order_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_prepare_async, prepare_job,
                             g_memdup2 (&order_id, sizeof order_id), g_free,
                             (GDestroyNotify)ps_shipment_draft_free, cancellable, callback, user_data);
}

/**
 * ps_shipping_service_prepare_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the draft
 */
PsShipmentDraft *
ps_shipping_service_prepare_finish (PsShippingService  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_prepare_async, error);
}

/* Rates */

typedef struct
{
  PsRateRequest *request;
  PsRateQuotes  *quotes;
  guint          pending;
} RatesData;

static void
rates_data_free (RatesData *data)
{
  g_clear_pointer (&data->request, ps_rate_request_free);
  g_clear_pointer (&data->quotes, ps_rate_quotes_free);
  g_free (data);
}

typedef struct
{
  GTask            *task;
  PsCarrierAccount *account;
} QuoteCall;

static gpointer
accounts_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  return ps_shipping_store_list_accounts_sync (db, error);
}

static void
rates_maybe_done (GTask *task)
{
  RatesData *data = g_task_get_task_data (task);

  if (--data->pending > 0)
    return;

  if (data->quotes->quotes->len == 0 && data->quotes->problems->len > 0)
    {
      g_autofree char *joined = g_strjoinv ("; ", (char **)data->quotes->problems->pdata);

      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_SERVER, "%s", joined);
      return;
    }
  g_ptr_array_sort (data->quotes->quotes, compare_quotes);
  g_task_return_pointer (task, g_steal_pointer (&data->quotes), (GDestroyNotify)ps_rate_quotes_free);
}

static void
quote_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  QuoteCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  g_autoptr(PsCarrierAccount) account = call->account;
  RatesData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rates = NULL;

  g_free (call);
  rates = ps_carrier_quote_rates_finish (PS_CARRIER (object), result, &error);
  if (rates == NULL)
    {
      if (data->quotes != NULL)
        g_ptr_array_add (data->quotes->problems, g_strdup_printf ("%s: %s", account->name, error->message));
    }
  else if (data->quotes != NULL)
    for (guint i = 0; i < rates->len; i++)
      {
        PsRateQuote *quote = g_new0 (PsRateQuote, 1);

        quote->rate = ps_rate_copy (g_ptr_array_index (rates, i));
        quote->account_id = account->id;
        quote->account_name = g_strdup (account->name);
        g_ptr_array_add (data->quotes->quotes, quote);
      }
  rates_maybe_done (task);
}

static void
rates_accounts_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  RatesData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  guint asked = 0;

  accounts = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->pending = 1;   /* held until every call is made */
  for (guint i = 0; i < accounts->len; i++)
    {
      PsCarrierAccount *account = g_ptr_array_index (accounts, i);
      g_autoptr(GError) carrier_error = NULL;
      PsCarrier *carrier;
      QuoteCall *call;

      if (!account->enabled)
        continue;
      carrier = _ps_shipping_carrier_for_account (self, account, &carrier_error);
      if (carrier == NULL)
        {
          g_ptr_array_add (data->quotes->problems, g_strdup_printf ("%s: %s", account->name, carrier_error->message));
          continue;
        }
      if (!(ps_carrier_get_capabilities (carrier) & PS_CARRIER_CAN_RATE))
        continue;

      call = g_new0 (QuoteCall, 1);
      call->task = g_object_ref (task);
      call->account = g_steal_pointer (&g_ptr_array_index (accounts, i));
      data->pending++;
      asked++;
      ps_carrier_quote_rates_async (carrier, data->request, g_task_get_cancellable (task), quote_cb, call);
    }

  if (asked == 0 && data->quotes->problems->len == 0)
    {
      data->pending = 0;
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
                               "There is no carrier account yet; add one in Preferences");
      return;
    }
  rates_maybe_done (task);
}

/**
 * ps_shipping_service_rates_async:
 * @self: a #PsShippingService
 * @draft: the shipment as the merchant set it up
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Asks every enabled carrier account for rates at once. The request is
 * checked first, so a missing street or a zero weight is reported before
 * any carrier is called.
 */
void
ps_shipping_service_rates_async (PsShippingService     *self,
                                 const PsShipmentDraft *draft,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RatesData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (draft != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_rates_async);

  data = g_new0 (RatesData, 1);
  data->request = _ps_shipping_draft_request (draft);
  data->quotes = g_new0 (PsRateQuotes, 1);
  data->quotes->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_rate_quote_free);
  data->quotes->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_task_set_task_data (task, data, (GDestroyNotify)rates_data_free);

  if (!ps_rate_request_validate (data->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ps_database_run_async (_ps_shipping_database (self), accounts_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref,
                         cancellable, rates_accounts_cb, g_steal_pointer (&task));
}

/**
 * ps_shipping_service_rates_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the quotes, cheapest first, and the
 *   accounts that failed; %NULL when no account gave a rate
 */
PsRateQuotes *
ps_shipping_service_rates_finish (PsShippingService  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Buying */


void
_ps_shipping_buy_data_free (BuyData *data)
{
  g_clear_pointer (&data->draft, ps_shipment_draft_free);
  g_clear_pointer (&data->quote, ps_rate_quote_free);
  g_clear_pointer (&data->request, ps_rate_request_free);
  g_free (data->key);
  g_clear_object (&data->carrier);
  g_clear_pointer (&data->entry, ps_journal_entry_free);
  g_clear_pointer (&data->purchase, ps_purchase_free);
  g_clear_pointer (&data->label, g_bytes_unref);
  g_free (data->mark_message);
  g_clear_error (&data->failure);
  g_free (data->account_settings);
  g_free (data);
}

static PsShipmentDraft *
draft_copy (const PsShipmentDraft *draft)
{
  PsShipmentDraft *copy = g_new0 (PsShipmentDraft, 1);
  PsShippingOrder *order = g_new0 (PsShippingOrder, 1);

  *order = *draft->order;
  order->order_number = g_strdup (draft->order->order_number);
  order->ship_to = ps_address_copy (draft->order->ship_to);
  order->address_message = g_strdup (draft->order->address_message);
  order->items = g_ptr_array_ref (draft->order->items);
  copy->order = order;
  copy->ship_from = ps_address_copy (draft->ship_from);
  copy->parcel = draft->parcel;
  return copy;
}

static char *
request_json (const PsRateQuote *quote)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "service_name");
  json_builder_add_string_value (builder, quote->rate->service_name);
  json_builder_set_member_name (builder, "price_minor");
  json_builder_add_int_value (builder, quote->rate->price.minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, quote->rate->price.currency);
  json_builder_set_member_name (builder, "shipment_ref");
  json_builder_add_string_value (builder, quote->rate->shipment_ref);
  json_builder_set_member_name (builder, "rate_ref");
  json_builder_add_string_value (builder, quote->rate->rate_ref);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gpointer
journal_job (PsDatabase    *db,
             gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  BuyData *data = user_data;
  g_autofree char *request = request_json (data->quote);

  data->entry = ps_shipping_store_journal_begin_sync (db, data->draft->order->id, data->quote->account_id,
                                                      data->quote->rate->carrier_code,
                                                      data->quote->rate->service_code,
                                                      data->key, request, &data->created, error);
  return data->entry != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
record_job (PsDatabase    *db,
            gpointer       user_data,
            GCancellable  *cancellable,
            GError       **error)
{
  BuyData *data = user_data;
  PsLabelResult *result;
  gint64 shipment_id;

  shipment_id = ps_shipping_store_record_label_sync (db, data->entry->id, data->draft->order->id,
                                                     &data->bought, data->purchase->purchased_at,
                                                     error);
  if (shipment_id == 0)
    return NULL;
  /* A rate card hands out tracking numbers from a range: keep where it
   * is, or a restart would hand out the same numbers again. */
  if (data->account_settings != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      if (!ps_shipping_store_set_account_settings_sync (db, data->quote->account_id, data->account_settings,
                                                        &local_error))
        g_warning ("The rate card's next tracking number was not saved: %s", local_error->message);
    }

  result = g_new0 (PsLabelResult, 1);
  result->order_id = data->draft->order->id;
  result->shipment_id = shipment_id;
  result->tracking_number = g_strdup (data->purchase->tracking_number);
  result->label = g_bytes_ref (data->label);
  result->label_format = data->label_format;
  return result;
}

static gpointer
mark_job (PsDatabase    *db,
          gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  BuyData *data = user_data;

  if (!ps_shipping_store_journal_mark_sync (db, data->entry->id, data->mark_state,
                                            data->quote->rate->shipment_ref, data->mark_message, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}


gpointer
_ps_shipping_stored_label_job (PsDatabase    *db,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  StoredArgs *args = user_data;
  g_autoptr(PsLabelResult) result = g_new0 (PsLabelResult, 1);

  result->shipment_id = args->shipment_id;
  result->tracking_number = ps_shipping_store_get_tracking_sync (db, args->shipment_id, &result->order_id, error);
  if (result->tracking_number == NULL)
    return NULL;
  result->label = ps_shipping_store_load_label_sync (db, args->shipment_id, &result->label_format, error);
  if (result->label == NULL)
    return NULL;
  return g_steal_pointer (&result);
}

static void
record_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  PsLabelResult *label;

  label = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (label == NULL)
    {
      /* Bought but not stored (disk full?): the journal still says
       * pending with the carrier's id, and reconcile stores it later. */
      g_prefix_error (&error, "The label was bought but could not be saved; Postsale will pick it up "
                              "again from the carrier: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

    g_array_append_val (ids, label->order_id);
    ps_order_store_emit_changed (ps_context_get_order_store (self->context), ids);
  }
  g_task_return_pointer (task, label, (GDestroyNotify)ps_label_result_free);
}

/* The label is ready: store everything in one transaction. */
static void
record_purchase (GTask *task)
{
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);
  PsPurchase *p = data->purchase;

  data->bought.carrier = data->quote->rate->carrier_code;
  data->bought.service = data->quote->rate->service_code;
  data->bought.service_name = data->quote->rate->service_name;
  data->bought.tracking_number = p->tracking_number;
  data->bought.carrier_shipment_id = p->carrier_shipment_id;
  data->bought.currency = p->price.currency[0] != '\0' ? p->price.currency : data->quote->rate->price.currency;
  data->bought.rate_minor = p->price.currency[0] != '\0' ? p->price.minor : data->quote->rate->price.minor;
  data->bought.weight_grams = data->draft->parcel.weight_grams;
  data->bought.length_mm = data->draft->parcel.length_mm;
  data->bought.width_mm = data->draft->parcel.width_mm;
  data->bought.height_mm = data->draft->parcel.height_mm;
  data->bought.estimated_delivery_at = data->quote->rate->estimated_delivery;
  data->bought.label = data->label;
  data->bought.label_format = data->label_format;
  if (PS_IS_CARRIER_RATECARD (data->carrier))
    {
      g_autoptr(JsonObject) settings = ps_carrier_ratecard_dup_settings (PS_CARRIER_RATECARD (data->carrier));
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), settings);

      data->account_settings = json_to_string (node, FALSE);
    }

  ps_database_run_async (_ps_shipping_database (self), record_job, data, NULL, (GDestroyNotify)ps_label_result_free,
                         NULL, record_cb, g_object_ref (task));
}

/* Drawing a label (cairo, pango, zint, PDF) takes milliseconds: on a
 * thread, so a batch of hundreds never stalls the window. */
static void
render_thread (GTask        *render,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GTask *task = task_data;
  PsShippingService *self = source_object;
  BuyData *data = g_task_get_task_data (task);
  GError *error = NULL;
  GBytes *bytes = render_own_label (self, data->draft, data->quote->rate, data->purchase, &error);

  if (bytes == NULL)
    g_task_return_error (render, error);
  else
    g_task_return_pointer (render, bytes, (GDestroyNotify)g_bytes_unref);
}

static void
rendered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->label = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->label == NULL)
    {
      /* The carrier has the purchase; the journal stays open so it is
       * never bought again, and reconcile draws it later. */
      g_prefix_error (&error, "The label was bought (tracking %s) but could not be drawn: ",
                      data->purchase->tracking_number);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  record_purchase (task);
}

/* The purchase is made: draw a label if needed, store it. */
void
_ps_shipping_store_purchase (GTask *task)
{
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);
  PsPurchase *p = data->purchase;
  GTask *render;

  if (p->purchased_at == 0)
    p->purchased_at = _ps_shipping_now (self);
  if (p->label != NULL)
    {
      data->label = g_bytes_ref (p->label);
      data->label_format = p->label_format;
      record_purchase (task);
      return;
    }

  data->label_format = self->label_format;
  render = g_task_new (self, NULL, rendered_cb, g_object_ref (task));
  g_task_set_task_data (render, g_object_ref (task), g_object_unref);
  g_task_run_in_thread (render, render_thread);
  g_object_unref (render);
}

static void
mark_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (error != NULL)
    g_warning ("Could not journal the purchase's outcome: %s", error->message);

  if (data->mark_state == PS_PURCHASE_STATE_UNKNOWN)
    g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
                             "%s did not answer whether the label was bought (%s). Postsale will ask "
                             "again before buying, so it is never bought twice",
                             data->quote->rate->carrier, data->mark_message);
  else
    g_task_return_error (task, g_error_copy (data->failure));
}

static void
finish_with_mark (GTask           *task,
                  PsPurchaseState  state,
                  const GError    *error)
{
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);

  data->mark_state = state;
  data->mark_message = g_strdup (error->message);
  data->failure = g_error_copy (error);
  ps_database_run_async (_ps_shipping_database (self), mark_job, data, NULL, NULL, NULL, mark_cb, g_object_ref (task));
}

static void
buy_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->purchase = ps_carrier_buy_label_finish (PS_CARRIER (object), result, &error);
  if (data->purchase != NULL)
    {
      _ps_shipping_store_purchase (task);
      return;
    }

  /* Sent but unanswered (or cancelled in flight): it may be bought. */
  if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish_with_mark (task, PS_PURCHASE_STATE_UNKNOWN, error);
  else
    finish_with_mark (task, PS_PURCHASE_STATE_FAILED, error);
}

/**
 * _ps_shipping_carrier_key:
 * @key: the purchase's key
 * @journal_id: its journal row
 *
 * The key the carrier sees: one per journal row, so a purchase made again
 * after a void (a new row under the freed key) is a new purchase for a
 * carrier that remembers keys, while a retry of the same row is not.
 *
 * Returns: (transfer full): the key
 */
char *
_ps_shipping_carrier_key (const char *key,
                          gint64      journal_id)
{
  return g_strdup_printf ("%s#%" G_GINT64_FORMAT, key, journal_id);
}

static void
start_buy (GTask *task)
{
  BuyData *data = g_task_get_task_data (task);
  g_autofree char *carrier_key = _ps_shipping_carrier_key (data->key, data->entry->id);

  ps_carrier_buy_label_async (data->carrier, data->request, data->quote->rate, PS_LABEL_FORMAT_PDF,
                              carrier_key, NULL /* a buy is never cut off mid-flight */,
                              buy_cb, g_object_ref (task));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  PsLabelResult *label;

  label = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (label == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  label->already_bought = TRUE;
  g_task_return_pointer (task, label, (GDestroyNotify)ps_label_result_free);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->purchase = ps_carrier_lookup_purchase_finish (PS_CARRIER (object), result, &error);
  if (data->purchase != NULL)
    {
      _ps_shipping_store_purchase (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
                               "An earlier purchase of this label may have gone through and %s cannot "
                               "tell yet (%s); nothing was bought now",
                               data->quote->rate->carrier, error->message);
      return;
    }
  /* The carrier says it was never bought: safe to buy now. */
  start_buy (task);
}

static void
journal_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->entry->state == PS_PURCHASE_STATE_BOUGHT)
    {
      StoredArgs *args = g_new0 (StoredArgs, 1);

      args->shipment_id = data->entry->shipment_id;
      ps_database_run_async (_ps_shipping_database (self), _ps_shipping_stored_label_job, args, g_free,
                             (GDestroyNotify)ps_label_result_free, NULL, stored_cb, g_object_ref (task));
      return;
    }
  if (!data->created)
    {
      /* Pending or unknown from an earlier attempt: ask before buying. */
      g_autofree char *carrier_key = _ps_shipping_carrier_key (data->key, data->entry->id);

      ps_carrier_lookup_purchase_async (data->carrier, data->entry->carrier_shipment_id, carrier_key,
                                        NULL, lookup_cb, g_object_ref (task));
      return;
    }
  start_buy (task);
}

/**
 * ps_shipping_service_buy_async:
 * @self: a #PsShippingService
 * @draft: the shipment
 * @quote: the rate chosen
 * @idempotency_key: the purchase's key: the same key never buys twice
 * @cancellable: (nullable): cancels only before the carrier is asked
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Buys the label, stores it with a new shipment and makes the order
 * Ready to ship. See the file's comment for how it never buys twice.
 */
void
ps_shipping_service_buy_async (PsShippingService     *self,
                               const PsShipmentDraft *draft,
                               const PsRateQuote     *quote,
                               const char            *idempotency_key,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCarrierAccount) account = g_new0 (PsCarrierAccount, 1);
  BuyData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (draft != NULL && quote != NULL);
  g_return_if_fail (idempotency_key != NULL && *idempotency_key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_buy_async);
  data = g_new0 (BuyData, 1);
  data->draft = draft_copy (draft);
  data->quote = ps_rate_quote_copy (quote);
  data->request = _ps_shipping_draft_request (draft);
  data->key = g_strdup (idempotency_key);
  g_task_set_task_data (task, data, (GDestroyNotify)_ps_shipping_buy_data_free);

  if (!ps_rate_request_validate (data->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (draft->order->status == PS_ORDER_STATUS_CANCELLED)
    {
      g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                               "Order %s is cancelled; change its status first if it ships after all",
                               draft->order->order_number);
      return;
    }

  data->carrier = g_hash_table_lookup (self->carriers, &quote->account_id);
  if (data->carrier == NULL)
    {
      g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                               "The carrier account “%s” is no longer set up; get rates again",
                               quote->account_name);
      return;
    }
  g_object_ref (data->carrier);

  if (g_task_return_error_if_cancelled (task))
    return;
  ps_database_run_async (_ps_shipping_database (self), journal_job, data, NULL, NULL, NULL, journal_cb,
                         g_steal_pointer (&task));
}

/**
 * ps_shipping_service_buy_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the label; %PS_CARRIER_ERROR_PURCHASE_UNKNOWN
 *   when the carrier's answer was lost (reconcile will settle it)
 */
PsLabelResult *
ps_shipping_service_buy_finish (PsShippingService  *self,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Loading a stored label */

void
ps_shipping_service_load_label_async (PsShippingService   *self,
                                      gint64               shipment_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  StoredArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  args = g_new0 (StoredArgs, 1);
  args->shipment_id = shipment_id;
  ps_database_run_for_async (_ps_shipping_database (self), self, ps_shipping_service_load_label_async, _ps_shipping_stored_label_job,
                             args, g_free, (GDestroyNotify)ps_label_result_free, cancellable, callback,
                             user_data);
}

/**
 * ps_shipping_service_load_label_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the stored label
 */
PsLabelResult *
ps_shipping_service_load_label_finish (PsShippingService  *self,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_load_label_async, error);
}

/* GObject */

static void
ps_shipping_service_finalize (GObject *object)
{
  PsShippingService *self = (PsShippingService *)object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->carriers, g_hash_table_unref);

  G_OBJECT_CLASS (ps_shipping_service_parent_class)->finalize (object);
}

static void
ps_shipping_service_class_init (PsShippingServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ps_shipping_service_finalize;
}

static void
ps_shipping_service_init (PsShippingService *self)
{
  self->carriers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->label_format = PS_LABEL_FORMAT_PDF;
  self->label_dpi = 203;
}

/**
 * ps_shipping_service_new:
 * @context: the open database
 *
 * Returns: (transfer full): a new shipping service
 */
PsShippingService *
ps_shipping_service_new (PsContext *context)
{
  PsShippingService *self;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);

  self = g_object_new (PS_TYPE_SHIPPING_SERVICE, NULL);
  self->context = g_object_ref (context);
  return self;
}

/**
 * ps_shipping_service_set_label_format:
 * @self: a #PsShippingService
 * @format: the format our own labels are drawn in
 * @dpi: 203 or 300
 */
void
ps_shipping_service_set_label_format (PsShippingService *self,
                                      PsLabelFormat      format,
                                      int                dpi)
{
  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  self->label_format = format;
  self->label_dpi = dpi == 300 ? 300 : 203;
}

/**
 * ps_shipping_service_set_now_func:
 * @self: a #PsShippingService
 * @now_func: (nullable): the clock, in UTC Unix seconds
 * @user_data: data for @now_func
 *
 * For the demo and tests: what "now" is for label dates and the sandbox.
 */
void
ps_shipping_service_set_now_func (PsShippingService  *self,
                                  gint64            (*now_func) (gpointer),
                                  gpointer            user_data)
{
  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  self->now_func = now_func;
  self->now_data = user_data;
  g_hash_table_remove_all (self->carriers);
}

/**
 * ps_shipping_service_reload_accounts:
 * @self: a #PsShippingService
 *
 * Forgets the carriers built so far; call after accounts changed.
 */
void
ps_shipping_service_reload_accounts (PsShippingService *self)
{
  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  g_hash_table_remove_all (self->carriers);
}

/**
 * ps_shipping_service_lookup_carrier:
 * @self: a #PsShippingService
 * @account_id: a carrier account
 *
 * Returns: (transfer none) (nullable): the carrier built for the account
 *   by an earlier rates call, or %NULL
 */
PsCarrier *
ps_shipping_service_lookup_carrier (PsShippingService *self,
                                    gint64             account_id)
{
  g_return_val_if_fail (PS_IS_SHIPPING_SERVICE (self), NULL);

  return g_hash_table_lookup (self->carriers, &account_id);
}

/* Void */

typedef struct
{
  gint64         shipment_id;
  PsShipmentRef *ref;
  GPtrArray     *accounts;
} VoidData;

static void
void_data_free (VoidData *data)
{
  g_clear_pointer (&data->ref, ps_shipment_ref_free);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  g_free (data);
}

static gpointer
void_load_job (PsDatabase    *db,
               gpointer       user_data,
               GCancellable  *cancellable,
               GError       **error)
{
  VoidData *data = user_data;

  data->ref = ps_shipping_store_load_shipment_sync (db, data->shipment_id, error);
  if (data->ref == NULL)
    return NULL;
  data->accounts = ps_shipping_store_list_accounts_sync (db, error);
  return data->accounts != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
void_store_job (PsDatabase    *db,
                gpointer       user_data,
                GCancellable  *cancellable,
                GError       **error)
{
  GTask *task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  VoidData *data = g_task_get_task_data (task);

  return ps_shipping_store_void_sync (db, data->shipment_id, _ps_shipping_now (self), error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
void_stored_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  VoidData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_prefix_error (&error, "The carrier voided the label but Postsale could not record it: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_array_append_val (ids, data->ref->order_id);
  ps_order_store_emit_changed (ps_context_get_order_store (self->context), ids);
  g_task_return_boolean (task, TRUE);
}

static void
voided_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ps_carrier_void_label_finish (PS_CARRIER (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_database_run_async (_ps_shipping_database (self), void_store_job, task, NULL, NULL, NULL, void_stored_cb,
                         g_object_ref (task));
}

static void
void_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  VoidData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  PsCarrierAccount *account = NULL;
  PsCarrier *carrier;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->ref->voided_at != 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (data->ref->tracking_status != PS_TRACKING_STATUS_PRE_TRANSIT &&
      data->ref->tracking_status != PS_TRACKING_STATUS_UNKNOWN)
    {
      g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_VOID_REFUSED,
                               "The carrier already has this parcel; a label can only be voided before "
                               "its first scan");
      return;
    }
  for (guint i = 0; i < data->accounts->len; i++)
    if (((PsCarrierAccount *)g_ptr_array_index (data->accounts, i))->id == data->ref->account_id)
      account = g_ptr_array_index (data->accounts, i);
  if (account == NULL)
    {
      g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                               "The carrier account that bought this label is gone; void it on the "
                               "carrier's website");
      return;
    }
  carrier = _ps_shipping_carrier_for_account (self, account, &error);
  if (carrier == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_carrier_void_label_async (carrier, data->ref->carrier_shipment_id, data->ref->tracking_number,
                               g_task_get_cancellable (task), voided_cb, g_object_ref (task));
}

/**
 * ps_shipping_service_void_async:
 * @self: a #PsShippingService
 * @shipment_id: the shipment whose label to void
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Asks the carrier that bought the label to void it (refund it), then
 * records the void: the order goes back to Awaiting shipment when no
 * other label is live. Carriers refuse once the parcel was scanned.
 */
void
ps_shipping_service_void_async (PsShippingService   *self,
                                gint64               shipment_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  VoidData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_void_async);
  data = g_new0 (VoidData, 1);
  data->shipment_id = shipment_id;
  g_task_set_task_data (task, data, (GDestroyNotify)void_data_free);
  ps_database_run_async (_ps_shipping_database (self), void_load_job, data, NULL, NULL, cancellable, void_loaded_cb, task);
}

gboolean
ps_shipping_service_void_finish (PsShippingService  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

