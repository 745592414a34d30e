/* test-condition-eval.c: every field and operator evaluated in memory
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Table-driven: four orders (a full one with two shipments, a bare one
 * with nothing set, a blank one with empty strings and boundary times,
 * and one whose only exception is in its tracking history), with returns
 * (two on the full one, one without SKUs, one with a blank SKU), and, per
 * field and
 * operator, what each condition must say about them. The SQL compiler is
 * held to the same answers by tests/store/test-condition-sql.c.
 */

#define G_LOG_DOMAIN "test-condition-eval"

#include "config.h"

#include "ps-condition-eval.h"
#include "ps-time.h"

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt);
}

/* Wednesday 2026-11-18 11:00 UTC. */
#define NOW utc (2026, 11, 18, 11, 0)

typedef enum
{
  FULL,
  BARE,
  BLANK,
  HISTORY,
  N_ORDERS
} OrderName;

static PsOrderSnapshot *orders[N_ORDERS];

static void
make_orders (void)
{
  PsOrderSnapshot *o;
  PsShipmentSnapshot s;
  PsReturnSnapshot *r;

  /* FULL: everything set, two shipments. */
  o = orders[FULL] = ps_order_snapshot_new ();
  o->id = 1;
  ps_order_snapshot_set_channel (o, "Etsy");
  o->status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  ps_order_snapshot_add_tag (o, "Gift");
  ps_order_snapshot_add_tag (o, "vip");
  ps_order_snapshot_add_sku (o, "MUG-01");
  ps_order_snapshot_add_sku (o, "TEE-M");
  ps_order_snapshot_set_address (o, "US", "OR", "97201");
  o->address_issue = TRUE;
  o->item_count = 4;
  o->total_minor = 12345;
  o->weight_grams = 900;
  o->created_at = utc (2026, 11, 15, 9, 0);     /* Sunday */
  o->paid_at = utc (2026, 11, 16, 10, 0);       /* Monday */
  s = (PsShipmentSnapshot) { (char *) "ups", (char *) "ground", PS_TRACKING_STATUS_PRE_TRANSIT,
                             PS_EXCEPTION_REASON_NONE, utc (2026, 11, 16, 10, 0), 0, 0,
                             utc (2026, 11, 20, 20, 0), FALSE };
  ps_order_snapshot_add_shipment (o, &s);
  s = (PsShipmentSnapshot) { (char *) "usps", (char *) "priority", PS_TRACKING_STATUS_EXCEPTION,
                             PS_EXCEPTION_REASON_ADDRESS_ISSUE, utc (2026, 11, 12, 8, 0),
                             utc (2026, 11, 12, 18, 0), 0, 0, FALSE };
  ps_order_snapshot_add_shipment (o, &s);
  r = ps_order_snapshot_add_return (o, PS_RETURN_REASON_DAMAGED, utc (2026, 11, 17, 10, 0));
  ps_order_snapshot_add_return_sku (r, "MUG-01");
  r = ps_order_snapshot_add_return (o, PS_RETURN_REASON_WRONG_SIZE, utc (2026, 11, 10, 9, 0));
  ps_order_snapshot_add_return_sku (r, "TEE-M");
  ps_order_snapshot_add_return_sku (r, "MUG-01");

  /* BARE: nothing set that can be missing. */
  o = orders[BARE] = ps_order_snapshot_new ();
  o->id = 2;
  ps_order_snapshot_set_channel (o, "Shopify");
  o->status = PS_ORDER_STATUS_CANCELLED;
  o->created_at = utc (2026, 8, 1, 12, 0);

  /* BLANK: empty strings, a negative total, times on the boundaries. */
  o = orders[BLANK] = ps_order_snapshot_new ();
  o->id = 3;
  ps_order_snapshot_set_channel (o, "");
  o->status = PS_ORDER_STATUS_ON_HOLD;
  ps_order_snapshot_add_tag (o, "");
  ps_order_snapshot_add_sku (o, "");
  ps_order_snapshot_set_address (o, "", "", "");
  o->item_count = 1;
  o->total_minor = -500;
  o->created_at = NOW;
  s = (PsShipmentSnapshot) { (char *) "", (char *) "", PS_TRACKING_STATUS_UNKNOWN,
                             PS_EXCEPTION_REASON_NONE, 0, 0, NOW - 7 * PS_SECONDS_PER_DAY };
  ps_order_snapshot_add_shipment (o, &s);
  r = ps_order_snapshot_add_return (o, PS_RETURN_REASON_OTHER, NOW);
  ps_order_snapshot_add_return_sku (r, "");

  /* HISTORY: delivered, with an exception on the way (no reason now). */
  o = orders[HISTORY] = ps_order_snapshot_new ();
  o->id = 4;
  ps_order_snapshot_set_channel (o, "Etsy");
  o->status = PS_ORDER_STATUS_DELIVERED;
  o->created_at = utc (2026, 11, 1, 12, 0);
  s = (PsShipmentSnapshot) { (char *) "fedex", (char *) "ground", PS_TRACKING_STATUS_DELIVERED,
                             PS_EXCEPTION_REASON_NONE, utc (2026, 11, 2, 9, 0),
                             utc (2026, 11, 2, 17, 0), utc (2026, 11, 6, 12, 0),
                             utc (2026, 11, 5, 20, 0), TRUE };
  ps_order_snapshot_add_shipment (o, &s);
  ps_order_snapshot_add_return (o, PS_RETURN_REASON_CHANGED_MIND, utc (2026, 11, 8, 12, 0));
}

typedef struct
{
  OrderName   order;
  const char *condition;
  gboolean    expected;
} Case;

#define C(field, op, value) "{\"field\":\"" field "\",\"op\":\"" op "\",\"value\":" value "}"
#define E(field, op) "{\"field\":\"" field "\",\"op\":\"" op "\"}"
/* A return group: one return passes every test inside. */
#define R(tests) "{\"return\":{\"all\":[" tests "]}}"

static const Case cases[] = {
  /* channel: the name, ignoring ASCII case */
  { FULL, C ("channel", "is", "\"etsy\""), TRUE },
  { FULL, C ("channel", "is", "\"ETSY\""), TRUE },
  { FULL, C ("channel", "is", "\"Ets\""), FALSE },
  { FULL, C ("channel", "is_not", "\"etsy\""), FALSE },
  { BARE, C ("channel", "is_not", "\"etsy\""), TRUE },
  { BLANK, C ("channel", "is_not", "\"etsy\""), TRUE },
  { FULL, C ("channel", "in", "[\"amazon\",\"Etsy\"]"), TRUE },
  { BARE, C ("channel", "in", "[\"amazon\",\"etsy\"]"), FALSE },
  { FULL, C ("channel", "contains", "\"TS\""), TRUE },
  { FULL, C ("channel", "starts_with", "\"et\""), TRUE },
  { FULL, C ("channel", "starts_with", "\"sy\""), FALSE },
  { BLANK, C ("channel", "contains", "\"a\""), FALSE },
  { FULL, E ("channel", "is_empty"), FALSE },
  { BLANK, E ("channel", "is_empty"), TRUE },

  /* status: an enum nick, always set */
  { FULL, C ("status", "is", "\"awaiting_shipment\""), TRUE },
  { BARE, C ("status", "is", "\"awaiting_shipment\""), FALSE },
  { FULL, C ("status", "is_not", "\"awaiting_shipment\""), FALSE },
  { BARE, C ("status", "is_not", "\"awaiting_shipment\""), TRUE },
  { BARE, C ("status", "in", "[\"on_hold\",\"cancelled\"]"), TRUE },
  { FULL, C ("status", "in", "[\"on_hold\",\"cancelled\"]"), FALSE },
  { FULL, E ("status", "is_empty"), FALSE },
  { BARE, E ("status", "is_empty"), FALSE },

  /* tags: any tag passes; is_not and is_empty: no tag */
  { FULL, C ("tags", "is", "\"gift\""), TRUE },
  { FULL, C ("tags", "is", "\"rush\""), FALSE },
  { FULL, C ("tags", "is_not", "\"GIFT\""), FALSE },
  { FULL, C ("tags", "is_not", "\"rush\""), TRUE },
  { BARE, C ("tags", "is_not", "\"gift\""), TRUE },
  { FULL, C ("tags", "in", "[\"rush\",\"VIP\"]"), TRUE },
  { BARE, C ("tags", "in", "[\"rush\",\"vip\"]"), FALSE },
  { FULL, C ("tags", "contains", "\"IF\""), TRUE },
  { FULL, C ("tags", "starts_with", "\"vi\""), TRUE },
  { FULL, C ("tags", "starts_with", "\"ip\""), FALSE },
  { FULL, E ("tags", "is_empty"), FALSE },
  { BARE, E ("tags", "is_empty"), TRUE },
  { BLANK, E ("tags", "is_empty"), TRUE },

  /* carrier and service: any shipment */
  { FULL, C ("carrier", "is", "\"UPS\""), TRUE },
  { FULL, C ("carrier", "is", "\"dhl\""), FALSE },
  { FULL, C ("carrier", "is_not", "\"ups\""), FALSE },
  { FULL, C ("carrier", "is_not", "\"dhl\""), TRUE },
  { BARE, C ("carrier", "is_not", "\"ups\""), TRUE },
  { BLANK, C ("carrier", "is_not", "\"ups\""), TRUE },
  { FULL, C ("carrier", "in", "[\"dhl\",\"usps\"]"), TRUE },
  { BARE, C ("carrier", "in", "[\"dhl\",\"usps\"]"), FALSE },
  { FULL, C ("carrier", "contains", "\"sp\""), TRUE },
  { FULL, C ("carrier", "starts_with", "\"Us\""), TRUE },
  { FULL, E ("carrier", "is_empty"), FALSE },
  { BARE, E ("carrier", "is_empty"), TRUE },
  { BLANK, E ("carrier", "is_empty"), TRUE },
  { FULL, C ("service", "is", "\"ground\""), TRUE },
  { FULL, C ("service", "contains", "\"PRIO\""), TRUE },
  { FULL, C ("service", "starts_with", "\"Gro\""), TRUE },
  { FULL, C ("service", "starts_with", "\"round\""), FALSE },
  { BLANK, C ("service", "contains", "\"g\""), FALSE },
  { FULL, C ("service", "is_not", "\"Priority\""), FALSE },
  { BLANK, C ("service", "is_not", "\"priority\""), TRUE },
  { FULL, C ("service", "in", "[\"express\",\"GROUND\"]"), TRUE },
  { BARE, E ("service", "is_empty"), TRUE },
  { BLANK, E ("service", "is_empty"), TRUE },

  /* the ship-to address: one value, maybe missing or "" */
  { FULL, C ("ship_country", "is", "\"us\""), TRUE },
  { FULL, C ("ship_country", "is_not", "\"US\""), FALSE },
  { FULL, C ("ship_country", "is_not", "\"CA\""), TRUE },
  { BARE, C ("ship_country", "is_not", "\"US\""), TRUE },
  { BLANK, C ("ship_country", "is_not", "\"US\""), TRUE },
  { FULL, C ("ship_country", "in", "[\"ca\",\"us\"]"), TRUE },
  { BARE, C ("ship_country", "in", "[\"ca\",\"us\"]"), FALSE },
  { FULL, C ("ship_country", "contains", "\"S\""), TRUE },
  { FULL, C ("ship_country", "starts_with", "\"u\""), TRUE },
  { FULL, E ("ship_country", "is_empty"), FALSE },
  { BARE, E ("ship_country", "is_empty"), TRUE },
  { BLANK, E ("ship_country", "is_empty"), TRUE },
  { FULL, C ("ship_state", "is", "\"or\""), TRUE },
  { FULL, C ("ship_state", "is_not", "\"wa\""), TRUE },
  { FULL, C ("ship_state", "in", "[\"WA\",\"ID\"]"), FALSE },
  { FULL, C ("ship_state", "starts_with", "\"O\""), TRUE },
  { BARE, C ("ship_state", "contains", "\"O\""), FALSE },
  { BLANK, E ("ship_state", "is_empty"), TRUE },
  { FULL, C ("ship_postcode", "is", "\"97201\""), TRUE },
  { FULL, C ("ship_postcode", "is_not", "\"97201\""), FALSE },
  { BARE, C ("ship_postcode", "is_not", "\"97201\""), TRUE },
  { FULL, C ("ship_postcode", "in", "[\"97201\",\"10001\"]"), TRUE },
  { FULL, C ("ship_postcode", "starts_with", "\"972\""), TRUE },
  { FULL, C ("ship_postcode", "contains", "\"20\""), TRUE },
  { FULL, C ("ship_postcode", "contains", "\"202\""), FALSE },
  { BARE, E ("ship_postcode", "is_empty"), TRUE },

  /* item_count: a number; the value may have a fraction; 0 is empty */
  { FULL, C ("item_count", "is", "4"), TRUE },
  { FULL, C ("item_count", "is", "4.0"), TRUE },
  { FULL, C ("item_count", "is", "3"), FALSE },
  { FULL, C ("item_count", "is_not", "4"), FALSE },
  { FULL, C ("item_count", "is_not", "3"), TRUE },
  { FULL, C ("item_count", "gt", "3"), TRUE },
  { FULL, C ("item_count", "gt", "3.5"), TRUE },
  { FULL, C ("item_count", "gt", "4"), FALSE },
  { FULL, C ("item_count", "lt", "5"), TRUE },
  { FULL, C ("item_count", "lt", "4"), FALSE },
  { FULL, C ("item_count", "between", "[4,4]"), TRUE },
  { FULL, C ("item_count", "between", "[1,3]"), FALSE },
  { FULL, C ("item_count", "between", "[3.5,4.5]"), TRUE },
  { FULL, E ("item_count", "is_empty"), FALSE },
  { BARE, E ("item_count", "is_empty"), TRUE },

  /* sku: any line item, compared exactly */
  { FULL, C ("sku", "is", "\"MUG-01\""), TRUE },
  { FULL, C ("sku", "is", "\"mug-01\""), FALSE },
  { FULL, C ("sku", "is_not", "\"MUG-01\""), FALSE },
  { FULL, C ("sku", "is_not", "\"mug-01\""), TRUE },
  { BARE, C ("sku", "is_not", "\"MUG-01\""), TRUE },
  { FULL, C ("sku", "in", "[\"X\",\"TEE-M\"]"), TRUE },
  { FULL, C ("sku", "in", "[\"X\",\"tee-m\"]"), FALSE },
  { FULL, C ("sku", "contains", "\"UG\""), TRUE },
  { FULL, C ("sku", "contains", "\"ug\""), FALSE },
  { FULL, C ("sku", "starts_with", "\"TEE\""), TRUE },
  { FULL, C ("sku", "starts_with", "\"tee\""), FALSE },
  { FULL, E ("sku", "is_empty"), FALSE },
  { BARE, E ("sku", "is_empty"), TRUE },
  { BLANK, E ("sku", "is_empty"), TRUE },

  /* total and weight: integers; 0 is empty */
  { FULL, C ("total", "is", "12345"), TRUE },
  { FULL, C ("total", "is_not", "12345"), FALSE },
  { FULL, C ("total", "gt", "12344"), TRUE },
  { FULL, C ("total", "gt", "12345"), FALSE },
  { BLANK, C ("total", "lt", "0"), TRUE },
  { BLANK, C ("total", "between", "[-1000,0]"), TRUE },
  { FULL, C ("total", "between", "[-1000,0]"), FALSE },
  { BARE, E ("total", "is_empty"), TRUE },
  { BLANK, E ("total", "is_empty"), FALSE },
  { FULL, C ("weight", "is", "900"), TRUE },
  { FULL, C ("weight", "between", "[0,900]"), TRUE },
  { FULL, C ("weight", "lt", "900"), FALSE },
  { FULL, C ("weight", "gt", "899"), TRUE },
  { FULL, C ("weight", "is_not", "900"), FALSE },
  { BARE, C ("weight", "is_not", "900"), TRUE },
  { BARE, E ("weight", "is_empty"), TRUE },
  { FULL, E ("weight", "is_empty"), FALSE },

  /* created_at: always set; Sunday 09:00, 3 days 2 hours before NOW */
  { FULL, C ("created_at", "gt", "\"2026-11-15T08:59:59Z\""), TRUE },
  { FULL, C ("created_at", "gt", "\"2026-11-15T09:00:00Z\""), FALSE },
  { FULL, C ("created_at", "lt", "\"2026-11-15T10:00:00+01:00\""), FALSE },
  { FULL, C ("created_at", "lt", "\"2026-11-15T10:00:01+01:00\""), TRUE },
  { FULL, C ("created_at", "between", "[\"2026-11-15T00:00:00Z\",\"2026-11-15T23:59:59Z\"]"), TRUE },
  { BARE, C ("created_at", "between", "[\"2026-11-15T00:00:00Z\",\"2026-11-15T23:59:59Z\"]"), FALSE },
  { FULL, E ("created_at", "is_empty"), FALSE },
  { FULL, C ("created_at", "older_than_days", "3"), TRUE },
  { FULL, C ("created_at", "older_than_days", "4"), FALSE },
  { FULL, C ("created_at", "within_days", "3"), FALSE },
  { FULL, C ("created_at", "within_days", "4"), TRUE },
  /* BLANK was created exactly now. */
  { BLANK, C ("created_at", "within_days", "0"), TRUE },
  { BLANK, C ("created_at", "older_than_days", "0"), FALSE },
  { BLANK, C ("created_at", "older_than_business_days", "0"), FALSE },

  /* paid_at: Monday 10:00, or not paid */
  { FULL, E ("paid_at", "is_empty"), FALSE },
  { BARE, E ("paid_at", "is_empty"), TRUE },
  { BARE, C ("paid_at", "lt", "\"2030-01-01T00:00:00Z\""), FALSE },
  { BARE, C ("paid_at", "older_than_days", "0"), FALSE },
  { BARE, C ("paid_at", "older_than_business_days", "0"), FALSE },
  { BARE, C ("paid_at", "within_days", "36500"), FALSE },
  /* Two business days before Wednesday 11:00 is Monday 11:00. */
  { FULL, C ("paid_at", "older_than_business_days", "2"), TRUE },
  { FULL, C ("paid_at", "older_than_business_days", "3"), FALSE },

  /* label_created_at: Monday 10:00 and the Thursday before, 08:00 */
  { FULL, C ("label_created_at", "older_than_business_days", "2"), TRUE },
  { FULL, C ("label_created_at", "older_than_business_days", "4"), TRUE },
  { FULL, C ("label_created_at", "older_than_business_days", "5"), FALSE },
  { FULL, C ("label_created_at", "within_days", "1"), FALSE },
  { FULL, C ("label_created_at", "within_days", "3"), TRUE },
  { FULL, C ("label_created_at", "between", "[\"2026-11-12T00:00:00Z\",\"2026-11-12T23:00:00Z\"]"), TRUE },
  { FULL, E ("label_created_at", "is_empty"), FALSE },
  { BARE, E ("label_created_at", "is_empty"), TRUE },
  { BLANK, E ("label_created_at", "is_empty"), TRUE },
  { BLANK, C ("label_created_at", "lt", "\"2030-01-01T00:00:00Z\""), FALSE },

  /* first_scan_at: only the second shipment was scanned */
  { FULL, E ("first_scan_at", "is_empty"), FALSE },
  { FULL, C ("first_scan_at", "gt", "\"2026-11-12T17:00:00Z\""), TRUE },
  { FULL, C ("first_scan_at", "gt", "\"2026-11-12T18:00:00Z\""), FALSE },
  { BLANK, E ("first_scan_at", "is_empty"), TRUE },

  /* delivered_at: BLANK's is exactly 7 days before now */
  { FULL, E ("delivered_at", "is_empty"), TRUE },
  { BLANK, E ("delivered_at", "is_empty"), FALSE },
  { BLANK, C ("delivered_at", "within_days", "7"), TRUE },
  { BLANK, C ("delivered_at", "within_days", "6"), FALSE },
  { BLANK, C ("delivered_at", "older_than_days", "7"), FALSE },
  { BLANK, C ("delivered_at", "older_than_days", "6"), TRUE },
  { FULL, C ("delivered_at", "within_days", "36500"), FALSE },

  /* tracking_status: one per shipment; no shipment is empty */
  { FULL, C ("tracking_status", "is", "\"pre_transit\""), TRUE },
  { FULL, C ("tracking_status", "is", "\"delivered\""), FALSE },
  { FULL, C ("tracking_status", "is_not", "\"pre_transit\""), FALSE },
  { FULL, C ("tracking_status", "is_not", "\"delivered\""), TRUE },
  { BARE, C ("tracking_status", "is_not", "\"delivered\""), TRUE },
  { FULL, C ("tracking_status", "in", "[\"delivered\",\"exception\"]"), TRUE },
  { BARE, C ("tracking_status", "in", "[\"unknown\",\"exception\"]"), FALSE },
  { BLANK, C ("tracking_status", "is", "\"unknown\""), TRUE },
  { FULL, E ("tracking_status", "is_empty"), FALSE },
  { BARE, E ("tracking_status", "is_empty"), TRUE },
  { BLANK, E ("tracking_status", "is_empty"), FALSE },

  /* exception_reason: "none" is no reason */
  { FULL, C ("exception_reason", "is", "\"address_issue\""), TRUE },
  { FULL, C ("exception_reason", "is", "\"none\""), TRUE },
  { FULL, C ("exception_reason", "is_not", "\"none\""), FALSE },
  { FULL, C ("exception_reason", "is_not", "\"delay\""), TRUE },
  { FULL, C ("exception_reason", "in", "[\"delay\",\"lost\"]"), FALSE },
  { FULL, E ("exception_reason", "is_empty"), FALSE },
  { BLANK, E ("exception_reason", "is_empty"), TRUE },
  { BLANK, C ("exception_reason", "is", "\"none\""), TRUE },
  { BARE, C ("exception_reason", "is", "\"none\""), FALSE },
  { BARE, C ("exception_reason", "is_not", "\"none\""), TRUE },
  { BARE, E ("exception_reason", "is_empty"), TRUE },

  /* address_issue: a boolean */
  { FULL, C ("address_issue", "is", "true"), TRUE },
  { FULL, C ("address_issue", "is", "false"), FALSE },
  { FULL, C ("address_issue", "is_not", "true"), FALSE },
  { FULL, C ("address_issue", "is_not", "false"), TRUE },
  { BARE, C ("address_issue", "is", "false"), TRUE },

  /* groups */
  { BARE, "{\"all\":[]}", TRUE },
  { BARE, "{\"any\":[]}", FALSE },
  { FULL, "{\"all\":[" C ("status", "is", "\"awaiting_shipment\"") ",{\"any\":["
          C ("tags", "is", "\"rush\"") "," C ("carrier", "is", "\"ups\"") "]}]}", TRUE },
  { FULL, "{\"all\":[" C ("status", "is", "\"awaiting_shipment\"") ",{\"any\":["
          C ("tags", "is", "\"rush\"") "," C ("carrier", "is", "\"dhl\"") "]}]}", FALSE },
  { BARE, "{\"any\":[{\"any\":[]},{\"all\":[{\"all\":[]}]}]}", TRUE },
  /* The built-in "Late handoff": each test looks at the shipments on its
   * own, so FULL's old scanned label and new unscanned one make it. */
  { FULL, "{\"all\":[" C ("label_created_at", "older_than_business_days", "2") ","
          C ("tracking_status", "is", "\"pre_transit\"") "]}", TRUE },

  /* had_exception: an exception event in the history, or a reason now */
  { FULL, C ("had_exception", "is", "true"), TRUE },
  { FULL, C ("had_exception", "is", "false"), TRUE },
  { FULL, C ("had_exception", "is_not", "true"), FALSE },
  { FULL, C ("had_exception", "is_not", "false"), FALSE },
  { BARE, C ("had_exception", "is", "true"), FALSE },
  { BARE, C ("had_exception", "is_not", "true"), TRUE },
  { BLANK, C ("had_exception", "is", "true"), FALSE },
  { BLANK, C ("had_exception", "is", "false"), TRUE },
  { HISTORY, C ("had_exception", "is", "true"), TRUE },
  { HISTORY, E ("exception_reason", "is_empty"), TRUE },

  /* estimated_delivery_at: a shipment timestamp */
  { FULL, C ("estimated_delivery_at", "gt", "\"2026-11-20T00:00:00Z\""), TRUE },
  { FULL, E ("estimated_delivery_at", "is_empty"), FALSE },
  { BLANK, E ("estimated_delivery_at", "is_empty"), TRUE },
  { HISTORY, C ("estimated_delivery_at", "lt", "\"2026-11-06T00:00:00Z\""), TRUE },

  /* label_to_scan_hours: FULL's usps label was scanned after 10 hours,
   * its ups label not yet; HISTORY after 8 hours; BLANK has no label. */
  { FULL, C ("label_to_scan_hours", "is", "10"), TRUE },
  { FULL, C ("label_to_scan_hours", "is", "0"), FALSE },
  { BLANK, C ("label_to_scan_hours", "is", "0"), FALSE },
  { FULL, C ("label_to_scan_hours", "is_not", "10"), FALSE },
  { HISTORY, C ("label_to_scan_hours", "is_not", "10"), TRUE },
  { BLANK, C ("label_to_scan_hours", "is_not", "0"), TRUE },
  { FULL, C ("label_to_scan_hours", "gt", "9.99"), TRUE },
  { FULL, C ("label_to_scan_hours", "gt", "10"), FALSE },
  { FULL, C ("label_to_scan_hours", "lt", "10.01"), TRUE },
  { BLANK, C ("label_to_scan_hours", "lt", "1"), FALSE },
  { HISTORY, C ("label_to_scan_hours", "between", "[4,7.9998611111111111]"), FALSE },
  { HISTORY, C ("label_to_scan_hours", "between", "[8,11.999861111111111]"), TRUE },
  { FULL, E ("label_to_scan_hours", "is_empty"), FALSE },
  { BLANK, E ("label_to_scan_hours", "is_empty"), TRUE },
  { BARE, E ("label_to_scan_hours", "is_empty"), TRUE },
  { FULL, "{\"shipment\":{\"all\":[" E ("label_to_scan_hours", "is_empty") ","
          C ("carrier", "is", "\"ups\"") "]}}", TRUE },

  /* Shipment groups: every test on the same shipment. FULL is a split
   * order (ups pre-transit, usps in exception) that fools the same tests
   * made on their own. */
  { FULL, "{\"shipment\":{\"all\":[" C ("carrier", "is", "\"ups\"") ","
          C ("tracking_status", "is", "\"exception\"") "]}}", FALSE },
  { FULL, "{\"all\":[" C ("carrier", "is", "\"ups\"") ","
          C ("tracking_status", "is", "\"exception\"") "]}", TRUE },
  { FULL, "{\"shipment\":{\"all\":[" C ("carrier", "is", "\"USPS\"") ","
          C ("tracking_status", "is", "\"exception\"") "]}}", TRUE },
  { FULL, "{\"shipment\":{\"all\":[" C ("carrier", "is", "\"ups\"") ","
          C ("had_exception", "is", "true") "]}}", FALSE },
  { FULL, "{\"shipment\":{\"all\":[" C ("label_created_at", "older_than_days", "5") ","
          C ("tracking_status", "is", "\"pre_transit\"") "]}}", FALSE },
  { FULL, "{\"all\":[" C ("label_created_at", "older_than_days", "5") ","
          C ("tracking_status", "is", "\"pre_transit\"") "]}", TRUE },
  { FULL, "{\"shipment\":{\"any\":[" C ("carrier", "is", "\"dhl\"") ","
          "{\"all\":[" C ("service", "is", "\"ground\"") ","
          E ("first_scan_at", "is_empty") "]}]}}", TRUE },
  /* is_not and is_empty are about the one shipment. */
  { FULL, "{\"shipment\":{\"all\":[" C ("carrier", "is_not", "\"ups\"") "]}}", TRUE },
  { FULL, C ("carrier", "is_not", "\"ups\""), FALSE },
  { FULL, "{\"shipment\":{\"all\":[" E ("first_scan_at", "is_empty") "]}}", TRUE },
  { FULL, E ("first_scan_at", "is_empty"), FALSE },
  { BLANK, "{\"shipment\":{\"all\":[" E ("carrier", "is_empty") ","
          C ("carrier", "is_not", "\"ups\"") "]}}", TRUE },
  /* No shipment: nothing to find, even for negative tests. */
  { BARE, "{\"shipment\":{\"all\":[" C ("carrier", "is_not", "\"ups\"") "]}}", FALSE },
  { BARE, "{\"shipment\":{\"all\":[]}}", FALSE },
  { BLANK, "{\"shipment\":{\"all\":[]}}", TRUE },
  { FULL, "{\"shipment\":{\"any\":[]}}", FALSE },
  { HISTORY, "{\"all\":[" C ("channel", "is", "\"etsy\"") ",{\"shipment\":{\"all\":["
             C ("had_exception", "is", "true") "," C ("delivered_at", "gt", "\"2026-11-06T00:00:00Z\"") ","
             C ("estimated_delivery_at", "lt", "\"2026-11-06T00:00:00Z\"") "]}}]}", TRUE },

  /* Return groups: one return passes every test inside. */
  { FULL, R (C ("return_reason", "is", "\"damaged\"")), TRUE },
  { BARE, R (C ("return_reason", "is", "\"damaged\"")), FALSE },
  { HISTORY, R (C ("return_reason", "is", "\"damaged\"")), FALSE },
  { FULL, R (C ("return_reason", "is_not", "\"damaged\"")), TRUE },
  { HISTORY, R (C ("return_reason", "is_not", "\"damaged\"")), TRUE },
  { BARE, R (C ("return_reason", "is_not", "\"damaged\"")), FALSE },
  { BLANK, R (C ("return_reason", "in", "[\"damaged\",\"other\"]")), TRUE },
  { HISTORY, R (C ("return_reason", "in", "[\"damaged\",\"other\"]")), FALSE },
  { FULL, R (E ("return_reason", "is_empty")), FALSE },
  { HISTORY, R (E ("return_reason", "is_empty")), FALSE },
  { FULL, R (C ("return_reason", "is", "\"damaged\"") ","
             C ("return_requested_at", "between", "[\"2026-11-10T00:00:00Z\",\"2026-11-10T23:59:59Z\"]")),
    FALSE },
  { FULL, R (C ("return_reason", "is", "\"wrong_size\"") ","
             C ("return_requested_at", "between", "[\"2026-11-10T00:00:00Z\",\"2026-11-10T23:59:59Z\"]")),
    TRUE },
  { FULL, R (C ("return_requested_at", "gt", "\"2026-11-16T00:00:00Z\"")), TRUE },
  { HISTORY, R (C ("return_requested_at", "gt", "\"2026-11-16T00:00:00Z\"")), FALSE },
  { BLANK, R (C ("return_requested_at", "within_days", "3")), TRUE },
  { HISTORY, R (C ("return_requested_at", "within_days", "3")), FALSE },
  { BARE, R (E ("return_requested_at", "is_empty")), FALSE },
  /* return_sku: the SKUs of that return's items, compared exactly. */
  { FULL, R (C ("return_sku", "is", "\"MUG-01\"")), TRUE },
  { FULL, R (C ("return_sku", "is", "\"mug-01\"")), FALSE },
  { FULL, R (C ("return_sku", "is_not", "\"MUG-01\"")), FALSE },
  { HISTORY, R (C ("return_sku", "is_not", "\"MUG-01\"")), TRUE },
  { BARE, R (C ("return_sku", "is_not", "\"MUG-01\"")), FALSE },
  { FULL, R (C ("return_sku", "in", "[\"TEE-M\",\"X\"]")), TRUE },
  { FULL, R (C ("return_sku", "contains", "\"EE\"")), TRUE },
  { FULL, R (C ("return_sku", "contains", "\"ee\"")), FALSE },
  { FULL, R (C ("return_sku", "starts_with", "\"MUG\"")), TRUE },
  { FULL, R (C ("return_sku", "starts_with", "\"EE\"")), FALSE },
  { FULL, R (E ("return_sku", "is_empty")), FALSE },
  { HISTORY, R (E ("return_sku", "is_empty")), TRUE },
  { BLANK, R (E ("return_sku", "is_empty")), TRUE },
  { BARE, R (E ("return_sku", "is_empty")), FALSE },
  { FULL, R (C ("return_sku", "is", "\"TEE-M\"") "," C ("return_reason", "is", "\"damaged\"")), FALSE },
  { FULL, R (C ("return_sku", "is", "\"TEE-M\"") "," C ("return_reason", "is", "\"wrong_size\"")),
    TRUE },
};

static void
test_table (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  static const char * const names[] = { "FULL", "BARE", "BLANK", "HISTORY" };
  guint n_failed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PsCondition) condition = ps_condition_from_string (cases[i].condition, &error);
      gboolean got;

      g_assert_no_error (error);
      got = ps_condition_evaluate (condition, orders[cases[i].order], NOW, tz);
      if (got != cases[i].expected)
        {
          g_printerr ("case %u: %s on %s gave %s\n", i, cases[i].condition,
                      names[cases[i].order], got ? "TRUE" : "FALSE");
          n_failed++;
        }
    }
  g_assert_cmpuint (n_failed, ==, 0);
}

/* Every field with every operator it accepts appears in the table. */
static void
test_table_covers_everything (void)
{
  gboolean seen[PS_CONDITION_FIELD_LAST + 1][PS_CONDITION_OP_LAST + 1] = { { FALSE } };
  guint n_missing = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PsCondition) parsed = ps_condition_from_string (cases[i].condition, NULL);
      PsCondition *condition = parsed;

      /* A return group of one test counts as that test. */
      if (ps_condition_get_kind (condition) == PS_CONDITION_KIND_RETURN &&
          ps_condition_get_n_children (ps_condition_get_child (condition, 0)) == 1)
        condition = ps_condition_get_child (ps_condition_get_child (condition, 0), 0);
      if (ps_condition_get_kind (condition) == PS_CONDITION_KIND_LEAF)
        seen[ps_condition_get_field (condition)][ps_condition_get_op (condition)] = TRUE;
    }

  for (guint f = 0; f <= PS_CONDITION_FIELD_LAST; f++)
    for (guint o = 0; o <= PS_CONDITION_OP_LAST; o++)
      {
        gboolean accepts = ps_condition_field_accepts_op ((PsConditionField) f, (PsConditionOp) o);
        gboolean is_time = ps_condition_field_get_value_type ((PsConditionField) f) ==
                           PS_CONDITION_VALUE_TIMESTAMP;

        /* Each timestamp field needs only a few operators here: all five
         * share one code path, which the time tests below cover. */
        if (accepts && !is_time && !seen[f][o])
          {
            g_printerr ("No case for %s %s\n", ps_condition_field_to_nick ((PsConditionField) f),
                        ps_condition_op_to_nick ((PsConditionOp) o));
            n_missing++;
          }
      }
  g_assert_cmpuint (n_missing, ==, 0);

  for (guint o = 0; o <= PS_CONDITION_OP_LAST; o++)
    {
      gboolean any = FALSE;

      for (guint f = 0; f <= PS_CONDITION_FIELD_LAST; f++)
        any = any || seen[f][o];
      g_assert_true (any);
    }
}

/* A pre-transit shipment with a label made at @label, evaluated with the
 * built-in "Late handoff" at @now in @tz. */
static gboolean
late_handoff (gint64      label,
              gint64      now,
              GTimeZone  *tz)
{
  g_autoptr(PsOrderSnapshot) order = ps_order_snapshot_new ();
  g_autoptr(PsCondition) condition = NULL;
  PsShipmentSnapshot s = { (char *) "ups", (char *) "ground", PS_TRACKING_STATUS_PRE_TRANSIT,
                           PS_EXCEPTION_REASON_NONE, label, 0, 0 };

  condition = ps_condition_from_string ("{\"all\":["
                                        C ("label_created_at", "older_than_business_days", "2") ","
                                        C ("tracking_status", "is", "\"pre_transit\"") "]}",
                                        NULL);
  order->created_at = label - 3600;
  ps_order_snapshot_add_shipment (order, &s);
  return ps_condition_evaluate (condition, order, now, tz);
}

static void
test_business_days_weekend (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  /* A label made Friday 2026-11-20 16:00. */
  gint64 friday = utc (2026, 11, 20, 16, 0);

  /* The weekend does not count: Saturday, Sunday and Monday are not late. */
  g_assert_false (late_handoff (friday, utc (2026, 11, 21, 23, 0), tz));
  g_assert_false (late_handoff (friday, utc (2026, 11, 22, 23, 0), tz));
  g_assert_false (late_handoff (friday, utc (2026, 11, 23, 16, 0), tz));
  /* Two full business days end Tuesday 16:00; one second later it is. */
  g_assert_false (late_handoff (friday, utc (2026, 11, 24, 16, 0), tz));
  g_assert_true (late_handoff (friday, utc (2026, 11, 24, 16, 0) + 1, tz));
  g_assert_true (late_handoff (friday, utc (2026, 11, 28, 12, 0), tz));

  /* A label made on Saturday counts from Monday 00:00: late from
   * Wednesday 00:00:01 on. */
  g_assert_false (late_handoff (utc (2026, 11, 21, 10, 0), utc (2026, 11, 25, 0, 0), tz));
  g_assert_true (late_handoff (utc (2026, 11, 21, 10, 0), utc (2026, 11, 25, 0, 0) + 1, tz));
}

static void
test_business_days_time_zone (void)
{
  g_autoptr(GTimeZone) utc_tz = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) la = g_time_zone_new_identifier ("America/Los_Angeles");
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  /* Friday 23:30 UTC: Friday 15:30 in Los Angeles, Saturday 08:30 in Tokyo. */
  gint64 label = utc (2026, 11, 20, 23, 30);
  /* Tuesday 16:00 UTC: Tuesday 08:00 in LA, Wednesday 01:00 in Tokyo. */
  gint64 now = utc (2026, 11, 24, 16, 0);

  g_assert_nonnull (la);
  g_assert_nonnull (tokyo);
  /* UTC: two business days end Tuesday 23:30, not yet. */
  g_assert_false (late_handoff (label, now, utc_tz));
  /* LA: they end Tuesday 15:30 local, not yet. */
  g_assert_false (late_handoff (label, now, la));
  /* Tokyo: made on a Saturday, so Monday and Tuesday are the two; it is
   * Wednesday there. */
  g_assert_true (late_handoff (label, now, tokyo));
}

static void
test_business_days_dst (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) utc_tz = g_time_zone_new_utc ();
  /* Friday 2026-10-30 10:00 EDT; DST ends on Sunday; Tuesday 10:00 EST is
   * 15:00 UTC, 97 hours (not 96) later. */
  gint64 label = utc (2026, 10, 30, 14, 0);
  gint64 tuesday = utc (2026, 11, 3, 15, 0);

  g_assert_nonnull (ny);
  g_assert_false (late_handoff (label, tuesday, ny));
  g_assert_true (late_handoff (label, tuesday + 1, ny));
  /* In UTC two business days ended at Tuesday 14:00. */
  g_assert_true (late_handoff (label, tuesday - 3600 + 1, utc_tz));
  g_assert_false (late_handoff (label, tuesday - 3600, utc_tz));
}

/* Day counts are 86400 s from now, whatever the zone; "within" ends now. */
static void
test_days (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(PsOrderSnapshot) order = ps_order_snapshot_new ();
  g_autoptr(PsCondition) within = ps_condition_from_string (C ("paid_at", "within_days", "2"), NULL);
  g_autoptr(PsCondition) older = ps_condition_from_string (C ("paid_at", "older_than_days", "2"), NULL);
  gint64 now = utc (2026, 11, 2, 12, 0);   /* the day after DST ended */

  order->created_at = now - 10 * PS_SECONDS_PER_DAY;

  order->paid_at = now - 2 * PS_SECONDS_PER_DAY;
  g_assert_true (ps_condition_evaluate (within, order, now, ny));
  g_assert_false (ps_condition_evaluate (older, order, now, ny));
  order->paid_at--;
  g_assert_false (ps_condition_evaluate (within, order, now, ny));
  g_assert_true (ps_condition_evaluate (older, order, now, ny));
  /* Later than now: not within the last days, not older either. */
  order->paid_at = now + 1;
  g_assert_false (ps_condition_evaluate (within, order, now, ny));
  g_assert_false (ps_condition_evaluate (older, order, now, ny));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  make_orders ();

  g_test_add_func ("/automation/condition-eval/table", test_table);
  g_test_add_func ("/automation/condition-eval/table-coverage", test_table_covers_everything);
  g_test_add_func ("/automation/condition-eval/business-days/weekend", test_business_days_weekend);
  g_test_add_func ("/automation/condition-eval/business-days/time-zone",
                   test_business_days_time_zone);
  g_test_add_func ("/automation/condition-eval/business-days/dst", test_business_days_dst);
  g_test_add_func ("/automation/condition-eval/days", test_days);

  ret = g_test_run ();

  for (guint i = 0; i < N_ORDERS; i++)
    ps_order_snapshot_free (orders[i]);
  return ret;
}
