/* test-window.c: the main window on a real demo database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with G_DEBUG=fatal-criticals: a missing template child,
 * an unknown type or a bad binding aborts the test.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ps-application.h"
#include "ps-batch-dialog.h"
#include "ps-rate-dialog.h"
#include "ps-shipping-preferences.h"
#include "ps-condition-group.h"
#include "ps-dashboard-page.h"
#include "ps-filter-editor.h"
#include "ps-demo.h"
#include "ps-order-details-pane.h"
#include "ps-orders-page.h"
#include "ps-preferences-window.h"
#include "ps-time.h"
#include "ps-window.h"

#define N_DEMO_ORDERS 400

static PsApplication *app;
static PsContext *context;

static gboolean
timeout_cb (gpointer data)
{
  g_error ("Timed out: %s", (const char *)data);
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond, what)                                            \
  G_STMT_START {                                                          \
    guint _t = g_timeout_add_seconds (20, timeout_cb, (gpointer)(what));  \
    while (!(cond))                                                       \
      g_main_context_iteration (NULL, TRUE);                              \
    g_source_remove (_t);                                                 \
  } G_STMT_END

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static PsWindow *
new_window (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.Postsale");
  PsWindow *window = ps_window_new (app, settings);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  ps_window_set_context (window, context);
  return window;
}

static PsOrdersPage *
find_orders_page (GtkWidget *widget)
{
  if (PS_IS_ORDERS_PAGE (widget))
    return PS_ORDERS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PsOrdersPage *page = find_orders_page (child);
      if (page != NULL)
        return page;
    }
  return NULL;
}

static void
wait_list_loaded (PsOrderList *list)
{
  spin (50);
  WAIT_UNTIL (!ps_order_list_get_loading (list), "order list to load");
}

static void
test_window_shows_orders (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list;
  g_autoptr(PsOrder) first = NULL;

  g_assert_nonnull (page);
  g_assert_cmpstr (ps_window_get_page (window), ==, "orders");
  list = ps_orders_page_get_list (page);
  g_assert_nonnull (list);
  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DEMO_ORDERS);

  /* The first row was bound by the view, so its object is alive and
   * filled: get_item hands back that same, loaded object. */
  WAIT_UNTIL (({ g_autoptr(PsOrder) o = g_list_model_get_item (G_LIST_MODEL (list), 0);
                 ps_order_get_loaded (o); }), "first row to be filled");
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_nonnull (ps_order_get_order_number (first));
  g_assert_nonnull (ps_order_get_currency (first));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* STYLE.md 3.7a: on GTK 4.8 the first scroll after presenting could land on
 * NaN and bind no rows. Jumping to the end must show the last orders. */
static void
test_jump_to_end_shows_rows (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkWidget *view = ps_orders_page_get_view (page);
  GtkScrollable *scrollable = GTK_SCROLLABLE (view);
  GtkAdjustment *vadj;
  guint n;

  wait_list_loaded (list);
  spin (200);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  vadj = gtk_scrollable_get_vadjustment (scrollable);
  g_assert_nonnull (vadj);
  gtk_adjustment_set_value (vadj, gtk_adjustment_get_upper (vadj));
  spin (300);

  WAIT_UNTIL (({ g_autoptr(PsOrder) o = g_list_model_get_item (G_LIST_MODEL (list), n - 1);
                 ps_order_get_loaded (o); }), "last row to be bound and filled");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkColumnViewColumn *
find_column (GtkColumnView *view,
             const char    *title)
{
  GListModel *cols = gtk_column_view_get_columns (view);

  for (guint i = 0; i < g_list_model_get_n_items (cols); i++)
    {
      g_autoptr(GtkColumnViewColumn) col = g_list_model_get_item (cols, i);
      if (g_strcmp0 (gtk_column_view_column_get_title (col), title) == 0)
        return col;   /* the model keeps it alive */
    }
  return NULL;
}

static gint64
total_at (PsOrderList *list,
          guint        position)
{
  g_autoptr(PsOrder) order = g_list_model_get_item (G_LIST_MODEL (list), position);

  WAIT_UNTIL (ps_order_get_loaded (order), "a row to be filled");
  return ps_order_get_total_minor (order);
}

/* Clicking a header sorts in SQL; clicking again reverses. */
static void
test_sort_by_header (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkColumnView *view = GTK_COLUMN_VIEW (ps_orders_page_get_view (page));
  GtkColumnViewColumn *total = find_column (view, "Total");
  guint n;

  g_assert_nonnull (total);
  wait_list_loaded (list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));

  gtk_column_view_sort_by_column (view, total, GTK_SORT_ASCENDING);
  g_assert_true (ps_order_list_get_loading (list));
  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  for (guint i = 0; i + 1 < 20; i++)
    g_assert_cmpint (total_at (list, i), <=, total_at (list, i + 1));
  g_assert_cmpint (total_at (list, 0), <=, total_at (list, n - 1));

  gtk_column_view_sort_by_column (view, total, GTK_SORT_DESCENDING);
  wait_list_loaded (list);
  for (guint i = 0; i + 1 < 20; i++)
    g_assert_cmpint (total_at (list, i), >=, total_at (list, i + 1));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Hiding a column and resizing one is remembered for the next window. */
static void
test_column_layout (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  GtkColumnView *view = GTK_COLUMN_VIEW (ps_orders_page_get_view (page));
  GtkColumnViewColumn *total = find_column (view, "Total");
  g_autoptr(GSettings) settings = g_settings_new ("com.example.Postsale");

  g_assert_true (gtk_column_view_column_get_visible (total));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "columns.show-total", NULL));
  g_assert_false (gtk_column_view_column_get_visible (total));
  gtk_column_view_column_set_fixed_width (find_column (view, "Customer"), 222);
  spin (700);   /* the layout is saved once changes settle */
  gtk_window_destroy (GTK_WINDOW (window));

  {
    g_autoptr(GVariant) layout = g_settings_get_value (settings, "orders-columns");
    g_assert_cmpuint (g_variant_n_children (layout), ==, 10);
  }

  window = new_window ();
  page = find_orders_page (GTK_WIDGET (window));
  view = GTK_COLUMN_VIEW (ps_orders_page_get_view (page));
  g_assert_false (gtk_column_view_column_get_visible (find_column (view, "Total")));
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (find_column (view, "Customer")), ==, 222);

  /* Show it again for the tests that follow. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "columns.show-total", NULL));
  g_assert_true (gtk_column_view_column_get_visible (find_column (view, "Total")));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_pages (void)
{
  static const char * const pages[] = {
    "dashboard", "shipments", "automations", "returns", "improvements", "orders"
  };
  PsWindow *window = new_window ();

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]));
      g_assert_cmpstr (ps_window_get_page (window), ==, pages[i]);
    }

  /* An unknown page is refused, and the page stays. */
  g_test_expect_message ("ps-window", G_LOG_LEVEL_WARNING, "*No page named*");
  ps_window_show_page (window, "nowhere");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (ps_window_get_page (window), ==, "orders");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
widget_class_has_action (GType       type,
                         const char *name)
{
  GtkWidgetClass *klass = g_type_class_ref (type);
  GType owner;
  const char *action_name;
  const GVariantType *parameter_type;
  const char *property_name;
  gboolean found = FALSE;

  for (guint i = 0;
       gtk_widget_class_query_action (klass, i, &owner, &action_name, &parameter_type,
                                      &property_name);
       i++)
    if (g_str_equal (action_name, name))
      found = TRUE;
  g_type_class_unref (klass);
  return found;
}

static void
collect_actions (const char *resource,
                 GPtrArray  *out)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (resource, 0, NULL);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (bytes);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  regex = g_regex_new ("(?:name=\"action\">|name=\"action-name\">)([a-z-]+\\.[a-z-]+)(?:::[a-z]+)?<",
                       0, 0, NULL);
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_ptr_array_add (out, g_match_info_fetch (match, 1));
      g_match_info_next (match, NULL);
    }
}

/* Every action a menu, button, shortcut entry or accelerator names exists. */
static void
test_all_referenced_actions_exist (void)
{
  static const char * const resources[] = {
    RESOURCE_BASE_PATH "/ui/ps-window.ui",
    RESOURCE_BASE_PATH "/ui/ps-preferences-window.ui",
    RESOURCE_BASE_PATH "/ui/ps-orders-page.ui",
    RESOURCE_BASE_PATH "/ui/ps-order-details-pane.ui",
    RESOURCE_BASE_PATH "/gtk/help-overlay.ui",
  };
  PsWindow *window = new_window ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) accel_actions = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    collect_actions (resources[i], names);
  accel_actions = gtk_application_list_action_descriptions (GTK_APPLICATION (app));
  for (guint i = 0; accel_actions[i] != NULL; i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_action_parse_detailed_name (accel_actions[i], &name, &target, &error));
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_assert_cmpuint (names->len, >, 10);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      const char *dot = strchr (name, '.');
      gboolean found;

      g_assert_nonnull (dot);
      if (g_str_has_prefix (name, "app."))
        found = g_action_group_has_action (G_ACTION_GROUP (app), dot + 1);
      else if (g_str_has_prefix (name, "win."))
        found = g_action_group_has_action (G_ACTION_GROUP (window), dot + 1);
      else if (g_str_has_prefix (name, "prefs."))
        found = widget_class_has_action (PS_TYPE_PREFERENCES_WINDOW, name);
      else if (g_str_has_prefix (name, "orders.") || g_str_has_prefix (name, "details."))
        found = widget_class_has_action (PS_TYPE_ORDERS_PAGE, name) ||
                widget_class_has_action (PS_TYPE_ORDER_DETAILS_PANE, name);
      else
        found = widget_class_has_action (PS_TYPE_WINDOW, name);

      if (!found)
        g_error ("Action “%s” is referenced but does not exist", name);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
test_dialogs_open (void)
{
  PsWindow *window = new_window ();
  PsPreferencesWindow *prefs;

  /* About and preferences build from their templates without criticals. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  spin (100);
  prefs = ps_preferences_window_new (GTK_WINDOW (window), "/tmp/example.db");
  gtk_window_present (GTK_WINDOW (prefs));
  spin (100);
  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_by_name (GtkWidget  *widget,
              const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_name (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
row_count_text (GtkWidget *row)
{
  GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_last_child (box)));
}

/* Each saved filter in the sidebar shows a count; choosing it lists
 * exactly that many orders. */
static void
test_sidebar_filters (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  GtkWidget *filters = find_by_name (GTK_WIDGET (window), "filters-list");
  PsOrderList *list = ps_orders_page_get_list (page);
  guint n_rows = 0;

  g_assert_nonnull (filters);
  wait_list_loaded (list);
  WAIT_UNTIL (gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), 0) != NULL, "the saved filters");
  WAIT_UNTIL (*row_count_text (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), 0))) != '\0',
              "the filter counts");

  for (guint i = 0; gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), i) != NULL; i++)
    {
      GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), i));
      g_autofree char *digits = NULL;
      guint64 expected;

      WAIT_UNTIL (*row_count_text (row) != '\0', "a filter count");
      digits = g_strdup (row_count_text (row));
      g_strdelimit (digits, ",", ' ');
      {
        g_autoptr(GString) plain = g_string_new (NULL);
        for (const char *c = digits; *c; c++)
          if (g_ascii_isdigit (*c))
            g_string_append_c (plain, *c);
        expected = g_ascii_strtoull (plain->str, NULL, 10);
      }

      gtk_list_box_select_row (GTK_LIST_BOX (filters), GTK_LIST_BOX_ROW (row));
      g_assert_cmpstr (ps_window_get_page (window), ==, "orders");
      spin (50);
      wait_list_loaded (list);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected);
      n_rows++;
    }
  g_assert_cmpuint (n_rows, >=, 7);   /* the built-in filters */

  /* Back to all orders. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "dashboard"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "orders");

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *find_type (GtkWidget *widget, GType type);

/* The Dashboard, Exceptions and Automations pages are made when first
 * shown: opening the window on the Orders page leaves the database worker
 * to the order list. */
static void
test_lazy_pages (void)
{
  PsWindow *window = new_window ();
  PsDashboardPage *dashboard;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "orders");
  wait_list_loaded (ps_orders_page_get_list (find_orders_page (GTK_WIDGET (window))));
  spin (200);
  g_assert_null (find_type (GTK_WIDGET (window), PS_TYPE_DASHBOARD_PAGE));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "dashboard");
  dashboard = PS_DASHBOARD_PAGE (find_type (GTK_WIDGET (window), PS_TYPE_DASHBOARD_PAGE));
  g_assert_nonnull (dashboard);
  WAIT_UNTIL (ps_dashboard_page_get_dashboard (dashboard) != NULL, "the dashboard's numbers");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Every page fits a narrow window (the sidebar folds away below 600 px):
 * no page may ask for more than a phone-sized width. The orders page's
 * bulk actions fold into one menu for that. */
static void
test_narrow_pages (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (page));
  static const char * const pages[] = { "dashboard", "shipments", "automations", "orders" };
  guint n_pages = 0;

  wait_list_loaded (ps_orders_page_get_list (page));
  /* Each page is made when first shown. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]);
  spin (100);
  g_assert_true (GTK_IS_STACK (stack));
  for (GtkWidget *child = gtk_widget_get_first_child (stack);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0;

      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
      g_test_message ("%s: at least %d px wide", G_OBJECT_TYPE_NAME (child), min);
      g_assert_cmpint (min, <=, 450);
      n_pages++;
    }
  g_assert_cmpuint (n_pages, >=, 6);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(gint64 *)user_data = ps_order_store_count_finish (PS_ORDER_STORE (object), result, &error);
  g_assert_no_error (error);
}

/* A dashboard drill-down shows the Orders page with that condition and
 * its title, no saved filter selected; the Orders row brings every order
 * back. */
static void
test_drill_down (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkWidget *dashboard;
  GtkWidget *filters = find_by_name (GTK_WIDGET (window), "filters-list");
  GtkWidget *title = find_by_name (GTK_WIDGET (window), "content-title");
  GtkWidget *orders_row = find_by_name (GTK_WIDGET (window), "orders");
  g_autoptr(PsCondition) condition = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected = -1;
  guint all;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "dashboard");
  dashboard = find_type (GTK_WIDGET (window), PS_TYPE_DASHBOARD_PAGE);
  g_assert_nonnull (dashboard);
  g_assert_nonnull (title);
  g_assert_true (GTK_IS_LIST_BOX_ROW (orders_row));
  wait_list_loaded (list);
  all = g_list_model_get_n_items (G_LIST_MODEL (list));

  condition = ps_condition_from_string ("{\"all\": [{\"field\": \"status\", \"op\": \"is\","
                                        " \"value\": \"delivered\"}, {\"field\": \"item_count\","
                                        " \"op\": \"gt\", \"value\": 2}]}", &error);
  g_assert_no_error (error);
  ps_order_store_count_async (ps_context_get_order_store (context), condition, NULL, count_cb, &expected);
  WAIT_UNTIL (expected >= 0, "the expected count");
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (expected, <, all);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "dashboard");
  g_signal_emit_by_name (dashboard, "drill-down", condition, "Delivered, three items or more");
  g_assert_cmpstr (ps_window_get_page (window), ==, "orders");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==,
                   "Delivered, three items or more");
  g_assert_null (gtk_list_box_get_selected_row (GTK_LIST_BOX (filters)));
  spin (50);
  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, expected);

  /* Save as Filter… opens the filter editor on that condition. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *editor = NULL;
    GtkWidget *group;
    g_autoptr(PsCondition) built = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save-shown-condition", NULL));
    for (guint i = 0; editor == NULL && i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

        if (PS_IS_FILTER_EDITOR (item))
          editor = GTK_WIDGET (item);
      }
    g_assert_nonnull (editor);
    spin (100);
    group = find_type (editor, PS_TYPE_CONDITION_GROUP);
    g_assert_nonnull (group);
    built = ps_condition_group_build (PS_CONDITION_GROUP (group), &error);
    g_assert_no_error (error);
    g_assert_true (ps_condition_equal (built, condition));
    gtk_window_destroy (GTK_WINDOW (editor));
  }

  /* The Orders row again: every order, no subtitle. */
  g_signal_emit_by_name (orders_row, "activate");
  spin (50);
  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, all);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ctrl+F: the search bar opens; typing a customer's first name lists
 * only orders that have it; closing the bar lists every order again. */
static void
test_search (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkSearchBar *bar = ps_orders_page_get_search_bar (page);
  GtkWidget *entry;
  g_autoptr(PsOrder) first = NULL;
  g_auto(GStrv) words = NULL;
  guint all, found;

  wait_list_loaded (list);
  all = g_list_model_get_n_items (G_LIST_MODEL (list));
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  WAIT_UNTIL (ps_order_get_loaded (first), "the first order's row");
  words = g_strsplit (ps_order_get_customer_name (first), " ", 2);

  g_assert_false (gtk_search_bar_get_search_mode (bar));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (bar));
  entry = find_type (GTK_WIDGET (bar), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (entry);

  gtk_editable_set_text (GTK_EDITABLE (entry), words[0]);
  WAIT_UNTIL (g_strcmp0 (ps_order_list_get_search (list), words[0]) == 0, "the search to start");
  wait_list_loaded (list);
  found = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (found, >, 0);
  g_assert_cmpuint (found, <, all);
  for (guint i = 0; i < MIN (found, 20); i++)
    {
      g_autoptr(PsOrder) order = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_autofree char *name = NULL;
      g_autofree char *email = NULL;
      g_autofree char *word = g_utf8_strdown (words[0], -1);

      WAIT_UNTIL (ps_order_get_loaded (order), "a found order's row");
      name = g_utf8_strdown (ps_order_get_customer_name (order), -1);
      email = g_utf8_strdown (ps_order_get_customer_email (order) ? ps_order_get_customer_email (order) : "", -1);
      /* Names are the demo's "First Last"; the word may also be in an
       * email or a product, so most but not necessarily all rows show it
       * in the name: at least the first one does (sorted by date). */
      if (i == 0)
        g_assert_true (strstr (name, word) != NULL || strstr (email, word) != NULL);
    }

  gtk_search_bar_set_search_mode (bar, FALSE);
  WAIT_UNTIL (ps_order_list_get_search (list) == NULL || *ps_order_list_get_search (list) == '\0',
              "the search to end");
  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, all);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gpointer
filtered_ids_job (PsDatabase    *db,
                  gpointer       data,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();

  return ps_order_store_query_filtered_ids_sync (db, data, ps_time_now (), tz, PS_ORDER_SORT_CREATED,
                                                 FALSE, 0, error);
}

static GArray *
ps_order_store_query_filtered_ids_sync_for_test (PsCondition *condition)
{
  g_autoptr(GError) error = NULL;
  GArray *ids = ps_database_run_sync (ps_context_get_database (context), filtered_ids_job, condition,
                                      NULL, &error);

  g_assert_no_error (error);
  return ids;
}

static gint64
order_awaiting_label (guint nth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PsCondition) condition = ps_condition_from_string (
    "{\"all\":[{\"field\":\"status\",\"op\":\"is\",\"value\":\"awaiting_shipment\"},"
    "{\"field\":\"ship_country\",\"op\":\"is\",\"value\":\"US\"},"
    "{\"field\":\"address_issue\",\"op\":\"is\",\"value\":false},"
    "{\"field\":\"carrier\",\"op\":\"is_empty\"}]}", &error);
  g_autoptr(GArray) ids = NULL;

  g_assert_no_error (error);
  ids = ps_order_store_query_filtered_ids_sync_for_test (condition);
  g_assert_cmpuint (ids->len, >, nth);
  return g_array_index (ids, gint64, nth);
}

/* Ship… with one order: the rate selector lists rates cheapest first;
 * Buy Label stores a shipment and shows the label. */
static void
test_ship_one (void)
{
  PsWindow *window = new_window ();
  gint64 order_id = order_awaiting_label (0);
  PsRateDialog *dialog;
  GtkWidget *buy;

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.ship-orders",
                                                     g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, &order_id, 1,
                                                                                sizeof (gint64))));
  WAIT_UNTIL ((dialog = (PsRateDialog *) find_toplevel (PS_TYPE_RATE_DIALOG)) != NULL, "the rate selector");
  WAIT_UNTIL (ps_rate_dialog_get_n_rates (dialog) > 0, "the rates");
  buy = find_by_name (GTK_WIDGET (dialog), "buy-label");
  g_assert_nonnull (buy);
  g_assert_true (gtk_widget_get_sensitive (buy));   /* the cheapest is preselected */
  gtk_widget_activate (buy);
  WAIT_UNTIL (ps_rate_dialog_get_label (dialog) != NULL, "the label");
  g_assert_nonnull (ps_rate_dialog_get_tracking (dialog));
  g_assert_true (g_bytes_get_size (ps_rate_dialog_get_label (dialog)) > 1000);
  g_assert_cmpint (order_awaiting_label (0), !=, order_id);   /* it has a label now */

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Ship… with several: the batch buys each once; running it again buys
 * nothing more. */
static void
test_ship_batch (void)
{
  PsWindow *window = new_window ();
  gint64 ids[3] = { order_awaiting_label (0), order_awaiting_label (1), order_awaiting_label (2) };
  PsBatchDialog *dialog;

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.ship-orders",
                                                     g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, 3,
                                                                                sizeof (gint64))));
  WAIT_UNTIL ((dialog = (PsBatchDialog *) find_toplevel (PS_TYPE_BATCH_DIALOG)) != NULL, "the batch dialog");
  ps_batch_dialog_start (dialog);
  g_assert_true (ps_batch_dialog_get_busy (dialog));
  WAIT_UNTIL (!ps_batch_dialog_get_busy (dialog), "the batch");
  g_assert_cmpuint (ps_batch_dialog_get_n_bought (dialog), ==, 3);
  g_assert_cmpuint (ps_batch_dialog_get_n_failed (dialog), ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (order_awaiting_label (0), !=, ids[i]);

  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_entry_text (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_EDITABLE (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (has_entry_text (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_button_label (GtkWidget  *widget,
                   const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_label (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
count_accounts_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GPtrArray) accounts = ps_shipping_service_list_accounts_finish (PS_SHIPPING_SERVICE (object), result, NULL);

  *(int *) user_data = accounts != NULL ? (int) accounts->len : -2;
}

static int
count_accounts (PsShippingService *service)
{
  int n = -1;

  ps_shipping_service_list_accounts_async (service, NULL, count_accounts_cb, &n);
  WAIT_UNTIL (n != -1, "the accounts");
  return n;
}

/* Preferences › Shipping shows the ship-from address and adds accounts. */
static void
test_shipping_preferences (void)
{
  PsWindow *window = new_window ();
  PsShippingService *service = ps_window_get_shipping_service (window);
  GtkWidget *prefs = adw_preferences_window_new ();
  GtkWidget *page = ps_shipping_preferences_new (service);
  int before;

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (GTK_WINDOW (prefs));
  WAIT_UNTIL (has_entry_text (page, "500 W 2nd St"), "the demo's ship-from street");

  before = count_accounts (service);
  gtk_widget_activate (find_button_label (page, "Add _Sandbox"));
  WAIT_UNTIL (count_accounts (service) == before + 1, "the new account");

  gtk_window_destroy (GTK_WINDOW (prefs));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Packing Slips on a selection: one PDF is saved (and handed to the PDF
 * viewer) with the orders' slips. */
static void
test_packing_slips (void)
{
  PsWindow *window = new_window ();
  PsOrderList *list = ps_orders_page_get_list (find_orders_page (GTK_WIDGET (window)));
  gint64 ids[2];
  g_autofree char *contents = NULL;
  const char *path;
  gsize size = 0;

  wait_list_loaded (list);
  ids[0] = ps_order_list_get_id (list, 0);
  ids[1] = ps_order_list_get_id (list, 1);
  g_object_set_data (G_OBJECT (window), "last-document", NULL);
  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.packing-slips",
                                                     g_variant_new_fixed_array (G_VARIANT_TYPE_INT64, ids, 2,
                                                                                sizeof (gint64))));
  WAIT_UNTIL ((path = g_object_get_data (G_OBJECT (window), "last-document")) != NULL, "the packing slips");
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_unlink (path);

  /* The day's handoff sheet: the labels the tests above bought today. */
  g_object_set_data (G_OBJECT (window), "last-document", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.handoff-sheet", NULL));
  WAIT_UNTIL ((path = g_object_get_data (G_OBJECT (window), "last-document")) != NULL, "the handoff sheet");
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_unlink (path);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (ps_filter_store_delete_finish (PS_FILTER_STORE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static GtkListBoxRow *
filter_row (GtkWidget  *filters,
            const char *name)
{
  for (guint i = 0; gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (filters), i);
      GtkWidget *box = gtk_list_box_row_get_child (row);

      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box))), name) == 0)
        return row;
    }
  return NULL;
}

/* Duplicate a built-in filter, delete the copy, undo: it comes back in
 * its place with its definition. */
static void
test_filter_manage (void)
{
  PsWindow *window = new_window ();
  GtkWidget *filters = find_by_name (GTK_WIDGET (window), "filters-list");
  PsFilterStore *store = ps_context_get_filter_store (context);
  GtkListBoxRow *row;
  int position;

  WAIT_UNTIL (filter_row (filters, "Exceptions") != NULL, "the built-in filters");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.duplicate-filter", "s", "Exceptions"));
  WAIT_UNTIL (filter_row (filters, "Exceptions (copy)") != NULL, "the duplicate");
  /* The copy is selected and shown. */
  row = filter_row (filters, "Exceptions (copy)");
  WAIT_UNTIL (gtk_list_box_row_is_selected (row), "the duplicate to be selected");
  position = gtk_list_box_row_get_index (row);

  /* Built-in filters cannot be deleted, even through the action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-filter", "s", "Exceptions"));
  spin (200);
  g_assert_nonnull (filter_row (filters, "Exceptions"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete-filter", "s", "Exceptions (copy)"));
  WAIT_UNTIL (filter_row (filters, "Exceptions (copy)") == NULL, "the copy to be deleted");
  g_assert_cmpstr (ps_window_get_page (window), ==, "orders");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-delete-filter", NULL));
  WAIT_UNTIL (filter_row (filters, "Exceptions (copy)") != NULL, "the copy to come back");
  g_assert_cmpint (gtk_list_box_row_get_index (filter_row (filters, "Exceptions (copy)")), ==, position);

  /* Leave the database as the other tests expect it. */
  {
    gboolean done = FALSE;

    ps_filter_store_delete_async (store, "Exceptions (copy)", NULL, deleted_cb, &done);
    WAIT_UNTIL (done, "the cleanup");
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_label (GtkWidget  *widget,
           const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, prefix))
      return TRUE;
  return FALSE;
}

/* Selecting an order shows its details beside the list; a note added
 * there is stored and shown. */
static void
test_details_pane (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkColumnView *view = GTK_COLUMN_VIEW (ps_orders_page_get_view (page));
  GtkWidget *pane = find_type (GTK_WIDGET (window), PS_TYPE_ORDER_DETAILS_PANE);
  AdwFlap *flap = ADW_FLAP (find_type (GTK_WIDGET (window), ADW_TYPE_FLAP));
  g_autoptr(PsOrder) order = NULL;
  g_autofree char *note = g_strdup_printf ("Gift wrap please %d", g_random_int_range (1000, 9999));
  GtkWidget *entry;

  g_assert_nonnull (pane);
  g_assert_nonnull (flap);
  wait_list_loaded (list);
  order = g_list_model_get_item (G_LIST_MODEL (list), 0);
  WAIT_UNTIL (ps_order_get_loaded (order), "the first order");

  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_true (adw_flap_get_reveal_flap (flap));
  WAIT_UNTIL (has_label (pane, ps_order_get_order_number (order)), "the details title");
  WAIT_UNTIL (has_label (pane, ps_order_get_customer_name (order)), "the customer");

  entry = find_by_name (pane, "note-entry");
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), note);
  g_signal_emit_by_name (entry, "apply");
  WAIT_UNTIL (has_label (pane, note), "the new note");

  g_assert_true (gtk_widget_activate_action (pane, "details.close", NULL));
  g_assert_false (adw_flap_get_reveal_flap (flap));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Shift-selecting rows and changing their status changes all of them. */
static void
test_bulk_status (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  GtkColumnView *view = GTK_COLUMN_VIEW (ps_orders_page_get_view (page));
  GtkSelectionModel *selection = gtk_column_view_get_model (view);
  g_autoptr(PsOrder) a = NULL;
  g_autoptr(PsOrder) b = NULL;
  g_autoptr(PsOrder) c = NULL;

  wait_list_loaded (list);
  a = g_list_model_get_item (G_LIST_MODEL (list), 3);
  b = g_list_model_get_item (G_LIST_MODEL (list), 4);
  c = g_list_model_get_item (G_LIST_MODEL (list), 5);
  WAIT_UNTIL (ps_order_get_loaded (a) && ps_order_get_loaded (b) && ps_order_get_loaded (c),
              "rows 3-5");

  g_assert_true (gtk_selection_model_select_range (selection, 3, 2, TRUE));
  g_assert_true (gtk_selection_model_is_selected (selection, 3));
  g_assert_true (gtk_selection_model_is_selected (selection, 4));
  g_assert_false (gtk_selection_model_is_selected (selection, 5));
  /* Select-all touches no rows. */
  g_assert_true (gtk_selection_model_select_all (selection));
  g_assert_true (gtk_selection_model_is_selected (selection, N_DEMO_ORDERS - 1));
  g_assert_true (gtk_selection_model_select_range (selection, 3, 2, TRUE));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.set-status", "s", "on_hold"));
  WAIT_UNTIL (ps_order_get_status (a) == PS_ORDER_STATUS_ON_HOLD &&
              ps_order_get_status (b) == PS_ORDER_STATUS_ON_HOLD, "both orders on hold");
  g_assert_cmpint (ps_order_get_status (c), !=, PS_ORDER_STATUS_ON_HOLD);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Last: it empties the shared database. */
static void
test_start_empty (void)
{
  PsWindow *window = new_window ();
  PsOrdersPage *page = find_orders_page (GTK_WIDGET (window));
  PsOrderList *list = ps_orders_page_get_list (page);
  AdwMessageDialog *dialog;

  wait_list_loaded (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DEMO_ORDERS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-empty", NULL));
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL, "the confirmation dialog");

  /* Cancel keeps everything. */
  adw_message_dialog_response (dialog, "cancel");
  spin (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_DEMO_ORDERS);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.start-empty", NULL));
  WAIT_UNTIL ((dialog = find_message_dialog ()) != NULL, "the confirmation dialog");
  adw_message_dialog_response (dialog, "empty");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (list)) == 0, "the list to empty");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_demo_generate (db, data, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autoptr(GError) error = NULL;
  PsDemoOptions options = { N_DEMO_ORDERS, 7, 1795000000 };
  int ret;

  /* No ISOLATE_DIRS: it hides the icon theme in XDG_DATA_DIRS, and GTK then
   * warns about its fallback icons. The database lives in its own temp dir. */
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();

  /* Outside test cases ISOLATE_DIRS points the XDG dirs nowhere. */
  tmpdir = g_dir_make_tmp ("postsale-ui-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "ui.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options,
                                          NULL, &error));
  g_assert_no_error (error);

  app = ps_application_new ("com.example.Postsale.Test", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/window/shows-orders", test_window_shows_orders);
  g_test_add_func ("/ui/window/jump-to-end", test_jump_to_end_shows_rows);
  g_test_add_func ("/ui/window/pages", test_pages);
  g_test_add_func ("/ui/window/sort-by-header", test_sort_by_header);
  g_test_add_func ("/ui/window/column-layout", test_column_layout);
  g_test_add_func ("/ui/window/referenced-actions-exist", test_all_referenced_actions_exist);
  g_test_add_func ("/ui/window/dialogs", test_dialogs_open);
  g_test_add_func ("/ui/window/sidebar-filters", test_sidebar_filters);
  g_test_add_func ("/ui/window/drill-down", test_drill_down);
  g_test_add_func ("/ui/window/narrow-pages", test_narrow_pages);
  g_test_add_func ("/ui/window/lazy-pages", test_lazy_pages);
  g_test_add_func ("/ui/window/filter-manage", test_filter_manage);
  g_test_add_func ("/ui/window/search", test_search);
  g_test_add_func ("/ui/window/ship-one", test_ship_one);
  g_test_add_func ("/ui/window/ship-batch", test_ship_batch);
  g_test_add_func ("/ui/window/shipping-preferences", test_shipping_preferences);
  g_test_add_func ("/ui/window/packing-slips", test_packing_slips);
  g_test_add_func ("/ui/window/details-pane", test_details_pane);
  g_test_add_func ("/ui/window/bulk-status", test_bulk_status);
  g_test_add_func ("/ui/window/start-empty", test_start_empty);

  ret = g_test_run ();
  g_clear_object (&context);
  g_clear_object (&app);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (tmpdir);
  }
  return ret;
}
