/* ps-filter-editor.h: the filter builder window
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-context.h"
#include "ps-filter-store.h"

G_BEGIN_DECLS

#define PS_TYPE_FILTER_EDITOR (ps_filter_editor_get_type ())

G_DECLARE_FINAL_TYPE (PsFilterEditor, ps_filter_editor, PS, FILTER_EDITOR, AdwWindow)

PsFilterEditor *ps_filter_editor_new (GtkWindow           *parent,
                                      PsContext           *context,
                                      const PsSavedFilter *filter,
                                      PsCondition         *start);

G_END_DECLS
