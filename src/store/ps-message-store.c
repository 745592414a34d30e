/* ps-message-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL behind customer email: templates, the outbox (messages) and the
 * mail settings. A message's life:
 *
 *   queued ──claim──▶ sending ──server said 250──▶ sent
 *     ▲                  │
 *     └── retry (backoff)┤── refused for good / attempts used up ──▶ failed
 *                        └── lease expired: see below
 *   queued / failed ──cancel──▶ cancelled;  failed / cancelled ──send now──▶ queued
 *
 * Never twice:
 *   * dedup_key is UNIQUE: queueing the same key again returns the first
 *     message (ps_message_store_insert_sync).
 *   * claim marks a message 'sending' with a lease in a committed
 *     transaction before any SMTP traffic, so two senders (the app and
 *     postsale-cli) never take the same message.
 *   * data_sent_at is committed just before the message body goes to the
 *     server (the sender blocks on it). The server's "250" after the body
 *     is the commit point of a delivery. When a sender dies, its lease
 *     expires and the next claim looks at data_sent_at: NULL means the
 *     server never had the body, so nothing can have been delivered and
 *     the message is simply queued again; set means the server may have
 *     accepted it, so it is NOT re-sent automatically but marked failed
 *     with "delivery unknown" for the merchant to check (Send now resends
 *     it with the same Message-ID, which lets the receiving side recognise
 *     the duplicate).
 */

#define G_LOG_DOMAIN "ps-message-store"

#include "config.h"

#include <string.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-message-store.h"

G_DEFINE_QUARK (ps-message-error-quark, ps_message_error)

#define UNKNOWN_DELIVERY_ERROR \
  "Delivery unknown: Postsale stopped after handing this message to the SMTP server and " \
  "before the server answered, so it may have been delivered. It is not sent again on its " \
  "own; check with the customer or use Send now to send it again (same Message-ID)"

/* Value types */

PsMessageTemplate *
ps_message_template_copy (const PsMessageTemplate *self)
{
  PsMessageTemplate *copy = g_new0 (PsMessageTemplate, 1);

  copy->id = self->id;
  copy->name = g_strdup (self->name);
  copy->subject = g_strdup (self->subject);
  copy->body_html = g_strdup (self->body_html);
  copy->body_text = g_strdup (self->body_text);
  copy->builtin = self->builtin;
  copy->updated_at = self->updated_at;
  return copy;
}

void
ps_message_template_free (PsMessageTemplate *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self->subject);
  g_free (self->body_html);
  g_free (self->body_text);
  g_free (self);
}

PsMessage *
ps_message_new (void)
{
  return g_new0 (PsMessage, 1);
}

PsMessage *
ps_message_copy (const PsMessage *self)
{
  PsMessage *copy = g_memdup2 (self, sizeof *self);

  copy->order_number = g_strdup (self->order_number);
  copy->customer_name = g_strdup (self->customer_name);
  copy->template_name = g_strdup (self->template_name);
  copy->dedup_key = g_strdup (self->dedup_key);
  copy->message_id = g_strdup (self->message_id);
  copy->to_address = g_strdup (self->to_address);
  copy->subject = g_strdup (self->subject);
  copy->body_text = g_strdup (self->body_text);
  copy->body_html = g_strdup (self->body_html);
  copy->last_error = g_strdup (self->last_error);
  return copy;
}

void
ps_message_free (PsMessage *self)
{
  if (self == NULL)
    return;
  g_free (self->order_number);
  g_free (self->customer_name);
  g_free (self->template_name);
  g_free (self->dedup_key);
  g_free (self->message_id);
  g_free (self->to_address);
  g_free (self->subject);
  g_free (self->body_text);
  g_free (self->body_html);
  g_free (self->last_error);
  g_free (self);
}

static void
message_item_free (PsMessageItem *item)
{
  g_free (item->name);
  g_free (item->variant);
  g_free (item->sku);
  g_free (item);
}

void
ps_message_order_free (PsMessageOrder *self)
{
  if (self == NULL)
    return;
  g_free (self->order_number);
  g_free (self->customer_name);
  g_free (self->customer_email);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self->carrier);
  g_free (self->service);
  g_free (self->tracking_number);
  g_free (self);
}

PsMailSettings *
ps_mail_settings_new (void)
{
  return g_new0 (PsMailSettings, 1);
}

PsMailSettings *
ps_mail_settings_copy (const PsMailSettings *self)
{
  PsMailSettings *copy = g_new0 (PsMailSettings, 1);

  copy->smtp_host = g_strdup (self->smtp_host);
  copy->smtp_port = self->smtp_port;
  copy->smtp_security = g_strdup (self->smtp_security);
  copy->smtp_user = g_strdup (self->smtp_user);
  copy->from_address = g_strdup (self->from_address);
  copy->from_name = g_strdup (self->from_name);
  copy->reply_to = g_strdup (self->reply_to);
  copy->shop_name = g_strdup (self->shop_name);
  copy->logo_path = g_strdup (self->logo_path);
  copy->brand_color = g_strdup (self->brand_color);
  return copy;
}

void
ps_mail_settings_free (PsMailSettings *self)
{
  if (self == NULL)
    return;
  g_free (self->smtp_host);
  g_free (self->smtp_security);
  g_free (self->smtp_user);
  g_free (self->from_address);
  g_free (self->from_name);
  g_free (self->reply_to);
  g_free (self->shop_name);
  g_free (self->logo_path);
  g_free (self->brand_color);
  g_free (self);
}

/* Helpers */

static gboolean
step_row (PsDatabase    *db,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    _ps_database_set_error (db, error, rc, "read");
  return FALSE;
}

static gboolean
exec_changes (PsDatabase    *db,
              sqlite3_stmt  *stmt,
              int           *changes,
              GError       **error)
{
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;
  if (changes != NULL)
    *changes = sqlite3_changes (_ps_database_get_handle (db));
  return TRUE;
}

/* Opens a transaction unless the caller's job already has one. */
static gboolean
begin_if_needed (PsDatabase  *db,
                 gboolean    *began,
                 GError     **error)
{
  *began = FALSE;
  if (!sqlite3_get_autocommit (_ps_database_get_handle (db)))
    return TRUE;
  if (!ps_database_begin (db, error))
    return FALSE;
  *began = TRUE;
  return TRUE;
}

static PsMessageStatus
status_from_nick (const char *nick)
{
  int value;

  if (nick != NULL && ps_enum_from_nick (PS_TYPE_MESSAGE_STATUS, nick, &value))
    return value;
  return PS_MESSAGE_STATUS_FAILED;
}

static const char *
status_nick (PsMessageStatus status)
{
  return ps_enum_to_nick (PS_TYPE_MESSAGE_STATUS, status);
}

/* Templates */

#define TEMPLATE_COLUMNS "id, name, subject, body_html, body_text, builtin, updated_at"

static PsMessageTemplate *
template_from_row (sqlite3_stmt *stmt)
{
  PsMessageTemplate *t = g_new0 (PsMessageTemplate, 1);

  t->id = sqlite3_column_int64 (stmt, 0);
  t->name = _ps_column_dup (stmt, 1);
  t->subject = _ps_column_dup (stmt, 2);
  t->body_html = _ps_column_dup (stmt, 3);
  t->body_text = _ps_column_dup (stmt, 4);
  t->builtin = sqlite3_column_int (stmt, 5) != 0;
  t->updated_at = sqlite3_column_int64 (stmt, 6);
  return t;
}

/**
 * ps_message_store_load_template_sync:
 * @db: a #PsDatabase
 * @name: the template's name
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the template, or %NULL with
 *   %PS_MESSAGE_ERROR_NOT_FOUND
 */
PsMessageTemplate *
ps_message_store_load_template_sync (PsDatabase  *db,
                                     const char  *name,
                                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PsMessageTemplate *t = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT " TEMPLATE_COLUMNS " FROM message_templates WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  _ps_bind_text (stmt, 1, name);
  if (step_row (db, stmt, &local_error))
    t = template_from_row (stmt);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (t == NULL)
    g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND,
                 "There is no email template named “%s”", name);
  return t;
}

/**
 * ps_message_store_list_templates_sync:
 * @db: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer container) (element-type PsMessageTemplate) (nullable):
 *   every template, built-in ones first, then by name
 */
GPtrArray *
ps_message_store_list_templates_sync (PsDatabase  *db,
                                      GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_message_template_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT " TEMPLATE_COLUMNS " FROM message_templates"
                                   " ORDER BY builtin DESC, id", error);
  if (stmt == NULL)
    return NULL;
  while (step_row (db, stmt, &local_error))
    g_ptr_array_add (list, template_from_row (stmt));
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * ps_message_store_save_template_sync:
 * @db: a #PsDatabase
 * @template_: the template; with an id it is updated (and may be renamed
 *   unless built in), without one it is created or replaces the template
 *   of the same name
 * @now: the time
 * @error: return location for an error
 *
 * Saves a template as it is: check it with ps_mail_template_check() first
 * (PsOutboxService does). Worker thread only.
 *
 * Returns: the template's id, or 0 with @error set
 */
gint64
ps_message_store_save_template_sync (PsDatabase               *db,
                                     const PsMessageTemplate  *template_,
                                     gint64                    now,
                                     GError                  **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (template_ != NULL && template_->name != NULL, 0);

  if (template_->id > 0)
    {
      stmt = _ps_database_prepare (db,
        "UPDATE message_templates SET name = ?, subject = ?, body_html = ?, body_text = ?,"
        " updated_at = ? WHERE id = ? AND (builtin = 0 OR name = ?1) RETURNING id", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 6, template_->id);
    }
  else
    {
      stmt = _ps_database_prepare (db,
        "INSERT INTO message_templates (name, subject, body_html, body_text, builtin, updated_at)"
        " VALUES (?, ?, ?, ?, 0, ?)"
        " ON CONFLICT (name) DO UPDATE SET subject = excluded.subject,"
        " body_html = excluded.body_html, body_text = excluded.body_text,"
        " updated_at = excluded.updated_at RETURNING id", error);
      if (stmt == NULL)
        return 0;
    }
  _ps_bind_text (stmt, 1, template_->name);
  _ps_bind_text (stmt, 2, template_->subject);
  _ps_bind_text (stmt, 3, template_->body_html);
  _ps_bind_text (stmt, 4, template_->body_text);
  sqlite3_bind_int64 (stmt, 5, now);
  if (step_row (db, stmt, &local_error))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (id == 0)
    g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_BUILTIN,
                 "Template %" G_GINT64_FORMAT " does not exist or is built in (built-in "
                 "templates keep their names)", template_->id);
  return id;
}

/**
 * ps_message_store_delete_template_sync:
 * @db: a #PsDatabase
 * @name: the template
 * @error: return location for an error
 *
 * Deletes a template the merchant made; queued messages keep their text.
 * Worker thread only.
 *
 * Returns: %TRUE if deleted
 */
gboolean
ps_message_store_delete_template_sync (PsDatabase  *db,
                                       const char  *name,
                                       GError     **error)
{
  g_autoptr(PsMessageTemplate) t = ps_message_store_load_template_sync (db, name, error);
  sqlite3_stmt *stmt;

  if (t == NULL)
    return FALSE;
  if (t->builtin)
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_BUILTIN,
                   "“%s” is a built-in template: edit it instead of deleting it", name);
      return FALSE;
    }
  stmt = _ps_database_prepare (db, "DELETE FROM message_templates WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, t->id);
  return _ps_database_step_done (db, stmt, error);
}

/* Built-in templates: their text is the one 0006-email.sql inserts, read
 * back from that migration so there is one copy of it. */

#define BUILTIN_SQL_RESOURCE "/com/example/Postsale/sql/0006-email.sql"

/**
 * ps_message_store_builtin_template:
 * @name: a built-in template's name ("shipped", "delivered", …)
 * @error: return location for an error
 *
 * The text a built-in template shipped with, from the migration that
 * inserted it. Touches no database file (an in-memory SQLite runs the
 * migration's INSERT); any thread.
 *
 * Returns: (transfer full) (nullable): the template (id 0, builtin), or
 *   %NULL with %PS_MESSAGE_ERROR_NOT_FOUND when @name is not built in
 */
PsMessageTemplate *
ps_message_store_builtin_template (const char  *name,
                                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  PsMessageTemplate *t = NULL;
  const char *insert;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *mem = NULL;
  char *message = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  bytes = g_resources_lookup_data (BUILTIN_SQL_RESOURCE, 0, error);
  if (bytes == NULL)
    return NULL;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  insert = strstr (text, "INSERT OR IGNORE INTO message_templates");
  g_assert (insert != NULL);
  if (sqlite3_open_v2 (":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
      sqlite3_exec (mem, "CREATE TABLE message_templates (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                         " subject TEXT NOT NULL, body_html TEXT NOT NULL, body_text TEXT NOT NULL,"
                         " builtin INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL)",
                    NULL, NULL, &message) != SQLITE_OK ||
      sqlite3_exec (mem, insert, NULL, NULL, &message) != SQLITE_OK ||
      sqlite3_prepare_v2 (mem, "SELECT " TEMPLATE_COLUMNS " FROM message_templates WHERE name = ?",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND, "Could not read the built-in templates: %s",
                   message != NULL ? message : sqlite3_errmsg (mem));
      sqlite3_free (message);
      sqlite3_close (mem);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      t = template_from_row (stmt);
      t->id = 0;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (mem);
  if (t == NULL)
    g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND,
                 "“%s” is not a built-in template", name);
  return t;
}

/**
 * ps_message_store_revert_template_sync:
 * @db: a #PsDatabase
 * @name: a built-in template's name
 * @now: the time
 * @error: return location for an error
 *
 * Puts a built-in template's shipped text back. Worker thread only.
 *
 * Returns: (transfer full) (nullable): the template as now stored, or
 *   %NULL with %PS_MESSAGE_ERROR_NOT_FOUND (not built in) or a store error
 */
PsMessageTemplate *
ps_message_store_revert_template_sync (PsDatabase  *db,
                                       const char  *name,
                                       gint64       now,
                                       GError     **error)
{
  g_autoptr(PsMessageTemplate) builtin = ps_message_store_builtin_template (name, error);
  sqlite3_stmt *stmt;

  if (builtin == NULL)
    return NULL;
  stmt = _ps_database_prepare (db,
    "INSERT INTO message_templates (name, subject, body_html, body_text, builtin, updated_at)"
    " VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (name) DO UPDATE SET subject = excluded.subject,"
    " body_html = excluded.body_html, body_text = excluded.body_text, builtin = 1,"
    " updated_at = excluded.updated_at", error);
  if (stmt == NULL)
    return NULL;
  _ps_bind_text (stmt, 1, builtin->name);
  _ps_bind_text (stmt, 2, builtin->subject);
  _ps_bind_text (stmt, 3, builtin->body_html);
  _ps_bind_text (stmt, 4, builtin->body_text);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!_ps_database_step_done (db, stmt, error))
    return NULL;
  return ps_message_store_load_template_sync (db, name, error);
}

/**
 * ps_message_store_list_shipped_orders_sync:
 * @db: a #PsDatabase
 * @limit: at most this many
 * @error: return location for an error
 *
 * Orders a template can be previewed with: those with a live shipment,
 * newest first (only id, order_number and customer_name are set).
 * Worker thread only.
 *
 * Returns: (transfer container) (element-type PsMessageOrder) (nullable):
 *   the orders
 */
GPtrArray *
ps_message_store_list_shipped_orders_sync (PsDatabase  *db,
                                           guint        limit,
                                           GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_message_order_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, "SELECT o.id, o.order_number, o.customer_name FROM orders o"
                                   " WHERE EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id"
                                   " AND s.voided_at IS NULL)"
                                   " ORDER BY o.created_at DESC, o.id DESC LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, limit);
  while (step_row (db, stmt, &local_error))
    {
      PsMessageOrder *o = g_new0 (PsMessageOrder, 1);

      o->id = sqlite3_column_int64 (stmt, 0);
      o->order_number = _ps_column_dup (stmt, 1);
      o->customer_name = _ps_column_dup (stmt, 2);
      g_ptr_array_add (list, o);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* The order */

static gint64
single_int (PsDatabase    *db,
            const char    *sql,
            gint64         a,
            gint64         b,
            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);
  gint64 value = 0;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, a);
  if (sqlite3_bind_parameter_count (stmt) > 1)
    sqlite3_bind_int64 (stmt, 2, b);
  if (step_row (db, stmt, &local_error))
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return value;
}

/**
 * ps_message_store_load_order_sync:
 * @db: a #PsDatabase
 * @order_id: the order
 * @event_id: the event the message is about, or 0
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): what a template needs of the order
 *   and its shipment, or %NULL with %PS_MESSAGE_ERROR_NOT_FOUND
 */
PsMessageOrder *
ps_message_store_load_order_sync (PsDatabase  *db,
                                  gint64       order_id,
                                  gint64       event_id,
                                  GError     **error)
{
  g_autoptr(PsMessageOrder) order = g_new0 (PsMessageOrder, 1);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 shipment_id = 0;
  gboolean found = FALSE;

  stmt = _ps_database_prepare (db, "SELECT order_number, customer_name, customer_email,"
                                   " last_shipment_id FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (step_row (db, stmt, &local_error))
    {
      found = TRUE;
      order->id = order_id;
      order->order_number = _ps_column_dup (stmt, 0);
      order->customer_name = _ps_column_dup (stmt, 1);
      order->customer_email = _ps_column_dup (stmt, 2);
      shipment_id = sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!found)
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND,
                   "Order %" G_GINT64_FORMAT " does not exist", order_id);
      return NULL;
    }

  if (event_id > 0)
    {
      gint64 from_event = single_int (db, "SELECT COALESCE (shipment_id, 0) FROM events"
                                          " WHERE id = ? AND order_id = ?", event_id, order_id, error);
      if (from_event < 0)
        return NULL;
      if (from_event > 0)
        shipment_id = from_event;
    }
  if (shipment_id == 0)
    {
      shipment_id = single_int (db, "SELECT id FROM shipments WHERE order_id = ? AND voided_at IS NULL"
                                    " ORDER BY created_at DESC, id DESC LIMIT 1", order_id, 0, error);
      if (shipment_id < 0)
        return NULL;
    }

  if (shipment_id > 0)
    {
      stmt = _ps_database_prepare (db, "SELECT carrier, COALESCE (service_name, service), tracking_number,"
                                       " estimated_delivery_at FROM shipments WHERE id = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, 1, shipment_id);
      if (step_row (db, stmt, &local_error))
        {
          order->carrier = _ps_column_dup (stmt, 0);
          order->service = _ps_column_dup (stmt, 1);
          order->tracking_number = _ps_column_dup (stmt, 2);
          order->estimated_delivery_at = sqlite3_column_int64 (stmt, 3);
        }
      sqlite3_reset (stmt);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  order->items = g_ptr_array_new_with_free_func ((GDestroyNotify)message_item_free);
  stmt = _ps_database_prepare (db, "SELECT name, variant, sku, quantity FROM line_items"
                                   " WHERE order_id = ? ORDER BY position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while (step_row (db, stmt, &local_error))
    {
      PsMessageItem *item = g_new0 (PsMessageItem, 1);

      item->name = _ps_column_dup (stmt, 0);
      item->variant = _ps_column_dup (stmt, 1);
      item->sku = _ps_column_dup (stmt, 2);
      item->quantity = sqlite3_column_int (stmt, 3);
      g_ptr_array_add (order->items, item);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&order);
}

/* The outbox */

#define MESSAGE_SELECT(bodies) \
  "SELECT m.id, COALESCE (m.order_id, 0), o.order_number," \
  " CASE WHEN lower (m.to_address) = lower (o.customer_email) THEN o.customer_name END, t.name," \
  " COALESCE (m.event_id, 0), m.dedup_key, m.message_id, m.to_address, m.subject, " \
  bodies ", m.status, m.attempts, COALESCE (m.next_attempt_at, 0), m.last_error, m.created_at," \
  " COALESCE (m.sent_at, 0), COALESCE (m.lease_until, 0), COALESCE (m.data_sent_at, 0)" \
  " FROM messages m LEFT JOIN orders o ON o.id = m.order_id" \
  " LEFT JOIN message_templates t ON t.id = m.template_id"

static PsMessage *
message_from_row (sqlite3_stmt *stmt)
{
  PsMessage *m = ps_message_new ();

  m->id = sqlite3_column_int64 (stmt, 0);
  m->order_id = sqlite3_column_int64 (stmt, 1);
  m->order_number = _ps_column_dup (stmt, 2);
  m->customer_name = _ps_column_dup (stmt, 3);
  m->template_name = _ps_column_dup (stmt, 4);
  m->event_id = sqlite3_column_int64 (stmt, 5);
  m->dedup_key = _ps_column_dup (stmt, 6);
  m->message_id = _ps_column_dup (stmt, 7);
  m->to_address = _ps_column_dup (stmt, 8);
  m->subject = _ps_column_dup (stmt, 9);
  m->body_text = _ps_column_dup (stmt, 10);
  m->body_html = _ps_column_dup (stmt, 11);
  m->status = status_from_nick ((const char *)sqlite3_column_text (stmt, 12));
  m->attempts = sqlite3_column_int (stmt, 13);
  m->next_attempt_at = sqlite3_column_int64 (stmt, 14);
  m->last_error = _ps_column_dup (stmt, 15);
  m->created_at = sqlite3_column_int64 (stmt, 16);
  m->sent_at = sqlite3_column_int64 (stmt, 17);
  m->lease_until = sqlite3_column_int64 (stmt, 18);
  m->data_sent_at = sqlite3_column_int64 (stmt, 19);
  return m;
}

/**
 * ps_message_store_lookup_key_sync:
 * @db: a #PsDatabase
 * @dedup_key: a message key
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: the id of the message with @dedup_key, 0 when there is none,
 *   -1 with @error set on failure
 */
gint64
ps_message_store_lookup_key_sync (PsDatabase  *db,
                                  const char  *dedup_key,
                                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = _ps_database_prepare (db, "SELECT id FROM messages WHERE dedup_key = ?", error);
  gint64 id = 0;

  if (stmt == NULL)
    return -1;
  _ps_bind_text (stmt, 1, dedup_key);
  if (step_row (db, stmt, &local_error))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return id;
}

/**
 * ps_message_store_insert_sync:
 * @db: a #PsDatabase
 * @message: the message: @order_id, @event_id, @dedup_key, @message_id,
 *   @to_address, @subject, @body_text, @body_html, @created_at and
 *   @next_attempt_at are used; it is queued
 * @template_name: (nullable): the template it came from
 * @created: (out) (optional): %FALSE when the key existed already
 * @error: return location for an error
 *
 * Queues a message unless its dedup_key is known, in which case the
 * existing message is left alone. One statement: it works inside the
 * caller's transaction or on its own. Worker thread only.
 *
 * Returns: the message id (new or existing), or 0 with @error set
 */
gint64
ps_message_store_insert_sync (PsDatabase       *db,
                              const PsMessage  *message,
                              const char       *template_name,
                              gboolean         *created,
                              GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_val_if_fail (message != NULL && message->dedup_key != NULL, 0);
  g_return_val_if_fail (message->to_address != NULL && message->subject != NULL, 0);

  if (created != NULL)
    *created = FALSE;

  stmt = _ps_database_prepare (db,
    "INSERT INTO messages (order_id, template_id, event_id, dedup_key, message_id, to_address,"
    " subject, body_text, body_html, status, attempts, next_attempt_at, created_at)"
    " VALUES (?, (SELECT id FROM message_templates WHERE name = ?), ?, ?, ?, ?, ?, ?, ?,"
    " 'queued', 0, ?, ?)"
    " ON CONFLICT (dedup_key) DO NOTHING RETURNING id", error);
  if (stmt == NULL)
    return 0;
  if (message->order_id > 0)
    sqlite3_bind_int64 (stmt, 1, message->order_id);
  _ps_bind_text (stmt, 2, template_name);
  if (message->event_id > 0)
    sqlite3_bind_int64 (stmt, 3, message->event_id);
  _ps_bind_text (stmt, 4, message->dedup_key);
  _ps_bind_text (stmt, 5, message->message_id);
  _ps_bind_text (stmt, 6, message->to_address);
  _ps_bind_text (stmt, 7, message->subject);
  _ps_bind_text (stmt, 8, message->body_text ? message->body_text : "");
  _ps_bind_text (stmt, 9, message->body_html);
  _ps_bind_time (stmt, 10, message->next_attempt_at);
  sqlite3_bind_int64 (stmt, 11, message->created_at);
  if (step_row (db, stmt, &local_error))
    id = sqlite3_column_int64 (stmt, 0);
  /* Run the statement to completion so RETURNING's insert is final. */
  if (id > 0)
    sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  if (id > 0)
    {
      if (created != NULL)
        *created = TRUE;
      return id;
    }
  id = ps_message_store_lookup_key_sync (db, message->dedup_key, error);
  return id > 0 ? id : 0;
}

/**
 * ps_message_store_load_sync:
 * @db: a #PsDatabase
 * @id: the message
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the message with its bodies, or
 *   %NULL with %PS_MESSAGE_ERROR_NOT_FOUND
 */
PsMessage *
ps_message_store_load_sync (PsDatabase  *db,
                            gint64       id,
                            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PsMessage *m = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, MESSAGE_SELECT ("m.body_text, m.body_html") " WHERE m.id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (step_row (db, stmt, &local_error))
    m = message_from_row (stmt);
  sqlite3_reset (stmt);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (m == NULL)
    g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_NOT_FOUND,
                 "Message %" G_GINT64_FORMAT " does not exist", id);
  return m;
}

/**
 * ps_message_store_list_sync:
 * @db: a #PsDatabase
 * @status: a #PsMessageStatus, or -1 for every status
 * @limit: at most this many (0: 500)
 * @error: return location for an error
 *
 * The Outbox view's rows, newest first, without their bodies. Worker
 * thread only.
 *
 * Returns: (transfer container) (element-type PsMessage) (nullable): the
 *   messages
 */
GPtrArray *
ps_message_store_list_sync (PsDatabase  *db,
                            int          status,
                            guint        limit,
                            GError     **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_message_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (db, MESSAGE_SELECT ("NULL, NULL")
                               " WHERE (?1 IS NULL OR m.status = ?1)"
                               " ORDER BY m.created_at DESC, m.id DESC LIMIT ?2", error);
  if (stmt == NULL)
    return NULL;
  if (status >= 0)
    _ps_bind_text (stmt, 1, status_nick (status));
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? limit : 500);
  while (step_row (db, stmt, &local_error))
    g_ptr_array_add (list, message_from_row (stmt));
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&list);
}

/**
 * ps_message_store_count_sync:
 * @db: a #PsDatabase
 * @counts: (out caller-allocates) (array fixed-size=5): messages per
 *   #PsMessageStatus
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_message_store_count_sync (PsDatabase  *db,
                             guint        counts[5],
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = _ps_database_prepare (db, "SELECT status, count(*) FROM messages GROUP BY status", error);

  if (stmt == NULL)
    return FALSE;
  memset (counts, 0, 5 * sizeof (guint));
  while (step_row (db, stmt, &local_error))
    {
      PsMessageStatus s = status_from_nick ((const char *)sqlite3_column_text (stmt, 0));

      if ((guint)s < 5)
        counts[s] += sqlite3_column_int (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
claim_due (PsDatabase  *db,
           gint64       now,
           gint64       lease_seconds,
           guint        max,
           GArray      *ids,
           guint       *n_unknown,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int changes = 0;

  /* A sender that died before the body reached the server: nothing can
   * have been delivered, queue it again (the attempt stays counted). */
  stmt = _ps_database_prepare (db,
    "UPDATE messages SET status = 'queued', next_attempt_at = ?1, lease_until = NULL,"
    " last_error = 'The previous attempt stopped before the message reached the server'"
    " WHERE status = 'sending' AND lease_until < ?1 AND data_sent_at IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  if (!_ps_database_step_done (db, stmt, error))
    return FALSE;

  /* A sender that died after handing the body over: maybe delivered. */
  stmt = _ps_database_prepare (db,
    "UPDATE messages SET status = 'failed', lease_until = NULL, next_attempt_at = NULL,"
    " last_error = ?2 WHERE status = 'sending' AND lease_until < ?1 AND data_sent_at IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  _ps_bind_text (stmt, 2, UNKNOWN_DELIVERY_ERROR);
  if (!exec_changes (db, stmt, &changes, error))
    return FALSE;
  if (n_unknown != NULL)
    *n_unknown = changes;

  stmt = _ps_database_prepare (db,
    "UPDATE messages SET status = 'sending', attempts = attempts + 1, lease_until = ?2,"
    " data_sent_at = NULL"
    " WHERE id IN (SELECT id FROM messages WHERE status = 'queued'"
    "   AND (next_attempt_at IS NULL OR next_attempt_at <= ?1)"
    "   ORDER BY COALESCE (next_attempt_at, created_at), id LIMIT ?3)"
    " RETURNING id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, now + lease_seconds);
  sqlite3_bind_int64 (stmt, 3, max > 0 ? max : 50);
  while (step_row (db, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_message_store_claim_due_sync:
 * @db: a #PsDatabase
 * @now: the time
 * @lease_seconds: how long a claim holds: longer than any one SMTP
 *   conversation, so an expired lease means the sender is gone
 * @max: at most this many (0: 50)
 * @n_unknown: (out) (optional): stale messages found that may have been
 *   delivered; they were marked failed ("delivery unknown")
 * @error: return location for an error
 *
 * Takes the due messages for sending: each becomes 'sending' with a lease
 * and one more attempt, committed before this returns, so no other sender
 * takes it. Stale claims of dead senders are settled first (see the top
 * of this file). Worker thread only; opens its own transaction.
 *
 * Returns: (transfer container) (element-type PsMessage) (nullable): the
 *   claimed messages with their bodies, oldest due first
 */
GPtrArray *
ps_message_store_claim_due_sync (PsDatabase  *db,
                                 gint64       now,
                                 gint64       lease_seconds,
                                 guint        max,
                                 guint       *n_unknown,
                                 GError     **error)
{
  g_autoptr(GPtrArray) claimed = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_message_free);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (n_unknown != NULL)
    *n_unknown = 0;
  if (!ps_database_begin (db, error))
    return NULL;
  if (!claim_due (db, now, lease_seconds, max, ids, n_unknown, error))
    {
      ps_database_rollback (db);
      return NULL;
    }
  if (!ps_database_commit (db, error))
    return NULL;

  for (guint i = 0; i < ids->len; i++)
    {
      PsMessage *m = ps_message_store_load_sync (db, g_array_index (ids, gint64, i), error);

      if (m == NULL)
        return NULL;
      g_ptr_array_add (claimed, m);
    }
  return g_steal_pointer (&claimed);
}

static gboolean
update_one (PsDatabase  *db,
            const char  *sql,
            gint64       id,
            gint64       t,
            const char  *text,
            int         *changes,
            GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (db, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    _ps_bind_time (stmt, 2, t);
  if (sqlite3_bind_parameter_count (stmt) >= 3)
    _ps_bind_text (stmt, 3, text);
  return exec_changes (db, stmt, changes, error);
}

/**
 * ps_message_store_mark_data_sent_sync:
 * @db: a #PsDatabase
 * @id: a message being sent
 * @now: the time
 * @error: return location for an error
 *
 * Records that the body is about to go to the server: from here on a
 * dead sender's message is "delivery unknown", not retried. The sender
 * must not send the body unless this returned %TRUE. Worker thread only.
 *
 * Returns: %TRUE when recorded
 */
gboolean
ps_message_store_mark_data_sent_sync (PsDatabase  *db,
                                      gint64       id,
                                      gint64       now,
                                      GError     **error)
{
  int changes = 0;

  if (!update_one (db, "UPDATE messages SET data_sent_at = ?2 WHERE id = ?1 AND status = 'sending'",
                   id, now, NULL, &changes, error))
    return FALSE;
  if (changes == 0)
    {
      g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_STATE,
                   "Message %" G_GINT64_FORMAT " is no longer being sent (cancelled or taken "
                   "over after its lease expired)", id);
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_message_store_mark_sent_sync:
 * @db: a #PsDatabase
 * @id: the message
 * @now: when the server accepted it
 * @error: return location for an error
 *
 * The server said 250: the message is delivered, whatever state a stale
 * lease put it in meanwhile. Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_message_store_mark_sent_sync (PsDatabase  *db,
                                 gint64       id,
                                 gint64       now,
                                 GError     **error)
{
  return update_one (db, "UPDATE messages SET status = 'sent', sent_at = ?2, lease_until = NULL,"
                         " next_attempt_at = NULL, last_error = NULL WHERE id = ?1",
                     id, now, NULL, NULL, error);
}

/**
 * ps_message_store_mark_retry_sync:
 * @db: a #PsDatabase
 * @id: a message being sent
 * @reason: why this attempt failed
 * @next_attempt_at: when to try again
 * @count_attempt: %FALSE when the attempt never reached the server
 *   (cancelled before connecting): it is not counted
 * @error: return location for an error
 *
 * Puts a message back in the queue after a temporary failure. Worker
 * thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_message_store_mark_retry_sync (PsDatabase  *db,
                                  gint64       id,
                                  const char  *reason,
                                  gint64       next_attempt_at,
                                  gboolean     count_attempt,
                                  GError     **error)
{
  return update_one (db, count_attempt
                         ? "UPDATE messages SET status = 'queued', next_attempt_at = ?2, last_error = ?3,"
                           " lease_until = NULL, data_sent_at = NULL WHERE id = ?1 AND status = 'sending'"
                         : "UPDATE messages SET status = 'queued', next_attempt_at = ?2, last_error = ?3,"
                           " lease_until = NULL, data_sent_at = NULL, attempts = max (attempts - 1, 0)"
                           " WHERE id = ?1 AND status = 'sending'",
                     id, next_attempt_at, reason, NULL, error);
}

/**
 * ps_message_store_mark_failed_sync:
 * @db: a #PsDatabase
 * @id: a message being sent
 * @reason: why it will not be sent (shown in the Outbox)
 * @error: return location for an error
 *
 * Gives up on a message (refused for good, attempts used up, delivery
 * unknown). Send now queues it again. Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_message_store_mark_failed_sync (PsDatabase  *db,
                                   gint64       id,
                                   const char  *reason,
                                   GError     **error)
{
  return update_one (db, "UPDATE messages SET status = 'failed', next_attempt_at = NULL, last_error = ?3,"
                         " lease_until = NULL WHERE id = ?1 AND status = 'sending'",
                     id, 0, reason, NULL, error);
}

static gboolean
change_state (PsDatabase   *db,
              gint64        id,
              const char   *sql,
              gint64        now,
              const char   *verb,
              GError      **error)
{
  g_autoptr(PsMessage) m = NULL;
  int changes = 0;

  if (!update_one (db, sql, id, now, NULL, &changes, error))
    return FALSE;
  if (changes > 0)
    return TRUE;

  m = ps_message_store_load_sync (db, id, error);
  if (m == NULL)
    return FALSE;
  g_set_error (error, PS_MESSAGE_ERROR, PS_MESSAGE_ERROR_STATE,
               "Message %" G_GINT64_FORMAT " cannot be %s: it is %s", id, verb,
               m->status == PS_MESSAGE_STATUS_SENT ? "already sent (never sent twice)"
               : m->status == PS_MESSAGE_STATUS_SENDING ? "being sent right now"
               : status_nick (m->status));
  return FALSE;
}

/**
 * ps_message_store_cancel_sync:
 * @db: a #PsDatabase
 * @id: a queued or failed message
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE if cancelled; %PS_MESSAGE_ERROR_STATE when it is sent or
 *   being sent
 */
gboolean
ps_message_store_cancel_sync (PsDatabase  *db,
                              gint64       id,
                              GError     **error)
{
  return change_state (db, id, "UPDATE messages SET status = 'cancelled', next_attempt_at = NULL"
                               " WHERE id = ?1 AND status IN ('queued', 'failed')",
                       0, "cancelled", error);
}

/**
 * ps_message_store_send_now_sync:
 * @db: a #PsDatabase
 * @id: a queued, failed or cancelled message
 * @now: the time
 * @error: return location for an error
 *
 * Makes a message due now (the attempts so far stay counted). Worker
 * thread only.
 *
 * Returns: %TRUE on success; %PS_MESSAGE_ERROR_STATE when it is sent or
 *   being sent
 */
gboolean
ps_message_store_send_now_sync (PsDatabase  *db,
                                gint64       id,
                                gint64       now,
                                GError     **error)
{
  return change_state (db, id, "UPDATE messages SET status = 'queued', next_attempt_at = ?2"
                               " WHERE id = ?1 AND status IN ('queued', 'failed', 'cancelled')",
                       now, "sent now", error);
}

/* Settings */

static const struct
{
  const char *key;
  gsize       offset;
} setting_keys[] = {
  { "smtp.host",        G_STRUCT_OFFSET (PsMailSettings, smtp_host) },
  { "smtp.security",    G_STRUCT_OFFSET (PsMailSettings, smtp_security) },
  { "smtp.user",        G_STRUCT_OFFSET (PsMailSettings, smtp_user) },
  { "from.address",     G_STRUCT_OFFSET (PsMailSettings, from_address) },
  { "from.name",        G_STRUCT_OFFSET (PsMailSettings, from_name) },
  { "reply_to",         G_STRUCT_OFFSET (PsMailSettings, reply_to) },
  { "brand.shop_name",  G_STRUCT_OFFSET (PsMailSettings, shop_name) },
  { "brand.logo_path",  G_STRUCT_OFFSET (PsMailSettings, logo_path) },
  { "brand.color",      G_STRUCT_OFFSET (PsMailSettings, brand_color) },
};

/**
 * ps_message_store_load_settings_sync:
 * @db: a #PsDatabase
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (nullable): the settings; unset ones are %NULL
 */
PsMailSettings *
ps_message_store_load_settings_sync (PsDatabase  *db,
                                     GError     **error)
{
  g_autoptr(PsMailSettings) settings = ps_mail_settings_new ();
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt = _ps_database_prepare (db, "SELECT key, value FROM mail_settings", error);

  if (stmt == NULL)
    return NULL;
  while (step_row (db, stmt, &local_error))
    {
      const char *key = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (key, "smtp.port") == 0)
        {
          settings->smtp_port = sqlite3_column_int (stmt, 1);
          continue;
        }
      for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
        if (g_strcmp0 (key, setting_keys[i].key) == 0)
          {
            char **field = G_STRUCT_MEMBER_P (settings, setting_keys[i].offset);

            g_free (*field);
            *field = _ps_column_dup (stmt, 1);
          }
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&settings);
}

static gboolean
save_setting (PsDatabase  *db,
              const char  *key,
              const char  *value,
              GError     **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL || *value == '\0')
    stmt = _ps_database_prepare (db, "DELETE FROM mail_settings WHERE key = ?", error);
  else
    stmt = _ps_database_prepare (db, "INSERT INTO mail_settings (key, value) VALUES (?, ?)"
                                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, key);
  if (value != NULL && *value != '\0')
    _ps_bind_text (stmt, 2, value);
  return _ps_database_step_done (db, stmt, error);
}

/**
 * ps_message_store_save_settings_sync:
 * @db: a #PsDatabase
 * @settings: every setting; %NULL or empty ones are removed
 * @error: return location for an error
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_message_store_save_settings_sync (PsDatabase            *db,
                                     const PsMailSettings  *settings,
                                     GError               **error)
{
  g_autofree char *port = NULL;
  gboolean began;

  g_return_val_if_fail (settings != NULL, FALSE);

  if (!begin_if_needed (db, &began, error))
    return FALSE;
  port = settings->smtp_port > 0 ? g_strdup_printf ("%d", settings->smtp_port) : NULL;
  if (!save_setting (db, "smtp.port", port, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (setting_keys); i++)
    {
      const char * const *field = G_STRUCT_MEMBER_P (settings, setting_keys[i].offset);

      if (!save_setting (db, setting_keys[i].key, *field, error))
        goto fail;
    }
  return began ? ps_database_commit (db, error) : TRUE;

fail:
  if (began)
    ps_database_rollback (db);
  return FALSE;
}
