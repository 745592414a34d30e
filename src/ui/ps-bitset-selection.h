/* ps-bitset-selection.h: a multi-selection that never visits its items
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PS_TYPE_BITSET_SELECTION (ps_bitset_selection_get_type ())

G_DECLARE_FINAL_TYPE (PsBitsetSelection, ps_bitset_selection, PS, BITSET_SELECTION, GObject)

PsBitsetSelection *ps_bitset_selection_new          (GListModel        *model);
GListModel        *ps_bitset_selection_get_model    (PsBitsetSelection *self);
guint64            ps_bitset_selection_get_n_selected (PsBitsetSelection *self);
GtkBitset         *ps_bitset_selection_get_selected   (PsBitsetSelection *self);

G_END_DECLS
