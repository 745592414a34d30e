/* ps-filter-store.h: saved filters (the sidebar's order views)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-condition.h"
#include "ps-database.h"

G_BEGIN_DECLS

#define PS_FILTER_ERROR (ps_filter_error_quark ())

/**
 * PsFilterError:
 * @PS_FILTER_ERROR_NOT_FOUND: no saved filter has that name.
 * @PS_FILTER_ERROR_BUILTIN: built-in filters cannot be changed or
 *   deleted; duplicate one to change the copy.
 * @PS_FILTER_ERROR_EXISTS: another filter already has that name (names
 *   are unique ignoring ASCII case).
 * @PS_FILTER_ERROR_INVALID_NAME: the name is empty, longer than
 *   %PS_FILTER_NAME_MAX characters or holds control characters.
 */
typedef enum
{
  PS_FILTER_ERROR_NOT_FOUND,
  PS_FILTER_ERROR_BUILTIN,
  PS_FILTER_ERROR_EXISTS,
  PS_FILTER_ERROR_INVALID_NAME,
} PsFilterError;

/* The longest name, in characters. */
#define PS_FILTER_NAME_MAX 80

/**
 * PsSavedFilter:
 * @id: the row id
 * @name: the name, unique ignoring ASCII case
 * @definition: the condition as stored (JSON text)
 * @condition: (nullable): @definition parsed, or %NULL when it cannot be
 *   read (written by a newer Postsale with fields this one lacks)
 * @builtin: one of the filters every database starts with (read-only)
 * @position: where the sidebar shows it, ascending
 * @created_at: UTC Unix seconds
 * @updated_at: UTC Unix seconds
 */
typedef struct
{
  gint64       id;
  char        *name;
  char        *definition;
  PsCondition *condition;
  gboolean     builtin;
  int          position;
  gint64       created_at;
  gint64       updated_at;
} PsSavedFilter;

#define PS_TYPE_SAVED_FILTER (ps_saved_filter_get_type ())

GType          ps_saved_filter_get_type  (void) G_GNUC_CONST;
PsSavedFilter *ps_saved_filter_copy      (const PsSavedFilter *self);
void           ps_saved_filter_free      (PsSavedFilter       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsSavedFilter, ps_saved_filter_free)

#define PS_TYPE_FILTER_STORE (ps_filter_store_get_type ())

G_DECLARE_FINAL_TYPE (PsFilterStore, ps_filter_store, PS, FILTER_STORE, GObject)

GQuark         ps_filter_error_quark            (void);

PsFilterStore *ps_filter_store_new              (PsDatabase           *database);
PsDatabase    *ps_filter_store_get_database     (PsFilterStore        *self);
void           ps_filter_store_list_async       (PsFilterStore        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
GPtrArray     *ps_filter_store_list_finish      (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ps_filter_store_get_async        (PsFilterStore        *self,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PsSavedFilter *ps_filter_store_get_finish       (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ps_filter_store_save_async       (PsFilterStore        *self,
                                                 const char           *name,
                                                 PsCondition          *condition,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PsSavedFilter *ps_filter_store_save_finish      (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ps_filter_store_delete_async     (PsFilterStore        *self,
                                                 const char           *name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       ps_filter_store_delete_finish    (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ps_filter_store_duplicate_async  (PsFilterStore        *self,
                                                 const char           *name,
                                                 const char           *new_name,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PsSavedFilter *ps_filter_store_duplicate_finish (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

void           ps_filter_store_replace_async    (PsFilterStore        *self,
                                                 const char           *old_name,
                                                 const char           *name,
                                                 PsCondition          *condition,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PsSavedFilter *ps_filter_store_replace_finish   (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
void           ps_filter_store_restore_async    (PsFilterStore        *self,
                                                 const PsSavedFilter  *filter,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
PsSavedFilter *ps_filter_store_restore_finish   (PsFilterStore        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Worker thread only (CLI, tests, other jobs); each write is its own
 * transaction, so call them outside one. */
GPtrArray     *ps_filter_store_list_sync        (PsDatabase           *database,
                                                 GError              **error);
PsSavedFilter *ps_filter_store_get_sync         (PsDatabase           *database,
                                                 const char           *name,
                                                 GError              **error);
PsSavedFilter *ps_filter_store_save_sync        (PsDatabase           *database,
                                                 const char           *name,
                                                 PsCondition          *condition,
                                                 GError              **error);
gboolean       ps_filter_store_delete_sync      (PsDatabase           *database,
                                                 const char           *name,
                                                 GError              **error);
PsSavedFilter *ps_filter_store_duplicate_sync   (PsDatabase           *database,
                                                 const char           *name,
                                                 const char           *new_name,
                                                 GError              **error);

PsSavedFilter *ps_filter_store_replace_sync     (PsDatabase           *database,
                                                 const char           *old_name,
                                                 const char           *name,
                                                 PsCondition          *condition,
                                                 GError              **error);
PsSavedFilter *ps_filter_store_restore_sync     (PsDatabase           *database,
                                                 const PsSavedFilter  *filter,
                                                 GError              **error);

G_END_DECLS
