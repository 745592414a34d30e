/* ps-tracking-store.h: what the tracking poller reads and writes
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

/**
 * PsTrackingEventFields:
 * @time: UTC Unix seconds
 * @status: the normalized status after this event
 * @reason: why, when @status is an exception
 * @description: (nullable): the carrier's words
 * @location: (nullable): "City, ST, CC"
 *
 * One carrier event, strings borrowed (store/ does not see carriers/:
 * the service turns a #PsTrackingUpdate into these).
 */
typedef struct
{
  gint64             time;
  PsTrackingStatus   status;
  PsExceptionReason  reason;
  const char        *description;
  const char        *location;
} PsTrackingEventFields;

/**
 * PsTrackingAnswer:
 * @status: the status the carrier reports now
 * @reason: why, when @status is an exception
 * @estimated_delivery: UTC Unix seconds, 0 when unknown
 * @events: (array length=n_events): the carrier's events, any order
 * @n_events: how many
 *
 * What one carrier poll said about one shipment.
 */
typedef struct
{
  PsTrackingStatus              status;
  PsExceptionReason             reason;
  gint64                        estimated_delivery;
  const PsTrackingEventFields  *events;
  guint                         n_events;
} PsTrackingAnswer;

/**
 * PsTrackedShipment:
 * @id: the shipment
 * @order_id: its order
 * @account_id: the carrier account that bought the label, 0 when none
 *   (imported tracking numbers, demo history)
 * @carrier: the carrier code ("usps", "ups", "unknown")
 * @tracking_number: (nullable): the tracking number
 * @carrier_shipment_id: (nullable): the carrier's own id ("sbx.…",
 *   EasyPost "shp_…")
 * @tracking_status: the status stored now
 * @exception_reason: the reason stored now (%PS_EXCEPTION_REASON_NONE if
 *   none; %PS_EXCEPTION_REASON_LATE_HANDOFF while a late handoff is
 *   flagged on a pre-transit shipment)
 * @label_created_at: when the label was made, 0 if unknown
 * @estimated_delivery_at: the carrier's estimate, 0 if unknown
 * @last_tracked_at: the last good answer, 0 if never
 * @next_track_at: when the poller is due, 0 if never
 * @track_failures: failed polls since the last good answer
 *
 * One shipment as the tracking poller needs it.
 */
typedef struct
{
  gint64             id;
  gint64             order_id;
  gint64             account_id;
  char              *carrier;
  char              *tracking_number;
  char              *carrier_shipment_id;
  PsTrackingStatus   tracking_status;
  PsExceptionReason  exception_reason;
  gint64             label_created_at;
  gint64             estimated_delivery_at;
  gint64             last_tracked_at;
  gint64             next_track_at;
  guint              track_failures;
} PsTrackedShipment;

void ps_tracked_shipment_free (PsTrackedShipment *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsTrackedShipment, ps_tracked_shipment_free)

/**
 * PsTrackingChange:
 * @shipment_id: the shipment
 * @order_id: its order
 * @from: the tracking status before
 * @to: the tracking status after
 * @reason: the exception reason after (%PS_EXCEPTION_REASON_NONE if none)
 * @n_new_events: tracking events stored by this update (0 on a re-poll
 *   that brought nothing new)
 * @n_status_events: `tracking.status_changed` events appended
 * @delivered: the shipment became delivered with this update
 * @order_changed: the order's status changed
 * @order_from: the order status before
 * @order_to: the order status after
 * @next_track_at: when the poller looks again, 0 for never
 *
 * What applying one #PsTrackingUpdate did.
 */
typedef struct
{
  gint64             shipment_id;
  gint64             order_id;
  PsTrackingStatus   from;
  PsTrackingStatus   to;
  PsExceptionReason  reason;
  guint              n_new_events;
  guint              n_status_events;
  gboolean           delivered;
  gboolean           order_changed;
  PsOrderStatus      order_from;
  PsOrderStatus      order_to;
  gint64             next_track_at;
} PsTrackingChange;

/**
 * PsTrackingFailure:
 * @PS_TRACKING_FAILURE_ERROR: the carrier failed or does not know the
 *   number yet: retry with an exponential back-off
 * @PS_TRACKING_FAILURE_AUTH: the account's key was refused: retry in a
 *   day (the merchant has to fix the account)
 * @PS_TRACKING_FAILURE_NO_ACCOUNT: no carrier account can track this
 *   shipment: look again in a week, in case an account is added
 *
 * How a failed poll is rescheduled (ps_tracking_schedule_retry()).
 */
typedef enum
{
  PS_TRACKING_FAILURE_ERROR,
  PS_TRACKING_FAILURE_AUTH,
  PS_TRACKING_FAILURE_NO_ACCOUNT,
} PsTrackingFailure;

/**
 * PS_TRACKING_LATE_HANDOFF_DAYS:
 *
 * Business days after the label without a first scan that make a late
 * handoff (the built-in "Late handoff" filter uses the same number).
 */
#define PS_TRACKING_LATE_HANDOFF_DAYS 2

/* Pure: the schedule (documented in ps-tracking-store.c). */
gint64     ps_tracking_schedule_next          (PsTrackingStatus          status,
                                               gint64                    estimated_delivery_at,
                                               gint64                    label_created_at,
                                               gint64                    shipment_id,
                                               gint64                    now);
gint64     ps_tracking_schedule_retry         (PsTrackingFailure         failure,
                                               guint                     failures,
                                               gint64                    shipment_id,
                                               gint64                    now);
gint64     ps_tracking_schedule_rate_limited  (guint                     times,
                                               gint64                    now);

/* Worker thread only. */
GPtrArray *ps_tracking_store_list_due_sync    (PsDatabase               *database,
                                               gint64                    now,
                                               guint                     limit,
                                               GError                  **error);
GPtrArray *ps_tracking_store_list_undelivered_sync
                                              (PsDatabase               *database,
                                               guint                     limit,
                                               GError                  **error);
GPtrArray *ps_tracking_store_load_sync        (PsDatabase               *database,
                                               const gint64             *shipment_ids,
                                               guint                     n_ids,
                                               GError                  **error);
GPtrArray *ps_tracking_store_list_for_orders_sync
                                              (PsDatabase               *database,
                                               const gint64             *order_ids,
                                               guint                     n_ids,
                                               GError                  **error);
gint64     ps_tracking_store_next_due_sync    (PsDatabase               *database,
                                               GError                  **error);
gboolean   ps_tracking_store_apply_update_sync (PsDatabase              *database,
                                               gint64                    shipment_id,
                                               const PsTrackingAnswer   *answer,
                                               gint64                    now,
                                               PsTrackingChange         *change,
                                               GError                  **error);
gboolean   ps_tracking_store_record_failure_sync (PsDatabase            *database,
                                               gint64                    shipment_id,
                                               PsTrackingFailure         failure,
                                               const char               *message,
                                               gint64                    now,
                                               gint64                   *next_track_at,
                                               GError                  **error);
guint      ps_tracking_store_defer_account_sync (PsDatabase             *database,
                                               gint64                    account_id,
                                               gint64                    until,
                                               const char               *message,
                                               GError                  **error);
gboolean   ps_tracking_store_defer_sync       (PsDatabase               *database,
                                               gint64                    shipment_id,
                                               gint64                    until,
                                               const char               *message,
                                               GError                  **error);
GArray    *ps_tracking_store_sweep_late_handoff_sync (PsDatabase        *database,
                                               gint64                    now,
                                               GTimeZone                *tz,
                                               int                       business_days,
                                               GError                  **error);

/* Asynchronous versions for the main thread (results as the _sync ones). */
void       ps_tracking_store_sweep_late_handoff_async (PsDatabase       *database,
                                               gint64                    now,
                                               GTimeZone                *tz,
                                               int                       business_days,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
GArray    *ps_tracking_store_sweep_late_handoff_finish (PsDatabase      *database,
                                               GAsyncResult             *result,
                                               GError                  **error);
void       ps_tracking_store_next_due_async   (PsDatabase               *database,
                                               GCancellable             *cancellable,
                                               GAsyncReadyCallback       callback,
                                               gpointer                  user_data);
gint64     ps_tracking_store_next_due_finish  (PsDatabase               *database,
                                               GAsyncResult             *result,
                                               GError                  **error);

G_END_DECLS
