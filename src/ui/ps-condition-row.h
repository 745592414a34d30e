/* ps-condition-row.h: edits one test of a filter (field, operator, value)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-condition.h"

G_BEGIN_DECLS

#define PS_TYPE_CONDITION_ROW (ps_condition_row_get_type ())

G_DECLARE_FINAL_TYPE (PsConditionRow, ps_condition_row, PS, CONDITION_ROW, GtkWidget)

GtkWidget   *ps_condition_row_new   (PsCondition    *leaf);
PsCondition *ps_condition_row_build (PsConditionRow  *self,
                                     GError         **error);

G_END_DECLS
