/* ps-order-detail.h: everything the detail pane shows of one order, and
 * the merchant's edits to orders
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-enums.h"
#include "ps-order-store.h"

G_BEGIN_DECLS

/**
 * PsDetailLine:
 * @sku: (nullable): the SKU
 * @name: the product name
 * @variant: (nullable): the variant ("M", "Blue")
 * @quantity: how many
 * @unit_price_minor: the price of one, in the order's currency
 *
 * One line item.
 */
typedef struct
{
  char   *sku;
  char   *name;
  char   *variant;
  int     quantity;
  gint64  unit_price_minor;
} PsDetailLine;

/**
 * PsDetailTrackingEvent:
 * @occurred_at: when, UTC Unix seconds
 * @status: the tracking status it reported
 * @reason: the exception reason, %PS_EXCEPTION_REASON_NONE when unset
 * @description: (nullable): the carrier's text
 * @location: (nullable): where
 *
 * One scan in a shipment's tracking timeline.
 */
typedef struct
{
  gint64             occurred_at;
  PsTrackingStatus   status;
  PsExceptionReason  reason;
  char              *description;
  char              *location;
} PsDetailTrackingEvent;

/**
 * PsDetailShipment:
 * @id: the shipment id
 * @carrier: the carrier id ("ups")
 * @service: the service code ("ground")
 * @tracking_number: (nullable): the tracking number
 * @tracking_status: the current tracking status
 * @exception_reason: %PS_EXCEPTION_REASON_NONE unless set
 * @rate_minor: what the label cost, 0 when unknown
 * @currency: the rate's ISO 4217 code, empty when unknown
 * @label_created_at: times, UTC Unix seconds, 0 when not happened
 * @events: (element-type PsDetailTrackingEvent): oldest first
 */
typedef struct
{
  gint64             id;
  char              *carrier;
  char              *service;
  char              *tracking_number;
  PsTrackingStatus   tracking_status;
  PsExceptionReason  exception_reason;
  gint64             rate_minor;
  char               currency[4];
  gint64             label_created_at, first_scan_at, estimated_delivery_at, delivered_at, voided_at;
  GArray            *events;  /* PsDetailTrackingEvent, oldest first */
} PsDetailShipment;

/**
 * PsDetailEvent:
 * @id: the event id
 * @type: the event type
 * @occurred_at: when, UTC Unix seconds
 * @actor: who ("import", "merchant", "carrier", "clock", "rule:N")
 * @data: (nullable): the payload as JSON text
 */
typedef struct
{
  gint64       id;
  PsEventType  type;
  gint64       occurred_at;
  char        *actor;
  char        *data;          /* JSON text or NULL */
} PsDetailEvent;

/**
 * PsDetailNote:
 * @id: the note id
 * @created_at: when, UTC Unix seconds
 * @author: "merchant" or "rule:N"
 * @body: the text
 */
typedef struct
{
  gint64  id;
  gint64  created_at;
  char   *author;
  char   *body;
} PsDetailNote;

/**
 * PsOrderDetail:
 * @row: the list row, filled as ps_order_store_fetch_rows_async() fills it
 * @lines: (element-type PsDetailLine): by position
 * @shipments: (element-type PsDetailShipment): oldest first, voided ones
 *   included
 * @events: (element-type PsDetailEvent): oldest first, at most the newest 200
 * @notes: (element-type PsDetailNote): oldest first
 * @tags: the tag names, sorted case-insensitively
 *
 * One order with its history, read in one database job. Strings are owned
 * by the detail; missing times are 0.
 */
typedef struct
{
  PsOrderRow  row;            /* the list row: number, channel, customer, status, totals, city/state/country, latest carrier… */
  char       *customer_phone, *ship_name, *ship_company, *ship_line1, *ship_line2, *ship_postcode, *address_message;
  gint64      subtotal_minor, shipping_minor, tax_minor, paid_at;
  int         priority;
  GArray     *lines;          /* PsDetailLine, by position */
  GPtrArray  *shipments;      /* PsDetailShipment*, oldest first, voided included */
  GPtrArray  *events;         /* PsDetailEvent*, oldest first (at most the newest 200) */
  GPtrArray  *notes;          /* PsDetailNote*, oldest first */
  GStrv       tags;           /* sorted case-insensitively */
} PsOrderDetail;

void           ps_order_detail_free              (PsOrderDetail        *detail);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOrderDetail, ps_order_detail_free)

void           ps_order_store_load_detail_async  (PsOrderStore         *store,
                                                  gint64                order_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
PsOrderDetail *ps_order_store_load_detail_finish (PsOrderStore         *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void           ps_order_store_set_status_async   (PsOrderStore         *store,
                                                  const gint64         *ids,
                                                  guint                 n_ids,
                                                  PsOrderStatus         status,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       ps_order_store_set_status_finish  (PsOrderStore         *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void           ps_order_store_add_note_async     (PsOrderStore         *store,
                                                  gint64                order_id,
                                                  const char           *body,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       ps_order_store_add_note_finish    (PsOrderStore         *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);
void           ps_order_store_set_tag_async      (PsOrderStore         *store,
                                                  const gint64         *ids,
                                                  guint                 n_ids,
                                                  const char           *tag,
                                                  gboolean              add,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean       ps_order_store_set_tag_finish     (PsOrderStore         *store,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
