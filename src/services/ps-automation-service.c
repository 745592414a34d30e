/* ps-automation-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runner applies what the pure engine (automation/ps-rule-engine.c)
 * proposes. Everything here that touches the database runs on the
 * database worker; the GObject only queues jobs and emits signals on the
 * main thread.
 *
 * Event-triggered rules (run_pending):
 *   - the runner reads the events after its cursor (meta
 *     'automation.cursor') in batches of BATCH, by id. An event is only
 *     visible once the change that wrote it committed, so the actions run
 *     after the triggering change, in a transaction of their own;
 *   - the enabled rules are prepared once per pass (a PsRuleEngine: the
 *     rules of each trigger, the JSON texts of what they test and do);
 *     for each event, the rules whose trigger and event conditions match
 *     decide whether the order is loaded at all
 *     (ps_rule_engine_wants_event()); then the engine evaluates them on
 *     the order's snapshot, with the event's time as "now". A snapshot is
 *     loaded once per batch, and dropped when a store action changes
 *     its order;
 *   - each proposal first looks for its rule_runs row: one that exists
 *     means the rule already ran for this order and event ("skipped").
 *     Otherwise the actions run and one row records the run with its
 *     outcome and detail; the UNIQUE (rule, order, event) key backs this
 *     up, so a rule fires at most once per order per event, even across
 *     a crash and restart: the runs, the actions' writes, the queued
 *     emails and the cursor commit together or not at all;
 *   - actions run in order, each in a savepoint: store changes write
 *     events with actor 'rule:<id>' and depth + 1 (so they trigger rules
 *     in turn, and chains deeper than PS_RULE_MAX_CHAIN_DEPTH are "cut");
 *     send_email goes through ps_outbox_enqueue_sync() with the dedup key
 *     "rule:R:order:O:event:E", so a message is never queued twice; a
 *     failed enqueue is logged in the run and queued in rule_retries,
 *     which later passes retry with backoff until it is done or, after
 *     MAX_ATTEMPTS, "gave_up" (still in the log, never silently lost);
 *     other failures (an order deleted meanwhile) are logged as failed;
 *   - notify returns a PsAutomationNotification the service emits as
 *     ::notification on the main thread; the run's detail keeps it.
 *
 * Time rules (sweep): a rule with trigger `time` is re-checked by the
 * scheduler. Its condition is compiled to SQL and asked for orders that
 * match now and for which the rule has no run (in its repeat window):
 * indexed queries, no scan of every order per tick. For each candidate
 * the engine confirms on the snapshot (the SQL and in-memory halves of
 * the language agree, tests/store/test-condition-sql.c), then one
 * synthetic `time` event is appended (actor 'clock', data {"rule": id})
 * and the run recorded against it: one event per (rule, order) firing,
 * so the rule fires once per (rule, order) — or once per
 * repeat_after_days window — and the activity log points at a real event.
 * The event loop passes `time` events over: they belong to the sweep.
 *
 * History: a pass with no rule switched on moves the cursor to the newest
 * event, and 0007-automation.sql starts it at the newest event of an
 * existing database, so switching a rule on never replays the past;
 * dry runs are how a merchant sees what a rule would have done.
 *
 * Dry runs replay the stored events of the rule's trigger in a time range
 * through the same engine, writing nothing; rule chains are not simulated
 * (their events do not exist yet). For time rules a dry run is the sweep's
 * question asked now.
 */

#define G_LOG_DOMAIN "ps-automation-service"

#include "config.h"

#include "ps-automation-service.h"
#include "ps-enum-types.h"
#include "ps-order-store.h"
#include "ps-outbox.h"
#include "ps-rule-actions.h"
#include "ps-time.h"

/* Events per transaction of the runner: a batch takes well under a second
 * on a million-order database (tests/bench/automation.sh), far below the
 * other writers' busy timeout, and fewer commits mean fewer checkpoints. */
#define BATCH 5000
/* The runner's SQLite page cache (PRAGMA cache_size: 64 MB), for its run. */
#define RUN_CACHE_SIZE (-65536)
/* Candidate orders per time rule per sweep; the rest wait for the next. */
#define SWEEP_LIMIT 1000
/* Retries of a failed email enqueue before it is given up (and shown). */
#define MAX_ATTEMPTS 8
#define RETRY_FIRST_DELAY 60

struct _PsAutomationService
{
  GObject       parent_instance;

  PsDatabase   *database;
  GTimeZone    *tz;
  guint         timer_id;
  GCancellable *cancellable;
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (PsAutomationService, ps_automation_service, G_TYPE_OBJECT)

enum {
  NOTIFICATION,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers: results */

static void
notification_free (PsAutomationNotification *n)
{
  g_free (n->rule_name);
  g_free (n->address);
  g_free (n->message);
  g_free (n);
}

static PsAutomationReport *
report_new (void)
{
  PsAutomationReport *report = g_new0 (PsAutomationReport, 1);

  report->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  return report;
}

/**
 * ps_automation_report_free:
 * @report: (nullable): a report
 */
void
ps_automation_report_free (PsAutomationReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->notifications);
  g_free (report);
}

static void
dry_run_fire_free (PsDryRunFire *fire)
{
  g_clear_pointer (&fire->proposal, json_node_unref);
  g_free (fire);
}

/**
 * ps_dry_run_free:
 * @dry_run: (nullable): a dry run
 */
void
ps_dry_run_free (PsDryRun *dry_run)
{
  if (dry_run == NULL)
    return;
  g_ptr_array_unref (dry_run->fires);
  g_array_unref (dry_run->order_ids);
  g_array_unref (dry_run->per_day);
  g_free (dry_run);
}

/**
 * ps_dry_run_to_json:
 * @dry_run: a dry run
 *
 * {"since", "until", "events", "fires": N, "orders": [ids],
 *  "per_day": [{"day": t, "fires": n}], "runs": [{"event", "order",
 *  "occurred_at", "cut", "reasons", "actions"}]}: what
 * `postsale-cli rules dry-run --json` prints.
 *
 * Returns: (transfer full): a new JSON object
 */
JsonNode *
ps_dry_run_to_json (const PsDryRun *dry_run)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (dry_run != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "since");
  json_builder_add_int_value (b, dry_run->since);
  json_builder_set_member_name (b, "until");
  json_builder_add_int_value (b, dry_run->until);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, dry_run->events);
  json_builder_set_member_name (b, "fires");
  json_builder_add_int_value (b, dry_run->fires->len);
  json_builder_set_member_name (b, "orders");
  json_builder_begin_array (b);
  for (guint i = 0; i < dry_run->order_ids->len; i++)
    json_builder_add_int_value (b, g_array_index (dry_run->order_ids, gint64, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "per_day");
  json_builder_begin_array (b);
  for (guint i = 0; i < dry_run->per_day->len; i++)
    {
      const PsDryRunDay *day = &g_array_index (dry_run->per_day, PsDryRunDay, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "day");
      json_builder_add_int_value (b, day->day);
      json_builder_set_member_name (b, "fires");
      json_builder_add_int_value (b, day->fires);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < dry_run->fires->len; i++)
    {
      const PsDryRunFire *fire = g_ptr_array_index (dry_run->fires, i);
      JsonObject *proposal = json_node_get_object (fire->proposal);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "event");
      json_builder_add_int_value (b, fire->event_id);
      json_builder_set_member_name (b, "order");
      json_builder_add_int_value (b, fire->order_id);
      json_builder_set_member_name (b, "occurred_at");
      json_builder_add_int_value (b, fire->occurred_at);
      json_builder_set_member_name (b, "cut");
      json_builder_add_boolean_value (b, fire->cut);
      json_builder_set_member_name (b, "reasons");
      json_builder_add_value (b, json_node_copy (json_object_get_member (proposal, "reasons")));
      json_builder_set_member_name (b, "actions");
      json_builder_add_value (b, json_node_copy (json_object_get_member (proposal, "actions")));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Helpers: rules */

/**
 * ps_automation_rule_from_row:
 * @row: a stored rule
 * @error: return location for a #PS_RULE_ERROR
 *
 * Parses a stored definition; the columns (id, name, trigger, enabled,
 * position) win over what the JSON says.
 *
 * Returns: (transfer full) (nullable): the rule
 */
PsRule *
ps_automation_rule_from_row (const PsRuleRow  *row,
                             GError          **error)
{
  g_autoptr(PsRule) rule = NULL;

  g_return_val_if_fail (row != NULL, NULL);

  rule = ps_rule_from_string (row->definition, error);
  if (rule == NULL)
    return NULL;
  ps_rule_set_id (rule, row->id);
  ps_rule_set_name (rule, row->name);
  ps_rule_set_enabled (rule, row->enabled);
  ps_rule_set_position (rule, row->position);
  return g_steal_pointer (&rule);
}

/**
 * ps_automation_get_rule_sync:
 * @db: the database
 * @rule_id: a rule id
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND or a #PS_RULE_ERROR for an unreadable definition
 */
PsRule *
ps_automation_get_rule_sync (PsDatabase  *db,
                             gint64       rule_id,
                             GError     **error)
{
  g_autoptr(PsRuleRow) row = ps_rule_store_get_sync (db, rule_id, error);

  if (row == NULL)
    return NULL;
  return ps_automation_rule_from_row (row, error);
}

/**
 * ps_automation_save_rule_sync:
 * @db: the database
 * @rule: a rule; a rule with id 0 is added (and gets its id set), others
 *   are updated
 * @now: the time of the change
 * @error: return location for an error
 *
 * Validates and stores @rule. Adding keeps its enabled flag; updating
 * leaves the stored flag and position alone (ps_rule_store_set_enabled_sync(),
 * ps_rule_store_move_sync()). Worker thread only.
 *
 * Returns: the rule's id, or 0 with @error set
 */
gint64
ps_automation_save_rule_sync (PsDatabase  *db,
                              PsRule      *rule,
                              gint64       now,
                              GError     **error)
{
  g_autofree char *definition = NULL;
  gint64 id = ps_rule_get_id (rule);

  if (!ps_rule_validate (rule, error))
    return 0;
  definition = ps_rule_to_string (rule);
  if (id == 0)
    {
      id = ps_rule_store_add_sync (db, ps_rule_get_name (rule), ps_rule_get_trigger (rule),
                                   definition, ps_rule_get_enabled (rule), now, error);
      if (id != 0)
        ps_rule_set_id (rule, id);
      return id;
    }
  if (!ps_rule_store_update_sync (db, id, ps_rule_get_name (rule), ps_rule_get_trigger (rule),
                                  definition, now, error))
    return 0;
  return id;
}

/**
 * ps_automation_add_templates_sync:
 * @db: the database
 * @now: the time of the change
 * @error: return location for an error
 *
 * Adds the seed examples of ps_rule_templates(), disabled, after the
 * other rules. Worker thread only.
 *
 * Returns: (transfer full) (element-type gint64): the new rules' ids
 */
GArray *
ps_automation_add_templates_sync (PsDatabase  *db,
                                  gint64       now,
                                  GError     **error)
{
  g_autoptr(GPtrArray) templates = ps_rule_templates ();
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < templates->len; i++)
    {
      gint64 id = ps_automation_save_rule_sync (db, g_ptr_array_index (templates, i), now, error);

      if (id == 0)
        return NULL;
      g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

/* Loads the enabled rules; unreadable ones are skipped with a warning
 * (a rule saved by a newer Postsale, say), never the whole runner. */
static GPtrArray *
load_enabled_rules (PsDatabase  *db,
                    GError     **error)
{
  g_autoptr(GPtrArray) rows = ps_rule_store_load_enabled_sync (db, error);
  GPtrArray *rules;

  if (rows == NULL)
    return NULL;
  rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsRuleRow *row = g_ptr_array_index (rows, i);
      g_autoptr(GError) local_error = NULL;
      PsRule *rule = ps_automation_rule_from_row (row, &local_error);

      if (rule == NULL)
        g_warning ("Rule %" G_GINT64_FORMAT " (“%s”) is skipped: %s", row->id, row->name,
                   local_error->message);
      else
        g_ptr_array_add (rules, rule);
    }
  return rules;
}

static PsRuleEvent *
event_from_row (const PsEventRow *row)
{
  PsRuleEvent *event = ps_rule_event_new (row->type, row->occurred_at, row->order_id);

  event->id = row->id;
  event->shipment_id = row->shipment_id;
  event->actor = g_strdup (row->actor);
  ps_rule_event_set_data (event, row->data);
  return event;
}

/* Helpers: applying proposals */

typedef struct
{
  PsDatabase         *db;
  gint64              now;
  GTimeZone          *tz;
  PsAutomationReport *report;
  GHashTable         *snapshots;  /* (nullable) order id → PsOrderSnapshot, this batch's */
} Runner;

static char *
dedup_key (gint64 rule_id,
           gint64 order_id,
           gint64 event_id)
{
  return g_strdup_printf ("rule:%" G_GINT64_FORMAT ":order:%" G_GINT64_FORMAT
                          ":event:%" G_GINT64_FORMAT, rule_id, order_id, event_id);
}

static char *
preferred_service_json (const PsRuleAction *action,
                        gint64              rule_id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "strategy");
  json_builder_add_string_value (b, ps_service_strategy_to_nick (action->strategy));
  if (action->strategy == PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS)
    {
      json_builder_set_member_name (b, "days");
      json_builder_add_int_value (b, action->days);
    }
  if (action->carrier != NULL)
    {
      json_builder_set_member_name (b, "carrier");
      json_builder_add_string_value (b, action->carrier);
      json_builder_set_member_name (b, "service");
      json_builder_add_string_value (b, action->service);
    }
  json_builder_set_member_name (b, "rule");
  json_builder_add_int_value (b, rule_id);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Runs one store-changing action. */
static gboolean
apply_store_action (Runner              *runner,
                    const PsRuleActor   *actor,
                    const PsRuleAction  *action,
                    gint64               rule_id,
                    gint64               order_id,
                    gboolean            *changed,
                    GError             **error)
{
  switch (action->type)
    {
    case PS_RULE_ACTION_SET_STATUS:
      return ps_rule_actions_set_status_sync (runner->db, actor, order_id, action->status,
                                              changed, error);
    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      return ps_rule_actions_set_tag_sync (runner->db, actor, order_id, action->tag,
                                           action->type == PS_RULE_ACTION_ADD_TAG, changed,
                                           error);
    case PS_RULE_ACTION_SET_PRIORITY:
      return ps_rule_actions_set_priority_sync (runner->db, actor, order_id,
                                                action->high_priority, changed, error);
    case PS_RULE_ACTION_HOLD_UNTIL:
      return ps_rule_actions_hold_until_sync (runner->db, actor, order_id,
                                              action->date != NULL
                                              ? action->until
                                              : runner->now + (gint64) action->days * 86400,
                                              changed, error);
    case PS_RULE_ACTION_ADD_NOTE:
      return ps_rule_actions_add_note_sync (runner->db, actor, order_id, action->text, changed,
                                            error);
    case PS_RULE_ACTION_SELECT_SERVICE:
      {
        g_autofree char *json = preferred_service_json (action, rule_id);

        return ps_rule_actions_set_preferred_service_sync (runner->db, actor, order_id, json,
                                                          changed, error);
      }
    case PS_RULE_ACTION_SEND_EMAIL:
    case PS_RULE_ACTION_NOTIFY:
    case PS_RULE_ACTION_STOP_PROCESSING:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
enqueue_email (PsDatabase          *db,
               const PsRuleAction  *action,
               gint64               rule_id,
               gint64               order_id,
               gint64               event_id,
               gint64               now,
               gboolean            *created,
               GError             **error)
{
  g_autofree char *key = dedup_key (rule_id, order_id, event_id);
  gint64 id;

  if (!ps_rule_store_savepoint_sync (db, error))
    return FALSE;
  id = ps_outbox_enqueue_sync (db, action->template_name, order_id, event_id, action->address,
                               key, now, created, error);
  if (id == 0)
    {
      ps_rule_store_rollback_to_sync (db);
      return FALSE;
    }
  return ps_rule_store_release_sync (db, error);
}

static guint
action_index (PsRule             *rule,
              const PsRuleAction *action)
{
  for (guint i = 0; i < ps_rule_get_n_actions (rule); i++)
    if (ps_rule_get_action (rule, i) == action)
      return i;
  g_assert_not_reached ();
}

/* Appends @text to @detail as a JSON string, escaped as json-glib's
 * generator escapes it (the texts around it are json-glib's too). Only
 * error messages take this path. */
static void
append_json_string (GString    *detail,
                    const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *json = json_to_string (node, FALSE);

  g_string_append (detail, json);
}

/* One action's entry of a run's detail:
 * {"action": {…}, "result": "…"[, "error": "…"]}. */
static void
append_action_detail (GString    *detail,
                      const char *action_json,
                      const char *result,
                      const char *error_message)
{
  if (detail->str[detail->len - 1] != '[')
    g_string_append_c (detail, ',');
  g_string_append (detail, "{\"action\":");
  g_string_append (detail, action_json);
  g_string_append (detail, ",\"result\":\"");
  g_string_append (detail, result);
  g_string_append_c (detail, '"');
  if (error_message != NULL)
    {
      g_string_append (detail, ",\"error\":");
      append_json_string (detail, error_message);
    }
  g_string_append_c (detail, '}');
}

/* A failed email enqueue, queued in rule_retries once the run is stored. */
typedef struct
{
  guint       action_index;
  const char *action_json;
  char       *message;
} PendingRetry;

static void
pending_retry_clear (gpointer data)
{
  g_free (((PendingRetry *) data)->message);
}

/* Records the run of @proposal for @event and applies its actions. Only
 * database failures of the runner's own bookkeeping return FALSE (the
 * batch is rolled back); failed actions are logged in the run.
 *
 * The run is looked up first (once per rule, order and event: a run that
 * exists means this one is skipped), then the actions run, then one row
 * records the run with its outcome and detail, the JSON text
 * {"reasons": [...], "depth": n, "actions": [{"action", "result",
 * "error"}]} written straight from the proposal's texts. */
static gboolean
apply_proposal (Runner               *runner,
                const PsRuleEvent    *event,
                const PsRuleProposal *proposal,
                GError              **error)
{
  g_autoptr(GString) detail = g_string_sized_new (256);
  g_autoptr(GArray) retries = NULL;
  g_autofree char *actor_name = NULL;
  gint64 rule_id = ps_rule_get_id (proposal->rule);
  gboolean inserted = FALSE;
  gboolean failed = FALSE;
  PsRuleActor actor;
  gint64 run_id;

  if (!ps_rule_store_find_run_sync (runner->db, rule_id, event->order_id, event->id, &run_id,
                                    error))
    return FALSE;
  if (run_id != 0)
    {
      runner->report->skipped++;
      return TRUE;
    }

  g_string_append (detail, "{\"reasons\":[");
  for (guint i = 0; i < proposal->reasons->len; i++)
    {
      if (i > 0)
        g_string_append_c (detail, ',');
      g_string_append (detail, g_ptr_array_index (proposal->reasons, i));
    }
  g_string_append_printf (detail, "],\"depth\":%d,\"actions\":[", event->depth);

  actor_name = g_strdup_printf ("rule:%" G_GINT64_FORMAT, rule_id);
  actor.actor = actor_name;
  actor.depth = event->depth + 1;
  actor.now = runner->now;

  for (guint i = 0; proposal->outcome == PS_RULE_OUTCOME_FIRE && i < proposal->actions->len; i++)
    {
      const PsRuleAction *action = g_ptr_array_index (proposal->actions, i);
      const char *action_json = g_ptr_array_index (proposal->action_texts, i);
      g_autoptr(GError) action_error = NULL;
      const char *result = "done";
      gboolean changed = TRUE;

      switch (action->type)
        {
        case PS_RULE_ACTION_SEND_EMAIL:
          if (!enqueue_email (runner->db, action, rule_id, event->order_id, event->id,
                              runner->now, &changed, &action_error))
            {
              PendingRetry retry = { i, action_json, g_strdup (action_error->message) };

              result = "retry";
              if (retries == NULL)
                {
                  retries = g_array_new (FALSE, FALSE, sizeof (PendingRetry));
                  g_array_set_clear_func (retries, pending_retry_clear);
                }
              g_array_append_val (retries, retry);
            }
          else if (changed)
            runner->report->emails++;
          break;

        case PS_RULE_ACTION_NOTIFY:
          {
            PsAutomationNotification *n = g_new0 (PsAutomationNotification, 1);

            n->rule_id = rule_id;
            n->rule_name = g_strdup (ps_rule_get_name (proposal->rule));
            n->order_id = event->order_id;
            n->address = g_strdup (action->address);
            n->message = action->text != NULL
                         ? g_strdup (action->text)
                         : g_strdup_printf ("Rule “%s” fired for order %" G_GINT64_FORMAT,
                                            n->rule_name, n->order_id);
            g_info ("Notify %s: %s (rule %" G_GINT64_FORMAT ", order %" G_GINT64_FORMAT ")",
                    n->address, n->message, rule_id, n->order_id);
            g_ptr_array_add (runner->report->notifications, n);
          }
          break;

        case PS_RULE_ACTION_STOP_PROCESSING:
          g_assert_not_reached ();

        case PS_RULE_ACTION_SET_STATUS:
        case PS_RULE_ACTION_ADD_TAG:
        case PS_RULE_ACTION_REMOVE_TAG:
        case PS_RULE_ACTION_SET_PRIORITY:
        case PS_RULE_ACTION_HOLD_UNTIL:
        case PS_RULE_ACTION_ADD_NOTE:
        case PS_RULE_ACTION_SELECT_SERVICE:
        default:
          if (runner->snapshots != NULL)
            g_hash_table_remove (runner->snapshots, &event->order_id);
          if (!ps_rule_store_savepoint_sync (runner->db, error))
            return FALSE;
          if (apply_store_action (runner, &actor, action, rule_id, event->order_id, &changed,
                                  &action_error))
            {
              if (!ps_rule_store_release_sync (runner->db, error))
                return FALSE;
            }
          else
            {
              ps_rule_store_rollback_to_sync (runner->db);
              result = "failed";
            }
          break;
        }

      if (action_error != NULL)
        {
          failed = TRUE;
          g_message ("Rule %" G_GINT64_FORMAT ", order %" G_GINT64_FORMAT ": %s %s: %s",
                     rule_id, event->order_id, ps_rule_action_type_to_nick (action->type),
                     result, action_error->message);
        }
      else if (!changed)
        result = "unchanged";
      append_action_detail (detail, action_json, result,
                            action_error != NULL ? action_error->message : NULL);
    }
  g_string_append (detail, "]}");

  if (proposal->outcome == PS_RULE_OUTCOME_CUT)
    runner->report->cut++;
  else
    {
      runner->report->fired++;
      if (failed)
        runner->report->failed++;
    }

  run_id = ps_rule_store_insert_run_sync (runner->db, rule_id, event->order_id, event->id,
                                          runner->now,
                                          proposal->outcome == PS_RULE_OUTCOME_CUT ? "cut"
                                          : failed ? "failed" : "done",
                                          detail->str, &inserted, error);
  if (run_id == 0)
    return FALSE;
  if (!inserted)
    {
      /* The write transaction holds the lock since the lookup above. */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "Rule %" G_GINT64_FORMAT " was recorded for order %" G_GINT64_FORMAT
                   " and event %" G_GINT64_FORMAT " while it ran", rule_id, event->order_id,
                   event->id);
      return FALSE;
    }

  for (guint i = 0; retries != NULL && i < retries->len; i++)
    {
      const PendingRetry *retry = &g_array_index (retries, PendingRetry, i);

      if (!ps_rule_store_add_retry_sync (runner->db, run_id,
                                         action_index (proposal->rule,
                                                       g_ptr_array_index (proposal->actions,
                                                                          retry->action_index)),
                                         retry->action_json, runner->now + RETRY_FIRST_DELAY,
                                         retry->message, error))
        return FALSE;
    }
  return TRUE;
}

/* The order @event is about, as it is now, loaded once per batch: owned
 * by runner->snapshots, and dropped from it by any store action on the
 * order, so a later event sees the change. NULL with no error when the
 * order went away after the event. */
static const PsOrderSnapshot *
load_snapshot (Runner             *runner,
               const PsRuleEvent  *event,
               GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  PsOrderSnapshot *snapshot = g_hash_table_lookup (runner->snapshots, &event->order_id);

  if (snapshot != NULL)
    return snapshot;
  snapshot = ps_order_store_load_snapshot_sync (runner->db, event->order_id, &local_error);
  if (snapshot == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  g_hash_table_insert (runner->snapshots, g_memdup2 (&event->order_id, sizeof (gint64)),
                       snapshot);
  return snapshot;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Loads the snapshots of the orders of @events in order id order, which
 * reads the tables' pages in file order: at the start of the batch's
 * transaction, nothing but the batch's own store actions (which drop
 * what they change) can change them before their events come up. */
static gboolean
prefetch_snapshots (Runner     *runner,
                    GPtrArray  *events,
                    GError    **error)
{
  g_autoptr(GArray) ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), events->len);

  for (guint i = 0; i < events->len; i++)
    g_array_append_val (ids, ((const PsRuleEvent *) g_ptr_array_index (events, i))->order_id);
  g_array_sort (ids, compare_int64);
  for (guint i = 0; i < ids->len; i++)
    {
      const PsRuleEvent key = { .order_id = g_array_index (ids, gint64, i) };
      g_autoptr(GError) local_error = NULL;

      if (i > 0 && key.order_id == g_array_index (ids, gint64, i - 1))
        continue;
      if (load_snapshot (runner, &key, &local_error) == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return TRUE;
}

/* Evaluates the engine's rules on @event and applies what fires. */
static gboolean
run_event (Runner             *runner,
           PsRuleEngine       *engine,
           const PsRuleEvent  *event,
           GError            **error)
{
  const PsOrderSnapshot *snapshot;
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GError) local_error = NULL;

  if (event->order_id == 0 || !ps_rule_engine_wants_event (engine, event))
    return TRUE;

  snapshot = load_snapshot (runner, event, &local_error);
  if (snapshot == NULL)
    {
      /* The order went away after the event: nothing to act on. */
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* Applying the proposals may drop @snapshot: it is not used after this. */
  proposals = ps_rule_engine_propose (engine, event, snapshot, event->occurred_at, runner->tz);
  for (guint i = 0; i < proposals->len; i++)
    if (!apply_proposal (runner, event, g_ptr_array_index (proposals, i), error))
      return FALSE;
  return TRUE;
}

static gboolean
run_retries (Runner        *runner,
             GError       **error)
{
  g_autoptr(GPtrArray) due = NULL;

  due = ps_rule_store_due_retries_sync (runner->db, runner->now, BATCH, error);
  if (due == NULL)
    return FALSE;
  if (due->len == 0)
    return TRUE;

  if (!ps_database_begin (runner->db, error))
    return FALSE;
  for (guint i = 0; i < due->len; i++)
    {
      const PsRuleRetry *retry = g_ptr_array_index (due, i);
      g_autoptr(GError) action_error = NULL;
      g_autoptr(PsRuleAction) action = NULL;
      g_autoptr(JsonNode) node = json_from_string (retry->action, NULL);
      gboolean created = FALSE;
      const char *state = "done";
      gint64 next = 0;

      if (node != NULL)
        action = ps_rule_action_from_json (node, &action_error);
      else
        g_set_error_literal (&action_error, PS_RULE_ERROR, PS_RULE_ERROR_PARSE,
                             "The stored action is not JSON");

      runner->report->retried++;
      if (action != NULL && action->type == PS_RULE_ACTION_SEND_EMAIL &&
          enqueue_email (runner->db, action, retry->rule_id, retry->order_id, retry->event_id,
                         runner->now, &created, &action_error))
        {
          runner->report->retries_done++;
          if (created)
            runner->report->emails++;
        }
      else
        {
          if (action_error == NULL)
            g_set_error_literal (&action_error, PS_RULE_ERROR, PS_RULE_ERROR_BAD_VALUE,
                                 "Only send_email actions are retried");
          if (retry->attempts + 1 >= MAX_ATTEMPTS || action == NULL)
            state = "gave_up";
          else
            {
              state = "pending";
              next = runner->now + ((gint64) RETRY_FIRST_DELAY << MIN (retry->attempts, 10));
            }
          g_message ("Retry %u of rule %" G_GINT64_FORMAT " for order %" G_GINT64_FORMAT
                     " failed (%s): %s", retry->attempts + 1, retry->rule_id, retry->order_id,
                     state, action_error->message);
        }
      if (!ps_rule_store_retry_result_sync (runner->db, retry, state, next,
                                            action_error != NULL ? action_error->message : NULL,
                                            error))
        goto failed;
    }
  return ps_database_commit (runner->db, error);

failed:
  ps_database_rollback (runner->db);
  return FALSE;
}

/* One batch of events, in one transaction with the cursor after it. */
static gboolean
run_batch (Runner        *runner,
           PsRuleEngine  *engine,
           GPtrArray     *events,
           GError       **error)
{
  g_autoptr(GPtrArray) wanted = g_ptr_array_new_with_free_func (
                                  (GDestroyNotify) ps_rule_event_free);
  PsDatabase *db = runner->db;
  gint64 cursor = ((const PsEventRow *) g_ptr_array_index (events, events->len - 1))->id;

  /* The scheduler's events: their runs were made by the sweep. Events no
   * rule may fire for, or about no order, need no more than counting. */
  for (guint i = 0; i < events->len; i++)
    {
      const PsEventRow *row = g_ptr_array_index (events, i);
      PsRuleEvent *event;

      runner->report->events++;
      if (row->type == PS_EVENT_TYPE_TIME || row->order_id == 0 ||
          !ps_rule_engine_has_trigger (engine, row->type))
        continue;
      event = event_from_row (row);
      if (ps_rule_engine_wants_event (engine, event))
        g_ptr_array_add (wanted, event);
      else
        ps_rule_event_free (event);
    }

  if (!ps_database_begin (db, error))
    return FALSE;
  if (!prefetch_snapshots (runner, wanted, error))
    goto failed;
  for (guint i = 0; i < wanted->len; i++)
    if (!run_event (runner, engine, g_ptr_array_index (wanted, i), error))
      goto failed;
  /* Other writers may change orders between batches. */
  g_hash_table_remove_all (runner->snapshots);
  if (!ps_rule_store_set_cursor_sync (db, cursor, error) || !ps_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  g_hash_table_remove_all (runner->snapshots);
  ps_database_rollback (db);
  return FALSE;
}

/* The event loop of ps_automation_run_pending_sync(): the events after the
 * cursor, BATCH at a time. */
static gboolean
run_batches (Runner        *runner,
             PsRuleEngine  *engine,
             GCancellable  *cancellable,
             GError       **error)
{
  gint64 cursor = ps_rule_store_get_cursor_sync (runner->db);

  for (;;)
    {
      g_autoptr(GPtrArray) events = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      events = ps_rule_store_events_after_sync (runner->db, cursor, BATCH, error);
      if (events == NULL)
        return FALSE;
      if (events->len == 0)
        return TRUE;
      if (!run_batch (runner, engine, events, error))
        return FALSE;
      cursor = ((const PsEventRow *) g_ptr_array_index (events, events->len - 1))->id;
    }
}

/**
 * ps_automation_run_pending_sync:
 * @db: the database
 * @now: the current time (ps_time_now())
 * @tz: the merchant's time zone
 * @cancellable: (nullable): checked between batches
 * @error: return location for an error
 *
 * Processes every event after the cursor, including those the rules'
 * own actions write, batch by batch (one transaction each, the cursor
 * with it), then the retries that are due. Worker thread only.
 *
 * Returns: (transfer full) (nullable): what was done
 */
PsAutomationReport *
ps_automation_run_pending_sync (PsDatabase    *db,
                                gint64         now,
                                GTimeZone     *tz,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_autoptr(PsAutomationReport) report = report_new ();
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(PsRuleEngine) engine = NULL;
  g_autoptr(GHashTable) snapshots = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                           (GDestroyNotify) ps_order_snapshot_free);
  Runner runner = { db, now, tz, report, snapshots };
  gboolean ok;
  int previous_cache;

  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  rules = load_enabled_rules (db, error);
  if (rules == NULL)
    return NULL;

  /* With no rule on, nothing is pending: a rule switched on later starts
   * from the events after that moment. */
  if (rules->len == 0)
    {
      if (!ps_rule_store_skip_to_latest_sync (db, error))
        return NULL;
      if (!run_retries (&runner, error))
        return NULL;
      return g_steal_pointer (&report);
    }

  engine = ps_rule_engine_new ((PsRule * const *) rules->pdata, rules->len);
  previous_cache = ps_rule_store_set_cache_sync (db, RUN_CACHE_SIZE);
  ok = run_batches (&runner, engine, cancellable, error);
  ps_rule_store_set_cache_sync (db, previous_cache);
  if (!ok || !run_retries (&runner, error))
    return NULL;

  return g_steal_pointer (&report);
}

/**
 * ps_automation_sweep_sync:
 * @db: the database
 * @now: the current time
 * @tz: the merchant's time zone
 * @cancellable: (nullable): checked between rules
 * @error: return location for an error
 *
 * One tick of the scheduler: each enabled `time` rule fires for the
 * orders its condition holds for now and it has not fired for (see the
 * top of this file), up to SWEEP_LIMIT orders per rule and tick, in one
 * transaction. Worker thread only.
 *
 * Returns: (transfer full) (nullable): what was done; @events counts the
 *   candidate orders
 */
PsAutomationReport *
ps_automation_sweep_sync (PsDatabase    *db,
                          gint64         now,
                          GTimeZone     *tz,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(PsAutomationReport) report = report_new ();
  g_autoptr(GPtrArray) rules = NULL;
  Runner runner = { db, now, tz, report };

  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  rules = load_enabled_rules (db, error);
  if (rules == NULL)
    return NULL;

  if (!ps_database_begin (db, error))
    return NULL;
  for (guint r = 0; r < rules->len; r++)
    {
      PsRule *rule = g_ptr_array_index (rules, r);
      g_autoptr(GArray) candidates = NULL;
      g_autoptr(PsRuleEngine) engine = NULL;

      if (ps_rule_get_trigger (rule) != PS_EVENT_TYPE_TIME)
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto failed;

      candidates = ps_rule_store_time_candidates_sync (db, ps_rule_get_id (rule),
                                                       ps_rule_get_condition (rule),
                                                       ps_rule_get_repeat_after_days (rule),
                                                       now, tz, SWEEP_LIMIT, error);
      if (candidates == NULL)
        goto failed;

      engine = ps_rule_engine_new (&rule, 1);
      for (guint i = 0; i < candidates->len; i++)
        {
          gint64 order_id = g_array_index (candidates, gint64, i);
          g_autoptr(PsOrderSnapshot) snapshot = NULL;
          g_autoptr(GPtrArray) proposals = NULL;
          g_autoptr(PsRuleEvent) event = NULL;
          g_autofree char *data = NULL;

          report->events++;
          snapshot = ps_order_store_load_snapshot_sync (db, order_id, error);
          if (snapshot == NULL)
            goto failed;
          event = ps_rule_event_new (PS_EVENT_TYPE_TIME, now, order_id);
          proposals = ps_rule_engine_propose (engine, event, snapshot, now, tz);
          if (proposals->len == 0)
            {
              g_warning ("Rule %" G_GINT64_FORMAT ": SQL and memory disagree on order %"
                         G_GINT64_FORMAT, ps_rule_get_id (rule), order_id);
              continue;
            }
          data = g_strdup_printf ("{\"rule\":%" G_GINT64_FORMAT "}", ps_rule_get_id (rule));
          event->id = ps_rule_store_add_event_sync (db, PS_EVENT_TYPE_TIME, now, order_id,
                                                    "clock", data, error);
          if (event->id == 0 || !apply_proposal (&runner, event, g_ptr_array_index (proposals, 0),
                                                 error))
            goto failed;
        }
    }
  if (!ps_database_commit (db, error))
    goto failed;
  return g_steal_pointer (&report);

failed:
  ps_database_rollback (db);
  return NULL;
}

static void
count_fire (PsDryRun *dry_run,
            GHashTable *seen,
            gint64    order_id)
{
  if (g_hash_table_add (seen, g_memdup2 (&order_id, sizeof order_id)))
    g_array_append_val (dry_run->order_ids, order_id);
}

static void
add_dry_fire (PsDryRun             *dry_run,
              GHashTable           *seen,
              const PsRuleEvent    *event,
              const PsRuleProposal *proposal)
{
  PsDryRunFire *fire = g_new0 (PsDryRunFire, 1);

  fire->event_id = event->id;
  fire->order_id = event->order_id;
  fire->occurred_at = event->occurred_at;
  fire->cut = proposal->outcome == PS_RULE_OUTCOME_CUT;
  fire->proposal = ps_rule_proposal_to_json (proposal);
  g_ptr_array_add (dry_run->fires, fire);
  count_fire (dry_run, seen, event->order_id);
}

/**
 * ps_automation_dry_run_sync:
 * @db: the database
 * @rule: the rule, enabled or not, stored or not
 * @since: replay events from this moment
 * @now: up to this moment
 * @tz: the merchant's time zone (business days, fires per day)
 * @cancellable: (nullable): checked every 1,000 events
 * @error: return location for an error
 *
 * What @rule would have done over the stored events of its trigger
 * between @since and @now, evaluated exactly as the runner does (each
 * event with its own time as "now", on the order as it is now), writing
 * nothing. A time rule is asked the sweep's question at @now. Worker
 * thread only.
 *
 * Returns: (transfer full) (nullable): the dry run
 */
PsDryRun *
ps_automation_dry_run_sync (PsDatabase    *db,
                            PsRule        *rule,
                            gint64         since,
                            gint64         now,
                            GTimeZone     *tz,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(PsDryRun) dry_run = g_new0 (PsDryRun, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(PsRuleEngine) engine = NULL;
  gint64 first_day;

  g_return_val_if_fail (PS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (rule != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  dry_run->since = since;
  dry_run->until = now;
  dry_run->fires = g_ptr_array_new_with_free_func ((GDestroyNotify) dry_run_fire_free);
  dry_run->order_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  dry_run->per_day = g_array_new (FALSE, FALSE, sizeof (PsDryRunDay));
  engine = ps_rule_engine_new (&rule, 1);

  if (ps_rule_get_trigger (rule) == PS_EVENT_TYPE_TIME)
    {
      g_autoptr(GArray) candidates = NULL;

      /* A rule not stored yet has id 0: no run of it exists. */
      candidates = ps_rule_store_time_candidates_sync (db, ps_rule_get_id (rule),
                                                       ps_rule_get_condition (rule),
                                                       ps_rule_get_repeat_after_days (rule),
                                                       now, tz, G_MAXINT, error);
      if (candidates == NULL)
        return NULL;
      dry_run->since = now;
      for (guint i = 0; i < candidates->len; i++)
        {
          gint64 order_id = g_array_index (candidates, gint64, i);
          g_autoptr(PsRuleEvent) event = ps_rule_event_new (PS_EVENT_TYPE_TIME, now, order_id);
          g_autoptr(PsOrderSnapshot) snapshot = NULL;
          g_autoptr(GPtrArray) proposals = NULL;

          dry_run->events++;
          snapshot = ps_order_store_load_snapshot_sync (db, order_id, error);
          if (snapshot == NULL)
            return NULL;
          proposals = ps_rule_engine_propose (engine, event, snapshot, now, tz);
          if (proposals->len > 0)
            add_dry_fire (dry_run, seen, event, g_ptr_array_index (proposals, 0));
        }
    }
  else
    {
      g_autoptr(GPtrArray) events = NULL;

      events = ps_rule_store_events_between_sync (db, ps_rule_get_trigger (rule), since, now,
                                                  error);
      if (events == NULL)
        return NULL;
      for (guint i = 0; i < events->len; i++)
        {
          g_autoptr(PsRuleEvent) event = event_from_row (g_ptr_array_index (events, i));
          g_autoptr(PsOrderSnapshot) snapshot = NULL;
          g_autoptr(GPtrArray) proposals = NULL;
          g_autoptr(GError) local_error = NULL;

          if (i % 1000 == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
            return NULL;
          dry_run->events++;
          if (event->order_id == 0 || !ps_rule_engine_event_matches (rule, event))
            continue;
          snapshot = ps_order_store_load_snapshot_sync (db, event->order_id, &local_error);
          if (snapshot == NULL)
            {
              if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
                continue;
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          proposals = ps_rule_engine_propose (engine, event, snapshot, event->occurred_at, tz);
          if (proposals->len > 0)
            add_dry_fire (dry_run, seen, event, g_ptr_array_index (proposals, 0));
        }
    }

  /* Fires per day, every day of the range in the merchant's time zone. */
  first_day = ps_time_day_start (dry_run->since, tz);
  for (gint64 day = first_day; day <= dry_run->until;
       day = ps_time_day_start (day + 36 * 3600, tz))
    {
      PsDryRunDay entry = { day, 0 };

      g_array_append_val (dry_run->per_day, entry);
    }
  for (guint i = 0; i < dry_run->fires->len; i++)
    {
      const PsDryRunFire *fire = g_ptr_array_index (dry_run->fires, i);
      gint64 day = ps_time_day_start (fire->occurred_at, tz);

      for (guint d = 0; d < dry_run->per_day->len; d++)
        {
          PsDryRunDay *entry = &g_array_index (dry_run->per_day, PsDryRunDay, d);

          if (entry->day == day)
            {
              entry->fires++;
              break;
            }
        }
    }

  return g_steal_pointer (&dry_run);
}

/* The GObject: async API for the UI */

typedef enum
{
  OP_LIST_RULES,
  OP_GET_RULE,
  OP_SAVE_RULE,
  OP_DELETE_RULE,
  OP_SET_ENABLED,
  OP_MOVE_RULE,
  OP_LIST_RUNS,
  OP_ADD_TEMPLATES,
  OP_RUN_PENDING,
  OP_SWEEP,
  OP_DRY_RUN,
} Op;

typedef struct
{
  Op          op;
  GTimeZone  *tz;
  PsRule     *rule;      /* a copy: the caller may edit its own */
  gint64      rule_id;
  gint64      since;
  int         position;
  guint       limit;
  gboolean    enabled;
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->tz, g_time_zone_unref);
  g_clear_pointer (&job->rule, ps_rule_unref);
  g_free (job);
}

static gpointer
job_run (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Job *job = data;
  gint64 now = ps_time_now ();

  switch (job->op)
    {
    case OP_LIST_RULES:
      return ps_rule_store_list_sync (db, now, error);
    case OP_GET_RULE:
      return ps_automation_get_rule_sync (db, job->rule_id, error);
    case OP_SAVE_RULE:
      {
        gint64 id = ps_automation_save_rule_sync (db, job->rule, now, error);

        return id != 0 ? g_memdup2 (&id, sizeof id) : NULL;
      }
    case OP_DELETE_RULE:
      return ps_rule_store_delete_sync (db, job->rule_id, error) ? GINT_TO_POINTER (TRUE) : NULL;
    case OP_SET_ENABLED:
      return ps_rule_store_set_enabled_sync (db, job->rule_id, job->enabled, now, error)
             ? GINT_TO_POINTER (TRUE) : NULL;
    case OP_MOVE_RULE:
      return ps_rule_store_move_sync (db, job->rule_id, job->position, error)
             ? GINT_TO_POINTER (TRUE) : NULL;
    case OP_LIST_RUNS:
      return ps_rule_store_list_runs_sync (db, job->rule_id, job->limit, error);
    case OP_ADD_TEMPLATES:
      return ps_automation_add_templates_sync (db, now, error);
    case OP_RUN_PENDING:
      return ps_automation_run_pending_sync (db, now, job->tz, cancellable, error);
    case OP_SWEEP:
      return ps_automation_sweep_sync (db, now, job->tz, cancellable, error);
    case OP_DRY_RUN:
      return ps_automation_dry_run_sync (db, job->rule, job->since, now, job->tz, cancellable,
                                         error);
    default:
      g_assert_not_reached ();
    }
}

static GDestroyNotify
result_free_for (Op op)
{
  switch (op)
    {
    case OP_LIST_RULES:
    case OP_LIST_RUNS:
      return (GDestroyNotify) g_ptr_array_unref;
    case OP_GET_RULE:
      return (GDestroyNotify) ps_rule_unref;
    case OP_ADD_TEMPLATES:
      return (GDestroyNotify) g_array_unref;
    case OP_SAVE_RULE:
      return g_free;
    case OP_RUN_PENDING:
    case OP_SWEEP:
      return (GDestroyNotify) ps_automation_report_free;
    case OP_DRY_RUN:
      return (GDestroyNotify) ps_dry_run_free;
    case OP_DELETE_RULE:
    case OP_SET_ENABLED:
    case OP_MOVE_RULE:
    default:
      return NULL;
    }
}

static Job *
job_new (PsAutomationService *self,
         Op                   op)
{
  Job *job = g_new0 (Job, 1);

  job->op = op;
  job->tz = g_time_zone_ref (self->tz);
  return job;
}

static void
queue_job (PsAutomationService *self,
           Job                 *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  ps_database_run_for_async (self->database, self, source_tag, job_run, job,
                             (GDestroyNotify) job_free, result_free_for (job->op), cancellable,
                             callback, user_data);
}

static gpointer
finish_job (PsAutomationService  *self,
            GAsyncResult         *result,
            gpointer              source_tag,
            GError              **error)
{
  g_return_val_if_fail (PS_IS_AUTOMATION_SERVICE (self), NULL);

  return ps_database_run_for_finish (result, self, source_tag, error);
}

/**
 * ps_automation_service_list_rules_async:
 * @self: the service
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result on the caller's main context
 * @user_data: data for @callback
 *
 * Lists the rules for the Automations page: each #PsRuleRow has the
 * switch state, last fired and fires in the last 7 days; parse a row's
 * definition with ps_automation_rule_from_row().
 */
void
ps_automation_service_list_rules_async (PsAutomationService *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  queue_job (self, job_new (self, OP_LIST_RULES), ps_automation_service_list_rules_async,
             cancellable, callback, user_data);
}

/**
 * ps_automation_service_list_rules_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsRuleRow): the rules in
 *   evaluation order
 */
GPtrArray *
ps_automation_service_list_rules_finish (PsAutomationService  *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  return finish_job (self, result, ps_automation_service_list_rules_async, error);
}

/**
 * ps_automation_service_get_rule_async:
 * @self: the service
 * @rule_id: the rule
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Loads one rule for the editor.
 */
void
ps_automation_service_get_rule_async (PsAutomationService *self,
                                      gint64               rule_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  job = job_new (self, OP_GET_RULE);
  job->rule_id = rule_id;
  queue_job (self, job, ps_automation_service_get_rule_async, cancellable, callback, user_data);
}

/**
 * ps_automation_service_get_rule_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error (%G_IO_ERROR_NOT_FOUND, a
 *   #PS_RULE_ERROR for an unreadable definition)
 *
 * Returns: (transfer full) (nullable): the rule
 */
PsRule *
ps_automation_service_get_rule_finish (PsAutomationService  *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  return finish_job (self, result, ps_automation_service_get_rule_async, error);
}

/**
 * ps_automation_service_save_rule_async:
 * @self: the service
 * @rule: the rule; id 0 adds it (after the others), otherwise it is
 *   updated. A copy is saved, so @rule may be edited meanwhile.
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Validates and stores a rule (ps_automation_save_rule_sync()).
 */
void
ps_automation_service_save_rule_async (PsAutomationService *self,
                                       PsRule              *rule,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));
  g_return_if_fail (rule != NULL);

  job = job_new (self, OP_SAVE_RULE);
  job->rule = ps_rule_copy (rule);
  queue_job (self, job, ps_automation_service_save_rule_async, cancellable, callback, user_data);
}

/**
 * ps_automation_service_save_rule_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error (a #PS_RULE_ERROR naming the
 *   field for an invalid rule)
 *
 * Returns: the rule's id (new for an added rule), 0 on failure
 */
gint64
ps_automation_service_save_rule_finish (PsAutomationService  *self,
                                        GAsyncResult         *result,
                                        GError              **error)
{
  g_autofree gint64 *id = finish_job (self, result, ps_automation_service_save_rule_async,
                                      error);

  return id != NULL ? *id : 0;
}

/**
 * ps_automation_service_delete_rule_async:
 * @self: the service
 * @rule_id: the rule
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Deletes a rule and its activity log.
 */
void
ps_automation_service_delete_rule_async (PsAutomationService *self,
                                         gint64               rule_id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  job = job_new (self, OP_DELETE_RULE);
  job->rule_id = rule_id;
  queue_job (self, job, ps_automation_service_delete_rule_async, cancellable, callback,
             user_data);
}

/**
 * ps_automation_service_delete_rule_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ps_automation_service_delete_rule_finish (PsAutomationService  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return finish_job (self, result, ps_automation_service_delete_rule_async, error) != NULL;
}

/**
 * ps_automation_service_set_enabled_async:
 * @self: the service
 * @rule_id: the rule
 * @enabled: the switch's new state
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Switches a rule on or off. A rule switched on acts on events from the
 * runner's next pass on; it never replays the past (use a dry run).
 */
void
ps_automation_service_set_enabled_async (PsAutomationService *self,
                                         gint64               rule_id,
                                         gboolean             enabled,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  job = job_new (self, OP_SET_ENABLED);
  job->rule_id = rule_id;
  job->enabled = enabled;
  queue_job (self, job, ps_automation_service_set_enabled_async, cancellable, callback,
             user_data);
}

/**
 * ps_automation_service_set_enabled_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ps_automation_service_set_enabled_finish (PsAutomationService  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return finish_job (self, result, ps_automation_service_set_enabled_async, error) != NULL;
}

/**
 * ps_automation_service_move_rule_async:
 * @self: the service
 * @rule_id: the rule
 * @position: its new place in the evaluation order, 0 for first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reorders rules (drag and drop on the Automations page).
 */
void
ps_automation_service_move_rule_async (PsAutomationService *self,
                                       gint64               rule_id,
                                       int                  position,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  job = job_new (self, OP_MOVE_RULE);
  job->rule_id = rule_id;
  job->position = position;
  queue_job (self, job, ps_automation_service_move_rule_async, cancellable, callback, user_data);
}

/**
 * ps_automation_service_move_rule_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ps_automation_service_move_rule_finish (PsAutomationService  *self,
                                        GAsyncResult         *result,
                                        GError              **error)
{
  return finish_job (self, result, ps_automation_service_move_rule_async, error) != NULL;
}

/**
 * ps_automation_service_list_runs_async:
 * @self: the service
 * @rule_id: one rule, or 0 for all
 * @limit: at most this many, newest first
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * The activity log: each run with rule, order, event, the conditions that
 * held and the actions done or failed, and why (#PsRuleRun).
 */
void
ps_automation_service_list_runs_async (PsAutomationService *self,
                                       gint64               rule_id,
                                       guint                limit,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  job = job_new (self, OP_LIST_RUNS);
  job->rule_id = rule_id;
  job->limit = limit;
  queue_job (self, job, ps_automation_service_list_runs_async, cancellable, callback, user_data);
}

/**
 * ps_automation_service_list_runs_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsRuleRun): the runs
 */
GPtrArray *
ps_automation_service_list_runs_finish (PsAutomationService  *self,
                                        GAsyncResult         *result,
                                        GError              **error)
{
  return finish_job (self, result, ps_automation_service_list_runs_async, error);
}

/**
 * ps_automation_service_add_templates_async:
 * @self: the service
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Adds the seed examples (ps_rule_templates()), disabled.
 */
void
ps_automation_service_add_templates_async (PsAutomationService *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  queue_job (self, job_new (self, OP_ADD_TEMPLATES), ps_automation_service_add_templates_async,
             cancellable, callback, user_data);
}

/**
 * ps_automation_service_add_templates_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type gint64): the new rules' ids
 */
GArray *
ps_automation_service_add_templates_finish (PsAutomationService  *self,
                                            GAsyncResult         *result,
                                            GError              **error)
{
  return finish_job (self, result, ps_automation_service_add_templates_async, error);
}

/* Runs and sweeps: the notifications are emitted on the main thread
 * before the caller's callback sees the report. */

static void
report_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PsAutomationService *self = PS_AUTOMATION_SERVICE (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  PsAutomationReport *report;

  report = ps_database_run_for_finish (result, self, g_task_get_source_tag (task), &error);
  if (report == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  for (guint i = 0; i < report->notifications->len; i++)
    g_signal_emit (self, signals[NOTIFICATION], 0, g_ptr_array_index (report->notifications, i));
  g_task_return_pointer (task, report, (GDestroyNotify) ps_automation_report_free);
}

static void
queue_report_job (PsAutomationService *self,
                  Op                   op,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  queue_job (self, job_new (self, op), source_tag, cancellable, report_done_cb, task);
}

static PsAutomationReport *
finish_report (PsAutomationService  *self,
               GAsyncResult         *result,
               gpointer              source_tag,
               GError              **error)
{
  g_return_val_if_fail (PS_IS_AUTOMATION_SERVICE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_automation_service_run_pending_async:
 * @self: the service
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the report
 * @user_data: data for @callback
 *
 * Processes the events since the last pass (ps_automation_run_pending_sync())
 * on the database worker; ::notification is emitted for each notify
 * action before @callback runs.
 */
void
ps_automation_service_run_pending_async (PsAutomationService *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  queue_report_job (self, OP_RUN_PENDING, ps_automation_service_run_pending_async, cancellable,
                    callback, user_data);
}

/**
 * ps_automation_service_run_pending_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the pass did
 */
PsAutomationReport *
ps_automation_service_run_pending_finish (PsAutomationService  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  return finish_report (self, result, ps_automation_service_run_pending_async, error);
}

/**
 * ps_automation_service_sweep_async:
 * @self: the service
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the report
 * @user_data: data for @callback
 *
 * One tick of the time scheduler (ps_automation_sweep_sync()).
 */
void
ps_automation_service_sweep_async (PsAutomationService *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  queue_report_job (self, OP_SWEEP, ps_automation_service_sweep_async, cancellable, callback,
                    user_data);
}

/**
 * ps_automation_service_sweep_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the sweep did
 */
PsAutomationReport *
ps_automation_service_sweep_finish (PsAutomationService  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  return finish_report (self, result, ps_automation_service_sweep_async, error);
}

/**
 * ps_automation_service_dry_run_async:
 * @self: the service
 * @rule: the rule to test (a copy is taken; it need not be stored)
 * @since: replay the events from this moment to now
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * "Test against history" (ps_automation_dry_run_sync()): writes nothing.
 */
void
ps_automation_service_dry_run_async (PsAutomationService *self,
                                     PsRule              *rule,
                                     gint64               since,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  Job *job;

  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));
  g_return_if_fail (rule != NULL);

  job = job_new (self, OP_DRY_RUN);
  job->rule = ps_rule_copy (rule);
  job->since = since;
  queue_job (self, job, ps_automation_service_dry_run_async, cancellable, callback, user_data);
}

/**
 * ps_automation_service_dry_run_finish:
 * @self: the service
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the dry run
 */
PsDryRun *
ps_automation_service_dry_run_finish (PsAutomationService  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  return finish_job (self, result, ps_automation_service_dry_run_async, error);
}

/* The scheduler */

static void
tick_sweep_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  PsAutomationService *self = PS_AUTOMATION_SERVICE (object);
  g_autoptr(PsAutomationReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = ps_automation_service_sweep_finish (self, result, &error);
  if (report == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Automation sweep failed: %s", error->message);
  self->busy = FALSE;
  g_object_unref (self);
}

static void
tick_run_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PsAutomationService *self = PS_AUTOMATION_SERVICE (object);
  g_autoptr(PsAutomationReport) report = NULL;
  g_autoptr(GError) error = NULL;

  report = ps_automation_service_run_pending_finish (self, result, &error);
  if (report == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Automation run failed: %s", error->message);
  /* The reference taken in tick_cb moves on to the sweep. */
  ps_automation_service_sweep_async (self, self->cancellable, tick_sweep_cb, NULL);
}

static gboolean
tick_cb (gpointer user_data)
{
  PsAutomationService *self = user_data;

  if (!self->busy)
    {
      self->busy = TRUE;
      ps_automation_service_run_pending_async (self, self->cancellable, tick_run_cb,
                                               g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

/**
 * ps_automation_service_start:
 * @self: the service
 * @interval_seconds: seconds between passes
 *
 * Runs pending events, then a time sweep, now and every
 * @interval_seconds on the thread-default main context; a pass still
 * running makes the next tick wait. Main thread only.
 */
void
ps_automation_service_start (PsAutomationService *self,
                             guint                interval_seconds)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));
  g_return_if_fail (interval_seconds > 0);

  ps_automation_service_stop (self);
  self->cancellable = g_cancellable_new ();
  self->timer_id = g_timeout_add_seconds (interval_seconds, tick_cb, self);
  tick_cb (self);
}

/**
 * ps_automation_service_stop:
 * @self: the service
 *
 * Stops the periodic passes and cancels one under way.
 */
void
ps_automation_service_stop (PsAutomationService *self)
{
  g_return_if_fail (PS_IS_AUTOMATION_SERVICE (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* GObject */

static void
ps_automation_service_dispose (GObject *object)
{
  PsAutomationService *self = PS_AUTOMATION_SERVICE (object);

  ps_automation_service_stop (self);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_automation_service_parent_class)->dispose (object);
}

static void
ps_automation_service_finalize (GObject *object)
{
  PsAutomationService *self = PS_AUTOMATION_SERVICE (object);

  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (ps_automation_service_parent_class)->finalize (object);
}

static void
ps_automation_service_class_init (PsAutomationServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_automation_service_dispose;
  object_class->finalize = ps_automation_service_finalize;

  /**
   * PsAutomationService::notification:
   * @self: the service
   * @notification: (type gpointer): the #PsAutomationNotification, valid
   *   during the emission
   *
   * A rule's notify action ran (the UI raises a GNotification). Emitted
   * on the main thread, after the run committed. (GObject's own
   * ::notify is taken, hence the name.)
   */
  signals[NOTIFICATION] = g_signal_new ("notification", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
ps_automation_service_init (PsAutomationService *self)
{
}

/**
 * ps_automation_service_new:
 * @database: the database
 * @tz: (nullable): the merchant's time zone; %NULL for the local one
 *
 * Returns: (transfer full): a new service; call
 *   ps_automation_service_start() to run rules periodically
 */
PsAutomationService *
ps_automation_service_new (PsDatabase *database,
                           GTimeZone  *tz)
{
  PsAutomationService *self;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  self = g_object_new (PS_TYPE_AUTOMATION_SERVICE, NULL);
  self->database = g_object_ref (database);
  self->tz = tz != NULL ? g_time_zone_ref (tz) : g_time_zone_new_local ();
  return self;
}

/**
 * ps_automation_service_get_database:
 * @self: the service
 *
 * Returns: (transfer none): the database
 */
PsDatabase *
ps_automation_service_get_database (PsAutomationService *self)
{
  g_return_val_if_fail (PS_IS_AUTOMATION_SERVICE (self), NULL);
  return self->database;
}
