/* ps-condition.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON form:
 *
 *   group:     {"all": [ … ]}  or  {"any": [ … ]}      (nestable)
 *   condition: {"field": "channel", "op": "is", "value": "etsy"}
 *   shipment:  {"shipment": {"all": [ … ]}}   (a group of conditions on
 *              one shipment; inside, only shipment fields, and no other
 *              shipment group)
 *   return:    {"return": {"all": [ … ]}}     (the same for one return;
 *              return fields are tested only inside one)
 *
 * A PsCondition is immutable once built, with an atomic reference count,
 * so one parsed tree can be shared by a list's SQL compiler on the database
 * thread and the rule engine. Each leaf keeps the JSON value as given
 * (sealed; it is what ps_condition_to_json() writes back, which makes
 * to_json (from_json (x)) equal x for normalized input) and, beside it,
 * the value decoded once into typed slots: strings, enum values, minor
 * units, grams, Unix seconds, day counts. Compilers and evaluators read
 * the slots and never parse JSON again.
 */

#define G_LOG_DOMAIN "ps-condition"

#include "config.h"

#include <math.h>

#include "ps-condition.h"
#include "ps-enum-types.h"
#include "ps-enums.h"

/* What the JSON "value" of an operator looks like. */
typedef enum
{
  SHAPE_NONE,     /* no "value" member */
  SHAPE_SCALAR,   /* one operand */
  SHAPE_LIST,     /* a non-empty array of operands */
  SHAPE_PAIR,     /* an array of two operands, low then high */
} ValueShape;

/* What one operand is, from the field's value type and the operator. */
typedef enum
{
  OPERAND_STRING,
  OPERAND_ENUM,
  OPERAND_NUMBER,
  OPERAND_MONEY,
  OPERAND_WEIGHT,
  OPERAND_TIMESTAMP,
  OPERAND_DAYS,
  OPERAND_BOOLEAN,
} Operand;

typedef struct
{
  const char            *nick;
  PsConditionValueType   type;
  GType                (*enum_type) (void);
} FieldInfo;

typedef struct
{
  const char *nick;
  guint       types;      /* bit per PsConditionValueType */
  ValueShape  shape;
} OpInfo;

/* One decoded operand. Strings are borrowed from the sealed value node. */
typedef struct
{
  const char *string;     /* strings, enum nicks, ISO 8601 timestamps */
  gint64      integer;    /* enum value, count, minor units, grams,
                           * Unix seconds, days */
  double      number;     /* the same as a double; exact for fractions */
} ValueSlot;

struct _PsCondition
{
  PsConditionKind   kind;
  guint             depth;       /* groups nested inside: 0 for a leaf */

  /* Groups */
  GPtrArray        *children;    /* (element-type PsCondition) */

  /* Leaves */
  PsConditionField  field;
  PsConditionOp     op;
  JsonNode         *value;       /* (nullable) sealed */
  guint             n_values;
  ValueSlot        *values;
};

G_DEFINE_QUARK (ps-condition-error-quark, ps_condition_error)

G_DEFINE_BOXED_TYPE (PsCondition, ps_condition, ps_condition_ref, ps_condition_unref)

#define T(type) (1u << PS_CONDITION_VALUE_##type)
#define STRINGS  (T (STRING) | T (STRING_LIST))
#define EQUATABLE (T (STRING) | T (ENUM) | T (STRING_LIST) | T (NUMBER) | T (MONEY) | T (WEIGHT) | \
                   T (BOOLEAN))
#define ORDERED  (T (NUMBER) | T (MONEY) | T (WEIGHT) | T (TIMESTAMP))
/* A boolean is always true or false, never "not set". */
#define SETTABLE (T (STRING) | T (ENUM) | T (STRING_LIST) | T (NUMBER) | T (MONEY) | T (WEIGHT) | \
                  T (TIMESTAMP))

/* (nick, value type, enum GType getter) */
#define FIELD(nick, type, enum_type) { nick, PS_CONDITION_VALUE_##type, enum_type }

static const FieldInfo fields[] = {
  [PS_CONDITION_FIELD_CHANNEL] = FIELD ("channel", STRING, NULL),
  [PS_CONDITION_FIELD_STATUS] = FIELD ("status", ENUM, ps_order_status_get_type),
  [PS_CONDITION_FIELD_TAGS] = FIELD ("tags", STRING_LIST, NULL),
  [PS_CONDITION_FIELD_CARRIER] = FIELD ("carrier", STRING, NULL),
  [PS_CONDITION_FIELD_SERVICE] = FIELD ("service", STRING, NULL),
  [PS_CONDITION_FIELD_SHIP_COUNTRY] = FIELD ("ship_country", STRING, NULL),
  [PS_CONDITION_FIELD_SHIP_STATE] = FIELD ("ship_state", STRING, NULL),
  [PS_CONDITION_FIELD_SHIP_POSTCODE] = FIELD ("ship_postcode", STRING, NULL),
  [PS_CONDITION_FIELD_ITEM_COUNT] = FIELD ("item_count", NUMBER, NULL),
  [PS_CONDITION_FIELD_SKU] = FIELD ("sku", STRING, NULL),
  [PS_CONDITION_FIELD_TOTAL] = FIELD ("total", MONEY, NULL),
  [PS_CONDITION_FIELD_WEIGHT] = FIELD ("weight", WEIGHT, NULL),
  [PS_CONDITION_FIELD_CREATED_AT] = FIELD ("created_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_PAID_AT] = FIELD ("paid_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_LABEL_CREATED_AT] = FIELD ("label_created_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_FIRST_SCAN_AT] = FIELD ("first_scan_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_DELIVERED_AT] = FIELD ("delivered_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_TRACKING_STATUS] = FIELD ("tracking_status", ENUM,
                                                ps_tracking_status_get_type),
  [PS_CONDITION_FIELD_EXCEPTION_REASON] = FIELD ("exception_reason", ENUM,
                                                 ps_exception_reason_get_type),
  [PS_CONDITION_FIELD_ADDRESS_ISSUE] = FIELD ("address_issue", BOOLEAN, NULL),
  [PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT] = FIELD ("estimated_delivery_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_HAD_EXCEPTION] = FIELD ("had_exception", BOOLEAN, NULL),
  [PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS] = FIELD ("label_to_scan_hours", NUMBER, NULL),
  [PS_CONDITION_FIELD_RETURN_REQUESTED_AT] = FIELD ("return_requested_at", TIMESTAMP, NULL),
  [PS_CONDITION_FIELD_RETURN_REASON] = FIELD ("return_reason", ENUM, ps_return_reason_get_type),
  [PS_CONDITION_FIELD_RETURN_SKU] = FIELD ("return_sku", STRING, NULL),
};

#undef FIELD

static const OpInfo ops[] = {
  [PS_CONDITION_OP_IS] = { "is", EQUATABLE, SHAPE_SCALAR },
  [PS_CONDITION_OP_IS_NOT] = { "is_not", EQUATABLE, SHAPE_SCALAR },
  [PS_CONDITION_OP_IN] = { "in", STRINGS | T (ENUM), SHAPE_LIST },
  [PS_CONDITION_OP_CONTAINS] = { "contains", STRINGS, SHAPE_SCALAR },
  [PS_CONDITION_OP_STARTS_WITH] = { "starts_with", STRINGS, SHAPE_SCALAR },
  [PS_CONDITION_OP_GT] = { "gt", ORDERED, SHAPE_SCALAR },
  [PS_CONDITION_OP_LT] = { "lt", ORDERED, SHAPE_SCALAR },
  [PS_CONDITION_OP_BETWEEN] = { "between", ORDERED, SHAPE_PAIR },
  [PS_CONDITION_OP_IS_EMPTY] = { "is_empty", SETTABLE, SHAPE_NONE },
  [PS_CONDITION_OP_OLDER_THAN_DAYS] = { "older_than_days", T (TIMESTAMP), SHAPE_SCALAR },
  [PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS] = { "older_than_business_days", T (TIMESTAMP),
                                                 SHAPE_SCALAR },
  [PS_CONDITION_OP_WITHIN_DAYS] = { "within_days", T (TIMESTAMP), SHAPE_SCALAR },
};

#undef T
#undef STRINGS
#undef EQUATABLE
#undef ORDERED
#undef SETTABLE

G_STATIC_ASSERT (G_N_ELEMENTS (fields) == PS_CONDITION_FIELD_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (ops) == PS_CONDITION_OP_LAST + 1);

/* Helpers */

static gboolean
field_is_valid (PsConditionField field)
{
  return (guint) field < G_N_ELEMENTS (fields);
}

static gboolean
op_is_valid (PsConditionOp op)
{
  return (guint) op < G_N_ELEMENTS (ops);
}

/* Where a condition stands: which fields it may test. */
typedef enum
{
  SCOPE_ORDER,      /* outside shipment and return groups */
  SCOPE_SHIPMENT,   /* inside a shipment group */
  SCOPE_RETURN,     /* inside a return group */
} Scope;

/* The nicks of the shipment (or return) fields, for messages:
 * "carrier, service, …". */
static char *
scope_field_list (Scope scope)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (scope == SCOPE_SHIPMENT
          ? !ps_condition_field_is_per_shipment ((PsConditionField) i)
          : !ps_condition_field_is_per_return ((PsConditionField) i))
        continue;
      if (list->len > 0)
        g_string_append (list, ", ");
      g_string_append (list, fields[i].nick);
    }
  return g_string_free (list, FALSE);
}

static const char *
kind_to_nick (PsConditionKind kind)
{
  g_assert (kind == PS_CONDITION_KIND_ALL || kind == PS_CONDITION_KIND_ANY);

  return kind == PS_CONDITION_KIND_ALL ? "all" : "any";
}

static Operand
operand_for (PsConditionField field,
             PsConditionOp    op)
{
  if (op == PS_CONDITION_OP_OLDER_THAN_DAYS ||
      op == PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS ||
      op == PS_CONDITION_OP_WITHIN_DAYS)
    return OPERAND_DAYS;

  switch (fields[field].type)
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      return OPERAND_STRING;
    case PS_CONDITION_VALUE_ENUM:
      return OPERAND_ENUM;
    case PS_CONDITION_VALUE_NUMBER:
      return OPERAND_NUMBER;
    case PS_CONDITION_VALUE_MONEY:
      return OPERAND_MONEY;
    case PS_CONDITION_VALUE_WEIGHT:
      return OPERAND_WEIGHT;
    case PS_CONDITION_VALUE_TIMESTAMP:
      return OPERAND_TIMESTAMP;
    case PS_CONDITION_VALUE_BOOLEAN:
      return OPERAND_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}

static const char *
describe_operand (Operand operand)
{
  switch (operand)
    {
    case OPERAND_STRING:
      return "a non-empty string";
    case OPERAND_ENUM:
      return "a value name (string)";
    case OPERAND_NUMBER:
      return "a number";
    case OPERAND_MONEY:
      return "a whole number of minor currency units";
    case OPERAND_WEIGHT:
      return "a whole number of grams, 0 or more";
    case OPERAND_TIMESTAMP:
      return "Unix seconds or an ISO 8601 date and time with a UTC offset";
    case OPERAND_DAYS:
      return "a whole number of days from 0 to " G_STRINGIFY (PS_CONDITION_MAX_DAYS);
    case OPERAND_BOOLEAN:
      return "true or false";
    default:
      g_assert_not_reached ();
    }
}

/* A mutable deep copy of a value: arrays of scalars, or a scalar. Objects
 * are never valid values; they are copied shallowly only to be rejected. */
static JsonNode *
copy_value (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_ARRAY:
      {
        JsonArray *src = json_node_get_array (node);
        guint n = json_array_get_length (src);
        JsonArray *dst = json_array_sized_new (n);
        JsonNode *copy = json_node_new (JSON_NODE_ARRAY);
        guint i;

        for (i = 0; i < n; i++)
          json_array_add_element (dst, copy_value (json_array_get_element (src, i)));
        json_node_take_array (copy, dst);

        return copy;
      }

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_INT64)
          return json_node_init_int (json_node_alloc (), json_node_get_int (node));
        if (type == G_TYPE_DOUBLE)
          return json_node_init_double (json_node_alloc (), json_node_get_double (node));
        if (type == G_TYPE_BOOLEAN)
          return json_node_init_boolean (json_node_alloc (), json_node_get_boolean (node));
        if (type == G_TYPE_STRING)
          return json_node_init_string (json_node_alloc (), json_node_get_string (node));

        return json_node_copy (node);
      }

    case JSON_NODE_NULL:
      return json_node_new (JSON_NODE_NULL);

    case JSON_NODE_OBJECT:
    default:
      return json_node_copy (node);
    }
}

static gboolean
bad_operand (PsConditionField   field,
             PsConditionOp      op,
             Operand            operand,
             GError           **error)
{
  g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
               "Operator “%s” on field “%s” needs %s",
               ops[op].nick, fields[field].nick, describe_operand (operand));
  return FALSE;
}

static gboolean
decode_operand (PsConditionField   field,
                PsConditionOp      op,
                JsonNode          *node,
                ValueSlot         *slot,
                GError           **error)
{
  Operand operand = operand_for (field, op);
  const char *s = NULL;
  gint64 i = 0;
  double d = 0.0;
  GType type;

  if (JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return bad_operand (field, op, operand, error);

  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    s = json_node_get_string (node);
  else if (type == G_TYPE_INT64)
    i = json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    d = json_node_get_double (node);

  switch (operand)
    {
    case OPERAND_STRING:
      if (s == NULL || *s == '\0')
        return bad_operand (field, op, operand, error);
      slot->string = s;
      return TRUE;

    case OPERAND_ENUM:
      {
        int value;

        if (s == NULL)
          return bad_operand (field, op, operand, error);
        if (!ps_enum_from_nick (fields[field].enum_type (), s, &value))
          {
            g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                         "Field “%s” has no value “%s”", fields[field].nick, s);
            return FALSE;
          }
        slot->string = s;
        slot->integer = value;
        slot->number = value;
        return TRUE;
      }

    case OPERAND_NUMBER:
      if (type == G_TYPE_INT64)
        {
          slot->integer = i;
          slot->number = (double) i;
          return TRUE;
        }
      /* Keep the truncation to gint64 defined. */
      if (type == G_TYPE_DOUBLE && isfinite (d) && fabs (d) < 9.0e18)
        {
          slot->integer = (gint64) d;
          slot->number = d;
          return TRUE;
        }
      return bad_operand (field, op, operand, error);

    case OPERAND_MONEY:
    case OPERAND_WEIGHT:
      if (type != G_TYPE_INT64 || (operand == OPERAND_WEIGHT && i < 0))
        return bad_operand (field, op, operand, error);
      slot->integer = i;
      slot->number = (double) i;
      return TRUE;

    case OPERAND_TIMESTAMP:
      if (s != NULL)
        {
          g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (s, NULL);

          if (dt == NULL)
            return bad_operand (field, op, operand, error);
          slot->string = s;
          i = g_date_time_to_unix (dt);
        }
      else if (type != G_TYPE_INT64)
        {
          return bad_operand (field, op, operand, error);
        }
      slot->integer = i;
      slot->number = (double) i;
      return TRUE;

    case OPERAND_DAYS:
      if (type != G_TYPE_INT64 || i < 0 || i > PS_CONDITION_MAX_DAYS)
        return bad_operand (field, op, operand, error);
      slot->integer = i;
      slot->number = (double) i;
      return TRUE;

    case OPERAND_BOOLEAN:
      if (type != G_TYPE_BOOLEAN)
        return bad_operand (field, op, operand, error);
      slot->integer = json_node_get_boolean (node) ? 1 : 0;
      slot->number = (double) slot->integer;
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

/* Orders two decoded operands of an ordered field. */
static int
slot_compare (PsConditionField  field,
              const ValueSlot  *a,
              const ValueSlot  *b)
{
  if (fields[field].type == PS_CONDITION_VALUE_NUMBER)
    return (a->number > b->number) - (a->number < b->number);

  return (a->integer > b->integer) - (a->integer < b->integer);
}

/* Checks that @op fits @field and @value fits both, and decodes @value,
 * which must be the sealed node the slots may borrow strings from. */
static gboolean
decode_value (PsConditionField   field,
              PsConditionOp      op,
              JsonNode          *value,
              ValueSlot        **values_out,
              guint             *n_values_out,
              GError           **error)
{
  g_autofree ValueSlot *values = NULL;
  JsonArray *array = NULL;
  guint n = 0;
  guint i;

  if (!ps_condition_field_accepts_op (field, op))
    {
      g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD,
                   "Operator “%s” does not apply to field “%s”",
                   ops[op].nick, fields[field].nick);
      return FALSE;
    }

  switch (ops[op].shape)
    {
    case SHAPE_NONE:
      if (value != NULL)
        {
          g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                       "Operator “%s” on field “%s” takes no value",
                       ops[op].nick, fields[field].nick);
          return FALSE;
        }
      *values_out = NULL;
      *n_values_out = 0;
      return TRUE;

    case SHAPE_SCALAR:
      if (value == NULL)
        {
          g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                       "Operator “%s” on field “%s” needs a value",
                       ops[op].nick, fields[field].nick);
          return FALSE;
        }
      values = g_new0 (ValueSlot, 1);
      if (!decode_operand (field, op, value, &values[0], error))
        return FALSE;
      n = 1;
      break;

    case SHAPE_LIST:
      if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
        {
          array = json_node_get_array (value);
          n = json_array_get_length (array);
        }
      if (n == 0)
        {
          g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                       "Operator “%s” on field “%s” needs a non-empty array of values",
                       ops[op].nick, fields[field].nick);
          return FALSE;
        }
      break;

    case SHAPE_PAIR:
      if (value != NULL && JSON_NODE_HOLDS_ARRAY (value))
        {
          array = json_node_get_array (value);
          n = json_array_get_length (array);
        }
      if (n != 2)
        {
          g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                       "Operator “%s” on field “%s” needs an array of two values, "
                       "low and high",
                       ops[op].nick, fields[field].nick);
          return FALSE;
        }
      break;

    default:
      g_assert_not_reached ();
    }

  if (array != NULL)
    {
      values = g_new0 (ValueSlot, n);
      for (i = 0; i < n; i++)
        {
          if (!decode_operand (field, op, json_array_get_element (array, i), &values[i], error))
            return FALSE;
        }
    }

  if (ops[op].shape == SHAPE_PAIR && slot_compare (field, &values[0], &values[1]) > 0)
    {
      g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE,
                   "Operator “%s” on field “%s” needs the low value first",
                   ops[op].nick, fields[field].nick);
      return FALSE;
    }

  *values_out = g_steal_pointer (&values);
  *n_values_out = n;
  return TRUE;
}

static PsCondition *
condition_alloc (PsConditionKind kind)
{
  PsCondition *self = g_atomic_rc_box_new0 (PsCondition);

  self->kind = kind;
  return self;
}

static void
condition_clear (gpointer data)
{
  PsCondition *self = data;

  g_clear_pointer (&self->children, g_ptr_array_unref);
  g_clear_pointer (&self->value, json_node_unref);
  g_clear_pointer (&self->values, g_free);
}

/* @value is borrowed; the leaf keeps a sealed copy. */
static PsCondition *
leaf_new (PsConditionField   field,
          PsConditionOp      op,
          JsonNode          *value,
          GError           **error)
{
  g_autoptr(JsonNode) stored = NULL;
  ValueSlot *values = NULL;
  guint n_values = 0;
  PsCondition *self;

  if (value != NULL)
    {
      stored = copy_value (value);
      json_node_seal (stored);
    }

  if (!decode_value (field, op, stored, &values, &n_values, error))
    return NULL;

  self = condition_alloc (PS_CONDITION_KIND_LEAF);
  self->field = field;
  self->op = op;
  self->value = g_steal_pointer (&stored);
  self->values = values;
  self->n_values = n_values;

  return self;
}

static void
fail_at (GError     **error,
         GString     *path,
         int          code,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

/* Sets an error on the condition at @path. */
static void
fail_at (GError     **error,
         GString     *path,
         int          code,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (path->len > 0)
    g_set_error (error, PS_CONDITION_ERROR, code, "%s: %s", path->str, message);
  else
    g_set_error_literal (error, PS_CONDITION_ERROR, code, message);
}

/* A member that is a JSON string, or NULL. */
static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static PsCondition *parse_node (JsonNode  *node,
                                GString   *path,
                                guint      enclosing,
                                Scope      scope,
                                GError   **error);

static PsCondition *
parse_group (JsonObject  *object,
             GString     *path,
             guint        enclosing,
             Scope        scope,
             GError     **error)
{
  g_autoptr(GPtrArray) children = NULL;
  PsConditionKind kind;
  const char *name;
  JsonObjectIter iter;
  const char *member;
  JsonNode *member_node;
  JsonArray *array;
  PsCondition *self;
  guint depth = 1;
  guint n, i;

  if (json_object_has_member (object, "all") && json_object_has_member (object, "any"))
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "A group has both “all” and “any”");
      return NULL;
    }

  kind = json_object_has_member (object, "all") ? PS_CONDITION_KIND_ALL : PS_CONDITION_KIND_ANY;
  name = kind_to_nick (kind);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &member_node))
    {
      if (!g_str_equal (member, name))
        {
          fail_at (error, path, PS_CONDITION_ERROR_PARSE,
                   "Unknown member “%s” in a group", member);
          return NULL;
        }
    }

  if (enclosing >= PS_CONDITION_MAX_DEPTH)
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "Groups are nested deeper than %d levels", PS_CONDITION_MAX_DEPTH);
      return NULL;
    }

  member_node = json_object_get_member (object, name);
  if (!JSON_NODE_HOLDS_ARRAY (member_node))
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE, "“%s” must be an array", name);
      return NULL;
    }

  array = json_node_get_array (member_node);
  n = json_array_get_length (array);
  children = g_ptr_array_new_full (n, (GDestroyNotify) ps_condition_unref);

  for (i = 0; i < n; i++)
    {
      gsize path_len = path->len;
      PsCondition *child;

      g_string_append_printf (path, "/%s/%u", name, i);
      child = parse_node (json_array_get_element (array, i), path, enclosing + 1, scope, error);
      g_string_truncate (path, path_len);

      if (child == NULL)
        return NULL;

      depth = MAX (depth, child->depth + 1);
      g_ptr_array_add (children, child);
    }

  self = condition_alloc (kind);
  self->depth = depth;
  self->children = g_steal_pointer (&children);

  return self;
}

/* {"shipment": group} or {"return": group}: the group is parsed with
 * shipment (return) fields only. */
static PsCondition *
parse_scoped (JsonObject  *object,
              GString     *path,
              guint        enclosing,
              Scope        scope,
              Scope        inner_scope,
              GError     **error)
{
  const char *name = inner_scope == SCOPE_SHIPMENT ? "shipment" : "return";
  PsConditionError code = inner_scope == SCOPE_SHIPMENT ? PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD
                                                        : PS_CONDITION_ERROR_NOT_A_RETURN_FIELD;
  JsonObjectIter iter;
  const char *member;
  JsonNode *member_node;
  JsonObject *inner;
  PsCondition *child;
  PsCondition *self;
  gsize path_len = path->len;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &member_node))
    {
      if (!g_str_equal (member, name))
        {
          fail_at (error, path, PS_CONDITION_ERROR_PARSE,
                   "Unknown member “%s” in a %s group", member, name);
          return NULL;
        }
    }

  if (scope != SCOPE_ORDER)
    {
      fail_at (error, path, code, "A %s group cannot be inside a %s group", name,
               scope == SCOPE_SHIPMENT ? "shipment" : "return");
      return NULL;
    }

  if (enclosing >= PS_CONDITION_MAX_DEPTH)
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "Groups are nested deeper than %d levels", PS_CONDITION_MAX_DEPTH);
      return NULL;
    }

  member_node = json_object_get_member (object, name);
  inner = JSON_NODE_HOLDS_OBJECT (member_node) ? json_node_get_object (member_node) : NULL;
  if (inner == NULL ||
      (!json_object_has_member (inner, "all") && !json_object_has_member (inner, "any")))
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "“%s” must be a group: {\"all\": […]} or {\"any\": […]}", name);
      return NULL;
    }

  g_string_append_printf (path, "/%s", name);
  child = parse_group (inner, path, enclosing + 1, inner_scope, error);
  g_string_truncate (path, path_len);
  if (child == NULL)
    return NULL;

  self = condition_alloc (inner_scope == SCOPE_SHIPMENT ? PS_CONDITION_KIND_SHIPMENT
                                                        : PS_CONDITION_KIND_RETURN);
  self->depth = child->depth + 1;
  self->children = g_ptr_array_new_full (1, (GDestroyNotify) ps_condition_unref);
  g_ptr_array_add (self->children, child);

  return self;
}

/* Whether @field may be tested in @scope; sets the error (at @path) if
 * not. */
static gboolean
check_field_scope (PsConditionField   field,
                   Scope              scope,
                   GString           *path,
                   GError           **error)
{
  if (scope == SCOPE_SHIPMENT && !ps_condition_field_is_per_shipment (field))
    {
      g_autofree char *list = scope_field_list (SCOPE_SHIPMENT);

      fail_at (error, path, PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD,
               "Field “%s” is not a shipment field; a shipment group tests only %s",
               fields[field].nick, list);
      return FALSE;
    }
  if (scope == SCOPE_RETURN && !ps_condition_field_is_per_return (field))
    {
      g_autofree char *list = scope_field_list (SCOPE_RETURN);

      fail_at (error, path, PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
               "Field “%s” is not a return field; a return group tests only %s",
               fields[field].nick, list);
      return FALSE;
    }
  if (scope != SCOPE_RETURN && ps_condition_field_is_per_return (field))
    {
      fail_at (error, path, PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
               "Field “%s” is a return field; test it inside a return group: "
               "{\"return\": {\"all\": […]}}", fields[field].nick);
      return FALSE;
    }
  return TRUE;
}

static PsCondition *
parse_leaf (JsonObject  *object,
            GString     *path,
            Scope        scope,
            GError     **error)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *member_node;
  const char *field_nick;
  const char *op_nick;
  PsConditionField field;
  PsConditionOp op;
  PsCondition *self;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &member, &member_node))
    {
      if (!g_str_equal (member, "field") &&
          !g_str_equal (member, "op") &&
          !g_str_equal (member, "value"))
        {
          fail_at (error, path, PS_CONDITION_ERROR_PARSE,
                   "Unknown member “%s” in a condition", member);
          return NULL;
        }
    }

  field_nick = get_string_member (object, "field");
  if (field_nick == NULL)
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "A condition needs “field” as a string, or “all” or “any” for a group");
      return NULL;
    }

  op_nick = get_string_member (object, "op");
  if (op_nick == NULL)
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE,
               "The condition on field “%s” needs “op” as a string", field_nick);
      return NULL;
    }

  if (!ps_condition_field_from_nick (field_nick, &field))
    {
      fail_at (error, path, PS_CONDITION_ERROR_UNKNOWN_FIELD,
               "Unknown field “%s”", field_nick);
      return NULL;
    }

  if (!check_field_scope (field, scope, path, error))
    return NULL;

  if (!ps_condition_op_from_nick (op_nick, &op))
    {
      fail_at (error, path, PS_CONDITION_ERROR_UNKNOWN_OPERATOR,
               "Unknown operator “%s”", op_nick);
      return NULL;
    }

  self = leaf_new (field, op, json_object_get_member (object, "value"), error);
  if (self == NULL && path->len > 0)
    g_prefix_error (error, "%s: ", path->str);

  return self;
}

static PsCondition *
parse_node (JsonNode  *node,
            GString   *path,
            guint      enclosing,
            Scope      scope,
            GError   **error)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_at (error, path, PS_CONDITION_ERROR_PARSE, "A condition must be a JSON object");
      return NULL;
    }

  object = json_node_get_object (node);
  if (json_object_has_member (object, "shipment"))
    return parse_scoped (object, path, enclosing, scope, SCOPE_SHIPMENT, error);
  if (json_object_has_member (object, "return"))
    return parse_scoped (object, path, enclosing, scope, SCOPE_RETURN, error);
  if (json_object_has_member (object, "all") || json_object_has_member (object, "any"))
    return parse_group (object, path, enclosing, scope, error);

  return parse_leaf (object, path, scope, error);
}

/* Public API */

/**
 * ps_condition_field_to_nick:
 * @field: a #PsConditionField
 *
 * Returns: (transfer none) (nullable): the JSON name of @field, such as
 *   "ship_country", or %NULL if @field is out of range.
 */
const char *
ps_condition_field_to_nick (PsConditionField field)
{
  if (!field_is_valid (field))
    return NULL;

  return fields[field].nick;
}

/**
 * ps_condition_field_from_nick:
 * @nick: (nullable): a JSON field name
 * @field: (out): where to store the field
 *
 * Returns: %TRUE if @nick names a field; @field is untouched otherwise.
 */
gboolean
ps_condition_field_from_nick (const char       *nick,
                              PsConditionField *field)
{
  guint i;

  g_return_val_if_fail (field != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (g_str_equal (nick, fields[i].nick))
        {
          *field = (PsConditionField) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_condition_field_get_value_type:
 * @field: a #PsConditionField
 *
 * Returns: what values of @field are, which decides the operators that
 *   apply (ps_condition_field_accepts_op()) and the JSON of their values.
 */
PsConditionValueType
ps_condition_field_get_value_type (PsConditionField field)
{
  g_return_val_if_fail (field_is_valid (field), PS_CONDITION_VALUE_STRING);

  return fields[field].type;
}

/**
 * ps_condition_field_get_enum_type:
 * @field: a #PsConditionField
 *
 * Returns: the enum whose nicks are the values of @field, such as
 *   %PS_TYPE_ORDER_STATUS, or %G_TYPE_NONE if @field is not of type
 *   %PS_CONDITION_VALUE_ENUM.
 */
GType
ps_condition_field_get_enum_type (PsConditionField field)
{
  g_return_val_if_fail (field_is_valid (field), G_TYPE_NONE);

  if (fields[field].enum_type == NULL)
    return G_TYPE_NONE;

  return fields[field].enum_type ();
}

/**
 * ps_condition_field_accepts_op:
 * @field: a #PsConditionField
 * @op: a #PsConditionOp
 *
 * Which operators apply to which value types:
 *
 * - is, is_not: everything but timestamps;
 * - in: strings, enums and tags;
 * - contains, starts_with: strings and tags;
 * - gt, lt, between: numbers, money, weights and timestamps;
 * - older_than_days, older_than_business_days, within_days: timestamps;
 * - is_empty: every field but booleans.
 *
 * Returns: %TRUE if @op may be used on @field.
 */
gboolean
ps_condition_field_accepts_op (PsConditionField field,
                               PsConditionOp    op)
{
  g_return_val_if_fail (field_is_valid (field), FALSE);
  g_return_val_if_fail (op_is_valid (op), FALSE);

  return (ops[op].types & (1u << fields[field].type)) != 0;
}

/**
 * ps_condition_field_is_per_shipment:
 * @field: a #PsConditionField
 *
 * Returns: %TRUE if @field is a value of each shipment (carrier, service,
 *   the shipment's times, tracking_status, exception_reason,
 *   had_exception, label_to_scan_hours): the fields a shipment group may
 *   test.
 */
gboolean
ps_condition_field_is_per_shipment (PsConditionField field)
{
  g_return_val_if_fail (field_is_valid (field), FALSE);

  switch (field)
    {
    case PS_CONDITION_FIELD_CARRIER:
    case PS_CONDITION_FIELD_SERVICE:
    case PS_CONDITION_FIELD_LABEL_CREATED_AT:
    case PS_CONDITION_FIELD_FIRST_SCAN_AT:
    case PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT:
    case PS_CONDITION_FIELD_DELIVERED_AT:
    case PS_CONDITION_FIELD_TRACKING_STATUS:
    case PS_CONDITION_FIELD_EXCEPTION_REASON:
    case PS_CONDITION_FIELD_HAD_EXCEPTION:
    case PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS:
      return TRUE;
    case PS_CONDITION_FIELD_CHANNEL:
    case PS_CONDITION_FIELD_STATUS:
    case PS_CONDITION_FIELD_TAGS:
    case PS_CONDITION_FIELD_SHIP_COUNTRY:
    case PS_CONDITION_FIELD_SHIP_STATE:
    case PS_CONDITION_FIELD_SHIP_POSTCODE:
    case PS_CONDITION_FIELD_ITEM_COUNT:
    case PS_CONDITION_FIELD_SKU:
    case PS_CONDITION_FIELD_TOTAL:
    case PS_CONDITION_FIELD_WEIGHT:
    case PS_CONDITION_FIELD_CREATED_AT:
    case PS_CONDITION_FIELD_PAID_AT:
    case PS_CONDITION_FIELD_ADDRESS_ISSUE:
    case PS_CONDITION_FIELD_RETURN_REQUESTED_AT:
    case PS_CONDITION_FIELD_RETURN_REASON:
    case PS_CONDITION_FIELD_RETURN_SKU:
    default:
      return FALSE;
    }
}

/**
 * ps_condition_field_is_per_return:
 * @field: a #PsConditionField
 *
 * Returns: %TRUE if @field is a value of each return (return_requested_at,
 *   return_reason, return_sku): the fields a return group tests, and
 *   only a return group.
 */
gboolean
ps_condition_field_is_per_return (PsConditionField field)
{
  g_return_val_if_fail (field_is_valid (field), FALSE);

  return field == PS_CONDITION_FIELD_RETURN_REQUESTED_AT ||
         field == PS_CONDITION_FIELD_RETURN_REASON ||
         field == PS_CONDITION_FIELD_RETURN_SKU;
}

/**
 * ps_condition_op_to_nick:
 * @op: a #PsConditionOp
 *
 * Returns: (transfer none) (nullable): the JSON name of @op, such as
 *   "older_than_business_days", or %NULL if @op is out of range.
 */
const char *
ps_condition_op_to_nick (PsConditionOp op)
{
  if (!op_is_valid (op))
    return NULL;

  return ops[op].nick;
}

/**
 * ps_condition_op_from_nick:
 * @nick: (nullable): a JSON operator name
 * @op: (out): where to store the operator
 *
 * Returns: %TRUE if @nick names an operator; @op is untouched otherwise.
 */
gboolean
ps_condition_op_from_nick (const char    *nick,
                           PsConditionOp *op)
{
  guint i;

  g_return_val_if_fail (op != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      if (g_str_equal (nick, ops[i].nick))
        {
          *op = (PsConditionOp) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ps_condition_new_group:
 * @kind: %PS_CONDITION_KIND_ALL or %PS_CONDITION_KIND_ANY
 * @children: (array length=n_children) (nullable): the conditions grouped
 * @n_children: the number of @children, possibly 0
 *
 * Groups conditions. The group takes its own references on @children.
 * The result may not nest groups deeper than %PS_CONDITION_MAX_DEPTH.
 *
 * Returns: (transfer full): a new group
 */
PsCondition *
ps_condition_new_group (PsConditionKind      kind,
                        PsCondition * const *children,
                        guint                n_children)
{
  PsCondition *self;
  guint depth = 1;
  guint i;

  g_return_val_if_fail (kind == PS_CONDITION_KIND_ALL || kind == PS_CONDITION_KIND_ANY, NULL);
  g_return_val_if_fail (children != NULL || n_children == 0, NULL);

  for (i = 0; i < n_children; i++)
    {
      g_return_val_if_fail (children[i] != NULL, NULL);
      depth = MAX (depth, children[i]->depth + 1);
    }

  g_return_val_if_fail (depth <= PS_CONDITION_MAX_DEPTH, NULL);

  self = condition_alloc (kind);
  self->depth = depth;
  self->children = g_ptr_array_new_full (n_children, (GDestroyNotify) ps_condition_unref);
  for (i = 0; i < n_children; i++)
    g_ptr_array_add (self->children, ps_condition_ref (children[i]));

  return self;
}

/* Whether everything below @condition may stand in @scope; sets the
 * error ps_condition_from_json() would, at @path, if not. */
static gboolean
check_scope (PsCondition  *condition,
             Scope         scope,
             GString      *path,
             GError      **error)
{
  const char *name;

  switch (condition->kind)
    {
    case PS_CONDITION_KIND_LEAF:
      return check_field_scope (condition->field, scope, path, error);

    case PS_CONDITION_KIND_SHIPMENT:
    case PS_CONDITION_KIND_RETURN:
      fail_at (error, path,
               scope == SCOPE_SHIPMENT ? PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD
                                       : PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
               "A %s group cannot be inside a %s group",
               condition->kind == PS_CONDITION_KIND_SHIPMENT ? "shipment" : "return",
               scope == SCOPE_SHIPMENT ? "shipment" : "return");
      return FALSE;

    case PS_CONDITION_KIND_ALL:
    case PS_CONDITION_KIND_ANY:
    default:
      name = kind_to_nick (condition->kind);
      for (guint i = 0; i < condition->children->len; i++)
        {
          gsize path_len = path->len;
          gboolean ok;

          g_string_append_printf (path, "/%s/%u", name, i);
          ok = check_scope (g_ptr_array_index (condition->children, i), scope, path, error);
          g_string_truncate (path, path_len);
          if (!ok)
            return FALSE;
        }
      return TRUE;
    }
}

static PsCondition *
scoped_group_new (PsCondition  *group,
                  Scope         scope,
                  GError      **error)
{
  g_autoptr(GString) path = NULL;
  PsCondition *self;

  path = g_string_new (scope == SCOPE_SHIPMENT ? "/shipment" : "/return");
  if (!check_scope (group, scope, path, error))
    return NULL;
  if (group->depth + 1 > PS_CONDITION_MAX_DEPTH)
    {
      g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_PARSE,
                   "Groups are nested deeper than %d levels", PS_CONDITION_MAX_DEPTH);
      return NULL;
    }

  self = condition_alloc (scope == SCOPE_SHIPMENT ? PS_CONDITION_KIND_SHIPMENT
                                                  : PS_CONDITION_KIND_RETURN);
  self->depth = group->depth + 1;
  self->children = g_ptr_array_new_full (1, (GDestroyNotify) ps_condition_unref);
  g_ptr_array_add (self->children, ps_condition_ref (group));

  return self;
}

/**
 * ps_condition_new_shipment_group:
 * @group: an all or any group of conditions on shipment fields
 * @error: return location for a #PS_CONDITION_ERROR
 *
 * Builds {"shipment": @group}: the order has a (not voided) shipment for
 * which @group holds, every test in it looking at that one shipment
 * (%PS_CONDITION_KIND_SHIPMENT). Takes its own reference on @group.
 *
 * Returns: (transfer full) (nullable): the shipment group, or %NULL with
 *   %PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD when @group tests a field
 *   that is not a shipment's or holds a shipment or return group, or
 *   %PS_CONDITION_ERROR_PARSE when it would nest too deep.
 */
PsCondition *
ps_condition_new_shipment_group (PsCondition  *group,
                                 GError      **error)
{
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (group->kind == PS_CONDITION_KIND_ALL ||
                        group->kind == PS_CONDITION_KIND_ANY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return scoped_group_new (group, SCOPE_SHIPMENT, error);
}

/**
 * ps_condition_new_return_group:
 * @group: an all or any group of conditions on return fields
 * @error: return location for a #PS_CONDITION_ERROR
 *
 * Builds {"return": @group}: the order has a return for which @group
 * holds, every test in it looking at that one return
 * (%PS_CONDITION_KIND_RETURN). Takes its own reference on @group.
 *
 * Returns: (transfer full) (nullable): the return group, or %NULL with
 *   %PS_CONDITION_ERROR_NOT_A_RETURN_FIELD when @group tests a field that
 *   is not a return's or holds a shipment or return group, or
 *   %PS_CONDITION_ERROR_PARSE when it would nest too deep.
 */
PsCondition *
ps_condition_new_return_group (PsCondition  *group,
                               GError      **error)
{
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (group->kind == PS_CONDITION_KIND_ALL ||
                        group->kind == PS_CONDITION_KIND_ANY, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return scoped_group_new (group, SCOPE_RETURN, error);
}

/**
 * ps_condition_new_leaf:
 * @field: the field tested
 * @op: the operator
 * @value: (nullable): the value as JSON, %NULL for operators that take
 *   none; copied
 * @error: return location for a #PS_CONDITION_ERROR
 *
 * Builds one condition, validated as ps_condition_from_json() would.
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with
 *   %PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD or
 *   %PS_CONDITION_ERROR_BAD_VALUE.
 */
PsCondition *
ps_condition_new_leaf (PsConditionField   field,
                       PsConditionOp      op,
                       JsonNode          *value,
                       GError           **error)
{
  g_return_val_if_fail (field_is_valid (field), NULL);
  g_return_val_if_fail (op_is_valid (op), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return leaf_new (field, op, value, error);
}

/**
 * ps_condition_from_json:
 * @node: the JSON form of a condition or group
 * @error: return location for a #PS_CONDITION_ERROR
 *
 * Parses and validates a condition tree. Members of an object may come in
 * any order; every member must be known.
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with an
 *   error naming the offending field, operator or member.
 */
PsCondition *
ps_condition_from_json (JsonNode  *node,
                        GError   **error)
{
  g_autoptr(GString) path = NULL;

  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_string_new (NULL);

  return parse_node (node, path, 0, SCOPE_ORDER, error);
}

/**
 * ps_condition_from_string:
 * @json: the JSON text of a condition or group
 * @error: return location for a #PS_CONDITION_ERROR
 *
 * Like ps_condition_from_json(), from text, for the database column of a
 * saved filter or `postsale-cli orders --filter`.
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with an
 *   error; text that is not JSON gives %PS_CONDITION_ERROR_PARSE.
 */
PsCondition *
ps_condition_from_string (const char  *json,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, &local_error))
    {
      g_set_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_PARSE,
                   "Condition is not valid JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_PARSE,
                           "Condition is empty");
      return NULL;
    }

  return ps_condition_from_json (root, error);
}

/**
 * ps_condition_ref:
 * @self: a #PsCondition
 *
 * Conditions are immutable, so references may be shared between threads.
 *
 * Returns: (transfer full): @self
 */
PsCondition *
ps_condition_ref (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

/**
 * ps_condition_unref:
 * @self: (transfer full): a #PsCondition
 *
 * Drops a reference; the last one frees @self and its children.
 */
void
ps_condition_unref (PsCondition *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, condition_clear);
}

/**
 * ps_condition_to_json:
 * @self: a #PsCondition
 *
 * The normalized JSON form: a group is an object with the single member
 * "all" or "any", a shipment group one with the single member "shipment"
 * holding its group; a condition has "field", "op" and, unless the operator
 * takes none, "value", in that order. Values are written back exactly as
 * they were given, so ps_condition_from_json() of the result gives an
 * equal condition, and normalized input comes back unchanged.
 *
 * Returns: (transfer full): a new, mutable JSON tree
 */
JsonNode *
ps_condition_to_json (PsCondition *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (self != NULL, NULL);

  object = json_object_new ();

  if (self->kind == PS_CONDITION_KIND_LEAF)
    {
      json_object_set_string_member (object, "field", fields[self->field].nick);
      json_object_set_string_member (object, "op", ops[self->op].nick);
      if (self->value != NULL)
        json_object_set_member (object, "value", copy_value (self->value));
    }
  else if (self->kind == PS_CONDITION_KIND_SHIPMENT || self->kind == PS_CONDITION_KIND_RETURN)
    {
      json_object_set_member (object,
                              self->kind == PS_CONDITION_KIND_SHIPMENT ? "shipment" : "return",
                              ps_condition_to_json (g_ptr_array_index (self->children, 0)));
    }
  else
    {
      JsonArray *array = json_array_sized_new (self->children->len);
      guint i;

      for (i = 0; i < self->children->len; i++)
        {
          PsCondition *child = g_ptr_array_index (self->children, i);

          json_array_add_element (array, ps_condition_to_json (child));
        }
      json_object_set_array_member (object, kind_to_nick (self->kind), array);
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);

  return node;
}

/**
 * ps_condition_to_string:
 * @self: a #PsCondition
 *
 * Returns: (transfer full): ps_condition_to_json() as compact JSON text,
 *   as stored in the database.
 */
char *
ps_condition_to_string (PsCondition *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  node = ps_condition_to_json (self);

  return json_to_string (node, FALSE);
}

/**
 * ps_condition_equal:
 * @a: a #PsCondition
 * @b: a #PsCondition
 *
 * Structural equality: the same groups in the same order, the same
 * fields and operators, and equal JSON values. Lets a list skip a
 * re-query when a filter did not really change.
 *
 * Returns: %TRUE if @a and @b are the same condition.
 */
gboolean
ps_condition_equal (PsCondition *a,
                    PsCondition *b)
{
  guint i;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a == b)
    return TRUE;

  if (a->kind != b->kind)
    return FALSE;

  if (a->kind == PS_CONDITION_KIND_LEAF)
    {
      if (a->field != b->field || a->op != b->op)
        return FALSE;
      if (a->value == NULL || b->value == NULL)
        return a->value == b->value;
      return json_node_equal (a->value, b->value);
    }

  if (a->children->len != b->children->len)
    return FALSE;

  for (i = 0; i < a->children->len; i++)
    {
      if (!ps_condition_equal (g_ptr_array_index (a->children, i),
                               g_ptr_array_index (b->children, i)))
        return FALSE;
    }

  return TRUE;
}

/**
 * ps_condition_get_kind:
 * @self: a #PsCondition
 *
 * Returns: whether @self is a leaf, an all/any group or a shipment group
 */
PsConditionKind
ps_condition_get_kind (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, PS_CONDITION_KIND_LEAF);

  return self->kind;
}

/**
 * ps_condition_get_n_children:
 * @self: a #PsCondition
 *
 * Returns: the number of children of a group; 1 for a shipment group
 *   (its all/any group); 0 for a leaf.
 */
guint
ps_condition_get_n_children (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->children != NULL ? self->children->len : 0;
}

/**
 * ps_condition_get_child:
 * @self: a group
 * @index: below ps_condition_get_n_children()
 *
 * Returns: (transfer none): the child at @index
 */
PsCondition *
ps_condition_get_child (PsCondition *self,
                        guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->kind != PS_CONDITION_KIND_LEAF, NULL);
  g_return_val_if_fail (index < self->children->len, NULL);

  return g_ptr_array_index (self->children, index);
}

/**
 * ps_condition_get_field:
 * @self: a leaf
 *
 * Returns: the field @self tests
 */
PsConditionField
ps_condition_get_field (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, PS_CONDITION_FIELD_CHANNEL);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, PS_CONDITION_FIELD_CHANNEL);

  return self->field;
}

/**
 * ps_condition_get_op:
 * @self: a leaf
 *
 * Returns: the operator of @self
 */
PsConditionOp
ps_condition_get_op (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, PS_CONDITION_OP_IS);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, PS_CONDITION_OP_IS);

  return self->op;
}

/**
 * ps_condition_get_value:
 * @self: a leaf
 *
 * Returns: (transfer none) (nullable): the value as given, sealed (read
 *   only), or %NULL for operators that take none
 */
JsonNode *
ps_condition_get_value (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, NULL);

  return self->value;
}

/**
 * ps_condition_get_n_values:
 * @self: a leaf
 *
 * Returns: the number of decoded operands: 0 for is_empty, 2 for between,
 *   the array length for in, 1 otherwise
 */
guint
ps_condition_get_n_values (PsCondition *self)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, 0);

  return self->n_values;
}

/**
 * ps_condition_get_value_string:
 * @self: a leaf
 * @index: below ps_condition_get_n_values()
 *
 * Returns: (transfer none) (nullable): operand @index as text: the string
 *   of a string, tag or enum field, the ISO 8601 text of a timestamp given
 *   as text; %NULL for numbers, day counts and timestamps given as seconds
 */
const char *
ps_condition_get_value_string (PsCondition *self,
                               guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, NULL);
  g_return_val_if_fail (index < self->n_values, NULL);

  return self->values[index].string;
}

/**
 * ps_condition_get_value_int:
 * @self: a leaf
 * @index: below ps_condition_get_n_values()
 *
 * Returns: operand @index as an integer: the enum value of an enum field,
 *   minor units, grams, Unix seconds (also for ISO 8601 text), days for
 *   the day-count operators, a count (truncated towards zero if it was
 *   written with a fraction), 1 or 0 for true or false; 0 for strings
 */
gint64
ps_condition_get_value_int (PsCondition *self,
                            guint        index)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, 0);
  g_return_val_if_fail (index < self->n_values, 0);

  return self->values[index].integer;
}

/**
 * ps_condition_get_value_double:
 * @self: a leaf
 * @index: below ps_condition_get_n_values()
 *
 * Returns: operand @index as a double, exact for numbers written with a
 *   fraction; otherwise the same as ps_condition_get_value_int()
 */
double
ps_condition_get_value_double (PsCondition *self,
                               guint        index)
{
  g_return_val_if_fail (self != NULL, 0.0);
  g_return_val_if_fail (self->kind == PS_CONDITION_KIND_LEAF, 0.0);
  g_return_val_if_fail (index < self->n_values, 0.0);

  return self->values[index].number;
}
