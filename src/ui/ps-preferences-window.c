/* ps-preferences-window.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences start small: where the data lives and how labels print.
 * Carrier accounts, ship-from addresses and mail settings join as their
 * features do.
 *
 * Label printing: every choice is bound to GSettings (PsLabelPrinter reads
 * the same keys). Choices are GtkComboBoxText, not GtkDropDown, which GTK
 * 4.8 does not expose to assistive technology (see ps-choice-button.c).
 * The printer list comes from CUPS on a worker thread; until it arrives
 * (or if CUPS is not running) the combo holds "Ask Every Time" and the
 * printer already chosen, so nothing is lost.
 */

#define G_LOG_DOMAIN "ps-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-cups.h"
#include "ps-preferences-window.h"

#define SCHEMA_ID "com.example.Postsale"

struct _PsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  char                 *db_path;
  GSettings            *settings;       /* (nullable) no schema installed */
  GCancellable         *cancellable;
  gboolean              filling;        /* the printer combo is being refilled */

  /* Template widgets */
  AdwActionRow         *database_row;
  AdwPreferencesGroup  *printing_group;
  AdwActionRow         *printer_row;
  GtkComboBoxText      *printer_combo;
  GtkComboBoxText      *format_combo;
  GtkComboBoxText      *dpi_combo;
  GtkComboBoxText      *paper_combo;
  GtkSpinButton        *offset_x_spin;
  GtkSpinButton        *offset_y_spin;
};

G_DEFINE_FINAL_TYPE (PsPreferencesWindow, ps_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
open_folder_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    g_warning ("Could not open the folder: %s", error->message);
}

static void
prefs_open_folder_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  PsPreferencesWindow *self = PS_PREFERENCES_WINDOW (widget);
  g_autofree char *dir = g_path_get_dirname (self->db_path);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autofree char *uri = g_file_get_uri (file);

  gtk_show_uri_full (GTK_WINDOW (self), uri, GDK_CURRENT_TIME, NULL, open_folder_cb, NULL);
}

/* Refills the printer combo: "Ask Every Time", then @printers (or, with
 * none known, nothing more), and the chosen printer if it is not among
 * them, so that the combo always shows the setting. */
static void
fill_printers (PsPreferencesWindow *self,
               GPtrArray           *printers)
{
  g_autofree char *chosen = g_settings_get_string (self->settings, "label-printer");
  gboolean chosen_listed = *chosen == '\0';

  self->filling = TRUE;
  gtk_combo_box_text_remove_all (self->printer_combo);
  gtk_combo_box_text_append (self->printer_combo, "", _("Ask Every Time"));
  for (guint i = 0; printers != NULL && i < printers->len; i++)
    {
      PsCupsPrinter *printer = g_ptr_array_index (printers, i);
      g_autofree char *text = NULL;

      if (printer->description != NULL && *printer->description != '\0' &&
          g_strcmp0 (printer->description, printer->name) != 0)
        text = g_strdup_printf ("%s (%s)", printer->description, printer->name);
      else
        text = g_strdup (printer->name);
      gtk_combo_box_text_append (self->printer_combo, printer->name, text);
      chosen_listed |= g_str_equal (printer->name, chosen);
    }
  if (!chosen_listed)
    {
      g_autofree char *text = NULL;

      /* Translators: a printer chosen earlier that CUPS does not list now */
      text = g_strdup_printf (printers != NULL ? _("%s (not found)") : "%s", chosen);
      gtk_combo_box_text_append (self->printer_combo, chosen, text);
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->printer_combo), chosen);
  self->filling = FALSE;
}

static void
printers_listed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PsPreferencesWindow *self;
  g_autoptr(GPtrArray) printers = NULL;
  g_autoptr(GError) error = NULL;

  printers = ps_cups_list_printers_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = PS_PREFERENCES_WINDOW (user_data);

  if (printers == NULL)
    adw_action_row_set_subtitle (self->printer_row, error->message);
  else if (printers->len == 0)
    adw_action_row_set_subtitle (self->printer_row,
                                 _("No printers are set up; add one in the system's Settings"));
  else
    adw_action_row_set_subtitle (self->printer_row, "");
  fill_printers (self, printers);
}

static void
printer_changed_cb (PsPreferencesWindow *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->printer_combo));

  if (!self->filling && id != NULL)
    g_settings_set_string (self->settings, "label-printer", id);
}

static gboolean
dpi_get_mapping (GValue   *value,
                 GVariant *variant,
                 gpointer  user_data)
{
  g_value_take_string (value, g_strdup_printf ("%d", g_variant_get_int32 (variant)));
  return TRUE;
}

static GVariant *
dpi_set_mapping (const GValue       *value,
                 const GVariantType *expected_type,
                 gpointer            user_data)
{
  const char *id = g_value_get_string (value);

  return id != NULL ? g_variant_new_int32 (atoi (id)) : NULL;
}

static void
setup_printing (PsPreferencesWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "label-paper"))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->printing_group), FALSE);
      return;
    }
  self->settings = g_settings_new_full (schema, NULL, NULL);

  g_settings_bind (self->settings, "label-format", self->format_combo, "active-id",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "label-dpi", self->dpi_combo, "active-id",
                                G_SETTINGS_BIND_DEFAULT, dpi_get_mapping, dpi_set_mapping,
                                NULL, NULL);
  g_settings_bind (self->settings, "label-paper", self->paper_combo, "active-id",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "label-offset-x-mm", self->offset_x_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "label-offset-y-mm", self->offset_y_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);

  fill_printers (self, NULL);
  g_signal_connect_swapped (self->printer_combo, "changed", G_CALLBACK (printer_changed_cb),
                            self);
  adw_action_row_set_subtitle (self->printer_row, _("Looking for printers…"));
  self->cancellable = g_cancellable_new ();
  ps_cups_list_printers_async (self->cancellable, printers_listed_cb, self);
}

static void
ps_preferences_window_dispose (GObject *object)
{
  PsPreferencesWindow *self = (PsPreferencesWindow *)object;

  /* Before the widgets go: the listing's callback must not run. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (object), PS_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (ps_preferences_window_parent_class)->dispose (object);
}

static void
ps_preferences_window_finalize (GObject *object)
{
  PsPreferencesWindow *self = (PsPreferencesWindow *)object;

  g_clear_pointer (&self->db_path, g_free);

  G_OBJECT_CLASS (ps_preferences_window_parent_class)->finalize (object);
}

static void
ps_preferences_window_class_init (PsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_preferences_window_dispose;
  object_class->finalize = ps_preferences_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE_PATH "/ui/ps-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, printing_group);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, printer_row);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, printer_combo);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, format_combo);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, dpi_combo);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, paper_combo);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, offset_x_spin);
  gtk_widget_class_bind_template_child (widget_class, PsPreferencesWindow, offset_y_spin);
  gtk_widget_class_install_action (widget_class, "prefs.open-folder", NULL,
                                   prefs_open_folder_action);
}

static void
ps_preferences_window_init (PsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_printing (self);
}

/**
 * ps_preferences_window_new:
 * @parent: (nullable): the transient parent
 * @db_path: the database file in use
 *
 * Returns: (transfer full): a new preferences window
 */
PsPreferencesWindow *
ps_preferences_window_new (GtkWindow  *parent,
                           const char *db_path)
{
  PsPreferencesWindow *self;

  g_return_val_if_fail (db_path != NULL, NULL);

  self = g_object_new (PS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "modal", parent != NULL,
                       NULL);
  self->db_path = g_strdup (db_path);
  adw_action_row_set_subtitle (self->database_row, db_path);
  return self;
}
