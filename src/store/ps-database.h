/* ps-database.h: one SQLite connection owned by one worker thread
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PS_STORE_ERROR (ps_store_error_quark ())

/**
 * PsStoreError:
 * @PS_STORE_ERROR_OPEN: the database file cannot be opened or is not a
 *   database.
 * @PS_STORE_ERROR_TOO_NEW: the file was written by a newer Postsale; it is
 *   left untouched.
 * @PS_STORE_ERROR_MIGRATION: a schema migration failed; the file is as it
 *   was and a backup copy sits beside it.
 * @PS_STORE_ERROR_BACKUP: the backup copy before a migration could not be
 *   written, so the migration did not run.
 * @PS_STORE_ERROR_SQL: a statement failed (a bug, or a corrupt file).
 * @PS_STORE_ERROR_CONSTRAINT: a write broke a constraint (a duplicate key).
 * @PS_STORE_ERROR_BUSY: another process holds the database locked.
 * @PS_STORE_ERROR_FULL: the disk is full.
 * @PS_STORE_ERROR_CLOSED: the database was closed before the job ran.
 */
typedef enum
{
  PS_STORE_ERROR_OPEN,
  PS_STORE_ERROR_TOO_NEW,
  PS_STORE_ERROR_MIGRATION,
  PS_STORE_ERROR_BACKUP,
  PS_STORE_ERROR_SQL,
  PS_STORE_ERROR_CONSTRAINT,
  PS_STORE_ERROR_BUSY,
  PS_STORE_ERROR_FULL,
  PS_STORE_ERROR_CLOSED,
} PsStoreError;

GQuark ps_store_error_quark (void);

#define PS_TYPE_DATABASE (ps_database_get_type ())

G_DECLARE_FINAL_TYPE (PsDatabase, ps_database, PS, DATABASE, GObject)

/**
 * PsDatabaseJob:
 * @self: the database
 * @data: the job's data
 * @cancellable: (nullable): the job's cancellable
 * @error: return location for an error
 *
 * A unit of work run on the database's worker thread. It may only use the
 * worker-side API of store/ (functions documented "worker thread only").
 *
 * Returns: (nullable): a result for ps_database_run_finish(); %NULL with
 *   @error set on failure. A job whose result may legitimately be %NULL
 *   returns GINT_TO_POINTER (TRUE) or similar instead.
 */
typedef gpointer (*PsDatabaseJob) (PsDatabase    *self,
                                   gpointer       data,
                                   GCancellable  *cancellable,
                                   GError       **error);

PsDatabase *ps_database_new                (const char           *path,
                                            GCancellable         *cancellable,
                                            GError              **error);
void        ps_database_new_async          (const char           *path,
                                            int                   io_priority,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
PsDatabase *ps_database_new_finish         (GAsyncResult         *result,
                                            GError              **error);
const char *ps_database_get_path           (PsDatabase           *self);
int         ps_database_get_schema_version (PsDatabase           *self);
const char *ps_database_get_backup_path    (PsDatabase           *self);
int         ps_database_get_latest_schema_version (void);
void        ps_database_run_async          (PsDatabase           *self,
                                            PsDatabaseJob         job,
                                            gpointer              data,
                                            GDestroyNotify        data_free,
                                            GDestroyNotify        result_free,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gpointer    ps_database_run_finish         (PsDatabase           *self,
                                            GAsyncResult         *result,
                                            GError              **error);
void        ps_database_run_for_async      (PsDatabase           *self,
                                            gpointer              source_object,
                                            gpointer              source_tag,
                                            PsDatabaseJob         job,
                                            gpointer              data,
                                            GDestroyNotify        data_free,
                                            GDestroyNotify        result_free,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gpointer    ps_database_run_for_finish     (GAsyncResult         *result,
                                            gpointer              source_object,
                                            gpointer              source_tag,
                                            GError              **error);
gpointer    ps_database_run_sync           (PsDatabase           *self,
                                            PsDatabaseJob         job,
                                            gpointer              data,
                                            GCancellable         *cancellable,
                                            GError              **error);
gboolean    ps_database_is_worker_thread   (PsDatabase           *self);
void        ps_database_close              (PsDatabase           *self);

/* Worker thread only. */
gboolean    ps_database_begin              (PsDatabase           *self,
                                            GError              **error);
gboolean    ps_database_commit             (PsDatabase           *self,
                                            GError              **error);
void        ps_database_rollback           (PsDatabase           *self);
char       *ps_database_dup_meta           (PsDatabase           *self,
                                            const char           *key);
gboolean    ps_database_set_meta           (PsDatabase           *self,
                                            const char           *key,
                                            const char           *value,
                                            GError              **error);

G_END_DECLS
