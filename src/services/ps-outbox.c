/* ps-outbox.c: queue a customer email for an order
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one entry point the automation engine's send_email action (and the
 * Exceptions view's "Email the customer") uses. A message is rendered
 * when it is queued, so what the Outbox shows is exactly what goes out,
 * and the dedup key is looked at first, so a key seen before costs one
 * indexed lookup and renders nothing.
 */

#define G_LOG_DOMAIN "ps-outbox"

#include "config.h"

#include <string.h>

#include "ps-mail-compose.h"
#include "ps-message-store.h"
#include "ps-outbox.h"
#include "ps-time.h"

static PsMailContext *
context_for_order (const PsMessageOrder *order)
{
  PsMailContext *context = ps_mail_context_new ();

  context->order_number = g_strdup (order->order_number);
  context->customer_name = g_strdup (order->customer_name);
  context->carrier = g_strdup (order->carrier);
  context->service = g_strdup (order->service);
  context->tracking_number = g_strdup (order->tracking_number);
  context->estimated_delivery_at = order->estimated_delivery_at;
  context->time_zone = g_time_zone_new_local ();
  for (guint i = 0; i < order->items->len; i++)
    {
      const PsMessageItem *item = g_ptr_array_index (order->items, i);

      g_ptr_array_add (context->items, ps_mail_item_new (item->name, item->variant, item->sku,
                                                         item->quantity));
    }
  return context;
}

static PsMailRendered *
render_for_order (const char            *subject,
                  const char            *body_html,
                  const char            *body_text,
                  const PsMessageOrder  *order,
                  const PsMailSettings  *settings,
                  GError               **error)
{
  g_autoptr(PsMailContext) context = context_for_order (order);
  PsMailBrand brand = {
    settings->shop_name,
    settings->brand_color,
    settings->logo_path != NULL && *settings->logo_path != '\0' ? PS_OUTBOX_LOGO_CID : NULL,
  };

  return ps_mail_template_render (subject, body_html, body_text, context, &brand, error);
}

static gboolean
looks_like_address (const char *address)
{
  const char *at;

  if (address == NULL)
    return FALSE;
  at = strchr (address, '@');
  return at != NULL && at > address && at[1] != '\0' && strpbrk (address, "<>\r\n \t,;") == NULL;
}

gint64
ps_outbox_enqueue_sync (PsDatabase  *db,
                        const char  *template_name,
                        gint64       order_id,
                        gint64       event_id,
                        const char  *to_address,
                        const char  *dedup_key,
                        gint64       now,
                        gboolean    *created,
                        GError     **error)
{
  g_autoptr(PsMessageTemplate) template_ = NULL;
  g_autoptr(PsMessageOrder) order = NULL;
  g_autoptr(PsMailSettings) settings = NULL;
  g_autoptr(PsMailRendered) rendered = NULL;
  g_autoptr(PsMessage) message = NULL;
  g_autofree char *to = NULL;
  gint64 existing;

  g_return_val_if_fail (PS_IS_DATABASE (db), 0);
  g_return_val_if_fail (template_name != NULL, 0);
  g_return_val_if_fail (dedup_key != NULL && *dedup_key != '\0', 0);

  if (created != NULL)
    *created = FALSE;

  existing = ps_message_store_lookup_key_sync (db, dedup_key, error);
  if (existing != 0)
    return existing > 0 ? existing : 0;

  template_ = ps_message_store_load_template_sync (db, template_name, error);
  if (template_ == NULL)
    return 0;
  order = ps_message_store_load_order_sync (db, order_id, event_id, error);
  if (order == NULL)
    return 0;

  to = g_strstrip (g_strdup (to_address != NULL ? to_address
                             : order->customer_email ? order->customer_email : ""));
  if (*to == '\0')
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NO_RECIPIENT,
                   "Order %s has no customer email: add one to the order or send to an address",
                   order->order_number);
      return 0;
    }
  if (!looks_like_address (to))
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NO_RECIPIENT,
                   "“%s” (order %s) is not an email address", to, order->order_number);
      return 0;
    }

  settings = ps_message_store_load_settings_sync (db, error);
  if (settings == NULL)
    return 0;
  rendered = render_for_order (template_->subject, template_->body_html, template_->body_text,
                               order, settings, error);
  if (rendered == NULL)
    return 0;

  message = ps_message_new ();
  message->order_id = order_id;
  message->event_id = event_id;
  message->dedup_key = g_strdup (dedup_key);
  message->message_id = ps_mail_make_message_id (dedup_key, settings->from_address);
  message->to_address = g_steal_pointer (&to);
  message->subject = g_strdup (rendered->subject);
  message->body_text = g_strdup (rendered->text);
  message->body_html = g_strdup (rendered->html);
  message->created_at = now;
  return ps_message_store_insert_sync (db, message, template_name, created, error);
}

/**
 * ps_outbox_render_sync:
 * @db: the database
 * @subject: a subject template
 * @body_html: an HTML fragment template
 * @body_text: a plain-text template
 * @order_id: a real order to fill it in with
 * @event_id: an event of that order, or 0
 * @error: return location for an error
 *
 * The template editor's preview: a template that need not be saved yet,
 * rendered for a real order with the current brand. Worker thread only.
 *
 * Returns: (transfer full) (nullable): the rendered message
 */
PsMailRendered *
ps_outbox_render_sync (PsDatabase  *db,
                       const char  *subject,
                       const char  *body_html,
                       const char  *body_text,
                       gint64       order_id,
                       gint64       event_id,
                       GError     **error)
{
  g_autoptr(PsMessageOrder) order = NULL;
  g_autoptr(PsMailSettings) settings = NULL;

  order = ps_message_store_load_order_sync (db, order_id, event_id, error);
  if (order == NULL)
    return NULL;
  settings = ps_message_store_load_settings_sync (db, error);
  if (settings == NULL)
    return NULL;
  return render_for_order (subject, body_html, body_text, order, settings, error);
}

typedef struct
{
  char     *template_name;
  gint64    order_id;
  gint64    event_id;
  char     *to_address;
  char     *dedup_key;
} EnqueueData;

typedef struct
{
  gint64    id;
  gboolean  created;
} EnqueueResult;

static void
enqueue_data_free (EnqueueData *d)
{
  g_free (d->template_name);
  g_free (d->to_address);
  g_free (d->dedup_key);
  g_free (d);
}

static gpointer
enqueue_job (PsDatabase    *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  EnqueueData *d = data;
  g_autofree EnqueueResult *r = g_new0 (EnqueueResult, 1);

  r->id = ps_outbox_enqueue_sync (db, d->template_name, d->order_id, d->event_id, d->to_address,
                                  d->dedup_key, ps_time_now (), &r->created, error);
  return r->id > 0 ? g_steal_pointer (&r) : NULL;
}

/**
 * ps_outbox_enqueue_async:
 * @db: the database
 * @template_name: the template
 * @order_id: the order
 * @event_id: the event, or 0
 * @to_address: (nullable): the recipient; %NULL for the customer
 * @dedup_key: the message's identity (for a merchant's "Email the
 *   customer" from the Exceptions view, e.g. "manual:exception:<event id>")
 * @cancellable: (nullable): a #GCancellable
 * @callback: called on the caller's main context
 * @user_data: data for @callback
 *
 * ps_outbox_enqueue_sync() on the database worker, for the UI.
 */
void
ps_outbox_enqueue_async (PsDatabase          *db,
                         const char          *template_name,
                         gint64               order_id,
                         gint64               event_id,
                         const char          *to_address,
                         const char          *dedup_key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  EnqueueData *d;

  g_return_if_fail (PS_IS_DATABASE (db));
  g_return_if_fail (template_name != NULL && dedup_key != NULL);

  d = g_new0 (EnqueueData, 1);
  d->template_name = g_strdup (template_name);
  d->order_id = order_id;
  d->event_id = event_id;
  d->to_address = g_strdup (to_address);
  d->dedup_key = g_strdup (dedup_key);
  ps_database_run_for_async (db, db, ps_outbox_enqueue_async, enqueue_job, d,
                             (GDestroyNotify)enqueue_data_free, g_free,
                             cancellable, callback, user_data);
}

/**
 * ps_outbox_enqueue_finish:
 * @db: the database
 * @result: the result
 * @created: (out) (optional): %FALSE when the key was known
 * @error: return location for an error
 *
 * Returns: the message id, or 0 with @error set
 */
gint64
ps_outbox_enqueue_finish (PsDatabase    *db,
                          GAsyncResult  *result,
                          gboolean      *created,
                          GError       **error)
{
  g_autofree EnqueueResult *r = ps_database_run_for_finish (result, db, ps_outbox_enqueue_async, error);

  if (created != NULL)
    *created = r != NULL && r->created;
  return r != NULL ? r->id : 0;
}
