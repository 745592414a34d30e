/* ps-window-filters.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sidebar's saved filters: the list with live counts, choosing one to
 * show its orders, and managing them (new, edit, duplicate, delete with
 * Undo) through the filter builder and the store.
 */

#define G_LOG_DOMAIN "ps-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-filter-editor.h"
#include "ps-format.h"
#include "ps-window-private.h"

/* Saved filters in the sidebar */

/* Managing filters */

static int
find_filter_index (PsWindow   *self,
                   const char *name)
{
  for (guint i = 0; self->filters != NULL && i < self->filters->len; i++)
    if (g_ascii_strcasecmp (((PsSavedFilter *)g_ptr_array_index (self->filters, i))->name, name) == 0)
      return i;
  return -1;
}

static const PsSavedFilter *
find_filter (PsWindow   *self,
             const char *name)
{
  int index = find_filter_index (self, name);

  return index >= 0 ? g_ptr_array_index (self->filters, index) : NULL;
}

static void
append_item (GMenu      *menu,
             const char *label,
             const char *action,
             const char *name)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (name));
  g_menu_append_item (menu, item);
}

/* Built-in filters can only be duplicated. */
static GMenuModel *
filter_menu_new (const PsSavedFilter *filter)
{
  GMenu *menu = g_menu_new ();

  if (!filter->builtin)
    append_item (menu, _("_Edit…"), "win.edit-filter", filter->name);
  append_item (menu, _("D_uplicate"), "win.duplicate-filter", filter->name);
  if (!filter->builtin)
    append_item (menu, _("_Delete"), "win.delete-filter", filter->name);
  return G_MENU_MODEL (menu);
}

static void
update_filter_menu (PsWindow            *self,
                    const PsSavedFilter *filter)
{
  g_autoptr(GMenuModel) menu = filter != NULL ? filter_menu_new (filter) : NULL;

  gtk_menu_button_set_menu_model (self->filter_menu_button, menu);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_menu_button), filter != NULL);
}

static void
on_filter_saved_cb (PsWindow       *self,
                    PsSavedFilter  *filter,
                    PsFilterEditor *editor)
{
  /* The store's filters-changed reloads the list; select the filter then. */
  g_free (self->select_after_load);
  self->select_after_load = g_strdup (filter->name);
}

static void
open_editor_full (PsWindow            *self,
                  const PsSavedFilter *filter,
                  PsCondition         *start)
{
  PsFilterEditor *editor;

  if (self->context == NULL)
    return;
  editor = ps_filter_editor_new (GTK_WINDOW (self), self->context, filter, start);
  g_signal_connect_object (editor, "saved", G_CALLBACK (on_filter_saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
open_editor (PsWindow            *self,
             const PsSavedFilter *filter)
{
  open_editor_full (self, filter, NULL);
}

/* The orders a dashboard element opened, kept as a filter of one's own. */
static void
win_save_shown_condition_action (GSimpleAction *action,
                                 GVariant      *param,
                                 gpointer       user_data)
{
  PsWindow *self = user_data;

  if (self->shown_condition != NULL)
    open_editor_full (self, NULL, self->shown_condition);
}

static void
win_new_filter_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  open_editor (PS_WINDOW (user_data), NULL);
}

static void
win_edit_filter_action (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  PsWindow *self = user_data;
  const PsSavedFilter *filter = find_filter (self, g_variant_get_string (param, NULL));

  if (filter != NULL && !filter->builtin)
    open_editor (self, filter);
}

static void
duplicate_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSavedFilter) copy = NULL;
  g_autofree char *title = NULL;

  copy = ps_filter_store_duplicate_finish (PS_FILTER_STORE (object), result, &error);
  if (copy == NULL)
    {
      title = g_strdup_printf (_("Could not duplicate the filter: %s"), error->message);
      ps_window_show_toast (self, title);
      return;
    }
  g_free (self->select_after_load);
  self->select_after_load = g_strdup (copy->name);
  title = g_strdup_printf (_("Duplicated as “%s”"), copy->name);
  ps_window_show_toast (self, title);
}

static void
win_duplicate_filter_action (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  PsWindow *self = user_data;

  if (self->context == NULL)
    return;
  ps_filter_store_duplicate_async (ps_context_get_filter_store (self->context),
                                   g_variant_get_string (param, NULL), NULL,
                                   self->cancellable, duplicate_cb, g_object_ref (self));
}

typedef struct
{
  PsWindow      *self;
  PsSavedFilter *filter;
} DeleteData;

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DeleteData *data = user_data;
  g_autoptr(PsWindow) self = data->self;
  g_autoptr(PsSavedFilter) filter = data->filter;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_free (data);
  if (!ps_filter_store_delete_finish (PS_FILTER_STORE (object), result, &error))
    {
      title = g_strdup_printf (_("Could not delete the filter: %s"), error->message);
      ps_window_show_toast (self, title);
      return;
    }

  g_clear_pointer (&self->deleted_filter, ps_saved_filter_free);
  g_clear_pointer (&self->shown_condition, ps_condition_unref);
  self->deleted_filter = g_steal_pointer (&filter);
  title = g_strdup_printf (_("Deleted “%s”"), self->deleted_filter->name);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete-filter");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
win_delete_filter_action (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  PsWindow *self = user_data;
  const PsSavedFilter *filter = find_filter (self, g_variant_get_string (param, NULL));
  DeleteData *data;

  if (self->context == NULL || filter == NULL || filter->builtin)
    return;

  data = g_new0 (DeleteData, 1);
  data->self = g_object_ref (self);
  data->filter = ps_saved_filter_copy (filter);
  ps_filter_store_delete_async (ps_context_get_filter_store (self->context), filter->name,
                                self->cancellable, delete_cb, data);
}

static void
restore_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSavedFilter) filter = NULL;

  filter = ps_filter_store_restore_finish (PS_FILTER_STORE (object), result, &error);
  if (filter == NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Could not restore the filter: %s"), error->message);
      ps_window_show_toast (self, title);
      return;
    }
  g_free (self->select_after_load);
  self->select_after_load = g_strdup (filter->name);
}

static void
win_undo_delete_filter_action (GSimpleAction *action,
                               GVariant      *param,
                               gpointer       user_data)
{
  PsWindow *self = user_data;
  g_autoptr(PsSavedFilter) filter = g_steal_pointer (&self->deleted_filter);

  if (self->context == NULL || filter == NULL)
    return;
  ps_filter_store_restore_async (ps_context_get_filter_store (self->context), filter,
                                 self->cancellable, restore_cb, g_object_ref (self));
}

/* Right-click on a filter: its menu. */
static void
on_filters_pressed_cb (GtkGestureClick *gesture,
                       int              n_press,
                       double           x,
                       double           y,
                       PsWindow        *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_y (self->filters_list, (int) y);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  g_autoptr(GMenuModel) menu = NULL;

  if (index < 0 || self->filters == NULL || (guint)index >= self->filters->len)
    return;

  menu = filter_menu_new (g_ptr_array_index (self->filters, index));
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->filter_popover), menu);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->filter_popover),
                               &(GdkRectangle) { (int) x, (int) y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->filter_popover));
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static const GActionEntry filter_actions[] = {
  { "new-filter", win_new_filter_action },
  { "edit-filter", win_edit_filter_action, "s" },
  { "duplicate-filter", win_duplicate_filter_action, "s" },
  { "delete-filter", win_delete_filter_action, "s" },
  { "undo-delete-filter", win_undo_delete_filter_action },
  { "save-shown-condition", win_save_shown_condition_action },
};

/**
 * ps_window_init_filters:
 * @self: a #PsWindow
 *
 * Called once from ps_window_init(), after the template.
 */
void
ps_window_init_filters (PsWindow *self)
{
  GtkGesture *click;

  self->filter_counts = g_ptr_array_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), filter_actions,
                                   G_N_ELEMENTS (filter_actions), self);

  self->filter_popover = gtk_popover_menu_new_from_model (NULL);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->filter_popover), FALSE);
  gtk_widget_set_halign (self->filter_popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->filter_popover, GTK_WIDGET (self->filters_list));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_filters_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->filters_list), GTK_EVENT_CONTROLLER (click));
}

/**
 * ps_window_dispose_filters:
 * @self: a #PsWindow
 *
 * Called from the window's dispose.
 */
void
ps_window_dispose_filters (PsWindow *self)
{
  g_clear_handle_id (&self->counts_source, g_source_remove);
  if (self->counts_cancellable != NULL)
    g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  g_clear_pointer (&self->filter_popover, gtk_widget_unparent);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  g_clear_pointer (&self->filter_counts, g_ptr_array_unref);
  g_clear_pointer (&self->deleted_filter, ps_saved_filter_free);
  g_clear_pointer (&self->select_after_load, g_free);
}


static void
counts_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = NULL;

  counts = ps_order_store_count_many_finish (PS_ORDER_STORE (object), result, &error);
  if (counts == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot count the filters' orders: %s", error->message);
      return;
    }

  for (guint i = 0; i < counts->len && i < self->filter_counts->len; i++)
    {
      g_autofree char *text = ps_format_count (g_array_index (counts, gint64, i));
      gtk_label_set_label (g_ptr_array_index (self->filter_counts, i), text);
    }
}

static gboolean
refresh_counts_cb (gpointer data)
{
  PsWindow *self = data;
  g_autoptr(GPtrArray) conditions = g_ptr_array_new ();

  self->counts_source = 0;
  if (self->context == NULL || self->filters == NULL || self->filters->len == 0)
    return G_SOURCE_REMOVE;

  for (guint i = 0; i < self->filters->len; i++)
    g_ptr_array_add (conditions, ((PsSavedFilter *)g_ptr_array_index (self->filters, i))->condition);

  /* Latest wins: a burst of changes recounts once, with fresh numbers. */
  if (self->counts_cancellable != NULL)
    g_cancellable_cancel (self->counts_cancellable);
  g_clear_object (&self->counts_cancellable);
  self->counts_cancellable = g_cancellable_new ();
  ps_order_store_count_many_async (ps_context_get_order_store (self->context),
                                   (PsCondition * const *)conditions->pdata, conditions->len,
                                   self->counts_cancellable, counts_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

void
ps_window_queue_refresh_counts (PsWindow *self)
{
  /* Imports and bulk edits announce changes in bursts. */
  if (self->counts_source == 0)
    self->counts_source = g_timeout_add (250, refresh_counts_cb, self);
}

static void
filters_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) filters = NULL;
  g_autofree char *select = NULL;
  gboolean was_selected = FALSE;
  GtkListBoxRow *row;

  filters = ps_filter_store_list_finish (PS_FILTER_STORE (object), result, &error);
  if (filters == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the saved filters: %s", error->message);
      return;
    }

  /* Keep the shown filter selected across the reload, or select the one
   * just saved, duplicated or restored. */
  if (self->select_after_load == NULL)
    {
      GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->filters_list);
      int index = selected != NULL ? gtk_list_box_row_get_index (selected) : -1;

      if (index >= 0 && self->filters != NULL && (guint)index < self->filters->len)
        {
          select = g_strdup (((PsSavedFilter *)g_ptr_array_index (self->filters, index))->name);
          was_selected = TRUE;
        }
    }
  else
    select = g_steal_pointer (&self->select_after_load);

  self->syncing_sidebar = TRUE;
  /* Rows only: the context menu popover is a child of the list too. */
  while ((row = gtk_list_box_get_row_at_index (self->filters_list, 0)) != NULL)
    gtk_list_box_remove (self->filters_list, GTK_WIDGET (row));
  self->syncing_sidebar = FALSE;
  g_ptr_array_set_size (self->filter_counts, 0);
  g_clear_pointer (&self->filters, g_ptr_array_unref);
  self->filters = g_steal_pointer (&filters);

  for (guint i = 0; i < self->filters->len; i++)
    {
      const PsSavedFilter *filter = g_ptr_array_index (self->filters, i);
      GtkWidget *filter_row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      GtkWidget *name = gtk_label_new (filter->name);
      GtkWidget *count = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (name), 0);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (name, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), name);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (filter_row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (filter_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      filter->name, -1);
      gtk_list_box_append (self->filters_list, filter_row);
      g_ptr_array_add (self->filter_counts, count);
    }
  gtk_widget_set_visible (self->filters_heading, self->context != NULL);
  ps_window_queue_refresh_counts (self);

  if (select != NULL)
    {
      int index = find_filter_index (self, select);

      if (index >= 0)
        {
          /* The same filter again: its rows are already listed. */
          self->syncing_sidebar = was_selected;
          gtk_list_box_select_row (self->filters_list, gtk_list_box_get_row_at_index (self->filters_list, index));
          self->syncing_sidebar = FALSE;
          update_filter_menu (self, g_ptr_array_index (self->filters, index));
        }
      else if (was_selected)
        /* The filter shown is gone: show every order. */
        ps_window_show_page (self, "orders");
    }
}

void
ps_window_load_filters (PsWindow *self)
{
  if (self->context == NULL)
    return;
  ps_filter_store_list_async (ps_context_get_filter_store (self->context), self->cancellable,
                              filters_cb, g_object_ref (self));
}

void
ps_window_show_filter (PsWindow            *self,
                       const PsSavedFilter *filter)
{
  g_clear_pointer (&self->shown_condition, ps_condition_unref);
  update_filter_menu (self, filter);
  ps_orders_page_set_condition (self->orders_page, filter ? filter->condition : NULL);
  adw_window_title_set_subtitle (self->content_title, filter ? filter->name : NULL);
}

/*
 * ps_window_show_condition:
 * @condition: (nullable): the orders to list
 * @title: (nullable): what they are, shown under the page title
 *
 * The Orders page listing @condition with no saved filter selected: what
 * a dashboard tile, chart element or pattern opens.
 */
void
ps_window_show_condition (PsWindow    *self,
                          PsCondition *condition,
                          const char  *title)
{
  self->syncing_sidebar = TRUE;
  gtk_list_box_unselect_all (self->filters_list);
  self->syncing_sidebar = FALSE;
  update_filter_menu (self, NULL);
  g_clear_pointer (&self->shown_condition, ps_condition_unref);
  if (condition != NULL)
    {
      g_autoptr(GMenu) menu = g_menu_new ();

      self->shown_condition = ps_condition_ref (condition);
      g_menu_append (menu, _("_Save as Filter…"), "win.save-shown-condition");
      gtk_menu_button_set_menu_model (self->filter_menu_button, G_MENU_MODEL (menu));
      gtk_widget_set_visible (GTK_WIDGET (self->filter_menu_button), TRUE);
    }
  ps_window_show_page (self, "orders");
  ps_orders_page_set_condition (self->orders_page, condition);
  adw_window_title_set_subtitle (self->content_title, title);
}

void
ps_window_on_filters_row_selected_cb (PsWindow      *self,
                            GtkListBoxRow *row,
                            GtkListBox    *list)
{
  int index;

  if (row == NULL || self->syncing_sidebar || self->filters == NULL)
    return;
  index = gtk_list_box_row_get_index (row);
  if (index < 0 || (guint)index >= self->filters->len)
    return;

  /* One selection across both lists: a filter is a view of Orders. */
  self->syncing_sidebar = TRUE;
  gtk_list_box_unselect_all (self->sidebar);
  self->syncing_sidebar = FALSE;

  ps_window_show_filter (self, g_ptr_array_index (self->filters, index));
  gtk_stack_set_visible_child_name (self->stack, "orders");
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

void
ps_window_on_filters_row_activated_cb (PsWindow      *self,
                             GtkListBoxRow *row,
                             GtkListBox    *list)
{
  adw_leaflet_set_visible_child (self->leaflet, self->content_box);
}

