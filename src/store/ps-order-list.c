/* ps-order-list.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list holds only an array of order ids (8 bytes per order: a million
 * orders are 8 MB). get_item() never touches SQL: it returns the live
 * PsOrder for that id if one exists, or a stub that is filled when a batch
 * of rows comes back from the worker (STYLE.md 3.7). Sorting and filtering
 * (a PsCondition, such as a saved filter's, and a search the merchant
 * types) happen in SQL; a new sort, condition or search or a change in
 * the store swaps in a new id array. Each new query cancels the one in
 * flight, whose result is then dropped: typing "jo" after "j" never shows
 * the orders of "j" once "jo" was asked for.
 *
 * Main thread only.
 */

#define G_LOG_DOMAIN "ps-order-list"

#include "config.h"

#include <string.h>

#include "ps-order-list.h"

/* Rows are fetched in batches collected during one main-loop iteration. A
 * screenful is ~40 rows; the cap keeps one job short so a reload queued
 * behind it is not delayed. */
#define MAX_FETCH_BATCH 256
/* Writes often come in bursts (an import emits per batch); one reload per
 * burst is enough. */
#define RELOAD_DEBOUNCE_MS 150
/* A reload first reads this many ids, so the first screen can be filled
 * while the rest (a full index scan: ~100 ms per million orders) follows. */
#define FIRST_PAGE 256
/* The full read waits for the first rows' fetch to be queued ahead of it
 * on the worker, but no longer than this if nothing asks for rows. */
#define FULL_QUERY_DELAY_MS 100

struct _PsOrderList
{
  GObject       parent_instance;

  PsOrderStore *store;
  GArray       *ids;          /* gint64, the current order */
  GHashTable   *live;         /* id -> PsOrder* (weak) */
  GArray       *pending;      /* ids whose rows were asked for */
  GHashTable   *pending_set;  /* ids in @pending */
  GCancellable *query_cancellable;
  GCancellable *fetch_cancellable;
  guint         fetch_source;
  guint         reload_source;
  guint         full_query_source;
  gboolean      first_page;     /* the query in flight is the FIRST_PAGE one */
  gboolean      need_full;      /* the first page came back full: read the rest */
  PsCondition  *condition;      /* (nullable): every order */
  char         *search;         /* (nullable): no search */
  PsOrderSort   sort;
  gboolean      descending;
  gboolean      loading;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsOrderList, ps_order_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_CONDITION,
  PROP_SEARCH,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean fetch_pending_cb (gpointer data);
static void     query_ids_cb     (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data);

/* Helpers */

static void
set_loading (PsOrderList *self,
             gboolean     loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
order_finalized_cb (gpointer  data,
                    GObject  *where_the_object_was)
{
  PsOrderList *self = data;
  GHashTableIter iter;
  gpointer key, value;

  /* The object is gone; find its key by identity (ids are unique). */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (value == (gpointer)where_the_object_was)
      {
        g_hash_table_iter_remove (&iter);
        break;
      }
}

static void
queue_fetch (PsOrderList *self,
             gint64       id)
{
  if (g_hash_table_contains (self->pending_set, &id))
    return;
  g_array_append_val (self->pending, id);
  g_hash_table_add (self->pending_set, g_memdup2 (&id, sizeof id));

  if (self->fetch_source == 0)
    /* Above GTK's layout and paint priorities: the rows a frame is about to
     * draw are asked for before that frame, not after a run of frames. */
    self->fetch_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fetch_pending_cb, self, NULL);
}

static void
start_full_query (PsOrderList *self)
{
  g_clear_handle_id (&self->full_query_source, g_source_remove);
  if (!self->need_full || self->query_cancellable == NULL)
    return;
  self->need_full = FALSE;
  self->first_page = FALSE;
  ps_order_store_query_ids_full_async (self->store, self->condition, self->search, self->sort,
                                       self->descending, 0, self->query_cancellable, query_ids_cb,
                                       g_object_ref (self));
}

static gboolean
full_query_timeout_cb (gpointer data)
{
  PsOrderList *self = data;

  self->full_query_source = 0;
  start_full_query (self);
  return G_SOURCE_REMOVE;
}

/* Callbacks */

static void
fetch_rows_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PsOrderList) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = ps_order_store_fetch_rows_finish (PS_ORDER_STORE (object), result, &error);
  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not load orders: %s", error->message);
      return;
    }

  for (guint i = 0; i < rows->len; i++)
    {
      const PsOrderRow *row = g_ptr_array_index (rows, i);
      PsOrder *order = g_hash_table_lookup (self->live, &row->id);

      if (order != NULL)
        ps_order_apply_row (order, row);
    }
}

static gboolean
fetch_pending_cb (gpointer data)
{
  PsOrderList *self = data;
  g_autoptr(GArray) batch = NULL;

  self->fetch_source = 0;

  while (self->pending->len > 0)
    {
      guint n = MIN (self->pending->len, MAX_FETCH_BATCH);

      batch = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
      g_array_append_vals (batch, self->pending->data, n);
      g_array_remove_range (self->pending, 0, n);
      for (guint i = 0; i < n; i++)
        g_hash_table_remove (self->pending_set, &g_array_index (batch, gint64, i));

      ps_order_store_fetch_rows_async (self->store, (const gint64 *)batch->data, batch->len,
                                       self->fetch_cancellable, fetch_rows_cb,
                                       g_object_ref (self));
      g_clear_pointer (&batch, g_array_unref);
    }

  /* The visible rows are queued on the worker; the long full read may go. */
  start_full_query (self);

  return G_SOURCE_REMOVE;
}

static void
query_ids_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsOrderList) self = user_data;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  guint old_n, new_n;
  GHashTableIter iter;
  gpointer key;

  ids = ps_order_store_query_ids_finish (PS_ORDER_STORE (object), result, &error);
  if (ids == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* a newer query replaced this one */
      g_warning ("Could not list orders: %s", error->message);
      set_loading (self, FALSE);
      return;
    }

  old_n = self->ids->len;
  new_n = ids->len;

  if (!self->first_page && old_n > 0 && old_n <= new_n &&
      memcmp (self->ids->data, ids->data, sizeof (gint64) * old_n) == 0)
    {
      /* The full read extends the first page: append, keep the rows. */
      g_array_unref (self->ids);
      self->ids = g_steal_pointer (&ids);
      g_clear_object (&self->query_cancellable);
      if (new_n > old_n)
        {
          g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
        }
      set_loading (self, FALSE);
      return;
    }

  g_array_unref (self->ids);
  self->ids = g_steal_pointer (&ids);

  /* Objects that are still alive (selection, details pane, visible rows)
   * may show stale values: refresh them through the same path. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    queue_fetch (self, *(gint64 *)key);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, new_n);
  if (old_n != new_n)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (self->first_page && new_n == FIRST_PAGE)
    {
      /* More to come: stay "loading" and read the rest once the first
       * rows' fetch is queued (fetch_pending_cb) or after a short delay. */
      self->need_full = TRUE;
      self->full_query_source = g_timeout_add (FULL_QUERY_DELAY_MS, full_query_timeout_cb, self);
      return;
    }

  g_clear_object (&self->query_cancellable);
  set_loading (self, FALSE);
}

static void
on_store_orders_changed_cb (PsOrderList  *self,
                            GArray       *ids,
                            PsOrderStore *store)
{
  g_clear_handle_id (&self->reload_source, g_source_remove);
  /* ps_order_list_reload() forgets the source id when it runs. */
  self->reload_source = g_timeout_add_once (RELOAD_DEBOUNCE_MS,
                                            (GSourceOnceFunc)ps_order_list_reload, self);
}

/* GListModel */

static GType
ps_order_list_get_item_type (GListModel *model)
{
  return PS_TYPE_ORDER;
}

static guint
ps_order_list_get_n_items (GListModel *model)
{
  return PS_ORDER_LIST (model)->ids->len;
}

static gpointer
ps_order_list_get_item (GListModel *model,
                        guint       position)
{
  PsOrderList *self = PS_ORDER_LIST (model);
  PsOrder *order;
  gint64 id;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  order = g_hash_table_lookup (self->live, &id);
  if (order != NULL)
    return g_object_ref (order);

  order = ps_order_new_stub (id);
  g_hash_table_insert (self->live, g_memdup2 (&id, sizeof id), order);
  g_object_weak_ref (G_OBJECT (order), order_finalized_cb, self);
  queue_fetch (self, id);
  return order;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = ps_order_list_get_item_type;
  iface->get_n_items = ps_order_list_get_n_items;
  iface->get_item = ps_order_list_get_item;
}

/* GObject overrides */

static void
ps_order_list_constructed (GObject *object)
{
  PsOrderList *self = (PsOrderList *)object;

  G_OBJECT_CLASS (ps_order_list_parent_class)->constructed (object);

  g_signal_connect_object (self->store, "orders-changed",
                           G_CALLBACK (on_store_orders_changed_cb), self, G_CONNECT_SWAPPED);
  ps_order_list_reload (self);
}

static void
ps_order_list_dispose (GObject *object)
{
  PsOrderList *self = (PsOrderList *)object;
  GHashTableIter iter;
  gpointer value;

  g_cancellable_cancel (self->fetch_cancellable);
  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  g_clear_handle_id (&self->fetch_source, g_source_remove);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->full_query_source, g_source_remove);

  if (self->live != NULL)
    {
      g_hash_table_iter_init (&iter, self->live);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        g_object_weak_unref (value, order_finalized_cb, self);
      g_hash_table_remove_all (self->live);
    }

  g_clear_object (&self->store);

  G_OBJECT_CLASS (ps_order_list_parent_class)->dispose (object);
}

static void
ps_order_list_finalize (GObject *object)
{
  PsOrderList *self = (PsOrderList *)object;

  g_clear_object (&self->fetch_cancellable);
  g_clear_pointer (&self->condition, ps_condition_unref);
  g_clear_pointer (&self->search, g_free);
  g_clear_pointer (&self->ids, g_array_unref);
  g_clear_pointer (&self->live, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->pending_set, g_hash_table_unref);

  G_OBJECT_CLASS (ps_order_list_parent_class)->finalize (object);
}

static void
ps_order_list_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  PsOrderList *self = PS_ORDER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_CONDITION:
      g_value_set_boxed (value, self->condition);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->ids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_list_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  PsOrderList *self = PS_ORDER_LIST (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_CONDITION:
      ps_order_list_set_condition (self, g_value_get_boxed (value));
      break;
    case PROP_SEARCH:
      ps_order_list_set_search (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_list_class_init (PsOrderListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ps_order_list_constructed;
  object_class->dispose = ps_order_list_dispose;
  object_class->finalize = ps_order_list_finalize;
  object_class->get_property = ps_order_list_get_property;
  object_class->set_property = ps_order_list_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, PS_TYPE_ORDER_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PsOrderList:condition:
   *
   * Which orders the list holds, or %NULL for all of them.
   */
  properties[PROP_CONDITION] =
    g_param_spec_boxed ("condition", NULL, NULL, PS_TYPE_CONDITION,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PsOrderList:search:
   *
   * Text the merchant typed to search orders by number, customer name or
   * email, SKU, product name or tracking number, ANDed with
   * #PsOrderList:condition; %NULL for no search.
   */
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * PsOrderList:loading:
   *
   * %TRUE while a new id list is being read: after a new sort, condition
   * or search ("Searching…"), until its result is in the list.
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_order_list_init (PsOrderList *self)
{
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->live = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->pending_set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->fetch_cancellable = g_cancellable_new ();
  self->sort = PS_ORDER_SORT_CREATED;
  self->descending = TRUE;
}

/* Public API */

/**
 * ps_order_list_new:
 * @store: the #PsOrderStore to read from
 *
 * Creates the list and starts reading its ids; it is empty and
 * #PsOrderList:loading until they arrive.
 *
 * Returns: (transfer full): a new list, newest orders first
 */
PsOrderList *
ps_order_list_new (PsOrderStore *store)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (store), NULL);

  return g_object_new (PS_TYPE_ORDER_LIST, "store", store, NULL);
}

PsOrderStore *
ps_order_list_get_store (PsOrderList *self)
{
  g_return_val_if_fail (PS_IS_ORDER_LIST (self), NULL);
  return self->store;
}

gboolean
ps_order_list_get_loading (PsOrderList *self)
{
  g_return_val_if_fail (PS_IS_ORDER_LIST (self), FALSE);
  return self->loading;
}

/**
 * ps_order_list_set_sort:
 * @self: a #PsOrderList
 * @sort: the sort key
 * @descending: the direction
 *
 * Re-reads the ids in the new order; an unchanged sort does nothing.
 */
void
ps_order_list_set_sort (PsOrderList *self,
                        PsOrderSort  sort,
                        gboolean     descending)
{
  g_return_if_fail (PS_IS_ORDER_LIST (self));

  if (self->sort == sort && self->descending == !!descending)
    return;
  self->sort = sort;
  self->descending = !!descending;
  ps_order_list_reload (self);
}

/**
 * ps_order_list_get_condition:
 * @self: a #PsOrderList
 *
 * Returns: (transfer none) (nullable): the condition the orders satisfy,
 *   %NULL when the list holds every order
 */
PsCondition *
ps_order_list_get_condition (PsOrderList *self)
{
  g_return_val_if_fail (PS_IS_ORDER_LIST (self), NULL);
  return self->condition;
}

/**
 * ps_order_list_set_condition:
 * @self: a #PsOrderList
 * @condition: (nullable): which orders to hold (a saved filter's
 *   condition), %NULL for all of them
 *
 * Re-reads the ids of the orders that satisfy @condition, keeping the
 * sort. A condition equal to the current one (ps_condition_equal()) does
 * nothing. Time-based conditions ("within_days") count from the moment of
 * each (re)load.
 */
void
ps_order_list_set_condition (PsOrderList *self,
                             PsCondition *condition)
{
  g_return_if_fail (PS_IS_ORDER_LIST (self));

  if (self->condition == condition ||
      (self->condition != NULL && condition != NULL &&
       ps_condition_equal (self->condition, condition)))
    return;

  g_clear_pointer (&self->condition, ps_condition_unref);
  if (condition != NULL)
    self->condition = ps_condition_ref (condition);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONDITION]);

  /* Before construction ends the first load has not started yet. */
  if (self->store != NULL && self->fetch_cancellable != NULL)
    ps_order_list_reload (self);
}

/**
 * ps_order_list_get_search:
 * @self: a #PsOrderList
 *
 * Returns: (nullable): the search text, %NULL when there is none
 */
const char *
ps_order_list_get_search (PsOrderList *self)
{
  g_return_val_if_fail (PS_IS_ORDER_LIST (self), NULL);
  return self->search;
}

/**
 * ps_order_list_set_search:
 * @self: a #PsOrderList
 * @text: (nullable): what the merchant typed; %NULL, empty or only white
 *   space for no search
 *
 * Re-reads the ids of the orders that satisfy the condition and @text
 * (see ps_order_store_query_ids_full_async()), keeping the sort. The query
 * in flight is cancelled and its result dropped, so when the merchant
 * types letter after letter only the last text's orders are shown. The
 * same text again does nothing; #PsOrderList:loading is %TRUE until the
 * new result is in.
 */
void
ps_order_list_set_search (PsOrderList *self,
                          const char  *text)
{
  g_return_if_fail (PS_IS_ORDER_LIST (self));

  if (ps_order_search_text_is_blank (text))
    text = NULL;
  if (g_strcmp0 (self->search, text) == 0)
    return;

  g_free (self->search);
  self->search = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);

  /* Before construction ends the first load has not started yet. */
  if (self->store != NULL && self->fetch_cancellable != NULL)
    ps_order_list_reload (self);
}

/**
 * ps_order_list_reload:
 * @self: a #PsOrderList
 *
 * Re-reads the ids; a reload in flight is cancelled and its result dropped.
 */
void
ps_order_list_reload (PsOrderList *self)
{
  g_return_if_fail (PS_IS_ORDER_LIST (self));

  self->reload_source = 0;
  g_clear_handle_id (&self->full_query_source, g_source_remove);
  self->need_full = FALSE;

  if (self->query_cancellable != NULL)
    g_cancellable_cancel (self->query_cancellable);
  g_clear_object (&self->query_cancellable);
  self->query_cancellable = g_cancellable_new ();

  set_loading (self, TRUE);
  self->first_page = TRUE;
  ps_order_store_query_ids_full_async (self->store, self->condition, self->search, self->sort,
                                       self->descending, FIRST_PAGE, self->query_cancellable,
                                       query_ids_cb, g_object_ref (self));
}

/**
 * ps_order_list_get_id:
 * @self: a #PsOrderList
 * @position: a position
 *
 * Returns: the order id at @position without creating an object, or 0.
 */
gint64
ps_order_list_get_id (PsOrderList *self,
                      guint        position)
{
  g_return_val_if_fail (PS_IS_ORDER_LIST (self), 0);

  if (position >= self->ids->len)
    return 0;
  return g_array_index (self->ids, gint64, position);
}
