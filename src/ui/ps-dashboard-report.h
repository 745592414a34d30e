/* ps-dashboard-report.h: the Dashboard as a printable PDF report
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PsDashboardReport:
 *
 * Plain, already formatted text (made on the main thread from a
 * #PsDashboard), so the PDF can be drawn on any thread with cairo and
 * Pango alone.
 */
typedef struct _PsDashboardReport PsDashboardReport;

PsDashboardReport *ps_dashboard_report_new        (const char         *title,
                                                   const char         *subtitle);
void               ps_dashboard_report_free       (PsDashboardReport  *self);
void               ps_dashboard_report_add_tile   (PsDashboardReport  *self,
                                                   const char         *title,
                                                   const char         *value,
                                                   const char         *detail);
void               ps_dashboard_report_add_table  (PsDashboardReport  *self,
                                                   const char         *title,
                                                   const char * const *header);
void               ps_dashboard_report_add_row    (PsDashboardReport  *self,
                                                   const char * const *cells);
void               ps_dashboard_report_add_note   (PsDashboardReport  *self,
                                                   const char         *text);
void               ps_dashboard_report_add_pattern (PsDashboardReport *self,
                                                   const char         *text);
GBytes            *ps_dashboard_report_to_pdf     (PsDashboardReport  *self,
                                                   guint              *n_pages,
                                                   GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsDashboardReport, ps_dashboard_report_free)

G_END_DECLS
