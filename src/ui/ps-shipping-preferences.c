/* ps-shipping-preferences.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Shipping page of Preferences: the ship-from address every label
 * starts from, and the carrier accounts rates are asked from — add the
 * built-in sandbox (test labels, no money) or an EasyPost account (its API
 * key goes to the desktop keyring, never the database), test the
 * connection, remove — or a rate card: the merchant's own prices from a
 * CSV (service, destination, max_weight, price[, transit_days]), offline.
 */

#define G_LOG_DOMAIN "ps-shipping-preferences"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ps-choice-button.h"
#include "ps-shipping-preferences.h"

struct _PsShippingPreferences
{
  AdwPreferencesPage  parent_instance;

  PsShippingService  *service;
  GCancellable       *cancellable;
  GPtrArray          *account_rows;     /* rows added to accounts_group */

  AdwPreferencesGroup *from_group;
  AdwEntryRow        *from_rows[9];
  GtkLabel           *from_message;
  AdwPreferencesGroup *accounts_group;
  AdwPreferencesGroup *packages_group;
  GPtrArray          *package_rows;
  AdwEntryRow        *package_name;
  GtkWidget          *package_sides[3];
  GtkWidget          *package_weight;
  AdwEntryRow        *sku_name;
  GtkWidget          *sku_weight;
  GtkWidget          *sku_package;       /* PsChoiceButton: "0" or preset ids */
  AdwActionRow       *sku_package_row;
  AdwEntryRow        *easypost_name;
  AdwPasswordEntryRow *easypost_key;
  GtkLabel           *accounts_message;
};

G_DEFINE_FINAL_TYPE (PsShippingPreferences, ps_shipping_preferences, ADW_TYPE_PREFERENCES_PAGE)

enum { NAME, COMPANY, LINE1, LINE2, CITY, STATE, POSTCODE, COUNTRY, PHONE };

static void load_accounts (PsShippingPreferences *self);
static void load_presets (PsShippingPreferences *self);

static void
show_message (GtkLabel   *label,
              const char *text,
              gboolean    is_error)
{
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static GtkLabel *
message_label (void)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (NULL));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_xalign (label, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (label), 6);
  gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
  return label;
}

/* Ship-from */

static char *
field (PsShippingPreferences *self,
       guint                  i)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->from_rows[i]))));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_shipping_service_set_ship_from_finish (PS_SHIPPING_SERVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->from_message, error->message, TRUE);
      return;
    }
  show_message (self->from_message, _("Saved. New labels ship from this address."), FALSE);
}

static void
on_save_from_cb (PsShippingPreferences *self)
{
  g_autoptr(PsAddress) address = ps_address_new ();
  g_autofree char *country = field (self, COUNTRY);

  address->name = field (self, NAME);
  address->company = field (self, COMPANY);
  address->line1 = field (self, LINE1);
  address->line2 = field (self, LINE2);
  address->city = field (self, CITY);
  address->state = field (self, STATE);
  address->postcode = field (self, POSTCODE);
  address->country = country != NULL ? g_ascii_strup (country, -1) : NULL;
  address->phone = field (self, PHONE);
  ps_shipping_service_set_ship_from_async (self->service, address, self->cancellable, saved_cb,
                                           g_object_ref (self));
}

static void
ship_from_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsAddress) a = ps_shipping_service_get_ship_from_finish (PS_SHIPPING_SERVICE (object), result, &error);
  const char *values[9];

  if (a == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->from_message, error->message, TRUE);
      return;
    }
  values[NAME] = a->name;
  values[COMPANY] = a->company;
  values[LINE1] = a->line1;
  values[LINE2] = a->line2;
  values[CITY] = a->city;
  values[STATE] = a->state;
  values[POSTCODE] = a->postcode;
  values[COUNTRY] = a->country;
  values[PHONE] = a->phone;
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->from_rows[i]), values[i] != NULL ? values[i] : "");
  if (a->line1 == NULL)
    show_message (self->from_message, _("Add the address parcels leave from to buy labels."), FALSE);
}

/* Accounts */

static const char *
backend_label (const char *backend)
{
  if (g_strcmp0 (backend, "sandbox") == 0)
    return _("Sandbox: test labels, nothing is charged");
  if (g_strcmp0 (backend, "easypost") == 0)
    return _("EasyPost");
  if (g_strcmp0 (backend, "ratecard") == 0)
    return _("Rate card: your own prices, offline");
  return backend;
}

static void
tested_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (ps_shipping_service_test_account_finish (PS_SHIPPING_SERVICE (object), result, &error))
    show_message (self->accounts_message, _("The connection works."), FALSE);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (self->accounts_message, error->message, TRUE);
}

static void
on_test_clicked_cb (GtkButton             *button,
                    PsShippingPreferences *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (button), "account-id");

  show_message (self->accounts_message, _("Testing…"), FALSE);
  ps_shipping_service_test_account_async (self->service, id, self->cancellable, tested_cb, g_object_ref (self));
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == ps_shipping_service_add_account_async)
    ok = ps_shipping_service_add_account_finish (PS_SHIPPING_SERVICE (object), result, &error) > 0;
  else
    ok = ps_shipping_service_remove_account_finish (PS_SHIPPING_SERVICE (object), result, &error);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->accounts_message, error->message, TRUE);
      return;
    }
  show_message (self->accounts_message, NULL, FALSE);
  ps_shipping_service_reload_accounts (self->service);
  load_accounts (self);
}

static void
on_remove_clicked_cb (GtkButton             *button,
                      PsShippingPreferences *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (button), "account-id");

  ps_shipping_service_remove_account_async (self->service, id, self->cancellable, changed_cb,
                                            g_object_ref (self));
}

static void
on_add_sandbox_cb (PsShippingPreferences *self)
{
  ps_shipping_service_add_account_async (self->service, "sandbox", _("Sandbox"), NULL, self->cancellable,
                                         changed_cb, g_object_ref (self));
}

static void
on_add_easypost_cb (PsShippingPreferences *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->easypost_name));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->easypost_key));

  ps_shipping_service_add_account_async (self->service, "easypost", *name != '\0' ? name : "EasyPost", key,
                                         self->cancellable, changed_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->easypost_key), "");
}

static void
ratecard_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) csv = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  g_autofree char *base = g_file_get_basename (G_FILE (object));
  g_autofree char *name = NULL;
  g_autofree char *prefix = NULL;
  char *dot;

  if (csv == NULL)
    {
      show_message (self->accounts_message, error->message, TRUE);
      return;
    }
  /* "city-courier.csv" → "city-courier", tracking numbers "CIT…". */
  if ((dot = strrchr (base, '.')) != NULL)
    *dot = '\0';
  name = g_strdup (base);
  prefix = g_ascii_strup (base, MIN (3, strlen (base)));
  ps_shipping_service_add_ratecard_async (self->service, name, csv, "USD", prefix, self->cancellable,
                                          changed_cb, g_object_ref (self));
}

static void
on_ratecard_chosen_cb (GtkNativeDialog       *chooser,
                       int                    response,
                       PsShippingPreferences *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      g_file_load_bytes_async (file, self->cancellable, ratecard_loaded_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
on_add_ratecard_cb (PsShippingPreferences *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Add a Rate Card"), GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("Rate tables (CSV: service, destination, max_weight, price)"));
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (on_ratecard_chosen_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Package presets */

static void
preset_changed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_shipping_service_change_preset_finish (PS_SHIPPING_SERVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->accounts_message, error->message, TRUE);
      return;
    }
  load_presets (self);
}

static void
on_remove_preset_cb (GtkButton             *button,
                     PsShippingPreferences *self)
{
  gint64 id = *(gint64 *)g_object_get_data (G_OBJECT (button), "account-id");

  ps_shipping_service_change_preset_async (self->service, NULL, id, self->cancellable, preset_changed_cb,
                                           g_object_ref (self));
}

static void
on_add_preset_cb (PsShippingPreferences *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->package_name))));
  PsPackagePreset preset = {
    0, name,
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->package_sides[0])),
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->package_sides[1])),
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->package_sides[2])),
    gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->package_weight)),
  };

  ps_shipping_service_change_preset_async (self->service, &preset, 0, self->cancellable, preset_changed_cb,
                                           g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->package_name), "");
}

static GtkWidget *account_button (const char *label, gint64 id, GCallback callback, PsShippingPreferences *self);

static void
presets_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) presets = ps_shipping_service_list_presets_finish (PS_SHIPPING_SERVICE (object), result,
                                                                           &error);

  if (presets == NULL)
    return;
  {
    GtkWidget *fresh = ps_choice_button_new (_("Package"));

    ps_choice_button_append (PS_CHOICE_BUTTON (fresh), "0", _("No package"));
    for (guint i = 0; i < presets->len; i++)
      {
        const PsPackagePreset *p = g_ptr_array_index (presets, i);
        g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, p->id);

        ps_choice_button_append (PS_CHOICE_BUTTON (fresh), id, p->name);
      }
    ps_choice_button_set_selected (PS_CHOICE_BUTTON (fresh), "0");
    gtk_widget_set_valign (fresh, GTK_ALIGN_CENTER);
    /* A choice button cannot drop its choices: replace it. */
    adw_action_row_remove (self->sku_package_row, self->sku_package);
    adw_action_row_add_suffix (self->sku_package_row, fresh);
    self->sku_package = fresh;
  }
  for (guint i = 0; i < self->package_rows->len; i++)
    adw_preferences_group_remove (self->packages_group, g_ptr_array_index (self->package_rows, i));
  g_ptr_array_set_size (self->package_rows, 0);
  for (guint i = 0; i < presets->len; i++)
    {
      const PsPackagePreset *p = g_ptr_array_index (presets, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *sides = g_strdup_printf (_("%" G_GINT64_FORMAT " × %" G_GINT64_FORMAT " × %" G_GINT64_FORMAT
                                                  " mm, %" G_GINT64_FORMAT " g empty"),
                                                p->length_mm, p->width_mm, p->height_mm, p->weight_grams);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), p->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sides);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 account_button (_("_Remove"), p->id, G_CALLBACK (on_remove_preset_cb), self));
      adw_preferences_group_add (self->packages_group, row);
      g_ptr_array_add (self->package_rows, row);
    }
}

static void
sku_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ps_shipping_service_set_sku_default_finish (PS_SHIPPING_SERVICE (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->accounts_message, error->message, TRUE);
      return;
    }
  show_message (self->accounts_message, _("Saved. New rates for orders with this SKU start from it."), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->sku_name), "");
}

static void
on_save_sku_cb (PsShippingPreferences *self)
{
  g_autofree char *sku = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->sku_name))));
  const char *package = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->sku_package));

  if (*sku == '\0')
    {
      show_message (self->accounts_message, _("Enter the SKU the weight and package are for."), TRUE);
      return;
    }
  ps_shipping_service_set_sku_default_async (self->service, sku,
                                             gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->sku_weight)),
                                             package != NULL ? g_ascii_strtoll (package, NULL, 10) : 0,
                                             self->cancellable, sku_saved_cb, g_object_ref (self));
}

static void
load_presets (PsShippingPreferences *self)
{
  ps_shipping_service_list_presets_async (self->service, self->cancellable, presets_cb, g_object_ref (self));
}

static GtkWidget *
account_button (const char            *label,
                gint64                 id,
                GCallback              callback,
                PsShippingPreferences *self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_object_set_data_full (G_OBJECT (button), "account-id", g_memdup2 (&id, sizeof id), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

static void
accounts_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsShippingPreferences) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = ps_shipping_service_list_accounts_finish (PS_SHIPPING_SERVICE (object),
                                                                             result, &error);

  if (accounts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_message (self->accounts_message, error->message, TRUE);
      return;
    }

  for (guint i = 0; i < self->account_rows->len; i++)
    adw_preferences_group_remove (self->accounts_group, g_ptr_array_index (self->account_rows, i));
  g_ptr_array_set_size (self->account_rows, 0);

  for (guint i = 0; i < accounts->len; i++)
    {
      PsCarrierAccount *account = g_ptr_array_index (accounts, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), account->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), backend_label (account->backend));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 account_button (_("_Test"), account->id, G_CALLBACK (on_test_clicked_cb), self));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 account_button (_("_Remove"), account->id, G_CALLBACK (on_remove_clicked_cb), self));
      adw_preferences_group_add (self->accounts_group, row);
      g_ptr_array_add (self->account_rows, row);
    }
  if (accounts->len == 0)
    show_message (self->accounts_message, _("No carrier account yet: add one to get rates."), FALSE);
}

static void
load_accounts (PsShippingPreferences *self)
{
  ps_shipping_service_list_accounts_async (self->service, self->cancellable, accounts_cb, g_object_ref (self));
}

/* GObject */

static void
ps_shipping_preferences_dispose (GObject *object)
{
  PsShippingPreferences *self = (PsShippingPreferences *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (ps_shipping_preferences_parent_class)->dispose (object);
}

static void
ps_shipping_preferences_finalize (GObject *object)
{
  PsShippingPreferences *self = (PsShippingPreferences *)object;

  g_clear_object (&self->service);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->account_rows, g_ptr_array_unref);
  g_clear_pointer (&self->package_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (ps_shipping_preferences_parent_class)->finalize (object);
}

static void
ps_shipping_preferences_class_init (PsShippingPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ps_shipping_preferences_dispose;
  object_class->finalize = ps_shipping_preferences_finalize;
}

static void
ps_shipping_preferences_init (PsShippingPreferences *self)
{
  static const char *titles[9] = {
    N_("Name"), N_("Company"), N_("Street"), N_("Street, line 2"), N_("City"),
    N_("State or province"), N_("Postal code"), N_("Country code (US, CA, GB…)"), N_("Phone"),
  };
  GtkWidget *save = gtk_button_new_with_mnemonic (_("_Save Address"));
  GtkWidget *add_sandbox = gtk_button_new_with_mnemonic (_("Add _Sandbox"));
  GtkWidget *add_ratecard = gtk_button_new_with_mnemonic (_("Add _Rate Card…"));
  GtkWidget *adds = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *add_easypost = gtk_button_new_with_mnemonic (_("Add _EasyPost Account"));
  AdwPreferencesGroup *easypost = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *messages = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  self->cancellable = g_cancellable_new ();
  self->account_rows = g_ptr_array_new ();
  self->package_rows = g_ptr_array_new ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Shipping"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "mail-send-symbolic");

  self->from_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->from_group, _("Ship From"));
  adw_preferences_group_set_description (self->from_group, _("Printed on every label, and where carriers price from."));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      self->from_rows[i] = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->from_rows[i]), _(titles[i]));
      adw_preferences_group_add (self->from_group, GTK_WIDGET (self->from_rows[i]));
    }
  gtk_widget_set_valign (save, GTK_ALIGN_CENTER);
  g_signal_connect_object (save, "clicked", G_CALLBACK (on_save_from_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (self->from_group, save);
  self->from_message = message_label ();
  adw_preferences_group_add (self->from_group, GTK_WIDGET (self->from_message));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->from_group);

  self->accounts_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->accounts_group, _("Carrier Accounts"));
  adw_preferences_group_set_description (self->accounts_group, _("Rates are asked from every account at once."));
  gtk_widget_set_valign (adds, GTK_ALIGN_CENTER);
  g_signal_connect_object (add_sandbox, "clicked", G_CALLBACK (on_add_sandbox_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (add_ratecard, "clicked", G_CALLBACK (on_add_ratecard_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_tooltip_text (add_ratecard, _("Your own prices for a local courier or your own delivery, from a CSV"));
  gtk_box_append (GTK_BOX (adds), add_ratecard);
  gtk_box_append (GTK_BOX (adds), add_sandbox);
  adw_preferences_group_set_header_suffix (self->accounts_group, adds);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->accounts_group);

  self->accounts_message = message_label ();
  adw_preferences_group_add (messages, GTK_WIDGET (self->accounts_message));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), messages);

  /* Packages: sides and empty weight, which SKUs can ask for. */
  {
    AdwPreferencesGroup *add = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
    GtkWidget *sides_row = adw_action_row_new ();
    GtkWidget *weight_row = adw_action_row_new ();
    GtkWidget *add_button = gtk_button_new_with_mnemonic (_("Add _Package"));
    static const char *side_names[3] = { N_("Length (mm)"), N_("Width (mm)"), N_("Height (mm)") };

    self->packages_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
    adw_preferences_group_set_title (self->packages_group, _("Packages"));
    adw_preferences_group_set_description (self->packages_group,
                                           _("Boxes and mailers you ship in. The rate selector offers them and adds "
                                             "their weight to the items'."));
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->packages_group);

    adw_preferences_group_set_title (add, _("Add a Package"));
    self->package_name = ADW_ENTRY_ROW (adw_entry_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->package_name), _("Name"));
    adw_preferences_group_add (add, GTK_WIDGET (self->package_name));
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (sides_row), _("Length × width × height (mm)"));
    for (guint i = 0; i < 3; i++)
      {
        self->package_sides[i] = gtk_spin_button_new_with_range (0, 3000, 1);
        gtk_widget_set_valign (self->package_sides[i], GTK_ALIGN_CENTER);
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->package_sides[i]), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        _(side_names[i]), -1);
        adw_action_row_add_suffix (ADW_ACTION_ROW (sides_row), self->package_sides[i]);
      }
    adw_preferences_group_add (add, sides_row);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (weight_row), _("Empty weight (g)"));
    self->package_weight = gtk_spin_button_new_with_range (0, 20000, 1);
    gtk_widget_set_valign (self->package_weight, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (weight_row), self->package_weight);
    adw_preferences_group_add (add, weight_row);
    gtk_widget_set_valign (add_button, GTK_ALIGN_CENTER);
    g_signal_connect_object (add_button, "clicked", G_CALLBACK (on_add_preset_cb), self, G_CONNECT_SWAPPED);
    adw_preferences_group_set_header_suffix (add, add_button);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), add);
  }

  /* Products: what one of a SKU weighs and the box it ships in. */
  {
    AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
    GtkWidget *weight_row = adw_action_row_new ();
    GtkWidget *package_row = adw_action_row_new ();
    GtkWidget *save_sku = gtk_button_new_with_mnemonic (_("Save _Product"));

    adw_preferences_group_set_title (group, _("Products"));
    adw_preferences_group_set_description (group,
                                           _("A SKU's own weight and package; they beat what the shop exports when "
                                             "the rate selector weighs an order."));
    self->sku_name = ADW_ENTRY_ROW (adw_entry_row_new ());
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->sku_name), _("SKU"));
    adw_preferences_group_add (group, GTK_WIDGET (self->sku_name));
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (weight_row), _("Weight of one (g)"));
    self->sku_weight = gtk_spin_button_new_with_range (0, 70000, 1);
    gtk_widget_set_valign (self->sku_weight, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (weight_row), self->sku_weight);
    adw_preferences_group_add (group, weight_row);
    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (package_row), _("Ships in"));
    self->sku_package = ps_choice_button_new (_("Package"));
    ps_choice_button_append (PS_CHOICE_BUTTON (self->sku_package), "0", _("No package"));
    ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->sku_package), "0");
    gtk_widget_set_valign (self->sku_package, GTK_ALIGN_CENTER);
    adw_action_row_add_suffix (ADW_ACTION_ROW (package_row), self->sku_package);
    self->sku_package_row = ADW_ACTION_ROW (package_row);
    adw_preferences_group_add (group, package_row);
    gtk_widget_set_valign (save_sku, GTK_ALIGN_CENTER);
    g_signal_connect_object (save_sku, "clicked", G_CALLBACK (on_save_sku_cb), self, G_CONNECT_SWAPPED);
    adw_preferences_group_set_header_suffix (group, save_sku);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
  }

  adw_preferences_group_set_title (easypost, _("Add an EasyPost Account"));
  adw_preferences_group_set_description (easypost,
                                         _("One EasyPost key reaches USPS, UPS, FedEx, DHL and more. The key is kept "
                                           "in your keyring. Test keys buy test labels."));
  self->easypost_name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->easypost_name), _("Account name"));
  gtk_editable_set_text (GTK_EDITABLE (self->easypost_name), "EasyPost");
  self->easypost_key = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->easypost_key), _("API key"));
  adw_preferences_group_add (easypost, GTK_WIDGET (self->easypost_name));
  adw_preferences_group_add (easypost, GTK_WIDGET (self->easypost_key));
  gtk_widget_set_valign (add_easypost, GTK_ALIGN_CENTER);
  g_signal_connect_object (add_easypost, "clicked", G_CALLBACK (on_add_easypost_cb), self, G_CONNECT_SWAPPED);
  adw_preferences_group_set_header_suffix (easypost, add_easypost);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), easypost);
}

/**
 * ps_shipping_preferences_new:
 * @service: the shipping service
 *
 * Returns: (transfer floating): the page, reading its data
 */
GtkWidget *
ps_shipping_preferences_new (PsShippingService *service)
{
  PsShippingPreferences *self;

  g_return_val_if_fail (PS_IS_SHIPPING_SERVICE (service), NULL);

  self = g_object_new (PS_TYPE_SHIPPING_PREFERENCES, NULL);
  self->service = g_object_ref (service);
  ps_shipping_service_get_ship_from_async (service, self->cancellable, ship_from_cb, g_object_ref (self));
  load_accounts (self);
  load_presets (self);
  return GTK_WIDGET (self);
}
