/* ps-outbox.h: queue a customer email for an order (automation ↔ email)
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-mail-template.h"

G_BEGIN_DECLS

/* The Content-ID the branded header's logo is attached under. */
#define PS_OUTBOX_LOGO_CID "logo@postsale"

/**
 * ps_outbox_enqueue_sync:
 * @db: the database
 * @template_name: the message template's name ("shipped", "delivered", …)
 * @order_id: the order the message is about
 * @event_id: the event that caused it, or 0
 * @to_address: (nullable): the recipient; %NULL for the order's customer
 *   email
 * @dedup_key: the message's identity: a key seen before never queues a
 *   second message (for example "rule:12:order:345:event:678")
 * @now: the current time, Unix seconds (ps_time_now())
 * @created: (out) (optional): %TRUE when a new message was queued, %FALSE
 *   when @dedup_key was already known
 * @error: return location for an error
 *
 * Renders @template_name for @order_id (values HTML-escaped in the HTML
 * part, plain in the text part) and inserts a queued message into the
 * outbox. When @dedup_key was seen before, nothing new is rendered or
 * queued: the existing message's id is returned and *@created is %FALSE.
 *
 * Worker thread only. It may run inside a transaction the caller opened
 * (ps_database_begin()); then the message is queued only if the caller
 * commits. Outside a transaction it commits on its own (one INSERT).
 *
 * Returns: the message id, or 0 with @error set: %PS_MESSAGE_ERROR_NOT_FOUND
 *   (no such template or order), %PS_MESSAGE_ERROR_NO_RECIPIENT (no
 *   customer email and no @to_address), or a store error
 */
gint64 ps_outbox_enqueue_sync (PsDatabase  *db,
                               const char  *template_name,
                               gint64       order_id,
                               gint64       event_id,
                               const char  *to_address,
                               const char  *dedup_key,
                               gint64       now,
                               gboolean    *created,
                               GError     **error);

void   ps_outbox_enqueue_async  (PsDatabase           *db,
                                 const char           *template_name,
                                 gint64                order_id,
                                 gint64                event_id,
                                 const char           *to_address,
                                 const char           *dedup_key,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
gint64 ps_outbox_enqueue_finish (PsDatabase           *db,
                                 GAsyncResult         *result,
                                 gboolean             *created,
                                 GError              **error);

PsMailRendered *ps_outbox_render_sync (PsDatabase  *db,
                                       const char  *subject,
                                       const char  *body_html,
                                       const char  *body_text,
                                       gint64       order_id,
                                       gint64       event_id,
                                       GError     **error);

G_END_DECLS
