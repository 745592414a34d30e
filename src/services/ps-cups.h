/* ps-cups.h: local printers through libcups, without GTK
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PS_CUPS_ERROR (ps_cups_error_quark ())

/**
 * PsCupsError:
 * @PS_CUPS_ERROR_NO_SCHEDULER: the print system (cupsd) cannot be reached
 * @PS_CUPS_ERROR_NOT_FOUND: there is no printer by that name
 * @PS_CUPS_ERROR_UNAVAILABLE: the printer is stopped (paused, offline) or
 *   does not accept jobs
 * @PS_CUPS_ERROR_CONTENT: the file is not a PDF, PNG or ZPL label, or
 *   cannot be read
 * @PS_CUPS_ERROR_FAILED: CUPS refused the job
 *
 * Every message names the printer or the file, and says what to do.
 */
typedef enum
{
  PS_CUPS_ERROR_NO_SCHEDULER,
  PS_CUPS_ERROR_NOT_FOUND,
  PS_CUPS_ERROR_UNAVAILABLE,
  PS_CUPS_ERROR_CONTENT,
  PS_CUPS_ERROR_FAILED,
} PsCupsError;

GQuark ps_cups_error_quark (void);

/**
 * PsCupsPrintFlags:
 * @PS_CUPS_PRINT_FLAGS_NONE: PDF and PNG go through the queue's filters
 *   at their own page size (PNG is fitted onto a 4x6 in label)
 * @PS_CUPS_PRINT_FLAGS_RAW: send the bytes unchanged, as a thermal printer
 *   wants ZPL; implied for ZPL
 */
typedef enum
{
  PS_CUPS_PRINT_FLAGS_NONE = 0,
  PS_CUPS_PRINT_FLAGS_RAW  = 1 << 0,
} PsCupsPrintFlags;

/**
 * PsCupsPrinter:
 * @name: the queue name, as lp -d takes it
 * @description: (nullable): the human description ("printer-info")
 * @is_default: whether it is the system's default printer
 * @is_available: whether it is neither stopped nor refusing jobs
 *
 * One CUPS destination, as listed by ps_cups_list_printers().
 */
typedef struct
{
  char     *name;
  char     *description;
  gboolean  is_default;
  gboolean  is_available;
} PsCupsPrinter;

void       ps_cups_printer_free         (PsCupsPrinter      *printer);

GPtrArray *ps_cups_list_printers        (GError            **error);
void       ps_cups_list_printers_async  (GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray *ps_cups_list_printers_finish (GAsyncResult       *result,
                                         GError            **error);
gboolean   ps_cups_check_printer        (const char         *printer,
                                         GError            **error);
char      *ps_cups_dup_default_printer  (GError            **error);
int        ps_cups_print_file           (const char         *printer,
                                         const char         *path,
                                         const char         *title,
                                         int                 copies,
                                         PsCupsPrintFlags    flags,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCupsPrinter, ps_cups_printer_free)

G_END_DECLS
