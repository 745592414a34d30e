/* ps-shipping-service.h: rates, labels and the purchase journal
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-carrier.h"
#include "ps-context.h"
#include "ps-packing-slip.h"
#include "ps-rate.h"
#include "ps-shipping-store.h"

G_BEGIN_DECLS

/**
 * PsShipmentDraft:
 * @order: the order being shipped
 * @ship_from: the default ship-from address
 * @parcel: what goes on the scale; starts from the items' weight
 *
 * What the rate selector edits before asking carriers.
 */
typedef struct
{
  PsShippingOrder *order;
  PsAddress       *ship_from;
  PsParcel         parcel;
} PsShipmentDraft;

void ps_shipment_draft_free (PsShipmentDraft *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsShipmentDraft, ps_shipment_draft_free)

/**
 * PsRateQuote:
 * @rate: the carrier's rate
 * @account_id: the carrier account that quoted it
 * @account_name: its name
 */
typedef struct
{
  PsRate *rate;
  gint64  account_id;
  char   *account_name;
} PsRateQuote;

PsRateQuote *ps_rate_quote_copy (const PsRateQuote *self);
void         ps_rate_quote_free (PsRateQuote       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRateQuote, ps_rate_quote_free)

/**
 * PsRateQuotes:
 * @quotes: (element-type PsRateQuote): every rate, cheapest first
 * @problems: (element-type utf8): one message per account that failed
 *   ("UPS: the key was refused …"); the others' rates are still there
 */
typedef struct
{
  GPtrArray *quotes;
  GPtrArray *problems;
} PsRateQuotes;

void ps_rate_quotes_free (PsRateQuotes *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRateQuotes, ps_rate_quotes_free)

/**
 * PsLabelResult:
 * @order_id: the order
 * @shipment_id: the stored shipment
 * @tracking_number: its tracking number
 * @label: the label bytes
 * @label_format: their format
 * @already_bought: the journal had it: nothing was bought now
 */
typedef struct
{
  gint64         order_id;
  gint64         shipment_id;
  char          *tracking_number;
  GBytes        *label;
  PsLabelFormat  label_format;
  gboolean       already_bought;
} PsLabelResult;

void ps_label_result_free (PsLabelResult *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLabelResult, ps_label_result_free)

/**
 * PsRateChoice:
 * @PS_RATE_CHOICE_CHEAPEST: the lowest price
 * @PS_RATE_CHOICE_CHEAPEST_WITHIN: the lowest price among rates that
 *   arrive within the given number of business days (the cheapest of all
 *   when none does)
 * @PS_RATE_CHOICE_FASTEST: the fewest transit days, then the price
 *
 * The default choice rule of the rate selector and of batches.
 */
typedef enum
{
  PS_RATE_CHOICE_CHEAPEST,
  PS_RATE_CHOICE_CHEAPEST_WITHIN,
  PS_RATE_CHOICE_FASTEST,
} PsRateChoice;

const PsRateQuote *ps_rate_quotes_choose (GPtrArray    *quotes,
                                          PsRateChoice  rule,
                                          int           max_days);

/**
 * PsBatchItem:
 * @order_id: the order
 * @order_number: (nullable): its number, once read
 * @result: (nullable): the label, when it was bought (or already was)
 * @error: (nullable): why not, for the merchant
 */
typedef struct
{
  gint64         order_id;
  char          *order_number;
  PsLabelResult *result;
  char          *error;
} PsBatchItem;

void ps_batch_item_free (PsBatchItem *self);

/* Called on the main thread after each order of a batch. */
typedef void (*PsBatchProgress) (guint              done,
                                 guint              total,
                                 const PsBatchItem *item,
                                 gpointer           user_data);

#define PS_TYPE_SHIPPING_SERVICE (ps_shipping_service_get_type ())

G_DECLARE_FINAL_TYPE (PsShippingService, ps_shipping_service, PS, SHIPPING_SERVICE, GObject)

PsShippingService *ps_shipping_service_new             (PsContext            *context);
void               ps_shipping_service_set_label_format (PsShippingService   *self,
                                                        PsLabelFormat         format,
                                                        int                   dpi);
void               ps_shipping_service_set_now_func    (PsShippingService    *self,
                                                        gint64              (*now_func) (gpointer),
                                                        gpointer              user_data);
void               ps_shipping_service_reload_accounts (PsShippingService    *self);
PsCarrier         *ps_shipping_service_lookup_carrier  (PsShippingService    *self,
                                                        gint64                account_id);

void               ps_shipping_service_prepare_async   (PsShippingService    *self,
                                                        gint64                order_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PsShipmentDraft   *ps_shipping_service_prepare_finish  (PsShippingService    *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               ps_shipping_service_rates_async     (PsShippingService    *self,
                                                        const PsShipmentDraft *draft,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PsRateQuotes      *ps_shipping_service_rates_finish    (PsShippingService    *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               ps_shipping_service_buy_async       (PsShippingService    *self,
                                                        const PsShipmentDraft *draft,
                                                        const PsRateQuote    *quote,
                                                        const char           *idempotency_key,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PsLabelResult     *ps_shipping_service_buy_finish      (PsShippingService    *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               ps_shipping_service_buy_batch_async (PsShippingService    *self,
                                                        const gint64         *order_ids,
                                                        guint                 n_orders,
                                                        const char           *batch_key,
                                                        PsRateChoice          rule,
                                                        int                   max_days,
                                                        PsBatchProgress       progress,
                                                        gpointer              progress_data,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray         *ps_shipping_service_buy_batch_finish (PsShippingService   *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               ps_shipping_service_reconcile_async (PsShippingService    *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
guint              ps_shipping_service_reconcile_finish (PsShippingService   *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void               ps_shipping_service_load_label_async (PsShippingService   *self,
                                                        gint64                shipment_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PsLabelResult     *ps_shipping_service_load_label_finish (PsShippingService  *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void               ps_shipping_service_list_accounts_async  (PsShippingService   *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray         *ps_shipping_service_list_accounts_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_add_account_async    (PsShippingService   *self,
                                                             const char          *backend,
                                                             const char          *name,
                                                             const char          *api_key,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gint64             ps_shipping_service_add_account_finish   (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_remove_account_async (PsShippingService   *self,
                                                             gint64               account_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           ps_shipping_service_remove_account_finish (PsShippingService  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_test_account_async   (PsShippingService   *self,
                                                             gint64               account_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           ps_shipping_service_test_account_finish  (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_get_ship_from_async  (PsShippingService   *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
PsAddress         *ps_shipping_service_get_ship_from_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_set_ship_from_async  (PsShippingService   *self,
                                                             const PsAddress     *address,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           ps_shipping_service_set_ship_from_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

void               ps_shipping_service_void_async           (PsShippingService   *self,
                                                             gint64               shipment_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           ps_shipping_service_void_finish          (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

void               ps_shipping_service_packing_slips_async  (PsShippingService   *self,
                                                             const gint64        *order_ids,
                                                             guint                n_orders,
                                                             PsPaper              paper,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes            *ps_shipping_service_packing_slips_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

void               ps_shipping_service_handoff_sheet_async  (PsShippingService   *self,
                                                             gint64               from,
                                                             gint64               to,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GBytes            *ps_shipping_service_handoff_sheet_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

void               ps_shipping_service_add_ratecard_async   (PsShippingService   *self,
                                                             const char          *name,
                                                             GBytes              *csv,
                                                             const char          *currency,
                                                             const char          *tracking_prefix,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);

void               ps_shipping_service_list_presets_async   (PsShippingService   *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GPtrArray         *ps_shipping_service_list_presets_finish  (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void               ps_shipping_service_change_preset_async  (PsShippingService   *self,
                                                             const PsPackagePreset *add,
                                                             gint64               remove_id,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean           ps_shipping_service_change_preset_finish (PsShippingService   *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

void               ps_shipping_service_set_sku_default_async  (PsShippingService   *self,
                                                               const char          *sku,
                                                               gint64               weight_grams,
                                                               gint64               preset_id,
                                                               GCancellable        *cancellable,
                                                               GAsyncReadyCallback  callback,
                                                               gpointer             user_data);
gboolean           ps_shipping_service_set_sku_default_finish (PsShippingService   *self,
                                                               GAsyncResult        *result,
                                                               GError             **error);

G_END_DECLS
