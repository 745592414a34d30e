/* ps-packing-slip.h: packing slips as PDF
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-address.h"
#include "ps-money.h"

G_BEGIN_DECLS

/**
 * PsPaper:
 * @PS_PAPER_LETTER: US Letter, 612 × 792 pt
 * @PS_PAPER_A4: A4, 595.28 × 841.89 pt
 * @PS_PAPER_4X6: a 4 × 6 in label, 288 × 432 pt
 *
 * Paper for documents (packing slips, handoff sheets).
 */
typedef enum
{
  PS_PAPER_LETTER,
  PS_PAPER_A4,
  PS_PAPER_4X6,
} PsPaper;

void ps_paper_get_points (PsPaper  paper,
                          double  *width,
                          double  *height);

/**
 * PsPackingSlipItem:
 * @sku: (nullable): the SKU
 * @name: the product name
 * @variant: (nullable): the variant ("Blue / L")
 * @quantity: how many
 */
typedef struct
{
  char   *sku;
  char   *name;
  char   *variant;
  gint64  quantity;
} PsPackingSlipItem;

#define PS_TYPE_PACKING_SLIP (ps_packing_slip_get_type ())

/**
 * PsPackingSlip:
 * @store_name: the store, printed in the header
 * @logo_path: (nullable): a PNG file drawn at the header's left; a
 *   missing or unreadable file is skipped
 * @order_number: the order number, also printed as Code 128
 * @order_date: UTC Unix seconds, 0 when unknown
 * @ship_to: (nullable): where it goes
 * @items: (element-type PsPackingSlipItem): the lines
 * @subtotal: (nullable): totals are printed only when set
 * @shipping: (nullable): shipping charged
 * @total: (nullable): order total
 * @notes: (nullable): notes for the customer
 *
 * Data only, owned by the slip. Items are added with
 * ps_packing_slip_add_item().
 */
typedef struct
{
  char      *store_name;
  char      *logo_path;
  char      *order_number;
  gint64     order_date;
  PsAddress *ship_to;
  GPtrArray *items;
  PsMoney   *subtotal;
  PsMoney   *shipping;
  PsMoney   *total;
  char      *notes;
} PsPackingSlip;

GType          ps_packing_slip_get_type   (void) G_GNUC_CONST;
PsPackingSlip *ps_packing_slip_new        (void);
PsPackingSlip *ps_packing_slip_copy       (const PsPackingSlip *self);
void           ps_packing_slip_free       (PsPackingSlip       *self);
void           ps_packing_slip_add_item   (PsPackingSlip       *self,
                                           const char          *sku,
                                           const char          *name,
                                           const char          *variant,
                                           gint64               quantity);
GBytes        *ps_packing_slip_render_pdf (const PsPackingSlip * const *slips,
                                           guint                n_slips,
                                           PsPaper              paper,
                                           GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsPackingSlip, ps_packing_slip_free)

G_END_DECLS
