/* ps-order-search.h: the full-text index of orders and its catch-up
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"

G_BEGIN_DECLS

/* How many orders one background catch-up job indexes, so the searches,
 * list reads and counts queued meanwhile wait at most that long: 35 ms on
 * average on the 2-core development machine, ~50 ms when it is busy
 * (tests/bench/README.md). */
#define PS_ORDER_SEARCH_CHUNK 2000

#define PS_TYPE_ORDER_SEARCH (ps_order_search_get_type ())

G_DECLARE_FINAL_TYPE (PsOrderSearch, ps_order_search, PS, ORDER_SEARCH, GObject)

PsOrderSearch *ps_order_search_new             (PsDatabase           *database);
PsDatabase    *ps_order_search_get_database    (PsOrderSearch        *self);
gboolean       ps_order_search_get_pending     (PsOrderSearch        *self);
void           ps_order_search_catch_up_async  (PsOrderSearch        *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean       ps_order_search_catch_up_finish (PsOrderSearch        *self,
                                                GAsyncResult         *result,
                                                GError              **error);

/* Pure: what a typed text becomes in FTS5's query language. */
char          *ps_order_search_build_query     (const char           *text);
gboolean       ps_order_search_text_is_blank   (const char           *text);

/* Worker thread only. */
gboolean       ps_order_search_catch_up_sync   (PsDatabase           *database,
                                                guint                 max_orders,
                                                gboolean             *done,
                                                GError              **error);
gint64         ps_order_search_count_pending_sync (PsDatabase        *database,
                                                GError              **error);

G_END_DECLS
