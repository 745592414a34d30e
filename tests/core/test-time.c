/* test-time.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ps-time.h"

static gint64
utc (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);
  return g_date_time_to_unix (dt);
}

static void
test_business_days_between (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  /* 2026-11-20 is a Friday. */
  gint64 friday = utc (2026, 11, 20, 15, 0);

  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 20, 23, 0), tz), ==, 0);
  /* The weekend does not count... */
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 21, 12, 0), tz), ==, 0);
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 22, 12, 0), tz), ==, 0);
  /* ...Monday is the first business day after Friday, Tuesday the second. */
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 23, 9, 0), tz), ==, 1);
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 24, 9, 0), tz), ==, 2);
  /* A full week is five. */
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 27, 9, 0), tz), ==, 5);
  /* Backwards is zero. */
  g_assert_cmpint (ps_time_business_days_between (friday, utc (2026, 11, 19, 9, 0), tz), ==, 0);
}

static void
test_business_days_time_zone (void)
{
  g_autoptr(GTimeZone) utc_tz = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) la = g_time_zone_new_identifier ("America/Los_Angeles");
  /* Friday 2026-11-20 23:30 in Los Angeles is already Saturday in UTC. */
  gint64 t = utc (2026, 11, 21, 7, 30);
  gint64 monday_la = utc (2026, 11, 23, 17, 0);   /* Monday 09:00 in LA */

  g_assert_nonnull (la);
  g_assert_true (ps_time_is_business_day (t, la));
  g_assert_false (ps_time_is_business_day (t, utc_tz));
  g_assert_cmpint (ps_time_business_days_between (t, monday_la, la), ==, 1);
  g_assert_cmpint (ps_time_business_days_between (t, monday_la, utc_tz), ==, 1);
}

static void
test_business_days_dst (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  /* DST ends Sunday 2026-11-01; Friday Oct 30 to Tuesday Nov 3 is 2. */
  gint64 friday = utc (2026, 10, 30, 16, 0);
  gint64 tuesday = utc (2026, 11, 3, 16, 0);

  g_assert_nonnull (ny);
  g_assert_cmpint (ps_time_business_days_between (friday, tuesday, ny), ==, 2);
}

static void
test_add_business_days (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  gint64 friday = utc (2026, 11, 20, 15, 0);

  g_assert_cmpint (ps_time_add_business_days (friday, 0, tz), ==, friday);
  g_assert_cmpint (ps_time_add_business_days (friday, 1, tz), ==, utc (2026, 11, 23, 15, 0));
  g_assert_cmpint (ps_time_add_business_days (friday, 2, tz), ==, utc (2026, 11, 24, 15, 0));
  g_assert_cmpint (ps_time_add_business_days (friday, 5, tz), ==, utc (2026, 11, 27, 15, 0));
  /* Round trip: n days added are n days between. */
  for (int n = 0; n < 15; n++)
    g_assert_cmpint (ps_time_business_days_between (friday, ps_time_add_business_days (friday, n, tz), tz),
                     ==, n);
}

static void
test_day_start (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();

  g_assert_cmpint (ps_time_day_start (utc (2026, 11, 22, 13, 37), tz), ==, utc (2026, 11, 22, 0, 0));
}

static void
test_now_override (void)
{
  g_setenv ("POSTSALE_NOW", "1763800000", TRUE);
  g_assert_cmpint (ps_time_now (), ==, 1763800000);
  g_unsetenv ("POSTSALE_NOW");
  g_assert_cmpint (ps_time_now (), >, 1763800000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/core/time/business-days/between", test_business_days_between);
  g_test_add_func ("/core/time/business-days/time-zone", test_business_days_time_zone);
  g_test_add_func ("/core/time/business-days/dst", test_business_days_dst);
  g_test_add_func ("/core/time/business-days/add", test_add_business_days);
  g_test_add_func ("/core/time/day-start", test_day_start);
  g_test_add_func ("/core/time/now-override", test_now_override);

  return g_test_run ();
}
