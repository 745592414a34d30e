/* test-database.c: opening, migrating and the worker thread
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "ps-database-private.h"

static char *
temp_db_path (const char *name)
{
  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static gpointer
pragma_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, data, error);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static char *
query_text (PsDatabase *db,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = ps_database_run_sync (db, pragma_job, (gpointer)sql, NULL, &error);

  g_assert_no_error (error);
  return value;
}

static void
test_open_new (void)
{
  g_autofree char *path = temp_db_path ("sub/dir/new.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = NULL;
  g_autofree char *journal = NULL;
  g_autofree char *fk = NULL;
  g_autofree char *version = NULL;
  g_autofree char *tables = NULL;

  db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  journal = query_text (db, "PRAGMA journal_mode");
  fk = query_text (db, "PRAGMA foreign_keys");
  version = query_text (db, "PRAGMA user_version");
  tables = query_text (db, "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_schema "
                           "WHERE type = 'table' ORDER BY name)");
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (fk, ==, "1");
  g_assert_cmpint (atoi (version), ==, ps_database_get_latest_schema_version ());
  g_assert_cmpint (ps_database_get_schema_version (db), ==, ps_database_get_latest_schema_version ());
  g_assert_cmpint (ps_database_get_latest_schema_version (), >=, 1);

  /* Every table the issue lists exists. */
  {
    const char *wanted[] = { "orders", "line_items", "addresses", "channels", "shipments",
                             "tracking_events", "events", "tags", "order_tags", "notes",
                             "saved_filters", "rules", "rule_runs", "messages", "returns",
                             "return_items", "labels", "label_purchases", NULL };
    g_auto(GStrv) have = g_strsplit (tables, " ", -1);

    for (guint i = 0; wanted[i] != NULL; i++)
      g_assert_true (g_strv_contains ((const char * const *)have, wanted[i]));
  }

  /* A fresh file needs no backup. */
  g_assert_null (ps_database_get_backup_path (db));
}

static void
test_reopen_no_migration (void)
{
  g_autofree char *path = temp_db_path ("reopen.db");
  g_autoptr(GError) error = NULL;
  PsDatabase *db;

  db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (db);

  db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (ps_database_get_backup_path (db));
  g_object_unref (db);
}

/* A database at an older schema version with data in it is copied aside
 * before migrating. Version 0 with a table stands in for "older". */
static void
test_backup_before_migration (void)
{
  g_autofree char *path = temp_db_path ("old.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = NULL;
  sqlite3 *raw = NULL;
  sqlite3 *backup = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *backup_path;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE keepme (x); INSERT INTO keepme VALUES (7);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);

  db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  backup_path = ps_database_get_backup_path (db);
  g_assert_nonnull (backup_path);
  g_assert_true (g_str_has_prefix (backup_path, path));
  g_assert_true (g_file_test (backup_path, G_FILE_TEST_EXISTS));

  /* The backup is the database as it was: version 0 and the old row. */
  g_assert_cmpint (sqlite3_open (backup_path, &backup), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (backup, "SELECT x FROM keepme", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 7);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (backup, "SELECT count(*) FROM sqlite_schema WHERE name = 'orders'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (backup);
}

static void
test_too_new (void)
{
  g_autofree char *path = temp_db_path ("future.db");
  g_autoptr(GError) error = NULL;
  GStatBuf before, after;
  PsDatabase *db;
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 999", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  g_assert_cmpint (g_stat (path, &before), ==, 0);

  db = ps_database_new (path, NULL, &error);
  g_assert_null (db);
  g_assert_error (error, PS_STORE_ERROR, PS_STORE_ERROR_TOO_NEW);
  g_assert_cmpint (g_stat (path, &after), ==, 0);
  g_assert_cmpint (before.st_size, ==, after.st_size);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db_path ("garbage.db");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len;
  PsDatabase *db;

  g_assert_true (g_file_set_contents (path, "this is not SQLite, it is a shopping list\n" 
                                            "eggs, milk, more eggs\n", -1, NULL));
  db = ps_database_new (path, NULL, &error);
  g_assert_null (db);
  g_assert_error (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN);

  /* Nothing was written to it. */
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "this is not SQLite"));
}

static gpointer
thread_check_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  *(gboolean *)data = ps_database_is_worker_thread (db);
  return GINT_TO_POINTER (TRUE);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_jobs_run_on_worker (void)
{
  g_autofree char *path = temp_db_path ("worker.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean on_worker = FALSE;

  g_assert_no_error (error);
  g_assert_false (ps_database_is_worker_thread (db));

  ps_database_run_async (db, thread_check_job, &on_worker, NULL, NULL, NULL, job_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (ps_database_run_finish (db, result, &error));
  g_assert_no_error (error);
  g_assert_true (on_worker);
}

static void
test_cancelled_job_does_not_run (void)
{
  g_autofree char *path = temp_db_path ("cancel.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ran = FALSE;

  g_cancellable_cancel (cancellable);
  ps_database_run_async (db, thread_check_job, &ran, NULL, NULL, cancellable, job_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (ps_database_run_finish (db, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (ran);
}

static void
test_closed (void)
{
  g_autofree char *path = temp_db_path ("closed.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);
  gboolean ran = FALSE;

  ps_database_close (db);
  ps_database_close (db);
  g_assert_null (ps_database_run_sync (db, thread_check_job, &ran, NULL, &error));
  g_assert_error (error, PS_STORE_ERROR, PS_STORE_ERROR_CLOSED);
  g_assert_false (ran);
}

typedef struct
{
  gboolean commit;
} TxData;

static gpointer
meta_tx_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  TxData *tx = data;

  if (!ps_database_begin (db, error))
    return NULL;
  if (!ps_database_set_meta (db, "greeting", "hello", error))
    {
      ps_database_rollback (db);
      return NULL;
    }
  if (tx->commit)
    return ps_database_commit (db, error) ? GINT_TO_POINTER (TRUE) : NULL;
  ps_database_rollback (db);
  return GINT_TO_POINTER (TRUE);
}

static gpointer
meta_read_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  char *value = ps_database_dup_meta (db, data);
  return value ? value : g_strdup ("(unset)");
}

static void
test_transactions (void)
{
  g_autofree char *path = temp_db_path ("tx.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);
  TxData rollback = { FALSE }, commit = { TRUE };
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;

  g_assert_nonnull (ps_database_run_sync (db, meta_tx_job, &rollback, NULL, &error));
  v1 = ps_database_run_sync (db, meta_read_job, (gpointer)"greeting", NULL, &error);
  g_assert_cmpstr (v1, ==, "(unset)");

  g_assert_nonnull (ps_database_run_sync (db, meta_tx_job, &commit, NULL, &error));
  v2 = ps_database_run_sync (db, meta_read_job, (gpointer)"greeting", NULL, &error);
  g_assert_cmpstr (v2, ==, "hello");
}

static gpointer
constraint_job (PsDatabase    *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  if (!_ps_database_exec (db, "INSERT INTO channels (kind, name, created_at) VALUES ('etsy', 'Etsy', 1)", error))
    return NULL;
  if (!_ps_database_exec (db, "INSERT INTO channels (kind, name, created_at) VALUES ('etsy', 'etsy', 2)", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
test_constraint_error (void)
{
  g_autofree char *path = temp_db_path ("constraint.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);

  /* Channel names are unique regardless of case. */
  g_assert_null (ps_database_run_sync (db, constraint_job, NULL, NULL, &error));
  g_assert_error (error, PS_STORE_ERROR, PS_STORE_ERROR_CONSTRAINT);
}

/* Steps a one-row read once and leaves it there, as a careless job would. */
static gpointer
left_stepping_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, "SELECT count(*) FROM scratch", error);

  if (stmt == NULL)
    return NULL;
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return GINT_TO_POINTER (1);
}

static gpointer
exec_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return _ps_database_exec (db, data, error) ? GINT_TO_POINTER (1) : NULL;
}

static void
test_statements_reset_between_jobs (void)
{
  g_autofree char *path = temp_db_path ("reset.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDatabase) db = ps_database_new (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (db, exec_job, (gpointer)"CREATE TABLE scratch (x)",
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (db, left_stepping_job, NULL, NULL, &error));
  g_assert_no_error (error);
  /* With that statement still open, DROP TABLE fails "database table is
   * locked"; the worker resets it after the job. */
  g_assert_nonnull (ps_database_run_sync (db, exec_job, (gpointer)"DROP TABLE scratch",
                                          NULL, &error));
  g_assert_no_error (error);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_open_async (void)
{
  g_autofree char *path = temp_db_path ("async.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(PsDatabase) db = NULL;

  ps_database_new_async (path, G_PRIORITY_DEFAULT, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  db = ps_database_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (PS_IS_DATABASE (db));
  g_assert_cmpstr (ps_database_get_path (db), ==, path);
}

static void
test_open_async_error (void)
{
  g_autofree char *path = temp_db_path ("async-bad.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PsDatabase *db;

  g_assert_true (g_file_set_contents (path, "definitely not a database, not at all, no", -1, NULL));
  ps_database_new_async (path, G_PRIORITY_DEFAULT, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  db = ps_database_new_finish (result, &error);
  g_assert_null (db);
  g_assert_error (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/store/database/open-new", test_open_new);
  g_test_add_func ("/store/database/reopen", test_reopen_no_migration);
  g_test_add_func ("/store/database/backup-before-migration", test_backup_before_migration);
  g_test_add_func ("/store/database/too-new", test_too_new);
  g_test_add_func ("/store/database/not-a-database", test_not_a_database);
  g_test_add_func ("/store/database/jobs-run-on-worker", test_jobs_run_on_worker);
  g_test_add_func ("/store/database/cancelled-job", test_cancelled_job_does_not_run);
  g_test_add_func ("/store/database/closed", test_closed);
  g_test_add_func ("/store/database/transactions", test_transactions);
  g_test_add_func ("/store/database/constraint", test_constraint_error);
  g_test_add_func ("/store/database/statements-reset", test_statements_reset_between_jobs);
  g_test_add_func ("/store/database/open-async", test_open_async);
  g_test_add_func ("/store/database/open-async-error", test_open_async_error);

  return g_test_run ();
}
