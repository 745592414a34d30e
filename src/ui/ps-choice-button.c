/* ps-choice-button.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Picks one value (a combo box) or several (a row of check buttons).
 *
 * Why GtkComboBoxText and not GtkDropDown: on GTK 4.8, the version this
 * app targets, GtkDropDown exposes neither its choices nor a way to pick
 * one to assistive technology (no AT-SPI Selection, and its popover is not
 * in the accessibility tree), so a screen reader user could not build a
 * filter. GtkComboBox implements AT-SPI Selection there. GtkComboBox is
 * deprecated from GTK 4.10; when Postsale moves past 4.8 this file is the
 * one place to switch, keeping the API below.
 *
 * Several values are check buttons in a flow box, for the same reason
 * (a popover with a list would be invisible to screen readers on 4.8).
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
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *combo;          /* single choice */
  GtkWidget *checks;         /* GtkFlowBox of GtkCheckButton, several */
  GPtrArray *ids;            /* char *, one per choice */
  gboolean   multiple;
  gboolean   syncing;
};

G_DEFINE_FINAL_TYPE (PsChoiceButton, ps_choice_button, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Screen readers (and the accessibility tests) read the chosen value as
 * the combo box's description. */
static void
update_description (PsChoiceButton *self)
{
  g_autofree char *text = gtk_combo_box_text_get_active_text (GTK_COMBO_BOX_TEXT (self->combo));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->combo), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text != NULL ? text : "", -1);
}

static void
on_changed_cb (PsChoiceButton *self)
{
  update_description (self);
  if (!self->syncing)
    g_signal_emit (self, signals[CHANGED], 0);
}

static GtkCheckButton *
check_at (PsChoiceButton *self,
          guint           index)
{
  GtkFlowBoxChild *child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->checks), index);

  return child != NULL ? GTK_CHECK_BUTTON (gtk_flow_box_child_get_child (child)) : NULL;
}

static void
ps_choice_button_dispose (GObject *object)
{
  PsChoiceButton *self = (PsChoiceButton *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_choice_button_parent_class)->dispose (object);
}

static void
ps_choice_button_finalize (GObject *object)
{
  PsChoiceButton *self = (PsChoiceButton *)object;

  g_clear_pointer (&self->ids, g_ptr_array_unref);

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
  self->ids = g_ptr_array_new_with_free_func (g_free);

  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->combo = gtk_combo_box_text_new ();
  gtk_widget_set_hexpand (self->combo, TRUE);
  g_signal_connect_object (self->combo, "changed", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->combo);

  self->checks = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->checks), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->checks), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->checks), 6);
  gtk_widget_set_hexpand (self->checks, TRUE);
  gtk_widget_set_visible (self->checks, FALSE);
  gtk_box_append (GTK_BOX (self->box), self->checks);
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
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->combo),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->checks),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
      gtk_widget_set_tooltip_text (self->combo, accessible_label);
    }
  return GTK_WIDGET (self);
}

/**
 * ps_choice_button_set_multiple:
 * @self: a #PsChoiceButton
 * @multiple: whether several choices may be picked
 *
 * Call before adding choices' selections; the choices stay.
 */
void
ps_choice_button_set_multiple (PsChoiceButton *self,
                               gboolean        multiple)
{
  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));

  self->multiple = !!multiple;
  gtk_widget_set_visible (self->combo, !self->multiple);
  gtk_widget_set_visible (self->checks, self->multiple);
}

/**
 * ps_choice_button_set_placeholder:
 * @self: a #PsChoiceButton
 * @placeholder: (nullable): a hint while nothing is chosen
 *
 * Shown as the tooltip (a combo box has no placeholder text).
 */
void
ps_choice_button_set_placeholder (PsChoiceButton *self,
                                  const char     *placeholder)
{
  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));

  if (placeholder != NULL)
    gtk_widget_set_tooltip_text (self->combo, placeholder);
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
  GtkWidget *check;

  g_return_if_fail (PS_IS_CHOICE_BUTTON (self));
  g_return_if_fail (id != NULL);
  g_return_if_fail (label != NULL);

  self->syncing = TRUE;
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->combo), id, label);
  self->syncing = FALSE;

  check = gtk_check_button_new_with_label (label);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_flow_box_append (GTK_FLOW_BOX (self->checks), check);

  g_ptr_array_add (self->ids, g_strdup (id));
}

/**
 * ps_choice_button_get_selected:
 * @self: a #PsChoiceButton
 *
 * Returns: (nullable): the id of the (first) chosen value
 */
const char *
ps_choice_button_get_selected (PsChoiceButton *self)
{
  g_return_val_if_fail (PS_IS_CHOICE_BUTTON (self), NULL);

  if (!self->multiple)
    return gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->combo));
  for (guint i = 0; i < self->ids->len; i++)
    if (gtk_check_button_get_active (check_at (self, i)))
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
  return id == NULL || g_strcmp0 (ps_choice_button_get_selected (self), id) == 0;
}

/**
 * ps_choice_button_get_selected_ids:
 * @self: a #PsChoiceButton
 *
 * Returns: (transfer full): the ids of the chosen values, in list order
 */
GStrv
ps_choice_button_get_selected_ids (PsChoiceButton *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PS_IS_CHOICE_BUTTON (self), NULL);

  if (!self->multiple)
    {
      const char *id = ps_choice_button_get_selected (self);

      if (id != NULL)
        g_strv_builder_add (builder, id);
    }
  else
    for (guint i = 0; i < self->ids->len; i++)
      if (gtk_check_button_get_active (check_at (self, i)))
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
  if (!self->multiple)
    {
      if (ids == NULL || ids[0] == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->combo), ids[0]))
        gtk_combo_box_set_active (GTK_COMBO_BOX (self->combo), -1);
      update_description (self);
    }
  else
    for (guint i = 0; i < self->ids->len; i++)
      gtk_check_button_set_active (check_at (self, i),
                                   ids != NULL && g_strv_contains (ids, g_ptr_array_index (self->ids, i)));
  self->syncing = FALSE;
}
