-- 0003-search.sql: full-text search over orders (the Orders page's
-- search-as-you-type, postsale-cli orders --search).
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- order_search holds one row per order, rowid = orders.id, with the text a
-- merchant types to find it: the order number; the customer's name and
-- email; the SKUs, product names and variants of its line items; the
-- tracking numbers of its shipments. ps-order-search.c writes it (its
-- SEARCH_TABLE_SQL must stay the same as this statement) and builds every
-- query: each typed word is one quoted prefix phrase, so input is never
-- FTS5 syntax.
--
--   unicode61 remove_diacritics 2  "Zoë" and "zoe", "Müller" and "muller"
--                                  match; punctuation separates tokens
--                                  ("sofia.miller@inbox.example" is four)
--   prefix = '1'                   an extra index of one-character prefixes:
--                                  a single typed letter reads one doclist
--                                  (18 ms for 580,000 of 1M demo orders
--                                  instead of 113 ms merging every term);
--                                  building the whole index takes 11.8 s
--                                  instead of 9.5 s (sqlite3 shell)
--   columnsize = 0                 no per-row token counts: nothing ranks
--   detail = full (the default)    positions, so a typed "lant-led" is a
--                                  phrase; detail=column cannot answer
--                                  phrases of two tokens, and saves only
--                                  13 % of the index here
--
-- This migration indexes nothing (it runs before the window opens). The
-- catch-up (ps_order_search_catch_up_sync) indexes what is pending, in
-- small transactions on the database worker:
--   * every order with an id above meta 'search_indexed_to' (the
--     watermark: new orders, so an import pays nothing for search);
--   * every order in search_dirty: an indexed order whose searchable text
--     changed (a re-import renamed the customer, a shipment added a
--     tracking number). PsOrderWriter marks them.
-- A search first finishes the catch-up, so it never misses an order.
CREATE VIRTUAL TABLE order_search USING fts5 (
  number, customer, items, tracking,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1',
  columnsize = 0
);

CREATE TABLE search_dirty (
  order_id INTEGER PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('search_indexed_to', '0')
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
