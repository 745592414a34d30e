/* ps-smtp.h: one message to one SMTP server with libcurl
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PS_SMTP_ERROR (ps_smtp_error_quark ())

/**
 * PsSmtpError:
 * @PS_SMTP_ERROR_NOT_CONFIGURED: no server or sender address set
 * @PS_SMTP_ERROR_CONNECT: the server could not be reached (refused,
 *   unknown host, no route)
 * @PS_SMTP_ERROR_TLS: TLS failed: STARTTLS required but not offered, a
 *   handshake failure or a certificate that does not verify
 * @PS_SMTP_ERROR_AUTH: the server refused the user name or password
 * @PS_SMTP_ERROR_SENDER_REFUSED: the server refused the From address for
 *   good (5xx)
 * @PS_SMTP_ERROR_RECIPIENT_REFUSED: the server refused the recipient for
 *   good (5xx)
 * @PS_SMTP_ERROR_MESSAGE_REFUSED: the server refused the message itself
 *   for good (5xx after the body)
 * @PS_SMTP_ERROR_TEMPORARY: the server asked to try again later (4xx)
 * @PS_SMTP_ERROR_TIMEOUT: the server stopped answering
 * @PS_SMTP_ERROR_NETWORK: the connection broke
 * @PS_SMTP_ERROR_FAILED: anything else
 *
 * Messages quote the server's last reply where there is one.
 */
typedef enum
{
  PS_SMTP_ERROR_NOT_CONFIGURED,
  PS_SMTP_ERROR_CONNECT,
  PS_SMTP_ERROR_TLS,
  PS_SMTP_ERROR_AUTH,
  PS_SMTP_ERROR_SENDER_REFUSED,
  PS_SMTP_ERROR_RECIPIENT_REFUSED,
  PS_SMTP_ERROR_MESSAGE_REFUSED,
  PS_SMTP_ERROR_TEMPORARY,
  PS_SMTP_ERROR_TIMEOUT,
  PS_SMTP_ERROR_NETWORK,
  PS_SMTP_ERROR_FAILED,
} PsSmtpError;

GQuark ps_smtp_error_quark (void);

/**
 * PsSmtpSecurity:
 * @PS_SMTP_SECURITY_NONE: plain SMTP, never TLS (local relays, tests)
 * @PS_SMTP_SECURITY_STARTTLS_OPTIONAL: STARTTLS when the server offers it
 * @PS_SMTP_SECURITY_STARTTLS: STARTTLS required (port 587)
 * @PS_SMTP_SECURITY_TLS: TLS from the first byte, smtps:// (port 465)
 */
typedef enum
{
  PS_SMTP_SECURITY_NONE,
  PS_SMTP_SECURITY_STARTTLS_OPTIONAL,
  PS_SMTP_SECURITY_STARTTLS,
  PS_SMTP_SECURITY_TLS,
} PsSmtpSecurity;

const char *ps_smtp_security_to_nick   (PsSmtpSecurity  security);
gboolean    ps_smtp_security_from_nick (const char     *nick,
                                        PsSmtpSecurity *security);

/**
 * PsSmtpConfig:
 * @host: the server
 * @port: its port; 0 for 25 (none, STARTTLS) or 465 (TLS)
 * @security: how TLS is used
 * @user: (nullable): the login; %NULL for no authentication
 * @password: (nullable): the password (from ps_smtp_password_lookup_sync())
 * @connect_timeout: seconds to connect; 0 for 30
 * @timeout: seconds for the whole conversation; 0 for 120
 */
typedef struct
{
  const char     *host;
  guint           port;
  PsSmtpSecurity  security;
  const char     *user;
  const char     *password;
  guint           connect_timeout;
  guint           timeout;
} PsSmtpConfig;

/**
 * PsSmtpDataFunc:
 * @user_data: the data given with it
 * @error: return location for an error
 *
 * Called on the sending thread once, after the server agreed to receive
 * the message (DATA) and before its first byte is sent. Returning %FALSE
 * aborts the send: the server then has not accepted anything.
 *
 * Returns: %TRUE to send the message
 */
typedef gboolean (*PsSmtpDataFunc) (gpointer   user_data,
                                    GError   **error);

gboolean  ps_smtp_send_sync           (const PsSmtpConfig   *config,
                                       const char           *mail_from,
                                       const char           *rcpt_to,
                                       GBytes               *message,
                                       PsSmtpDataFunc        data_func,
                                       gpointer              data_func_data,
                                       GCancellable         *cancellable,
                                       GError              **error);
void      ps_smtp_send_async          (const PsSmtpConfig   *config,
                                       const char           *mail_from,
                                       const char           *rcpt_to,
                                       GBytes               *message,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  ps_smtp_send_finish         (GAsyncResult         *result,
                                       GError              **error);
gboolean  ps_smtp_error_is_permanent  (const GError         *error);

/* The password, in the secret service (schema com.example.Postsale.SmtpPassword). */
void      ps_smtp_password_store_async  (const char          *host,
                                         const char          *user,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  ps_smtp_password_store_finish (GAsyncResult        *result,
                                         GError             **error);
void      ps_smtp_password_clear_async  (const char          *host,
                                         const char          *user,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean  ps_smtp_password_clear_finish (GAsyncResult        *result,
                                         GError             **error);
gboolean  ps_smtp_password_store_sync   (const char          *host,
                                         const char          *user,
                                         const char          *password,
                                         GCancellable        *cancellable,
                                         GError             **error);
char     *ps_smtp_password_lookup_sync  (const char          *host,
                                         const char          *user,
                                         GCancellable        *cancellable,
                                         GError             **error);

G_END_DECLS
