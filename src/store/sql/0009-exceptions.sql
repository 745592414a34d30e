-- 0009-exceptions.sql: what the Exceptions view remembers of a resolution.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A shipment is an exception while shipments.exception_reason is set (a
-- carrier exception, or a late handoff flagged by the clock) and it is
-- neither voided nor delivered. The merchant resolves one with a root
-- cause tag:
--   * exception_resolved_at: when, UTC Unix seconds;
--   * exception_root_cause: why it happened, for the improvement log
--     (carrier, warehouse, address_data, workflow, customer).
-- The tracking store knows nothing of this: when a new exception arrives
-- later it sets exception_reason again and appends a
-- tracking.status_changed event (or stores a new carrier event in
-- exception). src/store/ps-exception-store.c treats a resolution older
-- than the shipment's last exception event as open again, so nothing has
-- to clear these columns. ADD COLUMN without a default rewrites nothing.

ALTER TABLE shipments ADD COLUMN exception_resolved_at INTEGER;
ALTER TABLE shipments ADD COLUMN exception_root_cause TEXT
  CHECK (exception_root_cause IN ('carrier', 'warehouse', 'address_data', 'workflow', 'customer'));

-- The Exceptions view: the flagged live shipments by reason (groups and
-- their counts), resolved ones recognised from the index alone. Partial,
-- so it holds only the few shipments in trouble, not a million parcels.
CREATE INDEX shipments_exceptions_open ON shipments (exception_reason, exception_resolved_at)
  WHERE exception_reason IS NOT NULL AND voided_at IS NULL AND delivered_at IS NULL;
