/* test-order.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-order.h"

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GPtrArray *names = user_data;
  g_ptr_array_add (names, g_strdup (pspec->name));
}

static void
test_order_stub_and_apply (void)
{
  g_autoptr(PsOrder) order = ps_order_new_stub (42);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  PsOrderRow row = { 0 };

  g_assert_cmpint (ps_order_get_id (order), ==, 42);
  g_assert_false (ps_order_get_loaded (order));
  g_assert_null (ps_order_get_order_number (order));
  g_assert_null (ps_order_get_currency (order));

  g_signal_connect (order, "notify", G_CALLBACK (count_notify), names);

  row.id = 42;
  row.order_number = g_strdup ("#1001");
  row.customer_name = g_strdup ("Ada Lovelace");
  row.status = PS_ORDER_STATUS_SHIPPED;
  row.total_minor = 4599;
  g_strlcpy (row.currency, "USD", sizeof row.currency);
  row.tracking_status = PS_TRACKING_STATUS_IN_TRANSIT;
  ps_order_apply_row (order, &row);

  g_assert_true (ps_order_get_loaded (order));
  g_assert_cmpstr (ps_order_get_order_number (order), ==, "#1001");
  g_assert_cmpstr (ps_order_get_currency (order), ==, "USD");
  g_assert_cmpint (ps_order_get_status (order), ==, PS_ORDER_STATUS_SHIPPED);
  g_assert_cmpint (ps_order_get_total_minor (order), ==, 4599);
  g_assert_true (g_ptr_array_find_with_equal_func (names, "loaded", g_str_equal, NULL));
  g_assert_true (g_ptr_array_find_with_equal_func (names, "order-number", g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (names, "ship-city", g_str_equal, NULL));

  /* Applying the same row again notifies nothing. */
  g_ptr_array_set_size (names, 0);
  ps_order_apply_row (order, &row);
  g_assert_cmpuint (names->len, ==, 0);

  /* Only what changed notifies. */
  row.status = PS_ORDER_STATUS_DELIVERED;
  ps_order_apply_row (order, &row);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "status");

  ps_order_row_clear (&row);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/order/stub-and-apply", test_order_stub_and_apply);

  return g_test_run ();
}
