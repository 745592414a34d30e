/* ps-label-zpl.h: our label as ZPL II for thermal printers
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ps-label-size.h"
#include "ps-label-spec.h"

G_BEGIN_DECLS

char     *ps_label_to_zpl     (const PsLabelSpec  *spec,
                               PsLabelSize         size,
                               int                 dpi,
                               int                 x_offset,
                               int                 y_offset,
                               GError            **error);
gboolean  ps_label_append_zpl (GString            *out,
                               const PsLabelSpec  *spec,
                               PsLabelSize         size,
                               int                 dpi,
                               int                 x_offset,
                               int                 y_offset,
                               GError            **error);
char     *ps_zpl_escape_field (const char         *text);

G_END_DECLS
