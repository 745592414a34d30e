/* ps-preferences-window.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PS_TYPE_PREFERENCES_WINDOW (ps_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PsPreferencesWindow, ps_preferences_window, PS, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

PsPreferencesWindow *ps_preferences_window_new (GtkWindow  *parent,
                                                const char *db_path);

G_END_DECLS
