/* ps-shipping-store.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL behind buying labels: the order as a label needs it, the
 * ship-from address, carrier accounts, and the purchase journal
 * (label_purchases) that makes "never buy twice" hold across timeouts
 * and crashes:
 *
 *   journal_begin (pending)  →  carrier buy  →  record_label (bought, with
 *   the shipment, its label, the order's status and events, in one
 *   transaction)  or  journal_mark (failed / unknown).
 *
 * A key seen before returns its entry instead of a new one, so the caller
 * sees "bought" or "unknown" and never asks the carrier again blindly.
 * Every function here runs on the database worker.
 */

#define G_LOG_DOMAIN "ps-shipping-store"

#include "config.h"

#include <json-glib/json-glib.h>

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-writer.h"
#include "ps-shipping-store.h"
#include "ps-time.h"

G_DEFINE_QUARK (ps-shipping-error-quark, ps_shipping_error)

static const char * const state_nicks[] = { "pending", "bought", "failed", "unknown" };

static PsPurchaseState
state_from_nick (const char *nick)
{
  for (guint i = 0; i < G_N_ELEMENTS (state_nicks); i++)
    if (g_strcmp0 (nick, state_nicks[i]) == 0)
      return i;
  return PS_PURCHASE_STATE_UNKNOWN;
}

static void
shipping_item_free (PsShippingItem *item)
{
  g_free (item->sku);
  g_free (item->name);
  g_free (item->variant);
  g_free (item);
}

void
ps_shipping_order_free (PsShippingOrder *self)
{
  if (self == NULL)
    return;
  g_free (self->order_number);
  g_clear_pointer (&self->ship_to, ps_address_free);
  g_free (self->address_message);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_free (self);
}

void
ps_carrier_account_free (PsCarrierAccount *self)
{
  if (self == NULL)
    return;
  g_free (self->backend);
  g_free (self->name);
  g_free (self->settings);
  g_free (self);
}

void
ps_journal_entry_free (PsJournalEntry *self)
{
  if (self == NULL)
    return;
  g_free (self->carrier);
  g_free (self->service);
  g_free (self->idempotency_key);
  g_free (self->carrier_shipment_id);
  g_free (self->error);
  g_free (self->request);
  g_free (self);
}

static gboolean
step_row (PsDatabase    *database,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    _ps_database_set_error (database, error, rc, "read");
  return FALSE;
}

/* The order */

/**
 * ps_shipping_store_load_order_sync:
 * @database: a #PsDatabase
 * @order_id: the order
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the order, or %NULL with
 *   %PS_SHIPPING_ERROR_NOT_FOUND or a store error
 */
PsShippingOrder *
ps_shipping_store_load_order_sync (PsDatabase  *database,
                                   gint64       order_id,
                                   GError     **error)
{
  g_autoptr(PsShippingOrder) order = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
    "SELECT order_number, status, ship_name, ship_company, ship_line1, ship_line2, ship_city,"
    " ship_state, ship_postcode, ship_country, customer_phone, customer_email, address_issue,"
    " address_message, currency, total_minor, weight_grams, created_at"
    " FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_row (database, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                     "Order %" G_GINT64_FORMAT " does not exist", order_id);
      return NULL;
    }

  order = g_new0 (PsShippingOrder, 1);
  order->id = order_id;
  order->order_number = _ps_column_dup (stmt, 0);
  if (!ps_enum_from_nick (PS_TYPE_ORDER_STATUS, (const char *)sqlite3_column_text (stmt, 1),
                          (int *)&order->status))
    order->status = PS_ORDER_STATUS_AWAITING_SHIPMENT;
  order->ship_to = ps_address_new ();
  order->ship_to->name = _ps_column_dup (stmt, 2);
  order->ship_to->company = _ps_column_dup (stmt, 3);
  order->ship_to->line1 = _ps_column_dup (stmt, 4);
  order->ship_to->line2 = _ps_column_dup (stmt, 5);
  order->ship_to->city = _ps_column_dup (stmt, 6);
  order->ship_to->state = _ps_column_dup (stmt, 7);
  order->ship_to->postcode = _ps_column_dup (stmt, 8);
  order->ship_to->country = _ps_column_dup (stmt, 9);
  order->ship_to->phone = _ps_column_dup (stmt, 10);
  order->ship_to->email = _ps_column_dup (stmt, 11);
  order->address_issue = sqlite3_column_int (stmt, 12) != 0;
  order->address_message = _ps_column_dup (stmt, 13);
  g_strlcpy (order->currency, (const char *)sqlite3_column_text (stmt, 14), sizeof order->currency);
  order->total_minor = sqlite3_column_int64 (stmt, 15);
  order->weight_grams = sqlite3_column_int64 (stmt, 16);
  order->created_at = sqlite3_column_int64 (stmt, 17);
  sqlite3_reset (stmt);

  order->items = g_ptr_array_new_with_free_func ((GDestroyNotify)shipping_item_free);
  stmt = _ps_database_prepare (database,
    "SELECT li.sku, li.name, li.variant, li.quantity, coalesce (sd.weight_grams, li.weight_grams),"
    " coalesce (sd.preset_id, 0), coalesce (p.length_mm * p.width_mm * p.height_mm, 0),"
    " sd.weight_grams IS NOT NULL"
    " FROM line_items li LEFT JOIN sku_defaults sd ON sd.sku = li.sku"
    " LEFT JOIN package_presets p ON p.id = sd.preset_id"
    " WHERE li.order_id = ? ORDER BY li.position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  {
    gint64 weight = 0, largest = -1;
    gboolean defaults = FALSE;

    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        PsShippingItem *item = g_new0 (PsShippingItem, 1);

        item->sku = _ps_column_dup (stmt, 0);
        item->name = _ps_column_dup (stmt, 1);
        item->variant = _ps_column_dup (stmt, 2);
        item->quantity = sqlite3_column_int (stmt, 3);
        item->weight_grams = sqlite3_column_int (stmt, 4);
        weight += (gint64)item->weight_grams * item->quantity;
        /* The SKU that needs the biggest box decides the package. */
        if (sqlite3_column_int64 (stmt, 5) != 0 && sqlite3_column_int64 (stmt, 6) > largest)
          {
            largest = sqlite3_column_int64 (stmt, 6);
            order->preset_id = sqlite3_column_int64 (stmt, 5);
          }
        defaults |= sqlite3_column_int (stmt, 7) != 0;
        g_ptr_array_add (order->items, item);
      }
    /* Per-SKU weights the merchant set beat what the shop exported. */
    if (defaults && weight > 0)
      order->weight_grams = weight;
  }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read line items");
      return NULL;
    }

  stmt = _ps_database_prepare (database,
    "SELECT count(*) FROM shipments WHERE order_id = ? AND voided_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_row (database, stmt, error))
    return NULL;
  order->n_live_shipments = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);

  return g_steal_pointer (&order);
}

/* Ship-from */

/**
 * ps_shipping_store_get_ship_from_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the default ship-from address, or
 *   %NULL with %PS_SHIPPING_ERROR_NO_SHIP_FROM
 */
PsAddress *
ps_shipping_store_get_ship_from_sync (PsDatabase  *database,
                                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PsAddress *address;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database,
    "SELECT name, company, line1, line2, city, state, postcode, country, phone, email"
    " FROM addresses WHERE kind = 'ship_from' ORDER BY is_default DESC, id LIMIT 1", error);
  if (stmt == NULL)
    return NULL;
  if (!step_row (database, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NO_SHIP_FROM,
                             "There is no ship-from address yet; add one in Preferences");
      return NULL;
    }

  address = ps_address_new ();
  address->name = _ps_column_dup (stmt, 0);
  address->company = _ps_column_dup (stmt, 1);
  address->line1 = _ps_column_dup (stmt, 2);
  address->line2 = _ps_column_dup (stmt, 3);
  address->city = _ps_column_dup (stmt, 4);
  address->state = _ps_column_dup (stmt, 5);
  address->postcode = _ps_column_dup (stmt, 6);
  address->country = _ps_column_dup (stmt, 7);
  address->phone = _ps_column_dup (stmt, 8);
  address->email = _ps_column_dup (stmt, 9);
  sqlite3_reset (stmt);
  return address;
}

/**
 * ps_shipping_store_set_ship_from_sync:
 * @database: a #PsDatabase
 * @label: what Preferences calls it ("Workshop")
 * @address: the address; line1, city and country are required
 * @error: return location for an error
 *
 * Replaces the default ship-from address (outside a transaction).
 *
 * Returns: its row id, 0 on error
 */
gint64
ps_shipping_store_set_ship_from_sync (PsDatabase       *database,
                                      const char       *label,
                                      const PsAddress  *address,
                                      GError          **error)
{
  sqlite3_stmt *stmt;
  gint64 id;
  int i = 1;

  g_return_val_if_fail (address != NULL, 0);

  if (address->line1 == NULL || *address->line1 == '\0' ||
      address->city == NULL || *address->city == '\0' ||
      address->country == NULL || *address->country == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A ship-from address needs a street, a city and a country");
      return 0;
    }

  if (!ps_database_begin (database, error))
    return 0;
  if (!_ps_database_exec (database,
        "DELETE FROM addresses WHERE kind = 'ship_from' AND is_default = 1", error))
    goto fail;
  stmt = _ps_database_prepare (database,
    "INSERT INTO addresses (kind, label, name, company, line1, line2, city, state, postcode,"
    " country, phone, email, is_default, created_at)"
    " VALUES ('ship_from', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)", error);
  if (stmt == NULL)
    goto fail;
  _ps_bind_text (stmt, i++, label != NULL ? label : "Default");
  _ps_bind_text (stmt, i++, address->name);
  _ps_bind_text (stmt, i++, address->company);
  _ps_bind_text (stmt, i++, address->line1);
  _ps_bind_text (stmt, i++, address->line2);
  _ps_bind_text (stmt, i++, address->city);
  _ps_bind_text (stmt, i++, address->state);
  _ps_bind_text (stmt, i++, address->postcode);
  _ps_bind_text (stmt, i++, address->country);
  _ps_bind_text (stmt, i++, address->phone);
  _ps_bind_text (stmt, i++, address->email);
  sqlite3_bind_int64 (stmt, i++, ps_time_now ());
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;
  id = sqlite3_last_insert_rowid (_ps_database_get_handle (database));
  if (!ps_database_commit (database, error))
    return 0;
  return id;

fail:
  ps_database_rollback (database);
  return 0;
}

/* Carrier accounts */

/**
 * ps_shipping_store_list_accounts_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsCarrierAccount): every account
 */
GPtrArray *
ps_shipping_store_list_accounts_sync (PsDatabase  *database,
                                      GError     **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_carrier_account_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
    "SELECT id, backend, name, settings, enabled FROM carrier_accounts ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsCarrierAccount *account = g_new0 (PsCarrierAccount, 1);

      account->id = sqlite3_column_int64 (stmt, 0);
      account->backend = _ps_column_dup (stmt, 1);
      account->name = _ps_column_dup (stmt, 2);
      account->settings = _ps_column_dup (stmt, 3);
      account->enabled = sqlite3_column_int (stmt, 4) != 0;
      g_ptr_array_add (accounts, account);
    }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read carrier accounts");
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

/**
 * ps_shipping_store_add_account_sync:
 * @database: a #PsDatabase
 * @backend: the backend id
 * @name: the account's name
 * @settings: (nullable): JSON object text, no secrets
 * @error: return location for an error
 *
 * Returns: the new account's id, 0 on error
 */
gint64
ps_shipping_store_add_account_sync (PsDatabase  *database,
                                    const char  *backend,
                                    const char  *name,
                                    const char  *settings,
                                    GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (backend != NULL && name != NULL, 0);

  stmt = _ps_database_prepare (database,
    "INSERT INTO carrier_accounts (backend, name, settings, enabled, created_at)"
    " VALUES (?, ?, ?, 1, ?)", error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, backend);
  _ps_bind_text (stmt, 2, name);
  _ps_bind_text (stmt, 3, settings != NULL ? settings : "{}");
  sqlite3_bind_int64 (stmt, 4, ps_time_now ());
  if (!_ps_database_step_done (database, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (database));
}

/**
 * ps_shipping_store_set_account_settings_sync:
 * @database: a #PsDatabase
 * @account_id: the account
 * @settings: JSON object text, no secrets
 * @error: return location for an error
 *
 * Keeps what a backend changed in its settings (a rate card's next
 * tracking serial).
 *
 * Returns: whether it was written
 */
gboolean
ps_shipping_store_set_account_settings_sync (PsDatabase  *database,
                                             gint64       account_id,
                                             const char  *settings,
                                             GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database, "UPDATE carrier_accounts SET settings = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, settings);
  sqlite3_bind_int64 (stmt, 2, account_id);
  return _ps_database_step_done (database, stmt, error);
}

/**
 * ps_shipping_store_remove_account_sync:
 * @database: a #PsDatabase
 * @account_id: the account
 * @error: return location for an error
 *
 * Shipments bought through it keep their data; they just no longer know
 * the account (no tracking or void through it).
 *
 * Returns: %TRUE if it was removed, %FALSE with NOT_FOUND or a store error
 */
gboolean
ps_shipping_store_remove_account_sync (PsDatabase  *database,
                                       gint64       account_id,
                                       GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database, "DELETE FROM carrier_accounts WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!_ps_database_step_done (database, stmt, error))
    return FALSE;
  if (sqlite3_changes (_ps_database_get_handle (database)) == 0)
    {
      g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                   "Carrier account %" G_GINT64_FORMAT " does not exist", account_id);
      return FALSE;
    }
  return TRUE;
}

/* The purchase journal */

#define SELECT_JOURNAL \
  "SELECT id, order_id, account_id, carrier, service, idempotency_key, state," \
  " carrier_shipment_id, shipment_id, error, request FROM label_purchases"

static PsJournalEntry *
read_entry (sqlite3_stmt *stmt)
{
  PsJournalEntry *entry = g_new0 (PsJournalEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->order_id = sqlite3_column_int64 (stmt, 1);
  entry->account_id = sqlite3_column_int64 (stmt, 2);
  entry->carrier = _ps_column_dup (stmt, 3);
  entry->service = _ps_column_dup (stmt, 4);
  entry->idempotency_key = _ps_column_dup (stmt, 5);
  entry->state = state_from_nick ((const char *)sqlite3_column_text (stmt, 6));
  entry->carrier_shipment_id = _ps_column_dup (stmt, 7);
  entry->shipment_id = sqlite3_column_int64 (stmt, 8);
  entry->error = _ps_column_dup (stmt, 9);
  entry->request = _ps_column_dup (stmt, 10);
  return entry;
}

/**
 * ps_shipping_store_find_purchase_sync:
 * @database: a #PsDatabase
 * @idempotency_key: the key
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL (no error)
 *   when the key was never journaled
 */
PsJournalEntry *
ps_shipping_store_find_purchase_sync (PsDatabase  *database,
                                      const char  *idempotency_key,
                                      GError     **error)
{
  PsJournalEntry *entry = NULL;
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (database, SELECT_JOURNAL " WHERE idempotency_key = ?", error);
  if (stmt == NULL)
    return NULL;
  _ps_bind_text (stmt, 1, idempotency_key);
  if (step_row (database, stmt, error))
    entry = read_entry (stmt);
  sqlite3_reset (stmt);
  return entry;
}

/**
 * ps_shipping_store_journal_begin_sync:
 * @database: a #PsDatabase
 * @order_id: the order
 * @account_id: the carrier account about to be asked
 * @carrier: the carrier code
 * @service: the service code
 * @idempotency_key: the purchase's key
 * @request: (nullable): JSON to retry or reconcile with
 * @created: (out) (optional): whether the caller may ask the carrier now:
 *   a new entry, or a failed one set back to pending
 * @error: return location for an error
 *
 * Journals a purchase before the carrier is asked (outside a transaction;
 * the insert is its own). A key journaled before is not journaled again:
 * its entry comes back as it stands, and the caller must not buy unless
 * its state is %PS_PURCHASE_STATE_FAILED (then it is set back to pending
 * for the retry).
 *
 * Returns: (transfer full) (nullable): the entry
 */
PsJournalEntry *
ps_shipping_store_journal_begin_sync (PsDatabase  *database,
                                      gint64       order_id,
                                      gint64       account_id,
                                      const char  *carrier,
                                      const char  *service,
                                      const char  *idempotency_key,
                                      const char  *request,
                                      gboolean    *created,
                                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PsJournalEntry) existing = NULL;
  sqlite3_stmt *stmt;
  gint64 now = ps_time_now ();
  int i = 1;

  g_return_val_if_fail (idempotency_key != NULL && *idempotency_key != '\0', NULL);

  if (created != NULL)
    *created = FALSE;
  existing = ps_shipping_store_find_purchase_sync (database, idempotency_key, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    {
      if (existing->state != PS_PURCHASE_STATE_FAILED)
        return g_steal_pointer (&existing);
      /* A refused purchase bought nothing: the retry may ask again. */
      stmt = _ps_database_prepare (database,
        "UPDATE label_purchases SET state = 'pending', account_id = ?, carrier = ?, service = ?,"
        " request = ?, error = NULL, updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_int64 (stmt, i++, account_id);
      _ps_bind_text (stmt, i++, carrier);
      _ps_bind_text (stmt, i++, service);
      _ps_bind_text (stmt, i++, request);
      sqlite3_bind_int64 (stmt, i++, now);
      sqlite3_bind_int64 (stmt, i++, existing->id);
      if (!_ps_database_step_done (database, stmt, error))
        return NULL;
      if (created != NULL)
        *created = TRUE;
      return ps_shipping_store_find_purchase_sync (database, idempotency_key, error);
    }

  stmt = _ps_database_prepare (database,
    "INSERT INTO label_purchases (order_id, account_id, carrier, service, idempotency_key, state,"
    " request, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, i++, order_id);
  if (account_id > 0)
    sqlite3_bind_int64 (stmt, i++, account_id);
  else
    sqlite3_bind_null (stmt, i++);
  _ps_bind_text (stmt, i++, carrier);
  _ps_bind_text (stmt, i++, service);
  _ps_bind_text (stmt, i++, idempotency_key);
  _ps_bind_text (stmt, i++, request);
  sqlite3_bind_int64 (stmt, i++, now);
  sqlite3_bind_int64 (stmt, i++, now);
  if (!_ps_database_step_done (database, stmt, error))
    return NULL;
  if (created != NULL)
    *created = TRUE;
  return ps_shipping_store_find_purchase_sync (database, idempotency_key, error);
}

/**
 * ps_shipping_store_journal_mark_sync:
 * @database: a #PsDatabase
 * @journal_id: the entry
 * @state: %PS_PURCHASE_STATE_FAILED, %PS_PURCHASE_STATE_UNKNOWN or
 *   %PS_PURCHASE_STATE_PENDING (bought goes through record_label)
 * @carrier_shipment_id: (nullable): the carrier's id, when learnt
 * @message: (nullable): why it failed
 * @error: return location for an error
 *
 * Returns: whether it was written
 */
gboolean
ps_shipping_store_journal_mark_sync (PsDatabase       *database,
                                     gint64            journal_id,
                                     PsPurchaseState   state,
                                     const char       *carrier_shipment_id,
                                     const char       *message,
                                     GError          **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (state != PS_PURCHASE_STATE_BOUGHT, FALSE);

  stmt = _ps_database_prepare (database,
    "UPDATE label_purchases SET state = ?, carrier_shipment_id = coalesce (?, carrier_shipment_id),"
    " error = ?, updated_at = ? WHERE id = ? AND state != 'bought'", error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, state_nicks[state]);
  _ps_bind_text (stmt, 2, carrier_shipment_id);
  _ps_bind_text (stmt, 3, message);
  sqlite3_bind_int64 (stmt, 4, ps_time_now ());
  sqlite3_bind_int64 (stmt, 5, journal_id);
  return _ps_database_step_done (database, stmt, error);
}

static char *
event_data (const PsBoughtLabel *label)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "carrier");
  json_builder_add_string_value (builder, label->carrier);
  json_builder_set_member_name (builder, "service");
  json_builder_add_string_value (builder, label->service);
  json_builder_set_member_name (builder, "tracking_number");
  json_builder_add_string_value (builder, label->tracking_number);
  json_builder_set_member_name (builder, "rate_minor");
  json_builder_add_int_value (builder, label->rate_minor);
  json_builder_set_member_name (builder, "currency");
  json_builder_add_string_value (builder, label->currency);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * ps_shipping_store_record_label_sync:
 * @database: a #PsDatabase
 * @journal_id: the journal entry of this purchase
 * @order_id: the order
 * @label: what was bought
 * @now: when
 * @error: return location for an error
 *
 * Stores a bought label in one transaction (call it outside one): a new
 * shipment (pre-transit, label created @now) with its label bytes, the
 * journal entry marked bought, the order Ready to ship (from Awaiting
 * payment, Awaiting shipment or On hold) with its events. A journal entry
 * already bought is an error: the label is never stored twice.
 *
 * Returns: the new shipment id, 0 on error
 */
gint64
ps_shipping_store_record_label_sync (PsDatabase           *database,
                                     gint64                journal_id,
                                     gint64                order_id,
                                     const PsBoughtLabel  *label,
                                     gint64                now,
                                     GError              **error)
{
  g_autoptr(PsOrderWriter) writer = NULL;
  g_autofree char *status = NULL;
  g_autofree char *data = NULL;
  PsShipmentFields fields = { 0 };
  sqlite3_stmt *stmt;
  gint64 shipment_id;
  gint64 account_id = 0;

  g_return_val_if_fail (label != NULL && label->label != NULL, 0);
  g_return_val_if_fail (label->carrier != NULL && label->service != NULL, 0);

  if (!ps_database_begin (database, error))
    return 0;

  stmt = _ps_database_prepare (database,
    "SELECT state, coalesce (account_id, 0) FROM label_purchases WHERE id = ? AND order_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, journal_id);
  sqlite3_bind_int64 (stmt, 2, order_id);
  if (!step_row (database, stmt, error))
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                     "Purchase %" G_GINT64_FORMAT " of order %" G_GINT64_FORMAT " was not journaled",
                     journal_id, order_id);
      goto fail;
    }
  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, 0), "bought") == 0)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_ALREADY_BOUGHT,
                           "This label was already bought and stored");
      goto fail;
    }
  account_id = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);

  writer = ps_order_writer_new (database);
  ps_order_writer_set_now (writer, now);
  fields.order_id = order_id;
  fields.carrier = label->carrier;
  fields.service = label->service;
  fields.tracking_number = label->tracking_number;
  fields.tracking_status = PS_TRACKING_STATUS_PRE_TRANSIT;
  fields.exception_reason = PS_EXCEPTION_REASON_NONE;
  fields.currency = label->currency;
  fields.rate_minor = label->rate_minor;
  fields.weight_grams = label->weight_grams;
  fields.length_mm = label->length_mm;
  fields.width_mm = label->width_mm;
  fields.height_mm = label->height_mm;
  fields.label_created_at = now;
  fields.estimated_delivery_at = label->estimated_delivery_at;
  /* The tracking poller looks first an hour after the label. */
  fields.next_track_at = now + 3600;
  shipment_id = ps_order_writer_add_shipment (writer, &fields, error);
  if (shipment_id == 0)
    goto fail;

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET carrier_shipment_id = ?, account_id = ?, service_name = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  _ps_bind_text (stmt, 1, label->carrier_shipment_id);
  if (account_id > 0)
    sqlite3_bind_int64 (stmt, 2, account_id);
  else
    sqlite3_bind_null (stmt, 2);
  _ps_bind_text (stmt, 3, label->service_name);
  sqlite3_bind_int64 (stmt, 4, shipment_id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  stmt = _ps_database_prepare (database,
    "INSERT INTO labels (shipment_id, format, data, created_at) VALUES (?, ?, ?, ?)", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  _ps_bind_text (stmt, 2, ps_enum_to_nick (PS_TYPE_LABEL_FORMAT, label->label_format));
  {
    gsize size;
    gconstpointer bytes = g_bytes_get_data (label->label, &size);

    sqlite3_bind_blob64 (stmt, 3, bytes, size, SQLITE_STATIC);
  }
  sqlite3_bind_int64 (stmt, 4, now);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  stmt = _ps_database_prepare (database,
    "UPDATE label_purchases SET state = 'bought', shipment_id = ?,"
    " carrier_shipment_id = coalesce (?, carrier_shipment_id), error = NULL, updated_at = ?"
    " WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  _ps_bind_text (stmt, 2, label->carrier_shipment_id);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int64 (stmt, 4, journal_id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  data = event_data (label);
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_LABEL_CREATED, now, order_id, shipment_id,
                                 0, "merchant", data, error) == 0)
    goto fail;

  stmt = _ps_database_prepare (database, "SELECT status FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, order_id);
  if (!step_row (database, stmt, error))
    goto fail;
  status = _ps_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (g_strv_contains ((const char * const[]) { "awaiting_payment", "awaiting_shipment", "on_hold", NULL },
                       status))
    {
      g_autofree char *change = g_strdup_printf ("{\"from\":\"%s\",\"to\":\"ready_to_ship\"}", status);

      stmt = _ps_database_prepare (database,
        "UPDATE orders SET status = 'ready_to_ship', updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, now);
      sqlite3_bind_int64 (stmt, 2, order_id);
      if (!_ps_database_step_done (database, stmt, error))
        goto fail;
      if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, now, order_id, 0, 0,
                                     "merchant", change, error) == 0)
        goto fail;
    }

  if (!ps_order_writer_flush (writer, error))
    goto fail;
  if (!ps_database_commit (database, error))
    return 0;
  return shipment_id;

fail:
  ps_database_rollback (database);
  return 0;
}

/**
 * ps_shipping_store_open_purchases_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsJournalEntry): purchases still
 *   pending or unknown (a crash or a lost answer), oldest first
 */
GPtrArray *
ps_shipping_store_open_purchases_sync (PsDatabase  *database,
                                       GError     **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_journal_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
    SELECT_JOURNAL " WHERE state IN ('pending', 'unknown') ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (entries, read_entry (stmt));
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read open purchases");
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * ps_shipping_store_load_label_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment
 * @format: (out): the label's format
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the label bytes, or %NULL with
 *   %PS_SHIPPING_ERROR_NOT_FOUND
 */
GBytes *
ps_shipping_store_load_label_sync (PsDatabase     *database,
                                   gint64          shipment_id,
                                   PsLabelFormat  *format,
                                   GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *bytes;
  sqlite3_stmt *stmt;
  int value = PS_LABEL_FORMAT_PDF;

  stmt = _ps_database_prepare (database, "SELECT format, data FROM labels WHERE shipment_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_row (database, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                     "Shipment %" G_GINT64_FORMAT " has no stored label", shipment_id);
      return NULL;
    }
  ps_enum_from_nick (PS_TYPE_LABEL_FORMAT, (const char *)sqlite3_column_text (stmt, 0), &value);
  if (format != NULL)
    *format = value;
  bytes = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
  sqlite3_reset (stmt);
  return bytes;
}

/**
 * ps_shipping_store_get_tracking_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment
 * @order_id: (out) (optional): its order
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): its tracking number ("" when it
 *   has none), or %NULL with %PS_SHIPPING_ERROR_NOT_FOUND
 */
char *
ps_shipping_store_get_tracking_sync (PsDatabase  *database,
                                     gint64       shipment_id,
                                     gint64      *order_id,
                                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  char *tracking;

  stmt = _ps_database_prepare (database,
    "SELECT coalesce (tracking_number, ''), order_id FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_row (database, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                     "Shipment %" G_GINT64_FORMAT " does not exist", shipment_id);
      return NULL;
    }
  tracking = _ps_column_dup (stmt, 0);
  if (order_id != NULL)
    *order_id = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return tracking;
}

void
ps_shipment_ref_free (PsShipmentRef *self)
{
  if (self == NULL)
    return;
  g_free (self->carrier);
  g_free (self->carrier_shipment_id);
  g_free (self->tracking_number);
  g_free (self);
}

/**
 * ps_shipping_store_load_shipment_sync:
 * @database: a #PsDatabase
 * @shipment_id: the shipment
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the shipment, or %NULL with
 *   %PS_SHIPPING_ERROR_NOT_FOUND
 */
PsShipmentRef *
ps_shipping_store_load_shipment_sync (PsDatabase  *database,
                                      gint64       shipment_id,
                                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  PsShipmentRef *ref;
  sqlite3_stmt *stmt;
  int status = PS_TRACKING_STATUS_UNKNOWN;

  stmt = _ps_database_prepare (database,
    "SELECT order_id, coalesce (account_id, 0), carrier, carrier_shipment_id, tracking_number,"
    " tracking_status, coalesce (voided_at, 0) FROM shipments WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  if (!step_row (database, stmt, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, PS_SHIPPING_ERROR, PS_SHIPPING_ERROR_NOT_FOUND,
                     "Shipment %" G_GINT64_FORMAT " does not exist", shipment_id);
      return NULL;
    }
  ref = g_new0 (PsShipmentRef, 1);
  ref->id = shipment_id;
  ref->order_id = sqlite3_column_int64 (stmt, 0);
  ref->account_id = sqlite3_column_int64 (stmt, 1);
  ref->carrier = _ps_column_dup (stmt, 2);
  ref->carrier_shipment_id = _ps_column_dup (stmt, 3);
  ref->tracking_number = _ps_column_dup (stmt, 4);
  ps_enum_from_nick (PS_TYPE_TRACKING_STATUS, (const char *)sqlite3_column_text (stmt, 5), &status);
  ref->tracking_status = status;
  ref->voided_at = sqlite3_column_int64 (stmt, 6);
  sqlite3_reset (stmt);
  return ref;
}

/**
 * ps_shipping_store_void_sync:
 * @database: a #PsDatabase
 * @shipment_id: a shipment whose label the carrier voided
 * @now: when
 * @error: return location for an error
 *
 * Records a void in one transaction (call it outside one): the shipment is
 * voided and cancelled, the order's latest shipment becomes its newest
 * live one, and an order left without a live shipment goes back from
 * Ready to ship to Awaiting shipment; events for both.
 *
 * Returns: whether it was written
 */
gboolean
ps_shipping_store_void_sync (PsDatabase  *database,
                             gint64       shipment_id,
                             gint64       now,
                             GError     **error)
{
  g_autoptr(PsShipmentRef) ref = NULL;
  g_autoptr(PsOrderWriter) writer = NULL;
  sqlite3_stmt *stmt;
  gint64 live = 0;
  g_autofree char *status = NULL;
  g_autofree char *data = NULL;

  if (!ps_database_begin (database, error))
    return FALSE;
  ref = ps_shipping_store_load_shipment_sync (database, shipment_id, error);
  if (ref == NULL)
    goto fail;
  if (ref->voided_at != 0)
    {
      ps_database_rollback (database);
      return TRUE;   /* already voided: nothing to do */
    }

  stmt = _ps_database_prepare (database,
    "UPDATE shipments SET voided_at = ?, tracking_status = 'cancelled', next_track_at = NULL WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, shipment_id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  /* The purchase's key is free again: buying with it after a void buys a
   * new label instead of returning the dead one. The journal row stays,
   * under a derived key. */
  stmt = _ps_database_prepare (database,
    "UPDATE label_purchases SET idempotency_key = idempotency_key || ':voided:' || shipment_id,"
    " updated_at = ? WHERE shipment_id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_int64 (stmt, 2, shipment_id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  stmt = _ps_database_prepare (database,
    "SELECT coalesce (max (id), 0) FROM shipments WHERE order_id = ? AND voided_at IS NULL", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, ref->order_id);
  if (!step_row (database, stmt, error))
    goto fail;
  live = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = _ps_database_prepare (database,
    "UPDATE orders SET last_shipment_id = ?, updated_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  if (live > 0)
    sqlite3_bind_int64 (stmt, 1, live);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, now);
  sqlite3_bind_int64 (stmt, 3, ref->order_id);
  if (!_ps_database_step_done (database, stmt, error))
    goto fail;

  writer = ps_order_writer_new (database);
  data = g_strdup_printf ("{\"tracking_number\":\"%s\"}", ref->tracking_number ? ref->tracking_number : "");
  if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_LABEL_VOIDED, now, ref->order_id, shipment_id, 0,
                                 "merchant", data, error) == 0)
    goto fail;

  stmt = _ps_database_prepare (database, "SELECT status FROM orders WHERE id = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, ref->order_id);
  if (!step_row (database, stmt, error))
    goto fail;
  status = _ps_column_dup (stmt, 0);
  sqlite3_reset (stmt);
  if (live == 0 && g_strcmp0 (status, "ready_to_ship") == 0)
    {
      stmt = _ps_database_prepare (database,
        "UPDATE orders SET status = 'awaiting_shipment' WHERE id = ?", error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, ref->order_id);
      if (!_ps_database_step_done (database, stmt, error))
        goto fail;
      if (ps_order_writer_add_event (writer, PS_EVENT_TYPE_ORDER_STATUS_CHANGED, now, ref->order_id, 0, 0,
                                     "merchant", "{\"from\":\"ready_to_ship\",\"to\":\"awaiting_shipment\"}",
                                     error) == 0)
        goto fail;
    }

  if (!ps_order_writer_flush (writer, error))
    goto fail;
  return ps_database_commit (database, error);

fail:
  ps_database_rollback (database);
  return FALSE;
}

void
ps_package_preset_free (PsPackagePreset *self)
{
  if (self == NULL)
    return;
  g_free (self->name);
  g_free (self);
}

/**
 * ps_shipping_store_list_presets_sync:
 * @database: a #PsDatabase
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type PsPackagePreset): the package
 *   presets, by name
 */
GPtrArray *
ps_shipping_store_list_presets_sync (PsDatabase  *database,
                                     GError     **error)
{
  g_autoptr(GPtrArray) presets = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_package_preset_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _ps_database_prepare (database,
    "SELECT id, name, length_mm, width_mm, height_mm, weight_grams FROM package_presets ORDER BY name", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsPackagePreset *preset = g_new0 (PsPackagePreset, 1);

      preset->id = sqlite3_column_int64 (stmt, 0);
      preset->name = _ps_column_dup (stmt, 1);
      preset->length_mm = sqlite3_column_int64 (stmt, 2);
      preset->width_mm = sqlite3_column_int64 (stmt, 3);
      preset->height_mm = sqlite3_column_int64 (stmt, 4);
      preset->weight_grams = sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (presets, preset);
    }
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read package presets");
      return NULL;
    }
  return g_steal_pointer (&presets);
}

/**
 * ps_shipping_store_add_preset_sync:
 * @database: a #PsDatabase
 * @preset: the preset (its id is ignored)
 * @error: return location for an error
 *
 * Returns: the new preset's id, 0 on error (a name already used, a side
 *   that is not positive)
 */
gint64
ps_shipping_store_add_preset_sync (PsDatabase             *database,
                                   const PsPackagePreset  *preset,
                                   GError                **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (preset != NULL, 0);

  if (preset->name == NULL || *preset->name == '\0' ||
      preset->length_mm <= 0 || preset->width_mm <= 0 || preset->height_mm <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "A package needs a name and three sides longer than 0 mm");
      return 0;
    }
  stmt = _ps_database_prepare (database,
    "INSERT INTO package_presets (name, length_mm, width_mm, height_mm, weight_grams) VALUES (?, ?, ?, ?, ?)",
    error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, preset->name);
  sqlite3_bind_int64 (stmt, 2, preset->length_mm);
  sqlite3_bind_int64 (stmt, 3, preset->width_mm);
  sqlite3_bind_int64 (stmt, 4, preset->height_mm);
  sqlite3_bind_int64 (stmt, 5, MAX (0, preset->weight_grams));
  if (!_ps_database_step_done (database, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (database));
}

/**
 * ps_shipping_store_remove_preset_sync:
 * @database: a #PsDatabase
 * @preset_id: the preset
 * @error: return location for an error
 *
 * SKUs that asked for it no longer ask for a package.
 *
 * Returns: whether it was removed
 */
gboolean
ps_shipping_store_remove_preset_sync (PsDatabase  *database,
                                      gint64       preset_id,
                                      GError     **error)
{
  sqlite3_stmt *stmt = _ps_database_prepare (database, "DELETE FROM package_presets WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, preset_id);
  return _ps_database_step_done (database, stmt, error);
}

/**
 * ps_shipping_store_set_sku_default_sync:
 * @database: a #PsDatabase
 * @sku: the SKU
 * @weight_grams: the weight of one, 0 to use what the shop exports
 * @preset_id: the package it ships in, 0 for none
 * @error: return location for an error
 *
 * Returns: whether it was written
 */
gboolean
ps_shipping_store_set_sku_default_sync (PsDatabase  *database,
                                        const char  *sku,
                                        gint64       weight_grams,
                                        gint64       preset_id,
                                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (sku != NULL && *sku != '\0', FALSE);

  stmt = _ps_database_prepare (database,
    "INSERT INTO sku_defaults (sku, weight_grams, preset_id) VALUES (?, ?, ?)"
    " ON CONFLICT (sku) DO UPDATE SET weight_grams = excluded.weight_grams, preset_id = excluded.preset_id",
    error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, sku);
  if (weight_grams > 0)
    sqlite3_bind_int64 (stmt, 2, weight_grams);
  else
    sqlite3_bind_null (stmt, 2);
  if (preset_id > 0)
    sqlite3_bind_int64 (stmt, 3, preset_id);
  else
    sqlite3_bind_null (stmt, 3);
  return _ps_database_step_done (database, stmt, error);
}
