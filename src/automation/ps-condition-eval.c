/* ps-condition-eval.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-memory half of the condition language; store/ps-condition-sql.c
 * is the SQL half, and tests/store/test-condition-sql.c checks on random
 * trees and random orders that the two agree. The rules they share are
 * written down once, on #PsConditionOp in ps-condition.h.
 *
 * Every field is read as a list of values: one value for a field of the
 * order itself, one per tag, per line item SKU or per (not voided)
 * shipment otherwise. Then is_not holds when no value is equal, is_empty
 * when no value is set, and every other operator when some value passes.
 * For a field with exactly one value this is the plain meaning ("is_not"
 * also holds for a value that is not set).
 *
 * A shipment group tries the order's shipments one at a time: with
 * Context.shipment set, every shipment field has that one value. A return
 * group does the same with the order's returns (Context.ret): its
 * requested_at and reason are one value, return_sku the SKUs of its items.
 */

#define G_LOG_DOMAIN "ps-condition-eval"

#include "config.h"

#include <string.h>

#include "ps-condition-eval.h"
#include "ps-time.h"

typedef struct
{
  gint64                    now;
  GTimeZone                *tz;
  const PsShipmentSnapshot *shipment;   /* inside a shipment group, or NULL */
  const PsReturnSnapshot   *ret;        /* inside a return group, or NULL */
} Context;

/* One value of a field: text (strings) or a number (everything else);
 * label_to_scan_hours is a fraction, in @number, and may be unset. */
typedef struct
{
  const char *string;
  gint64      integer;
  double      number;
  gboolean    unset;
} Value;

/* Helpers */

static guint
count_values (PsConditionField       field,
              const PsOrderSnapshot *order,
              const Context         *ctx)
{
  if (field == PS_CONDITION_FIELD_TAGS)
    return order->tags->len;
  if (field == PS_CONDITION_FIELD_SKU)
    return order->skus->len;
  if (ps_condition_field_is_per_shipment (field))
    return ctx->shipment != NULL ? 1 : order->shipments->len;
  if (field == PS_CONDITION_FIELD_RETURN_SKU)
    {
      /* Return fields exist only inside a return group (ps-condition.c). */
      g_assert (ctx->ret != NULL);
      return ctx->ret->skus->len;
    }
  return 1;
}

static void
get_value (PsConditionField       field,
           const PsOrderSnapshot *order,
           guint                  index,
           const Context         *ctx,
           Value                 *value)
{
  const PsShipmentSnapshot *shipment = NULL;

  if (ps_condition_field_is_per_shipment (field))
    shipment = ctx->shipment != NULL ? ctx->shipment
                                     : &g_array_index (order->shipments, PsShipmentSnapshot, index);

  value->string = NULL;
  value->integer = 0;
  value->number = 0.0;
  value->unset = FALSE;

  switch (field)
    {
    case PS_CONDITION_FIELD_CHANNEL:
      value->string = order->channel;
      break;
    case PS_CONDITION_FIELD_STATUS:
      value->integer = order->status;
      break;
    case PS_CONDITION_FIELD_TAGS:
      value->string = g_ptr_array_index (order->tags, index);
      break;
    case PS_CONDITION_FIELD_CARRIER:
      value->string = shipment->carrier;
      break;
    case PS_CONDITION_FIELD_SERVICE:
      value->string = shipment->service;
      break;
    case PS_CONDITION_FIELD_SHIP_COUNTRY:
      value->string = order->ship_country;
      break;
    case PS_CONDITION_FIELD_SHIP_STATE:
      value->string = order->ship_state;
      break;
    case PS_CONDITION_FIELD_SHIP_POSTCODE:
      value->string = order->ship_postcode;
      break;
    case PS_CONDITION_FIELD_ITEM_COUNT:
      value->integer = order->item_count;
      break;
    case PS_CONDITION_FIELD_SKU:
      value->string = g_ptr_array_index (order->skus, index);
      break;
    case PS_CONDITION_FIELD_TOTAL:
      value->integer = order->total_minor;
      break;
    case PS_CONDITION_FIELD_WEIGHT:
      value->integer = order->weight_grams;
      break;
    case PS_CONDITION_FIELD_CREATED_AT:
      value->integer = order->created_at;
      break;
    case PS_CONDITION_FIELD_PAID_AT:
      value->integer = order->paid_at;
      break;
    case PS_CONDITION_FIELD_LABEL_CREATED_AT:
      value->integer = shipment->label_created_at;
      break;
    case PS_CONDITION_FIELD_FIRST_SCAN_AT:
      value->integer = shipment->first_scan_at;
      break;
    case PS_CONDITION_FIELD_DELIVERED_AT:
      value->integer = shipment->delivered_at;
      break;
    case PS_CONDITION_FIELD_TRACKING_STATUS:
      value->integer = shipment->tracking_status;
      break;
    case PS_CONDITION_FIELD_EXCEPTION_REASON:
      value->integer = shipment->exception_reason;
      break;
    case PS_CONDITION_FIELD_ADDRESS_ISSUE:
      value->integer = order->address_issue ? 1 : 0;
      break;
    case PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT:
      value->integer = shipment->estimated_delivery_at;
      break;
    case PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS:
      /* As SQLite computes it: integer seconds, then a double division. */
      value->unset = shipment->label_created_at == 0 || shipment->first_scan_at == 0;
      value->number = value->unset ? 0.0
        : (double) MAX (shipment->first_scan_at - shipment->label_created_at, 0) / 3600.0;
      break;
    case PS_CONDITION_FIELD_HAD_EXCEPTION:
      /* A reason set now counts even without an exception event (a late
       * handoff), as the dashboard counts it. */
      value->integer = shipment->had_exception ||
                       shipment->exception_reason != PS_EXCEPTION_REASON_NONE ? 1 : 0;
      break;
    case PS_CONDITION_FIELD_RETURN_REQUESTED_AT:
      g_assert (ctx->ret != NULL);
      value->integer = ctx->ret->requested_at;
      break;
    case PS_CONDITION_FIELD_RETURN_REASON:
      g_assert (ctx->ret != NULL);
      value->integer = ctx->ret->reason;
      break;
    case PS_CONDITION_FIELD_RETURN_SKU:
      g_assert (ctx->ret != NULL);
      value->string = g_ptr_array_index (ctx->ret->skus, index);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Whether @value counts as set, for is_empty. */
static gboolean
value_is_set (PsConditionField  field,
              const Value      *value)
{
  /* 0 hours from label to scan is set; no scan yet is not. */
  if (field == PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS)
    return !value->unset;

  switch (ps_condition_field_get_value_type (field))
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      return value->string != NULL && value->string[0] != '\0';
    case PS_CONDITION_VALUE_ENUM:
      /* A status always has a value; "none" is no exception reason. */
      return field != PS_CONDITION_FIELD_EXCEPTION_REASON ||
             value->integer != PS_EXCEPTION_REASON_NONE;
    case PS_CONDITION_VALUE_NUMBER:
    case PS_CONDITION_VALUE_MONEY:
    case PS_CONDITION_VALUE_WEIGHT:
    case PS_CONDITION_VALUE_TIMESTAMP:
      return value->integer != 0;
    case PS_CONDITION_VALUE_BOOLEAN:
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

/* SKUs are identifiers and compared exactly; all other text ignores
 * ASCII case, as SQLite's NOCASE and lower() do. */
static gboolean
field_ignores_case (PsConditionField field)
{
  return field != PS_CONDITION_FIELD_SKU && field != PS_CONDITION_FIELD_RETURN_SKU;
}

/* strstr() folding ASCII case when asked: where @needle starts in
 * @haystack, or -1. */
static gssize
find_text (const char *haystack,
           const char *needle,
           gboolean    ignore_case)
{
  gsize n = strlen (needle);
  const char *p;

  if (!ignore_case)
    {
      p = strstr (haystack, needle);
      return p != NULL ? p - haystack : -1;
    }

  for (p = haystack; *p != '\0'; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p - haystack;
  return n == 0 ? 0 : -1;
}

static gboolean
text_equal (const char *a,
            const char *b,
            gboolean    ignore_case)
{
  if (a == NULL)
    return FALSE;
  return ignore_case ? g_ascii_strcasecmp (a, b) == 0 : strcmp (a, b) == 0;
}

/* A number field's value as a double. */
static double
value_number (PsConditionField  field,
              const Value      *value)
{
  return field == PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS ? value->number : (double) value->integer;
}

/* Operand @index of @leaf equals @value (never when it is not set). */
static gboolean
value_equals (PsCondition      *leaf,
              PsConditionField  field,
              const Value      *value,
              guint             index)
{
  if (value->unset)
    return FALSE;

  switch (ps_condition_field_get_value_type (field))
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      return text_equal (value->string, ps_condition_get_value_string (leaf, index),
                         field_ignores_case (field));
    case PS_CONDITION_VALUE_NUMBER:
      return value_number (field, value) == ps_condition_get_value_double (leaf, index);
    case PS_CONDITION_VALUE_ENUM:
    case PS_CONDITION_VALUE_MONEY:
    case PS_CONDITION_VALUE_WEIGHT:
    case PS_CONDITION_VALUE_BOOLEAN:
      return value->integer == ps_condition_get_value_int (leaf, index);
    case PS_CONDITION_VALUE_TIMESTAMP:
    default:
      g_assert_not_reached ();
    }
}

/* -1, 0 or 1 as @value is below, at or above operand @index. Numbers
 * compare as doubles (the operand may have a fraction), the rest as
 * integers. */
static int
value_compare (PsCondition      *leaf,
               PsConditionField  field,
               const Value      *value,
               guint             index)
{
  if (ps_condition_field_get_value_type (field) == PS_CONDITION_VALUE_NUMBER)
    {
      double a = value_number (field, value);
      double b = ps_condition_get_value_double (leaf, index);

      return (a > b) - (a < b);
    }
  else
    {
      gint64 b = ps_condition_get_value_int (leaf, index);

      return (value->integer > b) - (value->integer < b);
    }
}

/* Whether @value passes @leaf's operator; not for is_not and is_empty,
 * which are about all of a field's values. */
static gboolean
value_passes (PsCondition      *leaf,
              PsConditionField  field,
              PsConditionOp     op,
              const Value      *value,
              const Context    *ctx)
{
  gboolean is_time = ps_condition_field_get_value_type (field) == PS_CONDITION_VALUE_TIMESTAMP;
  gint64 days;
  guint i;

  /* Every test on a timestamp (or on hours to a scan not made) fails
   * when it is not set. */
  if ((is_time && value->integer == 0) || value->unset)
    return FALSE;

  switch (op)
    {
    case PS_CONDITION_OP_IS:
      return value_equals (leaf, field, value, 0);

    case PS_CONDITION_OP_IN:
      for (i = 0; i < ps_condition_get_n_values (leaf); i++)
        if (value_equals (leaf, field, value, i))
          return TRUE;
      return FALSE;

    case PS_CONDITION_OP_CONTAINS:
      return value->string != NULL &&
             find_text (value->string, ps_condition_get_value_string (leaf, 0),
                        field_ignores_case (field)) >= 0;

    case PS_CONDITION_OP_STARTS_WITH:
      return value->string != NULL &&
             find_text (value->string, ps_condition_get_value_string (leaf, 0),
                        field_ignores_case (field)) == 0;

    case PS_CONDITION_OP_GT:
      return value_compare (leaf, field, value, 0) > 0;

    case PS_CONDITION_OP_LT:
      return value_compare (leaf, field, value, 0) < 0;

    case PS_CONDITION_OP_BETWEEN:
      return value_compare (leaf, field, value, 0) >= 0 &&
             value_compare (leaf, field, value, 1) <= 0;

    case PS_CONDITION_OP_OLDER_THAN_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      return value->integer < ctx->now - days * PS_SECONDS_PER_DAY;

    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      return value->integer < ps_time_business_days_ago (ctx->now, (int) days, ctx->tz);

    case PS_CONDITION_OP_WITHIN_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      return value->integer >= ctx->now - days * PS_SECONDS_PER_DAY &&
             value->integer <= ctx->now;

    case PS_CONDITION_OP_IS_NOT:
    case PS_CONDITION_OP_IS_EMPTY:
    default:
      g_assert_not_reached ();
    }
}

static gboolean
evaluate_leaf (PsCondition           *leaf,
               const PsOrderSnapshot *order,
               const Context         *ctx)
{
  PsConditionField field = ps_condition_get_field (leaf);
  PsConditionOp op = ps_condition_get_op (leaf);
  guint n = count_values (field, order, ctx);
  Value value;
  guint i;

  switch (op)
    {
    case PS_CONDITION_OP_IS_NOT:
      for (i = 0; i < n; i++)
        {
          get_value (field, order, i, ctx, &value);
          if (value_equals (leaf, field, &value, 0))
            return FALSE;
        }
      return TRUE;

    case PS_CONDITION_OP_IS_EMPTY:
      for (i = 0; i < n; i++)
        {
          get_value (field, order, i, ctx, &value);
          if (value_is_set (field, &value))
            return FALSE;
        }
      return TRUE;

    case PS_CONDITION_OP_IS:
    case PS_CONDITION_OP_IN:
    case PS_CONDITION_OP_CONTAINS:
    case PS_CONDITION_OP_STARTS_WITH:
    case PS_CONDITION_OP_GT:
    case PS_CONDITION_OP_LT:
    case PS_CONDITION_OP_BETWEEN:
    case PS_CONDITION_OP_OLDER_THAN_DAYS:
    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
    case PS_CONDITION_OP_WITHIN_DAYS:
    default:
      for (i = 0; i < n; i++)
        {
          get_value (field, order, i, ctx, &value);
          if (value_passes (leaf, field, op, &value, ctx))
            return TRUE;
        }
      return FALSE;
    }
}

static gboolean
evaluate (PsCondition           *condition,
          const PsOrderSnapshot *order,
          const Context         *ctx)
{
  guint n, i;

  switch (ps_condition_get_kind (condition))
    {
    case PS_CONDITION_KIND_LEAF:
      return evaluate_leaf (condition, order, ctx);

    case PS_CONDITION_KIND_ALL:
      n = ps_condition_get_n_children (condition);
      for (i = 0; i < n; i++)
        if (!evaluate (ps_condition_get_child (condition, i), order, ctx))
          return FALSE;
      return TRUE;

    case PS_CONDITION_KIND_ANY:
      n = ps_condition_get_n_children (condition);
      for (i = 0; i < n; i++)
        if (evaluate (ps_condition_get_child (condition, i), order, ctx))
          return TRUE;
      return FALSE;

    case PS_CONDITION_KIND_SHIPMENT:
      {
        Context inner = *ctx;

        /* Shipment groups do not nest (ps-condition.c rejects it). */
        g_assert (ctx->shipment == NULL);
        for (i = 0; i < order->shipments->len; i++)
          {
            inner.shipment = &g_array_index (order->shipments, PsShipmentSnapshot, i);
            if (evaluate (ps_condition_get_child (condition, 0), order, &inner))
              return TRUE;
          }
        return FALSE;
      }

    case PS_CONDITION_KIND_RETURN:
      {
        Context inner = *ctx;

        /* Return groups stand in no other group (ps-condition.c). */
        g_assert (ctx->shipment == NULL && ctx->ret == NULL);
        for (i = 0; i < order->returns->len; i++)
          {
            inner.ret = &g_array_index (order->returns, PsReturnSnapshot, i);
            if (evaluate (ps_condition_get_child (condition, 0), order, &inner))
              return TRUE;
          }
        return FALSE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Public API */

/**
 * ps_condition_evaluate:
 * @condition: a condition tree
 * @order: the order's values
 * @now: the current time, UTC Unix seconds, for the day-count operators
 * @tz: the merchant's time zone, for older_than_business_days
 *
 * Decides whether @order satisfies @condition, with the meaning documented
 * on #PsConditionOp, which is also what ps_condition_sql_compile() makes
 * SQLite compute. Pure: no I/O, no clock (everything time-dependent comes
 * from @now and @tz), safe on any thread.
 *
 * Returns: %TRUE if @order satisfies @condition
 */
gboolean
ps_condition_evaluate (const PsCondition     *condition,
                       const PsOrderSnapshot *order,
                       gint64                 now,
                       GTimeZone             *tz)
{
  Context ctx = { now, tz, NULL, NULL };

  g_return_val_if_fail (condition != NULL, FALSE);
  g_return_val_if_fail (order != NULL, FALSE);
  g_return_val_if_fail (tz != NULL, FALSE);

  /* The getters take a non-const pointer but do not change anything. */
  return evaluate ((PsCondition *) condition, order, &ctx);
}
