/* ps-cli-rules.c: postsale-cli rules
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Automations from the command line:
 *   rules list [--json]              {"rules": [{"id", "name", "trigger", "enabled",
 *                                     "position", "last_fired_at", "fires_7d"}]}
 *   rules add FILE.json [--enable]   adds a rule (JSON, see ps-rule.c); {"id": N}
 *   rules add-templates              adds the seed examples, disabled
 *   rules enable|disable ID
 *   rules delete ID
 *   rules dry-run ID [--since DATE]  {"fires": N, "orders": [ids], "per_day", "runs"}
 *   rules run                        pending events once, then one time sweep
 *   rules log [ID] [--limit N]       the activity log, newest first
 * Everything runs in one job on the database worker.
 */

#define G_LOG_DOMAIN "ps-cli-rules"

#include "config.h"

#include <stdio.h>

#include "ps-automation-service.h"
#include "ps-cli-private.h"
#include "ps-enum-types.h"
#include "ps-time.h"

typedef enum
{
  ACTION_LIST,
  ACTION_ADD,
  ACTION_ADD_TEMPLATES,
  ACTION_ENABLE,
  ACTION_DISABLE,
  ACTION_DELETE,
  ACTION_DRY_RUN,
  ACTION_RUN,
  ACTION_LOG,
} Action;

typedef struct
{
  Action      action;
  gint64      rule_id;
  PsRule     *rule;        /* add */
  gint64      since;
  guint       limit;
  gint64      now;
  GTimeZone  *tz;

  GPtrArray          *rows;      /* list: PsRuleRow; log: PsRuleRun */
  GArray             *ids;       /* add-templates */
  PsDryRun           *dry_run;
  PsAutomationReport *report;
  PsAutomationReport *sweep;
} RulesJob;

static gpointer
rules_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  RulesJob *job = data;

  switch (job->action)
    {
    case ACTION_LIST:
      job->rows = ps_rule_store_list_sync (db, job->now, error);
      return job->rows != NULL ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_ADD:
      job->rule_id = ps_automation_save_rule_sync (db, job->rule, job->now, error);
      return job->rule_id != 0 ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_ADD_TEMPLATES:
      job->ids = ps_automation_add_templates_sync (db, job->now, error);
      return job->ids != NULL ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_ENABLE:
    case ACTION_DISABLE:
      return ps_rule_store_set_enabled_sync (db, job->rule_id, job->action == ACTION_ENABLE,
                                             job->now, error)
             ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_DELETE:
      return ps_rule_store_delete_sync (db, job->rule_id, error) ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_DRY_RUN:
      job->rule = ps_automation_get_rule_sync (db, job->rule_id, error);
      if (job->rule == NULL)
        return NULL;
      job->dry_run = ps_automation_dry_run_sync (db, job->rule, job->since, job->now, job->tz,
                                                 cancellable, error);
      return job->dry_run != NULL ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_RUN:
      job->report = ps_automation_run_pending_sync (db, job->now, job->tz, cancellable, error);
      if (job->report == NULL)
        return NULL;
      job->sweep = ps_automation_sweep_sync (db, job->now, job->tz, cancellable, error);
      return job->sweep != NULL ? GINT_TO_POINTER (TRUE) : NULL;

    case ACTION_LOG:
      job->rows = ps_rule_store_list_runs_sync (db, job->rule_id, job->limit, error);
      return job->rows != NULL ? GINT_TO_POINTER (TRUE) : NULL;

    default:
      g_assert_not_reached ();
    }
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_report (JsonBuilder              *b,
            const char               *name,
            const PsAutomationReport *report)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_int (b, "events", report->events);
  add_int (b, "fired", report->fired);
  add_int (b, "failed", report->failed);
  add_int (b, "cut", report->cut);
  add_int (b, "skipped", report->skipped);
  add_int (b, "emails", report->emails);
  add_int (b, "retried", report->retried);
  add_int (b, "retries_done", report->retries_done);
  json_builder_set_member_name (b, "notifications");
  json_builder_begin_array (b);
  for (guint i = 0; i < report->notifications->len; i++)
    {
      const PsAutomationNotification *n = g_ptr_array_index (report->notifications, i);

      json_builder_begin_object (b);
      add_int (b, "rule", n->rule_id);
      add_int (b, "order", n->order_id);
      json_builder_set_member_name (b, "address");
      json_builder_add_string_value (b, n->address);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, n->message);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
print_json_node (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
  json_node_unref (root);
}

static void
print_report (const char               *what,
              const PsAutomationReport *report)
{
  printf ("%s: %u looked at, %u fired (%u with a failed action), %u cut, %u already done, "
          "%u emails queued, %u retries (%u succeeded)\n",
          what, report->events, report->fired, report->failed, report->cut, report->skipped,
          report->emails, report->retried, report->retries_done);
  for (guint i = 0; i < report->notifications->len; i++)
    {
      const PsAutomationNotification *n = g_ptr_array_index (report->notifications, i);

      printf ("Notify %s: %s\n", n->address, n->message);
    }
}

static int
print_result (PsCliGlobals *globals,
              RulesJob     *job)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  switch (job->action)
    {
    case ACTION_LIST:
      json_builder_set_member_name (b, "rules");
      json_builder_begin_array (b);
      for (guint i = 0; i < job->rows->len; i++)
        {
          const PsRuleRow *row = g_ptr_array_index (job->rows, i);
          const char *trigger = ps_enum_to_nick (PS_TYPE_EVENT_TYPE, row->trigger);

          if (!globals->json)
            {
              printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%u fires in 7 days\n", row->id,
                      row->enabled ? "on" : "off", trigger != NULL ? trigger : "?", row->name,
                      row->fires_7d);
              continue;
            }
          json_builder_begin_object (b);
          add_int (b, "id", row->id);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, row->name);
          json_builder_set_member_name (b, "trigger");
          json_builder_add_string_value (b, trigger);
          json_builder_set_member_name (b, "enabled");
          json_builder_add_boolean_value (b, row->enabled);
          add_int (b, "position", row->position);
          json_builder_set_member_name (b, "last_fired_at");
          if (row->last_fired_at != 0)
            json_builder_add_int_value (b, row->last_fired_at);
          else
            json_builder_add_null_value (b);
          add_int (b, "fires_7d", row->fires_7d);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      break;

    case ACTION_ADD:
      add_int (b, "id", job->rule_id);
      if (!globals->json)
        printf ("Added rule %" G_GINT64_FORMAT " “%s”%s\n", job->rule_id,
                ps_rule_get_name (job->rule), ps_rule_get_enabled (job->rule) ? ", enabled" : "");
      break;

    case ACTION_ADD_TEMPLATES:
      json_builder_set_member_name (b, "ids");
      json_builder_begin_array (b);
      for (guint i = 0; i < job->ids->len; i++)
        {
          json_builder_add_int_value (b, g_array_index (job->ids, gint64, i));
          if (!globals->json)
            printf ("Added template rule %" G_GINT64_FORMAT " (disabled)\n",
                    g_array_index (job->ids, gint64, i));
        }
      json_builder_end_array (b);
      break;

    case ACTION_ENABLE:
    case ACTION_DISABLE:
    case ACTION_DELETE:
      add_int (b, "id", job->rule_id);
      json_builder_set_member_name (b, job->action == ACTION_DELETE ? "deleted" : "enabled");
      json_builder_add_boolean_value (b, job->action != ACTION_DISABLE);
      if (!globals->json)
        printf ("Rule %" G_GINT64_FORMAT " %s\n", job->rule_id,
                job->action == ACTION_ENABLE ? "enabled"
                : job->action == ACTION_DISABLE ? "disabled" : "deleted");
      break;

    case ACTION_DRY_RUN:
      if (globals->json)
        {
          print_json_node (ps_dry_run_to_json (job->dry_run));
          return 0;
        }
      printf ("Rule %" G_GINT64_FORMAT " “%s” would have fired %u times for %u orders "
              "(%u events looked at)\n", job->rule_id, ps_rule_get_name (job->rule),
              job->dry_run->fires->len, job->dry_run->order_ids->len, job->dry_run->events);
      for (guint i = 0; i < job->dry_run->per_day->len; i++)
        {
          const PsDryRunDay *day = &g_array_index (job->dry_run->per_day, PsDryRunDay, i);
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (day->day);
          g_autofree char *text = g_date_time_format (dt, "%Y-%m-%d");

          if (day->fires > 0)
            printf ("%s\t%u\n", text, day->fires);
        }
      break;

    case ACTION_RUN:
      add_report (b, "events", job->report);
      add_report (b, "sweep", job->sweep);
      if (!globals->json)
        {
          print_report ("Events", job->report);
          print_report ("Time rules", job->sweep);
        }
      break;

    case ACTION_LOG:
      json_builder_set_member_name (b, "runs");
      json_builder_begin_array (b);
      for (guint i = 0; i < job->rows->len; i++)
        {
          const PsRuleRun *run = g_ptr_array_index (job->rows, i);

          if (!globals->json)
            {
              printf ("%" G_GINT64_FORMAT "\trule %" G_GINT64_FORMAT "\torder %s\t%s\t%s\t%s\n",
                      run->ran_at, run->rule_id,
                      run->order_number != NULL ? run->order_number : "-",
                      run->event_type != NULL ? run->event_type : "-", run->outcome,
                      run->detail != NULL ? run->detail : "");
              continue;
            }
          json_builder_begin_object (b);
          add_int (b, "id", run->id);
          add_int (b, "rule", run->rule_id);
          add_int (b, "order", run->order_id);
          add_int (b, "event", run->event_id);
          add_int (b, "ran_at", run->ran_at);
          json_builder_set_member_name (b, "outcome");
          json_builder_add_string_value (b, run->outcome);
          add_int (b, "pending_retries", run->pending_retries);
          json_builder_set_member_name (b, "detail");
          if (run->detail != NULL)
            json_builder_add_value (b, json_from_string (run->detail, NULL));
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      break;

    default:
      g_assert_not_reached ();
    }
  json_builder_end_object (b);

  if (globals->json)
    _ps_cli_print_json (b);
  return 0;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  char *end = NULL;

  *id = g_ascii_strtoll (text, &end, 10);
  return end != NULL && *end == '\0' && *id > 0;
}

static void
job_clear (RulesJob *job)
{
  g_clear_pointer (&job->rule, ps_rule_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_clear_pointer (&job->ids, g_array_unref);
  g_clear_pointer (&job->dry_run, ps_dry_run_free);
  g_clear_pointer (&job->report, ps_automation_report_free);
  g_clear_pointer (&job->sweep, ps_automation_report_free);
}

int _ps_cli_rules (PsCliGlobals *globals, int argc, char **argv);

int
_ps_cli_rules (PsCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autofree char *since_text = NULL;
  gboolean enable = FALSE;
  int limit = 50;
  const GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text,
      "dry-run: replay events from DATE (YYYY-MM-DD or ISO 8601; default: 30 days ago)",
      "DATE" },
    { "enable", 0, 0, G_OPTION_ARG_NONE, &enable, "add: switch the rule on at once", NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "log: at most N runs (default 50)", "N" },
    { NULL }
  };
  static const struct { const char *name; Action action; int min_args; int max_args; } actions[] = {
    { "list", ACTION_LIST, 0, 0 },
    { "add", ACTION_ADD, 1, 1 },
    { "add-templates", ACTION_ADD_TEMPLATES, 0, 0 },
    { "enable", ACTION_ENABLE, 1, 1 },
    { "disable", ACTION_DISABLE, 1, 1 },
    { "delete", ACTION_DELETE, 1, 1 },
    { "dry-run", ACTION_DRY_RUN, 1, 1 },
    { "run", ACTION_RUN, 0, 0 },
    { "log", ACTION_LOG, 0, 1 },
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GError) error = NULL;
  RulesJob job = { 0 };
  int exit_code = 0;
  int n_args;
  guint a;

  options = _ps_cli_option_context_new (globals, "rules",
                                        "list | add FILE.json | add-templates | enable ID | "
                                        "disable ID | delete ID | dry-run ID | run | log [ID]",
                                        "Automation rules: when an event happens, and only under "
                                        "conditions, do actions. `run` processes the events "
                                        "since the last run once, then re-checks time rules.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "rules: say list, add FILE.json, add-templates, enable ID, disable ID, "
                         "delete ID, dry-run ID, run or log [ID]");
  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    if (g_str_equal (argv[1], actions[a].name))
      break;
  if (a == G_N_ELEMENTS (actions))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "rules: unknown action “%s” (list, add, add-templates, enable, disable, "
                         "delete, dry-run, run, log)", argv[1]);
  n_args = argc - 2;
  if (n_args < actions[a].min_args || n_args > actions[a].max_args)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules %s: expected %s", actions[a].name,
                         actions[a].max_args == 0 ? "no arguments"
                         : actions[a].action == ACTION_ADD ? "FILE.json" : "a rule ID");
  if (since_text != NULL && actions[a].action != ACTION_DRY_RUN)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules: --since goes with dry-run");
  if (limit <= 0)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules log: --limit must be 1 or more");

  job.action = actions[a].action;
  job.limit = limit;
  job.now = ps_time_now ();
  job.since = job.now - 30 * PS_SECONDS_PER_DAY;
  if (since_text != NULL && !_ps_cli_parse_time (since_text, &job.since))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "rules dry-run: --since “%s” is not a date (YYYY-MM-DD or ISO 8601)",
                         since_text);

  if (job.action == ACTION_ADD)
    {
      g_autofree char *text = NULL;

      if (!g_file_get_contents (argv[2], &text, NULL, &error))
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules add: %s", error->message);
      job.rule = ps_rule_from_string (text, &error);
      if (job.rule == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules add: %s: %s", argv[2], error->message);
      if (enable)
        ps_rule_set_enabled (job.rule, TRUE);
    }
  else if (enable)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules: --enable goes with add");
  else if (n_args == 1 && !parse_id (argv[2], &job.rule_id))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "rules %s: “%s” is not a rule id", actions[a].name,
                         argv[2]);

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    {
      job_clear (&job);
      return exit_code;
    }
  job.tz = ps_order_store_get_time_zone (ps_context_get_order_store (context));

  if (ps_database_run_sync (ps_context_get_database (context), rules_job, &job, NULL, &error))
    exit_code = print_result (globals, &job);
  else
    exit_code = _ps_cli_fail (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
                              error->domain == PS_RULE_ERROR
                              ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                              "rules %s: %s", actions[a].name, error->message);
  job_clear (&job);
  return exit_code;
}
