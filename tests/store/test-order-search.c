/* test-order-search.c: the full-text search of orders over a real database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "ps-database-private.h"
#include "ps-order-list.h"
#include "ps-order-search-private.h"
#include "ps-order-writer.h"

typedef struct
{
  PsDatabase   *db;
  PsOrderStore *store;
  GTimeZone    *utc;
} Fixture;

/* One order as the tests write it. */
typedef struct
{
  const char *number;
  const char *customer;
  const char *email;
  const char *sku;
  const char *product;
  const char *channel;
  const char *tracking;      /* (nullable): a shipment with this number */
  gint64      created_at;
} Spec;

typedef struct
{
  const Spec *specs;
  guint       n_specs;
  gboolean    import;        /* through ps_order_writer_import_order() */
} AddJob;

static void
fill_order (const Spec    *spec,
            PsOrderFields *order,
            PsLineFields  *line)
{
  memset (order, 0, sizeof *order);
  memset (line, 0, sizeof *line);
  order->channel_name = spec->channel != NULL ? spec->channel : "Shopify";
  order->channel_kind = PS_CHANNEL_KIND_SHOPIFY;
  order->order_number = spec->number;
  order->customer_name = spec->customer;
  order->customer_email = spec->email;
  order->ship_country = "US";
  order->status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  order->currency = "USD";
  order->total_minor = 1000;
  order->created_at = spec->created_at != 0 ? spec->created_at : 1763000000;
  order->imported_at = order->created_at;
  line->sku = spec->sku;
  line->name = spec->product != NULL ? spec->product : "Thing";
  line->quantity = 1;
}

static gpointer
add_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  AddJob *add = data;
  g_autoptr(PsOrderWriter) writer = NULL;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  for (guint i = 0; i < add->n_specs; i++)
    {
      const Spec *spec = &add->specs[i];
      PsOrderFields order;
      PsLineFields line;
      gint64 id = 0;

      fill_order (spec, &order, &line);
      if (add->import)
        {
          g_autofree char *hash = g_strdup_printf ("%s|%s|%s|%s|%s", spec->customer, spec->email,
                                                   spec->sku, spec->product, spec->tracking);
          PsTrackingFields tracking = { "ups", spec->tracking };

          order.source_hash = hash;
          if (ps_order_writer_import_order (writer, &order, &line, 1, &tracking,
                                            spec->tracking != NULL ? 1 : 0, &id, NULL,
                                            error) == PS_UPSERT_ERROR)
            goto fail;
          continue;
        }

      id = ps_order_writer_add_order (writer, &order, &line, 1, NULL, error);
      if (id == 0)
        goto fail;
      if (spec->tracking != NULL)
        {
          PsShipmentFields shipment = { 0 };

          shipment.order_id = id;
          shipment.carrier = "ups";
          shipment.service = "ground";
          shipment.tracking_number = spec->tracking;
          shipment.tracking_status = PS_TRACKING_STATUS_IN_TRANSIT;
          shipment.label_created_at = order.created_at + 600;
          if (ps_order_writer_add_shipment (writer, &shipment, error) == 0)
            goto fail;
        }
    }
  if (!ps_order_writer_flush (writer, error) || !ps_database_commit (db, error))
    goto fail;
  return GINT_TO_POINTER (TRUE);

fail:
  ps_database_rollback (db);
  return NULL;
}

static void
add_specs (Fixture    *f,
           const Spec *specs,
           guint       n_specs,
           gboolean    import)
{
  g_autoptr(GError) error = NULL;
  AddJob add = { specs, n_specs, import };

  g_assert_nonnull (ps_database_run_sync (f->db, add_job, &add, NULL, &error));
  g_assert_no_error (error);
}

typedef struct
{
  PsCondition *condition;
  const char  *text;
  PsOrderSort  sort;
  gboolean     descending;
  guint        limit;
  GTimeZone   *tz;
  gint64       count;
} SearchJob;

static gpointer
search_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  SearchJob *s = data;
  GArray *ids;

  ids = ps_order_store_search_ids_sync (db, s->condition, s->text, 1763000000, s->tz, s->sort,
                                        s->descending, s->limit, NULL, error);
  if (ids == NULL)
    return NULL;
  s->count = ps_order_store_search_count_sync (db, s->condition, s->text, 1763000000, s->tz,
                                               NULL, error);
  if (s->count < 0)
    {
      g_array_unref (ids);
      return NULL;
    }
  return ids;
}

/* The ids @text finds (all of them, oldest first: created ascending, and
 * the tests' orders are created in id order), checking that the count
 * agrees. */
static GArray *
search_full (Fixture     *f,
             PsCondition *condition,
             const char  *text,
             PsOrderSort  sort,
             gboolean     descending,
             guint        limit)
{
  g_autoptr(GError) error = NULL;
  SearchJob s = { condition, text, sort, descending, limit, f->utc, -1 };
  GArray *ids;

  ids = ps_database_run_sync (f->db, search_job, &s, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ids);
  if (limit == 0)
    g_assert_cmpint (s.count, ==, ids->len);
  else
    g_assert_cmpint (s.count, >=, ids->len);
  return ids;
}

static GArray *
search (Fixture    *f,
        const char *text)
{
  return search_full (f, NULL, text, PS_ORDER_SORT_CREATED, FALSE, 0);
}

/* The order numbers of @ids, comma-separated, for readable asserts. */
static gpointer
numbers_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  GArray *ids = data;
  GString *out = g_string_new (NULL);
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT order_number FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < ids->len; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, g_array_index (ids, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (out, "%s%s", out->len > 0 ? "," : "",
                                (const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  return g_string_free (out, FALSE);
}

static char *
found (Fixture    *f,
       const char *text)
{
  g_autoptr(GArray) ids = search (f, text);
  g_autoptr(GError) error = NULL;
  char *numbers;

  numbers = ps_database_run_sync (f->db, numbers_job, ids, NULL, &error);
  g_assert_no_error (error);
  return numbers;
}

#define assert_found(f, text, expected) \
  G_STMT_START { \
    g_autofree char *numbers_ = found ((f), (text)); \
    g_assert_cmpstr (numbers_, ==, (expected)); \
  } G_STMT_END

static gpointer
pending_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  gint64 *n = data;

  *n = ps_order_search_count_pending_sync (db, error);
  return *n >= 0 ? GINT_TO_POINTER (TRUE) : NULL;
}

static gint64
count_pending (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  g_assert_nonnull (ps_database_run_sync (f->db, pending_job, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static gpointer
catch_up_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  guint *max = data;
  gboolean done = FALSE;

  if (!ps_order_search_catch_up_sync (db, *max, &done, error))
    return NULL;
  return GINT_TO_POINTER (done ? 2 : 1);
}

/* Runs one catch-up of at most @max orders; returns whether it finished. */
static gboolean
catch_up (Fixture *f,
          guint    max)
{
  g_autoptr(GError) error = NULL;
  gpointer result = ps_database_run_sync (f->db, catch_up_job, &max, NULL, &error);

  g_assert_no_error (error);
  return GPOINTER_TO_INT (result) == 2;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "search.db", NULL);
  g_autoptr(GError) error = NULL;

  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  f->store = ps_order_store_new (f->db);
  f->utc = g_time_zone_new_utc ();
  _ps_search_match_set_list_max (-1, -1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->db);
  g_clear_pointer (&f->utc, g_time_zone_unref);
}

/* Typed text → FTS5 query */

static void
test_build_query (void)
{
  const struct {
    const char *text;
    const char *query;
  } cases[] = {
    { NULL, NULL },
    { "", NULL },
    { " \t\n ", NULL },
    { "jo", "\"jo\"*" },
    { "  jo   sm ", "\"jo\"* \"sm\"*" },
    { "a\"b", "\"a\"\"b\"*" },
    { "\"", "\"\"\"\"*" },
    { "NEAR(a b)", "\"NEAR(a\"* \"b)\"*" },
    { "-x ^y col:z *", "\"-x\"* \"^y\"* \"col:z\"* \"*\"*" },
    { "Zoë\u00a0Müller", "\"Zoë\"* \"Müller\"*" },     /* a no-break space separates too */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = ps_order_search_build_query (cases[i].text);

      g_assert_cmpstr (query, ==, cases[i].query);
      g_assert_true (ps_order_search_text_is_blank (cases[i].text) == (cases[i].query == NULL));
    }
}

/* Catch-up */

static void
test_catch_up_new_orders (Fixture       *f,
                          gconstpointer  data)
{
  const Spec first[] = {
    { "#1001", "John Smith", "john@example.com", "MUG-01", "Enamel Mug", NULL, NULL, 0 },
    { "#1002", "Joanna Bell", "jo.bell@mail.example", "TEE-M", "T-shirt", NULL, NULL, 0 },
  };
  const Spec second[] = {
    { "#1003", "Anna Smithers", "anna@example.org", "CAP-02", "Wool Cap", NULL, NULL, 0 },
  };

  /* A new database starts with an empty, complete index. */
  g_assert_cmpint (count_pending (f), ==, 0);

  /* Writing orders indexes nothing: they wait above the watermark. */
  add_specs (f, first, G_N_ELEMENTS (first), FALSE);
  g_assert_cmpint (count_pending (f), ==, 2);

  /* A bounded catch-up takes the oldest first and says it is not done. */
  g_assert_false (catch_up (f, 1));
  g_assert_cmpint (count_pending (f), ==, 1);
  g_assert_true (catch_up (f, 10));
  g_assert_cmpint (count_pending (f), ==, 0);
  g_assert_true (catch_up (f, 10));   /* nothing left: a no-op */

  assert_found (f, "smith", "#1001");
  assert_found (f, "jo", "#1001,#1002");

  /* A search finishes the catch-up itself: the new order is found
   * without anyone calling it. */
  add_specs (f, second, G_N_ELEMENTS (second), FALSE);
  g_assert_cmpint (count_pending (f), ==, 1);
  assert_found (f, "smith", "#1001,#1003");
  g_assert_cmpint (count_pending (f), ==, 0);
}

static void
test_reimport_renamed (Fixture       *f,
                       gconstpointer  data)
{
  const Spec before[] = {
    { "#2001", "Peter Parker", "peter@example.com", "WEB-01", "Web Shooter", NULL, NULL, 0 },
    { "#2002", "Mary Jane", "mj@example.com", "MAS-01", "Theatre Mask", NULL, NULL, 0 },
  };
  const Spec after[] = {
    { "#2001", "Miles Morales", "miles@example.com", "WEB-01", "Web Shooter", NULL, NULL, 0 },
    { "#2002", "Mary Jane", "mj@example.com", "MAS-02", "Opera Mask", NULL, NULL, 0 },
  };
  const Spec unchanged[] = {
    { "#2002", "Mary Jane", "mj@example.com", "MAS-02", "Opera Mask", NULL, NULL, 0 },
  };

  add_specs (f, before, G_N_ELEMENTS (before), TRUE);
  assert_found (f, "peter", "#2001");
  assert_found (f, "theatre", "#2002");
  g_assert_cmpint (count_pending (f), ==, 0);

  /* The re-import renames one customer and changes the other's line
   * item: both are marked for re-indexing, nothing else. */
  add_specs (f, after, G_N_ELEMENTS (after), TRUE);
  g_assert_cmpint (count_pending (f), ==, 2);

  assert_found (f, "miles", "#2001");
  assert_found (f, "morales", "#2001");
  assert_found (f, "peter", "");
  assert_found (f, "parker", "");
  assert_found (f, "opera", "#2002");
  assert_found (f, "mas-02", "#2002");
  assert_found (f, "theatre", "");
  assert_found (f, "web shoot", "#2001");

  /* An import that changes nothing searchable marks nothing. */
  add_specs (f, unchanged, G_N_ELEMENTS (unchanged), TRUE);
  g_assert_cmpint (count_pending (f), ==, 0);
}

static void
test_tracking_added_later (Fixture       *f,
                           gconstpointer  data)
{
  const Spec order[] = {
    { "#3001", "Ada Lovelace", "ada@example.com", "ENG-1", "Difference Engine", NULL, NULL, 0 },
  };
  const Spec with_tracking[] = {
    { "#3001", "Ada Lovelace", "ada@example.com", "ENG-1", "Difference Engine", NULL,
      "1Z999AA10123456784", 0 },
  };

  add_specs (f, order, 1, TRUE);
  assert_found (f, "1z999", "");
  g_assert_cmpint (count_pending (f), ==, 0);

  /* The next export carries the tracking number: a shipment is added to
   * the indexed order, which is queued again. */
  add_specs (f, with_tracking, 1, TRUE);
  g_assert_cmpint (count_pending (f), ==, 1);
  assert_found (f, "1z999", "#3001");
  assert_found (f, "1Z999AA10123456784", "#3001");
  assert_found (f, "1z999aa10123456785", "");
}

static void
test_prefix_and_words (Fixture       *f,
                       gconstpointer  data)
{
  const Spec specs[] = {
    { "#4001", "John Smith", "john.smith@inbox.example", "LANT-LED-MINI", "Mini LED Lantern",
      NULL, NULL, 1763000001 },
    { "#4002", "Johanna Smythe", "jsmythe@example.net", "SCF-WOL-GRY", "Wool Scarf - Grey",
      NULL, NULL, 1763000002 },
    { "#4003", "Zoë Müller", "zoe@example.de", "PST-TRL", "Trail Map Poster", "Etsy",
      "9400111899223197428490", 1763000003 },
    { "113-0172331-2476692", "Smith Johnson", NULL, NULL, "Mug", "Amazon", NULL, 1763000004 },
  };

  add_specs (f, specs, G_N_ELEMENTS (specs), FALSE);

  /* Each word is a prefix of a word of the order; words are ANDed. */
  assert_found (f, "j", "#4001,#4002,113-0172331-2476692");
  assert_found (f, "joh", "#4001,#4002,113-0172331-2476692");
  assert_found (f, "john", "#4001,113-0172331-2476692");
  assert_found (f, "jo sm", "#4001,#4002,113-0172331-2476692");
  assert_found (f, "jo smy", "#4002");
  assert_found (f, "sm JOHN", "#4001,113-0172331-2476692");
  assert_found (f, "smith lantern", "#4001");
  assert_found (f, "smith scarf", "");
  /* Not a prefix: the middle of a word does not match. */
  assert_found (f, "ohn", "");
  /* Case and diacritics do not matter. */
  assert_found (f, "ZOE mull", "#4003");
  assert_found (f, "zoë", "#4003");
  /* Order number, SKU, email, tracking number, with their punctuation. */
  assert_found (f, "#4002", "#4002");
  assert_found (f, "4003", "#4003");
  assert_found (f, "113-0172331", "113-0172331-2476692");
  assert_found (f, "lant-led", "#4001");
  assert_found (f, "mini-lant", "");       /* a phrase keeps its order */
  assert_found (f, "john.smith@inbox", "#4001");
  assert_found (f, "inbox.example", "#4001");
  assert_found (f, "940011189922", "#4003");
  /* Blank is no search: every order. */
  assert_found (f, "   ", "#4001,#4002,#4003,113-0172331-2476692");
}

static void
test_syntax_is_literal (Fixture       *f,
                        gconstpointer  data)
{
  const Spec specs[] = {
    { "#5001", "Near Bay Shop", "orders@near.example", "AND-1", "Or Not Mug", NULL, NULL,
      1763000001 },
    { "#5002", "O'Brien (Trade)", "x@example.com", "COL:VAL", "Star * Lamp", NULL, NULL,
      1763000002 },
    { "#5003", "Plain Customer", "plain@example.com", "P-1", "Plain Box", NULL, NULL,
      1763000003 },
  };
  const char * const hostile[] = {
    "\"", "\"\"", "*", "(", ")", "NEAR", "NEAR(", "NEAR(near bay)", "-", "-plain", ":",
    "col:val", "number:5001", "^", "^plain", "AND", "OR", "NOT", "a OR b", "\"unterminated",
    "(((", "*)", "{number}: 5001", "+", "''", "\\", "%", "_", "\xff\xfe bad utf-8",
  };

  add_specs (f, specs, G_N_ELEMENTS (specs), FALSE);

  /* Nothing errors (search_full asserts no error) ... */
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
    {
      g_autoptr(GArray) ids = search (f, hostile[i]);

      g_assert_cmpuint (ids->len, <=, 3);
    }

  /* ... and every character is text: operators are words, punctuation
   * separates words, column filters and NEAR are phrases. */
  assert_found (f, "NEAR", "#5001");
  assert_found (f, "near", "#5001");
  assert_found (f, "NEAR(bay shop)", "#5001");   /* "near bay" and "shop" */
  assert_found (f, "or not", "#5001");
  assert_found (f, "AND", "#5001");
  assert_found (f, "NOT", "#5001");
  assert_found (f, "col:val", "#5002");
  assert_found (f, "number:5001", "");     /* not a column filter */
  assert_found (f, "-plain", "#5003");     /* not NOT */
  assert_found (f, "^plain", "#5003");     /* not "first token" */
  assert_found (f, "o'brien", "#5002");
  assert_found (f, "(trade)", "#5002");
  assert_found (f, "\"brien\"", "#5002");
  assert_found (f, "star*", "#5002");
  /* Only punctuation: no word to find, so nothing is found. */
  assert_found (f, "*", "");
  assert_found (f, "\"", "");
  assert_found (f, "(", "");
}

static void
test_search_and_condition (Fixture       *f,
                           gconstpointer  data)
{
  const Spec specs[] = {
    { "#6001", "Grace Hopper", "grace@example.com", "BUG-1", "Moth", "Etsy", NULL, 1763000001 },
    { "#6002", "Grace Kelly", "kelly@example.com", "CRN-1", "Crown", "Shopify", NULL,
      1763000002 },
    { "#6003", "Alan Turing", "alan@example.com", "BOM-1", "Bombe", "Etsy", NULL, 1763000003 },
  };
  g_autoptr(PsCondition) etsy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) all_etsy = NULL;

  add_specs (f, specs, G_N_ELEMENTS (specs), FALSE);
  etsy = ps_condition_from_string ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\","
                                   "\"value\":\"etsy\"}]}", &error);
  g_assert_no_error (error);

  ids = search_full (f, etsy, "grace", PS_ORDER_SORT_CREATED, FALSE, 0);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, 1);

  none = search_full (f, etsy, "kelly", PS_ORDER_SORT_CREATED, FALSE, 0);
  g_assert_cmpuint (none->len, ==, 0);

  all_etsy = search_full (f, etsy, " ", PS_ORDER_SORT_CREATED, FALSE, 0);
  g_assert_cmpuint (all_etsy->len, ==, 2);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Purge empties the index; orders written afterwards (the same ids
 * again) are found, the purged ones are not. */
static void
test_purge_clears (Fixture       *f,
                   gconstpointer  data)
{
  const Spec before[] = {
    { "#7001", "Old Customer", "old@example.com", "OLD-1", "Old Thing", NULL, NULL, 0 },
    { "#7002", "Older Customer", "older@example.com", "OLD-2", "Old Thing", NULL, NULL, 0 },
  };
  const Spec after[] = {
    { "#7001", "New Customer", "new@example.com", "NEW-1", "New Thing", NULL, NULL, 0 },
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_specs (f, before, G_N_ELEMENTS (before), FALSE);
  assert_found (f, "old", "#7001,#7002");

  ps_order_store_purge_async (f->store, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ps_order_store_purge_finish (f->store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_pending (f), ==, 0);
  assert_found (f, "old", "");

  add_specs (f, after, G_N_ELEMENTS (after), FALSE);
  g_assert_cmpint (count_pending (f), ==, 1);
  assert_found (f, "new", "#7001");
  assert_found (f, "old", "");
}

/* The background catch-up: chunk after chunk until done, "pending" while
 * orders wait, and a search queued meanwhile runs between two chunks. */
static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GArray *values = user_data;
  gboolean pending = ps_order_search_get_pending (PS_ORDER_SEARCH (object));

  g_array_append_val (values, pending);
}

static void
test_background_catch_up (Fixture       *f,
                          gconstpointer  data)
{
  guint n = PS_ORDER_SEARCH_CHUNK * 2 + 10;
  g_autofree Spec *specs = g_new0 (Spec, n);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) notified = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) again = NULL;
  g_autoptr(GError) error = NULL;
  PsOrderSearch *search = ps_order_store_get_search (f->store);

  for (guint i = 0; i < n; i++)
    {
      char *number = g_strdup_printf ("#%u", 10000 + i);

      g_ptr_array_add (strings, number);
      specs[i].number = number;
      specs[i].customer = i == n - 1 ? "Last Customer" : "Some Customer";
      specs[i].created_at = 1763000000 + i;
    }
  add_specs (f, specs, n, FALSE);
  g_assert_cmpint (count_pending (f), ==, n);
  g_assert_false (ps_order_search_get_pending (search));

  g_signal_connect (search, "notify::pending", G_CALLBACK (notify_cb), notified);
  ps_order_search_catch_up_async (search, NULL, async_done_cb, &result);
  /* A second caller joins the same run. */
  ps_order_search_catch_up_async (search, NULL, async_done_cb, &again);
  while (result == NULL || again == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ps_order_search_catch_up_finish (search, result, &error));
  g_assert_no_error (error);
  g_assert_true (ps_order_search_catch_up_finish (search, again, &error));
  g_assert_no_error (error);

  /* Pending from the first chunk that left work, clear at the end. */
  g_assert_cmpuint (notified->len, ==, 2);
  g_assert_true (g_array_index (notified, gboolean, 0));
  g_assert_false (g_array_index (notified, gboolean, 1));
  g_assert_false (ps_order_search_get_pending (search));
  g_assert_cmpint (count_pending (f), ==, 0);
  assert_found (f, "last", "#14009");
}

/* Property: for random typed prefixes over a generated database, the
 * search finds exactly the orders a brute-force scan finds: an order
 * matches when each typed word starts a word (a run of letters and
 * digits, case folded) of its number, customer name or email, SKUs,
 * product names or tracking numbers. Both SQL shapes are exercised: a
 * few matches sorted, many matches walked in the sort's order. */

static const char * const first_names[] = {
  "John", "Johanna", "Jo", "Sofia", "Sofiane", "Leo", "Leon", "Hiro", "Ana", "Anna", "Marco",
  "Maria", "Mark", "Zed",
};
static const char * const last_names[] = {
  "Smith", "Smythe", "Miller", "Millar", "Campbell", "Schmidt", "Baker", "Bakery", "Lee", "Li",
};
static const char * const products[] = {
  "Mini LED Lantern", "Wool Scarf - Grey", "Trail Map Poster", "Enamel Mug", "Mug Tree",
  "Leather Wallet", "Lantern Oil", "Map Case", "Scarf Ring",
};
static const char * const domains[] = {
  "inbox.example", "mail.example", "example.net",
};

typedef struct
{
  gint64  id;
  gint64  created_at;
  char  **words;     /* lower-case runs of letters and digits */
} Oracle;

static void
add_words (GPtrArray  *words,
           const char *text)
{
  const char *p = text;

  if (text == NULL)
    return;
  while (*p != '\0')
    {
      const char *start;

      while (*p != '\0' && !g_ascii_isalnum (*p))
        p++;
      start = p;
      while (g_ascii_isalnum (*p))
        p++;
      if (p > start)
        g_ptr_array_add (words, g_ascii_strdown (start, p - start));
    }
}

static gboolean
oracle_matches (const Oracle *o,
                char        **typed)
{
  for (guint i = 0; typed[i] != NULL; i++)
    {
      gboolean any = FALSE;

      for (guint k = 0; o->words[k] != NULL && !any; k++)
        any = g_str_has_prefix (o->words[k], typed[i]);
      if (!any)
        return FALSE;
    }
  return TRUE;
}

static int
compare_oracle_newest_first (gconstpointer a,
                             gconstpointer b)
{
  const Oracle *x = a, *y = b;

  if (x->created_at != y->created_at)
    return x->created_at < y->created_at ? 1 : -1;
  return x->id < y->id ? 1 : (x->id > y->id ? -1 : 0);
}

static void
oracle_clear (gpointer data)
{
  g_strfreev (((Oracle *) data)->words);
}

/* Adds @text to @strings, which frees it, and returns it. */
static const char *
keep (GPtrArray *strings,
      char      *text)
{
  g_ptr_array_add (strings, text);
  return text;
}

static void
test_property_brute_force (Fixture       *f,
                           gconstpointer  data)
{
  const guint n = 1500;
  g_autofree Spec *specs = g_new0 (Spec, n);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) oracle = g_array_sized_new (FALSE, TRUE, sizeof (Oracle), n);

  g_array_set_clear_func (oracle, oracle_clear);

  for (guint i = 0; i < n; i++)
    {
      const char *first = first_names[g_test_rand_int_range (0, G_N_ELEMENTS (first_names))];
      const char *last = last_names[g_test_rand_int_range (0, G_N_ELEMENTS (last_names))];
      Spec *s = &specs[i];
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      Oracle o;

#define KEEP(x) keep (strings, (x))
      s->number = KEEP (g_strdup_printf ("#%u", 1000 + i));
      s->customer = KEEP (g_strdup_printf ("%s %s", first, last));
      s->email = KEEP (g_strdup_printf ("%s.%s%u@%s", first, last, i % 97,
                                        domains[g_test_rand_int_range (0, G_N_ELEMENTS (domains))]));
      s->sku = KEEP (g_strdup_printf ("%c%c-%u", 'A' + g_test_rand_int_range (0, 26),
                                      'A' + g_test_rand_int_range (0, 26),
                                      g_test_rand_int_range (1, 500)));
      s->product = products[g_test_rand_int_range (0, G_N_ELEMENTS (products))];
      if (g_test_rand_int_range (0, 3) == 0)
        s->tracking = KEEP (g_strdup_printf ("1Z%08X%u", g_test_rand_int (), i));
      /* Not in id order, so the sort is tested too. */
      s->created_at = 1763000000 + g_test_rand_int_range (0, 90 * 86400);
#undef KEEP

      add_words (words, s->number);
      add_words (words, s->customer);
      add_words (words, s->email);
      add_words (words, s->sku);
      add_words (words, s->product);
      add_words (words, s->tracking);
      g_ptr_array_add (words, NULL);
      o.id = i + 1;
      o.created_at = s->created_at;
      o.words = (char **) g_ptr_array_free (g_steal_pointer (&words), FALSE);
      g_array_append_val (oracle, o);
    }
  add_specs (f, specs, n, FALSE);
  g_array_sort (oracle, compare_oracle_newest_first);

  /* A first page above 50 matches and a whole list above 400 walk the
   * bitset; fewer are sorted. */
  _ps_search_match_set_list_max (50, 400);

  for (guint q = 0; q < 60; q++)
    {
      g_autoptr(GString) typed = g_string_new (NULL);
      g_auto(GStrv) words = NULL;
      g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
      guint n_words = g_test_rand_int_range (1, 3);

      for (guint w = 0; w < n_words; w++)
        {
          const Oracle *o = &g_array_index (oracle, Oracle, g_test_rand_int_range (0, n));
          guint n_of = g_strv_length (o->words);
          const char *word = o->words[g_test_rand_int_range (0, n_of)];
          guint len = MIN (strlen (word), (guint) g_test_rand_int_range (1, 4));

          if (g_test_rand_int_range (0, 8) == 0)
            /* A random prefix that may match nothing. */
            g_string_append_printf (typed, "%s%c%c", w ? " " : "",
                                    'a' + g_test_rand_int_range (0, 26),
                                    'a' + g_test_rand_int_range (0, 26));
          else
            g_string_append_printf (typed, "%s%.*s", w ? " " : "", (int) len, word);
        }
      words = g_strsplit (typed->str, " ", -1);

      for (guint i = 0; i < oracle->len; i++)
        {
          const Oracle *o = &g_array_index (oracle, Oracle, i);

          if (oracle_matches (o, words))
            g_array_append_val (expected, o->id);
        }

      /* The whole list, newest first, and its first page. */
      for (guint limit = 0; limit <= 256; limit += 256)
        {
          g_autoptr(GArray) ids = search_full (f, NULL, typed->str, PS_ORDER_SORT_CREATED, TRUE,
                                               limit);
          guint want = limit > 0 ? MIN (limit, expected->len) : expected->len;

          if (ids->len != want)
            g_error ("“%s” (limit %u): %u orders found, %u expected", typed->str, limit,
                     ids->len, want);
          for (guint i = 0; i < want; i++)
            if (g_array_index (ids, gint64, i) != g_array_index (expected, gint64, i))
              g_error ("“%s” (limit %u): position %u is order %" G_GINT64_FORMAT ", expected %"
                       G_GINT64_FORMAT, typed->str, limit, i, g_array_index (ids, gint64, i),
                       g_array_index (expected, gint64, i));
        }
    }
}

/* PsOrderList: typing letter after letter drops the results of the
 * earlier texts; only the last one is ever shown. */
typedef struct
{
  PsOrderList *list;
  GArray      *sizes;
} Shown;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  Shown *shown = user_data;
  guint size = g_list_model_get_n_items (model);

  g_array_append_val (shown->sizes, size);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
wait_loaded (PsOrderList *list)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  while (ps_order_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
}

static void
test_list_stale_dropped (Fixture       *f,
                         gconstpointer  data)
{
  const Spec specs[] = {
    { "#8001", "Sam Stone", "sam@example.com", "S-1", "Stone Bowl", NULL, NULL, 1763000001 },
    { "#8002", "Sara Sand", "sara@example.com", "S-2", "Sand Timer", NULL, NULL, 1763000002 },
    { "#8003", "Sally Salt", "sally@example.com", "S-3", "Salt Cellar", NULL, NULL, 1763000003 },
    { "#8004", "Tom Tree", "tom@example.com", "T-1", "Tree Stand", NULL, NULL, 1763000004 },
  };
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(PsOrder) order = NULL;
  Shown shown = { NULL, g_array_new (FALSE, FALSE, sizeof (guint)) };
  guint notified = 0;

  add_specs (f, specs, G_N_ELEMENTS (specs), FALSE);
  list = ps_order_list_new (f->store);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  shown.list = list;
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &shown);
  g_signal_connect (list, "notify::search", G_CALLBACK (count_cb), &notified);

  /* "s" (3 orders), "sa" (2), "sal" (1), queued before any ran. */
  ps_order_list_set_search (list, "s");
  ps_order_list_set_search (list, "sa");
  ps_order_list_set_search (list, "sal");
  g_assert_true (ps_order_list_get_loading (list));
  g_assert_cmpstr (ps_order_list_get_search (list), ==, "sal");
  g_assert_cmpuint (notified, ==, 3);
  wait_loaded (list);

  /* One change, straight to the last text's result. */
  g_assert_cmpuint (shown.sizes->len, ==, 1);
  g_assert_cmpuint (g_array_index (shown.sizes, guint, 0), ==, 1);
  order = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (ps_order_get_id (order), ==, 3);

  /* The same text again is no new query; blank brings every order back. */
  ps_order_list_set_search (list, "sal");
  g_assert_false (ps_order_list_get_loading (list));
  g_assert_cmpuint (notified, ==, 3);
  ps_order_list_set_search (list, "  ");
  g_assert_null (ps_order_list_get_search (list));
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  g_array_unref (shown.sizes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/order-search/build-query", test_build_query);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/order-search/catch-up-new-orders", test_catch_up_new_orders);
  ADD ("/store/order-search/reimport-renamed", test_reimport_renamed);
  ADD ("/store/order-search/tracking-added-later", test_tracking_added_later);
  ADD ("/store/order-search/prefix-and-words", test_prefix_and_words);
  ADD ("/store/order-search/syntax-is-literal", test_syntax_is_literal);
  ADD ("/store/order-search/search-and-condition", test_search_and_condition);
  ADD ("/store/order-search/purge-clears", test_purge_clears);
  ADD ("/store/order-search/background-catch-up", test_background_catch_up);
  ADD ("/store/order-search/property-brute-force", test_property_brute_force);
  ADD ("/store/order-search/list-stale-dropped", test_list_stale_dropped);
#undef ADD

  return g_test_run ();
}
