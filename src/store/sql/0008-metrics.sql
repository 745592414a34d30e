-- 0008-metrics.sql: daily roll-ups for the dashboard (docs/METRICS.md).
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Plain SQL over a million shipments reads ~700,000 shipment rows (a
-- period and the one before it) several times, and joins each to its
-- order and its tracking history: seconds, not the 250 ms the dashboard
-- has. So the dashboard reads these per-day sums instead, a few hundred
-- rows a day, and src/store/ps-metrics-store.c keeps them right:
--
--  * a day is a local day of the merchant's time zone; `day` is the UTC
--    Unix time of its local midnight. meta 'metrics_tz' names the zone the
--    rows were cut in; another zone rebuilds everything;
--  * before each computation the store rebuilds only the days touched
--    since the last one: days of shipments and orders added since then
--    (ids above meta 'metrics_max_shipment' / 'metrics_max_order') and
--    the days of the orders and shipments named by events added since
--    then (ids above 'metrics_max_event'). Every change of a shipment or
--    an order writes an event (label.created, label.voided,
--    tracking.status_changed, shipment.delivered, order.*), so nothing is
--    missed; a day is rebuilt whole, inside one transaction, from the
--    base tables, so a rebuild is always as right as a fresh one.
--
-- Nothing but the metrics store writes these tables; deleting their rows
-- (and the meta keys) only makes the next computation rebuild them.

-- Shipments whose label was bought on `day`, voided ones left out.
CREATE TABLE metrics_ship_days (
  day           INTEGER NOT NULL,
  channel_id    INTEGER NOT NULL,
  carrier       TEXT NOT NULL,
  service       TEXT NOT NULL,
  region        TEXT NOT NULL,
  currency      TEXT NOT NULL,        -- '' when the label has no rate
  shipments     INTEGER NOT NULL,
  exceptions    INTEGER NOT NULL,     -- ever had an exception
  delivered     INTEGER NOT NULL,
  on_time       INTEGER NOT NULL,     -- delivered_at <= estimated_delivery_at
  no_estimate   INTEGER NOT NULL,     -- delivered without an estimate
  cost_n        INTEGER NOT NULL,     -- labels with a rate
  cost_sum      INTEGER NOT NULL,     -- minor units of `currency`
  scanned       INTEGER NOT NULL,     -- labels with a first scan
  scan_seconds  INTEGER NOT NULL,     -- sum of first_scan_at - label_created_at
  -- label-to-first-scan hours: [0,4) [4,8) [8,12) [12,24) [24,36) [36,48)
  -- [48,72) [72,96) [96,∞)
  h0 INTEGER NOT NULL, h1 INTEGER NOT NULL, h2 INTEGER NOT NULL,
  h3 INTEGER NOT NULL, h4 INTEGER NOT NULL, h5 INTEGER NOT NULL,
  h6 INTEGER NOT NULL, h7 INTEGER NOT NULL, h8 INTEGER NOT NULL,
  PRIMARY KEY (day, channel_id, carrier, service, region, currency)
) WITHOUT ROWID;

-- Orders placed on `day`.
CREATE TABLE metrics_order_days (
  day        INTEGER NOT NULL,
  channel_id INTEGER NOT NULL,
  orders     INTEGER NOT NULL,
  PRIMARY KEY (day, channel_id)
) WITHOUT ROWID;

-- Rebuilding a day asks, per shipment, whether it ever had an exception:
-- this index holds only those tracking events (a few percent).
CREATE INDEX tracking_events_exception ON tracking_events (shipment_id)
  WHERE status = 'exception';

-- "Start with an empty database" (ps_order_writer_purge) deletes every
-- order and then every channel, and ids start again from 1, so the
-- watermarks above would lie: deleting a channel forgets the roll-ups.
CREATE TRIGGER metrics_forget_on_purge AFTER DELETE ON channels
BEGIN
  DELETE FROM metrics_ship_days;
  DELETE FROM metrics_order_days;
  DELETE FROM meta WHERE key GLOB 'metrics_*';
END;
