/* ps-automations-page.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Automations page: three views under a view switcher.
 *
 * - Rules, in evaluation order: name, trigger in words, last fired and
 *   fires in the last 7 days, an "Enabled" switch, and a menu (Edit…, Dry
 *   Run…, Move Up, Move Down, Delete) that the keyboard reaches like any
 *   button. Deleting hides the row behind an Undo toast and deletes when
 *   the toast goes away, so Undo is exact. "New Rule…" and "Add from
 *   Template" (the seed examples, switched off) above the list.
 * - Activity: the log of runs, newest first, filtered by rule; each run
 *   expands to the conditions that held and the actions done or failed
 *   and why.
 * - Outbox: queued, sent, failed and cancelled messages with Send Now and
 *   Cancel; reloaded on PsOutboxService::outbox-changed. When SMTP is not
 *   set up the view says so.
 *
 * The page also turns PsAutomationService::notification (a rule's notify
 * action) into a desktop notification through the GApplication.
 *
 * Everything is loaded through the services' async calls; one cancellable
 * per page, cancelled in dispose.
 */

#define G_LOG_DOMAIN "ps-automations-page"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-automations-page.h"
#include "ps-choice-button.h"
#include "ps-dry-run-dialog.h"
#include "ps-enum-types.h"
#include "ps-format.h"
#include "ps-rule-editor.h"
#include "ps-time.h"

/* Runs and messages shown; the CLI lists more. */
#define LIST_LIMIT 200

struct _PsAutomationsPage
{
  AdwBin               parent_instance;

  PsContext           *context;
  PsAutomationService *automation;
  PsOutboxService     *outbox;
  GCancellable        *cancellable;
  GPtrArray           *rules;          /* PsRuleRow, evaluation order */
  GtkWidget           *rule_filter;    /* PsChoiceButton in activity_bar */
  guint                pending;        /* loads in flight */

  /* Template widgets */
  AdwToastOverlay     *toast_overlay;
  AdwViewStack        *stack;
  GtkWidget           *new_button;
  GtkWidget           *templates_button;
  GtkListBox          *rules_list;
  GtkWidget           *rules_empty;
  GtkBox              *activity_bar;
  GtkListBox          *runs_list;
  GtkWidget           *runs_empty;
  GtkWidget           *smtp_label;
  GtkListBox          *messages_list;
  AdwStatusPage       *messages_empty;
};

G_DEFINE_FINAL_TYPE (PsAutomationsPage, ps_automations_page, ADW_TYPE_BIN)

static void reload_rules (PsAutomationsPage *self);
static void reload_runs (PsAutomationsPage *self);
static void reload_outbox (PsAutomationsPage *self);

/* Helpers */

typedef struct
{
  PsAutomationsPage *page;   /* unowned: rows die with the page */
  gint64             id;
  char              *name;
  int                position;
  GtkWidget         *row;
} RuleRowData;

static void
rule_row_data_free (RuleRowData *data)
{
  g_free (data->name);
  g_free (data);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
toast (PsAutomationsPage *self,
       const char        *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
report_error (PsAutomationsPage *self,
              const char        *what,
              const GError      *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  text = g_strdup_printf ("%s: %s", what, error->message);
  toast (self, text);
}

static GtkWindow *
parent_window (PsAutomationsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
begin_load (PsAutomationsPage *self)
{
  self->pending++;
}

static void
end_load (PsAutomationsPage *self)
{
  g_assert (self->pending > 0);
  self->pending--;
}

/* Rule operations */

static void
saved_cb (PsAutomationsPage *self,
          gint64             id)
{
  reload_rules (self);
}

static void
open_editor (PsAutomationsPage *self,
             PsRule            *rule)
{
  PsRuleEditor *editor = ps_rule_editor_new (parent_window (self), self->context, self->automation,
                                             self->outbox, rule);

  g_signal_connect_object (editor, "saved", G_CALLBACK (saved_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_new_clicked_cb (PsAutomationsPage *self)
{
  if (self->automation != NULL)
    open_editor (self, NULL);
}

typedef enum
{
  GET_FOR_EDIT,
  GET_FOR_DRY_RUN,
} GetPurpose;

typedef struct
{
  PsAutomationsPage *page;   /* owned */
  GetPurpose         purpose;
} GetRule;

static void
get_rule_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autofree GetRule *get = user_data;
  g_autoptr(PsAutomationsPage) self = get->page;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsRule) rule = NULL;

  end_load (self);
  rule = ps_automation_service_get_rule_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (rule == NULL)
    report_error (self, _("Cannot open the rule"), error);
  else if (get->purpose == GET_FOR_EDIT)
    open_editor (self, rule);
  else
    gtk_window_present (GTK_WINDOW (ps_dry_run_dialog_new (parent_window (self), self->context,
                                                           self->automation, rule)));
}

static void
get_rule (PsAutomationsPage *self,
          gint64             id,
          GetPurpose         purpose)
{
  GetRule *get = g_new0 (GetRule, 1);

  get->page = g_object_ref (self);
  get->purpose = purpose;
  begin_load (self);
  ps_automation_service_get_rule_async (self->automation, id, self->cancellable, get_rule_cb, get);
}

static void
changed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  end_load (self);
  if (g_task_get_source_tag (G_TASK (result)) == ps_automation_service_move_rule_async)
    ok = ps_automation_service_move_rule_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  else if (g_task_get_source_tag (G_TASK (result)) == ps_automation_service_delete_rule_async)
    ok = ps_automation_service_delete_rule_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  else
    ok = ps_automation_service_set_enabled_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (!ok)
    report_error (self, _("Cannot change the rule"), error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reload_rules (self);
}

static void
move_rule (RuleRowData *data,
           int          delta)
{
  PsAutomationsPage *self = data->page;

  begin_load (self);
  ps_automation_service_move_rule_async (self->automation, data->id, MAX (0, data->position + delta),
                                         self->cancellable, changed_cb, g_object_ref (self));
}

static void
on_toast_undo_cb (AdwToast    *toast_,
                  RuleRowData *data)
{
  g_object_set_data (G_OBJECT (toast_), "undone", GINT_TO_POINTER (TRUE));
  gtk_widget_set_visible (data->row, TRUE);
}

static void
on_toast_dismissed_cb (AdwToast    *toast_,
                       RuleRowData *data)
{
  PsAutomationsPage *self = data->page;

  if (g_object_get_data (G_OBJECT (toast_), "undone") != NULL || self->automation == NULL)
    return;
  begin_load (self);
  ps_automation_service_delete_rule_async (self->automation, data->id, self->cancellable,
                                           changed_cb, g_object_ref (self));
}

static void
delete_rule (RuleRowData *data)
{
  PsAutomationsPage *self = data->page;
  g_autofree char *title = g_strdup_printf (_("Rule “%s” deleted"), data->name);
  AdwToast *undo = adw_toast_new (title);
  RuleRowData *copy = g_new0 (RuleRowData, 1);

  /* The toast outlives a reload of the list: give it its own data. */
  *copy = *data;
  copy->name = g_strdup (data->name);
  g_object_set_data_full (G_OBJECT (undo), "rule", copy, (GDestroyNotify) rule_row_data_free);
  adw_toast_set_button_label (undo, _("_Undo"));
  adw_toast_set_priority (undo, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect (undo, "button-clicked", G_CALLBACK (on_toast_undo_cb), copy);
  g_signal_connect (undo, "dismissed", G_CALLBACK (on_toast_dismissed_cb), copy);
  gtk_widget_set_visible (data->row, FALSE);
  adw_toast_overlay_add_toast (self->toast_overlay, undo);
}

static void
rule_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  RuleRowData *data = user_data;
  const char *name = g_action_get_name (G_ACTION (action));

  if (g_str_equal (name, "edit"))
    get_rule (data->page, data->id, GET_FOR_EDIT);
  else if (g_str_equal (name, "dry-run"))
    get_rule (data->page, data->id, GET_FOR_DRY_RUN);
  else if (g_str_equal (name, "move-up"))
    move_rule (data, -1);
  else if (g_str_equal (name, "move-down"))
    move_rule (data, 1);
  else if (g_str_equal (name, "delete"))
    delete_rule (data);
}

static void
on_switch_active_cb (GtkSwitch   *sw,
                     GParamSpec  *pspec,
                     RuleRowData *data)
{
  PsAutomationsPage *self = data->page;

  begin_load (self);
  ps_automation_service_set_enabled_async (self->automation, data->id, gtk_switch_get_active (sw),
                                           self->cancellable, changed_cb, g_object_ref (self));
}

static void
on_rule_row_activated_cb (AdwActionRow *row,
                          RuleRowData  *data)
{
  get_rule (data->page, data->id, GET_FOR_EDIT);
}

static GtkWidget *
rule_row_new (PsAutomationsPage *self,
              const PsRuleRow   *rule,
              guint              index,
              guint              n)
{
  static const GActionEntry entries[] = {
    { "edit", rule_action_cb }, { "dry-run", rule_action_cb }, { "move-up", rule_action_cb },
    { "move-down", rule_action_cb }, { "delete", rule_action_cb },
  };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  g_autofree char *last = NULL;
  g_autofree char *fires = NULL;
  g_autofree char *subtitle = NULL;
  RuleRowData *data = g_new0 (RuleRowData, 1);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();
  GtkWidget *more = gtk_menu_button_new ();

  data->page = self;
  data->id = rule->id;
  data->name = g_strdup (rule->name);
  data->position = index;
  data->row = row;
  g_object_set_data_full (G_OBJECT (row), "rule", data, (GDestroyNotify) rule_row_data_free);

  last = rule->last_fired_at != 0 ? ps_format_date (rule->last_fired_at) : g_strdup (_("never"));
  fires = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u fire in 7 days", "%u fires in 7 days", rule->fires_7d),
                           rule->fires_7d);
  subtitle = g_strdup_printf (_("%s · last fired %s · %s"), ps_rule_trigger_label (rule->trigger), last, fires);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), rule->name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_signal_connect (row, "activated", G_CALLBACK (on_rule_row_activated_cb), data);

  gtk_switch_set_active (GTK_SWITCH (sw), rule->enabled);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (sw, _("Enabled"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Enabled"), -1);
  g_signal_connect (sw, "notify::active", G_CALLBACK (on_switch_active_cb), data);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);

  g_action_map_add_action_entries (G_ACTION_MAP (group), entries, G_N_ELEMENTS (entries), data);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (group), "move-up")),
                               index > 0);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (group), "move-down")),
                               index + 1 < n);
  gtk_widget_insert_action_group (row, "rule", G_ACTION_GROUP (group));
  g_menu_append (menu, _("_Edit…"), "rule.edit");
  g_menu_append (menu, _("_Dry Run…"), "rule.dry-run");
  g_menu_append (section, _("Move _Up"), "rule.move-up");
  g_menu_append (section, _("Move _Down"), "rule.move-down");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_menu_append (menu, _("De_lete"), "rule.delete");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_set_tooltip_text (more, _("Rule Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Rule Menu"), -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), more);
  return row;
}

static void
fill_rule_filter (PsAutomationsPage *self)
{
  g_autofree char *keep = g_strdup (ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->rule_filter)));
  GtkWidget *button = ps_choice_button_new (_("Rule"));

  ps_choice_button_append (PS_CHOICE_BUTTON (button), "0", _("All rules"));
  for (guint i = 0; self->rules != NULL && i < self->rules->len; i++)
    {
      const PsRuleRow *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, rule->id);

      ps_choice_button_append (PS_CHOICE_BUTTON (button), id, rule->name);
    }
  if (keep == NULL || !ps_choice_button_set_selected (PS_CHOICE_BUTTON (button), keep))
    ps_choice_button_set_selected (PS_CHOICE_BUTTON (button), "0");
  g_signal_connect_object (button, "changed", G_CALLBACK (reload_runs), self, G_CONNECT_SWAPPED);
  /* The combo box inside asks to expand; keep the filter its own size. */
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_set_size_request (button, 260, -1);
  gtk_box_remove (self->activity_bar, self->rule_filter);
  gtk_box_append (self->activity_bar, button);
  self->rule_filter = button;
}

static void
rules_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = NULL;

  end_load (self);
  rules = ps_automation_service_list_rules_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (rules == NULL)
    {
      report_error (self, _("Cannot list the rules"), error);
      return;
    }
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  self->rules = g_steal_pointer (&rules);

  clear_list (self->rules_list);
  for (guint i = 0; i < self->rules->len; i++)
    gtk_list_box_append (self->rules_list, rule_row_new (self, g_ptr_array_index (self->rules, i),
                                                         i, self->rules->len));
  gtk_widget_set_visible (GTK_WIDGET (self->rules_list), self->rules->len > 0);
  gtk_widget_set_visible (self->rules_empty, self->rules->len == 0);
  fill_rule_filter (self);
}

static void
reload_rules (PsAutomationsPage *self)
{
  if (self->automation == NULL)
    return;
  begin_load (self);
  ps_automation_service_list_rules_async (self->automation, self->cancellable, rules_cb, g_object_ref (self));
}

static void
templates_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  end_load (self);
  gtk_widget_set_sensitive (self->templates_button, TRUE);
  ids = ps_automation_service_add_templates_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (ids == NULL)
    {
      report_error (self, _("Cannot add the example rules"), error);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "Added %u example rule, switched off",
                                                          "Added %u example rules, switched off", ids->len),
                                             ids->len);
    toast (self, text);
  }
  reload_rules (self);
}

static void
on_templates_clicked_cb (PsAutomationsPage *self)
{
  if (self->automation == NULL)
    return;
  gtk_widget_set_sensitive (self->templates_button, FALSE);
  begin_load (self);
  ps_automation_service_add_templates_async (self->automation, self->cancellable, templates_cb,
                                             g_object_ref (self));
}

/* Activity */

static const char *
outcome_label (const char *outcome)
{
  if (g_strcmp0 (outcome, "done") == 0)
    return _("Done");
  if (g_strcmp0 (outcome, "failed") == 0)
    return _("Failed");
  if (g_strcmp0 (outcome, "skipped") == 0)
    return _("Skipped");
  if (g_strcmp0 (outcome, "cut") == 0)
    return _("Cut: the chain of rules was too deep");
  return outcome;
}

static void
add_detail_row (GtkWidget  *expander,
                const char *title,
                const char *text)
{
  GtkWidget *row;

  if (text == NULL || *text == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), text);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), row);
}

static GtkWidget *
run_row_new (const PsRuleRun *run)
{
  GtkWidget *row = adw_expander_row_new ();
  g_autofree char *title = NULL;
  g_autofree char *when = ps_format_date (run->ran_at);
  g_autofree char *subtitle = NULL;
  g_autoptr(JsonNode) detail = run->detail != NULL ? json_from_string (run->detail, NULL) : NULL;
  JsonObject *object = detail != NULL && JSON_NODE_HOLDS_OBJECT (detail) ? json_node_get_object (detail) : NULL;
  g_autofree char *reasons = NULL;
  g_autofree char *actions = NULL;

  if (run->order_number != NULL)
    title = g_strdup_printf (_("%s · order %s"), run->rule_name != NULL ? run->rule_name : _("Deleted rule"),
                             run->order_number);
  else
    title = g_strdup (run->rule_name != NULL ? run->rule_name : _("Deleted rule"));
  subtitle = g_strdup_printf ("%s · %s · %s", outcome_label (run->outcome),
                              run->event_type != NULL ? run->event_type : "", when);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
  if (g_strcmp0 (run->outcome, "failed") == 0)
    gtk_widget_add_css_class (row, "error");

  if (object != NULL)
    {
      if (json_object_has_member (object, "reasons"))
        reasons = ps_rule_describe_reasons (json_object_get_array_member (object, "reasons"));
      if (json_object_has_member (object, "actions"))
        actions = ps_rule_describe_actions (json_object_get_array_member (object, "actions"));
    }
  add_detail_row (row, _("Conditions that held"), reasons);
  add_detail_row (row, _("Actions"), actions);
  if (run->pending_retries > 0)
    {
      g_autofree char *retries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%u action waits for a retry",
                                                               "%u actions wait for a retry",
                                                               run->pending_retries),
                                                  run->pending_retries);
      add_detail_row (row, _("Retries"), retries);
    }
  return row;
}

static void
runs_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) runs = NULL;

  end_load (self);
  runs = ps_automation_service_list_runs_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (runs == NULL)
    {
      report_error (self, _("Cannot read the activity log"), error);
      return;
    }
  clear_list (self->runs_list);
  for (guint i = 0; i < runs->len; i++)
    gtk_list_box_append (self->runs_list, run_row_new (g_ptr_array_index (runs, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->runs_list), runs->len > 0);
  gtk_widget_set_visible (self->runs_empty, runs->len == 0);
}

static void
reload_runs (PsAutomationsPage *self)
{
  const char *id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->rule_filter));

  if (self->automation == NULL)
    return;
  begin_load (self);
  ps_automation_service_list_runs_async (self->automation, id != NULL ? g_ascii_strtoll (id, NULL, 10) : 0,
                                         LIST_LIMIT, self->cancellable, runs_cb, g_object_ref (self));
}

/* Outbox */

static const char *
message_status_label (PsMessageStatus status)
{
  switch (status)
    {
    case PS_MESSAGE_STATUS_QUEUED:    return _("Queued");
    case PS_MESSAGE_STATUS_SENDING:   return _("Sending");
    case PS_MESSAGE_STATUS_SENT:      return _("Sent");
    case PS_MESSAGE_STATUS_FAILED:    return _("Failed");
    case PS_MESSAGE_STATUS_CANCELLED: return _("Cancelled");
    default:                          return "";
    }
}

static void
message_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  end_load (self);
  if (g_task_get_source_tag (G_TASK (result)) == ps_outbox_service_cancel_async)
    {
      if (!ps_outbox_service_cancel_finish (PS_OUTBOX_SERVICE (object), result, &error))
        report_error (self, _("Cannot cancel the message"), error);
    }
  else
    {
      g_autoptr(PsOutboxRun) run = ps_outbox_service_send_now_finish (PS_OUTBOX_SERVICE (object), result, &error);

      if (run == NULL)
        report_error (self, _("Cannot send the message"), error);
      else if (run->problems->len > 0)
        toast (self, ((PsOutboxProblem *) g_ptr_array_index (run->problems, 0))->error);
      else if (run->n_sent > 0)
        toast (self, _("Message sent"));
    }
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    reload_outbox (self);
}

static void
on_send_now_clicked_cb (GtkButton         *button,
                        PsAutomationsPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "message-id");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  begin_load (self);
  ps_outbox_service_send_now_async (self->outbox, id, self->cancellable, message_done_cb, g_object_ref (self));
}

static void
on_cancel_clicked_cb (GtkButton         *button,
                      PsAutomationsPage *self)
{
  gint64 id = *(gint64 *) g_object_get_data (G_OBJECT (button), "message-id");

  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  begin_load (self);
  ps_outbox_service_cancel_async (self->outbox, id, self->cancellable, message_done_cb, g_object_ref (self));
}

static GtkWidget *
message_button (PsAutomationsPage *self,
                const PsMessage   *message,
                const char        *label,
                GCallback          callback)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_sensitive (button, message->status == PS_MESSAGE_STATUS_QUEUED ||
                                    message->status == PS_MESSAGE_STATUS_FAILED);
  g_object_set_data_full (G_OBJECT (button), "message-id", g_memdup2 (&message->id, sizeof message->id), g_free);
  g_signal_connect (button, "clicked", callback, self);
  return button;
}

static GtkWidget *
message_row_new (PsAutomationsPage *self,
                 const PsMessage   *message)
{
  GtkWidget *row = adw_action_row_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);
  g_autofree char *created = ps_format_date (message->created_at);

  g_string_append_printf (subtitle, _("%s · to %s"), message_status_label (message->status), message->to_address);
  if (message->order_number != NULL)
    g_string_append_printf (subtitle, _(" · order %s"), message->order_number);
  g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, " · %u attempt", " · %u attempts",
                                                 message->attempts), message->attempts);
  g_string_append_printf (subtitle, _("\nQueued %s"), created);
  if (message->sent_at != 0)
    {
      g_autofree char *sent = ps_format_date (message->sent_at);
      g_string_append_printf (subtitle, _(" · sent %s"), sent);
    }
  if (message->last_error != NULL && message->status != PS_MESSAGE_STATUS_SENT)
    g_string_append_printf (subtitle, _("\nLast error: %s"), message->last_error);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message->subject);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             message_button (self, message, _("Send _Now"), G_CALLBACK (on_send_now_clicked_cb)));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             message_button (self, message, _("_Cancel"), G_CALLBACK (on_cancel_clicked_cb)));
  return row;
}

static void
messages_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;

  end_load (self);
  messages = ps_outbox_service_list_finish (PS_OUTBOX_SERVICE (object), result, &error);
  if (messages == NULL)
    {
      report_error (self, _("Cannot list the outbox"), error);
      return;
    }
  clear_list (self->messages_list);
  for (guint i = 0; i < messages->len; i++)
    gtk_list_box_append (self->messages_list, message_row_new (self, g_ptr_array_index (messages, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->messages_list), messages->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->messages_empty), messages->len == 0);
}

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(PsAutomationsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(PsMailSettings) settings = NULL;
  g_autofree char *problem = NULL;

  end_load (self);
  settings = ps_outbox_service_load_settings_finish (PS_OUTBOX_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (settings == NULL)
    problem = g_strdup_printf (_("Cannot read the email settings: %s"), error->message);
  else if (settings->smtp_host == NULL || *settings->smtp_host == '\0')
    problem = g_strdup (_("Email is not set up: messages wait here until an SMTP server is set in Preferences "
                          "(or with “postsale-cli smtp set”)."));
  else if (!ps_outbox_service_check_settings (settings, &check_error))
    problem = g_strdup_printf (_("Email settings need attention: %s"), check_error->message);

  gtk_label_set_label (GTK_LABEL (self->smtp_label), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->smtp_label, problem != NULL);
  adw_status_page_set_description (self->messages_empty,
                                   problem != NULL ? problem
                                                   : _("Emails that rules send to customers wait here until "
                                                       "they are delivered."));
}

static void
reload_outbox (PsAutomationsPage *self)
{
  if (self->outbox == NULL)
    return;
  begin_load (self);
  ps_outbox_service_list_async (self->outbox, -1, LIST_LIMIT, self->cancellable, messages_cb, g_object_ref (self));
  begin_load (self);
  ps_outbox_service_load_settings_async (self->outbox, self->cancellable, settings_cb, g_object_ref (self));
}

/* Notifications */

static void
on_notification_cb (PsAutomationsPage              *self,
                    const PsAutomationNotification *n)
{
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;

  if (app == NULL || n == NULL)
    return;
  title = g_strdup_printf (_("%s (for %s)"), n->rule_name, n->address);
  notification = g_notification_new (title);
  g_notification_set_body (notification, n->message);
  g_notification_set_default_action (notification, "app.activate");
  id = g_strdup_printf ("rule-%" G_GINT64_FORMAT "-order-%" G_GINT64_FORMAT, n->rule_id, n->order_id);
  g_application_send_notification (app, id, notification);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload_runs (self);
}

/* The page */

static void
on_view_changed_cb (PsAutomationsPage *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->stack);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (g_strcmp0 (name, "rules") == 0)
    reload_rules (self);
  else if (g_strcmp0 (name, "activity") == 0)
    reload_runs (self);
  else if (g_strcmp0 (name, "outbox") == 0)
    reload_outbox (self);
}

/**
 * ps_automations_page_reload:
 * @self: a #PsAutomationsPage
 *
 * Reloads the rules, the activity log and the outbox.
 */
void
ps_automations_page_reload (PsAutomationsPage *self)
{
  g_return_if_fail (PS_IS_AUTOMATIONS_PAGE (self));

  reload_rules (self);
  reload_runs (self);
  reload_outbox (self);
}

/**
 * ps_automations_page_set_services:
 * @self: a #PsAutomationsPage
 * @context: (nullable): the open database (order numbers)
 * @automation: (nullable): the automation service
 * @outbox: (nullable): the outbox service
 *
 * Shows the rules, activity and outbox of these services, and raises a
 * desktop notification for each notify action the automation service
 * runs.
 */
void
ps_automations_page_set_services (PsAutomationsPage   *self,
                                  PsContext           *context,
                                  PsAutomationService *automation,
                                  PsOutboxService     *outbox)
{
  g_return_if_fail (PS_IS_AUTOMATIONS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->automation != NULL)
    g_signal_handlers_disconnect_by_data (self->automation, self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_set_object (&self->context, context);
  g_set_object (&self->automation, automation);
  g_set_object (&self->outbox, outbox);

  gtk_widget_set_sensitive (self->new_button, automation != NULL);
  gtk_widget_set_sensitive (self->templates_button, automation != NULL);
  if (automation != NULL)
    g_signal_connect_object (automation, "notification", G_CALLBACK (on_notification_cb), self, G_CONNECT_SWAPPED);
  if (outbox != NULL)
    g_signal_connect_object (outbox, "outbox-changed", G_CALLBACK (reload_outbox), self, G_CONNECT_SWAPPED);
  ps_automations_page_reload (self);
}

/**
 * ps_automations_page_get_loading:
 * @self: a #PsAutomationsPage
 *
 * Returns: whether a load or change is in flight
 */
gboolean
ps_automations_page_get_loading (PsAutomationsPage *self)
{
  g_return_val_if_fail (PS_IS_AUTOMATIONS_PAGE (self), FALSE);
  return self->pending > 0;
}

/**
 * ps_automations_page_set_view:
 * @self: a #PsAutomationsPage
 * @name: "rules", "activity" or "outbox"
 */
void
ps_automations_page_set_view (PsAutomationsPage *self,
                              const char        *name)
{
  g_return_if_fail (PS_IS_AUTOMATIONS_PAGE (self));
  adw_view_stack_set_visible_child_name (self->stack, name);
}

static void
on_map_cb (PsAutomationsPage *self)
{
  on_view_changed_cb (self);
}

static void
ps_automations_page_dispose (GObject *object)
{
  PsAutomationsPage *self = (PsAutomationsPage *)object;

  g_cancellable_cancel (self->cancellable);
  /* AdwBin unparents its child (the template's toast overlay) itself;
   * gtk_widget_dispose_template() would unparent it first and leave
   * AdwBin a dangling pointer. */

  G_OBJECT_CLASS (ps_automations_page_parent_class)->dispose (object);
}

static void
ps_automations_page_finalize (GObject *object)
{
  PsAutomationsPage *self = (PsAutomationsPage *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->automation);
  g_clear_object (&self->outbox);
  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (ps_automations_page_parent_class)->finalize (object);
}

static void
ps_automations_page_class_init (PsAutomationsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_automations_page_dispose;
  object_class->finalize = ps_automations_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/Postsale/ui/ps-automations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, new_button);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, templates_button);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, rules_list);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, rules_empty);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, activity_bar);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, runs_list);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, runs_empty);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, smtp_label);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, messages_list);
  gtk_widget_class_bind_template_child (widget_class, PsAutomationsPage, messages_empty);
  gtk_widget_class_bind_template_callback (widget_class, on_new_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_templates_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed_cb);
}

static void
ps_automations_page_init (PsAutomationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rule_filter = ps_choice_button_new (_("Rule"));
  gtk_box_append (self->activity_bar, self->rule_filter);
  gtk_widget_set_sensitive (self->new_button, FALSE);
  gtk_widget_set_sensitive (self->templates_button, FALSE);
  g_signal_connect (self, "map", G_CALLBACK (on_map_cb), NULL);
}

/**
 * ps_automations_page_new:
 *
 * Returns: (transfer floating): a new page; give it its services with
 *   ps_automations_page_set_services()
 */
GtkWidget *
ps_automations_page_new (void)
{
  return g_object_new (PS_TYPE_AUTOMATIONS_PAGE, NULL);
}
