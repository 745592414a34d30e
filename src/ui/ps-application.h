/* ps-application.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-context.h"

G_BEGIN_DECLS

#define PS_TYPE_APPLICATION (ps_application_get_type ())
#define PS_APPLICATION_DEFAULT (PS_APPLICATION (g_application_get_default ()))

G_DECLARE_FINAL_TYPE (PsApplication, ps_application, PS, APPLICATION, AdwApplication)

PsApplication *ps_application_new             (const char        *application_id,
                                               GApplicationFlags  flags);
PsContext     *ps_application_get_context     (PsApplication     *self);
const char    *ps_application_get_db_path     (PsApplication     *self);
void           ps_application_startup_timing  (PsApplication     *self,
                                               const char        *what);

G_END_DECLS
