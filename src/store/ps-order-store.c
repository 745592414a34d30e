/* ps-order-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every query here runs as a PsDatabase job on the worker thread; results
 * come back as plain arrays and PsOrderRow structs, never GObjects, and
 * callers turn them into objects on the main thread.
 *
 * Filters are PsConditions compiled by ps-condition-sql.c. Their SQL text
 * varies with the tree, so those statements are prepared per query and
 * finalized, not kept in the database's statement cache (which would grow
 * with every filter a merchant ever typed); preparing costs microseconds
 * next to the query. The day-count operators count from the moment the
 * query was asked for, in the store's time zone.
 *
 * A search (text the merchant typed) narrows a query further, ANDed with
 * the condition; ps-order-search.c turns it into a match over the
 * full-text index and says which SQL shape suits its size.
 */

#define G_LOG_DOMAIN "ps-order-store"

#include "config.h"

#include "ps-condition-sql.h"
#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-search-private.h"
#include "ps-order-store.h"
#include "ps-order-writer.h"
#include "ps-time.h"

struct _PsOrderStore
{
  GObject     parent_instance;

  PsDatabase    *database;
  GTimeZone     *time_zone;
  PsOrderSearch *search;
};

G_DEFINE_FINAL_TYPE (PsOrderStore, ps_order_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_TIME_ZONE,
  N_PROPS
};

enum {
  ORDERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A query's filter: the condition and the moment and calendar its
 * day-count operators count from. */
typedef struct
{
  PsCondition *condition;     /* (nullable): every order */
  char        *search;        /* (nullable): no search */
  gint64       now;
  GTimeZone   *tz;
} Filter;

typedef struct
{
  Filter      filter;
  PsOrderSort sort;
  gboolean    descending;
  guint       limit;
} QueryIds;

typedef struct
{
  GPtrArray *conditions;      /* (element-type PsCondition) (nullable elements) */
  gint64     now;
  GTimeZone *tz;
} CountMany;

typedef struct
{
  gint64 *ids;
  guint   n_ids;
} FetchRows;

static void
filter_clear (Filter *filter)
{
  g_clear_pointer (&filter->condition, ps_condition_unref);
  g_clear_pointer (&filter->search, g_free);
  g_clear_pointer (&filter->tz, g_time_zone_unref);
}

static void
query_ids_free (QueryIds *q)
{
  filter_clear (&q->filter);
  g_free (q);
}

static void
count_many_free (CountMany *c)
{
  g_ptr_array_unref (c->conditions);
  g_time_zone_unref (c->tz);
  g_free (c);
}

static void
fetch_rows_free (FetchRows *f)
{
  g_free (f->ids);
  g_free (f);
}

static void
condition_unref0 (gpointer data)
{
  if (data != NULL)
    ps_condition_unref (data);
}

/* ORDER BY cannot be bound, so each sort key maps to a fixed fragment.
 * The id is the last key so the order is total and stable. Each order is
 * exactly what one index holds (an index on x holds (x, id)), so reading
 * the ids in order walks that index and sorts nothing (sql/0002-filters.sql
 * adds the ones 0001 lacked): channel, status and destination sort by
 * number, date and state within their groups because the unique key and
 * the indexes for the sidebar counts and destinations do. */
static const char *
sort_sql (PsOrderSort sort,
          gboolean    descending)
{
#define PAIR(asc, desc) (descending ? " ORDER BY " desc : " ORDER BY " asc)
  switch (sort)
    {
    case PS_ORDER_SORT_NUMBER:
      return PAIR ("o.order_number, o.id", "o.order_number DESC, o.id DESC");
    case PS_ORDER_SORT_CUSTOMER:
      return PAIR ("o.customer_name COLLATE NOCASE, o.id",
                   "o.customer_name COLLATE NOCASE DESC, o.id DESC");
    case PS_ORDER_SORT_CHANNEL:
      return PAIR ("o.channel_id, o.order_number, o.id",
                   "o.channel_id DESC, o.order_number DESC, o.id DESC");
    case PS_ORDER_SORT_ITEMS:
      return PAIR ("o.item_count, o.id", "o.item_count DESC, o.id DESC");
    case PS_ORDER_SORT_TOTAL:
      return PAIR ("o.total_minor, o.id", "o.total_minor DESC, o.id DESC");
    case PS_ORDER_SORT_DESTINATION:
      return PAIR ("o.ship_country, o.ship_state, o.id",
                   "o.ship_country DESC, o.ship_state DESC, o.id DESC");
    case PS_ORDER_SORT_STATUS:
      return PAIR ("o.status, o.created_at, o.id",
                   "o.status DESC, o.created_at DESC, o.id DESC");
    case PS_ORDER_SORT_CREATED:
    default:
      return PAIR ("o.created_at, o.id", "o.created_at DESC, o.id DESC");
    }
#undef PAIR
}

/* Prepares @sql for one query; the caller finalizes it. */
static sqlite3_stmt *
prepare_once (PsDatabase  *database,
              const char  *sql,
              GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (_ps_database_get_handle (database), sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (database, error, rc, "prepare filter");
      g_debug ("Failed SQL: %s", sql);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Reads the first column of every row as an id. */
static GArray *
step_ids (PsDatabase    *database,
          sqlite3_stmt  *stmt,
          guint          size_hint,
          GError       **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), size_hint);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }

  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "query ids");
      return NULL;
    }
  return g_steal_pointer (&ids);
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
  g_autofree char *sql = NULL;
  GArray *ids;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  sql = g_strconcat ("SELECT o.id FROM orders o", sort_sql (sort, descending), " LIMIT ?", NULL);
  stmt = _ps_database_prepare (database, sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit > 0 ? (sqlite3_int64)limit : -1);
  ids = step_ids (database, stmt, limit > 0 ? limit : 1024, error);
  sqlite3_reset (stmt);
  return ids;
}

/**
 * ps_order_store_query_filtered_ids_sync:
 * @database: a #PsDatabase
 * @condition: (nullable): which orders; %NULL for all of them
 * @now: the current time for the day-count operators, UTC Unix seconds
 * @tz: the merchant's time zone, for business days
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return, 0 for all
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): the ids of the orders
 *   that satisfy @condition, in order
 */
GArray *
ps_order_store_query_filtered_ids_sync (PsDatabase         *database,
                                        const PsCondition  *condition,
                                        gint64              now,
                                        GTimeZone          *tz,
                                        PsOrderSort         sort,
                                        gboolean            descending,
                                        guint               limit,
                                        GError            **error)
{
  g_autoptr(PsConditionSql) compiled = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  GArray *ids;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  if (condition == NULL)
    return ps_order_store_query_ids_sync (database, sort, descending, limit, error);

  compiled = ps_condition_sql_compile (condition, now, tz);
  sql = g_strconcat ("SELECT o.id FROM orders o WHERE ", ps_condition_sql_get_where (compiled),
                     sort_sql (sort, descending), " LIMIT ?", NULL);
  stmt = prepare_once (database, sql, error);
  if (stmt == NULL)
    return NULL;

  rc = ps_condition_sql_bind (compiled, stmt, 1);
  if (rc == SQLITE_OK)
    rc = sqlite3_bind_int64 (stmt, (int) ps_condition_sql_get_n_params (compiled) + 1,
                             limit > 0 ? (sqlite3_int64) limit : -1);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (database, error, rc, "bind filter");
      sqlite3_finalize (stmt);
      return NULL;
    }

  ids = step_ids (database, stmt, limit > 0 ? limit : 1024, error);
  sqlite3_finalize (stmt);
  return ids;
}

/**
 * ps_order_store_count_sync:
 * @database: a #PsDatabase
 * @condition: (nullable): which orders; %NULL for all of them
 * @now: the current time for the day-count operators, UTC Unix seconds
 * @tz: the merchant's time zone, for business days
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: how many orders satisfy @condition, or -1 with @error set
 */
gint64
ps_order_store_count_sync (PsDatabase         *database,
                           const PsCondition  *condition,
                           gint64              now,
                           GTimeZone          *tz,
                           GError            **error)
{
  g_autoptr(PsConditionSql) compiled = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), -1);
  g_return_val_if_fail (tz != NULL, -1);

  if (condition == NULL)
    {
      stmt = _ps_database_prepare (database, "SELECT count(*) FROM orders", error);
      if (stmt == NULL)
        return -1;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        count = sqlite3_column_int64 (stmt, 0);
      else
        _ps_database_set_error (database, error, rc, "count orders");
      sqlite3_reset (stmt);
      return count;
    }

  compiled = ps_condition_sql_compile (condition, now, tz);
  stmt = prepare_once (database, ps_condition_sql_get_count_sql (compiled), error);
  if (stmt == NULL)
    return -1;

  rc = ps_condition_sql_bind (compiled, stmt, 1);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _ps_database_set_error (database, error, rc, "count orders");
  sqlite3_finalize (stmt);
  return count;
}

/* The statement of a search: the match, then the condition's parameters,
 * then @limit when @with_limit. */
static sqlite3_stmt *
prepare_search (PsDatabase      *database,
                const char      *select,
                PsSearchMatch   *match,
                PsConditionSql  *compiled,
                const char      *order_by,
                guint            limit,
                gboolean         with_limit,
                GError         **error)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int n = 1;
  int rc;

  sql = g_strconcat (select, " WHERE ", _ps_search_match_get_where (match, limit),
                     compiled != NULL ? " AND (" : "",
                     compiled != NULL ? ps_condition_sql_get_where (compiled) : "",
                     compiled != NULL ? ")" : "",
                     order_by, with_limit ? " LIMIT ?" : "", NULL);
  stmt = prepare_once (database, sql, error);
  if (stmt == NULL)
    return NULL;

  rc = _ps_search_match_bind (match, limit, stmt, n++);
  if (rc == SQLITE_OK && compiled != NULL)
    {
      rc = ps_condition_sql_bind (compiled, stmt, n);
      n += (int) ps_condition_sql_get_n_params (compiled);
    }
  if (rc == SQLITE_OK && with_limit)
    rc = sqlite3_bind_int64 (stmt, n, limit > 0 ? (sqlite3_int64) limit : -1);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (database, error, rc, "bind search");
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/**
 * ps_order_store_search_ids_sync:
 * @database: a #PsDatabase
 * @condition: (nullable): which orders; %NULL for all of them
 * @search: (nullable): text the merchant typed: orders whose number,
 *   customer name or email, SKUs, product names or tracking numbers have
 *   a word starting with each typed word; %NULL or blank for no search
 * @now: the current time for the day-count operators, UTC Unix seconds
 * @tz: the merchant's time zone, for business days
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return, 0 for all
 * @cancellable: (nullable): checked while the search index catches up
 * @error: return location for an error
 *
 * ps_order_store_query_filtered_ids_sync() narrowed by a search. The
 * search index first takes in every order it lacks. Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): the ids of the orders
 *   that satisfy @condition and @search, in order
 */
GArray *
ps_order_store_search_ids_sync (PsDatabase         *database,
                                const PsCondition  *condition,
                                const char         *search,
                                gint64              now,
                                GTimeZone          *tz,
                                PsOrderSort         sort,
                                gboolean            descending,
                                guint               limit,
                                GCancellable       *cancellable,
                                GError            **error)
{
  g_autoptr(PsSearchMatch) match = NULL;
  g_autoptr(PsConditionSql) compiled = NULL;
  sqlite3_stmt *stmt;
  GArray *ids;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  if (ps_order_search_text_is_blank (search))
    return ps_order_store_query_filtered_ids_sync (database, condition, now, tz, sort,
                                                   descending, limit, error);

  match = _ps_search_match_new_sync (database, search, cancellable, error);
  if (match == NULL)
    return NULL;
  if (_ps_search_match_get_n_rows (match) == 0)
    return g_array_new (FALSE, FALSE, sizeof (gint64));

  if (condition != NULL)
    compiled = ps_condition_sql_compile (condition, now, tz);
  stmt = prepare_search (database, "SELECT o.id FROM orders o", match, compiled,
                         sort_sql (sort, descending), limit, TRUE, error);
  if (stmt == NULL)
    return NULL;
  ids = step_ids (database, stmt, limit > 0 ? limit : 1024, error);
  sqlite3_finalize (stmt);
  return ids;
}

/**
 * ps_order_store_search_count_sync:
 * @database: a #PsDatabase
 * @condition: (nullable): which orders; %NULL for all of them
 * @search: (nullable): typed text, as for ps_order_store_search_ids_sync()
 * @now: the current time for the day-count operators, UTC Unix seconds
 * @tz: the merchant's time zone, for business days
 * @cancellable: (nullable): checked while the search index catches up
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: how many orders satisfy @condition and @search, or -1 with
 *   @error set
 */
gint64
ps_order_store_search_count_sync (PsDatabase         *database,
                                  const PsCondition  *condition,
                                  const char         *search,
                                  gint64              now,
                                  GTimeZone          *tz,
                                  GCancellable       *cancellable,
                                  GError            **error)
{
  g_autoptr(PsSearchMatch) match = NULL;
  g_autoptr(PsConditionSql) compiled = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), -1);
  g_return_val_if_fail (tz != NULL, -1);

  if (ps_order_search_text_is_blank (search))
    return ps_order_store_count_sync (database, condition, now, tz, error);

  match = _ps_search_match_new_sync (database, search, cancellable, error);
  if (match == NULL)
    return -1;
  if (_ps_search_match_get_n_rows (match) == 0)
    return 0;

  if (condition != NULL)
    compiled = ps_condition_sql_compile (condition, now, tz);
  stmt = prepare_search (database, "SELECT count (*) FROM orders o", match, compiled, "", 0,
                         FALSE, error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    _ps_database_set_error (database, error, rc, "count orders");
  sqlite3_finalize (stmt);
  return count;
}

/**
 * ps_order_store_count_many_sync:
 * @database: a #PsDatabase
 * @conditions: (array length=n_conditions): conditions; a %NULL element
 *   counts every order
 * @n_conditions: the number of @conditions
 * @now: the current time for the day-count operators, UTC Unix seconds
 * @tz: the merchant's time zone, for business days
 * @cancellable: (nullable): checked between two counts
 * @error: return location for an error
 *
 * Worker thread only. All counts see the same @now.
 *
 * Returns: (transfer full) (element-type gint64): one count per condition,
 *   in order
 */
GArray *
ps_order_store_count_many_sync (PsDatabase          *database,
                                PsCondition * const *conditions,
                                guint                n_conditions,
                                gint64               now,
                                GTimeZone           *tz,
                                GCancellable        *cancellable,
                                GError             **error)
{
  g_autoptr(GArray) counts = NULL;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (conditions != NULL || n_conditions == 0, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  counts = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_conditions);
  for (guint i = 0; i < n_conditions; i++)
    {
      gint64 count;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      count = ps_order_store_count_sync (database, conditions[i], now, tz, error);
      if (count < 0)
        return NULL;
      g_array_append_val (counts, count);
    }
  return g_steal_pointer (&counts);
}

static gpointer
query_ids_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  QueryIds *q = data;

  return ps_order_store_search_ids_sync (db, q->filter.condition, q->filter.search,
                                         q->filter.now, q->filter.tz, q->sort, q->descending,
                                         q->limit, cancellable, error);
}

static gpointer
count_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Filter *f = data;
  gint64 count = ps_order_store_search_count_sync (db, f->condition, f->search, f->now, f->tz,
                                                   cancellable, error);

  if (count < 0)
    return NULL;
  return g_memdup2 (&count, sizeof count);
}

static gpointer
count_many_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  CountMany *c = data;

  return ps_order_store_count_many_sync (db, (PsCondition * const *) c->conditions->pdata,
                                         c->conditions->len, c->now, c->tz, cancellable, error);
}

/**
 * ps_order_store_fetch_rows_sync:
 * @database: a #PsDatabase
 * @ids: (array length=n_ids): order ids
 * @n_ids: number of @ids
 * @error: return location for an error
 *
 * Worker thread only. Ids that do not exist are left out.
 *
 * Returns: (transfer full) (element-type PsOrderRow): the list rows of
 *   @ids, in the order of @ids
 */
GPtrArray *
ps_order_store_fetch_rows_sync (PsDatabase    *database,
                                const gint64  *ids,
                                guint          n_ids,
                                GError       **error)
{
  PsDatabase *db = database;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_order_row_free);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (ids != NULL || n_ids == 0, NULL);

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
  for (guint i = 0; i < n_ids; i++)
    {
      PsOrderRow *row;
      const char *currency;
      int value;
      int rc;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, ids[i]);
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
fetch_rows_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  FetchRows *f = data;

  return ps_order_store_fetch_rows_sync (db, f->ids, f->n_ids, error);
}

static int
enum_value (GType       type,
            const char *nick,
            int         fallback)
{
  int value;

  return ps_enum_from_nick (type, nick, &value) ? value : fallback;
}

/**
 * ps_order_store_load_snapshot_sync:
 * @database: a #PsDatabase
 * @order_id: an order id
 * @error: return location for an error
 *
 * Worker thread only. Reads what a condition can test on one order: its
 * columns, channel name, tags (by name), the SKUs of its line items (in
 * line order, lines without one left out) and its shipments that are not
 * voided (oldest first). Missing times are 0; an exception reason that is
 * not set is %PS_EXCEPTION_REASON_NONE.
 *
 * Returns: (transfer full) (nullable): the snapshot, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND if there is no such order, or a store error
 */
PsOrderSnapshot *
ps_order_store_load_snapshot_sync (PsDatabase  *database,
                                   gint64       order_id,
                                   GError     **error)
{
  g_autoptr(PsOrderSnapshot) snapshot = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  stmt = _ps_database_prepare (database,
    "SELECT c.name, o.status, o.ship_country, o.ship_state, o.ship_postcode, o.address_issue,"
    " o.item_count, o.total_minor, o.weight_grams, o.created_at, o.paid_at"
    " FROM orders o JOIN channels c ON c.id = o.channel_id WHERE o.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                     "No order with id %" G_GINT64_FORMAT, order_id);
      else
        _ps_database_set_error (database, error, rc, "load order");
      sqlite3_reset (stmt);
      return NULL;
    }

  snapshot = ps_order_snapshot_new ();
  snapshot->id = order_id;
  snapshot->channel = _ps_column_dup (stmt, 0);
  snapshot->status = enum_value (PS_TYPE_ORDER_STATUS, (const char *) sqlite3_column_text (stmt, 1),
                                 PS_ORDER_STATUS_AWAITING_SHIPMENT);
  snapshot->ship_country = _ps_column_dup (stmt, 2);
  snapshot->ship_state = _ps_column_dup (stmt, 3);
  snapshot->ship_postcode = _ps_column_dup (stmt, 4);
  snapshot->address_issue = sqlite3_column_int (stmt, 5) != 0;
  snapshot->item_count = sqlite3_column_int (stmt, 6);
  snapshot->total_minor = sqlite3_column_int64 (stmt, 7);
  snapshot->weight_grams = sqlite3_column_int64 (stmt, 8);
  snapshot->created_at = sqlite3_column_int64 (stmt, 9);
  snapshot->paid_at = sqlite3_column_int64 (stmt, 10);
  sqlite3_reset (stmt);

  stmt = _ps_database_prepare (database,
    "SELECT t.name FROM order_tags ot JOIN tags t ON t.id = ot.tag_id"
    " WHERE ot.order_id = ? ORDER BY t.name COLLATE NOCASE", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ps_order_snapshot_add_tag (snapshot, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "load tags");
      return NULL;
    }

  stmt = _ps_database_prepare (database,
    "SELECT sku FROM line_items WHERE order_id = ? AND sku IS NOT NULL AND sku <> ''"
    " ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ps_order_snapshot_add_sku (snapshot, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "load line items");
      return NULL;
    }

  stmt = _ps_database_prepare (database,
    "SELECT s.carrier, s.service, s.tracking_status, s.exception_reason, s.label_created_at,"
    " s.first_scan_at, s.delivered_at, s.estimated_delivery_at,"
    " EXISTS (SELECT 1 FROM tracking_events t"
    "         WHERE t.shipment_id = s.id AND t.status = 'exception')"
    " FROM shipments s"
    " WHERE s.order_id = ? AND s.voided_at IS NULL ORDER BY s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsShipmentSnapshot shipment = {
        (char *) sqlite3_column_text (stmt, 0),
        (char *) sqlite3_column_text (stmt, 1),
        enum_value (PS_TYPE_TRACKING_STATUS, (const char *) sqlite3_column_text (stmt, 2),
                    PS_TRACKING_STATUS_UNKNOWN),
        enum_value (PS_TYPE_EXCEPTION_REASON, (const char *) sqlite3_column_text (stmt, 3),
                    PS_EXCEPTION_REASON_NONE),
        sqlite3_column_int64 (stmt, 4),
        sqlite3_column_int64 (stmt, 5),
        sqlite3_column_int64 (stmt, 6),
        sqlite3_column_int64 (stmt, 7),
        sqlite3_column_int (stmt, 8) != 0,
      };

      /* Copies the strings before the next step invalidates them. */
      ps_order_snapshot_add_shipment (snapshot, &shipment);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "load shipments");
      return NULL;
    }

  /* One row per returned line with a SKU, or one with a NULL SKU for a
   * return that has none. */
  stmt = _ps_database_prepare (database,
    "SELECT r.id, r.reason, r.requested_at, li.sku FROM returns r"
    " LEFT JOIN return_items ri ON ri.return_id = r.id"
    " LEFT JOIN line_items li ON li.id = ri.line_item_id AND li.sku IS NOT NULL AND li.sku <> ''"
    " WHERE r.order_id = ? ORDER BY r.id, li.position, li.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  {
    PsReturnSnapshot *ret = NULL;
    gint64 last_id = 0;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        if (ret == NULL || id != last_id)
          {
            ret = ps_order_snapshot_add_return (snapshot,
                                                enum_value (PS_TYPE_RETURN_REASON,
                                                            (const char *) sqlite3_column_text (stmt, 1),
                                                            PS_RETURN_REASON_OTHER),
                                                sqlite3_column_int64 (stmt, 2));
            last_id = id;
          }
        if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
          ps_order_snapshot_add_return_sku (ret, (const char *) sqlite3_column_text (stmt, 3));
      }
  }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "load returns");
      return NULL;
    }

  return g_steal_pointer (&snapshot);
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

  g_clear_object (&self->search);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_order_store_parent_class)->dispose (object);
}

static void
ps_order_store_finalize (GObject *object)
{
  PsOrderStore *self = (PsOrderStore *)object;

  g_clear_pointer (&self->time_zone, g_time_zone_unref);

  G_OBJECT_CLASS (ps_order_store_parent_class)->finalize (object);
}

static void
ps_order_store_constructed (GObject *object)
{
  PsOrderStore *self = (PsOrderStore *)object;

  G_OBJECT_CLASS (ps_order_store_parent_class)->constructed (object);

  if (self->time_zone == NULL)
    self->time_zone = g_time_zone_new_local ();
  self->search = ps_order_search_new (self->database);
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
    case PROP_TIME_ZONE:
      g_value_set_boxed (value, self->time_zone);
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
    case PROP_TIME_ZONE:
      self->time_zone = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_order_store_class_init (PsOrderStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ps_order_store_constructed;
  object_class->dispose = ps_order_store_dispose;
  object_class->finalize = ps_order_store_finalize;
  object_class->get_property = ps_order_store_get_property;
  object_class->set_property = ps_order_store_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, PS_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * PsOrderStore:time-zone:
   *
   * The merchant's calendar: filters count business days (Monday to
   * Friday) in this zone. %NULL at construction means the local zone.
   */
  properties[PROP_TIME_ZONE] =
    g_param_spec_boxed ("time-zone", NULL, NULL, G_TYPE_TIME_ZONE,
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

/**
 * ps_order_store_get_time_zone:
 * @self: a #PsOrderStore
 *
 * Returns: (transfer none): the time zone business days are counted in
 */
GTimeZone *
ps_order_store_get_time_zone (PsOrderStore *self)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (self), NULL);
  return self->time_zone;
}

/**
 * ps_order_store_get_search:
 * @self: a #PsOrderStore
 *
 * The search index's background catch-up: call
 * ps_order_search_catch_up_async() on it after opening the database and
 * after imports, and show #PsOrderSearch:pending.
 *
 * Returns: (transfer none): the search index of the store's database
 */
PsOrderSearch *
ps_order_store_get_search (PsOrderStore *self)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (self), NULL);
  return self->search;
}

/* All async calls are a database job completing a task whose source is
 * the store, tagged with the public function. */
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
  ps_database_run_for_async (self->database, self, source_tag, job, data, data_free,
                             result_free, cancellable, callback, user_data);
}

static gpointer
finish_job (PsOrderStore  *self,
            GAsyncResult  *result,
            gpointer       source_tag,
            GError       **error)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (self), NULL);

  return ps_database_run_for_finish (result, self, source_tag, error);
}

/**
 * ps_order_store_query_ids_async:
 * @self: a #PsOrderStore
 * @condition: (nullable): which orders (a saved filter's condition); %NULL
 *   for all of them
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return (the first ones in that order), 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads the ids of the orders that satisfy @condition in the requested
 * order. Day counts in @condition count from now, business days in
 * #PsOrderStore:time-zone.
 */
void
ps_order_store_query_ids_async (PsOrderStore        *self,
                                PsCondition         *condition,
                                PsOrderSort          sort,
                                gboolean             descending,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ps_order_store_query_ids_full_async (self, condition, NULL, sort, descending, limit,
                                       cancellable, callback, user_data);
}

/**
 * ps_order_store_query_ids_full_async:
 * @self: a #PsOrderStore
 * @condition: (nullable): which orders (a saved filter's condition); %NULL
 *   for all of them
 * @search: (nullable): text the merchant typed; %NULL or blank for no
 *   search. Orders match when each typed word starts a word of their
 *   number, customer name or email, SKUs, product names or tracking
 *   numbers ("jo sm" finds John Smith); nothing typed is query syntax.
 * @sort: the sort key
 * @descending: the direction
 * @limit: the most ids to return (the first ones in that order), 0 for all
 * @cancellable: (nullable): a #GCancellable; a search typed on should
 *   cancel the one before, whose result is then dropped
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * ps_order_store_query_ids_async() with a search ANDed to @condition.
 * Finish it with ps_order_store_query_ids_finish(). If the search index
 * lacks orders, the job indexes them first, so no order is missed.
 */
void
ps_order_store_query_ids_full_async (PsOrderStore        *self,
                                     PsCondition         *condition,
                                     const char          *search,
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
  q->filter.condition = condition != NULL ? ps_condition_ref (condition) : NULL;
  q->filter.search = ps_order_search_text_is_blank (search) ? NULL : g_strdup (search);
  q->filter.now = ps_time_now ();
  q->filter.tz = g_time_zone_ref (self->time_zone);
  q->sort = sort;
  q->descending = descending;
  q->limit = limit;
  run_job (self, ps_order_store_query_ids_async, query_ids_job, q,
           (GDestroyNotify)query_ids_free, (GDestroyNotify)g_array_unref,
           cancellable, callback, user_data);
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

static void
count_free (Filter *f)
{
  filter_clear (f);
  g_free (f);
}

/**
 * ps_order_store_count_async:
 * @self: a #PsOrderStore
 * @condition: (nullable): which orders; %NULL counts all of them
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Counts the orders that satisfy @condition (a sidebar count), with the
 * same clock and time zone as ps_order_store_query_ids_async().
 */
void
ps_order_store_count_async (PsOrderStore        *self,
                            PsCondition         *condition,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  ps_order_store_count_full_async (self, condition, NULL, cancellable, callback, user_data);
}

/**
 * ps_order_store_count_full_async:
 * @self: a #PsOrderStore
 * @condition: (nullable): which orders; %NULL counts all of them
 * @search: (nullable): typed text, as for
 *   ps_order_store_query_ids_full_async(); %NULL or blank for no search
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Counts the orders that satisfy @condition and @search. Finish it with
 * ps_order_store_count_finish().
 */
void
ps_order_store_count_full_async (PsOrderStore        *self,
                                 PsCondition         *condition,
                                 const char          *search,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Filter *f;

  g_return_if_fail (PS_IS_ORDER_STORE (self));

  f = g_new0 (Filter, 1);
  f->condition = condition != NULL ? ps_condition_ref (condition) : NULL;
  f->search = ps_order_search_text_is_blank (search) ? NULL : g_strdup (search);
  f->now = ps_time_now ();
  f->tz = g_time_zone_ref (self->time_zone);
  run_job (self, ps_order_store_count_async, count_job, f, (GDestroyNotify)count_free,
           g_free, cancellable, callback, user_data);
}

/**
 * ps_order_store_count_finish:
 * @self: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: the number of orders, or -1 with @error set
 */
gint64
ps_order_store_count_finish (PsOrderStore  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autofree gint64 *count = finish_job (self, result, ps_order_store_count_async, error);

  return count != NULL ? *count : -1;
}

/**
 * ps_order_store_count_many_async:
 * @self: a #PsOrderStore
 * @conditions: (array length=n_conditions): the conditions; a %NULL
 *   element counts every order
 * @n_conditions: the number of @conditions
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Counts the orders of several conditions in one database job (the
 * sidebar's saved filters), all from the same moment.
 */
void
ps_order_store_count_many_async (PsOrderStore        *self,
                                 PsCondition * const *conditions,
                                 guint                n_conditions,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  CountMany *c;

  g_return_if_fail (PS_IS_ORDER_STORE (self));
  g_return_if_fail (conditions != NULL || n_conditions == 0);

  c = g_new0 (CountMany, 1);
  c->conditions = g_ptr_array_new_full (n_conditions, condition_unref0);
  for (guint i = 0; i < n_conditions; i++)
    g_ptr_array_add (c->conditions,
                     conditions[i] != NULL ? ps_condition_ref (conditions[i]) : NULL);
  c->now = ps_time_now ();
  c->tz = g_time_zone_ref (self->time_zone);
  run_job (self, ps_order_store_count_many_async, count_many_job, c,
           (GDestroyNotify)count_many_free, (GDestroyNotify)g_array_unref,
           cancellable, callback, user_data);
}

/**
 * ps_order_store_count_many_finish:
 * @self: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type gint64) (nullable): one count per
 *   condition, in order
 */
GArray *
ps_order_store_count_many_finish (PsOrderStore  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_job (self, result, ps_order_store_count_many_async, error);
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
