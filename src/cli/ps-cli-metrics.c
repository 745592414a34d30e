/* ps-cli-metrics.c: postsale-cli metrics
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Dashboard's numbers without a window: the same PsMetricsService the
 * page uses, for the local days [--from, --to) (default: the last 30 days
 * including today; POSTSALE_NOW pins today, TZ the time zone), one
 * channel or all. With --json, one object with the tiles
 * (docs/METRICS.md), the previous period's values, each tile's drill-down
 * filter (which `postsale-cli orders --filter` counts), the charts and the
 * exception patterns.
 */

#define G_LOG_DOMAIN "ps-cli-metrics"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ps-cli-private.h"
#include "ps-metrics-service.h"
#include "ps-order-store.h"
#include "ps-time.h"

int _ps_cli_metrics (PsCliGlobals *globals, int argc, char **argv);

/* "YYYY-MM-DD" is a local date; anything else as _ps_cli_parse_time(). */
static gboolean
parse_day (const char *text,
           GTimeZone  *tz,
           gint64     *t)
{
  int y, m, d;
  char end;

  if (text != NULL && strlen (text) == 10 &&
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3)
    {
      g_autoptr(GDateTime) dt = g_date_time_new (tz, y, m, d, 0, 0, 0);

      if (dt == NULL)
        return FALSE;
      *t = g_date_time_to_unix (dt);
      return TRUE;
    }
  return _ps_cli_parse_time (text, t);
}

static char *
format_day (gint64     t,
            GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%F");
}

static void
add_number (JsonBuilder *builder,
            const char  *name,
            double       value,
            gboolean     integer)
{
  json_builder_set_member_name (builder, name);
  if (isnan (value) || isinf (value))
    json_builder_add_null_value (builder);
  else if (integer)
    json_builder_add_int_value (builder, (gint64) llround (value));
  else
    json_builder_add_double_value (builder, round (value * 10000) / 10000);
}

static gboolean
metric_is_integer (PsMetric metric)
{
  return metric == PS_METRIC_ORDERS || metric == PS_METRIC_SHIPMENTS ||
         metric == PS_METRIC_AWAITING_SHIPMENT || metric == PS_METRIC_AVG_LABEL_COST;
}

static void
add_drill (JsonBuilder       *builder,
           const PsDrillDown *drill)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "filter");
  if (drill->condition != NULL)
    json_builder_add_value (builder, ps_condition_to_json (drill->condition));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "exact");
  json_builder_add_boolean_value (builder, drill->exact);
  json_builder_end_object (builder);
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *name,
                    const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_chart (JsonBuilder        *builder,
           PsDashboard        *dash,
           PsMetricsChartKind  kind,
           GTimeZone          *tz)
{
  static const char * const key_names[PS_METRICS_CHART_N][2] = {
    { "carrier", NULL }, { "carrier", "region" }, { "carrier", "service" },
    { "bucket", NULL }, { "sku", "product" }, { "reason", NULL },
  };
  static const char * const value_names[PS_METRICS_CHART_N][4] = {
    { "shipments" }, { "shipments", "exceptions", "exception_rate" },
    { "labels", "avg_cost_minor", "avg_14_days_minor", "avg_90_days_minor" },
    { "hours_from", "hours_to", "shipments" }, { "returns", "units" }, { "returns" },
  };
  GArray *rows = dash->data->charts[kind];

  json_builder_set_member_name (builder, ps_metrics_chart_kind_to_nick (kind));
  json_builder_begin_array (builder);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = &g_array_index (dash->chart_drill[kind], PsDrillDown, i);

      json_builder_begin_object (builder);
      if (row->day != 0)
        {
          g_autofree char *day = format_day (row->day, tz);

          add_string_or_null (builder, kind == PS_METRICS_CHART_COST_BY_SERVICE ? "week" : "date",
                              day);
        }
      for (guint k = 0; k < 2; k++)
        if (key_names[kind][k] != NULL)
          add_string_or_null (builder, key_names[kind][k], row->keys[k]);
      for (guint v = 0; v < 4; v++)
        if (value_names[kind][v] != NULL)
          add_number (builder, value_names[kind][v], row->values[v],
                      g_str_equal (value_names[kind][v], "shipments") ||
                      g_str_equal (value_names[kind][v], "labels") ||
                      g_str_equal (value_names[kind][v], "returns"));
      if (kind == PS_METRICS_CHART_COST_BY_SERVICE)
        {
          json_builder_set_member_name (builder, "drift");
          json_builder_add_boolean_value (builder, row->flag);
        }
      if (drill->condition != NULL)
        {
          json_builder_set_member_name (builder, "drill_down");
          add_drill (builder, drill);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
print_json (PsDashboard *dash,
            const char  *channel,
            GTimeZone   *tz)
{
  const PsMetricsData *data = dash->data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = format_day (data->from, tz);
  g_autofree char *to = format_day (data->to, tz);
  g_autofree char *previous_from = format_day (data->previous_from, tz);
  g_autofree char *oldest = NULL;

  json_builder_begin_object (builder);
  add_string_or_null (builder, "from", from);
  add_string_or_null (builder, "to", to);
  add_string_or_null (builder, "previous_from", previous_from);
  add_string_or_null (builder, "channel", channel);

  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    add_number (builder, ps_metric_to_nick (m), data->tiles[m].value, metric_is_integer (m));
  json_builder_set_member_name (builder, "exceptions");
  json_builder_add_int_value (builder, data->exceptions);
  add_string_or_null (builder, "currency", data->currency);
  json_builder_set_member_name (builder, "mixed_currencies");
  json_builder_add_boolean_value (builder, data->mixed_currencies);
  if (data->awaiting_oldest_at != 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (data->awaiting_oldest_at);
      oldest = g_date_time_format_iso8601 (dt);
    }
  add_string_or_null (builder, "awaiting_oldest_at", oldest);
  json_builder_set_member_name (builder, "on_time_no_estimate");
  json_builder_add_int_value (builder, data->on_time_no_estimate);
  json_builder_set_member_name (builder, "returns");
  json_builder_add_int_value (builder, data->returns);

  json_builder_set_member_name (builder, "previous");
  json_builder_begin_object (builder);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    add_number (builder, ps_metric_to_nick (m), data->tiles[m].previous, metric_is_integer (m));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "series");
  json_builder_begin_object (builder);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      GArray *series = data->tiles[m].series;

      json_builder_set_member_name (builder, ps_metric_to_nick (m));
      json_builder_begin_array (builder);
      for (guint i = 0; series != NULL && i < series->len; i++)
        {
          double v = g_array_index (series, double, i);

          if (isnan (v))
            json_builder_add_null_value (builder);
          else
            json_builder_add_double_value (builder, round (v * 10000) / 10000);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "drill_down");
  json_builder_begin_object (builder);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      json_builder_set_member_name (builder, ps_metric_to_nick (m));
      add_drill (builder, &dash->tile_drill[m]);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "charts");
  json_builder_begin_object (builder);
  for (PsMetricsChartKind k = 0; k < PS_METRICS_CHART_N; k++)
    add_chart (builder, dash, k, tz);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "patterns");
  json_builder_begin_array (builder);
  for (guint i = 0; i < dash->patterns->len; i++)
    {
      const PsDashboardPattern *p = &g_array_index (dash->patterns, PsDashboardPattern, i);
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "carrier", p->carrier);
      add_string_or_null (builder, "service", p->service);
      add_string_or_null (builder, "region", p->region);
      json_builder_set_member_name (builder, "weekday");
      if (p->weekday != 0)
        json_builder_add_int_value (builder, p->weekday);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "shipments");
      json_builder_add_int_value (builder, p->shipments);
      json_builder_set_member_name (builder, "exceptions");
      json_builder_add_int_value (builder, p->exceptions);
      add_number (builder, "rate", p->rate, FALSE);
      add_number (builder, "baseline", p->baseline, FALSE);
      add_number (builder, "ratio", p->ratio, FALSE);
      json_builder_set_member_name (builder, "p_value");
      json_builder_add_double_value (builder, p->p_value);
      json_builder_set_member_name (builder, "q_value");
      json_builder_add_double_value (builder, p->q_value);
      text = g_strdup_printf ("%s%s%s%s%s%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
                              " shipments had exceptions, %.1f× the usual rate",
                              p->carrier != NULL ? p->carrier : "any carrier",
                              p->service != NULL ? " " : "", p->service != NULL ? p->service : "",
                              p->region != NULL ? " to " : "", p->region != NULL ? p->region : "",
                              p->weekday != 0 ? (const char *[]) { "", " on Mondays",
                                " on Tuesdays", " on Wednesdays", " on Thursdays", " on Fridays",
                                " on Saturdays", " on Sundays" }[p->weekday] : "",
                              p->exceptions, p->shipments, p->ratio);
      add_string_or_null (builder, "description", text);
      json_builder_set_member_name (builder, "drill_down");
      add_drill (builder, &p->drill);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cells_tested");
  json_builder_add_int_value (builder, dash->n_cells_tested);
  json_builder_set_member_name (builder, "rebuilt_days");
  json_builder_add_int_value (builder, data->rebuilt_days);
  json_builder_set_member_name (builder, "elapsed_ms");
  json_builder_add_double_value (builder, dash->elapsed_us / 1000.0);
  json_builder_end_object (builder);
  _ps_cli_print_json (builder);
}

static void
print_text (PsDashboard *dash,
            GTimeZone   *tz)
{
  const PsMetricsData *data = dash->data;
  g_autofree char *from = format_day (data->from, tz);
  g_autofree char *to = format_day (data->to, tz);

  printf ("Period %s to %s (not included)\n", from, to);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    printf ("  %-24s %12.2f   previous %12.2f\n", ps_metric_to_nick (m),
            data->tiles[m].value, data->tiles[m].previous);
  printf ("  %-24s %12" G_GINT64_FORMAT "\n", "exceptions", data->exceptions);
  printf ("  %-24s %12s%s\n", "currency", data->currency != NULL ? data->currency : "-",
          data->mixed_currencies ? " (others left out)" : "");
  for (guint i = 0; i < dash->patterns->len; i++)
    {
      const PsDashboardPattern *p = &g_array_index (dash->patterns, PsDashboardPattern, i);

      printf ("Pattern: %s %s to %s, weekday %d: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
              " shipments had exceptions, %.1f× the usual rate\n",
              p->carrier != NULL ? p->carrier : "any carrier",
              p->service != NULL ? p->service : "(any service)",
              p->region != NULL ? p->region : "anywhere", p->weekday, p->exceptions,
              p->shipments, p->ratio);
    }
}

int
_ps_cli_metrics (PsCliGlobals  *globals,
                 int            argc,
                 char         **argv)
{
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *channel = NULL;
  double drift = PS_METRICS_DEFAULT_DRIFT_PERCENT;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      "First day of the period (YYYY-MM-DD, local; default: 29 days before today)", "DATE" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      "Day after the period's last day, not included (default: tomorrow)", "DATE" },
    { "channel", 0, 0, G_OPTION_ARG_STRING, &channel, "Only this sales channel", "NAME" },
    { "drift", 0, 0, G_OPTION_ARG_DOUBLE, &drift,
      "Flag a service whose 14-day average label cost is this many percent over its 90-day "
      "average (default 5)", "PERCENT" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(PsMetricsService) service = NULL;
  g_autoptr(PsDashboard) dash = NULL;
  g_autoptr(GError) error = NULL;
  GTimeZone *tz;
  gint64 from, to;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "metrics", NULL,
                                        "Print the dashboard's numbers for a period", entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc > 1)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "metrics: unexpected argument “%s”", argv[1]);
  if (drift < 0)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "metrics: --drift must not be negative");

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;
  tz = ps_order_store_get_time_zone (ps_context_get_order_store (context));

  if (to_text != NULL)
    {
      if (!parse_day (to_text, tz, &to))
        return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                             "metrics: --to: “%s” is not a date (YYYY-MM-DD)", to_text);
    }
  else
    to = ps_time_day_start (ps_time_day_start (ps_time_now (), tz) + 30 * 3600, tz);
  if (from_text != NULL)
    {
      if (!parse_day (from_text, tz, &from))
        return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                             "metrics: --from: “%s” is not a date (YYYY-MM-DD)", from_text);
    }
  else
    from = ps_time_day_start (to - 30 * 86400 + 12 * 3600, tz);
  if (ps_time_day_start (to, tz) <= ps_time_day_start (from, tz))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "metrics: --to must be a later day than --from (--to is not included)");

  service = ps_metrics_service_new (context);
  ps_metrics_service_set_drift_percent (service, drift);
  dash = ps_metrics_service_compute_sync (service, from, to, channel, NULL, &error);
  if (dash == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_FAILED, "metrics: %s", error->message);

  if (globals->json)
    print_json (dash, channel, tz);
  else
    print_text (dash, tz);
  return 0;
}
