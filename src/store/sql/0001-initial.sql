-- 0001-initial.sql: the first Postsale schema.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Conventions (STYLE.md 3.8):
--   * times are INTEGER UTC Unix seconds, NULL when the thing has not happened;
--   * money is INTEGER minor units with a TEXT ISO 4217 currency next to it;
--   * enums are TEXT nicks from src/core/ps-enums.h, never integers;
--   * rule, filter and event payloads are JSON text;
--   * secrets (carrier keys, SMTP password) are never stored here.
-- Each index says which query needs it. This file runs inside one
-- transaction; PsDatabase sets PRAGMA user_version = 1 after it.

-- Key/value facts about the database itself ('demo' = '1' while it holds
-- generated demo data, 'created_at', the demo seed...).
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

-- Sales channels. kind is a PsChannelKind nick; name is what the merchant
-- sees and may be their own ("Saturday market").
CREATE TABLE channels (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
);

-- The merchant's own addresses: ship-from and return addresses chosen in
-- Preferences. Customer ship-to addresses live on the order itself (below),
-- because lists and filters read them for every row.
CREATE TABLE addresses (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('ship_from', 'return')),
  label      TEXT NOT NULL,
  name       TEXT,
  company    TEXT,
  line1      TEXT NOT NULL,
  line2      TEXT,
  city       TEXT NOT NULL,
  state      TEXT,
  postcode   TEXT,
  country    TEXT NOT NULL,
  phone      TEXT,
  email      TEXT,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE orders (
  id             INTEGER PRIMARY KEY,
  channel_id     INTEGER NOT NULL REFERENCES channels (id),
  order_number   TEXT NOT NULL,
  customer_name  TEXT,
  customer_email TEXT,
  customer_phone TEXT,
  -- ship-to address, inline; ship_region is ps_region_for_address() of it,
  -- kept so the dashboard can group by region in SQL.
  ship_name      TEXT,
  ship_company   TEXT,
  ship_line1     TEXT,
  ship_line2     TEXT,
  ship_city      TEXT,
  ship_state     TEXT,
  ship_postcode  TEXT,
  ship_country   TEXT,
  ship_region    TEXT,
  -- 1 when offline validation failed; address_message says why.
  address_issue   INTEGER NOT NULL DEFAULT 0,
  address_message TEXT,
  status         TEXT NOT NULL DEFAULT 'awaiting_shipment',
  priority       INTEGER NOT NULL DEFAULT 0,      -- 0 normal, 1 high
  hold_until     INTEGER,
  currency       TEXT NOT NULL,
  subtotal_minor INTEGER NOT NULL DEFAULT 0,
  shipping_minor INTEGER NOT NULL DEFAULT 0,
  tax_minor      INTEGER NOT NULL DEFAULT 0,
  total_minor    INTEGER NOT NULL DEFAULT 0,
  -- sum of line item quantities and weights, kept by the writer so lists,
  -- "4 or more items" filters and sorting need no join.
  item_count     INTEGER NOT NULL DEFAULT 0,
  weight_grams   INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,                -- placed on the channel
  paid_at        INTEGER,
  imported_at    INTEGER,
  updated_at     INTEGER NOT NULL,
  -- hash of the channel's fields at the last import: a re-import compares
  -- it to tell "updated" from "unchanged" without reading every column.
  source_hash    TEXT,
  -- id of the order's most recent non-voided shipment, kept by the writer so
  -- the list shows carrier and tracking status with a primary-key lookup.
  last_shipment_id INTEGER,
  UNIQUE (channel_id, order_number)
);
-- Default list order and date ranges (open the app, "within the last N days").
CREATE INDEX orders_created ON orders (created_at);
-- Sidebar counts per status ("Awaiting shipment", "Exceptions").
CREATE INDEX orders_status_created ON orders (status, created_at);
-- Dashboard and filters by destination.
CREATE INDEX orders_country_state ON orders (ship_country, ship_state);
-- Search and customer lookups.
CREATE INDEX orders_email ON orders (customer_email);
CREATE INDEX orders_address_issue ON orders (address_issue) WHERE address_issue = 1;

CREATE TABLE line_items (
  id               INTEGER PRIMARY KEY,
  order_id         INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  sku              TEXT,
  name             TEXT NOT NULL,
  variant          TEXT,
  quantity         INTEGER NOT NULL CHECK (quantity > 0),
  unit_price_minor INTEGER NOT NULL DEFAULT 0,
  weight_grams     INTEGER NOT NULL DEFAULT 0,
  UNIQUE (order_id, position)
);
-- "SKU is …" filters and returns-by-product.
CREATE INDEX line_items_sku ON line_items (sku);

-- Shipments: an order may have several (split shipments).
CREATE TABLE shipments (
  id                    INTEGER PRIMARY KEY,
  order_id              INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  carrier               TEXT NOT NULL,    -- carrier id, e.g. 'ups'
  service               TEXT NOT NULL,    -- service code, e.g. 'ground'
  carrier_shipment_id   TEXT,             -- the carrier's own id (EasyPost shp_…)
  tracking_number       TEXT,
  tracking_status       TEXT NOT NULL DEFAULT 'unknown',
  exception_reason      TEXT,             -- set while tracking_status = 'exception'
  currency              TEXT,
  rate_minor            INTEGER,
  weight_grams          INTEGER,
  length_mm             INTEGER,
  width_mm              INTEGER,
  height_mm             INTEGER,
  label_created_at      INTEGER,
  first_scan_at         INTEGER,
  estimated_delivery_at INTEGER,
  delivered_at          INTEGER,
  voided_at             INTEGER,
  last_tracked_at       INTEGER,
  next_track_at         INTEGER,          -- when the poller should look again
  created_at            INTEGER NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_tracking_number ON shipments (tracking_number);
-- Dashboard: shipments per day, cost per service over time.
CREATE INDEX shipments_label_created ON shipments (label_created_at);
CREATE INDEX shipments_carrier_service ON shipments (carrier, service, label_created_at);
-- Late handoff (pre_transit with an old label) and exception views.
CREATE INDEX shipments_status_label ON shipments (tracking_status, label_created_at);
-- The tracking poller and the clock scheduler only look at live shipments.
CREATE INDEX shipments_due ON shipments (next_track_at)
  WHERE delivered_at IS NULL AND voided_at IS NULL;

-- Label bytes apart from the shipment row, so scans over shipments stay small.
CREATE TABLE labels (
  shipment_id INTEGER PRIMARY KEY REFERENCES shipments (id) ON DELETE CASCADE,
  format      TEXT NOT NULL,              -- PsLabelFormat nick
  data        BLOB NOT NULL,
  created_at  INTEGER NOT NULL
);

-- A label purchase is journaled here before the carrier is called, so a
-- timeout or crash is reconciled by looking the purchase up, never by
-- buying again (DESIGN.md "Carriers").
CREATE TABLE label_purchases (
  id              INTEGER PRIMARY KEY,
  order_id        INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  carrier         TEXT NOT NULL,
  service         TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'bought', 'failed', 'unknown')),
  request         TEXT,
  response        TEXT,
  error           TEXT,
  shipment_id     INTEGER REFERENCES shipments (id),
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX label_purchases_open ON label_purchases (state) WHERE state IN ('pending', 'unknown');

CREATE TABLE tracking_events (
  id               INTEGER PRIMARY KEY,
  shipment_id      INTEGER NOT NULL REFERENCES shipments (id) ON DELETE CASCADE,
  occurred_at      INTEGER NOT NULL,
  status           TEXT NOT NULL,          -- PsTrackingStatus nick
  exception_reason TEXT,
  carrier_code     TEXT,                   -- the carrier's raw status code
  description      TEXT,
  location         TEXT
);
-- The tracking timeline of one shipment.
CREATE INDEX tracking_events_shipment ON tracking_events (shipment_id, occurred_at);

-- The append-only event log (DESIGN.md "Events and automations"). Rules
-- trigger on these rows and the activity log points at them. Nothing
-- updates a row; rows go only when the merchant wipes the database.
CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  type        TEXT NOT NULL,               -- PsEventType nick
  occurred_at INTEGER NOT NULL,
  order_id    INTEGER REFERENCES orders (id) ON DELETE CASCADE,
  shipment_id INTEGER REFERENCES shipments (id) ON DELETE CASCADE,
  return_id   INTEGER REFERENCES returns (id) ON DELETE CASCADE,
  actor       TEXT NOT NULL,               -- 'import', 'merchant', 'carrier', 'clock', 'rule:<id>'
  data        TEXT                         -- JSON: {"from": …, "to": …, "reason": …}
);
-- An order's history in the detail pane.
CREATE INDEX events_order ON events (order_id, occurred_at);
-- Rule dry runs over history ("all tracking.status_changed since …").
CREATE INDEX events_type_time ON events (type, occurred_at);
CREATE TRIGGER events_append_only BEFORE UPDATE ON events
BEGIN
  SELECT RAISE (ABORT, 'events are append-only');
END;

CREATE TABLE tags (
  id    INTEGER PRIMARY KEY,
  name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT
);
CREATE TABLE order_tags (
  order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  tag_id   INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (order_id, tag_id)
) WITHOUT ROWID;
-- "tags contains …" filters go from the tag to its orders.
CREATE INDEX order_tags_tag ON order_tags (tag_id, order_id);

CREATE TABLE notes (
  id         INTEGER PRIMARY KEY,
  order_id   INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  author     TEXT NOT NULL,                -- 'merchant' or 'rule:<id>'
  body       TEXT NOT NULL
);
CREATE INDEX notes_order ON notes (order_id, created_at);

-- Saved filters: the condition language as JSON ({"all": […]}).
CREATE TABLE saved_filters (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  definition TEXT NOT NULL,
  builtin    INTEGER NOT NULL DEFAULT 0,
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Automation rules: trigger, conditions and actions as JSON.
CREATE TABLE rules (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  trigger    TEXT NOT NULL,                -- PsEventType nick
  definition TEXT NOT NULL,
  enabled    INTEGER NOT NULL DEFAULT 0,
  position   INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rules_trigger ON rules (trigger) WHERE enabled = 1;

-- One row per rule evaluation that fired (or failed): the activity log.
-- The UNIQUE key is "a rule fires at most once per subject per event".
CREATE TABLE rule_runs (
  id        INTEGER PRIMARY KEY,
  rule_id   INTEGER NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  event_id  INTEGER REFERENCES events (id) ON DELETE CASCADE,
  order_id  INTEGER REFERENCES orders (id) ON DELETE CASCADE,
  ran_at    INTEGER NOT NULL,
  outcome   TEXT NOT NULL CHECK (outcome IN ('done', 'failed', 'skipped', 'cut')),
  detail    TEXT,                          -- JSON: conditions held, actions and errors
  UNIQUE (rule_id, order_id, event_id)
);
CREATE INDEX rule_runs_rule_time ON rule_runs (rule_id, ran_at);

CREATE TABLE message_templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  subject    TEXT NOT NULL,
  body_html  TEXT NOT NULL,
  body_text  TEXT NOT NULL,
  builtin    INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);

-- The outbox. dedup_key (rule, order, event) makes "never sent twice" a
-- constraint rather than a hope.
CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  order_id        INTEGER REFERENCES orders (id) ON DELETE CASCADE,
  template_id     INTEGER REFERENCES message_templates (id) ON DELETE SET NULL,
  dedup_key       TEXT NOT NULL UNIQUE,
  to_address      TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body_text       TEXT NOT NULL,
  body_html       TEXT,
  status          TEXT NOT NULL DEFAULT 'queued',   -- PsMessageStatus nick
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX messages_due ON messages (status, next_attempt_at);

CREATE TABLE returns (
  id                 INTEGER PRIMARY KEY,
  order_id           INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  reason             TEXT NOT NULL,        -- PsReturnReason nick
  status             TEXT NOT NULL,        -- PsReturnStatus nick
  note               TEXT,
  return_shipment_id INTEGER REFERENCES shipments (id),
  requested_at       INTEGER NOT NULL,
  received_at        INTEGER,
  refunded_at        INTEGER
);
CREATE INDEX returns_order ON returns (order_id);
CREATE INDEX returns_requested ON returns (requested_at);
CREATE TABLE return_items (
  return_id    INTEGER NOT NULL REFERENCES returns (id) ON DELETE CASCADE,
  line_item_id INTEGER NOT NULL REFERENCES line_items (id) ON DELETE CASCADE,
  quantity     INTEGER NOT NULL CHECK (quantity > 0),
  PRIMARY KEY (return_id, line_item_id)
) WITHOUT ROWID;
-- Returns by product.
CREATE INDEX return_items_line ON return_items (line_item_id);

-- Carrier accounts; their API keys live in the secret service, keyed by id.
CREATE TABLE carrier_accounts (
  id         INTEGER PRIMARY KEY,
  backend    TEXT NOT NULL,                -- 'sandbox', 'ratecard', 'easypost'
  name       TEXT NOT NULL,
  settings   TEXT NOT NULL DEFAULT '{}',   -- JSON, no secrets
  enabled    INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);

-- Package presets and per-SKU parcel defaults for the rate selector.
CREATE TABLE package_presets (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  length_mm    INTEGER NOT NULL,
  width_mm     INTEGER NOT NULL,
  height_mm    INTEGER NOT NULL,
  weight_grams INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sku_defaults (
  sku          TEXT PRIMARY KEY,
  weight_grams INTEGER,
  preset_id    INTEGER REFERENCES package_presets (id) ON DELETE SET NULL
) WITHOUT ROWID;

-- Column mappings for unknown CSV layouts, saved per source.
CREATE TABLE import_mappings (
  id         INTEGER PRIMARY KEY,
  source_key TEXT NOT NULL UNIQUE,         -- e.g. a hash of the normalized header row
  name       TEXT NOT NULL,
  mapping    TEXT NOT NULL,                -- JSON: {column: field}
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- The weekly improvement log (DESIGN.md point 7).
CREATE TABLE improvements (
  id             INTEGER PRIMARY KEY,
  week_of        INTEGER NOT NULL,
  pattern        TEXT NOT NULL,
  root_cause     TEXT,
  change_shipped TEXT,
  metric         TEXT,                     -- JSON: the filter/metric measured
  review_at      INTEGER,
  created_at     INTEGER NOT NULL
);
