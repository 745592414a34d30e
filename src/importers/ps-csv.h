/* ps-csv.h: a streaming CSV row reader (private to importers/)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The size of the sniffing window and of every read. */
#define PS_CSV_CHUNK_SIZE (64 * 1024)

/**
 * PsCsvRow:
 * @line: the physical line (1-based) where the row starts
 * @n_cells: the number of cells
 * @cells: (array length=n_cells): the cells, UTF-8, never %NULL; the array
 *   is also %NULL-terminated
 *
 * Owned by the #PsCsv; valid until the next call on it.
 */
typedef struct
{
  guint               line;
  guint               n_cells;
  const char * const *cells;
} PsCsvRow;

typedef struct _PsCsv PsCsv;

PsCsv          *ps_csv_new             (GInputStream  *stream,
                                        GCancellable  *cancellable,
                                        GError       **error);
void            ps_csv_free            (PsCsv         *self);
const char     *ps_csv_get_encoding    (PsCsv         *self);
char            ps_csv_get_delimiter   (PsCsv         *self);
void            ps_csv_set_skip_footer (PsCsv         *self,
                                        gboolean       skip_footer);
const PsCsvRow *ps_csv_next            (PsCsv         *self,
                                        GCancellable  *cancellable,
                                        GError       **error);
void            ps_csv_unread          (PsCsv         *self);
const PsCsvRow *ps_csv_read_header     (PsCsv         *self,
                                        GCancellable  *cancellable,
                                        GError       **error);
guint           ps_csv_count_non_empty (const PsCsvRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCsv, ps_csv_free)

G_END_DECLS
