/* ps-filter-editor.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filter builder: a name, the nested conditions (PsConditionGroup)
 * and, at the bottom, how many orders match right now. The count follows
 * every edit after a short pause; each count cancels the one before it,
 * so a slow count for an old draft never overwrites a newer one. Saving
 * creates a filter (refusing a name that is taken) or, when editing,
 * renames and redefines it in place. "saved" is emitted with the filter
 * as stored, then the window closes.
 */

#define G_LOG_DOMAIN "ps-filter-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-condition-group.h"
#include "ps-filter-editor.h"
#include "ps-format.h"

/* How long typing may pause before the count runs. */
#define COUNT_DELAY_MS 200

struct _PsFilterEditor
{
  AdwWindow       parent_instance;

  PsContext      *context;
  PsSavedFilter  *filter;          /* the filter edited, or NULL for a new one */
  PsCondition    *start;           /* what a new filter starts from */
  GCancellable   *count_cancellable;
  GCancellable   *save_cancellable;
  GtkWidget      *group;           /* the top PsConditionGroup */
  guint           count_source;
  gboolean        valid;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  AdwEntryRow    *name_row;
  GtkBox         *conditions_box;
  GtkSpinner     *spinner;
  GtkLabel       *count_label;
};

G_DEFINE_FINAL_TYPE (PsFilterEditor, ps_filter_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* While a count is pending the label says so to assistive technology:
 * its number is about an older draft. */
static void
set_busy (PsFilterEditor *self,
          gboolean        busy)
{
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->count_label), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
}

static void
set_message (PsFilterEditor *self,
             const char     *text,
             gboolean        is_error)
{
  set_busy (self, FALSE);
  gtk_label_set_label (self->count_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "dim-label");
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "filter-count");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->count_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "filter-count");
    }
}

static const char *
current_name (PsFilterEditor *self,
              char          **owned)
{
  *owned = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  return *owned;
}

static void
update_save_sensitive (PsFilterEditor *self)
{
  g_autofree char *name = NULL;

  gtk_widget_set_sensitive (self->save_button, self->valid && *current_name (self, &name) != '\0');
}

/* Live count */

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsFilterEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;
  gint64 count;

  count = ps_order_store_count_finish (PS_ORDER_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer draft is being counted */

  gtk_spinner_stop (self->spinner);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot count the matching orders: %s"), error->message);
      set_message (self, message, TRUE);
      return;
    }

  number = ps_format_count (count);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s matching order", "%s matching orders", count),
                          number);
  set_message (self, text, FALSE);
}

static gboolean
count_now_cb (gpointer data)
{
  PsFilterEditor *self = data;
  g_autoptr(PsCondition) condition = NULL;
  g_autoptr(GError) error = NULL;

  self->count_source = 0;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  condition = ps_condition_group_build (PS_CONDITION_GROUP (self->group), &error);
  self->valid = condition != NULL;
  update_save_sensitive (self);
  if (condition == NULL)
    {
      /* Not an error yet: the merchant is still filling it in. */
      gtk_spinner_stop (self->spinner);
      set_message (self, error->message, FALSE);
      gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
      return G_SOURCE_REMOVE;
    }

  self->count_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  set_busy (self, TRUE);
  ps_order_store_count_async (ps_context_get_order_store (self->context), condition,
                              self->count_cancellable, count_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_conditions_changed_cb (PsFilterEditor *self)
{
  set_busy (self, TRUE);
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, count_now_cb, self);
}

static void
on_name_changed_cb (PsFilterEditor *self)
{
  update_save_sensitive (self);
}

/* Saving */

static void
saved (PsFilterEditor *self,
       PsSavedFilter  *filter,
       GError         *error)
{
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (filter == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_message (self, error->message, TRUE);
      return;
    }

  g_signal_emit (self, signals[SAVED], 0, filter);
  gtk_window_close (GTK_WINDOW (self));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PsFilterEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSavedFilter) filter = NULL;

  if (self->filter != NULL)
    filter = ps_filter_store_replace_finish (PS_FILTER_STORE (object), result, &error);
  else
    filter = ps_filter_store_save_finish (PS_FILTER_STORE (object), result, &error);
  saved (self, filter, error);
}

static void
name_free_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsFilterEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsSavedFilter) existing = NULL;
  g_autoptr(PsCondition) condition = NULL;
  g_autofree char *name = NULL;

  existing = ps_filter_store_get_finish (PS_FILTER_STORE (object), result, &error);
  if (existing != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("A filter named “%s” already exists; choose another name"),
                                                  existing->name);
      gtk_widget_set_sensitive (self->save_button, TRUE);
      set_message (self, message, TRUE);
      return;
    }
  if (!g_error_matches (error, PS_FILTER_ERROR, PS_FILTER_ERROR_NOT_FOUND))
    {
      saved (self, NULL, error);
      return;
    }

  condition = ps_condition_group_build (PS_CONDITION_GROUP (self->group), NULL);
  if (condition == NULL)
    {
      gtk_widget_set_sensitive (self->save_button, TRUE);
      return;
    }
  ps_filter_store_save_async (PS_FILTER_STORE (object), current_name (self, &name), condition,
                              self->save_cancellable, save_cb, g_object_ref (self));
}

static void
on_save_clicked_cb (PsFilterEditor *self)
{
  PsFilterStore *store = ps_context_get_filter_store (self->context);
  g_autoptr(PsCondition) condition = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (!gtk_widget_get_sensitive (self->save_button))
    return;
  condition = ps_condition_group_build (PS_CONDITION_GROUP (self->group), &error);
  if (condition == NULL)
    {
      set_message (self, error->message, TRUE);
      return;
    }

  gtk_widget_set_sensitive (self->save_button, FALSE);
  if (self->filter != NULL)
    ps_filter_store_replace_async (store, self->filter->name, current_name (self, &name), condition,
                                   self->save_cancellable, save_cb, g_object_ref (self));
  else
    /* Save would silently redefine a filter of that name: ask first. */
    ps_filter_store_get_async (store, current_name (self, &name), self->save_cancellable,
                               name_free_cb, g_object_ref (self));
}

/* GObject */

static void
setup (PsFilterEditor *self)
{
  g_autoptr(PsCondition) empty = NULL;
  PsCondition *condition;

  if (self->filter != NULL)
    {
      condition = self->filter->condition;
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Filter"));
      adw_window_title_set_title (self->window_title, _("Edit Filter"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), self->filter->name);
    }
  else
    condition = self->start;

  if (condition == NULL)
    condition = empty = ps_condition_new_group (PS_CONDITION_KIND_ALL, NULL, 0);

  self->group = ps_condition_group_new (condition, 0);
  /* A new filter starts with one condition to fill in. */
  if (ps_condition_group_get_n_items (PS_CONDITION_GROUP (self->group)) == 0)
    ps_condition_group_add_condition (PS_CONDITION_GROUP (self->group));
  g_signal_connect_object (self->group, "changed", G_CALLBACK (on_conditions_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (self->conditions_box, self->group);
  count_now_cb (self);
}

static void
ps_filter_editor_dispose (GObject *object)
{
  PsFilterEditor *self = (PsFilterEditor *)object;

  g_clear_handle_id (&self->count_source, g_source_remove);
  g_cancellable_cancel (self->count_cancellable);
  g_cancellable_cancel (self->save_cancellable);
  g_clear_object (&self->count_cancellable);
  g_clear_object (&self->save_cancellable);

  G_OBJECT_CLASS (ps_filter_editor_parent_class)->dispose (object);
}

static void
ps_filter_editor_finalize (GObject *object)
{
  PsFilterEditor *self = (PsFilterEditor *)object;

  g_clear_object (&self->context);
  g_clear_pointer (&self->filter, ps_saved_filter_free);
  g_clear_pointer (&self->start, ps_condition_unref);

  G_OBJECT_CLASS (ps_filter_editor_parent_class)->finalize (object);
}

static void
ps_filter_editor_class_init (PsFilterEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_filter_editor_dispose;
  object_class->finalize = ps_filter_editor_finalize;

  /**
   * PsFilterEditor::saved:
   * @self: the editor
   * @filter: the filter as stored
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                 PS_TYPE_SAVED_FILTER | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/Postsale/ui/ps-filter-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, conditions_box);
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, PsFilterEditor, count_label);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_name_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_filter_editor_init (PsFilterEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->save_cancellable = g_cancellable_new ();
}

/**
 * ps_filter_editor_new:
 * @parent: (nullable): the window it belongs to
 * @context: the open database
 * @filter: (nullable): the saved filter to edit, or %NULL for a new one
 * @start: (nullable): for a new filter, the conditions to start from
 *
 * Returns: (transfer full): a new editor, not yet shown
 */
PsFilterEditor *
ps_filter_editor_new (GtkWindow           *parent,
                      PsContext           *context,
                      const PsSavedFilter *filter,
                      PsCondition         *start)
{
  PsFilterEditor *self;

  g_return_val_if_fail (PS_IS_CONTEXT (context), NULL);

  self = g_object_new (PS_TYPE_FILTER_EDITOR,
                       "transient-for", parent,
                       NULL);
  self->context = g_object_ref (context);
  self->filter = filter != NULL ? ps_saved_filter_copy (filter) : NULL;
  self->start = start != NULL ? ps_condition_ref (start) : NULL;
  setup (self);
  return self;
}
