/* ps-carrier-private.h: helpers the backends in src/carriers share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not for other layers: include only from src/carriers and its tests.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GTask    *_ps_carrier_task_new      (gpointer             carrier,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data,
                                     gpointer             source_tag);
gboolean  _ps_carrier_parse_decimal (const char          *text,
                                     guint                digits,
                                     gint64              *minor);

G_END_DECLS
