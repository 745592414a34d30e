/* ps-label-preview.h: shows a label's bytes (PDF, PNG or ZPL) with zoom
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-enums.h"

G_BEGIN_DECLS

#define PS_TYPE_LABEL_PREVIEW (ps_label_preview_get_type ())

G_DECLARE_FINAL_TYPE (PsLabelPreview, ps_label_preview, PS, LABEL_PREVIEW, GtkWidget)

GtkWidget *ps_label_preview_new       (void);
gboolean   ps_label_preview_set_label (PsLabelPreview  *self,
                                       GBytes          *bytes,
                                       GError         **error);
void       ps_label_preview_set_zoom  (PsLabelPreview  *self,
                                       double           zoom);
double     ps_label_preview_get_zoom  (PsLabelPreview  *self);

G_END_DECLS
