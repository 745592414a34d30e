/* test-import-mapping.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Column mappings for files of no known dialect: guessing, JSON, source
 * keys, completeness.
 */

#define G_LOG_DOMAIN "test-import-mapping"

#include "config.h"

#include <string.h>

#include "ps-import-mapping.h"
#include "ps-import-reader.h"

static void
test_nicks (void)
{
  guint i;

  for (i = 0; i <= PS_IMPORT_FIELD_LAST; i++)
    {
      const char *nick = ps_import_field_to_nick (i);
      PsImportField field = PS_IMPORT_FIELD_LAST + 1;

      g_assert_nonnull (nick);
      g_assert_true (ps_import_field_from_nick (nick, &field));
      g_assert_cmpint (field, ==, i);
    }

  /* Stored in saved mappings: these must never change. */
  g_assert_cmpstr (ps_import_field_to_nick (PS_IMPORT_FIELD_ORDER_NUMBER), ==, "order_number");
  g_assert_cmpstr (ps_import_field_to_nick (PS_IMPORT_FIELD_SHIP_POSTCODE), ==, "ship_postcode");
  g_assert_cmpstr (ps_import_field_to_nick (PS_IMPORT_FIELD_TRACKING_NUMBER), ==, "tracking_number");
  g_assert_null (ps_import_field_to_nick (PS_IMPORT_FIELD_LAST + 1));
  g_assert_false (ps_import_field_from_nick ("Order_Number", &(PsImportField) { 0 }));
  g_assert_false (ps_import_field_from_nick (NULL, &(PsImportField) { 0 }));
}

static void
test_set_get (void)
{
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_new ();
  g_autoptr(PsImportMapping) copy = NULL;

  g_assert_cmpint (ps_import_mapping_get (mapping, "Order #"), ==, PS_IMPORT_FIELD_IGNORE);

  ps_import_mapping_set (mapping, "Order #", PS_IMPORT_FIELD_ORDER_NUMBER);
  ps_import_mapping_set (mapping, "Qty", PS_IMPORT_FIELD_QUANTITY);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Order #"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);

  /* Case, spaces and punctuation do not matter for lookups. */
  g_assert_cmpint (ps_import_mapping_get (mapping, "ORDER#"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_cmpint (ps_import_mapping_get (mapping, " qty. "), ==, PS_IMPORT_FIELD_QUANTITY);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Quantity"), ==, PS_IMPORT_FIELD_IGNORE);

  /* Setting again replaces. */
  ps_import_mapping_set (mapping, "Qty", PS_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Qty"), ==, PS_IMPORT_FIELD_IGNORE);

  copy = ps_import_mapping_copy (mapping);
  ps_import_mapping_set (mapping, "Order #", PS_IMPORT_FIELD_SKU);
  g_assert_cmpint (ps_import_mapping_get (copy, "Order #"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);

  g_assert_true (G_TYPE_IS_BOXED (PS_TYPE_IMPORT_MAPPING));
}

static void
test_guess_names (void)
{
  static const char * const columns[] = {
    "Order ID", "Order Date", "Customer", "Email Address", "Phone", "Recipient", "Company",
    "Address Line 1", "Address Line 2", "City", "State/Province", "Zip/Postal Code", "Country",
    "Currency", "Subtotal", "Shipping", "Tax", "Grand Total", "SKU", "Product Name", "Variant",
    "Qty", "Unit Price", "Line Total", "Weight (oz)", "Tracking #", "Status", "Internal notes",
  };
  static const PsImportField expected[] = {
    PS_IMPORT_FIELD_ORDER_NUMBER, PS_IMPORT_FIELD_CREATED_AT, PS_IMPORT_FIELD_CUSTOMER_NAME,
    PS_IMPORT_FIELD_CUSTOMER_EMAIL, PS_IMPORT_FIELD_CUSTOMER_PHONE, PS_IMPORT_FIELD_SHIP_NAME,
    PS_IMPORT_FIELD_SHIP_COMPANY, PS_IMPORT_FIELD_SHIP_LINE1, PS_IMPORT_FIELD_SHIP_LINE2,
    PS_IMPORT_FIELD_SHIP_CITY, PS_IMPORT_FIELD_SHIP_STATE, PS_IMPORT_FIELD_SHIP_POSTCODE,
    PS_IMPORT_FIELD_SHIP_COUNTRY, PS_IMPORT_FIELD_CURRENCY, PS_IMPORT_FIELD_SUBTOTAL,
    PS_IMPORT_FIELD_SHIPPING, PS_IMPORT_FIELD_TAX, PS_IMPORT_FIELD_TOTAL, PS_IMPORT_FIELD_SKU,
    PS_IMPORT_FIELD_ITEM_NAME, PS_IMPORT_FIELD_VARIANT, PS_IMPORT_FIELD_QUANTITY,
    PS_IMPORT_FIELD_UNIT_PRICE, PS_IMPORT_FIELD_LINE_TOTAL, PS_IMPORT_FIELD_WEIGHT,
    PS_IMPORT_FIELD_TRACKING_NUMBER, PS_IMPORT_FIELD_STATUS, PS_IMPORT_FIELD_IGNORE,
  };
  g_autoptr(PsImportMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  G_STATIC_ASSERT (G_N_ELEMENTS (columns) == G_N_ELEMENTS (expected));

  mapping = ps_import_mapping_guess (columns, G_N_ELEMENTS (columns), NULL, 0);
  for (i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_test_message ("%s", columns[i]);
      g_assert_cmpstr (ps_import_field_to_nick (ps_import_mapping_get (mapping, columns[i])), ==,
                       ps_import_field_to_nick (expected[i]));
    }

  g_assert_true (ps_import_mapping_is_complete (mapping, &error));
  g_assert_no_error (error);
}

static void
test_guess_synonyms (void)
{
  static const struct
  {
    const char    *column;
    PsImportField  field;
  } cases[] = {
    { "Order #", PS_IMPORT_FIELD_ORDER_NUMBER },
    { "Order No.", PS_IMPORT_FIELD_ORDER_NUMBER },
    { "Invoice", PS_IMPORT_FIELD_ORDER_NUMBER },
    { "invoice_number", PS_IMPORT_FIELD_ORDER_NUMBER },
    { "QTY", PS_IMPORT_FIELD_QUANTITY },
    { "Zip", PS_IMPORT_FIELD_SHIP_POSTCODE },
    { "Postal Code", PS_IMPORT_FIELD_SHIP_POSTCODE },
    { "Postcode", PS_IMPORT_FIELD_SHIP_POSTCODE },
    { "E-Mail", PS_IMPORT_FIELD_CUSTOMER_EMAIL },
    { "Customer Email", PS_IMPORT_FIELD_CUSTOMER_EMAIL },
    { "Ship To - Zip", PS_IMPORT_FIELD_SHIP_POSTCODE },
    { "Buyer", PS_IMPORT_FIELD_CUSTOMER_NAME },
    { "Tracking Number", PS_IMPORT_FIELD_TRACKING_NUMBER },
  };
  guint i;

  /* One column at a time: each field may go to one column only. */
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PsImportMapping) mapping = ps_import_mapping_guess (&cases[i].column, 1, NULL, 0);

      g_test_message ("%s", cases[i].column);
      g_assert_cmpint (ps_import_mapping_get (mapping, cases[i].column), ==, cases[i].field);
    }
}

static void
test_guess_first_wins (void)
{
  static const char * const columns[] = { "Billing Zip", "Zip", "Postcode", "Billing City" };
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_guess (columns, G_N_ELEMENTS (columns), NULL, 0);

  /* Exact names before words in longer names; billing columns are not
   * the shipping address. */
  g_assert_cmpint (ps_import_mapping_get (mapping, "Zip"), ==, PS_IMPORT_FIELD_SHIP_POSTCODE);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Postcode"), ==, PS_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Billing Zip"), ==, PS_IMPORT_FIELD_IGNORE);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Billing City"), ==, PS_IMPORT_FIELD_IGNORE);
}

static void
test_guess_values (void)
{
  static const char * const columns[] = { "Ref", "Col B", "Col C", "Col D", "Col E", "", "Col G" };
  static const char * const row1[] = {
    "A-1", "ann@example.com", "2025-08-01", "US", "$12.50", "2025-08-02 10:00", "hello", NULL
  };
  static const char * const row2[] = {
    "A-2", "bob@example.org", "2025-08-03T10:00:00Z", "", "$3.00", "", "world", NULL
  };
  static const char * const row3[] = { "A-3", NULL };   /* ragged */
  const char * const *rows[] = { row1, row2, row3 };
  g_autoptr(PsImportMapping) mapping = NULL;

  mapping = ps_import_mapping_guess (columns, G_N_ELEMENTS (columns), rows, G_N_ELEMENTS (rows));

  g_assert_cmpint (ps_import_mapping_get (mapping, "Ref"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Col B"), ==, PS_IMPORT_FIELD_CUSTOMER_EMAIL);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Col C"), ==, PS_IMPORT_FIELD_CREATED_AT);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Col D"), ==, PS_IMPORT_FIELD_SHIP_COUNTRY);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Col E"), ==, PS_IMPORT_FIELD_TOTAL);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Col G"), ==, PS_IMPORT_FIELD_IGNORE);
}

static void
test_json_round_trip (void)
{
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_new ();
  g_autoptr(PsImportMapping) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  guint i;

  /* Every field, odd header text, a deliberate "ignore". */
  for (i = 0; i <= PS_IMPORT_FIELD_LAST; i++)
    {
      g_autofree char *column = g_strdup_printf ("Col “%u” \"quoted\", ünïcødé #%u", i, i);

      ps_import_mapping_set (mapping, column, i);
    }

  json = ps_import_mapping_to_json (mapping);
  back = ps_import_mapping_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (back);

  for (i = 0; i <= PS_IMPORT_FIELD_LAST; i++)
    {
      g_autofree char *column = g_strdup_printf ("Col “%u” \"quoted\", ünïcødé #%u", i, i);

      g_assert_cmpint (ps_import_mapping_get (back, column), ==, i);
    }

  /* Same text again: the order of columns is kept. */
  json_again = ps_import_mapping_to_json (back);
  g_assert_cmpstr (json, ==, json_again);
}

static void
test_json_shape (void)
{
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_new ();
  g_autofree char *json = NULL;

  ps_import_mapping_set (mapping, "Order #", PS_IMPORT_FIELD_ORDER_NUMBER);
  json = ps_import_mapping_to_json (mapping);
  g_assert_cmpstr (json, ==,
                   "{\"version\":1,\"columns\":[{\"column\":\"Order #\",\"field\":\"order_number\"}]}");
}

static void
test_json_errors (void)
{
  static const char * const bad[] = {
    "",
    "not json",
    "[]",
    "{}",
    "{\"columns\": {}}",
    "{\"columns\": [1]}",
    "{\"columns\": [{\"column\": \"A\"}]}",
    "{\"columns\": [{\"field\": \"sku\"}]}",
    "{\"columns\": [{\"column\": 3, \"field\": \"sku\"}]}",
  };
  g_autoptr(PsImportMapping) newer = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(PsImportMapping) mapping = NULL;

      g_test_message ("%s", bad[i]);
      mapping = ps_import_mapping_from_json (bad[i], &error);
      g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
      g_assert_null (mapping);
      g_clear_error (&error);
    }

  /* A field from a newer version is read as "ignore". */
  newer = ps_import_mapping_from_json ("{\"version\": 2, \"columns\": ["
                                       "{\"column\": \"Order\", \"field\": \"order_number\"},"
                                       "{\"column\": \"Gift\", \"field\": \"gift_message\"}]}",
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpint (ps_import_mapping_get (newer, "Order"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_cmpint (ps_import_mapping_get (newer, "Gift"), ==, PS_IMPORT_FIELD_IGNORE);
}

static void
test_source_key (void)
{
  static const char * const a[] = { "Order #", "Customer Name", "Qty", "SKU" };
  static const char * const b[] = { "order#", "CUSTOMER_NAME", " qty ", "sku" };
  static const char * const c[] = { "SKU", "Qty", "Order #", "Customer Name" };
  static const char * const d[] = { "Order #", "Customer Name", "Qty", "SKU", "Weight" };
  static const char * const e[] = { "Order #", "Customer", "Qty", "SKU" };
  g_autofree char *ka = ps_import_mapping_source_key (a, G_N_ELEMENTS (a));
  g_autofree char *kb = ps_import_mapping_source_key (b, G_N_ELEMENTS (b));
  g_autofree char *kc = ps_import_mapping_source_key (c, G_N_ELEMENTS (c));
  g_autofree char *kd = ps_import_mapping_source_key (d, G_N_ELEMENTS (d));
  g_autofree char *ke = ps_import_mapping_source_key (e, G_N_ELEMENTS (e));

  g_assert_cmpuint (strlen (ka), ==, 64);
  /* Case, punctuation, spacing and order do not change the key... */
  g_assert_cmpstr (ka, ==, kb);
  g_assert_cmpstr (ka, ==, kc);
  /* ...an added or renamed column does. */
  g_assert_cmpstr (ka, !=, kd);
  g_assert_cmpstr (ka, !=, ke);
}

static void
test_complete (void)
{
  g_autoptr(PsImportMapping) mapping = ps_import_mapping_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (ps_import_mapping_is_complete (mapping, &error));
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
  g_clear_error (&error);

  ps_import_mapping_set (mapping, "Qty", PS_IMPORT_FIELD_QUANTITY);
  ps_import_mapping_set (mapping, "Notes", PS_IMPORT_FIELD_IGNORE);
  g_assert_false (ps_import_mapping_is_complete (mapping, &error));
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
  g_clear_error (&error);

  ps_import_mapping_set (mapping, "Order", PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_true (ps_import_mapping_is_complete (mapping, &error));
  g_assert_no_error (error);

  /* Two columns for one field are ambiguous. */
  ps_import_mapping_set (mapping, "Quantity", PS_IMPORT_FIELD_QUANTITY);
  g_assert_false (ps_import_mapping_is_complete (mapping, &error));
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_BAD_MAPPING);
  g_clear_error (&error);

  /* Several ignored columns are fine. */
  ps_import_mapping_set (mapping, "Quantity", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Other", PS_IMPORT_FIELD_IGNORE);
  g_assert_true (ps_import_mapping_is_complete (mapping, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/importers/mapping/nicks", test_nicks);
  g_test_add_func ("/importers/mapping/set-get", test_set_get);
  g_test_add_func ("/importers/mapping/guess/names", test_guess_names);
  g_test_add_func ("/importers/mapping/guess/synonyms", test_guess_synonyms);
  g_test_add_func ("/importers/mapping/guess/first-wins", test_guess_first_wins);
  g_test_add_func ("/importers/mapping/guess/values", test_guess_values);
  g_test_add_func ("/importers/mapping/json/round-trip", test_json_round_trip);
  g_test_add_func ("/importers/mapping/json/shape", test_json_shape);
  g_test_add_func ("/importers/mapping/json/errors", test_json_errors);
  g_test_add_func ("/importers/mapping/source-key", test_source_key);
  g_test_add_func ("/importers/mapping/complete", test_complete);

  return g_test_run ();
}
