/* test-enums.c: the stored vocabularies of DESIGN.md
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-enum-types.h"
#include "ps-region.h"

/* The nicks are a file format: this list is DESIGN.md's vocabulary, and a
 * rename in ps-enums.h must fail here. */
static void
test_nicks_match_design (void)
{
  static const struct { GType (*type) (void); const char *nicks; } cases[] = {
    { ps_order_status_get_type, "awaiting_payment awaiting_shipment on_hold ready_to_ship shipped "
                                "delivered exception cancelled returned" },
    { ps_tracking_status_get_type, "unknown pre_transit in_transit out_for_delivery "
                                   "available_for_pickup delivered exception return_to_sender cancelled" },
    { ps_exception_reason_get_type, "none address_issue delay failed_attempt damaged lost "
                                    "customs_hold weather refused late_handoff other" },
    { ps_channel_kind_get_type, "shopify woocommerce etsy amazon ebay manual custom" },
    { ps_event_type_get_type, "order.imported order.updated order.status_changed label.created "
                              "label.voided tracking.status_changed shipment.delivered "
                              "return.requested return.received note.added time" },
    { ps_return_status_get_type, "requested label_sent in_transit received refunded rejected" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GType type = cases[i].type ();
      g_auto(GStrv) nicks = g_strsplit (cases[i].nicks, " ", -1);
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);

      g_assert_cmpuint (klass->n_values, ==, g_strv_length (nicks));
      for (guint k = 0; nicks[k] != NULL; k++)
        {
          int value = -1;

          g_assert_true (ps_enum_from_nick (type, nicks[k], &value));
          g_assert_cmpstr (ps_enum_to_nick (type, value), ==, nicks[k]);
        }
    }
}

static void
test_unknown_nick (void)
{
  int value = 42;

  g_assert_false (ps_enum_from_nick (PS_TYPE_ORDER_STATUS, "shipped-ish", &value));
  g_assert_false (ps_enum_from_nick (PS_TYPE_ORDER_STATUS, NULL, &value));
  g_assert_cmpint (value, ==, 42);
  g_assert_null (ps_enum_to_nick (PS_TYPE_ORDER_STATUS, 999));
}

static void
test_regions (void)
{
  g_assert_cmpstr (ps_region_for_address ("US", "WA"), ==, "us-pacific-northwest");
  g_assert_cmpstr (ps_region_for_address ("us", "or"), ==, "us-pacific-northwest");
  g_assert_cmpstr (ps_region_for_address ("US", "CA"), ==, "us-california");
  g_assert_cmpstr (ps_region_for_address ("US", "NY"), ==, "us-northeast");
  g_assert_cmpstr (ps_region_for_address ("US", NULL), ==, "us-other");
  /* "CA" as a country is Canada, not California. */
  g_assert_cmpstr (ps_region_for_address ("CA", "ON"), ==, "canada");
  g_assert_cmpstr (ps_region_for_address ("DE", NULL), ==, "europe");
  g_assert_cmpstr (ps_region_for_address ("GB", NULL), ==, "uk");
  g_assert_cmpstr (ps_region_for_address ("ZZ", NULL), ==, "other");
  g_assert_cmpstr (ps_region_for_address (NULL, NULL), ==, "other");
  g_assert_true (g_strv_contains (ps_region_list (), "us-pacific-northwest"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/enums/nicks-match-design", test_nicks_match_design);
  g_test_add_func ("/core/enums/unknown-nick", test_unknown_nick);
  g_test_add_func ("/core/regions", test_regions);

  return g_test_run ();
}
