/* ps-import-mapping-store.h: saved column mappings for unknown CSV layouts
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"

G_BEGIN_DECLS

/**
 * PsImportMappingRow:
 * @id: the row id
 * @source_key: the layout's key (a hash of its normalized header, made by
 *   the import service)
 * @name: what the merchant called it ("Market stall sheet")
 * @mapping: the mapping as JSON text; store/ does not interpret it
 * @created_at: when it was first saved
 * @updated_at: when it was last saved
 *
 * One saved mapping. store/ cannot see importers/, so the mapping travels
 * as the JSON its owner wrote; the service converts.
 */
typedef struct
{
  gint64  id;
  char   *source_key;
  char   *name;
  char   *mapping;
  gint64  created_at;
  gint64  updated_at;
} PsImportMappingRow;

void                ps_import_mapping_row_free              (PsImportMappingRow   *row);

/* Worker thread only. */
gboolean            ps_import_mapping_store_save_sync       (PsDatabase           *database,
                                                             const char           *source_key,
                                                             const char           *name,
                                                             const char           *mapping,
                                                             gint64                now,
                                                             GError              **error);
PsImportMappingRow *ps_import_mapping_store_lookup_key_sync (PsDatabase           *database,
                                                             const char           *source_key,
                                                             GError              **error);
PsImportMappingRow *ps_import_mapping_store_lookup_name_sync (PsDatabase          *database,
                                                             const char           *name,
                                                             GError              **error);
GPtrArray          *ps_import_mapping_store_list_sync       (PsDatabase           *database,
                                                             GError              **error);
gboolean            ps_import_mapping_store_delete_sync     (PsDatabase           *database,
                                                             const char           *source_key,
                                                             GError              **error);

/* Any thread with a main context: jobs on the database worker. */
void                ps_import_mapping_store_list_async      (PsDatabase           *database,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray          *ps_import_mapping_store_list_finish     (PsDatabase           *database,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void                ps_import_mapping_store_delete_async    (PsDatabase           *database,
                                                             const char           *source_key,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean            ps_import_mapping_store_delete_finish   (PsDatabase           *database,
                                                             GAsyncResult         *result,
                                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportMappingRow, ps_import_mapping_row_free)

G_END_DECLS
