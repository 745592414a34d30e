/* ps-order-writer.h: bulk writes of orders and their history (worker side)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

/* All strings are borrowed for the duration of the call; times are UTC
 * Unix seconds with 0 meaning "not happened". */

typedef struct
{
  const char *sku;
  const char *name;
  const char *variant;
  int         quantity;
  gint64      unit_price_minor;
  int         weight_grams;      /* per unit */
} PsLineFields;

typedef struct
{
  const char    *channel_name;
  PsChannelKind  channel_kind;
  const char    *order_number;
  const char    *customer_name;
  const char    *customer_email;
  const char    *customer_phone;
  const char    *ship_name;
  const char    *ship_company;
  const char    *ship_line1;
  const char    *ship_line2;
  const char    *ship_city;
  const char    *ship_state;
  const char    *ship_postcode;
  const char    *ship_country;
  gboolean       address_issue;
  const char    *address_message;
  PsOrderStatus  status;
  int            priority;
  const char    *currency;
  gint64         subtotal_minor;
  gint64         shipping_minor;
  gint64         tax_minor;
  gint64         total_minor;
  gint64         created_at;
  gint64         paid_at;
  gint64         imported_at;
  const char    *source_hash;
} PsOrderFields;

typedef struct
{
  gint64             order_id;
  const char        *carrier;
  const char        *service;
  const char        *tracking_number;
  PsTrackingStatus   tracking_status;
  PsExceptionReason  exception_reason;
  const char        *currency;
  gint64             rate_minor;
  int                weight_grams;
  int                length_mm;
  int                width_mm;
  int                height_mm;
  gint64             label_created_at;
  gint64             first_scan_at;
  gint64             estimated_delivery_at;
  gint64             delivered_at;
  gint64             voided_at;
  gint64             next_track_at;
} PsShipmentFields;

/**
 * PsTrackingFields:
 * @carrier: (nullable): the carrier id detected from the number
 *   ("ups", "usps", ...); %NULL stores "unknown"
 * @tracking_number: the normalized tracking number
 *
 * A tracking number found in an export: the order was fulfilled outside
 * Postsale and the number becomes a shipment.
 */
typedef struct
{
  const char *carrier;
  const char *tracking_number;
} PsTrackingFields;

/**
 * PsUpsertResult:
 * @PS_UPSERT_ERROR: the write failed; the error says why
 * @PS_UPSERT_CREATED: a new order was inserted
 * @PS_UPSERT_UPDATED: an existing order's channel fields, line items or
 *   tracking numbers changed; an `order.updated` event lists what
 * @PS_UPSERT_UNCHANGED: the order was already there as the file has it
 *
 * What ps_order_writer_import_order() did.
 */
typedef enum
{
  PS_UPSERT_ERROR,
  PS_UPSERT_CREATED,
  PS_UPSERT_UPDATED,
  PS_UPSERT_UNCHANGED,
} PsUpsertResult;

typedef struct _PsOrderWriter PsOrderWriter;

PsOrderWriter *ps_order_writer_new                (PsDatabase              *db);
void           ps_order_writer_free               (PsOrderWriter           *self);
void           ps_order_writer_set_now            (PsOrderWriter           *self,
                                                   gint64                   now);
gint64         ps_order_writer_add_order          (PsOrderWriter           *self,
                                                   const PsOrderFields     *order,
                                                   const PsLineFields      *lines,
                                                   guint                    n_lines,
                                                   gint64                  *first_line_id,
                                                   GError                 **error);
gint64         ps_order_writer_add_shipment       (PsOrderWriter           *self,
                                                   const PsShipmentFields  *shipment,
                                                   GError                 **error);
PsUpsertResult ps_order_writer_import_order       (PsOrderWriter           *self,
                                                   const PsOrderFields     *order,
                                                   const PsLineFields      *lines,
                                                   guint                    n_lines,
                                                   const PsTrackingFields  *tracking,
                                                   guint                    n_tracking,
                                                   gint64                  *order_id,
                                                   guint                   *n_shipments_created,
                                                   GError                 **error);
gboolean       ps_order_writer_flush              (PsOrderWriter           *self,
                                                   GError                 **error);
gint64         ps_order_writer_add_imported_shipment (PsOrderWriter        *self,
                                                   gint64                   order_id,
                                                   const char              *carrier,
                                                   const char              *tracking_number,
                                                   gint64                   label_created_at,
                                                   gboolean                *created,
                                                   GError                 **error);
gboolean       ps_order_writer_add_tracking_event (PsOrderWriter           *self,
                                                   gint64                   shipment_id,
                                                   gint64                   occurred_at,
                                                   PsTrackingStatus         status,
                                                   PsExceptionReason        reason,
                                                   const char              *description,
                                                   const char              *location,
                                                   GError                 **error);
gint64         ps_order_writer_add_event          (PsOrderWriter           *self,
                                                   PsEventType              type,
                                                   gint64                   occurred_at,
                                                   gint64                   order_id,
                                                   gint64                   shipment_id,
                                                   gint64                   return_id,
                                                   const char              *actor,
                                                   const char              *data_json,
                                                   GError                 **error);
gint64         ps_order_writer_add_return         (PsOrderWriter           *self,
                                                   gint64                   order_id,
                                                   PsReturnReason           reason,
                                                   PsReturnStatus           status,
                                                   gint64                   requested_at,
                                                   gint64                   received_at,
                                                   gint64                   refunded_at,
                                                   GError                 **error);
gboolean       ps_order_writer_add_return_item    (PsOrderWriter           *self,
                                                   gint64                   return_id,
                                                   gint64                   line_item_id,
                                                   int                      quantity,
                                                   GError                 **error);
gboolean       ps_order_writer_add_tag            (PsOrderWriter           *self,
                                                   gint64                   order_id,
                                                   const char              *tag,
                                                   GError                 **error);
gboolean       ps_order_writer_add_note           (PsOrderWriter           *self,
                                                   gint64                   order_id,
                                                   gint64                   created_at,
                                                   const char              *author,
                                                   const char              *body,
                                                   GError                 **error);
gboolean       ps_order_writer_purge              (PsOrderWriter           *self,
                                                   GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOrderWriter, ps_order_writer_free)

G_END_DECLS
