/* ps-filter-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saved filters are rows of saved_filters: a name and a condition in the
 * condition language as JSON text. The built-in ones come from a
 * migration (sql/0002-filters.sql) with builtin = 1; they cannot be
 * changed or deleted here, only duplicated, so every database keeps the
 * same starting set and a new release can fix them in a migration.
 *
 * Names are trimmed and unique ignoring ASCII case (the column is
 * COLLATE NOCASE, like channel and tag names): saving "ready to ship"
 * over "Ready to ship" is the same filter.
 */

#define G_LOG_DOMAIN "ps-filter-store"

#include "config.h"

#include "ps-database-private.h"
#include "ps-filter-store.h"
#include "ps-time.h"

struct _PsFilterStore
{
  GObject     parent_instance;

  PsDatabase *database;
};

G_DEFINE_FINAL_TYPE (PsFilterStore, ps_filter_store, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PsSavedFilter, ps_saved_filter, ps_saved_filter_copy, ps_saved_filter_free)

G_DEFINE_QUARK (ps-filter-error-quark, ps_filter_error)

enum {
  PROP_0,
  PROP_DATABASE,
  N_PROPS
};

enum {
  FILTERS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

#define SELECT_FILTER \
  "SELECT id, name, definition, builtin, position, created_at, updated_at FROM saved_filters"

/* The arguments of a write job. */
typedef struct
{
  char        *name;
  char          *new_name;
  PsCondition   *condition;
  PsSavedFilter *filter;
} FilterArgs;

static void
filter_args_free (FilterArgs *args)
{
  g_free (args->name);
  g_free (args->new_name);
  g_clear_pointer (&args->condition, ps_condition_unref);
  g_clear_pointer (&args->filter, ps_saved_filter_free);
  g_free (args);
}

/* Helpers */

/* The trimmed name, or NULL with INVALID_NAME. */
static char *
normalize_name (const char  *name,
                GError     **error)
{
  g_autofree char *copy = NULL;
  const char *p;

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME,
                           "A filter name must be UTF-8 text");
      return NULL;
    }

  copy = g_strstrip (g_strdup (name));
  if (*copy == '\0')
    {
      g_set_error_literal (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME,
                           "A filter name must not be empty");
      return NULL;
    }
  if (g_utf8_strlen (copy, -1) > PS_FILTER_NAME_MAX)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME,
                   "A filter name must be at most %d characters", PS_FILTER_NAME_MAX);
      return NULL;
    }
  for (p = copy; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error_literal (error, PS_FILTER_ERROR, PS_FILTER_ERROR_INVALID_NAME,
                               "A filter name must not contain control characters");
          return NULL;
        }
    }
  return g_steal_pointer (&copy);
}

/* The columns of SELECT_FILTER as a struct. */
static PsSavedFilter *
read_filter (sqlite3_stmt *stmt)
{
  PsSavedFilter *filter = g_new0 (PsSavedFilter, 1);
  g_autoptr(GError) error = NULL;

  filter->id = sqlite3_column_int64 (stmt, 0);
  filter->name = _ps_column_dup (stmt, 1);
  filter->definition = _ps_column_dup (stmt, 2);
  filter->builtin = sqlite3_column_int (stmt, 3) != 0;
  filter->position = sqlite3_column_int (stmt, 4);
  filter->created_at = sqlite3_column_int64 (stmt, 5);
  filter->updated_at = sqlite3_column_int64 (stmt, 6);
  if (filter->definition != NULL)
    filter->condition = ps_condition_from_string (filter->definition, &error);
  if (filter->condition == NULL)
    g_debug ("Saved filter “%s” cannot be read: %s", filter->name,
             error != NULL ? error->message : "no definition");
  return filter;
}

/* Looks @name up (ignoring ASCII case). Returns FALSE only on an SQL
 * error; *@filter is NULL when there is no such filter. */
static gboolean
find_filter (PsDatabase     *database,
             const char     *name,
             PsSavedFilter **filter,
             GError        **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *filter = NULL;
  stmt = _ps_database_prepare (database, SELECT_FILTER " WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *filter = read_filter (stmt);
  else if (rc != SQLITE_DONE)
    _ps_database_set_error (database, error, rc, "find filter");
  sqlite3_reset (stmt);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static PsSavedFilter *
get_by_id (PsDatabase  *database,
           gint64       id,
           GError     **error)
{
  PsSavedFilter *filter = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database, SELECT_FILTER " WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    filter = read_filter (stmt);
  else
    _ps_database_set_error (database, error, rc, "read filter");
  sqlite3_reset (stmt);
  return filter;
}

static gboolean
not_found (const char  *name,
           GError     **error)
{
  g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND,
               "No saved filter is named “%s”", name);
  return FALSE;
}

/* Inserts a user filter at the end of the list; returns its id or 0. */
static gint64
insert_filter (PsDatabase  *database,
               const char  *name,
               const char  *definition,
               GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 now = ps_time_now ();

  stmt = _ps_database_prepare (database,
    "INSERT INTO saved_filters (name, definition, builtin, position, created_at, updated_at)"
    " VALUES (?, ?, 0, (SELECT coalesce (max (position), -1) + 1 FROM saved_filters), ?, ?)",
    error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, name);
  _ps_bind_text (stmt, 2, definition);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!_ps_database_step_done (database, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (database));
}

/* "Name (copy)", "Name (copy 2)", ... whichever is free, within the
 * length limit. */
static char *
copy_name (PsDatabase  *database,
           const char  *name,
           GError     **error)
{
  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *suffix = n == 1 ? g_strdup (" (copy)") : g_strdup_printf (" (copy %u)", n);
      glong room = PS_FILTER_NAME_MAX - g_utf8_strlen (suffix, -1);
      g_autofree char *base = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), room));
      g_autofree char *candidate = g_strconcat (base, suffix, NULL);
      g_autoptr(PsSavedFilter) existing = NULL;

      if (!find_filter (database, candidate, &existing, error))
        return NULL;
      if (existing == NULL)
        return g_steal_pointer (&candidate);
    }

  g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS,
               "Too many copies of “%s”; name the copy", name);
  return NULL;
}

/* Jobs */

static gpointer
list_job (PsDatabase    *database,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_filter_store_list_sync (database, error);
}

static gpointer
get_job (PsDatabase    *database,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  FilterArgs *args = data;

  return ps_filter_store_get_sync (database, args->name, error);
}

static gpointer
save_job (PsDatabase    *database,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  FilterArgs *args = data;

  return ps_filter_store_save_sync (database, args->name, args->condition, error);
}

static gpointer
delete_job (PsDatabase    *database,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  FilterArgs *args = data;

  if (!ps_filter_store_delete_sync (database, args->name, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
duplicate_job (PsDatabase    *database,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  FilterArgs *args = data;

  return ps_filter_store_duplicate_sync (database, args->name, args->new_name, error);
}

static gpointer
replace_job (PsDatabase    *database,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  FilterArgs *args = data;

  return ps_filter_store_replace_sync (database, args->name, args->new_name, args->condition, error);
}

static gpointer
restore_job (PsDatabase    *database,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  FilterArgs *args = data;

  return ps_filter_store_restore_sync (database, args->filter, error);
}

/* Async plumbing */

static void
run_job (PsFilterStore       *self,
         gpointer             source_tag,
         PsDatabaseJob        job,
         FilterArgs          *args,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  ps_database_run_for_async (self->database, self, source_tag, job, args,
                             args != NULL ? (GDestroyNotify)filter_args_free : NULL,
                             result_free, cancellable, callback, user_data);
}

static gpointer
finish_job (PsFilterStore  *self,
            GAsyncResult   *result,
            gpointer        source_tag,
            gboolean        changed,
            GError        **error)
{
  gpointer value;

  g_return_val_if_fail (PS_IS_FILTER_STORE (self), NULL);

  value = ps_database_run_for_finish (result, self, source_tag, error);
  if (value != NULL && changed)
    g_signal_emit (self, signals[FILTERS_CHANGED], 0);
  return value;
}

static FilterArgs *
filter_args_new (const char  *name,
                 const char  *new_name,
                 PsCondition *condition)
{
  FilterArgs *args = g_new0 (FilterArgs, 1);

  args->name = g_strdup (name);
  args->new_name = g_strdup (new_name);
  args->condition = condition != NULL ? ps_condition_ref (condition) : NULL;
  return args;
}

/* GObject overrides */

static void
ps_filter_store_dispose (GObject *object)
{
  PsFilterStore *self = (PsFilterStore *)object;

  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_filter_store_parent_class)->dispose (object);
}

static void
ps_filter_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PsFilterStore *self = PS_FILTER_STORE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_object (value, self->database);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_filter_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PsFilterStore *self = PS_FILTER_STORE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_filter_store_class_init (PsFilterStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_filter_store_dispose;
  object_class->get_property = ps_filter_store_get_property;
  object_class->set_property = ps_filter_store_set_property;

  properties[PROP_DATABASE] =
    g_param_spec_object ("database", NULL, NULL, PS_TYPE_DATABASE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PsFilterStore::filters-changed:
   * @self: the store
   *
   * Emitted on the main thread after a save, delete or duplicate through
   * this store committed, so a sidebar can list the filters again.
   */
  signals[FILTERS_CHANGED] =
    g_signal_new ("filters-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
ps_filter_store_init (PsFilterStore *self)
{
}

/* Public API: PsSavedFilter */

/**
 * ps_saved_filter_copy:
 * @self: a #PsSavedFilter
 *
 * Returns: (transfer full): a copy sharing the (immutable) condition
 */
PsSavedFilter *
ps_saved_filter_copy (const PsSavedFilter *self)
{
  PsSavedFilter *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->name = g_strdup (self->name);
  copy->definition = g_strdup (self->definition);
  if (self->condition != NULL)
    copy->condition = ps_condition_ref (self->condition);
  return copy;
}

/**
 * ps_saved_filter_free:
 * @self: (transfer full): a #PsSavedFilter
 */
void
ps_saved_filter_free (PsSavedFilter *self)
{
  g_return_if_fail (self != NULL);

  g_free (self->name);
  g_free (self->definition);
  g_clear_pointer (&self->condition, ps_condition_unref);
  g_free (self);
}

/* Public API: PsFilterStore */

/**
 * ps_filter_store_new:
 * @database: an open #PsDatabase
 *
 * Returns: (transfer full): a store of saved filters in @database
 */
PsFilterStore *
ps_filter_store_new (PsDatabase *database)
{
  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  return g_object_new (PS_TYPE_FILTER_STORE, "database", database, NULL);
}

/**
 * ps_filter_store_get_database:
 * @self: a #PsFilterStore
 *
 * Returns: (transfer none): the database
 */
PsDatabase *
ps_filter_store_get_database (PsFilterStore *self)
{
  g_return_val_if_fail (PS_IS_FILTER_STORE (self), NULL);

  return self->database;
}

/**
 * ps_filter_store_list_async:
 * @self: a #PsFilterStore
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads every saved filter, as ps_filter_store_list_sync() does.
 */
void
ps_filter_store_list_async (PsFilterStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));

  run_job (self, ps_filter_store_list_async, list_job, NULL,
           (GDestroyNotify)g_ptr_array_unref, cancellable, callback, user_data);
}

/**
 * ps_filter_store_list_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsSavedFilter) (nullable): the
 *   filters in sidebar order
 */
GPtrArray *
ps_filter_store_list_finish (PsFilterStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_job (self, result, ps_filter_store_list_async, FALSE, error);
}

/**
 * ps_filter_store_get_async:
 * @self: a #PsFilterStore
 * @name: the filter's name, in any ASCII case
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Reads one saved filter.
 */
void
ps_filter_store_get_async (PsFilterStore       *self,
                           const char          *name,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (name != NULL);

  run_job (self, ps_filter_store_get_async, get_job, filter_args_new (name, NULL, NULL),
           (GDestroyNotify)ps_saved_filter_free, cancellable, callback, user_data);
}

/**
 * ps_filter_store_get_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL with
 *   %PS_FILTER_ERROR_NOT_FOUND
 */
PsSavedFilter *
ps_filter_store_get_finish (PsFilterStore  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return finish_job (self, result, ps_filter_store_get_async, FALSE, error);
}

/**
 * ps_filter_store_save_async:
 * @self: a #PsFilterStore
 * @name: the filter's name
 * @condition: its condition
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Saves a filter, as ps_filter_store_save_sync() does; emits
 * #PsFilterStore::filters-changed when it finished.
 */
void
ps_filter_store_save_async (PsFilterStore       *self,
                            const char          *name,
                            PsCondition         *condition,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (condition != NULL);

  run_job (self, ps_filter_store_save_async, save_job, filter_args_new (name, NULL, condition),
           (GDestroyNotify)ps_saved_filter_free, cancellable, callback, user_data);
}

/**
 * ps_filter_store_save_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the filter as saved
 */
PsSavedFilter *
ps_filter_store_save_finish (PsFilterStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_job (self, result, ps_filter_store_save_async, TRUE, error);
}

/**
 * ps_filter_store_delete_async:
 * @self: a #PsFilterStore
 * @name: the filter's name, in any ASCII case
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Deletes a filter, as ps_filter_store_delete_sync() does; emits
 * #PsFilterStore::filters-changed when it finished.
 */
void
ps_filter_store_delete_async (PsFilterStore       *self,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (name != NULL);

  run_job (self, ps_filter_store_delete_async, delete_job, filter_args_new (name, NULL, NULL),
           NULL, cancellable, callback, user_data);
}

/**
 * ps_filter_store_delete_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE if the filter was deleted
 */
gboolean
ps_filter_store_delete_finish (PsFilterStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  return finish_job (self, result, ps_filter_store_delete_async, TRUE, error) != NULL;
}

/**
 * ps_filter_store_duplicate_async:
 * @self: a #PsFilterStore
 * @name: the filter to copy, in any ASCII case
 * @new_name: (nullable): the copy's name; %NULL picks "Name (copy)"
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Copies a filter, as ps_filter_store_duplicate_sync() does; emits
 * #PsFilterStore::filters-changed when it finished.
 */
void
ps_filter_store_duplicate_async (PsFilterStore       *self,
                                 const char          *name,
                                 const char          *new_name,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (name != NULL);

  run_job (self, ps_filter_store_duplicate_async, duplicate_job,
           filter_args_new (name, new_name, NULL), (GDestroyNotify)ps_saved_filter_free,
           cancellable, callback, user_data);
}

/**
 * ps_filter_store_duplicate_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the new filter
 */
PsSavedFilter *
ps_filter_store_duplicate_finish (PsFilterStore  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return finish_job (self, result, ps_filter_store_duplicate_async, TRUE, error);
}

/**
 * ps_filter_store_replace_async:
 * @self: a #PsFilterStore
 * @old_name: the filter to change, in any ASCII case
 * @name: its new name (may be @old_name)
 * @condition: its new condition
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Renames and redefines a filter, as ps_filter_store_replace_sync() does;
 * emits #PsFilterStore::filters-changed when it finished.
 */
void
ps_filter_store_replace_async (PsFilterStore       *self,
                               const char          *old_name,
                               const char          *name,
                               PsCondition         *condition,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (old_name != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (condition != NULL);

  run_job (self, ps_filter_store_replace_async, replace_job,
           filter_args_new (old_name, name, condition), (GDestroyNotify)ps_saved_filter_free,
           cancellable, callback, user_data);
}

/**
 * ps_filter_store_replace_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the filter as saved
 */
PsSavedFilter *
ps_filter_store_replace_finish (PsFilterStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return finish_job (self, result, ps_filter_store_replace_async, TRUE, error);
}

/**
 * ps_filter_store_restore_async:
 * @self: a #PsFilterStore
 * @filter: a deleted filter, as it was read before deleting it
 * @cancellable: (nullable): a #GCancellable
 * @callback: completion callback
 * @user_data: data for @callback
 *
 * Puts a deleted filter back (Undo), as ps_filter_store_restore_sync()
 * does; emits #PsFilterStore::filters-changed when it finished.
 */
void
ps_filter_store_restore_async (PsFilterStore       *self,
                               const PsSavedFilter *filter,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  FilterArgs *args;

  g_return_if_fail (PS_IS_FILTER_STORE (self));
  g_return_if_fail (filter != NULL);

  args = filter_args_new (filter->name, NULL, NULL);
  args->filter = ps_saved_filter_copy (filter);
  run_job (self, ps_filter_store_restore_async, restore_job, args,
           (GDestroyNotify)ps_saved_filter_free, cancellable, callback, user_data);
}

/**
 * ps_filter_store_restore_finish:
 * @self: a #PsFilterStore
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the filter as restored
 */
PsSavedFilter *
ps_filter_store_restore_finish (PsFilterStore  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  return finish_job (self, result, ps_filter_store_restore_async, TRUE, error);
}

/**
 * ps_filter_store_list_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsSavedFilter) (nullable): every
 *   saved filter, built-in ones included, by position
 */
GPtrArray *
ps_filter_store_list_sync (PsDatabase  *database,
                           GError     **error)
{
  g_autoptr(GPtrArray) filters = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  stmt = _ps_database_prepare (database, SELECT_FILTER " ORDER BY position, id", error);
  if (stmt == NULL)
    return NULL;

  filters = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_saved_filter_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (filters, read_filter (stmt));
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "list filters");
      return NULL;
    }
  return g_steal_pointer (&filters);
}

/**
 * ps_filter_store_get_sync:
 * @database: a #PsDatabase
 * @name: the filter's name; ASCII case and surrounding white space do not
 *   matter
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL with
 *   %PS_FILTER_ERROR_NOT_FOUND or a store error
 */
PsSavedFilter *
ps_filter_store_get_sync (PsDatabase  *database,
                          const char  *name,
                          GError     **error)
{
  g_autofree char *key = NULL;
  PsSavedFilter *filter;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = g_strstrip (g_strdup (name));
  if (!find_filter (database, key, &filter, error))
    return NULL;
  if (filter == NULL)
    not_found (name, error);
  return filter;
}

/**
 * ps_filter_store_save_sync:
 * @database: a #PsDatabase
 * @name: the filter's name
 * @condition: its condition
 * @error: return location for an error
 *
 * Worker thread only, outside a transaction. Saves @condition under
 * @name: a filter with that name (ignoring ASCII case) gets the new
 * condition and the new spelling of the name, otherwise a new filter is
 * added at the end of the list.
 *
 * Returns: (transfer full) (nullable): the filter as saved, or %NULL with
 *   %PS_FILTER_ERROR_INVALID_NAME, %PS_FILTER_ERROR_BUILTIN (a built-in
 *   filter has that name) or a store error
 */
PsSavedFilter *
ps_filter_store_save_sync (PsDatabase   *database,
                           const char   *name,
                           PsCondition  *condition,
                           GError      **error)
{
  g_autofree char *key = NULL;
  g_autofree char *definition = NULL;
  g_autoptr(PsSavedFilter) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (condition != NULL, NULL);

  key = normalize_name (name, error);
  if (key == NULL)
    return NULL;
  definition = ps_condition_to_string (condition);

  if (!ps_database_begin (database, error))
    return NULL;
  if (!find_filter (database, key, &existing, error))
    goto fail;

  if (existing != NULL && existing->builtin)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN,
                   "“%s” is a built-in filter; duplicate it to change the copy",
                   existing->name);
      goto fail;
    }

  if (existing != NULL)
    {
      stmt = _ps_database_prepare (database,
        "UPDATE saved_filters SET name = ?, definition = ?, updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      _ps_bind_text (stmt, 1, key);
      _ps_bind_text (stmt, 2, definition);
      sqlite3_bind_int64 (stmt, 3, ps_time_now ());
      sqlite3_bind_int64 (stmt, 4, existing->id);
      if (!_ps_database_step_done (database, stmt, error))
        goto fail;
      id = existing->id;
    }
  else
    {
      id = insert_filter (database, key, definition, error);
      if (id == 0)
        goto fail;
    }

  if (!ps_database_commit (database, error))
    return NULL;
  return get_by_id (database, id, error);

fail:
  ps_database_rollback (database);
  return NULL;
}

/**
 * ps_filter_store_replace_sync:
 * @database: a #PsDatabase
 * @old_name: the filter to change, in any ASCII case
 * @name: its new name; may be @old_name in another case
 * @condition: its new condition
 * @error: return location for an error
 *
 * Worker thread only, outside a transaction. What the filter editor's
 * Save does to an existing filter: the id, position and creation time
 * stay, so the sidebar keeps its place.
 *
 * Returns: (transfer full) (nullable): the filter as saved, or %NULL with
 *   %PS_FILTER_ERROR_NOT_FOUND, %PS_FILTER_ERROR_BUILTIN,
 *   %PS_FILTER_ERROR_EXISTS (another filter has @name),
 *   %PS_FILTER_ERROR_INVALID_NAME or a store error
 */
PsSavedFilter *
ps_filter_store_replace_sync (PsDatabase   *database,
                              const char   *old_name,
                              const char   *name,
                              PsCondition  *condition,
                              GError      **error)
{
  g_autofree char *old_key = NULL;
  g_autofree char *key = NULL;
  g_autofree char *definition = NULL;
  g_autoptr(PsSavedFilter) existing = NULL;
  g_autoptr(PsSavedFilter) other = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (condition != NULL, NULL);

  old_key = normalize_name (old_name, error);
  if (old_key == NULL)
    return NULL;
  key = normalize_name (name, error);
  if (key == NULL)
    return NULL;
  definition = ps_condition_to_string (condition);

  if (!ps_database_begin (database, error))
    return NULL;
  if (!find_filter (database, old_key, &existing, error))
    goto fail;
  if (existing == NULL)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND,
                   "No saved filter is named “%s”", old_key);
      goto fail;
    }
  if (existing->builtin)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN,
                   "“%s” is a built-in filter; duplicate it to change the copy",
                   existing->name);
      goto fail;
    }
  if (!find_filter (database, key, &other, error))
    goto fail;
  if (other != NULL && other->id != existing->id)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS,
                   "Another filter is already named “%s”", other->name);
      goto fail;
    }

  stmt = _ps_database_prepare (database,
    "UPDATE saved_filters SET name = ?, definition = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  _ps_bind_text (stmt, 1, key);
  _ps_bind_text (stmt, 2, definition);
  sqlite3_bind_int64 (stmt, 3, ps_time_now ());
  sqlite3_bind_int64 (stmt, 4, existing->id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  if (!ps_database_commit (database, error))
    return NULL;
  return get_by_id (database, existing->id, error);

fail:
  ps_database_rollback (database);
  return NULL;
}

/**
 * ps_filter_store_restore_sync:
 * @database: a #PsDatabase
 * @filter: a deleted filter, as read before deleting it
 * @error: return location for an error
 *
 * Worker thread only, outside a transaction. Undo of a delete: inserts
 * the filter again with its name, definition, position and creation
 * time (a new id).
 *
 * Returns: (transfer full) (nullable): the filter, or %NULL with
 *   %PS_FILTER_ERROR_EXISTS (its name was taken meanwhile),
 *   %PS_FILTER_ERROR_BUILTIN (built-in filters are never deleted) or a
 *   store error
 */
PsSavedFilter *
ps_filter_store_restore_sync (PsDatabase           *database,
                              const PsSavedFilter  *filter,
                              GError              **error)
{
  g_autofree char *key = NULL;
  g_autoptr(PsSavedFilter) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (filter != NULL, NULL);

  if (filter->builtin)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN,
                   "“%s” is a built-in filter and was never deleted", filter->name);
      return NULL;
    }
  key = normalize_name (filter->name, error);
  if (key == NULL)
    return NULL;

  if (!ps_database_begin (database, error))
    return NULL;
  if (!find_filter (database, key, &existing, error))
    goto fail;
  if (existing != NULL)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS,
                   "Another filter is already named “%s”", existing->name);
      goto fail;
    }

  stmt = _ps_database_prepare (database,
    "INSERT INTO saved_filters (name, definition, builtin, position, created_at, updated_at)"
    " VALUES (?, ?, 0, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  _ps_bind_text (stmt, 1, key);
  _ps_bind_text (stmt, 2, filter->definition);
  sqlite3_bind_int (stmt, 3, filter->position);
  sqlite3_bind_int64 (stmt, 4, filter->created_at);
  sqlite3_bind_int64 (stmt, 5, ps_time_now ());
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (_ps_database_get_handle (database));

  if (!ps_database_commit (database, error))
    return NULL;
  return get_by_id (database, id, error);

fail:
  ps_database_rollback (database);
  return NULL;
}

/**
 * ps_filter_store_delete_sync:
 * @database: a #PsDatabase
 * @name: the filter's name, in any ASCII case
 * @error: return location for an error
 *
 * Worker thread only, outside a transaction.
 *
 * Returns: %TRUE if the filter was deleted; %FALSE with
 *   %PS_FILTER_ERROR_NOT_FOUND, %PS_FILTER_ERROR_BUILTIN or a store error
 */
gboolean
ps_filter_store_delete_sync (PsDatabase  *database,
                             const char  *name,
                             GError     **error)
{
  g_autofree char *key = NULL;
  g_autoptr(PsSavedFilter) existing = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  key = g_strstrip (g_strdup (name));
  if (!ps_database_begin (database, error))
    return FALSE;
  if (!find_filter (database, key, &existing, error))
    goto fail;
  if (existing == NULL)
    {
      not_found (name, error);
      goto fail;
    }
  if (existing->builtin)
    {
      g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_BUILTIN,
                   "“%s” is a built-in filter and cannot be deleted", existing->name);
      goto fail;
    }

  stmt = _ps_database_prepare (database, "DELETE FROM saved_filters WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, existing->id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;
  return ps_database_commit (database, error);

fail:
  ps_database_rollback (database);
  return FALSE;
}

/**
 * ps_filter_store_duplicate_sync:
 * @database: a #PsDatabase
 * @name: the filter to copy, in any ASCII case
 * @new_name: (nullable): the copy's name; %NULL picks the first free of
 *   "Name (copy)", "Name (copy 2)", ...
 * @error: return location for an error
 *
 * Worker thread only, outside a transaction. Copies a filter (built-in or
 * not) into a new user filter at the end of the list, with the same
 * definition text.
 *
 * Returns: (transfer full) (nullable): the copy, or %NULL with
 *   %PS_FILTER_ERROR_NOT_FOUND, %PS_FILTER_ERROR_EXISTS (@new_name is
 *   taken), %PS_FILTER_ERROR_INVALID_NAME or a store error
 */
PsSavedFilter *
ps_filter_store_duplicate_sync (PsDatabase  *database,
                                const char  *name,
                                const char  *new_name,
                                GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *target = NULL;
  g_autoptr(PsSavedFilter) source = NULL;
  g_autoptr(PsSavedFilter) taken = NULL;
  gint64 id;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  key = g_strstrip (g_strdup (name));
  if (new_name != NULL)
    {
      target = normalize_name (new_name, error);
      if (target == NULL)
        return NULL;
    }

  if (!ps_database_begin (database, error))
    return NULL;
  if (!find_filter (database, key, &source, error))
    goto fail;
  if (source == NULL)
    {
      not_found (name, error);
      goto fail;
    }

  if (target == NULL)
    {
      target = copy_name (database, source->name, error);
      if (target == NULL)
        goto fail;
    }
  else
    {
      if (!find_filter (database, target, &taken, error))
        goto fail;
      if (taken != NULL)
        {
          g_set_error (error, PS_FILTER_ERROR, PS_FILTER_ERROR_EXISTS,
                       "A filter named “%s” already exists", taken->name);
          goto fail;
        }
    }

  id = insert_filter (database, target, source->definition, error);
  if (id == 0)
    goto fail;
  if (!ps_database_commit (database, error))
    return NULL;
  return get_by_id (database, id, error);

fail:
  ps_database_rollback (database);
  return NULL;
}
