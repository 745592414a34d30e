/* test-address.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-address.h"

static void
test_address_copy_equal (void)
{
  g_autoptr(PsAddress) a = ps_address_new ();
  g_autoptr(PsAddress) b = NULL;

  a->name = g_strdup ("Ada Lovelace");
  a->line1 = g_strdup ("12 St James's Square");
  a->city = g_strdup ("London");
  a->postcode = g_strdup ("SW1Y 4JH");
  a->country = g_strdup ("GB");

  b = ps_address_copy (a);
  g_assert_true (a->name != b->name);
  g_assert_true (ps_address_equal (a, b));

  /* NULL and "" are the same: not set */
  b->company = g_strdup ("");
  g_assert_true (ps_address_equal (a, b));

  g_free (b->city);
  b->city = g_strdup ("Londres");
  g_assert_false (ps_address_equal (a, b));
  g_assert_false (ps_address_equal (a, NULL));
}

static void
test_address_format (void)
{
  g_autoptr(PsAddress) a = ps_address_new ();
  g_autofree char *lines = NULL;
  g_autofree char *row = NULL;

  a->name = g_strdup ("Grace Hopper");
  a->company = g_strdup ("");
  a->line1 = g_strdup ("1 Main St");
  a->line2 = g_strdup ("Apt 4");
  a->city = g_strdup ("Arlington");
  a->state = g_strdup ("VA");
  a->postcode = g_strdup ("22201");
  a->country = g_strdup ("US");

  lines = ps_address_format (a, "\n");
  g_assert_cmpstr (lines, ==, "Grace Hopper\n1 Main St\nApt 4\nArlington VA 22201\nUS");

  g_clear_pointer (&a->line2, g_free);
  g_clear_pointer (&a->state, g_free);
  row = ps_address_format (a, ", ");
  g_assert_cmpstr (row, ==, "Grace Hopper, 1 Main St, Arlington 22201, US");
}

static void
test_parcel_copy (void)
{
  PsParcel p = { 450, 300, 200, 100 };
  g_autoptr(PsParcel) copy = ps_parcel_copy (&p);

  g_assert_cmpint (copy->weight_grams, ==, 450);
  g_assert_cmpint (copy->height_mm, ==, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/address/copy-equal", test_address_copy_equal);
  g_test_add_func ("/address/format", test_address_format);
  g_test_add_func ("/address/parcel-copy", test_parcel_copy);

  return g_test_run ();
}
