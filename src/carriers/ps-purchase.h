/* ps-purchase.h: a bought label
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-enums.h"
#include "ps-money.h"

G_BEGIN_DECLS

#define PS_TYPE_PURCHASE (ps_purchase_get_type ())

/**
 * PsPurchase:
 * @tracking_number: the tracking number
 * @carrier_shipment_id: the backend's id of the shipment, for void,
 *   lookup and tracking
 * @carrier: the carrier for people ("USPS")
 * @service_code: the service bought
 * @price: what was actually charged
 * @label: (nullable): the carrier's label file, %NULL when the backend has
 *   no label of its own and the app draws its layout
 * @label_format: the format of @label
 * @tracking_carrier: the carrier whose barcode conventions our own layout
 *   follows: "usps", "ups", "fedex", "dhl" or "generic"
 * @purchased_at: UTC Unix seconds
 */
typedef struct
{
  char          *tracking_number;
  char          *carrier_shipment_id;
  char          *carrier;
  char          *service_code;
  PsMoney        price;
  GBytes        *label;
  PsLabelFormat  label_format;
  char          *tracking_carrier;
  gint64         purchased_at;
} PsPurchase;

GType       ps_purchase_get_type (void) G_GNUC_CONST;
PsPurchase *ps_purchase_new      (void);
PsPurchase *ps_purchase_copy     (const PsPurchase *self);
void        ps_purchase_free     (PsPurchase       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPurchase, ps_purchase_free)

G_END_DECLS
