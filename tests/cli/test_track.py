#!/usr/bin/python3
# test_track.py: postsale-cli track on a real demo database: a label bought
# with the demo's sandbox account, tracked over simulated days until
# delivered (checked in SQL), the JSON shape, --order, --due, untrackable
# imported numbers and the late-handoff sweep, and usage errors.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_track.py /path/to/postsale-cli
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

NOW = 1794999600          # 2026-11-18 11:00:00 UTC (a Wednesday), the end of the demo history
HOUR = 3600
DAY = 86400
JSON_KEYS = {"checked", "changed", "by_status", "new_events", "delivered", "orders_changed",
             "untrackable", "deferred", "errors"}


def run(*args, now=NOW):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    env["POSTSALE_NOW"] = str(now)
    env["TZ"] = "UTC"
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def query(db, sql, *params):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def update(db, sql, *params):
    con = sqlite3.connect(db)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


class TrackTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        rc, out, err = run("--db", cls.db, "demo", "--orders", "300", "--now", str(NOW))
        assert rc == 0, err
        # Demo history is generated, not bought: nothing can track it. Park
        # it so each test sees only what it makes.
        update(cls.db, "UPDATE shipments SET next_track_at = NULL")
        cls.orders = query(cls.db,
                           "SELECT o.id, o.order_number FROM orders o"
                           " WHERE o.status = 'awaiting_shipment' AND o.ship_country = 'US'"
                           "   AND o.weight_grams > 0 AND o.address_issue = 0"
                           "   AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)"
                           " ORDER BY o.id")
        assert len(cls.orders) >= 4, cls.orders

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def track_json(self, *args, now):
        rc, out, err = run("--db", self.db, "--json", "track", *args, now=now)
        self.assertEqual(rc, 0, err)
        data = json.loads(out)
        self.assertTrue(JSON_KEYS <= set(data), data)
        return data

    def buy(self, nth):
        order_id, number = self.orders[nth]
        label = os.path.join(self.tmp.name, f"label-{nth}.zpl")
        rc, out, err = run("--db", self.db, "label", number, "--carrier", "usps", "--service",
                           "usps_priority", "--format", "zpl", "-o", label)
        self.assertEqual(rc, 0, err)
        (shipment_id,), = query(self.db, "SELECT id FROM shipments WHERE order_id = ?", order_id)
        return order_id, number, shipment_id

    def test_label_tracked_until_delivered(self):
        order_id, number, shipment_id = self.buy(0)
        statuses = [query(self.db, "SELECT status FROM orders WHERE id = ?", order_id)[0][0]]
        self.assertEqual(statuses, ["ready_to_ship"])

        # Not due yet right after the label (the first look is an hour later).
        data = self.track_json("--due", now=NOW + 60)
        self.assertEqual(data["checked"], 0)

        now, polls, changed = NOW, 0, 0
        while now < NOW + 20 * DAY:
            (next_at,), = query(self.db, "SELECT next_track_at FROM shipments WHERE id = ?",
                                shipment_id)
            if next_at is None:
                break
            now = next_at
            data = self.track_json("--due", now=now)
            self.assertEqual(data["checked"], 1, data)
            self.assertEqual(data["errors"], [])
            polls += 1
            changed += data["changed"]
            self.assertEqual(sum(data["by_status"].values()), data["changed"])
            status = query(self.db, "SELECT status FROM orders WHERE id = ?", order_id)[0][0]
            if status != statuses[-1]:
                statuses.append(status)
        # The sandbox sends one label in eight into trouble (a delay that
        # clears, or a parcel lost or undeliverable for good).
        self.assertEqual(statuses[:2], ["ready_to_ship", "shipped"])
        self.assertLessEqual(set(statuses), {"ready_to_ship", "shipped", "exception", "delivered"})
        self.assertGreaterEqual(changed, 2)
        self.assertGreater(polls, 3)
        if statuses[-1] == "exception":
            (reason,), = query(self.db, "SELECT exception_reason FROM shipments WHERE id = ?",
                               shipment_id)
            self.assertIn(reason, ("lost", "address_issue"))
            return
        self.assertEqual(statuses[-1], "delivered")
        for before, after in zip(statuses, statuses[1:]):
            if before == "exception":
                self.assertEqual(after, "shipped")

        (status, delivered_at, next_at), = query(
            self.db, "SELECT tracking_status, delivered_at, next_track_at FROM shipments"
                     " WHERE id = ?", shipment_id)
        self.assertEqual(status, "delivered")
        self.assertIsNotNone(delivered_at)
        self.assertIsNone(next_at)
        changes = [json.loads(d)["to"] for (d,) in query(
            self.db, "SELECT data FROM events WHERE type = 'tracking.status_changed'"
                     " AND shipment_id = ? ORDER BY id", shipment_id)]
        self.assertEqual(changes[0], "in_transit")
        self.assertEqual(changes[-1], "delivered")
        self.assertEqual(query(self.db, "SELECT count(*) FROM events WHERE type = 'shipment.delivered'"
                                        " AND shipment_id = ?", shipment_id), [(1,)])
        # Polling again stores nothing new: the shipment is no longer watched.
        n_events = query(self.db, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                         shipment_id)
        data = self.track_json("--order", number, now=now + DAY)
        self.assertEqual(data["checked"], 0)
        self.assertEqual(query(self.db, "SELECT count(*) FROM tracking_events WHERE shipment_id = ?",
                               shipment_id), n_events)

    def test_order_refresh_and_text_output(self):
        order_id, number, shipment_id = self.buy(1)
        rc, out, err = run("--db", self.db, "track", "--order", f"id:{order_id}", now=NOW + DAY)
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("Checked 1 shipment, "), out)
        # The same moment again: nothing new.
        data = self.track_json("--order", number, now=NOW + DAY)
        self.assertEqual((data["checked"], data["changed"], data["new_events"]), (1, 0, 0))
        (last,), = query(self.db, "SELECT last_tracked_at FROM shipments WHERE id = ?", shipment_id)
        self.assertEqual(last, NOW + DAY)

    def test_untrackable_import_and_late_handoff(self):
        order_id, number = self.orders[2]
        # An imported UPS number (no account bought it; only the sandbox
        # account exists), and an old label nobody scanned.
        update(self.db, "INSERT INTO shipments (order_id, carrier, service, tracking_number,"
                        " tracking_status, next_track_at, created_at)"
                        " VALUES (?, 'ups', 'unknown', '1Z999AA10123456784', 'unknown', ?, ?)",
               order_id, NOW, NOW)
        other_id, _ = self.orders[3]
        update(self.db, "INSERT INTO shipments (order_id, carrier, service, tracking_number,"
                        " tracking_status, label_created_at, created_at)"
                        " VALUES (?, 'usps', 'usps_priority', '9400100000000000000017',"
                        " 'pre_transit', ?, ?)", other_id, NOW - 5 * DAY, NOW - 5 * DAY)
        # The demo history flags its own late handoffs (without clock events).
        late_before = query(self.db, "SELECT count(*) FROM shipments"
                                     " WHERE exception_reason = 'late_handoff'")[0][0]
        clock_before = query(self.db, "SELECT count(*) FROM events WHERE actor = 'clock'")[0][0]

        data = self.track_json("--due", "--sweep", now=NOW + HOUR)
        self.assertEqual(data["untrackable"], 1)
        self.assertEqual(data["errors"], [])
        self.assertGreaterEqual(data["late_handoffs"], 1)
        (next_at, error), = query(self.db, "SELECT next_track_at, track_error FROM shipments"
                                           " WHERE tracking_number = '1Z999AA10123456784'")
        self.assertGreaterEqual(next_at, NOW + HOUR + 7 * DAY)
        self.assertIn("EasyPost", error)
        self.assertEqual(query(self.db, "SELECT exception_reason FROM shipments"
                                        " WHERE tracking_number = '9400100000000000000017'"),
                         [("late_handoff",)])
        self.assertEqual(query(self.db, "SELECT count(*) FROM shipments"
                                        " WHERE exception_reason = 'late_handoff'")[0][0],
                         late_before + data["late_handoffs"])

        # Once: the next sweep flags nothing and writes no event.
        n_clock = query(self.db, "SELECT count(*) FROM events WHERE actor = 'clock'")[0][0]
        self.assertEqual(n_clock, clock_before + data["late_handoffs"])
        data = self.track_json("--due", "--sweep", now=NOW + 2 * HOUR)
        self.assertEqual(data["late_handoffs"], 0)
        self.assertEqual(data["untrackable"], 0)
        self.assertEqual(query(self.db, "SELECT count(*) FROM events WHERE actor = 'clock'")[0][0],
                         n_clock)

    def test_usage(self):
        for args, needle in ((["track", "--due", "--order", "1"], "--due or --order"),
                             (["track", "extra"], "extra"),
                             (["track", "--order", "#NOPE-404"], "no order"),
                             (["track", "--order", "id:x"], "id:N")):
            rc, out, err = run("--db", self.db, *args)
            self.assertEqual(rc, 2, (args, err))
            self.assertEqual(len(err.strip().splitlines()), 1, err)
            self.assertIn(needle, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
