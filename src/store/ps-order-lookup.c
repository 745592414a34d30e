/* ps-order-lookup.c
 *
 * Copyright 2026 The Postsale authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two small queries for the shipping commands of postsale-cli:
 *
 * - an order by the number the merchant reads on the shop's page. Numbers
 *   are unique per channel only (UNIQUE (channel_id, order_number)), so a
 *   number can name several orders; the caller lists the channels and asks
 *   which. Shopify writes "#1001" and merchants often type "1001": when the
 *   number as given matches nothing, the form with (or without) the "#"
 *   is tried. Served by the orders_number index.
 * - shipments by id or by tracking number (shipments_tracking_number),
 *   with their order, for voiding a label and for telling a voided
 *   purchase from a live one.
 * - the shipments whose label was bought in a time range (a local day),
 *   for the end-of-day handoff sheet. Served by shipments_label_created.
 *
 * Every function here runs on the database worker.
 */

#define G_LOG_DOMAIN "ps-order-lookup"

#include "config.h"

#include "ps-database-private.h"
#include "ps-order-lookup.h"

/**
 * ps_order_match_clear:
 * @self: a match
 *
 * Frees what @self holds (a #GArray clear function).
 */
void
ps_order_match_clear (PsOrderMatch *self)
{
  g_clear_pointer (&self->order_number, g_free);
  g_clear_pointer (&self->channel, g_free);
}

/**
 * ps_handoff_row_free:
 * @self: (nullable): a row
 */
void
ps_handoff_row_free (PsHandoffRow *self)
{
  if (self == NULL)
    return;
  g_free (self->carrier);
  g_free (self->service);
  g_free (self->tracking_number);
  g_free (self->order_number);
  g_free (self);
}

/**
 * ps_shipment_match_free:
 * @self: (nullable): a match
 */
void
ps_shipment_match_free (PsShipmentMatch *self)
{
  if (self == NULL)
    return;
  g_free (self->order_number);
  g_free (self->order_status);
  g_free (self->carrier);
  g_free (self->service);
  g_free (self->tracking_number);
  g_free (self);
}

static gboolean
collect_matches (PsDatabase  *database,
                 const char  *number,
                 const char  *channel,
                 GArray      *matches,
                 GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* The channel is matched by its name or its kind ("shopify"), so
   * --channel works with what `orders` prints and with the kind. */
  stmt = _ps_database_prepare (database,
    "SELECT o.id, o.order_number, c.name FROM orders o"
    " JOIN channels c ON c.id = o.channel_id"
    " WHERE o.order_number = ?1"
    "   AND (?2 IS NULL OR c.name = ?2 COLLATE NOCASE OR c.kind = ?2 COLLATE NOCASE)"
    " ORDER BY c.name COLLATE NOCASE, o.id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, number, -1, SQLITE_STATIC);
  _ps_bind_text (stmt, 2, channel);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsOrderMatch match;

      match.order_id = sqlite3_column_int64 (stmt, 0);
      match.order_number = _ps_column_dup (stmt, 1);
      match.channel = _ps_column_dup (stmt, 2);
      g_array_append_val (matches, match);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "look up the order number");
      return FALSE;
    }
  return TRUE;
}

/**
 * ps_order_lookup_by_number_sync:
 * @database: a #PsDatabase
 * @number: the order number as the shop wrote it ("#1001", "3110726790")
 * @channel: (nullable): only orders of this channel (name or kind,
 *   case-insensitive)
 * @matches: (out) (transfer full) (element-type PsOrderMatch): every order
 *   with that number, by channel name; empty when there is none
 * @error: return location for an error
 *
 * Looks orders up by number. When @number matches nothing, the number
 * with a leading "#" added (or removed) is tried, so "1001" finds
 * Shopify's "#1001".
 *
 * Worker thread only.
 *
 * Returns: %TRUE unless the query failed
 */
gboolean
ps_order_lookup_by_number_sync (PsDatabase  *database,
                                const char  *number,
                                const char  *channel,
                                GArray     **matches,
                                GError     **error)
{
  g_autoptr(GArray) found = NULL;
  g_autofree char *other = NULL;

  g_return_val_if_fail (PS_IS_DATABASE (database), FALSE);
  g_return_val_if_fail (number != NULL, FALSE);
  g_return_val_if_fail (matches != NULL, FALSE);

  found = g_array_new (FALSE, TRUE, sizeof (PsOrderMatch));
  g_array_set_clear_func (found, (GDestroyNotify)ps_order_match_clear);

  if (!collect_matches (database, number, channel, found, error))
    return FALSE;

  if (found->len == 0 && *number != '\0')
    {
      other = number[0] == '#' ? g_strdup (number + 1) : g_strconcat ("#", number, NULL);
      if (*other != '\0' && !collect_matches (database, other, channel, found, error))
        return FALSE;
    }

  *matches = g_steal_pointer (&found);
  return TRUE;
}

/**
 * ps_order_lookup_shipments_sync:
 * @database: a #PsDatabase
 * @shipment_id: a shipment id, or 0 to look up @tracking_number
 * @tracking_number: (nullable): a tracking number, exactly as stored
 * @error: return location for an error
 *
 * The shipment with that id, or every shipment with that tracking number
 * (normally one; a reused number gives more), voided ones included.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsShipmentMatch) (nullable): the
 *   shipments, empty when there is none; %NULL on error
 */
GPtrArray *
ps_order_lookup_shipments_sync (PsDatabase  *database,
                                gint64       shipment_id,
                                const char  *tracking_number,
                                GError     **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);
  g_return_val_if_fail (shipment_id != 0 || tracking_number != NULL, NULL);

  stmt = _ps_database_prepare (database,
    "SELECT s.id, s.order_id, o.order_number, o.status, s.carrier, s.service,"
    " s.tracking_number, COALESCE (s.voided_at, 0)"
    " FROM shipments s JOIN orders o ON o.id = s.order_id"
    " WHERE (?1 <> 0 AND s.id = ?1) OR (?1 = 0 AND s.tracking_number = ?2)"
    " ORDER BY s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, shipment_id);
  _ps_bind_text (stmt, 2, tracking_number);

  found = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_shipment_match_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsShipmentMatch *match = g_new0 (PsShipmentMatch, 1);

      match->shipment_id = sqlite3_column_int64 (stmt, 0);
      match->order_id = sqlite3_column_int64 (stmt, 1);
      match->order_number = _ps_column_dup (stmt, 2);
      match->order_status = _ps_column_dup (stmt, 3);
      match->carrier = _ps_column_dup (stmt, 4);
      match->service = _ps_column_dup (stmt, 5);
      match->tracking_number = _ps_column_dup (stmt, 6);
      match->voided_at = sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (found, match);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "look up the shipment");
      return NULL;
    }
  return g_steal_pointer (&found);
}

/**
 * ps_order_lookup_handoff_sync:
 * @database: a #PsDatabase
 * @from: the first second, UTC Unix seconds (a local midnight)
 * @to: the end, exclusive
 * @error: return location for an error
 *
 * The shipments, not voided and with a tracking number, whose label was
 * created in [@from, @to), by carrier then time: what the driver takes
 * that day.
 *
 * Worker thread only.
 *
 * Returns: (transfer full) (element-type PsHandoffRow) (nullable): the
 *   rows, %NULL on error
 */
GPtrArray *
ps_order_lookup_handoff_sync (PsDatabase  *database,
                              gint64       from,
                              gint64       to,
                              GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (PS_IS_DATABASE (database), NULL);

  stmt = _ps_database_prepare (database,
    "SELECT s.id, s.carrier, s.service, s.tracking_number, COALESCE (s.weight_grams, 0),"
    " o.order_number, s.label_created_at"
    " FROM shipments s JOIN orders o ON o.id = s.order_id"
    " WHERE s.label_created_at >= ?1 AND s.label_created_at < ?2"
    "   AND s.voided_at IS NULL AND s.tracking_number IS NOT NULL AND s.tracking_number <> ''"
    " ORDER BY s.carrier, s.label_created_at, s.id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, from);
  sqlite3_bind_int64 (stmt, 2, to);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)ps_handoff_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      PsHandoffRow *row = g_new0 (PsHandoffRow, 1);

      row->shipment_id = sqlite3_column_int64 (stmt, 0);
      row->carrier = _ps_column_dup (stmt, 1);
      row->service = _ps_column_dup (stmt, 2);
      row->tracking_number = _ps_column_dup (stmt, 3);
      row->weight_grams = sqlite3_column_int64 (stmt, 4);
      row->order_number = _ps_column_dup (stmt, 5);
      row->label_created_at = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _ps_database_set_error (database, error, rc, "read the day's shipments");
      return NULL;
    }
  return g_steal_pointer (&rows);
}
