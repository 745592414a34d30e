/* ps-event-condition-row.h: edits one test on a rule's triggering event
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-rule.h"

G_BEGIN_DECLS

#define PS_TYPE_EVENT_CONDITION_ROW (ps_event_condition_row_get_type ())

G_DECLARE_FINAL_TYPE (PsEventConditionRow, ps_event_condition_row, PS, EVENT_CONDITION_ROW, GtkWidget)

GtkWidget            *ps_event_condition_row_new         (const PsRuleEventCondition *condition,
                                                          PsEventType                 trigger);
void                  ps_event_condition_row_set_trigger (PsEventConditionRow        *self,
                                                          PsEventType                 trigger);
PsRuleEventCondition *ps_event_condition_row_build       (PsEventConditionRow        *self,
                                                          GError                    **error);

G_END_DECLS
