/* ps-batch-dialog.h: buy and print labels for many orders at once
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-shipping-service.h"

G_BEGIN_DECLS

#define PS_TYPE_BATCH_DIALOG (ps_batch_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PsBatchDialog, ps_batch_dialog, PS, BATCH_DIALOG, AdwWindow)

PsBatchDialog *ps_batch_dialog_new      (GtkWindow         *parent,
                                         PsShippingService *service,
                                         GSettings         *settings,
                                         const gint64      *order_ids,
                                         gsize              n_orders);
void           ps_batch_dialog_start    (PsBatchDialog     *self);
gboolean       ps_batch_dialog_get_busy (PsBatchDialog     *self);
guint          ps_batch_dialog_get_n_bought (PsBatchDialog *self);
guint          ps_batch_dialog_get_n_failed (PsBatchDialog *self);

G_END_DECLS
