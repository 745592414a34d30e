/* test-import-format.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header rows are copied from reference/formats-and-carriers.md §1.
 */

#define G_LOG_DOMAIN "test-import-format"

#include "config.h"

#include <string.h>

#include "ps-import-format.h"

/* Shopify orders_export.csv, 2025, 79 columns. */
static const char shopify_header[] =
  "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
  "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
  "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
  "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
  "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
  "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
  "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
  "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
  "Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,Outstanding Balance,"
  "Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,Tax 1 Name,"
  "Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,"
  "Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,"
  "Shipping Province Name,Payment ID,Payment Terms Name,Next Payment Due At,"
  "Payment References";

/* Older spellings quoted by third-party code "from Shopify docs". */
static const char shopify_old_header[] =
  "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
  "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
  "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare-at price,"
  "Lineitem SKU,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
  "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,"
  "Billing City,Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,"
  "Shipping Street,Shipping Address1,Shipping Address2,Shipping Company,Shipping City,"
  "Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,"
  "Cancelled at,Payment Method,Payment Reference (deprecated),Refunded Amount,Vendor,Id,"
  "Tags,Risk Level,Source,Lineitem discount";

static const char woo_aoe_header[] =
  "Order Number,Order Status,Order Date,Customer Note,First Name (Billing),"
  "Last Name (Billing),Company (Billing),Address 1&2 (Billing),City (Billing),"
  "State Code (Billing),Postcode (Billing),Country Code (Billing),Email (Billing),"
  "Phone (Billing),First Name (Shipping),Last Name (Shipping),Address 1&2 (Shipping),"
  "City (Shipping),State Code (Shipping),Postcode (Shipping),Country Code (Shipping),"
  "Shipping Method Title,Payment Method Title,Cart Discount Amount,Order Subtotal Amount,"
  "Order Shipping Amount,Order Refund Amount,Order Total Amount,Order Total Tax Amount,"
  "Item #,SKU,Item Name,Quantity,Item Cost,Coupon Code,Discount Amount";

static const char woo_skyverge_header[] =
  "order_id,order_number,order_date,status,shipping_total,shipping_tax_total,tax_total,"
  "cart_discount,order_discount,discount_total,order_total,refunded_total,order_currency,"
  "payment_method,shipping_method,customer_id,billing_first_name,billing_last_name,"
  "billing_company,billing_email,billing_phone,billing_address_1,billing_address_2,"
  "billing_postcode,billing_city,billing_state,billing_country,shipping_first_name,"
  "shipping_last_name,shipping_address_1,shipping_address_2,shipping_postcode,"
  "shipping_city,shipping_state,shipping_country,shipping_company,customer_note,"
  "order_notes,download_permissions,coupon_items,item_name,item_sku,item_quantity,"
  "item_total";

static const char etsy_orders_header[] =
  "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,"
  "Payment Method,Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,"
  "Ship Country,Currency,Order Value,Coupon Code,Coupon Details,Discount Amount,"
  "Shipping Discount,Shipping,Sales Tax,Order Total,Status,Card Processing Fees,Order Net,"
  "Adjusted Order Total,Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,"
  "Order Type,Payment Type,InPerson Discount,InPerson Location,SKU";

static const char etsy_items_header[] =
  "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,"
  "Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,"
  "Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,"
  "Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,"
  "Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU";

static const char amazon_unshipped_header[] =
  "order-id\torder-item-id\tpurchase-date\tpayments-date\treporting-date\tpromise-date\t"
  "days-past-promise\tbuyer-email\tbuyer-name\tbuyer-phone-number\tsku\tproduct-name\t"
  "quantity-purchased\tquantity-shipped\tquantity-to-ship\tship-service-level\t"
  "recipient-name\tship-address-1\tship-address-2\tship-address-3\tship-city\tship-state\t"
  "ship-postal-code\tship-country\tis-business-order\tpurchase-order-number\t"
  "price-designation";

static const char amazon_orders_header[] =
  "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\t"
  "buyer-phone-number\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\t"
  "item-tax\tshipping-price\tshipping-tax\tship-service-level\trecipient-name\t"
  "ship-address-1\tship-address-2\tship-address-3\tship-city\tship-state\t"
  "ship-postal-code\tship-country\tship-phone-number\titem-promotion-discount\t"
  "item-promotion-id\tship-promotion-discount\tship-promotion-id\tdelivery-start-date\t"
  "delivery-end-date\tdelivery-time-zone\tdelivery-Instructions\tsales-channel";

static const char ebay_header[] =
  "Sales Record Number,Order Number,Buyer Username,Buyer Name,Buyer Email,Buyer Note,"
  "Buyer Address 1,Buyer Address 2,Buyer City,Buyer State,Buyer Zip,Buyer Country,"
  "Ship To Name,Ship To Phone,Ship To Address 1,Ship To Address 2,Ship To City,"
  "Ship To State,Ship To Zip,Ship To Country,Item Number,Item Title,Custom Label,"
  "Sold Via Promoted Listings,Quantity,Sold For,Shipping And Handling,"
  "Seller Collected Tax,eBay Collected Tax,Total Price,"
  "eBay Collected Tax Included in Total,Payment Method,Sale Date,Paid On Date,"
  "Ship By Date,Minimum Estimated Delivery Date,Maximum Estimated Delivery Date,"
  "Shipped On Date,Feedback Left,Feedback Received,My Item Note,PayPal Transaction ID,"
  "Shipping Service,Tracking Number,Transaction ID,Variation Details,"
  "Global Shipping Program,Global Shipping Reference ID,Click And Collect,"
  "Click And Collect Reference Number,eBay Plus";

/* eBay UK: "Post To …" instead of "Ship To …". */
static const char ebay_uk_header[] =
  "Sales Record Number,Order Number,Buyer Username,Buyer Name,Buyer Email,Buyer Note,"
  "Buyer Address 1,Buyer Address 2,Buyer City,Buyer County,Buyer Postcode,Buyer Country,"
  "Post To Name,Post To Phone,Post To Address 1,Post To Address 2,Post To City,"
  "Post To County,Post To Postcode,Post To Country,Item Number,Item Title,Custom Label,"
  "Quantity,Sold For,Postage And Packaging,Total Price,Payment Method,Sale Date,"
  "Paid On Date,Post By Date,Dispatched On Date,Feedback Left,Feedback Received,"
  "My Item Note,Transaction ID,Variation Details";

typedef struct
{
  const char     *name;
  const char     *header;
  char            separator;
  PsImportFormat  expected;
} HeaderCase;

static const HeaderCase header_cases[] = {
  { "shopify", shopify_header, ',', PS_IMPORT_FORMAT_SHOPIFY },
  { "shopify-old", shopify_old_header, ',', PS_IMPORT_FORMAT_SHOPIFY },
  { "woo-aoe", woo_aoe_header, ',', PS_IMPORT_FORMAT_WOOCOMMERCE },
  { "woo-skyverge", woo_skyverge_header, ',', PS_IMPORT_FORMAT_WOOCOMMERCE },
  { "etsy-orders", etsy_orders_header, ',', PS_IMPORT_FORMAT_ETSY_ORDERS },
  { "etsy-items", etsy_items_header, ',', PS_IMPORT_FORMAT_ETSY_ITEMS },
  { "amazon-unshipped", amazon_unshipped_header, '\t', PS_IMPORT_FORMAT_AMAZON },
  { "amazon-orders", amazon_orders_header, '\t', PS_IMPORT_FORMAT_AMAZON },
  { "ebay", ebay_header, ',', PS_IMPORT_FORMAT_EBAY },
  { "ebay-uk", ebay_uk_header, ',', PS_IMPORT_FORMAT_EBAY },
};

static char **
split_header (const char *header,
              char        separator)
{
  char delimiter[2] = { separator, '\0' };

  return g_strsplit (header, delimiter, -1);
}

static PsImportFormat
detect_strv (char **columns)
{
  return ps_import_format_detect ((const char * const *) columns,
                                  g_strv_length (columns));
}

static PsImportFormat
detect_line (const char *header,
             char        separator)
{
  g_auto(GStrv) columns = split_header (header, separator);

  return detect_strv (columns);
}

/* Drops @n columns, starting at @first, keeping the order of the rest. */
static char **
strv_without (const char * const *columns,
              guint               first,
              guint               n)
{
  GPtrArray *out = g_ptr_array_new ();
  guint i;

  for (i = 0; columns[i] != NULL; i++)
    {
      if (i < first || i >= first + n)
        g_ptr_array_add (out, g_strdup (columns[i]));
    }
  g_ptr_array_add (out, NULL);

  return (char **) g_ptr_array_free (out, FALSE);
}

/* Shuffles the columns and rewrites each the way a spreadsheet or another
 * tool might: case changed, spaces turned into '_' or '-', padding. */
static void
mangle_columns (char  **columns,
                GRand  *rand)
{
  guint n = g_strv_length (columns);
  guint i;

  for (i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      char *tmp = columns[i - 1];

      columns[i - 1] = columns[j];
      columns[j] = tmp;
    }

  for (i = 0; i < n; i++)
    {
      char *old = columns[i];
      char *mangled;
      char *p;

      switch (g_rand_int_range (rand, 0, 4))
        {
        case 0:
          mangled = g_ascii_strup (old, -1);
          break;
        case 1:
          mangled = g_ascii_strdown (old, -1);
          break;
        case 2:
          mangled = g_strdup_printf ("  %s ", old);
          break;
        default:
          mangled = g_strdup (old);
          break;
        }

      if (g_rand_boolean (rand))
        {
          char replacement = g_rand_boolean (rand) ? '_' : '-';

          for (p = mangled; *p != '\0'; p++)
            {
              if (*p == ' ')
                *p = replacement;
            }
        }

      columns[i] = mangled;
      g_free (old);
    }
}

static void
test_nick (void)
{
  static const char * const nicks[] = {
    "auto", "shopify", "woocommerce", "etsy_orders", "etsy_items", "amazon",
    "ebay", "generic",
  };
  PsImportFormat format;
  guint i;

  G_STATIC_ASSERT (G_N_ELEMENTS (nicks) == PS_IMPORT_FORMAT_LAST + 1);

  for (i = 0; i < G_N_ELEMENTS (nicks); i++)
    {
      g_assert_cmpstr (ps_import_format_to_nick ((PsImportFormat) i), ==, nicks[i]);
      format = PS_IMPORT_FORMAT_AUTO;
      g_assert_true (ps_import_format_from_nick (nicks[i], &format));
      g_assert_cmpint (format, ==, i);
    }

  g_assert_null (ps_import_format_to_nick ((PsImportFormat) (PS_IMPORT_FORMAT_LAST + 1)));

  format = PS_IMPORT_FORMAT_EBAY;
  g_assert_false (ps_import_format_from_nick ("etsy", &format));
  g_assert_false (ps_import_format_from_nick ("Shopify", &format));
  g_assert_false (ps_import_format_from_nick ("", &format));
  g_assert_false (ps_import_format_from_nick (NULL, &format));
  g_assert_cmpint (format, ==, PS_IMPORT_FORMAT_EBAY);
}

static void
test_normalize (void)
{
  static const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "Shipping Province Name", "shippingprovincename" },
    { "order-id", "orderid" },
    { "ORDER_ID", "orderid" },
    { "  Order ID  ", "orderid" },
    { "Lineitem compare-at price", "lineitemcompareatprice" },
    { "Lineitem SKU", "lineitemsku" },
    { "Payment Reference (deprecated)", "paymentreferencedeprecated" },
    { "\xef\xbb\xbfName", "name" },                  /* BOM */
    { "Address 1&2 (Shipping)", "address12shipping" },
    { "Address 1&amp;2 (Shipping)", "address12shipping" },
    { "Address 1&#38;2 (Shipping)", "address12shipping" },
    { "Fish & Chips", "fishchips" },
    { "a&b;c", "ac" },
    { "Item #", "item" },
    { "Tax 1 Value", "tax1value" },
    { "Stra\xc3\x9f" "e", "stra\xc3\x9f" "e" },       /* ß stays a letter */
    { "C\xc3\x93" "DIGO POSTAL", "c\xc3\xb3" "digopostal" },
    { "\xef\xbc\xae\xef\xbd\x81\xef\xbd\x8d\xef\xbd\x85", "name" },  /* fullwidth */
    { "Ship\xe9 City", "shipcity" },                 /* not UTF-8 */
    { "", "" },
    { " -_/ ", "" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ps_import_header_normalize (cases[i].in);

      g_assert_cmpstr (got, ==, cases[i].out);
    }
}

static void
test_detect (gconstpointer data)
{
  const HeaderCase *hc = data;

  g_assert_cmpint (detect_line (hc->header, hc->separator), ==, hc->expected);
}

static void
test_detect_mangled (gconstpointer data)
{
  const HeaderCase *hc = data;
  guint seed;

  for (seed = 1; seed <= 50; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_auto(GStrv) columns = split_header (hc->header, hc->separator);

      mangle_columns (columns, rand);
      g_assert_cmpint (detect_strv (columns), ==, hc->expected);
    }
}

/* Excel re-saves add a BOM to the first cell and may leave trailing empty
 * cells; neither changes the dialect. */
static void
test_detect_bom_and_padding (void)
{
  g_autofree char *with_bom = g_strconcat ("\xef\xbb\xbf", shopify_header, ",,", NULL);

  g_assert_cmpint (detect_line (with_bom, ','), ==, PS_IMPORT_FORMAT_SHOPIFY);
}

static void
test_detect_html_escaped (void)
{
  g_autoptr(GString) escaped = g_string_new (woo_aoe_header);

  g_string_replace (escaped, "&", "&amp;", 0);
  g_assert_nonnull (strstr (escaped->str, "Address 1&amp;2 (Shipping)"));
  g_assert_cmpint (detect_line (escaped->str, ','), ==, PS_IMPORT_FORMAT_WOOCOMMERCE);
}

/* 2021 exports lack the last four columns, 2024 exports lack "Outstanding
 * Balance, Employee, Location, Device ID". */
static void
test_detect_shopify_years (void)
{
  g_auto(GStrv) full = split_header (shopify_header, ',');
  g_auto(GStrv) y2021 = NULL;
  g_auto(GStrv) y2024 = NULL;
  guint n = g_strv_length (full);

  g_assert_cmpuint (n, ==, 79);
  g_assert_cmpstr (full[51], ==, "Outstanding Balance");

  y2021 = strv_without ((const char * const *) full, n - 4, 4);
  y2024 = strv_without ((const char * const *) full, 51, 4);
  g_assert_cmpuint (g_strv_length (y2021), ==, 75);
  g_assert_cmpuint (g_strv_length (y2024), ==, 75);

  g_assert_cmpint (detect_strv (y2021), ==, PS_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpint (detect_strv (y2024), ==, PS_IMPORT_FORMAT_SHOPIFY);
}

/* A merchant who deleted most columns still gets Shopify as long as enough
 * distinctive ones are left. */
static void
test_detect_shopify_trimmed (void)
{
  g_assert_cmpint (detect_line ("Name,Email,Financial Status,Lineitem quantity,Lineitem sku,"
                                "Shipping Zip,Shipping Province",
                                ','),
                   ==, PS_IMPORT_FORMAT_SHOPIFY);
}

static void
test_detect_generic (void)
{
  /* A hand-made spreadsheet. */
  g_assert_cmpint (detect_line ("Order Number,Customer,Address,City,Postcode,Country,SKU,Qty",
                                ','),
                   ==, PS_IMPORT_FORMAT_GENERIC);
  /* Shares columns with the WooCommerce and Etsy exports, but too few
   * distinctive ones. */
  g_assert_cmpint (detect_line ("Order ID,Order Date,Order Total,Item Name,Quantity,SKU,"
                                "Ship City,Ship Country",
                                ','),
                   ==, PS_IMPORT_FORMAT_GENERIC);
  /* Below the minimum of Shopify's signature. */
  g_assert_cmpint (detect_line ("Name,Email,Financial Status,Lineitem quantity,Lineitem sku,"
                                "Total",
                                ','),
                   ==, PS_IMPORT_FORMAT_GENERIC);
  g_assert_cmpint (detect_line ("a,b", ','), ==, PS_IMPORT_FORMAT_GENERIC);
}

/* As many Shopify as eBay signature columns: no guess. */
static void
test_detect_ambiguous (void)
{
  g_assert_cmpint (detect_line ("Financial Status,Fulfillment Status,Lineitem quantity,"
                                "Lineitem sku,Shipping Zip,Sales Record Number,"
                                "Buyer Username,Item Number,Item Title,Custom Label",
                                ','),
                   ==, PS_IMPORT_FORMAT_GENERIC);
}

static void
test_detect_not_a_header (void)
{
  const char *one[] = { "Name" };
  const char *with_null[] = { "Name", NULL, NULL, NULL, "Email" };

  g_assert_cmpint (ps_import_format_detect (NULL, 0), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (ps_import_format_detect (one, 1), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (ps_import_format_detect (with_null, 5), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (ps_import_format_detect (with_null, 1), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (ps_import_format_detect (with_null, 3), ==, PS_IMPORT_FORMAT_AUTO);
  /* eBay preamble and footer. */
  g_assert_cmpint (detect_line ("sep=,", ','), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (detect_line (",,,,", ','), ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (detect_line ("83 record(s) downloaded,,,", ','), ==, PS_IMPORT_FORMAT_AUTO);
  /* Data rows. */
  g_assert_cmpint (detect_line ("#1001,jane@example.com,paid,2025-05-11 09:55:16 -0400",
                                ','),
                   ==, PS_IMPORT_FORMAT_AUTO);
  g_assert_cmpint (detect_line ("Jane Doe,Main Street 1,10115,Berlin", ','),
                   ==, PS_IMPORT_FORMAT_AUTO);
}

int
main (int   argc,
      char *argv[])
{
  guint i;

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/importers/format/nick", test_nick);
  g_test_add_func ("/importers/format/normalize", test_normalize);

  for (i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *mangled_path = NULL;

      path = g_strdup_printf ("/importers/format/detect/%s", header_cases[i].name);
      mangled_path = g_strdup_printf ("/importers/format/detect/%s-mangled",
                                      header_cases[i].name);
      g_test_add_data_func (path, &header_cases[i], test_detect);
      g_test_add_data_func (mangled_path, &header_cases[i], test_detect_mangled);
    }

  g_test_add_func ("/importers/format/detect/bom-and-padding", test_detect_bom_and_padding);
  g_test_add_func ("/importers/format/detect/html-escaped", test_detect_html_escaped);
  g_test_add_func ("/importers/format/detect/shopify-years", test_detect_shopify_years);
  g_test_add_func ("/importers/format/detect/shopify-trimmed", test_detect_shopify_trimmed);
  g_test_add_func ("/importers/format/detect/generic", test_detect_generic);
  g_test_add_func ("/importers/format/detect/ambiguous", test_detect_ambiguous);
  g_test_add_func ("/importers/format/detect/not-a-header", test_detect_not_a_header);

  return g_test_run ();
}
