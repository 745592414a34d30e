/* test-import-reader.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every dialect's fixture (tests/importers/data/, synthetic files carrying
 * the quirks of formats-and-carriers.md §1) read into records, field by
 * field.
 */

#define G_LOG_DOMAIN "test-import-reader"

#include "config.h"

#include <string.h>

#include "ps-import-reader.h"
#include "ps-import-reader-private.h"

static GFile *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "importers", "data", name, NULL);

  return g_file_new_for_path (path);
}

static PsImportReader *
open_fixture (const char            *name,
              PsImportFormat         format,
              const PsImportMapping *mapping)
{
  g_autoptr(GFile) file = fixture (name);
  g_autoptr(GError) error = NULL;
  PsImportReader *reader;

  reader = ps_import_reader_new (file, format, mapping, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);

  return reader;
}

static GPtrArray *
read_all (PsImportReader *reader)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_import_record_free);
  g_autoptr(GError) error = NULL;
  PsImportRecord *record;

  while ((record = ps_import_reader_next (reader, NULL, &error)) != NULL)
    g_ptr_array_add (records, record);
  g_assert_no_error (error);

  /* The end stays the end. */
  g_assert_null (ps_import_reader_next (reader, NULL, &error));
  g_assert_no_error (error);

  return records;
}

#define RECORD(records, i) ((const PsImportRecord *) g_ptr_array_index ((records), (i)))

static void
check_order (const PsImportRecord *r,
             guint                 line,
             PsChannelKind         kind,
             const char           *channel_name,
             const char           *order_number,
             PsOrderStatus         status,
             const char           *currency,
             gint64                subtotal,
             gint64                shipping,
             gint64                tax,
             gint64                total,
             gint64                created_at,
             gint64                paid_at)
{
  g_assert_cmpuint (r->line, ==, line);
  g_assert_cmpint (r->channel_kind, ==, kind);
  g_assert_cmpstr (r->channel_name, ==, channel_name);
  g_assert_cmpstr (r->order_number, ==, order_number);
  g_assert_cmpint (r->status, ==, status);
  g_assert_cmpstr (r->currency, ==, currency);
  g_assert_cmpint (r->subtotal_minor, ==, subtotal);
  g_assert_cmpint (r->shipping_minor, ==, shipping);
  g_assert_cmpint (r->tax_minor, ==, tax);
  g_assert_cmpint (r->total_minor, ==, total);
  g_assert_cmpint (r->created_at, ==, created_at);
  g_assert_cmpint (r->paid_at, ==, paid_at);
}

static void
check_customer (const PsImportRecord *r,
                const char           *name,
                const char           *email,
                const char           *phone)
{
  g_assert_cmpstr (r->customer_name, ==, name);
  g_assert_cmpstr (r->customer_email, ==, email);
  g_assert_cmpstr (r->customer_phone, ==, phone);
}

static void
check_address (const PsImportRecord *r,
               const char           *name,
               const char           *company,
               const char           *line1,
               const char           *line2,
               const char           *city,
               const char           *state,
               const char           *postcode,
               const char           *country)
{
  g_assert_cmpstr (r->ship_name, ==, name);
  g_assert_cmpstr (r->ship_company, ==, company);
  g_assert_cmpstr (r->ship_line1, ==, line1);
  g_assert_cmpstr (r->ship_line2, ==, line2);
  g_assert_cmpstr (r->ship_city, ==, city);
  g_assert_cmpstr (r->ship_state, ==, state);
  g_assert_cmpstr (r->ship_postcode, ==, postcode);
  g_assert_cmpstr (r->ship_country, ==, country);
}

static void
check_clean_address (const PsImportRecord *r)
{
  g_assert_false (r->address_issue);
  g_assert_null (r->address_message);
}

static void
check_line (const PsImportRecord *r,
            guint                 index,
            const char           *sku,
            const char           *name,
            const char           *variant,
            int                   quantity,
            gint64                unit_price,
            int                   weight)
{
  const PsImportLine *line;

  g_assert_cmpuint (index, <, r->lines->len);
  line = &g_array_index (r->lines, PsImportLine, index);
  g_assert_cmpstr (line->sku, ==, sku);
  g_assert_cmpstr (line->name, ==, name);
  g_assert_cmpstr (line->variant, ==, variant);
  g_assert_cmpint (line->quantity, ==, quantity);
  g_assert_cmpint (line->unit_price_minor, ==, unit_price);
  g_assert_cmpint (line->weight_grams, ==, weight);
}

static void
check_tracking (const PsImportRecord *r,
                ...)
{
  va_list args;
  const char *number;
  guint i = 0;

  va_start (args, r);
  while ((number = va_arg (args, const char *)) != NULL)
    {
      g_assert_cmpuint (i, <, r->tracking_numbers->len);
      g_assert_cmpstr (g_ptr_array_index (r->tracking_numbers, i), ==, number);
      i++;
    }
  va_end (args);
  g_assert_cmpuint (r->tracking_numbers->len, ==, i);
}

static void
check_no_problems (PsImportReader *reader)
{
  g_assert_cmpuint (ps_import_reader_get_problems (reader)->len, ==, 0);
}

static void
check_problem (PsImportReader *reader,
               guint           index,
               guint           line,
               const char     *message)
{
  GArray *problems = ps_import_reader_get_problems (reader);
  const PsImportProblem *problem;

  g_assert_cmpuint (index, <, problems->len);
  problem = &g_array_index (problems, PsImportProblem, index);
  g_assert_cmpuint (problem->line, ==, line);
  g_assert_cmpstr (problem->message, ==, message);
}

static void
check_progress_done (PsImportReader *reader,
                     guint           rows)
{
  g_assert_cmpuint (ps_import_reader_get_rows_read (reader), ==, rows);
  g_assert_cmpint (ps_import_reader_get_size (reader), >, 0);
  g_assert_cmpint (ps_import_reader_get_bytes_read (reader), ==, ps_import_reader_get_size (reader));
}

/* Shopify */

static void
test_shopify (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("shopify-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;
  guint n_columns = 0;

  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpstr (ps_import_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_cmpint (ps_import_reader_get_delimiter (reader), ==, ',');
  g_assert_cmpstr (ps_import_reader_get_header (reader, &n_columns)[0], ==, "Name");
  g_assert_cmpuint (n_columns, ==, 80);
  g_assert_cmpuint (ps_import_reader_get_rows_read (reader), ==, 0);

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 5);
  check_no_problems (reader);
  check_progress_done (reader, 8);

  /* Two rows; Notes with newlines on the first, so the next record
   * starts three physical lines later. Paid and fulfilled. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#1001", PS_ORDER_STATUS_SHIPPED,
               "USD", 5990, 500, 479, 6969, 1746971716, 1746971822);
  check_customer (r, "Alice Example", "alice@example.com", "555-0100");
  check_address (r, "Alice Example", NULL, "12 Main St", "Apt 4", "Portland", "OR", "97201", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "TEE-L-BLU", "Classic Tee - Large / Blue", NULL, 2, 1995, 0);
  check_line (r, 1, "TOTE-1", "Canvas Tote", NULL, 1, 2000, 0);
  check_tracking (r, "1Z999AA10123456784", NULL);
  g_assert_cmpuint (r->warnings->len, ==, 0);

  /* Refunded before it was shipped. */
  r = RECORD (records, 1);
  check_order (r, 5, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#1002", PS_ORDER_STATUS_CANCELLED,
               "EUR", 3500, 800, 665, 4965, 1747051380, 1747051440);
  check_customer (r, "Bernd Müller", "bernd@example.com", NULL);
  check_address (r, "Bernd Müller", NULL, "Invalidenstraße 5", NULL, "Berlin", NULL, "10115", "DE");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 1);
  check_line (r, 0, "SCARF-GR", "Wool Scarf", NULL, 1, 3500, 0);
  check_tracking (r, NULL);

  /* Partially refunded, partially fulfilled: still to ship; the gift card
   * (requires shipping: false) is not a parcel line; two tracking numbers
   * in one cell; billing and shipping postcodes written differently. */
  r = RECORD (records, 2);
  check_order (r, 6, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#1003", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "CAD", 6500, 1000, 975, 8475, 1747137600, 1747137660);
  check_customer (r, "Chloé Tremblay", "chloe@example.com", NULL);
  check_address (r, "Chloé Tremblay", "Tremblay & Fils", "100 Queen St W, Suite 5", NULL, "Ottawa",
                 "ON", "K2P 2L8", "CA");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "MUG-1", "Enamel Mug", NULL, 2, 1250, 0);
  check_line (r, 1, "POSTER-A2", "Poster A2", NULL, 1, 1500, 0);
  check_tracking (r, "1Z999AA10123456785", "9400111899223344556677", NULL);

  /* Paid, then cancelled; a province code without its country. */
  r = RECORD (records, 3);
  check_order (r, 9, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#1004", PS_ORDER_STATUS_CANCELLED,
               "ZAR", 12000, 6000, 1800, 19800, 1747216800, 1747216830);
  check_customer (r, "Dawie Botha", "dawie@example.com", NULL);
  check_address (r, "Dawie Botha", NULL, "1 Long St", NULL, "Cape Town", "WC", "8001", "ZA");
  check_clean_address (r);
  check_line (r, 0, "TEA-RB", "Rooibos Tin", NULL, 1, 12000, 0);

  /* Cash on delivery, not paid; the "-" postcode of Bangladesh; multi-line
   * Note Attributes. */
  r = RECORD (records, 4);
  check_order (r, 10, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#1005", PS_ORDER_STATUS_AWAITING_PAYMENT,
               "BDT", 75000, 6000, 0, 81000, 1747312200, 0);
  check_customer (r, "Rahim Uddin", NULL, "+8801712345678");
  check_address (r, "Rahim Uddin", NULL, "House Malati 7/B, Barishal cadet college, Barishal", NULL,
                 "Barishal", NULL, NULL, "BD");
  check_line (r, 0, "JUTE-1", "Jute Bag", NULL, 3, 25000, 0);
}

static void
test_shopify_windows_1252 (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("shopify-cp1252.csv", PS_IMPORT_FORMAT_SHOPIFY, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;
  guint n_columns = 0;

  g_assert_cmpstr (ps_import_reader_get_encoding (reader), ==, "WINDOWS-1252");
  ps_import_reader_get_header (reader, &n_columns);
  g_assert_cmpuint (n_columns, ==, 75);

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);
  check_no_problems (reader);

  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#2001", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "EUR", 2400, 600, 0, 3000, 1614589200, 1614589260);
  check_customer (r, "Café Müller", "cafe@example.com", NULL);
  check_address (r, "Café Müller", "Café Müller GmbH", "Bahnhofstraße 12", NULL, "Zürich", NULL,
                 "8001", "CH");
  check_clean_address (r);
  check_line (r, 0, "CB-1", "Crème brûlée set", NULL, 1, 2400, 0);

  r = RECORD (records, 1);
  check_order (r, 3, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#2002", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "CAD", 1500, 500, 225, 2225, 1614700800, 1614701100);
  check_customer (r, "Zoë Ångström", "zoe@example.com", NULL);
  check_address (r, "Zoë Ångström", NULL, "1234 rue Sainte-Catherine", NULL, "Montréal", "QC",
                 "H3B 1A7", "CA");
  check_clean_address (r);
  check_line (r, 0, "PATE-1", "Pâté jar", NULL, 2, 750, 0);
}

static void
test_broken_rows (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("broken-rows.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = read_all (reader);
  const PsImportRecord *r;

  /* CRLF line ends, and a CRLF inside the quoted Notes of line 2. */
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpuint (ps_import_reader_get_problems (reader)->len, ==, 4);
  check_problem (reader, 0, 4, "Lineitem quantity “two” is not a quantity");
  check_problem (reader, 1, 5, "Name is empty: no order number");
  check_problem (reader, 2, 6, "Lineitem price “abc” is not an amount");
  check_problem (reader, 3, 8, "Lineitem quantity “0” is not a quantity");
  g_assert_cmpuint (ps_import_reader_get_rows_read (reader), ==, 6);

  /* #3001 keeps its good line; #3002's only line was rejected, so the
   * order is too; #3003 keeps its good line. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#3001", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "USD", 1000, 0, 0, 1000, 1735812000, 0);
  check_address (r, "Ann Lee", NULL, "1 A St", NULL, "Austin", "TX", "73301", "US");
  g_assert_cmpuint (r->lines->len, ==, 1);
  check_line (r, 0, "G-1", "Good Item", NULL, 1, 1000, 0);

  r = RECORD (records, 1);
  check_order (r, 7, PS_CHANNEL_KIND_SHOPIFY, "Shopify", "#3003", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "USD", 600, 0, 0, 600, 1735984800, 0);
  g_assert_cmpuint (r->lines->len, ==, 1);
  check_line (r, 0, "F-1", "Fine", NULL, 3, 200, 0);
}

/* WooCommerce */

static void
test_woocommerce_aoe (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("woocommerce-aoe.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;

  /* Re-saved in Excel: a BOM and CRLF; "Address 1&amp;2 (Shipping)". */
  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_WOOCOMMERCE);
  g_assert_cmpstr (ps_import_reader_get_header (reader, NULL)[0], ==, "Order Number");

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 3);
  check_no_problems (reader);
  check_progress_done (reader, 4);

  /* One row per item, order columns on the first row only. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce", "2001",
               PS_ORDER_STATUS_AWAITING_SHIPMENT, "USD", 4500, 750, 360, 5610, 1748772900, 0);
  check_customer (r, "Dana Smith", "dana@example.com", "518-555-0101");
  check_address (r, "Dana Smith", NULL, "350 5th Ave, Floor 3", NULL, "New York", "NY", "10118", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "CANDLE-L", "Soy Candle (Large)", NULL, 2, 1500, 0);
  check_line (r, 1, "MATCH-1", "Matches", NULL, 3, 500, 0);

  /* No shipping address: the billing one is used. */
  r = RECORD (records, 1);
  check_order (r, 4, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce", "2002", PS_ORDER_STATUS_SHIPPED,
               "USD", 2000, 400, 0, 2400, 1748854800, 0);
  check_customer (r, "Evan Jones", "evan@example.co.uk", NULL);
  check_address (r, "Evan Jones", "Jones Ltd", "10 Downing St", NULL, "London", NULL, "SW1A 2AA", "GB");
  check_clean_address (r);
  check_line (r, 0, "SOAP-1", "Lavender Soap", NULL, 4, 500, 0);

  /* "wc-on-hold"; a customer note with a newline before it. */
  r = RECORD (records, 2);
  check_order (r, 5, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce", "2003", PS_ORDER_STATUS_ON_HOLD,
               "USD", 3000, 1200, 0, 4200, 1748987110, 0);
  check_customer (r, "Fiona Kelly", "fiona@example.com.au", NULL);
  check_address (r, "Fiona Kelly", NULL, "1 Macquarie St", NULL, "Sydney", "NSW", "2000", "AU");
  check_clean_address (r);
  check_line (r, 0, "TOWEL-B", "Beach Towel", NULL, 1, 3000, 0);
}

static void
test_woocommerce_skyverge (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("woocommerce-skyverge.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;

  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_WOOCOMMERCE);

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);
  check_no_problems (reader);

  /* One row per order, items packed "product_id:4959|1|20|size: Medium"
   * (id, quantity, line total, meta); dates "5/31/2016 0:37". */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce", "4959",
               PS_ORDER_STATUS_AWAITING_SHIPMENT, "USD", 3000, 600, 240, 3840, 1464655020, 0);
  check_customer (r, "Gus Hale", "gus@example.com", "303-555-0199");
  check_address (r, "Gus Hale", NULL, "1600 Broadway", "Unit 2", "Denver", "CO", "80202", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "4959", NULL, "size: Medium", 1, 2000, 0);
  check_line (r, 1, "5001", NULL, NULL, 2, 500, 0);

  /* Cancelled; only a billing address; 9.99 for three rounds to 3.33. */
  r = RECORD (records, 1);
  check_order (r, 3, PS_CHANNEL_KIND_WOOCOMMERCE, "WooCommerce", "4960", PS_ORDER_STATUS_CANCELLED,
               "USD", 999, 0, 0, 999, 1464789900, 0);
  check_customer (r, "Hana Ito", "hana@example.com", NULL);
  check_address (r, "Hana Ito", NULL, "77 Pine St", NULL, "Seattle", "WA", "98101", "US");
  check_line (r, 0, "6000", NULL, NULL, 3, 333, 0);
}

/* Etsy */

static void
test_etsy (void)
{
  g_autoptr(GFile) orders = fixture ("etsy-orders.csv");
  g_autoptr(GFile) items = fixture ("etsy-items.csv");
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  const PsImportRecord *r;

  reader = ps_import_reader_new_etsy (orders, items, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_ETSY_ORDERS);

  records = read_all (reader);
  /* 3001234569's only item has quantity "two": rejected with it. */
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpuint (ps_import_reader_get_problems (reader)->len, ==, 1);
  check_problem (reader, 0, 5, "etsy-items.csv: Quantity “two” is not a quantity");
  check_progress_done (reader, 4);

  /* MM/DD/YY dates, a country and a state by name. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_ETSY, "Etsy", "3001234567", PS_ORDER_STATUS_SHIPPED,
               "USD", 4500, 500, 360, 5360, 1756857600, 1756857600);
  check_customer (r, "Jane Doe", NULL, NULL);
  check_address (r, "Jane Doe", NULL, "42 Elm St", NULL, "Springfield", "IL", "62704", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "RING-S", "Silver Ring", "Size: 7", 1, 3000, 0);
  check_line (r, 1, "EAR-G", "Gold Earrings", "Style: Matte", 2, 750, 0);
  g_assert_cmpuint (r->warnings->len, ==, 0);

  /* Decimal commas. */
  r = RECORD (records, 1);
  check_order (r, 3, PS_CHANNEL_KIND_ETSY, "Etsy", "3001234568", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "EUR", 1200, 450, 0, 1650, 1756944000, 1756944000);
  check_customer (r, "Klaus Becker", NULL, NULL);
  check_address (r, "Klaus Becker", NULL, "Hauptstraße 1", "2. OG", "München", NULL, "80331", "DE");
  check_clean_address (r);
  check_line (r, 0, "NAP-1", "Linen Napkin", NULL, 2, 600, 0);

  /* "$10.00"; no items in the items file: kept, with a warning. */
  r = RECORD (records, 2);
  check_order (r, 5, PS_CHANNEL_KIND_ETSY, "Etsy", "3001234570", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "USD", 1000, 0, 0, 1000, 1757116800, 0);
  check_address (r, "Mo Reyes", NULL, "5 Bay Rd", NULL, "Austin", "TX", "73301", "US");
  g_assert_cmpuint (r->lines->len, ==, 0);
  g_assert_cmpuint (r->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->warnings, 0), ==,
                   "Order 3001234570 has no items in etsy-items.csv");
}

static void
test_etsy_wrong_files (void)
{
  g_autoptr(GFile) orders = fixture ("etsy-orders.csv");
  g_autoptr(GFile) shopify = fixture ("shopify-orders.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  /* Files swapped. */
  reader = ps_import_reader_new_etsy (shopify, orders, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT);
  g_assert_null (reader);
}

/* Amazon */

static void
test_amazon (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("amazon-orders.txt", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;

  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_AMAZON);
  g_assert_cmpint (ps_import_reader_get_delimiter (reader), ==, '\t');

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);
  check_no_problems (reader);
  check_progress_done (reader, 4);

  /* item-price is the line total: 10.00 for 3 pens is 3.33 each. The
   * third row repeats item 10001 for a promotion that did not fit: it
   * adds -1.00 and no line. Totals are the file's sums:
   * 25.50 + 4.99 + 2.44 tax - 1.00. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_AMAZON, "Amazon", "111-1234567-1234567",
               PS_ORDER_STATUS_AWAITING_SHIPMENT, "USD", 2550, 499, 244, 3193, 1751395849, 1751396400);
  check_customer (r, "Nina Ortiz", "abc123@marketplace.amazon.com", "206-555-0142");
  check_address (r, "Nina Ortiz", NULL, "400 Pine St", "Apt 12, c/o Front Desk", "Seattle", "WA",
                 "98101-1234", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "PEN-3PK", "Gel Pens, 3 pack, Black", NULL, 3, 333, 0);
  check_line (r, 1, "NOTE-A5", "Notebook \"A5\" dotted", NULL, 1, 1550, 0);

  r = RECORD (records, 1);
  check_order (r, 5, PS_CHANNEL_KIND_AMAZON, "Amazon", "112-7654321-7654321",
               PS_ORDER_STATUS_AWAITING_SHIPMENT, "USD", 2500, 999, 0, 3499, 1751444100, 1751444400);
  check_customer (r, "Oliver Reed", "xyz789@marketplace.amazon.com", NULL);
  check_address (r, "Oliver Reed", NULL, "221B Baker St", NULL, "London", NULL, "NW1 6XE", "GB");
  check_clean_address (r);
  check_line (r, 0, "MUG-2", "Tea Mug", NULL, 2, 1250, 0);
}

/* eBay */

static void
test_ebay (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("ebay-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;

  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_EBAY);
  g_assert_cmpstr (ps_import_reader_get_header (reader, NULL)[0], ==, "Sales Record Number");

  /* "sep=," and a blank line before the header; "3 record(s)
   * downloaded" and "Seller ID: …" after the data. */
  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);
  check_no_problems (reader);
  check_progress_done (reader, 4);

  /* "$1,110.03"; "Jul-25-25"; state by name. */
  r = RECORD (records, 0);
  check_order (r, 4, PS_CHANNEL_KIND_EBAY, "eBay", "12-10001-00001", PS_ORDER_STATUS_SHIPPED,
               "USD", 105000, 2500, 3503, 111003, 1753401600, 1753401600);
  check_customer (r, "Paul Quinn", "paul@example.com", "775-555-0123");
  check_address (r, "Paul Quinn", NULL, "55 Lake Dr", NULL, "Reno", "NV", "89501", "US");
  check_clean_address (r);
  check_line (r, 0, "CAM-35", "Vintage Camera, 35mm", NULL, 1, 105000, 0);
  check_tracking (r, "9400111899223344556677", NULL);

  /* An order row (totals, address) then one row per item; the unescaped
   * quote of 12" Vinyl; not paid yet. */
  r = RECORD (records, 1);
  check_order (r, 5, PS_CHANNEL_KIND_EBAY, "eBay", "12-10002-00002", PS_ORDER_STATUS_AWAITING_PAYMENT,
               "USD", 5500, 500, 0, 6000, 1753574400, 0);
  check_customer (r, "Rita Stone", "rita@example.com", NULL);
  check_address (r, "Rita Stone", NULL, "8 Record Ln", "Unit B", "Nashville", "TN", "37201", "US");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, "LP-1", "12\" Vinyl Record", NULL, 1, 2000, 0);
  check_line (r, 1, "SLV-50", "Record Sleeves (50)", "Colour: Clear", 2, 1750, 0);
  check_tracking (r, NULL);
}

static void
test_ebay_uk (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("ebay-uk.csv", PS_IMPORT_FORMAT_EBAY, NULL);
  g_autoptr(GPtrArray) records = read_all (reader);
  const PsImportRecord *r;

  /* "Post To …" columns, "£", CRLF, a blank first line, a footer. */
  g_assert_cmpuint (records->len, ==, 1);
  check_no_problems (reader);

  r = RECORD (records, 0);
  check_order (r, 3, PS_CHANNEL_KIND_EBAY, "eBay", "23-20001-00001", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "GBP", 2499, 350, 0, 2849, 1754092800, 1754092800);
  check_customer (r, "Sam Taylor", "sam@example.co.uk", NULL);
  check_address (r, "Sam Taylor", NULL, "10 High Street", NULL, "Oxford", "Oxfordshire", "OX1 4AA", "GB");
  check_clean_address (r);
  check_line (r, 0, "TP-1", "Bone China Teapot", NULL, 1, 2499, 0);
}

/* Generic */

static void
test_generic_needs_mapping (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("generic-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) sample = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *header;
  guint n_columns = 0;

  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_GENERIC);
  g_assert_cmpint (ps_import_reader_get_delimiter (reader), ==, ';');
  header = ps_import_reader_get_header (reader, &n_columns);
  g_assert_cmpuint (n_columns, ==, 13);
  g_assert_cmpstr (header[0], ==, "Order #");
  g_assert_cmpstr (header[12], ==, "Tracking");
  g_assert_null (header[13]);

  sample = ps_import_reader_read_sample (reader, 2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sample->len, ==, 2);
  g_assert_cmpstr (((char **) g_ptr_array_index (sample, 1))[8], ==, "Untersetzer");
  g_assert_cmpuint (g_strv_length (g_ptr_array_index (sample, 0)), ==, 13);
}

static void
test_generic_next_needs_mapping (void)
{
  g_autoptr(PsImportReader) reader = open_fixture ("generic-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GError) error = NULL;
  PsImportRecord *record;

  record = ps_import_reader_next (reader, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING);
  g_assert_null (record);
}

static void
test_generic_mapping (void)
{
  static const char * const header[] = {
    "Order #", "Date", "Customer", "E-mail", "Street", "Town", "Postcode", "Country",
    "Article", "Qty", "Price each", "Weight (kg)", "Tracking",
  };
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_guess (header, G_N_ELEMENTS (header), NULL, 0);
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const PsImportRecord *r;

  reader = open_fixture ("generic-orders.csv", PS_IMPORT_FORMAT_AUTO, mapping);
  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_GENERIC);

  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);
  check_no_problems (reader);
  check_progress_done (reader, 3);

  /* "12,50 €", a country by its own name, kilograms with a decimal
   * comma. */
  r = RECORD (records, 0);
  check_order (r, 2, PS_CHANNEL_KIND_CUSTOM, "Custom", "5001", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "EUR", 3400, 0, 0, 3400, 1754006400, 0);
  check_customer (r, "Ute Vogel", "ute@example.de", NULL);
  check_address (r, "Ute Vogel", NULL, "Lindenweg 3", NULL, "Hamburg", NULL, "20095", "DE");
  check_clean_address (r);
  g_assert_cmpuint (r->lines->len, ==, 2);
  check_line (r, 0, NULL, "Kaffeebecher", NULL, 2, 1250, 350);
  check_line (r, 1, NULL, "Untersetzer", NULL, 4, 225, 50);
  check_tracking (r, NULL);

  r = RECORD (records, 1);
  check_order (r, 4, PS_CHANNEL_KIND_CUSTOM, "Custom", "5002", PS_ORDER_STATUS_AWAITING_SHIPMENT,
               "EUR", 3990, 0, 0, 3990, 1754092800, 0);
  check_address (r, "Vince Wu", NULL, "9 Rue de Rivoli", NULL, "Paris", NULL, "75001", "FR");
  check_line (r, 0, NULL, "Teekanne", NULL, 1, 3990, 1200);
  check_tracking (r, "LX123456789DE", NULL);
}

static void
test_generic_bad_mapping (void)
{
  g_autoptr(GFile) file = fixture ("generic-orders.csv");
  g_autoptr(PsImportMapping) incomplete = ps_import_mapping_new ();
  g_autoptr(PsImportMapping) missing = ps_import_mapping_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  ps_import_mapping_set (incomplete, "Qty", PS_IMPORT_FIELD_QUANTITY);
  reader = ps_import_reader_new (file, PS_IMPORT_FORMAT_GENERIC, incomplete, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
  g_assert_null (reader);
  g_clear_error (&error);

  ps_import_mapping_set (missing, "Order #", PS_IMPORT_FIELD_ORDER_NUMBER);
  ps_import_mapping_set (missing, "SKU", PS_IMPORT_FIELD_SKU);
  reader = ps_import_reader_new (file, PS_IMPORT_FORMAT_AUTO, missing, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
  g_assert_null (reader);
}

static void
test_forced_generic (void)
{
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_new ();
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;

  /* A known dialect read through a mapping, as the merchant asked. */
  ps_import_mapping_set (mapping, "Name", PS_IMPORT_FIELD_ORDER_NUMBER);
  ps_import_mapping_set (mapping, "lineitem QUANTITY", PS_IMPORT_FIELD_QUANTITY);
  reader = open_fixture ("shopify-orders.csv", PS_IMPORT_FORMAT_GENERIC, mapping);
  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_GENERIC);
  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 5);
  g_assert_cmpuint (RECORD (records, 0)->lines->len, ==, 2);
  g_assert_cmpint (RECORD (records, 0)->channel_kind, ==, PS_CHANNEL_KIND_CUSTOM);
}

/* Errors */

static void
test_wrong_format (void)
{
  g_autoptr(GFile) file = fixture ("shopify-orders.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  reader = ps_import_reader_new (file, PS_IMPORT_FORMAT_AMAZON, NULL, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT);
  g_assert_null (reader);
}

static void
test_no_order_column (void)
{
  /* Shopify-like, but without "Name". */
  static const char data[] =
    "Email,Financial Status,Paid at,Fulfillment Status,Lineitem quantity,Lineitem name,"
    "Lineitem price,Lineitem sku\n"
    "a@example.com,paid,,,1,Tee,10.00,T-1\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(GInputStream) again = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  /* Detected: the merchant may still map it. */
  reader = _ps_import_reader_new_for_stream (stream, -1, PS_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_import_reader_get_format (reader), ==, PS_IMPORT_FORMAT_GENERIC);
  g_assert_null (ps_import_reader_next (reader, NULL, &error));
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING);
  g_clear_error (&error);
  g_clear_pointer (&reader, ps_import_reader_free);

  /* Asked for: the wrong file. */
  reader = _ps_import_reader_new_for_stream (again, -1, PS_IMPORT_FORMAT_SHOPIFY, NULL, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT);
  g_assert_null (reader);
}

static void
test_missing_file (void)
{
  g_autoptr(GFile) file = fixture ("no-such-file.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsImportReader) reader = NULL;

  reader = ps_import_reader_new (file, PS_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_READ);
  g_assert_null (reader);
}

static void
test_cancelled (void)
{
  g_autoptr(GFile) file = fixture ("shopify-orders.csv");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GError) error = NULL;

  reader = ps_import_reader_new (file, PS_IMPORT_FORMAT_AUTO, NULL, NULL, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_null (ps_import_reader_next (reader, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_address_issue (void)
{
  static const char data[] =
    "Order,Name,Street,City,State,Zip,Country,SKU,Qty\n"
    "1,Ann,1 Main St,Portland,Oregon,9720,US,A,1\n"
    "2,Bob,1 Main St,Atlantis,,12345,Atlantis,A,1\n";
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (data, sizeof data - 1, NULL);
  g_autoptr(PsImportMapping) mapping = NULL;
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const header[] = {
    "Order", "Name", "Street", "City", "State", "Zip", "Country", "SKU", "Qty",
  };
  const PsImportRecord *r;

  mapping = ps_import_mapping_guess (header, G_N_ELEMENTS (header), NULL, 0);
  reader = _ps_import_reader_new_for_stream (stream, sizeof data - 1, PS_IMPORT_FORMAT_AUTO,
                                             mapping, NULL, &error);
  g_assert_no_error (error);
  records = read_all (reader);
  g_assert_cmpuint (records->len, ==, 2);

  /* A state by name becomes its code; a 4-digit US ZIP is flagged, and
   * the message is also a warning. */
  r = RECORD (records, 0);
  g_assert_cmpstr (r->ship_state, ==, "OR");
  g_assert_cmpstr (r->ship_country, ==, "US");
  g_assert_true (r->address_issue);
  g_assert_nonnull (r->address_message);
  g_assert_cmpuint (r->warnings->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (r->warnings, 0), ==, r->address_message);

  /* An unknown country is a warning and no country. */
  r = RECORD (records, 1);
  g_assert_null (r->ship_country);
  g_assert_true (r->address_issue);
  g_assert_cmpstr (g_ptr_array_index (r->warnings, 0), ==, "Unknown country “Atlantis”");
}

/* Records */

static void
test_record_hash (void)
{
  g_autoptr(PsImportReader) first = open_fixture ("shopify-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(PsImportReader) second = open_fixture ("shopify-orders.csv", PS_IMPORT_FORMAT_AUTO, NULL);
  g_autoptr(GPtrArray) a = read_all (first);
  g_autoptr(GPtrArray) b = read_all (second);
  g_autoptr(PsImportRecord) x = ps_import_record_new ();
  g_autoptr(PsImportRecord) y = ps_import_record_new ();
  PsImportRecord *r;
  g_autofree char *hash = NULL;
  g_autofree char *again = NULL;
  guint i;

  /* Stable across reads, different between orders. */
  for (i = 0; i < a->len; i++)
    {
      g_autofree char *ha = ps_import_record_dup_hash (RECORD (a, i));
      g_autofree char *hb = ps_import_record_dup_hash (RECORD (b, i));

      g_assert_cmpuint (strlen (ha), ==, 64);
      g_assert_cmpstr (ha, ==, hb);
      if (i > 0)
        {
          g_autofree char *previous = ps_import_record_dup_hash (RECORD (a, i - 1));

          g_assert_cmpstr (ha, !=, previous);
        }
    }

  r = g_ptr_array_index (a, 0);
  hash = ps_import_record_dup_hash (r);

  /* Where the order was in the file, and warnings, do not count. */
  r->line = 999;
  g_ptr_array_add (r->warnings, g_strdup ("something"));
  again = ps_import_record_dup_hash (r);
  g_assert_cmpstr (hash, ==, again);
  g_clear_pointer (&again, g_free);

  /* A changed quantity, city or tracking number does. */
  g_array_index (r->lines, PsImportLine, 1).quantity = 5;
  again = ps_import_record_dup_hash (r);
  g_assert_cmpstr (hash, !=, again);
  g_clear_pointer (&again, g_free);

  /* Fields cannot run into each other. */
  x->ship_line1 = g_strdup ("ab");
  x->ship_line2 = g_strdup ("c");
  y->ship_line1 = g_strdup ("a");
  y->ship_line2 = g_strdup ("bc");
  g_clear_pointer (&hash, g_free);
  hash = ps_import_record_dup_hash (x);
  again = ps_import_record_dup_hash (y);
  g_assert_cmpstr (hash, !=, again);
}

static void
test_problem_clear (void)
{
  PsImportProblem problem = { 3, g_strdup ("bad") };

  ps_import_problem_clear (&problem);
  g_assert_null (problem.message);
  ps_import_problem_clear (&problem);
}

static void
test_record_new (void)
{
  g_autoptr(PsImportRecord) r = ps_import_record_new ();

  g_assert_cmpstr (r->currency, ==, "USD");
  g_assert_cmpint (r->status, ==, PS_ORDER_STATUS_AWAITING_SHIPMENT);
  g_assert_nonnull (r->lines);
  g_assert_nonnull (r->tracking_numbers);
  g_assert_nonnull (r->warnings);
  g_assert_null (r->order_number);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/importers/reader/shopify", test_shopify);
  g_test_add_func ("/importers/reader/shopify-windows-1252", test_shopify_windows_1252);
  g_test_add_func ("/importers/reader/broken-rows", test_broken_rows);
  g_test_add_func ("/importers/reader/woocommerce/aoe", test_woocommerce_aoe);
  g_test_add_func ("/importers/reader/woocommerce/skyverge", test_woocommerce_skyverge);
  g_test_add_func ("/importers/reader/etsy", test_etsy);
  g_test_add_func ("/importers/reader/etsy-wrong-files", test_etsy_wrong_files);
  g_test_add_func ("/importers/reader/amazon", test_amazon);
  g_test_add_func ("/importers/reader/ebay", test_ebay);
  g_test_add_func ("/importers/reader/ebay-uk", test_ebay_uk);
  g_test_add_func ("/importers/reader/generic/needs-mapping", test_generic_needs_mapping);
  g_test_add_func ("/importers/reader/generic/next-needs-mapping", test_generic_next_needs_mapping);
  g_test_add_func ("/importers/reader/generic/mapping", test_generic_mapping);
  g_test_add_func ("/importers/reader/generic/bad-mapping", test_generic_bad_mapping);
  g_test_add_func ("/importers/reader/generic/forced", test_forced_generic);
  g_test_add_func ("/importers/reader/wrong-format", test_wrong_format);
  g_test_add_func ("/importers/reader/no-order-column", test_no_order_column);
  g_test_add_func ("/importers/reader/missing-file", test_missing_file);
  g_test_add_func ("/importers/reader/cancelled", test_cancelled);
  g_test_add_func ("/importers/reader/address-issue", test_address_issue);
  g_test_add_func ("/importers/record/new", test_record_new);
  g_test_add_func ("/importers/record/hash", test_record_hash);
  g_test_add_func ("/importers/record/problem-clear", test_problem_clear);

  return g_test_run ();
}
