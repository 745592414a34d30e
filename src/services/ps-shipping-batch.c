/* ps-shipping-batch.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Batches of labels, one order after another, and reconciling purchases
 * a crash or a lost answer left open. Part of PsShippingService.
 */

#define G_LOG_DOMAIN "ps-shipping-service"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "ps-time.h"
#include "ps-shipping-service-private.h"

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
  return _ps_shipping_stored_label_job (db, &stored, cancellable, error);
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
  ps_database_run_async (_ps_shipping_database (self), batch_find_job, args, (GDestroyNotify)find_args_free,
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
  /* Each step holds its own reference while it waits. */
  batch_step (task);
  g_object_unref (task);
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
      _ps_shipping_store_purchase (task);
      return;
    }
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ps_database_run_async (_ps_shipping_database (self), never_bought_job, data, NULL, NULL, NULL, never_bought_cb,
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
  g_autofree char *carrier_key = NULL;
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
  buy->request = _ps_shipping_draft_request (buy->draft);
  buy->key = g_strdup (entry->idempotency_key);
  buy->entry = g_new0 (PsJournalEntry, 1);
  *buy->entry = *entry;
  buy->entry->carrier = g_strdup (entry->carrier);
  buy->entry->service = g_strdup (entry->service);
  buy->entry->idempotency_key = g_strdup (entry->idempotency_key);
  buy->entry->carrier_shipment_id = g_strdup (entry->carrier_shipment_id);
  buy->entry->error = g_strdup (entry->error);
  buy->entry->request = g_strdup (entry->request);
  g_task_set_task_data (one, buy, (GDestroyNotify)_ps_shipping_buy_data_free);

  buy->carrier = _ps_shipping_carrier_for_account (self, account, &error);
  if (buy->carrier == NULL)
    {
      g_task_return_error (one, g_steal_pointer (&error));
      g_object_unref (one);
      return;
    }
  g_object_ref (buy->carrier);
  carrier_key = _ps_shipping_carrier_key (entry->idempotency_key, entry->id);
  ps_carrier_lookup_purchase_async (buy->carrier, entry->carrier_shipment_id, carrier_key,
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
  reconcile_step (task);
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
  ps_database_run_async (_ps_shipping_database (self), open_purchases_job, data, NULL, NULL, cancellable,
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

