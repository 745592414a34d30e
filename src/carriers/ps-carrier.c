/* ps-carrier.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-carrier"

#include "config.h"

#include "ps-carrier.h"

G_DEFINE_QUARK (ps-carrier-error-quark, ps_carrier_error)

G_DEFINE_INTERFACE (PsCarrier, ps_carrier, G_TYPE_OBJECT)

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
