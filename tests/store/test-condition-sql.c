/* test-condition-sql.c: conditions as SQL, checked against the evaluator
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The property test writes ~300 random orders (0-3 shipments, some voided,
 * some with exceptions in their tracking history, tags, SKUs, missing and
 * empty values, case variants, times on the boundaries of the day counts)
 * into a real database through PsOrderWriter,
 * then for ~500 random condition trees checks that the ids SQLite returns
 * are exactly the orders ps_condition_evaluate() accepts on the snapshots
 * the store loads, at several "now"s and in several time zones. Trees
 * include shipment groups ({"shipment": …}, tests on one shipment), which
 * split orders with several shipments tell apart from the same tests
 * outside one, and return groups ({"return": …}: orders get 0-2 returns
 * with random reasons, request times and returned lines, SKU or not). A failing
 * tree is printed as JSON with the orders the two disagree on.
 *
 * POSTSALE_TEST_SEED=N replays one seed; POSTSALE_TEST_TREES=N runs more
 * trees.
 */

#define G_LOG_DOMAIN "test-condition-sql"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ps-condition-eval.h"
#include "ps-condition-sql.h"
#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-store.h"
#include "ps-order-writer.h"
#include "ps-time.h"

#define N_ORDERS 300
#define N_TREES  500
#define MAX_DEPTH 4

/* Wednesday 2026-11-18 11:00:00 UTC: the orders' times are spread around it. */
#define BASE_NOW G_GINT64_CONSTANT (1794999600)

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt);
}

/* Value pools. Each has case variants, the empty string and characters
 * that mean something to LIKE, so a compiler that folded too much, too
 * little or pasted text would be caught. */
static const char * const channel_names[] = {
  "Etsy", "ETSY", "Shopify", "eBay", "Saturday market", "Über Store", "a%b_c",
};
static const char * const tag_names[] = {
  "gift", "Gift", "VIP", "rush", "wholesale", "", "50%_off", "über", "Über",
};
static const char * const skus[] = {
  "MUG-01", "mug-01", "TEE-M", "TEE-L", "", "SOCK_3%", "BNE-KNT-RST",
};
static const char * const carriers[] = { "ups", "UPS", "usps", "fedex", "dhl", "" };
static const char * const services[] = { "ground", "Ground", "priority", "2nd_day_air", "" };
static const char * const countries[] = { "US", "us", "CA", "GB", "DE", "" };
static const char * const states[] = { "OR", "or", "WA", "ON", "Baden-Württemberg", "" };
static const char * const postcodes[] = { "97201", "97210", "M5V 2T6", "sw1a 1aa", "10115", "" };

/* Pieces for contains / starts_with, and whole values for is / in. */
static const char * const probes[] = {
  "u", "U", "S", "ps", "gr", "%", "_", "ü", "Ü", "a%b", "-0", "TEE", "tee", "97", "w", "1",
  "etsy", "Etsy", "gift", "GIFT", "ups", "UPS", "ground", "us", "or", "or ", "mug-01", "MUG-01",
  "sw1a 1aa", "SW1A 1AA", "Über Store", "über store", "nothing", "50%_off", "50",
};

typedef struct
{
  PsDatabase   *db;
  PsOrderStore *store;
  GRand        *rand;
  GArray       *times;       /* gint64: every time written, for values */
  GArray       *totals;      /* gint64: every total written */
  GPtrArray    *snapshots;   /* PsOrderSnapshot, as loaded from the database */
} Fixture;

/* Helpers */

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

static int
random_enum (GRand *rand,
             GType  type)
{
  GEnumClass *klass = g_type_class_ref (type);
  int value = klass->values[g_rand_int_range (rand, 0, klass->n_values)].value;

  g_type_class_unref (klass);
  return value;
}

static const char *
random_nick (GRand *rand,
             GType  type)
{
  return ps_enum_to_nick (type, random_enum (rand, type));
}

/* A time near BASE_NOW, often exactly on a boundary a condition may test:
 * N days before one of the "now"s, a business-day cut-off, a midnight. */
static gint64
random_time (Fixture *f)
{
  static const gint64 nows[] = {
    BASE_NOW,
    G_GINT64_CONSTANT (1795262400),   /* Saturday 2026-11-21 12:00 */
    G_GINT64_CONSTANT (1795392000),   /* Monday 2026-11-23 00:00 */
  };
  GRand *rand = f->rand;
  gint64 now = PICK (rand, nows);
  gint64 t;

  switch (g_rand_int_range (rand, 0, 5))
    {
    case 0:
      t = now - g_rand_int_range (rand, 0, 11) * PS_SECONDS_PER_DAY;
      break;
    case 1:
      {
        g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
        t = ps_time_business_days_ago (now, g_rand_int_range (rand, 0, 8), tz);
      }
      break;
    case 2:
      t = now - now % PS_SECONDS_PER_DAY - g_rand_int_range (rand, 0, 15) * PS_SECONDS_PER_DAY;
      break;
    default:
      t = now + g_rand_int_range (rand, -20 * 86400, 2 * 86400);
      break;
    }
  /* One second either side of a boundary, now and then. */
  t += g_rand_int_range (rand, 0, 4) == 0 ? g_rand_int_range (rand, -1, 2) : 0;
  g_array_append_val (f->times, t);
  return t;
}

static gint64
maybe_time (Fixture *f,
            double   p_set)
{
  return g_rand_double (f->rand) < p_set ? random_time (f) : 0;
}

static const char *
maybe (GRand             *rand,
       const char * const *pool,
       guint               n)
{
  /* NULL about one time in six. */
  if (g_rand_int_range (rand, 0, 6) == 0)
    return NULL;
  return pool[g_rand_int_range (rand, 0, n)];
}

#define MAYBE(rand, pool) maybe ((rand), (pool), G_N_ELEMENTS (pool))

/* 0-2 returns of order @id, each returning some of its lines (maybe
 * none). No writer API makes returns yet, so plain SQL. */
static gboolean
add_returns (Fixture     *f,
             PsDatabase  *db,
             gint64       id,
             GError     **error)
{
  GRand *rand = f->rand;
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT id FROM line_items WHERE order_id = ? ORDER BY id",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 line = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (lines, line);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "lines");
      return FALSE;
    }

  for (guint r = 0, n = g_rand_int_range (rand, 0, 6) < 3 ? 0 : g_rand_int_range (rand, 1, 3);
       r < n; r++)
    {
      gint64 return_id;

      stmt = _ps_database_prepare (db, "INSERT INTO returns (order_id, reason, status, requested_at)"
                                       " VALUES (?, ?, 'requested', ?)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_text (stmt, 2, random_nick (rand, PS_TYPE_RETURN_REASON), -1, SQLITE_STATIC);
      /* Never 0: a return always has its request time. */
      sqlite3_bind_int64 (stmt, 3, random_time (f));
      if (!_ps_database_step_done (db, stmt, error))
        return FALSE;
      return_id = sqlite3_last_insert_rowid (_ps_database_get_handle (db));

      for (guint l = 0; l < lines->len; l++)
        {
          if (g_rand_boolean (rand))
            continue;
          stmt = _ps_database_prepare (db, "INSERT INTO return_items (return_id, line_item_id,"
                                           " quantity) VALUES (?, ?, 1)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, return_id);
          sqlite3_bind_int64 (stmt, 2, g_array_index (lines, gint64, l));
          if (!_ps_database_step_done (db, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Generating orders (worker thread) */

static gpointer
generate_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Fixture *f = data;
  GRand *rand = f->rand;
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  ps_order_writer_set_now (writer, BASE_NOW);

  for (guint i = 0; i < N_ORDERS; i++)
    {
      PsLineFields lines[4];
      PsOrderFields order = { 0 };
      char number[32];
      guint n_lines = g_rand_int_range (rand, 0, 5);
      guint n_ships = g_rand_int_range (rand, 0, 4);
      guint n_tags = g_rand_int_range (rand, 0, 4);
      gint64 id, shipment_id;

      for (guint l = 0; l < n_lines; l++)
        {
          lines[l] = (PsLineFields) { MAYBE (rand, skus), "Thing", NULL,
                                      g_rand_int_range (rand, 1, 4),
                                      g_rand_int_range (rand, 0, 5000),
                                      g_rand_int_range (rand, 0, 3) == 0 ? 0
                                        : g_rand_int_range (rand, 1, 600) };
        }

      g_snprintf (number, sizeof number, "#%u", 1000 + i);
      order.channel_name = PICK (rand, channel_names);
      order.channel_kind = (PsChannelKind) random_enum (rand, PS_TYPE_CHANNEL_KIND);
      order.order_number = number;
      order.ship_country = MAYBE (rand, countries);
      order.ship_state = MAYBE (rand, states);
      order.ship_postcode = MAYBE (rand, postcodes);
      order.address_issue = g_rand_int_range (rand, 0, 5) == 0;
      order.status = (PsOrderStatus) random_enum (rand, PS_TYPE_ORDER_STATUS);
      order.currency = "USD";
      order.total_minor = g_rand_int_range (rand, 0, 6) == 0 ? 0 : g_rand_int_range (rand, -1000, 20000);
      g_array_append_val (f->totals, order.total_minor);
      order.created_at = random_time (f);
      order.paid_at = maybe_time (f, 0.7);

      id = ps_order_writer_add_order (writer, &order, lines, n_lines, NULL, error);
      if (id == 0)
        goto fail;
      g_array_append_val (ids, id);

      for (guint t = 0; t < n_tags; t++)
        if (!ps_order_writer_add_tag (writer, id, PICK (rand, tag_names), error))
          goto fail;

      if (!add_returns (f, db, id, error))
        goto fail;

      for (guint s = 0; s < n_ships; s++)
        {
          PsShipmentFields shipment = { 0 };

          shipment.order_id = id;
          shipment.carrier = PICK (rand, carriers);
          shipment.service = PICK (rand, services);
          shipment.tracking_status = (PsTrackingStatus) random_enum (rand, PS_TYPE_TRACKING_STATUS);
          shipment.exception_reason = g_rand_boolean (rand) ? PS_EXCEPTION_REASON_NONE
            : (PsExceptionReason) random_enum (rand, PS_TYPE_EXCEPTION_REASON);
          shipment.label_created_at = maybe_time (f, 0.8);
          shipment.first_scan_at = maybe_time (f, 0.5);
          shipment.delivered_at = maybe_time (f, 0.3);
          shipment.estimated_delivery_at = maybe_time (f, 0.5);
          shipment.voided_at = g_rand_int_range (rand, 0, 8) == 0 ? random_time (f) : 0;
          shipment_id = ps_order_writer_add_shipment (writer, &shipment, error);
          if (shipment_id == 0)
            goto fail;

          /* A tracking history: an exception in it now and then, also
           * for shipments without a reason now (delivered since). */
          for (guint e = 0, n_events = g_rand_int_range (rand, 0, 3); e < n_events; e++)
            {
              PsTrackingStatus status = g_rand_int_range (rand, 0, 3) == 0
                ? PS_TRACKING_STATUS_EXCEPTION
                : (PsTrackingStatus) random_enum (rand, PS_TYPE_TRACKING_STATUS);

              if (!ps_order_writer_add_tracking_event (writer, shipment_id, random_time (f), status,
                                                       PS_EXCEPTION_REASON_NONE, NULL, NULL,
                                                       error))
                goto fail;
            }
        }
    }

  if (!ps_database_commit (db, error))
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      PsOrderSnapshot *snapshot =
        ps_order_store_load_snapshot_sync (db, g_array_index (ids, gint64, i), error);

      if (snapshot == NULL)
        return NULL;
      g_ptr_array_add (f->snapshots, snapshot);
    }
  return GINT_TO_POINTER (TRUE);

fail:
  ps_database_rollback (db);
  return NULL;
}

/* Random conditions */

static void
add_value (Fixture          *f,
           JsonBuilder      *b,
           PsConditionField  field,
           PsConditionOp     op)
{
  GRand *rand = f->rand;
  PsConditionValueType type = ps_condition_field_get_value_type (field);

  if (op == PS_CONDITION_OP_OLDER_THAN_DAYS || op == PS_CONDITION_OP_OLDER_THAN_BUSINESS_DAYS ||
      op == PS_CONDITION_OP_WITHIN_DAYS)
    {
      json_builder_add_int_value (b, g_rand_int_range (rand, 0, 20) == 0
                                       ? PS_CONDITION_MAX_DAYS : g_rand_int_range (rand, 0, 11));
      return;
    }

  switch (type)
    {
    case PS_CONDITION_VALUE_STRING:
    case PS_CONDITION_VALUE_STRING_LIST:
      {
        const char *text = NULL;

        /* Whole values of the field's own pool, or probes. */
        while (text == NULL || *text == '\0')
          {
            switch (field)
              {
              case PS_CONDITION_FIELD_CHANNEL: text = PICK (rand, channel_names); break;
              case PS_CONDITION_FIELD_TAGS: text = PICK (rand, tag_names); break;
              case PS_CONDITION_FIELD_SKU: text = PICK (rand, skus); break;
              case PS_CONDITION_FIELD_RETURN_SKU: text = PICK (rand, skus); break;
              case PS_CONDITION_FIELD_CARRIER: text = PICK (rand, carriers); break;
              case PS_CONDITION_FIELD_SERVICE: text = PICK (rand, services); break;
              case PS_CONDITION_FIELD_SHIP_COUNTRY: text = PICK (rand, countries); break;
              case PS_CONDITION_FIELD_SHIP_STATE: text = PICK (rand, states); break;
              case PS_CONDITION_FIELD_SHIP_POSTCODE: text = PICK (rand, postcodes); break;
              case PS_CONDITION_FIELD_STATUS:
              case PS_CONDITION_FIELD_ITEM_COUNT:
              case PS_CONDITION_FIELD_TOTAL:
              case PS_CONDITION_FIELD_WEIGHT:
              case PS_CONDITION_FIELD_CREATED_AT:
              case PS_CONDITION_FIELD_PAID_AT:
              case PS_CONDITION_FIELD_LABEL_CREATED_AT:
              case PS_CONDITION_FIELD_FIRST_SCAN_AT:
              case PS_CONDITION_FIELD_DELIVERED_AT:
              case PS_CONDITION_FIELD_TRACKING_STATUS:
              case PS_CONDITION_FIELD_EXCEPTION_REASON:
              case PS_CONDITION_FIELD_ADDRESS_ISSUE:
              case PS_CONDITION_FIELD_ESTIMATED_DELIVERY_AT:
              case PS_CONDITION_FIELD_HAD_EXCEPTION:
              case PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS:
              case PS_CONDITION_FIELD_RETURN_REQUESTED_AT:
              case PS_CONDITION_FIELD_RETURN_REASON:
              default:
                g_assert_not_reached ();
              }
            if (g_rand_boolean (rand))
              text = PICK (rand, probes);
          }
        json_builder_add_string_value (b, text);
      }
      break;

    case PS_CONDITION_VALUE_ENUM:
      json_builder_add_string_value (b, random_nick (rand, ps_condition_field_get_enum_type (field)));
      break;

    case PS_CONDITION_VALUE_NUMBER:
      if (field == PS_CONDITION_FIELD_LABEL_TO_SCAN_HOURS && g_rand_boolean (rand))
        {
          /* The hours between two times written, now and then exactly
           * some shipment's. */
          gint64 a = g_array_index (f->times, gint64, g_rand_int_range (rand, 0, f->times->len));
          gint64 z = g_array_index (f->times, gint64, g_rand_int_range (rand, 0, f->times->len));

          json_builder_add_double_value (b, (double) MAX (a - z, 0) / 3600.0);
        }
      else if (g_rand_int_range (rand, 0, 4) == 0)
        json_builder_add_double_value (b, g_rand_int_range (rand, 0, 20) / 2.0 + 0.25);
      else
        json_builder_add_int_value (b, g_rand_int_range (rand, 0, 10));
      break;

    case PS_CONDITION_VALUE_MONEY:
      json_builder_add_int_value (b, g_rand_boolean (rand) && f->totals->len > 0
                                       ? g_array_index (f->totals, gint64,
                                                        g_rand_int_range (rand, 0, f->totals->len))
                                       : g_rand_int_range (rand, -1000, 20000));
      break;

    case PS_CONDITION_VALUE_WEIGHT:
      json_builder_add_int_value (b, g_rand_int_range (rand, 0, 4000));
      break;

    case PS_CONDITION_VALUE_TIMESTAMP:
      {
        gint64 t = g_array_index (f->times, gint64, g_rand_int_range (rand, 0, f->times->len));

        t += g_rand_int_range (rand, -1, 2);
        if (g_rand_boolean (rand))
          {
            g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
            g_autoptr(GTimeZone) tz = g_time_zone_new_offset (g_rand_int_range (rand, -12, 13) * 3600);
            g_autoptr(GDateTime) local = g_date_time_to_timezone (dt, tz);
            g_autofree char *iso = g_date_time_format_iso8601 (local);

            json_builder_add_string_value (b, iso);
          }
        else
          json_builder_add_int_value (b, t);
      }
      break;

    case PS_CONDITION_VALUE_BOOLEAN:
      json_builder_add_boolean_value (b, g_rand_boolean (rand));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Where a tree is built: which fields it may test. */
typedef enum
{
  IN_ORDER,
  IN_SHIPMENT,
  IN_RETURN,
} Scope;

static gboolean
field_fits (PsConditionField field,
            Scope            scope)
{
  switch (scope)
    {
    case IN_SHIPMENT:
      return ps_condition_field_is_per_shipment (field);
    case IN_RETURN:
      return ps_condition_field_is_per_return (field);
    case IN_ORDER:
    default:
      return !ps_condition_field_is_per_return (field);
    }
}

/* A leaf on a field that may stand in @scope: not a return field outside
 * a return group, only a shipment's (a return's) inside one. */
static void
build_leaf (Fixture     *f,
            JsonBuilder *b,
            Scope        scope)
{
  GRand *rand = f->rand;
  PsConditionField field;
  PsConditionOp op;

  do
    field = (PsConditionField) g_rand_int_range (rand, 0, PS_CONDITION_FIELD_LAST + 1);
  while (!field_fits (field, scope));
  do
    op = (PsConditionOp) g_rand_int_range (rand, 0, PS_CONDITION_OP_LAST + 1);
  while (!ps_condition_field_accepts_op (field, op));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "field");
  json_builder_add_string_value (b, ps_condition_field_to_nick (field));
  json_builder_set_member_name (b, "op");
  json_builder_add_string_value (b, ps_condition_op_to_nick (op));

  if (op == PS_CONDITION_OP_IS_EMPTY)
    ;
  else if (op == PS_CONDITION_OP_IN)
    {
      guint n = g_rand_int_range (rand, 1, 4);

      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        add_value (f, b, field, op);
      json_builder_end_array (b);
    }
  else if (op == PS_CONDITION_OP_BETWEEN)
    {
      g_autoptr(JsonBuilder) pair = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;
      JsonArray *array;

      /* Two values, low first: try until they come in order. */
      for (;;)
        {
          g_autoptr(PsCondition) probe = NULL;
          g_autofree char *text = NULL;

          g_clear_object (&pair);
          pair = json_builder_new ();
          json_builder_begin_object (pair);
          json_builder_set_member_name (pair, "field");
          json_builder_add_string_value (pair, ps_condition_field_to_nick (field));
          json_builder_set_member_name (pair, "op");
          json_builder_add_string_value (pair, "between");
          json_builder_set_member_name (pair, "value");
          json_builder_begin_array (pair);
          add_value (f, pair, field, op);
          add_value (f, pair, field, op);
          json_builder_end_array (pair);
          json_builder_end_object (pair);
          g_clear_pointer (&node, json_node_unref);
          node = json_builder_get_root (pair);
          /* A leaf alone: a return field would not parse outside its group. */
          probe = ps_condition_new_leaf (field, op,
                                         json_object_get_member (json_node_get_object (node),
                                                                 "value"), NULL);
          if (probe != NULL)
            break;
        }
      array = json_object_get_array_member (json_node_get_object (node), "value");
      json_builder_set_member_name (b, "value");
      json_builder_begin_array (b);
      json_builder_add_value (b, json_node_copy (json_array_get_element (array, 0)));
      json_builder_add_value (b, json_node_copy (json_array_get_element (array, 1)));
      json_builder_end_array (b);
    }
  else
    {
      json_builder_set_member_name (b, "value");
      add_value (f, b, field, op);
    }

  json_builder_end_object (b);
}

/* A random tree; below a shipment (return) group only shipment (return)
 * fields and no other such group. */
static void
build_tree (Fixture     *f,
            JsonBuilder *b,
            guint        depth,
            Scope        scope)
{
  GRand *rand = f->rand;
  Scope inner = scope;

  if (depth >= MAX_DEPTH || g_rand_int_range (rand, 0, 3) == 0)
    {
      /* A leaf outside a return group may still be one of a return's,
       * in a return group of its own. */
      if (scope == IN_ORDER && g_rand_int_range (rand, 0, 6) == 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "return");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, g_rand_boolean (rand) ? "all" : "any");
          json_builder_begin_array (b);
          build_leaf (f, b, IN_RETURN);
          json_builder_end_array (b);
          json_builder_end_object (b);
          json_builder_end_object (b);
          return;
        }
      build_leaf (f, b, scope);
      return;
    }

  json_builder_begin_object (b);
  /* About one group in four outside a shipment or return group is a
   * shipment group, one in five a return group. */
  if (scope == IN_ORDER)
    {
      int pick = g_rand_int_range (rand, 0, 20);

      if (pick < 5)
        inner = IN_SHIPMENT;
      else if (pick < 9)
        inner = IN_RETURN;
    }
  if (inner != scope)
    {
      json_builder_set_member_name (b, inner == IN_SHIPMENT ? "shipment" : "return");
      json_builder_begin_object (b);
    }
  json_builder_set_member_name (b, g_rand_boolean (rand) ? "all" : "any");
  json_builder_begin_array (b);
  for (guint i = 0, n = g_rand_int_range (rand, 0, 5); i < n; i++)
    build_tree (f, b, depth + 1, inner);
  json_builder_end_array (b);
  if (inner != scope)
    json_builder_end_object (b);
  json_builder_end_object (b);
}

/* Whether @condition holds a group of @kind. */
static gboolean
has_group (PsCondition     *condition,
           PsConditionKind  kind)
{
  if (ps_condition_get_kind (condition) == kind)
    return TRUE;
  for (guint i = 0; i < ps_condition_get_n_children (condition); i++)
    if (has_group (ps_condition_get_child (condition, i), kind))
      return TRUE;
  return FALSE;
}

/* The property (worker thread) */

typedef struct
{
  Fixture  *f;
  guint     n_trees;
  guint     n_failed;
  guint     n_nonempty;   /* trees some but not all orders satisfy */
  guint     n_shipment;   /* ... of which with a shipment group */
  guint     n_return;     /* ... of which with a return group */
} Property;

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gpointer
property_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Property *p = data;
  Fixture *f = p->f;
  g_autoptr(GTimeZone) utc_tz = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  GTimeZone *zones[] = { utc_tz, ny, tokyo };
  const gint64 nows[] = {
    BASE_NOW,
    utc (2026, 11, 21, 12, 0),    /* Saturday */
    utc (2026, 11, 23, 0, 0),     /* Monday, midnight */
  };

  for (guint t = 0; t < p->n_trees; t++)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(PsCondition) condition = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GArray) sql_ids = NULL;
      g_autoptr(GArray) mem_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      GTimeZone *tz = zones[t % G_N_ELEMENTS (zones)];
      gint64 now = nows[(t / G_N_ELEMENTS (zones)) % G_N_ELEMENTS (nows)];
      gint64 count;
      gboolean same;

      build_tree (f, b, 0, IN_ORDER);
      root = json_builder_get_root (b);
      condition = ps_condition_from_json (root, &local_error);
      g_assert_no_error (local_error);

      sql_ids = ps_order_store_query_filtered_ids_sync (db, condition, now, tz,
                                                        PS_ORDER_SORT_TOTAL, t % 2, 0, error);
      if (sql_ids == NULL)
        {
          g_autofree char *json = ps_condition_to_string (condition);
          g_printerr ("SQL failed for %s\n", json);
          return NULL;
        }
      count = ps_order_store_count_sync (db, condition, now, tz, error);
      if (count < 0)
        return NULL;
      g_array_sort (sql_ids, compare_ids);

      for (guint i = 0; i < f->snapshots->len; i++)
        {
          const PsOrderSnapshot *snapshot = g_ptr_array_index (f->snapshots, i);

          if (ps_condition_evaluate (condition, snapshot, now, tz))
            g_array_append_val (mem_ids, snapshot->id);
        }
      g_array_sort (mem_ids, compare_ids);

      /* An empty GArray may have no buffer at all: memcmp (NULL, …, 0) is
       * still undefined behaviour. */
      same = sql_ids->len == mem_ids->len && count == (gint64) mem_ids->len &&
             (mem_ids->len == 0 ||
              memcmp (sql_ids->data, mem_ids->data, sizeof (gint64) * mem_ids->len) == 0);
      if (mem_ids->len > 0 && mem_ids->len < f->snapshots->len)
        {
          p->n_nonempty++;
          p->n_shipment += has_group (condition, PS_CONDITION_KIND_SHIPMENT);
          p->n_return += has_group (condition, PS_CONDITION_KIND_RETURN);
        }

      if (!same)
        {
          g_autofree char *json = ps_condition_to_string (condition);
          g_autoptr(PsConditionSql) compiled = ps_condition_sql_compile (condition, now, tz);

          p->n_failed++;
          g_printerr ("MISMATCH (tree %u, now %" G_GINT64_FORMAT ", %s): SQL %u orders "
                      "(count %" G_GINT64_FORMAT "), memory %u orders\n  %s\n  WHERE %s\n",
                      t, now, g_time_zone_get_identifier (tz), sql_ids->len, count,
                      mem_ids->len, json, ps_condition_sql_get_where (compiled));
          for (guint i = 0; i < f->snapshots->len; i++)
            {
              const PsOrderSnapshot *s = g_ptr_array_index (f->snapshots, i);
              gboolean in_sql = bsearch (&s->id, sql_ids->data, sql_ids->len, sizeof (gint64),
                                         compare_ids) != NULL;
              gboolean in_mem = bsearch (&s->id, mem_ids->data, mem_ids->len, sizeof (gint64),
                                         compare_ids) != NULL;

              if (in_sql != in_mem)
                g_printerr ("  order %" G_GINT64_FORMAT ": SQL %d, memory %d\n",
                            s->id, in_sql, in_mem);
            }
          if (p->n_failed >= 10)
            break;
        }
    }
  return GINT_TO_POINTER (TRUE);
}

/* Fixture */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "conditions.db", NULL);
  g_autoptr(GError) error = NULL;
  const char *seed_text = g_getenv ("POSTSALE_TEST_SEED");
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10)
                                   : (guint32) g_test_rand_int ();

  g_test_message ("seed %u (POSTSALE_TEST_SEED=%u replays it)", seed, seed);
  f->rand = g_rand_new_with_seed (seed);
  f->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->totals = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->snapshots = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_order_snapshot_free);

  f->db = ps_database_new (path, NULL, &error);
  g_assert_no_error (error);
  f->store = ps_order_store_new (f->db);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->db);
  g_rand_free (f->rand);
  g_array_unref (f->times);
  g_array_unref (f->totals);
  g_ptr_array_unref (f->snapshots);
}

static void
generate (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (ps_database_run_sync (f->db, generate_job, f, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->snapshots->len, ==, N_ORDERS);
}

/* Tests */

static void
test_property (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *trees = g_getenv ("POSTSALE_TEST_TREES");
  Property p = { f, trees != NULL ? (guint) g_ascii_strtoull (trees, NULL, 10) : N_TREES, 0, 0,
                 0, 0 };

  generate (f);
  g_assert_nonnull (ps_database_run_sync (f->db, property_job, &p, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("%u trees, %u selecting some but not all orders (%u with a shipment group, "
                  "%u with a return group), %u mismatches", p.n_trees, p.n_nonempty, p.n_shipment,
                  p.n_return, p.n_failed);
  g_assert_cmpuint (p.n_failed, ==, 0);
  /* The generator must make trees that discriminate, or the test is
   * vacuous. */
  g_assert_cmpuint (p.n_nonempty, >, p.n_trees / 4);
  g_assert_cmpuint (p.n_shipment, >, p.n_trees / 20);
  g_assert_cmpuint (p.n_return, >, p.n_trees / 20);
}

typedef struct
{
  const char *json;
  gint64      now;
  GArray     *ids;
  PsOrderSnapshot *snapshot;
} QueryJob;

static gpointer
query_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  QueryJob *q = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(PsCondition) condition = ps_condition_from_string (q->json, error);

  if (condition == NULL)
    return NULL;
  q->ids = ps_order_store_query_filtered_ids_sync (db, condition, q->now, tz,
                                                   PS_ORDER_SORT_CREATED, FALSE, 0, error);
  return q->ids;
}

/* A value is never part of the SQL text: hostile text is bound and simply
 * matches nothing; the same shape gives the same statement. */
static void
test_values_are_bound (Fixture       *f,
                       gconstpointer  data)
{
  static const char *hostile = "x' OR 1=1; DROP TABLE orders; --";
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autofree char *json = g_strdup_printf ("{\"any\":[{\"field\":\"channel\",\"op\":\"is\","
                                           "\"value\":\"%s\"},{\"field\":\"tags\",\"op\":"
                                           "\"contains\",\"value\":\"%s\"},{\"field\":\"total\","
                                           "\"op\":\"gt\",\"value\":123456789}]}",
                                           hostile, hostile);
  g_autoptr(PsCondition) condition = ps_condition_from_string (json, NULL);
  g_autoptr(PsCondition) other = ps_condition_from_string ("{\"any\":[{\"field\":\"channel\","
                                                           "\"op\":\"is\",\"value\":\"etsy\"},"
                                                           "{\"field\":\"tags\",\"op\":"
                                                           "\"contains\",\"value\":\"g\"},"
                                                           "{\"field\":\"total\",\"op\":\"gt\","
                                                           "\"value\":5}]}", NULL);
  g_autoptr(PsConditionSql) a = ps_condition_sql_compile (condition, BASE_NOW, tz);
  g_autoptr(PsConditionSql) b = ps_condition_sql_compile (other, BASE_NOW, tz);
  g_autoptr(GError) error = NULL;
  const char *where = ps_condition_sql_get_where (a);
  QueryJob q = { json, BASE_NOW, NULL, NULL };
  guint n_marks = 0;

  g_assert_nonnull (condition);
  g_assert_null (strstr (where, "DROP"));
  g_assert_null (strstr (where, "123456789"));
  g_assert_cmpstr (where, ==, ps_condition_sql_get_where (b));
  for (const char *p = where; *p != '\0'; p++)
    n_marks += *p == '?';
  g_assert_cmpuint (n_marks, ==, ps_condition_sql_get_n_params (a));
  g_assert_cmpuint (ps_condition_sql_get_n_params (a), ==, 3);
  g_assert_cmpint (ps_condition_sql_get_param (a, 0)->type, ==, PS_SQL_PARAM_TEXT);
  g_assert_cmpstr (ps_condition_sql_get_param (a, 0)->text, ==, hostile);
  g_assert_cmpint (ps_condition_sql_get_param (a, 2)->type, ==, PS_SQL_PARAM_INT);
  g_assert_cmpint (ps_condition_sql_get_param (a, 2)->integer, ==, 123456789);

  generate (f);
  g_assert_nonnull (ps_database_run_sync (f->db, query_job, &q, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (q.ids->len, ==, 0);
  g_array_unref (q.ids);

  /* The orders are all still there. */
  q.json = "{\"all\":[]}";
  g_assert_nonnull (ps_database_run_sync (f->db, query_job, &q, NULL, &error));
  g_assert_cmpuint (q.ids->len, ==, N_ORDERS);
  g_array_unref (q.ids);
}

/* Times derived from now are parameters too, computed as documented. */
static void
test_time_params (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(PsCondition) condition = ps_condition_from_string (
    "{\"all\":[{\"field\":\"label_created_at\",\"op\":\"older_than_business_days\",\"value\":2},"
    "{\"field\":\"delivered_at\",\"op\":\"within_days\",\"value\":7},"
    "{\"field\":\"paid_at\",\"op\":\"older_than_days\",\"value\":3}]}", NULL);
  g_autoptr(PsConditionSql) sql = ps_condition_sql_compile (condition, BASE_NOW, tz);

  g_assert_cmpuint (ps_condition_sql_get_n_params (sql), ==, 4);
  g_assert_cmpint (ps_condition_sql_get_param (sql, 0)->integer, ==,
                   ps_time_business_days_ago (BASE_NOW, 2, tz));
  g_assert_cmpint (ps_condition_sql_get_param (sql, 1)->integer, ==, BASE_NOW - 7 * 86400);
  g_assert_cmpint (ps_condition_sql_get_param (sql, 2)->integer, ==, BASE_NOW);
  g_assert_cmpint (ps_condition_sql_get_param (sql, 3)->integer, ==, BASE_NOW - 3 * 86400);
}

static gpointer
snapshot_job (PsDatabase    *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  QueryJob *q = data;
  g_autoptr(PsOrderWriter) writer = NULL;
  PsLineFields lines[] = {
    { "B-2", "Second", NULL, 2, 100, 250 },
    { NULL, "No SKU", NULL, 1, 100, 0 },
    { "A-1", "First", NULL, 1, 100, 100 },
  };
  PsOrderFields order = { 0 };
  PsShipmentFields shipment = { 0 };
  gint64 id, shipment_id;

  if (!ps_database_begin (db, error))
    return NULL;
  writer = ps_order_writer_new (db);
  order.channel_name = "Etsy";
  order.channel_kind = PS_CHANNEL_KIND_ETSY;
  order.order_number = "#1";
  order.ship_country = "US";
  order.ship_postcode = "97201";
  order.address_issue = TRUE;
  order.status = PS_ORDER_STATUS_SHIPPED;
  order.currency = "USD";
  order.total_minor = 4200;
  order.created_at = BASE_NOW - 86400;
  id = ps_order_writer_add_order (writer, &order, lines, G_N_ELEMENTS (lines), NULL, error);
  if (id == 0 ||
      !ps_order_writer_add_tag (writer, id, "vip", error) ||
      !ps_order_writer_add_tag (writer, id, "Gift", error))
    goto fail;
  shipment.order_id = id;
  shipment.carrier = "ups";
  shipment.service = "ground";
  shipment.tracking_status = PS_TRACKING_STATUS_EXCEPTION;
  shipment.exception_reason = PS_EXCEPTION_REASON_DELAY;
  shipment.label_created_at = BASE_NOW - 3600;
  shipment.first_scan_at = BASE_NOW - 60;
  shipment.estimated_delivery_at = BASE_NOW + 86400;
  shipment_id = ps_order_writer_add_shipment (writer, &shipment, error);
  if (shipment_id == 0 ||
      !ps_order_writer_add_tracking_event (writer, shipment_id, BASE_NOW - 30,
                                           PS_TRACKING_STATUS_EXCEPTION,
                                           PS_EXCEPTION_REASON_DELAY, NULL, NULL, error))
    goto fail;
  shipment.carrier = "dhl";
  shipment.voided_at = BASE_NOW;
  if (ps_order_writer_add_shipment (writer, &shipment, error) == 0)
    goto fail;
  if (!ps_database_commit (db, error))
    return NULL;

  q->snapshot = ps_order_store_load_snapshot_sync (db, id, error);
  if (q->snapshot == NULL)
    return NULL;
  /* An id that does not exist is NOT_FOUND. */
  {
    g_autoptr(GError) local_error = NULL;

    g_assert_null (ps_order_store_load_snapshot_sync (db, id + 1000, &local_error));
    g_assert_error (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  }
  return GINT_TO_POINTER (TRUE);

fail:
  ps_database_rollback (db);
  return NULL;
}

static void
test_load_snapshot (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsOrderSnapshot) snapshot = NULL;
  QueryJob q = { NULL, 0, NULL, NULL };
  const PsShipmentSnapshot *s;

  g_assert_nonnull (ps_database_run_sync (f->db, snapshot_job, &q, NULL, &error));
  g_assert_no_error (error);
  snapshot = q.snapshot;
  g_assert_nonnull (snapshot);

  g_assert_cmpstr (snapshot->channel, ==, "Etsy");
  g_assert_cmpint (snapshot->status, ==, PS_ORDER_STATUS_SHIPPED);
  g_assert_cmpuint (snapshot->tags->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (snapshot->tags, 0), ==, "Gift");
  g_assert_cmpstr (g_ptr_array_index (snapshot->tags, 1), ==, "vip");
  g_assert_cmpuint (snapshot->skus->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (snapshot->skus, 0), ==, "B-2");
  g_assert_cmpstr (g_ptr_array_index (snapshot->skus, 1), ==, "A-1");
  g_assert_cmpstr (snapshot->ship_country, ==, "US");
  g_assert_null (snapshot->ship_state);
  g_assert_cmpstr (snapshot->ship_postcode, ==, "97201");
  g_assert_true (snapshot->address_issue);
  g_assert_cmpint (snapshot->item_count, ==, 4);
  g_assert_cmpint (snapshot->weight_grams, ==, 600);
  g_assert_cmpint (snapshot->total_minor, ==, 4200);
  g_assert_cmpint (snapshot->created_at, ==, BASE_NOW - 86400);
  g_assert_cmpint (snapshot->paid_at, ==, 0);

  /* The voided DHL shipment is not part of it. */
  g_assert_cmpuint (ps_order_snapshot_get_n_shipments (snapshot), ==, 1);
  s = ps_order_snapshot_get_shipment (snapshot, 0);
  g_assert_cmpstr (s->carrier, ==, "ups");
  g_assert_cmpint (s->tracking_status, ==, PS_TRACKING_STATUS_EXCEPTION);
  g_assert_cmpint (s->exception_reason, ==, PS_EXCEPTION_REASON_DELAY);
  g_assert_cmpint (s->label_created_at, ==, BASE_NOW - 3600);
  g_assert_cmpint (s->first_scan_at, ==, BASE_NOW - 60);
  g_assert_cmpint (s->delivered_at, ==, 0);
  g_assert_cmpint (s->estimated_delivery_at, ==, BASE_NOW + 86400);
  g_assert_true (s->had_exception);
}

/* The async store API: ids with a condition, a count, a batch of counts. */
static void
async_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(PsCondition) paid = ps_condition_from_string (
    "{\"field\":\"paid_at\",\"op\":\"is_empty\"}", NULL);
  g_autoptr(PsCondition) ups = ps_condition_from_string (
    "{\"field\":\"carrier\",\"op\":\"is\",\"value\":\"ups\"}", NULL);
  g_autoptr(PsCondition) none = ps_condition_from_string ("{\"any\":[]}", NULL);
  g_autoptr(GAsyncResult) r1 = NULL;
  g_autoptr(GAsyncResult) r2 = NULL;
  g_autoptr(GAsyncResult) r3 = NULL;
  g_autoptr(GAsyncResult) r4 = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  PsCondition *conditions[4];
  gint64 count;
  guint n_unpaid = 0, n_ups = 0;
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, BASE_NOW);

  g_setenv ("POSTSALE_NOW", now_text, TRUE);
  generate (f);
  for (guint i = 0; i < f->snapshots->len; i++)
    {
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
      const PsOrderSnapshot *s = g_ptr_array_index (f->snapshots, i);

      n_unpaid += ps_condition_evaluate (paid, s, BASE_NOW, tz);
      n_ups += ps_condition_evaluate (ups, s, BASE_NOW, tz);
    }

  ps_order_store_query_ids_async (f->store, paid, PS_ORDER_SORT_TOTAL, TRUE, 0, NULL,
                                  async_done_cb, &r1);
  ids = ps_order_store_query_ids_finish (f->store, wait_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n_unpaid);

  ps_order_store_query_ids_async (f->store, NULL, PS_ORDER_SORT_CREATED, FALSE, 10, NULL,
                                  async_done_cb, &r4);
  all = ps_order_store_query_ids_finish (f->store, wait_result (&r4), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 10);

  ps_order_store_count_async (f->store, ups, NULL, async_done_cb, &r2);
  count = ps_order_store_count_finish (f->store, wait_result (&r2), &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, n_ups);

  conditions[0] = paid;
  conditions[1] = ups;
  conditions[2] = none;
  conditions[3] = NULL;
  ps_order_store_count_many_async (f->store, conditions, 4, NULL, async_done_cb, &r3);
  counts = ps_order_store_count_many_finish (f->store, wait_result (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts->len, ==, 4);
  g_assert_cmpint (g_array_index (counts, gint64, 0), ==, n_unpaid);
  g_assert_cmpint (g_array_index (counts, gint64, 1), ==, n_ups);
  g_assert_cmpint (g_array_index (counts, gint64, 2), ==, 0);
  g_assert_cmpint (g_array_index (counts, gint64, 3), ==, N_ORDERS);

  /* A cancelled batch reports cancellation, not counts. */
  g_clear_object (&r3);
  g_cancellable_cancel (cancelled);
  ps_order_store_count_many_async (f->store, conditions, 4, cancelled, async_done_cb, &r3);
  g_assert_null (ps_order_store_count_many_finish (f->store, wait_result (&r3), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_unsetenv ("POSTSALE_NOW");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/store/condition-sql/property", Fixture, NULL,
              fixture_setup, test_property, fixture_teardown);
  g_test_add ("/store/condition-sql/values-are-bound", Fixture, NULL,
              fixture_setup, test_values_are_bound, fixture_teardown);
  g_test_add_func ("/store/condition-sql/time-params", test_time_params);
  g_test_add ("/store/condition-sql/load-snapshot", Fixture, NULL,
              fixture_setup, test_load_snapshot, fixture_teardown);
  g_test_add ("/store/condition-sql/async", Fixture, NULL,
              fixture_setup, test_async, fixture_teardown);

  return g_test_run ();
}
