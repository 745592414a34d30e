/* ps-condition-group.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Match [all ▾] of the following" with its conditions and nested groups
 * below, and "Add Condition" / "Add Group" at the bottom. The top group
 * (depth 0) is the filter itself and cannot be removed; nested groups are
 * drawn as cards and have a remove button. Signal: "changed" on any edit
 * inside, "remove" when a nested group's remove button is clicked.
 *
 * A shipment group ({"shipment": …}, tests on one shipment) is shown as a
 * group headed "A shipment where [all ▾] of these hold" and built back
 * into one; a condition on a field that is not a shipment's makes the
 * build fail with the condition language's message naming the field.
 * A return group ({"return": …}) is shown the same way, "A return where
 * [all ▾] of these hold". The filter itself (depth 0) is checked as the
 * language parses it, so a return field outside a return group fails the
 * build with the language's message too.
 */

#define G_LOG_DOMAIN "ps-condition-group"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ps-choice-button.h"
#include "ps-condition-group.h"
#include "ps-condition-row.h"

struct _PsConditionGroup
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *match_button;
  GtkWidget *items;          /* GtkBox of PsConditionRow and PsConditionGroup */
  GtkWidget *add_group_button;
  guint      depth;
  gboolean   shipment;       /* a shipment group: built as {"shipment": …} */
  gboolean   ret;            /* a return group: built as {"return": …} */
};

G_DEFINE_FINAL_TYPE (PsConditionGroup, ps_condition_group, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (PsConditionGroup *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_item_remove_cb (PsConditionGroup *self,
                   GtkWidget        *item)
{
  gtk_box_remove (GTK_BOX (self->items), item);
  emit_changed (self);
}

static void
add_item (PsConditionGroup *self,
          GtkWidget        *item)
{
  g_signal_connect_object (item, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "remove", G_CALLBACK (on_item_remove_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->items), item);
}

/**
 * ps_condition_group_add_condition:
 * @self: a #PsConditionGroup
 *
 * Adds a new condition row at the end, as "Add Condition" does.
 */
void
ps_condition_group_add_condition (PsConditionGroup *self)
{
  GtkWidget *row = ps_condition_row_new (NULL);

  add_item (self, row);
  gtk_widget_grab_focus (row);
  emit_changed (self);
}

static void
on_add_group_cb (PsConditionGroup *self)
{
  g_autoptr(PsCondition) empty = ps_condition_new_group (PS_CONDITION_KIND_ANY, NULL, 0);
  GtkWidget *group = ps_condition_group_new (empty, self->depth + 1);

  /* A new group starts with one condition to fill in. */
  ps_condition_group_add_condition (PS_CONDITION_GROUP (group));
  add_item (self, group);
  emit_changed (self);
}

static void
on_remove_clicked_cb (PsConditionGroup *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

/**
 * ps_condition_group_build:
 * @self: a #PsConditionGroup
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the group the widgets show, or
 *   %NULL with the first row's error
 */
PsCondition *
ps_condition_group_build (PsConditionGroup  *self,
                          GError           **error)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_condition_unref);
  g_autoptr(PsCondition) group = NULL;
  const char *match;

  g_return_val_if_fail (PS_IS_CONDITION_GROUP (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (self->items);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PsCondition *condition;

      if (PS_IS_CONDITION_ROW (child))
        condition = ps_condition_row_build (PS_CONDITION_ROW (child), error);
      else
        condition = ps_condition_group_build (PS_CONDITION_GROUP (child), error);
      if (condition == NULL)
        return NULL;
      g_ptr_array_add (children, condition);
    }

  match = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->match_button));
  group = ps_condition_new_group (g_strcmp0 (match, "any") == 0 ? PS_CONDITION_KIND_ANY : PS_CONDITION_KIND_ALL,
                                  (PsCondition * const *)children->pdata, children->len);
  if (self->shipment)
    return ps_condition_new_shipment_group (group, error);
  if (self->ret)
    return ps_condition_new_return_group (group, error);
  if (self->depth == 0)
    {
      /* Where each field may stand is checked by the parser only. */
      g_autoptr(JsonNode) node = ps_condition_to_json (group);
      g_autoptr(PsCondition) parsed = ps_condition_from_json (node, error);

      if (parsed == NULL)
        return NULL;
    }
  return g_steal_pointer (&group);
}

/**
 * ps_condition_group_get_n_items:
 * @self: a #PsConditionGroup
 *
 * Returns: how many conditions and groups it holds directly
 */
guint
ps_condition_group_get_n_items (PsConditionGroup *self)
{
  guint n = 0;

  g_return_val_if_fail (PS_IS_CONDITION_GROUP (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (self->items);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

static void
ps_condition_group_dispose (GObject *object)
{
  PsConditionGroup *self = (PsConditionGroup *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_condition_group_parent_class)->dispose (object);
}

static void
ps_condition_group_class_init (PsConditionGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_condition_group_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conditiongroup");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_condition_group_init (PsConditionGroup *self)
{
}

static GtkWidget *
make_button (const char *label,
             const char *icon)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), label);
  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), icon);
  gtk_button_set_child (GTK_BUTTON (button), content);
  gtk_widget_add_css_class (button, "flat");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

/**
 * ps_condition_group_new:
 * @condition: a group (all/any) or a shipment group to edit, or a single
 *   condition, which is shown as a group of one
 * @depth: 0 for the filter itself, 1 and more for nested groups
 *
 * Returns: (transfer floating): a new group editor
 */
GtkWidget *
ps_condition_group_new (PsCondition *condition,
                        guint        depth)
{
  PsConditionGroup *self;
  GtkWidget *header;
  GtkWidget *footer;
  GtkWidget *button;
  PsConditionKind kind;

  g_return_val_if_fail (condition != NULL, NULL);

  self = g_object_new (PS_TYPE_CONDITION_GROUP, NULL);
  self->depth = depth;
  kind = ps_condition_get_kind (condition);
  if (kind == PS_CONDITION_KIND_SHIPMENT || kind == PS_CONDITION_KIND_RETURN)
    {
      /* Its one child is the all/any group the widgets show. */
      self->shipment = kind == PS_CONDITION_KIND_SHIPMENT;
      self->ret = kind == PS_CONDITION_KIND_RETURN;
      condition = ps_condition_get_child (condition, 0);
      kind = ps_condition_get_kind (condition);
    }

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  if (depth > 0)
    {
      gtk_widget_add_css_class (self->box, "card");
      gtk_widget_add_css_class (self->box, "condition-group");
    }

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  if (self->shipment)
    gtk_box_append (GTK_BOX (header), gtk_label_new (_("A shipment where")));
  else if (self->ret)
    gtk_box_append (GTK_BOX (header), gtk_label_new (_("A return where")));
  else
    gtk_box_append (GTK_BOX (header), gtk_label_new (depth == 0 ? _("Show orders that match") : _("Match")));
  self->match_button = ps_choice_button_new (_("Match"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->match_button), "all", _("all"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->match_button), "any", _("any"));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->match_button),
                                 kind == PS_CONDITION_KIND_ANY ? "any" : "all");
  g_signal_connect_object (self->match_button, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (header), self->match_button);
  gtk_box_append (GTK_BOX (header), gtk_label_new (self->shipment || self->ret ? _("of these hold")
                                                                  : _("of these conditions")));
  if (depth > 0)
    {
      GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

      gtk_widget_set_hexpand (spacer, TRUE);
      gtk_box_append (GTK_BOX (header), spacer);
      button = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove Group"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Remove Group"), -1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_clicked_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (header), button);
    }
  gtk_box_append (GTK_BOX (self->box), header);

  self->items = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_box_append (GTK_BOX (self->box), self->items);

  if (kind == PS_CONDITION_KIND_LEAF)
    add_item (self, ps_condition_row_new (condition));
  else
    for (guint i = 0; i < ps_condition_get_n_children (condition); i++)
      {
        PsCondition *child = ps_condition_get_child (condition, i);

        if (ps_condition_get_kind (child) == PS_CONDITION_KIND_LEAF)
          add_item (self, ps_condition_row_new (child));
        else
          add_item (self, ps_condition_group_new (child, depth + 1));
      }

  footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  button = make_button (_("Add Condition"), "list-add-symbolic");
  g_signal_connect_object (button, "clicked", G_CALLBACK (ps_condition_group_add_condition), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (footer), button);
  self->add_group_button = make_button (_("Add Group"), "list-add-symbolic");
  gtk_widget_set_visible (self->add_group_button, depth + 1 < PS_CONDITION_GROUP_MAX_DEPTH);
  g_signal_connect_object (self->add_group_button, "clicked", G_CALLBACK (on_add_group_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (footer), self->add_group_button);
  gtk_box_append (GTK_BOX (self->box), footer);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->shipment ? _("Shipment condition group")
                                  : self->ret ? _("Return condition group")
                                  : depth == 0 ? _("Conditions") : _("Condition group"), -1);
  return GTK_WIDGET (self);
}
