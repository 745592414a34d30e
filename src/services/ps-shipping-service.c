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
#include "ps-shipping-service.h"
#include "ps-time.h"

struct _PsShippingService
{
  GObject        parent_instance;

  PsContext     *context;
  GHashTable    *carriers;       /* account id (gint64 *) → PsCarrier */
  PsLabelFormat  label_format;
  int            label_dpi;
  gint64       (*now_func) (gpointer);
  gpointer       now_data;
};

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

static gint64
now (PsShippingService *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : ps_time_now ();
}

static gint64
sandbox_now_cb (gpointer data)
{
  return now (data);
}

static PsDatabase *
database (PsShippingService *self)
{
  return ps_context_get_database (self->context);
}

static PsCarrier *
carrier_for_account (PsShippingService       *self,
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

static PsRateRequest *
draft_request (const PsShipmentDraft *draft)
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
  spec->ship_date = purchase->purchased_at != 0 ? purchase->purchased_at : now (self);

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

  ps_database_run_for_async (database (self), self, ps_shipping_service_prepare_async, prepare_job,
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
      carrier = carrier_for_account (self, account, &carrier_error);
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
  data->request = draft_request (draft);
  data->quotes = g_new0 (PsRateQuotes, 1);
  data->quotes->quotes = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_rate_quote_free);
  data->quotes->problems = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_task_set_task_data (task, data, (GDestroyNotify)rates_data_free);

  if (!ps_rate_request_validate (data->request, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ps_database_run_async (database (self), accounts_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref,
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

typedef struct
{
  PsShipmentDraft *draft;
  PsRateQuote     *quote;
  PsRateRequest   *request;
  char            *key;
  PsCarrier       *carrier;
  PsJournalEntry  *entry;
  PsPurchase      *purchase;
  PsBoughtLabel    bought;
  GBytes          *label;
  PsLabelFormat    label_format;
  PsPurchaseState  mark_state;
  char            *mark_message;
  GError          *failure;
  char            *account_settings;  /* a rate card's settings after the buy */
  gboolean         created;
} BuyData;

static void
buy_data_free (BuyData *data)
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

typedef struct
{
  gint64 shipment_id;
  gint64 order_id;
} StoredArgs;

static gpointer
stored_label_job (PsDatabase    *db,
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

  ps_database_run_async (database (self), record_job, data, NULL, (GDestroyNotify)ps_label_result_free,
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
static void
store_purchase (GTask *task)
{
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);
  PsPurchase *p = data->purchase;
  GTask *render;

  if (p->purchased_at == 0)
    p->purchased_at = now (self);
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
  ps_database_run_async (database (self), mark_job, data, NULL, NULL, NULL, mark_cb, g_object_ref (task));
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
      store_purchase (task);
      return;
    }

  /* Sent but unanswered (or cancelled in flight): it may be bought. */
  if (g_error_matches (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_PURCHASE_UNKNOWN) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    finish_with_mark (task, PS_PURCHASE_STATE_UNKNOWN, error);
  else
    finish_with_mark (task, PS_PURCHASE_STATE_FAILED, error);
}

static void
start_buy (GTask *task)
{
  BuyData *data = g_task_get_task_data (task);

  ps_carrier_buy_label_async (data->carrier, data->request, data->quote->rate, PS_LABEL_FORMAT_PDF,
                              data->key, NULL /* a buy is never cut off mid-flight */,
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
      store_purchase (task);
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
      ps_database_run_async (database (self), stored_label_job, args, g_free,
                             (GDestroyNotify)ps_label_result_free, NULL, stored_cb, g_object_ref (task));
      return;
    }
  if (!data->created)
    {
      /* Pending or unknown from an earlier attempt: ask before buying. */
      ps_carrier_lookup_purchase_async (data->carrier, data->entry->carrier_shipment_id, data->key,
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
  data->request = draft_request (draft);
  data->key = g_strdup (idempotency_key);
  g_task_set_task_data (task, data, (GDestroyNotify)buy_data_free);

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
  ps_database_run_async (database (self), journal_job, data, NULL, NULL, NULL, journal_cb,
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
  ps_database_run_for_async (database (self), self, ps_shipping_service_load_label_async, stored_label_job,
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

/* Batches */

typedef struct
{
  GArray          *ids;
  guint            index;
  char            *key;
  PsRateChoice     rule;
  int              max_days;
  PsBatchProgress  progress;
  gpointer         progress_data;
  GPtrArray       *items;
  PsShipmentDraft *draft;
  PsBatchItem     *item;
} BatchData;

static void
batch_data_free (BatchData *data)
{
  g_clear_pointer (&data->ids, g_array_unref);
  g_free (data->key);
  g_clear_pointer (&data->items, g_ptr_array_unref);
  g_clear_pointer (&data->draft, ps_shipment_draft_free);
  g_clear_pointer (&data->item, ps_batch_item_free);
  g_free (data);
}

static void batch_step (GTask *task);

static char *
batch_order_key (BatchData *data,
                 gint64     order_id)
{
  return g_strdup_printf ("%s:order:%" G_GINT64_FORMAT, data->key, order_id);
}

static void
batch_item_done (GTask *task)
{
  BatchData *data = g_task_get_task_data (task);
  PsBatchItem *item = g_steal_pointer (&data->item);

  g_clear_pointer (&data->draft, ps_shipment_draft_free);
  g_ptr_array_add (data->items, item);
  data->index++;
  if (data->progress != NULL)
    data->progress (data->index, data->ids->len, item, data->progress_data);
  batch_step (task);
}

static void
batch_fail (GTask      *task,
            const char *message)
{
  BatchData *data = g_task_get_task_data (task);

  data->item->error = g_strdup (message);
  batch_item_done (task);
}

static void
batch_buy_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->item->result = ps_shipping_service_buy_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (data->item->result == NULL)
    {
      batch_fail (task, error->message);
      return;
    }
  batch_item_done (task);
}

static void
batch_rates_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = PS_SHIPPING_SERVICE (object);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRateQuotes) quotes = NULL;
  g_autofree char *key = NULL;
  const PsRateQuote *chosen;

  quotes = ps_shipping_service_rates_finish (self, result, &error);
  if (quotes == NULL)
    {
      batch_fail (task, error->message);
      return;
    }
  chosen = ps_rate_quotes_choose (quotes->quotes, data->rule, data->max_days);
  if (chosen == NULL)
    {
      batch_fail (task, "No carrier offers a service for this parcel and address");
      return;
    }
  key = batch_order_key (data, data->draft->order->id);
  /* Not cancellable once started: a buy is never cut off mid-flight. */
  ps_shipping_service_buy_async (self, data->draft, chosen, key, NULL, batch_buy_cb, g_object_ref (task));
}

typedef struct
{
  char   *key;
  gint64  order_id;
} FindArgs;

static void
find_args_free (FindArgs *args)
{
  g_free (args->key);
  g_free (args);
}

static gpointer
batch_find_job (PsDatabase    *db,
                gpointer       user_data,
                GCancellable  *cancellable,
                GError       **error)
{
  FindArgs *args = user_data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PsJournalEntry) entry = ps_shipping_store_find_purchase_sync (db, args->key, &local_error);
  StoredArgs stored = { 0 };

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (entry == NULL || entry->state != PS_PURCHASE_STATE_BOUGHT)
    {
      /* Not bought in this batch: an empty result says "go on". */
      return g_new0 (PsLabelResult, 1);
    }
  stored.shipment_id = entry->shipment_id;
  return stored_label_job (db, &stored, cancellable, error);
}

static void
batch_find_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLabelResult) found = NULL;

  found = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (found == NULL)
    {
      batch_fail (task, error->message);
      return;
    }
  if (found->shipment_id != 0)
    {
      /* This batch bought it before (a retry): report it, buy nothing. */
      found->already_bought = TRUE;
      data->item->result = g_steal_pointer (&found);
      batch_item_done (task);
      return;
    }
  if (data->draft->order->n_live_shipments > 0)
    {
      batch_fail (task, "Already has a label; open the order to buy another one for a split shipment");
      return;
    }
  ps_shipping_service_rates_async (self, data->draft, g_task_get_cancellable (task),
                                   batch_rates_cb, g_object_ref (task));
}

static void
batch_prepare_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = PS_SHIPPING_SERVICE (object);
  BatchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  FindArgs *args;

  data->draft = ps_shipping_service_prepare_finish (self, result, &error);
  if (data->draft == NULL)
    {
      batch_fail (task, error->message);
      return;
    }
  data->item->order_number = g_strdup (data->draft->order->order_number);
  args = g_new0 (FindArgs, 1);
  args->key = batch_order_key (data, data->draft->order->id);
  ps_database_run_async (database (self), batch_find_job, args, (GDestroyNotify)find_args_free,
                         (GDestroyNotify)ps_label_result_free, NULL, batch_find_cb, g_object_ref (task));
}

static void
batch_step (GTask *task)
{
  PsShippingService *self = g_task_get_source_object (task);
  BatchData *data = g_task_get_task_data (task);
  gint64 order_id;

  if (data->index >= data->ids->len)
    {
      g_task_return_pointer (task, g_steal_pointer (&data->items), (GDestroyNotify)g_ptr_array_unref);
      return;
    }

  order_id = g_array_index (data->ids, gint64, data->index);
  data->item = g_new0 (PsBatchItem, 1);
  data->item->order_id = order_id;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      batch_fail (task, "Cancelled before buying");
      return;
    }
  ps_shipping_service_prepare_async (self, order_id, NULL, batch_prepare_cb, g_object_ref (task));
}

/**
 * ps_shipping_service_buy_batch_async:
 * @self: a #PsShippingService
 * @order_ids: (array length=n_orders): the orders
 * @n_orders: how many
 * @batch_key: the batch's key; running a batch again with the same key
 *   retries only what failed and reports what was bought as bought
 * @rule: which rate each order gets
 * @max_days: for %PS_RATE_CHOICE_CHEAPEST_WITHIN
 * @progress: (nullable) (scope call): called after each order
 * @progress_data: data for @progress
 * @cancellable: (nullable): stops before the next order (never mid-buy)
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Buys a label for each order, one after another. Orders that already
 * have a label (from another batch or by hand) are skipped with a
 * message, so a batch never buys a second label for an order.
 */
void
ps_shipping_service_buy_batch_async (PsShippingService   *self,
                                     const gint64        *order_ids,
                                     guint                n_orders,
                                     const char          *batch_key,
                                     PsRateChoice         rule,
                                     int                  max_days,
                                     PsBatchProgress      progress,
                                     gpointer             progress_data,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  BatchData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (batch_key != NULL && *batch_key != '\0');

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_buy_batch_async);
  /* Cancel stops the batch, which still reports what it did. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (BatchData, 1);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_orders);
  g_array_append_vals (data->ids, order_ids, n_orders);
  data->key = g_strdup (batch_key);
  data->rule = rule;
  data->max_days = max_days;
  data->progress = progress;
  data->progress_data = progress_data;
  data->items = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_batch_item_free);
  g_task_set_task_data (task, data, (GDestroyNotify)batch_data_free);
  batch_step (task);
}

/**
 * ps_shipping_service_buy_batch_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsBatchItem): one item per order
 */
GPtrArray *
ps_shipping_service_buy_batch_finish (PsShippingService  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Reconcile */

typedef struct
{
  GPtrArray *entries;       /* PsJournalEntry */
  GPtrArray *accounts;      /* PsCarrierAccount */
  guint      index;
  guint      resolved;
} ReconcileData;

static void
reconcile_data_free (ReconcileData *data)
{
  g_clear_pointer (&data->entries, g_ptr_array_unref);
  g_clear_pointer (&data->accounts, g_ptr_array_unref);
  g_free (data);
}

static gpointer
open_purchases_job (PsDatabase    *db,
                    gpointer       user_data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  ReconcileData *data = user_data;

  data->entries = ps_shipping_store_open_purchases_sync (db, error);
  if (data->entries == NULL)
    return NULL;
  data->accounts = ps_shipping_store_list_accounts_sync (db, error);
  return data->accounts != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static void reconcile_step (GTask *task);

static void
reconcile_buy_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReconcileData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLabelResult) label = NULL;

  label = g_task_propagate_pointer (G_TASK (result), &error);
  if (label != NULL)
    data->resolved++;
  else
    g_debug ("Purchase still open: %s", error->message);
  data->index++;
  reconcile_step (task);
}

static PsRateQuote *
quote_from_entry (const PsJournalEntry   *entry,
                  const PsCarrierAccount *account)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  PsRateQuote *quote = g_new0 (PsRateQuote, 1);
  JsonObject *request = NULL;

  quote->rate = ps_rate_new ();
  quote->rate->backend = g_strdup (account->backend);
  quote->rate->carrier_code = g_strdup (entry->carrier);
  quote->rate->carrier = g_strdup (entry->carrier);
  quote->rate->service_code = g_strdup (entry->service);
  quote->account_id = account->id;
  quote->account_name = g_strdup (account->name);
  if (entry->request != NULL && json_parser_load_from_data (parser, entry->request, -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    request = json_node_get_object (json_parser_get_root (parser));
  if (request != NULL)
    {
      quote->rate->service_name = g_strdup (json_object_get_string_member_with_default (request, "service_name", NULL));
      quote->rate->price.minor = json_object_get_int_member_with_default (request, "price_minor", 0);
      g_strlcpy (quote->rate->price.currency,
                 json_object_get_string_member_with_default (request, "currency", "USD"),
                 sizeof quote->rate->price.currency);
      quote->rate->shipment_ref = g_strdup (json_object_get_string_member_with_default (request, "shipment_ref", NULL));
      quote->rate->rate_ref = g_strdup (json_object_get_string_member_with_default (request, "rate_ref", NULL));
    }
  if (entry->carrier_shipment_id != NULL)
    {
      g_free (quote->rate->shipment_ref);
      quote->rate->shipment_ref = g_strdup (entry->carrier_shipment_id);
    }
  return quote;
}

static gpointer
never_bought_job (PsDatabase    *db,
                  gpointer       user_data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  BuyData *data = user_data;

  if (!ps_shipping_store_journal_mark_sync (db, data->entry->id, PS_PURCHASE_STATE_FAILED, NULL,
                                            "The carrier says this label was never bought", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
never_bought_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  ps_database_run_finish (PS_DATABASE (object), result, &error);
  /* Settled, but no label: not counted as resolved into a shipment. */
  g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_FOUND,
                           "Never bought%s%s", error ? ": " : "", error ? error->message : "");
}

static void
reconcile_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  BuyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->purchase = ps_carrier_lookup_purchase_finish (PS_CARRIER (object), result, &error);
  if (data->purchase != NULL)
    {
      store_purchase (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_database_run_async (database (self), never_bought_job, data, NULL, NULL, NULL, never_bought_cb,
                         g_object_ref (task));
}

static void
reconcile_prepare_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = PS_SHIPPING_SERVICE (object);
  ReconcileData *data = g_task_get_task_data (task);
  const PsJournalEntry *entry = g_ptr_array_index (data->entries, data->index);
  const PsCarrierAccount *account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsShipmentDraft) draft = NULL;
  GTask *one;
  BuyData *buy;

  draft = ps_shipping_service_prepare_finish (self, result, &error);
  for (guint i = 0; i < data->accounts->len; i++)
    if (((PsCarrierAccount *)g_ptr_array_index (data->accounts, i))->id == entry->account_id)
      account = g_ptr_array_index (data->accounts, i);

  if (draft == NULL || account == NULL)
    {
      g_debug ("Cannot reconcile purchase %" G_GINT64_FORMAT ": %s", entry->id,
               draft == NULL ? error->message : "its carrier account is gone");
      data->index++;
      reconcile_step (task);
      return;
    }

  /* The same path as a buy whose key was journaled before: look it up,
   * store it if bought, buy nothing. */
  one = g_task_new (self, NULL, reconcile_buy_cb, g_object_ref (task));
  buy = g_new0 (BuyData, 1);
  buy->draft = g_steal_pointer (&draft);
  buy->quote = quote_from_entry (entry, account);
  buy->request = draft_request (buy->draft);
  buy->key = g_strdup (entry->idempotency_key);
  buy->entry = g_new0 (PsJournalEntry, 1);
  *buy->entry = *entry;
  buy->entry->carrier = g_strdup (entry->carrier);
  buy->entry->service = g_strdup (entry->service);
  buy->entry->idempotency_key = g_strdup (entry->idempotency_key);
  buy->entry->carrier_shipment_id = g_strdup (entry->carrier_shipment_id);
  buy->entry->error = g_strdup (entry->error);
  buy->entry->request = g_strdup (entry->request);
  g_task_set_task_data (one, buy, (GDestroyNotify)buy_data_free);

  buy->carrier = carrier_for_account (self, account, &error);
  if (buy->carrier == NULL)
    {
      g_task_return_error (one, g_steal_pointer (&error));
      g_object_unref (one);
      return;
    }
  g_object_ref (buy->carrier);
  ps_carrier_lookup_purchase_async (buy->carrier, entry->carrier_shipment_id, entry->idempotency_key,
                                    NULL, reconcile_lookup_cb, one);
}

static void
reconcile_step (GTask *task)
{
  PsShippingService *self = g_task_get_source_object (task);
  ReconcileData *data = g_task_get_task_data (task);
  const PsJournalEntry *entry;

  if (data->index >= data->entries->len)
    {
      if (data->resolved > 0)
        ps_order_store_emit_changed (ps_context_get_order_store (self->context), NULL);
      g_task_return_int (task, data->resolved);
      return;
    }
  entry = g_ptr_array_index (data->entries, data->index);
  ps_shipping_service_prepare_async (self, entry->order_id, NULL, reconcile_prepare_cb, g_object_ref (task));
}

static void
open_purchases_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  reconcile_step (g_steal_pointer (&task));
}

/**
 * ps_shipping_service_reconcile_async:
 * @self: a #PsShippingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Settles purchases left pending or unknown (a crash, a lost answer): each
 * is looked up at its carrier, stored if it was bought, marked failed if
 * the carrier says it never was, and left open if the carrier cannot tell
 * yet. Nothing is bought. Run at start-up and before batches.
 */
void
ps_shipping_service_reconcile_async (PsShippingService   *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  ReconcileData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_reconcile_async);
  data = g_new0 (ReconcileData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify)reconcile_data_free);
  ps_database_run_async (database (self), open_purchases_job, data, NULL, NULL, cancellable,
                         open_purchases_cb, task);
}

/**
 * ps_shipping_service_reconcile_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: how many open purchases turned out bought and are now stored
 */
guint
ps_shipping_service_reconcile_finish (PsShippingService  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return (guint) g_task_propagate_int (G_TASK (result), error);
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

/* Accounts and the ship-from address, for Preferences */

typedef struct
{
  char      *backend;
  char      *name;
  char      *settings;
  char      *api_key;
  gint64     account_id;
  PsAddress *address;
} AccountArgs;

static void
account_args_free (AccountArgs *args)
{
  g_free (args->backend);
  g_free (args->name);
  g_free (args->settings);
  g_free (args->api_key);
  g_clear_pointer (&args->address, ps_address_free);
  g_free (args);
}

static gpointer
list_accounts_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  return ps_shipping_store_list_accounts_sync (db, error);
}

/**
 * ps_shipping_service_list_accounts_async:
 * @self: a #PsShippingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Lists the carrier accounts (finish returns a #GPtrArray of
 * #PsCarrierAccount).
 */
void
ps_shipping_service_list_accounts_async (PsShippingService   *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ps_database_run_for_async (database (self), self, ps_shipping_service_list_accounts_async, list_accounts_job,
                             NULL, NULL, (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
ps_shipping_service_list_accounts_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_list_accounts_async, error);
}

static gpointer
add_account_job (PsDatabase    *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  AccountArgs *args = data;
  gint64 id = ps_shipping_store_add_account_sync (db, args->backend, args->name, args->settings, error);

  return id > 0 ? g_memdup2 (&id, sizeof id) : NULL;
}

static void
add_account_db_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = ps_database_run_finish (PS_DATABASE (object), result, &error);

  if (id == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, *id);
}

static void
key_stored_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!ps_carrier_keyring_store_finish (result, &error))
    {
      g_prefix_error (&error, "The API key could not be kept in the keyring: ");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_database_run_async (database (self), add_account_job, g_task_get_task_data (task), NULL, g_free,
                         NULL, add_account_db_cb, g_object_ref (task));
}

/**
 * ps_shipping_service_add_account_async:
 * @self: a #PsShippingService
 * @backend: "sandbox", "ratecard" or "easypost"
 * @name: what the merchant calls the account
 * @api_key: (nullable): the key, kept in the desktop keyring (never in
 *   the database)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_add_account_async (PsShippingService   *self,
                                       const char          *backend,
                                       const char          *name,
                                       const char          *api_key,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AccountArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (backend != NULL && name != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_add_account_async);
  args = g_new0 (AccountArgs, 1);
  args->backend = g_strdup (backend);
  args->name = g_strdup (name);
  g_task_set_task_data (task, args, (GDestroyNotify)account_args_free);

  if (g_str_equal (backend, "easypost"))
    {
      g_autofree char *account_id = g_uuid_string_random ();

      if (api_key == NULL || *api_key == '\0')
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                   "Enter the EasyPost API key (test keys start with EZTK, production keys with EZAK)");
          return;
        }
      args->settings = g_strdup_printf ("{\"account_id\":\"%s\"}", account_id);
      ps_carrier_keyring_store_async (backend, account_id, name, api_key, cancellable, key_stored_cb,
                                      g_steal_pointer (&task));
      return;
    }
  args->settings = g_strdup (g_str_equal (backend, "sandbox") ? "{\"seed\":1}" : "{}");
  ps_database_run_async (database (self), add_account_job, args, NULL, g_free, cancellable,
                         add_account_db_cb, g_steal_pointer (&task));
}

/**
 * ps_shipping_service_add_account_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: the new account's id, 0 on error
 */
gint64
ps_shipping_service_add_account_finish (PsShippingService  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  gint64 id = g_task_propagate_int (G_TASK (result), error);

  return id > 0 ? id : 0;
}

static gpointer
remove_account_job (PsDatabase    *db,
                    gpointer       data,
                    GCancellable  *cancellable,
                    GError       **error)
{
  AccountArgs *args = data;

  return ps_shipping_store_remove_account_sync (db, args->account_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_remove_account_async:
 * @self: a #PsShippingService
 * @account_id: the account
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Removes the account; shipments bought through it keep their labels.
 */
void
ps_shipping_service_remove_account_async (PsShippingService   *self,
                                          gint64               account_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  AccountArgs *args = g_new0 (AccountArgs, 1);

  args->account_id = account_id;
  g_hash_table_remove (self->carriers, &account_id);
  ps_database_run_for_async (database (self), self, ps_shipping_service_remove_account_async, remove_account_job,
                             args, (GDestroyNotify)account_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_remove_account_finish (PsShippingService  *self,
                                           GAsyncResult       *result,
                                           GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_remove_account_async, error) != NULL;
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_carrier_test_connection_finish (PS_CARRIER (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
test_accounts_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  gint64 account_id = *(gint64 *)g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ps_database_run_finish (PS_DATABASE (object), result, &error);

  if (accounts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < accounts->len; i++)
    {
      PsCarrierAccount *account = g_ptr_array_index (accounts, i);
      PsCarrier *carrier;

      if (account->id != account_id)
        continue;
      /* A fresh carrier: test what the settings and key say now. */
      g_hash_table_remove (self->carriers, &account_id);
      carrier = carrier_for_account (self, account, &error);
      if (carrier == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      ps_carrier_test_connection_async (carrier, g_task_get_cancellable (task), tested_cb, g_object_ref (task));
      return;
    }
  g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                           "This carrier account no longer exists");
}

/**
 * ps_shipping_service_test_account_async:
 * @self: a #PsShippingService
 * @account_id: the account
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Preferences' Test Connection: reaches the carrier with the account's
 * settings and key.
 */
void
ps_shipping_service_test_account_async (PsShippingService   *self,
                                        gint64               account_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, ps_shipping_service_test_account_async);
  g_task_set_task_data (task, g_memdup2 (&account_id, sizeof account_id), g_free);
  ps_database_run_async (database (self), list_accounts_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref,
                         cancellable, test_accounts_cb, task);
}

gboolean
ps_shipping_service_test_account_finish (PsShippingService  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
get_ship_from_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  PsAddress *address = ps_shipping_store_get_ship_from_sync (db, &local_error);

  /* None yet is not an error here: an empty form. */
  if (address == NULL && g_error_matches (local_error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NO_SHIP_FROM))
    return ps_address_new ();
  if (address == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return address;
}

void
ps_shipping_service_get_ship_from_async (PsShippingService   *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  ps_database_run_for_async (database (self), self, ps_shipping_service_get_ship_from_async, get_ship_from_job,
                             NULL, NULL, (GDestroyNotify)ps_address_free, cancellable, callback, user_data);
}

/**
 * ps_shipping_service_get_ship_from_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the ship-from address, empty when
 *   none is set
 */
PsAddress *
ps_shipping_service_get_ship_from_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_get_ship_from_async, error);
}

static gpointer
set_ship_from_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  AccountArgs *args = data;

  return ps_shipping_store_set_ship_from_sync (db, args->name, args->address, error) > 0
         ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_set_ship_from_async:
 * @self: a #PsShippingService
 * @address: the new ship-from address (street, city, country required)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_set_ship_from_async (PsShippingService   *self,
                                         const PsAddress     *address,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  AccountArgs *args = g_new0 (AccountArgs, 1);

  args->name = g_strdup ("Default");
  args->address = ps_address_copy (address);
  ps_database_run_for_async (database (self), self, ps_shipping_service_set_ship_from_async, set_ship_from_job,
                             args, (GDestroyNotify)account_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_set_ship_from_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_set_ship_from_async, error) != NULL;
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

  return ps_shipping_store_void_sync (db, data->shipment_id, now (self), error) ? GINT_TO_POINTER (TRUE) : NULL;
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
  ps_database_run_async (database (self), void_store_job, task, NULL, NULL, NULL, void_stored_cb,
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
  carrier = carrier_for_account (self, account, &error);
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
  ps_database_run_async (database (self), void_load_job, data, NULL, NULL, cancellable, void_loaded_cb, task);
}

gboolean
ps_shipping_service_void_finish (PsShippingService  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Packing slips */

typedef struct
{
  GArray    *ids;
  GPtrArray *slips;     /* PsPackingSlip */
  PsPaper    paper;
} SlipData;

static void
slip_data_free (SlipData *data)
{
  g_clear_pointer (&data->ids, g_array_unref);
  g_clear_pointer (&data->slips, g_ptr_array_unref);
  g_free (data);
}

static gpointer
slips_job (PsDatabase    *db,
           gpointer       user_data,
           GCancellable  *cancellable,
           GError       **error)
{
  SlipData *data = user_data;
  g_autoptr(PsAddress) from = ps_shipping_store_get_ship_from_sync (db, NULL);
  const char *store = from != NULL ? (from->company != NULL ? from->company : from->name) : NULL;

  for (guint i = 0; i < data->ids->len; i++)
    {
      g_autoptr(PsShippingOrder) order = ps_shipping_store_load_order_sync (db, g_array_index (data->ids, gint64, i), error);
      PsPackingSlip *slip;

      if (order == NULL)
        return NULL;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      slip = ps_packing_slip_new ();
      slip->store_name = g_strdup (store != NULL ? store : "");
      slip->order_number = g_strdup (order->order_number);
      slip->order_date = order->created_at;
      slip->ship_to = ps_address_copy (order->ship_to);
      slip->total = ps_money_new (order->total_minor, order->currency);
      for (guint k = 0; k < order->items->len; k++)
        {
          const PsShippingItem *item = g_ptr_array_index (order->items, k);

          ps_packing_slip_add_item (slip, item->sku, item->name, item->variant, item->quantity);
        }
      g_ptr_array_add (data->slips, slip);
    }
  return GINT_TO_POINTER (TRUE);
}

static void
slips_render_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  SlipData *data = task_data;
  GError *error = NULL;
  GBytes *pdf = ps_packing_slip_render_pdf ((const PsPackingSlip * const *)data->slips->pdata, data->slips->len,
                                            data->paper, &error);

  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
slips_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_run_in_thread (task, slips_render_thread);
}

/**
 * ps_shipping_service_packing_slips_async:
 * @self: a #PsShippingService
 * @order_ids: (array length=n_orders): the orders
 * @n_orders: how many
 * @paper: letter, A4 or a 4x6 label
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * One PDF with a packing slip per order (items, quantities, SKUs, the
 * order number and its barcode, the shop's name from the ship-from
 * address), drawn on a thread.
 */
void
ps_shipping_service_packing_slips_async (PsShippingService   *self,
                                         const gint64        *order_ids,
                                         guint                n_orders,
                                         PsPaper              paper,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  SlipData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_packing_slips_async);
  data = g_new0 (SlipData, 1);
  data->ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_orders);
  g_array_append_vals (data->ids, order_ids, n_orders);
  data->slips = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_packing_slip_free);
  data->paper = paper;
  g_task_set_task_data (task, data, (GDestroyNotify)slip_data_free);
  ps_database_run_async (database (self), slips_job, data, NULL, NULL, cancellable, slips_loaded_cb,
                         g_object_ref (task));
  g_object_unref (task);
}

/**
 * ps_shipping_service_packing_slips_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the PDF
 */
GBytes *
ps_shipping_service_packing_slips_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* End-of-day handoff sheet */

typedef struct
{
  gint64     from;
  gint64     to;
  char      *store;
  GPtrArray *rows;      /* PsHandoffRow */
} HandoffData;

static void
handoff_data_free (HandoffData *data)
{
  g_free (data->store);
  g_clear_pointer (&data->rows, g_ptr_array_unref);
  g_free (data);
}

static gpointer
handoff_job (PsDatabase    *db,
             gpointer       user_data,
             GCancellable  *cancellable,
             GError       **error)
{
  HandoffData *data = user_data;
  g_autoptr(PsAddress) from = ps_shipping_store_get_ship_from_sync (db, NULL);

  if (from != NULL)
    data->store = g_strdup (from->company != NULL ? from->company : from->name);
  data->rows = ps_order_lookup_handoff_sync (db, data->from, data->to, error);
  return data->rows != NULL ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
handoff_render_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  HandoffData *data = task_data;
  g_autoptr(PsHandoffSheet) sheet = ps_handoff_sheet_new ();
  GError *error = NULL;
  GBytes *pdf;

  sheet->date = data->from;
  sheet->store_name = g_strdup (data->store != NULL ? data->store : "");
  for (guint i = 0; i < data->rows->len; i++)
    {
      const PsHandoffRow *row = g_ptr_array_index (data->rows, i);

      ps_handoff_sheet_add (sheet, row->carrier, row->tracking_number, row->service, row->weight_grams,
                            row->order_number);
    }
  pdf = ps_handoff_sheet_render_pdf (sheet, PS_PAPER_LETTER, &error);
  if (pdf == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, pdf, (GDestroyNotify)g_bytes_unref);
}

static void
handoff_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HandoffData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (ps_database_run_finish (PS_DATABASE (object), result, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->rows->len == 0)
    {
      g_task_return_new_error (task, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                               "No labels were bought that day");
      return;
    }
  g_task_run_in_thread (task, handoff_render_thread);
}

/**
 * ps_shipping_service_handoff_sheet_async:
 * @self: a #PsShippingService
 * @from: the day's start, UTC Unix seconds
 * @to: its end (exclusive)
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * The end-of-day handoff sheet: every live label bought in [@from, @to),
 * by carrier, with counts and barcodes, for the driver to sign.
 */
void
ps_shipping_service_handoff_sheet_async (PsShippingService   *self,
                                         gint64               from,
                                         gint64               to,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  HandoffData *data;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_handoff_sheet_async);
  data = g_new0 (HandoffData, 1);
  data->from = from;
  data->to = to;
  g_task_set_task_data (task, data, (GDestroyNotify)handoff_data_free);
  ps_database_run_async (database (self), handoff_job, data, NULL, NULL, cancellable, handoff_loaded_cb, task);
}

/**
 * ps_shipping_service_handoff_sheet_finish:
 * @self: a #PsShippingService
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the PDF; %PS_SHIPPING_ERROR_NOT_FOUND
 *   when no label was bought that day
 */
GBytes *
ps_shipping_service_handoff_sheet_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Rate cards from a CSV */

typedef struct
{
  char   *name;
  char   *currency;
  char   *prefix;
  GBytes *csv;
} RatecardArgs;

static void
ratecard_args_free (RatecardArgs *args)
{
  g_free (args->name);
  g_free (args->currency);
  g_free (args->prefix);
  g_clear_pointer (&args->csv, g_bytes_unref);
  g_free (args);
}

static void
ratecard_parse_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  RatecardArgs *args = task_data;
  g_autoptr(PsRateTable) table = NULL;
  g_autoptr(PsCarrierRatecard) carrier = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (args->csv, &len);

  table = ps_rate_table_parse_csv (data, len, args->currency, NULL, NULL, &error);
  if (table == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  carrier = ps_carrier_ratecard_new (args->name, table, args->prefix, 1, 9);
  settings = ps_carrier_ratecard_dup_settings (carrier);
  node = json_node_init_object (json_node_alloc (), settings);
  g_task_return_pointer (task, json_to_string (node, FALSE), g_free);
}

static void
ratecard_parsed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsShippingService *self = g_task_get_source_object (task);
  RatecardArgs *rargs = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  char *settings = g_task_propagate_pointer (G_TASK (result), &error);
  AccountArgs *args;

  if (settings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  args = g_new0 (AccountArgs, 1);
  args->backend = g_strdup ("ratecard");
  args->name = g_strdup (rargs->name);
  args->settings = settings;
  g_task_set_task_data (task, args, (GDestroyNotify)account_args_free);
  ps_database_run_async (database (self), add_account_job, args, NULL, g_free, NULL, add_account_db_cb,
                         g_object_ref (task));
}

/**
 * ps_shipping_service_add_ratecard_async:
 * @self: a #PsShippingService
 * @name: the carrier's name ("City Courier")
 * @csv: the rate table (service, destination, max_weight, price[, transit_days][, currency])
 * @currency: the prices' currency unless the CSV says
 * @tracking_prefix: what its tracking numbers start with
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Adds a rate-card account; a bad line is reported with its line and
 * column. Finish with ps_shipping_service_add_account_finish().
 */
void
ps_shipping_service_add_ratecard_async (PsShippingService   *self,
                                        const char          *name,
                                        GBytes              *csv,
                                        const char          *currency,
                                        const char          *tracking_prefix,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) parse = NULL;
  RatecardArgs *args;

  g_return_if_fail (PS_IS_SHIPPING_SERVICE (self));
  g_return_if_fail (name != NULL && csv != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_shipping_service_add_account_async);
  args = g_new0 (RatecardArgs, 1);
  args->name = g_strdup (name);
  args->csv = g_bytes_ref (csv);
  args->currency = g_strdup (currency != NULL ? currency : "USD");
  args->prefix = g_strdup (tracking_prefix != NULL ? tracking_prefix : "RC");
  parse = g_task_new (self, cancellable, ratecard_parsed_cb, g_steal_pointer (&task));
  g_task_set_task_data (parse, args, (GDestroyNotify)ratecard_args_free);
  g_task_run_in_thread (parse, ratecard_parse_thread);
}

/* Package presets */

static gpointer
list_presets_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return ps_shipping_store_list_presets_sync (db, error);
}

/**
 * ps_shipping_service_list_presets_async:
 * @self: a #PsShippingService
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Lists the package presets (finish: #GPtrArray of #PsPackagePreset).
 */
void
ps_shipping_service_list_presets_async (PsShippingService   *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  ps_database_run_for_async (database (self), self, ps_shipping_service_list_presets_async, list_presets_job,
                             NULL, NULL, (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
ps_shipping_service_list_presets_finish (PsShippingService  *self,
                                         GAsyncResult       *result,
                                         GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_list_presets_async, error);
}

typedef struct
{
  PsPackagePreset preset;
  gint64          remove_id;
} PresetArgs;

static void
preset_args_free (PresetArgs *args)
{
  g_free (args->preset.name);
  g_free (args);
}

static gpointer
change_preset_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  PresetArgs *args = data;

  if (args->remove_id != 0)
    return ps_shipping_store_remove_preset_sync (db, args->remove_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
  return ps_shipping_store_add_preset_sync (db, &args->preset, error) > 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

/**
 * ps_shipping_service_change_preset_async:
 * @self: a #PsShippingService
 * @add: (nullable): a preset to add
 * @remove_id: a preset to remove, when @add is %NULL
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 */
void
ps_shipping_service_change_preset_async (PsShippingService     *self,
                                         const PsPackagePreset *add,
                                         gint64                 remove_id,
                                         GCancellable          *cancellable,
                                         GAsyncReadyCallback    callback,
                                         gpointer               user_data)
{
  PresetArgs *args = g_new0 (PresetArgs, 1);

  if (add != NULL)
    {
      args->preset = *add;
      args->preset.name = g_strdup (add->name);
    }
  else
    args->remove_id = remove_id;
  ps_database_run_for_async (database (self), self, ps_shipping_service_change_preset_async, change_preset_job,
                             args, (GDestroyNotify)preset_args_free, NULL, cancellable, callback, user_data);
}

gboolean
ps_shipping_service_change_preset_finish (PsShippingService  *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  return ps_database_run_for_finish (result, self, ps_shipping_service_change_preset_async, error) != NULL;
}
