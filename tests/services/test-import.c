/* test-import.c: the import service against a real SQLite file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every fixture is written by the test itself into its isolated data
 * directory: small Shopify and spreadsheet exports as strings, and a
 * generated Shopify export for cancel and progress. Results are read back
 * with plain SQL inside database jobs (tests may use ps-database-private.h).
 */

#define G_LOG_DOMAIN "test-import"

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "ps-database-private.h"
#include "ps-import-mapping-store.h"
#include "ps-import-service.h"
#include "ps-order-writer.h"
#include "ps-tracking-number.h"

/* Fixtures */

#define SHOPIFY_HEADER \
  "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal," \
  "Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price," \
  "Lineitem sku,Lineitem requires shipping,Billing Name,Shipping Name,Shipping Address1," \
  "Shipping Address2,Shipping City,Shipping Zip,Shipping Province,Shipping Country," \
  "Shipping Phone,Id\n"

/* Three orders, #1001 with two lines. */
static const char shopify_a[] =
  SHOPIFY_HEADER
  "#1001,ann@example.com,paid,2026-11-01 10:00:00 -0400,unfulfilled,,USD,30.00,5.00,2.40,37.40,"
  "2026-11-01 09:55:00 -0400,2,Mug,15.00,MUG-1,true,Ann Lee,Ann Lee,1 Main St,,Portland,97201,"
  "OR,US,,9001\n"
  "#1001,ann@example.com,,,,,,,,,,2026-11-01 09:55:00 -0400,1,Coaster,0.00,CST-1,true,,,,,,,,,,\n"
  "#1002,bob@example.com,paid,2026-11-02 11:00:00 -0400,unfulfilled,,USD,20.00,5.00,0.00,25.00,"
  "2026-11-02 10:30:00 -0400,1,Teapot,20.00,TEA-1,true,Bob Roe,Bob Roe,2 Oak Ave,,Seattle,98101,"
  "WA,US,,9002\n"
  "#1003,cy@example.com,paid,2026-11-03 12:00:00 -0400,unfulfilled,,USD,12.00,4.00,0.00,16.00,"
  "2026-11-03 11:45:00 -0400,3,Spoon,4.00,SPN-1,true,Cy Doe,Cy Doe,3 Elm Rd,,Boise,83702,"
  "ID,US,,9003\n";

/* The next week's export: #1002 changed (total, city), #1003 as before,
 * #1004 new. */
static const char shopify_b[] =
  SHOPIFY_HEADER
  "#1002,bob@example.com,paid,2026-11-02 11:00:00 -0400,unfulfilled,,USD,20.00,5.00,0.00,27.00,"
  "2026-11-02 10:30:00 -0400,1,Teapot,20.00,TEA-1,true,Bob Roe,Bob Roe,2 Oak Ave,,Tacoma,98101,"
  "WA,US,,9002\n"
  "#1003,cy@example.com,paid,2026-11-03 12:00:00 -0400,unfulfilled,,USD,12.00,4.00,0.00,16.00,"
  "2026-11-03 11:45:00 -0400,3,Spoon,4.00,SPN-1,true,Cy Doe,Cy Doe,3 Elm Rd,,Boise,83702,"
  "ID,US,,9003\n"
  "#1004,di@example.com,paid,2026-11-04 13:00:00 -0400,unfulfilled,,USD,8.00,4.00,0.00,12.00,"
  "2026-11-04 12:10:00 -0400,1,Napkin,8.00,NAP-1,true,Di Poe,Di Poe,4 Ash Ln,,Salem,97301,"
  "OR,US,,9004\n";

/* #2002 (line 3) has a quantity that is not a number. */
static const char shopify_bad_row[] =
  SHOPIFY_HEADER
  "#2001,ann@example.com,paid,2026-11-01 10:00:00 -0400,unfulfilled,,USD,15.00,5.00,0.00,20.00,"
  "2026-11-01 09:55:00 -0400,1,Mug,15.00,MUG-1,true,Ann Lee,Ann Lee,1 Main St,,Portland,97201,"
  "OR,US,,9101\n"
  "#2002,bob@example.com,paid,2026-11-02 11:00:00 -0400,unfulfilled,,USD,20.00,5.00,0.00,25.00,"
  "2026-11-02 10:30:00 -0400,two,Teapot,20.00,TEA-1,true,Bob Roe,Bob Roe,2 Oak Ave,,Seattle,"
  "98101,WA,US,,9102\n"
  "#2003,cy@example.com,paid,2026-11-03 12:00:00 -0400,unfulfilled,,USD,12.00,4.00,0.00,16.00,"
  "2026-11-03 11:45:00 -0400,3,Spoon,4.00,SPN-1,true,Cy Doe,Cy Doe,3 Elm Rd,,Boise,83702,"
  "ID,US,,9103\n";

/* A spreadsheet no dialect knows; tracking numbers are filled in below. */
#define SHEET_HEADER "Order Ref,Placed,Buyer,Buyer Mail,Street,Town,Region,Post Code,Land," \
                     "Article,Description,Count,Each,Grand Total,Parcel Number\n"

static const char empty_file[] = "";
static const char png_bytes[] =
  "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xff";
static const char header_only[] = SHOPIFY_HEADER;
static const char unknown_header[] = "foo,bar,baz\n1,2,3\n4,5,6\n";

/* Etsy's two files of one month. */
static const char etsy_orders[] =
  "Sale Date,Order ID,Buyer User ID,Full Name,First Name,Last Name,Number of Items,"
  "Payment Method,Date Shipped,Street 1,Street 2,Ship City,Ship State,Ship Zipcode,"
  "Ship Country,Currency,Order Value,Coupon Code,Coupon Details,Discount Amount,"
  "Shipping Discount,Shipping,Sales Tax,Order Total,Status,Card Processing Fees,Order Net,"
  "Adjusted Order Total,Adjusted Card Processing Fees,Adjusted Net Order Amount,Buyer,"
  "Order Type,Payment Type,InPerson Discount,InPerson Location,SKU\n"
  "09/03/26,3001,u1,Ann Lee,Ann,Lee,3,Credit,,1 Main St,,Portland,OR,97201,United States,"
  "USD,40.00,,,0,0,5.00,0,45.00,Completed,1.00,44.00,45.00,1.00,44.00,annlee,online,card,,,\n"
  "09/04/26,3002,u2,Bob Roe,Bob,Roe,1,Credit,,2 Oak Ave,,Seattle,WA,98101,United States,USD,"
  "20.00,,,0,0,5.00,0,25.00,Completed,1.00,24.00,25.00,1.00,24.00,bobroe,online,card,,,TEA-1\n";

static const char etsy_items[] =
  "Sale Date,Item Name,Buyer,Quantity,Price,Coupon Code,Coupon Details,Discount Amount,"
  "Shipping Discount,Order Shipping,Order Sales Tax,Item Total,Currency,Transaction ID,"
  "Listing ID,Date Paid,Date Shipped,Ship Name,Ship Address1,Ship Address2,Ship City,"
  "Ship State,Ship Zipcode,Ship Country,Order ID,Variations,Order Type,Listings Type,"
  "Payment Type,InPerson Discount,InPerson Location,VAT Paid by Buyer,SKU\n"
  "09/03/26,Mug,annlee,2,15.00,,,0,0,5.00,0,30.00,USD,t1,l1,09/03/26,,Ann Lee,1 Main St,,"
  "Portland,OR,97201,United States,3001,Color: Blue,online,listing,card,,,0,MUG-1\n"
  "09/03/26,Coaster,annlee,1,10.00,,,0,0,5.00,0,10.00,USD,t3,l3,09/03/26,,Ann Lee,1 Main St,,"
  "Portland,OR,97201,United States,3001,,online,listing,card,,,0,CST-1\n"
  "09/04/26,Teapot,bobroe,1,20.00,,,0,0,5.00,0,20.00,USD,t2,l2,09/04/26,,Bob Roe,2 Oak Ave,,"
  "Seattle,WA,98101,United States,3002,,online,listing,card,,,0,TEA-1\n";

/* Helpers */

static char *
write_fixture (const char *name,
               const char *contents,
               gssize      length)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "fixtures", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static PsContext *
open_context (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  PsContext *context;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  return context;
}

static gpointer
int_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64 *value;
  int rc;

  rc = sqlite3_prepare_v2 (_ps_database_get_handle (db), data, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "%s: %s", (const char *)data,
                   sqlite3_errmsg (_ps_database_get_handle (db)));
      return NULL;
    }
  value = g_new0 (gint64, 1);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static gint64
query_int (PsContext  *context,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *value = ps_database_run_sync (ps_context_get_database (context), int_job,
                                                   (gpointer)sql, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return *value;
}

static gpointer
text_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (sqlite3_prepare_v2 (_ps_database_get_handle (db), data, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "%s", (const char *)data);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  else
    value = g_strdup ("");
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (PsContext  *context,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = ps_database_run_sync (ps_context_get_database (context), text_job,
                                      (gpointer)sql, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
assert_int (PsContext  *context,
            const char *sql,
            gint64      expected)
{
  gint64 value = query_int (context, sql);

  if (value != expected)
    g_test_message ("%s", sql);
  g_assert_cmpint (value, ==, expected);
}

static gpointer
exec_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  if (!_ps_database_exec (db, data, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
exec_sql (PsContext  *context,
          const char *sql)
{
  g_autoptr(GError) error = NULL;

  ps_database_run_sync (ps_context_get_database (context), exec_job, (gpointer)sql, NULL, &error);
  g_assert_no_error (error);
}

/* A fingerprint of everything an import may write. */
static char *
row_counts (PsContext *context)
{
  return query_text (context,
                     "SELECT (SELECT count(*) FROM orders) || '/' ||"
                     " (SELECT count(*) FROM line_items) || '/' ||"
                     " (SELECT count(*) FROM shipments) || '/' ||"
                     " (SELECT count(*) FROM events) || '/' ||"
                     " (SELECT count(*) FROM channels) || '/' ||"
                     " (SELECT coalesce (sum (total_minor), 0) FROM orders)");
}

typedef struct
{
  GAsyncResult *result;
  guint         n_progress;
  goffset       last_done;
  goffset       last_total;
  guint         last_orders;
  GCancellable *cancel_on_progress;
  guint         changed;
} Run;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;

  run->result = g_object_ref (result);
}

static void
progress_cb (guint    file_index,
             guint    n_files,
             goffset  bytes_done,
             goffset  bytes_total,
             guint    orders_done,
             gpointer user_data)
{
  Run *run = user_data;

  g_assert_cmpuint (file_index, <, n_files);
  g_assert_cmpint (bytes_done, <=, bytes_total);
  run->n_progress++;
  run->last_done = bytes_done;
  run->last_total = bytes_total;
  g_assert_cmpuint (orders_done, >=, run->last_orders);
  run->last_orders = orders_done;
  if (run->cancel_on_progress != NULL && orders_done > 0)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
on_orders_changed_cb (PsOrderStore *store,
                      GArray       *ids,
                      Run          *run)
{
  run->changed++;
}

static void
wait_for (Run *run)
{
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static PsImportResult *
import_full (PsContext              *context,
             const char * const     *paths,
             PsImportFormat          format,
             const PsImportMapping  *mapping,
             Run                    *run,
             GCancellable           *cancellable,
             GError                **error)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  PsImportResult *result;
  gulong handler;

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));

  handler = g_signal_connect (ps_context_get_order_store (context), "orders-changed",
                              G_CALLBACK (on_orders_changed_cb), run);
  ps_import_service_import_async (context, (GFile **)files->pdata, files->len, format, mapping,
                                  progress_cb, run, NULL, cancellable, done_cb, run);
  wait_for (run);
  g_signal_handler_disconnect (ps_context_get_order_store (context), handler);

  result = ps_import_service_import_finish (context, run->result, error);
  g_clear_object (&run->result);
  return result;
}

static PsImportResult *
import_ok (PsContext  *context,
           const char *path)
{
  const char *paths[] = { path, NULL };
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  PsImportResult *result;

  result = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->files->len, ==, 1);
  return result;
}

static void
assert_counts (const PsImportResult *r,
               guint                 created,
               guint                 updated,
               guint                 unchanged,
               guint                 rejected)
{
  g_assert_cmpuint (r->orders_created, ==, created);
  g_assert_cmpuint (r->orders_updated, ==, updated);
  g_assert_cmpuint (r->orders_unchanged, ==, unchanged);
  g_assert_cmpuint (r->rows_rejected, ==, rejected);
}

/* A Shopify export of @n_orders orders with two line items each. */
static char *
write_big_shopify (const char *name,
                   guint       n_orders)
{
  g_autoptr(GString) s = g_string_new (SHOPIFY_HEADER);

  for (guint i = 0; i < n_orders; i++)
    {
      g_string_append_printf (s,
        "#%u,c%u@example.com,paid,2026-10-01 10:00:00 -0400,unfulfilled,,USD,35.00,5.00,0.00,"
        "40.00,2026-10-01 09:00:00 -0400,1,Mug,15.00,MUG-%u,true,Cus Tomer,Cus Tomer,%u Main St,,"
        "Portland,97201,OR,US,,%u\n"
        "#%u,c%u@example.com,,,,,,,,,,2026-10-01 09:00:00 -0400,1,Bowl,20.00,BWL-1,true,,,,,,,,,,\n",
        100000 + i, i, i % 50, i + 1, 500000 + i, 100000 + i, i);
    }
  return write_fixture (name, s->str, (gssize)s->len);
}

/* Tests */

static void
test_create_update_unchanged (void)
{
  g_autoptr(PsContext) context = open_context ("counts.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autofree char *b = write_fixture ("b.csv", shopify_b, -1);
  g_autoptr(PsImportResult) first = NULL;
  g_autoptr(PsImportResult) second = NULL;
  g_autofree char *data = NULL;
  PsImportFileResult *file;

  first = import_ok (context, a);
  assert_counts (first, 3, 0, 0, 0);
  g_assert_cmpuint (first->line_items, ==, 4);
  file = g_ptr_array_index (first->files, 0);
  g_assert_no_error (file->error);
  g_assert_cmpint (file->format, ==, PS_IMPORT_FORMAT_SHOPIFY);
  g_assert_cmpstr (file->file_name, ==, "a.csv");

  assert_int (context, "SELECT count(*) FROM orders", 3);
  assert_int (context, "SELECT count(*) FROM line_items", 4);
  assert_int (context, "SELECT count(*) FROM channels", 1);
  assert_int (context, "SELECT count(*) FROM events WHERE type = 'order.imported'", 3);
  assert_int (context, "SELECT item_count FROM orders WHERE order_number = '#1001'", 3);
  assert_int (context, "SELECT total_minor FROM orders WHERE order_number = '#1001'", 3740);
  assert_int (context, "SELECT count(*) FROM orders WHERE source_hash IS NULL", 0);
  assert_int (context, "SELECT count(*) FROM orders WHERE ship_region IS NULL", 0);

  /* An overlapping export: one new, one changed, one as before. */
  second = import_ok (context, b);
  assert_counts (second, 1, 1, 1, 0);
  assert_int (context, "SELECT count(*) FROM orders", 4);
  assert_int (context, "SELECT total_minor FROM orders WHERE order_number = '#1002'", 2700);
  assert_int (context, "SELECT count(*) FROM events WHERE type = 'order.updated'", 1);
  data = query_text (context,
                     "SELECT e.data FROM events e JOIN orders o ON o.id = e.order_id"
                     " WHERE e.type = 'order.updated' AND o.order_number = '#1002'");
  g_assert_nonnull (strstr (data, "\"changed\""));
  g_assert_nonnull (strstr (data, "\"total\""));
  g_assert_nonnull (strstr (data, "\"ship_city\""));
  g_assert_null (strstr (data, "\"customer_name\""));
  g_assert_null (strstr (data, "\"line_items\""));
}

static void
test_reimport_idempotent (void)
{
  g_autoptr(PsContext) context = open_context ("idempotent.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autoptr(PsImportResult) first = NULL;
  g_autoptr(PsImportResult) second = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  first = import_ok (context, a);
  assert_counts (first, 3, 0, 0, 0);
  before = row_counts (context);

  second = import_ok (context, a);
  assert_counts (second, 0, 0, 3, 0);
  g_assert_cmpuint (second->line_items, ==, 0);
  g_assert_cmpuint (second->shipments_created, ==, 0);
  after = row_counts (context);
  g_assert_cmpstr (before, ==, after);
}

static void
test_merchant_edits_survive (void)
{
  g_autoptr(PsContext) context = open_context ("edits.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autofree char *b = write_fixture ("b.csv", shopify_b, -1);
  g_autoptr(PsImportResult) first = NULL;
  g_autoptr(PsImportResult) second = NULL;

  first = import_ok (context, a);

  /* What the merchant did inside Postsale to #1002. */
  exec_sql (context,
            "UPDATE orders SET status = 'on_hold', priority = 1, hold_until = 1800000000"
            " WHERE order_number = '#1002';"
            "INSERT INTO tags (name) VALUES ('vip');"
            "INSERT INTO order_tags (order_id, tag_id) SELECT o.id, t.id FROM orders o, tags t"
            " WHERE o.order_number = '#1002' AND t.name = 'vip';"
            "INSERT INTO notes (order_id, created_at, author, body) SELECT id, 1, 'merchant',"
            " 'Gift wrap' FROM orders WHERE order_number = '#1002';"
            "INSERT INTO shipments (order_id, carrier, service, tracking_number, created_at)"
            " SELECT id, 'ups', 'ground', '1ZMANUAL', 1 FROM orders WHERE order_number = '#1002';");

  second = import_ok (context, b);
  assert_counts (second, 1, 1, 1, 0);

  assert_int (context, "SELECT total_minor FROM orders WHERE order_number = '#1002'", 2700);
  assert_int (context, "SELECT count(*) FROM orders WHERE order_number = '#1002'"
                       " AND status = 'on_hold' AND priority = 1 AND hold_until = 1800000000", 1);
  assert_int (context, "SELECT count(*) FROM order_tags ot JOIN orders o ON o.id = ot.order_id"
                       " WHERE o.order_number = '#1002'", 1);
  assert_int (context, "SELECT count(*) FROM notes n JOIN orders o ON o.id = n.order_id"
                       " WHERE o.order_number = '#1002' AND n.body = 'Gift wrap'", 1);
  assert_int (context, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                       " WHERE o.order_number = '#1002' AND s.tracking_number = '1ZMANUAL'", 1);
  /* A new order gets the status the file implies. */
  assert_int (context, "SELECT count(*) FROM orders WHERE order_number = '#1004'"
                       " AND status = 'awaiting_shipment'", 1);
}

/* The spreadsheet fixture, with real tracking numbers. */
static char *
sheet_contents (gboolean changed)
{
  g_autofree char *ups = ps_tracking_number_make (PS_TRACKING_FORMAT_UPS, 7);
  g_autofree char *usps = ps_tracking_number_make (PS_TRACKING_FORMAT_USPS_IMPB, 8);
  g_autofree char *fedex = ps_tracking_number_make (PS_TRACKING_FORMAT_FEDEX_EXPRESS, 9);

  return g_strdup_printf (SHEET_HEADER
                          "S-1,2026-11-01,Ann Lee,ann@example.com,1 Main St,Portland,OR,97201,US,"
                          "MUG-1,Mug,2,15.00,30.00,%s\n"
                          "S-2,2026-11-02,Bob Roe,bob@example.com,2 Oak Ave,Seattle,WA,98101,US,"
                          "TEA-1,Teapot,1,20.00,20.00,%s\n"
                          "S-3,2026-11-03,Cy Doe,cy@example.com,3 Elm Rd,Boise,ID,83702,US,"
                          "SPN-1,Spoon,3,4.00,12.00,%s\n"
                          "S-4,2026-11-04,Di Poe,di@example.com,4 Ash Ln,Salem,OR,97301,US,"
                          "NAP-1,Napkin,1,8.00,8.00,%s\n",
                          ups, usps, changed ? fedex : "", changed ? "NOT-A-NUMBER-1" : "");
}

static PsImportMapping *
sheet_mapping (void)
{
  static const struct { const char *column; PsImportField field; } columns[] = {
    { "Order Ref", PS_IMPORT_FIELD_ORDER_NUMBER },
    { "Placed", PS_IMPORT_FIELD_CREATED_AT },
    { "Buyer", PS_IMPORT_FIELD_SHIP_NAME },
    { "Buyer Mail", PS_IMPORT_FIELD_CUSTOMER_EMAIL },
    { "Street", PS_IMPORT_FIELD_SHIP_LINE1 },
    { "Town", PS_IMPORT_FIELD_SHIP_CITY },
    { "Region", PS_IMPORT_FIELD_SHIP_STATE },
    { "Post Code", PS_IMPORT_FIELD_SHIP_POSTCODE },
    { "Land", PS_IMPORT_FIELD_SHIP_COUNTRY },
    { "Article", PS_IMPORT_FIELD_SKU },
    { "Description", PS_IMPORT_FIELD_ITEM_NAME },
    { "Count", PS_IMPORT_FIELD_QUANTITY },
    { "Each", PS_IMPORT_FIELD_UNIT_PRICE },
    { "Grand Total", PS_IMPORT_FIELD_TOTAL },
    { "Parcel Number", PS_IMPORT_FIELD_TRACKING_NUMBER },
  };
  PsImportMapping *mapping = ps_import_mapping_new ();

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    ps_import_mapping_set (mapping, columns[i].column, columns[i].field);
  return mapping;
}

static void
test_tracking_numbers (void)
{
  g_autoptr(PsContext) context = open_context ("tracking.db");
  g_autofree char *first_text = sheet_contents (FALSE);
  g_autofree char *second_text = sheet_contents (TRUE);
  g_autofree char *first_path = write_fixture ("sheet-1.csv", first_text, -1);
  g_autofree char *second_path = write_fixture ("sheet-2.csv", second_text, -1);
  g_autofree char *ups = ps_tracking_number_make (PS_TRACKING_FORMAT_UPS, 7);
  g_autofree char *data = NULL;
  g_autoptr(PsImportMapping) mapping = sheet_mapping ();
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *first[] = { first_path, NULL };
  const char *second[] = { second_path, NULL };
  Run run = { 0 };

  r = import_full (context, first, PS_IMPORT_FORMAT_GENERIC, mapping, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 4, 0, 0, 0);
  g_assert_cmpuint (r->shipments_created, ==, 2);
  assert_int (context, "SELECT count(*) FROM shipments", 2);
  assert_int (context, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                       " WHERE o.order_number = 'S-1' AND s.carrier = 'ups'"
                       " AND s.tracking_status = 'unknown' AND s.label_created_at IS NOT NULL", 1);
  assert_int (context, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                       " WHERE o.order_number = 'S-2' AND s.carrier = 'usps'", 1);
  assert_int (context, "SELECT count(*) FROM orders o JOIN shipments s"
                       " ON s.id = o.last_shipment_id WHERE o.order_number = 'S-1'", 1);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM shipments"
                                            " WHERE tracking_number = '%s'", ups);
    assert_int (context, sql, 1);
  }

  /* Again with two more numbers: one FedEx, one no carrier knows. The
   * existing ones are not duplicated. */
  g_clear_pointer (&r, ps_import_result_free);
  r = import_full (context, second, PS_IMPORT_FORMAT_GENERIC, mapping, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 0, 2, 2, 0);
  g_assert_cmpuint (r->shipments_created, ==, 2);
  assert_int (context, "SELECT count(*) FROM shipments", 4);
  assert_int (context, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                       " WHERE o.order_number = 'S-3' AND s.carrier = 'fedex'", 1);
  assert_int (context, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id"
                       " WHERE o.order_number = 'S-4' AND s.carrier = 'unknown'", 1);
  data = query_text (context,
                     "SELECT e.data FROM events e JOIN orders o ON o.id = e.order_id"
                     " WHERE e.type = 'order.updated' AND o.order_number = 'S-3'");
  g_assert_nonnull (strstr (data, "\"tracking_numbers\""));

  /* And once more: nothing new anywhere. */
  g_clear_pointer (&r, ps_import_result_free);
  r = import_full (context, second, PS_IMPORT_FORMAT_GENERIC, mapping, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 0, 0, 4, 0);
  assert_int (context, "SELECT count(*) FROM shipments", 4);
}

static void
test_rejected_rows (void)
{
  g_autoptr(PsContext) context = open_context ("rejected.db");
  g_autofree char *path = write_fixture ("bad-row.csv", shopify_bad_row, -1);
  g_autofree char *out_path = g_build_filename (g_get_user_data_dir (), "rejected-out.csv", NULL);
  g_autofree char *saved = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (out_path);
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  PsImportFileResult *file;
  const PsImportProblem *problem;
  Run run = { 0 };

  r = import_ok (context, path);
  assert_counts (r, 2, 0, 0, 1);
  file = g_ptr_array_index (r->files, 0);
  g_assert_cmpuint (file->problems->len, ==, 1);
  problem = &g_array_index (file->problems, PsImportProblem, 0);
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_nonnull (problem->message);
  assert_int (context, "SELECT count(*) FROM orders", 2);
  assert_int (context, "SELECT count(*) FROM orders WHERE order_number = '#2002'", 0);

  /* The rejected rows can be saved for fixing: the header and row 3. */
  ps_import_service_save_rejected_async (r, out, NULL, done_cb, &run);
  wait_for (&run);
  g_assert_true (ps_import_service_save_rejected_finish (run.result, &error));
  g_assert_no_error (error);
  g_clear_object (&run.result);
  g_file_get_contents (out_path, &saved, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (saved, SHOPIFY_HEADER));
  g_assert_nonnull (strstr (saved, "#2002"));
  g_assert_null (strstr (saved, "#2001"));
  g_assert_null (strstr (saved, "#2003"));
}

static void
test_unreadable_files (void)
{
  static const struct { const char *name; const char *contents; gssize length; int code; } cases[] = {
    { "empty.csv", empty_file, 0, PS_IMPORT_ERROR_EMPTY },
    { "binary.csv", png_bytes, sizeof png_bytes - 1, PS_IMPORT_ERROR_BINARY },
    { "header-only.csv", header_only, -1, PS_IMPORT_ERROR_HEADER_ONLY },
    { "unknown.csv", unknown_header, -1, PS_IMPORT_ERROR_NEEDS_MAPPING },
  };
  g_autoptr(PsContext) context = open_context ("unreadable.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autoptr(PsImportResult) first = import_ok (context, a);
  g_autofree char *before = row_counts (context);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_fixture (cases[i].name, cases[i].contents, cases[i].length);
      g_autofree char *after = NULL;
      g_autoptr(PsImportResult) r = NULL;
      g_autoptr(GError) error = NULL;
      const char *paths[] = { path, NULL };
      Run run = { 0 };

      g_test_message ("%s", cases[i].name);
      r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
      g_assert_null (r);
      g_assert_error (error, PS_IMPORT_ERROR, cases[i].code);
      g_assert_cmpuint (run.changed, ==, 0);
      after = row_counts (context);
      g_assert_cmpstr (before, ==, after);
    }

  /* A missing file is a read error, not a crash. */
  {
    g_autofree char *path = g_build_filename (g_get_user_data_dir (), "missing.csv", NULL);
    g_autoptr(PsImportResult) r = NULL;
    g_autoptr(GError) error = NULL;
    const char *paths[] = { path, NULL };
    Run run = { 0 };

    r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
    g_assert_null (r);
    g_assert_nonnull (error);
  }
}

static void
test_several_files (void)
{
  g_autoptr(PsContext) context = open_context ("several.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autofree char *empty = write_fixture ("empty.csv", empty_file, 0);
  g_autofree char *b = write_fixture ("b.csv", shopify_b, -1);
  const char *paths[] = { a, empty, b, NULL };
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  PsImportFileResult *file;
  Run run = { 0 };

  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->files->len, ==, 3);
  g_assert_cmpuint (r->n_failed, ==, 1);
  assert_counts (r, 4, 1, 1, 0);
  file = g_ptr_array_index (r->files, 1);
  g_assert_error (file->error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY);
  file = g_ptr_array_index (r->files, 2);
  g_assert_no_error (file->error);
  g_assert_cmpuint (file->orders_created, ==, 1);
  g_assert_cmpuint (run.changed, ==, 1);
  assert_int (context, "SELECT count(*) FROM orders", 4);
}

static void
test_forced_format (void)
{
  g_autoptr(PsContext) context = open_context ("forced.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  const char *paths[] = { a, NULL };
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  r = import_full (context, paths, PS_IMPORT_FORMAT_AMAZON, NULL, &run, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT);
  assert_int (context, "SELECT count(*) FROM orders", 0);

  g_clear_error (&error);
  r = import_full (context, paths, PS_IMPORT_FORMAT_SHOPIFY, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 3, 0, 0, 0);
}

static void
test_etsy_pair (void)
{
  g_autoptr(PsContext) context = open_context ("etsy.db");
  g_autofree char *orders = write_fixture ("EtsySoldOrders2026-9.csv", etsy_orders, -1);
  g_autofree char *items = write_fixture ("EtsySoldOrderItems2026-9.csv", etsy_items, -1);
  const char *paths[] = { items, orders, NULL };
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  PsImportFileResult *file;
  Run run = { 0 };

  /* Given in any order, the two files are joined into one import. */
  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->files->len, ==, 1);
  file = g_ptr_array_index (r->files, 0);
  g_assert_cmpstr (file->file_name, ==, "EtsySoldOrders2026-9.csv + EtsySoldOrderItems2026-9.csv");
  assert_counts (r, 2, 0, 0, 0);
  g_assert_cmpuint (r->line_items, ==, 3);
  assert_int (context, "SELECT count(*) FROM line_items l JOIN orders o ON o.id = l.order_id"
                       " WHERE o.order_number = '3001'", 2);
  assert_int (context, "SELECT count(*) FROM orders o JOIN channels c ON c.id = o.channel_id"
                       " WHERE c.kind = 'etsy' AND o.ship_country = 'US'", 2);

  /* Forcing Etsy is fine for Etsy files, and an Etsy re-import is a no-op. */
  g_clear_pointer (&r, ps_import_result_free);
  r = import_full (context, paths, PS_IMPORT_FORMAT_ETSY_ORDERS, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 0, 0, 2, 0);
}

static void
test_cancel (void)
{
  g_autoptr(PsContext) context = open_context ("cancel.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autofree char *big = write_big_shopify ("big.csv", 60000);
  g_autoptr(PsImportResult) first = import_ok (context, a);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *before = row_counts (context);
  g_autofree char *after = NULL;
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { big, NULL };
  Run run = { 0 };

  run.cancel_on_progress = cancellable;
  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (run.n_progress, >=, 1);
  after = row_counts (context);
  g_assert_cmpstr (before, ==, after);
  assert_int (context, "SELECT count(*) FROM orders WHERE order_number = '#100000'", 0);

  /* The database is fine afterwards: the same file imports. */
  g_clear_error (&error);
  {
    g_autoptr(PsImportResult) again = import_ok (context, big);
    assert_counts (again, 60000, 0, 0, 0);
    g_assert_cmpuint (again->line_items, ==, 120000);
  }
  assert_int (context, "SELECT count(*) FROM orders", 60003);
}

static void
test_progress (void)
{
  g_autoptr(PsContext) context = open_context ("progress.db");
  g_autofree char *big = write_big_shopify ("progress.csv", 30000);
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { big, NULL };
  Run run = { 0 };

  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 30000, 0, 0, 0);
  g_assert_cmpuint (run.n_progress, >=, 1);
  /* The last call says the file is done. */
  g_assert_cmpint (run.last_total, >, 0);
  g_assert_cmpint (run.last_done, ==, run.last_total);
  g_assert_cmpuint (run.last_orders, ==, 30000);
  g_assert_cmpuint (run.changed, ==, 1);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  done_cb (object, result, user_data);
}

static PsImportMapping *
lookup_mapping (PsContext          *context,
                const char * const *header,
                guint               n_columns)
{
  g_autoptr(GError) error = NULL;
  PsImportMapping *mapping;
  Run run = { 0 };

  ps_import_service_lookup_mapping_async (context, header, n_columns, NULL, lookup_cb, &run);
  wait_for (&run);
  mapping = ps_import_service_lookup_mapping_finish (context, run.result, &error);
  g_assert_no_error (error);
  g_clear_object (&run.result);
  return mapping;
}

static void
test_saved_mapping (void)
{
  g_autoptr(PsContext) context = open_context ("mapping.db");
  g_autofree char *text = sheet_contents (FALSE);
  g_autofree char *path = write_fixture ("sheet.csv", text, -1);
  g_autoptr(PsImportMapping) mapping = sheet_mapping ();
  g_autoptr(PsImportMapping) found = NULL;
  g_autoptr(PsImportMapping) none = NULL;
  g_autoptr(PsImportResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) header = g_strsplit ("Order Ref,Placed,Buyer,Buyer Mail,Street,Town,Region,"
                                     "Post Code,Land,Article,Description,Count,Each,Grand Total,"
                                     "Parcel Number", ",", -1);
  const char *paths[] = { path, NULL };
  const char *other[] = { "a", "b" };
  Run run = { 0 };

  /* Unknown layout, nothing saved: the import asks for a mapping. */
  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING);
  g_clear_error (&error);

  none = lookup_mapping (context, (const char * const *)header, g_strv_length (header));
  g_assert_null (none);

  ps_import_service_save_mapping_async (context, (const char * const *)header,
                                        g_strv_length (header), "Market sheet", mapping, NULL,
                                        done_cb, &run);
  wait_for (&run);
  g_assert_true (ps_import_service_save_mapping_finish (context, run.result, &error));
  g_assert_no_error (error);
  g_clear_object (&run.result);
  assert_int (context, "SELECT count(*) FROM import_mappings WHERE name = 'Market sheet'", 1);

  found = lookup_mapping (context, (const char * const *)header, g_strv_length (header));
  g_assert_nonnull (found);
  g_assert_cmpint (ps_import_mapping_get (found, "Order Ref"), ==, PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_null (lookup_mapping (context, other, G_N_ELEMENTS (other)));

  /* Next week's file of that layout imports without questions. */
  r = import_full (context, paths, PS_IMPORT_FORMAT_AUTO, NULL, &run, NULL, &error);
  g_assert_no_error (error);
  assert_counts (r, 4, 0, 0, 0);
  g_assert_cmpint (((PsImportFileResult *)g_ptr_array_index (r->files, 0))->format, ==,
                   PS_IMPORT_FORMAT_GENERIC);

  /* Saving again for the same layout replaces, never duplicates. */
  ps_import_service_save_mapping_async (context, (const char * const *)header,
                                        g_strv_length (header), "Market sheet v2", mapping, NULL,
                                        done_cb, &run);
  wait_for (&run);
  g_assert_true (ps_import_service_save_mapping_finish (context, run.result, &error));
  g_clear_object (&run.result);
  assert_int (context, "SELECT count(*) FROM import_mappings", 1);
  assert_int (context, "SELECT count(*) FROM import_mappings WHERE name = 'Market sheet v2'", 1);
}

static gpointer
mapping_store_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(PsImportMappingRow) row = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!ps_import_mapping_store_save_sync (db, "key-b", "Market", "{\"a\":\"sku\"}", 100, error) ||
      !ps_import_mapping_store_save_sync (db, "key-a", "Atelier", "{}", 200, error) ||
      !ps_import_mapping_store_save_sync (db, "key-c", "market", "{\"b\":\"sku\"}", 300, error))
    return NULL;

  /* By name: any ASCII case, the most recently saved. */
  row = ps_import_mapping_store_lookup_name_sync (db, "MARKET", &local_error);
  g_assert_no_error (local_error);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->source_key, ==, "key-c");
  g_clear_pointer (&row, ps_import_mapping_row_free);

  row = ps_import_mapping_store_lookup_key_sync (db, "key-b", &local_error);
  g_assert_no_error (local_error);
  g_assert_cmpstr (row->mapping, ==, "{\"a\":\"sku\"}");
  g_assert_cmpint (row->created_at, ==, 100);
  g_clear_pointer (&row, ps_import_mapping_row_free);

  /* Saving a layout again replaces it and keeps its creation time. */
  if (!ps_import_mapping_store_save_sync (db, "key-b", "Market stall", "{}", 400, error))
    return NULL;
  row = ps_import_mapping_store_lookup_key_sync (db, "key-b", &local_error);
  g_assert_cmpstr (row->name, ==, "Market stall");
  g_assert_cmpint (row->created_at, ==, 100);
  g_assert_cmpint (row->updated_at, ==, 400);
  g_clear_pointer (&row, ps_import_mapping_row_free);

  g_assert_null (ps_import_mapping_store_lookup_key_sync (db, "nope", &local_error));
  g_assert_no_error (local_error);
  g_assert_null (ps_import_mapping_store_lookup_name_sync (db, "nope", &local_error));
  g_assert_no_error (local_error);
  return GINT_TO_POINTER (TRUE);
}

static void
test_mapping_store (void)
{
  g_autoptr(PsContext) context = open_context ("mapping-store.db");
  PsDatabase *db = ps_context_get_database (context);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };

  ps_database_run_sync (db, mapping_store_job, NULL, NULL, &error);
  g_assert_no_error (error);

  ps_import_mapping_store_list_async (db, NULL, done_cb, &run);
  wait_for (&run);
  rows = ps_import_mapping_store_list_finish (db, run.result, &error);
  g_clear_object (&run.result);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (((PsImportMappingRow *)g_ptr_array_index (rows, 0))->name, ==, "Atelier");
  g_assert_cmpstr (((PsImportMappingRow *)g_ptr_array_index (rows, 1))->name, ==, "market");
  g_assert_cmpstr (((PsImportMappingRow *)g_ptr_array_index (rows, 2))->name, ==, "Market stall");
  g_clear_pointer (&rows, g_ptr_array_unref);

  ps_import_mapping_store_delete_async (db, "key-a", NULL, done_cb, &run);
  wait_for (&run);
  g_assert_true (ps_import_mapping_store_delete_finish (db, run.result, &error));
  g_clear_object (&run.result);
  g_assert_no_error (error);
  assert_int (context, "SELECT count(*) FROM import_mappings", 2);
}

static PsImportPreview *
preview (const char             *path,
         const PsImportMapping  *mapping,
         guint                   n_sample,
         GError                **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  PsImportPreview *p;
  Run run = { 0 };

  ps_import_service_preview_async (&file, 1, mapping ? PS_IMPORT_FORMAT_GENERIC
                                                     : PS_IMPORT_FORMAT_AUTO,
                                   mapping, n_sample, NULL, done_cb, &run);
  wait_for (&run);
  p = ps_import_service_preview_finish (run.result, error);
  g_clear_object (&run.result);
  return p;
}

static void
test_preview (void)
{
  g_autoptr(PsContext) context = open_context ("preview.db");
  g_autofree char *a = write_fixture ("a.csv", shopify_a, -1);
  g_autofree char *text = sheet_contents (FALSE);
  g_autofree char *sheet = write_fixture ("sheet.csv", text, -1);
  g_autofree char *empty = write_fixture ("empty.csv", empty_file, 0);
  g_autoptr(PsImportMapping) mapping = sheet_mapping ();
  g_autoptr(PsImportPreview) p = NULL;
  g_autoptr(GError) error = NULL;
  const PsImportRecord *record;

  p = preview (a, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_false (p->needs_mapping);
  g_assert_cmpuint (p->orders, ==, 3);
  g_assert_cmpuint (p->line_items, ==, 4);
  g_assert_cmpuint (p->rows_rejected, ==, 0);
  g_assert_cmpuint (p->sample->len, ==, 2);
  g_assert_cmpint (p->format, ==, PS_IMPORT_FORMAT_SHOPIFY);
  g_assert_nonnull (p->header);
  g_assert_cmpstr (p->header[0], ==, "Name");
  record = g_ptr_array_index (p->sample, 0);
  g_assert_cmpstr (record->order_number, ==, "#1001");
  g_clear_pointer (&p, ps_import_preview_free);

  /* An unknown layout is not an error: header, sample cells, a guess. */
  p = preview (sheet, NULL, 2, &error);
  g_assert_no_error (error);
  g_assert_true (p->needs_mapping);
  g_assert_cmpuint (p->orders, ==, 0);
  g_assert_cmpuint (g_strv_length (p->header), ==, 15);
  g_assert_cmpstr (p->header[0], ==, "Order Ref");
  g_assert_nonnull (p->guess);
  g_assert_nonnull (p->sample_rows);
  g_assert_cmpuint (p->sample_rows->len, ==, 4);
  g_assert_cmpstr (((GStrv)g_ptr_array_index (p->sample_rows, 0))[0], ==, "S-1");
  g_clear_pointer (&p, ps_import_preview_free);

  p = preview (sheet, mapping, 10, &error);
  g_assert_no_error (error);
  g_assert_false (p->needs_mapping);
  g_assert_cmpuint (p->orders, ==, 4);
  g_assert_cmpuint (p->sample->len, ==, 4);
  g_clear_pointer (&p, ps_import_preview_free);

  p = preview (empty, NULL, 2, &error);
  g_assert_null (p);
  g_assert_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_EMPTY);

  /* Nothing was written by any preview. */
  assert_int (context, "SELECT count(*) FROM orders", 0);
}

/* The writer directly: line items keep their ids when updated in place,
 * and a line a return refers to survives the file dropping it. */
typedef struct
{
  int    step;
  gint64 first_line_id;
} LinesJob;

static gpointer
lines_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  LinesJob *job = data;
  g_autoptr(PsOrderWriter) writer = NULL;
  PsLineFields two[] = {
    { "A", "Apple", NULL, 1, 100, 10 },
    { "B", "Banana", NULL, 2, 200, 20 },
  };
  PsLineFields one[] = {
    { "A", "Apple", NULL, 3, 100, 10 },
  };
  PsOrderFields order = { 0 };
  PsUpsertResult r;
  gint64 order_id = 0;

  order.channel_name = "Shop";
  order.channel_kind = PS_CHANNEL_KIND_CUSTOM;
  order.order_number = "L-1";
  order.currency = "USD";
  order.created_at = 1790000000;
  order.imported_at = 1790000100;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);

  switch (job->step)
    {
    case 0:
      order.source_hash = "h1";
      r = ps_order_writer_import_order (writer, &order, two, 2, NULL, 0, &order_id, NULL, error);
      g_assert_cmpint (r, ==, PS_UPSERT_CREATED);
      r = ps_order_writer_import_order (writer, &order, two, 2, NULL, 0, NULL, NULL, error);
      g_assert_cmpint (r, ==, PS_UPSERT_UNCHANGED);
      break;
    case 1:
      order.source_hash = "h2";
      order.total_minor = 300;
      r = ps_order_writer_import_order (writer, &order, one, 1, NULL, 0, &order_id, NULL, error);
      g_assert_cmpint (r, ==, PS_UPSERT_UPDATED);
      break;
    default:
      order.source_hash = "h3";
      r = ps_order_writer_import_order (writer, &order, two, 2, NULL, 0, &order_id, NULL, error);
      g_assert_cmpint (r, ==, PS_UPSERT_UPDATED);
      break;
    }
  g_assert_cmpint (order_id, >, 0);
  if (!ps_order_writer_flush (writer, error))
    return NULL;
  g_clear_pointer (&writer, ps_order_writer_free);
  if (!ps_database_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
test_line_items_stable (void)
{
  g_autoptr(PsContext) context = open_context ("lines.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  LinesJob job = { 0, 0 };
  gint64 apple_id, banana_id;

  ps_database_run_sync (ps_context_get_database (context), lines_job, &job, NULL, &error);
  g_assert_no_error (error);
  apple_id = query_int (context, "SELECT id FROM line_items WHERE sku = 'A'");
  banana_id = query_int (context, "SELECT id FROM line_items WHERE sku = 'B'");
  assert_int (context, "SELECT item_count FROM orders", 3);
  assert_int (context, "SELECT weight_grams FROM orders", 50);

  /* A return of the banana: the next import drops that line. */
  {
    g_autofree char *sql = g_strdup_printf (
      "INSERT INTO returns (order_id, reason, status, requested_at)"
      " SELECT id, 'damaged', 'requested', 1 FROM orders;"
      "INSERT INTO return_items (return_id, line_item_id, quantity)"
      " SELECT id, %" G_GINT64_FORMAT ", 1 FROM returns;", banana_id);
    exec_sql (context, sql);
  }

  job.step = 1;
  ps_database_run_sync (ps_context_get_database (context), lines_job, &job, NULL, &error);
  g_assert_no_error (error);

  /* The apple line was updated in place; the banana kept for the return. */
  assert_int (context, "SELECT id FROM line_items WHERE sku = 'A'", apple_id);
  assert_int (context, "SELECT quantity FROM line_items WHERE sku = 'A'", 3);
  assert_int (context, "SELECT count(*) FROM return_items", 1);
  assert_int (context, "SELECT count(*) FROM line_items", 2);
  assert_int (context, "SELECT item_count FROM orders", 5);
  data = query_text (context, "SELECT data FROM events WHERE type = 'order.updated'");
  g_assert_nonnull (strstr (data, "\"line_items\""));
  g_assert_nonnull (strstr (data, "\"total\""));

  /* Without the return, a dropped line goes. */
  exec_sql (context, "DELETE FROM return_items; DELETE FROM returns;");
  job.step = 2;
  ps_database_run_sync (ps_context_get_database (context), lines_job, &job, NULL, &error);
  g_assert_no_error (error);
  job.step = 1;
  ps_database_run_sync (ps_context_get_database (context), lines_job, &job, NULL, &error);
  g_assert_no_error (error);
  assert_int (context, "SELECT count(*) FROM line_items", 1);
  assert_int (context, "SELECT item_count FROM orders", 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/services/import/counts", test_create_update_unchanged);
  g_test_add_func ("/services/import/idempotent", test_reimport_idempotent);
  g_test_add_func ("/services/import/merchant-edits", test_merchant_edits_survive);
  g_test_add_func ("/services/import/tracking-numbers", test_tracking_numbers);
  g_test_add_func ("/services/import/rejected-rows", test_rejected_rows);
  g_test_add_func ("/services/import/unreadable", test_unreadable_files);
  g_test_add_func ("/services/import/several-files", test_several_files);
  g_test_add_func ("/services/import/forced-format", test_forced_format);
  g_test_add_func ("/services/import/etsy-pair", test_etsy_pair);
  g_test_add_func ("/services/import/cancel", test_cancel);
  g_test_add_func ("/services/import/progress", test_progress);
  g_test_add_func ("/services/import/saved-mapping", test_saved_mapping);
  g_test_add_func ("/services/import/mapping-store", test_mapping_store);
  g_test_add_func ("/services/import/preview", test_preview);
  g_test_add_func ("/services/import/line-items-stable", test_line_items_stable);

  return g_test_run ();
}
