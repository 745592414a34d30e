-- 0004-shipping.sql: what buying labels needs beyond 0001.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A purchase and the shipment it made remember which carrier account
-- bought it, so tracking, void and a reconcile after a crash ask the same
-- account. The journal keeps the carrier's shipment id as soon as it is
-- known (EasyPost creates the shipment before buying it), which is what a
-- lookup after a lost answer needs. service_name is what the label and
-- the list show ("Priority Mail") next to the code ("priority").

ALTER TABLE label_purchases ADD COLUMN account_id INTEGER REFERENCES carrier_accounts (id) ON DELETE SET NULL;
ALTER TABLE label_purchases ADD COLUMN carrier_shipment_id TEXT;
ALTER TABLE shipments ADD COLUMN account_id INTEGER REFERENCES carrier_accounts (id) ON DELETE SET NULL;
ALTER TABLE shipments ADD COLUMN service_name TEXT;

-- At most one default ship-from address.
CREATE UNIQUE INDEX addresses_default ON addresses (kind) WHERE is_default = 1;
