/* ps-order-detail.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The detail pane reads one order and its history in one job. The
 * merchant's edits (status, notes, tags) each run in one transaction that
 * also appends the matching event with actor "merchant"; on success the
 * store's orders-changed signal is emitted on the main thread, after the
 * commit and before the caller's callback runs. A value that is already
 * what the merchant asked for writes nothing and logs no event.
 *
 * An edit that has started on the worker always finishes: cancelling only
 * stops jobs that have not started, so the signal never misses a commit.
 */

#define G_LOG_DOMAIN "ps-order-detail"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-detail.h"
#include "ps-order-writer.h"
#include "ps-time.h"

#define MAX_EVENTS 200
#define MERCHANT "merchant"

typedef enum
{
  EDIT_STATUS,
  EDIT_NOTE,
  EDIT_TAG,
} EditKind;

typedef struct
{
  EditKind       kind;
  gint64        *ids;
  guint          n_ids;
  PsOrderStatus  status;
  char          *text;        /* the note body or the tag */
  gboolean       add;
  GCancellable  *cancellable; /* (nullable): checked before the job starts writing */
} Edit;

static void
edit_free (Edit *edit)
{
  g_free (edit->ids);
  g_free (edit->text);
  g_clear_object (&edit->cancellable);
  g_free (edit);
}

static void
detail_line_clear (PsDetailLine *line)
{
  g_clear_pointer (&line->sku, g_free);
  g_clear_pointer (&line->name, g_free);
  g_clear_pointer (&line->variant, g_free);
}

static void
detail_tracking_event_clear (PsDetailTrackingEvent *event)
{
  g_clear_pointer (&event->description, g_free);
  g_clear_pointer (&event->location, g_free);
}

static void
detail_shipment_free (PsDetailShipment *shipment)
{
  g_free (shipment->carrier);
  g_free (shipment->service);
  g_free (shipment->tracking_number);
  g_clear_pointer (&shipment->events, g_array_unref);
  g_free (shipment);
}

static void
detail_event_free (PsDetailEvent *event)
{
  g_free (event->actor);
  g_free (event->data);
  g_free (event);
}

static void
detail_note_free (PsDetailNote *note)
{
  g_free (note->author);
  g_free (note->body);
  g_free (note);
}

/**
 * ps_order_detail_free:
 * @detail: (nullable) (transfer full): a #PsOrderDetail
 *
 * Frees @detail and everything it holds.
 */
void
ps_order_detail_free (PsOrderDetail *detail)
{
  if (detail == NULL)
    return;

  ps_order_row_clear (&detail->row);
  g_free (detail->customer_phone);
  g_free (detail->ship_name);
  g_free (detail->ship_company);
  g_free (detail->ship_line1);
  g_free (detail->ship_line2);
  g_free (detail->ship_postcode);
  g_free (detail->address_message);
  g_clear_pointer (&detail->lines, g_array_unref);
  g_clear_pointer (&detail->shipments, g_ptr_array_unref);
  g_clear_pointer (&detail->events, g_ptr_array_unref);
  g_clear_pointer (&detail->notes, g_ptr_array_unref);
  g_strfreev (detail->tags);
  g_free (detail);
}

static int
enum_value (GType         type,
            sqlite3_stmt *stmt,
            int           col,
            int           fallback)
{
  const char *nick = (const char *)sqlite3_column_text (stmt, col);
  int value;

  return nick != NULL && ps_enum_from_nick (type, nick, &value) ? value : fallback;
}

static void
copy_currency (char         *dest,
               sqlite3_stmt *stmt,
               int           col)
{
  const char *currency = (const char *)sqlite3_column_text (stmt, col);

  dest[0] = '\0';
  if (currency != NULL)
    g_strlcpy (dest, currency, 4);
}

/* Steps a statement to its end; FALSE with @error set on failure. The
 * statement is reset either way. */
static gboolean
finish_rows (PsDatabase    *db,
             sqlite3_stmt  *stmt,
             int            rc,
             const char    *what,
             GError       **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
load_columns (PsDatabase     *db,
              PsOrderDetail  *detail,
              GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT customer_phone, ship_name, ship_company, ship_line1, ship_line2, ship_postcode,"
    " address_message, subtotal_minor, shipping_minor, tax_minor, paid_at, priority"
    " FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      detail->customer_phone = _ps_column_dup (stmt, 0);
      detail->ship_name = _ps_column_dup (stmt, 1);
      detail->ship_company = _ps_column_dup (stmt, 2);
      detail->ship_line1 = _ps_column_dup (stmt, 3);
      detail->ship_line2 = _ps_column_dup (stmt, 4);
      detail->ship_postcode = _ps_column_dup (stmt, 5);
      detail->address_message = _ps_column_dup (stmt, 6);
      detail->subtotal_minor = sqlite3_column_int64 (stmt, 7);
      detail->shipping_minor = sqlite3_column_int64 (stmt, 8);
      detail->tax_minor = sqlite3_column_int64 (stmt, 9);
      detail->paid_at = sqlite3_column_int64 (stmt, 10);
      detail->priority = sqlite3_column_int (stmt, 11);
      rc = SQLITE_DONE;
    }
  return finish_rows (db, stmt, rc, "load order", error);
}

static gboolean
load_lines (PsDatabase     *db,
            PsOrderDetail  *detail,
            GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT sku, name, variant, quantity, unit_price_minor FROM line_items"
    " WHERE order_id = ? ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsDetailLine line = {
        .sku = _ps_column_dup (stmt, 0),
        .name = _ps_column_dup (stmt, 1),
        .variant = _ps_column_dup (stmt, 2),
        .quantity = sqlite3_column_int (stmt, 3),
        .unit_price_minor = sqlite3_column_int64 (stmt, 4),
      };
      g_array_append_val (detail->lines, line);
    }
  return finish_rows (db, stmt, rc, "load line items", error);
}

static gboolean
load_shipments (PsDatabase     *db,
                PsOrderDetail  *detail,
                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT id, carrier, service, tracking_number, tracking_status, exception_reason,"
    " rate_minor, currency, label_created_at, first_scan_at, estimated_delivery_at,"
    " delivered_at, voided_at FROM shipments WHERE order_id = ?"
    " ORDER BY coalesce (label_created_at, created_at), id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsDetailShipment *s = g_new0 (PsDetailShipment, 1);

      s->id = sqlite3_column_int64 (stmt, 0);
      s->carrier = _ps_column_dup (stmt, 1);
      s->service = _ps_column_dup (stmt, 2);
      s->tracking_number = _ps_column_dup (stmt, 3);
      s->tracking_status = enum_value (PS_TYPE_TRACKING_STATUS, stmt, 4, PS_TRACKING_STATUS_UNKNOWN);
      s->exception_reason = enum_value (PS_TYPE_EXCEPTION_REASON, stmt, 5, PS_EXCEPTION_REASON_NONE);
      s->rate_minor = sqlite3_column_int64 (stmt, 6);
      copy_currency (s->currency, stmt, 7);
      s->label_created_at = sqlite3_column_int64 (stmt, 8);
      s->first_scan_at = sqlite3_column_int64 (stmt, 9);
      s->estimated_delivery_at = sqlite3_column_int64 (stmt, 10);
      s->delivered_at = sqlite3_column_int64 (stmt, 11);
      s->voided_at = sqlite3_column_int64 (stmt, 12);
      s->events = g_array_new (FALSE, TRUE, sizeof (PsDetailTrackingEvent));
      g_array_set_clear_func (s->events, (GDestroyNotify)detail_tracking_event_clear);
      g_ptr_array_add (detail->shipments, s);
    }
  if (!finish_rows (db, stmt, rc, "load shipments", error))
    return FALSE;

  stmt = _ps_database_prepare (db,
    "SELECT occurred_at, status, exception_reason, description, location"
    " FROM tracking_events WHERE shipment_id = ? ORDER BY occurred_at, id", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < detail->shipments->len; i++)
    {
      PsDetailShipment *s = g_ptr_array_index (detail->shipments, i);

      sqlite3_bind_int64 (stmt, 1, s->id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          PsDetailTrackingEvent event = {
            .occurred_at = sqlite3_column_int64 (stmt, 0),
            .status = enum_value (PS_TYPE_TRACKING_STATUS, stmt, 1, PS_TRACKING_STATUS_UNKNOWN),
            .reason = enum_value (PS_TYPE_EXCEPTION_REASON, stmt, 2, PS_EXCEPTION_REASON_NONE),
            .description = _ps_column_dup (stmt, 3),
            .location = _ps_column_dup (stmt, 4),
          };
          g_array_append_val (s->events, event);
        }
      if (!finish_rows (db, stmt, rc, "load tracking events", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_events (PsDatabase     *db,
             PsOrderDetail  *detail,
             GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The newest MAX_EVENTS through the (order_id, occurred_at) index, then
   * turned oldest first. */
  stmt = _ps_database_prepare (db,
    "SELECT id, type, occurred_at, actor, data FROM"
    " (SELECT id, type, occurred_at, actor, data FROM events WHERE order_id = ?"
    "  ORDER BY occurred_at DESC, id DESC LIMIT " G_STRINGIFY (MAX_EVENTS) ")"
    " ORDER BY occurred_at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsDetailEvent *event = g_new0 (PsDetailEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->type = enum_value (PS_TYPE_EVENT_TYPE, stmt, 1, PS_EVENT_TYPE_ORDER_UPDATED);
      event->occurred_at = sqlite3_column_int64 (stmt, 2);
      event->actor = _ps_column_dup (stmt, 3);
      event->data = _ps_column_dup (stmt, 4);
      g_ptr_array_add (detail->events, event);
    }
  return finish_rows (db, stmt, rc, "load events", error);
}

static gboolean
load_notes (PsDatabase     *db,
            PsOrderDetail  *detail,
            GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT id, created_at, author, body FROM notes WHERE order_id = ?"
    " ORDER BY created_at, id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsDetailNote *note = g_new0 (PsDetailNote, 1);

      note->id = sqlite3_column_int64 (stmt, 0);
      note->created_at = sqlite3_column_int64 (stmt, 1);
      note->author = _ps_column_dup (stmt, 2);
      note->body = _ps_column_dup (stmt, 3);
      g_ptr_array_add (detail->notes, note);
    }
  return finish_rows (db, stmt, rc, "load notes", error);
}

static gboolean
load_tags (PsDatabase     *db,
           PsOrderDetail  *detail,
           GError        **error)
{
  g_autoptr(GStrvBuilder) tags = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT t.name FROM order_tags ot JOIN tags t ON t.id = ot.tag_id"
    " WHERE ot.order_id = ? ORDER BY t.name COLLATE NOCASE, t.name COLLATE BINARY", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, detail->row.id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (tags, (const char *)sqlite3_column_text (stmt, 0));
  if (!finish_rows (db, stmt, rc, "load tags", error))
    return FALSE;
  detail->tags = g_strv_builder_end (tags);
  return TRUE;
}

static gpointer
load_detail_job (PsDatabase    *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  gint64 order_id = *(gint64 *)data;
  g_autoptr(PsOrderDetail) detail = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  PsOrderRow *row;

  rows = ps_order_store_fetch_rows_sync (db, &order_id, 1, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "No order with id %" G_GINT64_FORMAT, order_id);
      return NULL;
    }

  detail = g_new0 (PsOrderDetail, 1);
  row = g_ptr_array_steal_index (rows, 0);
  detail->row = *row;           /* takes the row's strings */
  g_free (row);
  detail->lines = g_array_new (FALSE, TRUE, sizeof (PsDetailLine));
  g_array_set_clear_func (detail->lines, (GDestroyNotify)detail_line_clear);
  detail->shipments = g_ptr_array_new_with_free_func ((GDestroyNotify)detail_shipment_free);
  detail->events = g_ptr_array_new_with_free_func ((GDestroyNotify)detail_event_free);
  detail->notes = g_ptr_array_new_with_free_func ((GDestroyNotify)detail_note_free);

  if (!load_columns (db, detail, error) ||
      !load_lines (db, detail, error) ||
      !load_shipments (db, detail, error) ||
      !load_events (db, detail, error) ||
      !load_notes (db, detail, error) ||
      !load_tags (db, detail, error))
    return NULL;

  return g_steal_pointer (&detail);
}

/**
 * ps_order_store_load_detail_async:
 * @store: a #PsOrderStore
 * @order_id: the order
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads one order with its line items, shipments and their tracking
 * timelines, events, notes and tags, for the detail pane.
 */
void
ps_order_store_load_detail_async (PsOrderStore        *store,
                                  gint64               order_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PS_IS_ORDER_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  ps_database_run_for_async (ps_order_store_get_database (store), store,
                             ps_order_store_load_detail_async, load_detail_job,
                             g_memdup2 (&order_id, sizeof order_id), g_free,
                             (GDestroyNotify)ps_order_detail_free,
                             cancellable, callback, user_data);
}

/**
 * ps_order_store_load_detail_finish:
 * @store: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the detail, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when there is no such order, or a store error
 */
PsOrderDetail *
ps_order_store_load_detail_finish (PsOrderStore  *store,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (store), NULL);

  return ps_database_run_for_finish (result, store, ps_order_store_load_detail_async, error);
}

/* Edits: worker side */

/* Reads the status nick of @order_id into @status; NOT_FOUND if none. */
static gboolean
read_status (PsDatabase     *db,
             gint64          order_id,
             char          **status,
             GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT status FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *status = _ps_column_dup (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                 "No order with id %" G_GINT64_FORMAT, order_id);
  else
    _ps_database_set_error (db, error, rc, "read order status");
  return FALSE;
}

static gboolean
touch_order (PsDatabase     *db,
             gint64          order_id,
             const char     *status,
             gint64          now,
             GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "UPDATE orders SET status = coalesce (?, status), updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, status);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, order_id);
  return _ps_database_step_done (db, stmt, error);
}

static char *
json_object_text (const char *member,
                  const char *value,
                  const char *member2,
                  const char *value2,
                  gboolean    as_array)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  if (as_array)
    {
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, value);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_string_value (builder, value);
  if (member2 != NULL)
    {
      json_builder_set_member_name (builder, member2);
      json_builder_add_string_value (builder, value2);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
set_status_one (PsDatabase     *db,
                PsOrderWriter  *writer,
                gint64          order_id,
                const char     *to,
                gint64          now,
                gboolean       *changed,
                GError        **error)
{
  g_autofree char *from = NULL;
  g_autofree char *data = NULL;

  *changed = FALSE;
  if (!read_status (db, order_id, &from, error))
    return FALSE;
  if (g_strcmp0 (from, to) == 0)
    return TRUE;

  if (!touch_order (db, order_id, to, now, error))
    return FALSE;
  data = json_object_text ("from", from, "to", to, FALSE);
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, now, order_id,
                                 0, 0, MERCHANT, data, error) == 0)
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

static gboolean
add_note_one (PsDatabase     *db,
              PsOrderWriter  *writer,
              gint64          order_id,
              const char     *body,
              gint64          now,
              gboolean       *changed,
              GError        **error)
{
  g_autofree char *status = NULL;
  g_autofree char *data = NULL;
  g_autofree char *note_id = NULL;

  *changed = FALSE;
  if (!read_status (db, order_id, &status, error))
    return FALSE;
  if (!ps_order_writer_add_note (writer, order_id, now, MERCHANT, body, error))
    return FALSE;
  note_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                             (gint64)sqlite3_last_insert_rowid (_ps_database_get_handle (db)));
  if (!touch_order (db, order_id, NULL, now, error))
    return FALSE;
  data = json_object_text ("note_id", note_id, NULL, NULL, FALSE);
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_NOTE_ADDED, now, order_id,
                                 0, 0, MERCHANT, data, error) == 0)
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/* The name of the tag @order_id carries that equals @tag ignoring case, or
 * %NULL in @name when it carries none. */
static gboolean
find_order_tag (PsDatabase     *db,
                gint64          order_id,
                const char     *tag,
                char          **name,
                GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT t.name FROM order_tags ot JOIN tags t ON t.id = ot.tag_id"
    " WHERE ot.order_id = ? AND t.name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  _ps_bind_text (stmt, 2, tag);
  rc = sqlite3_step (stmt);
  *name = rc == SQLITE_ROW ? _ps_column_dup (stmt, 0) : NULL;
  return finish_rows (db, stmt, rc == SQLITE_ROW ? SQLITE_DONE : rc, "find tag", error);
}

static gboolean
set_tag_one (PsDatabase     *db,
             PsOrderWriter  *writer,
             gint64          order_id,
             const char     *tag,
             gboolean        add,
             gint64          now,
             gboolean       *changed,
             GError        **error)
{
  g_autofree char *status = NULL;
  g_autofree char *name = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_status (db, order_id, &status, error))
    return FALSE;
  if (!find_order_tag (db, order_id, tag, &name, error))
    return FALSE;

  if (add)
    {
      if (name != NULL)
        return TRUE;
      /* Reuses a tag of the same name in any case (tags.name is NOCASE). */
      if (!ps_order_writer_add_tag (writer, order_id, tag, error))
        return FALSE;
      if (!find_order_tag (db, order_id, tag, &name, error))
        return FALSE;
      g_assert (name != NULL);
    }
  else
    {
      if (name == NULL)
        return TRUE;
      stmt = _ps_database_prepare (db,
        "DELETE FROM order_tags WHERE order_id = ?"
        " AND tag_id = (SELECT id FROM tags WHERE name = ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, order_id);
      _ps_bind_text (stmt, 2, name);
      if (!_ps_database_step_done (db, stmt, error))
        return FALSE;
    }

  if (!touch_order (db, order_id, NULL, now, error))
    return FALSE;
  data = json_object_text (add ? "tags_added" : "tags_removed", name, NULL, NULL, TRUE);
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_UPDATED, now, order_id,
                                 0, 0, MERCHANT, data, error) == 0)
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/* Returns the ids that changed, in the order asked. */
static gpointer
edit_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  Edit *edit = data;
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autoptr(GArray) changed_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *status_nick = ps_enum_to_nick (PS_TYPE_ORDER_STATUS, edit->status);
  gint64 now = ps_time_now ();

  if (g_cancellable_set_error_if_cancelled (edit->cancellable, error))
    return NULL;
  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);

  for (guint i = 0; i < edit->n_ids; i++)
    {
      gboolean changed = FALSE;
      gboolean ok = FALSE;

      switch (edit->kind)
        {
        case EDIT_STATUS:
          ok = set_status_one (db, writer, edit->ids[i], status_nick, now, &changed, error);
          break;
        case EDIT_NOTE:
          ok = add_note_one (db, writer, edit->ids[i], edit->text, now, &changed, error);
          break;
        case EDIT_TAG:
          ok = set_tag_one (db, writer, edit->ids[i], edit->text, edit->add, now,
                            &changed, error);
          break;
        default:
          g_assert_not_reached ();
        }
      if (!ok)
        {
          ps_database_rollback (db);
          return NULL;
        }
      if (changed)
        g_array_append_val (changed_ids, edit->ids[i]);
    }

  if (!ps_database_commit (db, error))
    return NULL;
  return g_steal_pointer (&changed_ids);
}

/* Edits: main thread side */

static void
edit_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PsOrderStore *store = PS_ORDER_STORE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GArray) changed_ids = NULL;
  GError *error = NULL;

  changed_ids = ps_database_run_for_finish (result, store, edit_job, &error);
  if (changed_ids == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Committed: announce it before the caller hears back. */
  if (changed_ids->len > 0)
    ps_order_store_emit_changed (store, changed_ids);
  g_task_return_boolean (task, TRUE);
}

static void
run_edit (PsOrderStore        *store,
          gpointer             source_tag,
          Edit                *edit,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task;

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* Once the write committed, report it even if cancelled meanwhile. */
  g_task_set_check_cancellable (task, FALSE);
  edit->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  /* No cancellable on the job itself: it checks edit->cancellable before
   * writing, and a committed write must reach edit_done_cb. */
  ps_database_run_for_async (ps_order_store_get_database (store), store, edit_job, edit_job,
                             edit, (GDestroyNotify)edit_free, (GDestroyNotify)g_array_unref,
                             NULL, edit_done_cb, task);
}

static gboolean
finish_edit (PsOrderStore  *store,
             GAsyncResult  *result,
             gpointer       source_tag,
             GError       **error)
{
  g_return_val_if_fail (PS_IS_ORDER_STORE (store), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
report_invalid (PsOrderStore        *store,
                gpointer             source_tag,
                const char          *message,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_task_report_new_error (store, callback, user_data, source_tag,
                           G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s", message);
}

/**
 * ps_order_store_set_status_async:
 * @store: a #PsOrderStore
 * @ids: (array length=n_ids): the orders
 * @n_ids: the number of @ids
 * @status: the new status
 * @cancellable: (nullable): stops the edit if it has not started
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Sets the status of @ids in one transaction. Each order whose status
 * changes gets an `order.status_changed` event `{"from": …, "to": …}` by
 * "merchant"; orders already in @status are left alone. An unknown id
 * fails the whole edit with %G_IO_ERROR_NOT_FOUND and writes nothing.
 * Emits #PsOrderStore::orders-changed with the changed ids, if any,
 * before @callback runs.
 */
void
ps_order_store_set_status_async (PsOrderStore        *store,
                                 const gint64        *ids,
                                 guint                n_ids,
                                 PsOrderStatus        status,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Edit *edit;

  g_return_if_fail (PS_IS_ORDER_STORE (store));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (ps_enum_to_nick (PS_TYPE_ORDER_STATUS, status) != NULL);

  edit = g_new0 (Edit, 1);
  edit->kind = EDIT_STATUS;
  edit->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  edit->n_ids = n_ids;
  edit->status = status;
  run_edit (store, ps_order_store_set_status_async, edit, cancellable, callback, user_data);
}

/**
 * ps_order_store_set_status_finish:
 * @store: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE when the edit committed (or had nothing to change)
 */
gboolean
ps_order_store_set_status_finish (PsOrderStore  *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_edit (store, result, ps_order_store_set_status_async, error);
}

/**
 * ps_order_store_add_note_async:
 * @store: a #PsOrderStore
 * @order_id: the order
 * @body: the note; leading and trailing white space is dropped
 * @cancellable: (nullable): stops the edit if it has not started
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Adds a note by "merchant" and a `note.added` event `{"note_id": "N"}`
 * in one transaction, then emits #PsOrderStore::orders-changed. A body
 * that is empty or only white space fails with
 * %G_IO_ERROR_INVALID_ARGUMENT, an unknown order with
 * %G_IO_ERROR_NOT_FOUND; neither writes anything.
 */
void
ps_order_store_add_note_async (PsOrderStore        *store,
                               gint64               order_id,
                               const char          *body,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *text = NULL;
  Edit *edit;

  g_return_if_fail (PS_IS_ORDER_STORE (store));
  g_return_if_fail (body != NULL);

  text = g_strstrip (g_strdup (body));
  if (*text == '\0')
    {
      report_invalid (store, ps_order_store_add_note_async, "The note is empty",
                      callback, user_data);
      return;
    }

  edit = g_new0 (Edit, 1);
  edit->kind = EDIT_NOTE;
  edit->ids = g_memdup2 (&order_id, sizeof order_id);
  edit->n_ids = 1;
  edit->text = g_steal_pointer (&text);
  run_edit (store, ps_order_store_add_note_async, edit, cancellable, callback, user_data);
}

/**
 * ps_order_store_add_note_finish:
 * @store: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE when the note was added
 */
gboolean
ps_order_store_add_note_finish (PsOrderStore  *store,
                                GAsyncResult  *result,
                                GError       **error)
{
  return finish_edit (store, result, ps_order_store_add_note_async, error);
}

/**
 * ps_order_store_set_tag_async:
 * @store: a #PsOrderStore
 * @ids: (array length=n_ids): the orders
 * @n_ids: the number of @ids
 * @tag: the tag name; leading and trailing white space is dropped
 * @add: %TRUE to add the tag, %FALSE to remove it
 * @cancellable: (nullable): stops the edit if it has not started
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Adds @tag to, or removes it from, @ids in one transaction. Tags match
 * ignoring case, and adding reuses an existing tag's spelling. Each order
 * that changes gets an `order.updated` event by "merchant",
 * `{"tags_added": [name]}` or `{"tags_removed": [name]}`. An empty tag
 * fails with %G_IO_ERROR_INVALID_ARGUMENT, an unknown id with
 * %G_IO_ERROR_NOT_FOUND; neither writes anything. Emits
 * #PsOrderStore::orders-changed with the changed ids, if any.
 */
void
ps_order_store_set_tag_async (PsOrderStore        *store,
                              const gint64        *ids,
                              guint                n_ids,
                              const char          *tag,
                              gboolean             add,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *text = NULL;
  Edit *edit;

  g_return_if_fail (PS_IS_ORDER_STORE (store));
  g_return_if_fail (ids != NULL || n_ids == 0);
  g_return_if_fail (tag != NULL);

  text = g_strstrip (g_strdup (tag));
  if (*text == '\0')
    {
      report_invalid (store, ps_order_store_set_tag_async, "The tag is empty",
                      callback, user_data);
      return;
    }

  edit = g_new0 (Edit, 1);
  edit->kind = EDIT_TAG;
  edit->ids = g_memdup2 (ids, sizeof (gint64) * n_ids);
  edit->n_ids = n_ids;
  edit->text = g_steal_pointer (&text);
  edit->add = !!add;
  run_edit (store, ps_order_store_set_tag_async, edit, cancellable, callback, user_data);
}

/**
 * ps_order_store_set_tag_finish:
 * @store: a #PsOrderStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE when the edit committed (or had nothing to change)
 */
gboolean
ps_order_store_set_tag_finish (PsOrderStore  *store,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_edit (store, result, ps_order_store_set_tag_async, error);
}
