/* ps-carrier-sandbox.h: the built-in, deterministic, offline carrier
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-carrier.h"

G_BEGIN_DECLS

/**
 * PsNowFunc:
 * @user_data: the data given with the function
 *
 * Returns: "now" in UTC Unix seconds; tests and the demo pass a clock of
 *   their own
 */
typedef gint64 (*PsNowFunc) (gpointer user_data);

#define PS_TYPE_CARRIER_SANDBOX (ps_carrier_sandbox_get_type ())

G_DECLARE_FINAL_TYPE (PsCarrierSandbox, ps_carrier_sandbox, PS, CARRIER_SANDBOX, GObject)

PsCarrierSandbox *ps_carrier_sandbox_new               (guint64            seed);
PsCarrierSandbox *ps_carrier_sandbox_new_from_settings (JsonObject        *settings);
void              ps_carrier_sandbox_set_now_func      (PsCarrierSandbox  *self,
                                                        PsNowFunc          func,
                                                        gpointer           user_data,
                                                        GDestroyNotify     destroy);
void              ps_carrier_sandbox_set_balance       (PsCarrierSandbox  *self,
                                                        gint64             balance_minor);
gint64            ps_carrier_sandbox_get_balance       (PsCarrierSandbox  *self);
PsTrackingUpdate *ps_carrier_sandbox_track_at          (PsCarrierSandbox  *self,
                                                        const char        *tracking_number,
                                                        const char        *carrier_shipment_id,
                                                        gint64             at,
                                                        GError           **error);

G_END_DECLS
