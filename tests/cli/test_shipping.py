#!/usr/bin/python3
# test_shipping.py: postsale-cli rates, label, void and handoff on a real demo
# database (its sandbox carrier account and ship-from address), checked
# against the database with Python's sqlite3 and the files with poppler's
# pdfinfo/pdftotext.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_shipping.py /path/to/postsale-cli
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

NOW = 1794999600          # 2026-11-18 11:00:00 UTC, the end of the demo history
TODAY = "2026-11-18"
RATE_KEYS = {"carrier", "carrier_code", "service", "service_code", "price", "currency",
             "transit_days", "estimated_delivery", "account"}


def run(*args):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    env["POSTSALE_NOW"] = str(NOW)
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


def page_size(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True, check=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out)
    return float(m.group(1)), float(m.group(2))


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True,
                          check=True).stdout


class ShippingCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        rc, out, err = run("--db", cls.db, "demo", "--orders", "300", "--now", str(NOW))
        assert rc == 0, err
        # Awaiting-shipment US orders with a weight and no shipment yet.
        cls.orders = query(cls.db,
                           "SELECT o.id, o.order_number, c.name FROM orders o"
                           " JOIN channels c ON c.id = o.channel_id"
                           " WHERE o.status = 'awaiting_shipment' AND o.ship_country = 'US'"
                           "   AND o.weight_grams > 0 AND o.address_issue = 0"
                           "   AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id)"
                           " ORDER BY o.id")
        # Each test that buys uses its own order, so the order tests run in
        # does not matter.
        assert len(cls.orders) >= 5, cls.orders

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli(self, *args, db=None):
        return run("--db", db or self.db, *args)

    def cli_json(self, *args, db=None):
        rc, out, err = self.cli("--json", *args, db=db)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def out(self, name):
        return os.path.join(self.tmp.name, name)

    def copy_db(self, name):
        path = self.out(name)
        shutil.copyfile(self.db, path)
        return path

    def assertOneLineError(self, rc, err, needle, code=2):
        self.assertEqual(rc, code, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("postsale-cli: "), err)
        self.assertIn(needle, lines[0])
        return lines[0]

    def shipments(self, order_id, db=None):
        return query(db or self.db,
                     "SELECT id, carrier, service, tracking_number FROM shipments"
                     " WHERE order_id = ? AND voided_at IS NULL ORDER BY id", order_id)

    # rates

    def test_rates_json_sorted_cheapest_first(self):
        order_id, number, _ = self.orders[0]
        data = self.cli_json("rates", number)
        self.assertEqual(data["order"], number)
        self.assertEqual(data["problems"], [])
        rates = data["rates"]
        self.assertGreaterEqual(len(rates), 3)
        for rate in rates:
            self.assertLessEqual(RATE_KEYS, set(rate))
            self.assertRegex(rate["price"], r"^\d+\.\d\d$")
            self.assertEqual(rate["currency"], "USD")
            self.assertEqual(rate["account"], "Sandbox (demo carriers)")
            self.assertTrue(rate["transit_days"] is None or rate["transit_days"] > 0)
            if rate["estimated_delivery"] is not None:
                self.assertRegex(rate["estimated_delivery"], r"^\d{4}-\d\d-\d\dT")
        prices = [Decimal(r["price"]) for r in rates]
        self.assertEqual(prices, sorted(prices))
        self.assertGreater(prices[-1], prices[0])
        codes = {r["carrier_code"] for r in rates}
        self.assertIn("usps", codes)
        self.assertGreater(len(codes), 1, "every carrier of the sandbox account answers")
        # id:N names the same order, and a Shopify-style "#" is optional.
        self.assertEqual(self.cli_json("rates", f"id:{order_id}")["rates"], rates)
        if number.startswith("#"):
            self.assertEqual(self.cli_json("rates", number[1:])["order"], number)

    def test_rates_table_marks_cheapest_and_fastest(self):
        _, number, _ = self.orders[0]
        rates = self.cli_json("rates", number)["rates"]
        rc, out, err = self.cli("rates", number)
        self.assertEqual(rc, 0, err)
        self.assertEqual(err, "")
        lines = out.strip().splitlines()
        self.assertIn(number, lines[0])
        self.assertIn("CARRIER", lines[1])
        rows = lines[2:]
        self.assertEqual(len(rows), len(rates))
        for row, rate in zip(rows, rates):
            self.assertIn(rate["service_code"], row)
            self.assertIn(f'{rate["price"]} USD', row)
        self.assertIn("CHEAPEST", rows[0])
        self.assertEqual(sum("CHEAPEST" in r for r in rows), 1)
        fastest = [i for i, r in enumerate(rows) if "FASTEST" in r]
        self.assertEqual(len(fastest), 1)
        days = [r["transit_days"] for r in rates if r["transit_days"]]
        chosen = rates[fastest[0]]
        self.assertEqual(chosen["transit_days"], min(days))
        # The cheapest of the fastest.
        self.assertEqual(Decimal(chosen["price"]),
                         min(Decimal(r["price"]) for r in rates if r["transit_days"] == min(days)))

    def test_rates_weight_and_dims_change_the_price(self):
        _, number, _ = self.orders[1]
        light = self.cli_json("rates", number, "--weight", "200")["rates"]
        heavy = self.cli_json("rates", number, "--weight", "9000", "--dims", "500x400x300")["rates"]
        by_code = {r["service_code"]: Decimal(r["price"]) for r in light}
        for r in heavy:
            if r["service_code"] in by_code:
                self.assertGreater(Decimal(r["price"]), by_code[r["service_code"]], r)

    def test_unknown_order(self):
        rc, out, err = self.cli("rates", "#NOPE-404")
        self.assertOneLineError(rc, err, "#NOPE-404")
        self.assertEqual(out, "")
        rc, out, err = self.cli("label", "#NOPE-404", "--carrier", "usps", "--service",
                                "usps_priority", "-o", self.out("never.pdf"))
        self.assertOneLineError(rc, err, "#NOPE-404")
        self.assertFalse(os.path.exists(self.out("never.pdf")))
        rc, out, err = self.cli("rates", "id:999999")
        self.assertOneLineError(rc, err, "999999")

    def test_bad_options(self):
        _, number, _ = self.orders[0]
        for args, needle in ((["rates"], "which order"),
                             (["rates", number, "--weight", "-5"], "--weight"),
                             (["rates", number, "--dims", "10x20"], "--dims"),
                             (["label", number, "--carrier", "usps", "-o", "x.pdf"], "--service"),
                             (["label", number, "--carrier", "usps", "--service", "usps_priority"],
                              "-o FILE"),
                             (["label", number, "--carrier", "usps", "--service", "usps_priority",
                               "--format", "svg", "-o", "x.pdf"], "svg"),
                             (["handoff", "-o", self.out("h.pdf"), "--date", "2026-02-30"],
                              "2026-02-30")):
            rc, out, err = self.cli(*args)
            self.assertOneLineError(rc, err, needle)

    def test_zero_weight_asks_for_weight(self):
        db = self.copy_db("zero.db")
        order_id, number, _ = self.orders[2]
        update(db, "UPDATE orders SET weight_grams = 0 WHERE id = ?", order_id)
        rc, out, err = self.cli("rates", number, db=db)
        self.assertOneLineError(rc, err, "--weight")
        rc, out, err = self.cli("label", number, "--carrier", "usps", "--service",
                                "usps_ground_advantage", "-o", self.out("zero.pdf"), db=db)
        self.assertOneLineError(rc, err, "--weight")
        self.assertEqual(self.shipments(order_id, db=db), [])
        data = self.cli_json("rates", number, "--weight", "450", db=db)
        self.assertGreater(len(data["rates"]), 0)

    def test_missing_address_field_is_named(self):
        db = self.copy_db("noaddr.db")
        order_id, number, _ = self.orders[2]
        update(db, "UPDATE orders SET ship_city = NULL WHERE id = ?", order_id)
        rc, out, err = self.cli("rates", number, db=db)
        self.assertOneLineError(rc, err, "city")
        update(db, "UPDATE orders SET ship_city = 'Austin', ship_postcode = '' WHERE id = ?",
               order_id)
        rc, out, err = self.cli("rates", number, db=db)
        self.assertOneLineError(rc, err, "ZIP")

    def test_no_account_exits_1(self):
        db = self.copy_db("noaccount.db")
        _, number, _ = self.orders[0]
        update(db, "UPDATE carrier_accounts SET enabled = 0")
        rc, out, err = self.cli("rates", number, db=db)
        self.assertOneLineError(rc, err, "account", code=1)

    def test_same_number_in_two_channels(self):
        db = self.copy_db("twochannels.db")
        order_id, number, channel = self.orders[0]
        other = query(db, "SELECT id, name FROM channels WHERE name <> ? ORDER BY id LIMIT 1",
                      channel)[0]
        con = sqlite3.connect(db)
        cols = [r[1] for r in con.execute("PRAGMA table_info(orders)") if r[1] not in ("id",)]
        select = ", ".join("?" if c == "channel_id" else c for c in cols)
        con.execute(f"INSERT INTO orders ({', '.join(cols)}) SELECT {select} FROM orders WHERE id = ?",
                    (other[0], order_id))
        con.commit()
        con.close()
        rc, out, err = self.cli("rates", number, db=db)
        line = self.assertOneLineError(rc, err, "--channel")
        self.assertIn(channel, line)
        self.assertIn(other[1], line)
        data = self.cli_json("rates", number, "--channel", other[1], db=db)
        self.assertEqual(data["order"], number)
        self.assertNotEqual(data["order_id"], order_id)
        data = self.cli_json("rates", number, "--channel", channel.upper(), db=db)
        self.assertEqual(data["order_id"], order_id)

    # label

    def test_label_pdf_then_again_already_bought(self):
        order_id, number, _ = self.orders[0]
        path = self.out("label.pdf")
        first = self.cli_json("label", number, "--carrier", "USPS", "--service", "usps_priority",
                              "-o", path)
        self.assertFalse(first["already_bought"])
        self.assertEqual(first["format"], "pdf")
        self.assertEqual(first["order"], number)
        self.assertEqual(first["path"], path)
        with open(path, "rb") as f:
            self.assertEqual(f.read(5), b"%PDF-")
        self.assertEqual(page_size(path), (288.0, 432.0))
        stored = self.shipments(order_id)
        self.assertEqual(stored, [(first["shipment_id"], "usps", "usps_priority",
                                   first["tracking_number"])])
        self.assertEqual(query(self.db, "SELECT status FROM orders WHERE id = ?", order_id),
                         [("ready_to_ship",)])
        self.assertEqual(query(self.db, "SELECT format FROM labels WHERE shipment_id = ?",
                               first["shipment_id"]), [("pdf",)])
        self.assertFalse([n for n in os.listdir(self.tmp.name) if n.startswith(".goutputstream")])

        # The same command again (carrier by code this time): nothing bought.
        again_path = self.out("label-again.pdf")
        again = self.cli_json("label", number, "--carrier", "usps", "--service", "usps_priority",
                              "-o", again_path)
        self.assertTrue(again["already_bought"])
        self.assertEqual(again["tracking_number"], first["tracking_number"])
        self.assertEqual(again["shipment_id"], first["shipment_id"])
        with open(path, "rb") as a, open(again_path, "rb") as b:
            self.assertEqual(a.read(), b.read())
        rc, out, err = self.cli("label", number, "--carrier", "usps", "--service", "usps_priority",
                                "-o", again_path)
        self.assertEqual(rc, 0, err)
        self.assertIn("already bought", out)
        self.assertIn(first["tracking_number"], out)
        self.assertEqual(len(self.shipments(order_id)), 1)
        self.assertEqual(query(self.db, "SELECT COUNT(*) FROM label_purchases WHERE order_id = ?"
                               " AND state = 'bought'", order_id), [(1,)])

    def test_label_key(self):
        order_id, number, _ = self.orders[3]
        args = ("label", number, "--carrier", "ups", "--service", "ups_ground")
        a = self.cli_json(*args, "--key", "test-key-1", "-o", self.out("k1.pdf"))
        b = self.cli_json(*args, "--key", "test-key-1", "-o", self.out("k1b.pdf"))
        self.assertFalse(a["already_bought"])
        self.assertTrue(b["already_bought"])
        self.assertEqual(a["tracking_number"], b["tracking_number"])
        self.assertEqual(len(self.shipments(order_id)), 1)
        # Another key is another purchase: a second shipment, said so.
        rc, out, err = self.cli(*args, "--key", "test-key-2", "-o", self.out("k2.pdf"))
        self.assertEqual(rc, 0, err)
        self.assertIn("had 1 label already", err)
        stored = self.shipments(order_id)
        self.assertEqual(len(stored), 2)
        self.assertNotEqual(stored[0][3], stored[1][3])

    def test_label_zpl(self):
        order_id, number, _ = self.orders[1]
        path = self.out("label.zpl")
        data = self.cli_json("label", number, "--carrier", "fedex", "--service", "fedex_ground",
                             "--format", "zpl", "-o", path)
        self.assertEqual(data["format"], "zpl")
        with open(path, "rb") as f:
            zpl = f.read()
        self.assertTrue(zpl.startswith(b"^XA"), zpl[:20])
        self.assertTrue(zpl.rstrip().endswith(b"^XZ"), zpl[-20:])
        self.assertEqual(query(self.db, "SELECT format FROM labels WHERE shipment_id = ?",
                               data["shipment_id"]), [("zpl",)])

    def test_label_unknown_service_lists_available(self):
        order_id, number, _ = self.orders[2]
        rates = self.cli_json("rates", number)["rates"]
        rc, out, err = self.cli("label", number, "--carrier", "usps", "--service", "usps_teleport",
                                "-o", self.out("teleport.pdf"))
        line = self.assertOneLineError(rc, err, "usps_teleport")
        for r in rates:
            if r["carrier_code"] == "usps":
                self.assertIn(r["service_code"], line)
            else:
                self.assertNotIn(r["service_code"], line)
        rc, out, err = self.cli("label", number, "--carrier", "Pony Express", "--service", "x",
                                "-o", self.out("pony.pdf"))
        line = self.assertOneLineError(rc, err, "Pony Express")
        self.assertIn("usps_priority", line)
        self.assertEqual(self.shipments(order_id), [])
        self.assertFalse(os.path.exists(self.out("teleport.pdf")))

    def test_label_output_folder_missing_buys_nothing(self):
        order_id, number, _ = self.orders[2]
        rc, out, err = self.cli("label", number, "--carrier", "usps", "--service", "usps_priority",
                                "-o", self.out("no/such/folder/l.pdf"))
        self.assertOneLineError(rc, err, "does not exist")
        self.assertEqual(self.shipments(order_id), [])

    # void

    def test_void_then_label_again(self):
        db = self.copy_db("void.db")
        order_id, number, _ = self.orders[2]
        args = ("label", number, "--carrier", "usps", "--service", "usps_ground_advantage")
        first = self.cli_json(*args, "-o", self.out("void-1.pdf"), db=db)
        voided = self.cli_json("void", first["tracking_number"], db=db)
        self.assertEqual(voided["shipment_id"], first["shipment_id"])
        self.assertFalse(voided["already_voided"])
        self.assertEqual(voided["order_status"], "awaiting_shipment")
        self.assertEqual(query(db, "SELECT voided_at IS NOT NULL, tracking_status FROM shipments"
                               " WHERE id = ?", first["shipment_id"]), [(1, "cancelled")])
        self.assertEqual(query(db, "SELECT status FROM orders WHERE id = ?", order_id),
                         [("awaiting_shipment",)])
        # Again: nothing to do, said so.
        again = self.cli_json("void", f'id:{first["shipment_id"]}', db=db)
        self.assertTrue(again["already_voided"])

        # The same label command buys a new label once, then finds it.
        second = self.cli_json(*args, "-o", self.out("void-2.pdf"), db=db)
        self.assertFalse(second["already_bought"])
        self.assertNotEqual(second["tracking_number"], first["tracking_number"])
        third = self.cli_json(*args, "-o", self.out("void-3.pdf"), db=db)
        self.assertTrue(third["already_bought"])
        self.assertEqual(third["tracking_number"], second["tracking_number"])
        self.assertEqual(len(self.shipments(order_id, db=db)), 1)

        # The handoff sheet leaves the voided label out.
        self.cli_json("handoff", "-o", self.out("void-handoff.pdf"), db=db)
        text = pdf_text(self.out("void-handoff.pdf"))
        self.assertIn(second["tracking_number"], text)
        self.assertNotIn(first["tracking_number"], text)

    def test_void_refused_and_unknown(self):
        db = self.copy_db("void-refused.db")
        (tracking,) = query(db, "SELECT tracking_number FROM shipments WHERE tracking_status ="
                            " 'in_transit' AND voided_at IS NULL ORDER BY id LIMIT 1")[0]
        rc, out, err = self.cli("void", tracking, db=db)
        self.assertOneLineError(rc, err, "scan", code=1)
        self.assertEqual(query(db, "SELECT voided_at FROM shipments WHERE tracking_number = ?",
                               tracking), [(None,)])
        rc, out, err = self.cli("void", "1Z-NO-SUCH", db=db)
        self.assertOneLineError(rc, err, "1Z-NO-SUCH")
        rc, out, err = self.cli("void", "id:abc", db=db)
        self.assertOneLineError(rc, err, "id:abc")

    # handoff

    def test_handoff_sheet(self):
        order_id, number, _ = self.orders[4]
        label = self.cli_json("label", number, "--carrier", "usps", "--service", "usps_priority",
                              "-o", self.out("handoff-label.pdf"))
        path = self.out("handoff.pdf")
        data = self.cli_json("handoff", "-o", path)
        self.assertEqual(data["date"], TODAY)
        day_start = NOW - NOW % 86400
        expected = query(self.db, "SELECT tracking_number FROM shipments"
                         " WHERE label_created_at >= ? AND label_created_at < ?"
                         "   AND voided_at IS NULL AND tracking_number IS NOT NULL",
                         day_start, day_start + 86400)
        self.assertEqual(data["shipments"], len(expected))
        text = pdf_text(path)
        self.assertIn(label["tracking_number"], text)
        self.assertIn(TODAY, text)
        for (tracking,) in expected:
            self.assertIn(tracking, text)
        self.assertEqual(page_size(path), (612.0, 792.0))

        # Another day does not list it.
        other = self.out("handoff-other.pdf")
        data = self.cli_json("handoff", "--date", "2026-11-10", "-o", other)
        self.assertEqual(data["date"], "2026-11-10")
        self.assertNotIn(label["tracking_number"], pdf_text(other))


if __name__ == "__main__":
    unittest.main(verbosity=2)
