/* test-exceptions.c: the Exceptions view on a real demo database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb with G_DEBUG=fatal-criticals. The clock is pinned to the
 * demo's "now" (POSTSALE_NOW), so ages are the demo's. What the view shows
 * is checked against SQL read through a second, read-only connection.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "ps-choice-button.h"
#include "ps-demo.h"
#include "ps-enum-types.h"
#include "ps-exception-store.h"
#include "ps-exceptions-view.h"
#include "ps-format.h"
#include "ps-test-ui.h"
#include "ps-tracking-store.h"

#define DEMO_NOW 1795000000

static char *db_path;
static PsContext *context;

/* SQL through a connection of our own */

static gint64
sql_int (const char *format,
         ...) G_GNUC_PRINTF (1, 2);

static gint64
sql_int (const char *format,
         ...)
{
  g_autofree char *sql = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* "reason|count" lines of the flagged live shipments nobody resolved, as
 * the view should group them (biggest first). */
static char *
sql_groups (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT exception_reason, count (*) FROM shipments"
    " WHERE exception_reason IS NOT NULL AND voided_at IS NULL AND delivered_at IS NULL"
    " AND exception_resolved_at IS NULL"
    " GROUP BY 1 ORDER BY 2 DESC, 1", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s|%lld\n", sqlite3_column_text (stmt, 0),
                            (long long) sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* What the view shows, in the same form, from its widgets: each group's
 * title and count label. */
static void
collect_widget_groups (GtkWidget *widget,
                       GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && g_strcmp0 (gtk_widget_get_name (child), "count") == 0)
        {
          GtkWidget *title = gtk_widget_get_prev_sibling (child);

          g_string_append_printf (out, "%s|%s\n", gtk_label_get_text (GTK_LABEL (title)),
                                  gtk_label_get_text (GTK_LABEL (child)));
        }
      collect_widget_groups (child, out);
    }
}

static char *
model_groups (PsExceptionsView *view,
              gboolean          for_people)
{
  GPtrArray *groups = ps_exceptions_view_get_groups (view);
  GString *out = g_string_new (NULL);

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    {
      PsExceptionGroup *g = g_ptr_array_index (groups, i);

      g_string_append_printf (out, "%s|%u\n",
                              for_people ? ps_format_exception_reason (g->reason)
                                         : ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, g->reason),
                              g->n_open);
    }
  return g_string_free (out, FALSE);
}

static guint
count_type (GtkWidget *widget,
            GType      type)
{
  guint n = G_TYPE_CHECK_INSTANCE_TYPE (widget, type) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_type (child, type);
  return n;
}

/* The button of @action for @shipment_id. */
static GtkWidget *
find_button (GtkWidget  *widget,
             const char *action,
             gint64      shipment_id)
{
  if (GTK_IS_BUTTON (widget)
      && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0)
    {
      GVariant *target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));

      if (target != NULL && g_variant_get_int64 (target) == shipment_id)
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, action, shipment_id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
total_open (PsExceptionsView *view)
{
  GPtrArray *groups = ps_exceptions_view_get_groups (view);
  guint n = 0;

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    n += ((PsExceptionGroup *) g_ptr_array_index (groups, i))->n_open;
  return n;
}

static PsExceptionRow *
first_row (PsExceptionsView *view)
{
  GPtrArray *groups = ps_exceptions_view_get_groups (view);
  PsExceptionGroup *g;

  g_assert_nonnull (groups);
  g_assert_cmpuint (groups->len, >, 0);
  g = g_ptr_array_index (groups, 0);
  return g_ptr_array_index (g->rows, 0);
}

/* A click, at once (gtk_widget_activate() on a button clicks 250 ms later). */
static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
}

/* What a click on a response button does: the response, then closing. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* A window with the view; "win.ship-orders" records what it was asked. */
static GArray *shipped;

static void
ship_orders_cb (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  gsize n = 0;
  const gint64 *ids = g_variant_get_fixed_array (param, &n, sizeof (gint64));

  g_array_append_vals (shipped, ids, n);
}

static PsExceptionsView *
new_view (GtkWindow **window_out,
          PsContext  *ctx)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = ps_exceptions_view_new ();
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) ship = g_simple_action_new ("ship-orders", G_VARIANT_TYPE ("ax"));

  g_signal_connect (ship, "activate", G_CALLBACK (ship_orders_cb), NULL);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (ship));
  gtk_widget_insert_action_group (window, "win", G_ACTION_GROUP (group));
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), view);
  gtk_window_present (GTK_WINDOW (window));
  ps_exceptions_view_set_context (PS_EXCEPTIONS_VIEW (view), ctx);
  PS_TEST_WAIT_UNTIL (ps_exceptions_view_get_groups (PS_EXCEPTIONS_VIEW (view)) != NULL
                      && !ps_exceptions_view_get_loading (PS_EXCEPTIONS_VIEW (view)),
                      "the exceptions to load");
  *window_out = GTK_WINDOW (window);
  return PS_EXCEPTIONS_VIEW (view);
}

static void
test_format_age (void)
{
  const struct { gint64 seconds; const char *text; } cases[] = {
    { -50, "1 minute" },
    { 30, "1 minute" },
    { 90 * 60, "90 minutes" },
    { 2 * 3600, "2 hours" },
    { 47 * 3600 + 3599, "47 hours" },
    { 48 * 3600, "2 days" },
    { 3 * 86400 + 5, "3 days" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ps_exceptions_view_format_age (cases[i].seconds);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The demo's exceptions, grouped with the counts SQL gives. */
static void
test_groups (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  g_autofree char *expected = sql_groups ();
  g_autofree char *model = model_groups (view, FALSE);
  g_autofree char *people = model_groups (view, TRUE);
  g_autoptr(GString) shown = g_string_new (NULL);
  GPtrArray *groups = ps_exceptions_view_get_groups (view);
  guint n_rows = 0;

  /* The demo has more than one reason, so grouping is really tested. */
  g_assert_cmpint (sql_int ("SELECT count (DISTINCT exception_reason) FROM shipments"
                            " WHERE exception_reason IS NOT NULL AND voided_at IS NULL"
                            " AND delivered_at IS NULL"), >=, 2);
  g_assert_cmpstr (model, ==, expected);
  collect_widget_groups (GTK_WIDGET (view), shown);
  g_assert_cmpstr (shown->str, ==, people);

  /* One row per exception (fewer than the row limit here), each with its
   * four actions; ages from the first exception event, or the label. */
  for (guint i = 0; i < groups->len; i++)
    {
      PsExceptionGroup *g = g_ptr_array_index (groups, i);

      g_assert_cmpuint (g->rows->len, ==, g->n_open);
      n_rows += g->rows->len;
      for (guint j = 0; j < g->rows->len; j++)
        {
          PsExceptionRow *row = g_ptr_array_index (g->rows, j);
          gint64 first_event = sql_int ("SELECT coalesce (min (occurred_at), 0) FROM tracking_events"
                                        " WHERE shipment_id = %" G_GINT64_FORMAT
                                        " AND status = 'exception'", row->shipment_id);
          gint64 label = sql_int ("SELECT label_created_at FROM shipments WHERE id = %"
                                  G_GINT64_FORMAT, row->shipment_id);

          g_assert_cmpint (row->since, ==, first_event != 0 ? first_event : label);
          g_assert_cmpint (row->since, >=, g->oldest_since);
          g_assert_nonnull (find_button (GTK_WIDGET (view), "exceptions.email", row->shipment_id));
          g_assert_nonnull (find_button (GTK_WIDGET (view), "exceptions.resolve", row->shipment_id));
          g_assert_nonnull (find_button (GTK_WIDGET (view), "exceptions.reship", row->shipment_id));
          g_assert_nonnull (find_button (GTK_WIDGET (view), "exceptions.add-note", row->shipment_id));
        }
    }
  g_assert_cmpuint (count_type (GTK_WIDGET (view), GTK_TYPE_LIST_BOX_ROW), ==, n_rows);

  /* Tab goes from one action button to the next. */
  {
    PsExceptionRow *row = first_row (view);
    GtkWidget *email = find_button (GTK_WIDGET (view), "exceptions.email", row->shipment_id);

    ps_test_spin (200);
    g_assert_true (gtk_widget_grab_focus (email));
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_root_get_focus (GTK_ROOT (window))
                   == find_button (GTK_WIDGET (view), "exceptions.resolve", row->shipment_id));
  }
  g_assert_cmpuint (count_type (GTK_WIDGET (view), GTK_TYPE_LIST_BOX), ==, groups->len);

  gtk_window_destroy (window);
}

/* Resolving through the dialog removes exactly that exception and stores
 * the root cause chosen. */
static void
test_resolve (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  guint before = total_open (view);
  PsExceptionRow *row = first_row (view);
  gint64 shipment_id = row->shipment_id;
  gint64 notes_before = sql_int ("SELECT count (*) FROM notes WHERE order_id = %" G_GINT64_FORMAT,
                                 row->order_id);
  gint64 order_id = row->order_id;
  AdwMessageDialog *dialog;
  PsChoiceButton *choice;

  click (find_button (GTK_WIDGET (view), "exceptions.resolve", shipment_id));
  PS_TEST_WAIT_UNTIL ((dialog = (AdwMessageDialog *) ps_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL,
                      "the resolve dialog");
  choice = PS_CHOICE_BUTTON (adw_message_dialog_get_extra_child (dialog));
  g_assert_true (ps_choice_button_set_selected (choice, "workflow"));
  respond (dialog, "resolve");

  PS_TEST_WAIT_UNTIL (!ps_exceptions_view_get_loading (view) && total_open (view) == before - 1,
                      "the resolved exception to leave the list");
  g_assert_null (find_button (GTK_WIDGET (view), "exceptions.resolve", shipment_id));
  g_assert_cmpint (sql_int ("SELECT exception_resolved_at FROM shipments WHERE id = %" G_GINT64_FORMAT,
                            shipment_id), ==, DEMO_NOW);
  g_assert_cmpint (sql_int ("SELECT exception_root_cause = 'workflow' FROM shipments WHERE id = %"
                            G_GINT64_FORMAT, shipment_id), ==, 1);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM notes WHERE order_id = %" G_GINT64_FORMAT,
                            order_id), ==, notes_before + 1);
  {
    g_autofree char *expected = sql_groups ();
    g_autofree char *model = model_groups (view, FALSE);
    g_assert_cmpstr (model, ==, expected);
  }

  /* Cancel changes nothing. */
  row = first_row (view);
  shipment_id = row->shipment_id;
  click (find_button (GTK_WIDGET (view), "exceptions.resolve", shipment_id));
  PS_TEST_WAIT_UNTIL ((dialog = (AdwMessageDialog *) ps_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL,
                      "the resolve dialog");
  respond (dialog, "cancel");
  PS_TEST_WAIT_UNTIL (ps_exceptions_view_get_n_pending (view) == 0, "the dialog to go");
  ps_test_spin (400);
  g_assert_cmpuint (total_open (view), ==, before - 1);
  g_assert_cmpint (sql_int ("SELECT exception_resolved_at IS NULL FROM shipments WHERE id = %"
                            G_GINT64_FORMAT, shipment_id), ==, 1);

  gtk_window_destroy (window);
}

/* Pressing Email Customer twice queues one message. */
static void
test_email_once (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  PsExceptionRow *row = first_row (view);
  gint64 shipment_id = row->shipment_id, order_id = row->order_id;   /* rows go with a reload */
  g_autofree char *key = ps_exception_email_key (row->shipment_id, row->reason);
  gint64 before = sql_int ("SELECT count (*) FROM messages");
  GtkWidget *button = find_button (GTK_WIDGET (view), "exceptions.email", shipment_id);

  g_assert_nonnull (button);
  /* Two clicks at once (gtk_widget_activate() would merge them). */
  click (button);
  click (button);
  g_assert_cmpuint (ps_exceptions_view_get_n_pending (view), ==, 2);
  PS_TEST_WAIT_UNTIL (ps_exceptions_view_get_n_pending (view) == 0, "both emails to be answered");
  g_assert_cmpint (sql_int ("SELECT count (*) FROM messages"), ==, before + 1);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM messages WHERE dedup_key = '%s' AND order_id = %"
                            G_GINT64_FORMAT " AND status = 'queued'"
                            " AND template_id = (SELECT id FROM message_templates WHERE name = 'delay')",
                            key, order_id), ==, 1);

  /* Later, after a reload, still one. */
  ps_exceptions_view_reload (view);
  PS_TEST_WAIT_UNTIL (!ps_exceptions_view_get_loading (view), "the reload");
  button = find_button (GTK_WIDGET (view), "exceptions.email", shipment_id);
  click (button);
  PS_TEST_WAIT_UNTIL (ps_exceptions_view_get_n_pending (view) == 0, "the third email");
  g_assert_cmpint (sql_int ("SELECT count (*) FROM messages"), ==, before + 1);

  gtk_window_destroy (window);
}

/* Add Note opens an entry; Enter adds the note to the order. */
static void
test_add_note (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  PsExceptionRow *row = first_row (view);
  gint64 shipment_id = row->shipment_id, order_id = row->order_id;
  gint64 before = sql_int ("SELECT count (*) FROM notes WHERE order_id = %" G_GINT64_FORMAT, order_id);
  GtkWidget *add, *revealer, *entry;

  /* The entry is made when first asked for. */
  g_assert_null (find_button (GTK_WIDGET (view), "exceptions.save-note", shipment_id));
  click (find_button (GTK_WIDGET (view), "exceptions.add-note", shipment_id));
  add = find_button (GTK_WIDGET (view), "exceptions.save-note", shipment_id);
  g_assert_nonnull (add);
  revealer = gtk_widget_get_ancestor (add, GTK_TYPE_REVEALER);
  entry = gtk_widget_get_first_child (gtk_revealer_get_child (GTK_REVEALER (revealer)));
  g_assert_true (GTK_IS_ENTRY (entry));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), entry));

  /* An empty note is refused. */
  g_signal_emit_by_name (entry, "activate");
  ps_test_spin (200);
  g_assert_cmpuint (ps_exceptions_view_get_n_pending (view), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (entry), "  Called the carrier: claim 4411  ");
  g_signal_emit_by_name (entry, "activate");   /* Enter */
  g_assert_cmpuint (ps_exceptions_view_get_n_pending (view), ==, 1);
  PS_TEST_WAIT_UNTIL (ps_exceptions_view_get_n_pending (view) == 0, "the note to be added");
  g_assert_cmpint (sql_int ("SELECT count (*) FROM notes WHERE order_id = %" G_GINT64_FORMAT
                            " AND body = 'Called the carrier: claim 4411' AND author = 'merchant'",
                            order_id), ==, 1);
  g_assert_cmpint (sql_int ("SELECT count (*) FROM notes WHERE order_id = %" G_GINT64_FORMAT, order_id),
                   ==, before + 1);

  /* The entry is closed and emptied; the note's orders-changed reloads
   * the list, which did not change, so the rows stay as they are. */
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  PS_TEST_WAIT_UNTIL (!ps_exceptions_view_get_loading (view), "the reload");
  g_assert_true (find_button (GTK_WIDGET (view), "exceptions.save-note", shipment_id) == add);

  gtk_window_destroy (window);
}

/* Reship asks the window to ship the order. */
static void
test_reship (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  PsExceptionRow *row = first_row (view);

  g_array_set_size (shipped, 0);
  click (find_button (GTK_WIDGET (view), "exceptions.reship", row->shipment_id));
  g_assert_cmpuint (shipped->len, ==, 1);
  g_assert_cmpint (g_array_index (shipped, gint64, 0), ==, row->order_id);

  gtk_window_destroy (window);
}

/* A new exception on a resolved parcel comes back after orders-changed. */
typedef struct
{
  gint64 shipment_id;
} Reopen;

static gpointer
reopen_job (PsDatabase    *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Reopen *r = data;
  PsTrackingEventFields events[] = {
    { DEMO_NOW + 3600, PS_TRACKING_STATUS_IN_TRANSIT, PS_EXCEPTION_REASON_NONE, "Picked up", NULL },
    { DEMO_NOW + 7200, PS_TRACKING_STATUS_EXCEPTION, PS_EXCEPTION_REASON_ADDRESS_ISSUE,
      "Address incomplete", NULL },
  };
  PsTrackingAnswer answer = { PS_TRACKING_STATUS_EXCEPTION, PS_EXCEPTION_REASON_ADDRESS_ISSUE, 0,
                              events, G_N_ELEMENTS (events) };
  PsTrackingChange change;

  return ps_tracking_store_apply_update_sync (db, r->shipment_id, &answer, DEMO_NOW + 7300,
                                              &change, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
test_reopen (void)
{
  GtkWindow *window;
  PsExceptionsView *view = new_view (&window, context);
  g_autoptr(GError) error = NULL;
  Reopen r = { 0 };
  guint before = total_open (view);

  /* The one resolved earlier in this run. */
  r.shipment_id = sql_int ("SELECT id FROM shipments WHERE exception_root_cause = 'workflow'");
  g_assert_cmpint (r.shipment_id, >, 0);
  g_assert_null (find_button (GTK_WIDGET (view), "exceptions.email", r.shipment_id));

  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), reopen_job, &r,
                                          NULL, &error));
  g_assert_no_error (error);
  ps_order_store_emit_changed (ps_context_get_order_store (context), NULL);
  PS_TEST_WAIT_UNTIL (!ps_exceptions_view_get_loading (view) && total_open (view) == before + 1,
                      "the reopened exception");
  g_assert_nonnull (find_button (GTK_WIDGET (view), "exceptions.email", r.shipment_id));

  gtk_window_destroy (window);
}

/* No exceptions: the empty state says every parcel is moving. */
static void
test_empty (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "postsale-exceptions-empty.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(PsContext) empty = NULL;
  GtkWindow *window;
  PsExceptionsView *view;
  GtkWidget *stack;

  g_unlink (path);
  empty = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  view = new_view (&window, empty);
  g_assert_cmpuint (ps_exceptions_view_get_groups (view)->len, ==, 0);
  /* The view holds a toast overlay holding the stack. */
  stack = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (gtk_widget_get_first_child (GTK_WIDGET (view))));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (gtk_stack_get_visible_child (GTK_STACK (stack)))),
                   ==, "No Exceptions");

  gtk_window_destroy (window);
  ps_test_spin (100);
  ps_database_close (ps_context_get_database (empty));
  g_clear_object (&empty);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
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
  g_autofree char *tmpdir = NULL;
  g_autoptr(GError) error = NULL;
  /* Seed 2 has late handoffs, lost and damaged parcels on this day. */
  PsDemoOptions options = { 1000, 2, DEMO_NOW, FALSE };
  int ret;

  g_setenv ("POSTSALE_NOW", G_STRINGIFY (DEMO_NOW), TRUE);
  /* No ISOLATE_DIRS: it hides the icon theme (see test-window.c). */
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();

  tmpdir = g_dir_make_tmp ("postsale-exceptions-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (tmpdir, "exceptions.db", NULL);
  context = ps_context_open (db_path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options,
                                          NULL, &error));
  g_assert_no_error (error);
  shipped = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* In this order: later tests use what earlier ones resolved. */
  g_test_add_func ("/ui/exceptions/format-age", test_format_age);
  g_test_add_func ("/ui/exceptions/groups", test_groups);
  g_test_add_func ("/ui/exceptions/resolve", test_resolve);
  g_test_add_func ("/ui/exceptions/email-once", test_email_once);
  g_test_add_func ("/ui/exceptions/add-note", test_add_note);
  g_test_add_func ("/ui/exceptions/reship", test_reship);
  g_test_add_func ("/ui/exceptions/reopen", test_reopen);
  g_test_add_func ("/ui/exceptions/empty", test_empty);

  ret = g_test_run ();
  ps_database_close (ps_context_get_database (context));
  g_clear_object (&context);
  g_array_unref (shipped);
  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (db_path);
    g_rmdir (tmpdir);
  }
  g_free (db_path);
  return ret;
}
