/* ps-exception-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Exceptions view's SQL: open exceptions grouped by reason, and
 * their resolution with a root cause (0009-exceptions.sql).
 *
 * A shipment is flagged while exception_reason is set and it is neither
 * voided nor delivered: the tracking store sets the reason from carrier
 * exceptions and the late-handoff sweep from the clock, and clears it
 * when the parcel moves again. A flagged shipment is open unless the
 * merchant resolved it after its last exception event:
 *
 *   open = exception_resolved_at IS NULL
 *          OR exception_resolved_at < last exception event
 *
 * where an exception event is a `tracking.status_changed` event of the
 * shipment with a reason (a carrier exception or the sweep's late
 * handoff) or a stored carrier event in status exception. So an
 * exception that comes back later (the carrier reports a new one, the
 * parcel stalls again after moving) reopens on its own: the tracking
 * store sets exception_reason again and appends the event, and nothing
 * needs to clear the resolution columns. Times are compared, so a
 * carrier event dated before the resolution (filled in late by the
 * carrier) does not reopen it.
 *
 * "Since" is the start of the current episode: the first exception event
 * after the last event that cleared the exception (a status change
 * without a reason) and after a resolution it reopened. A late handoff
 * flagged without an event (the demo history) counts from its label.
 *
 * The candidates are read from the partial index shipments_exceptions_open
 * (only flagged live shipments), each with a few lookups in events
 * (events_order) and tracking_events (tracking_events_shipment).
 *
 * Resolving writes, in one transaction: the resolution columns, a note
 * by the merchant and its `note.added` event {"note_id", "shipment_id",
 * "exception_reason", "root_cause"} with the shipment set (no event type
 * of its own: one would need every switch over PsEventType to learn it),
 * and the order's updated_at; #PsOrderStore::orders-changed follows the
 * commit.
 */

#define G_LOG_DOMAIN "ps-exception-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-exception-store.h"
#include "ps-order-writer.h"
#include "ps-time.h"

static const char * const root_cause_nicks[] = {
  [PS_EXCEPTION_ROOT_CAUSE_CARRIER] = "carrier",
  [PS_EXCEPTION_ROOT_CAUSE_WAREHOUSE] = "warehouse",
  [PS_EXCEPTION_ROOT_CAUSE_ADDRESS_DATA] = "address_data",
  [PS_EXCEPTION_ROOT_CAUSE_WORKFLOW] = "workflow",
  [PS_EXCEPTION_ROOT_CAUSE_CUSTOMER] = "customer",
};

#define NEVER "9223372036854775807"

/* The flagged live shipments, with when the episode started and whether
 * a resolution still holds (see the top of this file). ?1 = the row limit
 * per reason, 0 for all. The WHERE clause repeats the partial index's. */
#define OPEN_EXCEPTIONS_SQL \
  "WITH flagged AS MATERIALIZED (" \
  "  SELECT s.id, s.order_id, s.exception_reason AS reason," \
  "    s.exception_resolved_at AS resolved_at," \
  "    coalesce (s.label_created_at, s.created_at) AS label_at," \
  "    coalesce ((SELECT max (e.occurred_at) FROM events e" \
  "               WHERE e.order_id = s.order_id AND e.shipment_id = s.id" \
  "                 AND e.type = 'tracking.status_changed'" \
  "                 AND json_extract (e.data, '$.reason') IS NULL), 0) AS cleared_at," \
  "    max (coalesce ((SELECT max (e.occurred_at) FROM events e" \
  "                    WHERE e.order_id = s.order_id AND e.shipment_id = s.id" \
  "                      AND e.type = 'tracking.status_changed'" \
  "                      AND json_extract (e.data, '$.reason') IS NOT NULL), 0)," \
  "         coalesce ((SELECT max (t.occurred_at) FROM tracking_events t" \
  "                    WHERE t.shipment_id = s.id AND t.status = 'exception'), 0)) AS last_at" \
  "  FROM shipments s" \
  "  WHERE s.exception_reason IS NOT NULL AND s.voided_at IS NULL AND s.delivered_at IS NULL" \
  "), open AS MATERIALIZED (" \
  "  SELECT id, order_id, reason, label_at," \
  "    max (cleared_at, coalesce (resolved_at + 1, 0)) AS bound" \
  "  FROM flagged WHERE resolved_at IS NULL OR resolved_at < last_at" \
  "), dated AS MATERIALIZED (" \
  "  SELECT id, order_id, reason, label_at," \
  "    min (coalesce ((SELECT min (e.occurred_at) FROM events e" \
  "                    WHERE e.order_id = o.order_id AND e.shipment_id = o.id" \
  "                      AND e.type = 'tracking.status_changed'" \
  "                      AND e.occurred_at >= o.bound" \
  "                      AND json_extract (e.data, '$.reason') IS NOT NULL), " NEVER ")," \
  "         coalesce ((SELECT min (t.occurred_at) FROM tracking_events t" \
  "                    WHERE t.shipment_id = o.id AND t.status = 'exception'" \
  "                      AND t.occurred_at >= o.bound), " NEVER ")) AS first_at" \
  "  FROM open o" \
  "), ranked AS (" \
  "  SELECT id, order_id, reason," \
  "    CASE WHEN first_at = " NEVER " THEN label_at ELSE first_at END AS since" \
  "  FROM dated" \
  "), numbered AS (" \
  "  SELECT r.*, count (*) OVER w AS n, min (since) OVER w AS oldest," \
  "    row_number () OVER (PARTITION BY reason ORDER BY since, id) AS rn" \
  "  FROM ranked r WINDOW w AS (PARTITION BY reason)" \
  ")" \
  " SELECT n.reason, n.n, n.oldest, n.id, n.order_id, n.since, o.order_number," \
  "   o.customer_name, s.carrier, s.service, s.tracking_number," \
  "   (SELECT t.description FROM tracking_events t WHERE t.shipment_id = n.id" \
  "    ORDER BY t.occurred_at DESC, t.id DESC LIMIT 1)," \
  "   (SELECT max (t.occurred_at) FROM tracking_events t WHERE t.shipment_id = n.id)" \
  " FROM numbered n JOIN shipments s ON s.id = n.id JOIN orders o ON o.id = n.order_id" \
  " WHERE ?1 = 0 OR n.rn <= ?1" \
  " ORDER BY n.n DESC, n.reason, n.rn"

void
ps_exception_row_free (PsExceptionRow *row)
{
  if (row == NULL)
    return;
  g_free (row->order_number);
  g_free (row->customer);
  g_free (row->carrier);
  g_free (row->service);
  g_free (row->tracking_number);
  g_free (row->last_event);
  g_free (row);
}

void
ps_exception_group_free (PsExceptionGroup *group)
{
  if (group == NULL)
    return;
  g_clear_pointer (&group->rows, g_ptr_array_unref);
  g_free (group);
}

/**
 * ps_exception_root_cause_to_nick:
 * @cause: a root cause
 *
 * Returns: the nick stored in shipments.exception_root_cause
 */
const char *
ps_exception_root_cause_to_nick (PsExceptionRootCause cause)
{
  g_return_val_if_fail ((guint) cause <= PS_EXCEPTION_ROOT_CAUSE_LAST, NULL);

  return root_cause_nicks[cause];
}

/**
 * ps_exception_root_cause_from_nick:
 * @nick: a stored nick ("address_data")
 * @cause: (out): the root cause
 *
 * Returns: whether @nick names a root cause
 */
gboolean
ps_exception_root_cause_from_nick (const char           *nick,
                                   PsExceptionRootCause *cause)
{
  g_return_val_if_fail (cause != NULL, FALSE);

  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (root_cause_nicks); i++)
    if (g_str_equal (nick, root_cause_nicks[i]))
      {
        *cause = (PsExceptionRootCause) i;
        return TRUE;
      }
  return FALSE;
}

/**
 * ps_exception_email_key:
 * @shipment_id: the shipment in trouble
 * @reason: its exception reason
 *
 * The outbox dedup key of the merchant's "Email Customer" about one
 * exception: one message per shipment and reason, however often the
 * button is pressed (a reopened exception with the same reason is not
 * mailed again).
 *
 * Returns: (transfer full): the key
 */
char *
ps_exception_email_key (gint64            shipment_id,
                        PsExceptionReason reason)
{
  return g_strdup_printf ("manual:exception:shipment:%" G_GINT64_FORMAT ":reason:%s",
                          shipment_id, ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, reason));
}

static PsExceptionReason
reason_from_column (sqlite3_stmt *stmt,
                    int           col)
{
  const char *nick = (const char *) sqlite3_column_text (stmt, col);
  int value;

  if (nick != NULL && ps_enum_from_nick (PS_TYPE_EXCEPTION_REASON, nick, &value))
    return value;
  return PS_EXCEPTION_REASON_OTHER;   /* a reason this version does not know */
}

/**
 * ps_exception_store_list_open_sync:
 * @database: a #PsDatabase
 * @max_rows: the rows to read per reason (the oldest), 0 for all; counts
 *   and oldest times always cover every open exception
 * @error: return location for an error
 *
 * The open exceptions (see the top of ps-exception-store.c) grouped by
 * reason: the groups with the most open first (then by reason nick),
 * rows the oldest first.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsExceptionGroup): the groups,
 *   empty when nothing is in trouble, or %NULL on error
 */
GPtrArray *
ps_exception_store_list_open_sync (PsDatabase  *database,
                                   guint        max_rows,
                                   GError     **error)
{
  g_autoptr(GPtrArray) groups = NULL;
  g_autofree char *current = NULL;
  PsExceptionGroup *group = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  stmt = _ps_database_prepare (database, OPEN_EXCEPTIONS_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, max_rows);

  groups = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_exception_group_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *nick = (const char *) sqlite3_column_text (stmt, 0);
      PsExceptionRow *row;

      if (group == NULL || g_strcmp0 (nick, current) != 0)
        {
          g_free (current);
          current = g_strdup (nick);
          group = g_new0 (PsExceptionGroup, 1);
          group->reason = reason_from_column (stmt, 0);
          group->n_open = (guint) sqlite3_column_int64 (stmt, 1);
          group->oldest_since = sqlite3_column_int64 (stmt, 2);
          group->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_exception_row_free);
          g_ptr_array_add (groups, group);
        }

      row = g_new0 (PsExceptionRow, 1);
      row->reason = group->reason;
      row->shipment_id = sqlite3_column_int64 (stmt, 3);
      row->order_id = sqlite3_column_int64 (stmt, 4);
      row->since = sqlite3_column_int64 (stmt, 5);
      row->order_number = _ps_column_dup (stmt, 6);
      row->customer = _ps_column_dup (stmt, 7);
      row->carrier = _ps_column_dup (stmt, 8);
      row->service = _ps_column_dup (stmt, 9);
      row->tracking_number = _ps_column_dup (stmt, 10);
      row->last_event = _ps_column_dup (stmt, 11);
      row->last_event_at = sqlite3_column_int64 (stmt, 12);
      g_ptr_array_add (group->rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "list the open exceptions");
      return NULL;
    }
  return g_steal_pointer (&groups);
}

/* Whether @shipment_id is an open exception now, and its order and reason. */
static gboolean
find_open (PsDatabase   *database,
           gint64        shipment_id,
           gint64       *order_id,
           char        **reason,
           GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
    "SELECT s.order_id, s.exception_reason FROM shipments s"
    " WHERE s.id = ?1 AND s.exception_reason IS NOT NULL"
    " AND s.voided_at IS NULL AND s.delivered_at IS NULL"
    " AND (s.exception_resolved_at IS NULL"
    "      OR s.exception_resolved_at < (SELECT max (e.occurred_at) FROM events e"
    "                                    WHERE e.order_id = s.order_id AND e.shipment_id = s.id"
    "                                      AND e.type = 'tracking.status_changed'"
    "                                      AND json_extract (e.data, '$.reason') IS NOT NULL)"
    "      OR s.exception_resolved_at < (SELECT max (t.occurred_at) FROM tracking_events t"
    "                                    WHERE t.shipment_id = s.id AND t.status = 'exception'))",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *order_id = sqlite3_column_int64 (stmt, 0);
      *reason = _ps_column_dup (stmt, 1);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _ps_database_set_error (database, error, rc, "read the exception");
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "Shipment %" G_GINT64_FORMAT " has no open exception"
                 " (resolved already, moving again, delivered or voided)", shipment_id);
  return FALSE;
}

static char *
resolution_data (gint64      note_id,
                 gint64      shipment_id,
                 const char *reason,
                 const char *cause)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *note = g_strdup_printf ("%" G_GINT64_FORMAT, note_id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "note_id");
  json_builder_add_string_value (builder, note);   /* as ps-order-detail.c writes it */
  json_builder_set_member_name (builder, "shipment_id");
  json_builder_add_int_value (builder, shipment_id);
  json_builder_set_member_name (builder, "exception_reason");
  json_builder_add_string_value (builder, reason);
  json_builder_set_member_name (builder, "root_cause");
  json_builder_add_string_value (builder, cause);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
resolve_in_transaction (PsDatabase            *database,
                        gint64                 shipment_id,
                        PsExceptionRootCause   cause,
                        const char            *note,
                        gint64                 now,
                        gint64                *order_id,
                        GError               **error)
{
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *body = NULL;
  g_autofree char *data = NULL;
  const char *cause_nick = root_cause_nicks[cause];
  sqlite3_stmt *stmt;
  gint64 note_id;

  if (!find_open (database, shipment_id, order_id, &reason, error))
    return FALSE;

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET exception_resolved_at = ?, exception_root_cause = ? WHERE id = ?",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  _ps_bind_text (stmt, 2, cause_nick);
  sqlite3_bind_int64 (stmt, 3, shipment_id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;

  /* The store has no translations: the UI passes the merchant's words. */
  if (note != NULL && *note != '\0')
    body = g_strdup (note);
  else
    body = g_strdup_printf ("Exception resolved (%s), root cause: %s", reason, cause_nick);

  writer = ps_order_writer_new (database);
  ps_order_writer_set_now (writer, now);
  if (!ps_order_writer_add_note (writer, *order_id, now, "merchant", body, error))
    return FALSE;
  note_id = sqlite3_last_insert_rowid (_ps_database_get_handle (database));
  data = resolution_data (note_id, shipment_id, reason, cause_nick);
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_NOTE_ADDED, now, *order_id, shipment_id,
                                 0, "merchant", data, error) == 0)
    return FALSE;

  stmt = _ps_database_prepare (database, "UPDATE orders SET updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, *order_id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;

  return ps_order_writer_flush (writer, error);
}

/**
 * ps_exception_store_resolve_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment whose exception is resolved
 * @cause: the root cause
 * @note: (nullable): the note to add to the order, in the merchant's
 *   language; %NULL for a plain English one naming reason and cause
 * @now: the time, UTC Unix seconds
 * @order_id: (out) (optional): the shipment's order
 * @error: return location for an error
 *
 * Resolves an open exception in one transaction (call it outside one):
 * the resolution time and root cause on the shipment, a note and its
 * `note.added` event (see the top of ps-exception-store.c). A new
 * exception event after @now opens it again.
 *
 * Worker thread only.
 *
 * Returns: %TRUE when resolved; %FALSE with %G_IO_ERROR_NOT_FOUND when the
 *   shipment has no open exception, or a store error
 */
gboolean
ps_exception_store_resolve_sync (PsDatabase            *database,
                                 gint64                 shipment_id,
                                 PsExceptionRootCause   cause,
                                 const char            *note,
                                 gint64                 now,
                                 gint64                *order_id,
                                 GError               **error)
{
  gint64 order = 0;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);
  g_return_val_if_fail ((guint) cause <= PS_EXCEPTION_ROOT_CAUSE_LAST, FALSE);

  if (!ps_database_begin (database, error))
    return FALSE;
  if (!resolve_in_transaction (database, shipment_id, cause, note, now, &order, error))
    {
      ps_database_rollback (database);
      return FALSE;
    }
  if (!ps_database_commit (database, error))
    return FALSE;
  if (order_id != NULL)
    *order_id = order;
  return TRUE;
}

/* Async */

static gpointer
list_job (PsDatabase    *database,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_exception_store_list_open_sync (database, GPOINTER_TO_UINT (data), error);
}

/**
 * ps_exception_store_list_open_async:
 * @database: a #PsDatabase
 * @max_rows: rows per reason, 0 for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * ps_exception_store_list_open_sync() on the database worker.
 */
void
ps_exception_store_list_open_async (PsDatabase          *database,
                                    guint                max_rows,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PS_IS_DATABASE (database));

  ps_database_run_for_async (database, database, ps_exception_store_list_open_async, list_job,
                             GUINT_TO_POINTER (max_rows), NULL,
                             (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                             user_data);
}

/**
 * ps_exception_store_list_open_finish:
 * @database: a #PsDatabase
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsExceptionGroup): the groups,
 *   or %NULL on error
 */
GPtrArray *
ps_exception_store_list_open_finish (PsDatabase    *database,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return ps_database_run_for_finish (result, database, ps_exception_store_list_open_async,
                                     error);
}

typedef struct
{
  gint64                shipment_id;
  PsExceptionRootCause  cause;
  char                 *note;
  gint64                order_id;   /* out */
} ResolveJob;

static void
resolve_job_free (ResolveJob *job)
{
  g_free (job->note);
  g_free (job);
}

static gpointer
resolve_job (PsDatabase    *database,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ResolveJob *job = data;
  gint64 order_id = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!ps_exception_store_resolve_sync (database, job->shipment_id, job->cause, job->note,
                                        ps_time_now (), &order_id, error))
    return NULL;
  return g_memdup2 (&order_id, sizeof order_id);
}

static void
resolve_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PsOrderStore *store = g_task_get_source_object (task);
  g_autofree gint64 *order_id = NULL;
  g_autoptr(GArray) ids = NULL;
  GError *error = NULL;

  order_id = ps_database_run_for_finish (result, store, resolve_job, &error);
  if (order_id == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Committed: announce it before the caller hears back. */
  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (ids, *order_id);
  ps_order_store_emit_changed (store, ids);
  g_task_return_boolean (task, TRUE);
}

/**
 * ps_exception_store_resolve_async:
 * @store: the #PsOrderStore of the database (it announces the change)
 * @shipment_id: the shipment
 * @cause: the root cause
 * @note: (nullable): the note for the order, in the merchant's language
 * @cancellable: (nullable): a #GCancellable; a resolution not started is
 *   not written, a written one is reported
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * ps_exception_store_resolve_sync() on the database worker, then
 * #PsOrderStore::orders-changed with the order.
 */
void
ps_exception_store_resolve_async (PsOrderStore         *store,
                                  gint64                shipment_id,
                                  PsExceptionRootCause  cause,
                                  const char           *note,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  GTask *task;
  ResolveJob *job;

  g_return_if_fail (PS_IS_ORDER_STORE (store));
  g_return_if_fail ((guint) cause <= PS_EXCEPTION_ROOT_CAUSE_LAST);

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_exception_store_resolve_async);
  g_task_set_check_cancellable (task, FALSE);

  job = g_new0 (ResolveJob, 1);
  job->shipment_id = shipment_id;
  job->cause = cause;
  job->note = g_strdup (note);
  ps_database_run_for_async (ps_order_store_get_database (store), store, resolve_job,
                             resolve_job, job, (GDestroyNotify) resolve_job_free, g_free,
                             cancellable, resolve_done_cb, task);
}

/**
 * ps_exception_store_resolve_finish:
 * @store: the #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE when resolved; see ps_exception_store_resolve_sync()
 */
gboolean
ps_exception_store_resolve_finish (PsOrderStore  *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_exception_store_resolve_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
