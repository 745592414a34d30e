/* test-money.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-money.h"

static void
test_money_new (void)
{
  g_autoptr(PsMoney) m = ps_money_new (111003, "USD");
  g_autoptr(PsMoney) copy = ps_money_copy (m);

  g_assert_cmpint (m->minor, ==, 111003);
  g_assert_cmpstr (m->currency, ==, "USD");
  g_assert_true (ps_money_equal (m, copy));
  copy->minor++;
  g_assert_false (ps_money_equal (m, copy));
}

static void
test_money_add (void)
{
  g_autoptr(PsMoney) a = ps_money_new (150, "EUR");
  g_autoptr(PsMoney) b = ps_money_new (-50, "EUR");
  g_autoptr(PsMoney) c = ps_money_new (1, "USD");
  g_autoptr(PsMoney) big = ps_money_new (G_MAXINT64, "EUR");

  g_assert_true (ps_money_add (a, b));
  g_assert_cmpint (a->minor, ==, 100);
  /* Different currencies never add, and nothing changes. */
  g_assert_false (ps_money_add (a, c));
  g_assert_cmpint (a->minor, ==, 100);
  /* Overflow is refused, not wrapped. */
  g_assert_false (ps_money_add (big, a));
  g_assert_cmpint (big->minor, ==, G_MAXINT64);
}

static void
test_currency (void)
{
  g_assert_true (ps_currency_is_valid ("USD"));
  g_assert_false (ps_currency_is_valid ("usd"));
  g_assert_false (ps_currency_is_valid ("US"));
  g_assert_false (ps_currency_is_valid ("USDX"));
  g_assert_false (ps_currency_is_valid (NULL));
  g_assert_cmpuint (ps_currency_minor_digits ("USD"), ==, 2);
  g_assert_cmpuint (ps_currency_minor_digits ("JPY"), ==, 0);
  g_assert_cmpuint (ps_currency_minor_digits ("KWD"), ==, 3);
}

static void
test_money_invalid (void)
{
  if (g_test_subprocess ())
    {
      ps_money_new (1, "dollars");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*ps_currency_is_valid*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/money/new", test_money_new);
  g_test_add_func ("/core/money/add", test_money_add);
  g_test_add_func ("/core/money/currency", test_currency);
  g_test_add_func ("/core/money/invalid", test_money_invalid);

  return g_test_run ();
}
