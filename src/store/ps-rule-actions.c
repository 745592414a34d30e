/* ps-rule-actions.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Worker-side versions of the merchant's edits (ps-order-detail.c) for
 * the automation runner: the same rows and event shapes, but the actor is
 * "rule:<id>" and every event's data carries "depth", which is how the
 * engine cuts chains of rules that trigger each other. They run inside
 * the runner's transaction and open none of their own.
 *
 * Events written:
 *   set_status         order.status_changed {"from", "to", "depth"}
 *   add/remove tag     order.updated {"tags_added"|"tags_removed": [tag]}
 *   set_priority       order.updated {"priority": "high"|"normal"}
 *   hold_until         order.updated {"hold_until": t} (+ status on_hold)
 *   add_note           note.added {"note_id"}
 *   preferred service  order.updated {"preferred_service": {…}}
 */

#define G_LOG_DOMAIN "ps-rule-actions"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-rule-actions.h"

/* Helpers */

static gboolean
order_missing (GError **error,
               gint64   order_id)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "No order with id %" G_GINT64_FORMAT, order_id);
  return FALSE;
}

/* Reads one column of an order; @sql selects it by id. */
static gboolean
read_column (PsDatabase  *db,
             const char  *sql,
             gint64       order_id,
             char       **text,
             gint64      *number,
             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      if (text != NULL)
        *text = _ps_column_dup (stmt, 0);
      if (number != NULL)
        *number = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      return TRUE;
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return order_missing (error, order_id);
  _ps_database_set_error (db, error, rc, "read order");
  return FALSE;
}

static gboolean
touch (PsDatabase        *db,
       const PsRuleActor *actor,
       gint64             order_id,
       GError           **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, "UPDATE orders SET updated_at = ? WHERE id = ?",
                                             error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, actor->now);
  sqlite3_bind_int64 (stmt, 2, order_id);
  return _ps_database_step_done (db, stmt, error);
}

/* Appends an event whose data is @builder's open object plus "depth". */
static gboolean
add_event (PsDatabase        *db,
           const PsRuleActor *actor,
           PsEventType        type,
           gint64             order_id,
           JsonBuilder       *builder,
           GError           **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;

  json_builder_set_member_name (builder, "depth");
  json_builder_add_int_value (builder, actor->depth);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  data = json_to_string (root, FALSE);

  stmt = _ps_database_prepare (db,
    "INSERT INTO events (type, occurred_at, order_id, actor, data) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, type));
  sqlite3_bind_int64 (stmt, 2, actor->now);
  sqlite3_bind_int64 (stmt, 3, order_id);
  _ps_bind_text (stmt, 4, actor->actor);
  _ps_bind_text (stmt, 5, data);
  return _ps_database_step_done (db, stmt, error) && touch (db, actor, order_id, error);
}

static JsonBuilder *
data_begin (void)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  return builder;
}

/* Public */

/**
 * ps_rule_actions_set_status_sync:
 * @db: the database
 * @actor: who acts
 * @order_id: the order
 * @status: the new status
 * @changed: (out): %FALSE when the order already had @status
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_set_status_sync (PsDatabase         *db,
                                 const PsRuleActor  *actor,
                                 gint64              order_id,
                                 PsOrderStatus       status,
                                 gboolean           *changed,
                                 GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *from = NULL;
  const char *to = ps_enum_to_nick (PS_TYPE_ORDER_STATUS, status);
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT status FROM orders WHERE id = ?", order_id, &from, NULL, error))
    return FALSE;
  if (g_strcmp0 (from, to) == 0)
    return TRUE;

  stmt = _ps_database_prepare (db, "UPDATE orders SET status = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, to);
  sqlite3_bind_int64 (stmt, 2, order_id);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  data = data_begin ();
  json_builder_set_member_name (data, "from");
  json_builder_add_string_value (data, from);
  json_builder_set_member_name (data, "to");
  json_builder_add_string_value (data, to);
  if (!add_event (db, actor, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, order_id, data, error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/**
 * ps_rule_actions_set_tag_sync:
 * @db: the database
 * @actor: who acts
 * @order_id: the order
 * @tag: the tag (tags compare ignoring case)
 * @add: %TRUE to add, %FALSE to remove
 * @changed: (out): %FALSE when the order already had (or lacked) it
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_set_tag_sync (PsDatabase         *db,
                              const PsRuleActor  *actor,
                              gint64              order_id,
                              const char         *tag,
                              gboolean            add,
                              gboolean           *changed,
                              GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *status = NULL;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT status FROM orders WHERE id = ?", order_id, &status, NULL, error))
    return FALSE;

  if (add)
    {
      stmt = _ps_database_prepare (db, "INSERT INTO tags (name) VALUES (?) ON CONFLICT DO NOTHING",
                                   error);
      if (stmt == NULL)
        return FALSE;
      _ps_bind_text (stmt, 1, tag);
      if (!_ps_database_step_done (db, stmt, error))
        return FALSE;
      stmt = _ps_database_prepare (db,
        "INSERT INTO order_tags (order_id, tag_id) SELECT ?, id FROM tags WHERE name = ?"
        " ON CONFLICT DO NOTHING", error);
    }
  else
    stmt = _ps_database_prepare (db,
      "DELETE FROM order_tags WHERE order_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  _ps_bind_text (stmt, 2, tag);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;
  if (sqlite3_changes (_ps_database_get_handle (db)) == 0)
    return TRUE;

  data = data_begin ();
  json_builder_set_member_name (data, add ? "tags_added" : "tags_removed");
  json_builder_begin_array (data);
  json_builder_add_string_value (data, tag);
  json_builder_end_array (data);
  if (!add_event (db, actor, PS_EVENT_TYPE_ORDER_UPDATED, order_id, data, error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/**
 * ps_rule_actions_set_priority_sync:
 * @db: the database
 * @actor: who acts
 * @order_id: the order
 * @high: high (1) or normal (0) priority
 * @changed: (out): %FALSE when the order already had it
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_set_priority_sync (PsDatabase         *db,
                                   const PsRuleActor  *actor,
                                   gint64              order_id,
                                   gboolean            high,
                                   gboolean           *changed,
                                   GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  gint64 priority = 0;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT priority FROM orders WHERE id = ?", order_id, NULL, &priority,
                    error))
    return FALSE;
  if ((priority != 0) == !!high)
    return TRUE;

  stmt = _ps_database_prepare (db, "UPDATE orders SET priority = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, high ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, order_id);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  data = data_begin ();
  json_builder_set_member_name (data, "priority");
  json_builder_add_string_value (data, high ? "high" : "normal");
  if (!add_event (db, actor, PS_EVENT_TYPE_ORDER_UPDATED, order_id, data, error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/**
 * ps_rule_actions_hold_until_sync:
 * @db: the database
 * @actor: who acts
 * @order_id: the order
 * @until: the end of the hold (Unix seconds)
 * @changed: (out): %FALSE when the order was already held until @until
 * @error: return location for an error
 *
 * Sets orders.hold_until and the status on_hold (with its own
 * order.status_changed event when the status changes).
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_hold_until_sync (PsDatabase         *db,
                                 const PsRuleActor  *actor,
                                 gint64              order_id,
                                 gint64              until,
                                 gboolean           *changed,
                                 GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  gboolean status_changed = FALSE;
  gint64 current = 0;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT coalesce (hold_until, 0) FROM orders WHERE id = ?", order_id,
                    NULL, &current, error))
    return FALSE;

  if (current != until)
    {
      stmt = _ps_database_prepare (db, "UPDATE orders SET hold_until = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, until);
      sqlite3_bind_int64 (stmt, 2, order_id);
      if (!_ps_database_step_done (db, stmt, error))
        return FALSE;
      data = data_begin ();
      json_builder_set_member_name (data, "hold_until");
      json_builder_add_int_value (data, until);
      if (!add_event (db, actor, PS_EVENT_TYPE_ORDER_UPDATED, order_id, data, error))
        return FALSE;
      *changed = TRUE;
    }

  if (!ps_rule_actions_set_status_sync (db, actor, order_id, PS_ORDER_STATUS_ON_HOLD,
                                        &status_changed, error))
    return FALSE;
  *changed |= status_changed;
  return TRUE;
}

/**
 * ps_rule_actions_add_note_sync:
 * @db: the database
 * @actor: who acts; the note's author
 * @order_id: the order
 * @text: the note
 * @changed: (out): always %TRUE on success (a note is always new)
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_add_note_sync (PsDatabase         *db,
                               const PsRuleActor  *actor,
                               gint64              order_id,
                               const char         *text,
                               gboolean           *changed,
                               GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *status = NULL;
  g_autofree char *note_id = NULL;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT status FROM orders WHERE id = ?", order_id, &status, NULL, error))
    return FALSE;

  stmt = _ps_database_prepare (db,
    "INSERT INTO notes (order_id, created_at, author, body) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, actor->now);
  _ps_bind_text (stmt, 3, actor->actor);
  _ps_bind_text (stmt, 4, text);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;
  note_id = g_strdup_printf ("%" G_GINT64_FORMAT,
                             (gint64) sqlite3_last_insert_rowid (_ps_database_get_handle (db)));

  data = data_begin ();
  json_builder_set_member_name (data, "note_id");
  json_builder_add_string_value (data, note_id);
  if (!add_event (db, actor, PS_EVENT_TYPE_NOTE_ADDED, order_id, data, error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/**
 * ps_rule_actions_set_preferred_service_sync:
 * @db: the database
 * @actor: who acts
 * @order_id: the order
 * @service_json: the choice, JSON (see orders.preferred_service in
 *   0007-automation.sql)
 * @changed: (out): %FALSE when the order already had this choice
 * @error: return location for an error
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for no such order
 */
gboolean
ps_rule_actions_set_preferred_service_sync (PsDatabase         *db,
                                            const PsRuleActor  *actor,
                                            gint64              order_id,
                                            const char         *service_json,
                                            gboolean           *changed,
                                            GError            **error)
{
  g_autoptr(JsonBuilder) data = NULL;
  g_autofree char *current = NULL;
  sqlite3_stmt *stmt;

  *changed = FALSE;
  if (!read_column (db, "SELECT preferred_service FROM orders WHERE id = ?", order_id, &current,
                    NULL, error))
    return FALSE;
  if (g_strcmp0 (current, service_json) == 0)
    return TRUE;

  stmt = _ps_database_prepare (db, "UPDATE orders SET preferred_service = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, service_json);
  sqlite3_bind_int64 (stmt, 2, order_id);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  data = data_begin ();
  json_builder_set_member_name (data, "preferred_service");
  json_builder_add_value (data, json_from_string (service_json, NULL));
  if (!add_event (db, actor, PS_EVENT_TYPE_ORDER_UPDATED, order_id, data, error))
    return FALSE;
  *changed = TRUE;
  return TRUE;
}

/**
 * ps_rule_actions_dup_preferred_service_sync:
 * @db: the database
 * @order_id: the order
 * @error: return location for an error
 *
 * What a select_service action chose for the order, for the rate
 * selector. Worker thread only.
 *
 * Returns: (transfer full) (nullable): the JSON, or %NULL when no rule
 *   chose (no error) or on failure (@error set)
 */
char *
ps_rule_actions_dup_preferred_service_sync (PsDatabase  *db,
                                            gint64       order_id,
                                            GError     **error)
{
  char *json = NULL;

  if (!read_column (db, "SELECT preferred_service FROM orders WHERE id = ?", order_id, &json,
                    NULL, error))
    return NULL;
  return json;
}
