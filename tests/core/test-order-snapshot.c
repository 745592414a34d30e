/* test-order-snapshot.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-order-snapshot"

#include "config.h"

#include "ps-order-snapshot.h"

static PsOrderSnapshot *
make_order (void)
{
  PsOrderSnapshot *order = ps_order_snapshot_new ();
  PsShipmentSnapshot shipment = { (char *) "ups", (char *) "ground",
                                  PS_TRACKING_STATUS_EXCEPTION,
                                  PS_EXCEPTION_REASON_ADDRESS_ISSUE, 100, 200, 0 };

  order->id = 42;
  ps_order_snapshot_set_channel (order, "Etsy");
  order->status = PS_ORDER_STATUS_SHIPPED;
  ps_order_snapshot_add_tag (order, "gift");
  ps_order_snapshot_add_tag (order, "vip");
  ps_order_snapshot_add_sku (order, "MUG-01");
  ps_order_snapshot_set_address (order, "US", "OR", "97201");
  order->address_issue = TRUE;
  order->item_count = 3;
  order->total_minor = 4500;
  order->weight_grams = 950;
  order->created_at = 1763000000;
  order->paid_at = 1763000600;
  ps_order_snapshot_add_shipment (order, &shipment);
  return order;
}

static void
test_new (void)
{
  g_autoptr(PsOrderSnapshot) order = ps_order_snapshot_new ();

  g_assert_cmpint (order->id, ==, 0);
  g_assert_null (order->channel);
  g_assert_cmpuint (order->tags->len, ==, 0);
  g_assert_cmpuint (order->skus->len, ==, 0);
  g_assert_cmpuint (ps_order_snapshot_get_n_shipments (order), ==, 0);
  g_assert_null (order->ship_country);
  g_assert_cmpint (order->paid_at, ==, 0);
}

static void
test_fields (void)
{
  g_autoptr(PsOrderSnapshot) order = make_order ();
  const PsShipmentSnapshot *shipment;
  char carrier[] = "dhl";
  PsShipmentSnapshot second = { carrier, NULL, PS_TRACKING_STATUS_PRE_TRANSIT,
                                PS_EXCEPTION_REASON_NONE, 300, 0, 0 };

  g_assert_cmpstr (order->channel, ==, "Etsy");
  g_assert_cmpstr (g_ptr_array_index (order->tags, 1), ==, "vip");
  g_assert_cmpstr (g_ptr_array_index (order->skus, 0), ==, "MUG-01");
  g_assert_cmpstr (order->ship_postcode, ==, "97201");

  /* Shipments copy their strings. */
  ps_order_snapshot_add_shipment (order, &second);
  carrier[0] = 'X';
  g_assert_cmpuint (ps_order_snapshot_get_n_shipments (order), ==, 2);
  shipment = ps_order_snapshot_get_shipment (order, 1);
  g_assert_cmpstr (shipment->carrier, ==, "dhl");
  g_assert_null (shipment->service);
  g_assert_cmpint (shipment->tracking_status, ==, PS_TRACKING_STATUS_PRE_TRANSIT);
  shipment = ps_order_snapshot_get_shipment (order, 0);
  g_assert_cmpstr (shipment->service, ==, "ground");
  g_assert_cmpint (shipment->first_scan_at, ==, 200);

  /* Replacing values frees the old ones (checked under valgrind/ASan). */
  ps_order_snapshot_set_channel (order, NULL);
  ps_order_snapshot_set_address (order, "CA", NULL, "M5V 2T6");
  g_assert_null (order->channel);
  g_assert_null (order->ship_state);
}

static void
test_copy_equal (void)
{
  g_autoptr(PsOrderSnapshot) order = make_order ();
  g_autoptr(PsOrderSnapshot) copy = ps_order_snapshot_copy (order);
  g_autoptr(PsOrderSnapshot) boxed = g_boxed_copy (PS_TYPE_ORDER_SNAPSHOT, order);
  PsShipmentSnapshot late = { NULL, NULL, PS_TRACKING_STATUS_UNKNOWN,
                              PS_EXCEPTION_REASON_NONE, 0, 0, 0 };

  g_assert_true (ps_order_snapshot_equal (order, copy));
  g_assert_true (ps_order_snapshot_equal (order, boxed));
  g_assert_true (order->tags != copy->tags);
  g_assert_true (order->channel != copy->channel);

  copy->total_minor++;
  g_assert_false (ps_order_snapshot_equal (order, copy));
  copy->total_minor--;
  ps_order_snapshot_add_tag (copy, "rush");
  g_assert_false (ps_order_snapshot_equal (order, copy));

  ps_order_snapshot_add_shipment (boxed, &late);
  g_assert_false (ps_order_snapshot_equal (order, boxed));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/order-snapshot/new", test_new);
  g_test_add_func ("/core/order-snapshot/fields", test_fields);
  g_test_add_func ("/core/order-snapshot/copy-equal", test_copy_equal);

  return g_test_run ();
}
