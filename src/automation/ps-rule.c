/* ps-rule.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON form of a rule (what rules.definition stores and
 * `postsale-cli rules add FILE.json` reads):
 *
 *   {
 *     "name": "Carrier exception: apologize",
 *     "trigger": "tracking.status_changed",          PsEventType nick
 *     "enabled": false,                              optional
 *     "event_conditions": [                          optional, all must hold
 *       {"field": "to", "op": "is", "value": "exception"}
 *     ],
 *     "condition": {"all": [ … ]},                   optional: the condition
 *                                                    language on the order
 *     "actions": [                                   in order, at least one
 *       {"type": "send_email", "template": "exception"},
 *       {"type": "set_status", "status": "exception"},
 *       {"type": "add_tag", "tag": "carrier-exception"}
 *     ],
 *     "repeat_after_days": 0                         optional, time rules
 *   }
 *
 * Event fields are kept apart from the order's condition tree rather than
 * wrapped into it: the condition language is shared with saved filters and
 * compiled to SQL, where "the event's from status" means nothing, and the
 * engine can test the cheap event fields before it loads an order.
 *
 * Elapsed-time conditions are the condition language's own
 * (older_than_days, older_than_business_days, within_days).
 */

#define G_LOG_DOMAIN "ps-rule"

#include "config.h"

#include "ps-enum-types.h"
#include "ps-rule.h"

struct _PsRule
{
  gint64       id;
  char        *name;
  PsEventType  trigger;
  gboolean     enabled;
  int          position;
  int          repeat_after_days;
  PsCondition *condition;         /* (nullable): always holds */
  GPtrArray   *event_conditions;  /* PsRuleEventCondition */
  GPtrArray   *actions;           /* PsRuleAction */
};

G_DEFINE_QUARK (ps-rule-error-quark, ps_rule_error)

G_DEFINE_BOXED_TYPE (PsRule, ps_rule, ps_rule_ref, ps_rule_unref)

static const char * const action_nicks[] = {
  [PS_RULE_ACTION_SEND_EMAIL] = "send_email",
  [PS_RULE_ACTION_NOTIFY] = "notify",
  [PS_RULE_ACTION_SET_STATUS] = "set_status",
  [PS_RULE_ACTION_ADD_TAG] = "add_tag",
  [PS_RULE_ACTION_REMOVE_TAG] = "remove_tag",
  [PS_RULE_ACTION_SET_PRIORITY] = "set_priority",
  [PS_RULE_ACTION_HOLD_UNTIL] = "hold_until",
  [PS_RULE_ACTION_ADD_NOTE] = "add_note",
  [PS_RULE_ACTION_SELECT_SERVICE] = "select_service",
  [PS_RULE_ACTION_STOP_PROCESSING] = "stop_processing",
};

G_STATIC_ASSERT (G_N_ELEMENTS (action_nicks) == PS_RULE_ACTION_LAST + 1);

static const char * const strategy_nicks[] = {
  [PS_SERVICE_STRATEGY_CHEAPEST] = "cheapest",
  [PS_SERVICE_STRATEGY_FASTEST] = "fastest",
  [PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS] = "cheapest_within_days",
  [PS_SERVICE_STRATEGY_FIXED] = "fixed",
};

static const char * const event_field_nicks[] = {
  [PS_RULE_EVENT_FIELD_FROM] = "from",
  [PS_RULE_EVENT_FIELD_TO] = "to",
  [PS_RULE_EVENT_FIELD_REASON] = "reason",
};

/* Helpers */

static gboolean
nick_lookup (const char * const *nicks,
             guint               n_nicks,
             const char         *nick,
             guint              *index)
{
  if (nick == NULL)
    return FALSE;
  for (guint i = 0; i < n_nicks; i++)
    {
      if (g_str_equal (nicks[i], nick))
        {
          *index = i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
fail (GError     **error,
      PsRuleError  code,
      const char  *path,
      const char  *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (GError     **error,
      PsRuleError  code,
      const char  *path,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PS_RULE_ERROR, code, "%s: %s", path, message);
  return FALSE;
}

/* Reads a string member; a missing member is an error only if @required. */
static gboolean
get_string (JsonObject   *object,
            const char   *path,
            const char   *member,
            gboolean      required,
            const char  **out,
            GError      **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return fail (error, PS_RULE_ERROR_MISSING, path, "“%s” is missing", member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    return fail (error, PS_RULE_ERROR_BAD_VALUE, path, "“%s” must be a non-empty string",
                 member);
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
get_int (JsonObject  *object,
         const char  *path,
         const char  *member,
         gint64       min,
         gint64       max,
         gboolean     required,
         gint64      *out,
         GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *out = 0;
  if (node == NULL)
    {
      if (required)
        return fail (error, PS_RULE_ERROR_MISSING, path, "“%s” is missing", member);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < min || json_node_get_int (node) > max)
    return fail (error, PS_RULE_ERROR_BAD_VALUE, path,
                 "“%s” must be a whole number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                 member, min, max);
  *out = json_node_get_int (node);
  return TRUE;
}

/* Every member of @object must be one of @known (NULL-terminated). */
static gboolean
check_members (JsonObject         *object,
               const char         *path,
               const char * const *known,
               GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_strv_contains (known, l->data))
        return fail (error, PS_RULE_ERROR_UNKNOWN_MEMBER, path, "unknown member “%s”",
                     (const char *) l->data);
    }
  return TRUE;
}

/* Parses an ISO 8601 date and time, or a plain date (midnight UTC). */
static gboolean
parse_date (const char *text,
            gint64     *out)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  g_autoptr(GTimeZone) utc = NULL;
  g_autofree char *midnight = NULL;

  if (dt == NULL)
    {
      utc = g_time_zone_new_utc ();
      midnight = g_strconcat (text, "T00:00:00", NULL);
      dt = g_date_time_new_from_iso8601 (midnight, utc);
    }
  if (dt == NULL)
    return FALSE;
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
is_status_nick (const char *nick)
{
  int value;

  return ps_enum_from_nick (PS_TYPE_ORDER_STATUS, nick, &value) ||
         ps_enum_from_nick (PS_TYPE_TRACKING_STATUS, nick, &value);
}

/* Public: vocabularies */

/**
 * ps_rule_action_type_to_nick:
 * @type: a #PsRuleActionType
 *
 * Returns: (transfer none) (nullable): the JSON "type" of @type, or %NULL
 *   if it is out of range
 */
const char *
ps_rule_action_type_to_nick (PsRuleActionType type)
{
  if ((guint) type >= G_N_ELEMENTS (action_nicks))
    return NULL;
  return action_nicks[type];
}

/**
 * ps_rule_action_type_from_nick:
 * @nick: (nullable): a JSON action type
 * @type: (out): where to store it
 *
 * Returns: %TRUE if @nick names an action type
 */
gboolean
ps_rule_action_type_from_nick (const char       *nick,
                               PsRuleActionType *type)
{
  guint i;

  g_return_val_if_fail (type != NULL, FALSE);

  if (!nick_lookup (action_nicks, G_N_ELEMENTS (action_nicks), nick, &i))
    return FALSE;
  *type = i;
  return TRUE;
}

/**
 * ps_service_strategy_to_nick:
 * @strategy: a #PsServiceStrategy
 *
 * Returns: (transfer none) (nullable): "cheapest", "fastest",
 *   "cheapest_within_days" or "fixed"
 */
const char *
ps_service_strategy_to_nick (PsServiceStrategy strategy)
{
  if ((guint) strategy >= G_N_ELEMENTS (strategy_nicks))
    return NULL;
  return strategy_nicks[strategy];
}

/**
 * ps_service_strategy_from_nick:
 * @nick: (nullable): a strategy name
 * @strategy: (out): where to store it
 *
 * Returns: %TRUE if @nick names a strategy
 */
gboolean
ps_service_strategy_from_nick (const char        *nick,
                               PsServiceStrategy *strategy)
{
  guint i;

  g_return_val_if_fail (strategy != NULL, FALSE);

  if (!nick_lookup (strategy_nicks, G_N_ELEMENTS (strategy_nicks), nick, &i))
    return FALSE;
  *strategy = i;
  return TRUE;
}

/* Public: actions */

/**
 * ps_rule_action_new:
 * @type: the action type
 *
 * Returns: (transfer full): a new action of @type with every setting
 *   empty; fill the members that belong to @type
 */
PsRuleAction *
ps_rule_action_new (PsRuleActionType type)
{
  PsRuleAction *self;

  g_return_val_if_fail ((guint) type <= PS_RULE_ACTION_LAST, NULL);

  self = g_new0 (PsRuleAction, 1);
  self->type = type;
  return self;
}

/**
 * ps_rule_action_copy:
 * @self: an action
 *
 * Returns: (transfer full): a deep copy
 */
PsRuleAction *
ps_rule_action_copy (const PsRuleAction *self)
{
  PsRuleAction *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->template_name = g_strdup (self->template_name);
  copy->address = g_strdup (self->address);
  copy->text = g_strdup (self->text);
  copy->tag = g_strdup (self->tag);
  copy->date = g_strdup (self->date);
  copy->carrier = g_strdup (self->carrier);
  copy->service = g_strdup (self->service);
  return copy;
}

/**
 * ps_rule_action_free:
 * @self: (nullable): an action
 */
void
ps_rule_action_free (PsRuleAction *self)
{
  if (self == NULL)
    return;
  g_free (self->template_name);
  g_free (self->address);
  g_free (self->text);
  g_free (self->tag);
  g_free (self->date);
  g_free (self->carrier);
  g_free (self->service);
  g_free (self);
}

static PsRuleAction *
action_parse (JsonNode    *node,
              const char  *path,
              GError     **error)
{
  static const char * const known[] = {
    "type", "template", "to", "address", "message", "status", "tag", "priority", "days",
    "date", "text", "strategy", "carrier", "service", NULL
  };
  /* The members each type takes besides "type". */
  static const char * const takes[][4] = {
    [PS_RULE_ACTION_SEND_EMAIL] = { "template", "to", NULL },
    [PS_RULE_ACTION_NOTIFY] = { "address", "message", NULL },
    [PS_RULE_ACTION_SET_STATUS] = { "status", NULL },
    [PS_RULE_ACTION_ADD_TAG] = { "tag", NULL },
    [PS_RULE_ACTION_REMOVE_TAG] = { "tag", NULL },
    [PS_RULE_ACTION_SET_PRIORITY] = { "priority", NULL },
    [PS_RULE_ACTION_HOLD_UNTIL] = { "days", "date", NULL },
    [PS_RULE_ACTION_ADD_NOTE] = { "text", NULL },
    [PS_RULE_ACTION_SELECT_SERVICE] = { "strategy", "days", "carrier", "service" },
    [PS_RULE_ACTION_STOP_PROCESSING] = { NULL },
  };
  g_autoptr(PsRuleAction) action = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  const char *s = NULL;
  gint64 n = 0;
  PsRuleActionType type;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, PS_RULE_ERROR_PARSE, path, "an action must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, path, known, error))
    return NULL;
  if (!get_string (object, path, "type", TRUE, &s, error))
    return NULL;
  if (!ps_rule_action_type_from_nick (s, &type))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, path,
            "“type” “%s” is not an action (send_email, notify, set_status, add_tag, "
            "remove_tag, set_priority, hold_until, add_note, select_service, "
            "stop_processing)", s);
      return NULL;
    }

  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean ok = g_str_equal (l->data, "type");

      for (guint i = 0; !ok && i < G_N_ELEMENTS (takes[type]) && takes[type][i] != NULL; i++)
        ok = g_str_equal (l->data, takes[type][i]);
      if (!ok)
        {
          fail (error, PS_RULE_ERROR_UNKNOWN_MEMBER, path, "%s takes no “%s”",
                action_nicks[type], (const char *) l->data);
          return NULL;
        }
    }

  action = ps_rule_action_new (type);
  switch (type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:
      if (!get_string (object, path, "template", TRUE, &s, error))
        return NULL;
      action->template_name = g_strdup (s);
      if (!get_string (object, path, "to", FALSE, &s, error))
        return NULL;
      action->address = g_strdup (s);
      break;

    case PS_RULE_ACTION_NOTIFY:
      if (!get_string (object, path, "address", TRUE, &s, error))
        return NULL;
      action->address = g_strdup (s);
      if (!get_string (object, path, "message", FALSE, &s, error))
        return NULL;
      action->text = g_strdup (s);
      break;

    case PS_RULE_ACTION_SET_STATUS:
      {
        int value;

        if (!get_string (object, path, "status", TRUE, &s, error))
          return NULL;
        if (!ps_enum_from_nick (PS_TYPE_ORDER_STATUS, s, &value))
          {
            fail (error, PS_RULE_ERROR_BAD_VALUE, path, "“status” “%s” is not an order status",
                  s);
            return NULL;
          }
        action->status = value;
      }
      break;

    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      if (!get_string (object, path, "tag", TRUE, &s, error))
        return NULL;
      action->tag = g_strdup (s);
      break;

    case PS_RULE_ACTION_SET_PRIORITY:
      if (!get_string (object, path, "priority", TRUE, &s, error))
        return NULL;
      if (!g_str_equal (s, "high") && !g_str_equal (s, "normal"))
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, path,
                "“priority” must be “high” or “normal”, not “%s”", s);
          return NULL;
        }
      action->high_priority = g_str_equal (s, "high");
      break;

    case PS_RULE_ACTION_HOLD_UNTIL:
      if (!get_int (object, path, "days", 1, PS_CONDITION_MAX_DAYS, FALSE, &n, error) ||
          !get_string (object, path, "date", FALSE, &s, error))
        return NULL;
      if ((n == 0) == (s == NULL))
        {
          fail (error, n == 0 ? PS_RULE_ERROR_MISSING : PS_RULE_ERROR_BAD_VALUE, path,
                "hold_until takes either “days” or “date”");
          return NULL;
        }
      action->days = n;
      if (s != NULL && !parse_date (s, &action->until))
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, path,
                "“date” “%s” is not an ISO 8601 date (2026-03-01 or 2026-03-01T09:00:00Z)", s);
          return NULL;
        }
      action->date = g_strdup (s);
      break;

    case PS_RULE_ACTION_ADD_NOTE:
      if (!get_string (object, path, "text", TRUE, &s, error))
        return NULL;
      action->text = g_strdup (s);
      break;

    case PS_RULE_ACTION_SELECT_SERVICE:
      if (!get_string (object, path, "strategy", TRUE, &s, error))
        return NULL;
      if (!ps_service_strategy_from_nick (s, &action->strategy))
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, path,
                "“strategy” “%s” is not cheapest, fastest, cheapest_within_days or fixed", s);
          return NULL;
        }
      if (!get_int (object, path, "days", 1, 365,
                    action->strategy == PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS, &n, error))
        return NULL;
      if (n != 0 && action->strategy != PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS)
        {
          fail (error, PS_RULE_ERROR_UNKNOWN_MEMBER, path,
                "“days” goes only with the cheapest_within_days strategy");
          return NULL;
        }
      action->days = n;
      {
        gboolean fixed = action->strategy == PS_SERVICE_STRATEGY_FIXED;
        const char *carrier = NULL, *service = NULL;

        if (!get_string (object, path, "carrier", fixed, &carrier, error) ||
            !get_string (object, path, "service", fixed, &service, error))
          return NULL;
        if (!fixed && (carrier != NULL || service != NULL))
          {
            fail (error, PS_RULE_ERROR_UNKNOWN_MEMBER, path,
                  "“carrier” and “service” go only with the fixed strategy");
            return NULL;
          }
        action->carrier = g_strdup (carrier);
        action->service = g_strdup (service);
      }
      break;

    case PS_RULE_ACTION_STOP_PROCESSING:
      break;

    default:
      g_assert_not_reached ();
    }

  return g_steal_pointer (&action);
}

/**
 * ps_rule_action_from_json:
 * @node: the JSON form of one action
 * @error: return location for a #PS_RULE_ERROR
 *
 * Returns: (transfer full) (nullable): the action, or %NULL with an error
 *   naming the member
 */
PsRuleAction *
ps_rule_action_from_json (JsonNode  *node,
                          GError   **error)
{
  g_return_val_if_fail (node != NULL, NULL);

  return action_parse (node, "", error);
}

/**
 * ps_rule_action_to_json:
 * @self: an action
 *
 * Returns: (transfer full): the JSON form, members in a fixed order
 */
JsonNode *
ps_rule_action_to_json (const PsRuleAction *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, action_nicks[self->type]);

#define STRING_MEMBER(name, value) \
  G_STMT_START { if ((value) != NULL) { json_builder_set_member_name (b, name); \
                                        json_builder_add_string_value (b, value); } } G_STMT_END

  switch (self->type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:
      STRING_MEMBER ("template", self->template_name);
      STRING_MEMBER ("to", self->address);
      break;
    case PS_RULE_ACTION_NOTIFY:
      STRING_MEMBER ("address", self->address);
      STRING_MEMBER ("message", self->text);
      break;
    case PS_RULE_ACTION_SET_STATUS:
      STRING_MEMBER ("status", ps_enum_to_nick (PS_TYPE_ORDER_STATUS, self->status));
      break;
    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      STRING_MEMBER ("tag", self->tag);
      break;
    case PS_RULE_ACTION_SET_PRIORITY:
      STRING_MEMBER ("priority", self->high_priority ? "high" : "normal");
      break;
    case PS_RULE_ACTION_HOLD_UNTIL:
      if (self->date != NULL)
        STRING_MEMBER ("date", self->date);
      else
        {
          json_builder_set_member_name (b, "days");
          json_builder_add_int_value (b, self->days);
        }
      break;
    case PS_RULE_ACTION_ADD_NOTE:
      STRING_MEMBER ("text", self->text);
      break;
    case PS_RULE_ACTION_SELECT_SERVICE:
      STRING_MEMBER ("strategy", strategy_nicks[self->strategy]);
      if (self->strategy == PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS)
        {
          json_builder_set_member_name (b, "days");
          json_builder_add_int_value (b, self->days);
        }
      STRING_MEMBER ("carrier", self->carrier);
      STRING_MEMBER ("service", self->service);
      break;
    case PS_RULE_ACTION_STOP_PROCESSING:
    default:
      break;
    }

#undef STRING_MEMBER

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Public: event conditions */

/**
 * ps_rule_event_condition_new:
 * @field: the event field
 * @op: is, is_not or in
 * @values: (array zero-terminated=1): the values; exactly one for is and
 *   is_not
 * @error: return location for a #PS_RULE_ERROR
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL when @op
 *   does not apply or a value is not a status (from, to) or an exception
 *   reason (reason)
 */
PsRuleEventCondition *
ps_rule_event_condition_new (PsRuleEventField     field,
                             PsConditionOp        op,
                             const char * const  *values,
                             GError             **error)
{
  PsRuleEventCondition *self;
  guint n;

  g_return_val_if_fail ((guint) field < G_N_ELEMENTS (event_field_nicks), NULL);
  g_return_val_if_fail (values != NULL, NULL);

  n = g_strv_length ((GStrv) values);
  if (op != PS_CONDITION_OP_IS && op != PS_CONDITION_OP_IS_NOT && op != PS_CONDITION_OP_IN)
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, "/op", "event field “%s” takes is, is_not or in",
            event_field_nicks[field]);
      return NULL;
    }
  if (n == 0 || (op != PS_CONDITION_OP_IN && n != 1))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, "/value",
            op == PS_CONDITION_OP_IN ? "“in” needs a non-empty array of values"
                                     : "needs one value");
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      int value;
      gboolean ok = field == PS_RULE_EVENT_FIELD_REASON
                    ? ps_enum_from_nick (PS_TYPE_EXCEPTION_REASON, values[i], &value)
                    : is_status_nick (values[i]);

      if (!ok)
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, "/value", "“%s” is not %s", values[i],
                field == PS_RULE_EVENT_FIELD_REASON ? "an exception reason"
                                                    : "an order or tracking status");
          return NULL;
        }
    }

  self = g_new0 (PsRuleEventCondition, 1);
  self->field = field;
  self->op = op;
  self->values = g_strdupv ((GStrv) values);
  return self;
}

/**
 * ps_rule_event_condition_free:
 * @self: (nullable): an event condition
 */
void
ps_rule_event_condition_free (PsRuleEventCondition *self)
{
  if (self == NULL)
    return;
  g_strfreev (self->values);
  g_free (self);
}

static PsRuleEventCondition *
event_condition_copy (const PsRuleEventCondition *self)
{
  PsRuleEventCondition *copy = g_memdup2 (self, sizeof *self);

  copy->values = g_strdupv (self->values);
  return copy;
}

/**
 * ps_rule_event_condition_to_json:
 * @self: an event condition
 *
 * Returns: (transfer full): {"field": …, "op": …, "value": …}
 */
JsonNode *
ps_rule_event_condition_to_json (const PsRuleEventCondition *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, event_field_nicks[self->field]);
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, ps_condition_op_to_nick (self->op));
  json_builder_set_member_name (b, "value");
  if (self->op == PS_CONDITION_OP_IN)
    {
      json_builder_begin_array (b);
      for (guint i = 0; self->values[i] != NULL; i++)
        json_builder_add_string_value (b, self->values[i]);
      json_builder_end_array (b);
    }
  else
    json_builder_add_string_value (b, self->values[0]);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static PsRuleEventCondition *
event_condition_parse (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  static const char * const known[] = { "field", "op", "value", NULL };
  g_autoptr(GPtrArray) values = g_ptr_array_new_null_terminated (2, NULL, TRUE);
  g_autoptr(GError) local_error = NULL;
  PsRuleEventCondition *condition;
  JsonObject *object;
  JsonNode *value;
  const char *s;
  guint field;
  PsConditionOp op;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, PS_RULE_ERROR_PARSE, path, "an event condition must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, path, known, error) ||
      !get_string (object, path, "field", TRUE, &s, error))
    return NULL;
  if (!nick_lookup (event_field_nicks, G_N_ELEMENTS (event_field_nicks), s, &field))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, path,
            "“field” “%s” is not an event field (from, to, reason)", s);
      return NULL;
    }
  if (!get_string (object, path, "op", TRUE, &s, error))
    return NULL;
  if (!ps_condition_op_from_nick (s, &op))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, path, "“op” “%s” is not is, is_not or in", s);
      return NULL;
    }

  value = json_object_get_member (object, "value");
  if (value == NULL)
    {
      fail (error, PS_RULE_ERROR_MISSING, path, "“value” is missing");
      return NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            {
              fail (error, PS_RULE_ERROR_BAD_VALUE, path, "“value” must hold strings");
              return NULL;
            }
          g_ptr_array_add (values, (gpointer) json_node_get_string (element));
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    g_ptr_array_add (values, (gpointer) json_node_get_string (value));
  else
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, path, "“value” must be a string or an array");
      return NULL;
    }
  if ((op == PS_CONDITION_OP_IN) != JSON_NODE_HOLDS_ARRAY (value))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, path,
            op == PS_CONDITION_OP_IN ? "“in” takes an array of values"
                                     : "“%s” takes one string value", s);
      return NULL;
    }

  condition = ps_rule_event_condition_new (field, op, (const char * const *) values->pdata,
                                           &local_error);
  if (condition == NULL)
    {
      g_set_error (error, PS_RULE_ERROR, local_error->code, "%s%s", path,
                   local_error->message);
      return NULL;
    }
  return condition;
}

/* Public: rules */

static void
rule_clear (gpointer data)
{
  PsRule *self = data;

  g_free (self->name);
  g_clear_pointer (&self->condition, ps_condition_unref);
  g_ptr_array_unref (self->event_conditions);
  g_ptr_array_unref (self->actions);
}

/**
 * ps_rule_new:
 * @name: what the merchant calls the rule
 * @trigger: the event type that triggers it (%PS_EVENT_TYPE_TIME for the
 *   clock)
 *
 * Returns: (transfer full): a new rule, disabled, with no condition (it
 *   holds for every order) and no actions yet
 */
PsRule *
ps_rule_new (const char  *name,
             PsEventType  trigger)
{
  PsRule *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_atomic_rc_box_new0 (PsRule);
  self->name = g_strdup (name);
  self->trigger = trigger;
  self->event_conditions = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ps_rule_event_condition_free);
  self->actions = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_action_free);
  return self;
}

/**
 * ps_rule_ref:
 * @self: a rule
 *
 * Rules are mutable through the setters: share a reference only with code
 * that reads it on the same thread, or hand a ps_rule_copy() to a worker.
 *
 * Returns: (transfer full): @self
 */
PsRule *
ps_rule_ref (PsRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_atomic_rc_box_acquire (self);
}

/**
 * ps_rule_unref:
 * @self: (transfer full): a rule
 */
void
ps_rule_unref (PsRule *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_rc_box_release_full (self, rule_clear);
}

/**
 * ps_rule_copy:
 * @self: a rule
 *
 * Returns: (transfer full): a deep copy, id, position and enabled flag
 *   included
 */
PsRule *
ps_rule_copy (PsRule *self)
{
  PsRule *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = ps_rule_new (self->name, self->trigger);
  copy->id = self->id;
  copy->enabled = self->enabled;
  copy->position = self->position;
  copy->repeat_after_days = self->repeat_after_days;
  if (self->condition != NULL)
    copy->condition = ps_condition_ref (self->condition);
  for (guint i = 0; i < self->event_conditions->len; i++)
    g_ptr_array_add (copy->event_conditions,
                     event_condition_copy (g_ptr_array_index (self->event_conditions, i)));
  for (guint i = 0; i < self->actions->len; i++)
    g_ptr_array_add (copy->actions, ps_rule_action_copy (g_ptr_array_index (self->actions, i)));
  return copy;
}

/**
 * ps_rule_validate:
 * @self: a rule
 * @error: return location for a #PS_RULE_ERROR
 *
 * What ps_rule_from_json() checks beyond the shape of each member: a
 * name, at least one action, and event conditions only on triggers whose
 * events carry from/to/reason (order.status_changed,
 * tracking.status_changed); repeat_after_days only on time rules.
 *
 * Returns: %TRUE if @self can be stored and run
 */
gboolean
ps_rule_validate (PsRule  *self,
                  GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (self->name == NULL || *self->name == '\0')
    return fail (error, PS_RULE_ERROR_MISSING, "/name", "a rule needs a name");
  if (ps_enum_to_nick (PS_TYPE_EVENT_TYPE, self->trigger) == NULL)
    return fail (error, PS_RULE_ERROR_BAD_VALUE, "/trigger", "not an event type");
  if (self->actions->len == 0)
    return fail (error, PS_RULE_ERROR_NO_ACTIONS, "/actions", "a rule needs at least one action");
  if (self->event_conditions->len > 0 &&
      self->trigger != PS_EVENT_TYPE_ORDER_STATUS_CHANGED &&
      self->trigger != PS_EVENT_TYPE_TRACKING_STATUS_CHANGED)
    return fail (error, PS_RULE_ERROR_BAD_VALUE, "/event_conditions",
                 "only order.status_changed and tracking.status_changed events have "
                 "from, to and reason; trigger “%s” has none",
                 ps_enum_to_nick (PS_TYPE_EVENT_TYPE, self->trigger));
  if (self->repeat_after_days != 0 && self->trigger != PS_EVENT_TYPE_TIME)
    return fail (error, PS_RULE_ERROR_BAD_VALUE, "/repeat_after_days",
                 "only rules triggered by time repeat");
  return TRUE;
}

/**
 * ps_rule_from_json:
 * @node: the JSON form of a rule (see the top of ps-rule.c)
 * @error: return location for a #PS_RULE_ERROR
 *
 * Parses and validates a rule. The id and position are 0: they belong to
 * the store.
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with an error
 *   whose message starts with the JSON Pointer of the bad member
 */
PsRule *
ps_rule_from_json (JsonNode  *node,
                   GError   **error)
{
  static const char * const known[] = {
    "name", "trigger", "enabled", "event_conditions", "condition", "actions",
    "repeat_after_days", NULL
  };
  g_autoptr(PsRule) rule = NULL;
  JsonObject *object;
  JsonNode *member;
  const char *name, *trigger;
  gint64 repeat;
  int value;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, PS_RULE_ERROR_PARSE, "", "a rule must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, "", known, error) ||
      !get_string (object, "/name", "name", TRUE, &name, error) ||
      !get_string (object, "/trigger", "trigger", TRUE, &trigger, error))
    return NULL;
  if (!ps_enum_from_nick (PS_TYPE_EVENT_TYPE, trigger, &value))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, "/trigger",
            "“%s” is not an event type (order.imported, order.updated, order.status_changed, "
            "label.created, label.voided, tracking.status_changed, shipment.delivered, "
            "return.requested, return.received, note.added, time)", trigger);
      return NULL;
    }
  rule = ps_rule_new (name, value);

  member = json_object_get_member (object, "enabled");
  if (member != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (member) || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, "/enabled", "must be true or false");
          return NULL;
        }
      rule->enabled = json_node_get_boolean (member);
    }

  if (!get_int (object, "/repeat_after_days", "repeat_after_days", 0, PS_CONDITION_MAX_DAYS,
                FALSE, &repeat, error))
    return NULL;
  rule->repeat_after_days = repeat;

  member = json_object_get_member (object, "event_conditions");
  if (member != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (member))
        {
          fail (error, PS_RULE_ERROR_BAD_VALUE, "/event_conditions", "must be an array");
          return NULL;
        }
      array = json_node_get_array (member);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *path = g_strdup_printf ("/event_conditions/%u", i);
          PsRuleEventCondition *condition;

          condition = event_condition_parse (json_array_get_element (array, i), path, error);
          if (condition == NULL)
            return NULL;
          g_ptr_array_add (rule->event_conditions, condition);
        }
    }

  member = json_object_get_member (object, "condition");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr(GError) local_error = NULL;

      rule->condition = ps_condition_from_json (member, &local_error);
      if (rule->condition == NULL)
        {
          g_set_error (error, PS_RULE_ERROR, PS_RULE_ERROR_CONDITION, "/condition%s%s",
                       g_str_has_prefix (local_error->message, "/") ? "" : ": ",
                       local_error->message);
          return NULL;
        }
    }

  member = json_object_get_member (object, "actions");
  if (member == NULL)
    {
      fail (error, PS_RULE_ERROR_MISSING, "/actions", "a rule needs “actions”");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      fail (error, PS_RULE_ERROR_BAD_VALUE, "/actions", "must be an array");
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (member)); i++)
    {
      g_autofree char *path = g_strdup_printf ("/actions/%u", i);
      PsRuleAction *action;

      action = action_parse (json_array_get_element (json_node_get_array (member), i), path,
                             error);
      if (action == NULL)
        return NULL;
      g_ptr_array_add (rule->actions, action);
    }

  if (!ps_rule_validate (rule, error))
    return NULL;

  return g_steal_pointer (&rule);
}

/**
 * ps_rule_from_string:
 * @json: the JSON text of a rule
 * @error: return location for a #PS_RULE_ERROR
 *
 * Returns: (transfer full) (nullable): the rule, or %NULL with an error;
 *   text that is not JSON gives %PS_RULE_ERROR_PARSE
 */
PsRule *
ps_rule_from_string (const char  *json,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, PS_RULE_ERROR, PS_RULE_ERROR_PARSE, "Rule is not valid JSON: %s",
                   local_error->message);
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, PS_RULE_ERROR, PS_RULE_ERROR_PARSE, "Rule is empty");
      return NULL;
    }
  return ps_rule_from_json (json_parser_get_root (parser), error);
}

/**
 * ps_rule_to_json:
 * @self: a rule
 *
 * The normalized JSON form; ps_rule_from_json() of it gives an equal rule
 * (ps_rule_equal()). Optional members are written only when set.
 *
 * Returns: (transfer full): a new JSON tree
 */
JsonNode *
ps_rule_to_json (PsRule *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (self != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, self->name);
  json_builder_set_member_name (b, "trigger");
  json_builder_add_string_value (b, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, self->trigger));
  json_builder_set_member_name (b, "enabled");
  json_builder_add_boolean_value (b, self->enabled);
  if (self->event_conditions->len > 0)
    {
      json_builder_set_member_name (b, "event_conditions");
      json_builder_begin_array (b);
      for (guint i = 0; i < self->event_conditions->len; i++)
        json_builder_add_value (b, ps_rule_event_condition_to_json (
                                     g_ptr_array_index (self->event_conditions, i)));
      json_builder_end_array (b);
    }
  if (self->condition != NULL)
    {
      json_builder_set_member_name (b, "condition");
      json_builder_add_value (b, ps_condition_to_json (self->condition));
    }
  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->actions->len; i++)
    json_builder_add_value (b, ps_rule_action_to_json (g_ptr_array_index (self->actions, i)));
  json_builder_end_array (b);
  if (self->repeat_after_days != 0)
    {
      json_builder_set_member_name (b, "repeat_after_days");
      json_builder_add_int_value (b, self->repeat_after_days);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/**
 * ps_rule_to_string:
 * @self: a rule
 *
 * Returns: (transfer full): ps_rule_to_json() as compact JSON text
 */
char *
ps_rule_to_string (PsRule *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  node = ps_rule_to_json (self);
  return json_to_string (node, FALSE);
}

/**
 * ps_rule_equal:
 * @a: a rule
 * @b: a rule
 *
 * Returns: %TRUE if @a and @b have the same definition (their JSON forms
 *   are equal); ids and positions are not compared
 */
gboolean
ps_rule_equal (PsRule *a,
               PsRule *b)
{
  g_autoptr(JsonNode) ja = NULL;
  g_autoptr(JsonNode) jb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  ja = ps_rule_to_json (a);
  jb = ps_rule_to_json (b);
  return json_node_equal (ja, jb);
}

/* Accessors */

/**
 * ps_rule_get_id:
 * @self: a rule
 *
 * Returns: the store's id, 0 for a rule not stored
 */
gint64
ps_rule_get_id (PsRule *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->id;
}

/**
 * ps_rule_set_id:
 * @self: a rule
 * @id: the store's id
 */
void
ps_rule_set_id (PsRule *self,
                gint64  id)
{
  g_return_if_fail (self != NULL);
  self->id = id;
}

/**
 * ps_rule_get_name:
 * @self: a rule
 *
 * Returns: (transfer none): the rule's name
 */
const char *
ps_rule_get_name (PsRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->name;
}

/**
 * ps_rule_set_name:
 * @self: a rule
 * @name: the new name
 */
void
ps_rule_set_name (PsRule     *self,
                  const char *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);
  g_free (self->name);
  self->name = g_strdup (name);
}

/**
 * ps_rule_get_trigger:
 * @self: a rule
 *
 * Returns: the event type that triggers @self
 */
PsEventType
ps_rule_get_trigger (PsRule *self)
{
  g_return_val_if_fail (self != NULL, PS_EVENT_TYPE_TIME);
  return self->trigger;
}

/**
 * ps_rule_set_trigger:
 * @self: a rule
 * @trigger: the event type
 */
void
ps_rule_set_trigger (PsRule      *self,
                     PsEventType  trigger)
{
  g_return_if_fail (self != NULL);
  self->trigger = trigger;
}

/**
 * ps_rule_get_enabled:
 * @self: a rule
 *
 * Returns: whether the runner applies @self (dry runs ignore this)
 */
gboolean
ps_rule_get_enabled (PsRule *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->enabled;
}

/**
 * ps_rule_set_enabled:
 * @self: a rule
 * @enabled: whether the runner applies it
 */
void
ps_rule_set_enabled (PsRule   *self,
                     gboolean  enabled)
{
  g_return_if_fail (self != NULL);
  self->enabled = !!enabled;
}

/**
 * ps_rule_get_position:
 * @self: a rule
 *
 * Returns: the rule's place in the evaluation order (lower first)
 */
int
ps_rule_get_position (PsRule *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->position;
}

/**
 * ps_rule_set_position:
 * @self: a rule
 * @position: the rule's place in the evaluation order
 */
void
ps_rule_set_position (PsRule *self,
                      int     position)
{
  g_return_if_fail (self != NULL);
  self->position = position;
}

/**
 * ps_rule_get_repeat_after_days:
 * @self: a rule
 *
 * Returns: for a time rule, how many days after firing for an order it may
 *   fire again for it while the condition still holds; 0 for never
 */
int
ps_rule_get_repeat_after_days (PsRule *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->repeat_after_days;
}

/**
 * ps_rule_set_repeat_after_days:
 * @self: a rule
 * @days: 0 (never again) or a number of days
 */
void
ps_rule_set_repeat_after_days (PsRule *self,
                               int     days)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (days >= 0 && days <= PS_CONDITION_MAX_DAYS);
  self->repeat_after_days = days;
}

/**
 * ps_rule_get_condition:
 * @self: a rule
 *
 * Returns: (transfer none) (nullable): the condition on the order, %NULL
 *   when the rule holds for every order
 */
PsCondition *
ps_rule_get_condition (PsRule *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->condition;
}

/**
 * ps_rule_set_condition:
 * @self: a rule
 * @condition: (nullable): the condition on the order; a reference is taken
 */
void
ps_rule_set_condition (PsRule      *self,
                       PsCondition *condition)
{
  g_return_if_fail (self != NULL);
  if (condition != NULL)
    ps_condition_ref (condition);
  g_clear_pointer (&self->condition, ps_condition_unref);
  self->condition = condition;
}

/**
 * ps_rule_get_n_event_conditions:
 * @self: a rule
 *
 * Returns: the number of tests on the triggering event
 */
guint
ps_rule_get_n_event_conditions (PsRule *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->event_conditions->len;
}

/**
 * ps_rule_get_event_condition:
 * @self: a rule
 * @index: below ps_rule_get_n_event_conditions()
 *
 * Returns: (transfer none): the test at @index
 */
const PsRuleEventCondition *
ps_rule_get_event_condition (PsRule *self,
                             guint   index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->event_conditions->len, NULL);
  return g_ptr_array_index (self->event_conditions, index);
}

/**
 * ps_rule_add_event_condition:
 * @self: a rule
 * @condition: (transfer full): a test on the triggering event
 */
void
ps_rule_add_event_condition (PsRule               *self,
                             PsRuleEventCondition *condition)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (condition != NULL);
  g_ptr_array_add (self->event_conditions, condition);
}

/**
 * ps_rule_clear_event_conditions:
 * @self: a rule
 */
void
ps_rule_clear_event_conditions (PsRule *self)
{
  g_return_if_fail (self != NULL);
  g_ptr_array_set_size (self->event_conditions, 0);
}

/**
 * ps_rule_get_n_actions:
 * @self: a rule
 *
 * Returns: the number of actions
 */
guint
ps_rule_get_n_actions (PsRule *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->actions->len;
}

/**
 * ps_rule_get_action:
 * @self: a rule
 * @index: below ps_rule_get_n_actions()
 *
 * Returns: (transfer none): the action at @index
 */
const PsRuleAction *
ps_rule_get_action (PsRule *self,
                    guint   index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->actions->len, NULL);
  return g_ptr_array_index (self->actions, index);
}

/**
 * ps_rule_add_action:
 * @self: a rule
 * @action: (transfer full): the action appended
 */
void
ps_rule_add_action (PsRule       *self,
                    PsRuleAction *action)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (action != NULL);
  g_ptr_array_add (self->actions, action);
}

/**
 * ps_rule_insert_action:
 * @self: a rule
 * @index: where, at most ps_rule_get_n_actions()
 * @action: (transfer full): the action
 */
void
ps_rule_insert_action (PsRule       *self,
                       guint         index,
                       PsRuleAction *action)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (action != NULL);
  g_return_if_fail (index <= self->actions->len);
  g_ptr_array_insert (self->actions, index, action);
}

/**
 * ps_rule_remove_action:
 * @self: a rule
 * @index: below ps_rule_get_n_actions()
 */
void
ps_rule_remove_action (PsRule *self,
                       guint   index)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (index < self->actions->len);
  g_ptr_array_remove_index (self->actions, index);
}

/**
 * ps_rule_move_action:
 * @self: a rule
 * @from: the action's index
 * @to: its new index
 *
 * Reorders the actions (drag and drop, or Alt+Up/Down in the editor).
 */
void
ps_rule_move_action (PsRule *self,
                     guint   from,
                     guint   to)
{
  gpointer action;

  g_return_if_fail (self != NULL);
  g_return_if_fail (from < self->actions->len && to < self->actions->len);

  action = g_ptr_array_steal_index (self->actions, from);
  g_ptr_array_insert (self->actions, to, action);
}

static gboolean
condition_has_time (PsCondition *condition)
{
  if (ps_condition_get_kind (condition) != PS_CONDITION_KIND_LEAF)
    {
      for (guint i = 0; i < ps_condition_get_n_children (condition); i++)
        if (condition_has_time (ps_condition_get_child (condition, i)))
          return TRUE;
      return FALSE;
    }
  switch (ps_condition_get_op (condition))
    {
    case PS_CONDITION_OP_OLDER_THAN_DAYS:
    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
    case PS_CONDITION_OP_WITHIN_DAYS:
      return TRUE;
    case PS_CONDITION_OP_IS:
    case PS_CONDITION_OP_IS_NOT:
    case PS_CONDITION_OP_IN:
    case PS_CONDITION_OP_CONTAINS:
    case PS_CONDITION_OP_STARTS_WITH:
    case PS_CONDITION_OP_GT:
    case PS_CONDITION_OP_LT:
    case PS_CONDITION_OP_BETWEEN:
    case PS_CONDITION_OP_IS_EMPTY:
    default:
      return FALSE;
    }
}

/**
 * ps_rule_has_time_conditions:
 * @self: a rule
 *
 * Returns: %TRUE if the condition has an elapsed-time test
 *   (older_than_days, older_than_business_days, within_days): one that
 *   can start to hold with no event, which is what `time` rules are for
 */
gboolean
ps_rule_has_time_conditions (PsRule *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->condition != NULL && condition_has_time (self->condition);
}

/* Seed templates */

static const char * const templates[] = {
  /* A carrier exception on a chosen channel: apologize, mark, tag. The
   * template name is the email engineer's built-in "delay" (the
   * delay/exception apology). */
  "{\"name\": \"Carrier exception: apologize to the customer\","
  " \"trigger\": \"tracking.status_changed\","
  " \"event_conditions\": [{\"field\": \"to\", \"op\": \"is\", \"value\": \"exception\"}],"
  " \"condition\": {\"all\": [{\"field\": \"channel\", \"op\": \"is\", \"value\": \"shopify\"}]},"
  " \"actions\": [{\"type\": \"send_email\", \"template\": \"delay\"},"
  "               {\"type\": \"set_status\", \"status\": \"exception\"},"
  "               {\"type\": \"add_tag\", \"tag\": \"carrier-exception\"}]}",

  /* A label bought more than two business days ago that the carrier has
   * not scanned: checked by the clock. */
  "{\"name\": \"Late handoff: label not scanned after 2 business days\","
  " \"trigger\": \"time\","
  " \"condition\": {\"all\": [{\"field\": \"tracking_status\", \"op\": \"is\","
  "                            \"value\": \"pre_transit\"},"
  "                           {\"field\": \"label_created_at\","
  "                            \"op\": \"older_than_business_days\", \"value\": 2}]},"
  " \"actions\": [{\"type\": \"add_tag\", \"tag\": \"late-handoff\"},"
  "               {\"type\": \"notify\", \"address\": \"shipping manager\","
  "                \"message\": \"A label has not been scanned by the carrier for more than "
  "2 business days\"}]}",

  /* Big orders go out first. */
  "{\"name\": \"4 or more items: first shift, high priority\","
  " \"trigger\": \"order.imported\","
  " \"condition\": {\"all\": [{\"field\": \"item_count\", \"op\": \"gt\", \"value\": 3}]},"
  " \"actions\": [{\"type\": \"set_priority\", \"priority\": \"high\"},"
  "               {\"type\": \"add_tag\", \"tag\": \"first-shift\"}]}",
};

/**
 * ps_rule_templates:
 *
 * The seed examples the Automations page offers as ready templates, all
 * disabled: a carrier exception on a chosen channel (Shopify until the
 * merchant picks another) emails the customer,
 * sets the status to Exception and tags it (template "delay", the email
 * engineer's delay/exception apology); a label not scanned after two
 * business days is tagged late-handoff and the shipping manager notified
 * (a `time` rule); an order of 4 or more items gets high priority and the
 * first-shift tag.
 *
 * Returns: (transfer full) (element-type PsRule): new rules
 */
GPtrArray *
ps_rule_templates (void)
{
  GPtrArray *rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_unref);

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    {
      g_autoptr(GError) error = NULL;
      PsRule *rule = ps_rule_from_string (templates[i], &error);

      g_assert_no_error (error);
      g_ptr_array_add (rules, rule);
    }
  return rules;
}
