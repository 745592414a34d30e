/* ps-time.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Storage is always UTC Unix seconds. Business days are a property of the
 * merchant's calendar, so they are computed in a time zone the caller
 * passes (the local zone in the app, UTC in tests).
 */

#define G_LOG_DOMAIN "ps-time"

#include "config.h"

#include "ps-time.h"

/**
 * ps_time_now:
 *
 * Returns: the current time as UTC Unix seconds. `POSTSALE_NOW` (Unix
 *   seconds) overrides it so tests and demo data can pin the clock.
 */
gint64
ps_time_now (void)
{
  const char *fixed = g_getenv ("POSTSALE_NOW");

  if (fixed != NULL && *fixed != '\0')
    return g_ascii_strtoll (fixed, NULL, 10);
  return g_get_real_time () / G_USEC_PER_SEC;
}

static GDateTime *
date_time_in (gint64     t,
              GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);

  return g_date_time_to_timezone (utc, tz);
}

/**
 * ps_time_day_start:
 * @t: UTC Unix seconds
 * @tz: the calendar's time zone
 *
 * Returns: the Unix time of local midnight on the day containing @t.
 */
gint64
ps_time_day_start (gint64     t,
                   GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  g_return_val_if_fail (tz != NULL, t);

  dt = date_time_in (t, tz);
  midnight = g_date_time_new (tz, g_date_time_get_year (dt),
                              g_date_time_get_month (dt),
                              g_date_time_get_day_of_month (dt), 0, 0, 0);
  return g_date_time_to_unix (midnight);
}

/**
 * ps_time_is_business_day:
 * @t: UTC Unix seconds
 * @tz: the calendar's time zone
 *
 * Returns: %TRUE if @t falls on Monday to Friday in @tz.
 */
gboolean
ps_time_is_business_day (gint64     t,
                         GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (tz != NULL, FALSE);

  dt = date_time_in (t, tz);
  return g_date_time_get_day_of_week (dt) <= 5;
}

/**
 * ps_time_add_business_days:
 * @t: UTC Unix seconds
 * @days: business days to add (>= 0)
 * @tz: the calendar's time zone
 *
 * Moves @t forward by @days business days, keeping the local time of day
 * and skipping Saturdays and Sundays. A start on a weekend counts from the
 * following Monday morning's business day.
 *
 * Returns: the resulting UTC Unix time.
 */
gint64
ps_time_add_business_days (gint64     t,
                           int        days,
                           GTimeZone *tz)
{
  g_autoptr(GDateTime) dt = NULL;

  g_return_val_if_fail (tz != NULL, t);
  g_return_val_if_fail (days >= 0, t);

  dt = date_time_in (t, tz);
  while (days > 0)
    {
      GDateTime *next = g_date_time_add_days (dt, 1);

      g_date_time_unref (dt);
      dt = next;
      if (g_date_time_get_day_of_week (dt) <= 5)
        days--;
    }
  return g_date_time_to_unix (dt);
}

/**
 * ps_time_business_days_between:
 * @from: UTC Unix seconds
 * @to: UTC Unix seconds, not before @from
 * @tz: the calendar's time zone
 *
 * Counts the whole business days elapsed from @from to @to: the number of
 * weekday dates after @from's date up to and including @to's date. A label
 * made Friday afternoon has 1 business day elapsed on Monday.
 *
 * Returns: the count, 0 if @to is before @from.
 */
int
ps_time_business_days_between (gint64     from,
                               gint64     to,
                               GTimeZone *tz)
{
  gint64 day, end;
  int n = 0;

  g_return_val_if_fail (tz != NULL, 0);

  if (to <= from)
    return 0;

  day = ps_time_day_start (from, tz);
  end = ps_time_day_start (to, tz);
  /* Step by local dates, not by 86400 s, so DST days count once. */
  while (day < end)
    {
      g_autoptr(GDateTime) dt = date_time_in (day, tz);
      g_autoptr(GDateTime) next = g_date_time_add_days (dt, 1);
      g_autoptr(GDateTime) next_midnight =
        g_date_time_new (tz, g_date_time_get_year (next), g_date_time_get_month (next),
                         g_date_time_get_day_of_month (next), 0, 0, 0);

      day = g_date_time_to_unix (next_midnight);
      if (g_date_time_get_day_of_week (next_midnight) <= 5)
        n++;
    }
  return n;
}

/**
 * ps_time_business_days_ago:
 * @now: UTC Unix seconds
 * @days: business days to go back (>= 0)
 * @tz: the calendar's time zone
 *
 * Business time runs during Monday to Friday in @tz and stands still over
 * the weekend (local wall-clock days, so DST days count as one). This
 * returns the earliest moment from which exactly @days business days have
 * passed by @now:
 *
 * - on a weekday, the same local time of day @days weekdays earlier
 *   (Monday 15:00 minus 1 is Friday 15:00, Wednesday 11:00 minus 2 is
 *   Monday 11:00);
 * - from Saturday 00:00 to Monday 00:00 business time is frozen at the end
 *   of Friday, so minus 0 is Saturday 00:00 and minus 1 is Friday 00:00.
 *
 * A timestamp t is then "older than N business days" when
 * `t < ps_time_business_days_ago (now, N, tz)`; the condition language's
 * older_than_business_days means exactly that, in SQL and in memory. For a
 * weekday @now that is not local midnight, ps_time_add_business_days() of
 * the result gives @now back.
 *
 * Returns: UTC Unix seconds
 */
gint64
ps_time_business_days_ago (gint64     now,
                           int        days,
                           GTimeZone *tz)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) result = NULL;
  GDate date;
  int seconds;   /* since the local midnight starting @date; 86400 is its end */

  g_return_val_if_fail (tz != NULL, now);
  g_return_val_if_fail (days >= 0, now);

  local = date_time_in (now, tz);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  seconds = g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60 +
            g_date_time_get_second (local);

  /* Midnight is the end of the previous day, so that a Monday 00:00 is
   * the end of the weekend (frozen at Friday 24:00) and the result is the
   * earliest of the moments with the same business time. */
  if (seconds == 0)
    {
      g_date_subtract_days (&date, 1);
      seconds = 86400;
    }
  if (g_date_get_weekday (&date) == G_DATE_SATURDAY)
    {
      g_date_subtract_days (&date, 1);
      seconds = 86400;
    }
  else if (g_date_get_weekday (&date) == G_DATE_SUNDAY)
    {
      g_date_subtract_days (&date, 2);
      seconds = 86400;
    }

  while (days > 0)
    {
      g_date_subtract_days (&date, 1);
      if (g_date_get_weekday (&date) <= G_DATE_FRIDAY)
        days--;
    }

  if (seconds == 86400)
    {
      g_date_add_days (&date, 1);
      seconds = 0;
    }

  result = g_date_time_new (tz, g_date_get_year (&date), g_date_get_month (&date),
                            g_date_get_day (&date), seconds / 3600, (seconds / 60) % 60,
                            seconds % 60);
  return g_date_time_to_unix (result);
}
