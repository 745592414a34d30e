/* ps-rate-dialog.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rate selector for one order: the parcel (weight and sides, starting
 * from the items), ship-to and ship-from, then every carrier's rates side
 * by side, cheapest first, with the cheapest and fastest marked, a carrier
 * filter and the default choice rule ("cheapest", "cheapest that arrives
 * within N days", "fastest") preselecting one. Buy Label journals and buys
 * through PsShippingService under one key for the dialog, so pressing it
 * again after an error can never buy twice. Then the label is shown
 * (PsLabelPreview) with Print, which goes to the label printer chosen in
 * Preferences without a dialog, or through the print dialog otherwise.
 */

#define G_LOG_DOMAIN "ps-rate-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-choice-button.h"
#include "ps-format.h"
#include "ps-label-preview.h"
#include "ps-label-printer.h"
#include "ps-rate-dialog.h"

struct _PsRateDialog
{
  AdwWindow          parent_instance;

  PsShippingService *service;
  GSettings         *settings;
  gint64             order_id;
  char              *key;            /* one purchase key per dialog */
  PsShipmentDraft   *draft;
  PsRateQuotes      *quotes;
  GPtrArray         *shown;          /* PsRateQuote (borrowed), in list order */
  PsLabelResult     *label;
  GCancellable      *cancellable;
  gboolean           disposed;    /* widgets are going: callbacks stop */

  AdwWindowTitle    *title;
  GtkWidget         *buy_button;
  GtkWidget         *stack;
  GtkWidget         *weight;
  GtkWidget         *package;        /* PsChoiceButton: "custom" or preset ids */
  GPtrArray         *presets;        /* PsPackagePreset */
  GtkWidget         *length;
  GtkWidget         *width;
  GtkWidget         *height;
  AdwActionRow      *ship_to_row;
  AdwActionRow      *ship_from_row;
  GtkWidget         *carrier_filter;
  GtkWidget         *rule;
  GtkWidget         *days;
  GtkListBox        *rates_list;
  GtkWidget         *spinner;
  GtkLabel          *message;
  PsLabelPreview    *preview;
  GtkLabel          *label_summary;
};

G_DEFINE_FINAL_TYPE (PsRateDialog, ps_rate_dialog, ADW_TYPE_WINDOW)

static void
set_message (PsRateDialog *self,
             const char   *text,
             gboolean      is_error)
{
  gtk_label_set_label (self->message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
}

static void
set_busy (PsRateDialog *self,
          gboolean      busy)
{
  gtk_widget_set_visible (self->spinner, busy);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), busy);
}

static char *
format_delivery (const PsRate *rate)
{
  g_autofree char *days = NULL;

  if (rate->transit_days > 0)
    days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d business day", "%d business days",
                                         rate->transit_days), rate->transit_days);
  if (rate->estimated_delivery > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (rate->estimated_delivery);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *date = g_date_time_format (local, _("%a, %b %e"));

      return days != NULL ? g_strdup_printf (_("%s · arrives %s"), days, date)
                          : g_strdup_printf (_("arrives %s"), date);
    }
  return days != NULL ? g_steal_pointer (&days) : g_strdup (_("transit time unknown"));
}

/* Rates list */

static GtkWidget *
badge (const char *text,
       const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_add_css_class (label, "caption-heading");
  gtk_widget_add_css_class (label, css);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  return label;
}

static void
fill_rates (PsRateDialog *self)
{
  const char *carrier = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->carrier_filter));
  const char *rule_id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->rule));
  g_autoptr(GPtrArray) visible = g_ptr_array_new ();
  const PsRateQuote *cheapest, *fastest, *chosen;
  PsRateChoice rule = PS_RATE_CHOICE_CHEAPEST;
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->rates_list, 0)) != NULL)
    gtk_list_box_remove (self->rates_list, GTK_WIDGET (row));
  g_ptr_array_set_size (self->shown, 0);
  if (self->quotes == NULL)
    return;

  for (guint i = 0; i < self->quotes->quotes->len; i++)
    {
      PsRateQuote *quote = g_ptr_array_index (self->quotes->quotes, i);

      if (carrier == NULL || g_str_equal (carrier, "") || g_ascii_strcasecmp (carrier, quote->rate->carrier) == 0)
        g_ptr_array_add (visible, quote);
    }

  cheapest = ps_rate_quotes_choose (visible, PS_RATE_CHOICE_CHEAPEST, 0);
  fastest = ps_rate_quotes_choose (visible, PS_RATE_CHOICE_FASTEST, 0);
  if (g_strcmp0 (rule_id, "within") == 0)
    rule = PS_RATE_CHOICE_CHEAPEST_WITHIN;
  else if (g_strcmp0 (rule_id, "fastest") == 0)
    rule = PS_RATE_CHOICE_FASTEST;
  chosen = ps_rate_quotes_choose (visible, rule, gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->days)));

  for (guint i = 0; i < visible->len; i++)
    {
      const PsRateQuote *quote = g_ptr_array_index (visible, i);
      const PsRate *rate = quote->rate;
      GtkWidget *action_row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s · %s", rate->carrier, rate->service_name);
      g_autofree char *delivery = format_delivery (rate);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", delivery, quote->account_name);
      g_autofree char *price = ps_format_money (rate->price.minor, rate->price.currency);
      GtkWidget *price_label = gtk_label_new (price);

      /* Row titles are markup: names like "Juniper & Pine" must be escaped. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (action_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (action_row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (action_row), subtitle);
      if (quote == cheapest)
        adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), badge (_("Cheapest"), "success"));
      if (quote == fastest)
        adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), badge (_("Fastest"), "accent"));
      gtk_widget_add_css_class (price_label, "numeric");
      gtk_widget_add_css_class (price_label, "heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (action_row), price_label);
      gtk_list_box_append (self->rates_list, action_row);
      g_ptr_array_add (self->shown, (gpointer)quote);
      if (quote == chosen)
        gtk_list_box_select_row (self->rates_list, GTK_LIST_BOX_ROW (action_row));
    }
  gtk_widget_set_sensitive (self->buy_button, gtk_list_box_get_selected_row (self->rates_list) != NULL);
}

static void
fill_carriers (PsRateDialog *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *fresh = ps_choice_button_new (_("Carrier"));
  GtkWidget *parent = gtk_widget_get_parent (self->carrier_filter);

  ps_choice_button_append (PS_CHOICE_BUTTON (fresh), "", _("All carriers"));
  for (guint i = 0; self->quotes != NULL && i < self->quotes->quotes->len; i++)
    {
      const PsRate *rate = ((PsRateQuote *)g_ptr_array_index (self->quotes->quotes, i))->rate;

      if (g_hash_table_add (seen, rate->carrier))
        ps_choice_button_append (PS_CHOICE_BUTTON (fresh), rate->carrier, rate->carrier);
    }
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (fresh), "");
  g_signal_connect_object (fresh, "changed", G_CALLBACK (fill_rates), self, G_CONNECT_SWAPPED);
  gtk_box_insert_child_after (GTK_BOX (parent), fresh, self->carrier_filter);
  gtk_box_remove (GTK_BOX (parent), self->carrier_filter);
  self->carrier_filter = fresh;
}

static void
rates_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsRateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  PsRateQuotes *quotes;

  quotes = ps_shipping_service_rates_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    {
      g_clear_pointer (&quotes, ps_rate_quotes_free);
      return;
    }
  set_busy (self, FALSE);
  g_clear_pointer (&self->quotes, ps_rate_quotes_free);
  self->quotes = quotes;
  fill_carriers (self);
  fill_rates (self);

  if (quotes == NULL)
    set_message (self, error->message, TRUE);
  else if (quotes->problems->len > 0)
    {
      g_autofree char *joined = g_strjoinv ("\n", (char **)quotes->problems->pdata);
      set_message (self, joined, FALSE);
    }
  else if (quotes->quotes->len == 0)
    set_message (self, _("No carrier offers a service for this parcel and address."), TRUE);
  else
    set_message (self, NULL, FALSE);
}

static void
get_rates (PsRateDialog *self)
{
  if (self->draft == NULL)
    return;
  self->draft->parcel.weight_grams = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->weight));
  self->draft->parcel.length_mm = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->length));
  self->draft->parcel.width_mm = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->width));
  self->draft->parcel.height_mm = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->height));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, TRUE);
  set_message (self, NULL, FALSE);
  gtk_widget_set_sensitive (self->buy_button, FALSE);
  ps_shipping_service_rates_async (self->service, self->draft, self->cancellable, rates_cb, g_object_ref (self));
}

static void
on_package_changed_cb (PsRateDialog *self)
{
  const char *id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->package));

  if (self->draft == NULL || self->presets == NULL || id == NULL)
    return;
  for (guint i = 0; i < self->presets->len; i++)
    {
      const PsPackagePreset *p = g_ptr_array_index (self->presets, i);
      g_autofree char *pid = g_strdup_printf ("%" G_GINT64_FORMAT, p->id);

      if (!g_str_equal (pid, id))
        continue;
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->length), p->length_mm);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->width), p->width_mm);
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->height), p->height_mm);
      /* The items, plus the box. */
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->weight), self->draft->order->weight_grams + p->weight_grams);
      get_rates (self);
      return;
    }
}

static void
presets_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsRateDialog) self = user_data;
  g_autoptr(GPtrArray) presets = ps_shipping_service_list_presets_finish (PS_SHIPPING_SERVICE (object), result, NULL);
  g_autofree char *chosen = NULL;

  if (self->disposed || presets == NULL)
    return;
  for (guint i = 0; i < presets->len; i++)
    {
      const PsPackagePreset *p = g_ptr_array_index (presets, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, p->id);
      g_autofree char *label = g_strdup_printf ("%s · %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT "×%" G_GINT64_FORMAT " mm",
                                                p->name, p->length_mm, p->width_mm, p->height_mm);

      ps_choice_button_append (PS_CHOICE_BUTTON (self->package), id, label);
    }
  self->presets = g_steal_pointer (&presets);
  if (self->draft != NULL && self->draft->order->preset_id != 0)
    chosen = g_strdup_printf ("%" G_GINT64_FORMAT, self->draft->order->preset_id);
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->package), chosen != NULL ? chosen : "custom");
}

static void
prepare_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsRateDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *to = NULL;
  g_autofree char *from = NULL;
  g_autofree char *title = NULL;

  self->draft = ps_shipping_service_prepare_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (self->disposed)
    return;
  if (self->draft == NULL)
    {
      set_busy (self, FALSE);
      set_message (self, error->message, TRUE);
      return;
    }

  title = g_strdup_printf (_("Ship %s"), self->draft->order->order_number);
  adw_window_title_set_title (self->title, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  to = ps_address_format (self->draft->order->ship_to, ", ");
  from = ps_address_format (self->draft->ship_from, ", ");
  adw_action_row_set_subtitle (self->ship_to_row, to);
  adw_action_row_set_subtitle (self->ship_from_row, from);
  if (self->draft->order->address_issue)
    {
      g_autofree char *warning = g_strdup_printf (_("Address check: %s"), self->draft->order->address_message
                                                                        ? self->draft->order->address_message : _("needs a look"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ship_to_row), warning);
      gtk_widget_add_css_class (GTK_WIDGET (self->ship_to_row), "warning");
    }
  if (self->draft->order->n_live_shipments > 0)
    set_message (self, _("This order already has a label; buying another makes a second shipment."), FALSE);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->weight), self->draft->parcel.weight_grams);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->length), self->draft->parcel.length_mm);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->width), self->draft->parcel.width_mm);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->height), self->draft->parcel.height_mm);
  ps_shipping_service_list_presets_async (self->service, self->cancellable, presets_cb, g_object_ref (self));
  get_rates (self);
}

/* Buying */

static void
show_label (PsRateDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  set_message (self, NULL, FALSE);
  if (!ps_label_preview_set_label (self->preview, self->label->label, &error))
    set_message (self, error->message, TRUE);
  summary = self->label->already_bought
    ? g_strdup_printf (_("This label was already bought: tracking %s"), self->label->tracking_number)
    : g_strdup_printf (_("Label bought: tracking %s"), self->label->tracking_number);
  gtk_label_set_label (self->label_summary, summary);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "label");
  gtk_widget_set_visible (self->buy_button, FALSE);
}

static void
buy_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(PsRateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  self->label = ps_shipping_service_buy_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (self->disposed)
    return;   /* bought and stored all the same; the list shows it */
  set_busy (self, FALSE);
  if (self->label == NULL)
    {
      gtk_widget_set_sensitive (self->buy_button, TRUE);
      set_message (self, error->message, TRUE);
      return;
    }
  show_label (self);
}

static void
on_buy_clicked_cb (PsRateDialog *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->rates_list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint)index >= self->shown->len || self->draft == NULL)
    return;

  gtk_widget_set_sensitive (self->buy_button, FALSE);
  set_busy (self, TRUE);
  set_message (self, _("Buying the label…"), FALSE);
  ps_shipping_service_buy_async (self->service, self->draft, g_ptr_array_index (self->shown, index),
                                 self->key, NULL, buy_cb, g_object_ref (self));
}

static void
print_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsRateDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_label_printer_print_finish (PS_LABEL_PRINTER (object), result, &error))
    {
      if (!self->disposed && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message, TRUE);
      return;
    }
  if (!self->disposed)
    set_message (self, _("Sent to the printer."), FALSE);
}

static void
on_print_clicked_cb (PsRateDialog *self)
{
  g_autoptr(PsLabelPrinter) printer = ps_label_printer_new ();
  g_autoptr(GError) error = NULL;

  if (self->label == NULL)
    return;
  if (self->settings != NULL)
    ps_label_printer_load_settings (printer, self->settings);
  if (!ps_label_printer_add_bytes (printer, self->label->label, &error))
    {
      set_message (self, error->message, TRUE);
      return;
    }
  ps_label_printer_set_title (printer, self->label->tracking_number);
  /* A label printer chosen in Preferences prints at once. */
  ps_label_printer_print_async (printer, GTK_WINDOW (self),
                                ps_label_printer_get_printer (printer) == NULL ||
                                *ps_label_printer_get_printer (printer) == '\0',
                                NULL, print_cb, g_object_ref (self));
}

static void
on_zoom_cb (PsRateDialog *self,
            GtkButton    *button)
{
  double step = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "zoom-step")) / 4.0;
  double zoom = ps_label_preview_get_zoom (self->preview);

  if (step == 0)
    ps_label_preview_set_zoom (self->preview, 0);
  else
    ps_label_preview_set_zoom (self->preview, MAX (0.25, (zoom > 0 ? zoom : 1.0) + step));
}

/* Building */

static GtkWidget *
spin_row (const char  *title,
          double       max,
          GtkWidget  **spin)
{
  GtkWidget *row = adw_action_row_new ();

  *spin = gtk_spin_button_new_with_range (0, max, 1);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  return row;
}

static void
on_rate_selected_cb (PsRateDialog  *self,
                     GtkListBoxRow *row)
{
  if (self->disposed)
    return;
  gtk_widget_set_sensitive (self->buy_button, row != NULL && self->label == NULL);
}

static GtkWidget *
build_rates_page (PsRateDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *parcel = adw_preferences_group_new ();
  GtkWidget *route = adw_preferences_group_new ();
  GtkWidget *rates = adw_preferences_group_new ();
  GtkWidget *tools = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *refresh = gtk_button_new_with_mnemonic (_("_Get Rates"));
  GtkWidget *sides = adw_action_row_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (parcel), _("Parcel"));
  {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Package"));
    self->package = ps_choice_button_new (_("Package"));
    ps_choice_button_append (PS_CHOICE_BUTTON (self->package), "custom", _("Custom sides"));
    ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->package), "custom");
    gtk_widget_set_valign (self->package, GTK_ALIGN_CENTER);
    g_signal_connect_object (self->package, "changed", G_CALLBACK (on_package_changed_cb), self, G_CONNECT_SWAPPED);
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->package);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (parcel), row);
  }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (parcel), spin_row (_("Weight (g)"), 70000, &self->weight));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sides), _("Length × width × height (mm)"));
  self->length = gtk_spin_button_new_with_range (0, 3000, 1);
  self->width = gtk_spin_button_new_with_range (0, 3000, 1);
  self->height = gtk_spin_button_new_with_range (0, 3000, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->length), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Length (mm)"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->width), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Width (mm)"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->height), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Height (mm)"), -1);
  for (GtkWidget **w = (GtkWidget *[]) { self->length, self->width, self->height, NULL }; *w != NULL; w++)
    {
      gtk_widget_set_valign (*w, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (sides), *w);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (parcel), sides);
  gtk_widget_set_valign (refresh, GTK_ALIGN_CENTER);
  g_signal_connect_object (refresh, "clicked", G_CALLBACK (get_rates), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (parcel), refresh);
  gtk_box_append (GTK_BOX (box), parcel);

  self->ship_to_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->ship_to_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ship_to_row), _("Ship to"));
  self->ship_from_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->ship_from_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->ship_from_row), _("Ship from"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (route), GTK_WIDGET (self->ship_to_row));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (route), GTK_WIDGET (self->ship_from_row));
  gtk_box_append (GTK_BOX (box), route);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (rates), _("Rates"));
  self->carrier_filter = ps_choice_button_new (_("Carrier"));
  self->rule = ps_choice_button_new (_("Choose"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "cheapest", _("Cheapest"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "within", _("Cheapest within"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->rule), "fastest", _("Fastest"));
  self->days = gtk_spin_button_new_with_range (1, 10, 1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->days), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Days"), -1);
  gtk_box_append (GTK_BOX (tools), self->carrier_filter);
  gtk_box_append (GTK_BOX (tools), self->rule);
  gtk_box_append (GTK_BOX (tools), self->days);
  gtk_box_append (GTK_BOX (tools), gtk_label_new (_("days")));
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (rates), tools);

  self->rates_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_add_css_class (GTK_WIDGET (self->rates_list), "boxed-list");
  gtk_list_box_set_selection_mode (self->rates_list, GTK_SELECTION_SINGLE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->rates_list), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Rates"), -1);
  g_signal_connect_object (self->rates_list, "row-selected",
                           G_CALLBACK (on_rate_selected_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rates), GTK_WIDGET (self->rates_list));
  gtk_box_append (GTK_BOX (box), rates);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 720);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  return scroller;
}

static GtkWidget *
zoom_button (PsRateDialog *self,
             const char   *icon,
             const char   *label,
             int           step)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data (G_OBJECT (button), "zoom-step", GINT_TO_POINTER (step));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_zoom_cb), self, G_CONNECT_SWAPPED);
  return button;
}

static GtkWidget *
build_label_page (PsRateDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *print = gtk_button_new_with_mnemonic (_("_Print Label"));
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  self->label_summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label_summary, 0);
  gtk_label_set_selectable (self->label_summary, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label_summary), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->label_summary), "heading");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->label_summary));
  gtk_box_append (GTK_BOX (bar), zoom_button (self, "zoom-out-symbolic", _("Zoom Out"), -1));
  gtk_box_append (GTK_BOX (bar), zoom_button (self, "zoom-fit-best-symbolic", _("Fit"), 0));
  gtk_box_append (GTK_BOX (bar), zoom_button (self, "zoom-in-symbolic", _("Zoom In"), 1));
  gtk_widget_add_css_class (print, "suggested-action");
  g_signal_connect_object (print, "clicked", G_CALLBACK (on_print_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (bar), print);
  gtk_box_append (GTK_BOX (box), bar);

  self->preview = PS_LABEL_PREVIEW (ps_label_preview_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->preview));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  return box;
}

static void
ps_rate_dialog_dispose (GObject *object)
{
  PsRateDialog *self = (PsRateDialog *)object;

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ps_rate_dialog_parent_class)->dispose (object);
}

static void
ps_rate_dialog_finalize (GObject *object)
{
  PsRateDialog *self = (PsRateDialog *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->settings);
  g_free (self->key);
  g_clear_pointer (&self->draft, ps_shipment_draft_free);
  g_clear_pointer (&self->quotes, ps_rate_quotes_free);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->label, ps_label_result_free);
  g_clear_pointer (&self->presets, g_ptr_array_unref);

  G_OBJECT_CLASS (ps_rate_dialog_parent_class)->finalize (object);
}

static void
ps_rate_dialog_class_init (PsRateDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_rate_dialog_dispose;
  object_class->finalize = ps_rate_dialog_finalize;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_rate_dialog_init (PsRateDialog *self)
{
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Close"));
  GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->shown = g_ptr_array_new ();
  self->key = g_uuid_string_random ();
  self->cancellable = g_cancellable_new ();

  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 720);
  gtk_window_set_title (GTK_WINDOW (self), _("Ship Order"));

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Ship Order"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->buy_button = gtk_button_new_with_mnemonic (_("_Buy Label"));
  gtk_widget_set_name (self->buy_button, "buy-label");
  gtk_widget_add_css_class (self->buy_button, "suggested-action");
  gtk_widget_set_sensitive (self->buy_button, FALSE);
  g_signal_connect_object (self->buy_button, "clicked", G_CALLBACK (on_buy_clicked_cb), self, G_CONNECT_SWAPPED);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->buy_button);
  self->spinner = gtk_spinner_new ();
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->spinner);
  gtk_box_append (GTK_BOX (content), header);

  self->stack = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->stack), build_rates_page (self), "rates");
  gtk_stack_add_named (GTK_STACK (self->stack), build_label_page (self), "label");
  gtk_box_append (GTK_BOX (content), self->stack);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->message), TRUE);
  gtk_widget_set_margin_start (footer, 12);
  gtk_widget_set_margin_end (footer, 12);
  gtk_widget_set_margin_top (footer, 6);
  gtk_widget_set_margin_bottom (footer, 6);
  gtk_box_append (GTK_BOX (footer), GTK_WIDGET (self->message));
  gtk_box_append (GTK_BOX (content), footer);
  set_message (self, NULL, FALSE);

  adw_window_set_content (ADW_WINDOW (self), content);

  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->rule), "cheapest");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->days), 3);
  g_signal_connect_object (self->rule, "changed", G_CALLBACK (fill_rates), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->days, "value-changed", G_CALLBACK (fill_rates), self, G_CONNECT_SWAPPED);
}

/**
 * ps_rate_dialog_new:
 * @parent: (nullable): the main window
 * @service: the shipping service
 * @settings: (nullable): the app's settings (printer, choice rule)
 * @order_id: the order to ship
 *
 * Returns: (transfer full): the dialog; it starts reading the order and
 *   asking for rates at once
 */
PsRateDialog *
ps_rate_dialog_new (GtkWindow         *parent,
                    PsShippingService *service,
                    GSettings         *settings,
                    gint64             order_id)
{
  PsRateDialog *self;

  g_return_val_if_fail (PS_IS_SHIPPING_SERVICE (service), NULL);

  self = g_object_new (PS_TYPE_RATE_DIALOG, "transient-for", parent, NULL);
  self->service = g_object_ref (service);
  self->settings = settings != NULL ? g_object_ref (settings) : NULL;
  self->order_id = order_id;
  set_busy (self, TRUE);
  ps_shipping_service_prepare_async (service, order_id, self->cancellable, prepare_cb, g_object_ref (self));
  return self;
}

/**
 * ps_rate_dialog_get_label:
 * @self: a #PsRateDialog
 *
 * Returns: (transfer none) (nullable): the label bought, once it is
 */
GBytes *
ps_rate_dialog_get_label (PsRateDialog *self)
{
  g_return_val_if_fail (PS_IS_RATE_DIALOG (self), NULL);
  return self->label != NULL ? self->label->label : NULL;
}

const char *
ps_rate_dialog_get_tracking (PsRateDialog *self)
{
  g_return_val_if_fail (PS_IS_RATE_DIALOG (self), NULL);
  return self->label != NULL ? self->label->tracking_number : NULL;
}

/**
 * ps_rate_dialog_get_n_rates:
 * @self: a #PsRateDialog
 *
 * Returns: how many rates the list shows (0 while asking)
 */
guint
ps_rate_dialog_get_n_rates (PsRateDialog *self)
{
  g_return_val_if_fail (PS_IS_RATE_DIALOG (self), 0);
  return self->shown->len;
}

/**
 * ps_rate_dialog_select_rate:
 * @self: a #PsRateDialog
 * @index: a row of the rates list
 *
 * Returns: whether there is such a row
 */
gboolean
ps_rate_dialog_select_rate (PsRateDialog *self,
                            guint         index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (PS_IS_RATE_DIALOG (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->rates_list, index);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->rates_list, row);
  return TRUE;
}
