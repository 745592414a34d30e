/* ps-import-service.h: order exports into the database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-context.h"
#include "ps-import-format.h"
#include "ps-import-mapping.h"
#include "ps-import-reader.h"
#include "ps-import-record.h"

G_BEGIN_DECLS

/**
 * PsImportFileResult:
 * @orders_created: orders new to the database
 * @orders_updated: orders already there whose channel fields, line items or
 *   tracking numbers changed
 * @orders_unchanged: orders already there exactly as the file has them
 * @line_items: line items of the created and updated orders
 * @rows_rejected: rows that could not be used (@problems says why)
 * @shipments_created: shipments added for tracking numbers in the file
 * @problems: (element-type PsImportProblem): the rejected rows, in line
 *   order
 * @format: the dialect the file was read as
 * @encoding: (nullable): the file's text encoding
 * @file_name: the file's display name (its base name; "orders.csv +
 *   items.csv" for an Etsy pair)
 * @file: the file (the orders file of an Etsy pair)
 * @error: (nullable): why this file was not imported at all (unreadable,
 *   not recognized, cancelled...); %NULL when it was processed
 *
 * What one file did. A file is imported in one transaction: with @error
 * set, nothing of it was written.
 */
typedef struct
{
  guint           orders_created;
  guint           orders_updated;
  guint           orders_unchanged;
  guint           line_items;
  guint           rows_rejected;
  guint           shipments_created;
  GArray         *problems;
  PsImportFormat  format;
  char           *encoding;
  char           *file_name;
  GFile          *file;
  GError         *error;
} PsImportFileResult;

/**
 * PsImportResult:
 * @files: (element-type PsImportFileResult): one entry per file imported
 *   (an Etsy orders + items pair counts as one)
 * @orders_created: the sum over @files
 * @orders_updated: the sum over @files
 * @orders_unchanged: the sum over @files
 * @line_items: the sum over @files
 * @rows_rejected: the sum over @files
 * @shipments_created: the sum over @files
 * @n_failed: files that were not imported at all (their @error is set)
 */
typedef struct
{
  GPtrArray *files;
  guint      orders_created;
  guint      orders_updated;
  guint      orders_unchanged;
  guint      line_items;
  guint      rows_rejected;
  guint      shipments_created;
  guint      n_failed;
} PsImportResult;

/**
 * PsImportProgressFunc:
 * @file_index: the file being imported (0-based, as in #PsImportResult)
 * @n_files: how many files the import has
 * @bytes_done: bytes of that file read so far
 * @bytes_total: the file's size
 * @orders_done: orders written so far, over all files
 * @user_data: the progress data
 *
 * Called on the caller's main context, about 12 times a second while an
 * import runs and once at the end of each file.
 */
typedef void (*PsImportProgressFunc) (guint    file_index,
                                      guint    n_files,
                                      goffset  bytes_done,
                                      goffset  bytes_total,
                                      guint    orders_done,
                                      gpointer user_data);

/**
 * PsImportPreview:
 * @orders: orders the file(s) hold
 * @line_items: their line items
 * @warnings: warnings over all records (unknown country, ...)
 * @rows_rejected: rows that would be rejected
 * @sample: (element-type PsImportRecord): the first records
 * @problems: (element-type PsImportProblem): the rejected rows
 * @format: the detected (or forced) dialect
 * @encoding: (nullable): the text encoding
 * @header: (nullable): the column names of the (first) file
 * @needs_mapping: the header matches no dialect and no mapping was given
 *   or saved: the counts are 0 and @header, @guess and @sample_rows are
 *   set so the caller can ask for a mapping and preview again
 * @guess: (nullable): with @needs_mapping, a guess from the column names
 *   and sample values
 * @sample_rows: (nullable) (element-type GStrv): with @needs_mapping, the
 *   first data rows as cells, as wide as @header
 */
typedef struct
{
  guint             orders;
  guint             line_items;
  guint             warnings;
  guint             rows_rejected;
  GPtrArray        *sample;
  GArray           *problems;
  PsImportFormat    format;
  char             *encoding;
  GStrv             header;
  gboolean          needs_mapping;
  PsImportMapping  *guess;
  GPtrArray        *sample_rows;
} PsImportPreview;

void             ps_import_result_free                  (PsImportResult          *result);
void             ps_import_preview_free                 (PsImportPreview         *preview);

void             ps_import_service_import_async         (PsContext               *context,
                                                         GFile                  **files,
                                                         guint                    n_files,
                                                         PsImportFormat           format,
                                                         const PsImportMapping   *mapping,
                                                         PsImportProgressFunc     progress,
                                                         gpointer                 progress_data,
                                                         GDestroyNotify           progress_destroy,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
PsImportResult  *ps_import_service_import_finish        (PsContext               *context,
                                                         GAsyncResult            *result,
                                                         GError                 **error);

void             ps_import_service_preview_async        (GFile                  **files,
                                                         guint                    n_files,
                                                         PsImportFormat           format,
                                                         const PsImportMapping   *mapping,
                                                         guint                    n_sample,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
PsImportPreview *ps_import_service_preview_finish       (GAsyncResult            *result,
                                                         GError                 **error);

void             ps_import_service_lookup_mapping_async (PsContext               *context,
                                                         const char * const      *header,
                                                         guint                    n_columns,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
PsImportMapping *ps_import_service_lookup_mapping_finish (PsContext              *context,
                                                         GAsyncResult            *result,
                                                         GError                 **error);
void             ps_import_service_save_mapping_async   (PsContext               *context,
                                                         const char * const      *header,
                                                         guint                    n_columns,
                                                         const char              *name,
                                                         const PsImportMapping   *mapping,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean         ps_import_service_save_mapping_finish  (PsContext               *context,
                                                         GAsyncResult            *result,
                                                         GError                 **error);

void             ps_import_service_save_rejected_async  (PsImportResult          *result,
                                                         GFile                   *destination,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean         ps_import_service_save_rejected_finish (GAsyncResult            *result,
                                                         GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportResult, ps_import_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportPreview, ps_import_preview_free)

G_END_DECLS
