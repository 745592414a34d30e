/* ps-choice-button.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A menu button whose popover lists choices in a GtkListBox. Chosen over
 * GtkDropDown for two reasons: a list box can select several rows (the
 * filter builder's "is one of"), and GTK 4.8 exposes a list box's
 * selection through AT-SPI, so screen readers and the accessibility tests
 * can pick a value by its name. The button shows the chosen labels.
 *
 * Signals: "changed" when the user changes the choice (not when the
 * program sets it).
 */

#define G_LOG_DOMAIN "ps-choice-button"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-choice-button.h"

struct _PsChoiceButton
{
  GtkWidget   parent_instance;

  GtkWidget  *menu_button;
  GtkWidget  *label;
  GtkListBox *list;
  GPtrArray  *ids;            /* char *, one per row */
  GPtrArray  *labels;         /* char *, one per row */
  char       *placeholder;
  gboolean    multiple;
  gboolean    syncing;
};

G_DEFINE_FINAL_TYPE (PsChoiceButton, ps_choice_button, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_label (PsChoiceButton *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->ids->len; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, i);

      if (!gtk_list_box_row_is_selected (row))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, g_ptr_array_index (self->labels, i));
    }

  if (text->len == 0)
    {
      gtk_label_set_label (GTK_LABEL (self->label), self->placeholder ? self->placeholder : _("Choose…"));
      gtk_widget_add_css_class (self->label, "dim-label");
    }
  else
    {
      gtk_label_set_label (GTK_LABEL (self->label), text->str);
      gtk_widget_remove_css_class (self->label, "dim-label");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (GTK_LABEL (self->label)), -1);
}

static void
on_selection_changed_cb (PsChoiceButton *self,
                         GtkListBox     *list)
{
  if (self->syncing)
    return;

  update_label (self);
  if (!self->multiple)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->menu_button));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_row_activated_cb (PsChoiceButton *self,
                     GtkListBoxRow  *row,
                     GtkListBox     *list)
{
  /* Choosing the row that is already chosen still closes the list. */
  if (!self->multiple)
    gtk_menu_button_popdown (GTK_MENU_BUTTON (self->menu_button));
}

static void
ps_choice_button_dispose (GObject *object)
{
  PsChoiceButton *self = (PsChoiceButton *)object;

  g_clear_pointer (&self->menu_button, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_choice_button_parent_class)->dispose (object);
}

static void
ps_choice_button_finalize (GObject *object)
{
  PsChoiceButton *self = (PsChoiceButton *)object;

  g_clear_pointer (&self->ids, g_ptr_array_unref);
  g_clear_pointer (&self->labels, g_ptr_array_unref);
  g_clear_pointer (&self->placeholder, g_free);

  G_OBJECT_CLASS (ps_choice_button_parent_class)->finalize (object);
}

static void
ps_choice_button_class_init (PsChoiceButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_choice_button_dispose;
  object_class->finalize = ps_choice_button_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "choicebutton");
}

static void
ps_choice_button_init (PsChoiceButton *self)
{
  GtkWidget *box;
  GtkWidget *popover;
  GtkWidget *scroller;

  self->ids = g_ptr_array_new_with_free_func (g_free);
  self->labels = g_ptr_array_new_with_free_func (g_free);

  self->label = gtk_label_new (NULL);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_widget_set_hexpand (self->label, TRUE);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), self->label);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("pan-down-symbolic"));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  g_signal_connect_object (self->list, "selected-rows-changed",
                           G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "row-activated",
                           G_CALLBACK (on_row_activated_cb), self, G_CONNECT_SWAPPED);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->list));

  popover = gtk_popover_new ();
  gtk_widget_add_css_class (popover, "menu");
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);

  self->menu_button = gtk_menu_button_new ();
  gtk_menu_button_set_child (GTK_MENU_BUTTON (self->menu_button), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->menu_button), popover);
  gtk_widget_set_parent (self->menu_button, GTK_WIDGET (self));

  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  update_label (self);
}

/**
 * ps_choice_button_new:
 * @accessible_label: what a screen reader calls it ("Field", "Operator")
 *
 * Returns: (transfer floating): a new choice button without choices
 */
GtkWidget *
ps_choice_button_new (const char *accessible_label)
{
  PsChoiceButton *self = g_object_new (PS_TYPE_CHOICE_BUTTON, NULL);

  if (accessible_label != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
      gtk_widget_set_tooltip_text (self->menu_button, accessible_label);
    }
  return GTK_WIDGET (self);
}

/**
 * ps_choice_button_set_multiple:
 * @self: a #PsChoiceButton
 * @multiple: whether several choices may be picked
 *
 * With @multiple, the list stays open while rows are toggled.
 */
void
ps_choice_button_set_multiple (PsChoiceButton *self,
                               gboolean        multiple)
{
  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));

  self->multiple = !!multiple;
  self->syncing = TRUE;
  gtk_list_box_set_selection_mode (self->list, multiple ? GTK_SELECTION_MULTIPLE : GTK_SELECTION_SINGLE);
  self->syncing = FALSE;
  update_label (self);
}

/**
 * ps_choice_button_set_placeholder:
 * @self: a #PsChoiceButton
 * @placeholder: (nullable): what the button says while nothing is chosen
 */
void
ps_choice_button_set_placeholder (PsChoiceButton *self,
                                  const char     *placeholder)
{
  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));

  g_free (self->placeholder);
  self->placeholder = g_strdup (placeholder);
  update_label (self);
}

/**
 * ps_choice_button_append:
 * @self: a #PsChoiceButton
 * @id: what the program knows the choice as
 * @label: what the user reads
 */
void
ps_choice_button_append (PsChoiceButton *self,
                         const char     *id,
                         const char     *label)
{
  GtkWidget *row;
  GtkWidget *text;

  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (label != NULL);

  text = gtk_label_new (label);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_list_box_append (self->list, row);

  g_ptr_array_add (self->ids, g_strdup (id));
  g_ptr_array_add (self->labels, g_strdup (label));
}

static int
index_of (PsChoiceButton *self,
          const char     *id)
{
  for (guint i = 0; i < self->ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->ids, i), id) == 0)
      return i;
  return -1;
}

/**
 * ps_choice_button_get_selected:
 * @self: a #PsChoiceButton
 *
 * Returns: (nullable): the id of the (first) chosen row
 */
const char *
ps_choice_button_get_selected (PsChoiceButton *self)
{
  g_return_val_if_fail (PS_IS_CHOICE_BUTTON (self), NULL);

  for (guint i = 0; i < self->ids->len; i++)
    if (gtk_list_box_row_is_selected (gtk_list_box_get_row_at_index (self->list, i)))
      return g_ptr_array_index (self->ids, i);
  return NULL;
}

/**
 * ps_choice_button_set_selected:
 * @self: a #PsChoiceButton
 * @id: (nullable): the choice, or %NULL for none
 *
 * Does not emit #PsChoiceButton::changed.
 *
 * Returns: whether @id is one of the choices
 */
gboolean
ps_choice_button_set_selected (PsChoiceButton *self,
                               const char     *id)
{
  const char *ids[] = { id, NULL };

  g_return_val_if_fail (PS_IS_CHOICE_BUTTON (self), FALSE);

  ps_choice_button_set_selected_ids (self, id != NULL ? ids : NULL);
  return id == NULL || index_of (self, id) >= 0;
}

/**
 * ps_choice_button_get_selected_ids:
 * @self: a #PsChoiceButton
 *
 * Returns: (transfer full): the ids of the chosen rows, in list order
 */
GStrv
ps_choice_button_get_selected_ids (PsChoiceButton *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PS_IS_CHOICE_BUTTON (self), NULL);

  for (guint i = 0; i < self->ids->len; i++)
    if (gtk_list_box_row_is_selected (gtk_list_box_get_row_at_index (self->list, i)))
      g_strv_builder_add (builder, g_ptr_array_index (self->ids, i));
  return g_strv_builder_end (builder);
}

/**
 * ps_choice_button_set_selected_ids:
 * @self: a #PsChoiceButton
 * @ids: (nullable) (array zero-terminated=1): the choices; ids that are
 *   not choices are ignored
 *
 * Does not emit #PsChoiceButton::changed.
 */
void
ps_choice_button_set_selected_ids (PsChoiceButton     *self,
                                   const char * const *ids)
{
  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));

  self->syncing = TRUE;
  gtk_list_box_unselect_all (self->list);
  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      int index = index_of (self, ids[i]);

      if (index >= 0)
        gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
      if (!self->multiple)
        break;
    }
  self->syncing = FALSE;
  update_label (self);
}
