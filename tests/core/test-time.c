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

/* Seconds of [a, b) that fall on Monday to Friday in UTC, where every day
 * is 86400 s: business time counted the slow way. */
static gint64
business_seconds_utc (gint64 a,
                      gint64 b)
{
  gint64 total = 0;
  gint64 day;

  for (day = a - (a % PS_SECONDS_PER_DAY); day < b; day += PS_SECONDS_PER_DAY)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (day);
      gint64 lo = MAX (a, day);
      gint64 hi = MIN (b, day + PS_SECONDS_PER_DAY);

      if (g_date_time_get_day_of_week (dt) <= 5 && hi > lo)
        total += hi - lo;
    }
  return total;
}

static void
test_business_days_ago (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  /* 2026-11-18 is a Wednesday, 2026-11-21 a Saturday. */
  gint64 wednesday = utc (2026, 11, 18, 11, 0);
  gint64 monday = utc (2026, 11, 23, 10, 0);

  g_assert_cmpint (ps_time_business_days_ago (wednesday, 0, tz), ==, wednesday);
  g_assert_cmpint (ps_time_business_days_ago (wednesday, 2, tz), ==, utc (2026, 11, 16, 11, 0));
  g_assert_cmpint (ps_time_business_days_ago (wednesday, 3, tz), ==, utc (2026, 11, 13, 11, 0));
  g_assert_cmpint (ps_time_business_days_ago (monday, 1, tz), ==, utc (2026, 11, 20, 10, 0));
  g_assert_cmpint (ps_time_business_days_ago (monday, 5, tz), ==, utc (2026, 11, 16, 10, 0));
  /* Over the weekend business time stands at Friday 24:00. */
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 21, 12, 0), 0, tz), ==,
                   utc (2026, 11, 21, 0, 0));
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 21, 12, 0), 1, tz), ==,
                   utc (2026, 11, 20, 0, 0));
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 22, 23, 59), 2, tz), ==,
                   utc (2026, 11, 19, 0, 0));
  /* Midnights: Monday 00:00 is still the weekend, Tuesday 00:00 the end of
   * Monday, which is one business day after the end of Friday. */
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 23, 0, 0), 0, tz), ==,
                   utc (2026, 11, 21, 0, 0));
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 24, 0, 0), 1, tz), ==,
                   utc (2026, 11, 21, 0, 0));
  g_assert_cmpint (ps_time_business_days_ago (utc (2026, 11, 24, 0, 0), 0, tz), ==,
                   utc (2026, 11, 24, 0, 0));

  /* A label made Friday 16:00 is "older than 2 business days" from
   * Tuesday 16:00:01 on, not before. */
  g_assert_false (utc (2026, 11, 20, 16, 0) < ps_time_business_days_ago (utc (2026, 11, 24, 16, 0), 2, tz));
  g_assert_true (utc (2026, 11, 20, 16, 0) < ps_time_business_days_ago (utc (2026, 11, 24, 16, 0) + 1, 2, tz));
}

/* Against business time counted second by second: the result is the
 * earliest moment with exactly @n business days to @now. */
static void
test_business_days_ago_brute_force (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261122);
  gint64 base = utc (2026, 11, 2, 0, 0);   /* a Monday */

  for (guint i = 0; i < 2000; i++)
    {
      /* Every fourth sample is a midnight, the others any second. */
      gint64 now = base + g_rand_int_range (rand, 0, 28) * PS_SECONDS_PER_DAY +
                   (i % 4 == 0 ? 0 : g_rand_int_range (rand, 0, 86400));
      int n = g_rand_int_range (rand, 0, 11);
      gint64 ago = ps_time_business_days_ago (now, n, tz);

      g_assert_cmpint (ago, <=, now);
      g_assert_cmpint (business_seconds_utc (ago, now), ==, n * PS_SECONDS_PER_DAY);
      g_assert_cmpint (business_seconds_utc (ago - 1, now), >, n * PS_SECONDS_PER_DAY);
      if (ps_time_is_business_day (now, tz) && now % PS_SECONDS_PER_DAY != 0)
        g_assert_cmpint (ps_time_add_business_days (ago, n, tz), ==, now);
    }
}

static void
test_business_days_ago_time_zone (void)
{
  g_autoptr(GTimeZone) utc_tz = g_time_zone_new_utc ();
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier ("Asia/Tokyo");
  /* Saturday 2026-11-21 02:00 UTC is still Friday 21:00 in New York and
   * already Saturday 11:00 in Tokyo. */
  gint64 t = utc (2026, 11, 21, 2, 0);

  g_assert_nonnull (ny);
  g_assert_nonnull (tokyo);
  /* UTC: weekend, so the start of Friday. */
  g_assert_cmpint (ps_time_business_days_ago (t, 1, utc_tz), ==, utc (2026, 11, 20, 0, 0));
  /* New York: Thursday 21:00 EST. */
  g_assert_cmpint (ps_time_business_days_ago (t, 1, ny), ==, utc (2026, 11, 20, 2, 0));
  /* Tokyo: the start of Friday in Tokyo is Thursday 15:00 UTC. */
  g_assert_cmpint (ps_time_business_days_ago (t, 1, tokyo), ==, utc (2026, 11, 19, 15, 0));
}

static void
test_business_days_ago_dst (void)
{
  g_autoptr(GTimeZone) ny = g_time_zone_new_identifier ("America/New_York");
  /* DST starts Sunday 2026-03-08: Monday 10:00 EDT (14:00 UTC) minus one
   * business day is Friday 10:00 EST (15:00 UTC), 71 hours earlier. */
  gint64 monday = utc (2026, 3, 9, 14, 0);
  /* DST ends Sunday 2026-11-01: Monday 10:00 EST (15:00 UTC) minus one is
   * Friday 10:00 EDT (14:00 UTC), 73 hours earlier. */
  gint64 monday_nov = utc (2026, 11, 2, 15, 0);

  g_assert_nonnull (ny);
  g_assert_cmpint (ps_time_business_days_ago (monday, 1, ny), ==, utc (2026, 3, 6, 15, 0));
  g_assert_cmpint (monday - ps_time_business_days_ago (monday, 1, ny), ==, 71 * 3600);
  g_assert_cmpint (ps_time_business_days_ago (monday_nov, 1, ny), ==, utc (2026, 10, 30, 14, 0));
  g_assert_cmpint (monday_nov - ps_time_business_days_ago (monday_nov, 1, ny), ==, 73 * 3600);
  /* The inverse of adding business days across both changes. */
  g_assert_cmpint (ps_time_add_business_days (ps_time_business_days_ago (monday, 3, ny), 3, ny),
                   ==, monday);
  g_assert_cmpint (ps_time_add_business_days (ps_time_business_days_ago (monday_nov, 3, ny), 3, ny),
                   ==, monday_nov);
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
  g_test_add_func ("/core/time/business-days/ago", test_business_days_ago);
  g_test_add_func ("/core/time/business-days/ago-brute-force", test_business_days_ago_brute_force);
  g_test_add_func ("/core/time/business-days/ago-time-zone", test_business_days_ago_time_zone);
  g_test_add_func ("/core/time/business-days/ago-dst", test_business_days_ago_dst);
  g_test_add_func ("/core/time/day-start", test_day_start);
  g_test_add_func ("/core/time/now-override", test_now_override);

  return g_test_run ();
}
