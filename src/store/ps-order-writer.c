/* ps-order-writer.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that inserts orders, so the denormalized columns
 * (item_count, weight_grams, ship_region, last_shipment_id) stay right no
 * matter who writes: the demo generator and the importer, which inserts or
 * updates by (channel, order number) through ps_order_writer_import_order().
 * It runs on the database worker, inside the caller's transaction, with
 * cached statements: a million orders is a loop of binds and steps.
 *
 * It also keeps the search index right without indexing anything itself
 * (ps-order-search.c): new orders sit above the index's watermark and
 * cost nothing here; an order the index already holds (id up to the
 * watermark) is listed in search_dirty when its searchable text changes
 * (a re-import renames the customer or changes the line items, a shipment
 * brings a tracking number). The watermark is read once per writer, so a
 * catch-up in the same job must run after the writer is freed; a purge
 * empties the index.
 */

#define G_LOG_DOMAIN "ps-order-writer"

#include "config.h"

#include "ps-database-private.h"
#include "ps-enum-types.h"
#include "ps-order-search-private.h"
#include "ps-order-writer.h"
#include "ps-region.h"
#include "ps-time.h"

/* The statements bulk writes run for every order. Each is fetched from the
 * database's statement cache once per writer instead of being looked up by
 * its (long) SQL text every time; they stay valid while the writer lives,
 * which is within one job. */
typedef enum
{
  STMT_INSERT_ORDER,
  STMT_INSERT_ORDER_IF_NEW,
  STMT_INSERT_LINE,
  STMT_INSERT_EVENT,
  STMT_LOOKUP_ORDER,
  STMT_INSERT_IMPORTED_EVENTS,
  N_STMTS
} StmtId;

#define INSERT_ORDER_SQL \
  "INSERT INTO orders (channel_id, order_number, customer_name, customer_email, customer_phone," \
  " ship_name, ship_company, ship_line1, ship_line2, ship_city, ship_state, ship_postcode," \
  " ship_country, ship_region, address_issue, address_message, status, priority, currency," \
  " subtotal_minor, shipping_minor, tax_minor, total_minor, item_count, weight_grams," \
  " created_at, paid_at, imported_at, updated_at, source_hash)" \
  " VALUES (?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?,?, ?,?,?,?,?,?, ?,?,?,?,?)"

static const char * const stmt_sql[N_STMTS] = {
  [STMT_INSERT_ORDER] = INSERT_ORDER_SQL,
  /* An import inserts first and looks the order up only when it exists:
   * one index probe instead of two for every new order. */
  [STMT_INSERT_ORDER_IF_NEW] = INSERT_ORDER_SQL
    " ON CONFLICT (channel_id, order_number) DO NOTHING",
  [STMT_INSERT_LINE] =
    "INSERT INTO line_items (order_id, position, sku, name, variant, quantity,"
    " unit_price_minor, weight_grams) VALUES (?,?,?,?,?,?,?,?)",
  [STMT_INSERT_EVENT] =
    "INSERT INTO events (type, occurred_at, order_id, shipment_id, return_id, actor, data)"
    " VALUES (?,?,?,?,?,?,?)",
  /* The UNIQUE (channel_id, order_number) index answers this. */
  [STMT_LOOKUP_ORDER] =
    "SELECT id, source_hash, customer_name, customer_email, customer_phone, ship_name,"
    " ship_company, ship_line1, ship_line2, ship_city, ship_state, ship_postcode, ship_country,"
    " address_issue, address_message, currency, subtotal_minor, shipping_minor, tax_minor,"
    " total_minor, created_at, paid_at FROM orders WHERE channel_id = ? AND order_number = ?",
  [STMT_INSERT_IMPORTED_EVENTS] =
    "INSERT INTO events (type, occurred_at, order_id, actor)"
    " SELECT 'order.imported', ?1, id, 'import' FROM orders WHERE id BETWEEN ?2 AND ?3"
    " ORDER BY id",
};

struct _PsOrderWriter
{
  PsDatabase   *db;
  GHashTable   *channels;   /* name -> id (gint64 boxed in a pointer-sized slot) */
  GHashTable   *tags;       /* lower-cased name -> id */
  gint64        now;
  sqlite3_stmt *stmts[N_STMTS];

  /* The order.imported events of the orders ps_order_writer_import_order()
   * created, not written yet: ids first..last (consecutive, as SQLite
   * assigns them within a transaction), all at @pending_time. One
   * INSERT … SELECT per run is a sixth of a bulk import's time less than a
   * statement per order. 0/0 when none. */
  gint64        pending_first;
  gint64        pending_last;
  gint64        pending_time;

  /* The search index's watermark, -1 until first needed. */
  gint64        search_indexed_to;
};

/* A statement of stmt_sql, reset (each use ends with a reset) but with
 * its old bindings: callers bind every parameter. */
static sqlite3_stmt *
writer_stmt (PsOrderWriter  *self,
             StmtId          id,
             GError        **error)
{
  if (self->stmts[id] == NULL)
    self->stmts[id] = _ps_database_prepare (self->db, stmt_sql[id], error);
  return self->stmts[id];
}

/* The caller's strings outlive the step that reads them, so SQLite need
 * not copy them (as _ps_bind_text() does). */
static inline void
bind_text (sqlite3_stmt *stmt,
           int           idx,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, idx, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, idx);
}

/* Lists @order_id for re-indexing if the search index holds it: its
 * searchable text changed. Orders above the watermark are indexed later
 * anyway. */
static gboolean
mark_search_dirty (PsOrderWriter  *self,
                   gint64          order_id,
                   GError        **error)
{
  if (self->search_indexed_to < 0)
    {
      self->search_indexed_to = _ps_order_search_get_indexed_to (self->db, error);
      if (self->search_indexed_to < 0)
        return FALSE;
    }
  if (order_id > self->search_indexed_to)
    return TRUE;
  return _ps_order_search_mark_dirty (self->db, order_id, error);
}

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
  self->search_indexed_to = -1;
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

/* Inserts the order and its lines. With @if_new, an order that exists
 * (same channel and number) is left alone and -1 returned. */
static gint64
insert_order (PsOrderWriter        *self,
              const PsOrderFields  *order,
              const PsLineFields   *lines,
              guint                 n_lines,
              gint64                channel_id,
              gboolean              if_new,
              gint64               *first_line_id,
              GError              **error)
{
  sqlite3 *handle = _ps_database_get_handle (self->db);
  sqlite3_stmt *stmt;
  gint64 order_id;
  gint64 item_count = 0, weight = 0;
  int i = 1;

  for (guint k = 0; k < n_lines; k++)
    {
      item_count += lines[k].quantity;
      weight += (gint64)lines[k].quantity * lines[k].weight_grams;
    }

  stmt = writer_stmt (self, if_new ? STMT_INSERT_ORDER_IF_NEW : STMT_INSERT_ORDER, error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, i++, channel_id);
  bind_text (stmt, i++, order->order_number);
  bind_text (stmt, i++, order->customer_name);
  bind_text (stmt, i++, order->customer_email);
  bind_text (stmt, i++, order->customer_phone);
  bind_text (stmt, i++, order->ship_name);
  bind_text (stmt, i++, order->ship_company);
  bind_text (stmt, i++, order->ship_line1);
  bind_text (stmt, i++, order->ship_line2);
  bind_text (stmt, i++, order->ship_city);
  bind_text (stmt, i++, order->ship_state);
  bind_text (stmt, i++, order->ship_postcode);
  bind_text (stmt, i++, order->ship_country);
  bind_text (stmt, i++, ps_region_for_address (order->ship_country, order->ship_state));
  sqlite3_bind_int (stmt, i++, order->address_issue ? 1 : 0);
  bind_text (stmt, i++, order->address_message);
  bind_text (stmt, i++, ps_enum_to_nick (PS_TYPE_ORDER_STATUS, order->status));
  sqlite3_bind_int (stmt, i++, order->priority);
  bind_text (stmt, i++, order->currency);
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
  bind_text (stmt, i++, order->source_hash);

  if (!_ps_database_step_done (self->db, stmt, error))
    return 0;
  if (if_new && sqlite3_changes (handle) == 0)
    return -1;
  order_id = sqlite3_last_insert_rowid (handle);

  stmt = writer_stmt (self, STMT_INSERT_LINE, error);
  if (stmt == NULL)
    return 0;
  for (guint k = 0; k < n_lines; k++)
    {
      sqlite3_bind_int64 (stmt, 1, order_id);
      sqlite3_bind_int (stmt, 2, (int)k);
      bind_text (stmt, 3, lines[k].sku);
      bind_text (stmt, 4, lines[k].name);
      bind_text (stmt, 5, lines[k].variant);
      sqlite3_bind_int (stmt, 6, lines[k].quantity);
      sqlite3_bind_int64 (stmt, 7, lines[k].unit_price_minor);
      sqlite3_bind_int (stmt, 8, lines[k].weight_grams);
      if (!_ps_database_step_done (self->db, stmt, error))
        return 0;
      if (k == 0 && first_line_id != NULL)
        *first_line_id = sqlite3_last_insert_rowid (handle);
    }

  return order_id;
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
  gint64 channel_id;

  g_return_val_if_fail (order != NULL, 0);
  g_return_val_if_fail (order->order_number != NULL && order->channel_name != NULL, 0);
  g_return_val_if_fail (order->currency != NULL, 0);

  channel_id = ensure_channel (self, order->channel_name, order->channel_kind, error);
  if (channel_id == 0)
    return 0;

  return insert_order (self, order, lines, n_lines, channel_id, FALSE, first_line_id, error);
}

/**
 * ps_order_writer_add_shipment:
 * @self: a #PsOrderWriter
 * @shipment: the shipment's fields
 * @error: return location for an error
 *
 * Inserts a shipment and makes it the order's latest one. A tracking
 * number makes the order searchable by it (the search index re-reads the
 * order).
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

  if (s->tracking_number != NULL && s->tracking_number[0] != '\0' &&
      !mark_search_dirty (self, s->order_id, error))
    return 0;

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

/* Import: insert or update by (channel, order number) */

/* An existing line item, read before the import rewrites its order. */
typedef struct
{
  gint64  id;
  int     position;
  char   *sku;
  char   *name;
  char   *variant;
  int     quantity;
  gint64  unit_price_minor;
  int     weight_grams;
} OldLine;

static void
old_line_clear (gpointer data)
{
  OldLine *line = data;

  g_free (line->sku);
  g_free (line->name);
  g_free (line->variant);
}

/* Exports leave empty cells empty and records may hold "" or NULL for
 * them: both mean "not given". */
static inline const char *
nonempty (const char *s)
{
  return s != NULL && *s != '\0' ? s : NULL;
}

static inline gboolean
text_equal (const unsigned char *stored,
            const char          *value)
{
  return g_strcmp0 (nonempty ((const char *)stored), nonempty (value)) == 0;
}

static void
append_changed (GString    *changed,
                const char *field)
{
  g_string_append (changed, changed->len > 0 ? ",\"" : "\"");
  g_string_append (changed, field);
  g_string_append_c (changed, '"');
}

static gboolean
insert_line (PsOrderWriter       *self,
             gint64               order_id,
             int                  position,
             const PsLineFields  *line,
             GError             **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "INSERT INTO line_items (order_id, position, sku, name, variant, quantity,"
    " unit_price_minor, weight_grams) VALUES (?,?,?,?,?,?,?,?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_int (stmt, 2, position);
  _ps_bind_text (stmt, 3, line->sku);
  _ps_bind_text (stmt, 4, line->name);
  _ps_bind_text (stmt, 5, line->variant);
  sqlite3_bind_int (stmt, 6, line->quantity);
  sqlite3_bind_int64 (stmt, 7, line->unit_price_minor);
  sqlite3_bind_int (stmt, 8, line->weight_grams);
  return _ps_database_step_done (self->db, stmt, error);
}

/* Brings an existing order's line items in line with @lines, matched by
 * position: a changed position is updated in place (its id survives, so
 * return items that point at it stay valid), new positions are inserted,
 * and positions the file no longer has are deleted unless a return refers
 * to them; those stay, as history the merchant recorded. */
static gboolean
sync_lines (PsOrderWriter       *self,
            gint64               order_id,
            const PsLineFields  *lines,
            guint                n_lines,
            gboolean            *changed,
            GError             **error)
{
  g_autoptr(GArray) old = g_array_new (FALSE, TRUE, sizeof (OldLine));
  sqlite3_stmt *stmt;
  guint j = 0;
  int rc;

  g_array_set_clear_func (old, old_line_clear);

  stmt = _ps_database_prepare (self->db,
    "SELECT id, position, sku, name, variant, quantity, unit_price_minor, weight_grams"
    " FROM line_items WHERE order_id = ? ORDER BY position", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OldLine line;

      line.id = sqlite3_column_int64 (stmt, 0);
      line.position = sqlite3_column_int (stmt, 1);
      line.sku = _ps_column_dup (stmt, 2);
      line.name = _ps_column_dup (stmt, 3);
      line.variant = _ps_column_dup (stmt, 4);
      line.quantity = sqlite3_column_int (stmt, 5);
      line.unit_price_minor = sqlite3_column_int64 (stmt, 6);
      line.weight_grams = sqlite3_column_int (stmt, 7);
      g_array_append_val (old, line);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (self->db, error, rc, "read line items");
      return FALSE;
    }

  for (guint k = 0; k < n_lines; k++)
    {
      const PsLineFields *line = &lines[k];
      OldLine *o;

      while (j < old->len && g_array_index (old, OldLine, j).position < (int)k)
        j++;
      o = j < old->len ? &g_array_index (old, OldLine, j) : NULL;

      if (o == NULL || o->position != (int)k)
        {
          if (!insert_line (self, order_id, (int)k, line, error))
            return FALSE;
          *changed = TRUE;
          continue;
        }

      if (text_equal ((const unsigned char *)o->sku, line->sku) &&
          text_equal ((const unsigned char *)o->name, line->name) &&
          text_equal ((const unsigned char *)o->variant, line->variant) &&
          o->quantity == line->quantity &&
          o->unit_price_minor == line->unit_price_minor &&
          o->weight_grams == line->weight_grams)
        continue;

      stmt = _ps_database_prepare (self->db,
        "UPDATE line_items SET sku = ?, name = ?, variant = ?, quantity = ?,"
        " unit_price_minor = ?, weight_grams = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      _ps_bind_text (stmt, 1, line->sku);
      _ps_bind_text (stmt, 2, line->name);
      _ps_bind_text (stmt, 3, line->variant);
      sqlite3_bind_int (stmt, 4, line->quantity);
      sqlite3_bind_int64 (stmt, 5, line->unit_price_minor);
      sqlite3_bind_int (stmt, 6, line->weight_grams);
      sqlite3_bind_int64 (stmt, 7, o->id);
      if (!_ps_database_step_done (self->db, stmt, error))
        return FALSE;
      *changed = TRUE;
    }

  for (guint k = 0; k < old->len; k++)
    {
      const OldLine *o = &g_array_index (old, OldLine, k);

      if (o->position < (int)n_lines)
        continue;

      *changed = TRUE;
      stmt = _ps_database_prepare (self->db,
        "DELETE FROM line_items WHERE id = ?1"
        " AND NOT EXISTS (SELECT 1 FROM return_items WHERE line_item_id = ?1)", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, o->id);
      if (!_ps_database_step_done (self->db, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* Columns read back for an existing order, in this order; the names are
 * what `order.updated` lists as changed. */
enum {
  OLD_ID,
  OLD_HASH,
  OLD_TEXT_FIRST,             /* customer_name ... ship_country */
  OLD_ADDRESS_ISSUE = OLD_TEXT_FIRST + 11,
  OLD_ADDRESS_MESSAGE,
  OLD_CURRENCY,
  OLD_SUBTOTAL,
  OLD_SHIPPING,
  OLD_TAX,
  OLD_TOTAL,
  OLD_CREATED_AT,
  OLD_PAID_AT,
};

static const char * const text_field_names[] = {
  "customer_name", "customer_email", "customer_phone", "ship_name", "ship_company",
  "ship_line1", "ship_line2", "ship_city", "ship_state", "ship_postcode", "ship_country",
};

/* Compares the stored channel fields (the current row of @stmt) with
 * @order and appends the names of those that differ to @changed. */
static void
compare_order (sqlite3_stmt         *stmt,
               const PsOrderFields  *order,
               GString              *changed)
{
  const char *text_values[] = {
    order->customer_name, order->customer_email, order->customer_phone, order->ship_name,
    order->ship_company, order->ship_line1, order->ship_line2, order->ship_city,
    order->ship_state, order->ship_postcode, order->ship_country,
  };
  const struct {
    int         column;
    gint64      value;
    const char *name;
  } numbers[] = {
    { OLD_SUBTOTAL, order->subtotal_minor, "subtotal" },
    { OLD_SHIPPING, order->shipping_minor, "shipping" },
    { OLD_TAX, order->tax_minor, "tax" },
    { OLD_TOTAL, order->total_minor, "total" },
    { OLD_CREATED_AT, order->created_at, "created_at" },
    { OLD_PAID_AT, order->paid_at, "paid_at" },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (text_values) == G_N_ELEMENTS (text_field_names));

  for (guint k = 0; k < G_N_ELEMENTS (text_values); k++)
    if (!text_equal (sqlite3_column_text (stmt, OLD_TEXT_FIRST + (int)k), text_values[k]))
      append_changed (changed, text_field_names[k]);

  if ((sqlite3_column_int (stmt, OLD_ADDRESS_ISSUE) != 0) != (order->address_issue != FALSE) ||
      !text_equal (sqlite3_column_text (stmt, OLD_ADDRESS_MESSAGE), order->address_message))
    append_changed (changed, "address_issue");

  if (!text_equal (sqlite3_column_text (stmt, OLD_CURRENCY), order->currency))
    append_changed (changed, "currency");

  /* NULL times read back as 0, the writer's "not happened". */
  for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
    if (sqlite3_column_int64 (stmt, numbers[k].column) != numbers[k].value)
      append_changed (changed, numbers[k].name);
}

static gboolean
update_order (PsOrderWriter        *self,
              gint64                order_id,
              const PsOrderFields  *order,
              gint64                now,
              GError              **error)
{
  sqlite3_stmt *stmt;

  /* Only channel-controlled columns. Status, priority, hold_until, tags,
   * notes and shipments are the merchant's and are never written here;
   * item count and weight follow the line items as they now are. */
  stmt = _ps_database_prepare (self->db,
    "UPDATE orders SET customer_name = ?1, customer_email = ?2, customer_phone = ?3,"
    " ship_name = ?4, ship_company = ?5, ship_line1 = ?6, ship_line2 = ?7, ship_city = ?8,"
    " ship_state = ?9, ship_postcode = ?10, ship_country = ?11, ship_region = ?12,"
    " address_issue = ?13, address_message = ?14, currency = ?15, subtotal_minor = ?16,"
    " shipping_minor = ?17, tax_minor = ?18, total_minor = ?19, created_at = ?20,"
    " paid_at = ?21,"
    " item_count = (SELECT coalesce (sum (quantity), 0) FROM line_items WHERE order_id = ?22),"
    " weight_grams = (SELECT coalesce (sum (quantity * weight_grams), 0)"
    "                 FROM line_items WHERE order_id = ?22),"
    " updated_at = ?23, source_hash = ?24 WHERE id = ?22", error);
  if (stmt == NULL)
    return FALSE;

  _ps_bind_text (stmt, 1, order->customer_name);
  _ps_bind_text (stmt, 2, order->customer_email);
  _ps_bind_text (stmt, 3, order->customer_phone);
  _ps_bind_text (stmt, 4, order->ship_name);
  _ps_bind_text (stmt, 5, order->ship_company);
  _ps_bind_text (stmt, 6, order->ship_line1);
  _ps_bind_text (stmt, 7, order->ship_line2);
  _ps_bind_text (stmt, 8, order->ship_city);
  _ps_bind_text (stmt, 9, order->ship_state);
  _ps_bind_text (stmt, 10, order->ship_postcode);
  _ps_bind_text (stmt, 11, order->ship_country);
  _ps_bind_text (stmt, 12, ps_region_for_address (order->ship_country, order->ship_state));
  sqlite3_bind_int (stmt, 13, order->address_issue ? 1 : 0);
  _ps_bind_text (stmt, 14, order->address_message);
  _ps_bind_text (stmt, 15, order->currency);
  sqlite3_bind_int64 (stmt, 16, order->subtotal_minor);
  sqlite3_bind_int64 (stmt, 17, order->shipping_minor);
  sqlite3_bind_int64 (stmt, 18, order->tax_minor);
  sqlite3_bind_int64 (stmt, 19, order->total_minor);
  sqlite3_bind_int64 (stmt, 20, order->created_at);
  _ps_bind_time (stmt, 21, order->paid_at);
  sqlite3_bind_int64 (stmt, 22, order_id);
  sqlite3_bind_int64 (stmt, 23, now);
  _ps_bind_text (stmt, 24, order->source_hash);
  return _ps_database_step_done (self->db, stmt, error);
}

static gboolean
set_source_hash (PsOrderWriter  *self,
                 gint64          order_id,
                 const char     *source_hash,
                 gint64          updated_at,
                 GError        **error)
{
  sqlite3_stmt *stmt;

  stmt = _ps_database_prepare (self->db,
    "UPDATE orders SET source_hash = ?1, updated_at = max (updated_at, ?2) WHERE id = ?3",
    error);
  if (stmt == NULL)
    return FALSE;
  _ps_bind_text (stmt, 1, source_hash);
  sqlite3_bind_int64 (stmt, 2, updated_at);
  sqlite3_bind_int64 (stmt, 3, order_id);
  return _ps_database_step_done (self->db, stmt, error);
}

static gboolean
add_tracking (PsOrderWriter           *self,
              gint64                   order_id,
              const PsOrderFields     *order,
              const PsTrackingFields  *tracking,
              guint                    n_tracking,
              gint64                   now,
              guint                   *n_created,
              GError                 **error)
{
  /* The export does not say when the parcel was handed over; payment (or
   * the order) is the closest time it gives. */
  gint64 label_time = order->paid_at ? order->paid_at : order->created_at ? order->created_at : now;

  for (guint k = 0; k < n_tracking; k++)
    {
      gboolean created = FALSE;

      if (nonempty (tracking[k].tracking_number) == NULL)
        continue;
      if (ps_order_writer_add_imported_shipment (self, order_id, tracking[k].carrier,
                                                 tracking[k].tracking_number, label_time,
                                                 &created, error) == 0)
        return FALSE;
      if (created)
        (*n_created)++;
    }
  return TRUE;
}

/**
 * ps_order_writer_flush:
 * @self: a #PsOrderWriter
 * @error: return location for an error
 *
 * Writes what the writer deferred: the `order.imported` events of orders
 * ps_order_writer_import_order() created. Call it before committing (and
 * as often as convenient: a bulk import flushes per batch). After a
 * rollback, just free the writer; nothing is written then.
 *
 * Worker thread only.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_order_writer_flush (PsOrderWriter  *self,
                       GError        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (self != NULL, FALSE);

  if (self->pending_first == 0)
    return TRUE;

  stmt = writer_stmt (self, STMT_INSERT_IMPORTED_EVENTS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, self->pending_time);
  sqlite3_bind_int64 (stmt, 2, self->pending_first);
  sqlite3_bind_int64 (stmt, 3, self->pending_last);
  self->pending_first = self->pending_last = 0;
  return _ps_database_step_done (self->db, stmt, error);
}

/* Defers the order.imported event of @order_id, new at @now. */
static gboolean
defer_imported_event (PsOrderWriter  *self,
                      gint64          order_id,
                      gint64          now,
                      GError        **error)
{
  if (self->pending_first != 0 &&
      (order_id != self->pending_last + 1 || now != self->pending_time))
    {
      if (!ps_order_writer_flush (self, error))
        return FALSE;
    }

  if (self->pending_first == 0)
    {
      self->pending_first = order_id;
      self->pending_time = now;
    }
  self->pending_last = order_id;
  return TRUE;
}

/**
 * ps_order_writer_import_order:
 * @self: a #PsOrderWriter
 * @order: the order as the export has it; @order->source_hash (required)
 *   is the record's hash, @order->imported_at the import's time
 * @lines: (array length=n_lines): its line items, in file order
 * @n_lines: number of @lines
 * @tracking: (array length=n_tracking) (nullable): tracking numbers in the
 *   export, each becoming a shipment unless the order has one with that
 *   number already
 * @n_tracking: number of @tracking
 * @order_id: (out) (optional): the order's id
 * @n_shipments_created: (out) (optional): shipments added
 * @error: return location for an error
 *
 * Inserts or updates an order keyed by its channel (by name, created when
 * new) and order number, so that importing the same or an overlapping
 * export twice never duplicates anything:
 *
 * - a new order is inserted with @order->status and an `order.imported`
 *   event (written by ps_order_writer_flush(), which must run before the
 *   transaction commits);
 * - an order whose stored source hash equals @order->source_hash is left
 *   alone (%PS_UPSERT_UNCHANGED, nothing written);
 * - otherwise the channel-controlled columns (customer, ship-to address,
 *   money, dates) and the line items are rewritten and an `order.updated`
 *   event lists what changed, e.g. `{"changed": ["total", "ship_city"]}`
 *   (also "line_items", "tracking_numbers"). Status, priority, hold,
 *   tags, notes and existing shipments belong to the merchant and are
 *   never touched; a hash change that changes no stored value only
 *   records the new hash (%PS_UPSERT_UNCHANGED).
 *
 * A merchant's edit of a channel field (say, a corrected address) is kept
 * until the channel's own copy of that order changes.
 *
 * Worker thread only, inside the caller's transaction.
 *
 * Returns: what was done, %PS_UPSERT_ERROR with @error set on failure
 */
PsUpsertResult
ps_order_writer_import_order (PsOrderWriter           *self,
                              const PsOrderFields     *order,
                              const PsLineFields      *lines,
                              guint                    n_lines,
                              const PsTrackingFields  *tracking,
                              guint                    n_tracking,
                              gint64                  *order_id,
                              guint                   *n_shipments_created,
                              GError                 **error)
{
  g_autoptr(GString) changed = NULL;
  g_autofree char *data = NULL;
  sqlite3_stmt *stmt;
  gint64 channel_id, id, now;
  guint n_created = 0;
  gboolean lines_changed = FALSE;
  gboolean search_changed;
  int rc;

  g_return_val_if_fail (self != NULL, PS_UPSERT_ERROR);
  g_return_val_if_fail (order != NULL && order->source_hash != NULL, PS_UPSERT_ERROR);
  g_return_val_if_fail (order->order_number != NULL && order->channel_name != NULL,
                        PS_UPSERT_ERROR);
  g_return_val_if_fail (order->currency != NULL, PS_UPSERT_ERROR);
  g_return_val_if_fail (n_tracking == 0 || tracking != NULL, PS_UPSERT_ERROR);

  now = order->imported_at ? order->imported_at : self->now;
  if (n_shipments_created != NULL)
    *n_shipments_created = 0;

  channel_id = ensure_channel (self, order->channel_name, order->channel_kind, error);
  if (channel_id == 0)
    return PS_UPSERT_ERROR;

  id = insert_order (self, order, lines, n_lines, channel_id, TRUE, NULL, error);
  if (id == 0)
    return PS_UPSERT_ERROR;
  if (id > 0)
    {
      if (!defer_imported_event (self, id, now, error) ||
          !add_tracking (self, id, order, tracking, n_tracking, now, &n_created, error))
        return PS_UPSERT_ERROR;

      if (order_id != NULL)
        *order_id = id;
      if (n_shipments_created != NULL)
        *n_shipments_created = n_created;
      return PS_UPSERT_CREATED;
    }

  /* It exists: compare with what is stored. */
  stmt = writer_stmt (self, STMT_LOOKUP_ORDER, error);
  if (stmt == NULL)
    return PS_UPSERT_ERROR;
  sqlite3_bind_int64 (stmt, 1, channel_id);
  sqlite3_bind_text (stmt, 2, order->order_number, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);

  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, PS_STORE_ERROR, PS_STORE_ERROR_SQL, "Order %s vanished",
                     order->order_number);
      else
        _ps_database_set_error (self->db, error, rc, "look up order");
      sqlite3_reset (stmt);
      return PS_UPSERT_ERROR;
    }

  id = sqlite3_column_int64 (stmt, OLD_ID);
  if (order_id != NULL)
    *order_id = id;
  if (g_strcmp0 ((const char *)sqlite3_column_text (stmt, OLD_HASH), order->source_hash) == 0)
    {
      sqlite3_reset (stmt);
      return PS_UPSERT_UNCHANGED;
    }

  changed = g_string_new (NULL);
  compare_order (stmt, order, changed);
  /* What order_search holds of the order: its number (the key, never
   * changed), customer name and email, line items, tracking numbers. */
  search_changed = !text_equal (sqlite3_column_text (stmt, OLD_TEXT_FIRST), order->customer_name) ||
                   !text_equal (sqlite3_column_text (stmt, OLD_TEXT_FIRST + 1),
                                order->customer_email);
  sqlite3_reset (stmt);

  if (!sync_lines (self, id, lines, n_lines, &lines_changed, error))
    return PS_UPSERT_ERROR;
  if (lines_changed)
    append_changed (changed, "line_items");
  if ((search_changed || lines_changed) && !mark_search_dirty (self, id, error))
    return PS_UPSERT_ERROR;

  if (changed->len > 0)
    {
      if (!update_order (self, id, order, now, error))
        return PS_UPSERT_ERROR;
    }

  if (!add_tracking (self, id, order, tracking, n_tracking, now, &n_created, error))
    return PS_UPSERT_ERROR;
  if (n_created > 0)
    append_changed (changed, "tracking_numbers");
  if (n_shipments_created != NULL)
    *n_shipments_created = n_created;

  if (changed->len == 0)
    {
      /* The hash covers something no column stores (the file's status,
       * say): remember it so the next import takes the fast path. */
      return set_source_hash (self, id, order->source_hash, 0, error)
             ? PS_UPSERT_UNCHANGED : PS_UPSERT_ERROR;
    }

  if (!set_source_hash (self, id, order->source_hash, now, error))
    return PS_UPSERT_ERROR;

  data = g_strdup_printf ("{\"changed\":[%s]}", changed->str);
  if (ps_order_writer_add_event (self, PS_EVENT_TYPE_ORDER_UPDATED, now, id, 0, 0,
                                 "import", data, error) == 0)
    return PS_UPSERT_ERROR;

  return PS_UPSERT_UPDATED;
}

/**
 * ps_order_writer_add_imported_shipment:
 * @self: a #PsOrderWriter
 * @order_id: the order
 * @carrier: (nullable): the carrier id detected from the number; %NULL
 *   stores "unknown"
 * @tracking_number: the (normalized) tracking number
 * @label_created_at: when the label was made, as far as the export tells
 * @created: (out) (optional): whether a shipment was inserted
 * @error: return location for an error
 *
 * Adds a shipment for a tracking number found in an export, unless the
 * order already has a shipment (even a voided one) with that number: the
 * merchant's own shipments and earlier imports are never duplicated. The
 * service is "unknown" and the tracking status `unknown` rather than
 * `pre_transit`, so an old fulfilled order does not show up as a late
 * handoff; the tracking poller is due at once (next_track_at = now).
 *
 * Worker thread only. The existing `shipments_order` index serves the
 * lookup.
 *
 * Returns: the shipment's id (existing or new), 0 on error
 */
gint64
ps_order_writer_add_imported_shipment (PsOrderWriter  *self,
                                       gint64          order_id,
                                       const char     *carrier,
                                       const char     *tracking_number,
                                       gint64          label_created_at,
                                       gboolean       *created,
                                       GError        **error)
{
  PsShipmentFields s = { 0 };
  sqlite3_stmt *stmt;
  gint64 existing = 0;
  gint64 id;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (order_id > 0, 0);
  g_return_val_if_fail (tracking_number != NULL, 0);

  if (created != NULL)
    *created = FALSE;

  stmt = _ps_database_prepare (self->db,
    "SELECT id FROM shipments WHERE order_id = ? AND tracking_number = ? LIMIT 1", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, order_id);
  sqlite3_bind_text (stmt, 2, tracking_number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    existing = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (existing != 0)
    return existing;

  s.order_id = order_id;
  s.carrier = carrier != NULL ? carrier : "unknown";
  s.service = "unknown";
  s.tracking_number = tracking_number;
  s.tracking_status = PS_TRACKING_STATUS_UNKNOWN;
  s.exception_reason = PS_EXCEPTION_REASON_NONE;
  s.label_created_at = label_created_at;
  s.next_track_at = self->now;

  id = ps_order_writer_add_shipment (self, &s, error);
  if (id != 0 && created != NULL)
    *created = TRUE;
  return id;
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

  /* Events deferred by an import go first, so ids follow time. */
  if (!ps_order_writer_flush (self, error))
    return 0;

  stmt = writer_stmt (self, STMT_INSERT_EVENT, error);
  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, ps_enum_to_nick (PS_TYPE_EVENT_TYPE, type));
  sqlite3_bind_int64 (stmt, 2, occurred_at);
  bind_id (stmt, 3, order_id);
  bind_id (stmt, 4, shipment_id);
  bind_id (stmt, 5, return_id);
  bind_text (stmt, 6, actor);
  bind_text (stmt, 7, data_json);
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
 * accounts and settings. This is "Start with an empty database". The
 * search index is emptied too.
 *
 * Returns: %TRUE on success
 */
gboolean
ps_order_writer_purge (PsOrderWriter  *self,
                       GError        **error)
{
  g_hash_table_remove_all (self->channels);
  g_hash_table_remove_all (self->tags);

  if (!_ps_order_search_reset (self->db, error))
    return FALSE;
  self->search_indexed_to = 0;

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
