/* ps-import-sources.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where the import service's files come from and how they are read:
 * pairing Etsy's orders and items files, opening each file with its
 * dialect, and the column mappings saved per layout, so that a
 * spreadsheet mapped once imports without questions next week. Shared by
 * ps-import-service.c and ps-import-preview.c through
 * ps-import-service-private.h.
 */

#define G_LOG_DOMAIN "ps-import-sources"

#include "config.h"

#include "ps-import-mapping-store.h"
#include "ps-import-service-private.h"
#include "ps-time.h"

/* Helpers for the import service's files */

/**
 * _ps_import_unit_clear:
 * @unit: a #PsImportUnit
 *
 * Drops the unit's files; a #GArray clear function.
 */
void
_ps_import_unit_clear (gpointer unit)
{
  PsImportUnit *u = unit;

  g_clear_object (&u->file);
  g_clear_object (&u->items);
}

static gboolean
is_etsy (PsImportFormat format)
{
  return format == PS_IMPORT_FORMAT_ETSY_ORDERS || format == PS_IMPORT_FORMAT_ETSY_ITEMS;
}

/**
 * _ps_import_problems_new:
 *
 * Returns: (transfer full) (element-type PsImportProblem): an empty array
 *   that frees its problems' messages
 */
GArray *
_ps_import_problems_new (void)
{
  GArray *problems = g_array_new (FALSE, TRUE, sizeof (PsImportProblem));

  g_array_set_clear_func (problems, (GDestroyNotify)ps_import_problem_clear);
  return problems;
}

/**
 * _ps_import_problems_append:
 * @to: (element-type PsImportProblem): the array to append to
 * @from: (nullable) (element-type PsImportProblem): problems to copy
 *
 * Appends deep copies of @from to @to.
 */
void
_ps_import_problems_append (GArray       *to,
                            const GArray *from)
{
  for (guint i = 0; from != NULL && i < from->len; i++)
    {
      const PsImportProblem *p = &g_array_index (from, PsImportProblem, i);
      PsImportProblem copy = { p->line, g_strdup (p->message) };

      g_array_append_val (to, copy);
    }
}

/**
 * _ps_import_plan_units:
 * @files: (array length=n_files): the files to import
 * @n_files: their number
 * @format: the format asked for
 * @cancellable: (nullable): a #GCancellable
 *
 * Splits @files into import units: an EtsySoldOrders file and an
 * EtsySoldOrderItems file become one unit, joined by
 * ps_import_reader_new_etsy(); pairs are made in the order the files
 * come. Other files are units of their own. Opening a reader reads only
 * the start of the file, so probing is cheap; files that fail to open are
 * left alone here and report their error when imported. Any thread.
 *
 * Returns: (transfer full) (element-type PsImportUnit): the units
 */
GArray *
_ps_import_plan_units (GFile          **files,
                       guint            n_files,
                       PsImportFormat   format,
                       GCancellable    *cancellable)
{
  g_autoptr(GArray) units = g_array_new (FALSE, TRUE, sizeof (PsImportUnit));
  g_autofree PsImportFormat *formats = g_new0 (PsImportFormat, n_files);
  g_autofree gboolean *used = g_new0 (gboolean, n_files);

  g_array_set_clear_func (units, _ps_import_unit_clear);

  if (n_files > 1 && (format == PS_IMPORT_FORMAT_AUTO || is_etsy (format)))
    {
      for (guint i = 0; i < n_files; i++)
        {
          g_autoptr(PsImportReader) reader = NULL;

          reader = ps_import_reader_new (files[i], PS_IMPORT_FORMAT_AUTO, NULL, cancellable, NULL);
          formats[i] = reader != NULL ? ps_import_reader_get_format (reader)
                                      : PS_IMPORT_FORMAT_AUTO;
        }
    }

  for (guint i = 0; i < n_files; i++)
    {
      PsImportUnit unit = { NULL, NULL };

      if (used[i])
        continue;
      used[i] = TRUE;
      unit.file = g_object_ref (files[i]);

      if (is_etsy (formats[i]))
        {
          PsImportFormat partner = formats[i] == PS_IMPORT_FORMAT_ETSY_ORDERS
                                   ? PS_IMPORT_FORMAT_ETSY_ITEMS : PS_IMPORT_FORMAT_ETSY_ORDERS;

          for (guint j = i + 1; j < n_files; j++)
            {
              if (used[j] || formats[j] != partner)
                continue;
              used[j] = TRUE;
              if (formats[i] == PS_IMPORT_FORMAT_ETSY_ORDERS)
                unit.items = g_object_ref (files[j]);
              else
                {
                  unit.items = unit.file;
                  unit.file = g_object_ref (files[j]);
                }
              break;
            }
        }
      g_array_append_val (units, unit);
    }

  return g_steal_pointer (&units);
}

/**
 * _ps_import_reader_needs_mapping:
 * @reader: an open reader
 * @mapping: (nullable): the mapping it was opened with
 *
 * The reader opens a header of no known dialect without a mapping (so its
 * header and first rows can be shown) and fails on the first record; this
 * tells that case apart up front.
 *
 * Returns: whether @reader needs a mapping to read records
 */
gboolean
_ps_import_reader_needs_mapping (PsImportReader         *reader,
                                 const PsImportMapping  *mapping)
{
  return mapping == NULL && ps_import_reader_get_format (reader) == PS_IMPORT_FORMAT_GENERIC;
}

static gpointer
lookup_key_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  GError *local_error = NULL;
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_import_mapping_row_free);
  PsImportMappingRow *row = ps_import_mapping_store_lookup_key_sync (db, data, &local_error);

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

/* The mapping saved for @header's layout, or NULL (also when it cannot be
 * read: the caller then asks for one). Blocks on the database worker:
 * never on the worker itself or the UI thread. */
static PsImportMapping *
lookup_saved_mapping (PsDatabase          *db,
                      const char * const  *header,
                      guint                n_columns,
                      GCancellable        *cancellable)
{
  g_autofree char *key = ps_import_mapping_source_key (header, n_columns);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  PsImportMappingRow *row;
  PsImportMapping *mapping;

  found = ps_database_run_sync (db, lookup_key_job, key, cancellable, &error);
  if (found == NULL)
    {
      g_debug ("Could not look up a saved mapping: %s", error->message);
      return NULL;
    }
  if (found->len == 0)
    return NULL;

  row = g_ptr_array_index (found, 0);
  mapping = ps_import_mapping_from_json (row->mapping, &error);
  if (mapping == NULL)
    g_warning ("The saved mapping “%s” cannot be read: %s", row->name, error->message);
  else
    g_debug ("Using the saved mapping “%s”", row->name);
  return mapping;
}

/**
 * _ps_import_open_unit:
 * @unit: what to open
 * @format: the format asked for (either Etsy format accepts either Etsy
 *   file)
 * @mapping: (nullable): the mapping for an unknown layout
 * @db: (nullable): with a database and no @mapping, a layout no dialect
 *   knows is read with the mapping saved for it, and is an
 *   %PS_IMPORT_ERROR_NEEDS_MAPPING error when none is saved; without, the
 *   reader is returned as it opened (see _ps_import_reader_needs_mapping())
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %PS_IMPORT_ERROR
 *
 * Any thread but the database worker's (it may wait for the worker).
 *
 * Returns: (transfer full) (nullable): the reader
 */
PsImportReader *
_ps_import_open_unit (const PsImportUnit     *unit,
                      PsImportFormat          format,
                      const PsImportMapping  *mapping,
                      PsDatabase             *db,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(PsImportReader) reader = NULL;
  g_autoptr(PsImportMapping) saved = NULL;
  const char * const *header;
  guint n_columns = 0;

  if (unit->items != NULL)
    return ps_import_reader_new_etsy (unit->file, unit->items, cancellable, error);

  reader = ps_import_reader_new (unit->file, is_etsy (format) ? PS_IMPORT_FORMAT_AUTO : format,
                                 mapping, cancellable, error);
  if (reader == NULL)
    return NULL;

  if (is_etsy (format) && !is_etsy (ps_import_reader_get_format (reader)))
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_WRONG_FORMAT,
                   "The header is not that of an Etsy export (it looks like %s)",
                   ps_import_format_to_nick (ps_import_reader_get_format (reader)));
      return NULL;
    }

  if (db == NULL || !_ps_import_reader_needs_mapping (reader, mapping))
    return g_steal_pointer (&reader);

  /* An unknown layout: next week's file of a layout mapped before imports
   * without questions. */
  header = ps_import_reader_get_header (reader, &n_columns);
  saved = lookup_saved_mapping (db, header, n_columns, cancellable);
  if (saved == NULL)
    {
      g_set_error (error, PS_IMPORT_ERROR, PS_IMPORT_ERROR_NEEDS_MAPPING,
                   "No known export has this header (%u columns) and no mapping was saved "
                   "for it", n_columns);
      return NULL;
    }
  g_clear_pointer (&reader, ps_import_reader_free);
  return ps_import_reader_new (unit->file, PS_IMPORT_FORMAT_GENERIC, saved, cancellable, error);
}

/* Saved mappings */

/* A database job wrapped in a task whose source object is the context,
 * so the _finish functions can check their result (STYLE.md 3.14). */
/**
 * ps_import_service_lookup_mapping_async:
 * @context: a #PsContext
 * @header: (array length=n_columns): the file's column names
 * @n_columns: the number of columns
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Looks up the mapping saved for this layout (the key is
 * ps_import_mapping_source_key() of @header: column order and spelling
 * details do not matter).
 */
void
ps_import_service_lookup_mapping_async (PsContext           *context,
                                        const char * const  *header,
                                        guint                n_columns,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PS_IS_CONTEXT (context));
  g_return_if_fail (header != NULL || n_columns == 0);

  ps_database_run_for_async (ps_context_get_database (context), context,
                             ps_import_service_lookup_mapping_async, lookup_key_job,
                             ps_import_mapping_source_key (header, n_columns), g_free,
                             (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * ps_import_service_lookup_mapping_finish:
 * @context: the #PsContext
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the saved mapping; %NULL with
 *   @error unset when none is saved (or the saved one cannot be read)
 */
PsImportMapping *
ps_import_service_lookup_mapping_finish (PsContext     *context,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) local_error = NULL;
  PsImportMappingRow *row;
  PsImportMapping *mapping;

  found = ps_database_run_for_finish (result, context, ps_import_service_lookup_mapping_async,
                                      error);
  if (found == NULL || found->len == 0)
    return NULL;

  row = g_ptr_array_index (found, 0);
  mapping = ps_import_mapping_from_json (row->mapping, &local_error);
  if (mapping == NULL)
    g_warning ("The saved mapping “%s” cannot be read: %s", row->name, local_error->message);
  return mapping;
}

typedef struct
{
  char   *source_key;
  char   *name;
  char   *mapping;
  gint64  now;
} SaveMapping;

static void
save_mapping_free (SaveMapping *s)
{
  g_free (s->source_key);
  g_free (s->name);
  g_free (s->mapping);
  g_free (s);
}

static gpointer
save_mapping_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  SaveMapping *s = data;

  if (!ps_import_mapping_store_save_sync (db, s->source_key, s->name, s->mapping, s->now, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * ps_import_service_save_mapping_async:
 * @context: a #PsContext
 * @header: (array length=n_columns): the file's column names
 * @n_columns: the number of columns
 * @name: the merchant's name for the layout (what `postsale-cli import
 *   --mapping NAME` takes)
 * @mapping: the mapping
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Saves @mapping for files of this layout, replacing an earlier one, so
 * the next file of the same shape imports without asking.
 */
void
ps_import_service_save_mapping_async (PsContext              *context,
                                      const char * const     *header,
                                      guint                   n_columns,
                                      const char             *name,
                                      const PsImportMapping  *mapping,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  SaveMapping *s;

  g_return_if_fail (PS_IS_CONTEXT (context));
  g_return_if_fail (header != NULL || n_columns == 0);
  g_return_if_fail (name != NULL);
  g_return_if_fail (mapping != NULL);

  s = g_new0 (SaveMapping, 1);
  s->source_key = ps_import_mapping_source_key (header, n_columns);
  s->name = g_strdup (name);
  s->mapping = ps_import_mapping_to_json (mapping);
  s->now = ps_time_now ();
  ps_database_run_for_async (ps_context_get_database (context), context,
                             ps_import_service_save_mapping_async, save_mapping_job, s,
                             (GDestroyNotify)save_mapping_free, NULL, cancellable, callback,
                             user_data);
}

/**
 * ps_import_service_save_mapping_finish:
 * @context: the #PsContext
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE if the mapping was saved
 */
gboolean
ps_import_service_save_mapping_finish (PsContext     *context,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return ps_database_run_for_finish (result, context, ps_import_service_save_mapping_async,
                                     error) != NULL;
}

