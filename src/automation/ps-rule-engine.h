/* ps-rule-engine.h: pure evaluation of rules on one event and one order
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "ps-order-snapshot.h"
#include "ps-rule.h"

G_BEGIN_DECLS

/**
 * PsRuleEvent:
 * @id: the events row id (0 for an event not stored)
 * @type: the event type
 * @occurred_at: when it happened (UTC Unix seconds)
 * @order_id: the order it is about, 0 for none
 * @shipment_id: the shipment it is about, 0 for none
 * @actor: (nullable): 'import', 'merchant', 'carrier', 'clock' or
 *   'rule:<id>'
 * @from: (nullable): the status before a change ("from" of the data)
 * @to: (nullable): the status after it ("to")
 * @reason: (nullable): the exception reason ("reason")
 * @depth: how many rule runs led to this event: 0 for an event that no
 *   rule caused, n + 1 for an event written by a rule run on an event of
 *   depth n (the "depth" member of the data, which rule actions write)
 *
 * The triggering event as the engine sees it. Strings are owned.
 */
typedef struct
{
  gint64       id;
  PsEventType  type;
  gint64       occurred_at;
  gint64       order_id;
  gint64       shipment_id;
  char        *actor;
  char        *from;
  char        *to;
  char        *reason;
  int          depth;
} PsRuleEvent;

/**
 * PsRuleOutcome:
 * @PS_RULE_OUTCOME_FIRE: the rule's actions are to run
 * @PS_RULE_OUTCOME_CUT: the rule matched, but the event is at the end of a
 *   chain of %PS_RULE_MAX_CHAIN_DEPTH rule runs: nothing runs, the run is
 *   logged as "cut"
 */
typedef enum
{
  PS_RULE_OUTCOME_FIRE,
  PS_RULE_OUTCOME_CUT,
} PsRuleOutcome;

/**
 * PsRuleProposal:
 * @rule: (transfer full): the rule that matched
 * @outcome: fire or cut
 * @actions: (element-type PsRuleAction) (transfer container): the actions
 *   to run, in order, borrowed from @rule; they end before a
 *   stop_processing action
 * @reasons: (element-type utf8): what held: each event condition and each
 *   condition leaf that held, as compact JSON text
 *   ({"field":"to","op":"is","value":"exception"})
 * @stops: the rule has a stop_processing action, so no later rule ran
 * @action_texts: (element-type utf8): each of the rule's actions as
 *   compact JSON text, as ps_rule_action_to_json() writes it; the first
 *   @actions->len are @actions (shared, read only)
 *
 * What one rule would do for one event.
 */
typedef struct
{
  PsRule         *rule;
  PsRuleOutcome   outcome;
  GPtrArray      *actions;
  GPtrArray      *reasons;
  gboolean        stops;
  GPtrArray      *action_texts;
} PsRuleProposal;

typedef struct _PsRuleEngine PsRuleEngine;

PsRuleEvent *ps_rule_event_new            (PsEventType           type,
                                           gint64                occurred_at,
                                           gint64                order_id);
PsRuleEvent *ps_rule_event_copy           (const PsRuleEvent    *self);
void         ps_rule_event_free           (PsRuleEvent          *self);
void         ps_rule_event_set_data       (PsRuleEvent          *self,
                                           const char           *data_json);

void         ps_rule_proposal_free        (PsRuleProposal       *self);
JsonNode    *ps_rule_proposal_to_json     (const PsRuleProposal *self);

gboolean     ps_rule_engine_event_matches (PsRule               *rule,
                                           const PsRuleEvent    *event);
GPtrArray   *ps_rule_engine_evaluate      (PsRule * const       *rules,
                                           guint                 n_rules,
                                           const PsRuleEvent    *event,
                                           const PsOrderSnapshot *order,
                                           gint64                now,
                                           GTimeZone            *tz);

PsRuleEngine *ps_rule_engine_new          (PsRule * const       *rules,
                                           guint                 n_rules);
void         ps_rule_engine_free          (PsRuleEngine         *self);
gboolean     ps_rule_engine_has_trigger   (PsRuleEngine         *self,
                                           PsEventType           type);
gboolean     ps_rule_engine_wants_event   (PsRuleEngine         *self,
                                           const PsRuleEvent    *event);
GPtrArray   *ps_rule_engine_propose       (PsRuleEngine         *self,
                                           const PsRuleEvent    *event,
                                           const PsOrderSnapshot *order,
                                           gint64                now,
                                           GTimeZone            *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleEvent, ps_rule_event_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleProposal, ps_rule_proposal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleEngine, ps_rule_engine_free)

G_END_DECLS
