/* ps-carrier.h: the interface every shipping backend implements
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ps-enums.h"
#include "ps-purchase.h"
#include "ps-rate.h"
#include "ps-rate-request.h"
#include "ps-tracking-update.h"

G_BEGIN_DECLS

#define PS_CARRIER_ERROR (ps_carrier_error_quark ())

/**
 * PsCarrierError:
 * @PS_CARRIER_ERROR_AUTH: the account's key was refused (401/403); fix it
 *   in Preferences.
 * @PS_CARRIER_ERROR_RATE_LIMITED: too many requests (429); retry later.
 * @PS_CARRIER_ERROR_INVALID_ADDRESS: the carrier refused an address.
 * @PS_CARRIER_ERROR_INVALID_PARCEL: weight or dimensions were refused.
 * @PS_CARRIER_ERROR_UNSUPPORTED_SERVICE: the service does not serve the
 *   route or parcel.
 * @PS_CARRIER_ERROR_INSUFFICIENT_FUNDS: the account balance is too low.
 * @PS_CARRIER_ERROR_NETWORK: the carrier could not be reached.
 * @PS_CARRIER_ERROR_SERVER: the carrier failed (5xx) or answered nonsense.
 * @PS_CARRIER_ERROR_NOT_SUPPORTED: the backend cannot do this (tracking on
 *   a rate card).
 * @PS_CARRIER_ERROR_VOID_REFUSED: the label cannot be voided any more: the
 *   parcel was scanned, or the carrier refused the refund.
 * @PS_CARRIER_ERROR_PURCHASE_UNKNOWN: a buy request was sent but no answer
 *   came back (timeout, connection lost): the label may or may not have
 *   been bought. Never buy again: run ps_carrier_lookup_purchase_async().
 * @PS_CARRIER_ERROR_NOT_FOUND: the carrier knows no such shipment or
 *   tracking number.
 */
typedef enum
{
  PS_CARRIER_ERROR_AUTH,
  PS_CARRIER_ERROR_RATE_LIMITED,
  PS_CARRIER_ERROR_INVALID_ADDRESS,
  PS_CARRIER_ERROR_INVALID_PARCEL,
  PS_CARRIER_ERROR_UNSUPPORTED_SERVICE,
  PS_CARRIER_ERROR_INSUFFICIENT_FUNDS,
  PS_CARRIER_ERROR_NETWORK,
  PS_CARRIER_ERROR_SERVER,
  PS_CARRIER_ERROR_NOT_SUPPORTED,
  PS_CARRIER_ERROR_VOID_REFUSED,
  PS_CARRIER_ERROR_PURCHASE_UNKNOWN,
  PS_CARRIER_ERROR_NOT_FOUND,
} PsCarrierError;

GQuark ps_carrier_error_quark (void);

/**
 * PsCarrierCapabilities:
 * @PS_CARRIER_CAN_RATE: quotes rates
 * @PS_CARRIER_CAN_BUY: buys labels
 * @PS_CARRIER_CAN_VOID: voids or refunds labels
 * @PS_CARRIER_CAN_TRACK: reports tracking events
 * @PS_CARRIER_WORKS_OFFLINE: needs no network
 */
typedef enum /*< flags >*/
{
  PS_CARRIER_CAN_RATE      = 1 << 0,
  PS_CARRIER_CAN_BUY       = 1 << 1,
  PS_CARRIER_CAN_VOID      = 1 << 2,
  PS_CARRIER_CAN_TRACK     = 1 << 3,
  PS_CARRIER_WORKS_OFFLINE = 1 << 4,
} PsCarrierCapabilities;

#define PS_TYPE_CARRIER (ps_carrier_get_type ())

G_DECLARE_INTERFACE (PsCarrier, ps_carrier, PS, CARRIER, GObject)

/**
 * PsCarrierInterface:
 * @get_id: the backend's stable id ("sandbox", "easypost")
 * @get_display_name: a name for people
 * @get_capabilities: what the backend can do
 * @quote_rates_async: quote every service for a #PsRateRequest; completes
 *   with a #GPtrArray of #PsRate (g_task_return_pointer with
 *   g_ptr_array_unref as destroy notify)
 * @buy_label_async: buy the label of a #PsRate; completes with a
 *   #PsPurchase
 * @lookup_purchase_async: find out whether a purchase whose answer was
 *   lost happened; completes with a #PsPurchase or %NULL (not bought);
 *   never buys
 * @void_label_async: void or refund a label; completes with a boolean
 * @track_async: completes with a #PsTrackingUpdate
 * @test_connection_async: check the account works; completes with a
 *   boolean. %NULL means "nothing to check" (offline backends)
 *
 * Implementations complete a #GTask whose source object is the carrier
 * and whose source tag is the public `ps_carrier_*_async` function; the
 * public `_finish` functions propagate its value, so implementations have
 * no `_finish` of their own. A %NULL operation, or one whose capability
 * flag is not set, fails with %PS_CARRIER_ERROR_NOT_SUPPORTED.
 */
struct _PsCarrierInterface
{
  GTypeInterface parent_iface;

  const char            *(*get_id)           (PsCarrier *self);
  const char            *(*get_display_name) (PsCarrier *self);
  PsCarrierCapabilities  (*get_capabilities) (PsCarrier *self);

  void (*quote_rates_async)     (PsCarrier           *self,
                                 const PsRateRequest *request,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  void (*buy_label_async)       (PsCarrier           *self,
                                 const PsRateRequest *request,
                                 const PsRate        *rate,
                                 PsLabelFormat        format,
                                 const char          *idempotency_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  void (*lookup_purchase_async) (PsCarrier           *self,
                                 const char          *carrier_shipment_id,
                                 const char          *idempotency_key,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  void (*void_label_async)      (PsCarrier           *self,
                                 const char          *carrier_shipment_id,
                                 const char          *tracking_number,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  void (*track_async)           (PsCarrier           *self,
                                 const char          *tracking_number,
                                 const char          *carrier_shipment_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  void (*test_connection_async) (PsCarrier           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
};

const char            *ps_carrier_get_id           (PsCarrier *self);
const char            *ps_carrier_get_display_name (PsCarrier *self);
PsCarrierCapabilities  ps_carrier_get_capabilities (PsCarrier *self);

void        ps_carrier_quote_rates_async      (PsCarrier           *self,
                                               const PsRateRequest *request,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray  *ps_carrier_quote_rates_finish     (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void        ps_carrier_buy_label_async        (PsCarrier           *self,
                                               const PsRateRequest *request,
                                               const PsRate        *rate,
                                               PsLabelFormat        format,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PsPurchase *ps_carrier_buy_label_finish       (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void        ps_carrier_lookup_purchase_async  (PsCarrier           *self,
                                               const char          *carrier_shipment_id,
                                               const char          *idempotency_key,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PsPurchase *ps_carrier_lookup_purchase_finish (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void        ps_carrier_void_label_async       (PsCarrier           *self,
                                               const char          *carrier_shipment_id,
                                               const char          *tracking_number,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    ps_carrier_void_label_finish      (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void        ps_carrier_track_async            (PsCarrier           *self,
                                               const char          *tracking_number,
                                               const char          *carrier_shipment_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
PsTrackingUpdate *ps_carrier_track_finish     (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
void        ps_carrier_test_connection_async  (PsCarrier           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    ps_carrier_test_connection_finish (PsCarrier           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

PsCarrier  *ps_carrier_new_for_backend        (const char          *backend,
                                               JsonObject          *settings,
                                               GError             **error);

G_END_DECLS
