/* ps-label-layout-private.h: our label layout, computed once for cairo and ZPL
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <pango/pangocairo.h>

#include "ps-label-barcode.h"
#include "ps-label-size.h"
#include "ps-label-spec.h"

G_BEGIN_DECLS

typedef enum
{
  PS_LAYOUT_TEXT,
  PS_LAYOUT_BOX,
  PS_LAYOUT_BARCODE,
} PsLayoutKind;

/* One thing on the label. Geometry is in points in upright label space;
 * barcodes also carry their placement in printer dots (whole dots). A
 * text's layout may be shared with other labels laid out on the same
 * thread (see _ps_text_fit_cached()): read it, never change it. */
typedef struct
{
  PsLayoutKind     kind;
  double           x, y, width, height;
  /* text */
  PangoLayout     *text;
  /* box: 0 means filled */
  double           thickness;
  /* barcode */
  PsLabelBarcode  *barcode;
  PsBarcodeSymbol *symbol;
  int              x_dots, y_dots;   /* top left of the quiet zone */
  int              module_dots;      /* 0 for MaxiCode (fixed size) */
  int              bar_dots;         /* bar height of linear symbols */
  int              quiet_dots;       /* left quiet zone */
  double           module;           /* points per module */
} PsLayoutItem;

typedef struct
{
  GPtrArray    *items;
  double        width;
  double        height;
  int           dpi;
} PsLabelLayout;

PsLabelLayout *_ps_label_layout_new  (const PsLabelSpec *spec,
                                      PsLabelSize        size,
                                      int                dpi,
                                      GError           **error);
void           _ps_label_layout_free (PsLabelLayout     *layout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLabelLayout, _ps_label_layout_free)

G_END_DECLS
