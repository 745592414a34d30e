/* ps-label-printer.h: prints a batch of labels on a local printer
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-enums.h"
#include "ps-label-size.h"
#include "ps-label-spec.h"

G_BEGIN_DECLS

#define PS_LABEL_PRINTER_ERROR (ps_label_printer_error_quark ())

/**
 * PsLabelPrinterError:
 * @PS_LABEL_PRINTER_ERROR_NOT_AVAILABLE: the chosen printer is missing,
 *   paused, offline or not accepting jobs; the message names it and the fix
 * @PS_LABEL_PRINTER_ERROR_FAILED: the print system refused the job
 * @PS_LABEL_PRINTER_ERROR_EMPTY: there is nothing to print
 * @PS_LABEL_PRINTER_ERROR_UNSUPPORTED: a label cannot go the way asked
 *   (ZPL bytes need a label printer, not the print dialog)
 */
typedef enum
{
  PS_LABEL_PRINTER_ERROR_NOT_AVAILABLE,
  PS_LABEL_PRINTER_ERROR_FAILED,
  PS_LABEL_PRINTER_ERROR_EMPTY,
  PS_LABEL_PRINTER_ERROR_UNSUPPORTED,
} PsLabelPrinterError;

GQuark ps_label_printer_error_quark (void);

#define PS_TYPE_LABEL_PRINTER (ps_label_printer_get_type ())

G_DECLARE_FINAL_TYPE (PsLabelPrinter, ps_label_printer, PS, LABEL_PRINTER, GObject)

PsLabelPrinter *ps_label_printer_new             (void);
void            ps_label_printer_add_spec        (PsLabelPrinter      *self,
                                                  const PsLabelSpec   *spec);
gboolean        ps_label_printer_add_bytes       (PsLabelPrinter      *self,
                                                  GBytes              *bytes,
                                                  GError             **error);
guint           ps_label_printer_get_n_labels    (PsLabelPrinter      *self);
void            ps_label_printer_clear           (PsLabelPrinter      *self);

void            ps_label_printer_set_title       (PsLabelPrinter      *self,
                                                  const char          *title);
void            ps_label_printer_set_printer     (PsLabelPrinter      *self,
                                                  const char          *name);
const char     *ps_label_printer_get_printer     (PsLabelPrinter      *self);
void            ps_label_printer_set_format      (PsLabelPrinter      *self,
                                                  PsLabelFormat        format);
void            ps_label_printer_set_dpi         (PsLabelPrinter      *self,
                                                  int                  dpi);
void            ps_label_printer_set_paper       (PsLabelPrinter      *self,
                                                  PsLabelSize          paper);
void            ps_label_printer_set_offsets     (PsLabelPrinter      *self,
                                                  double               x_mm,
                                                  double               y_mm);
void            ps_label_printer_load_settings   (PsLabelPrinter      *self,
                                                  GSettings           *settings);

guint           ps_label_printer_get_n_pages     (PsLabelPrinter      *self);
gboolean        ps_label_printer_draw_page       (PsLabelPrinter      *self,
                                                  cairo_t             *cr,
                                                  guint                page,
                                                  GError             **error);

void            ps_label_printer_print_async     (PsLabelPrinter      *self,
                                                  GtkWindow           *parent,
                                                  gboolean             with_dialog,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean        ps_label_printer_print_finish    (PsLabelPrinter      *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
