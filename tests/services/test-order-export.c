/* test-order-export.c: orders to CSV against a real SQLite file
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Orders are written with PsOrderWriter (hostile text included) or by the
 * demo generator, exported to files in the test's isolated data directory,
 * and the files are read back with libcsv's parser (strict mode) and with
 * Postsale's own spreadsheet import. The local time zone is pinned to
 * America/New_York so that dates must carry a real offset.
 */

#define G_LOG_DOMAIN "test-order-export"

#include "config.h"

#include <csv.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "ps-database-private.h"
#include "ps-demo.h"
#include "ps-import-service.h"
#include "ps-order-export.h"
#include "ps-order-writer.h"

/* Columns, by header position */
enum
{
  COL_NUMBER, COL_CHANNEL, COL_DATE, COL_STATUS, COL_CUSTOMER, COL_EMAIL, COL_PHONE,
  COL_SHIP_NAME, COL_SHIP_COMPANY, COL_LINE1, COL_LINE2, COL_CITY, COL_STATE, COL_POSTCODE,
  COL_COUNTRY, COL_ADDRESS_ISSUE, COL_ITEM_COUNT, COL_ITEMS, COL_CURRENCY, COL_SUBTOTAL,
  COL_SHIPPING, COL_TAX, COL_TOTAL, COL_WEIGHT, COL_TAGS, COL_CARRIER, COL_SERVICE,
  COL_TRACKING, COL_TRACKING_STATUS, COL_LABEL_CREATED, COL_DELIVERED, N_COLS
};

/* 2026-11-22 15:15:00 UTC = 10:15 in New York (EST, -05:00). */
#define T_ORDER      G_GINT64_CONSTANT (1795360500)
#define T_LABEL      (T_ORDER + 3600)
#define T_DELIVERED  (T_ORDER + 3 * 86400)

typedef struct
{
  gint64 plain;      /* USD, commas, quotes, newlines, tags, a shipment */
  gint64 yen;        /* JPY */
  gint64 hostile;    /* every cell starts with a formula character */
  gint64 issue;      /* an address issue, no SKU on its line */
} TestOrders;

/* Helpers */

static PsContext *
open_context (const char *name)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), name, NULL);
  g_autoptr(GError) error = NULL;
  PsContext *context;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  return context;
}

static char *
data_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static gpointer
write_orders_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  TestOrders *ids = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  PsOrderFields f = { 0 };
  PsShipmentFields s = { 0 };
  const PsLineFields plain_lines[] = {
    { "MUG-1", "Mug", NULL, 2, 500, 300 },
    { "CST-1", "Coaster", NULL, 1, 250, 50 },
  };
  const PsLineFields yen_lines[] = { { "TEA-9", "Tea", NULL, 1, 1000, 100 } };
  const PsLineFields hostile_lines[] = { { "-SKU", "=Thing", NULL, 1, 100, 10 } };
  const PsLineFields issue_lines[] = { { NULL, "Hand-made bowl", NULL, 3, 700, 400 } };

  if (!ps_database_begin (db, error))
    return NULL;

  f.channel_name = "Shopify";
  f.channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  f.order_number = "#1001";
  f.customer_name = "Lee, Ann";
  f.customer_email = "ann@example.com";
  f.customer_phone = "555 0100";
  f.ship_name = "Ann \"Annie\" Lee";
  f.ship_company = "Lee & Co";
  f.ship_line1 = "1 Main St";
  f.ship_line2 = "Back door\nring twice";
  f.ship_city = "Portland";
  f.ship_state = "OR";
  f.ship_postcode = "97201";
  f.ship_country = "US";
  f.status = PS_ORDER_STATUS_SHIPPED;
  f.currency = "USD";
  f.subtotal_minor = 1250;
  f.shipping_minor = 500;
  f.tax_minor = 100;
  f.total_minor = 1850;
  f.created_at = T_ORDER;
  ids->plain = ps_order_writer_add_order (writer, &f, plain_lines, 2, NULL, error);
  if (ids->plain <= 0 ||
      !ps_order_writer_add_tag (writer, ids->plain, "vip", error) ||
      !ps_order_writer_add_tag (writer, ids->plain, "Gift", error))
    goto failed;
  s.order_id = ids->plain;
  s.carrier = "ups";
  s.service = "ground";
  s.tracking_number = "1Z999AA10123456784";
  s.tracking_status = PS_TRACKING_STATUS_DELIVERED;
  s.label_created_at = T_LABEL;
  s.delivered_at = T_DELIVERED;
  if (ps_order_writer_add_shipment (writer, &s, error) <= 0)
    goto failed;

  memset (&f, 0, sizeof f);
  f.channel_name = "Etsy";
  f.channel_kind = PS_CHANNEL_KIND_ETSY;
  f.order_number = "JP-7";
  f.customer_name = "Sato Yuki";
  f.customer_email = "yuki@example.jp";
  f.ship_name = "Sato Yuki";
  f.ship_line1 = "1-2-3 Ginza";
  f.ship_city = "Tokyo";
  f.ship_postcode = "104-0061";
  f.ship_country = "JP";
  f.status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  f.currency = "JPY";
  f.subtotal_minor = 1000;
  f.shipping_minor = 250;
  f.tax_minor = 0;
  f.total_minor = 1250;
  f.created_at = T_ORDER + 60;
  ids->yen = ps_order_writer_add_order (writer, &f, yen_lines, 1, NULL, error);
  if (ids->yen <= 0)
    goto failed;

  memset (&f, 0, sizeof f);
  f.channel_name = "Manual";
  f.channel_kind = PS_CHANNEL_KIND_MANUAL;
  f.order_number = "=HYPERLINK(\"http://x.invalid\",\"y\")";
  f.customer_name = "+SUM(1,2)";
  f.customer_email = "@evil";
  f.customer_phone = "-2+3";
  f.ship_name = "\tTabbed";
  f.ship_company = "\rReturned";
  f.ship_line1 = "=1+1";
  f.ship_city = "Normal City";
  f.ship_country = "US";
  f.status = PS_ORDER_STATUS_ON_HOLD;
  f.currency = "USD";
  f.total_minor = 100;
  f.created_at = T_ORDER + 120;
  ids->hostile = ps_order_writer_add_order (writer, &f, hostile_lines, 1, NULL, error);
  if (ids->hostile <= 0 ||
      !ps_order_writer_add_tag (writer, ids->hostile, "=cmd|' /C calc'!A0", error))
    goto failed;

  memset (&f, 0, sizeof f);
  f.channel_name = "Shopify";
  f.channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  f.order_number = "#1002";
  f.customer_name = "Bob Roe";
  f.customer_email = "bob@example.com";
  f.ship_name = "Bob Roe";
  f.ship_line1 = "2 Oak Ave";
  f.ship_city = "Seattle";
  f.ship_state = "WA";
  f.ship_postcode = "9810";
  f.ship_country = "US";
  f.address_issue = TRUE;
  f.address_message = "ZIP code “9810” does not look like a US ZIP code";
  f.status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  f.currency = "USD";
  f.subtotal_minor = 2100;
  f.total_minor = 2100;
  f.created_at = T_ORDER + 180;
  ids->issue = ps_order_writer_add_order (writer, &f, issue_lines, 1, NULL, error);
  if (ids->issue <= 0)
    goto failed;

  if (!ps_order_writer_flush (writer, error) || !ps_database_commit (db, error))
    goto failed;
  return GINT_TO_POINTER (TRUE);

failed:
  ps_database_rollback (db);
  return NULL;
}

static void
write_orders (PsContext  *context,
              TestOrders *ids)
{
  g_autoptr(GError) error = NULL;

  ps_database_run_sync (ps_context_get_database (context), write_orders_job, ids, NULL, &error);
  g_assert_no_error (error);
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  PsDemoOptions options = PS_DEMO_OPTIONS_INIT;

  options.n_orders = GPOINTER_TO_UINT (data);
  options.now = T_ORDER;
  if (!ps_demo_generate (db, &options, NULL, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
ids_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  return ps_order_store_query_ids_sync (db, PS_ORDER_SORT_CREATED, TRUE, 0, error);
}

/* A demo database; its ids, newest first. */
static GArray *
fill_demo (PsContext *context,
           guint      n_orders)
{
  g_autoptr(GError) error = NULL;
  GArray *ids;

  ps_database_run_sync (ps_context_get_database (context), demo_job,
                        GUINT_TO_POINTER (n_orders), NULL, &error);
  g_assert_no_error (error);
  ids = ps_database_run_sync (ps_context_get_database (context), ids_job, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n_orders);
  return ids;
}

typedef struct
{
  GAsyncResult *result;
  guint         n_progress;
  guint64       last_done;
  guint64       last_total;
  gint64        started;
  GCancellable *cancel_on_progress;
  gboolean      destroyed;
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
progress_cb (guint64  done,
             guint64  total,
             gpointer user_data)
{
  Run *run = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, run->last_done);
  run->n_progress++;
  run->last_done = done;
  run->last_total = total;
  if (run->cancel_on_progress != NULL)
    g_cancellable_cancel (run->cancel_on_progress);
}

static void
progress_destroy_cb (gpointer user_data)
{
  Run *run = user_data;

  run->destroyed = TRUE;
}

static gint64
export_full (PsContext          *context,
             const gint64       *ids,
             gsize               n_ids,
             const char         *path,
             PsOrderExportFlags  flags,
             Run                *run,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  gint64 n;

  run->started = g_get_monotonic_time ();
  ps_order_export_async (context, ids, n_ids, file, flags, progress_cb, run, progress_destroy_cb,
                         cancellable, done_cb, run);
  while (run->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  n = ps_order_export_finish (context, run->result, error);
  g_clear_object (&run->result);
  g_assert_true (run->destroyed);
  return n;
}

static gint64
export_ok (PsContext    *context,
           const gint64 *ids,
           gsize         n_ids,
           const char   *path)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gint64 n = export_full (context, ids, n_ids, path, PS_ORDER_EXPORT_FLAGS_NONE, &run, NULL,
                          &error);

  g_assert_no_error (error);
  return n;
}

/* libcsv, strict: rows of cells */

typedef struct
{
  GPtrArray *rows;    /* GPtrArray of char * */
  GPtrArray *row;
} Parse;

static void
field_cb (void   *text,
          size_t  len,
          void   *data)
{
  Parse *p = data;

  if (p->row == NULL)
    p->row = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (p->row, g_strndup (text, len));
}

static void
row_cb (int   c,
        void *data)
{
  Parse *p = data;

  g_ptr_array_add (p->rows, p->row ? p->row : g_ptr_array_new ());
  p->row = NULL;
}

static GPtrArray *
parse_csv (const char *contents,
           gsize       length)
{
  struct csv_parser parser;
  Parse p = { g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref), NULL };

  g_assert_cmpint (csv_init (&parser, CSV_STRICT | CSV_STRICT_FINI), ==, 0);
  g_assert_cmpuint (csv_parse (&parser, contents, length, field_cb, row_cb, &p), ==, length);
  g_assert_cmpint (csv_fini (&parser, field_cb, row_cb, &p), ==, 0);
  csv_free (&parser);
  return p.rows;
}

static GPtrArray *
read_csv (const char *path,
          char      **contents_out)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  GPtrArray *rows;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (contents, length, NULL));
  rows = parse_csv (contents, length);
  if (contents_out != NULL)
    *contents_out = g_steal_pointer (&contents);
  return rows;
}

static const char *
cell (GPtrArray *rows,
      guint      row,
      guint      col)
{
  GPtrArray *cells = g_ptr_array_index (rows, row);

  g_assert_cmpuint (cells->len, ==, N_COLS);
  return g_ptr_array_index (cells, col);
}

/* Nothing but the destination may be left in its folder. */
static void
assert_no_partial_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, ".postsale-export-"))
      g_error ("partial file left: %s", name);
}

static char *
make_dir (const char *name)
{
  char *dir = data_path (name);

  g_mkdir_with_parents (dir, 0700);
  return dir;
}

/* Tests */

static void
test_format (void)
{
  g_autoptr(PsContext) context = open_context ("format.db");
  g_autofree char *dir = make_dir ("format");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GDateTime) date = NULL;
  const char * const *header = ps_order_export_get_header ();
  TestOrders t = { 0 };
  GPtrArray *first;

  write_orders (context, &t);
  {
    /* Not the database order; 999999 does not exist and is skipped. */
    gint64 ids[] = { t.issue, t.plain, 999999, t.yen };

    g_assert_cmpint (export_ok (context, ids, G_N_ELEMENTS (ids), path), ==, 3);
  }
  rows = read_csv (path, &contents);

  /* UTF-8 without a BOM, CRLF line ends. */
  g_assert_true (g_str_has_prefix (contents, "Order Number,Channel,Order Date,"));
  g_assert_nonnull (strstr (contents, ",Delivered\r\n"));

  g_assert_cmpuint (rows->len, ==, 4);
  first = g_ptr_array_index (rows, 0);
  g_assert_cmpuint (first->len, ==, N_COLS);
  g_assert_cmpuint (ps_order_export_get_n_columns (), ==, N_COLS);
  for (guint i = 0; i < N_COLS; i++)
    g_assert_cmpstr (g_ptr_array_index (first, i), ==, header[i]);

  /* Rows in the order of the ids. */
  g_assert_cmpstr (cell (rows, 1, COL_NUMBER), ==, "#1002");
  g_assert_cmpstr (cell (rows, 2, COL_NUMBER), ==, "#1001");
  g_assert_cmpstr (cell (rows, 3, COL_NUMBER), ==, "JP-7");

  /* Commas, quotes and newlines survive the round trip through quoting. */
  g_assert_cmpstr (cell (rows, 2, COL_CUSTOMER), ==, "Lee, Ann");
  g_assert_cmpstr (cell (rows, 2, COL_SHIP_NAME), ==, "Ann \"Annie\" Lee");
  g_assert_cmpstr (cell (rows, 2, COL_LINE2), ==, "Back door\nring twice");
  g_assert_nonnull (strstr (contents, ",\"Lee, Ann\","));
  g_assert_nonnull (strstr (contents, ",\"Ann \"\"Annie\"\" Lee\","));
  /* Plain text is written as it is, unquoted. */
  g_assert_nonnull (strstr (contents, ",Lee & Co,1 Main St,"));

  /* Everything else of #1001. */
  g_assert_cmpstr (cell (rows, 2, COL_CHANNEL), ==, "Shopify");
  g_assert_cmpstr (cell (rows, 2, COL_STATUS), ==, "shipped");
  g_assert_cmpstr (cell (rows, 2, COL_EMAIL), ==, "ann@example.com");
  g_assert_cmpstr (cell (rows, 2, COL_PHONE), ==, "555 0100");
  g_assert_cmpstr (cell (rows, 2, COL_CITY), ==, "Portland");
  g_assert_cmpstr (cell (rows, 2, COL_STATE), ==, "OR");
  g_assert_cmpstr (cell (rows, 2, COL_POSTCODE), ==, "97201");
  g_assert_cmpstr (cell (rows, 2, COL_COUNTRY), ==, "US");
  g_assert_cmpstr (cell (rows, 2, COL_ADDRESS_ISSUE), ==, "");
  g_assert_cmpstr (cell (rows, 2, COL_ITEM_COUNT), ==, "3");
  g_assert_cmpstr (cell (rows, 2, COL_ITEMS), ==, "MUG-1 × 2; CST-1 × 1");
  g_assert_cmpstr (cell (rows, 2, COL_CURRENCY), ==, "USD");
  g_assert_cmpstr (cell (rows, 2, COL_SUBTOTAL), ==, "12.50");
  g_assert_cmpstr (cell (rows, 2, COL_SHIPPING), ==, "5.00");
  g_assert_cmpstr (cell (rows, 2, COL_TAX), ==, "1.00");
  g_assert_cmpstr (cell (rows, 2, COL_TOTAL), ==, "18.50");
  g_assert_cmpstr (cell (rows, 2, COL_WEIGHT), ==, "650");
  g_assert_cmpstr (cell (rows, 2, COL_TAGS), ==, "Gift; vip");
  g_assert_cmpstr (cell (rows, 2, COL_CARRIER), ==, "ups");
  g_assert_cmpstr (cell (rows, 2, COL_SERVICE), ==, "ground");
  g_assert_cmpstr (cell (rows, 2, COL_TRACKING), ==, "1Z999AA10123456784");
  g_assert_cmpstr (cell (rows, 2, COL_TRACKING_STATUS), ==, "delivered");

  /* Dates: local time of the store (New York, EST in November) with the
   * offset, and the same instant when parsed back. */
  g_assert_cmpstr (cell (rows, 2, COL_DATE), ==, "2026-11-22T10:15:00-05:00");
  g_assert_cmpstr (cell (rows, 2, COL_LABEL_CREATED), ==, "2026-11-22T11:15:00-05:00");
  date = g_date_time_new_from_iso8601 (cell (rows, 2, COL_DELIVERED), NULL);
  g_assert_nonnull (date);
  g_assert_cmpint (g_date_time_to_unix (date), ==, T_DELIVERED);
  g_assert_cmpstr (cell (rows, 3, COL_LABEL_CREATED), ==, "");

  /* Yen have no minor digits. */
  g_assert_cmpstr (cell (rows, 3, COL_CURRENCY), ==, "JPY");
  g_assert_cmpstr (cell (rows, 3, COL_SUBTOTAL), ==, "1000");
  g_assert_cmpstr (cell (rows, 3, COL_SHIPPING), ==, "250");
  g_assert_cmpstr (cell (rows, 3, COL_TAX), ==, "0");
  g_assert_cmpstr (cell (rows, 3, COL_TOTAL), ==, "1250");
  g_assert_cmpstr (cell (rows, 3, COL_POSTCODE), ==, "104-0061");

  /* The address issue says what is wrong; a line without a SKU shows its
   * name. */
  g_assert_cmpstr (cell (rows, 1, COL_ADDRESS_ISSUE), ==,
                   "ZIP code “9810” does not look like a US ZIP code");
  g_assert_cmpstr (cell (rows, 1, COL_ITEMS), ==, "Hand-made bowl × 3");
  g_assert_cmpstr (cell (rows, 1, COL_TOTAL), ==, "21.00");
  g_assert_cmpstr (cell (rows, 1, COL_CARRIER), ==, "");
}

static void
test_neutralize (void)
{
  g_autoptr(PsContext) context = open_context ("neutralize.db");
  g_autofree char *dir = make_dir ("neutralize");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  TestOrders t = { 0 };

  write_orders (context, &t);
  g_assert_cmpint (export_ok (context, &t.hostile, 1, path), ==, 1);
  rows = read_csv (path, &contents);
  g_assert_cmpuint (rows->len, ==, 2);

  /* = + - @ tab CR: each gets an apostrophe, and the cell is quoted. */
  g_assert_cmpstr (cell (rows, 1, COL_NUMBER), ==, "'=HYPERLINK(\"http://x.invalid\",\"y\")");
  g_assert_cmpstr (cell (rows, 1, COL_CUSTOMER), ==, "'+SUM(1,2)");
  g_assert_cmpstr (cell (rows, 1, COL_PHONE), ==, "'-2+3");
  g_assert_cmpstr (cell (rows, 1, COL_EMAIL), ==, "'@evil");
  g_assert_cmpstr (cell (rows, 1, COL_SHIP_NAME), ==, "'\tTabbed");
  g_assert_cmpstr (cell (rows, 1, COL_SHIP_COMPANY), ==, "'\rReturned");
  g_assert_cmpstr (cell (rows, 1, COL_LINE1), ==, "'=1+1");
  g_assert_cmpstr (cell (rows, 1, COL_ITEMS), ==, "'-SKU × 1");
  g_assert_cmpstr (cell (rows, 1, COL_TAGS), ==, "'=cmd|' /C calc'!A0");
  g_assert_nonnull (strstr (contents, ",\"'@evil\","));
  /* No cell of the file starts with a formula character unquoted. */
  g_assert_null (strstr (contents, ",="));
  g_assert_null (strstr (contents, ",+"));
  g_assert_null (strstr (contents, ",@"));
  g_assert_null (strstr (contents, "\n="));

  /* Normal text and the numbers we write are untouched. */
  g_assert_cmpstr (cell (rows, 1, COL_CITY), ==, "Normal City");
  g_assert_cmpstr (cell (rows, 1, COL_STATUS), ==, "on_hold");
  g_assert_cmpstr (cell (rows, 1, COL_TOTAL), ==, "1.00");
  g_assert_cmpstr (cell (rows, 1, COL_ITEM_COUNT), ==, "1");
}

static void
test_cells (void)
{
  struct { const char *in; gboolean external; const char *out; } cases[] = {
    { "plain", TRUE, "plain" },
    { "12.50", FALSE, "12.50" },
    { "-12.50", FALSE, "-12.50" },        /* a number we wrote: a sign */
    { "-12.50", TRUE, "\"'-12.50\"" },    /* text from outside: neutralized */
    { "=1+1", TRUE, "\"'=1+1\"" },
    { "+1", TRUE, "\"'+1\"" },
    { "@x", TRUE, "\"'@x\"" },
    { "\tx", TRUE, "\"'\tx\"" },
    { "\rx", TRUE, "\"'\rx\"" },
    { "a=b", TRUE, "a=b" },               /* only the first character counts */
    { "a,b", TRUE, "\"a,b\"" },
    { "say \"hi\"", TRUE, "\"say \"\"hi\"\"\"" },
    { "two\nlines", TRUE, "\"two\nlines\"" },
    { " padded ", TRUE, "\" padded \"" },
    { "", TRUE, "" },
    { NULL, TRUE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      ps_order_export_append_cell (out, cases[i].in, cases[i].external);
      g_assert_cmpstr (out->str, ==, cases[i].out);
    }
}

static void
test_bom (void)
{
  g_autoptr(PsContext) context = open_context ("bom.db");
  g_autofree char *dir = make_dir ("bom");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  TestOrders t = { 0 };

  write_orders (context, &t);
  g_assert_cmpint (export_full (context, &t.plain, 1, path, PS_ORDER_EXPORT_FLAGS_BOM, &run, NULL,
                                &error), ==, 1);
  g_assert_no_error (error);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "\xEF\xBB\xBFOrder Number,"));
}

static void
test_empty (void)
{
  g_autoptr(PsContext) context = open_context ("empty.db");
  g_autofree char *dir = make_dir ("empty");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autoptr(GPtrArray) rows = NULL;

  g_assert_cmpint (export_ok (context, NULL, 0, path), ==, 0);
  rows = read_csv (path, NULL);
  g_assert_cmpuint (rows->len, ==, 1);
  assert_no_partial_files (dir);
}

/* Postsale's own spreadsheet import reads the file back. */
static void
test_round_trip (void)
{
  g_autoptr(PsContext) context = open_context ("round-trip-a.db");
  g_autoptr(PsContext) copy = open_context ("round-trip-b.db");
  g_autofree char *dir = make_dir ("round-trip");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autoptr(PsImportMapping) mapping = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PsImportResult) result = NULL;
  g_autoptr(GPtrArray) exported = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  GPtrArray *header_row;
  const char **samples[3];
  TestOrders t = { 0 };
  Run run = { 0 };

  write_orders (context, &t);
  {
    gint64 ids[] = { t.plain, t.yen, t.issue };

    g_assert_cmpint (export_ok (context, ids, G_N_ELEMENTS (ids), path), ==, 3);
  }
  rows = read_csv (path, NULL);

  /* The import's guess from the header and values finds the columns it
   * can read... */
  header_row = g_ptr_array_index (rows, 0);
  for (guint i = 0; i < 3; i++)
    samples[i] = (const char **)((GPtrArray *)g_ptr_array_index (rows, i + 1))->pdata;
  mapping = ps_import_mapping_guess ((const char * const *)header_row->pdata, header_row->len,
                                     (const char * const * const *)samples, 3);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Order Number"), ==,
                   PS_IMPORT_FIELD_ORDER_NUMBER);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Order Date"), ==, PS_IMPORT_FIELD_CREATED_AT);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Email"), ==, PS_IMPORT_FIELD_CUSTOMER_EMAIL);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Ship Address 1"), ==,
                   PS_IMPORT_FIELD_SHIP_LINE1);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Ship Address 2"), ==,
                   PS_IMPORT_FIELD_SHIP_LINE2);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Ship Postcode"), ==,
                   PS_IMPORT_FIELD_SHIP_POSTCODE);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Currency"), ==, PS_IMPORT_FIELD_CURRENCY);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Total"), ==, PS_IMPORT_FIELD_TOTAL);
  g_assert_cmpint (ps_import_mapping_get (mapping, "Tracking Numbers"), ==,
                   PS_IMPORT_FIELD_TRACKING_NUMBER);
  /* ...and the columns it has no field for are left alone. */
  ps_import_mapping_set (mapping, "Item Count", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Label Created", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Delivered", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Weight (g)", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Address Issue", PS_IMPORT_FIELD_IGNORE);
  ps_import_mapping_set (mapping, "Items", PS_IMPORT_FIELD_IGNORE);

  file = g_file_new_for_path (path);
  ps_import_service_import_async (copy, &file, 1, PS_IMPORT_FORMAT_GENERIC, mapping, NULL, NULL,
                                  NULL, NULL, done_cb, &run);
  while (run.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  result = ps_import_service_import_finish (copy, run.result, &error);
  g_clear_object (&run.result);
  g_assert_no_error (error);
  g_assert_cmpuint (result->n_failed, ==, 0);
  g_assert_cmpuint (result->rows_rejected, ==, 0);
  g_assert_cmpuint (result->orders_created, ==, 3);

  /* Exporting the copy gives the same cells for everything the import
   * reads. */
  {
    g_autofree char *again = g_build_filename (dir, "again.csv", NULL);
    g_autoptr(GArray) ids = NULL;
    const guint same[] = { COL_NUMBER, COL_DATE, COL_CUSTOMER, COL_EMAIL, COL_PHONE,
                           COL_SHIP_NAME, COL_SHIP_COMPANY, COL_LINE1, COL_LINE2, COL_CITY,
                           COL_STATE, COL_POSTCODE, COL_COUNTRY, COL_CURRENCY, COL_SUBTOTAL,
                           COL_SHIPPING, COL_TAX, COL_TOTAL, COL_TRACKING };

    ids = ps_database_run_sync (ps_context_get_database (copy), ids_job, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ids->len, ==, 3);
    g_assert_cmpint (export_ok (copy, (const gint64 *)ids->data, ids->len, again), ==, 3);
    exported = read_csv (again, NULL);
    for (guint r = 1; r <= 3; r++)
      {
        const char *number = cell (rows, r, COL_NUMBER);
        guint k;

        for (k = 1; k <= 3; k++)
          if (g_str_equal (cell (exported, k, COL_NUMBER), number))
            break;
        g_assert_cmpuint (k, <=, 3);
        for (guint c = 0; c < G_N_ELEMENTS (same); c++)
          {
            if (g_strcmp0 (cell (rows, r, same[c]), cell (exported, k, same[c])) != 0)
              g_test_message ("order %s, column %s", number,
                              ps_order_export_get_header ()[same[c]]);
            g_assert_cmpstr (cell (rows, r, same[c]), ==, cell (exported, k, same[c]));
          }
      }
  }
}

/* Progress at most ~10 times a second, monotonic, ending at the total. */
static void
test_progress (void)
{
  g_autoptr(PsContext) context = open_context ("progress.db");
  g_autofree char *dir = make_dir ("progress");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autoptr(GArray) demo = fill_demo (context, 2000);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  gint64 n, elapsed;

  /* The same orders many times over: a long export from a small file. */
  for (guint k = 0; k < 25; k++)
    g_array_append_vals (ids, demo->data, demo->len);

  n = export_full (context, (const gint64 *)ids->data, ids->len, path, PS_ORDER_EXPORT_FLAGS_NONE,
                   &run, NULL, &error);
  elapsed = g_get_monotonic_time () - run.started;
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, ids->len);
  g_test_message ("%u orders in %.2f s, %u progress reports", ids->len, elapsed / 1e6,
                  run.n_progress);

  g_assert_cmpuint (run.n_progress, >=, 1);
  g_assert_cmpuint (run.last_done, ==, ids->len);
  g_assert_cmpuint (run.last_total, ==, ids->len);
  g_assert_cmpuint (run.n_progress, <=, elapsed / 100000 + 2);

  rows = read_csv (path, NULL);
  g_assert_cmpuint (rows->len, ==, ids->len + 1);
  /* Row k is the k-th id: the demo order list repeats. */
  for (guint k = 1; k + demo->len < rows->len; k += 997)
    g_assert_cmpstr (cell (rows, k, COL_NUMBER), ==, cell (rows, k + demo->len, COL_NUMBER));
}

/* Cancel in the middle: no partial file, and the old file is untouched. */
static void
test_cancel (void)
{
  g_autoptr(PsContext) context = open_context ("cancel.db");
  g_autofree char *dir = make_dir ("cancel");
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autofree char *fresh = g_build_filename (dir, "fresh.csv", NULL);
  g_autoptr(GArray) demo = fill_demo (context, 2000);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  Run run = { 0 };
  gint64 n;

  for (guint k = 0; k < 200; k++)
    g_array_append_vals (ids, demo->data, demo->len);
  g_file_set_contents (path, "the merchant's old file\n", -1, &error);
  g_assert_no_error (error);

  /* The first progress report cancels: some orders are written by then,
   * far from all. */
  run.cancel_on_progress = cancellable;
  n = export_full (context, (const gint64 *)ids->data, ids->len, path, PS_ORDER_EXPORT_FLAGS_NONE,
                   &run, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (n, ==, -1);
  g_assert_cmpuint (run.n_progress, ==, 1);
  g_assert_cmpuint (run.last_done, >, 0);
  g_assert_cmpuint (run.last_done, <, ids->len);
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "the merchant's old file\n");
  assert_no_partial_files (dir);
  g_clear_error (&error);

  /* Cancelled before it starts: no file at all. */
  g_test_message ("cancel before the start");
  memset (&run, 0, sizeof run);
  g_cancellable_reset (cancellable);
  g_cancellable_cancel (cancellable);
  n = export_full (context, (const gint64 *)demo->data, demo->len, fresh,
                   PS_ORDER_EXPORT_FLAGS_NONE, &run, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (n, ==, -1);
  g_assert_false (g_file_test (fresh, G_FILE_TEST_EXISTS));
  assert_no_partial_files (dir);
  g_clear_error (&error);

  /* The database is still usable, and a finished export replaces the old
   * file. */
  g_test_message ("export after cancelling");
  g_assert_cmpint (export_ok (context, (const gint64 *)demo->data, demo->len, path), ==, demo->len);
  {
    g_autoptr(GPtrArray) rows = read_csv (path, NULL);

    g_assert_cmpuint (rows->len, ==, demo->len + 1);
  }
  assert_no_partial_files (dir);
}

/* Failures say what is wrong and which file or folder. */
static void
test_errors (void)
{
  g_autoptr(PsContext) context = open_context ("errors.db");
  g_autofree char *missing = data_path ("no-such-folder/orders.csv");
  g_autofree char *folder = make_dir ("a-folder");
  g_autoptr(GError) error = NULL;
  TestOrders t = { 0 };
  Run run = { 0 };

  write_orders (context, &t);

  g_assert_cmpint (export_full (context, &t.plain, 1, missing, PS_ORDER_EXPORT_FLAGS_NONE, &run,
                                NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "does not exist"));
  g_assert_nonnull (strstr (error->message, "no-such-folder"));
  g_clear_error (&error);

  memset (&run, 0, sizeof run);
  g_assert_cmpint (export_full (context, &t.plain, 1, folder, PS_ORDER_EXPORT_FLAGS_NONE, &run,
                                NULL, &error), ==, -1);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "a-folder"));
  g_assert_true (g_file_test (folder, G_FILE_TEST_IS_DIR));
  g_clear_error (&error);

  /* Root may write anywhere: the permission case needs a normal user. */
  if (geteuid () != 0)
    {
      g_autofree char *locked = make_dir ("locked");
      g_autofree char *inside = g_build_filename (locked, "orders.csv", NULL);

      g_chmod (locked, 0500);
      memset (&run, 0, sizeof run);
      g_assert_cmpint (export_full (context, &t.plain, 1, inside, PS_ORDER_EXPORT_FLAGS_NONE, &run,
                                    NULL, &error), ==, -1);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_assert_nonnull (strstr (error->message, "Permission denied"));
      g_chmod (locked, 0700);
    }
}

static void
test_suggest_name (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 22, 9, 0, 0);
  g_autofree char *name = ps_order_export_suggest_name (now);

  g_assert_cmpstr (name, ==, "orders-2026-11-22.csv");
}

int
main (int   argc,
      char *argv[])
{
  /* Before anything reads the local time zone. */
  g_setenv ("TZ", "America/New_York", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/services/order-export/cells", test_cells);
  g_test_add_func ("/services/order-export/format", test_format);
  g_test_add_func ("/services/order-export/neutralize", test_neutralize);
  g_test_add_func ("/services/order-export/bom", test_bom);
  g_test_add_func ("/services/order-export/empty", test_empty);
  g_test_add_func ("/services/order-export/round-trip", test_round_trip);
  g_test_add_func ("/services/order-export/progress", test_progress);
  g_test_add_func ("/services/order-export/cancel", test_cancel);
  g_test_add_func ("/services/order-export/errors", test_errors);
  g_test_add_func ("/services/order-export/suggest-name", test_suggest_name);

  return g_test_run ();
}
