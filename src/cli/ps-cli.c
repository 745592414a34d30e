/* ps-cli.c: postsale-cli, Postsale's services without a window
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: postsale-cli [--db PATH] [--json] COMMAND [OPTIONS...]
 * Every failure prints one line to stderr and exits non-zero (1 when the
 * work failed, 2 for bad usage or input); with --json, success prints one
 * JSON object on stdout.
 */

#define G_LOG_DOMAIN "ps-cli"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "ps-cli-private.h"
#include "ps-enum-types.h"

static int cmd_info (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-shipping.c */
int _ps_cli_rates (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_label (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_handoff (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_void (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-print.c */
int _ps_cli_print (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-outbox.c */
int _ps_cli_outbox (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_smtp (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-rules.c */
int _ps_cli_rules (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-track.c */
int _ps_cli_track (PsCliGlobals *globals, int argc, char **argv);
/* ps-cli-metrics.c */
int _ps_cli_metrics (PsCliGlobals *globals, int argc, char **argv);

static const PsCliCommand commands[] = {
  { "demo", _ps_cli_demo, "Fill the database with a generated demo history" },
  { "info", cmd_info,     "Show the database file, schema version and order count" },
  { "import", _ps_cli_import, "Import order exports (CSV); re-imports update, never duplicate" },
  { "mappings", _ps_cli_mappings, "List or save column mappings for unknown spreadsheet layouts" },
  { "orders", _ps_cli_orders, "List or count orders, all or those of a filter" },
  { "filters", _ps_cli_filters, "List, show, save, delete or duplicate saved filters" },
  { "export", _ps_cli_export, "Export orders, all or those of a filter, to a CSV file" },
  { "rates", _ps_cli_rates, "Rates from every carrier account for an order, cheapest first" },
  { "label", _ps_cli_label, "Buy a label for an order and write it to a file (never twice)" },
  { "void", _ps_cli_void, "Void (refund) a label the carrier has not scanned yet" },
  { "handoff", _ps_cli_handoff, "Write the end-of-day handoff sheet (PDF) of a day's labels" },
  { "print", _ps_cli_print, "Print a label file (PDF, PNG or ZPL) on a local printer" },
  { "outbox", _ps_cli_outbox, "Customer email outbox: list, send the due messages, retry, cancel" },
  { "smtp", _ps_cli_smtp, "Email settings: SMTP server, sender, branded header (password in the keyring)" },
  { "rules", _ps_cli_rules, "Automation rules: list, add, enable, dry-run against history, run" },
  { "metrics", _ps_cli_metrics, "Print the dashboard's numbers for a period (tiles, charts, patterns)" },
  { "track", _ps_cli_track, "Ask the carriers about live shipments once (all, --due or --order)" },
};

static const char *global_summary =
  "Postsale's order, shipping and tracking services from the command line.\n"
  "\n"
  "Global options (also accepted after the command):\n"
  "  --db PATH   database file (default: $POSTSALE_DB, or\n"
  "              $XDG_DATA_HOME/postsale/postsale.db)\n"
  "  --json      print one JSON object\n"
  "\n"
  "Commands:";

int
_ps_cli_fail (int         exit_code,
              const char *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, always: newlines in library messages would break scripts
   * that read the first line of stderr. */
  g_strdelimit (message, "\n\r", ' ');
  fprintf (stderr, "postsale-cli: %s\n", message);
  return exit_code;
}

void
_ps_cli_print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

/**
 * _ps_cli_parse_time:
 * @text: "YYYY-MM-DD", an ISO 8601 date-time, or Unix seconds
 * @t: (out): UTC Unix seconds
 *
 * Returns: %TRUE if @text was understood
 */
gboolean
_ps_cli_parse_time (const char *text,
                    gint64     *t)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;

  value = g_ascii_strtoll (text, &end, 10);
  if (end != NULL && *end == '\0' && strlen (text) > 8)
    {
      *t = value;
      return TRUE;
    }

  if (strlen (text) == 10)
    {
      g_autofree char *iso = g_strconcat (text, "T00:00:00Z", NULL);
      dt = g_date_time_new_from_iso8601 (iso, utc);
    }
  else
    dt = g_date_time_new_from_iso8601 (text, utc);

  if (dt == NULL)
    return FALSE;
  *t = g_date_time_to_unix (dt);
  return TRUE;
}

GOptionContext *
_ps_cli_option_context_new (PsCliGlobals       *globals,
                            const char         *command,
                            const char         *parameters,
                            const char         *summary,
                            const GOptionEntry *entries)
{
  const GOptionEntry global_entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &globals->db_path, "Database file", "PATH" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &globals->json, "Print one JSON object", NULL },
    { NULL }
  };
  g_autofree char *param = g_strdup_printf ("%s%s%s", command,
                                            parameters ? " " : "", parameters ? parameters : "");
  GOptionContext *context = g_option_context_new (param);

  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, global_entries, NULL);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, NULL);
  return context;
}

gboolean
_ps_cli_parse (GOptionContext   *context,
               int              *argc,
               char           ***argv,
               int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s (see --help)", error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * _ps_cli_open:
 * @globals: the parsed global options
 * @exit_code: (out): set on failure
 *
 * Returns: (transfer full) (nullable): the opened context
 */
PsContext *
_ps_cli_open (PsCliGlobals *globals,
              int          *exit_code)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PsContext *context;

  path = globals->db_path ? g_strdup (globals->db_path) : ps_context_dup_default_path ();
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  if (context == NULL)
    {
      *exit_code = _ps_cli_fail (g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN) ||
                                 g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_TOO_NEW)
                                 ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                                 "%s", error->message);
      return NULL;
    }
  return context;
}

/**
 * _ps_cli_result_cb:
 * @object: the source object
 * @result: the result
 * @user_data: a `GAsyncResult **` to store a reference to @result in
 *
 * A GAsyncReadyCallback for commands that wait with _ps_cli_wait().
 */
void
_ps_cli_result_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * _ps_cli_cancel_on_sigint:
 * @main_context: the context to watch in
 * @cancellable: cancelled by Ctrl+C (SIGINT)
 *
 * Call before starting the work, so that no Ctrl+C falls between the start
 * and the wait and kills the process instead.
 *
 * Returns: (transfer full): the attached source; destroy it when done
 */
GSource *
_ps_cli_cancel_on_sigint (GMainContext *main_context,
                          GCancellable *cancellable)
{
  GSource *sigint = g_unix_signal_source_new (SIGINT);

  g_source_set_callback (sigint, on_sigint_cb, cancellable, NULL);
  g_source_attach (sigint, main_context);
  return sigint;
}

/**
 * _ps_cli_wait:
 * @main_context: the thread-default context the operation was started in
 * @result: where _ps_cli_result_cb() stores the result
 *
 * Iterates @main_context until *@result is set.
 */
void
_ps_cli_wait (GMainContext  *main_context,
              GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (main_context, TRUE);
}

/**
 * _ps_cli_check_selection:
 * @command: the command, for messages
 * @filter_json: (nullable): --filter
 * @saved: (nullable): --saved
 * @sort_text: (nullable): --sort
 * @condition: (out) (transfer full) (nullable): the parsed --filter
 * @sort: (out): the sort key (created when @sort_text is %NULL)
 * @exit_code: (out): set on failure, after a one-line message
 *
 * Checks the options that choose and sort orders (--filter, --saved,
 * --sort), as `orders` and `export` take them.
 *
 * Returns: %TRUE when they are usable
 */
gboolean
_ps_cli_check_selection (const char    *command,
                         const char    *filter_json,
                         const char    *saved,
                         const char    *sort_text,
                         PsCondition  **condition,
                         PsOrderSort   *sort,
                         int           *exit_code)
{
  g_autoptr(GError) error = NULL;
  int value = PS_ORDER_SORT_CREATED;

  *condition = NULL;
  if (filter_json != NULL && saved != NULL)
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: give --filter or --saved, not both",
                                 command);
      return FALSE;
    }
  if (sort_text != NULL && !ps_enum_from_nick (PS_TYPE_ORDER_SORT, sort_text, &value))
    {
      *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: unknown sort key “%s”", command,
                                 sort_text);
      return FALSE;
    }
  *sort = (PsOrderSort)value;
  if (filter_json != NULL)
    {
      *condition = ps_condition_from_string (filter_json, &error);
      if (*condition == NULL)
        {
          *exit_code = _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s: --filter: %s", command,
                                     error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * _ps_cli_saved_condition_sync:
 * @db: the database
 * @name: a saved filter's name
 * @input_error: (out): set to %TRUE when there is no such filter
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the saved filter's condition
 */
PsCondition *
_ps_cli_saved_condition_sync (PsDatabase  *db,
                              const char  *name,
                              gboolean    *input_error,
                              GError     **error)
{
  g_autoptr(PsSavedFilter) filter = ps_filter_store_get_sync (db, name, error);

  *input_error = FALSE;
  if (filter == NULL)
    {
      *input_error = g_error_matches (*error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND);
      return NULL;
    }
  if (filter->condition == NULL)
    {
      g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_PARSE,
                   "The saved filter “%s” cannot be read by this version: %s",
                   filter->name, filter->definition);
      return NULL;
    }
  return ps_condition_ref (filter->condition);
}

static int
cmd_info (PsCliGlobals  *globals,
          int            argc,
          char         **argv)
{
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GMainContext) main_context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree PsStoreSummary *summary = NULL;
  PsDatabase *db;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "info", NULL,
                                        "Show the database file, schema version and order count.",
                                        NULL);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "info: unexpected argument “%s”", argv[1]);

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;
  db = ps_context_get_database (context);

  main_context = g_main_context_new ();
  g_main_context_push_thread_default (main_context);
  ps_order_store_summary_async (ps_context_get_order_store (context), NULL,
                                _ps_cli_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (main_context, TRUE);
  g_main_context_pop_thread_default (main_context);

  summary = ps_order_store_summary_finish (ps_context_get_order_store (context), result, &error);
  if (summary == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, ps_database_get_path (db));
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, summary->schema_version);
      json_builder_set_member_name (builder, "orders");
      json_builder_add_int_value (builder, summary->n_orders);
      json_builder_set_member_name (builder, "demo");
      json_builder_add_boolean_value (builder, summary->is_demo);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    {
      printf ("Database: %s\n", ps_database_get_path (db));
      printf ("Schema version: %d\n", summary->schema_version);
      printf ("Orders: %" G_GINT64_FORMAT "%s\n", summary->n_orders,
              summary->is_demo ? " (demo data)" : "");
    }
  return 0;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: postsale-cli [--db PATH] [--json] COMMAND [OPTIONS...]\n\n%s\n",
           global_summary);
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nRun “postsale-cli COMMAND --help” for a command's options.\n");
}

int
main (int   argc,
      char *argv[])
{
  PsCliGlobals globals = { NULL, FALSE };
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *command = NULL;
  int ret;

  setlocale (LC_ALL, "");

  /* Find the command word: the first argument that is neither an option
   * nor the value of --db. Everything else goes to the command's own
   * option parser, which also knows the global options. */
  g_ptr_array_add (args, argv[0]);
  for (int i = 1; i < argc; i++)
    {
      if (command == NULL && argv[i][0] != '-')
        {
          command = argv[i];
          continue;
        }
      if (command == NULL && g_str_equal (argv[i], "--db") && i + 1 < argc)
        {
          g_ptr_array_add (args, argv[i]);
          g_ptr_array_add (args, argv[++i]);
          continue;
        }
      if (command == NULL && (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h")))
        {
          print_usage (stdout);
          return 0;
        }
      if (command == NULL && g_str_equal (argv[i], "--version"))
        {
          printf ("postsale-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      g_ptr_array_add (args, argv[i]);
    }

  if (command == NULL)
    {
      print_usage (stderr);
      return _ps_cli_fail (PS_CLI_EXIT_USAGE, "no command given");
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, command))
        {
          char **cargv;
          int cargc = (int)args->len;

          g_ptr_array_add (args, NULL);
          /* GOptionContext rearranges the vector: give it its own copy of
           * the pointers (the strings stay argv's). */
          cargv = g_memdup2 (args->pdata, sizeof (char *) * args->len);
          ret = commands[i].func (&globals, cargc, cargv);
          g_free (cargv);
          g_free (globals.db_path);
          return ret;
        }
    }

  return _ps_cli_fail (PS_CLI_EXIT_USAGE, "unknown command “%s” (see --help)", command);
}
