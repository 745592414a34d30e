/* ps-window.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: a sidebar of pages and the current page in an
 * AdwLeaflet, which folds into one column on narrow windows. The window
 * is shown before the database is open; pages get the PsContext when the
 * application has it.
 */

#define G_LOG_DOMAIN "ps-window"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "ps-format.h"
#include "ps-batch-dialog.h"
#include "ps-import-dialog.h"
#include "ps-label-printer.h"
#include "ps-rate-dialog.h"
#include "ps-orders-page.h"
#include "ps-window-private.h"


G_DEFINE_FINAL_TYPE (PsWindow, ps_window, ADW_TYPE_APPLICATION_WINDOW)

static const char * const page_names[] = {
  "dashboard", "orders", "shipments", "automations", "returns", "improvements", NULL
};

/* Helpers */

static gboolean
is_page_name (const char *name)
{
  return name != NULL && g_strv_contains (page_names, name);
}

static void
sync_sidebar (PsWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "orders") == 0 && gtk_list_box_get_selected_row (self->filters_list) != NULL)
    return;   /* a filter of Orders is what is selected */

  self->syncing_sidebar = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), page) == 0)
        {
          gtk_list_box_select_row (self->sidebar, GTK_LIST_BOX_ROW (row));
          break;
        }
    }
  self->syncing_sidebar = FALSE;
}

static void
update_title (PsWindow *self)
{
  GtkWidget *child = gtk_stack_get_visible_child (self->stack);
  GtkStackPage *page = child ? gtk_stack_get_page (self->stack, child) : NULL;

  adw_window_title_set_title (self->content_title, page ? gtk_stack_page_get_title (page) : "");
}

static void
update_action_state (PsWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-page");
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (action != NULL && is_page_name (page))
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (page));
}

void
ps_window_show_toast (PsWindow   *self,
            const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* Callbacks */

static void
summary_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree PsStoreSummary *summary = NULL;
  g_autofree char *count = NULL;

  summary = ps_order_store_summary_finish (PS_ORDER_STORE (object), result, &error);
  if (summary == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the database summary: %s", error->message);
      return;
    }

  count = ps_format_count (summary->n_orders);
  gtk_label_set_label (self->orders_count_label, count);

  if (summary->is_demo)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf (ngettext ("You are looking at demo data: %s generated order.",
                                        "You are looking at demo data: %s generated orders.",
                                        (gulong)summary->n_orders),
                              count);
      gtk_label_set_label (self->demo_banner_label, text);
    }
  gtk_revealer_set_reveal_child (self->demo_banner, summary->is_demo);
}

static void
refresh_summary (PsWindow *self)
{
  if (self->context == NULL)
    return;
  ps_order_store_summary_async (ps_context_get_order_store (self->context), self->cancellable,
                                summary_cb, g_object_ref (self));
}

static void
on_orders_changed_cb (PsWindow     *self,
                      GArray       *ids,
                      PsOrderStore *store)
{
  refresh_summary (self);
  ps_window_queue_refresh_counts (self);
}

static void
purge_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_order_store_purge_finish (PS_ORDER_STORE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("Could not empty the database: %s", error->message);
          ps_window_show_toast (self, _("Could not remove the demo data"));
        }
      return;
    }
  ps_window_show_toast (self, _("Demo data removed"));
}

static void
start_empty_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         gpointer          user_data)
{
  PsWindow *self = user_data;

  if (g_strcmp0 (response, "empty") != 0 || self->context == NULL)
    return;

  gtk_revealer_set_reveal_child (self->demo_banner, FALSE);
  ps_order_store_purge_async (ps_context_get_order_store (self->context), self->cancellable,
                              purge_cb, g_object_ref (self));
}

static void
win_start_empty_action (GSimpleAction *action,
                        GVariant      *parameter,
                        gpointer       user_data)
{
  PsWindow *self = user_data;
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Start with an Empty Database?"),
                                   _("The generated demo orders, shipments and returns will be "
                                     "deleted. Your settings are kept."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "empty", _("_Delete Demo Data"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "empty",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (start_empty_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
win_show_page_action (GSimpleAction *action,
                      GVariant      *parameter,
                      gpointer       user_data)
{
  ps_window_show_page (PS_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
win_show_sidebar_action (GSimpleAction *action,
                         GVariant      *parameter,
                         gpointer       user_data)
{
  PsWindow *self = user_data;

  adw_leaflet_set_visible_child (self->leaflet, self->sidebar_box);
}

static void
on_import_chooser_response_cb (GtkNativeDialog *chooser,
                               int              response,
                               PsWindow        *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      g_autoptr(GPtrArray) array = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < g_list_model_get_n_items (files); i++)
        g_ptr_array_add (array, g_list_model_get_item (files, i));
      if (array->len > 0)
        ps_window_import_files (self, (GFile **)array->pdata, array->len);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
win_import_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  PsWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) exports = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (exports, _("Order exports (CSV, TSV, TXT)"));
  gtk_file_filter_add_mime_type (exports, "text/csv");
  gtk_file_filter_add_mime_type (exports, "text/tab-separated-values");
  gtk_file_filter_add_mime_type (exports, "text/plain");
  gtk_file_filter_add_suffix (exports, "csv");
  gtk_file_filter_add_suffix (exports, "tsv");
  gtk_file_filter_add_suffix (exports, "txt");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");

  chooser = gtk_file_chooser_native_new (_("Import Orders"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), exports);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  g_signal_connect (chooser, "response", G_CALLBACK (on_import_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            PsWindow      *self)
{
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  if (files->len == 0)
    return FALSE;
  ps_window_import_files (self, (GFile **)files->pdata, files->len);
  return TRUE;
}

static void
win_search_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  PsWindow *self = user_data;

  /* Searching is over every order, within the filter shown if any. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "orders") != 0)
    ps_window_show_page (self, "orders");
  ps_orders_page_start_search (self->orders_page);
}

static void
reconcile_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  guint resolved = ps_shipping_service_reconcile_finish (PS_SHIPPING_SERVICE (object), result, &error);

  if (error != NULL)
    g_warning ("Could not check unfinished label purchases: %s", error->message);
  else if (resolved > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u label bought before Postsale closed was saved",
                                                            "%u labels bought before Postsale closed were saved",
                                                            resolved), resolved);
      ps_window_show_toast (self, text);
    }
}

/* Our own labels are drawn in the format and resolution the label
 * printer takes (Preferences › Label Printing). */
static void
sync_label_format (PsWindow *self)
{
  if (self->shipping == NULL || self->settings == NULL)
    return;
  ps_shipping_service_set_label_format (self->shipping, g_settings_get_enum (self->settings, "label-format"),
                                        g_settings_get_int (self->settings, "label-dpi"));
}

static void
win_ship_orders_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  PsWindow *self = user_data;
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (param, &n, sizeof (gint64));

  if (self->shipping == NULL || n == 0)
    return;
  if (n == 1)
    {
      PsRateDialog *dialog = ps_rate_dialog_new (GTK_WINDOW (self), self->shipping, self->settings, ids[0]);

      gtk_window_present (GTK_WINDOW (dialog));
    }
  else
    {
      PsBatchDialog *dialog = ps_batch_dialog_new (GTK_WINDOW (self), self->shipping, self->settings, ids, n);

      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
voided_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_shipping_service_void_finish (PS_SHIPPING_SERVICE (object), result, &error))
    ps_window_show_toast (self, _("Label voided; the order waits for a label again"));
  else
    {
      g_autofree char *text = g_strdup_printf (_("Could not void the label: %s"), error->message);
      ps_window_show_toast (self, text);
    }
}

static void
void_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  PsWindow         *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (dialog), "shipment-id");

  if (g_strcmp0 (response, "void") == 0 && self->shipping != NULL)
    ps_shipping_service_void_async (self->shipping, id, self->cancellable, voided_cb, g_object_ref (self));
}

static void
win_void_shipment_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer      user_data)
{
  PsWindow *self = user_data;
  gint64 id = g_variant_get_int64 (param);
  GtkWidget *dialog;

  /* Voiding cannot be undone: ask first. */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Void This Label?"),
                                   _("The carrier refunds the postage and the label can no longer be used. "
                                     "The order goes back to Awaiting shipment."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Keep Label"),
                                    "void", _("_Void Label"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "void", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "shipment-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (void_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reprint_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_label_printer_print_finish (PS_LABEL_PRINTER (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ps_window_show_toast (self, error->message);
}

static void
reprint_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsLabelResult) label = ps_shipping_service_load_label_finish (PS_SHIPPING_SERVICE (object), result, &error);
  g_autoptr(PsLabelPrinter) printer = NULL;
  const char *name;

  if (label == NULL || !gtk_widget_get_realized (GTK_WIDGET (self)))
    {
      if (label == NULL)
        ps_window_show_toast (self, error->message);
      return;
    }
  printer = ps_label_printer_new ();
  if (self->settings != NULL)
    ps_label_printer_load_settings (printer, self->settings);
  if (!ps_label_printer_add_bytes (printer, label->label, &error))
    {
      ps_window_show_toast (self, error->message);
      return;
    }
  ps_label_printer_set_title (printer, label->tracking_number);
  name = ps_label_printer_get_printer (printer);
  ps_label_printer_print_async (printer, GTK_WINDOW (self), name == NULL || *name == '\0', NULL,
                                reprint_done_cb, g_object_ref (self));
}

static void
win_print_shipment_label_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  PsWindow *self = user_data;

  if (self->shipping != NULL)
    ps_shipping_service_load_label_async (self->shipping, g_variant_get_int64 (param), self->cancellable,
                                          reprint_loaded_cb, g_object_ref (self));
}

static void
slips_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The packing slips are saved but could not be opened: %s"),
                                               error->message);
      ps_window_show_toast (self, text);
    }
}

/* Documents (packing slips, handoff sheets) are small PDFs written once
 * to the cache and opened in the PDF viewer, which prints them. */
static void
open_document (PsWindow   *self,
               GBytes     *pdf,
               const char *prefix)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "postsale", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("%s-%s.pdf", prefix, stamp);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *uri = NULL;
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents (path, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not save %s: %s"), name,
                                               error != NULL ? error->message : g_strerror (errno));
      ps_window_show_toast (self, text);
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "last-document", g_strdup (path), g_free);
  uri = g_filename_to_uri (path, NULL, NULL);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, slips_opened_cb, g_object_ref (self));
}

static void
slips_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ps_shipping_service_packing_slips_finish (PS_SHIPPING_SERVICE (object), result, &error);

  if (pdf == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not make the packing slips: %s"), error->message);
      ps_window_show_toast (self, text);
      return;
    }
  open_document (self, pdf, "packing-slips");
}

static void
handoff_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) pdf = ps_shipping_service_handoff_sheet_finish (PS_SHIPPING_SERVICE (object), result, &error);

  if (pdf == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("No handoff sheet: %s"), error->message);
      ps_window_show_toast (self, text);
      return;
    }
  open_document (self, pdf, "handoff");
}

static void
win_handoff_sheet_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  PsWindow *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_add_days (start, 1);

  if (self->shipping != NULL)
    ps_shipping_service_handoff_sheet_async (self->shipping, g_date_time_to_unix (start),
                                             g_date_time_to_unix (end), self->cancellable, handoff_cb,
                                             g_object_ref (self));
}

static void
win_packing_slips_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  PsWindow *self = user_data;
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (param, &n, sizeof (gint64));

  if (self->shipping == NULL || n == 0)
    return;
  ps_shipping_service_packing_slips_async (self->shipping, ids, n, PS_PAPER_LETTER, self->cancellable,
                                           slips_cb, g_object_ref (self));
}

static void
tracked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsTrackingReport) report = ps_tracking_service_track_finish (PS_TRACKING_SERVICE (object), result, &error);
  g_autofree char *text = NULL;

  if (report == NULL)
    text = g_strdup_printf (_("Could not refresh tracking: %s"), error->message);
  else if (report->untrackable > 0 && report->checked == report->untrackable)
    text = g_strdup (_("No carrier account can track this parcel; add an EasyPost account to track "
                       "numbers bought elsewhere"));
  else if (report->problems != NULL && report->problems->len > 0)
    text = g_strdup_printf (_("Tracking refreshed with %u problem(s)"), report->problems->len);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tracking refreshed: %u update",
                                         "Tracking refreshed: %u updates", report->new_events),
                            report->new_events);
  ps_window_show_toast (self, text);
}

static void
win_refresh_tracking_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  PsWindow *self = user_data;
  gint64 order_id = g_variant_get_int64 (param);

  if (self->tracking != NULL)
    ps_tracking_service_track_async (self->tracking, PS_TRACKING_SCOPE_ORDERS, &order_id, 1,
                                     self->cancellable, tracked_cb, g_object_ref (self));
}

static const GActionEntry win_actions[] = {
  { "refresh-tracking", win_refresh_tracking_action, "x" },
  { "packing-slips", win_packing_slips_action, "ax" },
  { "handoff-sheet", win_handoff_sheet_action },
  { "void-shipment", win_void_shipment_action, "x" },
  { "print-shipment-label", win_print_shipment_label_action, "x" },
  { "ship-orders", win_ship_orders_action, "ax" },
  { "import", win_import_action },
  { "search", win_search_action },
  { "show-page", win_show_page_action, "s", "'orders'" },
  { "show-sidebar", win_show_sidebar_action },
  { "start-empty", win_start_empty_action },
};

static void
on_sidebar_row_selected_cb (PsWindow      *self,
                            GtkListBoxRow *row,
                            GtkListBox    *list)
{
  if (row == NULL || self->syncing_sidebar)
    return;

  self->syncing_sidebar = TRUE;
  gtk_list_box_unselect_all (self->filters_list);
  self->syncing_sidebar = FALSE;
  ps_window_show_filter (self, NULL);

  ps_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
on_sidebar_row_activated_cb (PsWindow      *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list)
{
  /* Activating an already selected row on a folded window still moves on
   * to its page (selecting it again would not). */
  ps_window_show_page (self, gtk_widget_get_name (GTK_WIDGET (row)));
  /* Orders after a dashboard drill-down: every order again. */
  if (g_strcmp0 (gtk_widget_get_name (GTK_WIDGET (row)), "orders") == 0
      && gtk_list_box_get_selected_row (self->filters_list) == NULL)
    ps_window_show_filter (self, NULL);
}

static void on_dashboard_drill_down_cb (PsWindow        *self,
                                        PsCondition     *condition,
                                        const char      *title,
                                        PsDashboardPage *page);

/* The Dashboard, Exceptions and Automations pages are made, and read the
 * database, when first shown, not when the window opens: they share the
 * one database worker with the Orders page (the dashboard's first
 * computation on a big database builds its roll-ups and would keep the
 * first orders off the screen for seconds), and their widgets cost startup
 * time and memory a merchant opening on the Orders page never uses. */
static void
load_page (PsWindow   *self,
           const char *page)
{
  GtkWidget *widget;

  if (self->context == NULL || page == NULL)
    return;
  if (g_str_equal (page, "dashboard") && adw_bin_get_child (self->dashboard_bin) == NULL)
    {
      widget = g_object_new (PS_TYPE_DASHBOARD_PAGE, NULL);
      g_signal_connect_object (widget, "drill-down", G_CALLBACK (on_dashboard_drill_down_cb),
                               self, G_CONNECT_SWAPPED);
      adw_bin_set_child (self->dashboard_bin, widget);
      ps_dashboard_page_set_context (PS_DASHBOARD_PAGE (widget), self->context);
    }
  else if (g_str_equal (page, "shipments") && adw_bin_get_child (self->exceptions_bin) == NULL)
    {
      widget = ps_exceptions_view_new ();
      adw_bin_set_child (self->exceptions_bin, widget);
      ps_exceptions_view_set_context (PS_EXCEPTIONS_VIEW (widget), self->context);
    }
  else if (g_str_equal (page, "automations") && adw_bin_get_child (self->automations_bin) == NULL)
    {
      widget = ps_automations_page_new ();
      adw_bin_set_child (self->automations_bin, widget);
      ps_automations_page_set_services (PS_AUTOMATIONS_PAGE (widget), self->context,
                                        self->automation, self->outbox);
    }
}

static void
on_stack_visible_child_cb (PsWindow   *self,
                           GParamSpec *pspec,
                           GtkStack   *stack)
{
  const char *page = gtk_stack_get_visible_child_name (stack);

  update_title (self);
  update_action_state (self);
  sync_sidebar (self);
  load_page (self, page);
  gtk_widget_set_visible (GTK_WIDGET (self->columns_button), g_strcmp0 (page, "orders") == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), g_strcmp0 (page, "orders") == 0);
  if (self->settings != NULL && is_page_name (page))
    g_settings_set_string (self->settings, "last-page", page);
}

static void
on_dashboard_drill_down_cb (PsWindow        *self,
                            PsCondition     *condition,
                            const char      *title,
                            PsDashboardPage *page)
{
  ps_window_show_condition (self, condition, title);
}

static void
on_leaflet_folded_cb (PsWindow   *self,
                      GParamSpec *pspec,
                      AdwLeaflet *leaflet)
{
  /* Narrow, the banner's text goes above its button instead of being
   * squeezed into a column beside it. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->demo_banner_box),
                                  adw_leaflet_get_folded (leaflet) ? GTK_ORIENTATION_VERTICAL
                                                                   : GTK_ORIENTATION_HORIZONTAL);
  /* Unfolded, the sidebar always shows which page is current. */
  sync_sidebar (self);
}

/* GtkWidget overrides */

static gboolean
ps_window_close_request (GtkWindow *window)
{
  PsWindow *self = PS_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window))
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (ps_window_parent_class)->close_request (window);
}

/* GObject overrides */

static void
ps_window_dispose (GObject *object)
{
  PsWindow *self = (PsWindow *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_imports, g_ptr_array_unref);
  ps_window_dispose_filters (self);
  if (self->tracking != NULL)
    ps_tracking_service_stop (self->tracking);
  if (self->outbox != NULL)
    ps_outbox_service_stop (self->outbox);
  if (self->automation != NULL)
    ps_automation_service_stop (self->automation);
  g_clear_object (&self->automation);
  g_clear_object (&self->tracking);
  g_clear_object (&self->outbox);
  g_clear_object (&self->shipping);

  gtk_widget_dispose_template (GTK_WIDGET (self), PS_TYPE_WINDOW);

  G_OBJECT_CLASS (ps_window_parent_class)->dispose (object);
}

static void
ps_window_class_init (PsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = ps_window_dispose;
  window_class->close_request = ps_window_close_request;

  g_type_ensure (PS_TYPE_ORDERS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE_PATH "/ui/ps-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, sidebar_box);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, filters_list);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, filters_heading);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, dashboard_bin);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, exceptions_bin);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, automations_bin);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, columns_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, filter_menu_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, demo_banner);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, demo_banner_box);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, demo_banner_label);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, orders_count_label);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, PsWindow, error_page);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sidebar_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_stack_visible_child_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filters_row_selected_cb",
                                                G_CALLBACK (ps_window_on_filters_row_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_filters_row_activated_cb",
                                                G_CALLBACK (ps_window_on_filters_row_activated_cb));
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_folded_cb);
}

static void
ps_window_init (PsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  ps_window_init_filters (self);
  g_object_bind_property (self->search_button, "active",
                          ps_orders_page_get_search_bar (self->orders_page), "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_set_key_capture_widget (ps_orders_page_get_search_bar (self->orders_page),
                                         GTK_WIDGET (self->orders_page));
  gtk_widget_set_visible (self->filters_heading, FALSE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions,
                                   G_N_ELEMENTS (win_actions), self);
  /* Nothing to empty until the database is open. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "start-empty")),
                               FALSE);

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  /* Dropping export files anywhere on the window imports them. */
  {
    GtkDropTarget *drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

    g_signal_connect (drop, "drop", G_CALLBACK (on_drop_cb), self);
    gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
  }

  /* The columns menu in the header acts on the orders table. */
  {
    g_autoptr(GMenuModel) menu = ps_orders_page_get_columns_menu (self->orders_page);

    gtk_menu_button_set_menu_model (self->columns_button, menu);
    gtk_widget_insert_action_group (GTK_WIDGET (self), "columns",
                                    ps_orders_page_get_column_actions (self->orders_page));
  }

  gtk_stack_set_visible_child_name (self->stack, "orders");
  update_title (self);
  sync_sidebar (self);
}

/* Public API */

/**
 * ps_window_new:
 * @application: the application
 * @settings: (nullable): the app's settings, for geometry and last page
 *
 * Returns: (transfer full): a new window
 */
PsWindow *
ps_window_new (PsApplication *application,
               GSettings     *settings)
{
  PsWindow *self;

  g_return_val_if_fail (PS_IS_APPLICATION (application), NULL);

  self = g_object_new (PS_TYPE_WINDOW, "application", application, NULL);
  if (settings != NULL)
    {
      g_autofree char *last_page = g_settings_get_string (settings, "last-page");

      self->settings = g_object_ref (settings);
      ps_orders_page_set_settings (self->orders_page, settings);
      g_signal_connect_object (settings, "changed::label-format", G_CALLBACK (sync_label_format),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::label-dpi", G_CALLBACK (sync_label_format),
                               self, G_CONNECT_SWAPPED);
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (settings, "window-width"),
                                   g_settings_get_int (settings, "window-height"));
      if (g_settings_get_boolean (settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
      if (is_page_name (last_page))
        ps_window_show_page (self, last_page);
    }
  return self;
}

/**
 * ps_window_set_context:
 * @self: a #PsWindow
 * @context: the open context
 *
 * Gives the pages their data.
 */
void
ps_window_set_context (PsWindow  *self,
                       PsContext *context)
{
  g_return_if_fail (PS_IS_WINDOW (self));
  g_return_if_fail (PS_IS_CONTEXT (context));

  if (!g_set_object (&self->context, context))
    return;

  g_signal_connect_object (ps_context_get_order_store (context), "orders-changed",
                           G_CALLBACK (on_orders_changed_cb), self, G_CONNECT_SWAPPED);
  /* Labels: one service for the window; settle purchases a crash or a
   * lost answer left open before anything else is bought. */
  g_clear_object (&self->shipping);
  self->shipping = ps_shipping_service_new (context);
  g_clear_object (&self->tracking);
  self->tracking = ps_tracking_service_new (context);
  g_clear_object (&self->outbox);
  self->outbox = ps_outbox_service_new (context);
  g_clear_object (&self->automation);
  self->automation = ps_automation_service_new (ps_context_get_database (context),
                                                ps_order_store_get_time_zone (ps_context_get_order_store (context)));
  /* The other pages are made when first shown (load_page()). */
  sync_label_format (self);
  ps_shipping_service_reconcile_async (self->shipping, self->cancellable, reconcile_cb, g_object_ref (self));
  g_signal_connect_object (ps_context_get_filter_store (context), "filters-changed",
                           G_CALLBACK (ps_window_load_filters), self, G_CONNECT_SWAPPED);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "start-empty")),
                               TRUE);
  ps_orders_page_set_context (self->orders_page, context);
  refresh_summary (self);
  ps_window_load_filters (self);
  load_page (self, gtk_stack_get_visible_child_name (self->stack));

  if (self->pending_imports != NULL && self->pending_imports->len > 0)
    {
      g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending_imports);
      ps_window_import_files (self, (GFile **)pending->pdata, pending->len);
    }
}

/**
 * ps_window_import_files:
 * @self: a #PsWindow
 * @files: (array length=n_files): export files
 * @n_files: how many
 *
 * Opens the import dialog for @files (files dropped together, such as
 * Etsy's orders and items exports, are imported together). Before the
 * database is open the files wait for it.
 */
void
ps_window_import_files (PsWindow  *self,
                        GFile    **files,
                        guint      n_files)
{
  PsImportDialog *dialog;

  g_return_if_fail (PS_IS_WINDOW (self));
  g_return_if_fail (n_files > 0);

  if (self->context == NULL)
    {
      if (self->pending_imports == NULL)
        self->pending_imports = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < n_files; i++)
        g_ptr_array_add (self->pending_imports, g_object_ref (files[i]));
      return;
    }

  ps_window_show_page (self, "orders");
  dialog = ps_import_dialog_new (GTK_WINDOW (self), self->context, files, n_files);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * ps_window_show_page:
 * @self: a #PsWindow
 * @name: a page name ("dashboard", "orders", …)
 *
 * Shows a page; unknown names are ignored with a warning.
 */
void
ps_window_show_page (PsWindow   *self,
                     const char *name)
{
  g_return_if_fail (PS_IS_WINDOW (self));

  if (!is_page_name (name))
    {
      g_warning ("No page named “%s”", name ? name : "(null)");
      return;
    }
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
    return;   /* without a database no page can work */
  gtk_stack_set_visible_child_name (self->stack, name);
  /* Folded, asking for a page means seeing it, not the sidebar. */
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

/**
 * ps_window_get_page:
 * @self: a #PsWindow
 *
 * Returns: (transfer none): the visible page's name
 */
const char *
ps_window_get_page (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * ps_window_show_open_error:
 * @self: a #PsWindow
 * @path: the database file
 * @error: why it could not be opened
 *
 * Replaces the pages with an explanation; nothing is written to the file.
 */
void
ps_window_show_open_error (PsWindow     *self,
                           const char   *path,
                           const GError *error)
{
  g_autofree char *description = NULL;

  g_return_if_fail (PS_IS_WINDOW (self));

  if (g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_TOO_NEW))
    description = g_strdup_printf (_("%s was written by a newer version of Postsale. "
                                     "Update Postsale to open it; the file was not changed."),
                                   path);
  else if (g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_BUSY))
    description = g_strdup_printf (_("%s is locked by another program. Close it and start "
                                     "Postsale again."), path);
  else if (g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_MIGRATION) ||
           g_error_matches (error, PS_STORE_ERROR, PS_STORE_ERROR_BACKUP))
    description = g_strdup_printf (_("%s could not be updated to this version of Postsale and "
                                     "was left as it was.\n\n%s"), path, error->message);
  else
    description = g_strdup_printf (_("%s could not be opened: %s"), path, error->message);

  adw_status_page_set_description (self->error_page, description);
  gtk_stack_set_visible_child_name (self->stack, "error");
  gtk_widget_set_sensitive (GTK_WIDGET (self->sidebar), FALSE);
}

/**
 * ps_window_get_shipping_service:
 * @self: a #PsWindow
 *
 * Returns: (transfer none) (nullable): the shipping service, once the
 *   database is open
 */
PsShippingService *
ps_window_get_shipping_service (PsWindow *self)
{
  g_return_val_if_fail (PS_IS_WINDOW (self), NULL);
  return self->shipping;
}

/**
 * ps_window_start_background:
 * @self: a #PsWindow with its context
 *
 * Starts the work that runs while the window is open: the tracking poller
 * (and the late-handoff sweep), the rules runner and the outbox sender.
 * The application
 * calls it; tests that build windows do not, so their data stays put.
 */
void
ps_window_start_background (PsWindow *self)
{
  g_return_if_fail (PS_IS_WINDOW (self));

  if (self->tracking != NULL)
    ps_tracking_service_start (self->tracking);
  if (self->outbox != NULL)
    ps_outbox_service_start (self->outbox, 60);
  /* Rules run after the changes that trigger them commit; the runner
   * looks for new events every few seconds. */
  if (self->automation != NULL)
    ps_automation_service_start (self->automation, 5);
}
