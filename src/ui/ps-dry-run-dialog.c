/* ps-dry-run-dialog.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A rule replayed over the last 7, 30 or 90 days
 * (ps_automation_service_dry_run_async(), which writes nothing): how many
 * times it would have fired and on how many orders, a bar per day so a
 * noisy rule shows before it is switched on, and each fire with its order
 * number, the conditions that held and the actions it would have run.
 * Changing the period cancels the replay in flight.
 */

#define G_LOG_DOMAIN "ps-dry-run-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "ps-choice-button.h"
#include "ps-dry-run-dialog.h"
#include "ps-format.h"
#include "ps-rule-editor.h"
#include "ps-time.h"

/* Fires listed one by one; the summary counts them all. */
#define MAX_FIRE_ROWS 200

struct _PsDryRunDialog
{
  AdwWindow            parent_instance;

  PsContext           *context;
  PsAutomationService *automation;
  PsRule              *rule;
  PsDryRun            *result;
  GHashTable          *numbers;        /* order id → order number */
  GCancellable        *cancellable;
  GtkWidget           *period_button;
  guint                days;
  gboolean             loading;

  /* Template widgets */
  AdwWindowTitle      *window_title;
  AdwActionRow        *period_row;
  GtkSpinner          *spinner;
  GtkLabel            *summary_label;
  GtkGrid             *days_grid;
  AdwPreferencesGroup *fires_group;
  GtkListBox          *fires_list;
};

G_DEFINE_FINAL_TYPE (PsDryRunDialog, ps_dry_run_dialog, ADW_TYPE_WINDOW)

static void
clear_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    {
      if (GTK_IS_LIST_BOX (widget))
        gtk_list_box_remove (GTK_LIST_BOX (widget), child);
      else if (GTK_IS_GRID (widget))
        gtk_grid_remove (GTK_GRID (widget), child);
      else
        gtk_widget_unparent (child);
    }
}

static char *
format_day (gint64 day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (day);

  return g_date_time_format (dt, "%a %e %b");
}

static void
show_days (PsDryRunDialog *self)
{
  guint max = 1;

  clear_children (GTK_WIDGET (self->days_grid));
  for (guint i = 0; i < self->result->per_day->len; i++)
    max = MAX (max, g_array_index (self->result->per_day, PsDryRunDay, i).fires);

  for (guint i = 0; i < self->result->per_day->len; i++)
    {
      const PsDryRunDay *day = &g_array_index (self->result->per_day, PsDryRunDay, i);
      g_autofree char *date = format_day (day->day);
      g_autofree char *count = g_strdup_printf ("%u", day->fires);
      g_autofree char *sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s: %u fire", "%s: %u fires",
                                                                day->fires), date, day->fires);
      GtkWidget *label = gtk_label_new (date);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0, max);
      GtkWidget *number = gtk_label_new (count);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "numeric");
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), day->fires);
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence, -1);
      gtk_label_set_xalign (GTK_LABEL (number), 1);
      gtk_widget_add_css_class (number, "numeric");
      gtk_grid_attach (self->days_grid, label, 0, i, 1, 1);
      gtk_grid_attach (self->days_grid, bar, 1, i, 1, 1);
      gtk_grid_attach (self->days_grid, number, 2, i, 1, 1);
    }
}

static void
show_fires (PsDryRunDialog *self)
{
  guint n = self->result->fires->len;

  clear_children (GTK_WIDGET (self->fires_list));
  /* Newest first, as the activity log. */
  for (guint k = 0; k < MIN (n, MAX_FIRE_ROWS); k++)
    {
      const PsDryRunFire *fire = g_ptr_array_index (self->result->fires, n - 1 - k);
      JsonObject *proposal = json_node_get_object (fire->proposal);
      const char *number = self->numbers != NULL ? g_hash_table_lookup (self->numbers, &fire->order_id) : NULL;
      g_autofree char *title = NULL;
      g_autofree char *when = ps_format_date (fire->occurred_at);
      g_autofree char *reasons = ps_rule_describe_reasons (json_object_get_array_member (proposal, "reasons"));
      g_autofree char *actions = ps_rule_describe_actions (json_object_get_array_member (proposal, "actions"));
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();

      title = number != NULL ? g_strdup_printf (_("Order %s"), number)
                             : g_strdup_printf (_("Order id:%" G_GINT64_FORMAT), fire->order_id);
      if (fire->cut)
        subtitle = g_strdup_printf (_("%s · would be cut: the chain of rules is too deep"), when);
      else
        subtitle = g_strdup_printf ("%s%s%s\n%s", when, *reasons ? _(" · because ") : "", reasons, actions);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
      gtk_list_box_append (self->fires_list, row);
    }

  if (n > MAX_FIRE_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_("The newest %u of %u fires"), MAX_FIRE_ROWS, n);
      adw_preferences_group_set_description (self->fires_group, more);
    }
  else
    adw_preferences_group_set_description (self->fires_group, n == 0 ? _("No order") : NULL);
}

static void
numbers_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsDryRunDialog) self = user_data;
  g_autoptr(GPtrArray) rows = NULL;

  rows = ps_order_store_fetch_rows_finish (PS_ORDER_STORE (object), result, NULL);
  if (rows == NULL || self->result == NULL)
    return;
  g_clear_pointer (&self->numbers, g_hash_table_unref);
  self->numbers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  for (guint i = 0; i < rows->len; i++)
    {
      PsOrderRow *row = g_ptr_array_index (rows, i);

      if (row != NULL && row->order_number != NULL)
        g_hash_table_insert (self->numbers, g_memdup2 (&row->id, sizeof row->id), g_strdup (row->order_number));
    }
  show_fires (self);
}

static void
dry_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(PsDryRunDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsDryRun) dry_run = NULL;
  g_autofree char *text = NULL;
  guint fires, cut = 0;

  dry_run = ps_automation_service_dry_run_finish (PS_AUTOMATION_SERVICE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  gtk_spinner_stop (self->spinner);
  self->loading = FALSE;
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->summary_label), GTK_ACCESSIBLE_STATE_BUSY, FALSE, -1);
  if (dry_run == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Cannot replay the history: %s"), error->message);
      gtk_label_set_label (self->summary_label, message);
      return;
    }

  g_clear_pointer (&self->result, ps_dry_run_free);
  self->result = g_steal_pointer (&dry_run);
  fires = self->result->fires->len;
  for (guint i = 0; i < fires; i++)
    if (((PsDryRunFire *) g_ptr_array_index (self->result->fires, i))->cut)
      cut++;
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Would have fired %u time on %u orders in the last %u days",
                                       "Would have fired %u times on %u orders in the last %u days", fires),
                          fires, self->result->order_ids->len, self->days);
  if (cut > 0)
    {
      g_autofree char *more = g_strdup_printf (_("%s (%u cut as too deep a chain)"), text, cut);
      g_free (text);
      text = g_steal_pointer (&more);
    }
  gtk_label_set_label (self->summary_label, text);
  show_days (self);
  show_fires (self);

  if (self->context != NULL && self->result->order_ids->len > 0)
    ps_order_store_fetch_rows_async (ps_context_get_order_store (self->context),
                                     (const gint64 *) self->result->order_ids->data,
                                     MIN (self->result->order_ids->len, 2 * MAX_FIRE_ROWS),
                                     self->cancellable, numbers_cb, g_object_ref (self));
}

static void
run (PsDryRunDialog *self)
{
  g_autofree char *text = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  gtk_spinner_start (self->spinner);
  text = g_strdup_printf (_("Replaying the last %u days…"), self->days);
  gtk_label_set_label (self->summary_label, text);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->summary_label), GTK_ACCESSIBLE_STATE_BUSY, TRUE, -1);
  ps_automation_service_dry_run_async (self->automation, self->rule, ps_time_now () - (gint64) self->days * 86400,
                                       self->cancellable, dry_run_cb, g_object_ref (self));
}

static void
on_period_changed_cb (PsDryRunDialog *self)
{
  const char *id = ps_choice_button_get_selected (PS_CHOICE_BUTTON (self->period_button));

  if (id == NULL)
    return;
  self->days = (guint) g_ascii_strtoull (id, NULL, 10);
  run (self);
}

/**
 * ps_dry_run_dialog_set_days:
 * @self: a #PsDryRunDialog
 * @days: 7, 30 or 90
 *
 * Replays the last @days days, as choosing the period does.
 */
void
ps_dry_run_dialog_set_days (PsDryRunDialog *self,
                            guint           days)
{
  g_autofree char *id = g_strdup_printf ("%u", days);

  g_return_if_fail (PS_IS_DRY_RUN_DIALOG (self));

  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->period_button), id);
  self->days = days;
  run (self);
}

/**
 * ps_dry_run_dialog_get_loading:
 * @self: a #PsDryRunDialog
 *
 * Returns: whether a replay is running
 */
gboolean
ps_dry_run_dialog_get_loading (PsDryRunDialog *self)
{
  g_return_val_if_fail (PS_IS_DRY_RUN_DIALOG (self), FALSE);
  return self->loading;
}

/**
 * ps_dry_run_dialog_get_result:
 * @self: a #PsDryRunDialog
 *
 * Returns: (nullable) (transfer none): the replay shown
 */
const PsDryRun *
ps_dry_run_dialog_get_result (PsDryRunDialog *self)
{
  g_return_val_if_fail (PS_IS_DRY_RUN_DIALOG (self), NULL);
  return self->result;
}

/**
 * ps_dry_run_dialog_get_summary:
 * @self: a #PsDryRunDialog
 *
 * Returns: the summary sentence shown
 */
const char *
ps_dry_run_dialog_get_summary (PsDryRunDialog *self)
{
  g_return_val_if_fail (PS_IS_DRY_RUN_DIALOG (self), NULL);
  return gtk_label_get_label (self->summary_label);
}

static void
ps_dry_run_dialog_dispose (GObject *object)
{
  PsDryRunDialog *self = (PsDryRunDialog *)object;

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (ps_dry_run_dialog_parent_class)->dispose (object);
}

static void
ps_dry_run_dialog_finalize (GObject *object)
{
  PsDryRunDialog *self = (PsDryRunDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->automation);
  g_clear_pointer (&self->rule, ps_rule_unref);
  g_clear_pointer (&self->result, ps_dry_run_free);
  g_clear_pointer (&self->numbers, g_hash_table_unref);

  G_OBJECT_CLASS (ps_dry_run_dialog_parent_class)->finalize (object);
}

static void
ps_dry_run_dialog_class_init (PsDryRunDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ps_dry_run_dialog_dispose;
  object_class->finalize = ps_dry_run_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/com/example/Postsale/ui/ps-dry-run-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, period_row);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, summary_label);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, days_grid);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, fires_group);
  gtk_widget_class_bind_template_child (widget_class, PsDryRunDialog, fires_list);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ps_dry_run_dialog_init (PsDryRunDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->days = 30;
  self->period_button = ps_choice_button_new (_("Period"));
  gtk_widget_set_valign (self->period_button, GTK_ALIGN_CENTER);
  ps_choice_button_append (PS_CHOICE_BUTTON (self->period_button), "7", _("Last 7 days"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->period_button), "30", _("Last 30 days"));
  ps_choice_button_append (PS_CHOICE_BUTTON (self->period_button), "90", _("Last 90 days"));
  ps_choice_button_set_selected (PS_CHOICE_BUTTON (self->period_button), "30");
  g_signal_connect_object (self->period_button, "changed", G_CALLBACK (on_period_changed_cb),
                           self, G_CONNECT_SWAPPED);
  adw_action_row_add_suffix (self->period_row, self->period_button);
}

/**
 * ps_dry_run_dialog_new:
 * @parent: (nullable): the window it belongs to
 * @context: (nullable): the open database, for order numbers
 * @automation: the automation service
 * @rule: the rule to replay (copied)
 *
 * Returns: (transfer full): a new dialog replaying the last 30 days
 */
PsDryRunDialog *
ps_dry_run_dialog_new (GtkWindow           *parent,
                       PsContext           *context,
                       PsAutomationService *automation,
                       PsRule              *rule)
{
  PsDryRunDialog *self;
  g_autofree char *title = NULL;

  g_return_val_if_fail (PS_IS_AUTOMATION_SERVICE (automation), NULL);
  g_return_val_if_fail (rule != NULL, NULL);

  self = g_object_new (PS_TYPE_DRY_RUN_DIALOG, "transient-for", parent, NULL);
  self->context = context != NULL ? g_object_ref (context) : NULL;
  self->automation = g_object_ref (automation);
  self->rule = ps_rule_copy (rule);
  title = g_strdup_printf (_("Dry Run: %s"), ps_rule_get_name (rule));
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_subtitle (self->window_title, ps_rule_get_name (rule));
  run (self);
  return self;
}
