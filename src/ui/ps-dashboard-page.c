/* ps-dashboard-page.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Dashboard: a period (7, 30, 90 days or custom) and a channel for
 * the whole page; tiles with sparklines and the change against the
 * previous period; charts in cards (shipments per day by carrier,
 * exception rate by carrier × region, cost per label by service with
 * drift flagged, hours from label to first scan, returns by product and
 * reason); and the exception patterns.
 *
 * PsMetricsService computes everything on the database worker; a new
 * period or channel cancels the computation under way. The page only
 * turns the immutable PsDashboard into text and plain arrays for the
 * chart widgets (STYLE.md 3.11).
 *
 * Every tile, chart element and pattern whose PsDrillDown has a condition
 * emits "drill-down" with it; the window shows the Orders page filtered
 * by it. When the condition may list more orders than were counted
 * (exact FALSE), the element's tooltip and accessible description say
 * "approximately". Elements without a condition are not activatable.
 *
 * Exports: each chart card's menu writes ps_dashboard_chart_to_csv() with
 * g_file_replace_contents_async(); "Export Report as PDF…" formats the
 * report here and draws it (ps-dashboard-report.c) on a thread.
 */

#define G_LOG_DOMAIN "ps-dashboard-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ps-bar-chart.h"
#include "ps-choice-button.h"
#include "ps-dashboard-page.h"
#include "ps-dashboard-report.h"
#include "ps-format.h"
#include "ps-heat-map.h"
#include "ps-histogram.h"
#include "ps-line-chart.h"
#include "ps-money.h"
#include "ps-order-store.h"
#include "ps-region.h"
#include "ps-time.h"

#define N_CARDS 6
#define MAX_LIST_ROWS 10
#define CHANNEL_ALL "all"
#define CHANNEL_PREFIX "channel:"

typedef struct
{
  PsMetricsChartKind  kind;
  GtkWidget          *card;
  GtkWidget          *chart;     /* PsBarChart, PsHeatMap, PsLineChart, PsHistogram or GtkListBox */
  GtkLabel           *note;      /* what a click opens */
  GArray             *rows;      /* int: element (series * n_index + index) → chart row, -1 */
  int                 n_index;
} Card;

struct _PsDashboardPage
{
  GtkWidget             parent_instance;

  PsContext            *context;
  PsMetricsService     *service;
  PsDashboard          *dashboard;
  GCancellable         *compute_cancellable;
  GCancellable         *channels_cancellable;
  int                   period_days;      /* 7, 30, 90; 0 = custom */
  gint64                custom_from;
  gint64                custom_to;
  char                 *channel;
  gboolean              loading;
  guint                 describe_source;

  Card                  cards[N_CARDS];
  PsTile               *tiles[PS_METRIC_N];

  GtkFileChooserNative *chooser;
  int                   chooser_chart;    /* a PsMetricsChartKind, or -1 for the PDF */
  GCancellable         *export_cancellable;

  /* Template widgets */
  GtkWidget            *page_box;
  PsChoiceButton       *period_choice;
  PsChoiceButton       *channel_choice;
  GtkWidget            *custom_box;
  GtkEntry             *from_entry;
  GtkEntry             *to_entry;
  GtkSpinner           *busy_spinner;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *error_page;
  GtkLabel             *period_label;
  GtkFlowBox           *tile_box;
  GtkGrid              *chart_box;
  guint                 chart_columns;    /* 1 or 2, from the page's width */
  guint                 relayout_source;
  GtkLabel             *patterns_caption;
  GtkListBox           *patterns_list;
};

G_DEFINE_FINAL_TYPE (PsDashboardPage, ps_dashboard_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DRILL_DOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* -- Words ------------------------------------------------------------ */

typedef struct
{
  const char *title;
  gboolean    up_is_good;
  gboolean    is_rate;      /* a share: changes in percentage points */
} MetricInfo;

static const MetricInfo metric_info[PS_METRIC_N] = {
  [PS_METRIC_ORDERS]                  = { N_("Orders"), TRUE, FALSE },
  [PS_METRIC_SHIPMENTS]               = { N_("Shipments"), TRUE, FALSE },
  [PS_METRIC_AWAITING_SHIPMENT]       = { N_("Awaiting shipment"), FALSE, FALSE },
  [PS_METRIC_ON_TIME_RATE]            = { N_("On-time delivery"), TRUE, TRUE },
  [PS_METRIC_EXCEPTION_RATE]          = { N_("Exception rate"), FALSE, TRUE },
  [PS_METRIC_AVG_LABEL_COST]          = { N_("Average label cost"), FALSE, FALSE },
  [PS_METRIC_AVG_LABEL_TO_SCAN_HOURS] = { N_("Label to first scan"), FALSE, FALSE },
  [PS_METRIC_RETURNS_RATE]            = { N_("Returns rate"), FALSE, TRUE },
};

static const char *
chart_title (PsMetricsChartKind kind)
{
  switch (kind)
    {
    case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER: return _("Shipments per Day by Carrier");
    case PS_METRICS_CHART_EXCEPTIONS_BY_REGION: return _("Exception Rate by Carrier and Region");
    case PS_METRICS_CHART_COST_BY_SERVICE:      return _("Cost per Label by Service");
    case PS_METRICS_CHART_SCAN_HOURS:           return _("Hours from Label to First Scan");
    case PS_METRICS_CHART_RETURNS_BY_PRODUCT:   return _("Returns by Product");
    case PS_METRICS_CHART_RETURNS_BY_REASON:    return _("Returns by Reason");
    default:                                    return "";
    }
}

typedef struct
{
  const char *code;
  const char *short_name;    /* a heat map column */
  const char *long_name;     /* reads after "to" */
} RegionName;

static const RegionName region_names[] = {
  { "us-northeast",         N_("US Northeast"),   N_("the US Northeast") },
  { "us-southeast",         N_("US Southeast"),   N_("the US Southeast") },
  { "us-midwest",           N_("US Midwest"),     N_("the US Midwest") },
  { "us-southwest",         N_("US Southwest"),   N_("the US Southwest") },
  { "us-mountain",          N_("US Mountain"),    N_("the US Mountain states") },
  { "us-pacific-northwest", N_("Pacific Northwest"), N_("the Pacific Northwest") },
  { "us-california",        N_("California"),     N_("California") },
  { "us-noncontiguous",     N_("Alaska, Hawaii…"), N_("Alaska, Hawaii and US territories") },
  { "us-other",             N_("US, other"),      N_("other US destinations") },
  { "canada",               N_("Canada"),         N_("Canada") },
  { "uk",                   N_("UK"),             N_("the UK") },
  { "europe",               N_("Europe"),         N_("Europe") },
  { "oceania",              N_("Oceania"),        N_("Oceania") },
  { "asia",                 N_("Asia"),           N_("Asia") },
  { "latin-america",        N_("Latin America"),  N_("Latin America") },
  { "other",                N_("Other"),          N_("other countries") },
};

static const char *
region_name (const char *code,
             gboolean    long_form)
{
  for (guint i = 0; i < G_N_ELEMENTS (region_names); i++)
    if (g_strcmp0 (code, region_names[i].code) == 0)
      return _(long_form ? region_names[i].long_name : region_names[i].short_name);
  return code != NULL ? code : "";
}

/* "ground_advantage" → "Ground Advantage", "2nd_day_air" → "2nd Day Air" */
static char *
service_name (const char *code)
{
  GString *name = g_string_new (NULL);
  gboolean start = TRUE;

  for (const char *p = code != NULL ? code : ""; *p != '\0'; p++)
    {
      if (*p == '_' || *p == '-')
        {
          g_string_append_c (name, ' ');
          start = TRUE;
          continue;
        }
      g_string_append_c (name, start ? g_ascii_toupper (*p) : *p);
      start = FALSE;
    }
  return g_string_free (name, FALSE);
}

static const char *
reason_name (const char *nick)
{
  if (g_strcmp0 (nick, "wrong_size") == 0)       return _("Wrong size");
  if (g_strcmp0 (nick, "damaged") == 0)          return _("Damaged");
  if (g_strcmp0 (nick, "not_as_described") == 0) return _("Not as described");
  if (g_strcmp0 (nick, "wrong_item") == 0)       return _("Wrong item");
  if (g_strcmp0 (nick, "changed_mind") == 0)     return _("Changed mind");
  if (g_strcmp0 (nick, "arrived_late") == 0)     return _("Arrived late");
  if (g_strcmp0 (nick, "other") == 0)            return _("Other");
  return nick != NULL ? nick : _("No reason given");
}

static GTimeZone *
page_time_zone (PsDashboardPage *self)
{
  return ps_order_store_get_time_zone (ps_context_get_order_store (self->context));
}

static char *
format_day (PsDashboardPage *self,
            gint64           day,
            const char      *format)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, page_time_zone (self));

  return g_date_time_format (local, format);
}

/* "Oct 24" */
static char *
short_day (PsDashboardPage *self,
           gint64           day)
{
  /* Translators: a day on a chart axis, strftime format */
  return format_day (self, day, _("%b %-d"));
}

static char *
format_percent (double value)
{
  return g_strdup_printf ("%.1f%%", value * 100);
}

static char *
format_metric (PsDashboard *dash,
               PsMetric     metric,
               double       value)
{
  if (isnan (value))
    return g_strdup ("—");
  switch (metric)
    {
    case PS_METRIC_ORDERS:
    case PS_METRIC_SHIPMENTS:
    case PS_METRIC_AWAITING_SHIPMENT:
      return ps_format_count ((gint64) llround (value));
    case PS_METRIC_ON_TIME_RATE:
    case PS_METRIC_EXCEPTION_RATE:
    case PS_METRIC_RETURNS_RATE:
      return format_percent (value);
    case PS_METRIC_AVG_LABEL_COST:
      return ps_format_money ((gint64) llround (value), dash->data->currency);
    case PS_METRIC_AVG_LABEL_TO_SCAN_HOURS:
      /* Translators: hours, as on a tile ("11.9 h") */
      return g_strdup_printf (_("%.1f h"), value);
    default:
      return g_strdup ("");
    }
}

/* The change against the previous period: percentage points for shares,
 * per cent for the rest. FALSE when there is nothing to compare with. */
static gboolean
format_change (PsMetric  metric,
               double    value,
               double    previous,
               double   *change,
               char    **text)
{
  if (isnan (value) || isnan (previous))
    return FALSE;
  if (metric_info[metric].is_rate)
    {
      double points = round ((value - previous) * 1000) / 10;

      *change = points;
      *text = g_strdup_printf (ngettext ("%.1f point", "%.1f points", fabs (points) == 1 ? 1 : 2),
                               fabs (points));
      return TRUE;
    }
  if (previous == 0)
    return FALSE;
  *change = round ((value - previous) / previous * 1000) / 10;
  *text = fabs (*change) >= 10 ? g_strdup_printf ("%.0f%%", fabs (*change))
                               : g_strdup_printf ("%.1f%%", fabs (*change));
  return TRUE;
}

static char *
format_age (gint64 seconds)
{
  gint64 days = seconds / PS_SECONDS_PER_DAY;
  gint64 hours = seconds / 3600;

  if (days >= 1)
    return g_strdup_printf (ngettext ("oldest %" G_GINT64_FORMAT " day",
                                      "oldest %" G_GINT64_FORMAT " days", days), days);
  return g_strdup_printf (ngettext ("oldest %" G_GINT64_FORMAT " hour",
                                    "oldest %" G_GINT64_FORMAT " hours", MAX (hours, 1)),
                          MAX (hours, 1));
}

static char *
tile_detail (PsDashboardPage *self,
             PsMetric         metric)
{
  const PsMetricsData *data = self->dashboard->data;
  g_autofree char *n = NULL;

  switch (metric)
    {
    case PS_METRIC_AWAITING_SHIPMENT:
      if (data->awaiting_oldest_at <= 0)
        return NULL;
      return format_age (MAX (ps_time_now () - data->awaiting_oldest_at, 0));
    case PS_METRIC_EXCEPTION_RATE:
      n = ps_format_count (data->exceptions);
      return g_strdup_printf (ngettext ("%s exception", "%s exceptions", data->exceptions), n);
    case PS_METRIC_RETURNS_RATE:
      n = ps_format_count (data->returns);
      return g_strdup_printf (ngettext ("%s return", "%s returns", data->returns), n);
    case PS_METRIC_ON_TIME_RATE:
      if (data->on_time_no_estimate == 0)
        return NULL;
      n = ps_format_count (data->on_time_no_estimate);
      return g_strdup_printf (ngettext ("%s without an estimate left out",
                                        "%s without an estimate left out",
                                        data->on_time_no_estimate), n);
    case PS_METRIC_AVG_LABEL_COST:
      return data->mixed_currencies ? g_strdup (_("other currencies left out")) : NULL;
    case PS_METRIC_ORDERS:
    case PS_METRIC_SHIPMENTS:
    case PS_METRIC_AVG_LABEL_TO_SCAN_HOURS:
    default:
      return NULL;
    }
}

static guint
period_n_days (PsDashboardPage *self)
{
  return self->dashboard != NULL ? ps_metrics_data_get_n_days (self->dashboard->data) : 0;
}

/* "last 30 days" or "Oct 1 – Oct 14" */
static char *
period_words (PsDashboardPage *self)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (self->period_days > 0)
    return g_strdup_printf (ngettext ("last %d day", "last %d days", self->period_days),
                            self->period_days);
  first = format_day (self, self->dashboard->data->from, _("%b %-d, %Y"));
  last = format_day (self, self->dashboard->data->to - 12 * 3600, _("%b %-d, %Y"));
  /* Translators: a period of days, first – last */
  return g_strdup_printf (_("%s – %s"), first, last);
}

/* -- Drill-downs ------------------------------------------------------ */

static const char *
approximately_text (void)
{
  return _("Opens approximately these orders: the list may hold more orders than were counted");
}

static void
emit_drill (PsDashboardPage   *self,
            const PsDrillDown *drill,
            const char        *title)
{
  if (drill == NULL || drill->condition == NULL)
    return;
  g_signal_emit (self, signals[DRILL_DOWN], 0, drill->condition, title);
}

static const PsDrillDown *
chart_row_drill (PsDashboardPage    *self,
                 PsMetricsChartKind  kind,
                 int                 row)
{
  GArray *drills;

  if (self->dashboard == NULL || row < 0)
    return NULL;
  drills = self->dashboard->chart_drill[kind];
  if ((guint) row >= drills->len)
    return NULL;
  return &g_array_index (drills, PsDrillDown, row);
}

static const PsMetricsRow *
chart_row (PsDashboardPage    *self,
           PsMetricsChartKind  kind,
           int                 row)
{
  GArray *rows = self->dashboard->data->charts[kind];

  g_assert (row >= 0 && (guint) row < rows->len);
  return &g_array_index (rows, PsMetricsRow, row);
}

static int
card_row (Card *card,
          int   series,
          int   index)
{
  guint i;

  if (card->rows == NULL || series < 0 || index < 0 || index >= card->n_index)
    return -1;
  i = (guint) series * card->n_index + index;
  return i < card->rows->len ? g_array_index (card->rows, int, i) : -1;
}

static char *
element_title (PsDashboardPage    *self,
               PsMetricsChartKind  kind,
               int                 row)
{
  const PsMetricsRow *r = chart_row (self, kind, row);
  g_autofree char *day = NULL;
  g_autofree char *service = NULL;

  switch (kind)
    {
    case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
      day = short_day (self, r->day);
      /* Translators: a drill-down's title: carrier, day */
      return g_strdup_printf (_("%s shipments on %s"), ps_format_carrier (r->keys[0]), day);
    case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
      /* Translators: a drill-down's title: carrier, region */
      return g_strdup_printf (_("%s to %s"), ps_format_carrier (r->keys[0]),
                              region_name (r->keys[1], TRUE));
    case PS_METRICS_CHART_COST_BY_SERVICE:
      day = short_day (self, r->day);
      service = service_name (r->keys[1]);
      /* Translators: a drill-down's title: carrier, service, week's first day */
      return g_strdup_printf (_("%s %s labels, week of %s"), ps_format_carrier (r->keys[0]),
                              service, day);
    case PS_METRICS_CHART_SCAN_HOURS:
      if (isinf (r->values[1]))
        return g_strdup_printf (_("%.0f hours or more from label to first scan"), r->values[0]);
      return g_strdup_printf (_("%.0f to %.0f hours from label to first scan"), r->values[0],
                              r->values[1]);
    case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
      return g_strdup_printf (_("Returns of %s"), r->keys[0]);
    case PS_METRICS_CHART_RETURNS_BY_REASON:
    default:
      return g_strdup_printf (_("Returns: %s"), reason_name (r->keys[0]));
    }
}

static void
chart_element_activated (PsDashboardPage *self,
                         Card            *card,
                         int              series,
                         int              index)
{
  int row = card_row (card, series, index);
  const PsDrillDown *drill = chart_row_drill (self, card->kind, row);
  g_autofree char *title = NULL;

  if (drill == NULL || drill->condition == NULL)
    return;
  title = element_title (self, card->kind, row);
  emit_drill (self, drill, title);
}

static Card *
card_for_chart (PsDashboardPage *self,
                GtkWidget       *chart)
{
  for (guint i = 0; i < N_CARDS; i++)
    if (self->cards[i].chart == chart)
      return &self->cards[i];
  g_return_val_if_reached (NULL);
}

/* A row of the returns lists: the list's rows are the chart's, in order. */
static void
on_list_row_activated_cb (GtkListBox      *list,
                          GtkListBoxRow   *row,
                          PsDashboardPage *self)
{
  chart_element_activated (self, card_for_chart (self, GTK_WIDGET (list)), 0,
                           gtk_list_box_row_get_index (row));
}

static void
on_segment_activated_cb (GtkWidget       *chart,
                         int              series,
                         int              category,
                         PsDashboardPage *self)
{
  chart_element_activated (self, card_for_chart (self, chart), series, category);
}

static void
on_cell_activated_cb (GtkWidget       *chart,
                      int              row,
                      int              column,
                      PsDashboardPage *self)
{
  chart_element_activated (self, card_for_chart (self, chart), row, column);
}

static void
on_point_activated_cb (GtkWidget       *chart,
                       int              series,
                       int              index,
                       PsDashboardPage *self)
{
  chart_element_activated (self, card_for_chart (self, chart), series, index);
}

static void
on_bin_activated_cb (GtkWidget       *chart,
                     int              bin,
                     PsDashboardPage *self)
{
  chart_element_activated (self, card_for_chart (self, chart), 0, bin);
}

/* The highlighted element of a chart card, as (series, index). */
static gboolean
card_highlight (Card *card,
                int  *series,
                int  *index)
{
  *series = *index = -1;
  if (PS_IS_BAR_CHART (card->chart))
    return ps_bar_chart_get_highlight (PS_BAR_CHART (card->chart), series, index);
  if (PS_IS_HEAT_MAP (card->chart))
    return ps_heat_map_get_highlight (PS_HEAT_MAP (card->chart), series, index);
  if (PS_IS_LINE_CHART (card->chart))
    return ps_line_chart_get_highlight (PS_LINE_CHART (card->chart), series, index);
  if (PS_IS_HISTOGRAM (card->chart))
    {
      *series = 0;
      return ps_histogram_get_highlight (PS_HISTOGRAM (card->chart), index);
    }
  return FALSE;
}

static char *
card_describe (Card *card,
               int   series,
               int   index)
{
  if (PS_IS_BAR_CHART (card->chart))
    return ps_bar_chart_describe_element (PS_BAR_CHART (card->chart), series, index);
  if (PS_IS_HEAT_MAP (card->chart))
    return ps_heat_map_describe_element (PS_HEAT_MAP (card->chart), series, index);
  if (PS_IS_LINE_CHART (card->chart))
    return ps_line_chart_describe_element (PS_LINE_CHART (card->chart), series, index);
  if (PS_IS_HISTOGRAM (card->chart))
    return ps_histogram_describe_element (PS_HISTOGRAM (card->chart), index);
  return NULL;
}

/* The charts set the highlighted element's tooltip and accessible
 * description themselves; an element whose drill-down is not exact gets
 * "approximately" added to both. The description is set right after the
 * tooltip, so it is amended from an idle. */
static gboolean
card_element_is_approximate (PsDashboardPage *self,
                             Card            *card,
                             int              series,
                             int              index)
{
  const PsDrillDown *drill = chart_row_drill (self, card->kind, card_row (card, series, index));

  return drill != NULL && drill->condition != NULL && !drill->exact;
}

static gboolean
describe_idle_cb (gpointer user_data)
{
  PsDashboardPage *self = user_data;

  self->describe_source = 0;
  for (guint i = 0; i < N_CARDS; i++)
    {
      Card *card = &self->cards[i];
      int series, index;
      g_autofree char *text = NULL;
      g_autofree char *amended = NULL;

      if (!card_highlight (card, &series, &index)
          || !card_element_is_approximate (self, card, series, index))
        continue;
      text = card_describe (card, series, index);
      amended = g_strdup_printf ("%s. %s", text != NULL ? text : "", approximately_text ());
      gtk_accessible_update_property (GTK_ACCESSIBLE (card->chart),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, amended, -1);
    }
  return G_SOURCE_REMOVE;
}

static void
on_chart_tooltip_cb (GtkWidget       *chart,
                     GParamSpec      *pspec,
                     PsDashboardPage *self)
{
  Card *card = card_for_chart (self, chart);
  g_autofree char *text = gtk_widget_get_tooltip_text (chart) != NULL
                          ? g_strdup (gtk_widget_get_tooltip_text (chart)) : NULL;
  int series, index;

  if (text == NULL || !card_highlight (card, &series, &index))
    return;
  if (card_element_is_approximate (self, card, series, index)
      && !g_str_has_suffix (text, approximately_text ()))
    {
      g_autofree char *amended = g_strdup_printf ("%s\n%s", text, approximately_text ());

      gtk_widget_set_tooltip_text (chart, amended);
    }
  if (self->describe_source == 0)
    self->describe_source = g_idle_add (describe_idle_cb, self);
}

static void
on_tile_activated_cb (PsTile          *tile,
                      PsDashboardPage *self)
{
  g_autofree char *period = NULL;
  g_autofree char *title = NULL;

  if (self->dashboard == NULL)
    return;
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      if (self->tiles[m] != tile)
        continue;
      period = period_words (self);
      /* Translators: a drill-down's title: tile, period */
      title = g_strdup_printf (_("%s, %s"), _(metric_info[m].title), period);
      emit_drill (self, &self->dashboard->tile_drill[m], title);
      return;
    }
}

static void
on_pattern_activated_cb (PsDashboardPage *self,
                         GtkListBoxRow   *row)
{
  int i = gtk_list_box_row_get_index (row);
  const PsDashboardPattern *pattern;

  if (self->dashboard == NULL || i < 0 || (guint) i >= self->dashboard->patterns->len)
    return;
  pattern = &g_array_index (self->dashboard->patterns, PsDashboardPattern, i);
  emit_drill (self, &pattern->drill, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
}

/* Tooltip, accessible description and activatability of an element with
 * @drill. */
static void
describe_drill (GtkWidget         *widget,
                const PsDrillDown *drill)
{
  const char *text;

  if (drill == NULL || drill->condition == NULL)
    text = _("No list of orders for this number yet");
  else if (!drill->exact)
    text = approximately_text ();
  else
    text = _("Opens the orders behind this number");
  gtk_widget_set_tooltip_text (widget, drill != NULL && drill->condition != NULL ? text : NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

/* -- Filling the page ------------------------------------------------- */

static GStrv
day_labels (PsDashboardPage *self)
{
  const PsMetricsData *data = self->dashboard->data;
  guint n = ps_metrics_data_get_n_days (data);
  GStrv labels = g_new0 (char *, n + 1);

  for (guint i = 0; i < n; i++)
    labels[i] = short_day (self, g_array_index (data->days, gint64, i));
  return labels;
}

/* The period's day that @t falls in, or -1. */
static int
day_index (const PsMetricsData *data,
           gint64               t)
{
  guint lo = 0, hi = ps_metrics_data_get_n_days (data);

  if (hi == 0 || t < g_array_index (data->days, gint64, 0)
      || t >= g_array_index (data->days, gint64, hi))
    return -1;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (data->days, gint64, mid) <= t)
        lo = mid;
      else
        hi = mid;
    }
  return (int) lo;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The distinct values of a key in @rows, in first-seen order (or sorted). */
static GPtrArray *
distinct_keys (GArray   *rows,
               guint     key,
               gboolean  sorted)
{
  GPtrArray *keys = g_ptr_array_new ();

  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      guint at;

      if (row->keys[key] != NULL
          && !g_ptr_array_find_with_equal_func (keys, row->keys[key], g_str_equal, &at))
        g_ptr_array_add (keys, row->keys[key]);
    }
  if (sorted)
    g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static guint
key_index (GPtrArray  *keys,
           const char *key)
{
  guint at = 0;

  g_ptr_array_find_with_equal_func (keys, key, g_str_equal, &at);
  return at;
}

static void
card_reset_rows (Card  *card,
                 guint  n_series,
                 int    n_index)
{
  g_clear_pointer (&card->rows, g_array_unref);
  card->rows = g_array_new (FALSE, FALSE, sizeof (int));
  card->n_index = n_index;
  g_array_set_size (card->rows, n_series * (guint) n_index);
  for (guint i = 0; i < card->rows->len; i++)
    g_array_index (card->rows, int, i) = -1;
}

static void
card_set_row (Card *card,
              guint series,
              int   index,
              int   row)
{
  g_array_index (card->rows, int, series * card->n_index + index) = row;
}

/* Under each chart: what clicking an element opens. */
static void
card_set_note (PsDashboardPage *self,
               Card            *card)
{
  GArray *drills = self->dashboard->chart_drill[card->kind];
  gboolean any = FALSE, approximate = FALSE;

  for (guint i = 0; i < drills->len; i++)
    {
      const PsDrillDown *drill = &g_array_index (drills, PsDrillDown, i);

      any |= drill->condition != NULL;
      approximate |= drill->condition != NULL && !drill->exact;
    }
  if (!any)
    gtk_label_set_label (card->note, _("Not linked to orders yet"));
  else if (approximate)
    gtk_label_set_label (card->note, _("Click an element to see its orders (approximately: the "
                                       "list may hold more orders than were counted)"));
  else
    gtk_label_set_label (card->note, _("Click an element to see its orders"));
}

static void
fill_shipments_chart (PsDashboardPage *self,
                      Card            *card)
{
  const PsMetricsData *data = self->dashboard->data;
  GArray *rows = data->charts[card->kind];
  PsBarChart *chart = PS_BAR_CHART (card->chart);
  g_autoptr(GPtrArray) carriers = distinct_keys (rows, 0, TRUE);
  g_auto(GStrv) labels = day_labels (self);
  guint n_days = ps_metrics_data_get_n_days (data);
  g_autofree double *values = g_new0 (double, MAX (n_days, 1) * MAX (carriers->len, 1));

  card_reset_rows (card, carriers->len, n_days);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      int day = day_index (data, row->day);
      guint c = key_index (carriers, row->keys[0]);

      if (day < 0)
        continue;
      values[c * n_days + day] += row->values[0];
      card_set_row (card, c, day, (int) i);
    }
  ps_bar_chart_clear (chart);
  ps_bar_chart_set_categories (chart, (const char * const *) labels);
  for (guint c = 0; c < carriers->len; c++)
    ps_bar_chart_add_series (chart, ps_format_carrier (g_ptr_array_index (carriers, c)), NULL,
                             values + c * n_days, n_days);
}

static void
fill_exceptions_chart (PsDashboardPage *self,
                       Card            *card)
{
  GArray *rows = self->dashboard->data->charts[card->kind];
  g_autoptr(GPtrArray) carriers = distinct_keys (rows, 0, TRUE);
  g_autoptr(GPtrArray) regions = g_ptr_array_new ();
  g_autoptr(GPtrArray) row_labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) column_labels = g_ptr_array_new ();
  g_autofree guint *hits = NULL;
  g_autofree guint *totals = NULL;

  /* Regions in their list order, only those with shipments. */
  for (const char * const *r = ps_region_list (); *r != NULL; r++)
    for (guint i = 0; i < rows->len; i++)
      if (g_strcmp0 (g_array_index (rows, PsMetricsRow, i).keys[1], *r) == 0)
        {
          g_ptr_array_add (regions, (gpointer) *r);
          break;
        }
  for (guint i = 0; i < rows->len; i++)
    {
      const char *region = g_array_index (rows, PsMetricsRow, i).keys[1];
      guint at;

      if (region != NULL && !g_ptr_array_find_with_equal_func (regions, region, g_str_equal, &at))
        g_ptr_array_add (regions, (gpointer) region);
    }

  /* Regions down, carriers across: region names need the room. */
  hits = g_new0 (guint, MAX (carriers->len * regions->len, 1));
  totals = g_new0 (guint, MAX (carriers->len * regions->len, 1));
  card_reset_rows (card, regions->len, carriers->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      guint c = key_index (carriers, row->keys[0]);
      guint r = key_index (regions, row->keys[1]);

      totals[r * carriers->len + c] += (guint) row->values[0];
      hits[r * carriers->len + c] += (guint) row->values[1];
      card_set_row (card, r, c, (int) i);
    }
  for (guint r = 0; r < regions->len; r++)
    g_ptr_array_add (row_labels, (gpointer) region_name (g_ptr_array_index (regions, r), FALSE));
  g_ptr_array_add (row_labels, NULL);
  for (guint c = 0; c < carriers->len; c++)
    g_ptr_array_add (column_labels, (gpointer) ps_format_carrier (g_ptr_array_index (carriers, c)));
  g_ptr_array_add (column_labels, NULL);
  ps_heat_map_set_data (PS_HEAT_MAP (card->chart), (const char * const *) row_labels->pdata,
                        (const char * const *) column_labels->pdata, hits, totals);
}

/* "$" and "" for USD, "" and " CHF" for francs: around ps_format_money's digits. */
static void
money_affixes (const char  *currency,
               char       **prefix,
               char       **suffix)
{
  g_autofree char *zero = ps_format_money (0, currency);
  const char *first = zero, *last;

  while (*first != '\0' && !g_ascii_isdigit (*first))
    first++;
  last = first;
  while (*last != '\0' && (g_ascii_isdigit (*last) || *last == '.' || *last == ','))
    last++;
  *prefix = g_strndup (zero, first - zero);
  *suffix = g_strdup (last);
}

static void
fill_cost_chart (PsDashboardPage *self,
                 Card            *card)
{
  const PsMetricsData *data = self->dashboard->data;
  GArray *rows = data->charts[card->kind];
  PsLineChart *chart = PS_LINE_CHART (card->chart);
  g_autoptr(GArray) weeks = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) services = g_ptr_array_new_with_free_func (g_free);  /* "carrier\nservice" */
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = NULL;
  g_autofree gboolean *flags = NULL;
  g_autofree gboolean *drifting = NULL;
  g_autofree char *prefix = NULL;
  g_autofree char *suffix = NULL;
  g_autofree char *flag_text = NULL;
  double scale = pow (10, data->currency != NULL ? ps_currency_minor_digits (data->currency) : 2);

  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      g_autofree char *key = g_strdup_printf ("%s\n%s", row->keys[0], row->keys[1]);
      gboolean seen = FALSE;
      guint at;

      for (guint w = 0; w < weeks->len && !seen; w++)
        seen = g_array_index (weeks, gint64, w) == row->day;
      if (!seen)
        g_array_append_val (weeks, row->day);
      if (!g_ptr_array_find_with_equal_func (services, key, g_str_equal, &at))
        g_ptr_array_add (services, g_steal_pointer (&key));
    }
  g_array_sort (weeks, compare_int64);
  g_ptr_array_sort (services, compare_strings);

  values = g_new (double, MAX (services->len * weeks->len, 1));
  flags = g_new0 (gboolean, MAX (services->len * weeks->len, 1));
  drifting = g_new0 (gboolean, MAX (services->len, 1));
  for (guint i = 0; i < services->len * weeks->len; i++)
    values[i] = NAN;
  card_reset_rows (card, services->len, weeks->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      g_autofree char *key = g_strdup_printf ("%s\n%s", row->keys[0], row->keys[1]);
      guint s = key_index (services, key);
      guint w = 0;

      while (w < weeks->len && g_array_index (weeks, gint64, w) != row->day)
        w++;
      values[s * weeks->len + w] = row->values[1] / scale;
      drifting[s] |= row->flag;
      card_set_row (card, s, w, (int) i);
    }
  /* Drift is about the service's last 14 days: flag its latest point. */
  for (guint s = 0; s < services->len; s++)
    for (int w = (int) weeks->len - 1; drifting[s] && w >= 0; w--)
      if (!isnan (values[s * weeks->len + w]))
        {
          flags[s * weeks->len + w] = TRUE;
          break;
        }

  for (guint w = 0; w < weeks->len; w++)
    g_ptr_array_add (labels, short_day (self, g_array_index (weeks, gint64, w)));
  g_ptr_array_add (labels, NULL);
  ps_line_chart_clear (chart);
  ps_line_chart_set_categories (chart, (const char * const *) labels->pdata);
  money_affixes (data->currency, &prefix, &suffix);
  ps_line_chart_set_unit (chart, prefix, suffix, 2);
  flag_text = g_strdup_printf (_("Cost drift: the last 14 days average more than %.0f%% above "
                                 "the 90-day average"), PS_METRICS_DEFAULT_DRIFT_PERCENT);
  ps_line_chart_set_flag_text (chart, flag_text);
  for (guint s = 0; s < services->len; s++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (services, s), "\n", 2);
      g_autofree char *service = service_name (parts[1]);
      g_autofree char *name = g_strdup_printf ("%s %s", ps_format_carrier (parts[0]), service);

      ps_line_chart_add_series (chart, name, NULL, values + s * weeks->len,
                                flags + s * weeks->len, weeks->len);
    }
}

static void
fill_scan_chart (PsDashboardPage *self,
                 Card            *card)
{
  GArray *rows = self->dashboard->data->charts[card->kind];
  g_autofree double *edges = g_new0 (double, rows->len + 1);
  g_autofree guint *counts = g_new0 (guint, MAX (rows->len, 1));

  card_reset_rows (card, 1, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);

      edges[i] = row->values[0];
      edges[i + 1] = row->values[1];
      counts[i] = (guint) row->values[2];
      card_set_row (card, 0, i, (int) i);
    }
  ps_histogram_set_bins (PS_HISTOGRAM (card->chart), edges, counts, rows->len);
}

static GtkWidget *
list_row (const char *title,
          const char *subtitle,
          const char *count)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *number = gtk_label_new (count);
  g_autofree char *accessible = NULL;

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), label);
  if (subtitle != NULL)
    {
      GtkWidget *sub = gtk_label_new (subtitle);

      gtk_label_set_xalign (GTK_LABEL (sub), 0);
      gtk_label_set_ellipsize (GTK_LABEL (sub), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (sub, "caption");
      gtk_widget_add_css_class (sub, "dim-label");
      gtk_box_append (GTK_BOX (texts), sub);
    }
  gtk_widget_add_css_class (number, "numeric");
  gtk_box_append (GTK_BOX (box), texts);
  gtk_box_append (GTK_BOX (box), number);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  accessible = subtitle != NULL ? g_strdup_printf ("%s (%s): %s", title, subtitle, count)
                                : g_strdup_printf ("%s: %s", title, count);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
fill_returns_list (PsDashboardPage *self,
                   Card            *card)
{
  GArray *rows = self->dashboard->data->charts[card->kind];
  GtkListBox *list = GTK_LIST_BOX (card->chart);

  clear_list (list);
  card_reset_rows (card, 1, rows->len);
  for (guint i = 0; i < rows->len && i < MAX_LIST_ROWS; i++)
    {
      const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
      const PsDrillDown *drill = chart_row_drill (self, card->kind, (int) i);
      g_autofree char *count = NULL;
      GtkWidget *item;

      if (card->kind == PS_METRICS_CHART_RETURNS_BY_PRODUCT)
        {
          /* Translators: returns of a product, and the units they held */
          count = g_strdup_printf (_("%.0f (%.0f units)"), row->values[0], row->values[1]);
          item = list_row (row->keys[1] != NULL ? row->keys[1] : row->keys[0], row->keys[0], count);
        }
      else
        {
          count = g_strdup_printf ("%.0f", row->values[0]);
          item = list_row (reason_name (row->keys[0]), NULL, count);
        }
      /* Activating a row opens its orders, as clicking a bar does. */
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (item),
                                        drill != NULL && drill->condition != NULL);
      describe_drill (item, drill);
      gtk_list_box_append (list, item);
      card_set_row (card, 0, i, (int) i);
    }
}

static char *
pattern_sentence (const PsDashboardPattern *pattern)
{
  GString *text = g_string_new (NULL);
  g_autofree char *service = pattern->service != NULL ? service_name (pattern->service) : NULL;
  g_autofree char *shipments = ps_format_count (pattern->shipments);
  g_autofree char *exceptions = ps_format_count (pattern->exceptions);
  static const char *weekdays[] = {
    NULL, N_("Mondays"), N_("Tuesdays"), N_("Wednesdays"), N_("Thursdays"), N_("Fridays"),
    N_("Saturdays"), N_("Sundays"),
  };

  if (pattern->carrier != NULL)
    g_string_append (text, ps_format_carrier (pattern->carrier));
  if (service != NULL)
    g_string_append_printf (text, text->len > 0 ? " %s" : "%s", service);
  if (text->len == 0)
    g_string_append (text, _("Shipments"));
  if (pattern->region != NULL)
    /* Translators: "UPS Ground" " to " "the Pacific Northwest" */
    g_string_append_printf (text, _(" to %s"), region_name (pattern->region, TRUE));
  if (pattern->weekday >= 1 && pattern->weekday <= 7)
    /* Translators: "… on Mondays" (the label's day) */
    g_string_append_printf (text, _(" on %s"), _(weekdays[pattern->weekday]));
  /* Translators: after the cell's name: exceptions, shipments, ratio to the usual rate */
  g_string_append_printf (text, _(": %s of %s shipments had exceptions, %.1f× the usual rate"),
                          exceptions, shipments, pattern->ratio);
  return g_string_free (text, FALSE);
}

static void
fill_patterns (PsDashboardPage *self)
{
  GArray *patterns = self->dashboard->patterns;
  g_autofree char *baseline = NULL;
  g_autofree char *caption = NULL;
  const PsMetricsData *data = self->dashboard->data;

  clear_list (self->patterns_list);
  baseline = format_percent (data->tiles[PS_METRIC_EXCEPTION_RATE].value);
  caption = g_strdup_printf (ngettext ("Carrier, region, service and weekday cells whose exception "
                                       "rate is significantly above this period's %s (%u cell "
                                       "tested; binomial test, false discovery rate 5%%).",
                                       "Carrier, region, service and weekday cells whose exception "
                                       "rate is significantly above this period's %s (%u cells "
                                       "tested; binomial test, false discovery rate 5%%).",
                                       self->dashboard->n_cells_tested),
                             isnan (data->tiles[PS_METRIC_EXCEPTION_RATE].value) ? "—" : baseline,
                             self->dashboard->n_cells_tested);
  gtk_label_set_label (self->patterns_caption, caption);

  for (guint i = 0; i < patterns->len; i++)
    {
      const PsDashboardPattern *pattern = &g_array_index (patterns, PsDashboardPattern, i);
      g_autofree char *sentence = pattern_sentence (pattern);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      subtitle = g_strdup_printf (_("%.1f%% against %.1f%% usual; adjusted p-value %.2g"),
                                  pattern->rate * 100, pattern->baseline * 100, pattern->q_value);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sentence);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), pattern->drill.condition != NULL);
      if (pattern->drill.condition != NULL)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   gtk_image_new_from_icon_name ("go-next-symbolic"));
      describe_drill (row, &pattern->drill);
      gtk_list_box_append (self->patterns_list, row);
    }
}

static void
fill_tiles (PsDashboardPage *self)
{
  PsDashboard *dash = self->dashboard;
  g_autofree char *period = NULL;
  guint n_days = period_n_days (self);

  period = g_strdup_printf (ngettext ("the previous %u day", "the previous %u days", n_days),
                            n_days);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      const PsMetricsTile *t = &dash->data->tiles[m];
      PsTile *tile = self->tiles[m];
      const PsDrillDown *drill = &dash->tile_drill[m];
      g_autofree char *value = format_metric (dash, m, t->value);
      g_autofree char *detail = tile_detail (self, m);
      g_autofree char *change_text = NULL;
      double change = 0;

      ps_tile_set_value (tile, value);
      ps_tile_set_detail (tile, detail);
      ps_tile_set_period (tile, period);
      if (format_change (m, t->value, t->previous, &change, &change_text))
        ps_tile_set_change (tile, change, change_text, metric_info[m].up_is_good);
      else
        ps_tile_clear_change (tile);
      ps_tile_set_trend (tile, t->series != NULL ? (const double *) t->series->data : NULL,
                         t->series != NULL ? t->series->len : 0);
      describe_drill (GTK_WIDGET (tile), drill);
      /* Not a control when it opens nothing. */
      gtk_widget_set_can_target (GTK_WIDGET (tile), drill->condition != NULL);
      gtk_widget_set_focusable (GTK_WIDGET (tile), drill->condition != NULL);
    }
}

static void
fill_page (PsDashboardPage *self)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *label = NULL;
  const PsMetricsData *data = self->dashboard->data;

  first = format_day (self, data->from, _("%b %-d, %Y"));
  last = format_day (self, data->to - 12 * 3600, _("%b %-d, %Y"));
  label = g_strdup_printf (_("%s to %s, %s; changes against the previous %u days"), first, last,
                           self->channel != NULL ? self->channel : _("all channels"),
                           period_n_days (self));
  gtk_label_set_label (self->period_label, label);

  fill_tiles (self);
  for (guint i = 0; i < N_CARDS; i++)
    {
      Card *card = &self->cards[i];

      switch (card->kind)
        {
        case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
          fill_shipments_chart (self, card);
          break;
        case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
          fill_exceptions_chart (self, card);
          break;
        case PS_METRICS_CHART_COST_BY_SERVICE:
          fill_cost_chart (self, card);
          break;
        case PS_METRICS_CHART_SCAN_HOURS:
          fill_scan_chart (self, card);
          break;
        case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
        case PS_METRICS_CHART_RETURNS_BY_REASON:
        default:
          fill_returns_list (self, card);
          break;
        }
      card_set_note (self, card);
    }
  fill_patterns (self);
}

/* -- Computing -------------------------------------------------------- */

static void
set_loading (PsDashboardPage *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->busy_spinner), loading);
  gtk_spinner_set_spinning (self->busy_spinner, loading);
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, loading, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
update_actions (PsDashboardPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-pdf", self->dashboard != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.export-csv", self->dashboard != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dashboard.refresh", self->context != NULL);
}

static void
compute_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  PsDashboard *dash;

  dash = ps_metrics_service_compute_finish (PS_METRICS_SERVICE (object), result, &error);
  if (dash == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* a newer computation is under way, or the page is gone */
      g_clear_object (&self->compute_cancellable);
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      set_loading (self, FALSE);
      return;
    }
  g_clear_object (&self->compute_cancellable);
  g_clear_pointer (&self->dashboard, ps_dashboard_unref);
  self->dashboard = dash;
  fill_page (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
  update_actions (self);
  set_loading (self, FALSE);
}

static void
period_bounds (PsDashboardPage *self,
               gint64          *from,
               gint64          *to)
{
  GTimeZone *tz = page_time_zone (self);

  if (self->period_days == 0)
    {
      *from = self->custom_from;
      *to = self->custom_to;
      return;
    }
  /* As postsale-cli metrics: the last N days including today. */
  *to = ps_time_day_start (ps_time_day_start (ps_time_now (), tz) + 30 * 3600, tz);
  *from = ps_time_day_start (*to - self->period_days * PS_SECONDS_PER_DAY + 12 * 3600, tz);
}

/**
 * ps_dashboard_page_refresh:
 * @self: the page
 *
 * Computes the dashboard again for the current period and channel,
 * cancelling a computation under way. The page keeps showing the last
 * numbers, with a spinner, until the new ones arrive.
 */
void
ps_dashboard_page_refresh (PsDashboardPage *self)
{
  gint64 from, to;

  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));

  if (self->service == NULL)
    return;
  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);
  self->compute_cancellable = g_cancellable_new ();
  period_bounds (self, &from, &to);
  if (self->dashboard == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  set_loading (self, TRUE);
  ps_metrics_service_compute_async (self->service, from, to, self->channel,
                                    self->compute_cancellable, compute_cb, g_object_ref (self));
}

/* -- Header row ------------------------------------------------------- */

static void
set_entry_day (PsDashboardPage *self,
               GtkEntry        *entry,
               gint64           day)
{
  g_autofree char *text = format_day (self, day, "%Y-%m-%d");

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
}

static gboolean
parse_entry_day (PsDashboardPage *self,
                 GtkEntry        *entry,
                 gint64          *day)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  int y, m, d;
  char end;
  g_autoptr(GDateTime) dt = NULL;

  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  if (sscanf (text, "%d-%d-%d%c", &y, &m, &d, &end) != 3
      || (dt = g_date_time_new (page_time_zone (self), y, m, d, 0, 0, 0)) == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (entry), _("Write the day as YYYY-MM-DD"));
      return FALSE;
    }
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
  *day = g_date_time_to_unix (dt);
  return TRUE;
}

static void
on_custom_apply_cb (PsDashboardPage *self)
{
  gint64 first, last;

  if (!parse_entry_day (self, self->from_entry, &first)
      || !parse_entry_day (self, self->to_entry, &last))
    return;
  if (last < first)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->to_entry), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->to_entry),
                                   _("The last day must not be before the first day"));
      return;
    }
  ps_dashboard_page_set_period (self, first,
                                ps_time_day_start (last + 30 * 3600, page_time_zone (self)));
}

static void
on_period_changed_cb (PsDashboardPage *self)
{
  const char *id = ps_choice_button_get_selected (self->period_choice);

  if (g_strcmp0 (id, "custom") == 0)
    {
      gint64 from, to;

      if (self->context != NULL)
        {
          period_bounds (self, &from, &to);
          set_entry_day (self, self->from_entry, from);
          set_entry_day (self, self->to_entry, to - 12 * 3600);
        }
      gtk_widget_set_visible (self->custom_box, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->from_entry));
      return;
    }
  gtk_widget_set_visible (self->custom_box, FALSE);
  self->period_days = id != NULL ? atoi (id) : 30;
  if (self->period_days <= 0)
    self->period_days = 30;
  ps_dashboard_page_refresh (self);
}

static void
on_channel_changed_cb (PsDashboardPage *self)
{
  const char *id = ps_choice_button_get_selected (self->channel_choice);

  g_clear_pointer (&self->channel, g_free);
  if (id != NULL && g_str_has_prefix (id, CHANNEL_PREFIX))
    self->channel = g_strdup (id + strlen (CHANNEL_PREFIX));
  ps_dashboard_page_refresh (self);
}

static void
channels_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  names = ps_metrics_service_list_channels_finish (PS_METRICS_SERVICE (object), result, &error);
  if (names == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot list the sales channels: %s", error->message);
      return;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = g_strconcat (CHANNEL_PREFIX, names[i], NULL);

      ps_choice_button_append (self->channel_choice, id, names[i]);
    }
  if (self->channel != NULL)
    {
      g_autofree char *id = g_strconcat (CHANNEL_PREFIX, self->channel, NULL);

      ps_choice_button_set_selected (self->channel_choice, id);
    }
}

/* -- Exports ---------------------------------------------------------- */

static void
show_toast (PsDashboardPage *self,
            const char      *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
  else
    g_message ("%s", text);
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ps_dashboard_page_export_csv_async:
 * @self: the page
 * @chart: which chart's data
 * @file: where to write it (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when written
 * @user_data: for @callback
 *
 * Writes ps_dashboard_chart_to_csv() of the dashboard shown.
 */
void
ps_dashboard_page_export_csv_async (PsDashboardPage     *self,
                                    PsMetricsChartKind   chart,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *csv;

  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (chart < PS_METRICS_CHART_N);
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_dashboard_page_export_csv_async);
  if (self->dashboard == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The dashboard has not been computed yet"));
      return;
    }
  csv = ps_dashboard_chart_to_csv (self->dashboard, chart);
  bytes = g_bytes_new_take (csv, strlen (csv));
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, replace_cb, g_steal_pointer (&task));
}

gboolean
ps_dashboard_page_export_csv_finish (PsDashboardPage  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_dashboard_page_export_csv_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A tile's words after its value, for the report: its detail and its
 * change ("65 exceptions; up 1.3 points from the previous 30 days"). */
static char *
tile_report_detail (PsDashboardPage *self,
                    PsMetric         metric)
{
  const PsMetricsTile *t = &self->dashboard->data->tiles[metric];
  g_autofree char *detail = tile_detail (self, metric);
  g_autofree char *change_text = NULL;
  g_autofree char *change = NULL;
  guint n_days = period_n_days (self);
  double delta = 0;

  if (format_change (metric, t->value, t->previous, &delta, &change_text))
    {
      if (delta > 0)
        change = g_strdup_printf (ngettext ("up %s from the previous %u day",
                                            "up %s from the previous %u days", n_days),
                                  change_text, n_days);
      else if (delta < 0)
        change = g_strdup_printf (ngettext ("down %s from the previous %u day",
                                            "down %s from the previous %u days", n_days),
                                  change_text, n_days);
      else
        change = g_strdup_printf (ngettext ("unchanged from the previous %u day",
                                            "unchanged from the previous %u days", n_days),
                                  n_days);
    }
  if (detail != NULL && change != NULL)
    return g_strdup_printf ("%s; %s", detail, change);
  return g_strdup (detail != NULL ? detail : change);
}

static PsDashboardReport *
build_report (PsDashboardPage *self)
{
  PsDashboard *dash = self->dashboard;
  const PsMetricsData *data = dash->data;
  PsDashboardReport *report;
  g_autofree char *first = format_day (self, data->from, _("%b %-d, %Y"));
  g_autofree char *last = format_day (self, data->to - 12 * 3600, _("%b %-d, %Y"));
  g_autofree char *subtitle = g_strdup_printf (_("%s to %s, %s"), first, last,
                                               self->channel != NULL ? self->channel
                                                                     : _("all channels"));

  report = ps_dashboard_report_new (_("Postsale Dashboard"), subtitle);
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      g_autofree char *detail = tile_report_detail (self, m);

      ps_dashboard_report_add_tile (report, _(metric_info[m].title),
                                    ps_tile_get_value (self->tiles[m]), detail);
    }

  for (PsMetricsChartKind k = 0; k < PS_METRICS_CHART_N; k++)
    {
      GArray *rows = data->charts[k];

      switch (k)
        {
        case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
          {
            /* One line per day, one column per carrier. */
            g_autoptr(GPtrArray) carriers = distinct_keys (rows, 0, TRUE);
            g_autoptr(GPtrArray) header = g_ptr_array_new ();
            guint n_days = ps_metrics_data_get_n_days (data);
            g_autofree double *counts = g_new0 (double, MAX (n_days * carriers->len, 1));

            g_ptr_array_add (header, (gpointer) _("Day"));
            for (guint c = 0; c < carriers->len; c++)
              g_ptr_array_add (header, (gpointer) ps_format_carrier (g_ptr_array_index (carriers, c)));
            g_ptr_array_add (header, NULL);
            ps_dashboard_report_add_table (report, chart_title (k),
                                           (const char * const *) header->pdata);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                int day = day_index (data, row->day);

                if (day >= 0)
                  counts[day * carriers->len + key_index (carriers, row->keys[0])] += row->values[0];
              }
            for (guint d = 0; d < n_days; d++)
              {
                g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

                g_ptr_array_add (cells, format_day (self, g_array_index (data->days, gint64, d),
                                                    _("%a %b %-d")));
                for (guint c = 0; c < carriers->len; c++)
                  g_ptr_array_add (cells, g_strdup_printf ("%.0f", counts[d * carriers->len + c]));
                g_ptr_array_add (cells, NULL);
                ps_dashboard_report_add_row (report, (const char * const *) cells->pdata);
              }
          }
          break;
        case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
          {
            const char *header[] = { _("Carrier"), _("Region"), _("Shipments"), _("Exceptions"),
                                     _("Rate"), NULL };

            ps_dashboard_report_add_table (report, chart_title (k), header);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                g_autofree char *n = g_strdup_printf ("%.0f", row->values[0]);
                g_autofree char *e = g_strdup_printf ("%.0f", row->values[1]);
                g_autofree char *r = format_percent (row->values[2]);
                const char *cells[] = { ps_format_carrier (row->keys[0]),
                                        region_name (row->keys[1], FALSE), n, e, r, NULL };

                ps_dashboard_report_add_row (report, cells);
              }
          }
          break;
        case PS_METRICS_CHART_COST_BY_SERVICE:
          {
            const char *header[] = { _("Week of"), _("Carrier"), _("Service"), _("Labels"),
                                     _("Average"), _("Drift"), NULL };

            ps_dashboard_report_add_table (report, chart_title (k), header);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                g_autofree char *week = short_day (self, row->day);
                g_autofree char *service = service_name (row->keys[1]);
                g_autofree char *n = g_strdup_printf ("%.0f", row->values[0]);
                g_autofree char *avg = ps_format_money ((gint64) llround (row->values[1]),
                                                        data->currency);
                const char *cells[] = { week, ps_format_carrier (row->keys[0]), service, n, avg,
                                        row->flag ? _("yes") : "", NULL };

                ps_dashboard_report_add_row (report, cells);
              }
          }
          break;
        case PS_METRICS_CHART_SCAN_HOURS:
          {
            const char *header[] = { _("Hours"), _("Shipments"), NULL };

            ps_dashboard_report_add_table (report, chart_title (k), header);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                g_autofree char *range = isinf (row->values[1])
                                         ? g_strdup_printf ("%.0f+", row->values[0])
                                         : g_strdup_printf ("%.0f–%.0f", row->values[0],
                                                            row->values[1]);
                g_autofree char *n = g_strdup_printf ("%.0f", row->values[2]);
                const char *cells[] = { range, n, NULL };

                ps_dashboard_report_add_row (report, cells);
              }
          }
          break;
        case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
          {
            const char *header[] = { _("SKU"), _("Product"), _("Returns"), _("Units"), NULL };

            ps_dashboard_report_add_table (report, chart_title (k), header);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                g_autofree char *n = g_strdup_printf ("%.0f", row->values[0]);
                g_autofree char *u = g_strdup_printf ("%.0f", row->values[1]);
                const char *cells[] = { row->keys[0], row->keys[1] != NULL ? row->keys[1] : "",
                                        n, u, NULL };

                ps_dashboard_report_add_row (report, cells);
              }
          }
          break;
        case PS_METRICS_CHART_RETURNS_BY_REASON:
        default:
          {
            const char *header[] = { _("Reason"), _("Returns"), NULL };

            ps_dashboard_report_add_table (report, chart_title (k), header);
            for (guint i = 0; i < rows->len; i++)
              {
                const PsMetricsRow *row = &g_array_index (rows, PsMetricsRow, i);
                g_autofree char *n = g_strdup_printf ("%.0f", row->values[0]);
                const char *cells[] = { reason_name (row->keys[0]), n, NULL };

                ps_dashboard_report_add_row (report, cells);
              }
          }
          break;
        }
      if (rows->len == 0)
        ps_dashboard_report_add_note (report, _("No data in this period."));
    }

  if (dash->patterns->len == 0)
    ps_dashboard_report_add_pattern (report, _("No cell had a significantly high exception rate."));
  for (guint i = 0; i < dash->patterns->len; i++)
    {
      g_autofree char *sentence = pattern_sentence (&g_array_index (dash->patterns,
                                                                    PsDashboardPattern, i));

      ps_dashboard_report_add_pattern (report, sentence);
    }
  return report;
}

typedef struct
{
  PsDashboardReport *report;
  GFile             *file;
} PdfJob;

static void
pdf_job_free (gpointer data)
{
  PdfJob *job = data;

  ps_dashboard_report_free (job->report);
  g_clear_object (&job->file);
  g_free (job);
}

static void
pdf_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  PdfJob *job = task_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = ps_dashboard_report_to_pdf (job->report, NULL, &error);
  if (bytes == NULL
      || !g_file_replace_contents (job->file, g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), NULL, FALSE,
                                   G_FILE_CREATE_REPLACE_DESTINATION, NULL, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * ps_dashboard_page_export_pdf_async:
 * @self: the page
 * @file: where to write the report (replaced)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when written
 * @user_data: for @callback
 *
 * Writes the dashboard shown as a PDF report: the period, the tiles with
 * their values and changes, each chart's data as a table, the patterns.
 * The text is formatted here; drawing and writing run on a thread.
 */
void
ps_dashboard_page_export_pdf_async (PsDashboardPage     *self,
                                    GFile               *file,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PdfJob *job;

  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_dashboard_page_export_pdf_async);
  if (self->dashboard == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               _("The dashboard has not been computed yet"));
      return;
    }
  job = g_new0 (PdfJob, 1);
  job->report = build_report (self);
  job->file = g_object_ref (file);
  g_task_set_task_data (task, job, pdf_job_free);
  g_task_run_in_thread (task, pdf_thread);
}

gboolean
ps_dashboard_page_export_pdf_finish (PsDashboardPage  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ps_dashboard_page_export_pdf_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
export_done (PsDashboardPage *self,
             GFile           *file,
             gboolean         ok,
             GError          *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *text = NULL;

  if (ok)
    text = g_strdup_printf (_("Exported to “%s”"), name);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else
    text = g_strdup_printf (_("Cannot export to “%s”: %s"), name, error->message);
  show_toast (self, text);
}

static void
export_csv_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ps_dashboard_page_export_csv_finish (PS_DASHBOARD_PAGE (object), result, &error);

  export_done (PS_DASHBOARD_PAGE (object), file, ok, error);
}

static void
export_pdf_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = ps_dashboard_page_export_pdf_finish (PS_DASHBOARD_PAGE (object), result, &error);

  export_done (PS_DASHBOARD_PAGE (object), file, ok, error);
}

static void
chooser_response_cb (PsDashboardPage *self,
                     int              response,
                     GtkNativeDialog *dialog)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  self->export_cancellable = g_cancellable_new ();
  if (self->chooser_chart >= 0)
    ps_dashboard_page_export_csv_async (self, self->chooser_chart, file, self->export_cancellable,
                                        export_csv_cb, g_object_ref (file));
  else
    ps_dashboard_page_export_pdf_async (self, file, self->export_cancellable, export_pdf_cb,
                                        g_object_ref (file));
}

static void
choose_file (PsDashboardPage *self,
             int              chart,
             const char      *title,
             const char      *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser_chart = chart;
  self->chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static char *
file_name (PsDashboardPage *self,
           const char      *what,
           const char      *extension)
{
  g_autofree char *first = format_day (self, self->dashboard->data->from, "%Y-%m-%d");
  g_autofree char *last = format_day (self, self->dashboard->data->to - 12 * 3600, "%Y-%m-%d");

  return g_strdup_printf ("%s-%s-to-%s.%s", what, first, last, extension);
}

static void
export_csv_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (widget);
  int chart = g_variant_get_int32 (parameter);
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (self->dashboard == NULL || chart < 0 || chart >= PS_METRICS_CHART_N)
    return;
  name = file_name (self, ps_metrics_chart_kind_to_nick (chart), "csv");
  title = g_strdup_printf (_("Export “%s” as CSV"), chart_title (chart));
  choose_file (self, chart, title, name);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (widget);
  g_autofree char *name = NULL;

  if (self->dashboard == NULL)
    return;
  name = file_name (self, "dashboard", "pdf");
  choose_file (self, -1, _("Export Report as PDF"), name);
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  ps_dashboard_page_refresh (PS_DASHBOARD_PAGE (widget));
}

/* -- Building --------------------------------------------------------- */

static GtkWidget *
new_card (PsDashboardPage    *self,
          PsMetricsChartKind  kind,
          GtkWidget          *chart,
          GtkLabel          **note)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (chart_title (kind));
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenuItem) item = g_menu_item_new (_("Export Data as _CSV…"), NULL);
  g_autofree char *menu_label = g_strdup_printf (_("%s Menu"), chart_title (kind));
  GtkWidget *caption = gtk_label_new (NULL);

  g_menu_item_set_action_and_target_value (item, "dashboard.export-csv",
                                           g_variant_new_int32 (kind));
  g_menu_append_item (menu, item);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), G_MENU_MODEL (menu));
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, _("Export Data"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  menu_label, -1);
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), menu_button);

  gtk_label_set_xalign (GTK_LABEL (caption), 0);
  gtk_label_set_wrap (GTK_LABEL (caption), TRUE);
  gtk_widget_add_css_class (caption, "caption");
  gtk_widget_add_css_class (caption, "dim-label");
  *note = GTK_LABEL (caption);

  /* Each chart's accessible label is its title. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  chart_title (kind), -1);
  gtk_widget_set_vexpand (chart, !GTK_IS_LIST_BOX (chart));
  gtk_widget_set_hexpand (card, TRUE);

  gtk_box_append (GTK_BOX (card), header);
  gtk_box_append (GTK_BOX (card), chart);
  gtk_box_append (GTK_BOX (card), caption);
  gtk_widget_add_css_class (card, "card");
  gtk_widget_set_margin_start (header, 6);
  gtk_widget_set_margin_top (header, 6);
  gtk_widget_set_margin_end (header, 6);
  gtk_widget_set_margin_start (chart, 12);
  gtk_widget_set_margin_end (chart, 12);
  gtk_widget_set_margin_start (caption, 12);
  gtk_widget_set_margin_end (caption, 12);
  gtk_widget_set_margin_bottom (caption, 12);
  gtk_widget_set_margin_start (title, 6);
  return card;
}

static void
build_cards (PsDashboardPage *self)
{
  static const PsMetricsChartKind order[N_CARDS] = {
    PS_METRICS_CHART_SHIPMENTS_BY_CARRIER, PS_METRICS_CHART_EXCEPTIONS_BY_REGION,
    PS_METRICS_CHART_COST_BY_SERVICE, PS_METRICS_CHART_SCAN_HOURS,
    PS_METRICS_CHART_RETURNS_BY_PRODUCT, PS_METRICS_CHART_RETURNS_BY_REASON,
  };

  for (guint i = 0; i < N_CARDS; i++)
    {
      Card *card = &self->cards[i];
      GtkWidget *chart;

      card->kind = order[i];
      switch (card->kind)
        {
        case PS_METRICS_CHART_SHIPMENTS_BY_CARRIER:
          chart = ps_bar_chart_new ();
          g_signal_connect_object (chart, "segment-activated", G_CALLBACK (on_segment_activated_cb),
                                   self, 0);
          break;
        case PS_METRICS_CHART_EXCEPTIONS_BY_REGION:
          chart = ps_heat_map_new ();
          g_signal_connect_object (chart, "cell-activated", G_CALLBACK (on_cell_activated_cb),
                                   self, 0);
          break;
        case PS_METRICS_CHART_COST_BY_SERVICE:
          chart = ps_line_chart_new ();
          g_signal_connect_object (chart, "point-activated", G_CALLBACK (on_point_activated_cb),
                                   self, 0);
          break;
        case PS_METRICS_CHART_SCAN_HOURS:
          chart = ps_histogram_new ();
          ps_histogram_set_unit (PS_HISTOGRAM (chart), NULL, _(" h"), 0);
          g_signal_connect_object (chart, "bin-activated", G_CALLBACK (on_bin_activated_cb),
                                   self, 0);
          break;
        case PS_METRICS_CHART_RETURNS_BY_PRODUCT:
        case PS_METRICS_CHART_RETURNS_BY_REASON:
        default:
          chart = gtk_list_box_new ();
          gtk_list_box_set_selection_mode (GTK_LIST_BOX (chart), GTK_SELECTION_NONE);
          gtk_list_box_set_placeholder (GTK_LIST_BOX (chart),
                                        gtk_label_new (_("No returns in this period")));
          gtk_widget_add_css_class (chart, "boxed-list");
          gtk_widget_set_valign (chart, GTK_ALIGN_START);
          g_signal_connect_object (chart, "row-activated", G_CALLBACK (on_list_row_activated_cb),
                                   self, 0);
          break;
        }
      if (!GTK_IS_LIST_BOX (chart))
        {
          /* The heat map has a row per region: room for its percentages. */
          gtk_widget_set_size_request (chart, 280, PS_IS_HEAT_MAP (chart) ? 440 : 240);
          g_signal_connect_object (chart, "notify::tooltip-text",
                                   G_CALLBACK (on_chart_tooltip_cb), self, 0);
        }
      card->chart = chart;
      card->card = new_card (self, card->kind, chart, &card->note);
      gtk_grid_attach (self->chart_box, card->card, 0, i, 1, 1);
    }
}

static void
build_tiles (PsDashboardPage *self)
{
  for (PsMetric m = 0; m < PS_METRIC_N; m++)
    {
      GtkWidget *tile = ps_tile_new (_(metric_info[m].title));

      self->tiles[m] = PS_TILE (tile);
      g_signal_connect_object (tile, "activated", G_CALLBACK (on_tile_activated_cb), self, 0);
      gtk_flow_box_append (self->tile_box, tile);
      /* The tile is the control; its flow box child is not a focus stop. */
      gtk_widget_set_focusable (gtk_widget_get_parent (tile), FALSE);
    }
}

/* -- GObject ---------------------------------------------------------- */

/* Charts two by two when they get at least ~450 px each, else one above
 * the other. GTK 4.8 has no breakpoints: the width is read at allocation
 * and the grid rearranged from an idle (the tree must not change during
 * an allocation). */
#define TWO_COLUMNS_MIN_WIDTH 940

static gboolean
relayout_idle_cb (gpointer user_data)
{
  PsDashboardPage *self = user_data;

  self->relayout_source = 0;
  for (guint i = 0; i < N_CARDS; i++)
    {
      GtkWidget *card = self->cards[i].card;

      g_object_ref (card);
      gtk_grid_remove (self->chart_box, card);
      gtk_grid_attach (self->chart_box, card, i % self->chart_columns, i / self->chart_columns,
                       1, 1);
      g_object_unref (card);
    }
  return G_SOURCE_REMOVE;
}

static void
ps_dashboard_page_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  gtk_widget_measure (PS_DASHBOARD_PAGE (widget)->page_box, orientation, for_size, minimum,
                      natural, minimum_baseline, natural_baseline);
}

static void
ps_dashboard_page_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (widget);
  guint columns = width >= TWO_COLUMNS_MIN_WIDTH ? 2 : 1;

  gtk_widget_allocate (self->page_box, width, height, baseline, NULL);
  if (columns != self->chart_columns)
    {
      self->chart_columns = columns;
      if (self->relayout_source == 0)
        self->relayout_source = g_idle_add (relayout_idle_cb, self);
    }
}

static void
ps_dashboard_page_dispose (GObject *object)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (object);

  g_cancellable_cancel (self->compute_cancellable);
  g_cancellable_cancel (self->channels_cancellable);
  g_cancellable_cancel (self->export_cancellable);
  g_clear_handle_id (&self->describe_source, g_source_remove);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_DASHBOARD_PAGE);

  G_OBJECT_CLASS (ps_dashboard_page_parent_class)->dispose (object);
}

static void
ps_dashboard_page_finalize (GObject *object)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (object);

  g_clear_object (&self->compute_cancellable);
  g_clear_object (&self->channels_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_pointer (&self->dashboard, ps_dashboard_unref);
  g_clear_object (&self->service);
  g_clear_object (&self->context);
  g_clear_pointer (&self->channel, g_free);
  for (guint i = 0; i < N_CARDS; i++)
    g_clear_pointer (&self->cards[i].rows, g_array_unref);

  G_OBJECT_CLASS (ps_dashboard_page_parent_class)->finalize (object);
}

static void
ps_dashboard_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PsDashboardPage *self = PS_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, ps_dashboard_page_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ps_dashboard_page_class_init (PsDashboardPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_dashboard_page_dispose;
  object_class->finalize = ps_dashboard_page_finalize;
  object_class->get_property = ps_dashboard_page_get_property;
  widget_class->measure = ps_dashboard_page_measure;
  widget_class->size_allocate = ps_dashboard_page_size_allocate;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                                   | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * PsDashboardPage::drill-down:
   * @self: the page
   * @condition: the orders behind what was activated
   * @title: what was activated, for a heading ("Orders, last 30 days")
   *
   * A tile, chart element or pattern was activated: show the Orders
   * page filtered by @condition.
   */
  signals[DRILL_DOWN] = g_signal_new ("drill-down", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                      PS_TYPE_CONDITION | G_SIGNAL_TYPE_STATIC_SCOPE,
                                      G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "dashboard.export-csv", "i", export_csv_action);
  gtk_widget_class_install_action (widget_class, "dashboard.export-pdf", NULL, export_pdf_action);
  gtk_widget_class_install_action (widget_class, "dashboard.refresh", NULL, refresh_action);

  g_type_ensure (PS_TYPE_CHOICE_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/example/Postsale/ui/ps-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, page_box);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, period_choice);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, channel_choice);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, custom_box);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, from_entry);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, to_entry);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, busy_spinner);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, tile_box);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, chart_box);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, patterns_caption);
  gtk_widget_class_bind_template_child (widget_class, PsDashboardPage, patterns_list);
  gtk_widget_class_bind_template_callback (widget_class, on_period_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_custom_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_pattern_activated_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_dashboard_page_init (PsDashboardPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->period_days = 30;
  self->chooser_chart = -1;
  /* One column to start with, so the page's minimum width stays small;
   * the first allocation moves to two when there is room. */
  self->chart_columns = 1;

  /* Translators: the accessible names of the page's two choices */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Dashboard"), -1);
  ps_choice_button_append (self->period_choice, "7", _("Last 7 days"));
  ps_choice_button_append (self->period_choice, "30", _("Last 30 days"));
  ps_choice_button_append (self->period_choice, "90", _("Last 90 days"));
  ps_choice_button_append (self->period_choice, "custom", _("Custom…"));
  ps_choice_button_set_selected (self->period_choice, "30");
  gtk_list_box_set_placeholder (self->patterns_list,
                                g_object_new (GTK_TYPE_LABEL,
                                              "label", _("No carrier, region, service or weekday "
                                                         "had an unusually high exception rate"),
                                              "wrap", TRUE, "margin-top", 18,
                                              "margin-bottom", 18, "margin-start", 12,
                                              "margin-end", 12, NULL));
  ps_choice_button_append (self->channel_choice, CHANNEL_ALL, _("All channels"));
  ps_choice_button_set_selected (self->channel_choice, CHANNEL_ALL);

  build_tiles (self);
  build_cards (self);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
}

/* -- Public API ------------------------------------------------------- */

/**
 * ps_dashboard_page_set_context:
 * @self: the page
 * @context: (nullable): the open database
 *
 * Creates the page's #PsMetricsService on @context, lists the channels
 * and computes the dashboard.
 */
void
ps_dashboard_page_set_context (PsDashboardPage *self,
                               PsContext       *context)
{
  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (context == NULL || PS_IS_CONTEXT (context));

  if (self->context == context)
    return;
  g_cancellable_cancel (self->compute_cancellable);
  g_clear_object (&self->compute_cancellable);
  g_cancellable_cancel (self->channels_cancellable);
  g_clear_object (&self->channels_cancellable);
  g_clear_pointer (&self->dashboard, ps_dashboard_unref);
  g_clear_object (&self->service);
  g_set_object (&self->context, context);
  set_loading (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  if (context == NULL)
    return;

  self->service = ps_metrics_service_new (context);
  self->channels_cancellable = g_cancellable_new ();
  ps_metrics_service_list_channels_async (self->service, self->channels_cancellable, channels_cb,
                                          g_object_ref (self));
  ps_dashboard_page_refresh (self);
}

/**
 * ps_dashboard_page_set_period:
 * @self: the page
 * @from: the first day (any time in it; UTC Unix seconds)
 * @to: the day after the last (not included)
 *
 * Shows a custom period and computes it.
 */
void
ps_dashboard_page_set_period (PsDashboardPage *self,
                              gint64           from,
                              gint64           to)
{
  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (to > from);

  self->period_days = 0;
  self->custom_from = from;
  self->custom_to = to;
  if (g_strcmp0 (ps_choice_button_get_selected (self->period_choice), "custom") != 0)
    ps_choice_button_set_selected (self->period_choice, "custom");
  if (self->context != NULL)
    {
      set_entry_day (self, self->from_entry, from);
      set_entry_day (self, self->to_entry, to - 12 * 3600);
    }
  gtk_widget_set_visible (self->custom_box, TRUE);
  ps_dashboard_page_refresh (self);
}

/**
 * ps_dashboard_page_set_channel:
 * @self: the page
 * @channel: (nullable): a channel's name, or %NULL for all
 */
void
ps_dashboard_page_set_channel (PsDashboardPage *self,
                               const char      *channel)
{
  g_autofree char *id = NULL;

  g_return_if_fail (PS_IS_DASHBOARD_PAGE (self));

  g_free (self->channel);
  self->channel = channel != NULL && channel[0] != '\0' ? g_strdup (channel) : NULL;
  id = self->channel != NULL ? g_strconcat (CHANNEL_PREFIX, self->channel, NULL)
                             : g_strdup (CHANNEL_ALL);
  ps_choice_button_set_selected (self->channel_choice, id);
  ps_dashboard_page_refresh (self);
}

/**
 * ps_dashboard_page_get_loading:
 * @self: the page
 *
 * Returns: whether a computation is under way
 */
gboolean
ps_dashboard_page_get_loading (PsDashboardPage *self)
{
  g_return_val_if_fail (PS_IS_DASHBOARD_PAGE (self), FALSE);

  return self->loading;
}

/**
 * ps_dashboard_page_get_dashboard:
 * @self: the page
 *
 * Returns: (transfer none) (nullable): the numbers shown, %NULL before
 *   the first computation finished
 */
PsDashboard *
ps_dashboard_page_get_dashboard (PsDashboardPage *self)
{
  g_return_val_if_fail (PS_IS_DASHBOARD_PAGE (self), NULL);

  return self->dashboard;
}

/**
 * ps_dashboard_page_get_tile:
 * @self: the page
 * @metric: which tile
 *
 * Returns: (transfer none): the tile
 */
PsTile *
ps_dashboard_page_get_tile (PsDashboardPage *self,
                            PsMetric         metric)
{
  g_return_val_if_fail (PS_IS_DASHBOARD_PAGE (self), NULL);
  g_return_val_if_fail (metric < PS_METRIC_N, NULL);

  return self->tiles[metric];
}
