/* tracking-bench.c: the tracking poller's and the clock's queries on a big
 * database (tests/bench/tracking.sh runs it)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: tracking-bench DB NOW [RUNS]
 * Times, on the database worker, with the store's own functions:
 *   - when the poller is next due (one probe of shipments_due);
 *   - the first batch of 200 due shipments;
 *   - the late-handoff sweep: the first one (it flags and writes one event
 *     per late shipment, so it changes DB) and then RUNS sweeps that find
 *     nothing new, the scheduler's steady state;
 * and prints how many shipments the database holds.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ps-database-private.h"
#include "ps-tracking-store.h"

typedef struct
{
  gint64  now;
  double  seconds;
  guint   count;
} Run;

static gpointer
next_due_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Run *run = data;
  gint64 t = g_get_monotonic_time ();
  gint64 next = ps_tracking_store_next_due_sync (db, error);

  run->seconds = (g_get_monotonic_time () - t) / 1e6;
  run->count = next != 0;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
due_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Run *run = data;
  gint64 t = g_get_monotonic_time ();
  g_autoptr(GPtrArray) due = ps_tracking_store_list_due_sync (db, run->now, 200, error);

  run->seconds = (g_get_monotonic_time () - t) / 1e6;
  if (due == NULL)
    return NULL;
  run->count = due->len;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
sweep_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Run *run = data;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  gint64 t = g_get_monotonic_time ();
  g_autoptr(GArray) orders = ps_tracking_store_sweep_late_handoff_sync (db, run->now, tz,
                                                                        PS_TRACKING_LATE_HANDOFF_DAYS,
                                                                        error);

  run->seconds = (g_get_monotonic_time () - t) / 1e6;
  if (orders == NULL)
    return NULL;
  run->count = orders->len;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
count_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Run *run = data;
  sqlite3_stmt *stmt = _ps_database_prepare (db, "SELECT count(*) FROM shipments", error);

  if (stmt == NULL)
    return NULL;
  sqlite3_step (stmt);
  run->count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
measure (PsDatabase *db, const char *what, PsDatabaseJob job, gint64 now, guint runs)
{
  g_autofree double *times = g_new0 (double, runs);
  guint count = 0;

  for (guint i = 0; i < runs; i++)
    {
      g_autoptr(GError) error = NULL;
      Run run = { now, 0, 0 };

      if (ps_database_run_sync (db, job, &run, NULL, &error) == NULL)
        {
          fprintf (stderr, "%s: %s\n", what, error->message);
          exit (1);
        }
      times[i] = run.seconds;
      count = run.count;
    }
  qsort (times, runs, sizeof (double), compare_double);
  printf ("%-44s %10.2f ms  (min %.2f, max %.2f; %u rows)\n", what, times[runs / 2] * 1000,
          times[0] * 1000, times[runs - 1] * 1000, count);
}

int
main (int argc, char **argv)
{
  g_autoptr(PsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;
  guint runs;
  Run total = { 0 };

  if (argc < 3)
    {
      fprintf (stderr, "Usage: tracking-bench DB NOW [RUNS]\n");
      return 2;
    }
  now = g_ascii_strtoll (argv[2], NULL, 10);
  runs = argc > 3 ? (guint) atoi (argv[3]) : 5;
  db = ps_database_new (argv[1], NULL, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  ps_database_run_sync (db, count_job, &total, NULL, NULL);
  printf ("%u shipments, now = %" G_GINT64_FORMAT "\n", total.count, now);

  measure (db, "next due (poller wake-up)", next_due_job, now, runs);
  measure (db, "first 200 due shipments", due_job, now, runs);
  measure (db, "late-handoff sweep, first (flags and writes)", sweep_job, now, 1);
  measure (db, "late-handoff sweep, steady state", sweep_job, now, runs);
  measure (db, "late-handoff sweep, a day later", sweep_job, now + 86400, 1);
  measure (db, "late-handoff sweep, steady state a day later", sweep_job, now + 86400, runs);

  ps_database_close (db);
  return 0;
}
