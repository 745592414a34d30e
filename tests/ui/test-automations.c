/* test-automations.c: the Automations page on a real demo database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PsAutomationsPage in a window, with a real PsAutomationService and
 * PsOutboxService on a 300-order demo database, driven through its
 * widgets: the seed templates appear switched off; the switch enables a
 * rule in the store; a rule built in the editor's widgets is saved and
 * round-trips; the dry run dialog shows what the service's dry run says;
 * the outbox lists a queued message and Cancel cancels it.
 *
 * Runs under Xvfb with G_DEBUG=fatal-criticals.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ps-action-row.h"
#include "ps-automations-page.h"
#include "ps-choice-button.h"
#include "ps-demo.h"
#include "ps-dry-run-dialog.h"
#include "ps-event-condition-row.h"
#include "ps-outbox.h"
#include "ps-rule-editor.h"
#include "ps-test-ui.h"
#include "ps-ui-resources.h"
#include "ps-time.h"

#define N_DEMO_ORDERS 300

static PsContext *context;
static PsAutomationService *automation;
static PsOutboxService *outbox;
static GtkWindow *window;
static PsAutomationsPage *page;

/* Finding widgets */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && gtk_widget_get_visible (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GPtrArray *
find_all (GtkWidget *root,
          GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = find_all (root, GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button %s", label);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Picks a choice the way a user does, so "changed" is emitted. */
static void
choose (GtkWidget  *choice_button,
        const char *id)
{
  g_autoptr(GPtrArray) combos = find_all (choice_button, GTK_TYPE_COMBO_BOX);

  g_assert_cmpuint (combos->len, ==, 1);
  g_assert_true (gtk_combo_box_set_active_id (g_ptr_array_index (combos, 0), id));
}

static GtkWidget *
nth_choice (GtkWidget *root,
            guint      n)
{
  g_autoptr(GPtrArray) choices = find_all (root, PS_TYPE_CHOICE_BUTTON);

  g_assert_cmpuint (choices->len, >, n);
  return g_ptr_array_index (choices, n);
}

static void
wait_page (void)
{
  ps_test_spin (20);
  PS_TEST_WAIT_UNTIL (!ps_automations_page_get_loading (page), "the page to load");
}

static GPtrArray *
rule_rows (void)
{
  GPtrArray *rows = find_all (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW);

  /* Only rows of the rules list carry a "rule". */
  for (guint i = rows->len; i > 0; i--)
    if (g_object_get_data (g_ptr_array_index (rows, i - 1), "rule") == NULL)
      g_ptr_array_remove_index (rows, i - 1);
  return rows;
}

/* The services, waited on */

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  PS_TEST_WAIT_UNTIL (*slot != NULL, "a service call");
  return *slot;
}

static GPtrArray *
list_rules (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rules;

  ps_automation_service_list_rules_async (automation, NULL, store_cb, &result);
  rules = ps_automation_service_list_rules_finish (automation, wait_result (&result), &error);
  g_assert_no_error (error);
  return rules;
}

static PsRule *
get_rule (gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsRule *rule;

  ps_automation_service_get_rule_async (automation, id, NULL, store_cb, &result);
  rule = ps_automation_service_get_rule_finish (automation, wait_result (&result), &error);
  g_assert_no_error (error);
  return rule;
}

static PsRuleRow *
rule_named (GPtrArray  *rules,
            const char *name)
{
  for (guint i = 0; i < rules->len; i++)
    if (g_strcmp0 (((PsRuleRow *) g_ptr_array_index (rules, i))->name, name) == 0)
      return g_ptr_array_index (rules, i);
  return NULL;
}

/* Tests */

static void
test_templates_and_switch (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GPtrArray) switches = NULL;
  GtkWidget *sw;
  const char *name;
  g_autoptr(GPtrArray) templates = ps_rule_templates ();

  wait_page ();
  rows = rule_rows ();
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  click (find_button (GTK_WIDGET (page), "Add from _Template"));
  wait_page ();
  rows = rule_rows ();
  g_assert_cmpuint (rows->len, ==, templates->len);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) row_switches = find_all (g_ptr_array_index (rows, i), GTK_TYPE_SWITCH);

      g_assert_cmpuint (row_switches->len, ==, 1);
      g_assert_false (gtk_switch_get_active (g_ptr_array_index (row_switches, 0)));
      g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), ==,
                       ps_rule_get_name (g_ptr_array_index (templates, i)));
    }

  /* Switch the first one on: the store says so. */
  switches = find_all (g_ptr_array_index (rows, 0), GTK_TYPE_SWITCH);
  sw = g_ptr_array_index (switches, 0);
  name = adw_preferences_row_get_title (g_ptr_array_index (rows, 0));
  rules = list_rules ();
  g_assert_false (rule_named (rules, name)->enabled);
  g_clear_pointer (&rules, g_ptr_array_unref);
  gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
  wait_page ();
  rules = list_rules ();
  g_assert_true (rule_named (rules, ps_rule_get_name (g_ptr_array_index (templates, 0)))->enabled);
  g_assert_false (rule_named (rules, ps_rule_get_name (g_ptr_array_index (templates, 1)))->enabled);
}

static gint64 saved_id;

static void
on_saved_cb (PsRuleEditor *editor,
             gint64        id)
{
  saved_id = id;
}

#define RULE_NAME "Tracking exception: tag and prioritize"

static void
test_editor_round_trip (void)
{
  g_autoptr(PsRule) expected = NULL;
  g_autoptr(PsRule) stored = NULL;
  g_autoptr(GPtrArray) action_rows = NULL;
  g_autoptr(GPtrArray) event_rows = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *stored_text = NULL;
  PsRuleEditor *editor;
  GtkWidget *first, *second;

  wait_page ();
  click (find_button (GTK_WIDGET (page), "_New Rule…"));
  PS_TEST_WAIT_UNTIL (ps_test_find_toplevel (PS_TYPE_RULE_EDITOR) != NULL, "the rule editor");
  editor = PS_RULE_EDITOR (ps_test_find_toplevel (PS_TYPE_RULE_EDITOR));
  PS_TEST_WAIT_UNTIL (ps_rule_editor_get_ready (editor), "the editor's templates");
  g_signal_connect (editor, "saved", G_CALLBACK (on_saved_cb), NULL);

  /* Saving an unnamed rule names the field. */
  click (find_button (GTK_WIDGET (editor), "_Save"));
  g_assert_true (g_str_has_prefix (ps_rule_editor_get_message (editor), "Name:"));

  entries = find_all (GTK_WIDGET (editor), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (entries, 0)), RULE_NAME);

  /* When tracking status changes to exception... */
  choose (nth_choice (GTK_WIDGET (editor), 0), "tracking.status_changed");
  click (find_button (GTK_WIDGET (editor), "Add Event Condition"));
  event_rows = find_all (GTK_WIDGET (editor), PS_TYPE_EVENT_CONDITION_ROW);
  g_assert_cmpuint (event_rows->len, ==, 1);
  choose (nth_choice (g_ptr_array_index (event_rows, 0), 2), "exception");

  /* ...add a tag (the first action row), then set priority high. */
  action_rows = find_all (GTK_WIDGET (editor), PS_TYPE_ACTION_ROW);
  g_assert_cmpuint (action_rows->len, ==, 1);
  first = g_ptr_array_index (action_rows, 0);
  choose (nth_choice (first, 0), "add_tag");
  {
    g_autoptr(GPtrArray) first_entries = find_all (first, GTK_TYPE_ENTRY);
    gtk_editable_set_text (GTK_EDITABLE (g_ptr_array_index (first_entries, 0)), "needs-care");
  }
  click (find_button (GTK_WIDGET (editor), "Add Action"));
  g_clear_pointer (&action_rows, g_ptr_array_unref);
  action_rows = find_all (GTK_WIDGET (editor), PS_TYPE_ACTION_ROW);
  g_assert_cmpuint (action_rows->len, ==, 2);
  second = g_ptr_array_index (action_rows, 1);
  choose (nth_choice (second, 0), "set_priority");
  choose (nth_choice (second, 1), "high");

  /* Move the priority action up with its button (keyboard reachable). */
  {
    g_autoptr(GPtrArray) buttons = find_all (second, GTK_TYPE_BUTTON);
    GtkWidget *up = NULL;

    for (guint i = 0; i < buttons->len; i++)
      if (g_strcmp0 (gtk_widget_get_tooltip_text (g_ptr_array_index (buttons, i)), "Move Up") == 0)
        up = g_ptr_array_index (buttons, i);
    g_assert_nonnull (up);
    click (up);
  }

  /* The live count settles on a number of fires. */
  PS_TEST_WAIT_UNTIL (!ps_rule_editor_get_counting (editor), "the live dry run");
  g_assert_true (g_str_has_prefix (ps_rule_editor_get_message (editor), "Would have fired"));

  click (find_button (GTK_WIDGET (editor), "_Save"));
  PS_TEST_WAIT_UNTIL (saved_id != 0, "the rule to be saved");
  PS_TEST_WAIT_UNTIL (ps_test_find_toplevel (PS_TYPE_RULE_EDITOR) == NULL, "the editor to close");

  expected = ps_rule_from_string ("{\"name\": \"" RULE_NAME "\", \"trigger\": \"tracking.status_changed\","
                                  " \"event_conditions\": [{\"field\": \"to\", \"op\": \"is\", \"value\": \"exception\"}],"
                                  " \"actions\": [{\"type\": \"set_priority\", \"priority\": \"high\"},"
                                  "               {\"type\": \"add_tag\", \"tag\": \"needs-care\"}]}", &error);
  g_assert_no_error (error);
  stored = get_rule (saved_id);
  expected_text = ps_rule_to_string (expected);
  stored_text = ps_rule_to_string (stored);
  g_assert_cmpstr (stored_text, ==, expected_text);
  g_assert_false (ps_rule_get_enabled (stored));

  /* The list shows it, at the end. */
  wait_page ();
  {
    g_autoptr(GPtrArray) rows = rule_rows ();
    g_assert_cmpstr (adw_preferences_row_get_title (g_ptr_array_index (rows, rows->len - 1)), ==, RULE_NAME);
  }
}

static void
test_dry_run_dialog (void)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(PsRule) rule = NULL;
  g_autoptr(PsDryRun) direct = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const PsDryRun *shown;
  PsDryRunDialog *dialog;
  GtkWidget *row;

  g_assert_cmpint (saved_id, !=, 0);
  wait_page ();
  rows = rule_rows ();
  row = g_ptr_array_index (rows, rows->len - 1);
  g_assert_true (gtk_widget_activate_action (row, "rule.dry-run", NULL));
  PS_TEST_WAIT_UNTIL (ps_test_find_toplevel (PS_TYPE_DRY_RUN_DIALOG) != NULL, "the dry run dialog");
  dialog = PS_DRY_RUN_DIALOG (ps_test_find_toplevel (PS_TYPE_DRY_RUN_DIALOG));
  ps_dry_run_dialog_set_days (dialog, 90);
  PS_TEST_WAIT_UNTIL (!ps_dry_run_dialog_get_loading (dialog), "the dry run");
  shown = ps_dry_run_dialog_get_result (dialog);
  g_assert_nonnull (shown);

  rule = get_rule (saved_id);
  ps_automation_service_dry_run_async (automation, rule, shown->since, NULL, store_cb, &result);
  direct = ps_automation_service_dry_run_finish (automation, wait_result (&result), &error);
  g_assert_no_error (error);

  g_test_message ("dry run: %u fires on %u orders", shown->fires->len, shown->order_ids->len);
  g_assert_cmpuint (direct->fires->len, >, 0);   /* the demo has tracking exceptions */
  g_assert_cmpuint (shown->fires->len, ==, direct->fires->len);
  g_assert_cmpuint (shown->order_ids->len, ==, direct->order_ids->len);
  g_assert_cmpmem (shown->order_ids->data, shown->order_ids->len * sizeof (gint64),
                   direct->order_ids->data, direct->order_ids->len * sizeof (gint64));
  {
    g_autofree char *fires = g_strdup_printf ("Would have fired %u times", direct->fires->len);
    g_assert_true (g_str_has_prefix (ps_dry_run_dialog_get_summary (dialog), fires));
  }
  /* One row per fire (up to the dialog's limit), each naming an order. */
  {
    g_autoptr(GPtrArray) fire_rows = find_all (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW);
    guint n = 0;

    for (guint i = 0; i < fire_rows->len; i++)
      if (g_str_has_prefix (adw_preferences_row_get_title (g_ptr_array_index (fire_rows, i)), "Order "))
        n++;
    g_assert_cmpuint (n, ==, MIN (direct->fires->len, 200));
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_outbox_cancel (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GtkWidget *row = NULL;
  gint64 id;

  ps_outbox_enqueue_async (ps_context_get_database (context), "shipped", 1, 0, "merchant@example.com",
                           "test:automations:1", NULL, store_cb, &result);
  id = ps_outbox_enqueue_finish (ps_context_get_database (context), wait_result (&result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  ps_automations_page_set_view (page, "outbox");
  ps_automations_page_reload (page);
  wait_page ();
  rows = find_all (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW);
  for (guint i = 0; i < rows->len; i++)
    {
      const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (rows, i));

      if (subtitle != NULL && strstr (subtitle, "merchant@example.com") != NULL)
        row = g_ptr_array_index (rows, i);
    }
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Queued"));
  g_assert_true (gtk_widget_is_sensitive (find_button (row, "Send _Now")));

  click (find_button (row, "_Cancel"));
  wait_page ();

  ps_outbox_service_list_async (outbox, -1, 10, NULL, store_cb, &list_result);
  messages = ps_outbox_service_list_finish (outbox, wait_result (&list_result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < messages->len; i++)
    {
      PsMessage *m = g_ptr_array_index (messages, i);
      if (m->id == id)
        g_assert_cmpint (m->status, ==, PS_MESSAGE_STATUS_CANCELLED);
    }
  /* The view was reloaded: the row now says so and offers nothing. */
  {
    g_autoptr(GPtrArray) after = find_all (GTK_WIDGET (page), ADW_TYPE_ACTION_ROW);
    gboolean seen = FALSE;

    for (guint i = 0; i < after->len; i++)
      {
        const char *subtitle = adw_action_row_get_subtitle (g_ptr_array_index (after, i));

        if (subtitle != NULL && strstr (subtitle, "merchant@example.com") != NULL)
          {
            seen = TRUE;
            g_assert_true (g_str_has_prefix (subtitle, "Cancelled"));
            g_assert_false (gtk_widget_is_sensitive (find_button (g_ptr_array_index (after, i), "_Cancel")));
          }
      }
    g_assert_true (seen);
  }
}

static void
test_activity_view (void)
{
  ps_automations_page_set_view (page, "activity");
  wait_page ();
  /* No rule ran (the runner is not started): the empty state shows. */
  {
    g_autoptr(GPtrArray) pages = find_all (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE);
    gboolean empty = FALSE;

    for (guint i = 0; i < pages->len; i++)
      if (g_strcmp0 (adw_status_page_get_title (g_ptr_array_index (pages, i)), "No Activity") == 0 &&
          gtk_widget_get_mapped (g_ptr_array_index (pages, i)))
        empty = TRUE;
    g_assert_true (empty);
  }
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_demo_generate (db, data, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autofree char *tmpdir = NULL;
  g_autoptr(GError) error = NULL;
  PsDemoOptions options = { N_DEMO_ORDERS, 11, 0 };
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();
  /* Links the templates in (ps-application.c does this for the app). */
  g_assert_nonnull (ps_ui_get_resource ());

  tmpdir = g_dir_make_tmp ("postsale-automations-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "ui.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  /* The history ends now, so "the last 90 days" has events. */
  options.now = ps_time_now ();
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options,
                                          NULL, &error));
  g_assert_no_error (error);

  automation = ps_automation_service_new (ps_context_get_database (context), NULL);
  outbox = ps_outbox_service_new (context);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1000, 760);
  page = PS_AUTOMATIONS_PAGE (ps_automations_page_new ());
  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);
  ps_automations_page_set_services (page, context, automation, outbox);

  g_test_add_func ("/ui/automations/templates-and-switch", test_templates_and_switch);
  g_test_add_func ("/ui/automations/editor-round-trip", test_editor_round_trip);
  g_test_add_func ("/ui/automations/dry-run", test_dry_run_dialog);
  g_test_add_func ("/ui/automations/activity", test_activity_view);
  g_test_add_func ("/ui/automations/outbox-cancel", test_outbox_cancel);

  ret = g_test_run ();

  if (g_getenv ("PS_TEST_PAUSE") != NULL)
    ps_test_spin (atoi (g_getenv ("PS_TEST_PAUSE")));
  gtk_window_destroy (window);
  ps_test_spin (50);
  g_clear_object (&automation);
  g_clear_object (&outbox);
  g_clear_object (&context);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (tmpdir);
  }
  return ret;
}
