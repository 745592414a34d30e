/* ps-smtp.c: one message to one SMTP server with libcurl
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * curl_easy_perform() blocks, so ps_smtp_send_sync() is for worker
 * threads and ps_smtp_send_async() runs it in a GTask thread. The
 * server's "250" after the message body is the moment a message counts as
 * delivered; PsSmtpDataFunc lets the caller record "the body is going
 * out" just before, which is what makes a crash safe to recover from
 * (ps-message-store.c). Errors are mapped to PsSmtpError codes with a
 * sentence that says what to check, quoting the server's last reply.
 */

#define G_LOG_DOMAIN "ps-smtp"

#include "config.h"

#include <curl/curl.h>
#include <libsecret/secret.h>
#include <stdlib.h>
#include <string.h>

#include "ps-smtp.h"

G_DEFINE_QUARK (ps-smtp-error-quark, ps_smtp_error)

static const char * const security_nicks[] = { "none", "starttls-optional", "starttls", "tls" };

/**
 * ps_smtp_security_to_nick:
 * @security: a #PsSmtpSecurity
 *
 * Returns: (transfer none): "none", "starttls-optional", "starttls" or "tls"
 */
const char *
ps_smtp_security_to_nick (PsSmtpSecurity security)
{
  g_return_val_if_fail ((guint)security < G_N_ELEMENTS (security_nicks), "none");
  return security_nicks[security];
}

/**
 * ps_smtp_security_from_nick:
 * @nick: (nullable): a nick
 * @security: (out): the value
 *
 * Returns: %TRUE if @nick is one of the nicks (%NULL reads as "starttls")
 */
gboolean
ps_smtp_security_from_nick (const char     *nick,
                            PsSmtpSecurity *security)
{
  if (nick == NULL)
    {
      *security = PS_SMTP_SECURITY_STARTTLS;
      return TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (security_nicks); i++)
    if (g_strcmp0 (nick, security_nicks[i]) == 0)
      {
        *security = i;
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  const guint8   *data;
  gsize           len;
  gsize           offset;
  PsSmtpDataFunc  data_func;
  gpointer        data_func_data;
  gboolean        started;
  GError         *data_error;
  GCancellable   *cancellable;
  char            last_reply[256];
} Upload;

static size_t
read_cb (char   *buffer,
         size_t  size,
         size_t  nitems,
         void   *userdata)
{
  Upload *up = userdata;
  gsize n = MIN (size * nitems, up->len - up->offset);

  if (!up->started)
    {
      up->started = TRUE;
      if (up->data_func != NULL && !up->data_func (up->data_func_data, &up->data_error))
        return CURL_READFUNC_ABORT;
    }
  memcpy (buffer, up->data + up->offset, n);
  up->offset += n;
  return n;
}

static int
xferinfo_cb (void       *clientp,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Upload *up = clientp;

  return g_cancellable_is_cancelled (up->cancellable) ? 1 : 0;
}

/* Keeps the server's last reply line for error messages. */
static int
debug_cb (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *userptr)
{
  Upload *up = userptr;
  gsize n;

  /* 221 answers curl's QUIT: never the reply that explains a failure. */
  if (type != CURLINFO_HEADER_IN || size < 3 || strncmp (data, "221", 3) == 0)
    return 0;
  n = MIN (size, sizeof up->last_reply - 1);
  memcpy (up->last_reply, data, n);
  up->last_reply[n] = '\0';
  g_strchomp (up->last_reply);
  return 0;
}

static int
reply_code_after (const char *errbuf,
                  const char *prefix)
{
  const char *p = strstr (errbuf, prefix);

  return p != NULL ? atoi (p + strlen (prefix)) : 0;
}

static void
set_refused (GError     **error,
             PsSmtpError  permanent_code,
             int          reply,
             const char  *what,
             const char  *reply_text)
{
  if (reply >= 400 && reply < 500)
    g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TEMPORARY,
                 "The SMTP server asked to try %s again later (%s)", what, reply_text);
  else
    g_set_error (error, PS_SMTP_ERROR, permanent_code,
                 "The SMTP server refused %s (%s)", what, reply_text);
}

static void
map_error (CURLcode             code,
           CURL                *curl,
           const char          *errbuf,
           const Upload        *up,
           const PsSmtpConfig  *config,
           guint                port,
           const char          *rcpt_to,
           const char          *mail_from,
           GError             **error)
{
  g_autofree char *reply = NULL;
  g_autofree char *what = NULL;
  long response = 0;
  int rc;

  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &response);
  reply = up->last_reply[0] != '\0' ? g_strdup (up->last_reply)
          : g_strdup (errbuf[0] != '\0' ? errbuf : curl_easy_strerror (code));

  switch ((int)code)
    {
    case CURLE_COULDNT_RESOLVE_HOST:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_CONNECT,
                   "Could not find the SMTP server “%s”: check the server name in the email settings",
                   config->host);
      return;
    case CURLE_COULDNT_CONNECT:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_CONNECT,
                   "Could not connect to the SMTP server %s port %u (%s): check the server and port, "
                   "and that the server is running", config->host, port,
                   errbuf[0] ? errbuf : "connection refused");
      return;
    case CURLE_LOGIN_DENIED:
    case CURLE_AUTH_ERROR:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_AUTH,
                   "The SMTP server %s refused the login “%s” (%s): check the user name and the "
                   "password in the keyring", config->host, config->user ? config->user : "", reply);
      return;
    case CURLE_USE_SSL_FAILED:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TLS,
                   "The SMTP server %s port %u does not offer STARTTLS, which the settings require: "
                   "use TLS (usually port 465) or check the port", config->host, port);
      return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TLS,
                   "TLS with the SMTP server %s port %u failed (%s): check the security setting and "
                   "port (TLS is usually 465, STARTTLS 587)", config->host, port,
                   errbuf[0] ? errbuf : curl_easy_strerror (code));
      return;
    case CURLE_OPERATION_TIMEDOUT:
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_TIMEOUT,
                   "The SMTP server %s stopped answering (%s)", config->host,
                   errbuf[0] ? errbuf : "timed out");
      return;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_GOT_NOTHING:
    default:
      break;
    }

  if ((rc = reply_code_after (errbuf, "RCPT failed: ")) > 0)
    {
      what = g_strdup_printf ("the recipient %s", rcpt_to);
      set_refused (error, PS_SMTP_ERROR_RECIPIENT_REFUSED, rc, what, reply);
    }
  else if ((rc = reply_code_after (errbuf, "MAIL failed: ")) > 0)
    {
      what = g_strdup_printf ("the sender address %s (check the From address)", mail_from);
      set_refused (error, PS_SMTP_ERROR_SENDER_REFUSED, rc, what, reply);
    }
  else if ((rc = reply_code_after (errbuf, "DATA failed: ")) > 0)
    set_refused (error, PS_SMTP_ERROR_MESSAGE_REFUSED, rc, "the message", reply);
  else if (code == CURLE_WEIRD_SERVER_REPLY && up->started && response >= 400)
    set_refused (error, PS_SMTP_ERROR_MESSAGE_REFUSED, response, "the message", reply);
  else if (code == CURLE_SEND_ERROR || code == CURLE_RECV_ERROR || code == CURLE_GOT_NOTHING)
    g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NETWORK,
                 "The connection to the SMTP server %s broke (%s)", config->host,
                 errbuf[0] ? errbuf : curl_easy_strerror (code));
  else
    g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_FAILED,
                 "Sending through the SMTP server %s failed (%s; last reply: %s)", config->host,
                 errbuf[0] ? errbuf : curl_easy_strerror (code), reply);
}

static gpointer
init_curl (gpointer data)
{
  curl_global_init (CURL_GLOBAL_DEFAULT);
  return NULL;
}

static char *
make_url (const PsSmtpConfig *config,
          guint               port)
{
  gboolean ipv6 = strchr (config->host, ':') != NULL;

  return g_strdup_printf ("%s://%s%s%s:%u", config->security == PS_SMTP_SECURITY_TLS ? "smtps" : "smtp",
                          ipv6 ? "[" : "", config->host, ipv6 ? "]" : "", port);
}

/**
 * ps_smtp_send_sync:
 * @config: the server
 * @mail_from: the envelope sender (a bare address)
 * @rcpt_to: the recipient (a bare address)
 * @message: the whole message, headers and body, CRLF line ends
 * @data_func: (nullable) (scope call): called just before the body goes out
 * @data_func_data: data for @data_func
 * @cancellable: (nullable): cancels the conversation
 * @error: return location for a #PsSmtpError, or %G_IO_ERROR_CANCELLED
 *
 * Sends one message. Blocks: never call it on the main thread.
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
ps_smtp_send_sync (const PsSmtpConfig  *config,
                   const char          *mail_from,
                   const char          *rcpt_to,
                   GBytes              *message,
                   PsSmtpDataFunc       data_func,
                   gpointer             data_func_data,
                   GCancellable        *cancellable,
                   GError             **error)
{
  static GOnce once = G_ONCE_INIT;
  Upload up = { 0 };
  char errbuf[CURL_ERROR_SIZE] = "";
  g_autofree char *url = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  struct curl_slist *rcpts = NULL;
  CURL *curl;
  CURLcode code;
  guint port;
  gsize len;

  g_return_val_if_fail (config != NULL && message != NULL, FALSE);

  if (config->host == NULL || *config->host == '\0' || mail_from == NULL || *mail_from == '\0')
    {
      g_set_error_literal (error, PS_SMTP_ERROR, PS_SMTP_ERROR_NOT_CONFIGURED,
                           "Email is not set up: set the SMTP server and the From address in the "
                           "email settings (or postsale-cli smtp set)");
      return FALSE;
    }
  if (rcpt_to == NULL || strchr (rcpt_to, '@') == NULL || strpbrk (rcpt_to, "<>\r\n ") != NULL)
    {
      g_set_error (error, PS_SMTP_ERROR, PS_SMTP_ERROR_RECIPIENT_REFUSED,
                   "“%s” is not an email address", rcpt_to ? rcpt_to : "");
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  g_once (&once, init_curl, NULL);

  port = config->port ? config->port : config->security == PS_SMTP_SECURITY_TLS ? 465 : 25;
  url = make_url (config, port);
  from = g_strdup_printf ("<%s>", mail_from);
  to = g_strdup_printf ("<%s>", rcpt_to);
  rcpts = curl_slist_append (NULL, to);
  up.data = g_bytes_get_data (message, &len);
  up.len = len;
  up.data_func = data_func;
  up.data_func_data = data_func_data;
  up.cancellable = cancellable;

  curl = curl_easy_init ();
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT, (long)(config->connect_timeout ? config->connect_timeout : 30));
  curl_easy_setopt (curl, CURLOPT_TIMEOUT, (long)(config->timeout ? config->timeout : 120));
  switch (config->security)
    {
    case PS_SMTP_SECURITY_NONE:
      curl_easy_setopt (curl, CURLOPT_USE_SSL, (long)CURLUSESSL_NONE);
      break;
    case PS_SMTP_SECURITY_STARTTLS_OPTIONAL:
      curl_easy_setopt (curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
      break;
    case PS_SMTP_SECURITY_STARTTLS:
    case PS_SMTP_SECURITY_TLS:
    default:
      curl_easy_setopt (curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
      break;
    }
  if (config->user != NULL && *config->user != '\0')
    {
      curl_easy_setopt (curl, CURLOPT_USERNAME, config->user);
      curl_easy_setopt (curl, CURLOPT_PASSWORD, config->password ? config->password : "");
    }
  curl_easy_setopt (curl, CURLOPT_MAIL_FROM, from);
  curl_easy_setopt (curl, CURLOPT_MAIL_RCPT, rcpts);
  curl_easy_setopt (curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt (curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
  curl_easy_setopt (curl, CURLOPT_READFUNCTION, read_cb);
  curl_easy_setopt (curl, CURLOPT_READDATA, &up);
  curl_easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
  curl_easy_setopt (curl, CURLOPT_XFERINFODATA, &up);
  curl_easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt (curl, CURLOPT_DEBUGFUNCTION, debug_cb);
  curl_easy_setopt (curl, CURLOPT_DEBUGDATA, &up);

  code = curl_easy_perform (curl);
  g_debug ("SMTP %s → %s: %s (last reply: %s)", url, rcpt_to, curl_easy_strerror (code), up.last_reply);

  if (code != CURLE_OK)
    {
      if (up.data_error != NULL)
        g_propagate_error (error, g_steal_pointer (&up.data_error));
      else if (code == CURLE_ABORTED_BY_CALLBACK && g_cancellable_is_cancelled (cancellable))
        g_cancellable_set_error_if_cancelled (cancellable, error);
      else
        map_error (code, curl, errbuf, &up, config, port, rcpt_to, mail_from, error);
    }
  g_clear_error (&up.data_error);
  curl_easy_cleanup (curl);
  curl_slist_free_all (rcpts);
  return code == CURLE_OK;
}

/**
 * ps_smtp_error_is_permanent:
 * @error: an error from ps_smtp_send_sync()
 *
 * Returns: %TRUE when sending the same message again cannot help: the
 *   server refused the recipient, the sender or the message with a 5xx
 *   reply. Connection, TLS, login and 4xx problems are worth a retry.
 */
gboolean
ps_smtp_error_is_permanent (const GError *error)
{
  return error != NULL && error->domain == PS_SMTP_ERROR &&
         (error->code == PS_SMTP_ERROR_RECIPIENT_REFUSED ||
          error->code == PS_SMTP_ERROR_SENDER_REFUSED ||
          error->code == PS_SMTP_ERROR_MESSAGE_REFUSED);
}

typedef struct
{
  PsSmtpConfig  config;
  char         *host;
  char         *user;
  char         *password;
  char         *mail_from;
  char         *rcpt_to;
  GBytes       *message;
} SendData;

static void
send_data_free (SendData *d)
{
  g_free (d->host);
  g_free (d->user);
  if (d->password != NULL)
    memset (d->password, 0, strlen (d->password));
  g_free (d->password);
  g_free (d->mail_from);
  g_free (d->rcpt_to);
  g_bytes_unref (d->message);
  g_free (d);
}

static void
send_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  SendData *d = task_data;
  GError *error = NULL;

  if (ps_smtp_send_sync (&d->config, d->mail_from, d->rcpt_to, d->message, NULL, NULL, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * ps_smtp_send_async:
 * @config: the server (copied)
 * @mail_from: the envelope sender
 * @rcpt_to: the recipient
 * @message: the message
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's thread-default main context
 * @user_data: data for @callback
 *
 * ps_smtp_send_sync() in a GTask thread (for "send a test message" in
 * the settings).
 */
void
ps_smtp_send_async (const PsSmtpConfig  *config,
                    const char          *mail_from,
                    const char          *rcpt_to,
                    GBytes              *message,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *d;

  g_return_if_fail (config != NULL && message != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_smtp_send_async);
  d = g_new0 (SendData, 1);
  d->config = *config;
  d->config.host = d->host = g_strdup (config->host);
  d->config.user = d->user = g_strdup (config->user);
  d->config.password = d->password = g_strdup (config->password);
  d->mail_from = g_strdup (mail_from);
  d->rcpt_to = g_strdup (rcpt_to);
  d->message = g_bytes_ref (message);
  g_task_set_task_data (task, d, (GDestroyNotify)send_data_free);
  g_task_run_in_thread (task, send_thread);
}

/**
 * ps_smtp_send_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the server accepted the message
 */
gboolean
ps_smtp_send_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The password */

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    "com.example.Postsale.SmtpPassword", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "user", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static GError *
keyring_error (GError     *error,
               const char *what)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;
  mapped = g_error_new (error->domain, error->code,
                        "Could not %s the SMTP password in the keyring (%s): check that the desktop "
                        "keyring is running and unlocked", what, error->message);
  g_error_free (error);
  return mapped;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error, "store"));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ps_smtp_password_store_async:
 * @host: the SMTP server
 * @user: the login
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored
 * @user_data: data for @callback
 *
 * Stores (or replaces) the SMTP password in the secret service.
 */
void
ps_smtp_password_store_async (const char          *host,
                              const char          *user,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autofree char *label = NULL;
  GTask *task;

  g_return_if_fail (host != NULL && user != NULL && password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_smtp_password_store_async);
  label = g_strdup_printf ("Postsale: SMTP password (%s on %s)", user, host);
  secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, store_cb, task, "host", host, "user", user, NULL);
}

/**
 * ps_smtp_password_store_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if stored
 */
gboolean
ps_smtp_password_store_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, keyring_error (error, "remove"));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * ps_smtp_password_clear_async:
 * @host: the SMTP server
 * @user: the login
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removes the SMTP password from the secret service.
 */
void
ps_smtp_password_clear_async (const char          *host,
                              const char          *user,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (host != NULL && user != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ps_smtp_password_clear_async);
  secret_password_clear (password_schema (), cancellable, clear_cb, task,
                         "host", host, "user", user, NULL);
}

/**
 * ps_smtp_password_clear_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE unless the keyring failed (no password is not a failure)
 */
gboolean
ps_smtp_password_clear_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ps_smtp_password_store_sync:
 * @host: the SMTP server
 * @user: the login
 * @password: the password
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Blocks on D-Bus: worker threads and the CLI only.
 *
 * Returns: %TRUE if stored
 */
gboolean
ps_smtp_password_store_sync (const char    *host,
                             const char    *user,
                             const char    *password,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autofree char *label = g_strdup_printf ("Postsale: SMTP password (%s on %s)", user, host);
  GError *local_error = NULL;

  if (!secret_password_store_sync (password_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                                   cancellable, &local_error, "host", host, "user", user, NULL))
    {
      g_propagate_error (error, keyring_error (local_error, "store"));
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_smtp_password_lookup_sync:
 * @host: the SMTP server
 * @user: the login
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Blocks on D-Bus: call it from the sending thread, never the main one.
 *
 * Returns: (transfer full) (nullable): the password; %NULL with @error
 *   unset when the keyring has none
 */
char *
ps_smtp_password_lookup_sync (const char    *host,
                              const char    *user,
                              GCancellable  *cancellable,
                              GError       **error)
{
  GError *local_error = NULL;
  char *secret = secret_password_lookup_sync (password_schema (), cancellable, &local_error,
                                              "host", host, "user", user, NULL);
  char *copy;

  if (local_error != NULL)
    {
      g_propagate_error (error, keyring_error (local_error, "read"));
      return NULL;
    }
  copy = g_strdup (secret);
  secret_password_free (secret);
  return copy;
}
