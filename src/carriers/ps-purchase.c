/* ps-purchase.c: a bought label
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-purchase"

#include "config.h"

#include "ps-purchase.h"

G_DEFINE_BOXED_TYPE (PsPurchase, ps_purchase, ps_purchase_copy, ps_purchase_free)

PsPurchase *
ps_purchase_new (void)
{
  return g_new0 (PsPurchase, 1);
}

PsPurchase *
ps_purchase_copy (const PsPurchase *self)
{
  PsPurchase *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->tracking_number = g_strdup (self->tracking_number);
  copy->carrier_shipment_id = g_strdup (self->carrier_shipment_id);
  copy->carrier = g_strdup (self->carrier);
  copy->service_code = g_strdup (self->service_code);
  copy->label = self->label ? g_bytes_ref (self->label) : NULL;
  copy->tracking_carrier = g_strdup (self->tracking_carrier);
  return copy;
}

void
ps_purchase_free (PsPurchase *self)
{
  if (self == NULL)
    return;
  g_free (self->tracking_number);
  g_free (self->carrier_shipment_id);
  g_free (self->carrier);
  g_free (self->service_code);
  g_clear_pointer (&self->label, g_bytes_unref);
  g_free (self->tracking_carrier);
  g_free (self);
}
