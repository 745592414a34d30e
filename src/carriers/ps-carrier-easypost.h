/* ps-carrier-easypost.h: EasyPost REST v2 over libsoup
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-carrier.h"

G_BEGIN_DECLS

#define PS_CARRIER_EASYPOST_DEFAULT_BASE_URL "https://api.easypost.com/v2"

#define PS_TYPE_CARRIER_EASYPOST (ps_carrier_easypost_get_type ())

G_DECLARE_FINAL_TYPE (PsCarrierEasypost, ps_carrier_easypost, PS, CARRIER_EASYPOST, GObject)

PsCarrierEasypost *ps_carrier_easypost_new               (const char  *base_url,
                                                          const char  *api_key);
PsCarrierEasypost *ps_carrier_easypost_new_from_settings (JsonObject  *settings,
                                                          GError     **error);

G_END_DECLS
