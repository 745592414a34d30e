/* ps-import-service-private.h: what the import service's files share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ps-import-service.c, ps-import-sources.c and ps-import-preview.c only.
 */

#pragma once

#include "ps-import-service.h"

G_BEGIN_DECLS

/**
 * PsImportUnit:
 * @file: an export file
 * @items: (nullable): the EtsySoldOrderItems file joined to @file, an
 *   EtsySoldOrders file
 *
 * What is imported in one transaction.
 */
typedef struct
{
  GFile *file;
  GFile *items;
} PsImportUnit;

void             _ps_import_unit_clear           (gpointer                 unit);
GArray          *_ps_import_plan_units           (GFile                  **files,
                                                  guint                    n_files,
                                                  PsImportFormat           format,
                                                  GCancellable            *cancellable);
PsImportReader  *_ps_import_open_unit            (const PsImportUnit      *unit,
                                                  PsImportFormat           format,
                                                  const PsImportMapping   *mapping,
                                                  PsDatabase              *db,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
gboolean         _ps_import_reader_needs_mapping (PsImportReader          *reader,
                                                  const PsImportMapping   *mapping);
GArray          *_ps_import_problems_new         (void);
void             _ps_import_problems_append      (GArray                  *to,
                                                  const GArray            *from);

G_END_DECLS
