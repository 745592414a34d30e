/* ps-orders-page.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-context.h"
#include "ps-order-list.h"

G_BEGIN_DECLS

#define PS_TYPE_ORDERS_PAGE (ps_orders_page_get_type ())

G_DECLARE_FINAL_TYPE (PsOrdersPage, ps_orders_page, PS, ORDERS_PAGE, GtkWidget)

void         ps_orders_page_set_context (PsOrdersPage *self,
                                         PsContext    *context);
void         ps_orders_page_set_settings  (PsOrdersPage *self,
                                           GSettings    *settings);
GMenuModel  *ps_orders_page_get_columns_menu (PsOrdersPage *self);
GActionGroup *ps_orders_page_get_column_actions (PsOrdersPage *self);
void         ps_orders_page_set_condition (PsOrdersPage *self,
                                           PsCondition  *condition);
PsOrderList *ps_orders_page_get_list    (PsOrdersPage *self);
void         ps_orders_page_start_search (PsOrdersPage *self);
GtkSearchBar *ps_orders_page_get_search_bar (PsOrdersPage *self);
GtkWidget   *ps_orders_page_get_view    (PsOrdersPage *self);

G_END_DECLS
