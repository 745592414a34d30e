/* ps-order-export.h: orders to a CSV file a spreadsheet can open safely
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-context.h"

G_BEGIN_DECLS

/**
 * PsOrderExportFlags:
 * @PS_ORDER_EXPORT_FLAGS_NONE: UTF-8 without a byte order mark
 * @PS_ORDER_EXPORT_FLAGS_BOM: start the file with a UTF-8 byte order mark,
 *   which older Excel versions need to read non-ASCII text as UTF-8
 */
typedef enum
{
  PS_ORDER_EXPORT_FLAGS_NONE = 0,
  PS_ORDER_EXPORT_FLAGS_BOM  = 1 << 0,
} PsOrderExportFlags;

/**
 * PsOrderExportProgressFunc:
 * @done: orders looked up so far (written, or skipped because they no
 *   longer exist)
 * @total: orders asked for
 * @user_data: the progress data
 *
 * Called on the caller's main context at most about ten times a second
 * while an export runs, and once with @done == @total when every order
 * has been written (before the file is moved into place).
 */
typedef void (*PsOrderExportProgressFunc) (guint64  done,
                                           guint64  total,
                                           gpointer user_data);

void         ps_order_export_async          (PsContext                  *context,
                                             const gint64               *ids,
                                             gsize                       n_ids,
                                             GFile                      *destination,
                                             PsOrderExportFlags          flags,
                                             PsOrderExportProgressFunc   progress,
                                             gpointer                    progress_data,
                                             GDestroyNotify              progress_destroy,
                                             GCancellable               *cancellable,
                                             GAsyncReadyCallback         callback,
                                             gpointer                    user_data);
gint64       ps_order_export_finish         (PsContext                  *context,
                                             GAsyncResult               *result,
                                             GError                    **error);

/* The parts of the file format, for callers and tests. */
const char * const *ps_order_export_get_header (void);
guint        ps_order_export_get_n_columns  (void);
void         ps_order_export_append_cell    (GString                    *out,
                                             const char                 *text,
                                             gboolean                    external);
char        *ps_order_export_suggest_name   (GDateTime                  *now);

G_END_DECLS
