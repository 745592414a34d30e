/* ps-order-writer.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that inserts orders, so the denormalized columns
 * (item_count, weight_grams, ship_region, last_shipment_id) stay right no
 * matter who writes: the demo generator today, the importer next. It runs
 * on the database worker, inside the caller's transaction, with cached
 * statements: a million orders is a loop of binds and steps.
 */

#define G_LOG_DOMAIN "ps-order-writer"

#include "config.h"

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-writer.h"
#include "ps-region.h"
#include "ps-time.h"

struct _PsOrderWriter
{
  PsDatabase *db;
  GHashTable *channels;   /* name -> id (gint64 boxed in a pointer-sized slot) */
  GHashTable *tags;       /* lower-cased name -> id */
  gint64      now;
};

/**
 * ps_order_writer_new:
 * @db: an open #PsDatabase
 *
 * Worker thread only; use it inside ps_database_begin()/commit().
 *
 * Returns: (transfer full): a writer
 */
PsOrderWriter *
ps_order_writer_new (PsDatabase *db)
{
  PsOrderWriter *self;

  g_assert (ps_database_is_worker_thread (db));

  self = g_new0 (PsOrderWriter, 1);
  self->db = g_object_ref (db);
  self->channels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->now = ps_time_now ();
  /* Bulk inserts touch many index pages again and again: give them a
   * large page cache for as long as the writer lives. */
  _ps_database_exec (db, "PRAGMA cache_size = -65536", NULL);
  return self;
}

void
ps_order_writer_free (PsOrderWriter *self)
{
  if (self == NULL)
    return;
  _ps_database_exec (self->db, "PRAGMA cache_size = -2048", NULL);
  g_hash_table_unref (self->channels);
  g_hash_table_unref (self->tags);
  g_object_unref (self->db);
  g_free (self);
}

/**
 * ps_order_writer_set_now:
 * @self: a #PsOrderWriter
 * @now: UTC Unix seconds
 *
 * Sets the time stamped on rows the writer creates by itself (channels,
 * shipments without a label time), so generated data can be reproduced.
 */
void
ps_order_writer_set_now (PsOrderWriter *self,
                         gint64         now)
{
  g_return_if_fail (self != NULL);
  self->now = now;
}

static gint64 *
int64_dup (gint64 v)
{
  return g_memdup2 (&v, sizeof v);
}

static gint64
ensure_channel (PsOrderWriter  *self,
                const char     *name,
                PsChannelKind   kind,
                GError        **error)
{
  gint64 *cached = g_hash_table_lookup (self->channels, name);
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (cached != NULL)
    return *cached;

  stmt = _ps_database_prepare (self->db,
                               "INSERT INTO channels (kind, name, created_at) VALUES (?, ?, ?) "
                               "ON CONFLICT (name) DO NOTHING", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_CHANNEL_KIND, kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, self->now);
  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;

  stmt = _ps_database_prepare (self->db, "SELECT id FROM channels WHERE name = ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (id == 0)
    {
      g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "Channel %s vanished", name);
      return 0;
    }

  g_hash_table_insert (self->channels, g_strdup (name), int64_dup (id));
  return id;
}

/**
 * ps_order_writer_add_order:
 * @self: a #PsOrderWriter
 * @order: the order's fields
 * @lines: (array length=n_lines): its line items, in order
 * @n_lines: number of @lines
 * @first_line_id: (out) (optional): the id of the first inserted line; the
 *   others follow consecutively
 * @error: return location for an error
 *
 * Inserts a new order with its line items and computes item count, weight
 * and destination region from them.
 *
 * Returns: the new order id, 0 on error
 */
gint64
ps_order_writer_add_order (PsOrderWriter        *self,
                           const PsOrderFields  *order,
                           const PsLineFields   *lines,
                           guint                 n_lines,
                           gint64               *first_line_id,
                           GError              **error)
{
  sqlite3_stmt *stmt;
  gint64 channel_id, order_id;
  gint64 item_count = 0, weight = 0;
  int i = 1;

  g_return_val_if_fail (order != NULL, 0);
  g_return_val_if_fail (order->order_number != NULL && order->channel_name != NULL, 0);
  g_return_val_if_fail (order->currency != NULL, 0);

  channel_id = ensure_channel (self, order->channel_name, order->channel_kind, error);
  if (channel_id == 0)
    return 0;

  for (guint k = 0; k < n_lines; k++)
    {
      item_count += lines[k].quantity;
      weight += (gint64)lines[k].quantity * lines[k].weight_grams;
    }

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO orders (channel_id, order_number, customer_name, customer_email, customer_phone,"
    " ship_name, ship_company, ship_line1, ship_line2, ship_city, ship_state, ship_postcode,"
    " ship_country, ship_region, address_issue, address_message, status, priority, currency,"
    " subtotal_minor, shipping_minor, tax_minor, total_minor, item_count, weight_grams,"
    " created_at, paid_at, imported_at, updated_at, source_hash)"
    " VALUES (?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, i++, channel_id);
  _ps_bind_text (stmt, i++, order->order_number);
  _ps_bind_text (stmt, i++, order->customer_name);
  _ps_bind_text (stmt, i++, order->customer_email);
  _ps_bind_text (stmt, i++, order->customer_phone);
  _ps_bind_text (stmt, i++, order->ship_name);
  _ps_bind_text (stmt, i++, order->ship_company);
  _ps_bind_text (stmt, i++, order->ship_line1);
  _ps_bind_text (stmt, i++, order->ship_line2);
  _ps_bind_text (stmt, i++, order->ship_city);
  _ps_bind_text (stmt, i++, order->ship_state);
  _ps_bind_text (stmt, i++, order->ship_postcode);
  _ps_bind_text (stmt, i++, order->ship_country);
  _ps_bind_text (stmt, i++, ps_region_for_address (order->ship_country, order->ship_state));
  sqlite3_bind_int (stmt, i++, order->address_issue ? 1 : 0);
  _ps_bind_text (stmt, i++, order->address_message);
  _ps_bind_text (stmt, i++, ps_enum_to_nick (PS_TYPE_ORDER_STATUS, order->status));
  sqlite3_bind_int (stmt, i++, order->priority);
  _ps_bind_text (stmt, i++, order->currency);
  sqlite3_bind_int64 (stmt, i++, order->subtotal_minor);
  sqlite3_bind_int64 (stmt, i++, order->shipping_minor);
  sqlite3_bind_int64 (stmt, i++, order->tax_minor);
  sqlite3_bind_int64 (stmt, i++, order->total_minor);
  sqlite3_bind_int64 (stmt, i++, item_count);
  sqlite3_bind_int64 (stmt, i++, weight);
  sqlite3_bind_int64 (stmt, i++, order->created_at);
  _ps_bind_time (stmt, i++, order->paid_at);
  _ps_bind_time (stmt, i++, order->imported_at);
  sqlite3_bind_int64 (stmt, i++, MAX (order->imported_at, order->created_at));
  _ps_bind_text (stmt, i++, order->source_hash);

  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;
  order_id = sqlite3_last_insert_rowid (_ps_database_get_handle (self->db));

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO line_items (order_id, position, sku, name, variant, quantity,"
    " unit_price_minor, weight_grams) VALUES (?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return 0;
  for (guint k = 0; k < n_lines; k++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, order_id);
      sqlite3_bind_int (stmt, 2, (int)k);
      _ps_bind_text (stmt, 3, lines[k].sku);
      _ps_bind_text (stmt, 4, lines[k].name);
      _ps_bind_text (stmt, 5, lines[k].variant);
      sqlite3_bind_int (stmt, 6, lines[k].quantity);
      sqlite3_bind_int64 (stmt, 7, lines[k].unit_price_minor);
      sqlite3_bind_int (stmt, 8, lines[k].weight_grams);
      if (!_ps_database_step_done (self->db, stmt, error))
        return 0;
      if (k == 0 && first_line_id != NULL)
        *first_line_id = sqlite3_last_insert_rowid (_ps_database_get_handle (self->db));
    }

  return order_id;
}

/**
 * ps_order_writer_add_shipment:
 * @self: a #PsOrderWriter
 * @shipment: the shipment's fields
 * @error: return location for an error
 *
 * Inserts a shipment and makes it the order's latest one.
 *
 * Returns: the new shipment id, 0 on error
 */
gint64
ps_order_writer_add_shipment (PsOrderWriter           *self,
                              const PsShipmentFields  *s,
                              GError                 **error)
{
  sqlite3_stmt *stmt;
  gint64 shipment_id;
  int i = 1;

  g_return_val_if_fail (s != NULL && s->order_id > 0, 0);
  g_return_val_if_fail (s->carrier != NULL && s->service != NULL, 0);

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO shipments (order_id, carrier, service, tracking_number, tracking_status,"
    " exception_reason, currency, rate_minor, weight_grams, length_mm, width_mm, height_mm,"
    " label_created_at, first_scan_at, estimated_delivery_at, delivered_at, voided_at,"
    " next_track_at, created_at)"
    " VALUES (?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?, ?,?)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, i++, s->order_id);
  _ps_bind_text (stmt, i++, s->carrier);
  _ps_bind_text (stmt, i++, s->service);
  _ps_bind_text (stmt, i++, s->tracking_number);
  _ps_bind_text (stmt, i++, ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, s->tracking_status));
  _ps_bind_text (stmt, i++, s->exception_reason != PS_EXCEPTION_REASON_NONE
                              ? ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, s->exception_reason)
                              : NULL);
  _ps_bind_text (stmt, i++, s->currency);
  sqlite3_bind_int64 (stmt, i++, s->rate_minor);
  sqlite3_bind_int (stmt, i++, s->weight_grams);
  sqlite3_bind_int (stmt, i++, s->length_mm);
  sqlite3_bind_int (stmt, i++, s->width_mm);
  sqlite3_bind_int (stmt, i++, s->height_mm);
  _ps_bind_time (stmt, i++, s->label_created_at);
  _ps_bind_time (stmt, i++, s->first_scan_at);
  _ps_bind_time (stmt, i++, s->estimated_delivery_at);
  _ps_bind_time (stmt, i++, s->delivered_at);
  _ps_bind_time (stmt, i++, s->voided_at);
  _ps_bind_time (stmt, i++, s->next_track_at);
  sqlite3_bind_int64 (stmt, i++, s->label_created_at ? s->label_created_at : self->now);
  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;
  shipment_id = sqlite3_last_insert_rowid (_ps_database_get_handle (self->db));

  if (s->voided_at == 0)
    {
      stmt = _ps_database_prepare (self->db,
                                   "UPDATE orders SET last_shipment_id = ? WHERE id = ?", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, shipment_id);
      sqlite3_bind_int64 (stmt, 2, s->order_id);
      if (!_ps_database_step_done (self->db, stmt, error))
        return 0;
    }

  return shipment_id;
}

gboolean
ps_order_writer_add_tracking_event (PsOrderWriter      *self,
                                    gint64              shipment_id,
                                    gint64              occurred_at,
                                    PsTrackingStatus    status,
                                    PsExceptionReason   reason,
                                    const char         *description,
                                    const char         *location,
                                    GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO tracking_events (shipment_id, occurred_at, status, exception_reason,"
    " description, location) VALUES (?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  sqlite3_bind_int64 (stmt, 2, occurred_at);
  _ps_bind_text (stmt, 3, ps_enum_to_nick (PS_TYPE_TRACKING_STATUS, status));
  _ps_bind_text (stmt, 4, reason != PS_EXCEPTION_REASON_NONE
                            ? ps_enum_to_nick (PS_TYPE_EXCEPTION_REASON, reason) : NULL);
  _ps_bind_text (stmt, 5, description);
  _ps_bind_text (stmt, 6, location);
  return _ps_database_step_done (self->db, stmt, error);
}

static void
bind_id (sqlite3_stmt *stmt,
         int           idx,
         gint64        id)
{
  if (id > 0)
    sqlite3_bind_int64 (stmt, idx, id);
  else
    sqlite3_bind_null (stmt, idx);
}

/**
 * ps_order_writer_add_event:
 * @self: a #PsOrderWriter
 * @type: the event type
 * @occurred_at: when it happened
 * @order_id: the order, or 0
 * @shipment_id: the shipment, or 0
 * @return_id: the return, or 0
 * @actor: who caused it ("import", "merchant", "carrier", "clock", "rule:N")
 * @data_json: (nullable): the event's payload as a JSON object
 * @error: return location for an error
 *
 * Appends to the event log.
 *
 * Returns: the event id, 0 on error
 */
gint64
ps_order_writer_add_event (PsOrderWriter  *self,
                           PsEventType     type,
                           gint64          occurred_at,
                           gint64          order_id,
                           gint64          shipment_id,
                           gint64          return_id,
                           const char     *actor,
                           const char     *data_json,
                           GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (actor != NULL, 0);

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO events (type, occurred_at, order_id, shipment_id, return_id, actor, data)"
    " VALUES (?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return 0;
  _ps_bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, type));
  sqlite3_bind_int64 (stmt, 2, occurred_at);
  bind_id (stmt, 3, order_id);
  bind_id (stmt, 4, shipment_id);
  bind_id (stmt, 5, return_id);
  _ps_bind_text (stmt, 6, actor);
  _ps_bind_text (stmt, 7, data_json);
  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (self->db));
}

gint64
ps_order_writer_add_return (PsOrderWriter   *self,
                            gint64           order_id,
                            PsReturnReason   reason,
                            PsReturnStatus   status,
                            gint64           requested_at,
                            gint64           received_at,
                            gint64           refunded_at,
                            GError         **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO returns (order_id, reason, status, requested_at, received_at, refunded_at)"
    " VALUES (?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, order_id);
  _ps_bind_text (stmt, 2, ps_enum_to_nick (PS_TYPE_RETURN_REASON, reason));
  _ps_bind_text (stmt, 3, ps_enum_to_nick (PS_TYPE_RETURN_STATUS, status));
  sqlite3_bind_int64 (stmt, 4, requested_at);
  _ps_bind_time (stmt, 5, received_at);
  _ps_bind_time (stmt, 6, refunded_at);
  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_ps_database_get_handle (self->db));
}

gboolean
ps_order_writer_add_return_item (PsOrderWriter  *self,
                                 gint64          return_id,
                                 gint64          line_item_id,
                                 int             quantity,
                                 GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO return_items (return_id, line_item_id, quantity) VALUES (?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, return_id);
  sqlite3_bind_int64 (stmt, 2, line_item_id);
  sqlite3_bind_int (stmt, 3, quantity);
  return _ps_database_step_done (self->db, stmt, error);
}

gboolean
ps_order_writer_add_tag (PsOrderWriter  *self,
                         gint64          order_id,
                         const char     *tag,
                         GError        **error)
{
  g_autofree char *key = g_utf8_casefold (tag, -1);
  gint64 *cached = g_hash_table_lookup (self->tags, key);
  sqlite3_stmt *stmt;
  gint64 tag_id = 0;

  if (cached != NULL)
    tag_id = *cached;
  else
    {
      stmt = _ps_database_prepare (self->db,
                                   "INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, tag, -1, SQLITE_STATIC);
      if (!_ps_database_step_done (self->db, stmt, error))
        return FALSE;
      stmt = _ps_database_prepare (self->db, "SELECT id FROM tags WHERE name = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, tag, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        tag_id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      g_hash_table_insert (self->tags, g_strdup (key), int64_dup (tag_id));
    }

  stmt = _ps_database_prepare (self->db,
                               "INSERT OR IGNORE INTO order_tags (order_id, tag_id) VALUES (?, ?)",
                               error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, tag_id);
  return _ps_database_step_done (self->db, stmt, error);
}

gboolean
ps_order_writer_add_note (PsOrderWriter  *self,
                          gint64          order_id,
                          gint64          created_at,
                          const char     *author,
                          const char     *body,
                          GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO notes (order_id, created_at, author, body) VALUES (?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, created_at);
  _ps_bind_text (stmt, 3, author);
  _ps_bind_text (stmt, 4, body);
  return _ps_database_step_done (self->db, stmt, error);
}

/**
 * ps_order_writer_purge:
 * @self: a #PsOrderWriter
 * @error: return location for an error
 *
 * Deletes every order, shipment, event and everything hanging off them, and
 * the channels and tags they used; keeps rules, filters, templates, carrier
 * accounts and settings. This is "Start with an empty database".
 *
 * Returns: %TRUE on success
 */
gboolean
ps_order_writer_purge (PsOrderWriter  *self,
                       GError        **error)
{
  g_hash_table_remove_all (self->channels);
  g_hash_table_remove_all (self->tags);

  /* Children first: deleting orders alone would cascade row by row. */
  return _ps_database_exec (self->db,
                            "DELETE FROM rule_runs;"
                            "DELETE FROM messages;"
                            "DELETE FROM events;"
                            "DELETE FROM return_items;"
                            "DELETE FROM returns;"
                            "DELETE FROM tracking_events;"
                            "DELETE FROM labels;"
                            "DELETE FROM label_purchases;"
                            "UPDATE orders SET last_shipment_id = NULL;"
                            "DELETE FROM shipments;"
                            "DELETE FROM order_tags;"
                            "DELETE FROM tags;"
                            "DELETE FROM notes;"
                            "DELETE FROM line_items;"
                            "DELETE FROM orders;"
                            "DELETE FROM channels;",
                            error);
}
