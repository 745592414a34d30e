-- 0002-filters.sql: the built-in saved filters, and the indexes that keep
-- their counts and every list sort fast on a million orders.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Definitions are the condition language (src/core/ps-condition.h) as
-- ps_condition_to_string() writes it. Built-in filters are read-only in
-- PsFilterStore (duplicate one to change it), so a later migration may
-- correct them. Names are what the sidebar shows.
--
--   Awaiting shipment    paid, nothing shipped yet
--   Ready to ship        label bought, parcel not scanned yet
--   Late handoff         a label older than 2 business days (in the
--                        merchant's time zone) that the carrier has not
--                        scanned: still pre_transit
--   Exceptions           the order is in exception, or a shipment is in
--                        exception or on its way back
--   Address issues       the ship-to address failed validation and the
--                        order can still be fixed before it leaves
--                        (unpaid, awaiting shipment, on hold or label
--                        bought); carrier address exceptions are under
--                        Exceptions
--   High complexity      4 or more items to pick and pack
--   Delivered this week  delivered in the last 7 days (a rolling week, so
--                        the view does not empty itself every Monday and
--                        needs no calendar in the condition language)

INSERT INTO saved_filters (name, definition, builtin, position, created_at, updated_at)
VALUES
  ('Awaiting shipment',
   '{"all":[{"field":"status","op":"is","value":"awaiting_shipment"}]}',
   1, 0, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('Ready to ship',
   '{"all":[{"field":"status","op":"is","value":"ready_to_ship"}]}',
   1, 1, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('Late handoff',
   '{"all":[{"field":"label_created_at","op":"older_than_business_days","value":2},{"field":"tracking_status","op":"is","value":"pre_transit"}]}',
   1, 2, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('Exceptions',
   '{"any":[{"field":"status","op":"is","value":"exception"},{"field":"tracking_status","op":"in","value":["exception","return_to_sender"]}]}',
   1, 3, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('Address issues',
   '{"all":[{"field":"address_issue","op":"is","value":true},{"field":"status","op":"in","value":["awaiting_payment","awaiting_shipment","on_hold","ready_to_ship"]}]}',
   1, 4, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('High complexity',
   '{"all":[{"field":"item_count","op":"gt","value":3}]}',
   1, 5, strftime ('%s', 'now'), strftime ('%s', 'now')),
  ('Delivered this week',
   '{"all":[{"field":"delivered_at","op":"within_days","value":7}]}',
   1, 6, strftime ('%s', 'now'), strftime ('%s', 'now'));

-- Each list sort reads the ids in the order of one index and sorts nothing
-- (ps-order-store.c, sort_sql()): about 50 ms for a million ids with an
-- index, 0.3 to 1.2 s of table scan and sort without. Created, channel
-- (the unique key), destination and status had theirs in 0001.
CREATE INDEX orders_number ON orders (order_number);
CREATE INDEX orders_customer ON orders (customer_name COLLATE NOCASE);
CREATE INDEX orders_total ON orders (total_minor);
-- Also "High complexity" (item_count > 3): 2 ms instead of a 140 ms scan.
CREATE INDEX orders_item_count ON orders (item_count);
-- "Delivered this week" and other delivered_at ranges, read as
-- (delivered_at, order_id) without touching the shipments table: 33 ms
-- instead of a 130 ms scan on a million orders.
CREATE INDEX shipments_delivered ON shipments (delivered_at, order_id)
  WHERE voided_at IS NULL AND delivered_at IS NOT NULL;
