/* ps-rule-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables (0001-initial.sql, 0007-automation.sql):
 *  - rules: name, trigger, definition JSON, enabled, position; the partial
 *    index rules_trigger covers the enabled ones;
 *  - rule_runs: one row per (rule, order, event), UNIQUE, so a rule fires
 *    at most once per order per triggering event even when two runners
 *    race: the second insert does nothing. rule_runs_rule_time answers
 *    "last fired" and "fires in the last 7 days" per rule, rule_runs_time
 *    the activity log of all rules;
 *  - rule_retries: failed actions that are safe to try again;
 *  - meta 'automation.cursor': the runner's position in events.
 */

#define G_LOG_DOMAIN "ps-rule-store"

#include "config.h"

#include "ps-condition-sql.h"
#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-rule-store.h"

/* Outcomes that count as "fired" on the Automations page. */
#define FIRED "outcome IN ('done', 'failed')"

/* Helpers */

static gboolean
finish (PsDatabase    *db,
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

/* A statement without results, prepared once (savepoints run per action). */
static gboolean
exec_cached (PsDatabase  *db,
             const char  *sql,
             GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);

  return stmt != NULL && _ps_database_step_done (db, stmt, error);
}

static PsEventType
event_type_from_column (sqlite3_stmt *stmt,
                        int           col)
{
  int value = PS_EVENT_TYPE_TIME;

  if (!ps_enum_from_nick (PS_TYPE_EVENT_TYPE, (const char *) sqlite3_column_text (stmt, col),
                          &value))
    value = -1;
  return value;
}

static gboolean
not_found (GError **error,
           gint64   rule_id)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "No automation rule with id %" G_GINT64_FORMAT, rule_id);
  return FALSE;
}

static gboolean
changed_one (PsDatabase  *db,
             gint64       rule_id,
             GError     **error)
{
  if (sqlite3_changes (_ps_database_get_handle (db)) == 0)
    return not_found (error, rule_id);
  return TRUE;
}

#define RULE_COLUMNS "id, name, trigger, enabled, position, definition, created_at, updated_at"

static PsRuleRow *
read_rule (sqlite3_stmt *stmt)
{
  PsRuleRow *row = g_new0 (PsRuleRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->name = _ps_column_dup (stmt, 1);
  row->trigger = event_type_from_column (stmt, 2);
  row->enabled = sqlite3_column_int (stmt, 3) != 0;
  row->position = sqlite3_column_int (stmt, 4);
  row->definition = _ps_column_dup (stmt, 5);
  row->created_at = sqlite3_column_int64 (stmt, 6);
  row->updated_at = sqlite3_column_int64 (stmt, 7);
  return row;
}

static GPtrArray *
query_rules (PsDatabase  *db,
             const char  *sql,
             GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_row_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_rule (stmt));
  if (!finish (db, stmt, rc, "list rules", error))
    return NULL;
  return g_steal_pointer (&rows);
}

/* Public: frees */

/**
 * ps_rule_row_free:
 * @row: (nullable): a rule row
 */
void
ps_rule_row_free (PsRuleRow *row)
{
  if (row == NULL)
    return;
  g_free (row->name);
  g_free (row->definition);
  g_free (row);
}

/**
 * ps_rule_run_free:
 * @run: (nullable): a rule run
 */
void
ps_rule_run_free (PsRuleRun *run)
{
  if (run == NULL)
    return;
  g_free (run->rule_name);
  g_free (run->order_number);
  g_free (run->event_type);
  g_free (run->outcome);
  g_free (run->detail);
  g_free (run);
}

/**
 * ps_event_row_free:
 * @row: (nullable): an event row
 */
void
ps_event_row_free (PsEventRow *row)
{
  if (row == NULL)
    return;
  g_free (row->actor);
  g_free (row->data);
  g_free (row);
}

/**
 * ps_rule_retry_free:
 * @retry: (nullable): a retry
 */
void
ps_rule_retry_free (PsRuleRetry *retry)
{
  if (retry == NULL)
    return;
  g_free (retry->action);
  g_free (retry);
}

/* Public: rules */

/**
 * ps_rule_store_list_sync:
 * @db: the database
 * @now: what "the last 7 days" count back from
 * @error: return location for an error
 *
 * Every rule in evaluation order, with when it last fired and how often
 * in the last 7 days (two probes of rule_runs_rule_time per rule).
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsRuleRow): the rules
 */
GPtrArray *
ps_rule_store_list_sync (PsDatabase  *db,
                         gint64       now,
                         GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *last, *count;

  rows = query_rules (db, "SELECT " RULE_COLUMNS " FROM rules ORDER BY position, id", error);
  if (rows == NULL)
    return NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      PsRuleRow *row = g_ptr_array_index (rows, i);
      int rc;

      last = _ps_database_prepare (db,
        "SELECT ran_at FROM rule_runs WHERE rule_id = ? AND " FIRED
        " ORDER BY ran_at DESC LIMIT 1", error);
      if (last == NULL)
        return NULL;
      sqlite3_bind_int64 (last, 1, row->id);
      rc = sqlite3_step (last);
      if (rc == SQLITE_ROW)
        {
          row->last_fired_at = sqlite3_column_int64 (last, 0);
          rc = SQLITE_DONE;
        }
      if (!finish (db, last, rc, "rule last fired", error))
        return NULL;

      count = _ps_database_prepare (db,
        "SELECT count(*) FROM rule_runs WHERE rule_id = ? AND ran_at > ? AND " FIRED, error);
      if (count == NULL)
        return NULL;
      sqlite3_bind_int64 (count, 1, row->id);
      sqlite3_bind_int64 (count, 2, now - 7 * 86400);
      rc = sqlite3_step (count);
      if (rc == SQLITE_ROW)
        {
          row->fires_7d = sqlite3_column_int (count, 0);
          rc = SQLITE_DONE;
        }
      if (!finish (db, count, rc, "rule fires", error))
        return NULL;
    }

  return g_steal_pointer (&rows);
}

/**
 * ps_rule_store_get_sync:
 * @db: the database
 * @rule_id: a rule id
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND
 */
PsRuleRow *
ps_rule_store_get_sync (PsDatabase  *db,
                        gint64       rule_id,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  PsRuleRow *row = NULL;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT " RULE_COLUMNS " FROM rules WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rule_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      row = read_rule (stmt);
      rc = SQLITE_DONE;
    }
  if (!finish (db, stmt, rc, "get rule", error))
    {
      ps_rule_row_free (row);
      return NULL;
    }
  if (row == NULL)
    not_found (error, rule_id);
  return row;
}

/**
 * ps_rule_store_load_enabled_sync:
 * @db: the database
 * @error: return location for an error
 *
 * The rules the runner applies, in evaluation order. Worker thread only.
 *
 * Returns: (transfer full) (element-type PsRuleRow): the enabled rules
 */
GPtrArray *
ps_rule_store_load_enabled_sync (PsDatabase  *db,
                                 GError     **error)
{
  return query_rules (db, "SELECT " RULE_COLUMNS " FROM rules WHERE enabled = 1"
                          " ORDER BY position, id", error);
}

/**
 * ps_rule_store_add_sync:
 * @db: the database
 * @name: the rule's name
 * @trigger: its trigger
 * @definition: its JSON
 * @enabled: whether the runner applies it at once
 * @now: the creation time
 * @error: return location for an error
 *
 * Appends a rule after the others. Worker thread only.
 *
 * Returns: the new rule's id, or 0 with @error set
 */
gint64
ps_rule_store_add_sync (PsDatabase  *db,
                        const char  *name,
                        PsEventType  trigger,
                        const char  *definition,
                        gboolean     enabled,
                        gint64       now,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (name != NULL && definition != NULL, 0);

  stmt = _ps_database_prepare (db,
    "INSERT INTO rules (name, trigger, definition, enabled, position, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, (SELECT coalesce (max (position), -1) + 1 FROM rules), ?, ?)", error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, name);
  _ps_bind_text (stmt, 2, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, trigger));
  _ps_bind_text (stmt, 3, definition);
  sqlite3_bind_int (stmt, 4, enabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_int64 (stmt, 6, now);
  if (!_ps_database_step_done (db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (db));
}

/**
 * ps_rule_store_update_sync:
 * @db: the database
 * @rule_id: the rule
 * @name: its new name
 * @trigger: its new trigger
 * @definition: its new JSON
 * @now: the time of the change
 * @error: return location for an error
 *
 * Saves an edited rule; its enabled flag and position stay. Worker thread
 * only.
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for an unknown id
 */
gboolean
ps_rule_store_update_sync (PsDatabase  *db,
                           gint64       rule_id,
                           const char  *name,
                           PsEventType  trigger,
                           const char  *definition,
                           gint64       now,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "UPDATE rules SET name = ?, trigger = ?, definition = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, name);
  _ps_bind_text (stmt, 2, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, trigger));
  _ps_bind_text (stmt, 3, definition);
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, rule_id);
  return _ps_database_step_done (db, stmt, error) && changed_one (db, rule_id, error);
}

/**
 * ps_rule_store_delete_sync:
 * @db: the database
 * @rule_id: the rule
 * @error: return location for an error
 *
 * Deletes a rule with its runs (ON DELETE CASCADE). Worker thread only.
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for an unknown id
 */
gboolean
ps_rule_store_delete_sync (PsDatabase  *db,
                           gint64       rule_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "DELETE FROM rules WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rule_id);
  return _ps_database_step_done (db, stmt, error) && changed_one (db, rule_id, error);
}

/**
 * ps_rule_store_set_enabled_sync:
 * @db: the database
 * @rule_id: the rule
 * @enabled: on or off
 * @now: the time of the change
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for an unknown id
 */
gboolean
ps_rule_store_set_enabled_sync (PsDatabase  *db,
                                gint64       rule_id,
                                gboolean     enabled,
                                gint64       now,
                                GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "UPDATE rules SET enabled = ?, updated_at = ? WHERE id = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, enabled ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, rule_id);
  return _ps_database_step_done (db, stmt, error) && changed_one (db, rule_id, error);
}

/**
 * ps_rule_store_move_sync:
 * @db: the database
 * @rule_id: the rule
 * @position: its new place, 0 for first; past the end means last
 * @error: return location for an error
 *
 * Moves a rule in the evaluation order and renumbers every rule 0, 1, 2…
 * Worker thread only; runs in its own transaction unless one is open.
 *
 * Returns: %TRUE on success; %G_IO_ERROR_NOT_FOUND for an unknown id
 */
gboolean
ps_rule_store_move_sync (PsDatabase  *db,
                         gint64       rule_id,
                         int          position,
                         GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT id FROM rules ORDER BY position, id", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      if (id == rule_id)
        found = TRUE;
      else
        g_array_append_val (ids, id);
    }
  if (!finish (db, stmt, rc, "order rules", error))
    return FALSE;
  if (!found)
    return not_found (error, rule_id);

  g_array_insert_val (ids, CLAMP (position, 0, (int) ids->len), rule_id);

  if (!ps_rule_store_savepoint_sync (db, error))
    return FALSE;
  for (guint i = 0; i < ids->len; i++)
    {
      stmt = _ps_database_prepare (db, "UPDATE rules SET position = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto failed;
      sqlite3_bind_int (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, g_array_index (ids, gint64, i));
      if (!_ps_database_step_done (db, stmt, error))
        goto failed;
    }
  return ps_rule_store_release_sync (db, error);

failed:
  ps_rule_store_rollback_to_sync (db);
  return FALSE;
}

/* Public: runs */

/* Binds a run's (rule, order, event) key to parameters 1 to 3. */
static void
bind_run_key (sqlite3_stmt *stmt,
              gint64        rule_id,
              gint64        order_id,
              gint64        event_id)
{
  sqlite3_bind_int64 (stmt, 1, rule_id);
  if (order_id != 0)
    sqlite3_bind_int64 (stmt, 2, order_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int64 (stmt, 3, event_id);
}

/**
 * ps_rule_store_find_run_sync:
 * @db: the database
 * @rule_id: the rule
 * @order_id: the order, 0 for none
 * @event_id: the triggering event
 * @run_id: (out): the run's id, 0 when the rule has not run for this order
 *   and event
 * @error: return location for an error
 *
 * The runner asks this before it applies a rule's actions, in the write
 * transaction that will record the run (so no other writer can record it
 * in between). Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_find_run_sync (PsDatabase  *db,
                             gint64       rule_id,
                             gint64       order_id,
                             gint64       event_id,
                             gint64      *run_id,
                             GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (run_id != NULL, FALSE);

  *run_id = 0;
  stmt = _ps_database_prepare (db,
    "SELECT id FROM rule_runs WHERE rule_id = ? AND order_id IS ? AND event_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_run_key (stmt, rule_id, order_id, event_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *run_id = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  return finish (db, stmt, rc, "find rule run", error);
}

/**
 * ps_rule_store_insert_run_sync:
 * @db: the database
 * @rule_id: the rule
 * @order_id: the order, 0 for none
 * @event_id: the triggering event
 * @ran_at: the time of the run
 * @outcome: "done", "failed", "skipped" or "cut"
 * @detail: (nullable): JSON detail
 * @inserted: (out): %FALSE when the rule already ran for this order and
 *   event: then nothing is written and the existing run's id returned
 * @error: return location for an error
 *
 * Records a run with its outcome. The UNIQUE (rule_id, order_id,
 * event_id) key is what makes "at most once per order per event" hold.
 * Worker thread only.
 *
 * Returns: the run's id, or 0 with @error set
 */
gint64
ps_rule_store_insert_run_sync (PsDatabase  *db,
                               gint64       rule_id,
                               gint64       order_id,
                               gint64       event_id,
                               gint64       ran_at,
                               const char  *outcome,
                               const char  *detail,
                               gboolean    *inserted,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (inserted != NULL, 0);

  stmt = _ps_database_prepare (db,
    "INSERT INTO rule_runs (rule_id, order_id, event_id, ran_at, outcome, detail)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return 0;
  bind_run_key (stmt, rule_id, order_id, event_id);
  sqlite3_bind_int64 (stmt, 4, ran_at);
  _ps_bind_text (stmt, 5, outcome);
  sqlite3_bind_text (stmt, 6, detail, -1, SQLITE_STATIC);
  if (!_ps_database_step_done (db, stmt, error))
    return 0;

  *inserted = sqlite3_changes (_ps_database_get_handle (db)) > 0;
  if (*inserted)
    return sqlite3_last_insert_rowid (_ps_database_get_handle (db));
  if (!ps_rule_store_find_run_sync (db, rule_id, order_id, event_id, &id, error))
    return 0;
  return id;
}

/**
 * ps_rule_store_list_runs_sync:
 * @db: the database
 * @rule_id: one rule, or 0 for all
 * @limit: at most this many, newest first
 * @error: return location for an error
 *
 * The activity log. Worker thread only.
 *
 * Returns: (transfer full) (element-type PsRuleRun): the runs
 */
GPtrArray *
ps_rule_store_list_runs_sync (PsDatabase  *db,
                              gint64       rule_id,
                              guint        limit,
                              GError     **error)
{
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_run_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT r.id, r.rule_id, ru.name, r.order_id, o.order_number, r.event_id, e.type,"
    "       r.ran_at, r.outcome, r.detail,"
    "       (SELECT count(*) FROM rule_retries t WHERE t.run_id = r.id AND t.state = 'pending')"
    " FROM rule_runs r"
    " LEFT JOIN rules ru ON ru.id = r.rule_id"
    " LEFT JOIN orders o ON o.id = r.order_id"
    " LEFT JOIN events e ON e.id = r.event_id"
    " WHERE ?1 = 0 OR r.rule_id = ?1"
    " ORDER BY r.ran_at DESC, r.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, rule_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsRuleRun *run = g_new0 (PsRuleRun, 1);

      run->id = sqlite3_column_int64 (stmt, 0);
      run->rule_id = sqlite3_column_int64 (stmt, 1);
      run->rule_name = _ps_column_dup (stmt, 2);
      run->order_id = sqlite3_column_int64 (stmt, 3);
      run->order_number = _ps_column_dup (stmt, 4);
      run->event_id = sqlite3_column_int64 (stmt, 5);
      run->event_type = _ps_column_dup (stmt, 6);
      run->ran_at = sqlite3_column_int64 (stmt, 7);
      run->outcome = _ps_column_dup (stmt, 8);
      run->detail = _ps_column_dup (stmt, 9);
      run->pending_retries = sqlite3_column_int (stmt, 10);
      g_ptr_array_add (runs, run);
    }
  if (!finish (db, stmt, rc, "list rule runs", error))
    return NULL;
  return g_steal_pointer (&runs);
}

/* Public: events and the cursor */

/**
 * ps_rule_store_get_cursor_sync:
 * @db: the database
 *
 * Worker thread only.
 *
 * Returns: the id of the last event the runner looked at (0 if none)
 */
gint64
ps_rule_store_get_cursor_sync (PsDatabase *db)
{
  g_autofree char *value = ps_database_dup_meta (db, PS_RULE_STORE_CURSOR_KEY);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/**
 * ps_rule_store_set_cursor_sync:
 * @db: the database
 * @event_id: the last event looked at
 * @error: return location for an error
 *
 * Worker thread only; belongs in the transaction that recorded the runs
 * of the events up to @event_id.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_set_cursor_sync (PsDatabase  *db,
                               gint64       event_id,
                               GError     **error)
{
  char value[32];

  g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, event_id);
  return ps_database_set_meta (db, PS_RULE_STORE_CURSOR_KEY, value, error);
}

/**
 * ps_rule_store_skip_to_latest_sync:
 * @db: the database
 * @error: return location for an error
 *
 * Moves the cursor to the newest event, for a runner with no enabled rule:
 * a rule switched on later acts on what happens from then on, never on
 * the history before it (a dry run shows that). Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_skip_to_latest_sync (PsDatabase  *db,
                                   GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 latest = 0;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT coalesce (max (id), 0) FROM events", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      latest = sqlite3_column_int64 (stmt, 0);
      rc = SQLITE_DONE;
    }
  if (!finish (db, stmt, rc, "newest event", error))
    return FALSE;
  if (latest == ps_rule_store_get_cursor_sync (db))
    return TRUE;
  return ps_rule_store_set_cursor_sync (db, latest, error);
}

#define EVENT_COLUMNS "id, type, occurred_at, order_id, shipment_id, actor, data"

static GPtrArray *
read_events (PsDatabase    *db,
             sqlite3_stmt  *stmt,
             GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_event_row_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsEventRow *row = g_new0 (PsEventRow, 1);

      row->id = sqlite3_column_int64 (stmt, 0);
      row->type = event_type_from_column (stmt, 1);
      row->occurred_at = sqlite3_column_int64 (stmt, 2);
      row->order_id = sqlite3_column_int64 (stmt, 3);
      row->shipment_id = sqlite3_column_int64 (stmt, 4);
      row->actor = _ps_column_dup (stmt, 5);
      row->data = _ps_column_dup (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  if (!finish (db, stmt, rc, "read events", error))
    return NULL;
  return g_steal_pointer (&rows);
}

/**
 * ps_rule_store_events_after_sync:
 * @db: the database
 * @after_id: the cursor
 * @limit: the batch size
 * @error: return location for an error
 *
 * The next events after @after_id, by id (commit order: writes are
 * serialized). Worker thread only.
 *
 * Returns: (transfer full) (element-type PsEventRow): the events
 */
GPtrArray *
ps_rule_store_events_after_sync (PsDatabase  *db,
                                 gint64       after_id,
                                 guint        limit,
                                 GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT " EVENT_COLUMNS " FROM events WHERE id > ?"
                                   " ORDER BY id LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  return read_events (db, stmt, error);
}

/**
 * ps_rule_store_events_between_sync:
 * @db: the database
 * @type: the event type
 * @since: the first moment included
 * @until: the last moment included
 * @error: return location for an error
 *
 * The stored history a dry run replays, oldest first (events_type_time).
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsEventRow): the events
 */
GPtrArray *
ps_rule_store_events_between_sync (PsDatabase  *db,
                                   PsEventType  type,
                                   gint64       since,
                                   gint64       until,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT " EVENT_COLUMNS " FROM events"
                                   " WHERE type = ? AND occurred_at BETWEEN ? AND ?"
                                   " ORDER BY occurred_at, id", error);
  if (stmt == NULL)
    return NULL;
  _ps_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, type));
  sqlite3_bind_int64 (stmt, 2, since);
  sqlite3_bind_int64 (stmt, 3, until);
  return read_events (db, stmt, error);
}

/**
 * ps_rule_store_add_event_sync:
 * @db: the database
 * @type: the event type
 * @occurred_at: when
 * @order_id: the order, 0 for none
 * @actor: who
 * @data_json: (nullable): its data
 * @error: return location for an error
 *
 * Appends an event that is not about an order edit (the scheduler's
 * `time` events). Worker thread only.
 *
 * Returns: the event id, or 0 with @error set
 */
gint64
ps_rule_store_add_event_sync (PsDatabase  *db,
                              PsEventType  type,
                              gint64       occurred_at,
                              gint64       order_id,
                              const char  *actor,
                              const char  *data_json,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "INSERT INTO events (type, occurred_at, order_id, actor, data) VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, type));
  sqlite3_bind_int64 (stmt, 2, occurred_at);
  if (order_id != 0)
    sqlite3_bind_int64 (stmt, 3, order_id);
  else
    sqlite3_bind_null (stmt, 3);
  _ps_bind_text (stmt, 4, actor);
  _ps_bind_text (stmt, 5, data_json);
  if (!_ps_database_step_done (db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (db));
}

/**
 * ps_rule_store_time_candidates_sync:
 * @db: the database
 * @rule_id: the time rule
 * @condition: (nullable): its condition; %NULL matches every order
 * @repeat_after_days: 0: orders the rule ever ran for are left out; N:
 *   orders it ran for in the last N days are left out
 * @now: the moment elapsed-time tests count from
 * @tz: the merchant's time zone
 * @limit: at most this many, lowest id first
 * @error: return location for an error
 *
 * The scheduler's question: which orders does the rule's condition hold
 * for now, that it has not fired for (in its window)? The condition is
 * compiled to SQL (store/ps-condition-sql.c), so the indexes the saved
 * filters use answer it — no scan of every order per tick; the "has not
 * fired" test is one probe of rule_runs' UNIQUE (rule_id, order_id, …)
 * index per candidate. Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): order ids
 */
GArray *
ps_rule_store_time_candidates_sync (PsDatabase   *db,
                                    gint64        rule_id,
                                    PsCondition  *condition,
                                    int           repeat_after_days,
                                    gint64        now,
                                    GTimeZone    *tz,
                                    guint         limit,
                                    GError      **error)
{
  g_autoptr(PsConditionSql) compiled = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  int next, rc;

  if (condition != NULL)
    compiled = ps_condition_sql_compile (condition, now, tz);

  /* The statement text depends on the condition's shape only (values are
   * parameters), so the cache keeps one statement per rule shape. */
  sql = g_strdup_printf ("SELECT o.id FROM orders o WHERE (%s) AND NOT EXISTS"
                         " (SELECT 1 FROM rule_runs r WHERE r.rule_id = ? AND r.order_id = o.id"
                         "  AND r.ran_at > ?)"
                         " ORDER BY o.id LIMIT ?",
                         compiled != NULL ? ps_condition_sql_get_where (compiled) : "1");
  stmt = _ps_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  next = 1;
  if (compiled != NULL)
    {
      rc = ps_condition_sql_bind (compiled, stmt, 1);
      if (rc != SQLITE_OK)
        {
          _ps_database_set_error (db, error, rc, "bind rule condition");
          return NULL;
        }
      next += ps_condition_sql_get_n_params (compiled);
    }
  sqlite3_bind_int64 (stmt, next, rule_id);
  sqlite3_bind_int64 (stmt, next + 1,
                      repeat_after_days > 0 ? now - (gint64) repeat_after_days * 86400
                                            : G_MININT64);
  sqlite3_bind_int64 (stmt, next + 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (!finish (db, stmt, rc, "time rule candidates", error))
    return NULL;
  return g_steal_pointer (&ids);
}

/* Public: retries */

/**
 * ps_rule_store_add_retry_sync:
 * @db: the database
 * @run_id: the run whose action failed
 * @action_index: the action's index in the rule
 * @action_json: the action
 * @next_attempt_at: when to try again
 * @last_error: why it failed
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_add_retry_sync (PsDatabase  *db,
                              gint64       run_id,
                              guint        action_index,
                              const char  *action_json,
                              gint64       next_attempt_at,
                              const char  *last_error,
                              GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "INSERT INTO rule_retries (run_id, action_index, action, next_attempt_at, last_error)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int (stmt, 2, action_index);
  _ps_bind_text (stmt, 3, action_json);
  sqlite3_bind_int64 (stmt, 4, next_attempt_at);
  _ps_bind_text (stmt, 5, last_error);
  return _ps_database_step_done (db, stmt, error);
}

/**
 * ps_rule_store_due_retries_sync:
 * @db: the database
 * @now: the current time
 * @limit: at most this many
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsRuleRetry): pending retries
 *   whose time has come, oldest first
 */
GPtrArray *
ps_rule_store_due_retries_sync (PsDatabase  *db,
                                gint64       now,
                                guint        limit,
                                GError     **error)
{
  g_autoptr(GPtrArray) retries = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ps_rule_retry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db,
    "SELECT t.id, t.run_id, r.rule_id, r.order_id, r.event_id, t.action_index, t.action,"
    "       t.attempts"
    " FROM rule_retries t JOIN rule_runs r ON r.id = t.run_id"
    " WHERE t.state = 'pending' AND t.next_attempt_at <= ?"
    " ORDER BY t.next_attempt_at LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsRuleRetry *retry = g_new0 (PsRuleRetry, 1);

      retry->id = sqlite3_column_int64 (stmt, 0);
      retry->run_id = sqlite3_column_int64 (stmt, 1);
      retry->rule_id = sqlite3_column_int64 (stmt, 2);
      retry->order_id = sqlite3_column_int64 (stmt, 3);
      retry->event_id = sqlite3_column_int64 (stmt, 4);
      retry->action_index = sqlite3_column_int (stmt, 5);
      retry->action = _ps_column_dup (stmt, 6);
      retry->attempts = sqlite3_column_int (stmt, 7);
      g_ptr_array_add (retries, retry);
    }
  if (!finish (db, stmt, rc, "due retries", error))
    return NULL;
  return g_steal_pointer (&retries);
}

/**
 * ps_rule_store_retry_result_sync:
 * @db: the database
 * @retry: the retry tried
 * @state: "pending" (failed again, try at @next_attempt_at), "done" or
 *   "gave_up"
 * @next_attempt_at: for "pending"
 * @last_error: (nullable): the latest failure
 * @error: return location for an error
 *
 * Counts the attempt; when the run has no pending retry left, its outcome
 * becomes "done" if every retry succeeded. Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_retry_result_sync (PsDatabase         *db,
                                 const PsRuleRetry  *retry,
                                 const char         *state,
                                 gint64              next_attempt_at,
                                 const char         *last_error,
                                 GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db,
    "UPDATE rule_retries SET state = ?, attempts = attempts + 1, next_attempt_at = ?,"
    " last_error = coalesce (?, last_error) WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, state);
  sqlite3_bind_int64 (stmt, 2, next_attempt_at);
  _ps_bind_text (stmt, 3, last_error);
  sqlite3_bind_int64 (stmt, 4, retry->id);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  stmt = _ps_database_prepare (db,
    "UPDATE rule_runs SET outcome = 'done' WHERE id = ?1 AND outcome = 'failed'"
    " AND NOT EXISTS (SELECT 1 FROM rule_retries WHERE run_id = ?1 AND state <> 'done')", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, retry->run_id);
  return _ps_database_step_done (db, stmt, error);
}

/* Public: savepoints */

/**
 * ps_rule_store_savepoint_sync:
 * @db: the database
 * @error: return location for an error
 *
 * Opens a savepoint so one action's writes can be undone without losing
 * the run's other actions. Worker thread only; pair with
 * ps_rule_store_release_sync() or ps_rule_store_rollback_to_sync().
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_savepoint_sync (PsDatabase  *db,
                              GError     **error)
{
  return exec_cached (db, "SAVEPOINT ps_rule_action", error);
}

/**
 * ps_rule_store_release_sync:
 * @db: the database
 * @error: return location for an error
 *
 * Keeps the savepoint's writes. Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_rule_store_release_sync (PsDatabase  *db,
                            GError     **error)
{
  return exec_cached (db, "RELEASE ps_rule_action", error);
}

/**
 * ps_rule_store_rollback_to_sync:
 * @db: the database
 *
 * Undoes the writes since the savepoint and closes it. Worker thread only.
 */
void
ps_rule_store_rollback_to_sync (PsDatabase *db)
{
  if (exec_cached (db, "ROLLBACK TO ps_rule_action", NULL))
    exec_cached (db, "RELEASE ps_rule_action", NULL);
}

/**
 * ps_rule_store_set_cache_sync:
 * @db: the database
 * @cache_size: SQLite's page cache for the worker's connection, as
 *   `PRAGMA cache_size` takes it (negative: KiB)
 *
 * The runner reads orders all over the database and writes the same
 * index pages again and again within a batch: it runs with a large cache
 * (as the import's writer does) and puts the previous size back after.
 * Worker thread only.
 *
 * Returns: the previous cache size, to put back
 */
int
ps_rule_store_set_cache_sync (PsDatabase *db,
                              int         cache_size)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA cache_size = %d", cache_size);
  sqlite3_stmt *stmt;
  int previous = cache_size;

  if (sqlite3_prepare_v2 (_ps_database_get_handle (db), "PRAGMA cache_size", -1, &stmt,
                          NULL) == SQLITE_OK)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        previous = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  _ps_database_exec (db, sql, NULL);
  return previous;
}
