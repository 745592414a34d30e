/* ps-dashboard-page.h
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ps-context.h"
#include "ps-metrics-service.h"
#include "ps-tile.h"

G_BEGIN_DECLS

#define PS_TYPE_DASHBOARD_PAGE (ps_dashboard_page_get_type ())

G_DECLARE_FINAL_TYPE (PsDashboardPage, ps_dashboard_page, PS, DASHBOARD_PAGE, GtkWidget)

void         ps_dashboard_page_set_context       (PsDashboardPage     *self,
                                                  PsContext           *context);
void         ps_dashboard_page_refresh           (PsDashboardPage     *self);
void         ps_dashboard_page_set_period        (PsDashboardPage     *self,
                                                  gint64               from,
                                                  gint64               to);
void         ps_dashboard_page_set_channel       (PsDashboardPage     *self,
                                                  const char          *channel);
gboolean     ps_dashboard_page_get_loading       (PsDashboardPage     *self);
PsDashboard *ps_dashboard_page_get_dashboard     (PsDashboardPage     *self);
PsTile      *ps_dashboard_page_get_tile          (PsDashboardPage     *self,
                                                  PsMetric             metric);

void         ps_dashboard_page_export_csv_async  (PsDashboardPage     *self,
                                                  PsMetricsChartKind   chart,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean     ps_dashboard_page_export_csv_finish (PsDashboardPage     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
void         ps_dashboard_page_export_pdf_async  (PsDashboardPage     *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean     ps_dashboard_page_export_pdf_finish (PsDashboardPage     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
