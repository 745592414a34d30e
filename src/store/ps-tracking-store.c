/* ps-tracking-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tracking poller's SQL: which shipments are due, and what one
 * carrier answer changes, written in one transaction:
 *
 *   - the carrier's events, each stored once: an event with the same
 *     time, status and description as a stored one is the same event, so
 *     polling again adds nothing;
 *   - the shipment's status, exception reason, first scan, delivery and
 *     estimated delivery, and when to look again;
 *   - a `tracking.status_changed` event {"from", "to", "reason"} (actor
 *     "carrier") for every change of status among the new events, at the
 *     carrier's time, and `shipment.delivered` once delivered;
 *   - the order's status from its live (not voided, not cancelled)
 *     shipments: any in exception or on its way back makes it Exception,
 *     all delivered makes it Delivered, any moving (in transit, out for
 *     delivery, waiting at a pickup point, delivered) makes it Shipped,
 *     with an `order.status_changed` event (actor "carrier"). Only orders
 *     in a shipping status (Awaiting shipment, Ready to ship, Shipped,
 *     Delivered, Exception) follow their parcels: Cancelled, Returned, On
 *     hold and Awaiting payment are the merchant's and stay. Tracking
 *     never adds nor voids shipments, so orders.last_shipment_id (the
 *     newest live shipment) stays as the writer keeps it.
 *
 * The schedule (next_track_at), from ps_tracking_schedule_next():
 *
 *   out for delivery                         every hour
 *   in transit, delivery estimated within
 *     a day (or already late)                every 2 hours
 *   in transit                               every 6 hours
 *   exception                                every 3 hours (things move:
 *                                            a redelivery, a release)
 *   pre-transit, unknown, waiting at a
 *     pickup point, returning to sender      every 12 hours
 *   label older than 45 days, still not
 *     delivered                              once a day
 *   delivered, cancelled                     never again
 *
 * plus 0–10 minutes of jitter by shipment id, so a batch of labels bought
 * together does not come due in the same second forever. A failed poll
 * (ps_tracking_schedule_retry()) waits 15 minutes, doubling with each
 * failure in a row up to a day; a refused key waits a day; a shipment no
 * account can track waits a week. A rate limit (HTTP 429) defers every
 * due-soon shipment of the account (ps_tracking_store_defer_account_sync())
 * by 15 minutes, doubling while the carrier keeps limiting, up to 6 hours.
 *
 * Late handoff comes from the clock, not from carriers: a shipment still
 * pre-transit N business days (in the merchant's time zone) after its
 * label gets exception_reason 'late_handoff' and one
 * `tracking.status_changed` event {"from": "pre_transit", "to":
 * "pre_transit", "reason": "late_handoff"} with actor "clock", so rules
 * triggered by tracking.status_changed see it like a carrier exception.
 * The reason is the mark that it was reported: the sweep skips marked
 * shipments, and only the first scan clears it.
 */

#define G_LOG_DOMAIN "ps-tracking-store"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-writer.h"
#include "ps-time.h"
#include "ps-tracking-store.h"

#define MINUTE ((gint64) 60)
#define HOUR   ((gint64) 3600)
#define DAY    ((gint64) 86400)

#define SHIPMENT_COLUMNS \
  "s.id, s.order_id, coalesce (s.account_id, 0), s.carrier, s.tracking_number," \
  " s.carrier_shipment_id, s.tracking_status, s.exception_reason," \
  " coalesce (s.label_created_at, 0), coalesce (s.estimated_delivery_at, 0)," \
  " coalesce (s.last_tracked_at, 0), coalesce (s.next_track_at, 0), s.track_failures"

void
ps_tracked_shipment_free (PsTrackedShipment *self)
{
  if (self == NULL)
    return;
  g_free (self->carrier);
  g_free (self->tracking_number);
  g_free (self->carrier_shipment_id);
  g_free (self);
}

static int
enum_value (GType       type,
            const char *nick,
            int         fallback)
{
  int value;

  if (nick != NULL && ps_enum_from_nick (type, nick, &value))
    return value;
  return fallback;
}

static const char *
status_nick (PsTrackingStatus status)
{
  return ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, status);
}

static const char *
reason_nick (PsExceptionReason reason)
{
  return reason != PS_EXCEPTION_REASON_NONE ? ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, reason)
                                            : NULL;
}

static gboolean
step_row (PsDatabase    *database,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    _ps_database_set_error (database, error, rc, "read");
  return FALSE;
}

/* The schedule */

static gint64
jitter (gint64 shipment_id)
{
  return (gint64) (((guint64) shipment_id * G_GUINT64_CONSTANT (2654435761)) % 600);
}

/**
 * ps_tracking_schedule_next:
 * @status: the status the carrier reported
 * @estimated_delivery_at: the carrier's estimate, 0 if unknown
 * @label_created_at: when the label was made, 0 if unknown
 * @shipment_id: the shipment (for the jitter)
 * @now: when the answer came
 *
 * When to ask the carrier again after a good answer; the table is at the
 * top of ps-tracking-store.c. Pure.
 *
 * Returns: UTC Unix seconds, or 0 for never (delivered, cancelled)
 */
gint64
ps_tracking_schedule_next (PsTrackingStatus status,
                           gint64           estimated_delivery_at,
                           gint64           label_created_at,
                           gint64           shipment_id,
                           gint64           now)
{
  gint64 interval;

  switch (status)
    {
    case PS_TRACKING_STATUS_DELIVERED:
    case PS_TRACKING_STATUS_CANCELLED:
      return 0;
    case PS_TRACKING_STATUS_OUT_FOR_DELIVERY:
      interval = HOUR;
      break;
    case PS_TRACKING_STATUS_IN_TRANSIT:
      interval = estimated_delivery_at != 0 && estimated_delivery_at - now < DAY ? 2 * HOUR
                                                                                : 6 * HOUR;
      break;
    case PS_TRACKING_STATUS_EXCEPTION:
      interval = 3 * HOUR;
      break;
    case PS_TRACKING_STATUS_UNKNOWN:
    case PS_TRACKING_STATUS_PRE_TRANSIT:
    case PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP:
    case PS_TRACKING_STATUS_RETURN_TO_SENDER:
    default:
      interval = 12 * HOUR;
      break;
    }

  if (label_created_at != 0 && now - label_created_at > 45 * DAY)
    interval = MAX (interval, DAY);

  return now + interval + jitter (shipment_id);
}

/**
 * ps_tracking_schedule_retry:
 * @failure: what went wrong
 * @failures: failures in a row, this one included (>= 1)
 * @shipment_id: the shipment (for the jitter)
 * @now: when the poll failed
 *
 * When to ask again after a failed poll: 15 minutes doubling per failure
 * in a row up to a day; a day after a refused key; a week when no account
 * can track the shipment. Pure.
 *
 * Returns: UTC Unix seconds
 */
gint64
ps_tracking_schedule_retry (PsTrackingFailure failure,
                            guint             failures,
                            gint64            shipment_id,
                            gint64            now)
{
  gint64 delay;

  switch (failure)
    {
    case PS_TRACKING_FAILURE_NO_ACCOUNT:
      delay = 7 * DAY;
      break;
    case PS_TRACKING_FAILURE_AUTH:
      delay = DAY;
      break;
    case PS_TRACKING_FAILURE_ERROR:
    default:
      delay = failures >= 8 ? DAY : MIN (DAY, 15 * MINUTE << (MAX (failures, 1) - 1));
      break;
    }
  return now + delay + jitter (shipment_id) / 10;
}

/**
 * ps_tracking_schedule_rate_limited:
 * @times: rate-limit answers in a row from the account, this one
 *   included (>= 1)
 * @now: when the carrier said so
 *
 * Until when a rate-limited account is left alone: 15 minutes, doubling
 * while the carrier keeps limiting, up to 6 hours. Pure.
 *
 * Returns: UTC Unix seconds
 */
gint64
ps_tracking_schedule_rate_limited (guint  times,
                                   gint64 now)
{
  return now + (times >= 6 ? 6 * HOUR : MIN (6 * HOUR, 15 * MINUTE << (MAX (times, 1) - 1)));
}

/* Reading shipments */

static PsTrackedShipment *
read_shipment (sqlite3_stmt *stmt)
{
  PsTrackedShipment *s = g_new0 (PsTrackedShipment, 1);

  s->id = sqlite3_column_int64 (stmt, 0);
  s->order_id = sqlite3_column_int64 (stmt, 1);
  s->account_id = sqlite3_column_int64 (stmt, 2);
  s->carrier = _ps_column_dup (stmt, 3);
  s->tracking_number = _ps_column_dup (stmt, 4);
  s->carrier_shipment_id = _ps_column_dup (stmt, 5);
  s->tracking_status = enum_value (PS_TYPE_TRACKING_STATUS,
                                   (const char *) sqlite3_column_text (stmt, 6),
                                   PS_TRACKING_STATUS_UNKNOWN);
  s->exception_reason = enum_value (PS_TYPE_EXCEPTION_REASON,
                                    (const char *) sqlite3_column_text (stmt, 7),
                                    PS_EXCEPTION_REASON_NONE);
  s->label_created_at = sqlite3_column_int64 (stmt, 8);
  s->estimated_delivery_at = sqlite3_column_int64 (stmt, 9);
  s->last_tracked_at = sqlite3_column_int64 (stmt, 10);
  s->next_track_at = sqlite3_column_int64 (stmt, 11);
  s->track_failures = (guint) sqlite3_column_int (stmt, 12);
  return s;
}

/* Appends every row of a bound statement; resets it. */
static gboolean
collect (PsDatabase    *database,
         sqlite3_stmt  *stmt,
         GPtrArray     *into,
         GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (into, read_shipment (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read shipments");
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
new_shipment_array (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) ps_tracked_shipment_free);
}

/* Appends the rows of @sql, its parameters bound to @args in order. */
static gboolean
append_rows (PsDatabase    *database,
             const char    *sql,
             const gint64  *args,
             guint          n_args,
             GPtrArray     *into,
             GError       **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (database, sql, error);

  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < n_args; i++)
    sqlite3_bind_int64 (stmt, (int) i + 1, args[i]);
  return collect (database, stmt, into, error);
}

/**
 * ps_tracking_store_list_due_sync:
 * @database: a #PsDatabase
 * @now: the time
 * @limit: at most this many, the longest due first
 * @error: return location for an error
 *
 * The live (not delivered, not voided) shipments whose next_track_at is
 * at or before @now. The partial index shipments_due answers it: the
 * cost is the number of due shipments, never the table's size.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsTrackedShipment): the
 *   shipments, or %NULL on error
 */
GPtrArray *
ps_tracking_store_list_due_sync (PsDatabase  *database,
                                 gint64       now,
                                 guint        limit,
                                 GError     **error)
{
  g_autoptr(GPtrArray) shipments = new_shipment_array ();
  gint64 args[] = { now, limit > 0 ? limit : G_MAXINT };

  if (!append_rows (database,
                    "SELECT " SHIPMENT_COLUMNS " FROM shipments s"
                    " WHERE s.next_track_at <= ? AND s.delivered_at IS NULL"
                    " AND s.voided_at IS NULL ORDER BY s.next_track_at LIMIT ?",
                    args, G_N_ELEMENTS (args), shipments, error))
    return NULL;
  return g_steal_pointer (&shipments);
}

/**
 * ps_tracking_store_list_undelivered_sync:
 * @database: a #PsDatabase
 * @limit: at most this many (0: all), the soonest due first
 * @error: return location for an error
 *
 * Every live shipment the poller watches (not delivered, not voided, not
 * stopped), due or not: "track everything now". Read through
 * shipments_due.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsTrackedShipment): the
 *   shipments, or %NULL on error
 */
GPtrArray *
ps_tracking_store_list_undelivered_sync (PsDatabase  *database,
                                         guint        limit,
                                         GError     **error)
{
  g_autoptr(GPtrArray) shipments = new_shipment_array ();
  gint64 args[] = { limit > 0 ? limit : G_MAXINT };

  if (!append_rows (database,
                    "SELECT " SHIPMENT_COLUMNS " FROM shipments s"
                    " WHERE s.next_track_at IS NOT NULL AND s.delivered_at IS NULL"
                    " AND s.voided_at IS NULL ORDER BY s.next_track_at LIMIT ?",
                    args, G_N_ELEMENTS (args), shipments, error))
    return NULL;
  return g_steal_pointer (&shipments);
}

/**
 * ps_tracking_store_load_sync:
 * @database: a #PsDatabase
 * @shipment_ids: (array length=n_ids): shipments
 * @n_ids: how many
 * @error: return location for an error
 *
 * The named shipments that are live (not voided, not delivered), in the
 * order given; unknown, voided and delivered ones are left out.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsTrackedShipment): the
 *   shipments, or %NULL on error
 */
GPtrArray *
ps_tracking_store_load_sync (PsDatabase    *database,
                             const gint64  *shipment_ids,
                             guint          n_ids,
                             GError       **error)
{
  g_autoptr(GPtrArray) shipments = new_shipment_array ();

  for (guint i = 0; i < n_ids; i++)
    if (!append_rows (database,
                      "SELECT " SHIPMENT_COLUMNS " FROM shipments s"
                      " WHERE s.id = ? AND s.delivered_at IS NULL AND s.voided_at IS NULL",
                      &shipment_ids[i], 1, shipments, error))
      return NULL;
  return g_steal_pointer (&shipments);
}

/**
 * ps_tracking_store_list_for_orders_sync:
 * @database: a #PsDatabase
 * @order_ids: (array length=n_ids): orders
 * @n_ids: how many
 * @error: return location for an error
 *
 * The live, undelivered shipments of the orders ("Refresh tracking" on
 * selected orders), through shipments_order.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsTrackedShipment): the
 *   shipments, or %NULL on error
 */
GPtrArray *
ps_tracking_store_list_for_orders_sync (PsDatabase    *database,
                                        const gint64  *order_ids,
                                        guint          n_ids,
                                        GError       **error)
{
  g_autoptr(GPtrArray) shipments = new_shipment_array ();

  for (guint i = 0; i < n_ids; i++)
    if (!append_rows (database,
                      "SELECT " SHIPMENT_COLUMNS " FROM shipments s"
                      " WHERE s.order_id = ? AND s.delivered_at IS NULL AND s.voided_at IS NULL"
                      " AND s.tracking_number IS NOT NULL ORDER BY s.id",
                      &order_ids[i], 1, shipments, error))
      return NULL;
  return g_steal_pointer (&shipments);
}

/**
 * ps_tracking_store_next_due_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * When the poller is due next: the earliest next_track_at of a live
 * shipment, one probe of shipments_due.
 *
 * Worker thread only.
 *
 * Returns: UTC Unix seconds, 0 when nothing is scheduled (and on error,
 *   with @error set)
 */
gint64
ps_tracking_store_next_due_sync (PsDatabase  *database,
                                 GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 next = 0;

  stmt = _ps_database_prepare (database,
    "SELECT s.next_track_at FROM shipments s"
    " WHERE s.next_track_at IS NOT NULL AND s.delivered_at IS NULL AND s.voided_at IS NULL"
    " ORDER BY s.next_track_at LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  if (step_row (database, stmt, error))
    next = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return next;
}

/* Applying an answer */

static char *
event_key (gint64      time,
           const char *status,
           const char *description)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s", time, status,
                          description != NULL ? description : "");
}

static char *
change_data (PsTrackingStatus   from,
             PsTrackingStatus   to,
             PsExceptionReason  reason)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, status_nick (from));
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, status_nick (to));
  json_builder_set_member_name (builder, "reason");
  if (reason != PS_EXCEPTION_REASON_NONE)
    json_builder_add_string_value (builder, reason_nick (reason));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Statuses that mean the carrier has the parcel. */
static gboolean
is_scanned (PsTrackingStatus status)
{
  return status != PS_TRACKING_STATUS_UNKNOWN && status != PS_TRACKING_STATUS_PRE_TRANSIT
         && status != PS_TRACKING_STATUS_CANCELLED;
}

/* The order status its live shipments call for; -1 for "leave it". */
static int
derive_order_status (PsDatabase  *database,
                     gint64       order_id,
                     GError     **error)
{
  sqlite3_stmt *stmt;
  guint n = 0, n_delivered = 0, n_moving = 0, n_trouble = 0;
  int rc;

  stmt = _ps_database_prepare (database,
    "SELECT tracking_status FROM shipments"
    " WHERE order_id = ? AND voided_at IS NULL AND tracking_status <> 'cancelled'", error);
  if (stmt == NULL)
    return -2;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsTrackingStatus status = enum_value (PS_TYPE_TRACKING_STATUS,
                                            (const char *) sqlite3_column_text (stmt, 0),
                                            PS_TRACKING_STATUS_UNKNOWN);
      n++;
      switch (status)
        {
        case PS_TRACKING_STATUS_DELIVERED:
          n_delivered++;
          n_moving++;
          break;
        case PS_TRACKING_STATUS_IN_TRANSIT:
        case PS_TRACKING_STATUS_OUT_FOR_DELIVERY:
        case PS_TRACKING_STATUS_AVAILABLE_FOR_PICKUP:
          n_moving++;
          break;
        case PS_TRACKING_STATUS_EXCEPTION:
        case PS_TRACKING_STATUS_RETURN_TO_SENDER:
          n_trouble++;
          break;
        case PS_TRACKING_STATUS_UNKNOWN:
        case PS_TRACKING_STATUS_PRE_TRANSIT:
        case PS_TRACKING_STATUS_CANCELLED:
        default:
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read the order's shipments");
      return -2;
    }

  if (n_trouble > 0)
    return PS_ORDER_STATUS_EXCEPTION;
  if (n > 0 && n_delivered == n)
    return PS_ORDER_STATUS_DELIVERED;
  if (n_moving > 0)
    return PS_ORDER_STATUS_SHIPPED;
  return -1;
}

static gboolean
follows_parcels (PsOrderStatus status)
{
  return status == PS_ORDER_STATUS_AWAITING_SHIPMENT || status == PS_ORDER_STATUS_READY_TO_SHIP
         || status == PS_ORDER_STATUS_SHIPPED || status == PS_ORDER_STATUS_DELIVERED
         || status == PS_ORDER_STATUS_EXCEPTION;
}

static gboolean
update_order (PsDatabase        *database,
              PsOrderWriter     *writer,
              gint64             order_id,
              gint64             when,
              gint64             now,
              PsTrackingChange  *change,
              GError           **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *from_nick = NULL;
  g_autofree char *data = NULL;
  PsOrderStatus from;
  int to;

  stmt = _ps_database_prepare (database, "SELECT status FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_row (database, stmt, error))
    {
      sqlite3_reset (stmt);
      return error == NULL || *error == NULL;   /* no order: nothing to follow */
    }
  from_nick = _ps_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  from = enum_value (PS_TYPE_ORDER_STATUS, from_nick, PS_ORDER_STATUS_AWAITING_SHIPMENT);
  change->order_from = change->order_to = from;

  to = derive_order_status (database, order_id, error);
  if (to == -2)
    return FALSE;
  if (to < 0 || (PsOrderStatus) to == from || !follows_parcels (from))
    return TRUE;

  stmt = _ps_database_prepare (database,
    "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_ORDER_STATUS, to));
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, order_id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;

  data = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"%s\"}",
                          ps_enum_to_nick (PS_TYPE_ORDER_STATUS, from),
                          ps_enum_to_nick (PS_TYPE_ORDER_STATUS, to));
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, when, order_id, 0, 0,
                                 "carrier", data, error) == 0)
    return FALSE;
  change->order_changed = TRUE;
  change->order_to = to;
  return TRUE;
}

/* The stored events of a shipment as keys, and the latest time. */
static GHashTable *
stored_event_keys (PsDatabase  *database,
                   gint64       shipment_id,
                   gint64      *latest,
                   GError     **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt;
  int rc;

  *latest = G_MININT64;
  stmt = _ps_database_prepare (database,
    "SELECT occurred_at, status, description FROM tracking_events WHERE shipment_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 t = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (keys, event_key (t, (const char *) sqlite3_column_text (stmt, 1),
                                         (const char *) sqlite3_column_text (stmt, 2)));
      *latest = MAX (*latest, t);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read tracking events");
      return NULL;
    }
  return g_steal_pointer (&keys);
}

static gint64
status_event (PsOrderWriter      *writer,
              PsTrackedShipment  *s,
              gint64              when,
              PsTrackingStatus    from,
              PsTrackingStatus    to,
              PsExceptionReason   reason,
              const char         *actor,
              GError            **error)
{
  g_autofree char *data = change_data (from, to, reason);

  return ps_order_writer_add_event (writer, PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, when,
                                    s->order_id, s->id, 0, actor, data, error);
}

static PsTrackedShipment *
load_one (PsDatabase  *database,
          gint64       shipment_id,
          gint64      *delivered_at,
          gint64      *first_scan_at,
          gint64      *voided_at,
          char       **service,
          GError     **error)
{
  sqlite3_stmt *stmt;
  PsTrackedShipment *s;

  stmt = _ps_database_prepare (database,
    "SELECT " SHIPMENT_COLUMNS ", coalesce (s.delivered_at, 0), coalesce (s.first_scan_at, 0),"
    " coalesce (s.voided_at, 0), s.service FROM shipments s WHERE s.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_row (database, stmt, error))
    {
      sqlite3_reset (stmt);
      if (error == NULL || *error == NULL)
        g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL,
                     "Shipment %" G_GINT64_FORMAT " does not exist", shipment_id);
      return NULL;
    }
  s = read_shipment (stmt);
  *delivered_at = sqlite3_column_int64 (stmt, 13);
  *first_scan_at = sqlite3_column_int64 (stmt, 14);
  *voided_at = sqlite3_column_int64 (stmt, 15);
  *service = _ps_column_dup (stmt, 16);
  sqlite3_reset (stmt);
  return s;
}

static gint
compare_event_time (gconstpointer a,
                    gconstpointer b)
{
  const PsTrackingEventFields *ea = *(const PsTrackingEventFields * const *) a;
  const PsTrackingEventFields *eb = *(const PsTrackingEventFields * const *) b;

  return (ea->time > eb->time) - (ea->time < eb->time);
}

static gboolean
apply_in_transaction (PsDatabase              *database,
                      gint64                   shipment_id,
                      const PsTrackingAnswer  *answer,
                      gint64                   now,
                      PsTrackingChange        *change,
                      GError                 **error)
{
  g_autoptr(PsTrackedShipment) s = NULL;
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *service = NULL;
  PsTrackingStatus current, final;
  PsExceptionReason current_reason, final_reason;
  gint64 delivered_at, first_scan_at, voided_at, latest, estimated;
  gint64 last_change_at = 0, delivered_event_at = 0;
  sqlite3_stmt *stmt;

  s = load_one (database, shipment_id, &delivered_at, &first_scan_at, &voided_at, &service, error);
  if (s == NULL)
    return FALSE;
  change->shipment_id = s->id;
  change->order_id = s->order_id;
  change->from = change->to = s->tracking_status;
  change->reason = s->exception_reason;
  change->next_track_at = s->next_track_at;
  if (voided_at != 0)
    return TRUE;   /* voided since the poll started: the answer is moot */

  keys = stored_event_keys (database, s->id, &latest, error);
  if (keys == NULL)
    return FALSE;

  writer = ps_order_writer_new (database);
  ps_order_writer_set_now (writer, now);

  /* Oldest first, whatever order the carrier used. */
  events = g_ptr_array_new ();
  for (guint i = 0; i < answer->n_events; i++)
    g_ptr_array_add (events, (gpointer) &answer->events[i]);
  g_ptr_array_sort (events, compare_event_time);

  current = s->tracking_status;
  current_reason = s->exception_reason;
  for (guint i = 0; i < events->len; i++)
    {
      const PsTrackingEventFields *event = g_ptr_array_index (events, i);
      const char *nick = status_nick (event->status);
      g_autofree char *key = event_key (event->time, nick, event->description);
      PsExceptionReason reason;

      if (first_scan_at == 0 && is_scanned (event->status))
        first_scan_at = event->time;
      if (event->status == PS_TRACKING_STATUS_DELIVERED)
        delivered_event_at = event->time;
      if (g_hash_table_contains (keys, key))
        continue;

      reason = event->status == PS_TRACKING_STATUS_EXCEPTION
               ? (event->reason != PS_EXCEPTION_REASON_NONE ? event->reason : PS_EXCEPTION_REASON_OTHER)
               : PS_EXCEPTION_REASON_NONE;
      if (!ps_order_writer_add_tracking_event (writer, s->id, event->time, event->status, reason,
                                               event->description, event->location, error))
        return FALSE;
      g_hash_table_add (keys, g_steal_pointer (&key));
      change->n_new_events++;

      /* A late event the carrier filled in before what we had already
       * reported changes no status: the later ones decided it. */
      if (event->time < latest || event->status == PS_TRACKING_STATUS_UNKNOWN)
        continue;
      if (event->status == current
          && (event->status != PS_TRACKING_STATUS_EXCEPTION || reason == current_reason))
        continue;
      if (status_event (writer, s, event->time, current, event->status, reason, "carrier",
                        error) == 0)
        return FALSE;
      change->n_status_events++;
      last_change_at = event->time;
      current = event->status;
      current_reason = reason;
    }

  /* The update's own status has the last word (a carrier may summarise
   * without an event); "unknown" with nothing to show changes nothing. */
  final = answer->status;
  if (final == PS_TRACKING_STATUS_UNKNOWN)
    final = current;
  final_reason = final == PS_TRACKING_STATUS_EXCEPTION
                 ? (answer->reason != PS_EXCEPTION_REASON_NONE ? answer->reason
                                                               : PS_EXCEPTION_REASON_OTHER)
                 : PS_EXCEPTION_REASON_NONE;
  /* A late handoff stays flagged until the first scan. */
  if (final == PS_TRACKING_STATUS_PRE_TRANSIT
      && s->exception_reason == PS_EXCEPTION_REASON_LATE_HANDOFF)
    final_reason = PS_EXCEPTION_REASON_LATE_HANDOFF;
  if (final != current
      || (final == PS_TRACKING_STATUS_EXCEPTION && final_reason != current_reason))
    {
      if (status_event (writer, s, now, current, final, final_reason, "carrier", error) == 0)
        return FALSE;
      change->n_status_events++;
      last_change_at = now;
    }

  if (final == PS_TRACKING_STATUS_DELIVERED && delivered_at == 0)
    {
      delivered_at = delivered_event_at != 0 ? delivered_event_at : now;
      change->delivered = TRUE;
    }
  estimated = answer->estimated_delivery != 0 ? answer->estimated_delivery
                                              : s->estimated_delivery_at;
  change->to = final;
  change->reason = final_reason;
  change->next_track_at = ps_tracking_schedule_next (final, estimated, s->label_created_at, s->id,
                                                     now);

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET tracking_status = ?, exception_reason = ?, first_scan_at = ?,"
    " delivered_at = ?, estimated_delivery_at = ?, last_tracked_at = ?, next_track_at = ?,"
    " track_failures = 0, track_error = NULL WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, status_nick (final));
  _ps_bind_text (stmt, 2, reason_nick (final_reason));
  _ps_bind_time (stmt, 3, first_scan_at);
  _ps_bind_time (stmt, 4, delivered_at);
  _ps_bind_time (stmt, 5, estimated);
  _ps_bind_time (stmt, 6, now);
  _ps_bind_time (stmt, 7, change->next_track_at);
  sqlite3_bind_int64 (stmt, 8, s->id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;

  if (change->delivered)
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      gboolean on_time = estimated == 0
                         || delivered_at < ps_time_day_start (estimated, utc) + DAY;
      g_autofree char *data =
        g_strdup_printf ("{\"carrier\":\"%s\",\"service\":\"%s\",\"on_time\":%s}",
                         s->carrier, service != NULL ? service : "",
                         on_time ? "true" : "false");

      if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_SHIPMENT_DELIVERED, delivered_at,
                                     s->order_id, s->id, 0, "carrier", data, error) == 0)
        return FALSE;
    }

  if (change->n_status_events > 0
      && !update_order (database, writer, s->order_id, last_change_at, now, change, error))
    return FALSE;

  return ps_order_writer_flush (writer, error);
}

/**
 * ps_tracking_store_apply_update_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment tracked
 * @answer: what the carrier said
 * @now: when
 * @change: (out caller-allocates): what changed
 * @error: return location for an error
 *
 * Applies one carrier answer in one transaction (call it outside one):
 * new tracking events, the shipment's columns and next poll, status and
 * delivery events, the order's status (see the top of this file). A
 * shipment voided in the meantime is left alone. Polling again with the
 * same answer stores nothing new and only moves next_track_at.
 *
 * Worker thread only.
 *
 * Returns: whether it was written
 */
gboolean
ps_tracking_store_apply_update_sync (PsDatabase              *database,
                                     gint64                   shipment_id,
                                     const PsTrackingAnswer  *answer,
                                     gint64                   now,
                                     PsTrackingChange        *change,
                                     GError                 **error)
{
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (change != NULL, FALSE);

  memset (change, 0, sizeof *change);
  if (!ps_database_begin (database, error))
    return FALSE;
  if (!apply_in_transaction (database, shipment_id, answer, now, change, error))
    {
      ps_database_rollback (database);
      return FALSE;
    }
  return ps_database_commit (database, error);
}

/**
 * ps_tracking_store_record_failure_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment whose poll failed
 * @failure: what kind of failure
 * @message: why, for the merchant (stored in track_error)
 * @now: when
 * @next_track_at: (out) (optional): when it is due again
 * @error: return location for an error
 *
 * Counts a failed poll and backs off (ps_tracking_schedule_retry()).
 *
 * Worker thread only.
 *
 * Returns: whether it was written
 */
gboolean
ps_tracking_store_record_failure_sync (PsDatabase         *database,
                                       gint64              shipment_id,
                                       PsTrackingFailure   failure,
                                       const char         *message,
                                       gint64              now,
                                       gint64             *next_track_at,
                                       GError            **error)
{
  sqlite3_stmt *stmt;
  guint failures;
  gint64 next;

  stmt = _ps_database_prepare (database, "SELECT track_failures FROM shipments WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_row (database, stmt, error))
    {
      sqlite3_reset (stmt);
      if (error == NULL || *error == NULL)
        g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL,
                     "Shipment %" G_GINT64_FORMAT " does not exist", shipment_id);
      return FALSE;
    }
  failures = (guint) sqlite3_column_int (stmt, 0) + 1;
  sqlite3_reset (stmt);

  next = ps_tracking_schedule_retry (failure, failures, shipment_id, now);
  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET track_failures = ?, track_error = ?, next_track_at = ?"
    " WHERE id = ? AND delivered_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) MIN (failures, G_MAXINT));
  _ps_bind_text (stmt, 2, message);
  sqlite3_bind_int64 (stmt, 3, next);
  sqlite3_bind_int64 (stmt, 4, shipment_id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;
  if (next_track_at != NULL)
    *next_track_at = next;
  return TRUE;
}

/**
 * ps_tracking_store_defer_account_sync:
 * @database: a #PsDatabase
 * @account_id: a carrier account that is rate limiting us
 * @until: leave its shipments alone until then
 * @message: (nullable): why, stored in track_error
 * @error: return location for an error
 *
 * Moves every live shipment of the account due before @until to @until.
 * Only the range of shipments_due before @until is read. Shipments
 * tracked through the account without belonging to it (imported numbers)
 * are deferred by the service as it meets them.
 *
 * Worker thread only.
 *
 * Returns: how many shipments moved (0 on error, with @error set)
 */
guint
ps_tracking_store_defer_account_sync (PsDatabase  *database,
                                      gint64       account_id,
                                      gint64       until,
                                      const char  *message,
                                      GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET next_track_at = ?1, track_error = coalesce (?2, track_error)"
    " WHERE next_track_at < ?1 AND delivered_at IS NULL AND voided_at IS NULL"
    " AND account_id = ?3", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, until);
  _ps_bind_text (stmt, 2, message);
  sqlite3_bind_int64 (stmt, 3, account_id);
  if (!_ps_database_step_done (database, stmt, error))
    return 0;
  return (guint) sqlite3_changes (_ps_database_get_handle (database));
}

/**
 * ps_tracking_store_defer_sync:
 * @database: a #PsDatabase
 * @shipment_id: a shipment
 * @until: when to poll it next
 * @message: (nullable): why, stored in track_error
 * @error: return location for an error
 *
 * Moves one shipment's next poll without counting a failure (its
 * account is rate limited).
 *
 * Worker thread only.
 *
 * Returns: whether it was written
 */
gboolean
ps_tracking_store_defer_sync (PsDatabase  *database,
                              gint64       shipment_id,
                              gint64       until,
                              const char  *message,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET next_track_at = ?, track_error = coalesce (?, track_error)"
    " WHERE id = ? AND delivered_at IS NULL AND voided_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, until);
  _ps_bind_text (stmt, 2, message);
  sqlite3_bind_int64 (stmt, 3, shipment_id);
  return _ps_database_step_done (database, stmt, error);
}

/* Late handoff */

/**
 * ps_tracking_store_sweep_late_handoff_sync:
 * @database: a #PsDatabase
 * @now: the time
 * @tz: the merchant's time zone (business days)
 * @business_days: days without a first scan that make a late handoff
 *   (%PS_TRACKING_LATE_HANDOFF_DAYS)
 * @error: return location for an error
 *
 * The clock's part of tracking, in one transaction (call it outside one):
 * every live shipment still pre-transit whose label is older than
 * @business_days business days and that is not flagged yet gets
 * exception_reason 'late_handoff' and one `tracking.status_changed`
 * event {"from": "pre_transit", "to": "pre_transit", "reason":
 * "late_handoff"} with actor "clock" at @now. A flagged shipment is never
 * reported again; the first scan clears the flag. The candidates are a
 * range of shipments_status_label (tracking_status, label_created_at).
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): the orders of the
 *   shipments flagged now (one entry per shipment), or %NULL on error
 */
GArray *
ps_tracking_store_sweep_late_handoff_sync (PsDatabase  *database,
                                           gint64       now,
                                           GTimeZone   *tz,
                                           int          business_days,
                                           GError     **error)
{
  g_autoptr(GArray) shipments = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) orders = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;
  gint64 cutoff;
  int rc;

  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (business_days >= 0, NULL);

  cutoff = ps_time_business_days_ago (now, business_days, tz);
  if (!ps_database_begin (database, error))
    return NULL;

  stmt = _ps_database_prepare (database,
    "SELECT id, order_id FROM shipments"
    " WHERE tracking_status = 'pre_transit' AND label_created_at < ?"
    " AND exception_reason IS NULL AND voided_at IS NULL AND delivered_at IS NULL", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      gint64 order_id = sqlite3_column_int64 (stmt, 1);

      g_array_append_val (shipments, id);
      g_array_append_val (orders, order_id);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "find late handoffs");
      goto fail;
    }

  writer = ps_order_writer_new (database);
  ps_order_writer_set_now (writer, now);
  data = change_data (PS_TRACKING_STATUS_PRE_TRANSIT, PS_TRACKING_STATUS_PRE_TRANSIT,
                      PS_EXCEPTION_REASON_LATE_HANDOFF);
  for (guint i = 0; i < shipments->len; i++)
    {
      gint64 id = g_array_index (shipments, gint64, i);

      stmt = _ps_database_prepare (database,
        "UPDATE shipments SET exception_reason = 'late_handoff' WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, id);
      if (!_ps_database_step_done (database, stmt, error))
        goto fail;
      if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, now,
                                     g_array_index (orders, gint64, i), id, 0, "clock", data,
                                     error) == 0)
        goto fail;
    }

  if (!ps_order_writer_flush (writer, error) || !ps_database_commit (database, error))
    goto fail;
  return g_steal_pointer (&orders);

fail:
  ps_database_rollback (database);
  return NULL;
}

/* Async */

typedef struct
{
  gint64     now;
  GTimeZone *tz;
  int        business_days;
} SweepJob;

static void
sweep_job_free (SweepJob *job)
{
  g_time_zone_unref (job->tz);
  g_free (job);
}

static gpointer
sweep_job (PsDatabase    *database,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  SweepJob *job = data;

  return ps_tracking_store_sweep_late_handoff_sync (database, job->now, job->tz,
                                                    job->business_days, error);
}

/**
 * ps_tracking_store_sweep_late_handoff_async:
 * @database: a #PsDatabase
 * @now: the time
 * @tz: the merchant's time zone
 * @business_days: days without a first scan that make a late handoff
 * @cancellable: (nullable): a #GCancellable; stops a sweep not started
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * ps_tracking_store_sweep_late_handoff_sync() on the database worker.
 * Most callers want ps_tracking_service_sweep_async(), which also tells
 * the order lists.
 */
void
ps_tracking_store_sweep_late_handoff_async (PsDatabase          *database,
                                            gint64               now,
                                            GTimeZone           *tz,
                                            int                  business_days,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  SweepJob *job;

  g_return_if_fail (PS_IS_DATABASE (database));
  g_return_if_fail (tz != NULL);

  job = g_new0 (SweepJob, 1);
  job->now = now;
  job->tz = g_time_zone_ref (tz);
  job->business_days = business_days;
  ps_database_run_for_async (database, database, ps_tracking_store_sweep_late_handoff_async,
                             sweep_job, job, (GDestroyNotify) sweep_job_free,
                             (GDestroyNotify) g_array_unref, cancellable, callback, user_data);
}

/**
 * ps_tracking_store_sweep_late_handoff_finish:
 * @database: a #PsDatabase
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type gint64): the orders of the
 *   shipments flagged, or %NULL on error
 */
GArray *
ps_tracking_store_sweep_late_handoff_finish (PsDatabase    *database,
                                             GAsyncResult  *result,
                                             GError       **error)
{
  return ps_database_run_for_finish (result, database,
                                     ps_tracking_store_sweep_late_handoff_async, error);
}

static gpointer
next_due_job (PsDatabase    *database,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  GError *local_error = NULL;
  gint64 next = ps_tracking_store_next_due_sync (database, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_memdup2 (&next, sizeof next);
}

/**
 * ps_tracking_store_next_due_async:
 * @database: a #PsDatabase
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * ps_tracking_store_next_due_sync() on the database worker.
 */
void
ps_tracking_store_next_due_async (PsDatabase          *database,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PS_IS_DATABASE (database));

  ps_database_run_for_async (database, database, ps_tracking_store_next_due_async,
                             next_due_job, NULL, NULL, g_free, cancellable, callback,
                             user_data);
}

/**
 * ps_tracking_store_next_due_finish:
 * @database: a #PsDatabase
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: the earliest next_track_at, 0 when nothing is scheduled or on
 *   error
 */
gint64
ps_tracking_store_next_due_finish (PsDatabase    *database,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_autofree gint64 *next = ps_database_run_for_finish (result, database,
                                                        ps_tracking_store_next_due_async,
                                                        error);

  return next != NULL ? *next : 0;
}
