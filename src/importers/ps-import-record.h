/* ps-import-record.h: one order as read from an export file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The contract between importers/ (which reads files) and the import
 * service (which writes the store). A record is a normalized order: every
 * dialect's quirks (multi-row orders, Amazon line totals, "$1,110.03",
 * country names, date formats) are already resolved. Strings are UTF-8 and
 * owned by the record; money is minor units of @currency; times are UTC
 * Unix seconds with 0 meaning "not in the file".
 */

#pragma once

#include <glib.h>

#include "ps-enums.h"

G_BEGIN_DECLS

typedef struct
{
  char   *sku;
  char   *name;
  char   *variant;
  int     quantity;            /* > 0 */
  gint64  unit_price_minor;    /* per unit, even where the file gives a line total */
  int     weight_grams;        /* per unit, 0 if unknown */
} PsImportLine;

/**
 * PsImportRecord:
 * @line: the physical line (1-based) of the record's first row in its file
 * @channel_kind: the sales channel the dialect belongs to
 * @channel_name: the channel's display name ("Shopify", or what a generic
 *   mapping names it)
 * @order_number: the channel's order number; with the channel, the key
 *   that makes a re-import update instead of duplicate
 * @status: the status the file implies (awaiting_payment,
 *   awaiting_shipment, shipped, delivered, cancelled); only used for new
 *   orders, never to overwrite what the merchant set
 * @address_issue: offline validation failed (postal code pattern or a
 *   required field for the country); @address_message says what
 * @lines: (element-type PsImportLine): the order's items, in file order
 * @tracking_numbers: (element-type utf8): tracking numbers in the file
 *   (fulfilled orders), each becoming a shipment
 * @warnings: (element-type utf8): things worth telling the merchant that
 *   did not stop the import ("unknown country “Atlantis”")
 */
typedef struct
{
  guint          line;
  PsChannelKind  channel_kind;
  char          *channel_name;
  char          *order_number;
  char          *customer_name;
  char          *customer_email;
  char          *customer_phone;
  char          *ship_name;
  char          *ship_company;
  char          *ship_line1;
  char          *ship_line2;
  char          *ship_city;
  char          *ship_state;      /* US/CA/AU codes where known ("OR"), else as given */
  char          *ship_postcode;
  char          *ship_country;    /* ISO 3166-1 alpha-2 */
  gboolean       address_issue;
  char          *address_message;
  PsOrderStatus  status;
  char           currency[4];
  gint64         subtotal_minor;
  gint64         shipping_minor;
  gint64         tax_minor;
  gint64         total_minor;
  gint64         created_at;
  gint64         paid_at;
  GArray        *lines;
  GPtrArray     *tracking_numbers;
  GPtrArray     *warnings;
} PsImportRecord;

/**
 * PsImportProblem:
 * @line: the physical line (1-based) of the rejected row
 * @message: why, in English, naming the column ("Lineitem quantity “two” is
 *   not a number")
 *
 * A row that could not become (part of) an order. The rest of the file
 * still imports.
 */
typedef struct
{
  guint  line;
  char  *message;
} PsImportProblem;

PsImportRecord *ps_import_record_new         (void);
void            ps_import_record_free        (PsImportRecord *record);
char           *ps_import_record_dup_hash    (const PsImportRecord *record);
void            ps_import_problem_clear      (PsImportProblem *problem);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportRecord, ps_import_record_free)

G_END_DECLS
