/* ps-cli-import.c: postsale-cli import, postsale-cli mappings
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `import` runs the same asynchronous import service as the app, on a
 * private main loop; Ctrl+C cancels it, which rolls back the file being
 * imported. Exit status: 0 when the files were processed (rejected rows
 * are reported, not failures), 2 when a file could not be read or
 * recognized (or bad usage), 1 when the database failed.
 */

#define G_LOG_DOMAIN "ps-cli-import"

#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-import-mapping-store.h"
#include "ps-import-service.h"

/* --json lists at most this many rejected rows per list; rows_rejected
 * has the full count. */
#define MAX_JSON_ERRORS 1000
/* Without --json, this many rejected rows are printed per file. */
#define MAX_TEXT_ERRORS 20

typedef struct
{
  GAsyncResult *result;
  GCancellable *cancellable;
} Wait;

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
on_sigint_cb (gpointer user_data)
{
  Wait *wait = user_data;

  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_format (const char     *text,
              PsImportFormat *format)
{
  if (text == NULL)
    {
      *format = PS_IMPORT_FORMAT_AUTO;
      return TRUE;
    }
  /* "etsy" is either Etsy file; the service pairs orders with items. */
  if (g_ascii_strcasecmp (text, "etsy") == 0)
    {
      *format = PS_IMPORT_FORMAT_ETSY_ORDERS;
      return TRUE;
    }
  return ps_import_format_from_nick (text, format);
}

static gpointer
lookup_name_job (PsDatabase    *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GError *local_error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_import_mapping_row_free);
  PsImportMappingRow *row = ps_import_mapping_store_lookup_name_sync (db, data, &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_ptr_array_unref (found);
      return NULL;
    }
  if (row != NULL)
    g_ptr_array_add (found, row);
  return found;
}

/* Exit status for a file's error: unreadable or unrecognized input is the
 * caller's to fix (2); anything else failed here (1). */
static int
exit_code_for (const GError *error)
{
  if (error->domain == PS_IMPORT_ERROR)
    return PS_CLI_EXIT_USAGE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY))
    return PS_CLI_EXIT_USAGE;
  return PS_CLI_EXIT_FAILED;
}

static const char *
hint_for (const GError *error)
{
  if (g_error_matches (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING))
    return " (save a column mapping with “postsale-cli mappings save FILE --name NAME” "
           "or in the app, or use --mapping NAME)";
  return "";
}

static void
add_counts (JsonBuilder *builder,
            guint        created,
            guint        updated,
            guint        unchanged,
            guint        line_items,
            guint        rejected,
            guint        shipments)
{
#define MEMBER(name, value) \
  json_builder_set_member_name (builder, name); json_builder_add_int_value (builder, value)
  MEMBER ("orders_created", created);
  MEMBER ("orders_updated", updated);
  MEMBER ("orders_unchanged", unchanged);
  MEMBER ("line_items", line_items);
  MEMBER ("rows_rejected", rejected);
  MEMBER ("shipments_created", shipments);
#undef MEMBER
}

/* Appends @file's problems to the open array; returns how many went in. */
static guint
add_errors (JsonBuilder              *builder,
            const PsImportFileResult *file,
            gboolean                  with_file,
            guint                     room)
{
  guint n = 0;

  for (guint i = 0; file->problems != NULL && i < file->problems->len && n < room; i++, n++)
    {
      const PsImportProblem *p = &g_array_index (file->problems, PsImportProblem, i);

      json_builder_begin_object (builder);
      if (with_file)
        {
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, file->file_name);
        }
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, p->line);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, p->message);
      json_builder_end_object (builder);
    }
  return n;
}

/* With several FILE arguments, a "files" list too (an Etsy pair is one
 * entry). */
static void
print_json (const PsImportResult *result,
            guint                 n_args,
            double                seconds)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean several = n_args > 1;
  guint room = MAX_JSON_ERRORS;

  json_builder_begin_object (builder);
  add_counts (builder, result->orders_created, result->orders_updated, result->orders_unchanged,
              result->line_items, result->rows_rejected, result->shipments_created);
  json_builder_set_member_name (builder, "errors");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->files->len && room > 0; i++)
    room -= add_errors (builder, g_ptr_array_index (result->files, i), several, room);
  json_builder_end_array (builder);
  if (result->rows_rejected > MAX_JSON_ERRORS)
    {
      json_builder_set_member_name (builder, "errors_truncated");
      json_builder_add_boolean_value (builder, TRUE);
    }

  if (several)
    {
      json_builder_set_member_name (builder, "files");
      json_builder_begin_array (builder);
      for (guint i = 0; i < result->files->len; i++)
        {
          const PsImportFileResult *file = g_ptr_array_index (result->files, i);
          const char *format = ps_import_format_to_nick (file->format);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "file");
          json_builder_add_string_value (builder, file->file_name);
          add_counts (builder, file->orders_created, file->orders_updated, file->orders_unchanged,
                      file->line_items, file->rows_rejected, file->shipments_created);
          json_builder_set_member_name (builder, "errors");
          json_builder_begin_array (builder);
          add_errors (builder, file, FALSE, MAX_JSON_ERRORS);
          json_builder_end_array (builder);
          if (file->error != NULL)
            {
              json_builder_set_member_name (builder, "error");
              json_builder_add_string_value (builder, file->error->message);
            }
          else
            {
              json_builder_set_member_name (builder, "format");
              json_builder_add_string_value (builder, format ? format : "auto");
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }
  else
    {
      const PsImportFileResult *file = g_ptr_array_index (result->files, 0);
      const char *format = ps_import_format_to_nick (file->format);

      json_builder_set_member_name (builder, "format");
      json_builder_add_string_value (builder, format ? format : "auto");
      json_builder_set_member_name (builder, "encoding");
      json_builder_add_string_value (builder, file->encoding);
    }

  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  json_builder_end_object (builder);
  _ps_cli_print_json (builder);
}

static void
print_text (const PsImportResult *result,
            double                seconds)
{
  for (guint i = 0; i < result->files->len; i++)
    {
      const PsImportFileResult *file = g_ptr_array_index (result->files, i);

      if (file->error != NULL)
        continue;
      printf ("%s: %u new, %u updated, %u unchanged orders; %u line items, %u shipments; "
              "%u rows rejected\n",
              file->file_name, file->orders_created, file->orders_updated,
              file->orders_unchanged, file->line_items, file->shipments_created,
              file->rows_rejected);
      for (guint k = 0; k < file->problems->len && k < MAX_TEXT_ERRORS; k++)
        {
          const PsImportProblem *p = &g_array_index (file->problems, PsImportProblem, k);

          printf ("  line %u: %s\n", p->line, p->message);
        }
      if (file->problems->len > MAX_TEXT_ERRORS)
        printf ("  … and %u more\n", file->problems->len - MAX_TEXT_ERRORS);
    }
  if (result->files->len > 1)
    printf ("Total: %u new, %u updated, %u unchanged orders; %u rows rejected (%.1f s)\n",
            result->orders_created, result->orders_updated, result->orders_unchanged,
            result->rows_rejected, seconds);
}

int
_ps_cli_import (PsCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autofree char *format_text = NULL;
  g_autofree char *mapping_name = NULL;
  const GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_text,
      "auto (default), shopify, woocommerce, etsy, amazon, ebay or generic", "FORMAT" },
    { "mapping", 0, 0, G_OPTION_ARG_STRING, &mapping_name,
      "Read the files with the saved column mapping of this name", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(PsImportMapping) mapping = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GMainContext) main_context = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(PsImportResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autoptr(GSource) sigint = NULL;
  Wait wait = { NULL, cancellable };
  PsImportFormat format;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "import", "FILE...",
                                        "Import order exports (CSV from Shopify, WooCommerce, "
                                        "Etsy, Amazon, eBay or a spreadsheet). Re-importing "
                                        "updates orders instead of duplicating them; each "
                                        "file is imported completely or not at all.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "import: no file given (see --help)");
  if (!parse_format (format_text, &format))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "import: unknown format “%s” (auto, shopify, woocommerce, etsy, "
                         "amazon, ebay or generic)", format_text);
  for (int i = 1; i < argc; i++)
    g_ptr_array_add (files, g_file_new_for_commandline_arg (argv[i]));

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;

  if (mapping_name != NULL)
    {
      g_autoptr(GPtrArray) found = NULL;
      PsImportMappingRow *row;

      found = ps_database_run_sync (ps_context_get_database (context), lookup_name_job,
                                    mapping_name, NULL, &error);
      if (found == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);
      if (found->len == 0)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "import: no saved mapping named “%s” "
                             "(see “postsale-cli mappings list”)", mapping_name);
      row = g_ptr_array_index (found, 0);
      mapping = ps_import_mapping_from_json (row->mapping, &error);
      if (mapping == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_FAILED, "import: the mapping “%s” cannot be read: %s",
                             mapping_name, error->message);
      if (format == PS_IMPORT_FORMAT_AUTO)
        format = PS_IMPORT_FORMAT_GENERIC;
    }

  main_context = g_main_context_new ();
  g_main_context_push_thread_default (main_context);
  sigint = g_unix_signal_source_new (SIGINT);
  g_source_set_callback (sigint, on_sigint_cb, &wait, NULL);
  g_source_attach (sigint, main_context);

  ps_import_service_import_async (context, (GFile **)files->pdata, files->len, format, mapping,
                                  NULL, NULL, NULL, cancellable, done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (main_context, TRUE);

  result = ps_import_service_import_finish (context, wait.result, &error);
  g_clear_object (&wait.result);
  g_source_destroy (sigint);
  g_main_context_pop_thread_default (main_context);

  if (result == NULL)
    {
      g_autofree char *name = g_file_get_basename (g_ptr_array_index (files, 0));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return _ps_cli_fail (PS_CLI_EXIT_FAILED, "import: cancelled; the file being imported "
                             "was rolled back");
      if (files->len > 1)
        return _ps_cli_fail (exit_code_for (error), "import: no file could be imported; %s: %s%s",
                             name, error->message, hint_for (error));
      return _ps_cli_fail (exit_code_for (error), "%s: %s%s", name, error->message,
                           hint_for (error));
    }

  if (globals->json)
    print_json (result, files->len, g_timer_elapsed (timer, NULL));
  else
    print_text (result, g_timer_elapsed (timer, NULL));

  /* Some files failed: their reasons on one line, the worst exit code. */
  if (result->n_failed > 0)
    {
      g_autoptr(GString) reasons = g_string_new (NULL);

      for (guint i = 0; i < result->files->len; i++)
        {
          const PsImportFileResult *file = g_ptr_array_index (result->files, i);

          if (file->error == NULL)
            continue;
          if (reasons->len > 0)
            g_string_append (reasons, "; ");
          g_string_append_printf (reasons, "%s: %s", file->file_name, file->error->message);
          exit_code = MAX (exit_code, exit_code_for (file->error));
        }
      _ps_cli_fail (exit_code, "import: %u of %u files not imported: %s",
                    result->n_failed, result->files->len, reasons->str);
    }
  return exit_code;
}

/* postsale-cli mappings */

static gpointer
list_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_import_mapping_store_list_sync (db, error);
}

static int
mappings_list (PsCliGlobals *globals,
               PsContext    *context)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = ps_database_run_sync (ps_context_get_database (context), list_job, NULL, NULL, &error);
  if (rows == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mappings");
      json_builder_begin_array (builder);
      for (guint i = 0; i < rows->len; i++)
        {
          const PsImportMappingRow *row = g_ptr_array_index (rows, i);
          g_autoptr(JsonNode) mapping = json_from_string (row->mapping, NULL);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, row->name);
          json_builder_set_member_name (builder, "source_key");
          json_builder_add_string_value (builder, row->source_key);
          json_builder_set_member_name (builder, "updated_at");
          json_builder_add_int_value (builder, row->updated_at);
          json_builder_set_member_name (builder, "mapping");
          if (mapping != NULL)
            json_builder_add_value (builder, g_steal_pointer (&mapping));
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    {
      for (guint i = 0; i < rows->len; i++)
        {
          const PsImportMappingRow *row = g_ptr_array_index (rows, i);
          g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (row->updated_at);
          g_autofree char *date = when ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("?");

          printf ("%s\t(saved %s)\n", row->name, date);
        }
      if (rows->len == 0)
        printf ("No saved column mappings.\n");
    }
  return 0;
}

/* Saves a mapping for FILE's layout: the one given as JSON, or the guess
 * the app would offer. */
static int
mappings_save (PsCliGlobals *globals,
               PsContext    *context,
               const char   *path,
               const char   *name,
               const char   *json)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(PsImportPreview) preview = NULL;
  g_autoptr(PsImportMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Wait wait = { NULL, NULL };
  gboolean ok;

  g_main_context_push_thread_default (main_context);
  ps_import_service_preview_async (&file, 1, PS_IMPORT_FORMAT_AUTO, NULL, 0, NULL,
                                   done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (main_context, TRUE);
  preview = ps_import_service_preview_finish (wait.result, &error);
  g_clear_object (&wait.result);

  if (preview == NULL)
    {
      g_main_context_pop_thread_default (main_context);
      return _ps_cli_fail (exit_code_for (error), "%s: %s", path, error->message);
    }
  if (!preview->needs_mapping)
    {
      g_main_context_pop_thread_default (main_context);
      return _ps_cli_fail (PS_CLI_EXIT_USAGE, "%s is a %s export and needs no mapping", path,
                           ps_import_format_to_nick (preview->format));
    }

  if (json != NULL)
    mapping = ps_import_mapping_from_json (json, &error);
  else
    mapping = ps_import_mapping_copy (preview->guess);
  if (mapping == NULL || !ps_import_mapping_is_complete (mapping, &error))
    {
      g_main_context_pop_thread_default (main_context);
      return _ps_cli_fail (PS_CLI_EXIT_USAGE, "mappings: %s", error->message);
    }

  ps_import_service_save_mapping_async (context, (const char * const *)preview->header,
                                        g_strv_length (preview->header), name, mapping, NULL,
                                        done_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (main_context, TRUE);
  ok = ps_import_service_save_mapping_finish (context, wait.result, &error);
  g_clear_object (&wait.result);
  g_main_context_pop_thread_default (main_context);
  if (!ok)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);

  text = ps_import_mapping_to_json (mapping);
  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = json_from_string (text, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "mapping");
      if (node != NULL)
        json_builder_add_value (builder, g_steal_pointer (&node));
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    printf ("Saved the mapping “%s”: %s\n", name, text);
  return 0;
}

int
_ps_cli_mappings (PsCliGlobals  *globals,
                  int            argc,
                  char         **argv)
{
  g_autofree char *name = NULL;
  g_autofree char *json = NULL;
  const GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "save: the mapping's name", "NAME" },
    { "mapping-json", 0, 0, G_OPTION_ARG_STRING, &json,
      "save: the mapping as JSON instead of the guess from the file", "JSON" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "mappings", "list | save FILE --name NAME",
                                        "Column mappings saved for spreadsheet layouts no shop "
                                        "format matches. “save” guesses one from FILE's header "
                                        "(or takes --mapping-json) and saves it for that "
                                        "layout, so later imports of it need no questions.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "mappings: say “list” or “save FILE --name NAME”");

  if (g_str_equal (argv[1], "list"))
    {
      if (argc > 2)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "mappings list: unexpected argument “%s”",
                             argv[2]);
      context = _ps_cli_open (globals, &exit_code);
      if (context == NULL)
        return exit_code;
      return mappings_list (globals, context);
    }

  if (g_str_equal (argv[1], "save"))
    {
      if (argc != 3)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "mappings save: give one FILE");
      if (name == NULL || *name == '\0')
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "mappings save: --name NAME is required");
      context = _ps_cli_open (globals, &exit_code);
      if (context == NULL)
        return exit_code;
      return mappings_save (globals, context, argv[2], name, json);
    }

  return _ps_cli_fail (PS_CLI_EXIT_USAGE, "mappings: unknown action “%s” (list or save)",
                       argv[1]);
}
