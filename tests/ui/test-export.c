/* test-export.c: exporting the selected orders from the Orders page
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real window on a demo database under Xvfb. The file chooser is
 * GtkFileChooserNative; without a portal (as here) it shows GTK's own
 * dialog, which the test answers like a person would: it keeps the
 * suggested name, picks the folder and presses Export. The
 * `orders.export-to` action (a path, no dialog) drives the error and
 * cancel cases.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ps-application.h"
#include "ps-demo.h"
#include "ps-order-export.h"
#include "ps-orders-page.h"
#include "ps-test-ui.h"
#include "ps-window.h"

#define N_DEMO_ORDERS 300

static PsApplication *app;
static PsContext *context;
static char *tmpdir;

static PsWindow *
new_window (PsOrdersPage **page)
{
  g_autoptr(GSettings) settings = g_settings_new ("com.example.Postsale");
  PsWindow *window = ps_window_new (app, settings);
  PsOrderList *list;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  ps_window_set_context (window, context);
  *page = ps_test_find_orders_page (GTK_WIDGET (window));
  g_assert_nonnull (*page);
  list = ps_orders_page_get_list (*page);
  ps_test_spin (50);
  PS_TEST_WAIT_UNTIL (!ps_order_list_get_loading (list), "order list to load");
  return window;
}

static GtkSelectionModel *
page_selection (PsOrdersPage *page)
{
  return gtk_column_view_get_model (GTK_COLUMN_VIEW (ps_orders_page_get_view (page)));
}

/* The order numbers of list rows first..first+n-1, as the list shows them. */
static GPtrArray *
list_numbers (PsOrdersPage *page,
              guint         first,
              guint         n)
{
  GListModel *list = G_LIST_MODEL (ps_orders_page_get_list (page));
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);

  for (guint i = first; i < first + n; i++)
    {
      g_autoptr(PsOrder) order = g_list_model_get_item (list, i);

      PS_TEST_WAIT_UNTIL (ps_order_get_loaded (order), "a row to load");
      g_ptr_array_add (numbers, g_strdup (ps_order_get_order_number (order)));
    }
  return numbers;
}

/* The first cell of every data row; the numbers here never need quoting. */
static GPtrArray *
file_numbers (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "Order Number,"));
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      const char *comma = strchr (lines[i], ',');

      g_assert_nonnull (comma);
      g_ptr_array_add (numbers, g_strndup (lines[i], comma - lines[i]));
    }
  return numbers;
}

static void
assert_same_numbers (GPtrArray *a,
                     GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
}

/* Export… opens a save dialog with a dated name; Export writes the
 * selected orders in list order. */
static void
test_export_through_file_chooser (void)
{
  PsOrdersPage *page = NULL;
  PsWindow *window = new_window (&page);
  g_autofree char *folder = g_build_filename (tmpdir, "chosen", NULL);
  g_autofree char *expected_name = ps_order_export_suggest_name (NULL);
  g_autofree char *path = g_build_filename (folder, expected_name, NULL);
  g_autoptr(GPtrArray) selected = NULL;
  g_autoptr(GPtrArray) written = NULL;
  g_autofree char *current_name = NULL;
  GtkWindow *dialog;

  g_mkdir_with_parents (folder, 0700);
  g_assert_true (gtk_selection_model_select_range (page_selection (page), 10, 7, TRUE));
  selected = list_numbers (page, 10, 7);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-selection", NULL));
  PS_TEST_WAIT_UNTIL ((dialog = ps_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG)) != NULL,
                      "the save dialog");
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  current_name = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (dialog));
  g_assert_cmpstr (current_name, ==, expected_name);
  /* Typed into the name field, as a person may: a full path. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), path);
  ps_test_spin (100);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS

  PS_TEST_WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), "the exported file");
  written = file_numbers (path);
  assert_same_numbers (selected, written);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Select-all exports every order, newest first as listed. */
static void
test_export_all (void)
{
  PsOrdersPage *page = NULL;
  PsWindow *window = new_window (&page);
  g_autofree char *path = g_build_filename (tmpdir, "all.csv", NULL);
  g_autoptr(GPtrArray) written = NULL;
  g_autoptr(GPtrArray) first = NULL;

  g_assert_true (gtk_selection_model_select_all (page_selection (page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-to", "s", path));
  PS_TEST_WAIT_UNTIL (g_file_test (path, G_FILE_TEST_EXISTS), "the exported file");
  written = file_numbers (path);
  g_assert_cmpuint (written->len, ==, N_DEMO_ORDERS);
  first = list_numbers (page, 0, 5);
  g_ptr_array_set_size (written, 5);
  assert_same_numbers (first, written);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A folder that does not exist: a dialog says so; nothing is written. */
static void
test_export_error_dialog (void)
{
  PsOrdersPage *page = NULL;
  PsWindow *window = new_window (&page);
  g_autofree char *path = g_build_filename (tmpdir, "gone", "orders.csv", NULL);
  AdwMessageDialog *dialog;

  g_assert_true (gtk_selection_model_select_range (page_selection (page), 0, 3, TRUE));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-to", "s", path));
  PS_TEST_WAIT_UNTIL ((dialog = (AdwMessageDialog *)ps_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG))
                      != NULL, "the error dialog");
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Could Not Export Orders");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "does not exist"));
  adw_message_dialog_response (dialog, "close");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gpointer
busy_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  return GINT_TO_POINTER (TRUE);
}

/* Cancel Export stops it; the old file stays; the next export works. */
static void
test_export_cancel (void)
{
  PsOrdersPage *page = NULL;
  PsWindow *window = new_window (&page);
  g_autofree char *path = g_build_filename (tmpdir, "cancel.csv", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, "old\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (gtk_selection_model_select_all (page_selection (page)));
  /* Keep the database worker busy so the export cannot finish on the
   * other core before Cancel is pressed (a small export takes ~30 ms). */
  ps_database_run_async (ps_context_get_database (context), busy_job, NULL, NULL, NULL, NULL, NULL, NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-to", "s", path));
  /* A second export while one runs is refused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-to", "s", path));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "orders.cancel-export", NULL));
  ps_test_spin (500);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "old\n");
  {
    g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (g_str_has_prefix (name, ".postsale-export-"));
  }

  /* The cancelled export may still be winding down on a busy machine; a
   * new one is refused until it has: ask until one runs and lands. */
  PS_TEST_WAIT_UNTIL (({ g_autofree char *now = NULL;
                 gtk_widget_activate_action (GTK_WIDGET (page), "orders.export-to", "s", path);
                 ps_test_spin (50);
                 g_file_get_contents (path, &now, NULL, NULL);
                 now != NULL && g_str_has_prefix (now, "Order Number,"); }),
              "the export after a cancel");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gpointer
demo_job (PsDatabase    *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return ps_demo_generate (db, data, NULL, cancellable, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  PsDemoOptions options = { N_DEMO_ORDERS, 5, 1795000000 };
  int ret;

  /* No ISOLATE_DIRS: it hides the icon theme (see test-window.c). */
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();

  tmpdir = g_dir_make_tmp ("postsale-ui-export-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "ui.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options,
                                          NULL, &error));
  g_assert_no_error (error);

  app = ps_application_new ("com.example.Postsale.TestExport", G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/export/file-chooser", test_export_through_file_chooser);
  g_test_add_func ("/ui/export/all", test_export_all);
  g_test_add_func ("/ui/export/error-dialog", test_export_error_dialog);
  g_test_add_func ("/ui/export/cancel", test_export_cancel);

  ret = g_test_run ();
  g_clear_object (&context);
  g_clear_object (&app);
  remove_tree (tmpdir);
  g_free (tmpdir);
  return ret;
}
