/* ps-condition.h: the condition language of saved filters and automation rules
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PS_CONDITION_ERROR (ps_condition_error_quark ())

/**
 * PsConditionError:
 * @PS_CONDITION_ERROR_PARSE: not JSON, or JSON that is not shaped like a
 *   condition (a missing or unknown member, a group with both "all" and
 *   "any", nesting deeper than %PS_CONDITION_MAX_DEPTH).
 * @PS_CONDITION_ERROR_UNKNOWN_FIELD: "field" names no #PsConditionField.
 * @PS_CONDITION_ERROR_UNKNOWN_OPERATOR: "op" names no #PsConditionOp.
 * @PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD: the operator does not apply
 *   to the field's value type (ps_condition_field_accepts_op()).
 * @PS_CONDITION_ERROR_BAD_VALUE: "value" is missing, present where the
 *   operator takes none, of the wrong JSON type or shape, or out of range.
 * @PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD: a condition inside a shipment
 *   group tests a field that is not a shipment's
 *   (ps_condition_field_is_per_shipment()), or a shipment group is inside
 *   another.
 * @PS_CONDITION_ERROR_NOT_A_RETURN_FIELD: a condition inside a return group
 *   tests a field that is not a return's (ps_condition_field_is_per_return()),
 *   a return field is tested outside a return group, or a group of
 *   either kind is inside a return group.
 *
 * Messages name the offending field, operator or value and, below the
 * top level, start with the JSON Pointer of the condition ("/all/1/any/0:").
 */
typedef enum
{
  PS_CONDITION_ERROR_PARSE,
  PS_CONDITION_ERROR_UNKNOWN_FIELD,
  PS_CONDITION_ERROR_UNKNOWN_OPERATOR,
  PS_CONDITION_ERROR_BAD_OPERATOR_FOR_FIELD,
  PS_CONDITION_ERROR_BAD_VALUE,
  PS_CONDITION_ERROR_NOT_A_SHIPMENT_FIELD,
  PS_CONDITION_ERROR_NOT_A_RETURN_FIELD,
} PsConditionError;

/* How many groups may enclose one another. */
#define PS_CONDITION_MAX_DEPTH 32

/* The largest day count older_than_days and friends accept. */
#define PS_CONDITION_MAX_DAYS 36500

/**
 * PsConditionKind:
 * @PS_CONDITION_KIND_LEAF: one test: field, operator, value
 * @PS_CONDITION_KIND_ALL: a group that holds when every child holds (and
 *   when it has none)
 * @PS_CONDITION_KIND_ANY: a group that holds when some child holds (never
 *   when it has none)
 * @PS_CONDITION_KIND_SHIPMENT: a shipment group: holds when the order has
 *   at least one (not voided) shipment for which its one child, an all or
 *   any group, holds. Every condition inside tests only that shipment's
 *   fields (ps_condition_field_is_per_shipment()), one value each, so
 *   "carrier is ups" and "label_created_at between …" are met by the same
 *   shipment. JSON: {"shipment": {"all": [ … ]}}. Shipment groups do not
 *   nest.
 * @PS_CONDITION_KIND_RETURN: a return group: holds when the order has at
 *   least one return for which its one child, an all or any group, holds.
 *   Inside, only return fields (ps_condition_field_is_per_return()), about
 *   that one return; return fields are tested nowhere else. JSON:
 *   {"return": {"all": [ … ]}}. It holds no shipment or return group and
 *   stands in none.
 */
typedef enum
{
  PS_CONDITION_KIND_LEAF,
  PS_CONDITION_KIND_ALL,
  PS_CONDITION_KIND_ANY,
  PS_CONDITION_KIND_SHIPMENT,
  PS_CONDITION_KIND_RETURN,
} PsConditionKind;

/**
 * PsConditionField:
 * @PS_CONDITION_FIELD_CHANNEL: the sales channel: a #PsChannelKind nick or
 *   a merchant-named channel (string)
 * @PS_CONDITION_FIELD_STATUS: the order status (#PsOrderStatus nick)
 * @PS_CONDITION_FIELD_TAGS: the order's tags (string list)
 * @PS_CONDITION_FIELD_CARRIER: a shipment's carrier (string)
 * @PS_CONDITION_FIELD_SERVICE: a shipment's carrier service (string)
 * @PS_CONDITION_FIELD_SHIP_COUNTRY: the ship-to ISO 3166-1 country (string)
 * @PS_CONDITION_FIELD_SHIP_STATE: the ship-to subdivision (string)
 * @PS_CONDITION_FIELD_SHIP_POSTCODE: the ship-to postal code (string)
 * @PS_CONDITION_FIELD_ITEM_COUNT: the number of items (number)
 * @PS_CONDITION_FIELD_SKU: the SKU of a line item (string)
 * @PS_CONDITION_FIELD_TOTAL: the order total in minor units (money)
 * @PS_CONDITION_FIELD_WEIGHT: the parcel weight in grams (weight)
 * @PS_CONDITION_FIELD_CREATED_AT: when the order was placed (timestamp)
 * @PS_CONDITION_FIELD_PAID_AT: when it was paid (timestamp)
 * @PS_CONDITION_FIELD_LABEL_CREATED_AT: when a label was bought (timestamp)
 * @PS_CONDITION_FIELD_FIRST_SCAN_AT: the carrier's first scan (timestamp)
 * @PS_CONDITION_FIELD_DELIVERED_AT: delivery (timestamp)
 * @PS_CONDITION_FIELD_TRACKING_STATUS: #PsTrackingStatus nick
 * @PS_CONDITION_FIELD_EXCEPTION_REASON: #PsExceptionReason nick
 * @PS_CONDITION_FIELD_ADDRESS_ISSUE: whether the ship-to address failed
 *   validation (boolean)
 * @PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT: the carrier's estimated
 *   delivery of a shipment (timestamp)
 * @PS_CONDITION_FIELD_HAD_EXCEPTION: whether a shipment ever had an
 *   exception: a tracking event in exception, or an exception reason set
 *   now (boolean; what the dashboard counts as an exception)
 * @PS_CONDITION_FIELD_RETURN_REQUESTED_AT: when a return was requested
 *   (timestamp; only inside a return group)
 * @PS_CONDITION_FIELD_RETURN_REASON: a return's #PsReturnReason nick (only
 *   inside a return group)
 * @PS_CONDITION_FIELD_RETURN_SKU: the SKUs of the line items a return
 *   returns (compared exactly, like sku; several values per return, lines
 *   without a SKU have none; only inside a return group)
 * @PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS: hours from a shipment's label
 *   to its first scan, `max (first_scan_at - label_created_at, 0) / 3600`
 *   (number); not set until both are, which is_empty finds
 *
 * The nicks are the field names of the JSON form: never rename one.
 *
 * Fields of an order's shipments (carrier, service, label_created_at,
 * first_scan_at, estimated_delivery_at, delivered_at, tracking_status,
 * exception_reason, had_exception, label_to_scan_hours) and of
 * its line items (sku) and tags have several values per order; see
 * #PsConditionOp for what the operators mean on them, and
 * %PS_CONDITION_KIND_SHIPMENT for testing one shipment at a time.
 */
typedef enum
{
  PS_CONDITION_FIELD_CHANNEL,
  PS_CONDITION_FIELD_STATUS,
  PS_CONDITION_FIELD_TAGS,
  PS_CONDITION_FIELD_CARRIER,
  PS_CONDITION_FIELD_SERVICE,
  PS_CONDITION_FIELD_SHIP_COUNTRY,
  PS_CONDITION_FIELD_SHIP_STATE,
  PS_CONDITION_FIELD_SHIP_POSTCODE,
  PS_CONDITION_FIELD_ITEM_COUNT,
  PS_CONDITION_FIELD_SKU,
  PS_CONDITION_FIELD_TOTAL,
  PS_CONDITION_FIELD_WEIGHT,
  PS_CONDITION_FIELD_CREATED_AT,
  PS_CONDITION_FIELD_PAID_AT,
  PS_CONDITION_FIELD_LABEL_CREATED_AT,
  PS_CONDITION_FIELD_FIRST_SCAN_AT,
  PS_CONDITION_FIELD_DELIVERED_AT,
  PS_CONDITION_FIELD_TRACKING_STATUS,
  PS_CONDITION_FIELD_EXCEPTION_REASON,
  PS_CONDITION_FIELD_ADDRESS_ISSUE,
  PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT,
  PS_CONDITION_FIELD_HAD_EXCEPTION,
  PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS,
  PS_CONDITION_FIELD_RETURN_REQUESTED_AT,
  PS_CONDITION_FIELD_RETURN_REASON,
  PS_CONDITION_FIELD_RETURN_SKU,
} PsConditionField;

#define PS_CONDITION_FIELD_LAST PS_CONDITION_FIELD_RETURN_SKU

/**
 * PsConditionOp:
 * @PS_CONDITION_OP_IS: equals the value; for tags, has that tag
 * @PS_CONDITION_OP_IS_NOT: differs from the value, or is not set; for tags,
 *   lacks that tag
 * @PS_CONDITION_OP_IN: equals one of an array of values; for tags, has one
 *   of them
 * @PS_CONDITION_OP_CONTAINS: the text contains the value; for tags, some
 *   tag does
 * @PS_CONDITION_OP_STARTS_WITH: the text starts with the value; for tags,
 *   some tag does
 * @PS_CONDITION_OP_GT: greater than the value (later, for timestamps)
 * @PS_CONDITION_OP_LT: less than the value (earlier, for timestamps)
 * @PS_CONDITION_OP_BETWEEN: within `[low, high]`, both ends included
 * @PS_CONDITION_OP_IS_EMPTY: not set: no tags, no carrier yet, not paid
 *   yet; takes no value
 * @PS_CONDITION_OP_OLDER_THAN_DAYS: the timestamp is set and earlier than
 *   `now - N × 86400` seconds
 * @PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS: the timestamp is set and
 *   earlier than ps_time_business_days_ago (now, N, tz): more than N
 *   business days (Monday to Friday in the merchant's time zone) have
 *   passed since it
 * @PS_CONDITION_OP_WITHIN_DAYS: the timestamp is set and within
 *   `[now - N × 86400, now]`
 *
 * The nicks are the "op" names of the JSON form: never rename one.
 *
 * The meaning is the contract for the SQL compiler (store/ps-condition-sql.c)
 * and the evaluator (automation/ps-condition-eval.c); a property test
 * checks that they agree:
 *
 * - Text is not set when it is missing or "". Text comparisons ignore ASCII
 *   case for every field except sku, which is compared exactly (SKUs are
 *   identifiers). "channel" is the channel's name ("Etsy"; the channels
 *   the importer and the demo create are named after their kind, so "etsy"
 *   matches them).
 * - Timestamps are UTC Unix seconds; 0 (NULL in the database) is not set.
 *   Every test but is_empty fails on a timestamp that is not set.
 * - Numbers, money and weights are never missing; is_empty means 0.
 *   Except label_to_scan_hours, which is not set before the first scan
 *   (or without a label): like a timestamp, every test but is_not and
 *   is_empty fails then, and is_empty holds (0 hours is set).
 * - Enums: status always has a value (is_empty never holds);
 *   exception_reason "none" is the same as no reason.
 * - Booleans (address_issue, had_exception) take is and is_not with true
 *   or false.
 * - Fields with several values per order: tags, sku (one value per line
 *   item with a SKU) and the shipment fields (one value per shipment that
 *   is not voided; voided shipments are ignored). is_not and is_empty hold
 *   when NO value is equal / set; every other operator holds when ANY
 *   value passes it. Each condition looks at the shipments on its own:
 *   {"all": [tracking_status is pre_transit, label_created_at
 *   older_than_days 2]} holds for an order whose old label was scanned
 *   while a newer one was not. An order without shipments has no
 *   tracking_status, so "tracking_status is_empty" finds it.
 * - Inside a shipment group (%PS_CONDITION_KIND_SHIPMENT) a shipment field
 *   has exactly one value, the shipment's: is_not holds when it is not
 *   equal (or not set), is_empty when it is not set.
 * - Inside a return group (%PS_CONDITION_KIND_RETURN) return_requested_at
 *   and return_reason have the return's one value (a reason is always
 *   set); return_sku has one value per returned line with a SKU, so
 *   is_not and is_empty hold when none of that return's lines is equal /
 *   has a SKU.
 */
typedef enum
{
  PS_CONDITION_OP_IS,
  PS_CONDITION_OP_IS_NOT,
  PS_CONDITION_OP_IN,
  PS_CONDITION_OP_CONTAINS,
  PS_CONDITION_OP_STARTS_WITH,
  PS_CONDITION_OP_GT,
  PS_CONDITION_OP_LT,
  PS_CONDITION_OP_BETWEEN,
  PS_CONDITION_OP_IS_EMPTY,
  PS_CONDITION_OP_OLDER_THAN_DAYS,
  PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS,
  PS_CONDITION_OP_WITHIN_DAYS,
} PsConditionOp;

#define PS_CONDITION_OP_LAST PS_CONDITION_OP_WITHIN_DAYS

/**
 * PsConditionValueType:
 * @PS_CONDITION_VALUE_STRING: free text; JSON string
 * @PS_CONDITION_VALUE_ENUM: a nick of the field's enum
 *   (ps_condition_field_get_enum_type()); JSON string
 * @PS_CONDITION_VALUE_STRING_LIST: a set of strings (tags); values are
 *   single tags, JSON strings
 * @PS_CONDITION_VALUE_NUMBER: a count; JSON number
 * @PS_CONDITION_VALUE_MONEY: minor currency units; JSON integer
 * @PS_CONDITION_VALUE_WEIGHT: grams; JSON integer, 0 or more
 * @PS_CONDITION_VALUE_TIMESTAMP: a moment; JSON integer Unix seconds (UTC)
 *   or a string in ISO 8601 with a UTC offset ("2026-03-01T09:00:00Z").
 *   The day-count operators take a JSON integer of days instead.
 * @PS_CONDITION_VALUE_BOOLEAN: true or false; JSON boolean
 */
typedef enum
{
  PS_CONDITION_VALUE_STRING,
  PS_CONDITION_VALUE_ENUM,
  PS_CONDITION_VALUE_STRING_LIST,
  PS_CONDITION_VALUE_NUMBER,
  PS_CONDITION_VALUE_MONEY,
  PS_CONDITION_VALUE_WEIGHT,
  PS_CONDITION_VALUE_TIMESTAMP,
  PS_CONDITION_VALUE_BOOLEAN,
} PsConditionValueType;

#define PS_TYPE_CONDITION (ps_condition_get_type ())

typedef struct _PsCondition PsCondition;

GQuark                ps_condition_error_quark          (void);

const char           *ps_condition_field_to_nick        (PsConditionField    field);
gboolean              ps_condition_field_from_nick      (const char         *nick,
                                                         PsConditionField   *field);
PsConditionValueType  ps_condition_field_get_value_type (PsConditionField    field);
GType                 ps_condition_field_get_enum_type  (PsConditionField    field);
gboolean              ps_condition_field_accepts_op     (PsConditionField    field,
                                                         PsConditionOp       op);
gboolean              ps_condition_field_is_per_shipment (PsConditionField   field);
gboolean              ps_condition_field_is_per_return  (PsConditionField    field);
const char           *ps_condition_op_to_nick           (PsConditionOp       op);
gboolean              ps_condition_op_from_nick         (const char         *nick,
                                                         PsConditionOp      *op);

GType                 ps_condition_get_type             (void) G_GNUC_CONST;
PsCondition          *ps_condition_new_group            (PsConditionKind     kind,
                                                         PsCondition * const *children,
                                                         guint               n_children);
PsCondition          *ps_condition_new_shipment_group   (PsCondition        *group,
                                                         GError            **error);
PsCondition          *ps_condition_new_return_group     (PsCondition        *group,
                                                         GError            **error);
PsCondition          *ps_condition_new_leaf             (PsConditionField    field,
                                                         PsConditionOp       op,
                                                         JsonNode           *value,
                                                         GError            **error);
PsCondition          *ps_condition_from_json            (JsonNode           *node,
                                                         GError            **error);
PsCondition          *ps_condition_from_string          (const char         *json,
                                                         GError            **error);
PsCondition          *ps_condition_ref                  (PsCondition        *self);
void                  ps_condition_unref                (PsCondition        *self);
JsonNode             *ps_condition_to_json              (PsCondition        *self);
char                 *ps_condition_to_string            (PsCondition        *self);
gboolean              ps_condition_equal                (PsCondition        *a,
                                                         PsCondition        *b);

PsConditionKind       ps_condition_get_kind             (PsCondition        *self);
guint                 ps_condition_get_n_children       (PsCondition        *self);
PsCondition          *ps_condition_get_child            (PsCondition        *self,
                                                         guint               index);
PsConditionField      ps_condition_get_field            (PsCondition        *self);
PsConditionOp         ps_condition_get_op               (PsCondition        *self);
JsonNode             *ps_condition_get_value            (PsCondition        *self);
guint                 ps_condition_get_n_values         (PsCondition        *self);
const char           *ps_condition_get_value_string     (PsCondition        *self,
                                                         guint               index);
gint64                ps_condition_get_value_int        (PsCondition        *self,
                                                         guint               index);
double                ps_condition_get_value_double     (PsCondition        *self,
                                                         guint               index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsCondition, ps_condition_unref)

G_END_DECLS
