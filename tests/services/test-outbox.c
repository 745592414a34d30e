/* test-outbox.c: customer email end to end: templates, the outbox, GMime
 * and a real SMTP server on loopback (tests/services/smtp-fixture.py,
 * aiosmtpd)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-outbox"

#include "config.h"

#include <gmime/gmime.h>
#include <glib/gstdio.h>

#include "ps-database-private.h"
#include "ps-mail-compose.h"
#include "ps-outbox.h"
#include "ps-outbox-service.h"
#include "ps-smtp.h"

#define NOW 1795000000
#define NASTY_NAME "<b>Tom & \"Jerry\"</b>"

typedef struct
{
  PsContext       *context;
  PsOutboxService *service;
  char            *maildir;
  guint16          port;
  GSubprocess     *server;
  gint64           now;
  gint64           order_id;
} Fixture;

static gint64
fixed_now (gpointer data)
{
  return ((Fixture *)data)->now;
}

/* SQL on the worker */

typedef struct
{
  const char *sql;
  gint64      value;
} Exec;

static gpointer
exec_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Exec *e = data;
  sqlite3_stmt *stmt = _ps_database_prepare (db, e->sql, error);

  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    e->value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return GINT_TO_POINTER (TRUE);
}

static gint64
sql (Fixture    *f,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static gint64
sql (Fixture    *f,
     const char *format,
     ...)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  Exec e = { NULL, 0 };
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  e.sql = text;
  g_assert_nonnull (ps_database_run_sync (ps_context_get_database (f->context), exec_job, &e, NULL, &error));
  g_assert_no_error (error);
  return e.value;
}

/* The SMTP server */

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

static void
server_start (Fixture    *f,
              const char *auth)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "services", "smtp-fixture.py", NULL);
  g_autofree char *port = g_strdup_printf ("%u", f->port);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  if (auth != NULL)
    f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                  "/usr/bin/python3", script, f->maildir, port, "--auth", auth, NULL);
  else
    f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                  "/usr/bin/python3", script, f->maildir, port, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "READY");
}

static void
server_stop (Fixture *f)
{
  if (f->server == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (f->server), NULL, NULL);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
}

static gboolean
have_aiosmtpd (void)
{
  char *argv[] = { (char *)"/usr/bin/python3", (char *)"-c", (char *)"import aiosmtpd", NULL };
  int status = -1;

  return g_spawn_sync (NULL, argv, NULL,
                       G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* Received mail */

static GPtrArray *
received (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->maildir, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".eml"))
      g_ptr_array_add (files, g_build_filename (f->maildir, name, NULL));
  return files;
}

static guint
n_received (Fixture *f)
{
  g_autoptr(GPtrArray) files = received (f);

  return files->len;
}

static GMimeMessage *
parse (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  stream = g_mime_stream_mem_new_with_buffer (data, len);
  parser = g_mime_parser_new_with_stream (stream);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

static char *
part_text (GMimeObject *part)
{
  g_assert_true (GMIME_IS_TEXT_PART (part));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

/* Setup */

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "outbox.db", NULL);
  g_autoptr(GError) error = NULL;

  g_unlink (path);
  f->context = ps_context_open (path, PS_CONTEXT_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  f->now = NOW;
  f->service = ps_outbox_service_new (f->context);
  ps_outbox_service_set_now_func (f->service, fixed_now, f);
  f->maildir = g_dir_make_tmp ("outbox-mail-XXXXXX", &error);
  g_assert_no_error (error);
  f->port = free_port ();

  sql (f, "INSERT INTO channels (kind, name, created_at) VALUES ('manual', 'Web', 0)");
  f->order_id = sql (f, "INSERT INTO orders (channel_id, order_number, customer_name, customer_email,"
                        " currency, created_at, updated_at) VALUES (1, '#1001', '%s', 'tom@example.com',"
                        " 'USD', 0, 0) RETURNING id", "<b>Tom & \"Jerry\"</b>");
  sql (f, "INSERT INTO line_items (order_id, position, sku, name, variant, quantity) VALUES"
          " (%" G_GINT64_FORMAT ", 0, 'MUG-1', 'Mug <large>', 'Blue', 2),"
          " (%" G_GINT64_FORMAT ", 1, 'TEE-1', 'Tee', NULL, 1)", f->order_id, f->order_id);
  sql (f, "INSERT INTO shipments (order_id, carrier, service, service_name, tracking_number,"
          " estimated_delivery_at, created_at) VALUES (%" G_GINT64_FORMAT ", 'ups', 'ground', 'Ground',"
          " '1Z999AA10123456784', %d, 0)", f->order_id, NOW + 3 * 86400);
  sql (f, "INSERT INTO mail_settings (key, value) VALUES ('smtp.host', '127.0.0.1'), ('smtp.port', '%u'),"
          " ('smtp.security', 'none'), ('from.address', 'shop@example.com'), ('from.name', 'Café Ünïcorn'),"
          " ('reply_to', 'help@example.com'), ('brand.shop_name', 'Café Ünïcorn'), ('brand.color', '#112233')",
          f->port);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;

  server_stop (f);
  files = received (f);
  for (guint i = 0; i < files->len; i++)
    g_unlink (g_ptr_array_index (files, i));
  g_rmdir (f->maildir);
  g_free (f->maildir);
  g_clear_object (&f->service);
  g_clear_object (&f->context);
}

/* Helpers */

typedef struct
{
  const char *template_name;
  gint64      order_id;
  const char *to;
  const char *key;
  gint64      now;
  gboolean    created;
  GError     *error;
} Enqueue;

static gpointer
enqueue_job (PsDatabase *db, gpointer data, GCancellable *c, GError **error)
{
  Enqueue *e = data;
  gint64 *id = g_new (gint64, 1);

  *id = ps_outbox_enqueue_sync (db, e->template_name, e->order_id, 0, e->to, e->key, e->now,
                                &e->created, error);
  if (*id == 0)
    g_clear_pointer (&id, g_free);
  return id;
}

static gint64
enqueue (Fixture    *f,
         const char *template_name,
         const char *to,
         const char *key,
         gboolean   *created)
{
  Enqueue e = { template_name, f->order_id, to, key, f->now, FALSE, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree gint64 *id = ps_database_run_sync (ps_context_get_database (f->context), enqueue_job, &e,
                                                NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  if (created != NULL)
    *created = e.created;
  return *id;
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static PsOutboxRun *
send_due (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsOutboxRun *run;

  ps_outbox_service_send_due_async (f->service, NULL, store_result_cb, &result);
  run = ps_outbox_service_send_due_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return run;
}

static PsMessage *
load_message (Fixture *f,
              gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  PsMessage *m;

  ps_outbox_service_load_async (f->service, id, NULL, store_result_cb, &result);
  m = ps_outbox_service_load_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  return m;
}

/* Tests: templates (pure) */

static void
test_render_table (void)
{
  static const struct
  {
    const char *name;
    const char *carrier;
    const char *tracking;
    const char *subject;
    const char *text;
    const char *expect_subject;
    const char *expect_text;
    const char *expect_html_part;
  } cases[] = {
    { "Ann Lee", "ups", "1Z9", "Order {{order_number}}", "Hi {{customer_first_name}}",
      "Order #7", "Hi Ann", "Hi Ann" },
    { NASTY_NAME, "usps", "9400", "For {{ customer_name }}", "{{customer_name}}",
      "For " NASTY_NAME, NASTY_NAME, "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;" },
    { "Zoë", "fedex", "1234", "{{carrier}}", "{{tracking_link}}", "FedEx",
      "https://www.fedex.com/fedextrack/?trknbr=1234", "https://www.fedex.com/fedextrack/?trknbr=1234" },
    { "Bo", "dhl", "12 34", "{{tracking_number}}", "{{tracking_link}}", "12 34",
      "https://www.dhl.com/en/express/tracking.html?AWB=12%2034", "AWB=12%2034" },
    { "Bo", "bike-courier", "X1", "{{carrier}}", "[{{tracking_link}}]", "bike-courier", "[]", "[]" },
    { "Bo", "ups", "1Z", "{{shop_name}}: {{service}}", "{{estimated_delivery}}",
      "Shop & Co: Ground", "Friday 20 November 2026", "Friday 20 November 2026" },
    { "Bo", "ups", "1Z", "{{items}}", "{{items}}", "- 2 × Mug <large> (Blue) - 1 × Tee",
      "- 2 × Mug <large> (Blue)\n- 1 × Tee", "<li>2 × Mug &lt;large&gt; (Blue)</li>" },
    { "Bo\nEvil: header", "ups", "1Z", "Hi {{customer_name}}", "x", "Hi Bo Evil: header", "x", "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PsMailContext) context = ps_mail_context_new ();
      g_autoptr(PsMailRendered) r = NULL;
      g_autoptr(GError) error = NULL;
      PsMailBrand brand = { "Shop & Co", "#abcdef", NULL };

      context->order_number = g_strdup ("#7");
      context->customer_name = g_strdup (cases[i].name);
      context->carrier = g_strdup (cases[i].carrier);
      context->tracking_number = g_strdup (cases[i].tracking);
      context->service = g_strdup ("Ground");
      context->estimated_delivery_at = NOW + 2 * 86400;
      g_ptr_array_add (context->items, ps_mail_item_new ("Mug <large>", "Blue", "M", 2));
      g_ptr_array_add (context->items, ps_mail_item_new ("Tee", NULL, NULL, 1));

      r = ps_mail_template_render (cases[i].subject, cases[i].text, cases[i].text, context, &brand, &error);
      g_assert_no_error (error);
      g_test_message ("case %u: %s | %s", i, r->subject, r->text);
      g_assert_cmpstr (r->subject, ==, cases[i].expect_subject);
      g_assert_cmpstr (r->text, ==, cases[i].expect_text);
      g_assert_nonnull (strstr (r->html, cases[i].expect_html_part));
      g_assert_nonnull (strstr (r->html, "background:#abcdef"));
      g_assert_nonnull (strstr (r->html, "Shop &amp; Co</div>"));
      /* The raw name never reaches the HTML. */
      g_assert_null (strstr (r->html, "<b>Tom"));
    }
}

static void
test_render_brand (void)
{
  g_autoptr(PsMailContext) context = ps_mail_context_new ();
  g_autoptr(PsMailRendered) r = NULL;
  PsMailBrand brand = { "Shop", "red;background:url(x)", PS_OUTBOX_LOGO_CID };

  r = ps_mail_template_render ("s", "<p>x</p>", "x", context, &brand, NULL);
  g_assert_nonnull (r);
  /* A colour that is not #rgb / #rrggbb is replaced, not injected. */
  g_assert_null (strstr (r->html, "url(x)"));
  g_assert_nonnull (strstr (r->html, "background:#3584e4"));
  g_assert_nonnull (strstr (r->html, "src=\"cid:" PS_OUTBOX_LOGO_CID "\""));
}

static void
test_unknown_placeholder (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  PsMessageTemplate t = { 0, (char *)"custom", (char *)"Hi {{customer_first_name}}",
                          (char *)"<p>ok</p>\n<p>{{ tracking_url }}</p>", (char *)"ok", FALSE, 0 };

  g_assert_false (ps_mail_template_check ("{{order_number}}", "", "{{oops", &error));
  g_assert_error (error, PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_SYNTAX);
  g_clear_error (&error);

  /* Rejected when saved, naming the placeholder, its part and line. */
  ps_outbox_service_save_template_async (f->service, &t, NULL, store_result_cb, &result);
  g_assert_cmpint (ps_outbox_service_save_template_finish (f->service, wait_for (&result), &error), ==, 0);
  g_assert_error (error, PS_MAIL_TEMPLATE_ERROR, PS_MAIL_TEMPLATE_ERROR_UNKNOWN_PLACEHOLDER);
  g_assert_nonnull (strstr (error->message, "{{tracking_url}}"));
  g_assert_nonnull (strstr (error->message, "HTML part on line 2"));
  g_assert_cmpint (sql (f, "SELECT count(*) FROM message_templates WHERE name = 'custom'"), ==, 0);
  g_clear_error (&error);
  g_clear_object (&result);

  /* Fixed, it saves. */
  t.body_html = (char *)"<p>{{tracking_link}}</p>";
  ps_outbox_service_save_template_async (f->service, &t, NULL, store_result_cb, &result);
  g_assert_cmpint (ps_outbox_service_save_template_finish (f->service, wait_for (&result), &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (sql (f, "SELECT count(*) FROM message_templates WHERE name = 'custom'"), ==, 1);
}

static void
test_builtin_templates (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const names[] = { "shipped", "out_for_delivery", "delivered", "delay", "return_received" };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  ps_outbox_service_list_templates_async (f->service, NULL, store_result_cb, &result);
  list = ps_outbox_service_list_templates_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < list->len; i++)
    {
      PsMessageTemplate *t = g_ptr_array_index (list, i);

      g_assert_true (t->builtin);
      g_assert_true (g_strv_contains (names, t->name));
      /* Every built-in template passes the same check a saved one does. */
      g_assert_true (ps_mail_template_check (t->subject, t->body_html, t->body_text, &error));
      g_assert_no_error (error);
    }
}

/* Tests: the outbox over SMTP */

static void
test_one_message_per_key (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PsOutboxRun) run = NULL;
  g_autoptr(PsOutboxRun) again = NULL;
  gboolean created = FALSE;
  gint64 first, second;

  server_start (f, NULL);
  first = enqueue (f, "shipped", NULL, "rule:1:order:1:event:9", &created);
  g_assert_true (created);
  second = enqueue (f, "shipped", NULL, "rule:1:order:1:event:9", &created);
  g_assert_false (created);
  g_assert_cmpint (first, ==, second);
  g_assert_cmpint (sql (f, "SELECT count(*) FROM messages"), ==, 1);

  run = send_due (f);
  g_assert_cmpuint (run->n_sent, ==, 1);
  g_assert_cmpuint (n_received (f), ==, 1);

  /* Enqueued a third time after it was sent: still nothing new. */
  enqueue (f, "shipped", NULL, "rule:1:order:1:event:9", &created);
  g_assert_false (created);
  again = send_due (f);
  g_assert_cmpuint (again->n_sent, ==, 0);
  g_assert_cmpuint (n_received (f), ==, 1);
  g_assert_cmpint (sql (f, "SELECT sent_at FROM messages"), ==, NOW);
}

static void
test_headers_and_escaping (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(PsOutboxRun) run = NULL;
  g_autoptr(PsMessage) stored = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  GMimeMessage *message;
  GMimeObject *body;
  GMimeContentType *type;
  const char *header;
  gint64 id;

  server_start (f, NULL);
  id = enqueue (f, "shipped", NULL, "key-headers", NULL);
  stored = load_message (f, id);
  run = send_due (f);
  g_assert_cmpuint (run->n_sent, ==, 1);
  files = received (f);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (g_ptr_array_index (files, 0), &raw, NULL, NULL));
  g_assert_nonnull (strstr (raw, "X-RcptTo: tom@example.com"));
  /* The UTF-8 display name and subject are encoded words, not raw bytes. */
  g_assert_null (strstr (raw, "Ünïcorn"));
  g_assert_nonnull (strstr (raw, "=?"));

  message = parse (g_ptr_array_index (files, 0));
  from = internet_address_list_to_string (g_mime_message_get_from (message), NULL, FALSE);
  g_assert_cmpstr (from, ==, "Café Ünïcorn <shop@example.com>");
  to = internet_address_list_to_string (g_mime_message_get_to (message), NULL, FALSE);
  g_assert_nonnull (strstr (to, "tom@example.com"));
  g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (
    g_mime_message_get_to (message), 0)), ==, NASTY_NAME);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Your order #1001 is on its way");
  g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (message), "Reply-To"), ==, "help@example.com");
  g_assert_nonnull (g_mime_message_get_date (message));
  header = g_mime_message_get_message_id (message);
  g_assert_nonnull (stored->message_id);
  g_assert_true (g_str_has_suffix (stored->message_id, "@example.com>"));
  g_assert_true (g_str_has_prefix (stored->message_id + 1, header));

  body = g_mime_message_get_mime_part (message);
  type = g_mime_object_get_content_type (body);
  g_assert_true (g_mime_content_type_is_type (type, "multipart", "alternative"));
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (
    g_mime_multipart_get_part (GMIME_MULTIPART (body), 0)), "text", "plain"));
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (
    g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)), "text", "html"));
  text = part_text (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
  html = part_text (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1));

  /* Plain in the text part, escaped in the HTML part. */
  g_assert_nonnull (strstr (text, "Hi <b>Tom"));
  g_assert_nonnull (strstr (text, "https://www.ups.com/track?tracknum=1Z999AA10123456784"));
  g_assert_nonnull (strstr (text, "2 × Mug <large> (Blue)"));
  g_assert_nonnull (strstr (html, "Hi &lt;b&gt;Tom"));
  g_assert_null (strstr (html, "<b>Tom"));
  g_assert_nonnull (strstr (html, "Mug &lt;large&gt;"));
  g_assert_nonnull (strstr (html, "background:#112233"));
  g_assert_nonnull (strstr (html, "Café Ünïcorn"));
  g_assert_nonnull (strstr (html, "Saturday 21 November 2026"));
  g_assert_nonnull (strstr (text, "Thank you for shopping with Café Ünïcorn."));
  g_object_unref (message);
}

static void
test_retry_backoff (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(PsOutboxRun) down = NULL;
  g_autoptr(PsOutboxRun) early = NULL;
  g_autoptr(PsOutboxRun) up = NULL;
  g_autoptr(PsMessage) m = NULL;
  PsOutboxProblem *problem;
  gint64 id;

  id = enqueue (f, "delay", NULL, "key-retry", NULL);
  /* No server on the port: connection refused. */
  down = send_due (f);
  g_assert_cmpuint (down->n_sent, ==, 0);
  g_assert_cmpuint (down->n_retrying, ==, 1);
  problem = g_ptr_array_index (down->problems, 0);
  g_assert_nonnull (strstr (problem->error, "Could not connect to the SMTP server 127.0.0.1"));
  m = load_message (f, id);
  g_assert_cmpint (m->status, ==, PS_MESSAGE_STATUS_QUEUED);
  g_assert_cmpuint (m->attempts, ==, 1);
  g_assert_cmpint (m->next_attempt_at, ==, NOW + 60);
  g_assert_nonnull (strstr (m->last_error, "Could not connect"));

  server_start (f, NULL);
  /* Not due yet: nothing is sent before the backoff ends. */
  f->now = NOW + 30;
  early = send_due (f);
  g_assert_cmpuint (early->n_sent, ==, 0);
  g_assert_cmpuint (n_received (f), ==, 0);

  f->now = NOW + 61;
  up = send_due (f);
  g_assert_cmpuint (up->n_sent, ==, 1);
  g_assert_cmpuint (n_received (f), ==, 1);
  g_assert_cmpint (sql (f, "SELECT attempts FROM messages"), ==, 2);

  g_assert_cmpint (ps_outbox_retry_delay (1), ==, 60);
  g_assert_cmpint (ps_outbox_retry_delay (3), ==, 240);
  g_assert_cmpint (ps_outbox_retry_delay (30), ==, 6 * 3600);
}

static void
restart (Fixture *f)
{
  g_clear_object (&f->service);
  f->service = ps_outbox_service_new (f->context);
  ps_outbox_service_set_now_func (f->service, fixed_now, f);
}

/* Killed while 'sending', before the body reached the server. */
static void
test_crash_before_data (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PsOutboxRun) during = NULL;
  g_autoptr(PsOutboxRun) after = NULL;
  gint64 id;

  server_start (f, NULL);
  id = enqueue (f, "shipped", NULL, "key-crash-1", NULL);
  sql (f, "UPDATE messages SET status = 'sending', attempts = 1, lease_until = %d, data_sent_at = NULL"
          " WHERE id = %" G_GINT64_FORMAT, NOW + PS_OUTBOX_LEASE_SECONDS, id);
  restart (f);

  /* The lease still holds: another sender may be at work. */
  during = send_due (f);
  g_assert_cmpuint (during->n_sent, ==, 0);
  g_assert_cmpuint (n_received (f), ==, 0);

  f->now = NOW + PS_OUTBOX_LEASE_SECONDS + 1;
  after = send_due (f);
  g_assert_cmpuint (after->n_sent, ==, 1);
  g_assert_cmpuint (n_received (f), ==, 1);
  g_assert_cmpint (sql (f, "SELECT attempts FROM messages"), ==, 2);
}

/* Killed after the body went out, before the server's answer was saved:
 * never re-sent on its own; Send now resends with the same Message-ID. */
static void
test_crash_after_data (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(PsOutboxRun) after = NULL;
  g_autoptr(PsOutboxRun) later = NULL;
  g_autoptr(PsOutboxRun) resent = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PsMessage) m = NULL;
  g_autoptr(PsOutboxRun) none = NULL;
  g_autoptr(GPtrArray) files = NULL;
  GMimeMessage *message;
  gint64 id;

  server_start (f, NULL);
  id = enqueue (f, "shipped", NULL, "key-crash-2", NULL);
  sql (f, "UPDATE messages SET status = 'sending', attempts = 1, lease_until = %d, data_sent_at = %d"
          " WHERE id = %" G_GINT64_FORMAT, NOW - 1, NOW - 100, id);
  restart (f);

  after = send_due (f);
  g_assert_cmpuint (after->n_sent, ==, 0);
  g_assert_cmpuint (after->n_unknown, ==, 1);
  g_assert_cmpuint (n_received (f), ==, 0);
  m = load_message (f, id);
  g_assert_cmpint (m->status, ==, PS_MESSAGE_STATUS_FAILED);
  g_assert_true (g_str_has_prefix (m->last_error, "Delivery unknown"));

  f->now += 86400;
  later = send_due (f);
  g_assert_cmpuint (later->n_sent, ==, 0);
  g_assert_cmpuint (n_received (f), ==, 0);

  /* The merchant decides: Send now. */
  ps_outbox_service_send_now_async (f->service, id, NULL, store_result_cb, &result);
  resent = ps_outbox_service_send_now_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (resent->n_sent, ==, 1);
  files = received (f);
  g_assert_cmpuint (files->len, ==, 1);
  message = parse (g_ptr_array_index (files, 0));
  g_assert_true (g_str_has_prefix (m->message_id + 1, g_mime_message_get_message_id (message)));
  g_object_unref (message);

  /* A sent message cannot be sent again, nor cancelled. */
  ps_outbox_service_send_now_async (f->service, id, NULL, store_result_cb, &result2);
  none = ps_outbox_service_send_now_finish (f->service, wait_for (&result2), &error);
  g_assert_null (none);
  g_assert_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "already sent"));
  g_assert_cmpuint (n_received (f), ==, 1);
}

static void
test_recipient_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(PsOutboxRun) run = NULL;
  g_autoptr(PsMessage) m = NULL;
  gint64 id;

  server_start (f, NULL);
  id = enqueue (f, "delivered", "refused@example.com", "key-refused", NULL);
  run = send_due (f);
  g_assert_cmpuint (run->n_failed, ==, 1);
  m = load_message (f, id);
  g_assert_cmpint (m->status, ==, PS_MESSAGE_STATUS_FAILED);
  g_assert_nonnull (strstr (m->last_error, "refused the recipient refused@example.com"));
  g_assert_nonnull (strstr (m->last_error, "550"));
  g_assert_cmpuint (n_received (f), ==, 0);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(PsOutboxRun) run = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  server_start (f, NULL);
  id = enqueue (f, "return_received", NULL, "key-cancel", NULL);
  ps_outbox_service_cancel_async (f->service, id, NULL, store_result_cb, &result);
  g_assert_true (ps_outbox_service_cancel_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);
  run = send_due (f);
  g_assert_cmpuint (run->n_sent, ==, 0);
  g_assert_cmpuint (n_received (f), ==, 0);

  ps_outbox_service_list_async (f->service, PS_MESSAGE_STATUS_CANCELLED, 0, NULL, store_result_cb, &result2);
  list = ps_outbox_service_list_finish (f->service, wait_for (&result2), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((PsMessage *)g_ptr_array_index (list, 0))->order_number, ==, "#1001");
  g_assert_cmpstr (((PsMessage *)g_ptr_array_index (list, 0))->template_name, ==, "return_received");
}

static void
test_no_recipient (Fixture       *f,
                   gconstpointer  data)
{
  Enqueue e = { "shipped", f->order_id, NULL, "key-none", NOW, FALSE, NULL };
  g_autoptr(GError) error = NULL;

  sql (f, "UPDATE orders SET customer_email = NULL");
  g_assert_null (ps_database_run_sync (ps_context_get_database (f->context), enqueue_job, &e, NULL, &error));
  g_assert_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NO_RECIPIENT);
  g_clear_error (&error);
  e.template_name = "nope";
  e.to = "a@example.com";
  g_assert_null (ps_database_run_sync (ps_context_get_database (f->context), enqueue_job, &e, NULL, &error));
  g_assert_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND);
}

static GBytes *
tiny_message (void)
{
  PsMailDraft draft = { "shop@example.com", NULL, NULL, "a@example.com", NULL, "Test", "Hello", NULL,
                        "<x@example.com>", NOW, NULL, NULL };

  return ps_mail_compose (&draft, NULL);
}

static void
test_smtp_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) message = tiny_message ();
  g_autoptr(GError) error = NULL;
  PsSmtpConfig config = { "127.0.0.1", f->port, PS_SMTP_SECURITY_NONE, "shop", "wrong", 5, 20 };

  server_start (f, "shop:right");
  g_assert_false (ps_smtp_send_sync (&config, "shop@example.com", "a@example.com", message,
                                     NULL, NULL, NULL, &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "refused the login “shop”"));
  g_assert_false (ps_smtp_error_is_permanent (error));
  g_clear_error (&error);

  config.password = "right";
  g_assert_true (ps_smtp_send_sync (&config, "shop@example.com", "a@example.com", message,
                                    NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_received (f), ==, 1);

  /* STARTTLS required but the server offers none. */
  config.security = PS_SMTP_SECURITY_STARTTLS;
  g_assert_false (ps_smtp_send_sync (&config, "shop@example.com", "a@example.com", message,
                                     NULL, NULL, NULL, &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "does not offer STARTTLS"));
  g_clear_error (&error);

  /* smtps:// against a plain server: a TLS failure, not a hang. */
  config.security = PS_SMTP_SECURITY_TLS;
  g_assert_false (ps_smtp_send_sync (&config, "shop@example.com", "a@example.com", message,
                                     NULL, NULL, NULL, &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TLS);
  g_assert_cmpuint (n_received (f), ==, 1);
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = enqueue (f, "shipped", NULL, "key-unset", NULL);
  sql (f, "DELETE FROM mail_settings WHERE key = 'smtp.host'");
  ps_outbox_service_send_due_async (f->service, NULL, store_result_cb, &result);
  g_assert_null (ps_outbox_service_send_due_finish (f->service, wait_for (&result), &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED);
  /* Nothing was claimed. */
  g_assert_cmpint (sql (f, "SELECT attempts FROM messages WHERE id = %" G_GINT64_FORMAT, id), ==, 0);
}

/* Preferences › Email's service calls */

static void
test_revert_template (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(PsMessageTemplate) builtin = NULL;
  g_autoptr(PsMessageTemplate) reverted = NULL;
  g_autoptr(PsMessageTemplate) edited = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  builtin = ps_message_store_builtin_template ("shipped", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (builtin->subject, ==, "Your order {{order_number}} is on its way");
  g_assert_true (g_str_has_prefix (builtin->body_text, "Hi {{customer_first_name}},"));
  g_assert_true (builtin->builtin);
  g_assert_null (ps_message_store_builtin_template ("my-own", &error));
  g_assert_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  sql (f, "UPDATE message_templates SET subject = 'Edited', body_text = 'x' WHERE name = 'shipped'");
  ps_outbox_service_revert_template_async (f->service, "shipped", NULL, store_result_cb, &result);
  reverted = ps_outbox_service_revert_template_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reverted->subject, ==, builtin->subject);
  g_assert_cmpstr (reverted->body_text, ==, builtin->body_text);
  g_assert_cmpstr (reverted->body_html, ==, builtin->body_html);
  g_assert_true (reverted->builtin);
  g_assert_cmpint (sql (f, "SELECT count(*) FROM message_templates WHERE name = 'shipped'"
                           " AND subject = 'Your order {{order_number}} is on its way'"), ==, 1);
  g_clear_object (&result);

  /* A template the merchant made has nothing to go back to. */
  sql (f, "INSERT INTO message_templates (name, subject, body_html, body_text, updated_at)"
          " VALUES ('mine', 's', 'h', 't', 0)");
  ps_outbox_service_revert_template_async (f->service, "mine", NULL, store_result_cb, &result);
  g_assert_null (ps_outbox_service_revert_template_finish (f->service, wait_for (&result), &error));
  g_assert_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND);
  g_assert_cmpint (sql (f, "SELECT count(*) FROM message_templates WHERE name = 'mine' AND subject = 's'"), ==, 1);
}

static void
test_preview_orders (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  gint64 unshipped, newer, voided;
  const PsMessageOrder *o;

  unshipped = sql (f, "INSERT INTO orders (channel_id, order_number, customer_name, currency, created_at,"
                      " updated_at) VALUES (1, '#1002', 'Ann', 'USD', 50, 50) RETURNING id");
  newer = sql (f, "INSERT INTO orders (channel_id, order_number, customer_name, currency, created_at,"
                  " updated_at) VALUES (1, '#1003', 'Bea Lee', 'USD', 40, 40) RETURNING id");
  voided = sql (f, "INSERT INTO orders (channel_id, order_number, customer_name, currency, created_at,"
                   " updated_at) VALUES (1, '#1004', 'Cy', 'USD', 60, 60) RETURNING id");
  sql (f, "INSERT INTO shipments (order_id, carrier, service, tracking_number, created_at) VALUES (%"
          G_GINT64_FORMAT ", 'usps', 'ground', '9400', 0)", newer);
  sql (f, "INSERT INTO shipments (order_id, carrier, service, tracking_number, created_at, voided_at)"
          " VALUES (%" G_GINT64_FORMAT ", 'usps', 'ground', '9401', 0, 1)", voided);
  (void)unshipped;

  ps_outbox_service_list_preview_orders_async (f->service, 10, NULL, store_result_cb, &result);
  orders = ps_outbox_service_list_preview_orders_finish (f->service, wait_for (&result), &error);
  g_assert_no_error (error);
  /* Only orders with a live shipment, newest first. */
  g_assert_cmpuint (orders->len, ==, 2);
  o = g_ptr_array_index (orders, 0);
  g_assert_cmpint (o->id, ==, newer);
  g_assert_cmpstr (o->order_number, ==, "#1003");
  g_assert_cmpstr (o->customer_name, ==, "Bea Lee");
  o = g_ptr_array_index (orders, 1);
  g_assert_cmpint (o->id, ==, f->order_id);
}

static void
test_send_test (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *eml = NULL;
  GMimeMessage *message;

  server_start (f, NULL);
  ps_outbox_service_send_test_async (f->service, "me@example.com", NULL, store_result_cb, &result);
  g_assert_true (ps_outbox_service_send_test_finish (f->service, wait_for (&result), &error));
  g_assert_no_error (error);
  files = received (f);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_true (g_file_get_contents (g_ptr_array_index (files, 0), &eml, NULL, NULL));
  g_assert_true (g_str_has_prefix (eml, "X-MailFrom: shop@example.com\r\nX-RcptTo: me@example.com\r\n"));
  message = parse (g_ptr_array_index (files, 0));
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Test email from Café Ünïcorn");
  g_object_unref (message);
  /* Nothing went through the outbox. */
  g_assert_cmpint (sql (f, "SELECT count(*) FROM messages"), ==, 0);
  g_clear_object (&result);

  /* The SMTP error reaches the caller: the recipient is refused. */
  ps_outbox_service_send_test_async (f->service, "refuse@example.com", NULL, store_result_cb, &result);
  g_assert_false (ps_outbox_service_send_test_finish (f->service, wait_for (&result), &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_RECIPIENT_REFUSED);
  g_assert_nonnull (strstr (error->message, "no such mailbox"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* No server set: not configured, said before anything is tried. */
  sql (f, "DELETE FROM mail_settings WHERE key = 'smtp.host'");
  ps_outbox_service_send_test_async (f->service, "me@example.com", NULL, store_result_cb, &result);
  g_assert_false (ps_outbox_service_send_test_finish (f->service, wait_for (&result), &error));
  g_assert_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED);
  g_assert_cmpuint (n_received (f), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/outbox/template/render", test_render_table);
  g_test_add_func ("/outbox/template/brand", test_render_brand);
  g_test_add ("/outbox/template/unknown-placeholder", Fixture, NULL, fixture_setup, test_unknown_placeholder, fixture_teardown);
  g_test_add ("/outbox/template/builtin", Fixture, NULL, fixture_setup, test_builtin_templates, fixture_teardown);
  g_test_add ("/outbox/enqueue/no-recipient", Fixture, NULL, fixture_setup, test_no_recipient, fixture_teardown);
  g_test_add ("/outbox/send/not-configured", Fixture, NULL, fixture_setup, test_not_configured, fixture_teardown);
  g_test_add ("/outbox/template/revert", Fixture, NULL, fixture_setup, test_revert_template, fixture_teardown);
  g_test_add ("/outbox/preview-orders", Fixture, NULL, fixture_setup, test_preview_orders, fixture_teardown);

  if (!have_aiosmtpd ())
    {
      g_printerr ("SMTP tests skipped: /usr/bin/python3 cannot import aiosmtpd\n");
      return g_test_run ();
    }
  g_test_add ("/outbox/send/one-message-per-key", Fixture, NULL, fixture_setup, test_one_message_per_key, fixture_teardown);
  g_test_add ("/outbox/send/headers-and-escaping", Fixture, NULL, fixture_setup, test_headers_and_escaping, fixture_teardown);
  g_test_add ("/outbox/send/retry-backoff", Fixture, NULL, fixture_setup, test_retry_backoff, fixture_teardown);
  g_test_add ("/outbox/send/crash-before-data", Fixture, NULL, fixture_setup, test_crash_before_data, fixture_teardown);
  g_test_add ("/outbox/send/crash-after-data", Fixture, NULL, fixture_setup, test_crash_after_data, fixture_teardown);
  g_test_add ("/outbox/send/recipient-refused", Fixture, NULL, fixture_setup, test_recipient_refused, fixture_teardown);
  g_test_add ("/outbox/send/cancel", Fixture, NULL, fixture_setup, test_cancel, fixture_teardown);
  g_test_add ("/outbox/smtp/errors", Fixture, NULL, fixture_setup, test_smtp_errors, fixture_teardown);
  g_test_add ("/outbox/send/test-message", Fixture, NULL, fixture_setup, test_send_test, fixture_teardown);
  return g_test_run ();
}
