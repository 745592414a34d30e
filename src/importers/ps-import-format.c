/* ps-import-format.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dialects are recognised from the header row alone. Each dialect has one
 * or more signatures: lists of normalized column names that are typical of
 * it and, as far as possible, of nothing else (reference:
 * formats-and-carriers.md §1). The score of a signature is the number of its
 * columns present; the best signature wins if it reaches its minimum. Column
 * order, case, spacing and punctuation never matter, and columns may be
 * missing or added, because every channel's export changes over the years.
 */

#define G_LOG_DOMAIN "ps-import-format"

#include "config.h"

#include <string.h>

#include "ps-import-format.h"

typedef struct
{
  PsImportFormat     format;
  guint              min_score;
  const char * const *columns;
} Signature;

/* Names below are already normalized (ps_import_header_normalize()).
 * Columns that several dialects share once normalized ("Order ID",
 * "Shipping City", "Buyer Name", "Transaction ID", …) are left out on
 * purpose: they cannot tell dialects apart. */

static const char * const shopify_columns[] = {
  "financialstatus", "fulfillmentstatus", "fulfilledat", "paidat",
  "acceptsmarketing", "lineitemquantity", "lineitemname", "lineitemprice",
  "lineitemcompareatprice", "lineitemsku", "lineitemrequiresshipping",
  "lineitemtaxable", "lineitemfulfillmentstatus", "lineitemdiscount",
  "billingzip", "billingprovince", "shippingzip", "shippingprovince",
  "shippingprovincename", "noteattributes", "risklevel",
  NULL
};

/* "Advanced Order Export For WooCommerce" (algolplus) default labels. */
static const char * const woo_aoe_columns[] = {
  "orderstatus", "orderdate", "firstnamebilling", "lastnamebilling",
  "companybilling", "address12billing", "citybilling", "statecodebilling",
  "postcodebilling", "countrycodebilling", "emailbilling", "phonebilling",
  "firstnameshipping", "lastnameshipping", "address12shipping",
  "cityshipping", "statecodeshipping", "postcodeshipping",
  "countrycodeshipping", "shippingmethodtitle", "paymentmethodtitle",
  "cartdiscountamount", "ordersubtotalamount", "ordershippingamount",
  "orderrefundamount", "ordertotalamount", "ordertotaltaxamount", "itemcost",
  NULL
};

/* SkyVerge "Customer/Order CSV Export" column keys. */
static const char * const woo_skyverge_columns[] = {
  "orderdate", "shippingtotal", "shippingtaxtotal", "taxtotal",
  "cartdiscount", "orderdiscount", "discounttotal", "refundedtotal",
  "ordercurrency", "customerid", "billingfirstname", "billinglastname",
  "billingpostcode", "billingstate", "shippingfirstname",
  "shippinglastname", "shippingpostcode", "shippingstate", "customernote",
  "ordernotes", "downloadpermissions", "couponitems", "orderitem1",
  NULL
};

static const char * const etsy_orders_columns[] = {
  "saledate", "shipzipcode", "buyeruserid", "fullname", "numberofitems",
  "street1", "street2", "ordervalue", "salestax", "cardprocessingfees",
  "ordernet", "adjustedordertotal", "adjustedcardprocessingfees",
  "adjustednetorderamount",
  NULL
};

static const char * const etsy_items_columns[] = {
  "saledate", "shipzipcode", "listingid", "datepaid", "shipname",
  "ordershipping", "ordersalestax", "itemtotal", "variations",
  "listingstype", "vatpaidbybuyer",
  NULL
};

/* Unshipped Orders and New/All Orders reports share most keys. */
static const char * const amazon_columns[] = {
  "orderitemid", "purchasedate", "paymentsdate", "reportingdate",
  "promisedate", "dayspastpromise", "buyerphonenumber", "productname",
  "quantitypurchased", "quantityshipped", "quantitytoship",
  "shipservicelevel", "recipientname", "shipaddress3", "shippostalcode",
  "shipphonenumber", "isbusinessorder", "purchaseordernumber",
  "pricedesignation", "itemprice", "itemtax", "shippingprice",
  "shippingtax", "itempromotiondiscount", "itempromotionid",
  "shippromotiondiscount", "shippromotionid", "deliverystartdate",
  "deliveryenddate", "deliverytimezone", "deliveryinstructions",
  "saleschannel",
  NULL
};

/* US "Ship To …" and UK "Post To …" variants. */
static const char * const ebay_columns[] = {
  "salesrecordnumber", "buyerusername", "buyernote", "buyeraddress1",
  "buyeraddress2", "buyercity", "buyerstate", "buyerzip", "buyercountry",
  "shiptoname", "shiptophone", "shiptoaddress1", "shiptoaddress2",
  "shiptocity", "shiptostate", "shiptozip", "shiptocountry", "posttoname",
  "posttophone", "posttoaddress1", "posttoaddress2", "posttocity",
  "posttocounty", "posttopostcode", "posttocountry", "itemnumber",
  "itemtitle", "customlabel", "soldviapromotedlistings", "soldfor",
  "shippingandhandling", "sellercollectedtax", "ebaycollectedtax",
  "paidondate", "shipbydate", "shippedondate", "feedbackleft",
  "feedbackreceived", "myitemnote", "paypaltransactionid",
  "globalshippingprogram", "clickandcollect", "ebayplus",
  NULL
};

static const Signature signatures[] = {
  { PS_IMPORT_FORMAT_SHOPIFY,     5, shopify_columns },
  { PS_IMPORT_FORMAT_WOOCOMMERCE, 5, woo_aoe_columns },
  { PS_IMPORT_FORMAT_WOOCOMMERCE, 5, woo_skyverge_columns },
  { PS_IMPORT_FORMAT_ETSY_ORDERS, 5, etsy_orders_columns },
  { PS_IMPORT_FORMAT_ETSY_ITEMS,  5, etsy_items_columns },
  { PS_IMPORT_FORMAT_AMAZON,      5, amazon_columns },
  { PS_IMPORT_FORMAT_EBAY,        5, ebay_columns },
};

static const char * const format_nicks[] = {
  [PS_IMPORT_FORMAT_AUTO] = "auto",
  [PS_IMPORT_FORMAT_SHOPIFY] = "shopify",
  [PS_IMPORT_FORMAT_WOOCOMMERCE] = "woocommerce",
  [PS_IMPORT_FORMAT_ETSY_ORDERS] = "etsy_orders",
  [PS_IMPORT_FORMAT_ETSY_ITEMS] = "etsy_items",
  [PS_IMPORT_FORMAT_AMAZON] = "amazon",
  [PS_IMPORT_FORMAT_EBAY] = "ebay",
  [PS_IMPORT_FORMAT_GENERIC] = "generic",
};

G_STATIC_ASSERT (G_N_ELEMENTS (format_nicks) == PS_IMPORT_FORMAT_LAST + 1);

/* Length of an HTML character reference ("&amp;", "&#38;") starting at @p,
 * or 0. Some WooCommerce exports write "Address 1&amp;2 (Shipping)". */
static gsize
entity_length (const char *p)
{
  gsize i;

  g_assert (*p == '&');

  for (i = 1; i <= 9; i++)
    {
      if (p[i] == ';')
        return i > 1 ? i + 1 : 0;
      if (!g_ascii_isalnum (p[i]) && p[i] != '#')
        return 0;
    }

  return 0;
}

/* The fallback for bytes that are not UTF-8 (a file whose encoding was
 * guessed wrong): keep the ASCII letters and digits only. */
static void
append_ascii_alnum (GString    *out,
                    const char *name)
{
  const char *p;

  for (p = name; *p != '\0'; p++)
    {
      if (*p == '&')
        {
          gsize len = entity_length (p);

          if (len > 0)
            {
              p += len - 1;
              continue;
            }
        }
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
    }
}

/* A cell of a data row rather than a column name: a number, a date, an
 * amount or a postcode normalizes to digits only; an email has an '@'. */
static gboolean
looks_like_value (const char *raw,
                  const char *normalized)
{
  const char *p;

  if (strchr (raw, '@') != NULL)
    return TRUE;

  for (p = normalized; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return TRUE;
}

/**
 * ps_import_format_to_nick:
 * @format: a #PsImportFormat
 *
 * Returns: (transfer none) (nullable): the stable nick of @format ("auto",
 *   "shopify", "woocommerce", "etsy_orders", "etsy_items", "amazon", "ebay",
 *   "generic"), or %NULL if @format is out of range.
 */
const char *
ps_import_format_to_nick (PsImportFormat format)
{
  if ((guint) format >= G_N_ELEMENTS (format_nicks))
    return NULL;

  return format_nicks[format];
}

/**
 * ps_import_format_from_nick:
 * @nick: (nullable): a nick as returned by ps_import_format_to_nick()
 * @format: (out): where to store the format
 *
 * Nicks are matched exactly (they are identifiers, not header text).
 *
 * Returns: %TRUE if @nick names a format; @format is untouched otherwise.
 */
gboolean
ps_import_format_from_nick (const char     *nick,
                            PsImportFormat *format)
{
  guint i;

  g_return_val_if_fail (format != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (format_nicks); i++)
    {
      if (g_str_equal (nick, format_nicks[i]))
        {
          *format = (PsImportFormat) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_import_header_normalize:
 * @name: a column name as it appears in a header row
 *
 * Folds a column name so that spellings of the same column compare equal:
 * the text is NFKC-normalized and lowercased, HTML character references
 * such as "&amp;" are dropped, and everything that is not a letter or a
 * digit (spaces, punctuation, a byte order mark) is removed. "Shipping
 * Province Name" gives "shippingprovincename", "order-id" gives "orderid",
 * "Lineitem compare-at price" gives "lineitemcompareatprice".
 *
 * If @name is not valid UTF-8, only its ASCII letters and digits are kept.
 *
 * Returns: (transfer full): the normalized name, possibly empty.
 */
char *
ps_import_header_normalize (const char *name)
{
  g_autofree char *folded = NULL;
  GString *out;
  const char *p;

  g_return_val_if_fail (name != NULL, NULL);

  out = g_string_sized_new (strlen (name));

  if (!g_utf8_validate (name, -1, NULL))
    {
      append_ascii_alnum (out, name);
      return g_string_free (out, FALSE);
    }

  folded = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);

  for (p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c;

      if (*p == '&')
        {
          gsize len = entity_length (p);

          if (len > 0)
            {
              /* The loop steps over the final ';'. */
              p += len - 1;
              continue;
            }
        }

      c = g_utf8_get_char (p);
      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}

/**
 * ps_import_format_detect:
 * @columns: (array length=n_columns): the cells of a header row; %NULL
 *   cells count as empty
 * @n_columns: the number of cells in @columns
 *
 * Recognises the dialect of an order export from its header row. Matching
 * ignores column order, case and punctuation (see
 * ps_import_header_normalize()) and tolerates missing or extra columns.
 *
 * A row that does not look like a header at all — fewer than two named
 * columns, more empty cells than named ones, or a cell that looks like a
 * value (only digits once normalized, or an email address) — gives
 * %PS_IMPORT_FORMAT_AUTO, so an importer can skip preamble lines such as
 * eBay's `sep=,` and try the next row. A row that is a header of no known
 * dialect, or one that fits two dialects equally well, gives
 * %PS_IMPORT_FORMAT_GENERIC.
 *
 * Returns: the detected dialect, %PS_IMPORT_FORMAT_GENERIC or
 *   %PS_IMPORT_FORMAT_AUTO; never another value.
 */
PsImportFormat
ps_import_format_detect (const char * const *columns,
                         guint               n_columns)
{
  g_autoptr(GHashTable) names = NULL;
  guint scores[PS_IMPORT_FORMAT_LAST + 1] = { 0 };
  PsImportFormat best = PS_IMPORT_FORMAT_AUTO;
  gboolean tie = FALSE;
  guint n_named = 0;
  gboolean has_value = FALSE;
  guint i;

  g_return_val_if_fail (columns != NULL || n_columns == 0, PS_IMPORT_FORMAT_AUTO);

  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (i = 0; i < n_columns; i++)
    {
      char *normalized;

      if (columns[i] == NULL)
        continue;

      normalized = ps_import_header_normalize (columns[i]);
      if (*normalized == '\0')
        {
          g_free (normalized);
          continue;
        }

      n_named++;
      if (looks_like_value (columns[i], normalized))
        has_value = TRUE;
      g_hash_table_add (names, normalized);
    }

  if (n_named < 2 || n_named * 2 < n_columns || has_value)
    return PS_IMPORT_FORMAT_AUTO;

  for (i = 0; i < G_N_ELEMENTS (signatures); i++)
    {
      const Signature *sig = &signatures[i];
      guint score = 0;
      guint j;

      for (j = 0; sig->columns[j] != NULL; j++)
        {
          if (g_hash_table_contains (names, sig->columns[j]))
            score++;
        }

      if (score >= sig->min_score && score > scores[sig->format])
        scores[sig->format] = score;
    }

  for (i = 0; i <= PS_IMPORT_FORMAT_LAST; i++)
    {
      if (scores[i] == 0)
        continue;

      if (best == PS_IMPORT_FORMAT_AUTO || scores[i] > scores[best])
        {
          best = (PsImportFormat) i;
          tie = FALSE;
        }
      else if (scores[i] == scores[best])
        {
          tie = TRUE;
        }
    }

  if (best == PS_IMPORT_FORMAT_AUTO || tie)
    {
      g_debug ("No dialect matches a %u-column header%s", n_columns,
               tie ? " unambiguously" : "");
      return PS_IMPORT_FORMAT_GENERIC;
    }

  g_debug ("Header matches %s (%u signature columns)",
           format_nicks[best], scores[best]);

  return best;
}
