/* ps-cli-print.c: postsale-cli print
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends a label file (PDF, PNG or ZPL, told apart by content) to a local
 * CUPS printer through libcups (ps-cups.c): PDF at its own page size and
 * unscaled, ZPL raw so a thermal printer gets it byte for byte. Without
 * --printer it uses the label printer chosen in the app's Preferences,
 * then the system's default printer. No database is opened.
 */

#define G_LOG_DOMAIN "ps-cli-print"

#include "config.h"

#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-cups.h"

int _ps_cli_print (PsCliGlobals *globals, int argc, char **argv);

/* The label printer from the app's settings, when its schema is installed
 * (the CLI must work without it). */
static char *
dup_settings_printer (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *name = NULL;

  if (source == NULL)
    return NULL;
  schema = g_settings_schema_source_lookup (source, "com.example.Postsale", TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "label-printer"))
    return NULL;
  settings = g_settings_new_full (schema, NULL, NULL);
  name = g_settings_get_string (settings, "label-printer");
  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

int
_ps_cli_print (PsCliGlobals  *globals,
               int            argc,
               char         **argv)
{
  g_autofree char *printer = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  gboolean raw = FALSE;
  int copies = 1;
  int exit_code = 0;
  int job;
  const GOptionEntry entries[] = {
    { "printer", 'p', 0, G_OPTION_ARG_STRING, &printer,
      "Printer (queue) name; default: the label printer from Preferences, else the system default",
      "NAME" },
    { "raw", 0, 0, G_OPTION_ARG_NONE, &raw,
      "Send the file unchanged (always so for ZPL)", NULL },
    { "copies", 'n', 0, G_OPTION_ARG_INT, &copies, "Number of copies (default 1)", "N" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Job title (default: the file name)", "TEXT" },
    { NULL }
  };

  options = _ps_cli_option_context_new (globals, "print", "FILE",
                                        "Print a label file (PDF, PNG or ZPL) on a local printer.\n"
                                        "JSON: {\"job\": ID, \"printer\": NAME}",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "print: no file given (see --help)");
  if (argc > 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "print: one file at a time (“%s” is extra)", argv[2]);
  if (copies < 1 || copies > 999)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "print: --copies must be between 1 and 999");

  if (printer == NULL)
    printer = dup_settings_printer ();
  if (printer == NULL)
    {
      printer = ps_cups_dup_default_printer (&error);
      if (printer == NULL)
        return _ps_cli_fail (g_error_matches (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NOT_FOUND)
                             ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED,
                             "print: %s", error->message);
    }

  job = ps_cups_print_file (printer, argv[1], title, copies,
                            raw ? PS_CUPS_PRINT_FLAGS_RAW : PS_CUPS_PRINT_FLAGS_NONE, &error);
  if (job <= 0)
    {
      gboolean input = g_error_matches (error, PS_CUPS_ERROR, PS_CUPS_ERROR_NOT_FOUND) ||
                       g_error_matches (error, PS_CUPS_ERROR, PS_CUPS_ERROR_CONTENT);

      return _ps_cli_fail (input ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED, "print: %s",
                           error->message);
    }

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "job");
      json_builder_add_int_value (builder, job);
      json_builder_set_member_name (builder, "printer");
      json_builder_add_string_value (builder, printer);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    printf ("Sent %s to %s as job %d\n", argv[1], printer, job);

  return 0;
}
