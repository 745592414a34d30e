/* ps-context.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PsContext is the hub the UI and the CLI hold: the open database and the
 * stores and services built on it (GcalContext's role). Nothing below ui/
 * reaches for it through the application; it is passed in.
 */

#define G_LOG_DOMAIN "ps-context"

#include "config.h"

#include "ps-context.h"
#include "ps-demo.h"

struct _PsContext
{
  GObject       parent_instance;

  PsDatabase   *database;
  PsOrderStore *order_store;
  PsFilterStore *filter_store;
  gboolean      created_demo;
};

G_DEFINE_FINAL_TYPE (PsContext, ps_context, G_TYPE_OBJECT)

static void
ps_context_dispose (GObject *object)
{
  PsContext *self = (PsContext *)object;

  g_clear_object (&self->filter_store);
  g_clear_object (&self->order_store);
  g_clear_object (&self->database);

  G_OBJECT_CLASS (ps_context_parent_class)->dispose (object);
}

static void
ps_context_class_init (PsContextClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ps_context_dispose;
}

static void
ps_context_init (PsContext *self)
{
}

/**
 * ps_context_dup_default_path:
 *
 * Returns: (transfer full): `$POSTSALE_DB` if set, else
 *   `$XDG_DATA_HOME/postsale/postsale.db`
 */
char *
ps_context_dup_default_path (void)
{
  const char *env = g_getenv ("POSTSALE_DB");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "postsale", "postsale.db", NULL);
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  if (!ps_demo_generate (db, data, NULL, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

/**
 * ps_context_open:
 * @path: the database file
 * @flags: #PsContextFlags
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Opens (and migrates) the database and, with
 * %PS_CONTEXT_FLAGS_DEMO_IF_NEW, fills a new file with demo data. Blocks:
 * never call it on the UI thread (the app uses ps_context_open_async()).
 *
 * Returns: (transfer full) (nullable): the context
 */
PsContext *
ps_context_open (const char      *path,
                 PsContextFlags   flags,
                 GCancellable    *cancellable,
                 GError         **error)
{
  g_autoptr(PsContext) self = NULL;
  gboolean is_new;

  g_return_val_if_fail (path != NULL, NULL);

  is_new = !g_file_test (path, G_FILE_TEST_EXISTS);

  self = g_object_new (PS_TYPE_CONTEXT, NULL);
  self->database = ps_database_new (path, cancellable, error);
  if (self->database == NULL)
    return NULL;
  self->order_store = ps_order_store_new (self->database);
  self->filter_store = ps_filter_store_new (self->database);

  if (is_new && (flags & PS_CONTEXT_FLAGS_DEMO_IF_NEW) != 0)
    {
      PsDemoOptions options = PS_DEMO_OPTIONS_INIT;

      if (ps_database_run_sync (self->database, demo_job, &options, cancellable, error) == NULL)
        return NULL;
      self->created_demo = TRUE;
    }

  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *path = task_data;
  PsContextFlags flags = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "flags"));
  GError *error = NULL;
  PsContext *self;

  self = ps_context_open (path, flags, cancellable, &error);
  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

/**
 * ps_context_open_async:
 * @path: the database file
 * @flags: #PsContextFlags
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * ps_context_open() on a thread.
 */
void
ps_context_open_async (const char          *path,
                       PsContextFlags       flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_context_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_object_set_data (G_OBJECT (task), "flags", GUINT_TO_POINTER (flags));
  g_task_run_in_thread (task, open_thread);
}

/**
 * ps_context_open_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the context
 */
PsContext *
ps_context_open_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_context_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ps_context_get_database:
 * @self: a #PsContext
 *
 * Returns: (transfer none): the open database
 */
PsDatabase *
ps_context_get_database (PsContext *self)
{
  g_return_val_if_fail (PS_IS_CONTEXT (self), NULL);
  return self->database;
}

/**
 * ps_context_get_order_store:
 * @self: a #PsContext
 *
 * Returns: (transfer none): the order store
 */
PsOrderStore *
ps_context_get_order_store (PsContext *self)
{
  g_return_val_if_fail (PS_IS_CONTEXT (self), NULL);
  return self->order_store;
}

/**
 * ps_context_get_created_demo:
 * @self: a #PsContext
 *
 * Returns: %TRUE if opening created the file and filled it with demo data
 */
gboolean
ps_context_get_created_demo (PsContext *self)
{
  g_return_val_if_fail (PS_IS_CONTEXT (self), FALSE);
  return self->created_demo;
}

/**
 * ps_context_get_filter_store:
 * @self: a #PsContext
 *
 * Returns: (transfer none): the saved filters
 */
PsFilterStore *
ps_context_get_filter_store (PsContext *self)
{
  g_return_val_if_fail (PS_IS_CONTEXT (self), NULL);
  return self->filter_store;
}
