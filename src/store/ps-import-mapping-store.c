/* ps-import-mapping-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The import_mappings table: the column mapping the merchant chose for a
 * spreadsheet layout Postsale does not know, saved under a key of that
 * layout so next week's export of the same shape imports without asking
 * again. The mapping itself is JSON text owned by importers/; this file
 * only stores and finds it (by key, or by the name the merchant gave it
 * for `postsale-cli import --mapping NAME`).
 *
 * The table is a handful of rows: the UNIQUE index on source_key serves
 * lookups by key and the upsert; lookups by name scan.
 */

#define G_LOG_DOMAIN "ps-import-mapping-store"

#include "config.h"

#include "ps-database-private.h"
#include "ps-import-mapping-store.h"

#define ROW_COLUMNS "id, source_key, name, mapping, created_at, updated_at"

/**
 * ps_import_mapping_row_free:
 * @row: (nullable): a #PsImportMappingRow
 *
 * Frees @row and its strings.
 */
void
ps_import_mapping_row_free (PsImportMappingRow *row)
{
  if (row == NULL)
    return;
  g_free (row->source_key);
  g_free (row->name);
  g_free (row->mapping);
  g_free (row);
}

static PsImportMappingRow *
row_from_stmt (sqlite3_stmt *stmt)
{
  PsImportMappingRow *row = g_new0 (PsImportMappingRow, 1);

  row->id = sqlite3_column_int64 (stmt, 0);
  row->source_key = _ps_column_dup (stmt, 1);
  row->name = _ps_column_dup (stmt, 2);
  row->mapping = _ps_column_dup (stmt, 3);
  row->created_at = sqlite3_column_int64 (stmt, 4);
  row->updated_at = sqlite3_column_int64 (stmt, 5);
  return row;
}

/* Steps @stmt (bound by the caller) once: the row, or NULL with @error
 * unset when there is none. */
static PsImportMappingRow *
lookup_one (PsDatabase    *database,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  PsImportMappingRow *row = NULL;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    row = row_from_stmt (stmt);
  else if (rc != SQLITE_DONE)
    _ps_database_set_error (database, error, rc, "look up import mapping");
  sqlite3_reset (stmt);
  return row;
}

/**
 * ps_import_mapping_store_save_sync:
 * @database: a #PsDatabase
 * @source_key: the layout's key
 * @name: the merchant's name for it
 * @mapping: the mapping as JSON text
 * @now: the time to stamp, UTC Unix seconds
 * @error: return location for an error
 *
 * Saves the mapping for @source_key, replacing the one saved before for
 * the same layout (its creation time stays). Names need not be unique;
 * ps_import_mapping_store_lookup_name_sync() finds the most recent.
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_import_mapping_store_save_sync (PsDatabase  *database,
                                   const char  *source_key,
                                   const char  *name,
                                   const char  *mapping,
                                   gint64       now,
                                   GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (source_key != NULL && *source_key != '\0', FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (mapping != NULL, FALSE);

  stmt = _ps_database_prepare (database,
    "INSERT INTO import_mappings (source_key, name, mapping, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?4)"
    " ON CONFLICT (source_key) DO UPDATE SET name = excluded.name,"
    " mapping = excluded.mapping, updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source_key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, mapping, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, now);
  return _ps_database_step_done (database, stmt, error);
}

/**
 * ps_import_mapping_store_lookup_key_sync:
 * @database: a #PsDatabase
 * @source_key: the layout's key
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the saved mapping; %NULL with
 *   @error unset when none is saved
 */
PsImportMappingRow *
ps_import_mapping_store_lookup_key_sync (PsDatabase  *database,
                                         const char  *source_key,
                                         GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (source_key != NULL, NULL);

  stmt = _ps_database_prepare (database,
                               "SELECT " ROW_COLUMNS " FROM import_mappings WHERE source_key = ?",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, source_key, -1, SQLITE_STATIC);
  return lookup_one (database, stmt, error);
}

/**
 * ps_import_mapping_store_lookup_name_sync:
 * @database: a #PsDatabase
 * @name: the mapping's name, compared without regard to ASCII case
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the most recently saved mapping of
 *   that name; %NULL with @error unset when there is none
 */
PsImportMappingRow *
ps_import_mapping_store_lookup_name_sync (PsDatabase  *database,
                                          const char  *name,
                                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  stmt = _ps_database_prepare (database,
                               "SELECT " ROW_COLUMNS " FROM import_mappings"
                               " WHERE name = ? COLLATE NOCASE"
                               " ORDER BY updated_at DESC, id DESC LIMIT 1",
                               error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  return lookup_one (database, stmt, error);
}

/**
 * ps_import_mapping_store_list_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsImportMappingRow): every saved
 *   mapping, by name
 */
GPtrArray *
ps_import_mapping_store_list_sync (PsDatabase  *database,
                                   GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  stmt = _ps_database_prepare (database,
                               "SELECT " ROW_COLUMNS " FROM import_mappings"
                               " ORDER BY name COLLATE NOCASE, id",
                               error);
  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_import_mapping_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "list import mappings");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * ps_import_mapping_store_delete_sync:
 * @database: a #PsDatabase
 * @source_key: the layout's key
 * @error: return location for an error
 *
 * Forgets the mapping saved for @source_key, if any. Worker thread only.
 *
 * Returns: %TRUE on success (also when nothing was saved)
 */
gboolean
ps_import_mapping_store_delete_sync (PsDatabase  *database,
                                     const char  *source_key,
                                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (source_key != NULL, FALSE);

  stmt = _ps_database_prepare (database, "DELETE FROM import_mappings WHERE source_key = ?",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, source_key, -1, SQLITE_STATIC);
  return _ps_database_step_done (database, stmt, error);
}

/* Async wrappers */

static gpointer
list_job (PsDatabase    *database,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_import_mapping_store_list_sync (database, error);
}

/**
 * ps_import_mapping_store_list_async:
 * @database: a #PsDatabase
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Lists the saved mappings on the database worker.
 */
void
ps_import_mapping_store_list_async (PsDatabase          *database,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (PS_IS_DATABASE (database));

  ps_database_run_async (database, list_job, NULL, NULL, (GDestroyNotify)g_ptr_array_unref,
                         cancellable, callback, user_data);
}

/**
 * ps_import_mapping_store_list_finish:
 * @database: the #PsDatabase passed to ps_import_mapping_store_list_async()
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsImportMappingRow) (nullable):
 *   the saved mappings, by name; %NULL with @error set on failure
 */
GPtrArray *
ps_import_mapping_store_list_finish (PsDatabase    *database,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return ps_database_run_finish (database, result, error);
}

static gpointer
delete_job (PsDatabase    *database,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  if (!ps_import_mapping_store_delete_sync (database, data, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * ps_import_mapping_store_delete_async:
 * @database: a #PsDatabase
 * @source_key: the layout's key
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Forgets a saved mapping on the database worker.
 */
void
ps_import_mapping_store_delete_async (PsDatabase          *database,
                                      const char          *source_key,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (PS_IS_DATABASE (database));
  g_return_if_fail (source_key != NULL);

  ps_database_run_async (database, delete_job, g_strdup (source_key), g_free, NULL,
                         cancellable, callback, user_data);
}

/**
 * ps_import_mapping_store_delete_finish:
 * @database: the #PsDatabase passed to ps_import_mapping_store_delete_async()
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
ps_import_mapping_store_delete_finish (PsDatabase    *database,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return ps_database_run_finish (database, result, error) != NULL;
}
