/* ps-cli-outbox.c: postsale-cli outbox and smtp
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   outbox list [--status S] [--limit N] [--json]
 *   outbox send [--json]          send the due messages now
 *   outbox retry ID               Send now (a failed or cancelled message)
 *   outbox cancel ID
 *   outbox add TEMPLATE ORDER_ID [--to ADDR] [--key KEY]   queue one (never twice per key)
 *   smtp set --host H [--port P] --security none|starttls-optional|starttls|tls
 *            --from ADDR [--from-name N] [--reply-to ADDR] [--user U]
 *            [--password-stdin] [--shop-name N] [--color #rrggbb] [--logo FILE]
 *   smtp show [--json]
 */

#define G_LOG_DOMAIN "ps-cli-outbox"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ps-cli-private.h"
#include "ps-enum-types.h"
#include "ps-outbox.h"
#include "ps-outbox-service.h"
#include "ps-smtp.h"

int _ps_cli_outbox (PsCliGlobals *globals, int argc, char **argv);
int _ps_cli_smtp (PsCliGlobals *globals, int argc, char **argv);

static void
print_run (PsCliGlobals      *globals,
           const PsOutboxRun *run)
{
  if (globals->json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "sent");
      json_builder_add_int_value (b, run->n_sent);
      json_builder_set_member_name (b, "retrying");
      json_builder_add_int_value (b, run->n_retrying);
      json_builder_set_member_name (b, "failed");
      json_builder_add_int_value (b, run->n_failed);
      json_builder_set_member_name (b, "unknown");
      json_builder_add_int_value (b, run->n_unknown);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < run->problems->len; i++)
        {
          const PsOutboxProblem *p = g_ptr_array_index (run->problems, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, p->message_id);
          json_builder_set_member_name (b, "to");
          json_builder_add_string_value (b, p->to_address);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, ps_enum_to_nick (PS_TYPE_MESSAGE_STATUS, p->status));
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, p->error);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      _ps_cli_print_json (b);
      return;
    }
  printf ("%u sent, %u to retry, %u failed, %u delivery unknown\n",
          run->n_sent, run->n_retrying, run->n_failed, run->n_unknown);
  for (guint i = 0; i < run->problems->len; i++)
    {
      const PsOutboxProblem *p = g_ptr_array_index (run->problems, i);

      fprintf (stderr, "message %" G_GINT64_FORMAT " to %s: %s\n", p->message_id, p->to_address, p->error);
    }
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       t)
{
  json_builder_set_member_name (b, name);
  if (t == 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, t);
}

static void
print_list (PsCliGlobals *globals,
            GPtrArray    *list)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!globals->json)
    {
      for (guint i = 0; i < list->len; i++)
        {
          const PsMessage *m = g_ptr_array_index (list, i);

          printf ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\t%u\t%s\n", m->id,
                  ps_enum_to_nick (PS_TYPE_MESSAGE_STATUS, m->status),
                  m->order_number ? m->order_number : "-", m->to_address, m->subject, m->attempts,
                  m->last_error ? m->last_error : "");
        }
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < list->len; i++)
    {
      const PsMessage *m = g_ptr_array_index (list, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, m->id);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, ps_enum_to_nick (PS_TYPE_MESSAGE_STATUS, m->status));
      json_builder_set_member_name (b, "order_id");
      json_builder_add_int_value (b, m->order_id);
      json_builder_set_member_name (b, "order_number");
      json_builder_add_string_value (b, m->order_number);
      json_builder_set_member_name (b, "template");
      json_builder_add_string_value (b, m->template_name);
      json_builder_set_member_name (b, "dedup_key");
      json_builder_add_string_value (b, m->dedup_key);
      json_builder_set_member_name (b, "message_id");
      json_builder_add_string_value (b, m->message_id);
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, m->to_address);
      json_builder_set_member_name (b, "subject");
      json_builder_add_string_value (b, m->subject);
      json_builder_set_member_name (b, "attempts");
      json_builder_add_int_value (b, m->attempts);
      json_builder_set_member_name (b, "last_error");
      json_builder_add_string_value (b, m->last_error);
      add_time (b, "next_attempt_at", m->next_attempt_at);
      add_time (b, "created_at", m->created_at);
      add_time (b, "sent_at", m->sent_at);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  _ps_cli_print_json (b);
}

static int
fail_with (GError *error)
{
  gboolean input = g_error_matches (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND) ||
                   g_error_matches (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NO_RECIPIENT) ||
                   g_error_matches (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_STATE) ||
                   g_error_matches (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED) ||
                   g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);

  return _ps_cli_fail (input ? PS_CLI_EXIT_USAGE : PS_CLI_EXIT_FAILED, "%s", error->message);
}

int
_ps_cli_outbox (PsCliGlobals  *globals,
                int            argc,
                char         **argv)
{
  g_autofree char *status_text = NULL;
  g_autofree char *to = NULL;
  g_autofree char *key = NULL;
  int limit = 0;
  const GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "add: the recipient (default: the customer)", "ADDR" },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key,
      "add: the message's identity (default manual:TEMPLATE:ORDER_ID); a key is sent once", "KEY" },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status_text,
      "list: only queued, sending, sent, failed or cancelled messages", "STATUS" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "list: at most N messages, newest first (500)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(PsOutboxService) service = NULL;
  g_autoptr(GMainContext) main_context = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;
  int status = -1;
  gint64 id = 0;

  options = _ps_cli_option_context_new (globals, "outbox", "list | send | retry ID | cancel ID | add TEMPLATE ORDER_ID",
                                        "The customer email outbox: list it, send the due messages "
                                        "now over SMTP (retried with backoff, never twice), send one "
                                        "again (retry) or cancel one.", entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2 || (!g_str_equal (argv[1], "list") && !g_str_equal (argv[1], "send") &&
                   !g_str_equal (argv[1], "retry") && !g_str_equal (argv[1], "cancel") &&
                   !g_str_equal (argv[1], "add")))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "outbox: say list, send, retry ID, cancel ID or add TEMPLATE ORDER_ID");
  if (g_str_equal (argv[1], "add"))
    {
      char *end = NULL;

      if (argc != 4 || (id = g_ascii_strtoll (argv[3], &end, 10)) <= 0 || *end != '\0')
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "outbox add: expected TEMPLATE ORDER_ID (the order's id)");
    }
  else if (g_str_equal (argv[1], "retry") || g_str_equal (argv[1], "cancel"))
    {
      char *end = NULL;

      if (argc != 3 || (id = g_ascii_strtoll (argv[2], &end, 10)) <= 0 || *end != '\0')
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "outbox %s: expected a message id (see outbox list)", argv[1]);
    }
  else if (argc != 2)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "outbox %s: takes no arguments", argv[1]);
  if (status_text != NULL && !ps_enum_from_nick (PS_TYPE_MESSAGE_STATUS, status_text, &status))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE,
                         "outbox: unknown --status “%s” (queued, sending, sent, failed, cancelled)",
                         status_text);
  if (limit < 0)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "outbox: --limit must be positive");

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;
  service = ps_outbox_service_new (context);
  main_context = g_main_context_ref_thread_default ();

  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) list = NULL;

      ps_outbox_service_list_async (service, status, limit, NULL, _ps_cli_result_cb, &result);
      _ps_cli_wait (main_context, &result);
      list = ps_outbox_service_list_finish (service, result, &error);
      if (list == NULL)
        return fail_with (error);
      print_list (globals, list);
      return 0;
    }
  if (g_str_equal (argv[1], "add"))
    {
      g_autofree char *default_key = g_strdup_printf ("manual:%s:%" G_GINT64_FORMAT, argv[2], id);
      gboolean created = FALSE;
      gint64 message_id;

      ps_outbox_enqueue_async (ps_context_get_database (context), argv[2], id, 0, to,
                               key ? key : default_key, NULL, _ps_cli_result_cb, &result);
      _ps_cli_wait (main_context, &result);
      message_id = ps_outbox_enqueue_finish (ps_context_get_database (context), result, &created, &error);
      if (message_id == 0)
        return fail_with (error);
      if (globals->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, message_id);
          json_builder_set_member_name (b, "created");
          json_builder_add_boolean_value (b, created);
          json_builder_end_object (b);
          _ps_cli_print_json (b);
        }
      else
        printf ("%s message %" G_GINT64_FORMAT "\n", created ? "queued" : "already queued:", message_id);
      return 0;
    }
  if (g_str_equal (argv[1], "cancel"))
    {
      ps_outbox_service_cancel_async (service, id, NULL, _ps_cli_result_cb, &result);
      _ps_cli_wait (main_context, &result);
      if (!ps_outbox_service_cancel_finish (service, result, &error))
        return fail_with (error);
      if (globals->json)
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "cancelled");
          json_builder_add_int_value (b, id);
          json_builder_end_object (b);
          _ps_cli_print_json (b);
        }
      return 0;
    }

  {
    g_autoptr(PsOutboxRun) run = NULL;
    g_autoptr(GSource) sigint = _ps_cli_cancel_on_sigint (main_context, cancellable);

    if (g_str_equal (argv[1], "send"))
      ps_outbox_service_send_due_async (service, cancellable, _ps_cli_result_cb, &result);
    else
      ps_outbox_service_send_now_async (service, id, cancellable, _ps_cli_result_cb, &result);
    _ps_cli_wait (main_context, &result);
    g_source_destroy (sigint);
    run = g_str_equal (argv[1], "send") ? ps_outbox_service_send_due_finish (service, result, &error)
                                        : ps_outbox_service_send_now_finish (service, result, &error);
    if (run == NULL)
      return fail_with (error);
    print_run (globals, run);
    return run->n_failed + run->n_unknown > 0 ? PS_CLI_EXIT_FAILED : 0;
  }
}

static void
print_settings (PsCliGlobals         *globals,
                const PsMailSettings *s)
{
  const struct { const char *name; const char *value; } fields[] = {
    { "host", s->smtp_host }, { "security", s->smtp_security }, { "user", s->smtp_user },
    { "from", s->from_address }, { "from_name", s->from_name }, { "reply_to", s->reply_to },
    { "shop_name", s->shop_name }, { "logo", s->logo_path }, { "color", s->brand_color },
  };
  g_autoptr(JsonBuilder) b = json_builder_new ();

  if (!globals->json)
    {
      printf ("port\t%d\n", s->smtp_port);
      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        printf ("%s\t%s\n", fields[i].name, fields[i].value ? fields[i].value : "");
      return;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "port");
  json_builder_add_int_value (b, s->smtp_port);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      json_builder_set_member_name (b, fields[i].name);
      json_builder_add_string_value (b, fields[i].value);
    }
  json_builder_end_object (b);
  _ps_cli_print_json (b);
}

static void
set_if (char       **field,
        const char  *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

int
_ps_cli_smtp (PsCliGlobals  *globals,
              int            argc,
              char         **argv)
{
  g_autofree char *host = NULL, *security = NULL, *from = NULL, *from_name = NULL;
  g_autofree char *reply_to = NULL, *user = NULL, *shop_name = NULL, *color = NULL, *logo = NULL;
  gboolean password_stdin = FALSE;
  int port = -1;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, "SMTP server", "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "its port (0: 25, or 465 for tls)", "PORT" },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security, "none, starttls-optional, starttls or tls", "S" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "the From address", "ADDR" },
    { "from-name", 0, 0, G_OPTION_ARG_STRING, &from_name, "the From display name", "NAME" },
    { "reply-to", 0, 0, G_OPTION_ARG_STRING, &reply_to, "where replies go (\"\" to unset)", "ADDR" },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, "login (\"\" for none)", "USER" },
    { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &password_stdin,
      "read the password from stdin into the keyring", NULL },
    { "shop-name", 0, 0, G_OPTION_ARG_STRING, &shop_name, "the branded header's name", "NAME" },
    { "color", 0, 0, G_OPTION_ARG_STRING, &color, "the branded header's colour, #rrggbb", "COLOR" },
    { "logo", 0, 0, G_OPTION_ARG_FILENAME, &logo, "an image for the branded header", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(PsContext) context = NULL;
  g_autoptr(PsOutboxService) service = NULL;
  g_autoptr(GMainContext) main_context = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) saved = NULL;
  g_autoptr(PsMailSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int exit_code = 0;

  options = _ps_cli_option_context_new (globals, "smtp", "set [OPTIONS] | show",
                                        "Email settings: the SMTP server, the sender and the "
                                        "branded header. The password goes to the desktop keyring "
                                        "(--password-stdin), never to the database.", entries);
  if (!_ps_cli_parse (options, &argc, &argv, &exit_code))
    return exit_code;
  if (argc != 2 || (!g_str_equal (argv[1], "set") && !g_str_equal (argv[1], "show")))
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "smtp: say set [OPTIONS] or show");

  context = _ps_cli_open (globals, &exit_code);
  if (context == NULL)
    return exit_code;
  service = ps_outbox_service_new (context);
  main_context = g_main_context_ref_thread_default ();
  ps_outbox_service_load_settings_async (service, NULL, _ps_cli_result_cb, &result);
  _ps_cli_wait (main_context, &result);
  settings = ps_outbox_service_load_settings_finish (service, result, &error);
  if (settings == NULL)
    return fail_with (error);

  if (g_str_equal (argv[1], "show"))
    {
      print_settings (globals, settings);
      return 0;
    }

  set_if (&settings->smtp_host, host);
  set_if (&settings->smtp_security, security);
  set_if (&settings->from_address, from);
  set_if (&settings->from_name, from_name);
  set_if (&settings->reply_to, reply_to);
  set_if (&settings->smtp_user, user);
  set_if (&settings->shop_name, shop_name);
  set_if (&settings->brand_color, color);
  set_if (&settings->logo_path, logo);
  if (port >= 0)
    settings->smtp_port = port;
  if (settings->smtp_host == NULL || settings->from_address == NULL)
    return _ps_cli_fail (PS_CLI_EXIT_USAGE, "smtp set: --host and --from are needed the first time");

  if (password_stdin)
    {
      char buffer[1024];

      if (settings->smtp_user == NULL || *settings->smtp_user == '\0')
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "smtp set: --password-stdin needs --user");
      if (fgets (buffer, sizeof buffer, stdin) == NULL)
        return _ps_cli_fail (PS_CLI_EXIT_USAGE, "smtp set: no password on stdin");
      g_strchomp (buffer);
      if (!ps_smtp_password_store_sync (settings->smtp_host, settings->smtp_user, buffer, NULL, &error))
        {
          memset (buffer, 0, sizeof buffer);
          return fail_with (error);
        }
      memset (buffer, 0, sizeof buffer);
    }

  ps_outbox_service_save_settings_async (service, settings, NULL, _ps_cli_result_cb, &saved);
  _ps_cli_wait (main_context, &saved);
  if (!ps_outbox_service_save_settings_finish (service, saved, &error))
    return fail_with (error);
  if (globals->json)
    print_settings (globals, settings);
  return 0;
}
