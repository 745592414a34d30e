/* ps-shipping-preferences.h: ship-from address and carrier accounts
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-shipping-service.h"

G_BEGIN_DECLS

#define PS_TYPE_SHIPPING_PREFERENCES (ps_shipping_preferences_get_type ())

G_DECLARE_FINAL_TYPE (PsShippingPreferences, ps_shipping_preferences, PS, SHIPPING_PREFERENCES, AdwPreferencesPage)

GtkWidget *ps_shipping_preferences_new (PsShippingService *service);

G_END_DECLS
