/* test-email-preferences.c: Preferences › Email on a real demo database
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A PsEmailPreferences in an AdwPreferencesWindow, with a real
 * PsOutboxService on a demo database, driven through its widgets:
 *   * Save with a bad port is refused naming the field and stores nothing;
 *     a good form is stored (read back through the service) and the
 *     password lands in the keyring, not the database;
 *   * Send Test Email reaches a real SMTP server on loopback
 *     (tests/services/smtp-fixture.py, aiosmtpd, with a login), and a
 *     refused recipient shows the server's error;
 *   * a template with an unknown placeholder shows the parser's message
 *     and cannot be saved; fixed, it is saved, and the preview shows the
 *     newest shipped demo order's number and customer's first name;
 *     Revert to Built-in puts the shipped text back.
 *
 * Runs under Xvfb and a session keyring (build-aux/ci-session.sh) with
 * G_DEBUG=fatal-criticals.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "ps-demo.h"
#include "ps-email-preferences.h"
#include "ps-smtp.h"
#include "ps-test-ui.h"
#include "ps-time.h"
#include "ps-ui-resources.h"

#define N_DEMO_ORDERS 200
#define USER "shop-login"
#define PASSWORD "s3cret pass"

static PsContext *context;
static PsOutboxService *outbox;
static GtkWindow *window;
static PsEmailPreferences *page;
static gboolean have_keyring;

/* Finding widgets */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GPtrArray *
find_all (GType type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (window), type, found);
  return found;
}

static GtkWidget *
find_row (GType       type,
          const char *title)
{
  g_autoptr(GPtrArray) rows = find_all (type);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  g_error ("no row %s", title);
  return NULL;
}

static void
set_entry (const char *title,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find_row (ADW_TYPE_ENTRY_ROW, title)), text);
}

static GtkWidget *
find_button (const char *label,
             const char *css_class)
{
  g_autoptr(GPtrArray) buttons = find_all (GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (b)), label) == 0 &&
          (css_class == NULL || gtk_widget_has_css_class (b, css_class)))
        return b;
    }
  g_error ("no button %s", label);
  return NULL;
}

static GtkLabel *
find_label (const char *name)
{
  g_autoptr(GPtrArray) labels = find_all (GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (labels, i)), name) == 0)
      return g_ptr_array_index (labels, i);
  g_error ("no label %s", name);
  return NULL;
}

static void
click (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
wait_page (void)
{
  ps_test_spin (20);
  PS_TEST_WAIT_UNTIL (!ps_email_preferences_get_busy (page), "the page to finish");
}

static const char *
label_text (const char *name)
{
  return gtk_label_get_label (find_label (name));
}

/* The service, waited on */

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

static PsMailSettings *
load_settings (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsMailSettings *settings;

  ps_outbox_service_load_settings_async (outbox, NULL, store_cb, &result);
  settings = ps_outbox_service_load_settings_finish (outbox, wait_result (&result), &error);
  g_assert_no_error (error);
  return settings;
}

static PsMessageTemplate *
load_template (const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  ps_outbox_service_list_templates_async (outbox, NULL, store_cb, &result);
  list = ps_outbox_service_list_templates_finish (outbox, wait_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      PsMessageTemplate *t = g_ptr_array_index (list, i);

      if (g_str_equal (t->name, name))
        return ps_message_template_copy (t);
    }
  g_error ("no template %s", name);
  return NULL;
}

/* The SMTP server */

static guint16 smtp_port;
static GSubprocess *smtp_server;
static char *maildir;

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, 0, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
start_smtp_server (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "services", "smtp-fixture.py", NULL);
  g_autofree char *port = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  smtp_port = free_port ();
  port = g_strdup_printf ("%u", smtp_port);
  maildir = g_dir_make_tmp ("email-prefs-mail-XXXXXX", &error);
  g_assert_no_error (error);
  smtp_server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                  G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                                  "/usr/bin/python3", script, maildir, port, "--auth", USER ":" PASSWORD, NULL);
  if (smtp_server == NULL)
    return FALSE;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (smtp_server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
  return g_strcmp0 (line, "READY") == 0;
}

static void
stop_smtp_server (void)
{
  if (smtp_server == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (smtp_server), NULL, NULL);
  g_subprocess_wait (smtp_server, NULL, NULL);
  g_clear_object (&smtp_server);
}

static GPtrArray *
received (void)
{
  g_autoptr(GDir) dir = g_dir_open (maildir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (files, g_build_filename (maildir, name, NULL));
  return files;
}

/* Tests */

static void
test_smtp_settings (void)
{
  g_autoptr(PsMailSettings) before = NULL;
  g_autoptr(PsMailSettings) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *port = g_strdup_printf ("%u", smtp_port);
  g_autoptr(GPtrArray) combos = NULL;
  AdwComboRow *security;

  if (!have_keyring)
    {
      g_test_skip ("no unlocked keyring (run under build-aux/ci-session.sh)");
      return;
    }
  wait_page ();
  set_entry ("Server", "127.0.0.1");
  set_entry ("Port (empty for the usual one)", "25x");
  security = ADW_COMBO_ROW (find_row (ADW_TYPE_COMBO_ROW, "Security"));
  adw_combo_row_set_selected (security, 3);   /* None: a local relay only */
  set_entry ("Username", USER);
  set_entry ("Password", PASSWORD);
  set_entry ("From name", "Café Test");
  set_entry ("From address", "shop@example.com");

  /* A bad port is refused, naming the field; nothing is stored. */
  click (find_button ("_Save", NULL));
  wait_page ();
  g_assert_true (g_str_has_prefix (label_text ("smtp-message"), "Port: “25x”"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_label ("smtp-message")), "error"));
  before = load_settings ();
  g_assert_null (before->smtp_host);

  /* A missing From address too. */
  set_entry ("Port (empty for the usual one)", port);
  set_entry ("From address", "");
  click (find_button ("_Save", NULL));
  wait_page ();
  g_assert_true (g_str_has_prefix (label_text ("smtp-message"), "From address:"));

  set_entry ("From address", "shop@example.com");
  click (find_button ("_Save", NULL));
  wait_page ();
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (find_label ("smtp-message")), "error"));
  g_assert_true (g_str_has_prefix (label_text ("smtp-message"), "Saved."));

  after = load_settings ();
  g_assert_cmpstr (after->smtp_host, ==, "127.0.0.1");
  g_assert_cmpint (after->smtp_port, ==, smtp_port);
  g_assert_cmpstr (after->smtp_security, ==, "none");
  g_assert_cmpstr (after->smtp_user, ==, USER);
  g_assert_cmpstr (after->from_name, ==, "Café Test");
  g_assert_cmpstr (after->from_address, ==, "shop@example.com");
  /* The password is in the keyring under the server and login… */
  password = ps_smtp_password_lookup_sync ("127.0.0.1", USER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, PASSWORD);
  /* …and the entry is emptied once it is there. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (ADW_TYPE_ENTRY_ROW, "Password"))), ==, "");
}

static void
test_send_test_email (void)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *eml = NULL;

  if (!have_keyring || smtp_server == NULL)
    {
      g_test_skip (smtp_server == NULL ? "no aiosmtpd for /usr/bin/python3" : "no unlocked keyring");
      return;
    }
  wait_page ();
  /* Once saved, the test goes to the From address unless told otherwise. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (ADW_TYPE_ENTRY_ROW, "Send test to"))), ==,
                   "shop@example.com");
  set_entry ("Send test to", "owner@example.com");
  click (find_button ("Send _Test Email…", NULL));
  wait_page ();
  g_assert_cmpstr (label_text ("test-message"), ==, "The server accepted the test email to owner@example.com.");
  files = received ();
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (g_ptr_array_index (files, 0), &eml, NULL, NULL));
  g_assert_true (g_str_has_prefix (eml, "X-MailFrom: shop@example.com\r\nX-RcptTo: owner@example.com\r\n"));
  g_assert_nonnull (strstr (eml, "Subject: Test email from"));
  g_clear_pointer (&files, g_ptr_array_unref);

  /* The server's refusal is shown as it said it. */
  set_entry ("Send test to", "refuse-me@example.com");
  click (find_button ("Send _Test Email…", NULL));
  wait_page ();
  g_assert_true (g_str_has_prefix (label_text ("test-message"), "The test email was not sent: "));
  g_assert_nonnull (strstr (label_text ("test-message"), "no such mailbox here"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (find_label ("test-message")), "error"));
  files = received ();
  g_assert_cmpuint (files->len, ==, 1);
}

static void
test_brand (void)
{
  g_autoptr(PsMailSettings) settings = NULL;
  g_autoptr(GPtrArray) colors = NULL;
  GdkRGBA rgba;

  wait_page ();
  set_entry ("Shop name", "Café Test Shop");
  colors = find_all (GTK_TYPE_COLOR_BUTTON);
  g_assert_cmpuint (colors->len, ==, 1);
  g_assert_true (gdk_rgba_parse (&rgba, "#112233"));
  gtk_color_chooser_set_rgba (g_ptr_array_index (colors, 0), &rgba);
  click (find_button ("Save _Brand", NULL));
  wait_page ();
  g_assert_true (g_str_has_prefix (label_text ("brand-message"), "Saved."));
  settings = load_settings ();
  g_assert_cmpstr (settings->shop_name, ==, "Café Test Shop");
  g_assert_cmpstr (settings->brand_color, ==, "#112233");
  g_assert_null (settings->logo_path);
  /* The SMTP settings saved before are kept. */
  if (have_keyring)
    g_assert_cmpstr (settings->smtp_host, ==, "127.0.0.1");
}

static void
test_template_editor (void)
{
  g_autoptr(PsMessageTemplate) builtin = NULL;
  g_autoptr(PsMessageTemplate) stored = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *expected_subject = NULL;
  g_autofree char *hello = NULL;
  g_autofree char *html_path = g_build_filename (g_get_user_cache_dir (), "postsale", "email-preview.html", NULL);
  g_autofree char *html = NULL;
  const PsMessageOrder *order;
  GtkWidget *save;
  char *space;

  wait_page ();
  builtin = load_template ("shipped");
  g_signal_emit_by_name (find_row (ADW_TYPE_ACTION_ROW, "Shipped"), "activated");
  wait_page ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (ADW_TYPE_ENTRY_ROW, "Subject"))), ==,
                   builtin->subject);

  /* An unknown placeholder: the parser's message, and no saving. */
  set_entry ("Subject", "Order {{order_nmber}} for {{customer_first_name}}");
  save = find_button ("_Save", "suggested-action");
  g_assert_false (gtk_widget_is_sensitive (save));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (find_label ("template-message"))));
  g_assert_nonnull (strstr (label_text ("template-message"), "order_nmber"));
  {
    g_autoptr(GError) parser = NULL;

    g_assert_false (ps_mail_template_check ("Order {{order_nmber}} for {{customer_first_name}}",
                                            builtin->body_html, builtin->body_text, &parser));
    g_assert_cmpstr (label_text ("template-message"), ==, parser->message);
  }
  g_signal_emit_by_name (save, "clicked");   /* even if clicked somehow */
  wait_page ();
  stored = load_template ("shipped");
  g_assert_cmpstr (stored->subject, ==, builtin->subject);
  g_clear_pointer (&stored, ps_message_template_free);

  /* Fixed: saved. */
  set_entry ("Subject", "Order {{order_number}} for {{customer_first_name}}");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (find_label ("template-message"))));
  click (save);
  wait_page ();
  g_assert_true (g_str_has_prefix (label_text ("template-message"), "Saved."));
  stored = load_template ("shipped");
  g_assert_cmpstr (stored->subject, ==, "Order {{order_number}} for {{customer_first_name}}");
  g_assert_cmpstr (stored->body_text, ==, builtin->body_text);
  g_clear_pointer (&stored, ps_message_template_free);

  /* The preview is the newest demo order with a shipment. */
  ps_outbox_service_list_preview_orders_async (outbox, 1, NULL, store_cb, &result);
  orders = ps_outbox_service_list_preview_orders_finish (outbox, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1);
  order = g_ptr_array_index (orders, 0);
  g_assert_nonnull (order->customer_name);
  first_name = g_strdup (order->customer_name);
  if ((space = strchr (first_name, ' ')) != NULL)
    *space = '\0';
  expected_subject = g_strdup_printf ("Order %s for %s", order->order_number, first_name);
  hello = g_strdup_printf ("Hi %s,", first_name);
  PS_TEST_WAIT_UNTIL (g_strcmp0 (label_text ("preview-subject"), expected_subject) == 0, "the preview subject");
  g_assert_true (g_str_has_prefix (label_text ("preview-text"), hello));
  g_assert_nonnull (strstr (label_text ("preview-text"), order->order_number));
  g_assert_true (g_str_has_suffix (label_text ("preview-text"), "Thank you for shopping with Café Test Shop."));

  /* Open HTML Preview writes the rendered HTML (brand header and all)
   * before asking for a browser, which the test session may not have. */
  g_unlink (html_path);
  click (find_button ("Open _HTML Preview", NULL));
  wait_page ();
  g_assert_true (g_file_get_contents (html_path, &html, NULL, NULL));
  g_assert_nonnull (strstr (html, order->order_number));
  g_assert_nonnull (strstr (html, "#112233"));
  g_assert_nonnull (strstr (html, "Café Test Shop"));
  g_unlink (html_path);

  /* Revert to Built-in. */
  click (find_button ("_Revert to Built-in", NULL));
  wait_page ();
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_row (ADW_TYPE_ENTRY_ROW, "Subject"))), ==,
                   builtin->subject);
  stored = load_template ("shipped");
  g_assert_cmpstr (stored->subject, ==, builtin->subject);
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
  PsDemoOptions options = { N_DEMO_ORDERS, 5, 0 };
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    return 77;   /* no display: skipped (CI runs this suite under Xvfb) */
  adw_init ();
  g_assert_nonnull (ps_ui_get_resource ());

  tmpdir = g_dir_make_tmp ("postsale-email-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (tmpdir, "ui.db", NULL);
  context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  options.now = ps_time_now ();
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (context), demo_job, &options, NULL, &error));
  g_assert_no_error (error);

  /* The keyring the app would use; without one (a plain `meson test`) the
   * SMTP tests are skipped rather than failed. */
  have_keyring = ps_smtp_password_store_sync ("probe.invalid", "probe", "x", NULL, NULL);
  if (!start_smtp_server ())
    g_clear_object (&smtp_server);

  outbox = ps_outbox_service_new (context);
  window = GTK_WINDOW (adw_preferences_window_new ());
  gtk_window_set_default_size (window, 800, 760);
  page = PS_EMAIL_PREFERENCES (ps_email_preferences_new (outbox));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  gtk_window_present (window);

  g_test_add_func ("/ui/email/smtp-settings", test_smtp_settings);
  g_test_add_func ("/ui/email/send-test-email", test_send_test_email);
  g_test_add_func ("/ui/email/brand", test_brand);
  g_test_add_func ("/ui/email/template-editor", test_template_editor);
  ret = g_test_run ();

  stop_smtp_server ();
  gtk_window_destroy (window);
  g_clear_object (&outbox);
  g_clear_object (&context);
  if (maildir != NULL)
    {
      g_autoptr(GPtrArray) files = received ();

      for (guint i = 0; i < files->len; i++)
        g_unlink (g_ptr_array_index (files, i));
      g_rmdir (maildir);
      g_free (maildir);
    }
  g_unlink (path);
  g_rmdir (tmpdir);
  return ret;
}
