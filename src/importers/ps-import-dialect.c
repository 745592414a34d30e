/* ps-import-dialect.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The vocabulary of each dialect: which header names (normalized, see
 * ps_import_header_normalize()) feed which column of a record, and what
 * the channels' status words mean. Reference: formats-and-carriers.md §1.
 */

#define G_LOG_DOMAIN "ps-import-dialect"

#include "config.h"

#include <string.h>

#include "ps-import-dialect-private.h"

#define F(x) PS_IMPORT_FIELD_##x

/* Within a table, an earlier name wins over a later one for the same
 * column ("Shipping Address1" over "Shipping Street"). */

static const PsImportColumnName shopify_columns[] = {
  { "name", F (ORDER_NUMBER) },
  { "email", F (CUSTOMER_EMAIL) },
  { "financialstatus", COL_FINANCIAL_STATUS },
  { "paidat", F (PAID_AT) },
  { "fulfillmentstatus", COL_FULFILLMENT_STATUS },
  { "fulfilledat", COL_SHIPPED_AT },
  { "currency", F (CURRENCY) },
  { "subtotal", F (SUBTOTAL) },
  { "shipping", F (SHIPPING) },
  { "taxes", F (TAX) },
  { "total", F (TOTAL) },
  { "createdat", F (CREATED_AT) },
  { "cancelledat", COL_CANCELLED_AT },
  { "lineitemquantity", F (QUANTITY) },
  { "lineitemname", F (ITEM_NAME) },
  { "lineitemprice", F (UNIT_PRICE) },
  { "lineitemsku", F (SKU) },
  { "lineitemrequiresshipping", COL_REQUIRES_SHIPPING },
  { "lineitemgrams", F (WEIGHT) },
  { "lineitemweight", F (WEIGHT) },
  { "billingname", COL_BILL_NAME },
  { "billingcompany", COL_BILL_COMPANY },
  { "billingaddress1", COL_BILL_LINE1 },
  { "billingstreet", COL_BILL_LINE1 },
  { "billingaddress2", COL_BILL_LINE2 },
  { "billingcity", COL_BILL_CITY },
  { "billingzip", COL_BILL_POSTCODE },
  { "billingprovince", COL_BILL_STATE },
  { "billingcountry", COL_BILL_COUNTRY },
  { "shippingname", F (SHIP_NAME) },
  { "shippingcompany", F (SHIP_COMPANY) },
  { "shippingaddress1", F (SHIP_LINE1) },
  { "shippingstreet", F (SHIP_LINE1) },
  { "shippingaddress2", F (SHIP_LINE2) },
  { "shippingcity", F (SHIP_CITY) },
  { "shippingzip", F (SHIP_POSTCODE) },
  { "shippingprovince", F (SHIP_STATE) },
  { "shippingprovincename", COL_SHIP_STATE_NAME },
  { "shippingcountry", F (SHIP_COUNTRY) },
  { "shippingphone", COL_SHIP_PHONE },
  { "phone", F (CUSTOMER_PHONE) },
  { "billingphone", F (CUSTOMER_PHONE) },
  { "trackingnumber", F (TRACKING_NUMBER) },
  { "trackingnumbers", F (TRACKING_NUMBER) },
  { "trackingcode", F (TRACKING_NUMBER) },
  { "fulfillment", COL_FULFILLMENT },
  { "fulfillments", COL_FULFILLMENT },
};

/* Both plugins: algolplus labels and SkyVerge keys. */
static const PsImportColumnName woo_columns[] = {
  { "ordernumber", F (ORDER_NUMBER) },
  { "orderid", COL_ALT_ORDER_NUMBER },
  { "orderstatus", F (STATUS) },
  { "status", F (STATUS) },
  { "orderdate", F (CREATED_AT) },
  { "paiddate", F (PAID_AT) },
  { "datepaid", F (PAID_AT) },
  { "completeddate", COL_SHIPPED_AT },
  { "emailbilling", F (CUSTOMER_EMAIL) },
  { "billingemail", F (CUSTOMER_EMAIL) },
  { "phonebilling", F (CUSTOMER_PHONE) },
  { "billingphone", F (CUSTOMER_PHONE) },
  { "firstnamebilling", COL_BILL_FIRST },
  { "billingfirstname", COL_BILL_FIRST },
  { "lastnamebilling", COL_BILL_LAST },
  { "billinglastname", COL_BILL_LAST },
  { "companybilling", COL_BILL_COMPANY },
  { "billingcompany", COL_BILL_COMPANY },
  { "address12billing", COL_BILL_LINE1 },
  { "address1billing", COL_BILL_LINE1 },
  { "billingaddress1", COL_BILL_LINE1 },
  { "address2billing", COL_BILL_LINE2 },
  { "billingaddress2", COL_BILL_LINE2 },
  { "citybilling", COL_BILL_CITY },
  { "billingcity", COL_BILL_CITY },
  { "statecodebilling", COL_BILL_STATE },
  { "billingstate", COL_BILL_STATE },
  { "postcodebilling", COL_BILL_POSTCODE },
  { "billingpostcode", COL_BILL_POSTCODE },
  { "countrycodebilling", COL_BILL_COUNTRY },
  { "billingcountry", COL_BILL_COUNTRY },
  { "firstnameshipping", COL_SHIP_FIRST },
  { "shippingfirstname", COL_SHIP_FIRST },
  { "lastnameshipping", COL_SHIP_LAST },
  { "shippinglastname", COL_SHIP_LAST },
  { "companyshipping", F (SHIP_COMPANY) },
  { "shippingcompany", F (SHIP_COMPANY) },
  { "address12shipping", F (SHIP_LINE1) },
  { "address1shipping", F (SHIP_LINE1) },
  { "shippingaddress1", F (SHIP_LINE1) },
  { "address2shipping", F (SHIP_LINE2) },
  { "shippingaddress2", F (SHIP_LINE2) },
  { "cityshipping", F (SHIP_CITY) },
  { "shippingcity", F (SHIP_CITY) },
  { "statecodeshipping", F (SHIP_STATE) },
  { "shippingstate", F (SHIP_STATE) },
  { "statenameshipping", COL_SHIP_STATE_NAME },
  { "postcodeshipping", F (SHIP_POSTCODE) },
  { "shippingpostcode", F (SHIP_POSTCODE) },
  { "countrycodeshipping", F (SHIP_COUNTRY) },
  { "shippingcountry", F (SHIP_COUNTRY) },
  { "phoneshipping", COL_SHIP_PHONE },
  { "shippingphone", COL_SHIP_PHONE },
  { "ordercurrency", F (CURRENCY) },
  { "currency", F (CURRENCY) },
  { "ordersubtotalamount", F (SUBTOTAL) },
  { "ordersubtotal", F (SUBTOTAL) },
  { "ordershippingamount", F (SHIPPING) },
  { "shippingtotal", F (SHIPPING) },
  { "ordertotaltaxamount", F (TAX) },
  { "taxtotal", F (TAX) },
  { "ordertotalamount", F (TOTAL) },
  { "ordertotal", F (TOTAL) },
  { "sku", F (SKU) },
  { "itemsku", F (SKU) },
  { "itemname", F (ITEM_NAME) },
  { "productname", F (ITEM_NAME) },
  { "quantity", F (QUANTITY) },
  { "itemquantity", F (QUANTITY) },
  { "qty", F (QUANTITY) },
  { "itemcost", F (UNIT_PRICE) },
  { "itemprice", F (UNIT_PRICE) },
  { "itemtotal", F (LINE_TOTAL) },
  { "itemweight", F (WEIGHT) },
  { "weight", F (WEIGHT) },
  { "itemvariation", F (VARIANT) },
  { "itemmeta", F (VARIANT) },
  { "trackingnumber", F (TRACKING_NUMBER) },
  { "trackingnumbers", F (TRACKING_NUMBER) },
  { "lineitems", COL_PACKED_ITEMS },
};

static const PsImportColumnName etsy_orders_columns[] = {
  { "orderid", F (ORDER_NUMBER) },
  { "saledate", F (CREATED_AT) },
  { "datepaid", F (PAID_AT) },
  { "dateshipped", COL_SHIPPED_AT },
  { "fullname", F (SHIP_NAME) },
  { "firstname", COL_SHIP_FIRST },
  { "lastname", COL_SHIP_LAST },
  { "buyer", COL_CUSTOMER_ALT_NAME },
  { "street1", F (SHIP_LINE1) },
  { "street2", F (SHIP_LINE2) },
  { "shipcity", F (SHIP_CITY) },
  { "shipstate", F (SHIP_STATE) },
  { "shipzipcode", F (SHIP_POSTCODE) },
  { "shipcountry", F (SHIP_COUNTRY) },
  { "currency", F (CURRENCY) },
  { "ordervalue", F (SUBTOTAL) },
  { "shipping", F (SHIPPING) },
  { "salestax", F (TAX) },
  { "ordertotal", F (TOTAL) },
  { "status", F (STATUS) },
};

static const PsImportColumnName etsy_items_columns[] = {
  { "orderid", F (ORDER_NUMBER) },
  { "saledate", F (CREATED_AT) },
  { "datepaid", F (PAID_AT) },
  { "dateshipped", COL_SHIPPED_AT },
  { "buyer", COL_CUSTOMER_ALT_NAME },
  { "shipname", F (SHIP_NAME) },
  { "shipaddress1", F (SHIP_LINE1) },
  { "shipaddress2", F (SHIP_LINE2) },
  { "shipcity", F (SHIP_CITY) },
  { "shipstate", F (SHIP_STATE) },
  { "shipzipcode", F (SHIP_POSTCODE) },
  { "shipcountry", F (SHIP_COUNTRY) },
  { "currency", F (CURRENCY) },
  { "ordershipping", F (SHIPPING) },
  { "ordersalestax", F (TAX) },
  { "itemname", F (ITEM_NAME) },
  { "quantity", F (QUANTITY) },
  { "price", F (UNIT_PRICE) },
  { "itemtotal", F (LINE_TOTAL) },
  { "sku", F (SKU) },
  { "variations", F (VARIANT) },
};

static const PsImportColumnName amazon_columns[] = {
  { "orderid", F (ORDER_NUMBER) },
  { "amazonorderid", F (ORDER_NUMBER) },
  { "orderitemid", COL_ORDER_ITEM_ID },
  { "purchasedate", F (CREATED_AT) },
  { "paymentsdate", F (PAID_AT) },
  { "orderstatus", F (STATUS) },
  { "buyeremail", F (CUSTOMER_EMAIL) },
  { "buyername", F (CUSTOMER_NAME) },
  { "buyerphonenumber", F (CUSTOMER_PHONE) },
  { "sku", F (SKU) },
  { "productname", F (ITEM_NAME) },
  { "quantitypurchased", F (QUANTITY) },
  { "quantity", F (QUANTITY) },
  { "currency", F (CURRENCY) },
  { "itemprice", F (LINE_TOTAL) },
  { "itemtax", COL_ITEM_TAX },
  { "shippingprice", F (SHIPPING) },
  { "shippingtax", COL_SHIPPING_TAX },
  { "itempromotiondiscount", COL_ITEM_DISCOUNT },
  { "shippromotiondiscount", COL_SHIPPING_DISCOUNT },
  { "recipientname", F (SHIP_NAME) },
  { "shipaddress1", F (SHIP_LINE1) },
  { "shipaddress2", F (SHIP_LINE2) },
  { "shipaddress3", COL_SHIP_LINE3 },
  { "shipcity", F (SHIP_CITY) },
  { "shipstate", F (SHIP_STATE) },
  { "shippostalcode", F (SHIP_POSTCODE) },
  { "shipcountry", F (SHIP_COUNTRY) },
  { "shipphonenumber", COL_SHIP_PHONE },
  { "trackingnumber", F (TRACKING_NUMBER) },
};

/* US "Ship To …" and UK "Post To …". */
static const PsImportColumnName ebay_columns[] = {
  { "ordernumber", F (ORDER_NUMBER) },
  { "salesrecordnumber", COL_ALT_ORDER_NUMBER },
  { "buyername", F (CUSTOMER_NAME) },
  { "buyerusername", COL_CUSTOMER_ALT_NAME },
  { "buyeremail", F (CUSTOMER_EMAIL) },
  { "buyeraddress1", COL_BILL_LINE1 },
  { "buyeraddress2", COL_BILL_LINE2 },
  { "buyercity", COL_BILL_CITY },
  { "buyerstate", COL_BILL_STATE },
  { "buyercounty", COL_BILL_STATE },
  { "buyerzip", COL_BILL_POSTCODE },
  { "buyerpostcode", COL_BILL_POSTCODE },
  { "buyercountry", COL_BILL_COUNTRY },
  { "shiptoname", F (SHIP_NAME) },
  { "posttoname", F (SHIP_NAME) },
  { "shiptophone", COL_SHIP_PHONE },
  { "posttophone", COL_SHIP_PHONE },
  { "shiptoaddress1", F (SHIP_LINE1) },
  { "posttoaddress1", F (SHIP_LINE1) },
  { "shiptoaddress2", F (SHIP_LINE2) },
  { "posttoaddress2", F (SHIP_LINE2) },
  { "shiptocity", F (SHIP_CITY) },
  { "posttocity", F (SHIP_CITY) },
  { "shiptostate", F (SHIP_STATE) },
  { "posttocounty", F (SHIP_STATE) },
  { "shiptozip", F (SHIP_POSTCODE) },
  { "posttopostcode", F (SHIP_POSTCODE) },
  { "shiptocountry", F (SHIP_COUNTRY) },
  { "posttocountry", F (SHIP_COUNTRY) },
  { "itemnumber", COL_ITEM_NUMBER },
  { "itemtitle", F (ITEM_NAME) },
  { "customlabel", F (SKU) },
  { "variationdetails", F (VARIANT) },
  { "quantity", F (QUANTITY) },
  { "soldfor", F (UNIT_PRICE) },
  { "shippingandhandling", F (SHIPPING) },
  { "postageandpackaging", F (SHIPPING) },
  { "sellercollectedtax", F (TAX) },
  { "ebaycollectedtax", COL_ITEM_TAX },
  { "totalprice", F (TOTAL) },
  { "saledate", F (CREATED_AT) },
  { "paidondate", F (PAID_AT) },
  { "shippedondate", COL_SHIPPED_AT },
  { "dispatchedondate", COL_SHIPPED_AT },
  { "trackingnumber", F (TRACKING_NUMBER) },
};

#undef F

static const PsImportDialect dialects[] = {
  { PS_IMPORT_FORMAT_SHOPIFY, PS_CHANNEL_KIND_SHOPIFY, "Shopify",
    shopify_columns, G_N_ELEMENTS (shopify_columns) },
  { PS_IMPORT_FORMAT_WOOCOMMERCE, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce",
    woo_columns, G_N_ELEMENTS (woo_columns) },
  { PS_IMPORT_FORMAT_ETSY_ORDERS, PS_CHANNEL_KIND_ETSY, "Etsy",
    etsy_orders_columns, G_N_ELEMENTS (etsy_orders_columns) },
  { PS_IMPORT_FORMAT_ETSY_ITEMS, PS_CHANNEL_KIND_ETSY, "Etsy",
    etsy_items_columns, G_N_ELEMENTS (etsy_items_columns) },
  { PS_IMPORT_FORMAT_AMAZON, PS_CHANNEL_KIND_AMAZON, "Amazon",
    amazon_columns, G_N_ELEMENTS (amazon_columns) },
  { PS_IMPORT_FORMAT_EBAY, PS_CHANNEL_KIND_EBAY, "eBay",
    ebay_columns, G_N_ELEMENTS (ebay_columns) },
};

/* Columns that describe one item, not the order. */
static const int item_cols[] = {
  PS_IMPORT_FIELD_SKU, PS_IMPORT_FIELD_ITEM_NAME, PS_IMPORT_FIELD_VARIANT,
  PS_IMPORT_FIELD_QUANTITY, PS_IMPORT_FIELD_UNIT_PRICE, PS_IMPORT_FIELD_LINE_TOTAL,
  PS_IMPORT_FIELD_WEIGHT, PS_IMPORT_FIELD_TRACKING_NUMBER, COL_REQUIRES_SHIPPING,
  COL_ORDER_ITEM_ID, COL_ITEM_NUMBER, COL_PACKED_ITEMS, COL_FULFILLMENT,
  COL_ITEM_DISCOUNT, COL_SHIPPING_DISCOUNT, COL_SHIPPING_TAX,
};

/* Amounts per order, except where an order's rows each carry their part. */
static const int amount_cols[] = {
  PS_IMPORT_FIELD_SUBTOTAL, PS_IMPORT_FIELD_SHIPPING, PS_IMPORT_FIELD_TAX,
  PS_IMPORT_FIELD_TOTAL, COL_ITEM_TAX,
};

/**
 * _ps_import_dialect_find:
 * @format: a dialect
 *
 * Returns: (nullable): the column table of @format; %NULL for
 *   %PS_IMPORT_FORMAT_AUTO and %PS_IMPORT_FORMAT_GENERIC
 */
const PsImportDialect *
_ps_import_dialect_find (PsImportFormat format)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      if (dialects[i].format == format)
        return &dialects[i];
    }

  return NULL;
}

/**
 * _ps_import_col_is_item:
 * @col: a column
 *
 * Returns: whether @col describes one item rather than the order
 */
gboolean
_ps_import_col_is_item (int col)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (item_cols); i++)
    {
      if (item_cols[i] == col)
        return TRUE;
    }

  return FALSE;
}

/**
 * _ps_import_col_is_amount:
 * @col: a column
 *
 * Returns: whether @col is an order-level amount
 */
gboolean
_ps_import_col_is_amount (int col)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (amount_cols); i++)
    {
      if (amount_cols[i] == col)
        return TRUE;
    }

  return FALSE;
}

/* Folds a status word: "wc-on-hold" and "On hold" give "onhold". */
char *
_ps_import_fold_word (const char *text)
{
  GString *out = g_string_sized_new (16);
  const char *p;

  for (p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }
  if (g_str_has_prefix (out->str, "wc") && out->len > 2)
    g_string_erase (out, 0, 2);

  return g_string_free (out, FALSE);
}

/* Reads a status word of any channel ("wc-processing", "Completed",
 * "on-hold", "Canceled"); FALSE if it is not one. */
gboolean
_ps_import_status_from_text (const char    *text,
                             PsOrderStatus *status)
{
  static const struct
  {
    const char    *word;
    PsOrderStatus  status;
  } statuses[] = {
    { "pending", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "pendingpayment", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "unpaid", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "notpaid", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "awaitingpayment", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "failed", PS_ORDER_STATUS_AWAITING_PAYMENT },
    { "processing", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "paid", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "authorized", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "partiallypaid", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "awaitingshipment", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "unshipped", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "partiallyshipped", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "unfulfilled", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "partial", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "open", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "new", PS_ORDER_STATUS_AWAITING_SHIPMENT },
    { "onhold", PS_ORDER_STATUS_ON_HOLD },
    { "hold", PS_ORDER_STATUS_ON_HOLD },
    { "completed", PS_ORDER_STATUS_SHIPPED },
    { "complete", PS_ORDER_STATUS_SHIPPED },
    { "shipped", PS_ORDER_STATUS_SHIPPED },
    { "fulfilled", PS_ORDER_STATUS_SHIPPED },
    { "dispatched", PS_ORDER_STATUS_SHIPPED },
    { "sent", PS_ORDER_STATUS_SHIPPED },
    { "delivered", PS_ORDER_STATUS_DELIVERED },
    { "cancelled", PS_ORDER_STATUS_CANCELLED },
    { "canceled", PS_ORDER_STATUS_CANCELLED },
    { "refunded", PS_ORDER_STATUS_CANCELLED },
    { "voided", PS_ORDER_STATUS_CANCELLED },
    { "void", PS_ORDER_STATUS_CANCELLED },
    { "trash", PS_ORDER_STATUS_CANCELLED },
  };
  g_autofree char *word = NULL;
  guint i;

  if (text == NULL)
    return FALSE;

  word = _ps_import_fold_word (text);
  for (i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      if (g_str_equal (word, statuses[i].word))
        {
          *status = statuses[i].status;
          return TRUE;
        }
    }

  if (strstr (word, "cancel") != NULL || strstr (word, "refund") != NULL)
    {
      *status = PS_ORDER_STATUS_CANCELLED;
      return TRUE;
    }

  return FALSE;
}
