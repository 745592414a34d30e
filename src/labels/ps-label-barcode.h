/* ps-label-barcode.h: the barcodes a label carries, and drawing them with libzint
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "ps-label-spec.h"

G_BEGIN_DECLS

/**
 * PsBarcodeKind:
 * @PS_BARCODE_CODE128: Code 128; data is the text encoded
 * @PS_BARCODE_GS1_128: GS1-128; data is AIs in square brackets,
 *   "[420]94107[92]05590…"
 * @PS_BARCODE_DATAMATRIX: DataMatrix ECC 200, square; data is UTF-8
 * @PS_BARCODE_PDF417: PDF417; data may hold RS/GS/EOT control characters
 * @PS_BARCODE_MAXICODE: MaxiCode; @primary holds the postcode, country
 *   and service class of modes 2 and 3, data the secondary message
 */
typedef enum
{
  PS_BARCODE_CODE128,
  PS_BARCODE_GS1_128,
  PS_BARCODE_DATAMATRIX,
  PS_BARCODE_PDF417,
  PS_BARCODE_MAXICODE,
} PsBarcodeKind;

/**
 * PsBarcodeRole:
 * @PS_BARCODE_ROLE_TRACKING: the tracking barcode at the bottom
 * @PS_BARCODE_ROLE_ROUTING: the routing barcode (USPS AI 420 + ZIP)
 * @PS_BARCODE_ROLE_CARRIER_2D: the 2D carrier symbol (MaxiCode, PDF417,
 *   or the DataMatrix of the generic style)
 */
typedef enum
{
  PS_BARCODE_ROLE_TRACKING,
  PS_BARCODE_ROLE_ROUTING,
  PS_BARCODE_ROLE_CARRIER_2D,
} PsBarcodeRole;

#define PS_TYPE_LABEL_BARCODE (ps_label_barcode_get_type ())

/**
 * PsLabelBarcode:
 * @kind: the symbology
 * @role: where it goes on the label
 * @data: what is encoded (see #PsBarcodeKind)
 * @primary: (nullable): MaxiCode's primary message: postcode (9 digits in
 *   mode 2, up to 6 characters in mode 3), 3-digit country, 3-digit class
 * @mode: MaxiCode mode (2, 3 or 4); 0 for other kinds
 */
typedef struct
{
  PsBarcodeKind  kind;
  PsBarcodeRole  role;
  char          *data;
  char          *primary;
  int            mode;
} PsLabelBarcode;

GType           ps_label_barcode_get_type (void) G_GNUC_CONST;
PsLabelBarcode *ps_label_barcode_new      (PsBarcodeKind         kind,
                                           PsBarcodeRole         role,
                                           const char           *data);
PsLabelBarcode *ps_label_barcode_copy     (const PsLabelBarcode *self);
void            ps_label_barcode_free     (PsLabelBarcode       *self);

GPtrArray      *ps_label_spec_dup_barcodes (const PsLabelSpec   *spec,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLabelBarcode, ps_label_barcode_free)

/**
 * PsBarcodeSymbol:
 *
 * A barcode encoded by libzint, ready to draw. Sizes are in modules
 * (X-dimensions) and include the quiet zones.
 */
typedef struct _PsBarcodeSymbol PsBarcodeSymbol;

PsBarcodeSymbol *ps_barcode_symbol_encode   (const PsLabelBarcode *barcode,
                                             double                height_modules,
                                             GError              **error);
void             ps_barcode_symbol_free     (PsBarcodeSymbol      *self);
void             ps_barcode_symbol_get_size (PsBarcodeSymbol      *self,
                                             double               *width_modules,
                                             double               *height_modules);
gboolean         ps_barcode_symbol_is_hexagonal (PsBarcodeSymbol  *self);
void             ps_barcode_symbol_draw     (PsBarcodeSymbol      *self,
                                             cairo_t              *cr,
                                             double                x,
                                             double                y,
                                             double                module);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsBarcodeSymbol, ps_barcode_symbol_free)

G_END_DECLS
