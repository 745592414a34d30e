/* ps-order-snapshot.h: what a condition can test on one order
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-enums.h"

G_BEGIN_DECLS

/**
 * PsShipmentSnapshot:
 * @carrier: (nullable): the carrier id ("ups")
 * @service: (nullable): the service code ("ground")
 * @tracking_status: the normalized tracking status
 * @exception_reason: why it is in exception, %PS_EXCEPTION_REASON_NONE if
 *   it is not
 * @label_created_at: when the label was bought, 0 if not yet
 * @first_scan_at: the carrier's first scan, 0 if none yet
 * @delivered_at: delivery, 0 if not delivered
 * @estimated_delivery_at: the carrier's estimate, 0 if none
 * @had_exception: it has a tracking event in exception. (The condition
 *   field had_exception also holds while @exception_reason is set, as the
 *   dashboard counts exceptions.)
 *
 * One shipment of a #PsOrderSnapshot. Voided shipments are never part of
 * a snapshot. Strings are owned by the snapshot that holds the shipment.
 */
typedef struct
{
  char              *carrier;
  char              *service;
  PsTrackingStatus   tracking_status;
  PsExceptionReason  exception_reason;
  gint64             label_created_at;
  gint64             first_scan_at;
  gint64             delivered_at;
  gint64             estimated_delivery_at;
  gboolean           had_exception;
} PsShipmentSnapshot;

/**
 * PsReturnSnapshot:
 * @reason: why the customer returns it
 * @requested_at: when the return was requested (UTC Unix seconds)
 * @skus: (element-type utf8): the SKUs of the line items it returns, in
 *   line order; items whose line has no SKU are left out
 *
 * One return of a #PsOrderSnapshot. The snapshot owns @skus.
 */
typedef struct
{
  PsReturnReason  reason;
  gint64          requested_at;
  GPtrArray      *skus;
} PsReturnSnapshot;

/**
 * PsOrderSnapshot:
 * @id: the order id, 0 for an order that is not stored
 * @channel: (nullable): the sales channel's name ("Etsy")
 * @status: the order status
 * @tags: (element-type utf8): the order's tags
 * @skus: (element-type utf8): the SKUs of its line items, in line order;
 *   lines without a SKU are left out
 * @ship_country: (nullable): ship-to ISO 3166-1 alpha-2 country
 * @ship_state: (nullable): ship-to subdivision
 * @ship_postcode: (nullable): ship-to postal code
 * @address_issue: the ship-to address failed validation
 * @item_count: the sum of the line items' quantities
 * @total_minor: the total in minor units of the order's currency
 * @weight_grams: the sum of the line items' weights
 * @created_at: when the order was placed (UTC Unix seconds)
 * @paid_at: when it was paid, 0 if not yet
 * @shipments: (element-type PsShipmentSnapshot): the shipments that are
 *   not voided, oldest first. A condition on a shipment field holds when
 *   any of them passes it (is_not and is_empty: when none is equal / has a
 *   value); see #PsConditionOp.
 * @returns: (element-type PsReturnSnapshot): the order's returns, oldest
 *   first; conditions test them only inside a return group
 *   (%PS_CONDITION_KIND_RETURN).
 *
 * A plain, self-contained copy of the values of one order that a
 * #PsCondition can test (ps_condition_evaluate()), with no database and no
 * GObject behind it, so it can be built on any thread, kept in a rule
 * run's log and compared in tests. The store loads one with
 * ps_order_store_load_snapshot_sync(); tests and the rule engine may
 * build one with the setters below. The fields may be read directly.
 */
typedef struct
{
  gint64         id;
  char          *channel;
  PsOrderStatus  status;
  GPtrArray     *tags;
  GPtrArray     *skus;
  char          *ship_country;
  char          *ship_state;
  char          *ship_postcode;
  gboolean       address_issue;
  int            item_count;
  gint64         total_minor;
  gint64         weight_grams;
  gint64         created_at;
  gint64         paid_at;
  GArray        *shipments;
  GArray        *returns;
} PsOrderSnapshot;

#define PS_TYPE_ORDER_SNAPSHOT (ps_order_snapshot_get_type ())

GType               ps_order_snapshot_get_type          (void) G_GNUC_CONST;
PsOrderSnapshot    *ps_order_snapshot_new               (void);
PsOrderSnapshot    *ps_order_snapshot_copy              (const PsOrderSnapshot    *self);
void                ps_order_snapshot_free              (PsOrderSnapshot          *self);
gboolean            ps_order_snapshot_equal             (const PsOrderSnapshot    *a,
                                                         const PsOrderSnapshot    *b);
void                ps_order_snapshot_set_channel       (PsOrderSnapshot          *self,
                                                         const char               *channel);
void                ps_order_snapshot_set_address       (PsOrderSnapshot          *self,
                                                         const char               *country,
                                                         const char               *state,
                                                         const char               *postcode);
void                ps_order_snapshot_add_tag           (PsOrderSnapshot          *self,
                                                         const char               *tag);
void                ps_order_snapshot_add_sku           (PsOrderSnapshot          *self,
                                                         const char               *sku);
PsShipmentSnapshot *ps_order_snapshot_add_shipment      (PsOrderSnapshot          *self,
                                                         const PsShipmentSnapshot *shipment);
PsReturnSnapshot   *ps_order_snapshot_add_return        (PsOrderSnapshot          *self,
                                                         PsReturnReason            reason,
                                                         gint64                    requested_at);
void                ps_order_snapshot_add_return_sku    (PsReturnSnapshot         *ret,
                                                         const char               *sku);
guint               ps_order_snapshot_get_n_shipments   (const PsOrderSnapshot    *self);
const PsShipmentSnapshot *
                    ps_order_snapshot_get_shipment      (const PsOrderSnapshot    *self,
                                                         guint                     index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOrderSnapshot, ps_order_snapshot_free)

G_END_DECLS
