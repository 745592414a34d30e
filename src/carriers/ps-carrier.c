/* ps-carrier.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-carrier"

#include "config.h"

#include "ps-carrier.h"
#include "ps-carrier-private.h"
#include "ps-carrier-easypost.h"
#include "ps-carrier-ratecard.h"
#include "ps-carrier-sandbox.h"

G_DEFINE_QUARK (ps-carrier-error-quark, ps_carrier_error)

G_DEFINE_INTERFACE (PsCarrier, ps_carrier, G_TYPE_OBJECT)

/**
 * _ps_carrier_task_new:
 * @carrier: the source object
 * @cancellable: (nullable): a #GCancellable
 * @callback: the callback
 * @user_data: its data
 * @source_tag: the public `ps_carrier_*_async` function
 *
 * Returns: (transfer full): the task a backend completes for an operation
 */
GTask *
_ps_carrier_task_new (gpointer             carrier,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             source_tag)
{
  GTask *task = g_task_new (carrier, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

/**
 * _ps_carrier_parse_decimal:
 * @text: (nullable): digits, optionally a dot and at most @digits decimals
 * @digits: the currency's minor digits
 * @minor: (out): the amount in minor units
 *
 * Reads amounts of rate tables and of carrier JSON ("6.07") without going
 * through a double.
 *
 * Returns: %TRUE if @text is such an amount
 */
gboolean
_ps_carrier_parse_decimal (const char *text,
                           guint       digits,
                           gint64     *minor)
{
  gint64 whole = 0, frac = 0;
  guint n_frac = 0;
  const char *p = text;

  if (p == NULL || !g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    {
      whole = whole * 10 + (*p - '0');
      if (whole > G_GINT64_CONSTANT (1000000000))
        return FALSE;
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, n_frac++)
      frac = frac * 10 + (*p - '0');
  if (*p != '\0' || n_frac > digits)
    return FALSE;
  for (; n_frac < digits; n_frac++)
    frac *= 10;
  for (guint i = 0; i < digits; i++)
    whole *= 10;
  *minor = whole + frac;
  return TRUE;
}

static void
ps_carrier_default_init (PsCarrierInterface *iface)
{
}

/**
 * ps_carrier_get_id:
 * @self: a #PsCarrier
 *
 * Returns: (transfer none): the backend id stored with shipments
 */
const char *
ps_carrier_get_id (PsCarrier *self)
{
  g_return_val_if_fail (PS_IS_CARRIER (self), NULL);
  return PS_CARRIER_GET_IFACE (self)->get_id (self);
}

/**
 * ps_carrier_get_display_name:
 * @self: a #PsCarrier
 *
 * Returns: (transfer none): the name shown to people
 */
const char *
ps_carrier_get_display_name (PsCarrier *self)
{
  g_return_val_if_fail (PS_IS_CARRIER (self), NULL);
  return PS_CARRIER_GET_IFACE (self)->get_display_name (self);
}

/**
 * ps_carrier_get_capabilities:
 * @self: a #PsCarrier
 *
 * Returns: what the backend can do
 */
PsCarrierCapabilities
ps_carrier_get_capabilities (PsCarrier *self)
{
  g_return_val_if_fail (PS_IS_CARRIER (self), 0);
  return PS_CARRIER_GET_IFACE (self)->get_capabilities (self);
}

/* Fails @source_tag's operation with NOT_SUPPORTED unless @self implements
 * it and claims @capability (0: no flag needed). Returns TRUE when it did. */
static gboolean
refuse_unsupported (PsCarrier             *self,
                    gpointer               vfunc,
                    PsCarrierCapabilities  capability,
                    const char            *what,
                    gpointer               source_tag,
                    GCancellable          *cancellable,
                    GAsyncReadyCallback    callback,
                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;

  if (vfunc != NULL && (ps_carrier_get_capabilities (self) & capability) == capability)
    return FALSE;

  task = _ps_carrier_task_new (self, cancellable, callback, user_data, source_tag);
  g_task_return_new_error (task, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
                           "%s cannot %s", ps_carrier_get_display_name (self), what);
  return TRUE;
}

/**
 * ps_carrier_quote_rates_async:
 * @self: a #PsCarrier
 * @request: what to ship; copied as needed
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when done
 * @user_data: data for @callback
 *
 * Quotes every service the backend has for @request. Invalid input fails
 * before any network traffic with %PS_CARRIER_ERROR_INVALID_ADDRESS or
 * %PS_CARRIER_ERROR_INVALID_PARCEL naming the field.
 */
void
ps_carrier_quote_rates_async (PsCarrier           *self,
                              const PsRateRequest *request,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PsCarrierInterface *iface;

  g_return_if_fail (PS_IS_CARRIER (self));
  g_return_if_fail (request != NULL);

  iface = PS_CARRIER_GET_IFACE (self);
  if (refuse_unsupported (self, iface->quote_rates_async, PS_CARRIER_CAN_RATE, "quote rates",
                          ps_carrier_quote_rates_async, cancellable, callback, user_data))
    return;
  iface->quote_rates_async (self, request, cancellable, callback, user_data);
}

/**
 * ps_carrier_quote_rates_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: (transfer full) (element-type PsRate): the rates, possibly empty
 */
GPtrArray *
ps_carrier_quote_rates_finish (PsCarrier     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_carrier_buy_label_async:
 * @self: a #PsCarrier
 * @request: the request @rate was quoted for
 * @rate: the rate to buy, from this backend
 * @format: the label file format wanted (backends with a label of their own)
 * @idempotency_key: (nullable): the key the caller journaled before
 *   calling; backends that can use it make a repeated buy harmless
 * @cancellable: (nullable): a #GCancellable; a cancellation after the
 *   request was sent leaves the outcome unknown, see
 *   ps_carrier_lookup_purchase_async()
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Buys the label. Journaling is the caller's: a
 * %PS_CARRIER_ERROR_PURCHASE_UNKNOWN error means the answer was lost after
 * the request went out, and must be reconciled, never retried.
 */
void
ps_carrier_buy_label_async (PsCarrier           *self,
                            const PsRateRequest *request,
                            const PsRate        *rate,
                            PsLabelFormat        format,
                            const char          *idempotency_key,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  PsCarrierInterface *iface;

  g_return_if_fail (PS_IS_CARRIER (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (rate != NULL);

  iface = PS_CARRIER_GET_IFACE (self);
  if (refuse_unsupported (self, iface->buy_label_async, PS_CARRIER_CAN_BUY, "buy labels",
                          ps_carrier_buy_label_async, cancellable, callback, user_data))
    return;
  iface->buy_label_async (self, request, rate, format, idempotency_key, cancellable, callback,
                          user_data);
}

/**
 * ps_carrier_buy_label_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: (transfer full): the purchase
 */
PsPurchase *
ps_carrier_buy_label_finish (PsCarrier     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_carrier_lookup_purchase_async:
 * @self: a #PsCarrier
 * @carrier_shipment_id: (nullable): the shipment the buy was for
 * @idempotency_key: (nullable): the key passed to the buy
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Reconciles a buy whose outcome is unknown. Never buys.
 */
void
ps_carrier_lookup_purchase_async (PsCarrier           *self,
                                  const char          *carrier_shipment_id,
                                  const char          *idempotency_key,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  PsCarrierInterface *iface;

  g_return_if_fail (PS_IS_CARRIER (self));
  g_return_if_fail (carrier_shipment_id != NULL || idempotency_key != NULL);

  iface = PS_CARRIER_GET_IFACE (self);
  if (refuse_unsupported (self, iface->lookup_purchase_async, PS_CARRIER_CAN_BUY,
                          "look up purchases", ps_carrier_lookup_purchase_async,
                          cancellable, callback, user_data))
    return;
  iface->lookup_purchase_async (self, carrier_shipment_id, idempotency_key, cancellable,
                                callback, user_data);
}

/**
 * ps_carrier_lookup_purchase_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: (transfer full) (nullable): the purchase if the label was bought;
 *   %NULL with @error unset if it was not
 */
PsPurchase *
ps_carrier_lookup_purchase_finish (PsCarrier     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_carrier_void_label_async:
 * @self: a #PsCarrier
 * @carrier_shipment_id: (nullable): the shipment
 * @tracking_number: (nullable): its tracking number
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Voids (refunds) a label. A parcel already scanned fails with
 * %PS_CARRIER_ERROR_VOID_REFUSED.
 */
void
ps_carrier_void_label_async (PsCarrier           *self,
                             const char          *carrier_shipment_id,
                             const char          *tracking_number,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  PsCarrierInterface *iface;

  g_return_if_fail (PS_IS_CARRIER (self));
  g_return_if_fail (carrier_shipment_id != NULL || tracking_number != NULL);

  iface = PS_CARRIER_GET_IFACE (self);
  if (refuse_unsupported (self, iface->void_label_async, PS_CARRIER_CAN_VOID, "void labels",
                          ps_carrier_void_label_async, cancellable, callback, user_data))
    return;
  iface->void_label_async (self, carrier_shipment_id, tracking_number, cancellable, callback,
                           user_data);
}

/**
 * ps_carrier_void_label_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: %TRUE if the label is void (or its refund was submitted)
 */
gboolean
ps_carrier_void_label_finish (PsCarrier     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ps_carrier_track_async:
 * @self: a #PsCarrier
 * @tracking_number: the tracking number
 * @carrier_shipment_id: (nullable): the shipment, when known
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Fetches the parcel's tracking history.
 */
void
ps_carrier_track_async (PsCarrier           *self,
                        const char          *tracking_number,
                        const char          *carrier_shipment_id,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  PsCarrierInterface *iface;

  g_return_if_fail (PS_IS_CARRIER (self));
  g_return_if_fail (tracking_number != NULL);

  iface = PS_CARRIER_GET_IFACE (self);
  if (refuse_unsupported (self, iface->track_async, PS_CARRIER_CAN_TRACK, "track parcels",
                          ps_carrier_track_async, cancellable, callback, user_data))
    return;
  iface->track_async (self, tracking_number, carrier_shipment_id, cancellable, callback,
                      user_data);
}

/**
 * ps_carrier_track_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: (transfer full): the tracking state, events oldest first
 */
PsTrackingUpdate *
ps_carrier_track_finish (PsCarrier     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_carrier_test_connection_async:
 * @self: a #PsCarrier
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Preferences' "Test connection": checks the key and the network with a
 * request that costs nothing. Offline backends succeed at once.
 */
void
ps_carrier_test_connection_async (PsCarrier           *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  PsCarrierInterface *iface;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (PS_IS_CARRIER (self));

  iface = PS_CARRIER_GET_IFACE (self);
  if (iface->test_connection_async != NULL)
    {
      iface->test_connection_async (self, cancellable, callback, user_data);
      return;
    }
  task = _ps_carrier_task_new (self, cancellable, callback, user_data,
                               ps_carrier_test_connection_async);
  g_task_return_boolean (task, TRUE);
}

/**
 * ps_carrier_test_connection_finish:
 * @self: a #PsCarrier
 * @result: the result
 * @error: a #GError in %PS_CARRIER_ERROR
 *
 * Returns: %TRUE if the account works
 */
gboolean
ps_carrier_test_connection_finish (PsCarrier     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ps_carrier_new_for_backend:
 * @backend: "sandbox", "ratecard" or "easypost" (carrier_accounts.backend)
 * @settings: (nullable): the account's settings (carrier_accounts.settings);
 *   never holds secrets: the EasyPost key is read from the keyring
 * @error: a #GError
 *
 * Builds the carrier of one carrier_accounts row.
 *
 * Returns: (transfer full): the carrier, or %NULL with @error set for an
 *   unknown backend or settings it cannot use
 */
PsCarrier *
ps_carrier_new_for_backend (const char  *backend,
                            JsonObject  *settings,
                            GError     **error)
{
  g_return_val_if_fail (backend != NULL, NULL);

  if (g_str_equal (backend, "sandbox"))
    return PS_CARRIER (ps_carrier_sandbox_new_from_settings (settings));
  if (g_str_equal (backend, "ratecard"))
    return PS_CARRIER (ps_carrier_ratecard_new_from_settings (settings, error));
  if (g_str_equal (backend, "easypost"))
    return PS_CARRIER (ps_carrier_easypost_new_from_settings (settings, error));

  g_set_error (error, PS_CARRIER_ERROR, PS_CARRIER_ERROR_NOT_SUPPORTED,
               "Unknown carrier backend \"%s\": use sandbox, ratecard or easypost", backend);
  return NULL;
}
