/* ps-shipping-store.h: what buying labels reads and writes
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-address.h"
#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

#define PS_SHIPPING_ERROR (ps_shipping_error_quark ())

/**
 * PsShippingError:
 * @PS_SHIPPING_ERROR_NOT_FOUND: no such order, shipment or account
 * @PS_SHIPPING_ERROR_NO_SHIP_FROM: no ship-from address yet; add one in
 *   Preferences
 * @PS_SHIPPING_ERROR_ALREADY_BOUGHT: the purchase journal says this
 *   purchase was already made (never buy twice)
 * @PS_SHIPPING_ERROR_IN_PROGRESS: another purchase with this key is still
 *   pending or unknown; reconcile it first
 */
typedef enum
{
  PS_SHIPPING_ERROR_NOT_FOUND,
  PS_SHIPPING_ERROR_NO_SHIP_FROM,
  PS_SHIPPING_ERROR_ALREADY_BOUGHT,
  PS_SHIPPING_ERROR_IN_PROGRESS,
} PsShippingError;

GQuark ps_shipping_error_quark (void);

/**
 * PsShippingItem:
 * @sku: (nullable): the SKU
 * @name: the product name
 * @variant: (nullable): the variant
 * @quantity: how many
 * @weight_grams: the weight of one
 */
typedef struct
{
  char   *sku;
  char   *name;
  char   *variant;
  int     quantity;
  int     weight_grams;
} PsShippingItem;

/**
 * PsShippingOrder:
 * @id: the order id
 * @order_number: as the shop wrote it
 * @status: the order status
 * @ship_to: where it goes
 * @address_issue: whether offline validation flagged the address
 * @address_message: (nullable): why
 * @currency: the order's currency
 * @total_minor: the order total
 * @weight_grams: the items' weight (sum of line weights)
 * @items: (element-type PsShippingItem): the line items
 * @n_live_shipments: shipments that are not voided
 * @created_at: when it was placed
 * @preset_id: the package preset its SKUs ask for (the largest), 0 if none
 *
 * An order as the rate selector, the label and the packing slip need it.
 */
typedef struct
{
  gint64         id;
  char          *order_number;
  PsOrderStatus  status;
  PsAddress     *ship_to;
  gboolean       address_issue;
  char          *address_message;
  char           currency[4];
  gint64         total_minor;
  gint64         weight_grams;
  GPtrArray     *items;
  guint          n_live_shipments;
  gint64         created_at;
  gint64         preset_id;
} PsShippingOrder;

void ps_shipping_order_free (PsShippingOrder *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsShippingOrder, ps_shipping_order_free)

/**
 * PsPackagePreset:
 * @id: the row id
 * @name: what the merchant calls it ("Small box")
 * @length_mm: outer length
 * @width_mm: outer width
 * @height_mm: outer height
 * @weight_grams: the empty package's weight, added to the items'
 */
typedef struct
{
  gint64  id;
  char   *name;
  gint64  length_mm;
  gint64  width_mm;
  gint64  height_mm;
  gint64  weight_grams;
} PsPackagePreset;

void ps_package_preset_free (PsPackagePreset *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPackagePreset, ps_package_preset_free)

/**
 * PsCarrierAccount:
 * @id: the row id
 * @backend: "sandbox", "ratecard", "easypost"
 * @name: what the merchant calls it
 * @settings: JSON object text (never secrets)
 * @enabled: whether rates are asked from it
 */
typedef struct
{
  gint64    id;
  char     *backend;
  char     *name;
  char     *settings;
  gboolean  enabled;
} PsCarrierAccount;

void ps_carrier_account_free (PsCarrierAccount *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCarrierAccount, ps_carrier_account_free)

/**
 * PsPurchaseState:
 * @PS_PURCHASE_STATE_PENDING: journaled; the carrier is being asked
 * @PS_PURCHASE_STATE_BOUGHT: bought and stored as a shipment
 * @PS_PURCHASE_STATE_FAILED: the carrier refused; nothing was bought
 * @PS_PURCHASE_STATE_UNKNOWN: the request may have reached the carrier
 *   but no answer came; look it up before anything else
 */
typedef enum
{
  PS_PURCHASE_STATE_PENDING,
  PS_PURCHASE_STATE_BOUGHT,
  PS_PURCHASE_STATE_FAILED,
  PS_PURCHASE_STATE_UNKNOWN,
} PsPurchaseState;

/**
 * PsJournalEntry:
 * @id: the journal row
 * @order_id: the order
 * @account_id: the carrier account asked (0 if unknown)
 * @carrier: the backend's carrier code
 * @service: the service code
 * @idempotency_key: the key
 * @state: where it stands
 * @carrier_shipment_id: (nullable): the carrier's id, once known
 * @shipment_id: the stored shipment, once bought
 * @error: (nullable): why it failed
 * @request: (nullable): JSON the service needs to retry or look it up
 */
typedef struct
{
  gint64           id;
  gint64           order_id;
  gint64           account_id;
  char            *carrier;
  char            *service;
  char            *idempotency_key;
  PsPurchaseState  state;
  char            *carrier_shipment_id;
  gint64           shipment_id;
  char            *error;
  char            *request;
} PsJournalEntry;

void ps_journal_entry_free (PsJournalEntry *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsJournalEntry, ps_journal_entry_free)

/**
 * PsBoughtLabel:
 * @carrier: carrier code ("usps")
 * @service: service code
 * @service_name: (nullable): the service as people read it
 * @tracking_number: the tracking number
 * @carrier_shipment_id: (nullable): the carrier's id
 * @currency: the price's currency
 * @rate_minor: the price paid
 * @weight_grams: the parcel weight
 * @length_mm: parcel length
 * @width_mm: parcel width
 * @height_mm: parcel height
 * @estimated_delivery_at: (nullable): 0 when unknown
 * @label: the label bytes
 * @label_format: their format
 */
typedef struct
{
  const char    *carrier;
  const char    *service;
  const char    *service_name;
  const char    *tracking_number;
  const char    *carrier_shipment_id;
  const char    *currency;
  gint64         rate_minor;
  gint64         weight_grams;
  gint64         length_mm;
  gint64         width_mm;
  gint64         height_mm;
  gint64         estimated_delivery_at;
  GBytes        *label;
  PsLabelFormat  label_format;
} PsBoughtLabel;

/**
 * PsShipmentRef:
 * @id: the shipment
 * @order_id: its order
 * @account_id: the carrier account that bought it, 0 if unknown
 * @carrier: carrier code
 * @carrier_shipment_id: (nullable): the carrier's id
 * @tracking_number: (nullable): the tracking number
 * @tracking_status: where the parcel is
 * @voided_at: when it was voided, 0 if not
 *
 * What voiding or reprinting a shipment's label needs.
 */
typedef struct
{
  gint64            id;
  gint64            order_id;
  gint64            account_id;
  char             *carrier;
  char             *carrier_shipment_id;
  char             *tracking_number;
  PsTrackingStatus  tracking_status;
  gint64            voided_at;
} PsShipmentRef;

void ps_shipment_ref_free (PsShipmentRef *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsShipmentRef, ps_shipment_ref_free)

/* Worker thread only. */
GPtrArray        *ps_shipping_store_list_presets_sync    (PsDatabase           *database,
                                                          GError              **error);
gint64            ps_shipping_store_add_preset_sync      (PsDatabase           *database,
                                                          const PsPackagePreset *preset,
                                                          GError              **error);
gboolean          ps_shipping_store_remove_preset_sync   (PsDatabase           *database,
                                                          gint64                preset_id,
                                                          GError              **error);
gboolean          ps_shipping_store_set_sku_default_sync (PsDatabase           *database,
                                                          const char           *sku,
                                                          gint64                weight_grams,
                                                          gint64                preset_id,
                                                          GError              **error);
PsShipmentRef    *ps_shipping_store_load_shipment_sync   (PsDatabase           *database,
                                                          gint64                shipment_id,
                                                          GError              **error);
gboolean          ps_shipping_store_void_sync            (PsDatabase           *database,
                                                          gint64                shipment_id,
                                                          gint64                now,
                                                          GError              **error);
PsShippingOrder  *ps_shipping_store_load_order_sync      (PsDatabase           *database,
                                                          gint64                order_id,
                                                          GError              **error);
PsAddress        *ps_shipping_store_get_ship_from_sync   (PsDatabase           *database,
                                                          GError              **error);
gint64            ps_shipping_store_set_ship_from_sync   (PsDatabase           *database,
                                                          const char           *label,
                                                          const PsAddress      *address,
                                                          GError              **error);
GPtrArray        *ps_shipping_store_list_accounts_sync   (PsDatabase           *database,
                                                          GError              **error);
gint64            ps_shipping_store_add_account_sync     (PsDatabase           *database,
                                                          const char           *backend,
                                                          const char           *name,
                                                          const char           *settings,
                                                          GError              **error);
gboolean          ps_shipping_store_set_account_settings_sync (PsDatabase      *database,
                                                          gint64                account_id,
                                                          const char           *settings,
                                                          GError              **error);
gboolean          ps_shipping_store_remove_account_sync  (PsDatabase           *database,
                                                          gint64                account_id,
                                                          GError              **error);
PsJournalEntry   *ps_shipping_store_journal_begin_sync   (PsDatabase           *database,
                                                          gint64                order_id,
                                                          gint64                account_id,
                                                          const char           *carrier,
                                                          const char           *service,
                                                          const char           *idempotency_key,
                                                          const char           *request,
                                                          gboolean             *created,
                                                          GError              **error);
gboolean          ps_shipping_store_journal_mark_sync    (PsDatabase           *database,
                                                          gint64                journal_id,
                                                          PsPurchaseState       state,
                                                          const char           *carrier_shipment_id,
                                                          const char           *message,
                                                          GError              **error);
gint64            ps_shipping_store_record_label_sync    (PsDatabase           *database,
                                                          gint64                journal_id,
                                                          gint64                order_id,
                                                          const PsBoughtLabel  *label,
                                                          gint64                now,
                                                          GError              **error);
GPtrArray        *ps_shipping_store_open_purchases_sync  (PsDatabase           *database,
                                                          GError              **error);
PsJournalEntry   *ps_shipping_store_find_purchase_sync   (PsDatabase           *database,
                                                          const char           *idempotency_key,
                                                          GError              **error);
char             *ps_shipping_store_get_tracking_sync    (PsDatabase           *database,
                                                          gint64                shipment_id,
                                                          gint64               *order_id,
                                                          GError              **error);
GBytes           *ps_shipping_store_load_label_sync      (PsDatabase           *database,
                                                          gint64                shipment_id,
                                                          PsLabelFormat        *format,
                                                          GError              **error);

G_END_DECLS
