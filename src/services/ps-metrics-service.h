/* ps-metrics-service.h: the dashboard's numbers, drill-downs and patterns
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-condition.h"
#include "ps-context.h"
#include "ps-metrics-store.h"

G_BEGIN_DECLS

/**
 * PsDrillDown:
 * @condition: (nullable): the orders behind a number, for the Orders
 *   page; %NULL when the condition language cannot say it yet
 * @exact: %TRUE when @condition selects exactly the orders counted (for
 *   shipment numbers: the orders of the shipments counted); %FALSE when
 *   it may select more (docs/METRICS.md says which and why)
 */
typedef struct
{
  PsCondition *condition;
  gboolean     exact;
} PsDrillDown;

/**
 * PsDashboardPattern:
 * @carrier: (nullable): the carrier, %NULL for any
 * @region: (nullable): the destination region, %NULL for any
 * @service: (nullable): the service, %NULL for any
 * @weekday: 1 (Monday) to 7 of the label's day, 0 for any
 * @shipments: the cell's shipments in the period
 * @exceptions: how many of them had an exception
 * @rate: @exceptions / @shipments
 * @baseline: the period's overall exception rate
 * @ratio: @rate / @baseline
 * @p_value: one-sided binomial p-value
 * @q_value: Benjamini–Hochberg adjusted p-value over every cell tested
 * @drill: the cell's orders
 */
typedef struct
{
  char        *carrier;
  char        *region;
  char        *service;
  int          weekday;
  gint64       shipments;
  gint64       exceptions;
  double       rate;
  double       baseline;
  double       ratio;
  double       p_value;
  double       q_value;
  PsDrillDown  drill;
} PsDashboardPattern;

/**
 * PsDashboard:
 * @data: the numbers (tiles, series, charts)
 * @tile_drill: one drill-down per #PsMetric
 * @chart_drill: (element-type PsDrillDown): per #PsMetricsChartKind, one
 *   per row of the chart, in the same order
 * @patterns: (element-type PsDashboardPattern): strongest first
 * @n_cells_tested: how many cells the pattern test looked at
 * @elapsed_us: how long the computation took on the worker
 *
 * Everything the Dashboard page shows, for one period and channel. The
 * fields may be read directly; the struct is immutable and shared.
 */
typedef struct
{
  PsMetricsData *data;
  PsDrillDown    tile_drill[PS_METRIC_N];
  GArray        *chart_drill[PS_METRICS_CHART_N];
  GArray        *patterns;
  guint          n_cells_tested;
  gint64         elapsed_us;
} PsDashboard;

#define PS_TYPE_DASHBOARD (ps_dashboard_get_type ())

GType        ps_dashboard_get_type         (void) G_GNUC_CONST;
PsDashboard *ps_dashboard_ref              (PsDashboard         *self);
void         ps_dashboard_unref            (PsDashboard         *self);
char        *ps_dashboard_chart_to_csv     (PsDashboard         *self,
                                            PsMetricsChartKind   chart);
const char  *ps_metrics_chart_kind_to_nick (PsMetricsChartKind   chart);
const char  *ps_metric_to_nick             (PsMetric             metric);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsDashboard, ps_dashboard_unref)

/* Defaults for ps_metrics_service_compute_async(). */
#define PS_METRICS_DEFAULT_DRIFT_PERCENT 5.0
#define PS_METRICS_PATTERN_MIN_SHIPMENTS 30
#define PS_METRICS_PATTERN_FDR           0.05

#define PS_TYPE_METRICS_SERVICE (ps_metrics_service_get_type ())

G_DECLARE_FINAL_TYPE (PsMetricsService, ps_metrics_service, PS, METRICS_SERVICE, GObject)

PsMetricsService *ps_metrics_service_new               (PsContext            *context);
void              ps_metrics_service_set_drift_percent (PsMetricsService     *self,
                                                        double                percent);
void              ps_metrics_service_compute_async     (PsMetricsService     *self,
                                                        gint64                from,
                                                        gint64                to,
                                                        const char           *channel,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
PsDashboard      *ps_metrics_service_compute_finish    (PsMetricsService     *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
PsDashboard      *ps_metrics_service_compute_sync      (PsMetricsService     *self,
                                                        gint64                from,
                                                        gint64                to,
                                                        const char           *channel,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void              ps_metrics_service_list_channels_async  (PsMetricsService  *self,
                                                           GCancellable      *cancellable,
                                                           GAsyncReadyCallback callback,
                                                           gpointer           user_data);
GStrv             ps_metrics_service_list_channels_finish (PsMetricsService  *self,
                                                           GAsyncResult      *result,
                                                           GError           **error);

G_END_DECLS
