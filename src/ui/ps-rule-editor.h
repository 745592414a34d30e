/* ps-rule-editor.h: the automation rule editor window
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ps-automation-service.h"
#include "ps-context.h"
#include "ps-outbox-service.h"

G_BEGIN_DECLS

#define PS_TYPE_RULE_EDITOR (ps_rule_editor_get_type ())

G_DECLARE_FINAL_TYPE (PsRuleEditor, ps_rule_editor, PS, RULE_EDITOR, AdwWindow)

PsRuleEditor *ps_rule_editor_new           (GtkWindow           *parent,
                                            PsContext           *context,
                                            PsAutomationService *automation,
                                            PsOutboxService     *outbox,
                                            PsRule              *rule);
PsRule       *ps_rule_editor_build         (PsRuleEditor        *self,
                                            GError             **error);
gboolean      ps_rule_editor_get_ready     (PsRuleEditor        *self);
void          ps_rule_editor_add_action    (PsRuleEditor        *self,
                                            const PsRuleAction  *action);
const char   *ps_rule_editor_get_message   (PsRuleEditor        *self);
gboolean      ps_rule_editor_get_counting  (PsRuleEditor        *self);

const char   *ps_rule_trigger_label        (PsEventType          trigger);
char         *ps_rule_describe_action      (const PsRuleAction  *action);
char         *ps_rule_describe_error       (const GError        *error);
char         *ps_rule_describe_reasons     (JsonArray           *reasons);
char         *ps_rule_describe_actions     (JsonArray           *actions);

G_END_DECLS
