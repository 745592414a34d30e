/* ps-label-spec.h: what one shipping label says, as data
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-address.h"

G_BEGIN_DECLS

#define PS_LABEL_ERROR (ps_label_error_quark ())

/**
 * PsLabelError:
 * @PS_LABEL_ERROR_INVALID: a field of the label is missing or malformed;
 *   the message names the field
 * @PS_LABEL_ERROR_BARCODE: libzint refused the data of a barcode
 * @PS_LABEL_ERROR_FORMAT: label bytes are not PDF, PNG or ZPL, or are
 *   damaged
 * @PS_LABEL_ERROR_RENDER: cairo or poppler failed to draw or write
 */
typedef enum
{
  PS_LABEL_ERROR_INVALID,
  PS_LABEL_ERROR_BARCODE,
  PS_LABEL_ERROR_FORMAT,
  PS_LABEL_ERROR_RENDER,
} PsLabelError;

GQuark ps_label_error_quark (void);

/**
 * PsLabelStyle:
 * @PS_LABEL_STYLE_GENERIC: Code 128 of the tracking number and a
 *   DataMatrix with the order data (ratecard, local couriers, DHL)
 * @PS_LABEL_STYLE_USPS: GS1-128 routing barcode (AI 420 + ZIP or ZIP+4)
 *   and the IMpb tracking barcode (GS1-128: 420 + ZIP, FNC1, the
 *   tracking number whose first two digits are its channel AI)
 * @PS_LABEL_STYLE_UPS: MaxiCode with the structured carrier message and a
 *   Code 128 of the 1Z number
 * @PS_LABEL_STYLE_FEDEX: PDF417 with the structured carrier message and a
 *   Code 128 of the tracking number
 *
 * Which barcode set a carrier's format calls for. Nicks ("generic",
 * "usps", "ups", "fedex") are stable.
 */
typedef enum
{
  PS_LABEL_STYLE_GENERIC,
  PS_LABEL_STYLE_USPS,
  PS_LABEL_STYLE_UPS,
  PS_LABEL_STYLE_FEDEX,
} PsLabelStyle;

#define PS_LABEL_STYLE_LAST PS_LABEL_STYLE_FEDEX

const char   *ps_label_style_to_nick      (PsLabelStyle  style);
gboolean      ps_label_style_from_nick    (const char   *nick,
                                           PsLabelStyle *style);
PsLabelStyle  ps_label_style_for_carrier  (const char   *carrier);

#define PS_TYPE_LABEL_SPEC (ps_label_spec_get_type ())

/**
 * PsLabelSpec:
 * @style: the barcode set
 * @ship_from: (nullable): the sender
 * @ship_to: (nullable): the recipient; required to render
 * @carrier_id: (nullable): "usps", "ups", "sandbox", …
 * @carrier_name: (nullable): the carrier as printed ("USPS")
 * @service_name: (nullable): the service as printed ("Priority Mail")
 * @service_banner: (nullable): the short banner ("PRIORITY MAIL"); the
 *   upper-cased service name when unset
 * @service_code: (nullable): the carrier's 3-digit service class for the
 *   MaxiCode and PDF417 messages ("001"); "000" when unset
 * @tracking_number: the tracking number, no spaces; required
 * @order_number: (nullable): the shop's order number ("#1001")
 * @reference: (nullable): free reference text printed at the bottom
 * @shipper_account: (nullable): the shipper number in carrier messages
 * @weight_grams: the parcel weight, 0 when unknown
 * @length_mm: the parcel's longest side, 0 when unknown
 * @width_mm: its middle side
 * @height_mm: its shortest side
 * @ship_date: the ship date, UTC Unix seconds; 0 when unknown
 *
 * Data only: every string is owned by the spec (%NULL and "" both mean
 * unset). The carriers layer fills one from a bought shipment; the
 * renderer (ps_label_render()) and the ZPL writer (ps_label_to_zpl())
 * draw it.
 */
typedef struct
{
  PsLabelStyle  style;
  PsAddress    *ship_from;
  PsAddress    *ship_to;
  char         *carrier_id;
  char         *carrier_name;
  char         *service_name;
  char         *service_banner;
  char         *service_code;
  char         *tracking_number;
  char         *order_number;
  char         *reference;
  char         *shipper_account;
  gint64        weight_grams;
  gint64        length_mm;
  gint64        width_mm;
  gint64        height_mm;
  gint64        ship_date;
} PsLabelSpec;

GType        ps_label_spec_get_type           (void) G_GNUC_CONST;
PsLabelSpec *ps_label_spec_new                (void);
PsLabelSpec *ps_label_spec_copy               (const PsLabelSpec *self);
void         ps_label_spec_free               (PsLabelSpec       *self);
gboolean     ps_label_spec_validate           (const PsLabelSpec *self,
                                               GError           **error);
char        *ps_label_spec_dup_banner         (const PsLabelSpec *self);
char        *ps_label_spec_format_tracking    (const PsLabelSpec *self);
char        *ps_label_spec_format_weight      (const PsLabelSpec *self);
char        *ps_label_spec_format_ship_date   (const PsLabelSpec *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsLabelSpec, ps_label_spec_free)

G_END_DECLS
