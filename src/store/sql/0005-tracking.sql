-- 0005-tracking.sql: what the tracking poller remembers between polls.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A failed poll (carrier down, number not known yet, no account that can
-- track the carrier) must back off instead of asking again every minute:
-- track_failures counts the failures since the last good answer (the
-- back-off doubles with it, src/store/ps-tracking-store.c documents the
-- schedule) and track_error says why, for the merchant. Both are reset by
-- a good answer. ADD COLUMN with a constant default rewrites nothing, so
-- this is instant on a million shipments.
--
-- Nothing else is needed: the poller reads shipments_due (0001), the late
-- handoff sweep shipments_status_label (0001), and a late handoff is
-- remembered as exception_reason = 'late_handoff' on a shipment that is
-- still pre_transit.

ALTER TABLE shipments ADD COLUMN track_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE shipments ADD COLUMN track_error TEXT;
