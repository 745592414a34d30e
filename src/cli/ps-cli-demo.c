/* ps-cli-demo.c: postsale-cli demo
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ps-cli-demo"

#include "config.h"

#include <stdio.h>

#include "ps-cli-private.h"
#include "ps-demo.h"

typedef struct
{
  PsDemoOptions options;
  gboolean      replace;
  PsDemoStats   stats;
  gint64        existing;
} DemoJob;

static gpointer
count_orders_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  DemoJob *job = data;
  g_autoptr(GArray) ids = ps_order_store_query_ids_sync (db, PS_ORDER_SORT_CREATED, FALSE, 1, error);

  if (ids == NULL)
    return NULL;
  job->existing = ids->len;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  DemoJob *job = data;

  if (!ps_demo_generate (db, &job->options, &job->stats, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

int
_ps_cli_demo (PsCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  int n_orders = PS_DEMO_DEFAULT_ORDERS;
  gint64 seed = PS_DEMO_DEFAULT_SEED;
  g_autofree char *now_text = NULL;
  gboolean replace = FALSE;
  const GOptionEntry entries[] = {
    { "orders", 0, 0, G_OPTION_ARG_INT, &n_orders, "Number of orders (default 2500)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Random seed; the same seed gives the same data", "S" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text,
      "End of the 90-day history (YYYY-MM-DD or Unix seconds; default now)", "DATE" },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      "Delete the orders already in the database first", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  DemoJob job = { { 0 } };
  PsDatabase *db;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "demo", NULL,
                                        "Fill the database with a realistic, deterministic 90-day "
                                        "history: orders from five channels, shipments with "
                                        "tracking, exceptions and returns.",
                                        entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "demo: unexpected argument “%s”", argv[1]);
  if (n_orders < 1 || n_orders > 10000000)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "demo: --orders must be between 1 and 10000000");
  if (seed < 0)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "demo: --seed must not be negative");

  job.options.n_orders = (guint)n_orders;
  job.options.seed = (guint64)seed;
  job.replace = replace;
  job.options.replace = replace;
  if (now_text != NULL && !_ps_cli_parse_time (now_text, &job.options.now))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "demo: cannot read the date “%s”", now_text);

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;
  db = ps_context_get_database (context);

  if (ps_database_run_sync (db, count_orders_job, &job, NULL, &error) == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);
  if (job.existing > 0 && !replace)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "%s already holds orders; "
                         "use --replace to delete them and generate the demo",
                         ps_database_get_path (db));

  if (ps_database_run_sync (db, demo_job, &job, NULL, &error) == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "%s", error->message);

  if (globals->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
#define MEMBER(name, value) \
      json_builder_set_member_name (builder, name); json_builder_add_int_value (builder, value)
      MEMBER ("orders", job.stats.orders);
      MEMBER ("line_items", job.stats.line_items);
      MEMBER ("shipments", job.stats.shipments);
      MEMBER ("tracking_events", job.stats.tracking_events);
      MEMBER ("returns", job.stats.returns);
      MEMBER ("events", job.stats.events);
      MEMBER ("seed", (gint64)job.options.seed);
#undef MEMBER
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, g_timer_elapsed (timer, NULL));
      json_builder_end_object (builder);
      _ps_cli_print_json (builder);
    }
  else
    printf ("Generated %u orders, %u shipments, %u returns in %s (%.1f s)\n",
            job.stats.orders, job.stats.shipments, job.stats.returns,
            ps_database_get_path (db), g_timer_elapsed (timer, NULL));

  return 0;
}
