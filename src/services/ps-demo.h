/* ps-demo.h: a realistic, deterministic demo history
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"

G_BEGIN_DECLS

#define PS_DEMO_DEFAULT_ORDERS 2500
#define PS_DEMO_DEFAULT_SEED   20261122

/**
 * PsDemoOptions:
 * @n_orders: how many orders to generate; 0 means %PS_DEMO_DEFAULT_ORDERS
 * @seed: the random seed; the same seed and @now give the same data
 * @now: UTC Unix seconds the 90-day history ends at; 0 means ps_time_now()
 * @replace: delete the orders already in the database first, in the same
 *   transaction, so a failed or cancelled run keeps the old data
 */
typedef struct
{
  guint    n_orders;
  guint64  seed;
  gint64   now;
  gboolean replace;
} PsDemoOptions;

#define PS_DEMO_OPTIONS_INIT { PS_DEMO_DEFAULT_ORDERS, PS_DEMO_DEFAULT_SEED, 0, FALSE }

/**
 * PsDemoStats:
 * @orders: orders written
 * @line_items: line items written
 * @shipments: shipments written
 * @tracking_events: tracking events written
 * @returns: returns written
 * @events: event log rows written
 */
typedef struct
{
  guint orders;
  guint line_items;
  guint shipments;
  guint tracking_events;
  guint returns;
  guint events;
} PsDemoStats;

/* Worker thread only. */
gboolean     ps_demo_generate        (PsDatabase           *db,
                                      const PsDemoOptions  *options,
                                      PsDemoStats          *stats,
                                      GCancellable         *cancellable,
                                      GError              **error);

void         ps_demo_generate_async  (PsDatabase           *db,
                                      const PsDemoOptions  *options,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
PsDemoStats *ps_demo_generate_finish (PsDatabase           *db,
                                      GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
