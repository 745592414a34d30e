/* ps-carrier-ratecard.h: an offline carrier priced from the merchant's rate table
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-carrier.h"
#include "ps-rate-table.h"

G_BEGIN_DECLS

#define PS_TYPE_CARRIER_RATECARD (ps_carrier_ratecard_get_type ())

G_DECLARE_FINAL_TYPE (PsCarrierRatecard, ps_carrier_ratecard, PS, CARRIER_RATECARD, GObject)

PsCarrierRatecard *ps_carrier_ratecard_new               (const char        *name,
                                                          PsRateTable       *table,
                                                          const char        *tracking_prefix,
                                                          guint64            first_serial,
                                                          guint              digits);
PsCarrierRatecard *ps_carrier_ratecard_new_from_settings (JsonObject        *settings,
                                                          GError           **error);
JsonObject        *ps_carrier_ratecard_dup_settings      (PsCarrierRatecard *self);
PsRateTable       *ps_carrier_ratecard_get_table         (PsCarrierRatecard *self);

G_END_DECLS
