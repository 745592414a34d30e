/* ps-cli-filters.c: postsale-cli filters
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The saved filters of the sidebar: list (optionally with each one's
 * count, all counted in one job as the sidebar does), show, save, delete
 * and duplicate. Built-in filters are read-only.
 */

#define G_LOG_DOMAIN "ps-cli-filters"

#include "config.h"

#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-time.h"

typedef enum
{
  ACTION_LIST,
  ACTION_SHOW,
  ACTION_SAVE,
  ACTION_DELETE,
  ACTION_DUPLICATE,
} Action;

typedef struct
{
  /* In */
  Action         action;
  const char    *name;
  const char    *new_name;
  PsCondition   *condition;
  gboolean       counts;
  gint64         now;
  GTimeZone     *tz;

  /* Out */
  GPtrArray     *filters;      /* PsSavedFilter */
  GArray        *counts_out;   /* gint64, one per filter; -1 for unreadable ones */
} FiltersJob;

static gpointer
filters_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  FiltersJob *job = data;
  PsSavedFilter *filter = NULL;

  job->filters = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_saved_filter_free);

  switch (job->action)
    {
    case ACTION_LIST:
      g_clear_pointer (&job->filters, g_ptr_array_unref);
      job->filters = ps_filter_store_list_sync (db, error);
      if (job->filters == NULL)
        return NULL;
      if (job->counts)
        {
          g_autoptr(GPtrArray) conditions = g_ptr_array_new ();
          g_autoptr(GArray) counts = NULL;

          /* Unreadable definitions are left out of the batch. */
          for (guint i = 0; i < job->filters->len; i++)
            {
              PsSavedFilter *f = g_ptr_array_index (job->filters, i);

              if (f->condition != NULL)
                g_ptr_array_add (conditions, f->condition);
            }
          counts = ps_order_store_count_many_sync (db, (PsCondition * const *) conditions->pdata,
                                                   conditions->len, job->now, job->tz, NULL,
                                                   error);
          if (counts == NULL)
            return NULL;
          job->counts_out = g_array_sized_new (FALSE, FALSE, sizeof (gint64), job->filters->len);
          for (guint i = 0, k = 0; i < job->filters->len; i++)
            {
              PsSavedFilter *f = g_ptr_array_index (job->filters, i);
              gint64 count = f->condition != NULL ? g_array_index (counts, gint64, k++) : -1;

              g_array_append_val (job->counts_out, count);
            }
        }
      return GINT_TO_POINTER (TRUE);

    case ACTION_SHOW:
      filter = ps_filter_store_get_sync (db, job->name, error);
      break;

    case ACTION_SAVE:
      filter = ps_filter_store_save_sync (db, job->name, job->condition, error);
      break;

    case ACTION_DELETE:
      filter = ps_filter_store_get_sync (db, job->name, error);
      if (filter != NULL && !ps_filter_store_delete_sync (db, job->name, error))
        g_clear_pointer (&filter, ps_saved_filter_free);
      break;

    case ACTION_DUPLICATE:
      filter = ps_filter_store_duplicate_sync (db, job->name, job->new_name, error);
      break;

    default:
      g_assert_not_reached ();
    }

  if (filter == NULL)
    return NULL;
  g_ptr_array_add (job->filters, filter);
  return GINT_TO_POINTER (TRUE);
}

static void
add_filter_json (JsonBuilder         *builder,
                 const PsSavedFilter *filter)
{
  g_autoptr(JsonNode) definition = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, filter->name);
  json_builder_set_member_name (builder, "builtin");
  json_builder_add_boolean_value (builder, filter->builtin);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, filter->position);
  json_builder_set_member_name (builder, "definition");
  if (filter->condition != NULL)
    json_builder_add_value (builder, ps_condition_to_json (filter->condition));
  else if (filter->definition != NULL &&
           (definition = json_from_string (filter->definition, NULL)) != NULL)
    json_builder_add_value (builder, g_steal_pointer (&definition));
  else
    json_builder_add_null_value (builder);
}

static int
print_result (PsCliGlobals *globals,
              FiltersJob   *job)
{
  const PsSavedFilter *filter = job->filters->len > 0 ? g_ptr_array_index (job->filters, 0) : NULL;

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      if (job->action == ACTION_LIST)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "filters");
          json_builder_begin_array (builder);
          for (guint i = 0; i < job->filters->len; i++)
            {
              add_filter_json (builder, g_ptr_array_index (job->filters, i));
              if (job->counts_out != NULL)
                {
                  gint64 count = g_array_index (job->counts_out, gint64, i);

                  json_builder_set_member_name (builder, "count");
                  if (count >= 0)
                    json_builder_add_int_value (builder, count);
                  else
                    json_builder_add_null_value (builder);
                }
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      else
        {
          add_filter_json (builder, filter);
          if (job->action == ACTION_DELETE)
            {
              json_builder_set_member_name (builder, "deleted");
              json_builder_add_boolean_value (builder, TRUE);
            }
          json_builder_end_object (builder);
        }
      _ps_cli_print_json (builder);
      return 0;
    }

  switch (job->action)
    {
    case ACTION_LIST:
      /* Tab-separated: name, [count,] built-in or user, definition. */
      for (guint i = 0; i < job->filters->len; i++)
        {
          const PsSavedFilter *f = g_ptr_array_index (job->filters, i);
          g_autofree char *count = NULL;

          if (job->counts_out != NULL)
            count = g_array_index (job->counts_out, gint64, i) >= 0
                    ? g_strdup_printf ("%" G_GINT64_FORMAT "\t",
                                       g_array_index (job->counts_out, gint64, i))
                    : g_strdup ("?\t");
          printf ("%s\t%s%s\t%s\n", f->name, count != NULL ? count : "",
                  f->builtin ? "built-in" : "user", f->definition);
        }
      break;

    case ACTION_SHOW:
      printf ("Name: %s\n%s\nDefinition: %s\n", filter->name,
              filter->builtin ? "Built-in (read-only; duplicate it to change it)" : "Saved by you",
              filter->definition);
      break;

    case ACTION_SAVE:
      printf ("Saved the filter “%s”\n", filter->name);
      break;

    case ACTION_DELETE:
      printf ("Deleted the filter “%s”\n", filter->name);
      break;

    case ACTION_DUPLICATE:
      printf ("Copied the filter to “%s”\n", filter->name);
      break;

    default:
      g_assert_not_reached ();
    }
  return 0;
}

static gboolean
is_input_error (const GError *error)
{
  return error->domain == PS_FILTER_ERROR || error->domain == PS_CONDITION_ERROR;
}

int
_ps_cli_filters (PsCliGlobals  *globals,
                 int            argc,
                 char         **argv)
{
  gboolean counts = FALSE;
  const GOptionEntry entries[] = {
    { "counts", 0, 0, G_OPTION_ARG_NONE, &counts,
      "list: also count each filter's orders, as the sidebar does", NULL },
    { NULL }
  };
  static const struct { const char *name; Action action; int min_args; int max_args; } actions[] = {
    { "list", ACTION_LIST, 0, 0 },
    { "show", ACTION_SHOW, 1, 1 },
    { "save", ACTION_SAVE, 2, 2 },
    { "delete", ACTION_DELETE, 1, 1 },
    { "duplicate", ACTION_DUPLICATE, 1, 2 },
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GError) error = NULL;
  FiltersJob job = { 0 };
  int exit_code = 0;
  int n_args;
  guint a;
  gpointer ok;

  options = _ps_cli_option_context_new (globals, "filters",
                                        "list | show NAME | save NAME JSON | delete NAME | "
                                        "duplicate NAME [NEW_NAME]",
                                        "The saved filters of the orders sidebar. A filter is a "
                                        "condition in JSON: {\"all\": [...]} or {\"any\": [...]} "
                                        "of conditions {\"field\": \"channel\", \"op\": \"is\", "
                                        "\"value\": \"etsy\"}. Built-in filters cannot be saved "
                                        "over or deleted; duplicate one to change the copy.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "filters: say list, show NAME, save NAME JSON, delete NAME "
                         "or duplicate NAME [NEW_NAME]");

  for (a = 0; a < G_N_ELEMENTS (actions); a++)
    if (g_str_equal (argv[1], actions[a].name))
      break;
  if (a == G_N_ELEMENTS (actions))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "filters: unknown action “%s” (list, show, save, delete or duplicate)",
                         argv[1]);

  n_args = argc - 2;
  if (n_args < actions[a].min_args || n_args > actions[a].max_args)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "filters %s: expected %s", actions[a].name,
                         actions[a].action == ACTION_LIST ? "no arguments"
                         : actions[a].action == ACTION_SAVE ? "NAME JSON"
                         : actions[a].action == ACTION_DUPLICATE ? "NAME [NEW_NAME]"
                         : "NAME");
  if (counts && actions[a].action != ACTION_LIST)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "filters: --counts goes with list");

  job.action = actions[a].action;
  job.name = n_args > 0 ? argv[2] : NULL;
  job.new_name = job.action == ACTION_DUPLICATE && n_args > 1 ? argv[3] : NULL;
  job.counts = counts;
  if (job.action == ACTION_SAVE)
    {
      job.condition = ps_condition_from_string (argv[3], &error);
      if (job.condition == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "filters save: %s", error->message);
    }

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    {
      g_clear_pointer (&job.condition, ps_condition_unref);
      return exit_code;
    }
  job.now = ps_time_now ();
  job.tz = ps_order_store_get_time_zone (ps_context_get_order_store (context));

  ok = ps_database_run_sync (ps_context_get_database (context), filters_job, &job, NULL, &error);
  g_clear_pointer (&job.condition, ps_condition_unref);
  if (ok == NULL)
    exit_code = _ps_cli_fail (is_input_error (error) ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                              "filters %s: %s", actions[a].name, error->message);
  else
    exit_code = print_result (globals, &job);

  g_clear_pointer (&job.filters, g_ptr_array_unref);
  g_clear_pointer (&job.counts_out, g_array_unref);
  return exit_code;
}
