/* ps-event-condition-row.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "[To status ▾] [is ▾] [Exception ▾]  −": one of a rule's event
 * conditions (ps-rule.h, PsRuleEventCondition). From and to are order
 * statuses for order.status_changed and tracking statuses for
 * tracking.status_changed, so the values follow the rule's trigger.
 * "is one of" shows check buttons (PsChoiceButton's multiple mode).
 *
 * Signals: "changed" on every edit, "remove".
 */

#define G_LOG_DOMAIN "ps-event-condition-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-choice-button.h"
#include "ps-enum-types.h"
#include "ps-event-condition-row.h"
#include "ps-format.h"

struct _PsEventConditionRow
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkWidget        *field_button;
  GtkWidget        *op_button;
  GtkWidget        *value_box;
  GtkWidget        *value_button;
  PsEventType       trigger;
};

G_DEFINE_FINAL_TYPE (PsEventConditionRow, ps_event_condition_row, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
emit_changed (PsEventConditionRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static PsRuleEventField
current_field (PsEventConditionRow *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->field_button));

  if (g_strcmp0 (nick, "from") == 0)
    return PS_RULE_EVENT_FIELD_FROM;
  if (g_strcmp0 (nick, "reason") == 0)
    return PS_RULE_EVENT_FIELD_REASON;
  return PS_RULE_EVENT_FIELD_TO;
}

static PsConditionOp
current_op (PsEventConditionRow *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->op_button));
  PsConditionOp op = PS_CONDITION_OP_IS;

  if (nick != NULL)
    ps_condition_op_from_nick (nick, &op);
  return op;
}

/* Rebuilds the value chooser for the current field, operator and trigger,
 * keeping the chosen values that still exist. */
static void
rebuild_values (PsEventConditionRow *self,
                const char * const  *selected)
{
  g_auto(GStrv) keep = NULL;
  PsRuleEventField field = current_field (self);
  GtkWidget *button;

  if (selected == NULL && self->value_button != NULL)
    selected = (const char * const *) (keep = ps_choice_button_get_selected_ids (PS_CHOICE_BUTTON (self->value_button)));
  if (self->value_button != NULL)
    gtk_box_remove (GTK_BOX (self->value_box), self->value_button);

  button = ps_choice_button_new (_("Value"));
  ps_choice_button_set_multiple (PS_CHOICE_BUTTON (button), current_op (self) == PS_CONDITION_OP_IN);
  if (field == PS_RULE_EVENT_FIELD_REASON)
    for (PsExceptionReason r = PS_EXCEPTION_REASON_NONE; r <= PS_EXCEPTION_REASON_OTHER; r++)
      ps_choice_button_append (PS_CHOICE_BUTTON (button), ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, r),
                               r == PS_EXCEPTION_REASON_NONE ? _("No reason") : ps_format_exception_reason (r));
  else if (self->trigger == PS_EVENT_TYPE_ORDER_STATUS_CHANGED)
    for (PsOrderStatus s = PS_ORDER_STATUS_AWAITING_PAYMENT; s <= PS_ORDER_STATUS_RETURNED; s++)
      ps_choice_button_append (PS_CHOICE_BUTTON (button), ps_enum_to_nick (PS_TYPE_ORDER_STATUS, s),
                               ps_format_order_status (s));
  else
    for (PsTrackingStatus s = PS_TRACKING_STATUS_UNKNOWN; s <= PS_TRACKING_STATUS_CANCELLED; s++)
      ps_choice_button_append (PS_CHOICE_BUTTON (button), ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, s),
                               ps_format_tracking_status (s));
  ps_choice_button_set_selected_ids (PS_CHOICE_BUTTON (button), selected);
  g_signal_connect_object (button, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_box_append (GTK_BOX (self->value_box), button);
  self->value_button = button;
}

static void
on_field_changed_cb (PsEventConditionRow *self)
{
  rebuild_values (self, NULL);
  emit_changed (self);
}

static void
on_remove_clicked_cb (PsEventConditionRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

/**
 * ps_event_condition_row_set_trigger:
 * @self: a #PsEventConditionRow
 * @trigger: the rule's trigger
 *
 * Offers order statuses (order.status_changed) or tracking statuses.
 */
void
ps_event_condition_row_set_trigger (PsEventConditionRow *self,
                                    PsEventType          trigger)
{
  g_return_if_fail (PS_IS_EVENT_CONDITION_ROW (self));

  if (self->trigger == trigger)
    return;
  self->trigger = trigger;
  rebuild_values (self, NULL);
}

/**
 * ps_event_condition_row_build:
 * @self: a #PsEventConditionRow
 * @error: return location for a #PS_RULE_ERROR
 *
 * Returns: (transfer full) (nullable): the condition, or %NULL with an
 *   error when no value is chosen
 */
PsRuleEventCondition *
ps_event_condition_row_build (PsEventConditionRow  *self,
                              GError              **error)
{
  g_auto(GStrv) values = NULL;

  g_return_val_if_fail (PS_IS_EVENT_CONDITION_ROW (self), NULL);

  values = ps_choice_button_get_selected_ids (PS_CHOICE_BUTTON (self->value_button));
  if (values[0] == NULL)
    {
      static const char * const labels[] = { N_("From status"), N_("To status"), N_("Exception reason") };

      g_set_error (error, PS_RULE_ERROR, PS_RULE_ERROR_MISSING,
                   _("/event_conditions: choose a value for “%s”"), _(labels[current_field (self)]));
      return NULL;
    }
  return ps_rule_event_condition_new (current_field (self), current_op (self),
                                      (const char * const *) values, error);
}

static void
ps_event_condition_row_dispose (GObject *object)
{
  PsEventConditionRow *self = (PsEventConditionRow *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_event_condition_row_parent_class)->dispose (object);
}

static void
ps_event_condition_row_class_init (PsEventConditionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_event_condition_row_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "conditionrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_event_condition_row_init (PsEventConditionRow *self)
{
  GtkWidget *remove;

  self->trigger = PS_EVENT_TYPE_TRACKING_STATUS_CHANGED;
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->field_button = ps_choice_button_new (_("Event field"));
  gtk_widget_set_valign (self->field_button, GTK_ALIGN_START);
  ps_choice_button_append (PS_CHOICE_BUTTON (self->field_button), "from", _("From status"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->field_button), "to", _("To status"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->field_button), "reason", _("Exception reason"));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->field_button), "to");
  g_signal_connect_object (self->field_button, "changed", G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->field_button);

  self->op_button = ps_choice_button_new (_("Operator"));
  gtk_widget_set_valign (self->op_button, GTK_ALIGN_START);
  ps_choice_button_append (PS_CHOICE_BUTTON (self->op_button), ps_condition_op_to_nick (PS_CONDITION_OP_IS), _("is"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->op_button), ps_condition_op_to_nick (PS_CONDITION_OP_IS_NOT),
                           _("is not"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->op_button), ps_condition_op_to_nick (PS_CONDITION_OP_IN),
                           _("is one of"));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->op_button), ps_condition_op_to_nick (PS_CONDITION_OP_IS));
  g_signal_connect_object (self->op_button, "changed", G_CALLBACK (on_field_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->op_button);

  self->value_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (self->value_box, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->value_box);

  remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_set_valign (remove, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (remove, _("Remove Event Condition"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove Event Condition"), -1);
  g_signal_connect_object (remove, "clicked", G_CALLBACK (on_remove_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), remove);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Event condition"), -1);
}

/**
 * ps_event_condition_row_new:
 * @condition: (nullable): the condition to edit, or %NULL for "To status
 *   is …"
 * @trigger: the rule's trigger
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
ps_event_condition_row_new (const PsRuleEventCondition *condition,
                            PsEventType                 trigger)
{
  PsEventConditionRow *self = g_object_new (PS_TYPE_EVENT_CONDITION_ROW, NULL);
  static const char * const field_nicks[] = { "from", "to", "reason" };

  self->trigger = trigger;
  if (condition != NULL)
    {
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->field_button), field_nicks[condition->field]);
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->op_button), ps_condition_op_to_nick (condition->op));
    }
  rebuild_values (self, condition != NULL ? (const char * const *) condition->values : NULL);
  return GTK_WIDGET (self);
}
