/* ps-rule.h: an automation rule as data (trigger, conditions, actions)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "ps-condition.h"
#include "ps-enums.h"

G_BEGIN_DECLS

#define PS_RULE_ERROR (ps_rule_error_quark ())

/**
 * PsRuleError:
 * @PS_RULE_ERROR_PARSE: not JSON, or not a JSON object where one is needed
 * @PS_RULE_ERROR_MISSING: a required member is missing ("name", "trigger",
 *   "actions", an action's "template", …)
 * @PS_RULE_ERROR_UNKNOWN_MEMBER: a member the rule format does not have
 * @PS_RULE_ERROR_BAD_VALUE: a member has the wrong JSON type or a value
 *   out of its vocabulary (an unknown trigger, status, strategy, …)
 * @PS_RULE_ERROR_CONDITION: the "condition" is not a valid condition; the
 *   message carries the #PsConditionError message
 * @PS_RULE_ERROR_NO_ACTIONS: "actions" is empty
 *
 * Every message starts with the JSON Pointer of the offending member
 * ("/actions/2/template: …") so the editor can point at the field.
 */
typedef enum
{
  PS_RULE_ERROR_PARSE,
  PS_RULE_ERROR_MISSING,
  PS_RULE_ERROR_UNKNOWN_MEMBER,
  PS_RULE_ERROR_BAD_VALUE,
  PS_RULE_ERROR_CONDITION,
  PS_RULE_ERROR_NO_ACTIONS,
} PsRuleError;

/* The deepest chain of rules triggering rules (through the events their
 * actions write) that still runs; deeper runs are recorded as "cut". */
#define PS_RULE_MAX_CHAIN_DEPTH 5

/**
 * PsRuleActionType:
 * @PS_RULE_ACTION_SEND_EMAIL: queue a templated email ("template", "to";
 *   without "to", the order's customer)
 * @PS_RULE_ACTION_NOTIFY: notify someone in the shop ("address", optional
 *   "message"): a desktop notification and the activity log
 * @PS_RULE_ACTION_SET_STATUS: set the order status ("status")
 * @PS_RULE_ACTION_ADD_TAG: add a tag ("tag")
 * @PS_RULE_ACTION_REMOVE_TAG: remove a tag ("tag")
 * @PS_RULE_ACTION_SET_PRIORITY: "priority": "high" or "normal"
 * @PS_RULE_ACTION_HOLD_UNTIL: put the order on hold until "days" days
 *   after the action runs, or until "date" (ISO 8601)
 * @PS_RULE_ACTION_ADD_NOTE: add a note ("text")
 * @PS_RULE_ACTION_SELECT_SERVICE: choose how the order ships ("strategy":
 *   cheapest, fastest, cheapest_within_days with "days", fixed with
 *   "carrier" and "service"); recorded on the order, nothing is bought
 * @PS_RULE_ACTION_STOP_PROCESSING: run no later action of this rule and no
 *   later rule for the same event
 *
 * The nicks (ps_rule_action_type_to_nick()) are the "type" of the JSON
 * form: never rename one.
 */
typedef enum
{
  PS_RULE_ACTION_SEND_EMAIL,
  PS_RULE_ACTION_NOTIFY,
  PS_RULE_ACTION_SET_STATUS,
  PS_RULE_ACTION_ADD_TAG,
  PS_RULE_ACTION_REMOVE_TAG,
  PS_RULE_ACTION_SET_PRIORITY,
  PS_RULE_ACTION_HOLD_UNTIL,
  PS_RULE_ACTION_ADD_NOTE,
  PS_RULE_ACTION_SELECT_SERVICE,
  PS_RULE_ACTION_STOP_PROCESSING,
} PsRuleActionType;

#define PS_RULE_ACTION_LAST PS_RULE_ACTION_STOP_PROCESSING

/**
 * PsServiceStrategy:
 * @PS_SERVICE_STRATEGY_CHEAPEST: the cheapest rate
 * @PS_SERVICE_STRATEGY_FASTEST: the fastest rate
 * @PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS: the cheapest rate that
 *   delivers within "days" days
 * @PS_SERVICE_STRATEGY_FIXED: one carrier and service
 */
typedef enum
{
  PS_SERVICE_STRATEGY_CHEAPEST,
  PS_SERVICE_STRATEGY_FASTEST,
  PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS,
  PS_SERVICE_STRATEGY_FIXED,
} PsServiceStrategy;

/**
 * PsRuleAction:
 * @type: what the action does
 * @template_name: send_email: the message template's name
 * @address: send_email: the recipient, %NULL for the order's customer;
 *   notify: who is notified (an email address or a name)
 * @text: add_note: the note; notify: the message (nullable)
 * @tag: add_tag, remove_tag: the tag
 * @status: set_status: the new status
 * @high_priority: set_priority: %TRUE for high, %FALSE for normal
 * @days: hold_until: days from when the action runs (0 when @date is
 *   used); select_service with cheapest_within_days: the delivery bound
 * @date: hold_until: the ISO 8601 text of a fixed date, or %NULL
 * @until: hold_until: @date in Unix seconds (0 without a date)
 * @strategy: select_service: how the service is chosen
 * @carrier: select_service fixed: the carrier id
 * @service: select_service fixed: the service code
 *
 * One action of a rule. Members that do not belong to @type are zero or
 * %NULL. Strings are owned by the action.
 */
typedef struct
{
  PsRuleActionType   type;
  char              *template_name;
  char              *address;
  char              *text;
  char              *tag;
  PsOrderStatus      status;
  gboolean           high_priority;
  int                days;
  char              *date;
  gint64             until;
  PsServiceStrategy  strategy;
  char              *carrier;
  char              *service;
} PsRuleAction;

/**
 * PsRuleEventField:
 * @PS_RULE_EVENT_FIELD_FROM: the status before the change ("from" of the
 *   event's data): an order status for order.status_changed, a tracking
 *   status for tracking.status_changed
 * @PS_RULE_EVENT_FIELD_TO: the status after the change ("to")
 * @PS_RULE_EVENT_FIELD_REASON: the exception reason ("reason"); an event
 *   without one has "none"
 *
 * Fields of the triggering event a rule may test beside the order's
 * conditions. Nicks: "from", "to", "reason".
 */
typedef enum
{
  PS_RULE_EVENT_FIELD_FROM,
  PS_RULE_EVENT_FIELD_TO,
  PS_RULE_EVENT_FIELD_REASON,
} PsRuleEventField;

/**
 * PsRuleEventCondition:
 * @field: the event field tested
 * @op: %PS_CONDITION_OP_IS, %PS_CONDITION_OP_IS_NOT or %PS_CONDITION_OP_IN
 * @values: (array zero-terminated=1): one value (is, is_not) or several
 *   (in): status or reason nicks
 *
 * One test on the triggering event. JSON: {"field": "to", "op": "is",
 * "value": "exception"} or {"field": "reason", "op": "in", "value":
 * ["delay", "lost"]}.
 */
typedef struct
{
  PsRuleEventField  field;
  PsConditionOp     op;
  GStrv             values;
} PsRuleEventCondition;

#define PS_TYPE_RULE (ps_rule_get_type ())

typedef struct _PsRule PsRule;

GQuark                ps_rule_error_quark              (void);

const char           *ps_rule_action_type_to_nick      (PsRuleActionType  type);
gboolean              ps_rule_action_type_from_nick    (const char       *nick,
                                                        PsRuleActionType *type);
const char           *ps_service_strategy_to_nick      (PsServiceStrategy strategy);
gboolean              ps_service_strategy_from_nick    (const char       *nick,
                                                        PsServiceStrategy *strategy);

PsRuleAction         *ps_rule_action_new               (PsRuleActionType  type);
PsRuleAction         *ps_rule_action_copy              (const PsRuleAction *self);
void                  ps_rule_action_free              (PsRuleAction     *self);
PsRuleAction         *ps_rule_action_from_json         (JsonNode         *node,
                                                        GError          **error);
JsonNode             *ps_rule_action_to_json           (const PsRuleAction *self);

PsRuleEventCondition *ps_rule_event_condition_new      (PsRuleEventField  field,
                                                        PsConditionOp     op,
                                                        const char * const *values,
                                                        GError          **error);
void                  ps_rule_event_condition_free     (PsRuleEventCondition *self);
JsonNode             *ps_rule_event_condition_to_json  (const PsRuleEventCondition *self);

GType                 ps_rule_get_type                 (void) G_GNUC_CONST;
PsRule               *ps_rule_new                      (const char       *name,
                                                        PsEventType       trigger);
PsRule               *ps_rule_ref                      (PsRule           *self);
void                  ps_rule_unref                    (PsRule           *self);
PsRule               *ps_rule_copy                     (PsRule           *self);
PsRule               *ps_rule_from_json                (JsonNode         *node,
                                                        GError          **error);
PsRule               *ps_rule_from_string              (const char       *json,
                                                        GError          **error);
JsonNode             *ps_rule_to_json                  (PsRule           *self);
char                 *ps_rule_to_string                (PsRule           *self);
gboolean              ps_rule_equal                    (PsRule           *a,
                                                        PsRule           *b);
gboolean              ps_rule_validate                 (PsRule           *self,
                                                        GError          **error);

gint64                ps_rule_get_id                   (PsRule           *self);
void                  ps_rule_set_id                   (PsRule           *self,
                                                        gint64            id);
const char           *ps_rule_get_name                 (PsRule           *self);
void                  ps_rule_set_name                 (PsRule           *self,
                                                        const char       *name);
PsEventType           ps_rule_get_trigger              (PsRule           *self);
void                  ps_rule_set_trigger              (PsRule           *self,
                                                        PsEventType       trigger);
gboolean              ps_rule_get_enabled              (PsRule           *self);
void                  ps_rule_set_enabled              (PsRule           *self,
                                                        gboolean          enabled);
int                   ps_rule_get_position             (PsRule           *self);
void                  ps_rule_set_position             (PsRule           *self,
                                                        int               position);
int                   ps_rule_get_repeat_after_days    (PsRule           *self);
void                  ps_rule_set_repeat_after_days    (PsRule           *self,
                                                        int               days);
PsCondition          *ps_rule_get_condition            (PsRule           *self);
void                  ps_rule_set_condition            (PsRule           *self,
                                                        PsCondition      *condition);
guint                 ps_rule_get_n_event_conditions   (PsRule           *self);
const PsRuleEventCondition *
                      ps_rule_get_event_condition      (PsRule           *self,
                                                        guint             index);
void                  ps_rule_add_event_condition      (PsRule           *self,
                                                        PsRuleEventCondition *condition);
void                  ps_rule_clear_event_conditions   (PsRule           *self);
guint                 ps_rule_get_n_actions            (PsRule           *self);
const PsRuleAction   *ps_rule_get_action               (PsRule           *self,
                                                        guint             index);
void                  ps_rule_add_action               (PsRule           *self,
                                                        PsRuleAction     *action);
void                  ps_rule_insert_action            (PsRule           *self,
                                                        guint             index,
                                                        PsRuleAction     *action);
void                  ps_rule_remove_action            (PsRule           *self,
                                                        guint             index);
void                  ps_rule_move_action              (PsRule           *self,
                                                        guint             from,
                                                        guint             to);
gboolean              ps_rule_has_time_conditions      (PsRule           *self);

GPtrArray            *ps_rule_templates                (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRule, ps_rule_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleAction, ps_rule_action_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsRuleEventCondition, ps_rule_event_condition_free)

G_END_DECLS
