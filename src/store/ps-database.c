/* ps-database.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PsDatabase owns exactly one sqlite3 connection, and only its worker
 * thread ever touches it: every statement asserts that. Callers queue jobs
 * (ps_database_run_async) and get their results back as a GTask completion
 * in their own main context, so the UI never waits for SQL.
 *
 * Opening is GInitable (the CLI and tests) and GAsyncInitable (the app):
 * the worker starts, opens the file, sets the pragmas and migrates.
 */

#define G_LOG_DOMAIN "ps-database"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ps-database-private.h"
#include "ps-store-resources.h"

#define RESOURCE_SQL_PATH "/com/example/Postsale/sql"
/* How long a statement waits for another process's lock (the CLI running
 * next to the app) before giving up with PS_STORE_ERROR_BUSY. */
#define BUSY_TIMEOUT_MS 5000

typedef struct
{
  GTask          *task;           /* async jobs; NULL for sync jobs and the quit marker */
  PsDatabaseJob   job;            /* NULL for the quit marker */
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;

  /* Sync jobs: the waiting thread owns the Job and sleeps on @cond. */
  GCancellable   *cancellable;
  GMutex          mutex;
  GCond           cond;
  gboolean        done;
  gpointer        result;
  GError         *error;
} Job;

struct _PsDatabase
{
  GObject       parent_instance;

  /* Set at construction, read-only afterwards: any thread. */
  char         *path;
  GThread      *thread;
  GAsyncQueue  *queue;
  int           schema_version;
  char         *backup_path;
  gboolean      closed;

  /* Worker thread only. */
  struct {
    sqlite3    *db;
    GHashTable *statements;       /* SQL text -> sqlite3_stmt* */
    guint       in_transaction : 1;
  } worker;
};

static void ps_database_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PsDatabase, ps_database, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      ps_database_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, NULL))

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_QUARK (ps-store-error-quark, ps_store_error)

/* Helpers */

static gboolean
unref_task_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
job_free (Job *job)
{
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);

  /* The task holds the database as its source object. If the worker
   * dropped the last task reference, the database could be finalized on
   * its own worker thread, which cannot join itself; so the worker's
   * reference is released in the task's own main context. */
  if (job->task != NULL)
    {
      GMainContext *context = g_task_get_context (job->task);
      GSource *source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_HIGH);
      g_source_set_callback (source, unref_task_cb, g_steal_pointer (&job->task), NULL);
      g_source_set_static_name (source, "[ps-database] release task");
      g_source_attach (source, context);
      g_source_unref (source);
    }
  g_free (job);
}

void
_ps_database_set_error (PsDatabase  *self,
                        GError     **error,
                        int          rc,
                        const char  *what)
{
  PsStoreError code;
  int primary = rc & 0xff;

  switch (primary)
    {
    case SQLITE_CONSTRAINT: code = PS_STORE_ERROR_CONSTRAINT; break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:     code = PS_STORE_ERROR_BUSY; break;
    case SQLITE_FULL:       code = PS_STORE_ERROR_FULL; break;
    case SQLITE_NOTADB:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:    code = PS_STORE_ERROR_OPEN; break;
    default:                code = PS_STORE_ERROR_SQL; break;
    }

  g_set_error (error, PS_STORE_ERROR, code, "%s: %s", what,
               self->worker.db ? sqlite3_errmsg (self->worker.db) : sqlite3_errstr (rc));
}

sqlite3 *
_ps_database_get_handle (PsDatabase *self)
{
  g_assert (ps_database_is_worker_thread (self));
  return self->worker.db;
}

/**
 * _ps_database_prepare:
 * @self: a #PsDatabase
 * @sql: static SQL text with `?` placeholders
 * @error: return location for an error
 *
 * Returns a cached statement for @sql, reset and with its bindings cleared.
 * The statement belongs to the cache: do not finalize it. Worker thread
 * only.
 *
 * Returns: (transfer none) (nullable): the statement
 */
sqlite3_stmt *
_ps_database_prepare (PsDatabase  *self,
                      const char  *sql,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_assert (ps_database_is_worker_thread (self));

  stmt = g_hash_table_lookup (self->worker.statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->worker.db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (self, error, rc, "prepare");
      g_debug ("Failed SQL: %s", sql);
      return NULL;
    }

  g_hash_table_insert (self->worker.statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
_ps_database_exec (PsDatabase  *self,
                   const char  *sql,
                   GError     **error)
{
  char *errmsg = NULL;
  int rc;

  g_assert (ps_database_is_worker_thread (self));

  rc = sqlite3_exec (self->worker.db, sql, NULL, NULL, &errmsg);
  if (rc != SQLITE_OK)
    {
      _ps_database_set_error (self, error, rc, "exec");
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

/* Steps a statement that returns no rows and resets it. */
gboolean
_ps_database_step_done (PsDatabase    *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _ps_database_set_error (self, error, rc, "step");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static int
query_int (PsDatabase *self,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (self->worker.db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

typedef struct
{
  int   version;
  char *resource;
} Migration;

static int
compare_migration (gconstpointer a,
                   gconstpointer b)
{
  return ((const Migration *)a)->version - ((const Migration *)b)->version;
}

static void
clear_migration (gpointer data)
{
  g_free (((Migration *)data)->resource);
}

/* Numbered files "NNNN-name.sql" under RESOURCE_SQL_PATH, in order. */
static GArray *
list_migrations (void)
{
  g_auto(GStrv) names = NULL;
  GArray *migrations = g_array_new (FALSE, TRUE, sizeof (Migration));

  g_array_set_clear_func (migrations, clear_migration);
  /* Referencing the resource keeps its object file (and the constructor
   * that registers it) in every binary linking the static library. */
  (void)ps_store_get_resource ();
  names = g_resources_enumerate_children (RESOURCE_SQL_PATH, 0, NULL);
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      Migration m;

      if (!g_str_has_suffix (names[i], ".sql") || !g_ascii_isdigit (names[i][0]))
        continue;
      m.version = (int)g_ascii_strtoll (names[i], NULL, 10);
      m.resource = g_strconcat (RESOURCE_SQL_PATH "/", names[i], NULL);
      g_array_append_val (migrations, m);
    }
  g_array_sort (migrations, compare_migration);
  return migrations;
}

/**
 * ps_database_get_latest_schema_version:
 *
 * Returns: the schema version this build migrates to.
 */
int
ps_database_get_latest_schema_version (void)
{
  g_autoptr(GArray) migrations = list_migrations ();

  if (migrations->len == 0)
    return 0;
  return g_array_index (migrations, Migration, migrations->len - 1).version;
}

/* Copies the database aside before a migration touches it. VACUUM INTO
 * writes a consistent, compact copy even while in WAL mode. */
static gboolean
backup_before_migration (PsDatabase  *self,
                         int          from_version,
                         GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *path = g_strdup_printf ("%s.v%d-%s.bak", self->path, from_version, stamp);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    g_unlink (path);

  rc = sqlite3_prepare_v2 (self->worker.db, "VACUUM INTO ?", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, path, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_BACKUP,
                   "Could not back up %s to %s before migrating: %s",
                   self->path, path, sqlite3_errmsg (self->worker.db));
      return FALSE;
    }

  g_free (self->backup_path);
  self->backup_path = g_steal_pointer (&path);
  return TRUE;
}

static gboolean
migrate (PsDatabase  *self,
         GError     **error)
{
  g_autoptr(GArray) migrations = list_migrations ();
  int current = query_int (self, "PRAGMA user_version");
  int latest = migrations->len ? g_array_index (migrations, Migration, migrations->len - 1).version : 0;
  int n_objects = query_int (self, "SELECT count(*) FROM sqlite_schema");

  if (current > latest)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_TOO_NEW,
                   "%s has schema version %d; this Postsale knows up to %d",
                   self->path, current, latest);
      return FALSE;
    }

  if (current == latest)
    {
      self->schema_version = current;
      return TRUE;
    }

  /* A file that already holds something is copied aside first. */
  if (n_objects > 0 && !backup_before_migration (self, current, error))
    return FALSE;

  for (guint i = 0; i < migrations->len; i++)
    {
      const Migration *m = &g_array_index (migrations, Migration, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *pragma = NULL;
      g_autoptr(GError) local_error = NULL;

      if (m->version <= current)
        continue;

      bytes = g_resources_lookup_data (m->resource, 0, &local_error);
      if (bytes == NULL)
        {
          g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_MIGRATION,
                       "Migration %d missing: %s", m->version, local_error->message);
          return FALSE;
        }
      sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      pragma = g_strdup_printf ("PRAGMA user_version = %d", m->version);

      if (!_ps_database_exec (self, "BEGIN IMMEDIATE", &local_error) ||
          !_ps_database_exec (self, sql, &local_error) ||
          !_ps_database_exec (self, pragma, &local_error) ||
          !_ps_database_exec (self, "COMMIT", &local_error))
        {
          _ps_database_exec (self, "ROLLBACK", NULL);
          g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_MIGRATION,
                       "Migration %d failed: %s", m->version, local_error->message);
          return FALSE;
        }
      g_debug ("Migrated %s to schema %d", self->path, m->version);
      current = m->version;
    }

  self->schema_version = current;
  return TRUE;
}

static gboolean
open_on_worker (PsDatabase  *self,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (self->path);
  int rc;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int errsv = errno;
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN,
                   "Cannot create %s: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  rc = sqlite3_open_v2 (self->path, &self->worker.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN, "Cannot open %s: %s",
                   self->path, self->worker.db ? sqlite3_errmsg (self->worker.db) : sqlite3_errstr (rc));
      sqlite3_close (self->worker.db);
      self->worker.db = NULL;
      return FALSE;
    }

  sqlite3_extended_result_codes (self->worker.db, TRUE);
  sqlite3_busy_timeout (self->worker.db, BUSY_TIMEOUT_MS);

  /* Reading the schema is the first real I/O: a file that is not a
   * database fails here, before anything is written to it. */
  if (query_int (self, "SELECT count(*) FROM sqlite_schema") < 0)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_OPEN, "%s is not a Postsale database: %s",
                   self->path, sqlite3_errmsg (self->worker.db));
      return FALSE;
    }

  /* WAL lets the CLI read while the app writes; NORMAL sync is durable
   * across application crashes, and WAL keeps the file consistent across
   * power loss. The page cache is kept small (2 MB) because reads walk
   * indexes once and the app's memory budget matters more; bulk writers
   * raise it for their job (PsOrderWriter). */
  if (!_ps_database_exec (self,
                          "PRAGMA journal_mode = WAL;"
                          "PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;"
                          "PRAGMA temp_store = MEMORY;"
                          "PRAGMA cache_size = -2048;",
                          error))
    return FALSE;

  return migrate (self, error);
}

static gpointer open_job (PsDatabase    *self,
                          gpointer       data,
                          GCancellable  *cancellable,
                          GError       **error);

/* A statement left in the middle of its rows (a one-row read stepped once
 * and never reset) keeps a read transaction open on the connection: it
 * pins the WAL against checkpoints, keeps the next job on an old snapshot
 * and makes DROP TABLE fail with "database table is locked". Jobs are
 * independent, so whatever they left stepping is reset between them. */
static void
reset_busy_statements (PsDatabase *self)
{
  sqlite3_stmt *stmt = NULL;

  if (self->worker.db == NULL)
    return;
  while ((stmt = sqlite3_next_stmt (self->worker.db, stmt)) != NULL)
    if (sqlite3_stmt_busy (stmt))
      sqlite3_reset (stmt);
}

static gpointer
worker_main (gpointer data)
{
  PsDatabase *self = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (self->queue);
      gboolean is_sync = job->task == NULL;
      GCancellable *cancellable;
      GError *error = NULL;
      gpointer result = NULL;

      if (job->job == NULL)
        {
          job_free (job);
          break;
        }

      cancellable = is_sync ? job->cancellable : g_task_get_cancellable (job->task);
      if (g_cancellable_set_error_if_cancelled (cancellable, &error))
        ;
      else if (self->worker.db == NULL && job->job != open_job)
        g_set_error (&error, PS_STORE_ERROR, PS_STORE_ERROR_CLOSED,
                     "The database %s is not open", self->path);
      else
        {
          result = job->job (self, job->data, cancellable, &error);
          reset_busy_statements (self);

          /* A job that forgot to commit must not leave the connection
           * inside a transaction for the next one. */
          if (self->worker.in_transaction)
            {
              g_critical ("A database job returned inside a transaction; rolling back");
              ps_database_rollback (self);
              if (error == NULL)
                g_set_error (&error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "Unfinished transaction");
            }
          if (error != NULL && result != NULL)
            {
              if (job->result_free != NULL)
                job->result_free (result);
              result = NULL;
            }
        }

      if (is_sync)
        {
          g_mutex_lock (&job->mutex);
          job->result = result;
          job->error = error;
          job->done = TRUE;
          g_cond_signal (&job->cond);
          g_mutex_unlock (&job->mutex);
          continue;   /* the waiter frees the job */
        }

      if (error != NULL)
        g_task_return_error (job->task, error);
      else
        g_task_return_pointer (job->task, result, job->result_free);
      job_free (job);
    }

  /* Shut down: statements first, then the connection. */
  g_clear_pointer (&self->worker.statements, g_hash_table_unref);
  if (self->worker.db != NULL)
    {
      sqlite3_close_v2 (self->worker.db);
      self->worker.db = NULL;
    }

  return NULL;
}

static gpointer
open_job (PsDatabase    *self,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  /* The open job runs before anyone else can queue; a failure closes the
   * connection so later jobs report PS_STORE_ERROR_CLOSED. */
  if (!open_on_worker (self, error))
    {
      g_hash_table_remove_all (self->worker.statements);
      if (self->worker.db != NULL)
        sqlite3_close_v2 (self->worker.db);
      self->worker.db = NULL;
      return NULL;
    }
  return GINT_TO_POINTER (TRUE);
}

static void
queue_job (PsDatabase     *self,
           Job            *job)
{
  g_async_queue_push (self->queue, job);
}

/* Queues @func and blocks the calling thread (never the worker) until it
 * ran. No GTask and no main context are involved, so this works from any
 * thread, including GAsyncInitable's pool thread. */
static gpointer
run_blocking (PsDatabase     *self,
              PsDatabaseJob   func,
              gpointer        data,
              GCancellable   *cancellable,
              GError        **error)
{
  Job *job = g_new0 (Job, 1);
  gpointer result;

  job->job = func;
  job->data = data;
  job->cancellable = cancellable;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  g_mutex_lock (&job->mutex);
  queue_job (self, job);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  result = job->result;
  if (job->error != NULL)
    g_propagate_error (error, job->error);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
  return result;
}

static gboolean
ps_database_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  PsDatabase *self = PS_DATABASE (initable);

  g_return_val_if_fail (self->path != NULL, FALSE);

  if (self->thread != NULL)
    return self->worker.db != NULL;

  self->thread = g_thread_new ("ps-database", worker_main, self);
  return run_blocking (self, open_job, NULL, cancellable, error) != NULL;
}

static void
ps_database_initable_iface_init (GInitableIface *iface)
{
  iface->init = ps_database_initable_init;
}

/* GObject overrides */

static void
ps_database_dispose (GObject *object)
{
  ps_database_close (PS_DATABASE (object));

  G_OBJECT_CLASS (ps_database_parent_class)->dispose (object);
}

static void
ps_database_finalize (GObject *object)
{
  PsDatabase *self = (PsDatabase *)object;

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->backup_path, g_free);

  G_OBJECT_CLASS (ps_database_parent_class)->finalize (object);
}

static void
ps_database_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  PsDatabase *self = PS_DATABASE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_database_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  PsDatabase *self = PS_DATABASE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_database_class_init (PsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_database_dispose;
  object_class->finalize = ps_database_finalize;
  object_class->get_property = ps_database_get_property;
  object_class->set_property = ps_database_set_property;

  /**
   * PsDatabase:path:
   *
   * The database file; created with its directory if missing.
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ps_database_init (PsDatabase *self)
{
  static gsize configured = 0;

  /* Process-wide and only possible before SQLite initializes: without
   * memory statistics every allocation skips a global mutex, which makes
   * bulk writes (imports, the demo) 15-20 % faster. */
  if (g_once_init_enter (&configured))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&configured, 1);
    }

  self->queue = g_async_queue_new ();
  self->worker.statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                   (GDestroyNotify)sqlite3_finalize);
}

/* Public API */

/**
 * ps_database_new:
 * @path: the database file
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a %PS_STORE_ERROR
 *
 * Opens (creating and migrating as needed) the database at @path and
 * blocks until it is ready. For the CLI and tests; the app uses
 * ps_database_new_async().
 *
 * Returns: (transfer full) (nullable): the database
 */
PsDatabase *
ps_database_new (const char    *path,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return g_initable_new (PS_TYPE_DATABASE, cancellable, error, "path", path, NULL);
}

/**
 * ps_database_new_async:
 * @path: the database file
 * @io_priority: the I/O priority
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Opens the database without blocking the caller.
 */
void
ps_database_new_async (const char          *path,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (path != NULL);

  g_async_initable_new_async (PS_TYPE_DATABASE, io_priority, cancellable,
                              callback, user_data, "path", path, NULL);
}

/**
 * ps_database_new_finish:
 * @result: the #GAsyncResult
 * @error: return location for a %PS_STORE_ERROR
 *
 * Returns: (transfer full) (nullable): the open database
 */
PsDatabase *
ps_database_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);
  GObject *object;

  object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);
  return object ? PS_DATABASE (object) : NULL;
}

const char *
ps_database_get_path (PsDatabase *self)
{
  g_return_val_if_fail (PS_IS_DATABASE (self), NULL);
  return self->path;
}

/**
 * ps_database_get_schema_version:
 * @self: a #PsDatabase
 *
 * Returns: the `PRAGMA user_version` after opening.
 */
int
ps_database_get_schema_version (PsDatabase *self)
{
  g_return_val_if_fail (PS_IS_DATABASE (self), -1);
  return self->schema_version;
}

/**
 * ps_database_get_backup_path:
 * @self: a #PsDatabase
 *
 * Returns: (nullable): the copy written before this open migrated the
 *   file, or %NULL if no migration of existing data ran.
 */
const char *
ps_database_get_backup_path (PsDatabase *self)
{
  g_return_val_if_fail (PS_IS_DATABASE (self), NULL);
  return self->backup_path;
}

gboolean
ps_database_is_worker_thread (PsDatabase *self)
{
  return self->thread != NULL && g_thread_self () == self->thread;
}

/**
 * ps_database_run_async:
 * @self: a #PsDatabase
 * @job: the function to run on the worker thread
 * @data: (nullable): data for @job
 * @data_free: (nullable): frees @data after the job ran (on any thread)
 * @result_free: (nullable): frees an unclaimed result
 * @cancellable: (nullable): a #GCancellable; a job cancelled before it
 *   starts does not run
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * Queues @job behind the jobs already queued; jobs run one at a time, in
 * order.
 */
void
ps_database_run_async (PsDatabase          *self,
                       PsDatabaseJob        job,
                       gpointer             data,
                       GDestroyNotify       data_free,
                       GDestroyNotify       result_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  Job *j;

  g_return_if_fail (PS_IS_DATABASE (self));
  g_return_if_fail (job != NULL);

  j = g_new0 (Job, 1);
  j->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (j->task, ps_database_run_async);
  j->job = job;
  j->data = data;
  j->data_free = data_free;
  j->result_free = result_free;

  if (self->closed)
    {
      g_task_return_new_error (j->task, PS_STORE_ERROR, PS_STORE_ERROR_CLOSED,
                               "The database %s is closed", self->path);
      job_free (j);
      return;
    }

  queue_job (self, j);
}

/**
 * ps_database_run_finish:
 * @self: a #PsDatabase
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the job returned
 */
gpointer
ps_database_run_finish (PsDatabase    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (PS_IS_DATABASE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_database_run_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
run_for_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value;

  value = ps_database_run_finish (PS_DATABASE (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, g_task_get_task_data (task));
}

/**
 * ps_database_run_for_async:
 * @self: a #PsDatabase
 * @source_object: (nullable): the object whose API this job serves (a
 *   store, a service); it becomes the result's source object
 * @source_tag: the public function's address, checked by the finisher
 * @job: the function to run on the worker thread
 * @data: (nullable): data for @job
 * @data_free: (nullable): frees @data
 * @result_free: (nullable): frees an unclaimed result
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * ps_database_run_async() for stores and services that expose their own
 * `_async`/`_finish` pairs: the callback sees @source_object, and
 * ps_database_run_for_finish() validates the result against it and
 * @source_tag.
 */
void
ps_database_run_for_async (PsDatabase          *self,
                           gpointer             source_object,
                           gpointer             source_tag,
                           PsDatabaseJob        job,
                           gpointer             data,
                           GDestroyNotify       data_free,
                           GDestroyNotify       result_free,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (PS_IS_DATABASE (self));
  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* The task data slot carries the result's free function for the
   * completion above. */
  g_task_set_task_data (task, result_free, NULL);
  ps_database_run_async (self, job, data, data_free, result_free, cancellable,
                         run_for_done_cb, task);
}

/**
 * ps_database_run_for_finish:
 * @result: the #GAsyncResult
 * @source_object: (nullable): the object passed to ps_database_run_for_async()
 * @source_tag: the tag passed to it
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the job returned
 */
gpointer
ps_database_run_for_finish (GAsyncResult  *result,
                            gpointer       source_object,
                            gpointer       source_tag,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_database_run_sync:
 * @self: a #PsDatabase
 * @job: the function to run on the worker thread
 * @data: (nullable): data for @job, still owned by the caller
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Runs @job on the worker and waits for it. Never call this on the UI's
 * main thread; it is for the CLI, benchmarks and tests.
 *
 * Returns: (transfer full) (nullable): what the job returned
 */
gpointer
ps_database_run_sync (PsDatabase    *self,
                      PsDatabaseJob  job,
                      gpointer       data,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (PS_IS_DATABASE (self), NULL);
  g_return_val_if_fail (job != NULL, NULL);
  g_return_val_if_fail (!ps_database_is_worker_thread (self), NULL);

  if (self->closed)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_CLOSED,
                   "The database %s is closed", self->path);
      return NULL;
    }
  return run_blocking (self, job, data, cancellable, error);
}

/**
 * ps_database_close:
 * @self: a #PsDatabase
 *
 * Lets the queued jobs finish, then closes the connection and joins the
 * worker. Later jobs fail with %PS_STORE_ERROR_CLOSED. Safe to call twice.
 */
void
ps_database_close (PsDatabase *self)
{
  g_return_if_fail (PS_IS_DATABASE (self));
  g_return_if_fail (!ps_database_is_worker_thread (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  if (self->thread != NULL)
    {
      g_async_queue_push (self->queue, g_new0 (Job, 1));
      g_thread_join (g_steal_pointer (&self->thread));
    }
}

/**
 * ps_database_begin:
 * @self: a #PsDatabase
 * @error: return location for an error
 *
 * Starts a write transaction (BEGIN IMMEDIATE, so a lock conflict shows up
 * here and not halfway through). Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_database_begin (PsDatabase  *self,
                   GError     **error)
{
  g_assert (ps_database_is_worker_thread (self));
  g_return_val_if_fail (!self->worker.in_transaction, FALSE);

  if (!_ps_database_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;
  self->worker.in_transaction = TRUE;
  return TRUE;
}

/**
 * ps_database_commit:
 * @self: a #PsDatabase
 * @error: return location for an error
 *
 * Commits the transaction; on failure it is rolled back. Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_database_commit (PsDatabase  *self,
                    GError     **error)
{
  g_assert (ps_database_is_worker_thread (self));
  g_return_val_if_fail (self->worker.in_transaction, FALSE);

  if (!_ps_database_exec (self, "COMMIT", error))
    {
      ps_database_rollback (self);
      return FALSE;
    }
  self->worker.in_transaction = FALSE;
  return TRUE;
}

/**
 * ps_database_rollback:
 * @self: a #PsDatabase
 *
 * Rolls back the current transaction, if any. Worker thread only.
 */
void
ps_database_rollback (PsDatabase *self)
{
  g_assert (ps_database_is_worker_thread (self));

  if (!self->worker.in_transaction)
    return;
  _ps_database_exec (self, "ROLLBACK", NULL);
  self->worker.in_transaction = FALSE;
}

/**
 * ps_database_dup_meta:
 * @self: a #PsDatabase
 * @key: a meta key
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the value, %NULL if unset
 */
char *
ps_database_dup_meta (PsDatabase *self,
                      const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  stmt = _ps_database_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = _ps_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/**
 * ps_database_set_meta:
 * @self: a #PsDatabase
 * @key: a meta key
 * @value: (nullable): the value; %NULL deletes the key
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_database_set_meta (PsDatabase  *self,
                      const char  *key,
                      const char  *value,
                      GError     **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL)
    stmt = _ps_database_prepare (self, "DELETE FROM meta WHERE key = ?", error);
  else
    stmt = _ps_database_prepare (self, "INSERT INTO meta (key, value) VALUES (?, ?) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return _ps_database_step_done (self, stmt, error);
}
