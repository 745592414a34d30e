/* ps-order-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every query here runs as a PsDatabase job on the worker thread; results
 * come back as plain arrays and PsOrderRow structs, never GObjects, and
 * callers turn them into objects on the main thread.
 */

#define G_LOG_DOMAIN "ps-order-store"

#include "config.h"

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-store.h"
#include "ps-order-writer.h"

struct _PsOrderStore
{
  GObject     parent_instance;

  PsDatabase *database;
};

G_DEFINE_FINAL_TYPE (PsOrderStore, ps_order_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

enum {
  ORDERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  PsOrderSort sort;
  gboolean    descending;
  guint       limit;
} QueryIds;

typedef struct
{
  gint64 *ids;
  guint   n_ids;
} FetchRows;

static void
fetch_rows_free (FetchRows *f)
{
  g_free (f->ids);
  g_free (f);
}

/* ORDER BY cannot be bound, so each sort key maps to a fixed fragment.
 * The id is the tie-breaker so the order is total and stable. */
static const char *
sort_sql (PsOrderSort sort,
          gboolean    descending)
{
#define PAIR(col) (descending ? "SELECT o.id FROM orders o ORDER BY " col " DESC, o.id DESC LIMIT ?" \
                              : "SELECT o.id FROM orders o ORDER BY " col " ASC, o.id ASC LIMIT ?")
  switch (sort)
    {
    case PS_ORDER_SORT_NUMBER:      return PAIR ("o.order_number");
    case PS_ORDER_SORT_CUSTOMER:    return PAIR ("o.customer_name COLLATE NOCASE");
    case PS_ORDER_SORT_CHANNEL:     return PAIR ("o.channel_id");
    case PS_ORDER_SORT_ITEMS:       return PAIR ("o.item_count");
    case PS_ORDER_SORT_TOTAL:       return PAIR ("o.total_minor");
    case PS_ORDER_SORT_DESTINATION: return PAIR ("o.ship_country");
    case PS_ORDER_SORT_STATUS:      return PAIR ("o.status");
    case PS_ORDER_SORT_CREATED:
    default:                        return PAIR ("o.created_at");
    }
#undef PAIR
}

/**
 * ps_order_store_query_ids_sync:
 * @database: a #PsDatabase
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return, 0 for all
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): the ordered ids
 */
GArray *
ps_order_store_query_ids_sync (PsDatabase   *database,
                               PsOrderSort   sort,
                               gboolean      descending,
                               guint         limit,
                               GError      **error)
{
  g_autoptr(GArray) ids = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database, sort_sql (sort, descending), error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (sqlite3_int64)limit : -1);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), limit > 0 ? limit : 1024);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "query ids");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static gpointer
query_ids_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  QueryIds *q = data;

  return ps_order_store_query_ids_sync (db, q->sort, q->descending, q->limit, error);
}

static gpointer
fetch_rows_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  FetchRows *f = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_order_row_free);
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "SELECT o.id, o.order_number, c.name, c.kind, o.customer_name, o.customer_email,"
    " o.status, o.created_at, o.item_count, o.total_minor, o.currency, o.ship_city,"
    " o.ship_state, o.ship_country, s.carrier, s.service, s.tracking_status, o.address_issue"
    " FROM orders o JOIN channels c ON c.id = o.channel_id"
    " LEFT JOIN shipments s ON s.id = o.last_shipment_id"
    " WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;

  /* One indexed lookup per id with a cached statement: for the ~50 rows a
   * screen needs this is microseconds and keeps the SQL trivial. */
  for (guint i = 0; i < f->n_ids; i++)
    {
      PsOrderRow *row;
      const char *currency;
      int value;
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, f->ids[i]);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        continue;   /* deleted meanwhile: the list drops it on its next reload */
      if (rc != SQLITE_ROW)
        {
          _ps_database_set_error (db, error, rc, "fetch rows");
          sqlite3_reset (stmt);
          return NULL;
        }

      row = g_new0 (PsOrderRow, 1);
      row->id = sqlite3_column_int64 (stmt, 0);
      row->order_number = _ps_column_dup (stmt, 1);
      row->channel_name = _ps_column_dup (stmt, 2);
      row->channel_kind = ps_enum_from_nick (PS_TYPE_CHANNEL_KIND,
                                             (const char *)sqlite3_column_text (stmt, 3), &value)
                          ? value : PS_CHANNEL_KIND_CUSTOM;
      row->customer_name = _ps_column_dup (stmt, 4);
      row->customer_email = _ps_column_dup (stmt, 5);
      row->status = ps_enum_from_nick (PS_TYPE_ORDER_STATUS,
                                       (const char *)sqlite3_column_text (stmt, 6), &value)
                    ? value : PS_ORDER_STATUS_AWAITING_SHIPMENT;
      row->created_at = sqlite3_column_int64 (stmt, 7);
      row->item_count = sqlite3_column_int (stmt, 8);
      row->total_minor = sqlite3_column_int64 (stmt, 9);
      currency = (const char *)sqlite3_column_text (stmt, 10);
      if (currency != NULL)
        g_strlcpy (row->currency, currency, sizeof row->currency);
      row->ship_city = _ps_column_dup (stmt, 11);
      row->ship_state = _ps_column_dup (stmt, 12);
      row->ship_country = _ps_column_dup (stmt, 13);
      row->carrier = _ps_column_dup (stmt, 14);
      row->service = _ps_column_dup (stmt, 15);
      row->tracking_status = ps_enum_from_nick (PS_TYPE_TRACKING_STATUS,
                                                (const char *)sqlite3_column_text (stmt, 16), &value)
                             ? value : PS_TRACKING_STATUS_UNKNOWN;
      row->address_issue = sqlite3_column_int (stmt, 17) != 0;
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&rows);
}

static gpointer
summary_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  PsStoreSummary *summary = g_new0 (PsStoreSummary, 1);
  g_autofree char *demo = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT count(*) FROM orders", error);
  if (stmt == NULL)
    {
      g_free (summary);
      return NULL;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    summary->n_orders = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  demo = ps_database_dup_meta (db, "demo");
  summary->is_demo = g_strcmp0 (demo, "1") == 0;
  summary->schema_version = ps_database_get_schema_version (db);
  return summary;
}

static gpointer
purge_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(PsOrderWriter) writer = NULL;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  if (!ps_order_writer_purge (writer, error) ||
      !ps_database_set_meta (db, "demo", NULL, error) ||
      !ps_database_set_meta (db, "demo_seed", NULL, error) ||
      !ps_database_commit (db, error))
    {
      ps_database_rollback (db);
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

/* GObject overrides */

static void
ps_order_store_dispose (GObject *object)
{
  PsOrderStore *self = (PsOrderStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_order_store_parent_class)->dispose (object);
}

static void
ps_order_store_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  PsOrderStore *self = PS_ORDER_STORE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_store_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  PsOrderStore *self = PS_ORDER_STORE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_store_class_init (PsOrderStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_order_store_dispose;
  object_class->get_property = ps_order_store_get_property;
  object_class->set_property = ps_order_store_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, PS_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PsOrderStore::orders-changed:
   * @self: the store
   * @ids: (nullable) (element-type gint64): the changed order ids, or %NULL
   *   when anything may have changed (an import, a purge)
   *
   * Emitted on the main thread after a write committed.
   */
  signals[ORDERS_CHANGED] =
    g_signal_new ("orders-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ARRAY);
}

static void
ps_order_store_init (PsOrderStore *self)
{
}

/* Public API */

/**
 * ps_order_store_new:
 * @database: an open #PsDatabase
 *
 * Returns: (transfer full): a store over @database
 */
PsOrderStore *
ps_order_store_new (PsDatabase *database)
{
  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  return g_object_new (PS_TYPE_ORDER_STORE, "database", database, NULL);
}

/**
 * ps_order_store_get_database:
 * @self: a #PsOrderStore
 *
 * Returns: (transfer none): the database
 */
PsDatabase *
ps_order_store_get_database (PsOrderStore *self)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (self), NULL);
  return self->database;
}

/* All async calls share this shape: a database job whose GTask completes
 * an outer GTask tagged with the public function. */
static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value;

  value = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

static void
run_job (PsOrderStore        *self,
         gpointer             source_tag,
         PsDatabaseJob        job,
         gpointer             data,
         GDestroyNotify       data_free,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  /* The task data slot carries the result's free function for job_done_cb. */
  g_task_set_task_data (task, result_free, NULL);
  ps_database_run_async (self->database, job, data, data_free, result_free,
                         cancellable, job_done_cb, task);
}

static gpointer
finish_job (PsOrderStore  *self,
            GAsyncResult  *result,
            gpointer       source_tag,
            GError       **error)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_order_store_query_ids_async:
 * @self: a #PsOrderStore
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return (the first ones in that order), 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads the ids of the orders in the requested order.
 */
void
ps_order_store_query_ids_async (PsOrderStore        *self,
                                PsOrderSort          sort,
                                gboolean             descending,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  QueryIds *q;

  g_return_if_fail (PS_IS_ORDER_STORE (self));

  q = g_new0 (QueryIds, 1);
  q->sort = sort;
  q->descending = descending;
  q->limit = limit;
  run_job (self, ps_order_store_query_ids_async, query_ids_job, q, g_free,
           (GDestroyNotify)g_array_unref, cancellable, callback, user_data);
}

/**
 * ps_order_store_query_ids_finish:
 * @self: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type gint64) (nullable): the ids
 */
GArray *
ps_order_store_query_ids_finish (PsOrderStore  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_job (self, result, ps_order_store_query_ids_async, error);
}

/**
 * ps_order_store_fetch_rows_async:
 * @self: a #PsOrderStore
 * @ids: (array length=n_ids): order ids
 * @n_ids: number of @ids
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads the list rows of the given orders. Ids that no longer exist are
 * left out of the result.
 */
void
ps_order_store_fetch_rows_async (PsOrderStore        *self,
                                 const gint64        *ids,
                                 guint                n_ids,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  FetchRows *f;

  g_return_if_fail (PS_IS_ORDER_STORE (self));
  g_return_if_fail (ids != NULL || n_ids == 0);

  f = g_new0 (FetchRows, 1);
  f->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  f->n_ids = n_ids;
  run_job (self, ps_order_store_fetch_rows_async, fetch_rows_job, f,
           (GDestroyNotify)fetch_rows_free, (GDestroyNotify)g_ptr_array_unref,
           cancellable, callback, user_data);
}

/**
 * ps_order_store_fetch_rows_finish:
 * @self: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsOrderRow) (nullable): the rows
 */
GPtrArray *
ps_order_store_fetch_rows_finish (PsOrderStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_job (self, result, ps_order_store_fetch_rows_async, error);
}

/**
 * ps_order_store_summary_async:
 * @self: a #PsOrderStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads how many orders there are and whether they are demo data.
 */
void
ps_order_store_summary_async (PsOrderStore        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PS_IS_ORDER_STORE (self));

  run_job (self, ps_order_store_summary_async, summary_job, NULL, NULL, g_free,
           cancellable, callback, user_data);
}

/**
 * ps_order_store_summary_finish:
 * @self: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the summary; free with g_free()
 */
PsStoreSummary *
ps_order_store_summary_finish (PsOrderStore  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_job (self, result, ps_order_store_summary_async, error);
}

/**
 * ps_order_store_purge_async:
 * @self: a #PsOrderStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Deletes all orders and their history in one transaction (see
 * ps_order_writer_purge()) and clears the demo flag. Emits
 * #PsOrderStore::orders-changed when done.
 */
void
ps_order_store_purge_async (PsOrderStore        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PS_IS_ORDER_STORE (self));

  run_job (self, ps_order_store_purge_async, purge_job, NULL, NULL, NULL,
           cancellable, callback, user_data);
}

gboolean
ps_order_store_purge_finish (PsOrderStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  gboolean ok = finish_job (self, result, ps_order_store_purge_async, error) != NULL;

  if (ok)
    ps_order_store_emit_changed (self, NULL);
  return ok;
}

/**
 * ps_order_store_emit_changed:
 * @self: a #PsOrderStore
 * @ids: (nullable) (element-type gint64): changed ids, %NULL for "anything"
 *
 * Announces a committed write. Services call this after their own jobs
 * committed. Main thread only.
 */
void
ps_order_store_emit_changed (PsOrderStore *self,
                             GArray       *ids)
{
  g_return_if_fail (PS_IS_ORDER_STORE (self));

  g_signal_emit (self, signals[ORDERS_CHANGED], 0, ids);
}
