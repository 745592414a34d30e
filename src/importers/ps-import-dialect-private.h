/* ps-import-dialect-private.h: the column tables of the dialects
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ps-enums.h"
#include "ps-import-format.h"
#include "ps-import-mapping.h"

G_BEGIN_DECLS

/* Columns: the PsImportField values, then what only dialects have. */
enum
{
  COL_FINANCIAL_STATUS = PS_IMPORT_FIELD_LAST + 1,
  COL_FULFILLMENT_STATUS,
  COL_CANCELLED_AT,
  COL_SHIPPED_AT,
  COL_CUSTOMER_FIRST,
  COL_CUSTOMER_LAST,
  COL_CUSTOMER_ALT_NAME,
  COL_SHIP_FIRST,
  COL_SHIP_LAST,
  COL_SHIP_LINE3,
  COL_SHIP_STATE_NAME,
  COL_SHIP_PHONE,
  COL_BILL_NAME,
  COL_BILL_FIRST,
  COL_BILL_LAST,
  COL_BILL_COMPANY,
  COL_BILL_LINE1,
  COL_BILL_LINE2,
  COL_BILL_CITY,
  COL_BILL_STATE,
  COL_BILL_POSTCODE,
  COL_BILL_COUNTRY,
  COL_REQUIRES_SHIPPING,
  COL_ITEM_TAX,
  COL_SHIPPING_TAX,
  COL_ITEM_DISCOUNT,
  COL_SHIPPING_DISCOUNT,
  COL_ORDER_ITEM_ID,
  COL_ALT_ORDER_NUMBER,
  COL_FULFILLMENT,
  COL_ITEM_NUMBER,
  COL_PACKED_ITEMS,
  N_COLS
};

typedef struct
{
  const char *name;   /* normalized header name */
  int         col;
} PsImportColumnName;

typedef struct
{
  PsImportFormat            format;
  PsChannelKind             kind;
  const char               *channel_name;
  const PsImportColumnName *columns;
  guint                     n_columns;
} PsImportDialect;

const PsImportDialect *_ps_import_dialect_find     (PsImportFormat  format);
gboolean               _ps_import_col_is_item      (int             col);
gboolean               _ps_import_col_is_amount    (int             col);
char                  *_ps_import_fold_word        (const char     *text);
gboolean               _ps_import_status_from_text (const char     *text,
                                                    PsOrderStatus  *status);

G_END_DECLS
