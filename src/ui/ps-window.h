/* ps-window.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-application.h"
#include "ps-shipping-service.h"

G_BEGIN_DECLS

#define PS_TYPE_WINDOW (ps_window_get_type ())

G_DECLARE_FINAL_TYPE (PsWindow, ps_window, PS, WINDOW, AdwApplicationWindow)

PsWindow   *ps_window_new             (PsApplication *application,
                                       GSettings     *settings);
void        ps_window_set_context     (PsWindow      *self,
                                       PsContext     *context);
void        ps_window_show_page       (PsWindow      *self,
                                       const char    *name);
const char *ps_window_get_page        (PsWindow      *self);
PsShippingService *ps_window_get_shipping_service (PsWindow *self);
void        ps_window_start_background (PsWindow      *self);
void        ps_window_import_files    (PsWindow      *self,
                                       GFile        **files,
                                       guint          n_files);
void        ps_window_show_open_error (PsWindow      *self,
                                       const char    *path,
                                       const GError  *error);

G_END_DECLS
