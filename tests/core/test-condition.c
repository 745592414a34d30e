/* test-condition.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-condition"

#include "config.h"

#include <string.h>

#include "ps-condition.h"
#include "ps-enum-types.h"
#include "ps-enums.h"

static const char * const field_nicks[] = {
  "channel", "status", "tags", "carrier", "service", "ship_country", "ship_state",
  "ship_postcode", "item_count", "sku", "total", "weight", "created_at", "paid_at",
  "label_created_at", "first_scan_at", "delivered_at", "tracking_status",
  "exception_reason", "address_issue", "estimated_delivery_at", "had_exception",
  "label_to_scan_hours", "return_requested_at", "return_reason", "return_sku",
};

static const char * const op_nicks[] = {
  "is", "is_not", "in", "contains", "starts_with", "gt", "lt", "between", "is_empty",
  "older_than_days", "older_than_business_days", "within_days",
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_nicks) == PS_CONDITION_FIELD_LAST + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (op_nicks) == PS_CONDITION_OP_LAST + 1);

/* 2026-01-01T00:00:00Z */
#define NEW_YEAR_2026 G_GINT64_CONSTANT (1767225600)

/* Parses @json, expecting success, and checks it prints back unchanged. */
static PsCondition *
parse_normalized (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;
  g_autofree char *back = NULL;

  cond = ps_condition_from_string (json, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cond);

  back = ps_condition_to_string (cond);
  g_assert_cmpstr (back, ==, json);

  return g_steal_pointer (&cond);
}

/* Parses @json, expecting @code, and that the message contains @needle. */
static void
assert_fails (const char *json,
              int         code,
              const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;

  cond = ps_condition_from_string (json, &error);
  if (cond != NULL)
    g_error ("“%s” parsed but should fail", json);
  g_assert_error (error, PS_CONDITION_ERROR, code);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("Message “%s” for “%s” does not contain “%s”", error->message, json, needle);
}

static void
test_field_nick (void)
{
  PsConditionField field;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (field_nicks); i++)
    {
      g_assert_cmpstr (ps_condition_field_to_nick ((PsConditionField) i), ==, field_nicks[i]);
      field = PS_CONDITION_FIELD_LAST;
      g_assert_true (ps_condition_field_from_nick (field_nicks[i], &field));
      g_assert_cmpint (field, ==, i);
    }

  g_assert_null (ps_condition_field_to_nick ((PsConditionField) (PS_CONDITION_FIELD_LAST + 1)));
  field = PS_CONDITION_FIELD_SKU;
  g_assert_false (ps_condition_field_from_nick ("colour", &field));
  g_assert_false (ps_condition_field_from_nick ("Status", &field));
  g_assert_false (ps_condition_field_from_nick ("", &field));
  g_assert_false (ps_condition_field_from_nick (NULL, &field));
  g_assert_cmpint (field, ==, PS_CONDITION_FIELD_SKU);
}

static void
test_op_nick (void)
{
  PsConditionOp op;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (op_nicks); i++)
    {
      g_assert_cmpstr (ps_condition_op_to_nick ((PsConditionOp) i), ==, op_nicks[i]);
      op = PS_CONDITION_OP_LAST;
      g_assert_true (ps_condition_op_from_nick (op_nicks[i], &op));
      g_assert_cmpint (op, ==, i);
    }

  g_assert_null (ps_condition_op_to_nick ((PsConditionOp) (PS_CONDITION_OP_LAST + 1)));
  op = PS_CONDITION_OP_LT;
  g_assert_false (ps_condition_op_from_nick ("resembles", &op));
  g_assert_false (ps_condition_op_from_nick ("IS", &op));
  g_assert_false (ps_condition_op_from_nick ("=", &op));
  g_assert_false (ps_condition_op_from_nick (NULL, &op));
  g_assert_cmpint (op, ==, PS_CONDITION_OP_LT);
}

static void
test_field_types (void)
{
  static const PsConditionValueType expected[] = {
    [PS_CONDITION_FIELD_CHANNEL] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_STATUS] = PS_CONDITION_VALUE_ENUM,
    [PS_CONDITION_FIELD_TAGS] = PS_CONDITION_VALUE_STRING_LIST,
    [PS_CONDITION_FIELD_CARRIER] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_SERVICE] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_SHIP_COUNTRY] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_SHIP_STATE] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_SHIP_POSTCODE] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_ITEM_COUNT] = PS_CONDITION_VALUE_NUMBER,
    [PS_CONDITION_FIELD_SKU] = PS_CONDITION_VALUE_STRING,
    [PS_CONDITION_FIELD_TOTAL] = PS_CONDITION_VALUE_MONEY,
    [PS_CONDITION_FIELD_WEIGHT] = PS_CONDITION_VALUE_WEIGHT,
    [PS_CONDITION_FIELD_CREATED_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_PAID_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_LABEL_CREATED_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_FIRST_SCAN_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_DELIVERED_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_TRACKING_STATUS] = PS_CONDITION_VALUE_ENUM,
    [PS_CONDITION_FIELD_EXCEPTION_REASON] = PS_CONDITION_VALUE_ENUM,
    [PS_CONDITION_FIELD_ADDRESS_ISSUE] = PS_CONDITION_VALUE_BOOLEAN,
    [PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_HAD_EXCEPTION] = PS_CONDITION_VALUE_BOOLEAN,
    [PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS] = PS_CONDITION_VALUE_NUMBER,
    [PS_CONDITION_FIELD_RETURN_REQUESTED_AT] = PS_CONDITION_VALUE_TIMESTAMP,
    [PS_CONDITION_FIELD_RETURN_REASON] = PS_CONDITION_VALUE_ENUM,
    [PS_CONDITION_FIELD_RETURN_SKU] = PS_CONDITION_VALUE_STRING,
  };
  guint i;

  G_STATIC_ASSERT (G_N_ELEMENTS (expected) == PS_CONDITION_FIELD_LAST + 1);

  for (i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      PsConditionField field = (PsConditionField) i;
      GType enum_type = ps_condition_field_get_enum_type (field);

      g_assert_cmpint (ps_condition_field_get_value_type (field), ==, expected[i]);
      if (expected[i] == PS_CONDITION_VALUE_ENUM)
        g_assert_true (G_TYPE_IS_ENUM (enum_type));
      else
        g_assert_true (enum_type == G_TYPE_NONE);
    }

  g_assert_true (ps_condition_field_get_enum_type (PS_CONDITION_FIELD_STATUS) ==
                 PS_TYPE_ORDER_STATUS);
  g_assert_true (ps_condition_field_get_enum_type (PS_CONDITION_FIELD_TRACKING_STATUS) ==
                 PS_TYPE_TRACKING_STATUS);
  g_assert_true (ps_condition_field_get_enum_type (PS_CONDITION_FIELD_EXCEPTION_REASON) ==
                 PS_TYPE_EXCEPTION_REASON);
  g_assert_true (ps_condition_field_get_enum_type (PS_CONDITION_FIELD_RETURN_REASON) ==
                 PS_TYPE_RETURN_REASON);
}

/* The operator table, written out independently of the implementation. */
static gboolean
expect_accepts (PsConditionValueType type,
                PsConditionOp        op)
{
  gboolean stringish = type == PS_CONDITION_VALUE_STRING ||
                       type == PS_CONDITION_VALUE_STRING_LIST;
  gboolean ordered = type == PS_CONDITION_VALUE_NUMBER ||
                     type == PS_CONDITION_VALUE_MONEY ||
                     type == PS_CONDITION_VALUE_WEIGHT ||
                     type == PS_CONDITION_VALUE_TIMESTAMP;

  switch (op)
    {
    case PS_CONDITION_OP_IS:
    case PS_CONDITION_OP_IS_NOT:
      return type != PS_CONDITION_VALUE_TIMESTAMP;
    case PS_CONDITION_OP_IN:
      return stringish || type == PS_CONDITION_VALUE_ENUM;
    case PS_CONDITION_OP_CONTAINS:
    case PS_CONDITION_OP_STARTS_WITH:
      return stringish;
    case PS_CONDITION_OP_GT:
    case PS_CONDITION_OP_LT:
    case PS_CONDITION_OP_BETWEEN:
      return ordered;
    case PS_CONDITION_OP_IS_EMPTY:
      return type != PS_CONDITION_VALUE_BOOLEAN;
    case PS_CONDITION_OP_OLDER_THAN_DAYS:
    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
    case PS_CONDITION_OP_WITHIN_DAYS:
      return type == PS_CONDITION_VALUE_TIMESTAMP;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
op_takes_days (PsConditionOp op)
{
  return op == PS_CONDITION_OP_OLDER_THAN_DAYS ||
         op == PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS ||
         op == PS_CONDITION_OP_WITHIN_DAYS;
}

/* A valid JSON value for @op on @field, or NULL if it takes none. */
static char *
sample_value (PsConditionField field,
              PsConditionOp    op)
{
  PsConditionValueType type = ps_condition_field_get_value_type (field);
  const char *nick0 = NULL;
  const char *nick1 = NULL;

  if (op == PS_CONDITION_OP_IS_EMPTY)
    return NULL;
  if (op_takes_days (op))
    return g_strdup ("3");

  if (type == PS_CONDITION_VALUE_ENUM)
    {
      GEnumClass *klass = g_type_class_ref (ps_condition_field_get_enum_type (field));

      nick0 = klass->values[0].value_nick;
      nick1 = klass->values[klass->n_values - 1].value_nick;
      g_type_class_unref (klass);
    }

  switch (type)
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      return g_strdup (op == PS_CONDITION_OP_IN ? "[\"gift\",\"vip\"]" : "\"gift\"");
    case PS_CONDITION_VALUE_ENUM:
      return op == PS_CONDITION_OP_IN ? g_strdup_printf ("[\"%s\",\"%s\"]", nick0, nick1)
                                      : g_strdup_printf ("\"%s\"", nick1);
    case PS_CONDITION_VALUE_NUMBER:
      return g_strdup (op == PS_CONDITION_OP_BETWEEN ? "[2,5]" : "2");
    case PS_CONDITION_VALUE_MONEY:
      return g_strdup (op == PS_CONDITION_OP_BETWEEN ? "[1000,5000]" : "2500");
    case PS_CONDITION_VALUE_WEIGHT:
      return g_strdup (op == PS_CONDITION_OP_BETWEEN ? "[0,450]" : "450");
    case PS_CONDITION_VALUE_TIMESTAMP:
      return g_strdup (op == PS_CONDITION_OP_BETWEEN ? "[1767225600,\"2026-02-01T00:00:00Z\"]"
                                                     : "\"2026-03-01T09:30:00+01:00\"");
    case PS_CONDITION_VALUE_BOOLEAN:
      return g_strdup ("true");
    default:
      g_assert_not_reached ();
    }
}

/* The leaf, inside a return group for a return field (the only place
 * one may stand). */
static char *
leaf_json (PsConditionField field,
           PsConditionOp    op,
           const char      *value)
{
  g_autofree char *leaf = NULL;

  if (value == NULL)
    leaf = g_strdup_printf ("{\"field\":\"%s\",\"op\":\"%s\"}",
                            ps_condition_field_to_nick (field), ps_condition_op_to_nick (op));
  else
    leaf = g_strdup_printf ("{\"field\":\"%s\",\"op\":\"%s\",\"value\":%s}",
                            ps_condition_field_to_nick (field), ps_condition_op_to_nick (op),
                            value);
  if (ps_condition_field_is_per_return (field))
    return g_strdup_printf ("{\"return\":{\"all\":[%s]}}", leaf);
  return g_steal_pointer (&leaf);
}

/* Every field with every operator: the accepted pairs parse, print back
 * unchanged and decode the right number of operands; the others fail with
 * BAD_OPERATOR_FOR_FIELD naming both. */
static void
test_every_field_and_op (void)
{
  guint f, o;
  guint n_accepted = 0;

  for (f = 0; f <= PS_CONDITION_FIELD_LAST; f++)
    {
      for (o = 0; o <= PS_CONDITION_OP_LAST; o++)
        {
          PsConditionField field = (PsConditionField) f;
          PsConditionOp op = (PsConditionOp) o;
          PsConditionValueType type = ps_condition_field_get_value_type (field);
          g_autofree char *value = sample_value (field, op);
          g_autofree char *json = leaf_json (field, op, value);

          g_assert_cmpint (ps_condition_field_accepts_op (field, op), ==,
                           expect_accepts (type, op));

          if (expect_accepts (type, op))
            {
              g_autoptr(PsCondition) parsed = parse_normalized (json);
              PsCondition *cond = parsed;
              guint n_expected = 1;

              if (ps_condition_field_is_per_return (field))
                {
                  g_assert_cmpint (ps_condition_get_kind (parsed), ==, PS_CONDITION_KIND_RETURN);
                  cond = ps_condition_get_child (ps_condition_get_child (parsed, 0), 0);
                }

              n_accepted++;
              if (op == PS_CONDITION_OP_IS_EMPTY)
                n_expected = 0;
              else if (op == PS_CONDITION_OP_IN || op == PS_CONDITION_OP_BETWEEN)
                n_expected = 2;

              g_assert_cmpint (ps_condition_get_kind (cond), ==, PS_CONDITION_KIND_LEAF);
              g_assert_cmpint (ps_condition_get_field (cond), ==, field);
              g_assert_cmpint (ps_condition_get_op (cond), ==, op);
              g_assert_cmpuint (ps_condition_get_n_values (cond), ==, n_expected);
              g_assert_true ((ps_condition_get_value (cond) == NULL) == (value == NULL));
              g_assert_cmpuint (ps_condition_get_n_children (cond), ==, 0);
            }
          else
            {
              g_autofree char *op_quoted = g_strdup_printf ("“%s”", op_nicks[o]);
              g_autofree char *field_quoted = g_strdup_printf ("“%s”", field_nicks[f]);

              assert_fails (json, PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, op_quoted);
              assert_fails (json, PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, field_quoted);
            }
        }
    }

  /* 8 strings and tags x 6, 4 enums x 4, 2 numbers, money and weight x 6,
   * 7 timestamps x 7, 2 booleans x 2. */
  g_assert_cmpuint (n_accepted, ==, 9 * 6 + 4 * 4 + 4 * 6 + 7 * 7 + 2 * 2);
}

/* address_issue: is and is_not with JSON true or false, nothing else. */
static void
test_boolean (void)
{
  g_autoptr(PsCondition) yes = parse_normalized ("{\"field\":\"address_issue\",\"op\":\"is\",\"value\":true}");
  g_autoptr(PsCondition) no = parse_normalized ("{\"field\":\"address_issue\",\"op\":\"is_not\",\"value\":false}");
  g_autoptr(PsCondition) again = parse_normalized ("{\"field\":\"address_issue\",\"op\":\"is\",\"value\":true}");

  g_assert_cmpint (ps_condition_field_get_value_type (PS_CONDITION_FIELD_ADDRESS_ISSUE), ==,
                   PS_CONDITION_VALUE_BOOLEAN);
  g_assert_cmpuint (ps_condition_get_n_values (yes), ==, 1);
  g_assert_cmpint (ps_condition_get_value_int (yes, 0), ==, 1);
  g_assert_cmpint (ps_condition_get_value_int (no, 0), ==, 0);
  g_assert_null (ps_condition_get_value_string (yes, 0));
  g_assert_true (ps_condition_equal (yes, again));
  g_assert_false (ps_condition_equal (yes, no));

  assert_fails ("{\"field\":\"address_issue\",\"op\":\"is\",\"value\":\"true\"}",
                PS_CONDITION_ERROR_BAD_VALUE, "true or false");
  assert_fails ("{\"field\":\"address_issue\",\"op\":\"is\",\"value\":1}",
                PS_CONDITION_ERROR_BAD_VALUE, "“address_issue”");
  assert_fails ("{\"field\":\"address_issue\",\"op\":\"is\"}",
                PS_CONDITION_ERROR_BAD_VALUE, "needs a value");
  assert_fails ("{\"field\":\"address_issue\",\"op\":\"is_empty\"}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“is_empty”");
  assert_fails ("{\"field\":\"address_issue\",\"op\":\"in\",\"value\":[true]}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“address_issue”");
}

static void
test_roundtrip (void)
{
  static const char * const normalized[] = {
    "{\"all\":[]}",
    "{\"any\":[]}",
    "{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}",
    "{\"field\":\"tags\",\"op\":\"is_empty\"}",
    "{\"all\":[{\"field\":\"status\",\"op\":\"is\",\"value\":\"awaiting_shipment\"},"
      "{\"any\":[{\"field\":\"ship_country\",\"op\":\"in\",\"value\":[\"US\",\"CA\"]},"
      "{\"field\":\"total\",\"op\":\"gt\",\"value\":10000}]}]}",
    "{\"any\":[{\"all\":[]},{\"any\":[{\"all\":[{\"field\":\"sku\",\"op\":\"starts_with\","
      "\"value\":\"MUG-\"}]}]}]}",
    "{\"all\":[{\"field\":\"label_created_at\",\"op\":\"older_than_business_days\",\"value\":2},"
      "{\"field\":\"first_scan_at\",\"op\":\"is_empty\"}]}",
    "{\"field\":\"item_count\",\"op\":\"gt\",\"value\":2.5}",
    "{\"field\":\"item_count\",\"op\":\"between\",\"value\":[-1,3]}",
    "{\"field\":\"total\",\"op\":\"lt\",\"value\":-500}",
    "{\"field\":\"created_at\",\"op\":\"between\",\"value\":[\"2026-01-01T00:00:00Z\","
      "\"2026-01-31T23:59:59-05:00\"]}",
    "{\"field\":\"paid_at\",\"op\":\"gt\",\"value\":1767225600}",
    "{\"field\":\"delivered_at\",\"op\":\"within_days\",\"value\":0}",
    "{\"field\":\"ship_state\",\"op\":\"is_not\",\"value\":\"Baden-W\xc3\xbcrttemberg\"}",
    "{\"field\":\"service\",\"op\":\"contains\",\"value\":\"say \\\"hi\\\" \\\\ back\"}",
    "{\"field\":\"exception_reason\",\"op\":\"in\",\"value\":[\"address_issue\",\"none\"]}",
    "{\"field\":\"tracking_status\",\"op\":\"is\",\"value\":\"return_to_sender\"}",
    "{\"field\":\"weight\",\"op\":\"between\",\"value\":[500,500]}",
    "{\"field\":\"had_exception\",\"op\":\"is\",\"value\":true}",
    "{\"field\":\"estimated_delivery_at\",\"op\":\"is_empty\"}",
    "{\"field\":\"label_to_scan_hours\",\"op\":\"between\",\"value\":[4,7.9998611111111115]}",
    "{\"shipment\":{\"all\":[]}}",
    "{\"shipment\":{\"any\":[]}}",
    "{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"},"
      "{\"shipment\":{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"},"
      "{\"field\":\"label_created_at\",\"op\":\"between\",\"value\":[1767225600,1767311999]},"
      "{\"any\":[{\"field\":\"had_exception\",\"op\":\"is\",\"value\":true},"
      "{\"field\":\"estimated_delivery_at\",\"op\":\"is_empty\"}]}]}}]}",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (normalized); i++)
    {
      g_autoptr(PsCondition) cond = parse_normalized (normalized[i]);
      g_autoptr(JsonNode) node = ps_condition_to_json (cond);
      g_autoptr(GError) error = NULL;
      g_autoptr(PsCondition) again = ps_condition_from_json (node, &error);

      g_assert_no_error (error);
      g_assert_true (ps_condition_equal (cond, again));
      g_assert_true (ps_condition_equal (again, cond));
    }
}

/* Member order and white space are not part of a condition. */
static void
test_normalize (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;
  g_autoptr(PsCondition) other = NULL;
  g_autofree char *text = NULL;

  cond = ps_condition_from_string ("  { \"any\" : [ { \"value\" : [ 1 , 2 ] ,\n"
                                   "  \"op\" : \"between\", \"field\" : \"weight\" } ] }\n",
                                   &error);
  g_assert_no_error (error);
  text = ps_condition_to_string (cond);
  g_assert_cmpstr (text, ==,
                   "{\"any\":[{\"field\":\"weight\",\"op\":\"between\",\"value\":[1,2]}]}");

  other = ps_condition_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (ps_condition_equal (cond, other));
}

static void
test_equal (void)
{
  g_autoptr(PsCondition) a = parse_normalized ("{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}]}");
  g_autoptr(PsCondition) b = parse_normalized ("{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}]}");
  g_autoptr(PsCondition) other_value = parse_normalized ("{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"dhl\"}]}");
  g_autoptr(PsCondition) other_op = parse_normalized ("{\"all\":[{\"field\":\"carrier\",\"op\":\"is_not\",\"value\":\"ups\"}]}");
  g_autoptr(PsCondition) other_field = parse_normalized ("{\"all\":[{\"field\":\"service\",\"op\":\"is\",\"value\":\"ups\"}]}");
  g_autoptr(PsCondition) other_kind = parse_normalized ("{\"any\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}]}");
  g_autoptr(PsCondition) empty = parse_normalized ("{\"all\":[]}");
  g_autoptr(PsCondition) no_value = parse_normalized ("{\"field\":\"carrier\",\"op\":\"is_empty\"}");
  g_autoptr(PsCondition) leaf = parse_normalized ("{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}");

  g_assert_true (ps_condition_equal (a, a));
  g_assert_true (ps_condition_equal (a, b));
  g_assert_false (ps_condition_equal (a, other_value));
  g_assert_false (ps_condition_equal (a, other_op));
  g_assert_false (ps_condition_equal (a, other_field));
  g_assert_false (ps_condition_equal (a, other_kind));
  g_assert_false (ps_condition_equal (a, empty));
  g_assert_false (ps_condition_equal (a, leaf));
  g_assert_false (ps_condition_equal (leaf, no_value));
  g_assert_false (ps_condition_equal (no_value, leaf));
  g_assert_true (ps_condition_equal (leaf, ps_condition_get_child (a, 0)));
}

/* The decoded operands a SQL compiler or evaluator reads. */
static void
test_values (void)
{
  g_autoptr(PsCondition) status = parse_normalized ("{\"field\":\"status\",\"op\":\"in\",\"value\":[\"shipped\",\"on_hold\"]}");
  g_autoptr(PsCondition) reason = parse_normalized ("{\"field\":\"exception_reason\",\"op\":\"is\",\"value\":\"customs_hold\"}");
  g_autoptr(PsCondition) tag = parse_normalized ("{\"field\":\"tags\",\"op\":\"is\",\"value\":\"vip\"}");
  g_autoptr(PsCondition) total = parse_normalized ("{\"field\":\"total\",\"op\":\"between\",\"value\":[1999,25000]}");
  g_autoptr(PsCondition) weight = parse_normalized ("{\"field\":\"weight\",\"op\":\"gt\",\"value\":2000}");
  g_autoptr(PsCondition) count = parse_normalized ("{\"field\":\"item_count\",\"op\":\"lt\",\"value\":2.5}");
  g_autoptr(PsCondition) iso = parse_normalized ("{\"field\":\"created_at\",\"op\":\"gt\",\"value\":\"2026-01-01T01:00:00+01:00\"}");
  g_autoptr(PsCondition) unix_time = parse_normalized ("{\"field\":\"created_at\",\"op\":\"lt\",\"value\":1767225600}");
  g_autoptr(PsCondition) days = parse_normalized ("{\"field\":\"label_created_at\",\"op\":\"older_than_days\",\"value\":3}");
  g_autoptr(PsCondition) empty = parse_normalized ("{\"field\":\"paid_at\",\"op\":\"is_empty\"}");
  JsonNode *value;

  g_assert_cmpuint (ps_condition_get_n_values (status), ==, 2);
  g_assert_cmpstr (ps_condition_get_value_string (status, 0), ==, "shipped");
  g_assert_cmpint (ps_condition_get_value_int (status, 0), ==, PS_ORDER_STATUS_SHIPPED);
  g_assert_cmpstr (ps_condition_get_value_string (status, 1), ==, "on_hold");
  g_assert_cmpint (ps_condition_get_value_int (status, 1), ==, PS_ORDER_STATUS_ON_HOLD);

  g_assert_cmpint (ps_condition_get_value_int (reason, 0), ==, PS_EXCEPTION_REASON_CUSTOMS_HOLD);

  g_assert_cmpstr (ps_condition_get_value_string (tag, 0), ==, "vip");

  g_assert_cmpint (ps_condition_get_value_int (total, 0), ==, 1999);
  g_assert_cmpint (ps_condition_get_value_int (total, 1), ==, 25000);
  g_assert_null (ps_condition_get_value_string (total, 0));

  g_assert_cmpint (ps_condition_get_value_int (weight, 0), ==, 2000);
  g_assert_cmpfloat (ps_condition_get_value_double (weight, 0), ==, 2000.0);

  g_assert_cmpfloat (ps_condition_get_value_double (count, 0), ==, 2.5);
  g_assert_cmpint (ps_condition_get_value_int (count, 0), ==, 2);

  g_assert_cmpint (ps_condition_get_value_int (iso, 0), ==, NEW_YEAR_2026);
  g_assert_cmpstr (ps_condition_get_value_string (iso, 0), ==, "2026-01-01T01:00:00+01:00");
  g_assert_cmpint (ps_condition_get_value_int (unix_time, 0), ==, NEW_YEAR_2026);
  g_assert_null (ps_condition_get_value_string (unix_time, 0));

  g_assert_cmpint (ps_condition_get_value_int (days, 0), ==, 3);

  g_assert_cmpuint (ps_condition_get_n_values (empty), ==, 0);
  g_assert_null (ps_condition_get_value (empty));

  /* The kept value is read-only. */
  value = ps_condition_get_value (status);
  g_assert_nonnull (value);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (value));
  g_assert_true (json_node_is_immutable (value));
}

/* Building trees in code, as the rule editor will. */
static void
test_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "etsy");
  g_autoptr(PsCondition) channel = NULL;
  g_autoptr(PsCondition) unpaid = NULL;
  g_autoptr(PsCondition) any = NULL;
  g_autoptr(PsCondition) all = NULL;
  g_autoptr(PsCondition) empty = NULL;
  g_autoptr(PsCondition) parsed = NULL;
  g_autoptr(PsCondition) bad = NULL;
  g_autoptr(JsonNode) out = NULL;
  g_autofree char *text = NULL;
  PsCondition *children[2];

  channel = ps_condition_new_leaf (PS_CONDITION_FIELD_CHANNEL, PS_CONDITION_OP_IS, value, &error);
  g_assert_no_error (error);
  unpaid = ps_condition_new_leaf (PS_CONDITION_FIELD_PAID_AT, PS_CONDITION_OP_IS_EMPTY, NULL, &error);
  g_assert_no_error (error);

  /* The leaf copied the value: changing ours changes nothing. */
  json_node_set_string (value, "ebay");
  g_assert_cmpstr (ps_condition_get_value_string (channel, 0), ==, "etsy");

  children[0] = channel;
  children[1] = unpaid;
  any = ps_condition_new_group (PS_CONDITION_KIND_ANY, children, 2);
  all = ps_condition_new_group (PS_CONDITION_KIND_ALL, &any, 1);
  empty = ps_condition_new_group (PS_CONDITION_KIND_ALL, NULL, 0);

  g_assert_cmpint (ps_condition_get_kind (all), ==, PS_CONDITION_KIND_ALL);
  g_assert_cmpuint (ps_condition_get_n_children (all), ==, 1);
  g_assert_true (ps_condition_get_child (all, 0) == any);
  g_assert_true (ps_condition_get_child (any, 1) == unpaid);
  g_assert_cmpuint (ps_condition_get_n_children (empty), ==, 0);

  text = ps_condition_to_string (all);
  g_assert_cmpstr (text, ==,
                   "{\"all\":[{\"any\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"},"
                   "{\"field\":\"paid_at\",\"op\":\"is_empty\"}]}]}");
  parsed = ps_condition_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (ps_condition_equal (all, parsed));

  /* to_json hands out a tree of its own that may be edited freely. */
  out = ps_condition_to_json (channel);
  g_assert_false (json_node_is_immutable (out));
  json_object_set_string_member (json_node_get_object (out), "value", "amazon");
  g_assert_cmpstr (ps_condition_get_value_string (channel, 0), ==, "etsy");

  /* The builder validates like the parser. */
  bad = ps_condition_new_leaf (PS_CONDITION_FIELD_TOTAL, PS_CONDITION_OP_CONTAINS, value, &error);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD);
  g_assert_null (bad);
  g_clear_error (&error);
  bad = ps_condition_new_leaf (PS_CONDITION_FIELD_TOTAL, PS_CONDITION_OP_GT, value, &error);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE);
  g_assert_null (bad);
}

static void
test_boxed (void)
{
  g_autoptr(PsCondition) cond = parse_normalized ("{\"all\":[]}");
  PsCondition *copy;
  GValue value = G_VALUE_INIT;

  g_assert_true (G_TYPE_IS_BOXED (PS_TYPE_CONDITION));
  g_assert_cmpstr (g_type_name (PS_TYPE_CONDITION), ==, "PsCondition");

  /* Copying a boxed condition takes a reference. */
  copy = g_boxed_copy (PS_TYPE_CONDITION, cond);
  g_assert_true (copy == cond);
  g_boxed_free (PS_TYPE_CONDITION, copy);

  g_value_init (&value, PS_TYPE_CONDITION);
  g_value_set_boxed (&value, cond);
  g_assert_true (g_value_get_boxed (&value) == cond);
  g_value_unset (&value);

  g_assert_true (ps_condition_ref (cond) == cond);
  ps_condition_unref (cond);
}

static void
test_error_parse (void)
{
  assert_fails ("", PS_CONDITION_ERROR_PARSE, NULL);
  assert_fails ("   ", PS_CONDITION_ERROR_PARSE, NULL);
  assert_fails ("{\"all\": [", PS_CONDITION_ERROR_PARSE, "not valid JSON");
  assert_fails ("not json", PS_CONDITION_ERROR_PARSE, "not valid JSON");
  assert_fails ("null", PS_CONDITION_ERROR_PARSE, "JSON object");
  assert_fails ("42", PS_CONDITION_ERROR_PARSE, "JSON object");
  assert_fails ("[]", PS_CONDITION_ERROR_PARSE, "JSON object");
  assert_fails ("{}", PS_CONDITION_ERROR_PARSE, "“field”");
  assert_fails ("{\"all\":3}", PS_CONDITION_ERROR_PARSE, "“all” must be an array");
  assert_fails ("{\"any\":{}}", PS_CONDITION_ERROR_PARSE, "“any” must be an array");
  assert_fails ("{\"all\":[],\"any\":[]}", PS_CONDITION_ERROR_PARSE, "both");
  assert_fails ("{\"all\":[],\"none\":[]}", PS_CONDITION_ERROR_PARSE, "“none”");
  assert_fails ("{\"all\":[],\"field\":\"status\"}", PS_CONDITION_ERROR_PARSE, "“field”");
  assert_fails ("{\"all\":[3]}", PS_CONDITION_ERROR_PARSE, "/all/0: ");
  assert_fails ("{\"not\":{\"field\":\"status\",\"op\":\"is\",\"value\":\"shipped\"}}",
                PS_CONDITION_ERROR_PARSE, "“not”");
  assert_fails ("{\"field\":\"status\",\"op\":\"is\",\"value\":\"shipped\",\"note\":\"x\"}",
                PS_CONDITION_ERROR_PARSE, "Unknown member “note”");
  assert_fails ("{\"op\":\"is\",\"value\":\"shipped\"}", PS_CONDITION_ERROR_PARSE, "“field”");
  assert_fails ("{\"field\":3,\"op\":\"is\",\"value\":\"shipped\"}", PS_CONDITION_ERROR_PARSE,
                "“field”");
  assert_fails ("{\"field\":null,\"op\":\"is\",\"value\":\"shipped\"}", PS_CONDITION_ERROR_PARSE,
                "“field”");
  assert_fails ("{\"field\":\"status\",\"value\":\"shipped\"}", PS_CONDITION_ERROR_PARSE,
                "“op”");
  assert_fails ("{\"field\":\"status\",\"op\":[\"is\"],\"value\":\"shipped\"}",
                PS_CONDITION_ERROR_PARSE, "“op”");
}

static void
test_error_unknown_field (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;

  cond = ps_condition_from_string ("{\"field\":\"colour\",\"op\":\"is\",\"value\":\"red\"}", &error);
  g_assert_null (cond);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_UNKNOWN_FIELD);
  g_assert_cmpstr (error->message, ==, "Unknown field “colour”");

  /* Field names are exact. */
  assert_fails ("{\"field\":\"Status\",\"op\":\"is\",\"value\":\"shipped\"}",
                PS_CONDITION_ERROR_UNKNOWN_FIELD, "“Status”");
  assert_fails ("{\"field\":\"\",\"op\":\"is\",\"value\":\"shipped\"}",
                PS_CONDITION_ERROR_UNKNOWN_FIELD, "“”");
  /* Checked before the operator. */
  assert_fails ("{\"field\":\"colour\",\"op\":\"resembles\",\"value\":\"red\"}",
                PS_CONDITION_ERROR_UNKNOWN_FIELD, "“colour”");
}

static void
test_error_unknown_operator (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;

  cond = ps_condition_from_string ("{\"field\":\"sku\",\"op\":\"resembles\",\"value\":\"MUG\"}", &error);
  g_assert_null (cond);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_UNKNOWN_OPERATOR);
  g_assert_cmpstr (error->message, ==, "Unknown operator “resembles”");

  assert_fails ("{\"field\":\"total\",\"op\":\">\",\"value\":5}",
                PS_CONDITION_ERROR_UNKNOWN_OPERATOR, "“>”");
  assert_fails ("{\"any\":[{\"field\":\"total\",\"op\":\"GT\",\"value\":5}]}",
                PS_CONDITION_ERROR_UNKNOWN_OPERATOR, "/any/0: Unknown operator “GT”");
}

static void
test_error_bad_operator (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;

  cond = ps_condition_from_string ("{\"field\":\"channel\",\"op\":\"gt\",\"value\":\"etsy\"}", &error);
  g_assert_null (cond);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD);
  g_assert_cmpstr (error->message, ==, "Operator “gt” does not apply to field “channel”");

  assert_fails ("{\"field\":\"status\",\"op\":\"contains\",\"value\":\"ship\"}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“contains”");
  assert_fails ("{\"field\":\"total\",\"op\":\"older_than_days\",\"value\":3}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“total”");
  assert_fails ("{\"field\":\"created_at\",\"op\":\"is\",\"value\":1767225600}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“created_at”");
  assert_fails ("{\"field\":\"weight\",\"op\":\"in\",\"value\":[1,2]}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“in”");
  /* The operator is checked before the value. */
  assert_fails ("{\"field\":\"tracking_status\",\"op\":\"between\",\"value\":\"x\"}",
                PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD, "“tracking_status”");
}

static void
test_error_bad_value (void)
{
  static const struct
  {
    const char *json;
    const char *needle;
  } cases[] = {
    /* Missing, or present where none is taken. */
    { "{\"field\":\"status\",\"op\":\"is\"}", "Operator “is” on field “status” needs a value" },
    { "{\"field\":\"tags\",\"op\":\"is_empty\",\"value\":\"vip\"}", "“is_empty” on field “tags” takes no value" },
    { "{\"field\":\"tags\",\"op\":\"is_empty\",\"value\":null}", "takes no value" },
    { "{\"field\":\"tags\",\"op\":\"is_empty\",\"value\":[]}", "takes no value" },
    /* Wrong JSON type. */
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":3}", "“channel” needs a non-empty string" },
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":null}", "“channel”" },
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":true}", "“channel”" },
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":\"\"}", "non-empty string" },
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":[\"etsy\"]}", "“is” on field “channel”" },
    { "{\"field\":\"channel\",\"op\":\"is\",\"value\":{\"a\":1}}", "“channel”" },
    { "{\"field\":\"tags\",\"op\":\"contains\",\"value\":7}", "“contains” on field “tags”" },
    { "{\"field\":\"item_count\",\"op\":\"gt\",\"value\":\"2\"}", "“item_count” needs a number" },
    { "{\"field\":\"item_count\",\"op\":\"gt\",\"value\":1e300}", "“item_count”" },
    { "{\"field\":\"total\",\"op\":\"gt\",\"value\":\"10.00\"}", "“total” needs a whole number of minor currency units" },
    { "{\"field\":\"total\",\"op\":\"gt\",\"value\":10.5}", "minor currency units" },
    { "{\"field\":\"weight\",\"op\":\"lt\",\"value\":-1}", "“weight” needs a whole number of grams" },
    { "{\"field\":\"weight\",\"op\":\"lt\",\"value\":0.5}", "grams" },
    /* Enum nicks. */
    { "{\"field\":\"status\",\"op\":\"is\",\"value\":\"shippedd\"}", "Field “status” has no value “shippedd”" },
    { "{\"field\":\"tracking_status\",\"op\":\"is\",\"value\":\"Delivered\"}", "“Delivered”" },
    { "{\"field\":\"exception_reason\",\"op\":\"in\",\"value\":[\"lost\",\"stolen\"]}", "“stolen”" },
    { "{\"field\":\"status\",\"op\":\"is\",\"value\":1}", "“status”" },
    /* Timestamps and day counts. */
    { "{\"field\":\"created_at\",\"op\":\"gt\",\"value\":\"2026-01-01\"}", "ISO 8601" },
    { "{\"field\":\"created_at\",\"op\":\"gt\",\"value\":\"2026-01-01T00:00:00\"}", "“created_at”" },
    { "{\"field\":\"created_at\",\"op\":\"gt\",\"value\":\"yesterday\"}", "“gt” on field “created_at”" },
    { "{\"field\":\"created_at\",\"op\":\"gt\",\"value\":1.5}", "“created_at”" },
    { "{\"field\":\"paid_at\",\"op\":\"older_than_days\",\"value\":-1}", "a whole number of days" },
    { "{\"field\":\"paid_at\",\"op\":\"within_days\",\"value\":36501}", "“within_days” on field “paid_at”" },
    { "{\"field\":\"paid_at\",\"op\":\"older_than_business_days\",\"value\":1.5}", "“older_than_business_days”" },
    { "{\"field\":\"paid_at\",\"op\":\"older_than_days\",\"value\":\"3\"}", "days" },
    /* in */
    { "{\"field\":\"ship_country\",\"op\":\"in\",\"value\":[]}", "“in” on field “ship_country” needs a non-empty array" },
    { "{\"field\":\"ship_country\",\"op\":\"in\",\"value\":\"US\"}", "non-empty array" },
    { "{\"field\":\"ship_country\",\"op\":\"in\",\"value\":[\"US\",3]}", "“ship_country”" },
    { "{\"field\":\"ship_country\",\"op\":\"in\",\"value\":[[\"US\"]]}", "“ship_country”" },
    /* between */
    { "{\"field\":\"total\",\"op\":\"between\",\"value\":[100]}", "“between” on field “total” needs an array of two values" },
    { "{\"field\":\"total\",\"op\":\"between\",\"value\":[1,2,3]}", "two values" },
    { "{\"field\":\"total\",\"op\":\"between\",\"value\":100}", "two values" },
    { "{\"field\":\"total\",\"op\":\"between\",\"value\":[500,100]}", "“between” on field “total” needs the low value first" },
    { "{\"field\":\"item_count\",\"op\":\"between\",\"value\":[2.5,2.25]}", "low value first" },
    { "{\"field\":\"created_at\",\"op\":\"between\",\"value\":[\"2026-02-01T00:00:00Z\",1767225600]}", "low value first" },
    { "{\"field\":\"total\",\"op\":\"between\",\"value\":[1,\"2\"]}", "minor currency units" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_fails (cases[i].json, PS_CONDITION_ERROR_BAD_VALUE, cases[i].needle);
}

/* Errors below the top level say where, as a JSON Pointer. */
static void
test_error_location (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) cond = NULL;

  cond = ps_condition_from_string ("{\"all\":[{\"field\":\"status\",\"op\":\"is\",\"value\":\"shipped\"},"
                                   "{\"any\":[{\"all\":[]},{\"field\":\"colour\",\"op\":\"is\","
                                   "\"value\":\"red\"}]}]}",
                                   &error);
  g_assert_null (cond);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_UNKNOWN_FIELD);
  g_assert_cmpstr (error->message, ==, "/all/1/any/1: Unknown field “colour”");
  g_clear_error (&error);

  cond = ps_condition_from_string ("{\"any\":[{\"field\":\"weight\",\"op\":\"gt\",\"value\":-5}]}",
                                   &error);
  g_assert_null (cond);
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_BAD_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "/any/0: Operator “gt” on field “weight”"));
}

static char *
nested_groups (guint       n,
               const char *inner)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < n; i++)
    g_string_append (s, i % 2 == 0 ? "{\"all\":[" : "{\"any\":[");
  g_string_append (s, inner);
  for (i = 0; i < n; i++)
    g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

static void
test_depth (void)
{
  const char *leaf = "{\"field\":\"sku\",\"op\":\"is\",\"value\":\"MUG-1\"}";
  g_autofree char *deepest = nested_groups (PS_CONDITION_MAX_DEPTH, leaf);
  g_autofree char *deepest_empty = nested_groups (PS_CONDITION_MAX_DEPTH, "");
  g_autofree char *too_deep = nested_groups (PS_CONDITION_MAX_DEPTH + 1, leaf);
  g_autofree char *too_deep_empty = nested_groups (PS_CONDITION_MAX_DEPTH + 1, "");
  g_autoptr(PsCondition) cond = NULL;
  g_autoptr(PsCondition) wrapped = NULL;
  g_autoptr(PsCondition) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  PsCondition *node;
  guint levels = 0;

  cond = parse_normalized (deepest);
  for (node = cond; ps_condition_get_kind (node) != PS_CONDITION_KIND_LEAF;
       node = ps_condition_get_child (node, 0))
    levels++;
  g_assert_cmpuint (levels, ==, PS_CONDITION_MAX_DEPTH);
  g_assert_cmpstr (ps_condition_get_value_string (node, 0), ==, "MUG-1");

  g_clear_pointer (&cond, ps_condition_unref);
  cond = parse_normalized (deepest_empty);

  assert_fails (too_deep, PS_CONDITION_ERROR_PARSE, "deeper than 32");
  assert_fails (too_deep_empty, PS_CONDITION_ERROR_PARSE, "deeper than 32");

  /* The builder may go as deep as the parser. */
  g_clear_pointer (&cond, ps_condition_unref);
  cond = ps_condition_new_group (PS_CONDITION_KIND_ANY, NULL, 0);
  for (levels = 1; levels < PS_CONDITION_MAX_DEPTH; levels++)
    {
      wrapped = ps_condition_new_group (PS_CONDITION_KIND_ALL, &cond, 1);
      g_assert_nonnull (wrapped);
      g_clear_pointer (&cond, ps_condition_unref);
      cond = g_steal_pointer (&wrapped);
    }

  text = ps_condition_to_string (cond);
  again = ps_condition_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (ps_condition_equal (cond, again));
}

/* {"shipment": group}: parsed, printed back, built, compared; inside,
 * only shipment fields and no other shipment group, with messages naming
 * the field and where it is. */
static void
test_shipment_group (void)
{
  g_autoptr(PsCondition) cond = NULL;
  g_autoptr(PsCondition) same = NULL;
  g_autoptr(PsCondition) plain = NULL;
  g_autoptr(PsCondition) built = NULL;
  g_autoptr(PsCondition) leaf = NULL;
  g_autoptr(PsCondition) inner = NULL;
  g_autoptr(PsCondition) nested = NULL;
  g_autoptr(PsCondition) outer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "ups");
  g_autofree char *text = NULL;
  PsCondition *group;

  cond = parse_normalized ("{\"any\":[{\"field\":\"tags\",\"op\":\"is_empty\"},"
                           "{\"shipment\":{\"any\":[{\"field\":\"carrier\",\"op\":\"is\","
                           "\"value\":\"ups\"},{\"field\":\"tracking_status\",\"op\":\"is_not\","
                           "\"value\":\"delivered\"}]}}]}");
  g_assert_cmpint (ps_condition_get_kind (cond), ==, PS_CONDITION_KIND_ANY);
  group = ps_condition_get_child (cond, 1);
  g_assert_cmpint (ps_condition_get_kind (group), ==, PS_CONDITION_KIND_SHIPMENT);
  g_assert_cmpuint (ps_condition_get_n_children (group), ==, 1);
  g_assert_cmpint (ps_condition_get_kind (ps_condition_get_child (group, 0)), ==,
                   PS_CONDITION_KIND_ANY);
  g_assert_cmpuint (ps_condition_get_n_children (ps_condition_get_child (group, 0)), ==, 2);

  /* Member order and spaces do not matter; "shipment" is not the same
   * as the plain group it holds. */
  same = ps_condition_from_string ("{ \"any\" : [ {\"op\":\"is_empty\",\"field\":\"tags\"},"
                                   "{\"shipment\": {\"any\": [{\"value\":\"ups\",\"op\":\"is\","
                                   "\"field\":\"carrier\"},{\"field\":\"tracking_status\","
                                   "\"op\":\"is_not\",\"value\":\"delivered\"}]}}]}", &error);
  g_assert_no_error (error);
  g_assert_true (ps_condition_equal (cond, same));
  plain = ps_condition_from_string ("{\"any\":[{\"field\":\"tags\",\"op\":\"is_empty\"},"
                                    "{\"any\":[{\"field\":\"carrier\",\"op\":\"is\","
                                    "\"value\":\"ups\"},{\"field\":\"tracking_status\","
                                    "\"op\":\"is_not\",\"value\":\"delivered\"}]}]}", &error);
  g_assert_no_error (error);
  g_assert_false (ps_condition_equal (cond, plain));

  /* The builder makes the same thing. */
  leaf = ps_condition_new_leaf (PS_CONDITION_FIELD_CARRIER, PS_CONDITION_OP_IS, value, &error);
  g_assert_no_error (error);
  inner = ps_condition_new_group (PS_CONDITION_KIND_ALL, &leaf, 1);
  built = ps_condition_new_shipment_group (inner, &error);
  g_assert_no_error (error);
  text = ps_condition_to_string (built);
  g_assert_cmpstr (text, ==, "{\"shipment\":{\"all\":[{\"field\":\"carrier\",\"op\":\"is\","
                             "\"value\":\"ups\"}]}}");

  /* ... and refuses what the parser refuses. */
  g_clear_pointer (&leaf, ps_condition_unref);
  g_clear_pointer (&inner, ps_condition_unref);
  leaf = ps_condition_new_leaf (PS_CONDITION_FIELD_SHIP_COUNTRY, PS_CONDITION_OP_IS, value,
                                &error);
  g_assert_no_error (error);
  inner = ps_condition_new_group (PS_CONDITION_KIND_ANY, &leaf, 1);
  g_assert_null (ps_condition_new_shipment_group (inner, &error));
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD);
  g_assert_true (g_str_has_prefix (error->message,
                                   "/shipment/any/0: Field “ship_country” is not a shipment field"));
  g_clear_error (&error);
  nested = ps_condition_new_group (PS_CONDITION_KIND_ALL, &built, 1);
  g_assert_null (ps_condition_new_shipment_group (nested, &error));
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD);
  g_clear_error (&error);
  /* A shipment group may sit in an ordinary group. */
  outer = ps_condition_new_group (PS_CONDITION_KIND_ANY, &built, 1);
  g_assert_nonnull (outer);

  /* Order fields inside, with the path and the field named, and the
   * fields that are allowed listed. */
  assert_fails ("{\"shipment\":{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"},"
                "{\"field\":\"ship_country\",\"op\":\"is\",\"value\":\"US\"}]}}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD,
                "/shipment/all/1: Field “ship_country” is not a shipment field");
  assert_fails ("{\"all\":[{\"shipment\":{\"any\":[{\"all\":[{\"field\":\"tags\",\"op\":"
                "\"is_empty\"}]}]}}]}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD, "/all/0/shipment/any/0/all/0: Field “tags”");
  assert_fails ("{\"shipment\":{\"all\":[{\"field\":\"status\",\"op\":\"is\",\"value\":\"shipped\"}]}}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD, "carrier, service, label_created_at");
  assert_fails ("{\"shipment\":{\"all\":[{\"field\":\"colour\",\"op\":\"is\",\"value\":\"red\"}]}}",
                PS_CONDITION_ERROR_UNKNOWN_FIELD, "/shipment/all/0: Unknown field “colour”");
  assert_fails ("{\"shipment\":{\"all\":[{\"shipment\":{\"all\":[]}}]}}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD, "/shipment/all/0: A shipment group");
  assert_fails ("{\"shipment\":{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}}",
                PS_CONDITION_ERROR_PARSE, "must be a group");
  assert_fails ("{\"shipment\":[]}", PS_CONDITION_ERROR_PARSE, "must be a group");
  assert_fails ("{\"shipment\":{\"all\":[]},\"any\":[]}", PS_CONDITION_ERROR_PARSE,
                "Unknown member “any” in a shipment group");
  assert_fails ("{\"shipment\":{\"all\":[{\"field\":\"had_exception\",\"op\":\"is\","
                "\"value\":1}]}}", PS_CONDITION_ERROR_BAD_VALUE, "/shipment/all/0: ");

  /* Which fields are a shipment's. */
  for (guint f = 0; f <= PS_CONDITION_FIELD_LAST; f++)
    {
      g_autofree char *word = g_strdup_printf (" %s ", field_nicks[f]);
      gboolean expected = strstr (" carrier service label_created_at first_scan_at "
                                  "estimated_delivery_at delivered_at tracking_status "
                                  "exception_reason had_exception label_to_scan_hours ",
                                  word) != NULL;

      g_assert_cmpint (ps_condition_field_is_per_shipment ((PsConditionField) f), ==, expected);
    }
}

/* {"return": group}: parsed, printed back, built; inside, only return
 * fields, which stand nowhere else; no group of either kind inside it,
 * and it stands in no shipment group. Messages name the field and where
 * it is. */
static void
test_return_group (void)
{
  g_autoptr(PsCondition) cond = NULL;
  g_autoptr(PsCondition) leaf = NULL;
  g_autoptr(PsCondition) inner = NULL;
  g_autoptr(PsCondition) built = NULL;
  g_autoptr(PsCondition) nested = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "damaged");
  g_autofree char *text = NULL;
  PsCondition *group;

  cond = parse_normalized ("{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"},"
                           "{\"return\":{\"all\":[{\"field\":\"return_requested_at\","
                           "\"op\":\"between\",\"value\":[1767225600,1769903999]},"
                           "{\"field\":\"return_reason\",\"op\":\"in\","
                           "\"value\":[\"damaged\",\"wrong_size\"]},"
                           "{\"field\":\"return_sku\",\"op\":\"is\",\"value\":\"MUG-1\"}]}}]}");
  group = ps_condition_get_child (cond, 1);
  g_assert_cmpint (ps_condition_get_kind (group), ==, PS_CONDITION_KIND_RETURN);
  g_assert_cmpuint (ps_condition_get_n_children (group), ==, 1);
  g_assert_cmpuint (ps_condition_get_n_children (ps_condition_get_child (group, 0)), ==, 3);
  g_assert_cmpint (ps_condition_get_value_int (ps_condition_get_child (ps_condition_get_child (group, 0), 1), 0),
                   ==, PS_RETURN_REASON_DAMAGED);

  /* Which fields are a return's. */
  for (guint f = 0; f <= PS_CONDITION_FIELD_LAST; f++)
    {
      g_autofree char *word = g_strdup_printf (" %s ", field_nicks[f]);
      gboolean expected = strstr (" return_requested_at return_reason return_sku ", word) != NULL;

      g_assert_cmpint (ps_condition_field_is_per_return ((PsConditionField) f), ==, expected);
      g_assert_false (expected && ps_condition_field_is_per_shipment ((PsConditionField) f));
    }

  /* The builder makes the same thing and refuses what the parser does. */
  leaf = ps_condition_new_leaf (PS_CONDITION_FIELD_RETURN_REASON, PS_CONDITION_OP_IS, value, &error);
  g_assert_no_error (error);
  inner = ps_condition_new_group (PS_CONDITION_KIND_ANY, &leaf, 1);
  built = ps_condition_new_return_group (inner, &error);
  g_assert_no_error (error);
  text = ps_condition_to_string (built);
  g_assert_cmpstr (text, ==, "{\"return\":{\"any\":[{\"field\":\"return_reason\",\"op\":\"is\","
                             "\"value\":\"damaged\"}]}}");
  g_assert_null (ps_condition_new_shipment_group (inner, &error));
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD);
  g_assert_nonnull (strstr (error->message, "“return_reason” is not a shipment field"));
  g_clear_error (&error);
  nested = ps_condition_new_group (PS_CONDITION_KIND_ALL, &built, 1);
  g_assert_null (ps_condition_new_return_group (nested, &error));
  g_assert_error (error, PS_CONDITION_ERROR, PS_CONDITION_ERROR_NOT_A_RETURN_FIELD);
  g_assert_nonnull (strstr (error->message, "/return/all/0: A return group cannot be inside"));
  g_clear_error (&error);

  /* Return fields only inside; order and shipment fields not inside. */
  assert_fails ("{\"field\":\"return_reason\",\"op\":\"is\",\"value\":\"damaged\"}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
                "Field “return_reason” is a return field; test it inside a return group");
  assert_fails ("{\"any\":[{\"field\":\"return_sku\",\"op\":\"is\",\"value\":\"A\"}]}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD, "/any/0: Field “return_sku”");
  assert_fails ("{\"shipment\":{\"all\":[{\"field\":\"return_sku\",\"op\":\"is\","
                "\"value\":\"A\"}]}}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD, "/shipment/all/0: Field “return_sku”");
  assert_fails ("{\"return\":{\"all\":[{\"field\":\"sku\",\"op\":\"is\",\"value\":\"A\"}]}}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
                "/return/all/0: Field “sku” is not a return field; a return group tests only "
                "return_requested_at, return_reason, return_sku");
  assert_fails ("{\"return\":{\"all\":[{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"A\"}]}}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD, "Field “carrier” is not a return field");
  assert_fails ("{\"return\":{\"all\":[{\"return\":{\"all\":[]}}]}}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
                "/return/all/0: A return group cannot be inside a return group");
  assert_fails ("{\"return\":{\"any\":[{\"shipment\":{\"all\":[]}}]}}",
                PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD,
                "/return/any/0: A shipment group cannot be inside a return group");
  assert_fails ("{\"shipment\":{\"any\":[{\"return\":{\"all\":[]}}]}}",
                PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
                "/shipment/any/0: A return group cannot be inside a shipment group");
  assert_fails ("{\"return\":{\"all\":[{\"field\":\"return_reason\",\"op\":\"is\","
                "\"value\":\"too_big\"}]}}", PS_CONDITION_ERROR_BAD_VALUE,
                "/return/all/0: Field “return_reason” has no value “too_big”");
  assert_fails ("{\"return\":{\"all\":[{\"field\":\"return_requested_at\",\"op\":\"contains\","
                "\"value\":\"x\"}]}}", PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD,
                "“return_requested_at”");
  assert_fails ("{\"return\":[]}", PS_CONDITION_ERROR_PARSE, "“return” must be a group");
  assert_fails ("{\"return\":{\"all\":[]},\"all\":[]}", PS_CONDITION_ERROR_PARSE,
                "Unknown member “all” in a return group");
}

/* Conditions are shared between threads; references must be atomic. */
static gpointer
ref_unref_thread (gpointer data)
{
  PsCondition *cond = data;
  guint i;

  for (i = 0; i < 10000; i++)
    ps_condition_unref (ps_condition_ref (cond));

  return NULL;
}

static void
test_threads (void)
{
  g_autoptr(PsCondition) cond = parse_normalized ("{\"all\":[{\"field\":\"tags\",\"op\":\"is\",\"value\":\"vip\"}]}");
  GThread *threads[4];
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("ref", ref_unref_thread, cond);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpstr (ps_condition_get_value_string (ps_condition_get_child (cond, 0), 0), ==, "vip");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/condition/nick/field", test_field_nick);
  g_test_add_func ("/core/condition/nick/op", test_op_nick);
  g_test_add_func ("/core/condition/field/types", test_field_types);
  g_test_add_func ("/core/condition/field/every-op", test_every_field_and_op);
  g_test_add_func ("/core/condition/field/boolean", test_boolean);
  g_test_add_func ("/core/condition/json/roundtrip", test_roundtrip);
  g_test_add_func ("/core/condition/json/normalize", test_normalize);
  g_test_add_func ("/core/condition/equal", test_equal);
  g_test_add_func ("/core/condition/values", test_values);
  g_test_add_func ("/core/condition/build", test_build);
  g_test_add_func ("/core/condition/boxed", test_boxed);
  g_test_add_func ("/core/condition/threads", test_threads);
  g_test_add_func ("/core/condition/error/parse", test_error_parse);
  g_test_add_func ("/core/condition/error/unknown-field", test_error_unknown_field);
  g_test_add_func ("/core/condition/error/unknown-operator", test_error_unknown_operator);
  g_test_add_func ("/core/condition/error/bad-operator", test_error_bad_operator);
  g_test_add_func ("/core/condition/error/bad-value", test_error_bad_value);
  g_test_add_func ("/core/condition/error/location", test_error_location);
  g_test_add_func ("/core/condition/depth", test_depth);
  g_test_add_func ("/core/condition/shipment-group", test_shipment_group);
  g_test_add_func ("/core/condition/return-group", test_return_group);

  return g_test_run ();
}
