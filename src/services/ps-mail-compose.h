/* ps-mail-compose.h: a customer email as MIME, with GMime
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * PsMailDraft:
 * @from_address: the sender address
 * @from_name: (nullable): the sender's display name (UTF-8)
 * @reply_to: (nullable): where replies go
 * @to_address: the recipient
 * @to_name: (nullable): the recipient's display name (UTF-8)
 * @subject: the subject (UTF-8)
 * @text: the plain-text part
 * @html: (nullable): the HTML part; without it the message is text only
 * @message_id: the Message-ID, with or without its angle brackets
 * @date: the Date header, UTC Unix seconds
 * @logo_path: (nullable): an image file to attach inline
 * @logo_cid: (nullable): the Content-ID the HTML refers to it by
 *
 * Everything a message needs; all strings borrowed.
 */
typedef struct
{
  const char *from_address;
  const char *from_name;
  const char *reply_to;
  const char *to_address;
  const char *to_name;
  const char *subject;
  const char *text;
  const char *html;
  const char *message_id;
  gint64      date;
  const char *logo_path;
  const char *logo_cid;
} PsMailDraft;

GBytes *ps_mail_compose           (const PsMailDraft  *draft,
                                   GError            **error);
char   *ps_mail_make_message_id   (const char         *dedup_key,
                                   const char         *from_address);

G_END_DECLS
