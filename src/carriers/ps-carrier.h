/* ps-carrier.h: the interface every shipping backend implements
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

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
 * @PS_CARRIER_ERROR_NOT_SUPPORTED: the backend cannot do this (void on a
 *   rate card).
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
 *
 * The asynchronous operations (rates, buy, void, track) are added with the
 * shipping issue; this foundation fixes the identity and capability part
 * so registries and settings can be built against it.
 */
struct _PsCarrierInterface
{
  GTypeInterface parent_iface;

  const char            *(*get_id)           (PsCarrier *self);
  const char            *(*get_display_name) (PsCarrier *self);
  PsCarrierCapabilities  (*get_capabilities) (PsCarrier *self);
};

const char            *ps_carrier_get_id           (PsCarrier *self);
const char            *ps_carrier_get_display_name (PsCarrier *self);
PsCarrierCapabilities  ps_carrier_get_capabilities (PsCarrier *self);

G_END_DECLS
