/* ps-action-row.h: edits one action of an automation rule
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-rule.h"

G_BEGIN_DECLS

#define PS_TYPE_ACTION_ROW (ps_action_row_get_type ())

G_DECLARE_FINAL_TYPE (PsActionRow, ps_action_row, PS, ACTION_ROW, GtkWidget)

GtkWidget    *ps_action_row_new          (const PsRuleAction  *action,
                                          const char * const  *templates);
PsRuleAction *ps_action_row_build        (PsActionRow         *self);
void          ps_action_row_set_position (PsActionRow         *self,
                                          guint                index,
                                          guint                n_actions);
const char   *ps_action_type_label       (PsRuleActionType     type);

G_END_DECLS
