/* test-rule-engine.c: the rule model and the pure engine, table-driven
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-rule-engine.h"
#include "ps-rule.h"
#include "ps-time.h"

#define NOW ((gint64) 1767225600)   /* Thursday 2026-01-01 00:00 UTC */

/* JSON round trip */

static const char * const round_trips[] = {
  "{\"name\":\"A\",\"trigger\":\"tracking.status_changed\",\"enabled\":false,"
  "\"event_conditions\":[{\"field\":\"to\",\"op\":\"is\",\"value\":\"exception\"},"
  "{\"field\":\"reason\",\"op\":\"in\",\"value\":[\"delay\",\"lost\"]}],"
  "\"condition\":{\"all\":[{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}]},"
  "\"actions\":[{\"type\":\"send_email\",\"template\":\"delay\",\"to\":\"a@b.example\"},"
  "{\"type\":\"set_status\",\"status\":\"exception\"},{\"type\":\"add_tag\",\"tag\":\"x\"},"
  "{\"type\":\"remove_tag\",\"tag\":\"y\"},{\"type\":\"set_priority\",\"priority\":\"high\"},"
  "{\"type\":\"hold_until\",\"days\":3},{\"type\":\"hold_until\",\"date\":\"2026-03-01\"},"
  "{\"type\":\"add_note\",\"text\":\"n\"},{\"type\":\"notify\",\"address\":\"boss\",\"message\":\"m\"},"
  "{\"type\":\"select_service\",\"strategy\":\"cheapest_within_days\",\"days\":3},"
  "{\"type\":\"select_service\",\"strategy\":\"fixed\",\"carrier\":\"ups\",\"service\":\"ground\"},"
  "{\"type\":\"stop_processing\"}]}",
  "{\"name\":\"T\",\"trigger\":\"time\",\"enabled\":true,"
  "\"condition\":{\"all\":[{\"field\":\"label_created_at\",\"op\":\"older_than_business_days\","
  "\"value\":2}]},\"actions\":[{\"type\":\"add_tag\",\"tag\":\"late\"}],\"repeat_after_days\":7}",
};

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (round_trips); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PsRule) rule = ps_rule_from_string (round_trips[i], &error);
      g_autoptr(PsRule) again = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      text = ps_rule_to_string (rule);
      g_assert_cmpstr (text, ==, round_trips[i]);
      again = ps_rule_from_string (text, &error);
      g_assert_no_error (error);
      g_assert_true (ps_rule_equal (rule, again));
    }
}

/* Validation: each bad rule, its error code and the JSON Pointer named. */
static const struct
{
  const char  *json;
  PsRuleError  code;
  const char  *path;
} invalid[] = {
  { "[]", PS_RULE_ERROR_PARSE, "" },
  { "{\"trigger\":\"time\",\"actions\":[]}", PS_RULE_ERROR_MISSING, "/name" },
  { "{\"name\":\"a\",\"trigger\":\"order.exploded\",\"actions\":[]}", PS_RULE_ERROR_BAD_VALUE,
    "/trigger" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[]}", PS_RULE_ERROR_NO_ACTIONS, "/actions" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"colour\":1,\"actions\":[]}",
    PS_RULE_ERROR_UNKNOWN_MEMBER, "" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"send_email\"}]}",
    PS_RULE_ERROR_MISSING, "/actions/0" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"add_tag\",\"tag\":\"a\"},"
    "{\"type\":\"set_status\",\"status\":\"lost\"}]}", PS_RULE_ERROR_BAD_VALUE, "/actions/1" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"teleport\"}]}",
    PS_RULE_ERROR_BAD_VALUE, "/actions/0" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"add_tag\",\"tag\":\"a\","
    "\"status\":\"x\"}]}", PS_RULE_ERROR_UNKNOWN_MEMBER, "/actions/0" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"hold_until\"}]}",
    PS_RULE_ERROR_MISSING, "/actions/0" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"actions\":[{\"type\":\"select_service\","
    "\"strategy\":\"fixed\",\"carrier\":\"ups\"}]}", PS_RULE_ERROR_MISSING, "/actions/0" },
  { "{\"name\":\"a\",\"trigger\":\"time\",\"condition\":{\"field\":\"colour\",\"op\":\"is\","
    "\"value\":\"red\"},\"actions\":[{\"type\":\"stop_processing\"}]}", PS_RULE_ERROR_CONDITION,
    "/condition" },
  { "{\"name\":\"a\",\"trigger\":\"tracking.status_changed\",\"event_conditions\":"
    "[{\"field\":\"to\",\"op\":\"is\",\"value\":\"teleported\"}],"
    "\"actions\":[{\"type\":\"stop_processing\"}]}", PS_RULE_ERROR_BAD_VALUE,
    "/event_conditions/0/value" },
  { "{\"name\":\"a\",\"trigger\":\"order.imported\",\"event_conditions\":"
    "[{\"field\":\"to\",\"op\":\"is\",\"value\":\"shipped\"}],"
    "\"actions\":[{\"type\":\"stop_processing\"}]}", PS_RULE_ERROR_BAD_VALUE, "/event_conditions" },
  { "{\"name\":\"a\",\"trigger\":\"order.imported\",\"repeat_after_days\":3,"
    "\"actions\":[{\"type\":\"stop_processing\"}]}", PS_RULE_ERROR_BAD_VALUE, "/repeat_after_days" },
};

static void
test_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PsRule) rule = ps_rule_from_string (invalid[i].json, &error);

      g_test_message ("%s", invalid[i].json);
      g_assert_null (rule);
      g_assert_error (error, PS_RULE_ERROR, (int) invalid[i].code);
      if (*invalid[i].path != '\0')
        g_assert_true (g_str_has_prefix (error->message, invalid[i].path));
    }
}

static void
test_templates (void)
{
  g_autoptr(GPtrArray) templates = ps_rule_templates ();

  g_assert_cmpuint (templates->len, ==, 3);
  for (guint i = 0; i < templates->len; i++)
    {
      PsRule *rule = g_ptr_array_index (templates, i);

      g_assert_false (ps_rule_get_enabled (rule));
      g_assert_true (ps_rule_validate (rule, NULL));
    }
  g_assert_cmpint (ps_rule_get_trigger (g_ptr_array_index (templates, 1)), ==,
                   PS_EVENT_TYPE_TIME);
  g_assert_true (ps_rule_has_time_conditions (g_ptr_array_index (templates, 1)));
  g_assert_cmpstr (ps_rule_get_action (g_ptr_array_index (templates, 0), 0)->template_name, ==,
                   "delay");
}

/* The engine: each case is rules, an event, an order, and the expected
 * firing rules (by name, in order) with the cut ones marked "!". */

typedef struct
{
  const char  *name;
  const char  *rules[4];
  PsEventType  type;
  const char  *data;       /* event data JSON */
  const char  *channel;
  int          items;
  gint64       label_age;  /* seconds; 0 for no shipment */
  const char  *expected;   /* "A,B", "" for none */
} EngineCase;

#define RULE(name, trigger, extra, actions) \
  "{\"name\":\"" name "\",\"trigger\":\"" trigger "\"" extra ",\"actions\":[" actions "]}"
#define TAG "{\"type\":\"add_tag\",\"tag\":\"t\"}"
#define STOP "{\"type\":\"stop_processing\"}"
#define TO_EXC ",\"event_conditions\":[{\"field\":\"to\",\"op\":\"is\",\"value\":\"exception\"}]"
#define SHOPIFY ",\"condition\":{\"field\":\"channel\",\"op\":\"is\",\"value\":\"shopify\"}"
#define BIG ",\"condition\":{\"field\":\"item_count\",\"op\":\"gt\",\"value\":3}"
#define LATE ",\"condition\":{\"all\":[{\"field\":\"tracking_status\",\"op\":\"is\"," \
  "\"value\":\"pre_transit\"},{\"field\":\"label_created_at\",\"op\":\"older_than_business_days\"," \
  "\"value\":2}]}"

static const EngineCase engine_cases[] = {
  { "trigger-mismatch", { RULE ("A", "order.imported", "", TAG) },
    PS_EVENT_TYPE_ORDER_UPDATED, NULL, "shopify", 1, 0, "" },
  { "trigger-match", { RULE ("A", "order.imported", "", TAG) },
    PS_EVENT_TYPE_ORDER_IMPORTED, NULL, "shopify", 1, 0, "A" },
  { "event-to-holds", { RULE ("A", "tracking.status_changed", TO_EXC, TAG) },
    PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, "{\"from\":\"in_transit\",\"to\":\"exception\"}",
    "etsy", 1, 0, "A" },
  { "event-to-fails", { RULE ("A", "tracking.status_changed", TO_EXC, TAG) },
    PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, "{\"from\":\"pre_transit\",\"to\":\"in_transit\"}",
    "etsy", 1, 0, "" },
  { "event-and-order", { RULE ("A", "tracking.status_changed", TO_EXC SHOPIFY, TAG) },
    PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, "{\"to\":\"exception\"}", "etsy", 1, 0, "" },
  { "order-condition", { RULE ("A", "order.imported", BIG, TAG), RULE ("B", "order.imported",
                                                                           SHOPIFY, TAG) },
    PS_EVENT_TYPE_ORDER_IMPORTED, NULL, "shopify", 4, 0, "A,B" },
  { "order-condition-fails", { RULE ("A", "order.imported", BIG, TAG) },
    PS_EVENT_TYPE_ORDER_IMPORTED, NULL, "shopify", 3, 0, "" },
  { "stop-processing", { RULE ("A", "order.imported", "", TAG "," STOP),
                         RULE ("B", "order.imported", "", TAG) },
    PS_EVENT_TYPE_ORDER_IMPORTED, NULL, "shopify", 1, 0, "A" },
  { "stop-only-when-fired", { RULE ("A", "order.imported", BIG, STOP),
                              RULE ("B", "order.imported", "", TAG) },
    PS_EVENT_TYPE_ORDER_IMPORTED, NULL, "shopify", 1, 0, "B" },
  { "chain-below-bound", { RULE ("A", "order.updated", "", TAG) },
    PS_EVENT_TYPE_ORDER_UPDATED, "{\"depth\":4}", "shopify", 1, 0, "A" },
  { "chain-cut", { RULE ("A", "order.updated", "", TAG) },
    PS_EVENT_TYPE_ORDER_UPDATED, "{\"depth\":5}", "shopify", 1, 0, "!A" },
  { "time-late", { RULE ("L", "time", LATE, TAG) },
    PS_EVENT_TYPE_TIME, NULL, "shopify", 1, 6 * 86400, "L" },
  { "time-not-yet", { RULE ("L", "time", LATE, TAG) },
    PS_EVENT_TYPE_TIME, NULL, "shopify", 1, 86400, "" },
  { "reason-in", { RULE ("R", "tracking.status_changed",
                         ",\"event_conditions\":[{\"field\":\"reason\",\"op\":\"in\","
                         "\"value\":[\"lost\",\"damaged\"]}]", TAG) },
    PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, "{\"to\":\"exception\",\"reason\":\"lost\"}",
    "etsy", 1, 0, "R" },
  { "reason-is-not-none", { RULE ("R", "tracking.status_changed",
                                  ",\"event_conditions\":[{\"field\":\"reason\",\"op\":\"is_not\","
                                  "\"value\":\"none\"}]", TAG) },
    PS_EVENT_TYPE_TRACKING_STATUS_CHANGED, "{\"to\":\"delivered\"}", "etsy", 1, 0, "" },
};

static void
test_engine_case (gconstpointer data)
{
  const EngineCase *c = data;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify) ps_rule_unref);
  g_autoptr(PsOrderSnapshot) order = ps_order_snapshot_new ();
  g_autoptr(PsRuleEvent) event = ps_rule_event_new (c->type, NOW, 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) proposals = NULL;
  g_autoptr(GString) got = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (c->rules) && c->rules[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      PsRule *rule = ps_rule_from_string (c->rules[i], &error);

      g_assert_no_error (error);
      ps_rule_set_id (rule, i + 1);
      g_ptr_array_add (rules, rule);
    }
  order->id = 1;
  ps_order_snapshot_set_channel (order, c->channel);
  order->item_count = c->items;
  order->created_at = NOW - 30 * 86400;
  if (c->label_age != 0)
    {
      PsShipmentSnapshot shipment = { 0 };

      shipment.tracking_status = PS_TRACKING_STATUS_PRE_TRANSIT;
      shipment.label_created_at = NOW - c->label_age;
      ps_order_snapshot_add_shipment (order, &shipment);
    }
  ps_rule_event_set_data (event, c->data);

  proposals = ps_rule_engine_evaluate ((PsRule * const *) rules->pdata, rules->len, event, order,
                                       NOW, tz);
  for (guint i = 0; i < proposals->len; i++)
    {
      const PsRuleProposal *p = g_ptr_array_index (proposals, i);

      if (i > 0)
        g_string_append_c (got, ',');
      if (p->outcome == PS_RULE_OUTCOME_CUT)
        g_string_append_c (got, '!');
      g_string_append (got, ps_rule_get_name (p->rule));
      /* Every proposal says why, and never lists stop_processing. */
      if (ps_rule_get_condition (p->rule) != NULL || ps_rule_get_n_event_conditions (p->rule) > 0)
        g_assert_cmpuint (p->reasons->len, >, 0);
      for (guint a = 0; a < p->actions->len; a++)
        g_assert_cmpint (((PsRuleAction *) g_ptr_array_index (p->actions, a))->type, !=,
                         PS_RULE_ACTION_STOP_PROCESSING);
    }
  g_assert_cmpstr (got->str, ==, c->expected);
}

static void
test_reasons (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRule) rule = ps_rule_from_string (
    RULE ("A", "order.imported",
          ",\"condition\":{\"any\":[{\"field\":\"item_count\",\"op\":\"gt\",\"value\":3},"
          "{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}]}", TAG), &error);
  g_autoptr(PsOrderSnapshot) order = ps_order_snapshot_new ();
  g_autoptr(PsRuleEvent) event = ps_rule_event_new (PS_EVENT_TYPE_ORDER_IMPORTED, NOW, 1);
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GPtrArray) proposals = NULL;
  const PsRuleProposal *p;

  g_assert_no_error (error);
  ps_order_snapshot_set_channel (order, "Etsy");
  order->item_count = 1;
  proposals = ps_rule_engine_evaluate (&rule, 1, event, order, NOW, tz);
  g_assert_cmpuint (proposals->len, ==, 1);
  p = g_ptr_array_index (proposals, 0);
  /* Only the branch of the "any" that held. */
  g_assert_cmpuint (p->reasons->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (p->reasons, 0), ==,
                   "{\"field\":\"channel\",\"op\":\"is\",\"value\":\"etsy\"}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/automation/rule/round-trip", test_round_trip);
  g_test_add_func ("/automation/rule/invalid", test_invalid);
  g_test_add_func ("/automation/rule/templates", test_templates);
  g_test_add_func ("/automation/engine/reasons", test_reasons);
  for (guint i = 0; i < G_N_ELEMENTS (engine_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/automation/engine/%s", engine_cases[i].name);

      g_test_add_data_func (path, &engine_cases[i], test_engine_case);
    }

  return g_test_run ();
}
