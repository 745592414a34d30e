/* automation-bench.c: the automation runner and the time scheduler on a
 * big database (tests/bench/automation.sh runs it on a copy)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: automation-bench DB [N_EVENTS]
 *
 * 1. Adds 50 enabled rules on tracking.status_changed (event conditions on
 *    from/to/reason, conditions on channel, items, country, tags, totals,
 *    carrier and weight) of which a few fire on a few percent of the
 *    events, as a merchant's rules would; one in ten has a store action,
 *    so fires write events that the runner then also processes, moves the runner's cursor to the newest event,
 *    and appends N_EVENTS (default 100,000) tracking.status_changed events
 *    for random orders with shipments, committed as the tracking poller
 *    would. Then times ps_automation_run_pending_sync() over them.
 * 2. Enables the late-handoff time rule (tracking_status pre_transit and
 *    label older than 2 business days) and times ps_automation_sweep_sync()
 *    over every shipment: the first sweep (which fires, up to 1,000 orders)
 *    and a second one (steady state: nothing new to fire).
 * Prints "name ms" lines; the script compares them with the targets.
 * The database is written to: run it on a copy.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ps-automation-service.h"
#include "ps-order-writer.h"
#include "ps-time.h"

typedef struct
{
  guint   n_events;
  gint64  now;
  GTimeZone *tz;
} Bench;

static const char * const statuses[] = { "in_transit", "out_for_delivery", "delivered",
                                         "exception", "available_for_pickup" };
static const char * const reasons[] = { "delay", "lost", "damaged", "address_issue", "weather" };
static const char * const channels[] = { "shopify", "etsy", "amazon", "ebay", "woocommerce" };

static gpointer
setup_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Bench *bench = data;
  g_autoptr(PsOrderWriter) writer = ps_order_writer_new (db);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autoptr(GArray) shipments = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *json = NULL;
      g_autoptr(PsRule) rule = NULL;
      const char *action = i % 10 == 0 ? "{\"type\":\"add_tag\",\"tag\":\"bench\"}"
                                       : "{\"type\":\"notify\",\"address\":\"bench\"}";

      switch (i % 5)
        {
        case 0:
          json = g_strdup_printf ("{\"name\":\"r%u\",\"trigger\":\"tracking.status_changed\","
                                  "\"event_conditions\":[{\"field\":\"to\",\"op\":\"is\","
                                  "\"value\":\"%s\"}],\"condition\":{\"field\":\"channel\","
                                  "\"op\":\"is\",\"value\":\"%s\"},\"actions\":[%s]}",
                                  i, statuses[i % 5], channels[(i / 5) % 5], action);
          break;
        case 1:
          json = g_strdup_printf ("{\"name\":\"r%u\",\"trigger\":\"tracking.status_changed\","
                                  "\"event_conditions\":[{\"field\":\"reason\",\"op\":\"is\","
                                  "\"value\":\"%s\"}],\"condition\":{\"all\":[{\"field\":"
                                  "\"item_count\",\"op\":\"gt\",\"value\":%u}]},\"actions\":[%s]}",
                                  i, reasons[(i / 5) % 5], i % 4, action);
          break;
        case 2:
          json = g_strdup_printf ("{\"name\":\"r%u\",\"trigger\":\"tracking.status_changed\","
                                  "\"event_conditions\":[{\"field\":\"to\",\"op\":\"in\","
                                  "\"value\":[\"exception\",\"delivered\"]}],\"condition\":"
                                  "{\"all\":[{\"field\":\"ship_country\",\"op\":\"is\",\"value\":"
                                  "\"IS\"},{\"field\":\"total\",\"op\":\"gt\",\"value\":%u}]},"
                                  "\"actions\":[%s]}", i, 10000 + i * 100, action);
          break;
        case 3:
          json = g_strdup_printf ("{\"name\":\"r%u\",\"trigger\":\"tracking.status_changed\","
                                  "\"condition\":{\"all\":[{\"field\":\"tags\",\"op\":\"is\","
                                  "\"value\":\"vip%u\"}]},\"actions\":[%s]}", i, i, action);
          break;
        default:
          json = g_strdup_printf ("{\"name\":\"r%u\",\"trigger\":\"tracking.status_changed\","
                                  "\"event_conditions\":[{\"field\":\"from\",\"op\":\"is\","
                                  "\"value\":\"pre_transit\"}],\"condition\":{\"all\":[{\"field\":"
                                  "\"carrier\",\"op\":\"is\",\"value\":\"ups\"},{\"field\":"
                                  "\"weight\",\"op\":\"gt\",\"value\":%u}]},\"actions\":[%s]}",
                                  i, 20000 + i * 100, action);
          break;
        }
      rule = ps_rule_from_string (json, error);
      if (rule == NULL)
        return NULL;
      ps_rule_set_enabled (rule, TRUE);
      if (ps_automation_save_rule_sync (db, rule, bench->now, error) == 0)
        return NULL;
    }

  /* The orders with shipments, sampled. */
  {
    g_autoptr(GPtrArray) events = ps_rule_store_events_between_sync (db,
                                                                     PS_EVENT_TYPE_LABEL_CREATED,
                                                                     0, G_MAXINT64, error);

    if (events == NULL)
      return NULL;
    for (guint i = 0; i < events->len; i++)
      {
        const PsEventRow *row = g_ptr_array_index (events, i);
        gint64 pair[2] = { row->order_id, row->shipment_id };

        if (row->order_id != 0 && row->shipment_id != 0)
          g_array_append_val (shipments, pair);
      }
    if (shipments->len == 0)
      {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "No label.created events to sample");
        return NULL;
      }
  }

  if (!ps_rule_store_skip_to_latest_sync (db, error) || !ps_database_begin (db, error))
    return NULL;
  for (guint i = 0; i < bench->n_events; i++)
    {
      const gint64 *pair = &g_array_index (shipments, gint64,
                                           2 * g_rand_int_range (rand, 0, shipments->len));
      guint s = g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses));
      g_autofree char *json = g_strdup_printf (
        "{\"from\":\"pre_transit\",\"to\":\"%s\"%s%s%s}", statuses[s],
        s == 3 ? ",\"reason\":\"" : "", s == 3 ? reasons[i % 5] : "", s == 3 ? "\"" : "");

      if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_TRACKING_STATUS_CHANGED,
                                     bench->now - 3600, pair[0], pair[1], 0, "carrier", json,
                                     error) == 0)
        goto failed;
    }
  if (!ps_order_writer_flush (writer, error) || !ps_database_commit (db, error))
    goto failed;
  return GINT_TO_POINTER (TRUE);

failed:
  ps_database_rollback (db);
  return NULL;
}

static gpointer
run_job (PsDatabase    *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Bench *bench = data;

  return ps_automation_run_pending_sync (db, bench->now, bench->tz, NULL, error);
}

static gpointer
late_rule_job (PsDatabase    *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Bench *bench = data;
  g_autoptr(GPtrArray) templates = ps_rule_templates ();
  PsRule *late = g_ptr_array_index (templates, 1);

  ps_rule_set_enabled (late, TRUE);
  return ps_automation_save_rule_sync (db, late, bench->now, error) != 0
         ? GINT_TO_POINTER (TRUE) : NULL;
}

static gpointer
sweep_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Bench *bench = data;

  return ps_automation_sweep_sync (db, bench->now, bench->tz, NULL, error);
}

/* The database worker's CPU time, in ms. */
static double
thread_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

typedef struct
{
  PsDatabaseJob  job;
  Bench         *bench;
  double         cpu_ms;
} Timed;

static gpointer
timed_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Timed *t = data;
  double start = thread_cpu_ms ();
  gpointer result = t->job (db, t->bench, cancellable, error);

  t->cpu_ms = thread_cpu_ms () - start;
  return result;
}

/* Runs @job on the worker: returns the wall-clock time in ms, and the
 * worker's CPU time in @cpu_ms (a busy machine shows in the difference). */
static double
timed (PsDatabase    *db,
       PsDatabaseJob  job,
       Bench         *bench,
       gpointer      *result,
       double        *cpu_ms)
{
  g_autoptr(GError) error = NULL;
  Timed t = { job, bench, 0 };
  gint64 start = g_get_monotonic_time ();

  *result = ps_database_run_sync (db, timed_job, &t, NULL, &error);
  if (*result == NULL)
    {
      g_printerr ("automation-bench: %s\n", error->message);
      exit (1);
    }
  if (cpu_ms != NULL)
    *cpu_ms = t.cpu_ms;
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(PsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  Bench bench = { 100000, 0, NULL };
  PsAutomationReport *report;
  gpointer result;
  double ms, cpu;

  if (argc < 2)
    {
      g_printerr ("Usage: automation-bench DB [N_EVENTS]\n");
      return 2;
    }
  if (argc > 2)
    bench.n_events = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  bench.now = ps_time_now ();
  bench.tz = g_time_zone_new_local ();

  db = ps_database_new (argv[1], NULL, &error);
  if (db == NULL)
    {
      g_printerr ("automation-bench: %s\n", error->message);
      return 1;
    }

  ms = timed (db, setup_job, &bench, &result, NULL);
  printf ("setup (50 rules, %u events appended) %.0f ms\n", bench.n_events, ms);

  ms = timed (db, run_job, &bench, &result, &cpu);
  report = result;
  printf ("run-pending %.1f ms (cpu %.1f ms)\n", ms, cpu);
  printf ("  events %u, fired %u, failed %u, cut %u, notifications %u\n", report->events,
          report->fired, report->failed, report->cut, report->notifications->len);
  ps_automation_report_free (report);

  timed (db, late_rule_job, &bench, &result, NULL);
  ms = timed (db, sweep_job, &bench, &result, &cpu);
  report = result;
  printf ("sweep-first %.1f ms (cpu %.1f ms)\n", ms, cpu);
  printf ("  candidates %u, fired %u\n", report->events, report->fired);
  ps_automation_report_free (report);

  ms = timed (db, sweep_job, &bench, &result, &cpu);
  report = result;
  printf ("sweep-steady %.1f ms (cpu %.1f ms)\n", ms, cpu);
  printf ("  candidates %u, fired %u\n", report->events, report->fired);
  ps_automation_report_free (report);

  ps_database_close (db);
  g_time_zone_unref (bench.tz);
  return 0;
}
