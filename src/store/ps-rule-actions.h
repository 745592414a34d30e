/* ps-rule-actions.h: the order changes a rule run makes (worker side)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

/**
 * PsRuleActor:
 * @actor: who changes the order: "rule:<id>"
 * @depth: the depth written into the events the change appends (the
 *   triggering event's depth + 1), so chains of rules can be cut
 * @now: the time of the change
 *
 * Who is acting, shared by the functions below. Every function is for the
 * database worker only, changes nothing when the order already is as
 * asked (*changed FALSE, no event), and otherwise updates the order and
 * appends one event per change with @actor and {"depth": @depth, …}.
 */
typedef struct
{
  const char *actor;
  int         depth;
  gint64      now;
} PsRuleActor;

gboolean ps_rule_actions_set_status_sync   (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            PsOrderStatus      status,
                                            gboolean          *changed,
                                            GError           **error);
gboolean ps_rule_actions_set_tag_sync      (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            const char        *tag,
                                            gboolean           add,
                                            gboolean          *changed,
                                            GError           **error);
gboolean ps_rule_actions_set_priority_sync (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            gboolean           high,
                                            gboolean          *changed,
                                            GError           **error);
gboolean ps_rule_actions_hold_until_sync   (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            gint64             until,
                                            gboolean          *changed,
                                            GError           **error);
gboolean ps_rule_actions_add_note_sync     (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            const char        *text,
                                            gboolean          *changed,
                                            GError           **error);
gboolean ps_rule_actions_set_preferred_service_sync
                                           (PsDatabase        *db,
                                            const PsRuleActor *actor,
                                            gint64             order_id,
                                            const char        *service_json,
                                            gboolean          *changed,
                                            GError           **error);
char    *ps_rule_actions_dup_preferred_service_sync
                                           (PsDatabase        *db,
                                            gint64             order_id,
                                            GError           **error);

G_END_DECLS
