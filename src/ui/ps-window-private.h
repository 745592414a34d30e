/* ps-window-private.h: what the window's source files share
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ps-automations-page.h"
#include "ps-dashboard-page.h"
#include "ps-exceptions-view.h"
#include "ps-orders-page.h"
#include "ps-automation-service.h"
#include "ps-outbox-service.h"
#include "ps-shipping-service.h"
#include "ps-tracking-service.h"
#include "ps-window.h"

G_BEGIN_DECLS

struct _PsWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  PsShippingService    *shipping;
  PsTrackingService    *tracking;
  PsOutboxService      *outbox;
  PsAutomationService  *automation;
  PsContext            *context;
  GCancellable         *cancellable;
  GPtrArray            *pending_imports;   /* GFile: opened before the database was */
  GPtrArray            *filters;           /* PsSavedFilter, in sidebar order */
  GPtrArray            *filter_counts;     /* GtkLabel per filter row */
  GCancellable         *counts_cancellable;
  guint                 counts_source;
  gboolean              syncing_sidebar;
  PsCondition          *shown_condition;   /* a drill-down's, not a saved filter's */
  PsSavedFilter        *deleted_filter;    /* what Undo puts back */
  char                 *select_after_load; /* filter name to select when the list is read */
  GtkWidget            *filter_popover;    /* a row's context menu */

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *sidebar_box;
  GtkListBox           *sidebar;
  GtkListBox           *filters_list;
  GtkWidget            *filters_heading;
  GtkWidget            *content_box;
  AdwWindowTitle       *content_title;
  GtkMenuButton        *columns_button;
  GtkMenuButton        *filter_menu_button;
  GtkToggleButton      *search_button;
  GtkRevealer          *demo_banner;
  GtkBox               *demo_banner_box;
  GtkLabel             *demo_banner_label;
  GtkLabel             *orders_count_label;
  GtkStack             *stack;
  AdwBin               *dashboard_bin;     /* the pages made when first shown */
  AdwBin               *exceptions_bin;
  AdwBin               *automations_bin;
  PsOrdersPage         *orders_page;
  AdwStatusPage        *error_page;
};

/* ps-window.c */
void ps_window_show_toast                  (PsWindow            *self,
                                            const char          *title);

/* ps-window-filters.c: the sidebar's saved filters */
void ps_window_init_filters                (PsWindow            *self);
void ps_window_dispose_filters             (PsWindow            *self);
void ps_window_load_filters                (PsWindow            *self);
void ps_window_queue_refresh_counts        (PsWindow            *self);
void ps_window_show_filter                 (PsWindow            *self,
                                            const PsSavedFilter *filter);
void ps_window_show_condition              (PsWindow            *self,
                                            PsCondition         *condition,
                                            const char          *title);
void ps_window_on_filters_row_selected_cb  (PsWindow            *self,
                                            GtkListBoxRow       *row,
                                            GtkListBox          *list);
void ps_window_on_filters_row_activated_cb (PsWindow            *self,
                                            GtkListBoxRow       *row,
                                            GtkListBox          *list);

G_END_DECLS
