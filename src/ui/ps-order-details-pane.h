/* ps-order-details-pane.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-order-store.h"

G_BEGIN_DECLS

#define PS_TYPE_ORDER_DETAILS_PANE (ps_order_details_pane_get_type ())

G_DECLARE_FINAL_TYPE (PsOrderDetailsPane, ps_order_details_pane, PS, ORDER_DETAILS_PANE, GtkWidget)

void   ps_order_details_pane_set_store (PsOrderDetailsPane *self,
                                        PsOrderStore       *store);
void   ps_order_details_pane_show      (PsOrderDetailsPane *self,
                                        gint64              order_id);
gint64 ps_order_details_pane_get_id    (PsOrderDetailsPane *self);

G_END_DECLS
