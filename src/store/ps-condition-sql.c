/* ps-condition-sql.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL half of the condition language (automation/ps-condition-eval.c
 * is the in-memory half; tests/store/test-condition-sql.c checks on random
 * trees and orders that both give the same orders). A tree becomes one
 * boolean expression over `orders o`; its text depends only on the tree's
 * shape, fields and operators, never on a value: every value, and every
 * moment derived from `now`, is a `?` with a PsSqlParam beside it.
 *
 * How each field is reached:
 *
 *  - columns of the order: o.status, o.ship_country, o.item_count, ...;
 *  - channel: o.channel_id IN (SELECT c.id FROM channels c WHERE <test on
 *    c.name>), which is the same as testing the order's one channel name;
 *  - tags, SKUs and shipment fields have several values per order. A
 *    test that holds when ANY value passes becomes
 *      o.id IN (SELECT order_id FROM <rows of the order> WHERE <test>)
 *    or, for tests that usually pass for most rows (older_than_*, lt),
 *      EXISTS (SELECT 1 FROM <rows> WHERE order_id = o.id AND <test>)
 *    so SQLite does not materialize a million-row IN list. is_not and
 *    is_empty hold when NO value is equal / set: NOT EXISTS (...).
 *    Shipments are only those with voided_at IS NULL.
 *
 * A shipment group {"shipment": group} becomes
 *   o.id IN (SELECT s.order_id FROM shipments s WHERE s.voided_at IS NULL
 *            AND <group>)
 * with every test of the group written on the columns of that one row
 * `s`, as for a column of the order (so is_not and is_empty are about
 * this shipment alone). The IN form lets SQLite start from an index of
 * shipments, such as the label day of a dashboard drill-down.
 *
 * A return group {"return": group} becomes
 *   o.id IN (SELECT r.order_id FROM returns r WHERE <group>)
 * with return_requested_at and return_reason on the row `r`, and
 * return_sku (several values per return) as a test over that return's
 * items: r.id IN (SELECT ri.return_id FROM return_items ri JOIN line_items
 * li … WHERE <test>), or NOT EXISTS (… WHERE ri.return_id = r.id …) for
 * is_not and is_empty. Return fields appear nowhere else.
 *
 * had_exception is the dashboard's "ever had an exception": a reason set
 * now, or a tracking event in exception (served by the partial index
 * tracking_events_exception).
 *
 * Groups: "all" is AND, "any" is OR, an empty "all" is 1 and an empty
 * "any" 0. There is no negation above a test, and every negative test is
 * written to be true or false (never NULL) itself, so SQL's NULL never
 * makes a difference: a test on a missing value is simply false, as in
 * memory.
 *
 * Text: NOCASE equality and lower() fold ASCII only, like
 * g_ascii_strcasecmp() in the evaluator; contains and starts_with use
 * instr(), so values need no LIKE escaping. SKUs compare exactly.
 *
 * Counting: a condition that is one test on tags, SKUs or shipments (such
 * as "Delivered this week") is counted on those rows alone, grouped by
 * order, instead of looking every order up: the foreign keys (ON DELETE
 * CASCADE) guarantee each row's order exists. Half the time on a million
 * orders.
 */

#define G_LOG_DOMAIN "ps-condition-sql"

#include "config.h"

#include "ps-condition-sql.h"
#include "ps-enums.h"
#include "ps-time.h"

struct _PsConditionSql
{
  GString    *where;
  GString    *count_sql;
  GArray     *params;    /* PsSqlParam */
  gint64      now;
  GTimeZone  *tz;
  gboolean    in_shipment;  /* compiling the inside of a shipment group */
  gboolean    in_return;    /* compiling the inside of a return group */
};

/* Where a field's values live. */
typedef struct
{
  const char *from;      /* FROM clause of the rows, NULL for a column of o */
  const char *order_id;  /* the rows' order id column (return id for
                          * return_sku) */
  const char *filter;    /* (nullable) which rows count */
  const char *expr;      /* the value */
  const char *present;   /* the value is set (for is_empty) */
} FieldSql;

static const FieldSql field_sql[] = {
  /* The channel is tested on channels.name, one row per order (below). */
  [PS_CONDITION_FIELD_CHANNEL] = { NULL, NULL, NULL, "c.name",
                                   "(c.name IS NOT NULL AND c.name <> '')" },
  [PS_CONDITION_FIELD_STATUS] = { NULL, NULL, NULL, "o.status",
                                  "(o.status IS NOT NULL AND o.status <> '')" },
  [PS_CONDITION_FIELD_TAGS] = { "order_tags ot JOIN tags t ON t.id = ot.tag_id", "ot.order_id",
                                NULL, "t.name", "(t.name IS NOT NULL AND t.name <> '')" },
  [PS_CONDITION_FIELD_CARRIER] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                   "s.carrier", "(s.carrier IS NOT NULL AND s.carrier <> '')" },
  [PS_CONDITION_FIELD_SERVICE] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                   "s.service", "(s.service IS NOT NULL AND s.service <> '')" },
  [PS_CONDITION_FIELD_SHIP_COUNTRY] = { NULL, NULL, NULL, "o.ship_country",
                                        "(o.ship_country IS NOT NULL AND o.ship_country <> '')" },
  [PS_CONDITION_FIELD_SHIP_STATE] = { NULL, NULL, NULL, "o.ship_state",
                                      "(o.ship_state IS NOT NULL AND o.ship_state <> '')" },
  [PS_CONDITION_FIELD_SHIP_POSTCODE] = { NULL, NULL, NULL, "o.ship_postcode",
                                         "(o.ship_postcode IS NOT NULL AND "
                                         "o.ship_postcode <> '')" },
  [PS_CONDITION_FIELD_ITEM_COUNT] = { NULL, NULL, NULL, "o.item_count",
                                      "(o.item_count IS NOT NULL AND o.item_count <> 0)" },
  [PS_CONDITION_FIELD_SKU] = { "line_items li", "li.order_id", NULL, "li.sku",
                               "(li.sku IS NOT NULL AND li.sku <> '')" },
  [PS_CONDITION_FIELD_TOTAL] = { NULL, NULL, NULL, "o.total_minor",
                                 "(o.total_minor IS NOT NULL AND o.total_minor <> 0)" },
  [PS_CONDITION_FIELD_WEIGHT] = { NULL, NULL, NULL, "o.weight_grams",
                                  "(o.weight_grams IS NOT NULL AND o.weight_grams <> 0)" },
  [PS_CONDITION_FIELD_CREATED_AT] = { NULL, NULL, NULL, "o.created_at",
                                      "o.created_at IS NOT NULL" },
  [PS_CONDITION_FIELD_PAID_AT] = { NULL, NULL, NULL, "o.paid_at", "o.paid_at IS NOT NULL" },
  [PS_CONDITION_FIELD_LABEL_CREATED_AT] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                            "s.label_created_at",
                                            "s.label_created_at IS NOT NULL" },
  [PS_CONDITION_FIELD_FIRST_SCAN_AT] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                         "s.first_scan_at", "s.first_scan_at IS NOT NULL" },
  [PS_CONDITION_FIELD_DELIVERED_AT] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                        "s.delivered_at", "s.delivered_at IS NOT NULL" },
  [PS_CONDITION_FIELD_TRACKING_STATUS] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                           "s.tracking_status",
                                           "(s.tracking_status IS NOT NULL AND "
                                           "s.tracking_status <> '')" },
  /* No reason is stored as NULL; "none" means the same. */
  [PS_CONDITION_FIELD_EXCEPTION_REASON] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                            "coalesce (s.exception_reason, 'none')",
                                            "coalesce (s.exception_reason, 'none') "
                                            "NOT IN ('none', '')" },
  [PS_CONDITION_FIELD_ADDRESS_ISSUE] = { NULL, NULL, NULL, "(o.address_issue <> 0)", "1" },
  [PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT] = { "shipments s", "s.order_id",
                                                 "s.voided_at IS NULL", "s.estimated_delivery_at",
                                                 "s.estimated_delivery_at IS NOT NULL" },
  /* Never NULL: a reason now, or an exception in the tracking history. */
  [PS_CONDITION_FIELD_HAD_EXCEPTION] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                         "(coalesce (s.exception_reason, 'none') NOT IN "
                                         "('none', '') OR EXISTS (SELECT 1 FROM tracking_events te"
                                         " WHERE te.shipment_id = s.id AND"
                                         " te.status = 'exception'))", "1" },
  /* NULL until both times are set. */
  [PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS] = { "shipments s", "s.order_id", "s.voided_at IS NULL",
                                               "(max (s.first_scan_at - s.label_created_at, 0)"
                                               " / 3600.0)",
                                               "(s.first_scan_at IS NOT NULL AND"
                                               " s.label_created_at IS NOT NULL)" },
  /* Return fields: only inside a return group, on its row r. */
  [PS_CONDITION_FIELD_RETURN_REQUESTED_AT] = { NULL, NULL, NULL, "r.requested_at",
                                               "r.requested_at IS NOT NULL" },
  [PS_CONDITION_FIELD_RETURN_REASON] = { NULL, NULL, NULL, "r.reason",
                                         "(r.reason IS NOT NULL AND r.reason <> '')" },
  [PS_CONDITION_FIELD_RETURN_SKU] = { "return_items ri JOIN line_items li ON li.id = ri.line_item_id",
                                      "ri.return_id", NULL, "li.sku",
                                      "(li.sku IS NOT NULL AND li.sku <> '')" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (field_sql) == PS_CONDITION_FIELD_LAST + 1);

/* Helpers */

static void
param_clear (gpointer data)
{
  PsSqlParam *param = data;

  g_clear_pointer (&param->text, g_free);
}

static void
add_int (PsConditionSql *self,
         gint64          value)
{
  PsSqlParam param = { PS_SQL_PARAM_INT, value, (double) value, NULL };

  g_array_append_val (self->params, param);
}

static void
add_double (PsConditionSql *self,
            double          value)
{
  PsSqlParam param = { PS_SQL_PARAM_DOUBLE, (gint64) value, value, NULL };

  g_array_append_val (self->params, param);
}

static void
add_text (PsConditionSql *self,
          const char     *value)
{
  PsSqlParam param = { PS_SQL_PARAM_TEXT, 0, 0.0, g_strdup (value) };

  g_assert (value != NULL);
  g_array_append_val (self->params, param);
}

/* Binds operand @index of @leaf as the field's values are stored. */
static void
add_operand (PsConditionSql   *self,
             PsCondition      *leaf,
             guint             index)
{
  switch (ps_condition_field_get_value_type (ps_condition_get_field (leaf)))
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
    case PS_CONDITION_VALUE_ENUM:
      /* Enums are stored as their nicks, which the value is. */
      add_text (self, ps_condition_get_value_string (leaf, index));
      break;
    case PS_CONDITION_VALUE_NUMBER:
      add_double (self, ps_condition_get_value_double (leaf, index));
      break;
    case PS_CONDITION_VALUE_MONEY:
    case PS_CONDITION_VALUE_WEIGHT:
    case PS_CONDITION_VALUE_TIMESTAMP:
    case PS_CONDITION_VALUE_BOOLEAN:
      add_int (self, ps_condition_get_value_int (leaf, index));
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_text (PsConditionField field)
{
  PsConditionValueType type = ps_condition_field_get_value_type (field);

  return type == PS_CONDITION_VALUE_STRING || type == PS_CONDITION_VALUE_STRING_LIST;
}

static gboolean
is_sku (PsConditionField field)
{
  return field == PS_CONDITION_FIELD_SKU || field == PS_CONDITION_FIELD_RETURN_SKU;
}

/* SKUs compare exactly, other text ignoring ASCII case (ps-condition.h). */
static const char *
collate (PsConditionField field)
{
  return is_text (field) && !is_sku (field) ? " COLLATE NOCASE" : "";
}

/* @expr with ASCII folded when the field ignores case. */
static void
append_folded (GString          *sql,
               PsConditionField  field,
               const char       *expr)
{
  if (!is_sku (field))
    g_string_append_printf (sql, "lower (%s)", expr);
  else
    g_string_append (sql, expr);
}

/* The test "@expr equals operand 0", which may be NULL when @expr is. */
static void
append_equals (PsConditionSql   *self,
               PsCondition      *leaf,
               const char       *expr)
{
  PsConditionField field = ps_condition_get_field (leaf);

  g_string_append_printf (self->where, "%s = ?%s", expr, collate (field));
  add_operand (self, leaf, 0);
}

/* The test a single value @expr passes for every operator that holds
 * when ANY value passes (everything but is_not and is_empty). It may be
 * NULL when @expr is NULL, which SQL's WHERE treats as false. */
static void
append_passes (PsConditionSql *self,
               PsCondition    *leaf,
               const char     *expr)
{
  PsConditionField field = ps_condition_get_field (leaf);
  PsConditionOp op = ps_condition_get_op (leaf);
  GString *sql = self->where;
  gint64 days;
  guint i, n;

  switch (op)
    {
    case PS_CONDITION_OP_IS:
      append_equals (self, leaf, expr);
      break;

    case PS_CONDITION_OP_IN:
      n = ps_condition_get_n_values (leaf);
      g_string_append_printf (sql, "%s%s IN (", expr, collate (field));
      for (i = 0; i < n; i++)
        {
          g_string_append (sql, i > 0 ? ", ?" : "?");
          add_operand (self, leaf, i);
        }
      g_string_append_c (sql, ')');
      break;

    case PS_CONDITION_OP_CONTAINS:
    case PS_CONDITION_OP_STARTS_WITH:
      g_string_append (sql, "instr (");
      append_folded (sql, field, expr);
      g_string_append (sql, ", ");
      append_folded (sql, field, "?");
      g_string_append (sql, op == PS_CONDITION_OP_CONTAINS ? ") > 0" : ") = 1");
      add_operand (self, leaf, 0);
      break;

    case PS_CONDITION_OP_GT:
      g_string_append_printf (sql, "%s > ?", expr);
      add_operand (self, leaf, 0);
      break;

    case PS_CONDITION_OP_LT:
      g_string_append_printf (sql, "%s < ?", expr);
      add_operand (self, leaf, 0);
      break;

    case PS_CONDITION_OP_BETWEEN:
      g_string_append_printf (sql, "%s BETWEEN ? AND ?", expr);
      add_operand (self, leaf, 0);
      add_operand (self, leaf, 1);
      break;

    case PS_CONDITION_OP_OLDER_THAN_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      g_string_append_printf (sql, "%s < ?", expr);
      add_int (self, self->now - days * PS_SECONDS_PER_DAY);
      break;

    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      g_string_append_printf (sql, "%s < ?", expr);
      add_int (self, ps_time_business_days_ago (self->now, (int) days, self->tz));
      break;

    case PS_CONDITION_OP_WITHIN_DAYS:
      days = ps_condition_get_value_int (leaf, 0);
      g_string_append_printf (sql, "%s BETWEEN ? AND ?", expr);
      add_int (self, self->now - days * PS_SECONDS_PER_DAY);
      add_int (self, self->now);
      break;

    case PS_CONDITION_OP_IS_NOT:
    case PS_CONDITION_OP_IS_EMPTY:
    default:
      g_assert_not_reached ();
    }
}

/* A test on one value of a column of the order itself, or of its
 * channel: never NULL for is_not and is_empty. */
static void
append_scalar (PsConditionSql *self,
               PsCondition    *leaf,
               const FieldSql *fs)
{
  switch (ps_condition_get_op (leaf))
    {
    case PS_CONDITION_OP_IS_NOT:
      g_string_append_printf (self->where, "(%s IS NULL OR NOT (", fs->expr);
      append_equals (self, leaf, fs->expr);
      g_string_append (self->where, "))");
      break;

    case PS_CONDITION_OP_IS_EMPTY:
      g_string_append_printf (self->where, "NOT (%s)", fs->present);
      break;

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
      append_passes (self, leaf, fs->expr);
      break;
    }
}

/* Tests that most rows pass are better asked per order (EXISTS, through
 * the rows' order id index) than collected into a list of every order
 * that has one (IN). The two mean the same. */
static gboolean
prefer_exists (PsConditionOp op)
{
  switch (op)
    {
    case PS_CONDITION_OP_LT:
    case PS_CONDITION_OP_OLDER_THAN_DAYS:
    case PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS:
    case PS_CONDITION_OP_IS_NOT:
    case PS_CONDITION_OP_IS_EMPTY:
      return TRUE;
    case PS_CONDITION_OP_IS:
    case PS_CONDITION_OP_IN:
    case PS_CONDITION_OP_CONTAINS:
    case PS_CONDITION_OP_STARTS_WITH:
    case PS_CONDITION_OP_GT:
    case PS_CONDITION_OP_BETWEEN:
    case PS_CONDITION_OP_WITHIN_DAYS:
    default:
      return FALSE;
    }
}

/* A test on a field with several values per order (tags, SKUs,
 * shipments), or per return (return_sku, @owner "r.id"); @owner is the
 * id the rows' fs->order_id refers to. */
static void
append_multi (PsConditionSql *self,
              PsCondition    *leaf,
              const FieldSql *fs,
              const char     *owner)
{
  PsConditionOp op = ps_condition_get_op (leaf);
  GString *sql = self->where;
  gboolean negative = op == PS_CONDITION_OP_IS_NOT || op == PS_CONDITION_OP_IS_EMPTY;

  if (prefer_exists (op))
    g_string_append_printf (sql, "%sEXISTS (SELECT 1 FROM %s WHERE %s = %s AND ",
                            negative ? "NOT " : "", fs->from, fs->order_id, owner);
  else
    g_string_append_printf (sql, "%s IN (SELECT %s FROM %s WHERE ", owner, fs->order_id, fs->from);

  if (fs->filter != NULL)
    g_string_append_printf (sql, "%s AND ", fs->filter);

  /* Inside the subquery a NULL test simply drops the row. */
  if (op == PS_CONDITION_OP_IS_NOT)
    append_equals (self, leaf, fs->expr);
  else if (op == PS_CONDITION_OP_IS_EMPTY)
    g_string_append (sql, fs->present);
  else
    append_passes (self, leaf, fs->expr);

  g_string_append_c (sql, ')');
}

/* The one test a tree reduces to once groups of one are taken away, or
 * NULL (also for a shipment group, whose tests mean something else). */
static PsCondition *
single_leaf (PsCondition *condition)
{
  while (ps_condition_get_kind (condition) != PS_CONDITION_KIND_LEAF)
    {
      if (ps_condition_get_kind (condition) == PS_CONDITION_KIND_SHIPMENT ||
          ps_condition_get_kind (condition) == PS_CONDITION_KIND_RETURN ||
          ps_condition_get_n_children (condition) != 1)
        return NULL;
      condition = ps_condition_get_child (condition, 0);
    }
  return condition;
}

/* SELECT count(*) for @condition; the parameters are those of the WHERE
 * fragment, in the same order. */
static void
build_count_sql (PsConditionSql *self,
                 PsCondition    *condition)
{
  PsCondition *leaf = single_leaf (condition);
  const FieldSql *fs = leaf != NULL ? &field_sql[ps_condition_get_field (leaf)] : NULL;
  PsConditionOp op = leaf != NULL ? ps_condition_get_op (leaf) : PS_CONDITION_OP_IS;
  g_autoptr(GString) where = NULL;
  guint n_params = self->params->len;

  self->count_sql = g_string_new (NULL);

  if (fs == NULL || fs->from == NULL ||
      op == PS_CONDITION_OP_IS_NOT || op == PS_CONDITION_OP_IS_EMPTY)
    {
      g_string_append_printf (self->count_sql, "SELECT count(*) FROM orders o WHERE %s",
                              self->where->str);
      return;
    }

  /* Compile the test again into the count statement; it binds the same
   * values in the same order, so they are dropped afterwards. */
  where = g_steal_pointer (&self->where);
  self->where = self->count_sql;
  g_string_append_printf (self->where, "SELECT count(*) FROM (SELECT %s FROM %s WHERE ",
                          fs->order_id, fs->from);
  if (fs->filter != NULL)
    g_string_append_printf (self->where, "%s AND ", fs->filter);
  append_passes (self, leaf, fs->expr);
  g_string_append (self->where, " GROUP BY 1)");
  self->where = g_steal_pointer (&where);

  g_assert (self->params->len == 2 * n_params);
  g_array_set_size (self->params, n_params);
}

static void
append_condition (PsConditionSql *self,
                  PsCondition    *condition)
{
  PsConditionField field;
  const FieldSql *fs;
  guint n, i;

  switch (ps_condition_get_kind (condition))
    {
    case PS_CONDITION_KIND_ALL:
    case PS_CONDITION_KIND_ANY:
      n = ps_condition_get_n_children (condition);
      if (n == 0)
        {
          g_string_append (self->where,
                           ps_condition_get_kind (condition) == PS_CONDITION_KIND_ALL ? "1" : "0");
          break;
        }
      g_string_append_c (self->where, '(');
      for (i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (self->where,
                             ps_condition_get_kind (condition) == PS_CONDITION_KIND_ALL
                             ? " AND " : " OR ");
          append_condition (self, ps_condition_get_child (condition, i));
        }
      g_string_append_c (self->where, ')');
      break;

    case PS_CONDITION_KIND_SHIPMENT:
      /* ps-condition.c keeps shipment groups from nesting. */
      g_assert (!self->in_shipment);
      g_string_append (self->where, "(o.id IN (SELECT s.order_id FROM shipments s"
                                    " WHERE s.voided_at IS NULL AND ");
      self->in_shipment = TRUE;
      append_condition (self, ps_condition_get_child (condition, 0));
      self->in_shipment = FALSE;
      g_string_append (self->where, "))");
      break;

    case PS_CONDITION_KIND_RETURN:
      /* ps-condition.c keeps return groups out of other groups. */
      g_assert (!self->in_shipment && !self->in_return);
      g_string_append (self->where, "(o.id IN (SELECT r.order_id FROM returns r WHERE ");
      self->in_return = TRUE;
      append_condition (self, ps_condition_get_child (condition, 0));
      self->in_return = FALSE;
      g_string_append (self->where, "))");
      break;

    case PS_CONDITION_KIND_LEAF:
    default:
      field = ps_condition_get_field (condition);
      fs = &field_sql[field];
      g_string_append_c (self->where, '(');
      if (self->in_shipment)
        {
          /* One shipment, the row s: its fields are single values. */
          g_assert (ps_condition_field_is_per_shipment (field));
          append_scalar (self, condition, fs);
        }
      else if (self->in_return)
        {
          /* One return, the row r: return_sku has its items' values. */
          g_assert (ps_condition_field_is_per_return (field));
          if (fs->from != NULL)
            append_multi (self, condition, fs, "r.id");
          else
            append_scalar (self, condition, fs);
        }
      else if (field == PS_CONDITION_FIELD_CHANNEL)
        {
          /* Every order has exactly one channel: testing its name is
           * picking the channels whose name passes. */
          g_string_append (self->where, "o.channel_id IN (SELECT c.id FROM channels c WHERE ");
          append_scalar (self, condition, fs);
          g_string_append_c (self->where, ')');
        }
      else if (fs->from != NULL)
        append_multi (self, condition, fs, "o.id");
      else
        append_scalar (self, condition, fs);
      g_string_append_c (self->where, ')');
      break;
    }
}

/* Public API */

/**
 * ps_condition_sql_compile:
 * @condition: a condition tree
 * @now: the current time, UTC Unix seconds, for the day-count operators
 * @tz: the merchant's time zone, for older_than_business_days
 *
 * Compiles @condition into a boolean SQL expression over the table
 * `orders` aliased `o`, meaning exactly what ps_condition_evaluate()
 * computes for the same @now and @tz. Use it as
 * `SELECT … FROM orders o WHERE <where> …` and bind the parameters with
 * ps_condition_sql_bind(). The text never contains a value of the
 * condition, so statements for conditions of the same shape are the same.
 *
 * Returns: (transfer full): the compiled condition
 */
PsConditionSql *
ps_condition_sql_compile (const PsCondition *condition,
                          gint64             now,
                          GTimeZone         *tz)
{
  PsConditionSql *self;

  g_return_val_if_fail (condition != NULL, NULL);
  g_return_val_if_fail (tz != NULL, NULL);

  self = g_new0 (PsConditionSql, 1);
  self->where = g_string_new (NULL);
  self->params = g_array_new (FALSE, TRUE, sizeof (PsSqlParam));
  g_array_set_clear_func (self->params, param_clear);
  self->now = now;
  self->tz = g_time_zone_ref (tz);

  /* The getters take a non-const pointer but change nothing. */
  append_condition (self, (PsCondition *) condition);
  build_count_sql (self, (PsCondition *) condition);

  return self;
}

/**
 * ps_condition_sql_free:
 * @self: (transfer full): a #PsConditionSql
 */
void
ps_condition_sql_free (PsConditionSql *self)
{
  g_return_if_fail (self != NULL);

  g_string_free (self->where, TRUE);
  g_string_free (self->count_sql, TRUE);
  g_array_unref (self->params);
  g_time_zone_unref (self->tz);
  g_free (self);
}

/**
 * ps_condition_sql_get_where:
 * @self: a #PsConditionSql
 *
 * Returns: (transfer none): the expression, with one `?` per parameter
 */
const char *
ps_condition_sql_get_where (PsConditionSql *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->where->str;
}

/**
 * ps_condition_sql_get_count_sql:
 * @self: a #PsConditionSql
 *
 * A whole statement counting the orders that satisfy the condition, often
 * `SELECT count(*) FROM orders o WHERE <where>`, and faster forms where the
 * condition allows. It has the same parameters as the WHERE fragment.
 *
 * Returns: (transfer none): the statement
 */
const char *
ps_condition_sql_get_count_sql (PsConditionSql *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->count_sql->str;
}

/**
 * ps_condition_sql_get_n_params:
 * @self: a #PsConditionSql
 *
 * Returns: the number of `?` in ps_condition_sql_get_where()
 */
guint
ps_condition_sql_get_n_params (PsConditionSql *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->params->len;
}

/**
 * ps_condition_sql_get_param:
 * @self: a #PsConditionSql
 * @index: below ps_condition_sql_get_n_params()
 *
 * Returns: (transfer none): the value of the @index-th `?`
 */
const PsSqlParam *
ps_condition_sql_get_param (PsConditionSql *self,
                            guint           index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->params->len, NULL);

  return &g_array_index (self->params, PsSqlParam, index);
}

/**
 * ps_condition_sql_bind:
 * @self: a #PsConditionSql
 * @stmt: a statement whose SQL contains ps_condition_sql_get_where()
 * @first: the index of the fragment's first `?` in @stmt (1 when the
 *   fragment comes first)
 *
 * Binds every parameter of the fragment. Text is copied by SQLite, so
 * @self may go before @stmt is stepped.
 *
 * Returns: SQLITE_OK, or the first error of sqlite3_bind_*()
 */
int
ps_condition_sql_bind (PsConditionSql *self,
                       sqlite3_stmt   *stmt,
                       int             first)
{
  g_return_val_if_fail (self != NULL, SQLITE_MISUSE);
  g_return_val_if_fail (stmt != NULL, SQLITE_MISUSE);

  for (guint i = 0; i < self->params->len; i++)
    {
      const PsSqlParam *param = &g_array_index (self->params, PsSqlParam, i);
      int idx = first + (int) i;
      int rc;

      switch (param->type)
        {
        case PS_SQL_PARAM_INT:
          rc = sqlite3_bind_int64 (stmt, idx, param->integer);
          break;
        case PS_SQL_PARAM_DOUBLE:
          rc = sqlite3_bind_double (stmt, idx, param->number);
          break;
        case PS_SQL_PARAM_TEXT:
          rc = sqlite3_bind_text (stmt, idx, param->text, -1, SQLITE_TRANSIENT);
          break;
        default:
          g_assert_not_reached ();
        }
      if (rc != SQLITE_OK)
        return rc;
    }
  return SQLITE_OK;
}
