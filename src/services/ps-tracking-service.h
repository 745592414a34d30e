/* ps-tracking-service.h: tracking polls, the background poller and the
 * late-handoff clock
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-carrier.h"
#include "ps-carrier-sandbox.h"
#include "ps-context.h"
#include "ps-tracking-store.h"

G_BEGIN_DECLS

/**
 * PsTrackingScope:
 * @PS_TRACKING_SCOPE_DUE: the shipments whose next poll is due now
 * @PS_TRACKING_SCOPE_UNDELIVERED: every live, undelivered shipment the
 *   poller watches, due or not
 * @PS_TRACKING_SCOPE_SHIPMENTS: the shipments whose ids are given
 * @PS_TRACKING_SCOPE_ORDERS: the undelivered shipments of the orders
 *   whose ids are given ("Refresh tracking" on selected orders)
 *
 * Which shipments a poll asks the carriers about.
 */
typedef enum
{
  PS_TRACKING_SCOPE_DUE,
  PS_TRACKING_SCOPE_UNDELIVERED,
  PS_TRACKING_SCOPE_SHIPMENTS,
  PS_TRACKING_SCOPE_ORDERS,
} PsTrackingScope;

/**
 * PsTrackingProblem:
 * @shipment_id: the shipment
 * @order_id: its order
 * @tracking_number: (nullable): its number
 * @message: what went wrong, for the merchant
 *
 * One failed poll.
 */
typedef struct
{
  gint64  shipment_id;
  gint64  order_id;
  char   *tracking_number;
  char   *message;
} PsTrackingProblem;

/**
 * PsTrackingReport:
 * @checked: shipments asked about (including failed and untrackable ones)
 * @changed: shipments whose status changed
 * @new_events: tracking events stored
 * @delivered: shipments that became delivered
 * @orders_changed: orders whose status changed
 * @untrackable: shipments no carrier account can track (looked at again
 *   in a week; add an EasyPost account to track imported numbers)
 * @deferred: shipments left for later because their account is rate
 *   limited
 * @by_status: (element-type utf8 guint): tracking status nick → how many
 *   shipments changed to it
 * @problems: (element-type PsTrackingProblem): failed polls
 * @changes: (element-type PsTrackingChange): one per shipment answered
 * @order_ids: (element-type gint64): orders touched (for orders-changed)
 *
 * What one poll did.
 */
typedef struct
{
  guint       checked;
  guint       changed;
  guint       new_events;
  guint       delivered;
  guint       orders_changed;
  guint       untrackable;
  guint       deferred;
  GHashTable *by_status;
  GPtrArray  *problems;
  GArray     *changes;
  GArray     *order_ids;
} PsTrackingReport;

void ps_tracking_report_free (PsTrackingReport *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTrackingReport, ps_tracking_report_free)

#define PS_TYPE_TRACKING_SERVICE (ps_tracking_service_get_type ())

G_DECLARE_FINAL_TYPE (PsTrackingService, ps_tracking_service, PS, TRACKING_SERVICE, GObject)

PsTrackingService *ps_tracking_service_new              (PsContext            *context);
void               ps_tracking_service_set_now_func     (PsTrackingService    *self,
                                                         PsNowFunc             func,
                                                         gpointer              user_data);
void               ps_tracking_service_set_carrier      (PsTrackingService    *self,
                                                         gint64                account_id,
                                                         PsCarrier            *carrier);
void               ps_tracking_service_set_max_concurrent (PsTrackingService  *self,
                                                         guint                 n);
void               ps_tracking_service_set_late_handoff_days (PsTrackingService *self,
                                                         int                   business_days);

void               ps_tracking_service_track_async      (PsTrackingService    *self,
                                                         PsTrackingScope       scope,
                                                         const gint64         *ids,
                                                         guint                 n_ids,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PsTrackingReport  *ps_tracking_service_track_finish     (PsTrackingService    *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               ps_tracking_service_refresh_async    (PsTrackingService    *self,
                                                         const gint64         *shipment_ids,
                                                         guint                 n_ids,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
PsTrackingReport  *ps_tracking_service_refresh_finish   (PsTrackingService    *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);
void               ps_tracking_service_sweep_async      (PsTrackingService    *self,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
guint              ps_tracking_service_sweep_finish     (PsTrackingService    *self,
                                                         GAsyncResult         *result,
                                                         GError              **error);

void               ps_tracking_service_start            (PsTrackingService    *self);
void               ps_tracking_service_stop             (PsTrackingService    *self);
gboolean           ps_tracking_service_get_running      (PsTrackingService    *self);
void               ps_tracking_service_wake             (PsTrackingService    *self);

G_END_DECLS
