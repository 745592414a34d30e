/* ps-handoff-sheet.h: the end-of-day handoff sheet as PDF
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-packing-slip.h"

G_BEGIN_DECLS

/**
 * PsHandoffShipment:
 * @carrier: the carrier as printed ("UPS"); shipments are grouped by it
 * @tracking_number: the tracking number, printed and as Code 128
 * @service: (nullable): the service
 * @weight_grams: the weight, 0 when unknown
 * @order_number: (nullable): the order
 */
typedef struct
{
  char   *carrier;
  char   *tracking_number;
  char   *service;
  gint64  weight_grams;
  char   *order_number;
} PsHandoffShipment;

#define PS_TYPE_HANDOFF_SHEET (ps_handoff_sheet_get_type ())

/**
 * PsHandoffSheet:
 * @date: the day handed over, UTC Unix seconds
 * @store_name: (nullable): the store
 * @shipments: (element-type PsHandoffShipment): what the driver takes
 */
typedef struct
{
  gint64     date;
  char      *store_name;
  GPtrArray *shipments;
} PsHandoffSheet;

GType           ps_handoff_sheet_get_type     (void) G_GNUC_CONST;
PsHandoffSheet *ps_handoff_sheet_new          (void);
PsHandoffSheet *ps_handoff_sheet_copy         (const PsHandoffSheet *self);
void            ps_handoff_sheet_free         (PsHandoffSheet       *self);
void            ps_handoff_sheet_add          (PsHandoffSheet       *self,
                                               const char           *carrier,
                                               const char           *tracking_number,
                                               const char           *service,
                                               gint64                weight_grams,
                                               const char           *order_number);
GBytes         *ps_handoff_sheet_render_pdf   (const PsHandoffSheet *self,
                                               PsPaper               paper,
                                               GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsHandoffSheet, ps_handoff_sheet_free)

G_END_DECLS
