/* ps-rate-dialog.h: compare rates for one order, buy and print its label
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-shipping-service.h"

G_BEGIN_DECLS

#define PS_TYPE_RATE_DIALOG (ps_rate_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PsRateDialog, ps_rate_dialog, PS, RATE_DIALOG, AdwWindow)

PsRateDialog  *ps_rate_dialog_new            (GtkWindow         *parent,
                                              PsShippingService *service,
                                              GSettings         *settings,
                                              gint64             order_id);
GBytes        *ps_rate_dialog_get_label      (PsRateDialog      *self);
const char    *ps_rate_dialog_get_tracking   (PsRateDialog      *self);
guint          ps_rate_dialog_get_n_rates    (PsRateDialog      *self);
gboolean       ps_rate_dialog_select_rate    (PsRateDialog      *self,
                                              guint              index);

G_END_DECLS
