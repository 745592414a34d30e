/* ps-rule-editor.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule editor: a name, the trigger, the event conditions (from, to,
 * reason; PsEventConditionRow), the order conditions with the filters'
 * builder (PsConditionGroup), and the ordered actions (PsActionRow, moved
 * with buttons). At the bottom, how often the draft would have fired in
 * the last 30 days: a dry run after every pause in editing, each one
 * cancelling the one before (as the filter editor's live count does), the
 * label marked busy meanwhile. "Dry Run…" opens the full replay.
 *
 * The widgets do not validate: the draft goes through ps_rule_to_json()
 * and ps_rule_from_json(), whose error names the member; the editor turns
 * the JSON Pointer into words ("Action 2: …"). Saving stores the rule
 * (keeping its id, enabled state and place) and emits "saved" with its id.
 */

#define G_LOG_DOMAIN "ps-rule-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-action-row.h"
#include "ps-choice-button.h"
#include "ps-condition-group.h"
#include "ps-dry-run-dialog.h"
#include "ps-enum-types.h"
#include "ps-event-condition-row.h"
#include "ps-format.h"
#include "ps-rule-editor.h"
#include "ps-time.h"

/* How long editing may pause before the live dry run starts. */
#define COUNT_DELAY_MS 300
/* The live count looks this far back. */
#define COUNT_DAYS 30

struct _PsRuleEditor
{
  AdwWindow            parent_instance;

  PsContext           *context;
  PsAutomationService *automation;
  PsOutboxService     *outbox;
  PsRule              *rule;            /* the rule edited (a copy), or NULL */
  GStrv                templates;
  GCancellable        *cancellable;     /* templates, saving */
  GCancellable        *count_cancellable;
  GtkWidget           *trigger_button;
  GtkWidget           *group;           /* the top PsConditionGroup */
  guint                count_source;
  gboolean             ready;
  gboolean             counting;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  GtkWidget           *save_button;
  AdwEntryRow         *name_row;
  AdwActionRow        *trigger_row;
  GtkWidget           *event_group;
  GtkWidget           *add_event_button;
  GtkBox              *event_box;
  GtkBox              *conditions_box;
  GtkWidget           *add_action_button;
  GtkBox              *actions_box;
  GtkSpinner          *spinner;
  GtkLabel            *fires_label;
  GtkWidget           *dry_run_button;
};

G_DEFINE_FINAL_TYPE (PsRuleEditor, ps_rule_editor, ADW_TYPE_WINDOW)

enum {
  SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Words */

/**
 * ps_rule_trigger_label:
 * @trigger: an event type
 *
 * Returns: the trigger in words ("Tracking status changes")
 */
const char *
ps_rule_trigger_label (PsEventType trigger)
{
  switch (trigger)
    {
    case PS_EVENT_TYPE_ORDER_IMPORTED:          return _("An order is imported");
    case PS_EVENT_TYPE_ORDER_UPDATED:           return _("An order is updated");
    case PS_EVENT_TYPE_ORDER_STATUS_CHANGED:    return _("An order’s status changes");
    case PS_EVENT_TYPE_LABEL_CREATED:           return _("A label is created");
    case PS_EVENT_TYPE_LABEL_VOIDED:            return _("A label is voided");
    case PS_EVENT_TYPE_TRACKING_STATUS_CHANGED: return _("Tracking status changes");
    case PS_EVENT_TYPE_SHIPMENT_DELIVERED:      return _("A shipment is delivered");
    case PS_EVENT_TYPE_RETURN_REQUESTED:        return _("A return is requested");
    case PS_EVENT_TYPE_RETURN_RECEIVED:         return _("A return is received");
    case PS_EVENT_TYPE_NOTE_ADDED:              return _("A note is added");
    case PS_EVENT_TYPE_TIME:                    return _("Time passes (checked every few minutes)");
    default:                                    return ps_enum_to_nick (PS_TYPE_EVENT_TYPE, trigger);
    }
}

/**
 * ps_rule_describe_action:
 * @action: an action
 *
 * Returns: (transfer full): the action and its settings in words
 */
char *
ps_rule_describe_action (const PsRuleAction *action)
{
  const char *type = ps_action_type_label (action->type);

  switch (action->type)
    {
    case PS_RULE_ACTION_SEND_EMAIL:
      return g_strdup_printf (_("%s “%s” to %s"), type, action->template_name,
                              action->address != NULL ? action->address : _("the customer"));
    case PS_RULE_ACTION_NOTIFY:
      return g_strdup_printf ("%s %s", type, action->address);
    case PS_RULE_ACTION_SET_STATUS:
      return g_strdup_printf ("%s: %s", type, ps_format_order_status (action->status));
    case PS_RULE_ACTION_ADD_TAG:
    case PS_RULE_ACTION_REMOVE_TAG:
      return g_strdup_printf ("%s “%s”", type, action->tag);
    case PS_RULE_ACTION_SET_PRIORITY:
      return g_strdup_printf ("%s: %s", type, action->high_priority ? _("high") : _("normal"));
    case PS_RULE_ACTION_HOLD_UNTIL:
      if (action->date != NULL)
        return g_strdup_printf (_("Hold until %s"), action->date);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Hold for %d day", "Hold for %d days", action->days),
                              action->days);
    case PS_RULE_ACTION_ADD_NOTE:
      return g_strdup_printf ("%s “%s”", type, action->text);
    case PS_RULE_ACTION_SELECT_SERVICE:
      switch (action->strategy)
        {
        case PS_SERVICE_STRATEGY_FASTEST:
          return g_strdup (_("Select the fastest service"));
        case PS_SERVICE_STRATEGY_CHEAPEST_WITHIN_DAYS:
          return g_strdup_printf (_("Select the cheapest service delivering within %d days"), action->days);
        case PS_SERVICE_STRATEGY_FIXED:
          return g_strdup_printf (_("Select %s %s"), action->carrier, action->service);
        case PS_SERVICE_STRATEGY_CHEAPEST:
        default:
          return g_strdup (_("Select the cheapest service"));
        }
    case PS_RULE_ACTION_STOP_PROCESSING:
    default:
      return g_strdup (type);
    }
}

/**
 * ps_rule_describe_error:
 * @error: a #PS_RULE_ERROR whose message starts with a JSON Pointer
 *
 * Returns: (transfer full): the message with the pointer in words:
 *   "/actions/1: “tag” is missing" becomes "Action 2: “tag” is missing"
 */
char *
ps_rule_describe_error (const GError *error)
{
  const char *message = error->message;
  const char *colon = strstr (message, ": ");
  g_auto(GStrv) parts = NULL;
  const char *rest;

  if (message[0] != '/' || colon == NULL)
    return g_strdup (message);
  rest = colon + 2;
  {
    g_autofree char *pointer = g_strndup (message + 1, colon - message - 1);
    parts = g_strsplit (pointer, "/", -1);
  }

  if (g_strcmp0 (parts[0], "name") == 0)
    return g_strdup_printf (_("Name: %s"), rest);
  if (g_strcmp0 (parts[0], "trigger") == 0)
    return g_strdup_printf (_("When: %s"), rest);
  if (g_strcmp0 (parts[0], "condition") == 0)
    return g_strdup_printf (_("Only when: %s"), rest);
  if (g_strcmp0 (parts[0], "actions") == 0 && parts[1] != NULL)
    return g_strdup_printf (_("Action %d: %s"), atoi (parts[1]) + 1, rest);
  if (g_strcmp0 (parts[0], "actions") == 0)
    return g_strdup_printf (_("Actions: %s"), rest);
  if (g_strcmp0 (parts[0], "event_conditions") == 0 && parts[1] != NULL)
    return g_strdup_printf (_("Event condition %d: %s"), atoi (parts[1]) + 1, rest);
  if (g_strcmp0 (parts[0], "event_conditions") == 0)
    return g_strdup_printf (_("Event conditions: %s"), rest);
  return g_strdup (message);
}

static char *
json_value_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("");
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

/**
 * ps_rule_describe_reasons:
 * @reasons: (nullable): the "reasons" of a proposal or run: condition
 *   leaves that held ({"field", "op", "value"})
 *
 * Returns: (transfer full): the conditions in one line ("to is
 *   exception, channel is shopify"), or "" for none
 */
char *
ps_rule_describe_reasons (JsonArray *reasons)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; reasons != NULL && i < json_array_get_length (reasons); i++)
    {
      JsonNode *node = json_array_get_element (reasons, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      g_autofree char *op = NULL;
      g_autofree char *value = NULL;

      if (object == NULL)
        continue;
      op = g_strdup (json_object_get_string_member_with_default (object, "op", ""));
      g_strdelimit (op, "_", ' ');
      value = json_value_text (json_object_get_member (object, "value"));
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append_printf (text, "%s %s %s",
                              json_object_get_string_member_with_default (object, "field", "?"), op, value);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * ps_rule_describe_actions:
 * @actions: (nullable): actions as JSON, bare ({"type", …}) or as the
 *   activity log has them ({"action": {…}, "result", "error"})
 *
 * Returns: (transfer full): the actions in words, one per line, with the
 *   result and error of logged ones
 */
char *
ps_rule_describe_actions (JsonArray *actions)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; actions != NULL && i < json_array_get_length (actions); i++)
    {
      JsonNode *node = json_array_get_element (actions, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *action_node = node;
      g_autoptr(PsRuleAction) action = NULL;
      g_autofree char *words = NULL;

      if (object == NULL)
        continue;
      if (json_object_has_member (object, "action"))
        action_node = json_object_get_member (object, "action");
      action = ps_rule_action_from_json (action_node, NULL);
      words = action != NULL ? ps_rule_describe_action (action) : json_to_string (action_node, FALSE);
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, words);
      if (json_object_has_member (object, "result"))
        {
          const char *error = json_object_get_string_member_with_default (object, "error", NULL);

          g_string_append_printf (text, " — %s", json_object_get_string_member_with_default (object, "result", ""));
          if (error != NULL)
            g_string_append_printf (text, ": %s", error);
        }
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* State */

static void
set_busy (PsRuleEditor *self,
          gboolean      busy)
{
  self->counting = busy;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->fires_label), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
}

static void
set_message (PsRuleEditor *self,
             const char   *text,
             gboolean      is_error,
             gboolean      dim)
{
  set_busy (self, FALSE);
  gtk_spinner_stop (self->spinner);
  gtk_label_set_label (self->fires_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->fires_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->fires_label), "error");
  if (dim)
    gtk_widget_add_css_class (GTK_WIDGET (self->fires_label), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->fires_label), "dim-label");
}

static PsEventType
current_trigger (PsRuleEditor *self)
{
  const char *nick = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->trigger_button));
  int value = PS_EVENT_TYPE_TRACKING_STATUS_CHANGED;

  if (nick != NULL)
    ps_enum_from_nick (PS_TYPE_EVENT_TYPE, nick, &value);
  return value;
}

static void
renumber_actions (PsRuleEditor *self)
{
  guint n = 0, i = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    ps_action_row_set_position (PS_ACTION_ROW (child), i++, n);
}

/**
 * ps_rule_editor_build:
 * @self: a #PsRuleEditor
 * @error: return location for a #PS_RULE_ERROR naming the member
 *
 * Returns: (transfer full) (nullable): the rule the widgets show, checked
 *   as ps_rule_from_json() checks a stored rule, or %NULL with an error
 */
PsRule *
ps_rule_editor_build (PsRuleEditor  *self,
                      GError       **error)
{
  g_autoptr(PsRule) draft = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *name = NULL;
  PsRule *rule;
  PsEventType trigger = current_trigger (self);
  guint i = 0;

  g_return_val_if_fail (PS_IS_RULE_EDITOR (self), NULL);

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  draft = ps_rule_new (name, trigger);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->event_box));
       child != NULL; child = gtk_widget_get_next_sibling (child), i++)
    {
      g_autoptr(GError) local_error = NULL;
      PsRuleEventCondition *condition = ps_event_condition_row_build (PS_EVENT_CONDITION_ROW (child),
                                                                      &local_error);

      if (condition == NULL)
        {
          g_set_error (error, PS_RULE_ERROR, local_error->code, _("/event_conditions/%u: %s"), i,
                       local_error->message[0] == '/' ? strstr (local_error->message, ": ") + 2
                                                      : local_error->message);
          return NULL;
        }
      ps_rule_add_event_condition (draft, condition);
    }

  if (ps_condition_group_get_n_items (PS_CONDITION_GROUP (self->group)) > 0)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PsCondition) condition = ps_condition_group_build (PS_CONDITION_GROUP (self->group),
                                                                   &local_error);

      if (condition == NULL)
        {
          g_set_error (error, PS_RULE_ERROR, PS_RULE_ERROR_CONDITION, "/condition: %s", local_error->message);
          return NULL;
        }
      ps_rule_set_condition (draft, condition);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->actions_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    ps_rule_add_action (draft, ps_action_row_build (PS_ACTION_ROW (child)));

  if (self->rule != NULL && trigger == PS_EVENT_TYPE_TIME)
    ps_rule_set_repeat_after_days (draft, ps_rule_get_repeat_after_days (self->rule));

  /* The stored form's checks, with their member names. */
  json = ps_rule_to_json (draft);
  rule = ps_rule_from_json (json, error);
  if (rule == NULL)
    return NULL;
  if (self->rule != NULL)
    {
      ps_rule_set_id (rule, ps_rule_get_id (self->rule));
      ps_rule_set_enabled (rule, ps_rule_get_enabled (self->rule));
      ps_rule_set_position (rule, ps_rule_get_position (self->rule));
    }
  return rule;
}

/* The live dry run */

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsRuleEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDryRun) dry_run = NULL;
  g_autofree char *text = NULL;
  guint fires;

  dry_run = ps_automation_service_dry_run_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;   /* a newer draft is being replayed */
  if (dry_run == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot replay the history: %s"), error->message);
      set_message (self, message, TRUE, FALSE);
      return;
    }

  fires = dry_run->fires->len;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Would have fired %u time in the last %d days (%u orders)",
                                       "Would have fired %u times in the last %d days (%u orders)", fires),
                          fires, COUNT_DAYS, dry_run->order_ids->len);
  set_message (self, text, FALSE, FALSE);
}

static gboolean
count_now_cb (gpointer data)
{
  PsRuleEditor *self = data;
  g_autoptr(PsRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  self->count_source = 0;
  g_cancellable_cancel (self->count_cancellable);
  g_clear_object (&self->count_cancellable);

  rule = ps_rule_editor_build (self, &error);
  if (rule == NULL)
    {
      /* Not an error yet: the merchant is still filling it in. */
      g_autofree char *message = ps_rule_describe_error (error);
      set_message (self, message, FALSE, TRUE);
      return G_SOURCE_REMOVE;
    }

  self->count_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  set_busy (self, TRUE);
  ps_automation_service_dry_run_async (self->automation, rule, ps_time_now () - COUNT_DAYS * 86400,
                                       self->count_cancellable, count_cb, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_changed_cb (PsRuleEditor *self)
{
  if (!self->ready)
    return;
  set_busy (self, TRUE);
  g_clear_handle_id (&self->count_source, g_source_remove);
  self->count_source = g_timeout_add (COUNT_DELAY_MS, count_now_cb, self);
}

/* Event conditions */

static void
on_event_remove_cb (PsRuleEditor *self,
                    GtkWidget    *row)
{
  gtk_box_remove (self->event_box, row);
  on_changed_cb (self);
}

static void
add_event_row (PsRuleEditor               *self,
               const PsRuleEventCondition *condition)
{
  GtkWidget *row = ps_event_condition_row_new (condition, current_trigger (self));

  g_signal_connect_object (row, "changed", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_event_remove_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->event_box, row);
}

static void
on_add_event_clicked_cb (PsRuleEditor *self)
{
  add_event_row (self, NULL);
  gtk_widget_grab_focus (gtk_widget_get_last_child (GTK_WIDGET (self->event_box)));
  on_changed_cb (self);
}

static void
on_trigger_changed_cb (PsRuleEditor *self)
{
  PsEventType trigger = current_trigger (self);
  gboolean has_fields = trigger == PS_EVENT_TYPE_ORDER_STATUS_CHANGED ||
                        trigger == PS_EVENT_TYPE_TRACKING_STATUS_CHANGED;

  gtk_widget_set_sensitive (self->add_event_button, has_fields);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->event_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    ps_event_condition_row_set_trigger (PS_EVENT_CONDITION_ROW (child), trigger);
  on_changed_cb (self);
}

/* Actions */

static void
on_action_remove_cb (PsRuleEditor *self,
                     GtkWidget    *row)
{
  GtkWidget *focus = gtk_widget_get_next_sibling (row);

  if (focus == NULL)
    focus = gtk_widget_get_prev_sibling (row);
  gtk_box_remove (self->actions_box, row);
  renumber_actions (self);
  gtk_widget_grab_focus (focus != NULL ? focus : self->add_action_button);
  on_changed_cb (self);
}

static void
on_action_move_cb (PsRuleEditor *self,
                   int           delta,
                   GtkWidget    *row)
{
  GtkWidget *prev = gtk_widget_get_prev_sibling (row);
  GtkWidget *next = gtk_widget_get_next_sibling (row);

  if (delta < 0 && prev != NULL)
    gtk_box_reorder_child_after (self->actions_box, row, gtk_widget_get_prev_sibling (prev));
  else if (delta > 0 && next != NULL)
    gtk_box_reorder_child_after (self->actions_box, row, next);
  else
    return;
  renumber_actions (self);
  on_changed_cb (self);
}

/**
 * ps_rule_editor_add_action:
 * @self: a #PsRuleEditor
 * @action: (nullable): the action to start from, or %NULL for "Add tag"
 *
 * Appends an action row, as "Add Action" does.
 */
void
ps_rule_editor_add_action (PsRuleEditor       *self,
                           const PsRuleAction *action)
{
  GtkWidget *row;

  g_return_if_fail (PS_IS_RULE_EDITOR (self));

  row = ps_action_row_new (action, (const char * const *) self->templates);
  g_signal_connect_object (row, "changed", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "remove", G_CALLBACK (on_action_remove_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "move", G_CALLBACK (on_action_move_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->actions_box, row);
  renumber_actions (self);
  on_changed_cb (self);
}

static void
on_add_action_clicked_cb (PsRuleEditor *self)
{
  ps_rule_editor_add_action (self, NULL);
  gtk_widget_grab_focus (gtk_widget_get_last_child (GTK_WIDGET (self->actions_box)));
}

/* Dry run and saving */

static void
on_dry_run_clicked_cb (PsRuleEditor *self)
{
  g_autoptr(PsRule) rule = NULL;
  g_autoptr(GError) error = NULL;
  PsDryRunDialog *dialog;

  rule = ps_rule_editor_build (self, &error);
  if (rule == NULL)
    {
      g_autofree char *message = ps_rule_describe_error (error);
      set_message (self, message, TRUE, FALSE);
      return;
    }
  dialog = ps_dry_run_dialog_new (GTK_WINDOW (self), self->context, self->automation, rule);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PsRuleEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = ps_automation_service_save_rule_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  gtk_widget_set_sensitive (self->save_button, TRUE);
  if (id == 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = ps_rule_describe_error (error);
          g_autofree char *text = g_strdup_printf (_("Cannot save the rule: %s"), message);
          set_message (self, text, TRUE, FALSE);
        }
      return;
    }
  g_signal_emit (self, signals[SAVED], 0, id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
on_save_clicked_cb (PsRuleEditor *self)
{
  g_autoptr(PsRule) rule = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->ready || !gtk_widget_get_sensitive (self->save_button))
    return;
  rule = ps_rule_editor_build (self, &error);
  if (rule == NULL)
    {
      g_autofree char *message = ps_rule_describe_error (error);
      set_message (self, message, TRUE, FALSE);
      return;
    }
  gtk_widget_set_sensitive (self->save_button, FALSE);
  ps_automation_service_save_rule_async (self->automation, rule, self->cancellable, save_cb,
                                         g_object_ref (self));
}

/* Setting up */

static void
fill (PsRuleEditor *self)
{
  g_autoptr(PsCondition) empty = NULL;
  PsCondition *condition = NULL;

  if (self->rule != NULL)
    {
      for (guint i = 0; i < ps_rule_get_n_event_conditions (self->rule); i++)
        add_event_row (self, ps_rule_get_event_condition (self->rule, i));
      condition = ps_rule_get_condition (self->rule);
    }
  if (condition == NULL || ps_condition_get_kind (condition) == PS_CONDITION_KIND_LEAF)
    {
      /* The builder edits a group at its top; a lone leaf goes inside one. */
      PsCondition *children[1] = { condition };

      condition = empty = ps_condition_new_group (PS_CONDITION_KIND_ALL, children, condition != NULL ? 1 : 0);
    }
  self->group = ps_condition_group_new (condition, 0);
  g_signal_connect_object (self->group, "changed", G_CALLBACK (on_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (self->conditions_box, self->group);

  if (self->rule != NULL)
    for (guint i = 0; i < ps_rule_get_n_actions (self->rule); i++)
      ps_rule_editor_add_action (self, ps_rule_get_action (self->rule, i));
  else
    ps_rule_editor_add_action (self, NULL);

  gtk_widget_set_sensitive (self->add_action_button, TRUE);
  self->ready = TRUE;
  count_now_cb (self);
}

static void
templates_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsRuleEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) templates = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  templates = ps_outbox_service_list_templates_finish (PS_OUTBOX_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (templates == NULL)
    g_warning ("Cannot list the email templates: %s", error->message);
  for (guint i = 0; templates != NULL && i < templates->len; i++)
    g_strv_builder_add (builder, ((PsMessageTemplate *) g_ptr_array_index (templates, i))->name);
  self->templates = g_strv_builder_end (builder);
  fill (self);
}

static void
setup (PsRuleEditor *self)
{
  PsEventType trigger = self->rule != NULL ? ps_rule_get_trigger (self->rule)
                                           : PS_EVENT_TYPE_TRACKING_STATUS_CHANGED;

  self->trigger_button = ps_choice_button_new (_("Trigger"));
  gtk_widget_set_valign (self->trigger_button, GTK_ALIGN_CENTER);
  for (PsEventType t = PS_EVENT_TYPE_ORDER_IMPORTED; t <= PS_EVENT_TYPE_TIME; t++)
    ps_choice_button_append (PS_CHOICE_BUTTON (self->trigger_button), ps_enum_to_nick (PS_TYPE_EVENT_TYPE, t),
                             ps_rule_trigger_label (t));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->trigger_button), ps_enum_to_nick (PS_TYPE_EVENT_TYPE, trigger));
  g_signal_connect_object (self->trigger_button, "changed", G_CALLBACK (on_trigger_changed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->trigger_row, self->trigger_button);
  gtk_widget_set_sensitive (self->add_event_button,
                            trigger == PS_EVENT_TYPE_ORDER_STATUS_CHANGED ||
                            trigger == PS_EVENT_TYPE_TRACKING_STATUS_CHANGED);

  if (self->rule != NULL)
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Edit Rule"));
      adw_window_title_set_title (self->window_title, _("Edit Rule"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), ps_rule_get_name (self->rule));
    }

  set_message (self, _("Loading the email templates…"), FALSE, TRUE);
  if (self->outbox != NULL)
    ps_outbox_service_list_templates_async (self->outbox, self->cancellable, templates_cb, g_object_ref (self));
  else
    fill (self);
}

/**
 * ps_rule_editor_get_ready:
 * @self: a #PsRuleEditor
 *
 * Returns: whether the editor has its email templates and shows the rule
 */
gboolean
ps_rule_editor_get_ready (PsRuleEditor *self)
{
  g_return_val_if_fail (PS_IS_RULE_EDITOR (self), FALSE);
  return self->ready;
}

/**
 * ps_rule_editor_get_counting:
 * @self: a #PsRuleEditor
 *
 * Returns: whether the live dry run is pending or running
 */
gboolean
ps_rule_editor_get_counting (PsRuleEditor *self)
{
  g_return_val_if_fail (PS_IS_RULE_EDITOR (self), FALSE);
  return self->counting || self->count_source != 0;
}

/**
 * ps_rule_editor_get_message:
 * @self: a #PsRuleEditor
 *
 * Returns: the text at the bottom (the live count or the first problem)
 */
const char *
ps_rule_editor_get_message (PsRuleEditor *self)
{
  g_return_val_if_fail (PS_IS_RULE_EDITOR (self), NULL);
  return gtk_label_get_label (self->fires_label);
}

static void
ps_rule_editor_dispose (GObject *object)
{
  PsRuleEditor *self = (PsRuleEditor *)object;

  g_clear_handle_id (&self->count_source, g_source_remove);
  g_cancellable_cancel (self->count_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->count_cancellable);

  G_OBJECT_CLASS (ps_rule_editor_parent_class)->dispose (object);
}

static void
ps_rule_editor_finalize (GObject *object)
{
  PsRuleEditor *self = (PsRuleEditor *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->automation);
  g_clear_object (&self->outbox);
  g_clear_pointer (&self->rule, ps_rule_unref);
  g_clear_pointer (&self->templates, g_strfreev);

  G_OBJECT_CLASS (ps_rule_editor_parent_class)->finalize (object);
}

static void
ps_rule_editor_class_init (PsRuleEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_rule_editor_dispose;
  object_class->finalize = ps_rule_editor_finalize;

  /**
   * PsRuleEditor::saved:
   * @self: the editor
   * @id: the rule's id
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/Postsale/ui/ps-rule-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, trigger_row);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, event_group);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, add_event_button);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, event_box);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, conditions_box);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, add_action_button);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, actions_box);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, spinner);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, fires_label);
  gtk_widget_class_bind_template_child (widget_class, PsRuleEditor, dry_run_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_event_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_add_action_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_dry_run_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_rule_editor_init (PsRuleEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * ps_rule_editor_new:
 * @parent: (nullable): the window it belongs to
 * @context: (nullable): the open database (order numbers in dry runs)
 * @automation: the automation service
 * @outbox: (nullable): the outbox service (the email templates)
 * @rule: (nullable): the rule to edit, or %NULL for a new one
 *
 * Returns: (transfer full): a new editor, not yet shown
 */
PsRuleEditor *
ps_rule_editor_new (GtkWindow           *parent,
                    PsContext           *context,
                    PsAutomationService *automation,
                    PsOutboxService     *outbox,
                    PsRule              *rule)
{
  PsRuleEditor *self;

  g_return_val_if_fail (PS_IS_AUTOMATION_SERVICE (automation), NULL);

  self = g_object_new (PS_TYPE_RULE_EDITOR, "transient-for", parent, NULL);
  self->context = context != NULL ? g_object_ref (context) : NULL;
  self->automation = g_object_ref (automation);
  self->outbox = outbox != NULL ? g_object_ref (outbox) : NULL;
  self->rule = rule != NULL ? ps_rule_copy (rule) : NULL;
  setup (self);
  return self;
}
