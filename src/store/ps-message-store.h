/* ps-message-store.h: email templates, the outbox and mail settings
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every function here runs on the database worker (inside a
 * PsDatabaseJob). The async API for the UI is PsOutboxService.
 */

#pragma once

#include <gio/gio.h>

#include "ps-database.h"
#include "ps-enums.h"

G_BEGIN_DECLS

#define PS_MESSAGE_ERROR (ps_message_error_quark ())

/**
 * PsMessageError:
 * @PS_MESSAGE_ERROR_NOT_FOUND: no such message, template or order
 * @PS_MESSAGE_ERROR_STATE: the message cannot do that in its state (cancel
 *   a sent message, send a sent one again)
 * @PS_MESSAGE_ERROR_NO_RECIPIENT: the order has no customer email and no
 *   address was given
 * @PS_MESSAGE_ERROR_BUILTIN: built-in templates cannot be deleted or
 *   renamed
 */
typedef enum
{
  PS_MESSAGE_ERROR_NOT_FOUND,
  PS_MESSAGE_ERROR_STATE,
  PS_MESSAGE_ERROR_NO_RECIPIENT,
  PS_MESSAGE_ERROR_BUILTIN,
} PsMessageError;

GQuark ps_message_error_quark (void);

/**
 * PsMessageTemplate:
 * @id: the row id (0 for a new template)
 * @name: unique name ("shipped")
 * @subject: subject template
 * @body_html: HTML fragment template
 * @body_text: plain-text template
 * @builtin: shipped with Postsale (editable, not deletable)
 * @updated_at: last saved
 */
typedef struct
{
  gint64    id;
  char     *name;
  char     *subject;
  char     *body_html;
  char     *body_text;
  gboolean  builtin;
  gint64    updated_at;
} PsMessageTemplate;

PsMessageTemplate *ps_message_template_copy (const PsMessageTemplate *self);
void               ps_message_template_free (PsMessageTemplate       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMessageTemplate, ps_message_template_free)

/**
 * PsMessage:
 * @id: the row id
 * @order_id: the order (0 if none)
 * @order_number: (nullable): its number
 * @customer_name: (nullable): the order's customer when @to_address is
 *   the customer's email (the To display name), else %NULL
 * @template_name: (nullable): the template it came from
 * @event_id: the event that caused it (0 if none)
 * @dedup_key: the key that makes it unique
 * @message_id: the Message-ID header, "<…@…>", the same on every attempt
 * @to_address: the recipient
 * @subject: the subject
 * @body_text: (nullable): the text part (%NULL in lists)
 * @body_html: (nullable): the HTML part (%NULL in lists)
 * @status: queued, sending, sent, failed or cancelled
 * @attempts: how many times sending started
 * @next_attempt_at: when a queued message is due (0: now)
 * @last_error: (nullable): why the last attempt failed
 * @created_at: when it was queued
 * @sent_at: when the server accepted it (0 until then)
 * @lease_until: while sending, when the sender is presumed dead
 * @data_sent_at: while sending, when the body started going to the server
 */
typedef struct
{
  gint64           id;
  gint64           order_id;
  char            *order_number;
  char            *customer_name;
  char            *template_name;
  gint64           event_id;
  char            *dedup_key;
  char            *message_id;
  char            *to_address;
  char            *subject;
  char            *body_text;
  char            *body_html;
  PsMessageStatus  status;
  guint            attempts;
  gint64           next_attempt_at;
  char            *last_error;
  gint64           created_at;
  gint64           sent_at;
  gint64           lease_until;
  gint64           data_sent_at;
} PsMessage;

PsMessage *ps_message_new  (void);
PsMessage *ps_message_copy (const PsMessage *self);
void       ps_message_free (PsMessage       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMessage, ps_message_free)

/**
 * PsMessageItem:
 * @name: product name
 * @variant: (nullable): variant
 * @sku: (nullable): SKU
 * @quantity: how many
 */
typedef struct
{
  char *name;
  char *variant;
  char *sku;
  int   quantity;
} PsMessageItem;

/**
 * PsMessageOrder:
 * @id: the order
 * @order_number: its number
 * @customer_name: (nullable): the customer
 * @customer_email: (nullable): where customer emails go
 * @items: (element-type PsMessageItem): line items in order
 * @carrier: (nullable): the shipment's carrier code
 * @service: (nullable): the service name (or code when no name is stored)
 * @tracking_number: (nullable): the tracking number
 * @estimated_delivery_at: 0 if not known
 *
 * What a template is filled in with. The shipment is the event's, when
 * the event names one, else the order's latest live shipment.
 */
typedef struct
{
  gint64     id;
  char      *order_number;
  char      *customer_name;
  char      *customer_email;
  GPtrArray *items;
  char      *carrier;
  char      *service;
  char      *tracking_number;
  gint64     estimated_delivery_at;
} PsMessageOrder;

void ps_message_order_free (PsMessageOrder *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMessageOrder, ps_message_order_free)

/**
 * PsMailSettings:
 * @smtp_host: (nullable): the SMTP server; %NULL until set up
 * @smtp_port: its port (0: the security's default)
 * @smtp_security: (nullable): "none", "starttls-optional", "starttls" or
 *   "tls" (PsSmtpSecurity nicks)
 * @smtp_user: (nullable): the login; %NULL for no authentication (the
 *   password is in the secret service, never here)
 * @from_address: (nullable): the sender address
 * @from_name: (nullable): the sender's display name
 * @reply_to: (nullable): where replies go
 * @shop_name: (nullable): the branded header's name and {{shop_name}}
 * @logo_path: (nullable): an image file shown in the header
 * @brand_color: (nullable): the header colour, "#rrggbb"
 *
 * Email settings kept in the database (table mail_settings).
 */
typedef struct
{
  char *smtp_host;
  int   smtp_port;
  char *smtp_security;
  char *smtp_user;
  char *from_address;
  char *from_name;
  char *reply_to;
  char *shop_name;
  char *logo_path;
  char *brand_color;
} PsMailSettings;

PsMailSettings *ps_mail_settings_new  (void);
PsMailSettings *ps_mail_settings_copy (const PsMailSettings *self);
void            ps_mail_settings_free (PsMailSettings       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PsMailSettings, ps_mail_settings_free)

/* Templates */
PsMessageTemplate *ps_message_store_load_template_sync   (PsDatabase              *db,
                                                          const char              *name,
                                                          GError                 **error);
GPtrArray         *ps_message_store_list_templates_sync  (PsDatabase              *db,
                                                          GError                 **error);
gint64             ps_message_store_save_template_sync   (PsDatabase              *db,
                                                          const PsMessageTemplate *template_,
                                                          gint64                   now,
                                                          GError                 **error);
gboolean           ps_message_store_delete_template_sync (PsDatabase              *db,
                                                          const char              *name,
                                                          GError                 **error);
PsMessageTemplate *ps_message_store_builtin_template     (const char              *name,
                                                          GError                 **error);
PsMessageTemplate *ps_message_store_revert_template_sync (PsDatabase              *db,
                                                          const char              *name,
                                                          gint64                   now,
                                                          GError                 **error);
GPtrArray         *ps_message_store_list_shipped_orders_sync (PsDatabase          *db,
                                                          guint                    limit,
                                                          GError                 **error);

/* What templates are filled in with */
PsMessageOrder    *ps_message_store_load_order_sync      (PsDatabase              *db,
                                                          gint64                   order_id,
                                                          gint64                   event_id,
                                                          GError                 **error);

/* The outbox */
gint64             ps_message_store_lookup_key_sync      (PsDatabase              *db,
                                                          const char              *dedup_key,
                                                          GError                 **error);
gint64             ps_message_store_insert_sync          (PsDatabase              *db,
                                                          const PsMessage         *message,
                                                          const char              *template_name,
                                                          gboolean                *created,
                                                          GError                 **error);
PsMessage         *ps_message_store_load_sync            (PsDatabase              *db,
                                                          gint64                   id,
                                                          GError                 **error);
GPtrArray         *ps_message_store_list_sync            (PsDatabase              *db,
                                                          int                      status,
                                                          guint                    limit,
                                                          GError                 **error);
gboolean           ps_message_store_count_sync           (PsDatabase              *db,
                                                          guint                    counts[5],
                                                          GError                 **error);
GPtrArray         *ps_message_store_claim_due_sync       (PsDatabase              *db,
                                                          gint64                   now,
                                                          gint64                   lease_seconds,
                                                          guint                    max,
                                                          guint                   *n_unknown,
                                                          GError                 **error);
gboolean           ps_message_store_mark_data_sent_sync  (PsDatabase              *db,
                                                          gint64                   id,
                                                          gint64                   now,
                                                          GError                 **error);
gboolean           ps_message_store_mark_sent_sync       (PsDatabase              *db,
                                                          gint64                   id,
                                                          gint64                   now,
                                                          GError                 **error);
gboolean           ps_message_store_mark_retry_sync      (PsDatabase              *db,
                                                          gint64                   id,
                                                          const char              *reason,
                                                          gint64                   next_attempt_at,
                                                          gboolean                 count_attempt,
                                                          GError                 **error);
gboolean           ps_message_store_mark_failed_sync     (PsDatabase              *db,
                                                          gint64                   id,
                                                          const char              *reason,
                                                          GError                 **error);
gboolean           ps_message_store_cancel_sync          (PsDatabase              *db,
                                                          gint64                   id,
                                                          GError                 **error);
gboolean           ps_message_store_send_now_sync        (PsDatabase              *db,
                                                          gint64                   id,
                                                          gint64                   now,
                                                          GError                 **error);

/* Settings */
PsMailSettings    *ps_message_store_load_settings_sync   (PsDatabase              *db,
                                                          GError                 **error);
gboolean           ps_message_store_save_settings_sync   (PsDatabase              *db,
                                                          const PsMailSettings    *settings,
                                                          GError                 **error);

G_END_DECLS
