/* ps-rule-store.h: automation rules, their runs (activity log), retries
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Worker-side SQL for the automation runner. store/ does not know the
 * rule model (automation/ps-rule.h, a sibling layer): rules go in and out
 * as their JSON text, and services/ps-automation-service.h parses them and
 * offers the async API the UI uses.
 */

#pragma once

#include <gio/gio.h>

#include "ps-condition.h"
#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

/* The meta key of the runner's cursor: the id of the last event it looked
 * at. 0007-automation.sql starts it at the newest event of the database
 * it migrates, so history from before automations existed never fires. */
#define PS_RULE_STORE_CURSOR_KEY "automation.cursor"

/**
 * PsRuleRow:
 * @id: the rule's id
 * @name: its name
 * @trigger: its trigger
 * @enabled: whether the runner applies it
 * @position: its place in the evaluation order (lower first)
 * @definition: the rule's JSON (ps_rule_to_string())
 * @created_at: when it was added
 * @updated_at: when it was last saved or switched
 * @last_fired_at: the newest run that fired (outcome done or failed), 0
 *   for never (filled by ps_rule_store_list_sync() only)
 * @fires_7d: runs that fired in the 7 days before the listing's "now"
 *   (ps_rule_store_list_sync() only)
 */
typedef struct
{
  gint64       id;
  char        *name;
  PsEventType  trigger;
  gboolean     enabled;
  int          position;
  char        *definition;
  gint64       created_at;
  gint64       updated_at;
  gint64       last_fired_at;
  guint        fires_7d;
} PsRuleRow;

/**
 * PsRuleRun:
 * @id: the run's id
 * @rule_id: the rule
 * @rule_name: (nullable): its name
 * @order_id: the order, 0 for none
 * @order_number: (nullable): the order's number on its channel
 * @event_id: the triggering event
 * @event_type: (nullable): its type nick
 * @ran_at: when the run was recorded
 * @outcome: "done", "failed", "skipped" or "cut"
 * @detail: (nullable): JSON: {"reasons": [conditions that held],
 *   "actions": [{"action": {…}, "result": "done"|"unchanged"|"failed"|
 *   "retry", "error": …}], "depth": N}
 * @pending_retries: actions of the run still waiting for a retry
 *
 * One line of the activity log.
 */
typedef struct
{
  gint64  id;
  gint64  rule_id;
  char   *rule_name;
  gint64  order_id;
  char   *order_number;
  gint64  event_id;
  char   *event_type;
  gint64  ran_at;
  char   *outcome;
  char   *detail;
  guint   pending_retries;
} PsRuleRun;

/**
 * PsEventRow:
 * @id: the event's id
 * @type: its type
 * @occurred_at: when it happened
 * @order_id: the order, 0 for none
 * @shipment_id: the shipment, 0 for none
 * @actor: who caused it
 * @data: (nullable): its JSON data
 *
 * One row of the append-only events table.
 */
typedef struct
{
  gint64       id;
  PsEventType  type;
  gint64       occurred_at;
  gint64       order_id;
  gint64       shipment_id;
  char        *actor;
  char        *data;
} PsEventRow;

/**
 * PsRuleRetry:
 * @id: the retry's id
 * @run_id: the rule run it belongs to
 * @rule_id: the run's rule
 * @order_id: the run's order
 * @event_id: the run's event
 * @action_index: the action's index in the rule
 * @action: the action's JSON as it was when the run happened
 * @attempts: attempts so far, the first included
 *
 * A failed action waiting to be tried again.
 */
typedef struct
{
  gint64  id;
  gint64  run_id;
  gint64  rule_id;
  gint64  order_id;
  gint64  event_id;
  guint   action_index;
  char   *action;
  guint   attempts;
} PsRuleRetry;

void        ps_rule_row_free   (PsRuleRow   *row);
void        ps_rule_run_free   (PsRuleRun   *run);
void        ps_event_row_free  (PsEventRow  *row);
void        ps_rule_retry_free (PsRuleRetry *retry);

/* Worker thread only. */
GPtrArray   *ps_rule_store_list_sync        (PsDatabase           *db,
                                             gint64                now,
                                             GError              **error);
PsRuleRow   *ps_rule_store_get_sync         (PsDatabase           *db,
                                             gint64                rule_id,
                                             GError              **error);
GPtrArray   *ps_rule_store_load_enabled_sync (PsDatabase          *db,
                                             GError              **error);
gint64       ps_rule_store_add_sync         (PsDatabase           *db,
                                             const char           *name,
                                             PsEventType           trigger,
                                             const char           *definition,
                                             gboolean              enabled,
                                             gint64                now,
                                             GError              **error);
gboolean     ps_rule_store_update_sync      (PsDatabase           *db,
                                             gint64                rule_id,
                                             const char           *name,
                                             PsEventType           trigger,
                                             const char           *definition,
                                             gint64                now,
                                             GError              **error);
gboolean     ps_rule_store_delete_sync      (PsDatabase           *db,
                                             gint64                rule_id,
                                             GError              **error);
gboolean     ps_rule_store_set_enabled_sync (PsDatabase           *db,
                                             gint64                rule_id,
                                             gboolean              enabled,
                                             gint64                now,
                                             GError              **error);
gboolean     ps_rule_store_move_sync        (PsDatabase           *db,
                                             gint64                rule_id,
                                             int                   position,
                                             GError              **error);

gint64       ps_rule_store_insert_run_sync  (PsDatabase           *db,
                                             gint64                rule_id,
                                             gint64                order_id,
                                             gint64                event_id,
                                             gint64                ran_at,
                                             const char           *outcome,
                                             const char           *detail,
                                             gboolean             *inserted,
                                             GError              **error);
gboolean     ps_rule_store_find_run_sync    (PsDatabase           *db,
                                             gint64                rule_id,
                                             gint64                order_id,
                                             gint64                event_id,
                                             gint64               *run_id,
                                             GError              **error);
GPtrArray   *ps_rule_store_list_runs_sync   (PsDatabase           *db,
                                             gint64                rule_id,
                                             guint                 limit,
                                             GError              **error);

gint64       ps_rule_store_get_cursor_sync  (PsDatabase           *db);
gboolean     ps_rule_store_set_cursor_sync  (PsDatabase           *db,
                                             gint64                event_id,
                                             GError              **error);
gboolean     ps_rule_store_skip_to_latest_sync (PsDatabase        *db,
                                             GError              **error);
GPtrArray   *ps_rule_store_events_after_sync (PsDatabase          *db,
                                             gint64                after_id,
                                             guint                 limit,
                                             GError              **error);
GPtrArray   *ps_rule_store_events_between_sync (PsDatabase        *db,
                                             PsEventType           type,
                                             gint64                since,
                                             gint64                until,
                                             GError              **error);
gint64       ps_rule_store_add_event_sync   (PsDatabase           *db,
                                             PsEventType           type,
                                             gint64                occurred_at,
                                             gint64                order_id,
                                             const char           *actor,
                                             const char           *data_json,
                                             GError              **error);
GArray      *ps_rule_store_time_candidates_sync (PsDatabase       *db,
                                             gint64                rule_id,
                                             PsCondition          *condition,
                                             int                   repeat_after_days,
                                             gint64                now,
                                             GTimeZone            *tz,
                                             guint                 limit,
                                             GError              **error);

gboolean     ps_rule_store_add_retry_sync   (PsDatabase           *db,
                                             gint64                run_id,
                                             guint                 action_index,
                                             const char           *action_json,
                                             gint64                next_attempt_at,
                                             const char           *last_error,
                                             GError              **error);
GPtrArray   *ps_rule_store_due_retries_sync (PsDatabase           *db,
                                             gint64                now,
                                             guint                 limit,
                                             GError              **error);
gboolean     ps_rule_store_retry_result_sync (PsDatabase          *db,
                                             const PsRuleRetry    *retry,
                                             const char           *state,
                                             gint64                next_attempt_at,
                                             const char           *last_error,
                                             GError              **error);

int          ps_rule_store_set_cache_sync   (PsDatabase           *db,
                                             int                   cache_size);
gboolean     ps_rule_store_savepoint_sync   (PsDatabase           *db,
                                             GError              **error);
gboolean     ps_rule_store_release_sync     (PsDatabase           *db,
                                             GError              **error);
void         ps_rule_store_rollback_to_sync (PsDatabase           *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleRow, ps_rule_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleRun, ps_rule_run_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsEventRow, ps_event_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleRetry, ps_rule_retry_free)

G_END_DECLS
