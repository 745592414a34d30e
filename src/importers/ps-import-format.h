/* ps-import-format.h: order CSV dialects and header-row detection
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * PsImportFormat:
 * @PS_IMPORT_FORMAT_AUTO: not a dialect: "detect it". Also what
 *   ps_import_format_detect() returns for a row that is not a header.
 * @PS_IMPORT_FORMAT_SHOPIFY: Shopify Admin `orders_export.csv`, one row per
 *   line item
 * @PS_IMPORT_FORMAT_WOOCOMMERCE: WooCommerce export plugins: "Advanced Order
 *   Export For WooCommerce" labels and SkyVerge "Customer/Order CSV Export"
 *   keys
 * @PS_IMPORT_FORMAT_ETSY_ORDERS: Etsy `EtsySoldOrders<YYYY>-<M>.csv`, one row
 *   per order
 * @PS_IMPORT_FORMAT_ETSY_ITEMS: Etsy `EtsySoldOrderItems<YYYY>-<M>.csv`, one
 *   row per transaction
 * @PS_IMPORT_FORMAT_AMAZON: Amazon Seller Central order reports
 *   (tab-delimited; Unshipped Orders and New/All Orders)
 * @PS_IMPORT_FORMAT_EBAY: eBay Seller Hub "Orders report"
 * @PS_IMPORT_FORMAT_GENERIC: a plausible header of no known dialect; columns
 *   are mapped by name
 *
 * The nicks (ps_import_format_to_nick()) are what `postsale-cli import
 * --format` accepts and what import logs store: never rename one.
 */
typedef enum
{
  PS_IMPORT_FORMAT_AUTO,
  PS_IMPORT_FORMAT_SHOPIFY,
  PS_IMPORT_FORMAT_WOOCOMMERCE,
  PS_IMPORT_FORMAT_ETSY_ORDERS,
  PS_IMPORT_FORMAT_ETSY_ITEMS,
  PS_IMPORT_FORMAT_AMAZON,
  PS_IMPORT_FORMAT_EBAY,
  PS_IMPORT_FORMAT_GENERIC,
} PsImportFormat;

#define PS_IMPORT_FORMAT_LAST PS_IMPORT_FORMAT_GENERIC

const char     *ps_import_format_to_nick   (PsImportFormat      format);
gboolean        ps_import_format_from_nick (const char         *nick,
                                            PsImportFormat     *format);
char           *ps_import_header_normalize (const char         *name);
PsImportFormat  ps_import_format_detect    (const char * const *columns,
                                            guint               n_columns);

G_END_DECLS
