/* ps-order-store.h: asynchronous queries on orders
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-condition.h"
#include "ps-database.h"
#include "ps-enums.h"
#include "ps-order.h"
#include "ps-order-search.h"
#include "ps-order-snapshot.h"

G_BEGIN_DECLS

/**
 * PsStoreSummary:
 * @n_orders: number of orders
 * @is_demo: whether the database holds generated demo data
 * @schema_version: the schema version
 */
typedef struct
{
  gint64   n_orders;
  gboolean is_demo;
  int      schema_version;
} PsStoreSummary;

#define PS_TYPE_ORDER_STORE (ps_order_store_get_type ())

G_DECLARE_FINAL_TYPE (PsOrderStore, ps_order_store, PS, ORDER_STORE, GObject)

PsOrderStore   *ps_order_store_new                (PsDatabase           *database);
PsDatabase     *ps_order_store_get_database       (PsOrderStore         *self);
GTimeZone      *ps_order_store_get_time_zone      (PsOrderStore         *self);
PsOrderSearch  *ps_order_store_get_search         (PsOrderStore         *self);
void            ps_order_store_query_ids_async    (PsOrderStore         *self,
                                                   PsCondition          *condition,
                                                   PsOrderSort           sort,
                                                   gboolean              descending,
                                                   guint                 limit,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void            ps_order_store_query_ids_full_async (PsOrderStore       *self,
                                                   PsCondition          *condition,
                                                   const char           *search,
                                                   PsOrderSort           sort,
                                                   gboolean              descending,
                                                   guint                 limit,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GArray         *ps_order_store_query_ids_finish   (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_count_async        (PsOrderStore         *self,
                                                   PsCondition          *condition,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
void            ps_order_store_count_full_async   (PsOrderStore         *self,
                                                   PsCondition          *condition,
                                                   const char           *search,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gint64          ps_order_store_count_finish       (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_count_many_async   (PsOrderStore         *self,
                                                   PsCondition * const  *conditions,
                                                   guint                 n_conditions,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GArray         *ps_order_store_count_many_finish  (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_fetch_rows_async   (PsOrderStore         *self,
                                                   const gint64         *ids,
                                                   guint                 n_ids,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray      *ps_order_store_fetch_rows_finish  (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_summary_async      (PsOrderStore         *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
PsStoreSummary *ps_order_store_summary_finish     (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_purge_async        (PsOrderStore         *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean        ps_order_store_purge_finish       (PsOrderStore         *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
void            ps_order_store_emit_changed       (PsOrderStore         *self,
                                                   GArray               *ids);

/* Worker thread only: the same queries for jobs already on the worker.
 * @now and @tz are what the condition's day-count operators count from. */
GArray         *ps_order_store_query_ids_sync     (PsDatabase           *database,
                                                   PsOrderSort           sort,
                                                   gboolean              descending,
                                                   guint                 limit,
                                                   GError              **error);
GArray         *ps_order_store_query_filtered_ids_sync
                                                  (PsDatabase           *database,
                                                   const PsCondition    *condition,
                                                   gint64                now,
                                                   GTimeZone            *tz,
                                                   PsOrderSort           sort,
                                                   gboolean              descending,
                                                   guint                 limit,
                                                   GError              **error);
gint64          ps_order_store_count_sync         (PsDatabase           *database,
                                                   const PsCondition    *condition,
                                                   gint64                now,
                                                   GTimeZone            *tz,
                                                   GError              **error);
GArray         *ps_order_store_search_ids_sync    (PsDatabase           *database,
                                                   const PsCondition    *condition,
                                                   const char           *search,
                                                   gint64                now,
                                                   GTimeZone            *tz,
                                                   PsOrderSort           sort,
                                                   gboolean              descending,
                                                   guint                 limit,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
gint64          ps_order_store_search_count_sync  (PsDatabase           *database,
                                                   const PsCondition    *condition,
                                                   const char           *search,
                                                   gint64                now,
                                                   GTimeZone            *tz,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
GArray         *ps_order_store_count_many_sync    (PsDatabase           *database,
                                                   PsCondition * const  *conditions,
                                                   guint                 n_conditions,
                                                   gint64                now,
                                                   GTimeZone            *tz,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
GPtrArray      *ps_order_store_fetch_rows_sync    (PsDatabase           *database,
                                                   const gint64         *ids,
                                                   guint                 n_ids,
                                                   GError              **error);
PsOrderSnapshot *ps_order_store_load_snapshot_sync (PsDatabase          *database,
                                                   gint64                order_id,
                                                   GError              **error);

G_END_DECLS
