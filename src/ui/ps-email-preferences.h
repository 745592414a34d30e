/* ps-email-preferences.h: SMTP, brand and customer email templates
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-outbox-service.h"

G_BEGIN_DECLS

#define PS_TYPE_EMAIL_PREFERENCES (ps_email_preferences_get_type ())

G_DECLARE_FINAL_TYPE (PsEmailPreferences, ps_email_preferences, PS, EMAIL_PREFERENCES, AdwPreferencesPage)

GtkWidget *ps_email_preferences_new      (PsOutboxService    *service);
gboolean   ps_email_preferences_get_busy (PsEmailPreferences *self);

G_END_DECLS
