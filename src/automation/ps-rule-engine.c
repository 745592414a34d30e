/* ps-rule-engine.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules + event + order snapshot + now → proposed actions, with no I/O
 * (STYLE.md 3.10). The runner (services/ps-automation-service.c) applies
 * the proposals; a dry run only collects them, so both go through exactly
 * this code and agree by construction.
 *
 * Order of work for each rule, in the order given (the store's positions):
 *   1. the trigger must be the event's type;
 *   2. every event condition must hold (cheap: no order needed; the runner
 *      asks ps_rule_engine_event_matches() before loading an order);
 *   3. the condition must hold on the snapshot at @now;
 *   4. the proposal lists the actions up to a stop_processing, which also
 *      ends the evaluation: later rules are not looked at;
 *   5. an event at depth PS_RULE_MAX_CHAIN_DEPTH or deeper (a rule run's
 *      event causing a rule run … five times over) gives a "cut" proposal
 *      instead: reported, never applied. Each rule run writes its events
 *      one level deeper, so a rule that keeps re-triggering itself stops
 *      after a bounded number of runs.
 *
 * A PsRuleEngine holds rules prepared for many events (the runner's batch,
 * a dry run): the rules of each trigger in order, and, once a rule first
 * matches, the JSON texts of its event conditions, condition leaves and
 * actions, so a proposal's reasons are copies of texts written once per
 * rule instead of per event. The condition is tested first without
 * collecting reasons: most rules do not hold for most orders.
 * ps_rule_engine_evaluate() is the same code with a short-lived engine.
 */

#define G_LOG_DOMAIN "ps-rule-engine"

#include "config.h"

#include "ps-condition-eval.h"
#include "ps-rule-engine.h"

/* Helpers */

static const char *
event_value (const PsRuleEvent *event,
             PsRuleEventField   field)
{
  switch (field)
    {
    case PS_RULE_EVENT_FIELD_FROM:
      return event->from;
    case PS_RULE_EVENT_FIELD_TO:
      return event->to;
    case PS_RULE_EVENT_FIELD_REASON:
      return event->reason != NULL && *event->reason != '\0' ? event->reason : "none";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
event_condition_holds (const PsRuleEventCondition *condition,
                       const PsRuleEvent          *event)
{
  const char *value = event_value (event, condition->field);
  gboolean found = value != NULL && g_strv_contains ((const char * const *) condition->values,
                                                     value);

  return condition->op == PS_CONDITION_OP_IS_NOT ? !found : found;
}

/* A rule in an engine, with its texts once it first matched. */
typedef struct
{
  PsRule     *rule;
  GPtrArray  *event_texts;   /* (nullable) utf8, one per event condition */
  GHashTable *leaf_texts;    /* (nullable) PsCondition leaf → utf8 */
  GPtrArray  *action_texts;  /* (nullable) utf8, one per action */
} Prepared;

struct _PsRuleEngine
{
  Prepared   *rules;
  guint       n_rules;
  GHashTable *by_trigger;    /* PsEventType → GPtrArray of Prepared, in order */
};

static char *
node_text (JsonNode *node)
{
  char *text = json_to_string (node, FALSE);

  json_node_unref (node);
  return text;
}

/* A leaf, or a shipment (return) group: its tests are about one shipment
 * (return), so it is one reason as a whole. */
static gboolean
is_reason (PsCondition *condition)
{
  PsConditionKind kind = ps_condition_get_kind (condition);

  return kind == PS_CONDITION_KIND_LEAF || kind == PS_CONDITION_KIND_SHIPMENT ||
         kind == PS_CONDITION_KIND_RETURN;
}

static void
add_leaf_texts (GHashTable  *texts,
                PsCondition *condition)
{
  if (is_reason (condition))
    {
      if (!g_hash_table_contains (texts, condition))
        g_hash_table_insert (texts, condition, node_text (ps_condition_to_json (condition)));
      return;
    }
  for (guint i = 0; i < ps_condition_get_n_children (condition); i++)
    add_leaf_texts (texts, ps_condition_get_child (condition, i));
}

static void
prepare_texts (Prepared *p)
{
  PsRule *rule = p->rule;

  if (p->action_texts != NULL)
    return;

  p->event_texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ps_rule_get_n_event_conditions (rule); i++)
    g_ptr_array_add (p->event_texts, node_text (ps_rule_event_condition_to_json (
                                                  ps_rule_get_event_condition (rule, i))));
  p->leaf_texts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  if (ps_rule_get_condition (rule) != NULL)
    add_leaf_texts (p->leaf_texts, ps_rule_get_condition (rule));
  p->action_texts = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < ps_rule_get_n_actions (rule); i++)
    g_ptr_array_add (p->action_texts, node_text (ps_rule_action_to_json (
                                                   ps_rule_get_action (rule, i))));
}

/* Appends the leaves that made @condition hold (it is known to): every
 * child of an "all", the children that held of an "any". */
static gboolean
collect_reasons (const Prepared        *p,
                 PsCondition           *condition,
                 const PsOrderSnapshot *order,
                 gint64                 now,
                 GTimeZone             *tz,
                 GPtrArray             *reasons)
{
  guint n;

  if (is_reason (condition))
    {
      if (!ps_condition_evaluate (condition, order, now, tz))
        return FALSE;
      g_ptr_array_add (reasons, g_strdup (g_hash_table_lookup (p->leaf_texts, condition)));
      return TRUE;
    }

  n = ps_condition_get_n_children (condition);
  if (ps_condition_get_kind (condition) == PS_CONDITION_KIND_ALL)
    {
      guint mark = reasons->len;

      for (guint i = 0; i < n; i++)
        {
          if (!collect_reasons (p, ps_condition_get_child (condition, i), order, now, tz,
                                reasons))
            {
              g_ptr_array_set_size (reasons, mark);
              return FALSE;
            }
        }
      return TRUE;
    }
  else
    {
      gboolean any = FALSE;

      for (guint i = 0; i < n; i++)
        any |= collect_reasons (p, ps_condition_get_child (condition, i), order, now, tz,
                                reasons);
      return any;
    }
}

static GPtrArray *
rules_for (PsRuleEngine      *self,
           const PsRuleEvent *event)
{
  return g_hash_table_lookup (self->by_trigger, GINT_TO_POINTER (event->type));
}

/* Public */

/**
 * ps_rule_event_new:
 * @type: the event type
 * @occurred_at: when it happened
 * @order_id: the order it is about, or 0
 *
 * Returns: (transfer full): an event with no data, depth 0
 */
PsRuleEvent *
ps_rule_event_new (PsEventType type,
                   gint64      occurred_at,
                   gint64      order_id)
{
  PsRuleEvent *self = g_new0 (PsRuleEvent, 1);

  self->type = type;
  self->occurred_at = occurred_at;
  self->order_id = order_id;
  return self;
}

/**
 * ps_rule_event_copy:
 * @self: an event
 *
 * Returns: (transfer full): a deep copy
 */
PsRuleEvent *
ps_rule_event_copy (const PsRuleEvent *self)
{
  PsRuleEvent *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->actor = g_strdup (self->actor);
  copy->from = g_strdup (self->from);
  copy->to = g_strdup (self->to);
  copy->reason = g_strdup (self->reason);
  return copy;
}

/**
 * ps_rule_event_free:
 * @self: (nullable): an event
 */
void
ps_rule_event_free (PsRuleEvent *self)
{
  if (self == NULL)
    return;
  g_free (self->actor);
  g_free (self->from);
  g_free (self->to);
  g_free (self->reason);
  g_free (self);
}

/**
 * ps_rule_event_set_data:
 * @self: an event
 * @data_json: (nullable): the events.data JSON text
 *
 * Reads "from", "to", "reason" and "depth" from the event's data; other
 * members are ignored, and text that is not a JSON object leaves them
 * unset.
 */
void
ps_rule_event_set_data (PsRuleEvent *self,
                        const char  *data_json)
{
  /* One parser per thread: the runner reads every event's data, and a
   * parser is costlier to make than the few members are to parse. */
  static GPrivate parser_key = G_PRIVATE_INIT (g_object_unref);
  JsonParser *parser;
  JsonNode *root;
  JsonObject *object;
  const char * const members[] = { "from", "to", "reason" };
  char **slots[] = { &self->from, &self->to, &self->reason };

  g_return_if_fail (self != NULL);

  if (data_json == NULL)
    return;
  parser = g_private_get (&parser_key);
  if (parser == NULL)
    {
      parser = json_parser_new_immutable ();
      g_private_set (&parser_key, parser);
    }
  if (!json_parser_load_from_data (parser, data_json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (object, members[i]);

      g_clear_pointer (slots[i], g_free);
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        *slots[i] = g_strdup (json_node_get_string (node));
    }
  self->depth = (int) CLAMP (json_object_get_int_member_with_default (object, "depth", 0),
                             0, G_MAXINT);
}

/**
 * ps_rule_proposal_free:
 * @self: (nullable): a proposal
 */
void
ps_rule_proposal_free (PsRuleProposal *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rule, ps_rule_unref);
  g_clear_pointer (&self->actions, g_ptr_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  g_clear_pointer (&self->action_texts, g_ptr_array_unref);
  g_free (self);
}

/**
 * ps_rule_proposal_to_json:
 * @self: a proposal
 *
 * What the activity log and dry runs show: {"rule": id, "name": …,
 * "outcome": "fire"|"cut", "reasons": [conditions that held],
 * "actions": [actions]}.
 *
 * Returns: (transfer full): a new JSON object
 */
JsonNode *
ps_rule_proposal_to_json (const PsRuleProposal *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rule");
  json_builder_add_int_value (b, ps_rule_get_id (self->rule));
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ps_rule_get_name (self->rule));
  json_builder_set_member_name (b, "outcome");
  json_builder_add_string_value (b, self->outcome == PS_RULE_OUTCOME_CUT ? "cut" : "fire");
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->reasons->len; i++)
    {
      JsonNode *node = json_from_string (g_ptr_array_index (self->reasons, i), NULL);

      if (node != NULL)
        json_builder_add_value (b, node);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->actions->len; i++)
    json_builder_add_value (b, ps_rule_action_to_json (g_ptr_array_index (self->actions, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * ps_rule_engine_event_matches:
 * @rule: a rule
 * @event: the triggering event
 *
 * The part of a rule that needs no order: its trigger is @event's type and
 * every event condition holds. The runner asks this before it loads the
 * order, so events no rule cares about cost one comparison per rule.
 *
 * Returns: %TRUE if @rule may fire for @event
 */
gboolean
ps_rule_engine_event_matches (PsRule            *rule,
                              const PsRuleEvent *event)
{
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (ps_rule_get_trigger (rule) != event->type)
    return FALSE;
  for (guint i = 0; i < ps_rule_get_n_event_conditions (rule); i++)
    if (!event_condition_holds (ps_rule_get_event_condition (rule, i), event))
      return FALSE;
  return TRUE;
}

/**
 * ps_rule_engine_evaluate:
 * @rules: (array length=n_rules): the rules, in evaluation order
 * @n_rules: the number of @rules
 * @event: the triggering event
 * @order: the order @event is about, as it is now
 * @now: the moment elapsed-time conditions count from
 * @tz: the merchant's time zone (business days)
 *
 * Pure: no I/O, no clock; the result depends only on the arguments.
 * Enabled flags are not looked at (the caller passes the rules it means).
 * For many events, ps_rule_engine_new() and ps_rule_engine_propose() do
 * the same with the rules prepared once.
 *
 * Returns: (transfer full) (element-type PsRuleProposal): one proposal per
 *   rule that matched, in rule order, ending with the first one that
 *   stops processing
 */
GPtrArray *
ps_rule_engine_evaluate (PsRule * const        *rules,
                         guint                  n_rules,
                         const PsRuleEvent     *event,
                         const PsOrderSnapshot *order,
                         gint64                 now,
                         GTimeZone             *tz)
{
  g_autoptr(PsRuleEngine) engine = NULL;

  g_return_val_if_fail (rules != NULL || n_rules == 0, NULL);

  engine = ps_rule_engine_new (rules, n_rules);
  return ps_rule_engine_propose (engine, event, order, now, tz);
}

/**
 * ps_rule_engine_new:
 * @rules: (array length=n_rules): the rules, in evaluation order
 * @n_rules: the number of @rules
 *
 * Prepares @rules for evaluating many events. The engine keeps
 * references: the rules must not be changed while it is in use (the
 * runner's and a dry run's rules are their own copies).
 *
 * Returns: (transfer full): a new engine
 */
PsRuleEngine *
ps_rule_engine_new (PsRule * const *rules,
                    guint           n_rules)
{
  PsRuleEngine *self;

  g_return_val_if_fail (rules != NULL || n_rules == 0, NULL);

  self = g_new0 (PsRuleEngine, 1);
  self->rules = g_new0 (Prepared, n_rules);
  self->n_rules = n_rules;
  self->by_trigger = g_hash_table_new_full (NULL, NULL, NULL,
                                            (GDestroyNotify) g_ptr_array_unref);
  for (guint r = 0; r < n_rules; r++)
    {
      Prepared *p = &self->rules[r];
      gpointer key = GINT_TO_POINTER (ps_rule_get_trigger (rules[r]));
      GPtrArray *list = g_hash_table_lookup (self->by_trigger, key);

      p->rule = ps_rule_ref (rules[r]);
      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (self->by_trigger, key, list);
        }
      g_ptr_array_add (list, p);
    }
  return self;
}

/**
 * ps_rule_engine_free:
 * @self: (nullable): an engine
 */
void
ps_rule_engine_free (PsRuleEngine *self)
{
  if (self == NULL)
    return;
  for (guint r = 0; r < self->n_rules; r++)
    {
      Prepared *p = &self->rules[r];

      ps_rule_unref (p->rule);
      g_clear_pointer (&p->event_texts, g_ptr_array_unref);
      g_clear_pointer (&p->leaf_texts, g_hash_table_unref);
      g_clear_pointer (&p->action_texts, g_ptr_array_unref);
    }
  g_free (self->rules);
  g_hash_table_unref (self->by_trigger);
  g_free (self);
}

/**
 * ps_rule_engine_has_trigger:
 * @self: an engine
 * @type: an event type
 *
 * Whether some rule is triggered by events of @type: the runner reads
 * the data of the others not at all.
 *
 * Returns: %TRUE if a rule has @type as its trigger
 */
gboolean
ps_rule_engine_has_trigger (PsRuleEngine *self,
                            PsEventType   type)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_hash_table_contains (self->by_trigger, GINT_TO_POINTER (type));
}

/**
 * ps_rule_engine_wants_event:
 * @self: an engine
 * @event: an event
 *
 * Whether some rule's trigger is @event's type and its event conditions
 * hold (ps_rule_engine_event_matches()): the runner loads the order only
 * then.
 *
 * Returns: %TRUE if a rule may fire for @event
 */
gboolean
ps_rule_engine_wants_event (PsRuleEngine      *self,
                            const PsRuleEvent *event)
{
  GPtrArray *list;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  list = rules_for (self, event);
  for (guint i = 0; list != NULL && i < list->len; i++)
    if (ps_rule_engine_event_matches (((Prepared *) g_ptr_array_index (list, i))->rule, event))
      return TRUE;
  return FALSE;
}

/**
 * ps_rule_engine_propose:
 * @self: an engine
 * @event: the triggering event
 * @order: the order @event is about, as it is now
 * @now: the moment elapsed-time conditions count from
 * @tz: the merchant's time zone (business days)
 *
 * ps_rule_engine_evaluate() of the engine's rules. Pure but for the texts
 * the engine keeps.
 *
 * Returns: (transfer full) (element-type PsRuleProposal): one proposal per
 *   rule that matched, in rule order, ending with the first one that
 *   stops processing
 */
GPtrArray *
ps_rule_engine_propose (PsRuleEngine          *self,
                        const PsRuleEvent     *event,
                        const PsOrderSnapshot *order,
                        gint64                 now,
                        GTimeZone             *tz)
{
  GPtrArray *proposals;
  GPtrArray *list;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (order != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  proposals = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_proposal_free);
  list = rules_for (self, event);

  for (guint r = 0; list != NULL && r < list->len; r++)
    {
      Prepared *p = g_ptr_array_index (list, r);
      PsRule *rule = p->rule;
      PsCondition *condition = ps_rule_get_condition (rule);
      PsRuleProposal *proposal;

      if (!ps_rule_engine_event_matches (rule, event) ||
          (condition != NULL && !ps_condition_evaluate (condition, order, now, tz)))
        continue;

      prepare_texts (p);
      proposal = g_new0 (PsRuleProposal, 1);
      proposal->rule = ps_rule_ref (rule);
      proposal->outcome = event->depth >= PS_RULE_MAX_CHAIN_DEPTH ? PS_RULE_OUTCOME_CUT
                                                                  : PS_RULE_OUTCOME_FIRE;
      proposal->reasons = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < p->event_texts->len; i++)
        g_ptr_array_add (proposal->reasons, g_strdup (g_ptr_array_index (p->event_texts, i)));
      if (condition != NULL)
        collect_reasons (p, condition, order, now, tz, proposal->reasons);
      proposal->action_texts = g_ptr_array_ref (p->action_texts);
      proposal->actions = g_ptr_array_new ();
      for (guint i = 0; i < ps_rule_get_n_actions (rule); i++)
        {
          const PsRuleAction *action = ps_rule_get_action (rule, i);

          if (action->type == PS_RULE_ACTION_STOP_PROCESSING)
            {
              proposal->stops = TRUE;
              break;
            }
          g_ptr_array_add (proposal->actions, (gpointer) action);
        }
      g_ptr_array_add (proposals, proposal);
      if (proposal->stops)
        break;
    }

  return proposals;
}
