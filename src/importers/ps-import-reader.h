/* ps-import-reader.h: stream an export file into normalized order records
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-import-format.h"
#include "ps-import-mapping.h"
#include "ps-import-record.h"

G_BEGIN_DECLS

#define PS_IMPORT_ERROR (ps_import_error_quark ())

/**
 * PsImportError:
 * @PS_IMPORT_ERROR_READ: the file could not be read (I/O error, missing)
 * @PS_IMPORT_ERROR_EMPTY: the file is empty (or only blank lines)
 * @PS_IMPORT_ERROR_BINARY: the file is not text (NUL bytes, an image, a
 *   spreadsheet saved as .xlsx); decided from its first bytes, never by
 *   reading a huge file to the end
 * @PS_IMPORT_ERROR_ENCODING: the text cannot be converted to UTF-8
 * @PS_IMPORT_ERROR_HEADER_ONLY: a header row and no data rows
 * @PS_IMPORT_ERROR_NEEDS_MAPPING: the header matches no known dialect and
 *   no mapping was given; ps_import_reader_get_header() tells the columns
 * @PS_IMPORT_ERROR_BAD_MAPPING: the mapping lacks a required field (order
 *   number) or names a column that is not in the file
 * @PS_IMPORT_ERROR_WRONG_FORMAT: a --format was forced that the header
 *   does not fit
 */
typedef enum
{
  PS_IMPORT_ERROR_READ,
  PS_IMPORT_ERROR_EMPTY,
  PS_IMPORT_ERROR_BINARY,
  PS_IMPORT_ERROR_ENCODING,
  PS_IMPORT_ERROR_HEADER_ONLY,
  PS_IMPORT_ERROR_NEEDS_MAPPING,
  PS_IMPORT_ERROR_BAD_MAPPING,
  PS_IMPORT_ERROR_WRONG_FORMAT,
} PsImportError;

GQuark ps_import_error_quark (void);

typedef struct _PsImportReader PsImportReader;

/* Opening reads only the start of the file: encoding (uchardet, on the
 * first 64 KiB; a UTF-8 BOM wins), delimiter (comma, semicolon or tab),
 * preamble lines (eBay), the header row and the dialect. format AUTO
 * detects; GENERIC requires @mapping. Any thread; not thread-safe. */
PsImportReader       *ps_import_reader_new           (GFile                  *file,
                                                      PsImportFormat          format,
                                                      const PsImportMapping  *mapping,
                                                      GCancellable           *cancellable,
                                                      GError                **error);
/* Etsy's two files, joined on Order ID: orders with their items. */
PsImportReader       *ps_import_reader_new_etsy      (GFile                  *orders_file,
                                                      GFile                  *items_file,
                                                      GCancellable           *cancellable,
                                                      GError                **error);
void                  ps_import_reader_free          (PsImportReader         *self);

PsImportFormat        ps_import_reader_get_format    (PsImportReader         *self);
const char           *ps_import_reader_get_encoding  (PsImportReader         *self);
char                  ps_import_reader_get_delimiter (PsImportReader         *self);
const char * const   *ps_import_reader_get_header    (PsImportReader         *self,
                                                      guint                  *n_columns);

/* For a header that needs a mapping: the first data rows as cells, each
 * as wide as the header (element-type GStrv). Only before the first
 * _next(); the reader reads no records afterwards. */
GPtrArray            *ps_import_reader_read_sample   (PsImportReader         *self,
                                                      guint                   max_rows,
                                                      GCancellable           *cancellable,
                                                      GError                **error);

/* The next order, or NULL at the end (error unset) or on a fatal error
 * (error set: I/O, encoding). Rows that cannot be used are skipped and
 * reported through ps_import_reader_get_problems(); they never end the
 * import. Rows of one order must be adjacent, as every dialect writes them. */
PsImportRecord       *ps_import_reader_next          (PsImportReader         *self,
                                                      GCancellable           *cancellable,
                                                      GError                **error);
/* (element-type PsImportProblem), in line order, owned by the reader. */
GArray               *ps_import_reader_get_problems  (PsImportReader         *self);
guint                 ps_import_reader_get_rows_read (PsImportReader         *self);
goffset               ps_import_reader_get_bytes_read (PsImportReader        *self);
goffset               ps_import_reader_get_size      (PsImportReader         *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsImportReader, ps_import_reader_free)

G_END_DECLS
