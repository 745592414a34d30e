/* ps-order-lookup.h: orders by the number the shop gave them, shipments
 * by id or tracking number, and the shipments of a handoff day
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"

G_BEGIN_DECLS

/**
 * PsOrderMatch:
 * @order_id: the order
 * @order_number: its number as the shop wrote it
 * @channel: the name of its sales channel ("Shopify")
 *
 * One order whose number matched; two channels can use the same number.
 */
typedef struct
{
  gint64  order_id;
  char   *order_number;
  char   *channel;
} PsOrderMatch;

void ps_order_match_clear (PsOrderMatch *self);

/**
 * PsHandoffRow:
 * @shipment_id: the shipment
 * @carrier: its carrier code ("usps")
 * @service: its service code
 * @tracking_number: its tracking number
 * @weight_grams: the parcel weight, 0 when unknown
 * @order_number: the order's number
 * @label_created_at: when the label was bought, UTC Unix seconds
 */
typedef struct
{
  gint64  shipment_id;
  char   *carrier;
  char   *service;
  char   *tracking_number;
  gint64  weight_grams;
  char   *order_number;
  gint64  label_created_at;
} PsHandoffRow;

void ps_handoff_row_free (PsHandoffRow *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsHandoffRow, ps_handoff_row_free)

/**
 * PsShipmentMatch:
 * @shipment_id: the shipment
 * @order_id: its order
 * @order_number: the order's number
 * @order_status: the order's status nick ("ready_to_ship")
 * @carrier: carrier code
 * @service: service code
 * @tracking_number: (nullable): the tracking number
 * @voided_at: when its label was voided, 0 if it was not
 */
typedef struct
{
  gint64  shipment_id;
  gint64  order_id;
  char   *order_number;
  char   *order_status;
  char   *carrier;
  char   *service;
  char   *tracking_number;
  gint64  voided_at;
} PsShipmentMatch;

void ps_shipment_match_free (PsShipmentMatch *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsShipmentMatch, ps_shipment_match_free)

/* Worker thread only. */
gboolean   ps_order_lookup_by_number_sync (PsDatabase  *database,
                                           const char  *number,
                                           const char  *channel,
                                           GArray     **matches,
                                           GError     **error);
GPtrArray *ps_order_lookup_shipments_sync (PsDatabase  *database,
                                           gint64       shipment_id,
                                           const char  *tracking_number,
                                           GError     **error);
GPtrArray *ps_order_lookup_handoff_sync   (PsDatabase  *database,
                                           gint64       from,
                                           gint64       to,
                                           GError     **error);

G_END_DECLS
