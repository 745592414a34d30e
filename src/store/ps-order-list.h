/* ps-order-list.h: a lazy GListModel of orders
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-order-store.h"

G_BEGIN_DECLS

#define PS_TYPE_ORDER_LIST (ps_order_list_get_type ())

G_DECLARE_FINAL_TYPE (PsOrderList, ps_order_list, PS, ORDER_LIST, GObject)

PsOrderList  *ps_order_list_new         (PsOrderStore *store);
PsOrderStore *ps_order_list_get_store   (PsOrderList  *self);
gboolean      ps_order_list_get_loading (PsOrderList  *self);
void          ps_order_list_set_sort    (PsOrderList  *self,
                                         PsOrderSort   sort,
                                         gboolean      descending);
PsCondition  *ps_order_list_get_condition (PsOrderList *self);
void          ps_order_list_set_condition (PsOrderList *self,
                                         PsCondition  *condition);
const char   *ps_order_list_get_search  (PsOrderList  *self);
void          ps_order_list_set_search  (PsOrderList  *self,
                                         const char   *text);
void          ps_order_list_reload      (PsOrderList  *self);
gint64        ps_order_list_get_id      (PsOrderList  *self,
                                         guint         position);

G_END_DECLS
