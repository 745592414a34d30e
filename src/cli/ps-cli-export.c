/* ps-cli-export.c: postsale-cli export
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes the orders of a condition (--filter), of a saved filter (--saved)
 * or all of them to a CSV file, sorted as `postsale-cli orders` sorts
 * them, through the same export service the Orders page uses. Ctrl+C
 * stops it and leaves no partial file (and any old file as it was).
 */

#define G_LOG_DOMAIN "ps-cli-export"

#include "config.h"

#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-order-export.h"
#include "ps-time.h"

typedef struct
{
  /* In */
  PsCondition *condition;     /* (nullable) from --filter, or the saved filter's */
  const char  *saved;         /* (nullable) --saved NAME */
  PsOrderSort  sort;
  gboolean     descending;
  gint64       now;
  GTimeZone   *tz;

  /* Out */
  gboolean     input_error;   /* the failure is the user's input */
} IdsJob;

/* The ids to export, in list order. */
static gpointer
ids_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  IdsJob *job = data;

  if (job->saved != NULL)
    {
      job->condition = _ps_cli_saved_condition_sync (db, job->saved, &job->input_error, error);
      if (job->condition == NULL)
        return NULL;
    }

  return ps_order_store_query_filtered_ids_sync (db, job->condition, job->now, job->tz,
                                                 job->sort, job->descending, 0, error);
}

static gint64
export_ids (PsContext  *context,
            GArray     *ids,
            GFile      *file,
            gboolean    bom,
            GError    **error)
{
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GSource) sigint = NULL;

  g_main_context_push_thread_default (main_context);
  sigint = _ps_cli_cancel_on_sigint (main_context, cancellable);
  ps_order_export_async (context, (const gint64 *)(gpointer)ids->data, ids->len, file,
                         bom ? PS_ORDER_EXPORT_FLAGS_BOM : PS_ORDER_EXPORT_FLAGS_NONE,
                         NULL, NULL, NULL, cancellable, _ps_cli_result_cb, &result);
  _ps_cli_wait (main_context, &result);
  g_source_destroy (sigint);
  g_main_context_pop_thread_default (main_context);

  return ps_order_export_finish (context, result, error);
}

int
_ps_cli_export (PsCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autofree char *filter_json = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *sort_text = NULL;
  g_autofree char *output = NULL;
  gboolean ascending = FALSE;
  gboolean bom = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "The CSV file to write (replaced only when the export succeeds)", "FILE" },
    { "filter", 0, 0, G_OPTION_ARG_STRING, &filter_json,
      "Only orders matching this condition, as JSON: {\"all\": [{\"field\": \"channel\", "
      "\"op\": \"is\", \"value\": \"etsy\"}]}", "JSON" },
    { "saved", 0, 0, G_OPTION_ARG_STRING, &saved,
      "Only orders of this saved filter (see “filters list”)", "NAME" },
    { "sort", 0, 0, G_OPTION_ARG_STRING, &sort_text,
      "created (default), number, customer, channel, items, total, destination or status",
      "KEY" },
    { "ascending", 0, 0, G_OPTION_ARG_NONE, &ascending,
      "Oldest, lowest or A first (default: newest, highest or Z first)", NULL },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      "Start the file with a UTF-8 byte order mark (for older Excel)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IdsJob job = { 0 };
  int exit_code = 0;
  gboolean bad_path;
  gint64 n;

  options = _ps_cli_option_context_new (globals, "export", NULL,
                                        "Export orders, all of them or those of a condition "
                                        "(--filter) or saved filter (--saved), to a CSV file: "
                                        "one row per order, UTF-8, RFC 4180 quoting, cells "
                                        "that a spreadsheet would run as formulas prefixed "
                                        "with an apostrophe. With --json: {\"exported\": N, "
                                        "\"path\": \"...\"}.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "export: unexpected argument “%s”", argv[1]);
  if (output == NULL || *output == '\0')
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "export: say where to write with -o FILE");
  if (!_ps_cli_check_selection ("export", filter_json, saved, sort_text, &job.condition,
                                &job.sort, &exit_code))
    return exit_code;

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    {
      g_clear_pointer (&job.condition, ps_condition_unref);
      return exit_code;
    }

  job.saved = saved;
  job.descending = !ascending;
  job.now = ps_time_now ();
  job.tz = ps_order_store_get_time_zone (ps_context_get_order_store (context));
  ids = ps_database_run_sync (ps_context_get_database (context), ids_job, &job, NULL, &error);
  g_clear_pointer (&job.condition, ps_condition_unref);
  if (ids == NULL)
    return _ps_cli_fail (job.input_error ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                         "export: %s", error->message);

  file = g_file_new_for_commandline_arg (output);
  n = export_ids (context, ids, file, bom, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return _ps_cli_fail (PS_CLI_EXIT_FAILED, "export: stopped; nothing was written");
      /* A path that names no folder, or a folder, is bad input; a full
       * disk or a refused write is a failure. */
      bad_path = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_MERGE);
      return _ps_cli_fail (bad_path ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                           "export: %s", error->message);
    }

  path = g_file_get_path (file);
  if (path == NULL)
    path = g_file_get_uri (file);
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "exported");
      json_builder_add_int_value (builder, n);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    printf ("Exported %" G_GINT64_FORMAT " %s to %s\n", n, n == 1 ? "order" : "orders", path);
  return 0;
}
