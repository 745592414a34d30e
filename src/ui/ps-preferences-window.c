/* ps-preferences-window.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences start small: where the data lives. Carrier accounts, ship-from
 * addresses, the label printer and mail settings join as their features do.
 */

#define G_LOG_DOMAIN "ps-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-preferences-window.h"

struct _PsPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  char                 *db_path;

  /* Template widgets */
  AdwActionRow         *database_row;
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

static void
ps_preferences_window_dispose (GObject *object)
{
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
  gtk_widget_class_install_action (widget_class, "prefs.open-folder", NULL,
                                   prefs_open_folder_action);
}

static void
ps_preferences_window_init (PsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
