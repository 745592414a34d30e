/* ps-order-export-private.h: the rows an export reads (worker side)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The reader is the one piece of services/ that runs SQL. It is written
 * against store/'s worker API only (ps-database-private.h) so that it can
 * move into store/ unchanged; see ps-order-export-rows.c.
 */

#pragma once

#include "ps-database.h"

G_BEGIN_DECLS

/* The most ids one ps_order_export_read_rows_sync() call takes. */
#define PS_ORDER_EXPORT_BATCH 500

typedef struct
{
  char *sku;
  char *name;
  int   quantity;
} PsExportLine;

/**
 * PsExportRow:
 *
 * One order as the export writes it. Strings are owned by the row and may
 * be %NULL; times are UTC Unix seconds, 0 when the thing has not happened.
 * The carrier, service, tracking status and times describe the order's
 * most recent shipment that is not voided; @tracking_numbers lists every
 * such shipment's number, oldest first.
 */
typedef struct
{
  gint64      id;
  char       *order_number;
  char       *channel_name;
  char       *status;            /* a PsOrderStatus nick */
  gint64      created_at;
  char       *customer_name, *customer_email, *customer_phone;
  char       *ship_name, *ship_company, *ship_line1, *ship_line2;
  char       *ship_city, *ship_state, *ship_postcode, *ship_country;
  gboolean    address_issue;
  char       *address_message;
  int         item_count;
  int         weight_grams;
  char        currency[4];
  gint64      subtotal_minor, shipping_minor, tax_minor, total_minor;
  char       *carrier, *service;
  char       *tracking_status;   /* a PsTrackingStatus nick, NULL without a shipment */
  gint64      label_created_at, delivered_at;
  GArray     *lines;             /* PsExportLine, by position */
  GPtrArray  *tags;              /* char *, sorted case-insensitively */
  GPtrArray  *tracking_numbers;  /* char * */
} PsExportRow;

void        ps_export_row_free              (PsExportRow   *row);
GPtrArray  *ps_order_export_read_rows_sync  (PsDatabase    *database,
                                             const gint64  *ids,
                                             guint          n_ids,
                                             GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsExportRow, ps_export_row_free)

G_END_DECLS
