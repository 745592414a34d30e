/* ps-metrics-store.h: the dashboard's numbers in SQL (worker side)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-database.h"

G_BEGIN_DECLS

/**
 * PsMetric:
 * @PS_METRIC_ORDERS: orders placed in the period
 * @PS_METRIC_SHIPMENTS: labels bought in the period, voided ones left out
 * @PS_METRIC_AWAITING_SHIPMENT: orders in awaiting_shipment now
 * @PS_METRIC_ON_TIME_RATE: delivered by the carrier's estimate, of the
 *   period's delivered shipments that had one
 * @PS_METRIC_EXCEPTION_RATE: the period's shipments that ever had an
 *   exception, of all its shipments
 * @PS_METRIC_AVG_LABEL_COST: average label cost in minor units of the
 *   dominant currency
 * @PS_METRIC_AVG_LABEL_TO_SCAN_HOURS: average hours from label to the
 *   carrier's first scan
 * @PS_METRIC_RETURNS_RATE: returns requested in the period per order
 *   placed in the period
 *
 * The tiles of the dashboard; docs/METRICS.md defines each exactly.
 */
typedef enum
{
  PS_METRIC_ORDERS,
  PS_METRIC_SHIPMENTS,
  PS_METRIC_AWAITING_SHIPMENT,
  PS_METRIC_ON_TIME_RATE,
  PS_METRIC_EXCEPTION_RATE,
  PS_METRIC_AVG_LABEL_COST,
  PS_METRIC_AVG_LABEL_TO_SCAN_HOURS,
  PS_METRIC_RETURNS_RATE,
} PsMetric;

#define PS_METRIC_N (PS_METRIC_RETURNS_RATE + 1)

/**
 * PsMetricsTile:
 * @value: the period's value; NAN when it has no denominator
 * @previous: the same over the previous period of equal length; NAN when
 *   unknown (awaiting_shipment has no history)
 * @numerator: what @value counts or sums (orders, shipments, on-time
 *   deliveries, exceptions, cost, seconds, returns)
 * @denominator: what it is divided by (1 for counts)
 * @series: (element-type double): one value per day of the period, NAN
 *   where a day has no denominator
 */
typedef struct
{
  double  value;
  double  previous;
  double  numerator;
  double  denominator;
  GArray *series;
} PsMetricsTile;

/**
 * PsMetricsChartKind:
 * @PS_METRICS_CHART_SHIPMENTS_BY_CARRIER: rows (day, carrier): day,
 *   keys[0] carrier, values[0] shipments
 * @PS_METRICS_CHART_EXCEPTIONS_BY_REGION: rows (carrier, region): keys[0]
 *   carrier, keys[1] region, values[0] shipments, values[1] exceptions,
 *   values[2] rate
 * @PS_METRICS_CHART_COST_BY_SERVICE: rows (week, carrier, service): day
 *   the week's first day (Monday) or the period's first day, keys[0]
 *   carrier, keys[1] service, values[0] labels, values[1] average cost
 *   (minor units of the dominant currency), values[2] the service's
 *   14-day average and values[3] its 90-day average, both ending with the
 *   period; flag: the 14-day average is more than the drift threshold
 *   above the 90-day one
 * @PS_METRICS_CHART_SCAN_HOURS: one row per bucket: values[0] its lower
 *   bound in hours, values[1] its upper bound (INFINITY for the last),
 *   values[2] shipments
 * @PS_METRICS_CHART_RETURNS_BY_PRODUCT: keys[0] SKU, keys[1] product name,
 *   values[0] returns, values[1] units returned
 * @PS_METRICS_CHART_RETURNS_BY_REASON: keys[0] reason nick, values[0]
 *   returns
 */
typedef enum
{
  PS_METRICS_CHART_SHIPMENTS_BY_CARRIER,
  PS_METRICS_CHART_EXCEPTIONS_BY_REGION,
  PS_METRICS_CHART_COST_BY_SERVICE,
  PS_METRICS_CHART_SCAN_HOURS,
  PS_METRICS_CHART_RETURNS_BY_PRODUCT,
  PS_METRICS_CHART_RETURNS_BY_REASON,
} PsMetricsChartKind;

#define PS_METRICS_CHART_N (PS_METRICS_CHART_RETURNS_BY_REASON + 1)

/**
 * PsMetricsRow:
 * @day: a local midnight (UTC Unix seconds) when the row is about a day
 *   or a week, else 0
 * @keys: up to three strings, %NULL after the last
 * @values: the numbers, meaning per #PsMetricsChartKind
 * @flag: cost drift (cost by service)
 * @shipments: cost by service: every label of the carrier's service in
 *   the week, also those without a rate or in another currency (values[0]
 *   counts only those with a rate in the dominant currency); 0 elsewhere
 *
 * One element of a chart.
 */
typedef struct
{
  gint64    day;
  char     *keys[3];
  double    values[4];
  gboolean  flag;
  gint64    shipments;
} PsMetricsRow;

/**
 * PsMetricsCell:
 * @carrier: the carrier id
 * @service: the service code
 * @region: the destination region (ps_region_for_address())
 * @weekday: 1 (Monday) to 7 (Sunday), of the label's local day
 * @shipments: the period's shipments of the cell
 * @exceptions: those that ever had an exception
 *
 * The finest cell of the exception patterns.
 */
typedef struct
{
  char   *carrier;
  char   *service;
  char   *region;
  int     weekday;
  gint64  shipments;
  gint64  exceptions;
} PsMetricsCell;

/**
 * PsMetricsData:
 * @from: the period's first local midnight
 * @to: the local midnight ending it (not included)
 * @previous_from: the previous period is [@previous_from, @from), as many
 *   days long
 * @days: (element-type gint64): the local midnights of the period's days
 *   and the one after the last (n_days + 1 values)
 * @tiles: the tiles, indexed by #PsMetric
 * @exceptions: the period's shipments that ever had an exception
 * @awaiting_oldest_at: when the oldest order awaiting shipment was placed,
 *   0 if none
 * @on_time_no_estimate: the period's delivered shipments without an
 *   estimate (left out of the on-time rate)
 * @returns: returns requested in the period
 * @currency: (nullable): the dominant label currency of the period
 * @mixed_currencies: some labels were paid in another currency (left out
 *   of the average cost)
 * @charts: (element-type PsMetricsRow): one array per #PsMetricsChartKind
 * @cells: (element-type PsMetricsCell): shipments and exceptions per
 *   carrier × service × region × weekday
 * @rebuilt_days: how many days of roll-ups this computation rebuilt
 */
typedef struct
{
  gint64         from;
  gint64         to;
  gint64         previous_from;
  GArray        *days;
  PsMetricsTile  tiles[PS_METRIC_N];
  gint64         exceptions;
  gint64         awaiting_oldest_at;
  gint64         on_time_no_estimate;
  gint64         returns;
  char          *currency;
  gboolean       mixed_currencies;
  GArray        *charts[PS_METRICS_CHART_N];
  GArray        *cells;
  guint          rebuilt_days;
} PsMetricsData;

void           ps_metrics_data_free          (PsMetricsData *self);
guint          ps_metrics_data_get_n_days    (const PsMetricsData *self);

PsMetricsData *ps_metrics_store_compute_sync (PsDatabase    *db,
                                              gint64         from,
                                              gint64         to,
                                              const char    *channel,
                                              GTimeZone     *tz,
                                              double         drift_percent,
                                              GCancellable  *cancellable,
                                              GError       **error);
gboolean       ps_metrics_store_refresh_sync (PsDatabase    *db,
                                              GTimeZone     *tz,
                                              guint         *n_days,
                                              GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMetricsData, ps_metrics_data_free)

G_END_DECLS
