/* orders-bench.c: saved filter counts, lists and sorts on a big database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: orders-bench DB [RUNS] [--plans]
 *
 * Opens DB (migrating it if it is older: the "open" line's time includes
 * the backup copy and the migration), then times on the database worker,
 * RUNS times each after one unreported warm-up run:
 *
 *  - count and list (all ids, newest first) of each built-in saved filter;
 *  - the counts of all saved filters in one job, as the sidebar asks;
 *  - the full id list in each PsOrderSort order, both directions, and the
 *    first page (256 ids) the list reads before the rest;
 *  - search: first the catch-up of the orders the search index lacks (a
 *    database of an older schema lacks all of them; this is committed, as
 *    the app would), then for typed texts from broad (one letter) to
 *    narrow (a whole order number, a tracking number) the first page in
 *    each sort order and the count, and the whole list newest first;
 *  - the catch-up of a full index from an empty one, the demo's way (one
 *    transaction) and the app's (PS_ORDER_SEARCH_CHUNK orders per
 *    committed transaction). This writes to DB, but leaves the index
 *    complete, as the first step made it.
 *
 * Prints one line per figure: "KIND NAME median_ms min_ms max_ms result",
 * which tests/bench/orders.sh turns into a table with the targets. With
 * --plans, also prints SQLite's EXPLAIN QUERY PLAN of each query.
 * Day counts count from now (POSTSALE_NOW pins it), business days in TZ.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps-condition-sql.h"
#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-filter-store.h"
#include "ps-order-search-private.h"
#include "ps-order-store.h"
#include "ps-time.h"

typedef struct
{
  guint       runs;
  gboolean    plans;
  gint64      now;
  GTimeZone  *tz;
} Bench;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
report (const char *kind,
        const char *name,
        GArray     *ms,
        gint64      result)
{
  g_array_sort (ms, compare_double);
  printf ("%s\t%s\t%.1f\t%.1f\t%.1f\t%" G_GINT64_FORMAT "\n", kind, name,
          g_array_index (ms, double, ms->len / 2), g_array_index (ms, double, 0),
          g_array_index (ms, double, ms->len - 1), result);
  fflush (stdout);
}

static void
print_plan (PsDatabase  *db,
            const char  *title,
            const char  *sql,
            PsConditionSql *compiled,
            int          extra_int)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  sqlite3_stmt *stmt = NULL;
  int n = 0;

  if (sqlite3_prepare_v2 (_ps_database_get_handle (db), explain, -1, &stmt, NULL) != SQLITE_OK)
    {
      printf ("plan\t%s\t(cannot prepare: %s)\n", title,
              sqlite3_errmsg (_ps_database_get_handle (db)));
      return;
    }
  if (compiled != NULL)
    {
      ps_condition_sql_bind (compiled, stmt, 1);
      n = (int) ps_condition_sql_get_n_params (compiled);
    }
  if (extra_int != 0)
    sqlite3_bind_int64 (stmt, n + 1, extra_int);

  printf ("plan\t%s\n", title);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("plan\t  %d/%d %s\n", sqlite3_column_int (stmt, 1), sqlite3_column_int (stmt, 0),
            (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
}

static double
elapsed_ms (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Catches up in chunks like the app's background catch-up; returns the
 * time, -1 on error. */
static double
catch_up_chunked (PsDatabase  *db,
                  guint        chunk,
                  GError     **error)
{
  gint64 start = g_get_monotonic_time ();
  gboolean done = FALSE;

  while (!done)
    if (!ps_order_search_catch_up_sync (db, chunk, &done, error))
      return -1;
  return elapsed_ms (start);
}

/* Text of one column of one row, for the narrow searches. */
static char *
query_text (PsDatabase *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  if (sqlite3_prepare_v2 (_ps_database_get_handle (db), sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    text = _ps_column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  return text;
}

static gboolean
bench_search (PsDatabase  *db,
              Bench       *b,
              GError     **error)
{
  g_autofree char *number = NULL;
  g_autofree char *tracking = NULL;
  g_autofree char *customer = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();
  GEnumClass *sorts;
  gint64 pending;
  double ms;

  /* What a database opened for the first time with this schema lacks. */
  pending = ps_order_search_count_pending_sync (db, error);
  if (pending < 0)
    return FALSE;
  ms = catch_up_chunked (db, PS_ORDER_SEARCH_CHUNK, error);
  if (ms < 0)
    return FALSE;
  printf ("catchup\tpending at open, committed in chunks of %d\t%.1f\t%.1f\t%.1f\t%" G_GINT64_FORMAT "\n",
          PS_ORDER_SEARCH_CHUNK, ms, ms, ms, pending);

  /* Broad: one letter, two, a common first name; narrow: a whole order
   * number and tracking number of the newest order that has one. */
  number = query_text (db, "SELECT order_number FROM orders ORDER BY id DESC LIMIT 1");
  tracking = query_text (db, "SELECT tracking_number FROM shipments"
                             " WHERE tracking_number IS NOT NULL ORDER BY id DESC LIMIT 1");
  customer = query_text (db, "SELECT customer_name FROM orders ORDER BY id DESC LIMIT 1");
  g_ptr_array_add (texts, (char *) "s");
  g_ptr_array_add (texts, (char *) "jo");
  g_ptr_array_add (texts, (char *) "example");
  g_ptr_array_add (texts, (char *) "sofia");
  if (customer != NULL)
    g_ptr_array_add (texts, customer);
  if (number != NULL)
    g_ptr_array_add (texts, number);
  if (tracking != NULL)
    g_ptr_array_add (texts, tracking);

  sorts = g_type_class_ref (PS_TYPE_ORDER_SORT);
  for (guint t = 0; t < texts->len; t++)
    {
      const char *text = g_ptr_array_index (texts, t);
      g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
      gint64 count = 0, listed = 0;

      for (guint s = 0; s < sorts->n_values; s++)
        {
          g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
          g_autofree char *name = g_strdup_printf ("\"%s\" by %s desc", text,
                                                   sorts->values[s].value_nick);
          gint64 paged = 0;

          for (guint r = 0; r <= b->runs; r++)
            {
              gint64 start = g_get_monotonic_time ();
              g_autoptr(GArray) ids = NULL;

              ids = ps_order_store_search_ids_sync (db, NULL, text, b->now, b->tz,
                                                    (PsOrderSort) sorts->values[s].value, TRUE,
                                                    256, NULL, error);
              if (ids == NULL)
                return FALSE;
              ms = elapsed_ms (start);
              paged = ids->len;
              if (r > 0)
                g_array_append_val (page_ms, ms);
            }
          report ("search-page", name, page_ms, paged);
        }

      for (guint r = 0; r <= b->runs; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(GArray) ids = NULL;

          count = ps_order_store_search_count_sync (db, NULL, text, b->now, b->tz, NULL, error);
          if (count < 0)
            return FALSE;
          ms = elapsed_ms (start);
          if (r > 0)
            g_array_append_val (count_ms, ms);

          start = g_get_monotonic_time ();
          ids = ps_order_store_search_ids_sync (db, NULL, text, b->now, b->tz,
                                                PS_ORDER_SORT_CREATED, TRUE, 0, NULL, error);
          if (ids == NULL)
            return FALSE;
          ms = elapsed_ms (start);
          listed = ids->len;
          if (r > 0)
            g_array_append_val (list_ms, ms);
        }
      {
        g_autofree char *count_name = g_strdup_printf ("\"%s\" count", text);
        g_autofree char *list_name = g_strdup_printf ("\"%s\" all ids, newest first", text);

        report ("search-count", count_name, count_ms, count);
        report ("search-list", list_name, list_ms, listed);
      }

      if (b->plans)
        {
          g_autoptr(PsSearchMatch) match = _ps_search_match_new_sync (db, text, NULL, error);
          g_autofree char *title = NULL;
          g_autofree char *sql = NULL;
          g_autofree char *explain = NULL;
          sqlite3_stmt *stmt = NULL;

          if (match == NULL)
            return FALSE;
          title = g_strdup_printf ("search \"%s\" (%" G_GINT64_FORMAT " matches), first page",
                                   text, _ps_search_match_get_n_rows (match));
          sql = g_strconcat ("EXPLAIN QUERY PLAN SELECT o.id FROM orders o WHERE ",
                             _ps_search_match_get_where (match, 256),
                             " ORDER BY o.created_at DESC, o.id DESC LIMIT 256", NULL);
          printf ("plan\t%s\n", title);
          if (sqlite3_prepare_v2 (_ps_database_get_handle (db), sql, -1, &stmt, NULL) == SQLITE_OK)
            {
              _ps_search_match_bind (match, 256, stmt, 1);
              while (sqlite3_step (stmt) == SQLITE_ROW)
                printf ("plan\t  %d/%d %s\n", sqlite3_column_int (stmt, 1),
                        sqlite3_column_int (stmt, 0), (const char *) sqlite3_column_text (stmt, 3));
            }
          sqlite3_finalize (stmt);
        }
    }
  g_type_class_unref (sorts);

  /* A full index from scratch, the demo's way and the app's. Each ends
   * with the index complete, as it was. */
  for (int chunked = 0; chunked <= 1; chunked++)
    {
      gint64 n;

      if (!ps_database_begin (db, error))
        return FALSE;
      if (!_ps_order_search_reset (db, error) || !ps_database_commit (db, error))
        {
          ps_database_rollback (db);
          return FALSE;
        }
      n = ps_order_search_count_pending_sync (db, error);
      if (n < 0)
        return FALSE;
      ms = catch_up_chunked (db, chunked ? PS_ORDER_SEARCH_CHUNK : 0, error);
      if (ms < 0)
        return FALSE;
      if (chunked)
        printf ("catchup\tfull index, committed in chunks of %d (app)\t%.1f\t%.1f\t%.1f\t%"
                G_GINT64_FORMAT "\n", PS_ORDER_SEARCH_CHUNK, ms, ms, ms, n);
      else
        printf ("catchup\tfull index, one transaction (demo)\t%.1f\t%.1f\t%.1f\t%"
                G_GINT64_FORMAT "\n", ms, ms, ms, n);
      fflush (stdout);
    }

  return TRUE;
}

static gpointer
bench_job (PsDatabase    *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Bench *b = data;
  g_autoptr(GPtrArray) filters = NULL;
  g_autoptr(GPtrArray) conditions = g_ptr_array_new ();
  GEnumClass *sorts;

  filters = ps_filter_store_list_sync (db, error);
  if (filters == NULL)
    return NULL;
  printf ("orders\t-\t0\t0\t0\t%" G_GINT64_FORMAT "\n",
          ps_order_store_count_sync (db, NULL, b->now, b->tz, NULL));

  for (guint i = 0; i < filters->len; i++)
    {
      PsSavedFilter *f = g_ptr_array_index (filters, i);
      g_autoptr(GArray) count_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) list_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
      gint64 count = 0, listed = 0, paged = 0;

      if (!f->builtin || f->condition == NULL)
        continue;
      g_ptr_array_add (conditions, f->condition);

      for (guint r = 0; r <= b->runs; r++)
        {
          gint64 start = g_get_monotonic_time ();
          double ms;
          g_autoptr(GArray) ids = NULL;

          count = ps_order_store_count_sync (db, f->condition, b->now, b->tz, error);
          if (count < 0)
            return NULL;
          ms = (g_get_monotonic_time () - start) / 1000.0;
          if (r > 0)
            g_array_append_val (count_ms, ms);

          start = g_get_monotonic_time ();
          ids = ps_order_store_query_filtered_ids_sync (db, f->condition, b->now, b->tz,
                                                        PS_ORDER_SORT_CREATED, TRUE, 0, error);
          if (ids == NULL)
            return NULL;
          ms = (g_get_monotonic_time () - start) / 1000.0;
          listed = ids->len;
          if (r > 0)
            g_array_append_val (list_ms, ms);
          g_clear_pointer (&ids, g_array_unref);

          /* What the list reads first, to fill the screen. */
          start = g_get_monotonic_time ();
          ids = ps_order_store_query_filtered_ids_sync (db, f->condition, b->now, b->tz,
                                                        PS_ORDER_SORT_CREATED, TRUE, 256, error);
          if (ids == NULL)
            return NULL;
          ms = (g_get_monotonic_time () - start) / 1000.0;
          paged = ids->len;
          if (r > 0)
            g_array_append_val (page_ms, ms);
        }
      report ("count", f->name, count_ms, count);
      report ("list", f->name, list_ms, listed);
      report ("first-page", f->name, page_ms, paged);

      if (b->plans)
        {
          g_autoptr(PsConditionSql) compiled = NULL;
          g_autofree char *list_sql = NULL;
          g_autofree char *list_title = g_strconcat (f->name, " (first page)", NULL);

          compiled = ps_condition_sql_compile (f->condition, b->now, b->tz);
          list_sql = g_strconcat ("SELECT o.id FROM orders o WHERE ",
                                  ps_condition_sql_get_where (compiled),
                                  " ORDER BY o.created_at DESC, o.id DESC LIMIT ?", NULL);
          print_plan (db, f->name, ps_condition_sql_get_count_sql (compiled), compiled, 0);
          print_plan (db, list_title, list_sql, compiled, 256);
        }
    }

  /* The sidebar: every count in one job. */
  {
    g_autoptr(GArray) ms_all = g_array_new (FALSE, FALSE, sizeof (double));
    gint64 total = 0;

    for (guint r = 0; r <= b->runs; r++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(GArray) counts = NULL;
        double ms;

        counts = ps_order_store_count_many_sync (db, (PsCondition * const *) conditions->pdata,
                                                 conditions->len, b->now, b->tz, NULL, error);
        if (counts == NULL)
          return NULL;
        ms = (g_get_monotonic_time () - start) / 1000.0;
        if (r > 0)
          g_array_append_val (ms_all, ms);
        total = 0;
        for (guint i = 0; i < counts->len; i++)
          total += g_array_index (counts, gint64, i);
      }
    report ("counts", "all built-in filters", ms_all, total);
  }

  /* Every sort key, both ways: the full list and its first page. */
  sorts = g_type_class_ref (PS_TYPE_ORDER_SORT);
  for (guint s = 0; s < sorts->n_values; s++)
    for (int descending = 1; descending >= 0; descending--)
      {
        g_autoptr(GArray) full_ms = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
        g_autofree char *name = g_strdup_printf ("%s %s", sorts->values[s].value_nick,
                                                 descending ? "desc" : "asc");
        gint64 n = 0;

        for (guint r = 0; r <= b->runs; r++)
          {
            gint64 start = g_get_monotonic_time ();
            g_autoptr(GArray) page = NULL;
            g_autoptr(GArray) ids = NULL;
            double ms;

            page = ps_order_store_query_ids_sync (db, (PsOrderSort) sorts->values[s].value,
                                                  descending, 256, error);
            if (page == NULL)
              return NULL;
            ms = (g_get_monotonic_time () - start) / 1000.0;
            if (r > 0)
              g_array_append_val (page_ms, ms);

            start = g_get_monotonic_time ();
            ids = ps_order_store_query_ids_sync (db, (PsOrderSort) sorts->values[s].value,
                                                 descending, 0, error);
            if (ids == NULL)
              return NULL;
            ms = (g_get_monotonic_time () - start) / 1000.0;
            n = ids->len;
            if (r > 0)
              g_array_append_val (full_ms, ms);
          }
        report ("sort", name, full_ms, n);
        report ("page", name, page_ms, 256);
      }
  g_type_class_unref (sorts);

  if (b->plans)
    {
      static const char * const orders[] = {
        "o.created_at DESC, o.id DESC", "o.order_number DESC, o.id DESC",
        "o.customer_name COLLATE NOCASE DESC, o.id DESC",
        "o.channel_id DESC, o.order_number DESC, o.id DESC",
        "o.item_count DESC, o.id DESC", "o.total_minor DESC, o.id DESC",
        "o.ship_country DESC, o.ship_state DESC, o.id DESC",
        "o.status DESC, o.created_at DESC, o.id DESC",
      };

      for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
        {
          g_autofree char *sql = g_strconcat ("SELECT o.id FROM orders o ORDER BY ", orders[i],
                                              NULL);
          print_plan (db, orders[i], sql, NULL, 0);
        }
    }

  if (!bench_search (db, b, error))
    return NULL;

  return GINT_TO_POINTER (TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PsDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  Bench b = { 5, FALSE, 0, NULL };
  gint64 start;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s DB [RUNS] [--plans]\n", argv[0]);
      return 2;
    }
  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--plans"))
        b.plans = TRUE;
      else
        b.runs = (guint) MAX (1, atoi (argv[i]));
    }
  b.now = ps_time_now ();
  b.tz = tz;

  start = g_get_monotonic_time ();
  db = ps_database_new (argv[1], NULL, &error);
  if (db == NULL)
    {
      fprintf (stderr, "orders-bench: %s\n", error->message);
      return 1;
    }
  printf ("open\t%s\t%.1f\t%.1f\t%.1f\t%d\n", argv[1], (g_get_monotonic_time () - start) / 1000.0,
          (g_get_monotonic_time () - start) / 1000.0, (g_get_monotonic_time () - start) / 1000.0,
          ps_database_get_schema_version (db));

  if (ps_database_run_sync (db, bench_job, &b, NULL, &error) == NULL)
    {
      fprintf (stderr, "orders-bench: %s\n", error->message);
      return 1;
    }
  return 0;
}
