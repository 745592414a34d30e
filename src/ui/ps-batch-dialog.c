/* ps-batch-dialog.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Labels for many orders: choose the rule (cheapest, cheapest within N
 * days, fastest), Buy, watch the progress (Cancel stops before the next
 * order, never in the middle of a purchase), then read what failed and
 * why, Retry Failed (the same batch key: what was bought stays bought),
 * and Print every label bought in one job.
 */

#define G_LOG_DOMAIN "ps-batch-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-batch-dialog.h"
#include "ps-choice-button.h"
#include "ps-format.h"
#include "ps-label-printer.h"

struct _PsBatchDialog
{
  AdwWindow          parent_instance;

  PsShippingService *service;
  GSettings         *settings;
  GArray            *ids;            /* what the next run buys */
  char              *key;            /* one batch key for every run */
  GPtrArray         *bought;         /* PsLabelResult, every label of every run */
  GPtrArray         *failed;         /* PsBatchItem (borrowed from results) */
  GPtrArray         *results;        /* GPtrArray of PsBatchItem per run */
  GCancellable      *cancellable;
  gboolean           busy;
  gboolean           disposed;

  AdwWindowTitle    *title;
  GtkWidget         *buy_button;
  GtkWidget         *rule;
  GtkWidget         *days;
  GtkProgressBar    *progress;
  GtkWidget         *cancel_button;
  GtkLabel          *summary;
  GtkListBox        *failures;
  GtkWidget         *failures_group;
  GtkWidget         *retry_button;
  GtkWidget         *print_button;
};

G_DEFINE_FINAL_TYPE (PsBatchDialog, ps_batch_dialog, ADW_TYPE_WINDOW)

static void
update_summary (PsBatchDialog *self)
{
  g_autofree char *bought = ps_format_count (self->bought->len);
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s label ready", "%s labels ready",
                                             self->bought->len), bought);
  if (self->failed->len > 0)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, " · %u order needs a look", " · %u orders need a look",
                                               self->failed->len), self->failed->len);
  gtk_label_set_label (self->summary, text->str);
  gtk_widget_set_sensitive (self->print_button, !self->busy && self->bought->len > 0);
  gtk_widget_set_visible (self->retry_button, !self->busy && self->failed->len > 0);
  gtk_widget_set_visible (self->failures_group, self->failed->len > 0);
}

static void
progress_cb (guint              done,
             guint              total,
             const PsBatchItem *item,
             gpointer           user_data)
{
  PsBatchDialog *self = user_data;
  g_autofree char *text = g_strdup_printf (_("%u of %u"), done, total);

  if (self->disposed)
    return;
  gtk_progress_bar_set_fraction (self->progress, total > 0 ? (double) done / total : 1);
  gtk_progress_bar_set_text (self->progress, text);
}

static void
batch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;
  GtkListBoxRow *row;

  self->busy = FALSE;
  if (self->disposed)
    {
      items = ps_shipping_service_buy_batch_finish (PS_SHIPPING_SERVICE (object), result, NULL);
      g_clear_pointer (&items, g_ptr_array_unref);
      return;
    }
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_set_sensitive (self->rule, TRUE);
  gtk_widget_set_sensitive (self->days, TRUE);
  items = ps_shipping_service_buy_batch_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (items == NULL)
    {
      gtk_label_set_label (self->summary, error->message);
      return;
    }
  g_ptr_array_add (self->results, items);

  while ((row = gtk_list_box_get_row_at_index (self->failures, 0)) != NULL)
    gtk_list_box_remove (self->failures, GTK_WIDGET (row));
  g_ptr_array_set_size (self->failed, 0);
  g_array_set_size (self->ids, 0);

  for (guint i = 0; i < items->len; i++)
    {
      PsBatchItem *item = g_ptr_array_index (items, i);

      if (item->result != NULL)
        {
          /* A retry reports the earlier runs' labels again: count each once. */
          gboolean seen = FALSE;

          for (guint j = 0; j < self->bought->len && !seen; j++)
            seen = ((PsLabelResult *)g_ptr_array_index (self->bought, j))->shipment_id == item->result->shipment_id;
          if (!seen)
            g_ptr_array_add (self->bought, item->result);
        }
      else
        {
          GtkWidget *failure = adw_action_row_new ();
          g_autofree char *title = item->order_number != NULL
            ? g_strdup_printf (_("Order %s"), item->order_number)
            : g_strdup_printf (_("Order %" G_GINT64_FORMAT), item->order_id);

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (failure), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (failure), title);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (failure), item->error);
          gtk_list_box_append (self->failures, failure);
          g_ptr_array_add (self->failed, item);
          g_array_append_val (self->ids, item->order_id);
        }
    }
  update_summary (self);
}

/**
 * ps_batch_dialog_start:
 * @self: a #PsBatchDialog
 *
 * Buys labels for the orders not bought yet (all at first, the failed
 * ones on a retry), as the Buy and Retry Failed buttons do.
 */
void
ps_batch_dialog_start (PsBatchDialog *self)
{
  const char *rule_id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->rule));
  PsRateChoice rule = PS_RATE_CHOICE_CHEAPEST;

  g_return_if_fail (PS_IS_BATCH_DIALOG (self));

  if (self->busy || self->ids->len == 0)
    return;
  if (g_strcmp0 (rule_id, "within") == 0)
    rule = PS_RATE_CHOICE_CHEAPEST_WITHIN;
  else if (g_strcmp0 (rule_id, "fastest") == 0)
    rule = PS_RATE_CHOICE_FASTEST;

  self->busy = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (self->buy_button, FALSE);
  gtk_widget_set_visible (self->retry_button, FALSE);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_sensitive (self->print_button, FALSE);
  gtk_widget_set_sensitive (self->rule, FALSE);
  gtk_widget_set_sensitive (self->days, FALSE);
  gtk_progress_bar_set_fraction (self->progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
  ps_shipping_service_buy_batch_async (self->service, (const gint64 *)self->ids->data, self->ids->len,
                                       self->key, rule,
                                       gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->days)),
                                       progress_cb, self, self->cancellable, batch_cb, g_object_ref (self));
}

static void
on_cancel_clicked_cb (PsBatchDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  gtk_progress_bar_set_text (self->progress, _("Stopping after the current order…"));
}

static void
print_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsBatchDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_label_printer_print_finish (PS_LABEL_PRINTER (object), result, &error) && !self->disposed &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_label_set_label (self->summary, error->message);
}

static void
on_print_clicked_cb (PsBatchDialog *self)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  const char *name;

  if (self->settings != NULL)
    ps_label_printer_load_settings (printer, self->settings);
  for (guint i = 0; i < self->bought->len; i++)
    {
      g_autoptr(GError) error = NULL;
      PsLabelResult *label = g_ptr_array_index (self->bought, i);

      if (!ps_label_printer_add_bytes (printer, label->label, &error))
        g_warning ("Label %s cannot be printed: %s", label->tracking_number, error->message);
    }
  ps_label_printer_set_title (printer, _("Shipping labels"));
  name = ps_label_printer_get_printer (printer);
  ps_label_printer_print_async (printer, GTK_WINDOW (self), name == NULL || *name == '\0',
                                NULL, print_cb, g_object_ref (self));
}

static gboolean
on_close_request_cb (PsBatchDialog *self)
{
  /* Closing mid-batch stops it after the current order. */
  if (self->busy)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
ps_batch_dialog_dispose (GObject *object)
{
  PsBatchDialog *self = (PsBatchDialog *)object;

  self->disposed = TRUE;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (ps_batch_dialog_parent_class)->dispose (object);
}

static void
ps_batch_dialog_finalize (GObject *object)
{
  PsBatchDialog *self = (PsBatchDialog *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->ids, g_array_unref);
  g_free (self->key);
  g_clear_pointer (&self->bought, g_ptr_array_unref);
  g_clear_pointer (&self->failed, g_ptr_array_unref);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ps_batch_dialog_parent_class)->finalize (object);
}

static void
ps_batch_dialog_class_init (PsBatchDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ps_batch_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = ps_batch_dialog_finalize;
}

static void
ps_batch_dialog_init (PsBatchDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *close = gtk_button_new_with_mnemonic (_("_Close"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *choice = adw_preferences_group_new ();
  GtkWidget *rule_row = adw_action_row_new ();
  GtkWidget *actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->key = g_strdup_printf ("batch:%s", g_uuid_string_random ());
  self->bought = g_ptr_array_new ();
  self->failed = g_ptr_array_new ();
  self->results = g_ptr_array_new_with_free_func ((GDestroyNotify)g_ptr_array_unref);

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 640, 560);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Buy Labels"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (close), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), close);
  self->buy_button = gtk_button_new_with_mnemonic (_("_Buy Labels"));
  gtk_widget_add_css_class (self->buy_button, "suggested-action");
  g_signal_connect_object (self->buy_button, "clicked", G_CALLBACK (ps_batch_dialog_start), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->buy_button);
  gtk_box_append (GTK_BOX (content), header);

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (rule_row), _("Rate for each order"));
  self->rule = ps_choice_button_new (_("Rate for each order"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "cheapest", _("Cheapest"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "within", _("Cheapest arriving within"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "fastest", _("Fastest"));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->rule), "cheapest");
  gtk_widget_set_valign (self->rule, GTK_ALIGN_CENTER);
  self->days = gtk_spin_button_new_with_range (1, 10, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->days), 3);
  gtk_widget_set_valign (self->days, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->days), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Days"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rule_row), self->rule);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rule_row), self->days);
  adw_action_row_add_suffix (ADW_ACTION_ROW (rule_row), gtk_label_new (_("days")));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (choice), rule_row);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (choice),
                                         _("Orders that already have a label are skipped. Nothing is ever bought "
                                           "twice: running the batch again only retries what failed."));
  gtk_box_append (GTK_BOX (box), choice);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->progress, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Labels bought"), -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->progress));

  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->summary, 0);
  gtk_label_set_wrap (self->summary, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "heading");
  gtk_box_append (GTK_BOX (actions), GTK_WIDGET (self->summary));
  self->cancel_button = gtk_button_new_with_mnemonic (_("_Cancel"));
  gtk_widget_set_visible (self->cancel_button, FALSE);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (on_cancel_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (actions), self->cancel_button);
  self->retry_button = gtk_button_new_with_mnemonic (_("_Retry Failed"));
  gtk_widget_set_visible (self->retry_button, FALSE);
  g_signal_connect_object (self->retry_button, "clicked", G_CALLBACK (ps_batch_dialog_start), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (actions), self->retry_button);
  self->print_button = gtk_button_new_with_mnemonic (_("_Print Labels"));
  gtk_widget_add_css_class (self->print_button, "suggested-action");
  gtk_widget_set_sensitive (self->print_button, FALSE);
  g_signal_connect_object (self->print_button, "clicked", G_CALLBACK (on_print_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (actions), self->print_button);
  gtk_box_append (GTK_BOX (box), actions);

  self->failures_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->failures_group), _("Not bought"));
  self->failures = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->failures, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->failures), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->failures), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not bought"), -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->failures_group), GTK_WIDGET (self->failures));
  gtk_widget_set_visible (self->failures_group, FALSE);
  gtk_box_append (GTK_BOX (box), self->failures_group);

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (content), scroller);
  adw_window_set_content (ADW_WINDOW (self), content);

  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request_cb), NULL);
}

/**
 * ps_batch_dialog_new:
 * @parent: (nullable): the main window
 * @service: the shipping service
 * @settings: (nullable): the app's settings (the label printer)
 * @order_ids: (array length=n_orders): the orders
 * @n_orders: how many
 *
 * Returns: (transfer full): the dialog, waiting for Buy Labels
 */
PsBatchDialog *
ps_batch_dialog_new (GtkWindow         *parent,
                     PsShippingService *service,
                     GSettings         *settings,
                     const gint64      *order_ids,
                     gsize              n_orders)
{
  PsBatchDialog *self;
  g_autofree char *count = ps_format_count (n_orders);
  g_autofree char *title = NULL;

  g_return_val_if_fail (PS_IS_SHIPPING_SERVICE (service), NULL);

  self = g_object_new (PS_TYPE_BATCH_DIALOG, "transient-for", parent, NULL);
  self->service = g_object_ref (service);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  g_array_append_vals (self->ids, order_ids, n_orders);
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Labels for %s Order", "Labels for %s Orders", n_orders),
                           count);
  adw_window_title_set_title (self->title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  return self;
}

gboolean
ps_batch_dialog_get_busy (PsBatchDialog *self)
{
  g_return_val_if_fail (PS_IS_BATCH_DIALOG (self), FALSE);
  return self->busy;
}

guint
ps_batch_dialog_get_n_bought (PsBatchDialog *self)
{
  g_return_val_if_fail (PS_IS_BATCH_DIALOG (self), 0);
  return self->bought->len;
}

guint
ps_batch_dialog_get_n_failed (PsBatchDialog *self)
{
  g_return_val_if_fail (PS_IS_BATCH_DIALOG (self), 0);
  return self->failed->len;
}
