/* ps-condition-group.h: edits a group of conditions ("all of" / "any of")
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-condition.h"

G_BEGIN_DECLS

#define PS_TYPE_CONDITION_GROUP (ps_condition_group_get_type ())

G_DECLARE_FINAL_TYPE (PsConditionGroup, ps_condition_group, PS, CONDITION_GROUP, GtkWidget)

/* How deep the builder lets groups nest; the language allows more. */
#define PS_CONDITION_GROUP_MAX_DEPTH 4

GtkWidget   *ps_condition_group_new   (PsCondition       *condition,
                                       guint              depth);
PsCondition *ps_condition_group_build (PsConditionGroup  *self,
                                       GError           **error);
guint        ps_condition_group_get_n_items (PsConditionGroup *self);
void         ps_condition_group_add_condition (PsConditionGroup *self);

G_END_DECLS
