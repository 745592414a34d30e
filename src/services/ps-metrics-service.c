/* ps-metrics-service.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Dashboard's service: the numbers come from PsMetricsStore on the
 * database worker (docs/METRICS.md defines them), the exception patterns
 * from the pure statistics of automation/ps-stats.c, and every tile,
 * chart element and pattern gets the condition (the filter language of
 * the Orders page) that lists the orders behind it.
 *
 * Drill-downs are exact where the condition language can say exactly
 * which orders were counted; for shipment numbers, the orders of the
 * shipments counted. Every test on a shipment sits in one shipment group
 * ({"shipment": {"all": […]}}), so "carrier is ups" and "label created on
 * Monday" are about the same shipment; had_exception is the metrics'
 * "ever had an exception" and estimated_delivery_at tells the delivered
 * shipments the on-time rate is about. What stays inexact (exact FALSE):
 * the label cost where some labels have no rate or another currency (the
 * language has no rate field), carriers or services whose names differ
 * only in case (the language compares them ignoring case, the roll-ups do
 * not), and the returns-by-product row of lines without a SKU. The
 * scan-hours histogram's buckets are label_to_scan_hours ranges. Returns
 * numbers list the orders of the returns counted: every test on a return
 * sits in one return group ({"return": {"all": […]}}), so the request
 * time, the reason and the SKU are the same return's.
 */

#define G_LOG_DOMAIN "ps-metrics-service"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-enums.h"
#include "ps-metrics-service.h"
#include "ps-order-store.h"
#include "ps-region.h"
#include "ps-stats.h"
#include "ps-time.h"

struct _PsMetricsService
{
  GObject     parent_instance;

  PsContext  *context;
  double      drift_percent;
};

G_DEFINE_FINAL_TYPE (PsMetricsService, ps_metrics_service, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (PsDashboard, ps_dashboard, ps_dashboard_ref, ps_dashboard_unref)

/* PsDashboard */

typedef struct
{
  PsDashboard public;
  gatomicrefcount ref_count;
} DashboardBox;

static void
drill_clear (gpointer data)
{
  PsDrillDown *drill = data;

  g_clear_pointer (&drill->condition, ps_condition_unref);
}

static void
pattern_clear (gpointer data)
{
  PsDashboardPattern *pattern = data;

  g_free (pattern->carrier);
  g_free (pattern->region);
  g_free (pattern->service);
  drill_clear (&pattern->drill);
}

static PsDashboard *
dashboard_new (void)
{
  DashboardBox *box = g_new0 (DashboardBox, 1);

  g_atomic_ref_count_init (&box->ref_count);
  box->public.patterns = g_array_new (FALSE, TRUE, sizeof (PsDashboardPattern));
  g_array_set_clear_func (box->public.patterns, pattern_clear);
  for (guint c = 0; c < PS_METRICS_CHART_N; c++)
    {
      box->public.chart_drill[c] = g_array_new (FALSE, TRUE, sizeof (PsDrillDown));
      g_array_set_clear_func (box->public.chart_drill[c], drill_clear);
    }
  return &box->public;
}

/**
 * ps_dashboard_ref:
 * @self: a dashboard
 *
 * Returns: (transfer full): @self
 */
PsDashboard *
ps_dashboard_ref (PsDashboard *self)
{
  DashboardBox *box = (DashboardBox *) self;

  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&box->ref_count);
  return self;
}

/**
 * ps_dashboard_unref:
 * @self: (transfer full): a dashboard
 */
void
ps_dashboard_unref (PsDashboard *self)
{
  DashboardBox *box = (DashboardBox *) self;

  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&box->ref_count))
    return;
  g_clear_pointer (&self->data, ps_metrics_data_free);
  for (guint i = 0; i < PS_METRIC_N; i++)
    drill_clear (&self->tile_drill[i]);
  for (guint c = 0; c < PS_METRICS_CHART_N; c++)
    g_clear_pointer (&self->chart_drill[c], g_array_unref);
  g_clear_pointer (&self->patterns, g_array_unref);
  g_free (box);
}

static const char * const metric_nicks[PS_METRIC_N] = {
  "orders", "shipments", "awaiting_shipment", "on_time_rate", "exception_rate",
  "avg_label_cost_minor", "avg_label_to_scan_hours", "returns_rate",
};

static const char * const chart_nicks[PS_METRICS_CHART_N] = {
  "shipments_by_carrier", "exceptions_by_region", "cost_by_service", "scan_hours",
  "returns_by_product", "returns_by_reason",
};

/**
 * ps_metric_to_nick:
 * @metric: a tile
 *
 * Returns: the key the CLI prints it under ("on_time_rate")
 */
const char *
ps_metric_to_nick (PsMetric metric)
{
  g_return_val_if_fail (metric < PS_METRIC_N, NULL);
  return metric_nicks[metric];
}

/**
 * ps_metrics_chart_kind_to_nick:
 * @chart: a chart
 *
 * Returns: its stable name ("cost_by_service"), also the CSV file's
 */
const char *
ps_metrics_chart_kind_to_nick (PsMetricsChartKind chart)
{
  g_return_val_if_fail (chart < PS_METRICS_CHART_N, NULL);
  return chart_nicks[chart];
}

/* CSV */

static void
csv_text (GString    *csv,
          const char *text)
{
  const char *p;

  if (text == NULL)
    return;
  /* RFC 4180 quoting, and a leading apostrophe for what a spreadsheet
   * would run as a formula (as the orders export does). */
  if (strpbrk (text, ",\"\r\n") == NULL && strchr ("=+-@\t", text[0]) == NULL)
    {
      g_string_append (csv, text);
      return;
    }
  g_string_append_c (csv, '"');
  if (text[0] != '\0' && strchr ("=+-@\t\r", text[0]) != NULL)
    g_string_append_c (csv, '\'');
  for (p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv, '"');
      g_string_append_c (csv, *p);
    }
  g_string_append_c (csv, '"');
}

static void
csv_number (GString *csv,
            double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    return;
  if (isinf (value))
    return;
  if (value == floor (value) && fabs (value) < 1e15)
    g_string_append_printf (csv, "%" G_GINT64_FORMAT, (gint64) value);
  else
    g_string_append (csv, g_ascii_formatd (buf, sizeof buf, "%.4f", value));
}

static void
csv_day (GString *csv,
         gint64   day)
{
  /* Days are local midnights; the date of one is the date of noon. */
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (day + 12 * 3600);
  g_autofree char *text = dt != NULL ? g_date_time_format (dt, "%Y-%m-%d") : NULL;

  g_string_append (csv, text != NULL ? text : "");
}

/**
 * ps_dashboard_chart_to_csv:
 * @self: a dashboard
 * @chart: which chart
 *
 * The chart's data as CSV (RFC 4180, a header row, UTF-8), one line per
 * element: what "Export CSV" of the chart saves.
 *
 * Returns: (transfer full): the CSV text
 */
char *
ps_dashboard_chart_to_csv (PsDashboard        *self,
                           PsMetricsChartKind  chart)
{
  static const char * const headers[PS_METRICS_CHART_N] = {
    "date,carrier,shipments",
    "carrier,region,shipments,exceptions,exception_rate",
    "week,carrier,service,labels,avg_cost_minor,avg_14_days_minor,avg_90_days_minor,drift",
    "hours_from,hours_to,shipments",
    "sku,product,returns,units",
    "reason,returns",
  };
  GString *csv;
  GArray *rows;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (chart < PS_METRICS_CHART_N, NULL);

  csv = g_string_new (headers[chart]);
  g_string_append (csv, "\r\n");
  rows = self->data->charts[chart];
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);

      switch (chart)
        {
        case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
          csv_day (csv, row->day);
          g_string_append_c (csv, ',');
          csv_text (csv, row->keys[0]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[0]);
          break;
        case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
          csv_text (csv, row->keys[0]);
          g_string_append_c (csv, ',');
          csv_text (csv, row->keys[1]);
          for (guint v = 0; v < 3; v++)
            {
              g_string_append_c (csv, ',');
              csv_number (csv, row->values[v]);
            }
          break;
        case PS_METRICS_CHART_COST_BY_SERVICE:
          csv_day (csv, row->day);
          for (guint k = 0; k < 2; k++)
            {
              g_string_append_c (csv, ',');
              csv_text (csv, row->keys[k]);
            }
          for (guint v = 0; v < 4; v++)
            {
              g_string_append_c (csv, ',');
              csv_number (csv, v == 0 ? row->values[v] : round (row->values[v] * 100) / 100);
            }
          g_string_append (csv, row->flag ? ",yes" : ",no");
          break;
        case PS_METRICS_CHART_SCAN_HOURS:
          csv_number (csv, row->values[0]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[1]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[2]);
          break;
        case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
          csv_text (csv, row->keys[0]);
          g_string_append_c (csv, ',');
          csv_text (csv, row->keys[1]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[0]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[1]);
          break;
        case PS_METRICS_CHART_RETURNS_BY_REASON:
        default:
          csv_text (csv, row->keys[0]);
          g_string_append_c (csv, ',');
          csv_number (csv, row->values[0]);
          break;
        }
      g_string_append (csv, "\r\n");
    }
  return g_string_free (csv, FALSE);
}

/* Drill-down conditions, built as JSON and parsed, so they are exactly
 * what a saved filter of the same text would be. */

static JsonNode *
leaf (const char *field,
      const char *op,
      JsonNode   *value)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "field", field);
  json_object_set_string_member (object, "op", op);
  if (value != NULL)
    json_object_set_member (object, "value", value);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
string_value (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return node;
}

static JsonNode *
strings_value (GPtrArray *texts)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < texts->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (texts, i));
  json_node_take_array (node, array);
  return node;
}

/* Half a second in hours. */
#define HALF_SECOND (1.0 / 7200.0)

static JsonNode *
double_value (double value)
{
  return json_node_init_double (json_node_alloc (), value);
}

static JsonNode *
doubles_value (double low,
               double high)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_double_element (array, low);
  json_array_add_double_element (array, high);
  json_node_take_array (node, array);
  return node;
}

/* [from, to) as between's inclusive [from, to - 1]. */
static JsonNode *
between (const char *field,
         gint64      from,
         gint64      to)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_int_element (array, from);
  json_array_add_int_element (array, to - 1);
  json_node_take_array (node, array);
  return leaf (field, "between", node);
}

static JsonNode *
group (const char *kind,
       GPtrArray  *children)
{
  JsonObject *object = json_object_new ();
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < children->len; i++)
    json_array_add_element (array, g_ptr_array_index (children, i));
  g_ptr_array_set_size (children, 0);
  json_object_set_array_member (object, kind, array);
  json_node_take_object (node, object);
  return node;
}

/* Which two-letter codes ps_region_for_address() puts in each region,
 * read through the function itself (asking it about every code once), so
 * the two cannot disagree. */
typedef struct
{
  GHashTable *us_in;      /* region → GPtrArray of US states */
  GHashTable *world_in;   /* region → GPtrArray of countries */
  GPtrArray  *us_all;     /* every state some US region lists */
  GPtrArray  *world_all;  /* every country some region lists */
} RegionCodes;

static void
add_code (GHashTable *table,
          const char *region,
          const char *code)
{
  GPtrArray *codes = g_hash_table_lookup (table, region);

  if (codes == NULL)
    {
      codes = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (table, g_strdup (region), codes);
    }
  g_ptr_array_add (codes, g_strdup (code));
}

static const RegionCodes *
region_codes (void)
{
  static RegionCodes codes;
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      char code[3] = { 0 };

      codes.us_in = g_hash_table_new (g_str_hash, g_str_equal);
      codes.world_in = g_hash_table_new (g_str_hash, g_str_equal);
      codes.us_all = g_ptr_array_new ();
      codes.world_all = g_ptr_array_new ();
      for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++)
          {
            const char *r;

            code[0] = a;
            code[1] = b;
            r = ps_region_for_address ("US", code);
            if (!g_str_equal (r, "us-other"))
              {
                add_code (codes.us_in, r, code);
                g_ptr_array_add (codes.us_all, g_strdup (code));
              }
            if (g_str_equal (code, "US"))
              continue;
            r = ps_region_for_address (code, NULL);
            if (!g_str_equal (r, "other"))
              {
                add_code (codes.world_in, r, code);
                g_ptr_array_add (codes.world_all, g_strdup (code));
              }
          }
      g_once_init_leave (&initialized, 1);
    }
  return &codes;
}

/* The country and state tests that mean "ps_region_for_address() gives
 * @region". */
static JsonNode *
region_condition (const char *region)
{
  const RegionCodes *codes = region_codes ();
  GPtrArray *us_in = g_hash_table_lookup (codes->us_in, region);
  GPtrArray *world_in = g_hash_table_lookup (codes->world_in, region);
  g_autoptr(GPtrArray) children = g_ptr_array_new ();

  if (us_in != NULL)
    {
      g_ptr_array_add (children, leaf ("ship_country", "is", string_value ("US")));
      g_ptr_array_add (children, leaf ("ship_state", "in", strings_value (us_in)));
      return group ("all", children);
    }
  if (world_in != NULL)
    return leaf ("ship_country", "in", strings_value (world_in));
  if (g_str_equal (region, "us-other"))
    {
      g_ptr_array_add (children, leaf ("ship_country", "is", string_value ("US")));
      for (guint i = 0; i < codes->us_all->len; i++)
        g_ptr_array_add (children, leaf ("ship_state", "is_not",
                                         string_value (g_ptr_array_index (codes->us_all, i))));
      return group ("all", children);
    }
  /* "other": not the US and no listed country. */
  g_ptr_array_add (children, leaf ("ship_country", "is_not", string_value ("US")));
  for (guint i = 0; i < codes->world_all->len; i++)
    g_ptr_array_add (children, leaf ("ship_country", "is_not",
                                     string_value (g_ptr_array_index (codes->world_all, i))));
  return group ("all", children);
}

/* {@member: {"all": [@children...]}}: one shipment ("shipment") or one
 * return ("return") passes them all. */
static JsonNode *
one_of (const char *member,
        GPtrArray  *children)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (object, member, group ("all", children));
  json_node_take_object (node, object);
  return node;
}

#define shipment_group(children) one_of ("shipment", (children))
#define return_group(children) one_of ("return", (children))

/* "@field is @text" for a carrier or a service; a blank one (the columns
 * are NOT NULL, so '') is is_empty, as text values cannot be empty. */
static JsonNode *
text_is (const char *field,
         const char *text)
{
  if (text == NULL || text[0] == '\0')
    return leaf (field, "is_empty", NULL);
  return leaf (field, "is", string_value (text));
}

/* Whether some carrier (@service FALSE) or service of the period differs
 * from @name in case only: the roll-ups keep them apart, the condition
 * language (which ignores ASCII case) does not. */
static gboolean
has_case_twin (const PsMetricsData *data,
               const char          *name,
               gboolean             service)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < data->cells->len; i++)
    {
      const PsMetricsCell *cell = &g_array_index (data->cells, PsMetricsCell, i);
      const char *other = service ? cell->service : cell->carrier;

      if (other != NULL && g_ascii_strcasecmp (other, name) == 0 && strcmp (other, name) != 0)
        return TRUE;
    }
  return FALSE;
}

/* all[channel?, @children...] as a condition. */
static PsDrillDown
drill_all (const char *channel,
           GPtrArray  *children,
           gboolean    exact)
{
  PsDrillDown drill = { NULL, exact };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (channel != NULL)
    g_ptr_array_insert (children, 0, leaf ("channel", "is", string_value (channel)));
  node = group ("all", children);
  drill.condition = ps_condition_from_json (node, &error);
  if (drill.condition == NULL)
    g_critical ("A drill-down condition does not parse: %s", error->message);
  return drill;
}

/* "@field is set" for a timestamp, as "gt 0": a one-sided range, so
 * SQLite starts from the label day's index (a two-sided range) rather
 * than from every delivered shipment. */
static JsonNode *
is_set (const char *field)
{
  return leaf (field, "gt", json_node_init_int (json_node_alloc (), 0));
}

static void
build_tile_drills (PsDashboard *dash,
                   const char  *channel)
{
  const PsMetricsData *data = dash->data;
  g_autoptr(GPtrArray) c = g_ptr_array_new ();
  g_autoptr(GPtrArray) s = g_ptr_array_new ();

  g_ptr_array_add (c, between ("created_at", data->from, data->to));
  dash->tile_drill[PS_METRIC_ORDERS] = drill_all (channel, c, TRUE);

  g_ptr_array_add (c, between ("label_created_at", data->from, data->to));
  dash->tile_drill[PS_METRIC_SHIPMENTS] = drill_all (channel, c, TRUE);

  g_ptr_array_add (c, leaf ("status", "is", string_value ("awaiting_shipment")));
  dash->tile_drill[PS_METRIC_AWAITING_SHIPMENT] = drill_all (channel, c, TRUE);

  /* The shipments the rate is about: delivered, with an estimate. */
  g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
  g_ptr_array_add (s, is_set ("delivered_at"));
  g_ptr_array_add (s, is_set ("estimated_delivery_at"));
  g_ptr_array_add (c, shipment_group (s));
  dash->tile_drill[PS_METRIC_ON_TIME_RATE] = drill_all (channel, c, TRUE);

  /* The exceptions (the numerator). */
  g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
  g_ptr_array_add (s, leaf ("had_exception", "is", json_node_init_boolean (json_node_alloc (), TRUE)));
  g_ptr_array_add (c, shipment_group (s));
  dash->tile_drill[PS_METRIC_EXCEPTION_RATE] = drill_all (channel, c, TRUE);

  /* Every label of the period; exact when each has a rate in the one
   * currency the average is about. */
  g_ptr_array_add (c, between ("label_created_at", data->from, data->to));
  dash->tile_drill[PS_METRIC_AVG_LABEL_COST] =
    drill_all (channel, c, !data->mixed_currencies &&
                           data->tiles[PS_METRIC_AVG_LABEL_COST].denominator ==
                           data->tiles[PS_METRIC_SHIPMENTS].value);

  g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
  g_ptr_array_add (s, is_set ("first_scan_at"));
  g_ptr_array_add (c, shipment_group (s));
  dash->tile_drill[PS_METRIC_AVG_LABEL_TO_SCAN_HOURS] = drill_all (channel, c, TRUE);

  /* The returns requested in the period (the numerator). */
  g_ptr_array_add (s, between ("return_requested_at", data->from, data->to));
  g_ptr_array_add (c, return_group (s));
  dash->tile_drill[PS_METRIC_RETURNS_RATE] = drill_all (channel, c, TRUE);
}

/* 1 (Monday) to 7 of the local day @day starts. */
static int
local_weekday (gint64     day,
               GTimeZone *tz)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_get_day_of_week (local);
}

static void
build_chart_drills (PsDashboard *dash,
                    const char  *channel,
                    GTimeZone   *tz)
{
  const PsMetricsData *data = dash->data;
  g_autoptr(GPtrArray) c = g_ptr_array_new ();
  g_autoptr(GPtrArray) s = g_ptr_array_new ();

  for (guint k = 0; k < PS_METRICS_CHART_N; k++)
    {
      GArray *rows = data->charts[k];

      for (guint i = 0; i < rows->len; i++)
        {
          const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
          PsDrillDown drill = { NULL, FALSE };
          gint64 end;

          switch (k)
            {
            case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
              /* The day's labels of the carrier. */
              end = ps_time_day_start (row->day + 30 * 3600, tz);
              g_ptr_array_add (s, text_is ("carrier", row->keys[0]));
              g_ptr_array_add (s, between ("label_created_at", row->day, end));
              g_ptr_array_add (c, shipment_group (s));
              drill = drill_all (channel, c, !has_case_twin (data, row->keys[0], FALSE));
              break;
            case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
              /* The cell's shipments (exceptions or not). */
              g_ptr_array_add (s, text_is ("carrier", row->keys[0]));
              g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
              g_ptr_array_add (c, shipment_group (s));
              g_ptr_array_add (c, region_condition (row->keys[1]));
              drill = drill_all (channel, c, !has_case_twin (data, row->keys[0], FALSE));
              break;
            case PS_METRICS_CHART_COST_BY_SERVICE:
              /* The week's labels of the service: exact when all of them
               * have a rate in the dominant currency. */
              /* The week ends at the next Monday (the first one starts
               * with the period, on any day). */
              end = row->day;
              do
                end = ps_time_day_start (end + 30 * 3600, tz);
              while (end < data->to && local_weekday (end, tz) != G_DATE_MONDAY);
              g_ptr_array_add (s, text_is ("carrier", row->keys[0]));
              g_ptr_array_add (s, text_is ("service", row->keys[1]));
              g_ptr_array_add (s, between ("label_created_at", MAX (row->day, data->from),
                                           MIN (end, data->to)));
              g_ptr_array_add (c, shipment_group (s));
              drill = drill_all (channel, c, row->shipments == (gint64) row->values[0] &&
                                             !has_case_twin (data, row->keys[0], FALSE) &&
                                             !has_case_twin (data, row->keys[1], TRUE));
              break;
            case PS_METRICS_CHART_SCAN_HOURS:
              /* [lo, hi) hours: the largest value below hi is a second
               * less (hours are whole seconds / 3600), so [lo, hi - ½ s]
               * is exact. */
              g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
              if (isinf (row->values[1]))
                g_ptr_array_add (s, leaf ("label_to_scan_hours", "gt",
                                          double_value (row->values[0] - HALF_SECOND)));
              else
                g_ptr_array_add (s, leaf ("label_to_scan_hours", "between",
                                          doubles_value (row->values[0],
                                                         row->values[1] - HALF_SECOND)));
              g_ptr_array_add (c, shipment_group (s));
              drill = drill_all (channel, c, TRUE);
              break;
            case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
              /* The period's returns with a line of the SKU. Lines without
               * one ("") are not a test the language has: "return_sku
               * is_empty" lists the returns with no SKU at all, not those
               * with some line without one. */
              g_ptr_array_add (s, between ("return_requested_at", data->from, data->to));
              if (row->keys[0] != NULL && row->keys[0][0] != '\0')
                g_ptr_array_add (s, leaf ("return_sku", "is", string_value (row->keys[0])));
              else
                g_ptr_array_add (s, leaf ("return_sku", "is_empty", NULL));
              g_ptr_array_add (c, return_group (s));
              drill = drill_all (channel, c, row->keys[0] != NULL && row->keys[0][0] != '\0');
              break;
            case PS_METRICS_CHART_RETURNS_BY_REASON:
              {
                int reason;

                /* The period's returns with the reason; a reason the
                 * language does not know (not written by Postsale) has no
                 * filter. */
                if (row->keys[0] == NULL ||
                    !ps_enum_from_nick (PS_TYPE_RETURN_REASON, row->keys[0], &reason))
                  break;
                g_ptr_array_add (s, between ("return_requested_at", data->from, data->to));
                g_ptr_array_add (s, leaf ("return_reason", "is", string_value (row->keys[0])));
                g_ptr_array_add (c, return_group (s));
                drill = drill_all (channel, c, TRUE);
              }
              break;
            case PS_METRICS_CHART_N:
            default:
              break;
            }
          g_array_append_val (dash->chart_drill[k], drill);
        }
    }
}

static void
find_patterns (PsDashboard *dash,
               const char  *channel,
               GTimeZone   *tz)
{
  static const char * const weekdays[] = { "0", "1", "2", "3", "4", "5", "6", "7" };
  const PsMetricsData *data = dash->data;
  g_autofree PsStatsCell *cells = g_new0 (PsStatsCell, MAX (data->cells->len, 1));
  g_autoptr(GArray) found = NULL;
  g_autoptr(GPtrArray) c = g_ptr_array_new ();
  g_autoptr(GPtrArray) s = g_ptr_array_new ();
  g_autoptr(GPtrArray) days = g_ptr_array_new ();

  for (guint i = 0; i < data->cells->len; i++)
    {
      const PsMetricsCell *cell = &g_array_index (data->cells, PsMetricsCell, i);

      cells[i].keys[0] = cell->carrier;
      cells[i].keys[1] = cell->region;
      cells[i].keys[2] = cell->service;
      cells[i].keys[3] = weekdays[CLAMP (cell->weekday, 0, 7)];
      cells[i].trials = cell->shipments;
      cells[i].successes = cell->exceptions;
    }
  found = ps_stats_find_patterns (cells, data->cells->len, PS_METRICS_PATTERN_MIN_SHIPMENTS,
                                  PS_METRICS_PATTERN_FDR, &dash->n_cells_tested);

  for (guint i = 0; i < found->len; i++)
    {
      const PsStatsPattern *p = &g_array_index (found, PsStatsPattern, i);
      PsDashboardPattern pattern = { 0 };

      pattern.carrier = g_strdup (p->cell.keys[0]);
      pattern.region = g_strdup (p->cell.keys[1]);
      pattern.service = g_strdup (p->cell.keys[2]);
      pattern.weekday = p->cell.keys[3] != NULL ? atoi (p->cell.keys[3]) : 0;
      pattern.shipments = p->cell.trials;
      pattern.exceptions = p->cell.successes;
      pattern.rate = p->rate;
      pattern.baseline = p->baseline;
      pattern.ratio = p->ratio;
      pattern.p_value = p->p_value;
      pattern.q_value = p->q_value;

      /* The cell's shipments: one shipment of the carrier and service,
       * labelled on the weekday, to the region. */
      if (pattern.carrier != NULL)
        g_ptr_array_add (s, text_is ("carrier", pattern.carrier));
      if (pattern.service != NULL)
        g_ptr_array_add (s, text_is ("service", pattern.service));
      if (pattern.region != NULL)
        g_ptr_array_add (c, region_condition (pattern.region));
      if (pattern.weekday != 0)
        {
          /* The weekday as the period's days that fall on it. */
          for (guint d = 0; d + 1 < data->days->len; d++)
            {
              gint64 day = g_array_index (data->days, gint64, d);

              if (local_weekday (day, tz) == pattern.weekday)
                g_ptr_array_add (days, between ("label_created_at", day,
                                                g_array_index (data->days, gint64, d + 1)));
            }
          g_ptr_array_add (s, group ("any", days));
        }
      else
        g_ptr_array_add (s, between ("label_created_at", data->from, data->to));
      g_ptr_array_add (c, shipment_group (s));
      pattern.drill = drill_all (channel, c, !has_case_twin (data, pattern.carrier, FALSE) &&
                                             !has_case_twin (data, pattern.service, TRUE));
      g_array_append_val (dash->patterns, pattern);
    }
}

/* The service */

typedef struct
{
  gint64     from;
  gint64     to;
  char      *channel;
  GTimeZone *tz;
  double     drift_percent;
} ComputeJob;

static void
compute_job_free (gpointer data)
{
  ComputeJob *job = data;

  g_free (job->channel);
  g_time_zone_unref (job->tz);
  g_free (job);
}

static gpointer
compute_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  ComputeJob *job = data;
  gint64 start = g_get_monotonic_time ();
  PsMetricsData *metrics;
  PsDashboard *dash;

  metrics = ps_metrics_store_compute_sync (db, job->from, job->to, job->channel, job->tz,
                                           job->drift_percent, cancellable, error);
  if (metrics == NULL)
    return NULL;

  /* The conditions and the statistics are pure and cheap; doing them
   * here keeps the main loop free for the page. */
  dash = dashboard_new ();
  dash->data = metrics;
  build_tile_drills (dash, job->channel);
  build_chart_drills (dash, job->channel, job->tz);
  find_patterns (dash, job->channel, job->tz);
  dash->elapsed_us = g_get_monotonic_time () - start;
  return dash;
}

static void
ps_metrics_service_dispose (GObject *object)
{
  PsMetricsService *self = PS_METRICS_SERVICE (object);

  g_clear_object (&self->context);

  G_OBJECT_CLASS (ps_metrics_service_parent_class)->dispose (object);
}

static void
ps_metrics_service_class_init (PsMetricsServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ps_metrics_service_dispose;
}

static void
ps_metrics_service_init (PsMetricsService *self)
{
  self->drift_percent = PS_METRICS_DEFAULT_DRIFT_PERCENT;
}

/**
 * ps_metrics_service_new:
 * @context: the open database and stores
 *
 * Returns: (transfer full): a new metrics service
 */
PsMetricsService *
ps_metrics_service_new (PsContext *context)
{
  PsMetricsService *self;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);

  self = g_object_new (PS_TYPE_METRICS_SERVICE, NULL);
  self->context = g_object_ref (context);
  return self;
}

/**
 * ps_metrics_service_set_drift_percent:
 * @self: the service
 * @percent: how far above its 90-day average a service's 14-day average
 *   label cost must be to be flagged (default 5)
 */
void
ps_metrics_service_set_drift_percent (PsMetricsService *self,
                                      double            percent)
{
  g_return_if_fail (PS_IS_METRICS_SERVICE (self));
  g_return_if_fail (percent >= 0);

  self->drift_percent = percent;
}

static ComputeJob *
compute_job_new (PsMetricsService *self,
                 gint64            from,
                 gint64            to,
                 const char       *channel)
{
  ComputeJob *job = g_new0 (ComputeJob, 1);

  job->from = from;
  job->to = to;
  job->channel = channel != NULL && channel[0] != '\0' ? g_strdup (channel) : NULL;
  job->tz = g_time_zone_ref (ps_order_store_get_time_zone (ps_context_get_order_store (self->context)));
  job->drift_percent = self->drift_percent;
  return job;
}

/**
 * ps_metrics_service_compute_async:
 * @self: the service
 * @from: the period's first day (any time in it; UTC Unix seconds)
 * @to: the day after the period's last (not included)
 * @channel: (nullable): only this sales channel (its name)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when done
 * @user_data: for @callback
 *
 * Computes the dashboard for the local days [@from, @to) on the database
 * worker: roll-ups refreshed, tiles with the previous period and daily
 * series, charts, drill-down conditions and exception patterns.
 */
void
ps_metrics_service_compute_async (PsMetricsService    *self,
                                  gint64               from,
                                  gint64               to,
                                  const char          *channel,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (PS_IS_METRICS_SERVICE (self));

  ps_database_run_for_async (ps_context_get_database (self->context), self,
                             ps_metrics_service_compute_async, compute_job,
                             compute_job_new (self, from, to, channel), compute_job_free,
                             (GDestroyNotify) ps_dashboard_unref, cancellable, callback,
                             user_data);
}

/**
 * ps_metrics_service_compute_finish:
 * @self: the service
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the dashboard, or %NULL with @error
 */
PsDashboard *
ps_metrics_service_compute_finish (PsMetricsService  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (PS_IS_METRICS_SERVICE (self), NULL);

  return ps_database_run_for_finish (result, self, ps_metrics_service_compute_async, error);
}

/**
 * ps_metrics_service_compute_sync:
 * @self: the service
 * @from: as for ps_metrics_service_compute_async()
 * @to: as for ps_metrics_service_compute_async()
 * @channel: (nullable): as for ps_metrics_service_compute_async()
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Blocks until the worker has computed the dashboard: for the CLI, tests
 * and benchmarks only, never on the main thread of the app.
 *
 * Returns: (transfer full) (nullable): the dashboard, or %NULL with @error
 */
PsDashboard *
ps_metrics_service_compute_sync (PsMetricsService  *self,
                                 gint64             from,
                                 gint64             to,
                                 const char        *channel,
                                 GCancellable      *cancellable,
                                 GError           **error)
{
  ComputeJob *job;
  gpointer result;

  g_return_val_if_fail (PS_IS_METRICS_SERVICE (self), NULL);

  job = compute_job_new (self, from, to, channel);
  result = ps_database_run_sync (ps_context_get_database (self->context), compute_job, job,
                                 cancellable, error);
  compute_job_free (job);
  return result;
}

/* The channel names for the Dashboard's channel filter. One query on the
 * channels table, so it lives here beside the computation that filters by
 * those names (ps-order-export-rows.c reads its rows the same way). */
static gpointer
list_channels_job (PsDatabase    *db,
                   gpointer       data,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (db, "SELECT name FROM channels ORDER BY name COLLATE NOCASE",
                               error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (names, (const char *) sqlite3_column_text (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (db, error, rc, "Cannot list the sales channels");
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);
  return g_strv_builder_end (names);
}

/**
 * ps_metrics_service_list_channels_async:
 * @self: the service
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context when done
 * @user_data: for @callback
 *
 * Lists the names of the sales channels in the database (what the
 * @channel argument of ps_metrics_service_compute_async() takes), sorted
 * ignoring case.
 */
void
ps_metrics_service_list_channels_async (PsMetricsService    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (PS_IS_METRICS_SERVICE (self));

  ps_database_run_for_async (ps_context_get_database (self->context), self,
                             ps_metrics_service_list_channels_async, list_channels_job,
                             NULL, NULL, (GDestroyNotify) g_strfreev, cancellable, callback,
                             user_data);
}

/**
 * ps_metrics_service_list_channels_finish:
 * @self: the service
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the channel names (possibly none),
 *   or %NULL with @error
 */
GStrv
ps_metrics_service_list_channels_finish (PsMetricsService  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  g_return_val_if_fail (PS_IS_METRICS_SERVICE (self), NULL);

  return ps_database_run_for_finish (result, self, ps_metrics_service_list_channels_async, error);
}
