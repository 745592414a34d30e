#!/usr/bin/python3
# test_export.py: postsale-cli export, read back with Python's csv module
# and checked against SQL written here.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_export.py /path/to/postsale-cli
import csv
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

NOW = 1794999600          # 2026-11-18 11:00:00 UTC, the end of the demo history
N_COLUMNS = 31
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def run(*args):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    env["POSTSALE_NOW"] = str(NOW)
    env["TZ"] = "UTC"
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    return text, list(csv.reader(io.StringIO(text, newline=""), strict=True))


def money(minor, currency):
    digits = 0 if currency in ("JPY", "KRW", "VND", "CLP", "ISK") else 2
    sign = "-" if minor < 0 else ""
    minor = abs(minor)
    if digits == 0:
        return f"{sign}{minor}"
    return f"{sign}{minor // 100}.{minor % 100:02d}"


class ExportCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        rc, out, err = run("--db", cls.db, "demo", "--orders", "3000", "--seed", "7",
                           "--now", str(NOW))
        assert rc == 0, err
        cls.con = sqlite3.connect(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.con.close()
        cls.tmp.cleanup()

    def cli(self, *args, db=None):
        return run("--db", db or self.db, *args)

    def cli_json(self, *args, db=None):
        rc, out, err = self.cli("--json", *args, db=db)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def out(self, name):
        return os.path.join(self.tmp.name, name)

    def assertOneLineError(self, rc, err, needle, code=2):
        self.assertEqual(rc, code, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertIn(needle, lines[0])

    def assertNoPartialFiles(self, folder):
        left = [n for n in os.listdir(folder) if n.startswith(".postsale-export-")]
        self.assertEqual(left, [])

    def test_all_orders(self):
        path = self.out("all.csv")
        result = self.cli_json("export", "-o", path)
        n = self.con.execute("SELECT count(*) FROM orders").fetchone()[0]
        self.assertEqual(result, {"exported": n, "path": path})

        text, rows = read_csv(path)
        self.assertTrue(text.startswith("Order Number,Channel,Order Date,Status,"))
        self.assertFalse(text.startswith("\ufeff"))
        self.assertEqual(len(rows), n + 1)
        for row in rows:
            self.assertEqual(len(row), N_COLUMNS)

        # Rows in the order `orders` lists them (newest first).
        listed = [o["number"] for o in self.cli_json("orders")["orders"]]
        self.assertEqual([r[0].removeprefix("'") for r in rows[1:]], listed)

        # Every cell against the database, for a few columns.
        header = rows[0]
        col = {name: i for i, name in enumerate(header)}
        by_number = {}
        for (number, channel, status, total, currency, items, email, created) in self.con.execute(
                "SELECT o.order_number, c.name, o.status, o.total_minor, o.currency,"
                " o.item_count, o.customer_email,"
                " strftime('%Y-%m-%dT%H:%M:%S+00:00', o.created_at, 'unixepoch')"
                " FROM orders o JOIN channels c ON c.id = o.channel_id"):
            by_number[(number, channel)] = (status, money(total, currency), currency, str(items),
                                            email or "", created)
        for row in rows[1:]:
            key = (row[col["Order Number"]].removeprefix("'"), row[col["Channel"]])
            self.assertEqual((row[col["Status"]], row[col["Total"]], row[col["Currency"]],
                              row[col["Item Count"]], row[col["Email"]], row[col["Order Date"]]),
                             by_number[key])

        # Tracking numbers: every shipment that is not voided.
        tracked = self.con.execute(
            "SELECT count(*) FROM shipments WHERE voided_at IS NULL AND tracking_number <> ''"
        ).fetchone()[0]
        cells = sum(len(r[col["Tracking Numbers"]].split("; "))
                    for r in rows[1:] if r[col["Tracking Numbers"]])
        self.assertEqual(cells, tracked)
        self.assertNoPartialFiles(self.tmp.name)

    def test_saved_filter_and_sort(self):
        path = self.out("ready.csv")
        args = ("--saved", "Ready to ship", "--sort", "number", "--ascending")
        result = self.cli_json("export", *args, "-o", path)
        listed = [o["number"] for o in self.cli_json("orders", *args)["orders"]]
        self.assertGreater(len(listed), 0)
        self.assertEqual(result["exported"], len(listed))
        _, rows = read_csv(path)
        self.assertEqual([r[0] for r in rows[1:]], listed)
        self.assertEqual({r[3] for r in rows[1:]}, {"ready_to_ship"})

    def test_filter(self):
        path = self.out("etsy.csv")
        condition = json.dumps({"field": "channel", "op": "is", "value": "etsy"})
        result = self.cli_json("export", "--filter", condition, "-o", path)
        expected = self.con.execute(
            "SELECT count(*) FROM orders o JOIN channels c ON c.id = o.channel_id"
            " WHERE c.kind = 'etsy'").fetchone()[0]
        self.assertGreater(expected, 0)
        self.assertEqual(result["exported"], expected)
        _, rows = read_csv(path)
        self.assertEqual({r[1] for r in rows[1:]}, {"Etsy"})

    def test_text_output_and_bom(self):
        path = self.out("bom.csv")
        rc, out, err = self.cli("export", "--saved", "Exceptions", "--bom", "-o", path)
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"^Exported \d+ orders? to " + path + "\n$")
        with open(path, "rb") as f:
            self.assertTrue(f.read().startswith(b"\xef\xbb\xbfOrder Number,"))

    def test_formulas_neutralized(self):
        db = self.out("hostile.db")
        shutil.copy(self.db, db)
        con = sqlite3.connect(db)
        ids = [r[0] for r in con.execute("SELECT id FROM orders ORDER BY id LIMIT 6")]
        hostile = ["=HYPERLINK(\"http://x.invalid\")", "+SUM(A1)", "-1+2", "@cmd", "\tTab",
                   "\rCR"]
        tag = con.execute("INSERT INTO tags (name) VALUES ('hostile')").lastrowid
        for order_id, text in zip(ids, hostile):
            con.execute("UPDATE orders SET customer_name = ?, ship_city = 'Plain, City'"
                        " WHERE id = ?", (text, order_id))
            con.execute("INSERT INTO order_tags (order_id, tag_id) VALUES (?, ?)",
                        (order_id, tag))
        con.commit()
        con.close()

        path = self.out("hostile.csv")
        condition = json.dumps({"field": "tags", "op": "contains", "value": "hostile"})
        self.cli_json("export", "--filter", condition, "-o", path, db=db)
        _, rows = read_csv(path)
        names = sorted(r[4] for r in rows[1:])
        self.assertEqual(names, sorted("'" + t for t in hostile))
        for row in rows[1:]:
            self.assertEqual(row[11], "Plain, City")
            for i, value in enumerate(row):
                if value.startswith(FORMULA_START):
                    # Only numbers we wrote may start with a sign.
                    float(value)
                    self.assertIn(rows[0][i], ("Subtotal", "Shipping", "Tax", "Total"))

    def test_replaces_only_on_success(self):
        folder = self.out("replace")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "orders.csv")
        with open(path, "w") as f:
            f.write("old\n")
        self.cli_json("export", "--saved", "Exceptions", "-o", path)
        _, rows = read_csv(path)
        self.assertEqual(rows[0][0], "Order Number")
        self.assertNoPartialFiles(folder)

    def test_errors(self):
        rc, out, err = self.cli("export")
        self.assertOneLineError(rc, err, "-o FILE")
        rc, out, err = self.cli("export", "-o", self.out("missing/x.csv"))
        self.assertOneLineError(rc, err, "does not exist")
        self.assertFalse(os.path.exists(self.out("missing")))
        rc, out, err = self.cli("export", "-o", self.tmp.name)
        self.assertOneLineError(rc, err, "folder")
        rc, out, err = self.cli("export", "--saved", "Nope", "-o", self.out("x.csv"))
        self.assertOneLineError(rc, err, "Nope")
        rc, out, err = self.cli("export", "--saved", "Exceptions", "--filter", "{}",
                                "-o", self.out("x.csv"))
        self.assertOneLineError(rc, err, "not both")
        rc, out, err = self.cli("export", "--sort", "colour", "-o", self.out("x.csv"))
        self.assertOneLineError(rc, err, "colour")
        rc, out, err = self.cli("export", "--filter", "{\"field\": ", "-o", self.out("x.csv"))
        self.assertOneLineError(rc, err, "--filter")
        self.assertFalse(os.path.exists(self.out("x.csv")))

    def test_ctrl_c(self):
        """SIGINT in the middle: exit 1, the old file as it was, no partial
        file. The database is made large with plain SQL so the export runs
        long enough to be caught in the middle."""
        db = self.out("large.db")
        shutil.copy(self.db, db)
        con = sqlite3.connect(db)
        cols = [r[1] for r in con.execute("PRAGMA table_info (orders)") if r[1] != "id"]
        select = ", ".join("order_number || '-' || ?" if c == "order_number" else c for c in cols)
        for k in range(1, 30):
            con.execute(f"INSERT INTO orders ({', '.join(cols)}) SELECT {select} FROM orders"
                        " WHERE id <= 3000", (str(k),))
        con.commit()
        con.close()

        folder = self.out("interrupt")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "orders.csv")
        with open(path, "w") as f:
            f.write("old\n")
        env = dict(os.environ, TZ="UTC")
        env.pop("POSTSALE_DB", None)
        proc = subprocess.Popen([CLI, "--db", db, "export", "-o", path], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if any(n.startswith(".postsale-export-") for n in os.listdir(folder)):
                break
            time.sleep(0.002)
        self.assertIsNone(proc.poll(), "the export ended before it could be interrupted")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn("stopped", err)
        with open(path) as f:
            self.assertEqual(f.read(), "old\n")
        self.assertNoPartialFiles(folder)


if __name__ == "__main__":
    unittest.main(verbosity=2)
