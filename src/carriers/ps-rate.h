/* ps-rate.h: one priced service a carrier offers for a request
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-money.h"

G_BEGIN_DECLS

#define PS_TYPE_RATE (ps_rate_get_type ())

/**
 * PsRate:
 * @backend: the backend id that quoted it ("sandbox", "easypost")
 * @carrier: the carrier for people ("USPS", "UPS", "Local courier")
 * @carrier_code: the carrier id of ps_tracking_format_carrier() ("usps",
 *   "ups", "fedex", "dhl") or "generic"
 * @service_code: the service as the backend names it ("usps_priority",
 *   "GroundAdvantage")
 * @service_name: the service for people ("Priority Mail")
 * @price: what buying it costs
 * @transit_days: estimated business days in transit, 0 when unknown
 * @estimated_delivery: UTC Unix seconds, 0 when unknown
 * @shipment_ref: (nullable): the backend's shipment the rate belongs to
 *   (EasyPost "shp_…"), needed to buy it
 * @rate_ref: (nullable): the backend's id of the rate (EasyPost "rate_…")
 *
 * A rate is all a backend needs, with the request, to buy the label later.
 */
typedef struct
{
  char    *backend;
  char    *carrier;
  char    *carrier_code;
  char    *service_code;
  char    *service_name;
  PsMoney  price;
  int      transit_days;
  gint64   estimated_delivery;
  char    *shipment_ref;
  char    *rate_ref;
} PsRate;

GType   ps_rate_get_type          (void) G_GNUC_CONST;
PsRate *ps_rate_new               (void);
PsRate *ps_rate_copy              (const PsRate *self);
void    ps_rate_free              (PsRate       *self);
int     ps_rate_compare_price     (gconstpointer a,
                                   gconstpointer b);
PsRate *ps_rates_find_cheapest    (GPtrArray    *rates);
PsRate *ps_rates_find_fastest     (GPtrArray    *rates);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRate, ps_rate_free)

G_END_DECLS
