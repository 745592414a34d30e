/* ps-order.h: one order as the UI sees it, filled lazily
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-enums.h"

G_BEGIN_DECLS

/**
 * PsOrderRow:
 *
 * The plain row the store reads on its worker thread and hands to the main
 * thread, where it fills a #PsOrder. Strings are owned by the row. The
 * carrier, service and tracking fields describe the order's most recent
 * shipment, or are empty when it has none.
 */
typedef struct
{
  gint64            id;
  char             *order_number;
  char             *channel_name;
  PsChannelKind     channel_kind;
  char             *customer_name;
  char             *customer_email;
  PsOrderStatus     status;
  gint64            created_at;
  int               item_count;
  gint64            total_minor;
  char              currency[4];
  char             *ship_city;
  char             *ship_state;
  char             *ship_country;
  char             *carrier;
  char             *service;
  PsTrackingStatus  tracking_status;
  gboolean          address_issue;
} PsOrderRow;

void ps_order_row_clear (PsOrderRow *row);
void ps_order_row_free  (PsOrderRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsOrderRow, ps_order_row_free)

#define PS_TYPE_ORDER (ps_order_get_type ())

G_DECLARE_FINAL_TYPE (PsOrder, ps_order, PS, ORDER, GObject)

PsOrder          *ps_order_new_stub           (gint64            id);
gint64            ps_order_get_id             (PsOrder          *self);
gboolean          ps_order_get_loaded         (PsOrder          *self);
const char       *ps_order_get_order_number   (PsOrder          *self);
const char       *ps_order_get_channel_name   (PsOrder          *self);
PsChannelKind     ps_order_get_channel_kind   (PsOrder          *self);
const char       *ps_order_get_customer_name  (PsOrder          *self);
const char       *ps_order_get_customer_email (PsOrder          *self);
PsOrderStatus     ps_order_get_status         (PsOrder          *self);
gint64            ps_order_get_created_at     (PsOrder          *self);
int               ps_order_get_item_count     (PsOrder          *self);
gint64            ps_order_get_total_minor    (PsOrder          *self);
const char       *ps_order_get_currency       (PsOrder          *self);
const char       *ps_order_get_ship_city      (PsOrder          *self);
const char       *ps_order_get_ship_state     (PsOrder          *self);
const char       *ps_order_get_ship_country   (PsOrder          *self);
const char       *ps_order_get_carrier        (PsOrder          *self);
const char       *ps_order_get_service        (PsOrder          *self);
PsTrackingStatus  ps_order_get_tracking_status (PsOrder         *self);
gboolean          ps_order_get_address_issue  (PsOrder          *self);
void              ps_order_apply_row          (PsOrder          *self,
                                               const PsOrderRow *row);

G_END_DECLS
