/* test-order-list.c: the lazy order list over a real database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-order-list.h"
#include "ps-order-writer.h"

#include <string.h>

typedef struct
{
  PsDatabase   *db;
  PsOrderStore *store;
} Fixture;

typedef struct
{
  guint first;
  guint count;
} AddOrders;

static gpointer
add_orders_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  AddOrders *add = data;
  g_autoptr(PsOrderWriter) writer = NULL;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  for (guint i = add->first; i < add->first + add->count; i++)
    {
      char number[32];
      char name[32];
      PsLineFields lines[2] = {
        { "MUG-01", "Mug", NULL, 2, 1500, 350 },
        { "TEE-M", "T-shirt", "M", (int)(i % 3) + 1, 2000, 200 },
      };
      PsOrderFields order = { 0 };
      PsShipmentFields shipment = { 0 };
      gint64 id;

      g_snprintf (number, sizeof number, "#%u", 1000 + i);
      g_snprintf (name, sizeof name, "Customer %03u", (i * 7) % 100);
      order.channel_name = (i % 2) ? "Etsy" : "Shopify";
      order.channel_kind = (i % 2) ? PS_CHANNEL_KIND_ETSY : PS_CHANNEL_KIND_SHOPIFY;
      order.order_number = number;
      order.customer_name = name;
      order.ship_city = "Portland";
      order.ship_state = "OR";
      order.ship_country = "US";
      order.status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
      order.currency = "USD";
      order.total_minor = 10000 - i;          /* cheaper as they get newer */
      order.created_at = 1763000000 + i * 3600;
      id = ps_order_writer_add_order (writer, &order, lines, 2, NULL, error);
      if (id == 0)
        goto fail;

      if (i % 4 == 0)
        {
          shipment.order_id = id;
          shipment.carrier = "ups";
          shipment.service = "ground";
          shipment.tracking_status = PS_TRACKING_STATUS_IN_TRANSIT;
          shipment.label_created_at = order.created_at + 600;
          if (ps_order_writer_add_shipment (writer, &shipment, error) == 0)
            goto fail;
        }
    }
  if (!ps_database_commit (db, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);

fail:
  ps_database_rollback (db);
  return NULL;
}

static void
add_orders (Fixture *f,
            guint    first,
            guint    count)
{
  g_autoptr(GError) error = NULL;
  AddOrders add = { first, count };

  g_assert_nonnull (ps_database_run_sync (f->db, add_orders_job, &add, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "orders.db", NULL);
  g_autoptr(GError) error = NULL;

  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  f->store = ps_order_store_new (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->db);
}

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out waiting for the order list");
  return G_SOURCE_REMOVE;
}

static void
wait_loaded (PsOrderList *list)
{
  guint timeout = g_timeout_add_seconds (10, timeout_cb, NULL);

  /* Let a debounced reload start, then wait for it to finish. */
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  while (ps_order_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
wait_order_loaded (PsOrder *order)
{
  guint timeout = g_timeout_add_seconds (10, timeout_cb, NULL);

  while (!ps_order_get_loaded (order))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  (*(guint *)user_data)++;
}

static void
test_list_lazy (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(PsOrder) newest = NULL;
  g_autoptr(PsOrder) again = NULL;
  g_autoptr(PsOrder) with_shipment = NULL;
  guint changes = 0;

  add_orders (f, 0, 50);
  list = ps_order_list_new (f->store);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_assert_true (ps_order_list_get_loading (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  wait_loaded (list);

  g_assert_cmpuint (changes, ==, 1);   /* one items-changed for the whole load */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 50);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == PS_TYPE_ORDER);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), 50));

  /* get_item returns at once with a stub that fills later. */
  newest = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_false (ps_order_get_loaded (newest));
  wait_order_loaded (newest);
  g_assert_cmpstr (ps_order_get_order_number (newest), ==, "#1049");   /* newest first */
  g_assert_cmpint (ps_order_get_item_count (newest), ==, 2 + (49 % 3) + 1);
  g_assert_cmpstr (ps_order_get_channel_name (newest), ==, "Etsy");
  g_assert_cmpint (ps_order_get_channel_kind (newest), ==, PS_CHANNEL_KIND_ETSY);

  /* While alive, the same object is handed out again. */
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (again == newest);

  /* The latest shipment's carrier shows on the row. */
  with_shipment = g_list_model_get_item (G_LIST_MODEL (list), 49);   /* #1000, i = 0 */
  wait_order_loaded (with_shipment);
  g_assert_cmpstr (ps_order_get_order_number (with_shipment), ==, "#1000");
  g_assert_cmpstr (ps_order_get_carrier (with_shipment), ==, "ups");
  g_assert_cmpint (ps_order_get_tracking_status (with_shipment), ==, PS_TRACKING_STATUS_IN_TRANSIT);
  g_assert_null (ps_order_get_carrier (newest));
}

typedef struct
{
  guint n_calls;
  guint last_position;
  guint last_removed;
  guint last_added;
} Changes;

static void
record_changes_cb (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   gpointer    user_data)
{
  Changes *c = user_data;

  c->n_calls++;
  c->last_position = position;
  c->last_removed = removed;
  c->last_added = added;
}

/* A long list arrives as a first screenful, then the rest appended. */
static void
test_list_progressive (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(PsOrder) last = NULL;
  Changes changes = { 0 };

  add_orders (f, 0, 700);
  list = ps_order_list_new (f->store);
  g_signal_connect (list, "items-changed", G_CALLBACK (record_changes_cb), &changes);

  while (g_list_model_get_n_items (G_LIST_MODEL (list)) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (changes.n_calls, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), <, 700);
  g_assert_true (ps_order_list_get_loading (list));

  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 700);
  g_assert_cmpuint (changes.n_calls, ==, 2);
  g_assert_cmpuint (changes.last_removed, ==, 0);
  g_assert_cmpuint (changes.last_position + changes.last_added, ==, 700);

  last = g_list_model_get_item (G_LIST_MODEL (list), 699);
  wait_order_loaded (last);
  g_assert_cmpstr (ps_order_get_order_number (last), ==, "#1000");   /* oldest last */
}

static void
test_list_sort (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(PsOrder) cheapest = NULL;
  gint64 previous = G_MININT64;

  add_orders (f, 0, 30);
  list = ps_order_list_new (f->store);
  wait_loaded (list);

  ps_order_list_set_sort (list, PS_ORDER_SORT_TOTAL, FALSE);
  g_assert_true (ps_order_list_get_loading (list));
  wait_loaded (list);
  cheapest = g_list_model_get_item (G_LIST_MODEL (list), 0);
  wait_order_loaded (cheapest);
  g_assert_cmpint (ps_order_get_total_minor (cheapest), ==, 10000 - 29);

  /* Every position in ascending order of the customer name. */
  ps_order_list_set_sort (list, PS_ORDER_SORT_CUSTOMER, FALSE);
  wait_loaded (list);
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(PsOrder) order = g_list_model_get_item (G_LIST_MODEL (list), i);
      gint64 n;

      wait_order_loaded (order);
      n = g_ascii_strtoll (ps_order_get_customer_name (order) + strlen ("Customer "), NULL, 10);
      g_assert_cmpint (n, >=, previous);
      previous = n;
    }
}

static void
test_list_follows_store (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_orders (f, 0, 10);
  list = ps_order_list_new (f->store);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);

  /* A committed write announced by orders-changed reloads the list. */
  add_orders (f, 10, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  ps_order_store_emit_changed (f->store, NULL);
  while (!ps_order_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 15);
}

static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_purge (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) summary_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree PsStoreSummary *summary = NULL;

  add_orders (f, 0, 20);
  list = ps_order_list_new (f->store);
  wait_loaded (list);

  ps_order_store_purge_async (f->store, NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (ps_order_store_purge_finish (f->store, result, &error));
  g_assert_no_error (error);

  /* purge_finish announced the change; the list empties itself. */
  while (!ps_order_list_get_loading (list))
    g_main_context_iteration (NULL, TRUE);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  ps_order_store_summary_async (f->store, NULL, async_done_cb, &summary_result);
  while (summary_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  summary = ps_order_store_summary_finish (f->store, summary_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->n_orders, ==, 0);
  g_assert_false (summary->is_demo);

  /* The same order numbers can be written again: channels were cleared. */
  add_orders (f, 0, 3);
}

static void
test_fetch_missing_ids (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  const gint64 ids[] = { 2, 999999, 1 };
  const PsOrderRow *row;

  add_orders (f, 0, 3);
  ps_order_store_fetch_rows_async (f->store, ids, G_N_ELEMENTS (ids), NULL, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  rows = ps_order_store_fetch_rows_finish (f->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpint (row->id, ==, 2);
  g_assert_cmpstr (row->currency, ==, "USD");
  row = g_ptr_array_index (rows, 1);
  g_assert_cmpint (row->id, ==, 1);
}

static void
test_fetch_cancelled (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const gint64 ids[] = { 1 };

  add_orders (f, 0, 1);
  g_cancellable_cancel (cancellable);
  ps_order_store_fetch_rows_async (f->store, ids, 1, cancellable, async_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ps_order_store_fetch_rows_finish (f->store, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *)user_data)++;
}

/* A condition (a saved filter's) narrows the list in SQL; an equal one
 * does nothing; NULL brings every order back. */
static void
test_list_condition (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(PsOrderList) list = NULL;
  g_autoptr(PsCondition) etsy = NULL;
  g_autoptr(PsCondition) etsy_again = NULL;
  g_autoptr(PsCondition) shipped_etsy = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  add_orders (f, 0, 20);
  list = ps_order_list_new (f->store);
  g_signal_connect (list, "notify::condition", G_CALLBACK (notify_cb), &notified);
  wait_loaded (list);
  g_assert_null (ps_order_list_get_condition (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 20);

  etsy = ps_condition_from_string ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\","
                                   "\"value\":\"etsy\"}]}", &error);
  g_assert_no_error (error);
  ps_order_list_set_condition (list, etsy);
  g_assert_true (ps_order_list_get_condition (list) == etsy);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (ps_order_list_get_loading (list));
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(PsOrder) order = g_list_model_get_item (G_LIST_MODEL (list), i);

      wait_order_loaded (order);
      g_assert_cmpstr (ps_order_get_channel_name (order), ==, "Etsy");
    }

  /* An equal condition is no change. */
  etsy_again = ps_condition_from_string ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\","
                                         "\"value\":\"etsy\"}]}", NULL);
  ps_order_list_set_condition (list, etsy_again);
  g_assert_false (ps_order_list_get_loading (list));
  g_assert_cmpuint (notified, ==, 1);

  /* The sort applies within the condition. */
  ps_order_list_set_sort (list, PS_ORDER_SORT_TOTAL, FALSE);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 10);

  /* Orders 1, 5, 9, ... are on Etsy, 0, 4, 8, ... have a UPS shipment:
   * none is both. */
  shipped_etsy = ps_condition_from_string ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\","
                                           "\"value\":\"etsy\"},{\"field\":\"carrier\","
                                           "\"op\":\"is\",\"value\":\"UPS\"}]}", NULL);
  g_object_set (list, "condition", shipped_etsy, NULL);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (notified, ==, 2);

  ps_order_list_set_condition (list, NULL);
  wait_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 20);
  g_assert_cmpuint (notified, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/order-list/lazy", test_list_lazy);
  ADD ("/store/order-list/progressive", test_list_progressive);
  ADD ("/store/order-list/sort", test_list_sort);
  ADD ("/store/order-list/follows-store", test_list_follows_store);
  ADD ("/store/order-list/condition", test_list_condition);
  ADD ("/store/order-store/purge", test_purge);
  ADD ("/store/order-store/fetch-missing-ids", test_fetch_missing_ids);
  ADD ("/store/order-store/fetch-cancelled", test_fetch_cancelled);
#undef ADD

  return g_test_run ();
}
