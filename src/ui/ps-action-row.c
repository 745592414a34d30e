/* ps-action-row.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One action of a rule in the rule editor: "[Send email ▾] [template ▾]
 * [to …]  ↑ ↓ −". The settings to the right of the type are rebuilt when
 * the type (or, for Select service, the strategy) changes. Every control
 * has an accessible label, and reordering is two buttons, so the list can
 * be rearranged from the keyboard and by assistive technology alike.
 *
 * The row does not validate: ps_action_row_build() returns what the
 * widgets say (empty text as a missing member) and the editor runs the
 * rule through ps_rule_from_json(), whose errors name the member.
 *
 * Signals: "changed" on every edit, "remove", and "move" with -1 (up) or
 * +1 (down).
 */

#define G_LOG_DOMAIN "ps-action-row"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-action-row.h"
#include "ps-choice-button.h"
#include "ps-enum-types.h"
#include "ps-format.h"

struct _PsActionRow
{
  GtkWidget         parent_instance;

  GtkWidget        *box;
  GtkWidget        *type_button;
  GtkWidget        *settings;       /* rebuilt for each type */
  GtkWidget        *up_button;
  GtkWidget        *down_button;
  GtkWidget        *remove_button;
  GStrv             templates;
  PsRuleActionType  type;

  /* Settings widgets of the current type, NULL when it has none. */
  GtkWidget        *choice;         /* template, status, priority or strategy */
  GtkWidget        *entry;          /* address, tag, note or carrier */
  GtkWidget        *entry2;         /* send_email/notify message or service */
  GtkWidget        *spin;           /* days */
  GtkWidget        *strategy_box;   /* select_service: days or carrier/service */
};

G_DEFINE_FINAL_TYPE (PsActionRow, ps_action_row, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  REMOVE,
  MOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/**
 * ps_action_type_label:
 * @type: an action type
 *
 * Returns: the action type in words, translated
 */
const char *
ps_action_type_label (PsRuleActionType type)
{
  switch (type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:      return _("Send email");
    case PS_RULE_ACTION_NOTIFY:          return _("Notify");
    case PS_RULE_ACTION_SET_STATUS:      return _("Set status");
    case PS_RULE_ACTION_ADD_TAG:         return _("Add tag");
    case PS_RULE_ACTION_REMOVE_TAG:      return _("Remove tag");
    case PS_RULE_ACTION_SET_PRIORITY:    return _("Set priority");
    case PS_RULE_ACTION_HOLD_UNTIL:      return _("Hold");
    case PS_RULE_ACTION_ADD_NOTE:        return _("Add note");
    case PS_RULE_ACTION_SELECT_SERVICE:  return _("Select service");
    case PS_RULE_ACTION_STOP_PROCESSING: return _("Stop processing");
    default:                             return "";
    }
}

static void
emit_changed (PsActionRow *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
labelled (GtkWidget  *widget,
          const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static GtkWidget *
add_entry (PsActionRow *self,
           GtkWidget   *box,
           const char  *label,
           const char  *placeholder,
           const char  *text)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_widget_set_hexpand (entry, TRUE);
  gtk_widget_set_tooltip_text (entry, label);
  labelled (entry, label);
  if (text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_connect_object (entry, "changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static GtkWidget *
add_choice (PsActionRow *self,
            GtkWidget   *box,
            const char  *label,
            GCallback    on_changed)
{
  GtkWidget *button = ps_choice_button_new (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "changed", on_changed, self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static GtkWidget *
add_days (PsActionRow *self,
          GtkWidget   *box,
          int          days,
          const char  *unit)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (1, 365, 1);
  GtkWidget *label = gtk_label_new (unit);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), MAX (days, 1));
  labelled (spin, _("Days"));
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (emit_changed), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), spin);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (box), label);
  return spin;
}

static char *
entry_text (GtkWidget *entry)
{
  g_autofree char *text = NULL;

  if (entry == NULL)
    return NULL;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static void
build_strategy (PsActionRow        *self,
                const PsRuleAction *action)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->choice));
  PsServiceStrategy strategy = PS_SERVICE_STRATEGY_CHEAPEST;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->strategy_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->strategy_box), child);
  self->spin = self->entry = self->entry2 = NULL;

  if (nick != NULL)
    ps_service_strategy_from_nick (nick, &strategy);
  if (strategy == PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS)
    self->spin = add_days (self, self->strategy_box, action != NULL ? action->days : 3, _("days"));
  else if (strategy == PS_SERVICE_STRATEGY_FIXED)
    {
      self->entry = add_entry (self, self->strategy_box, _("Carrier"), _("Carrier (sandbox, easypost…)"),
                               action != NULL ? action->carrier : NULL);
      self->entry2 = add_entry (self, self->strategy_box, _("Service"), _("Service code"),
                                action != NULL ? action->service : NULL);
    }
}

static void
on_strategy_changed_cb (PsActionRow *self)
{
  build_strategy (self, NULL);
  emit_changed (self);
}

static void
build_settings (PsActionRow        *self,
                const PsRuleAction *action)
{
  GtkWidget *box = self->settings;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
  self->choice = self->entry = self->entry2 = self->spin = self->strategy_box = NULL;

  switch (self->type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:
      self->choice = add_choice (self, box, _("Template"), G_CALLBACK (emit_changed));
      for (guint i = 0; self->templates != NULL && self->templates[i] != NULL; i++)
        ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), self->templates[i], self->templates[i]);
      if (action != NULL && action->template_name != NULL &&
          !ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice), action->template_name))
        {
          /* A template deleted since: keep it visible so saving keeps it. */
          ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), action->template_name, action->template_name);
          ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice), action->template_name);
        }
      else if (action == NULL && self->templates != NULL && self->templates[0] != NULL)
        ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice), self->templates[0]);
      self->entry = add_entry (self, box, _("Send to"), _("The customer"),
                               action != NULL ? action->address : NULL);
      break;

    case PS_RULE_ACTION_NOTIFY:
      self->entry = add_entry (self, box, _("Notify address"), _("Who (email or name)"),
                               action != NULL ? action->address : NULL);
      self->entry2 = add_entry (self, box, _("Message"), _("Message (optional)"),
                                action != NULL ? action->text : NULL);
      break;

    case PS_RULE_ACTION_SET_STATUS:
      self->choice = add_choice (self, box, _("Status"), G_CALLBACK (emit_changed));
      for (PsOrderStatus s = PS_ORDER_STATUS_AWAITING_PAYMENT; s <= PS_ORDER_STATUS_RETURNED; s++)
        ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), ps_enum_to_nick (PS_TYPE_ORDER_STATUS, s),
                                 ps_format_order_status (s));
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice),
                                     ps_enum_to_nick (PS_TYPE_ORDER_STATUS,
                                                      action != NULL ? action->status : PS_ORDER_STATUS_ON_HOLD));
      break;

    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      self->entry = add_entry (self, box, _("Tag"), _("Tag"), action != NULL ? action->tag : NULL);
      break;

    case PS_RULE_ACTION_SET_PRIORITY:
      self->choice = add_choice (self, box, _("Priority"), G_CALLBACK (emit_changed));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "high", _("High"));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "normal", _("Normal"));
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice),
                                     action == NULL || action->high_priority ? "high" : "normal");
      break;

    case PS_RULE_ACTION_HOLD_UNTIL:
      if (action != NULL && action->date != NULL)
        /* A fixed date (from JSON): shown and kept as text. */
        self->entry = add_entry (self, box, _("Hold until date"), "2026-03-01", action->date);
      else
        self->spin = add_days (self, box, action != NULL ? action->days : 1, _("days from when it runs"));
      break;

    case PS_RULE_ACTION_ADD_NOTE:
      self->entry = add_entry (self, box, _("Note"), _("Note text"), action != NULL ? action->text : NULL);
      break;

    case PS_RULE_ACTION_SELECT_SERVICE:
      self->choice = add_choice (self, box, _("Strategy"), G_CALLBACK (on_strategy_changed_cb));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "cheapest", _("Cheapest"));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "fastest", _("Fastest"));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "cheapest_within_days",
                               _("Cheapest within N days"));
      ps_choice_button_append (PS_CHOICE_BUTTON (self->choice), "fixed", _("A fixed service"));
      ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->choice),
                                     ps_service_strategy_to_nick (action != NULL ? action->strategy
                                                                                 : PS_SERVICE_STRATEGY_CHEAPEST));
      self->strategy_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_hexpand (self->strategy_box, TRUE);
      gtk_box_append (GTK_BOX (box), self->strategy_box);
      build_strategy (self, action);
      break;

    case PS_RULE_ACTION_STOP_PROCESSING:
      {
        GtkWidget *label = gtk_label_new (_("No later action of this rule, and no later rule, runs for the event"));

        gtk_label_set_wrap (GTK_LABEL (label), TRUE);
        gtk_label_set_xalign (GTK_LABEL (label), 0);
        gtk_widget_add_css_class (label, "dim-label");
        gtk_box_append (GTK_BOX (box), label);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_type_changed_cb (PsActionRow *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->type_button));
  PsRuleActionType type;

  if (nick == NULL || !ps_rule_action_type_from_nick (nick, &type) || type == self->type)
    return;
  self->type = type;
  build_settings (self, NULL);
  emit_changed (self);
}

/**
 * ps_action_row_build:
 * @self: a #PsActionRow
 *
 * Returns: (transfer full): the action the widgets show; empty text is a
 *   missing member (ps_rule_from_json() will say which)
 */
PsRuleAction *
ps_action_row_build (PsActionRow *self)
{
  PsRuleAction *action;

  g_return_val_if_fail (PS_IS_ACTION_ROW (self), NULL);

  action = ps_rule_action_new (self->type);
  switch (self->type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:
      action->template_name = g_strdup (ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->choice)));
      action->address = entry_text (self->entry);
      break;
    case PS_RULE_ACTION_NOTIFY:
      action->address = entry_text (self->entry);
      action->text = entry_text (self->entry2);
      break;
    case PS_RULE_ACTION_SET_STATUS:
      {
        int value = 0;

        ps_enum_from_nick (PS_TYPE_ORDER_STATUS, ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->choice)),
                           &value);
        action->status = value;
      }
      break;
    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      action->tag = entry_text (self->entry);
      break;
    case PS_RULE_ACTION_SET_PRIORITY:
      action->high_priority = g_strcmp0 (ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->choice)), "high") == 0;
      break;
    case PS_RULE_ACTION_HOLD_UNTIL:
      if (self->spin != NULL)
        action->days = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spin));
      else
        action->date = entry_text (self->entry);
      break;
    case PS_RULE_ACTION_ADD_NOTE:
      action->text = entry_text (self->entry);
      break;
    case PS_RULE_ACTION_SELECT_SERVICE:
      ps_service_strategy_from_nick (ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->choice)),
                                     &action->strategy);
      if (self->spin != NULL)
        action->days = gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->spin));
      action->carrier = entry_text (self->entry);
      action->service = entry_text (self->entry2);
      break;
    case PS_RULE_ACTION_STOP_PROCESSING:
    default:
      break;
    }
  return action;
}

/**
 * ps_action_row_set_position:
 * @self: a #PsActionRow
 * @index: its place in the list, from 0
 * @n_actions: how many actions the list has
 *
 * Names the row "Action N" for assistive technology and enables the move
 * buttons that can move it.
 */
void
ps_action_row_set_position (PsActionRow *self,
                            guint        index,
                            guint        n_actions)
{
  g_autofree char *label = NULL;

  g_return_if_fail (PS_IS_ACTION_ROW (self));

  label = g_strdup_printf (_("Action %u"), index + 1);
  labelled (GTK_WIDGET (self), label);
  gtk_widget_set_sensitive (self->up_button, index > 0);
  gtk_widget_set_sensitive (self->down_button, index + 1 < n_actions);
}

static void
on_up_clicked_cb (PsActionRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, -1);
}

static void
on_down_clicked_cb (PsActionRow *self)
{
  g_signal_emit (self, signals[MOVE], 0, 1);
}

static void
on_remove_clicked_cb (PsActionRow *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static GtkWidget *
icon_button (PsActionRow *self,
             const char  *icon,
             const char  *label,
             GCallback    callback)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_START);
  gtk_widget_set_tooltip_text (button, label);
  labelled (button, label);
  g_signal_connect_object (button, "clicked", callback, self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), button);
  return button;
}

static void
ps_action_row_dispose (GObject *object)
{
  PsActionRow *self = (PsActionRow *)object;

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (ps_action_row_parent_class)->dispose (object);
}

static void
ps_action_row_finalize (GObject *object)
{
  PsActionRow *self = (PsActionRow *)object;

  g_clear_pointer (&self->templates, g_strfreev);

  G_OBJECT_CLASS (ps_action_row_parent_class)->finalize (object);
}

static void
ps_action_row_class_init (PsActionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_action_row_dispose;
  object_class->finalize = ps_action_row_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * PsActionRow::move:
   * @self: the row
   * @delta: -1 to move it up, +1 down
   */
  signals[MOVE] = g_signal_new ("move", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "actionrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ps_action_row_init (PsActionRow *self)
{
  self->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->type_button = ps_choice_button_new (_("Action type"));
  gtk_widget_set_size_request (self->type_button, 150, -1);
  gtk_widget_set_valign (self->type_button, GTK_ALIGN_START);
  for (PsRuleActionType t = 0; t <= PS_RULE_ACTION_LAST; t++)
    ps_choice_button_append (PS_CHOICE_BUTTON (self->type_button), ps_rule_action_type_to_nick (t),
                             ps_action_type_label (t));
  g_signal_connect_object (self->type_button, "changed", G_CALLBACK (on_type_changed_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), self->type_button);

  self->settings = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_hexpand (self->settings, TRUE);
  gtk_box_append (GTK_BOX (self->box), self->settings);

  self->up_button = icon_button (self, "go-up-symbolic", _("Move Up"), G_CALLBACK (on_up_clicked_cb));
  self->down_button = icon_button (self, "go-down-symbolic", _("Move Down"), G_CALLBACK (on_down_clicked_cb));
  self->remove_button = icon_button (self, "list-remove-symbolic", _("Remove Action"),
                                     G_CALLBACK (on_remove_clicked_cb));
  labelled (GTK_WIDGET (self), _("Action"));
}

/**
 * ps_action_row_new:
 * @action: (nullable): the action to edit, or %NULL for a new "Add tag"
 * @templates: (nullable) (array zero-terminated=1): the email template
 *   names to choose from
 *
 * Returns: (transfer floating): a new row
 */
GtkWidget *
ps_action_row_new (const PsRuleAction *action,
                   const char * const *templates)
{
  PsActionRow *self = g_object_new (PS_TYPE_ACTION_ROW, NULL);

  self->templates = g_strdupv ((GStrv) templates);
  self->type = action != NULL ? action->type : PS_RULE_ACTION_ADD_TAG;
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->type_button), ps_rule_action_type_to_nick (self->type));
  build_settings (self, action);
  return GTK_WIDGET (self);
}
