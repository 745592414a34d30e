#!/usr/bin/python3
# test_import.py: postsale-cli import and mappings as a script would use them.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_import.py /path/to/postsale-cli
#
# Every fixture is written by the test. The kill test starts an import of a
# large generated Shopify export as a child process, kills it with SIGKILL
# while it writes, and checks that the database is intact and holds exactly
# what it held before that file.
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,"
    "Shipping,Taxes,Total,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
    "Lineitem sku,Lineitem requires shipping,Billing Name,Shipping Name,Shipping Address1,"
    "Shipping Address2,Shipping City,Shipping Zip,Shipping Province,Shipping Country,"
    "Shipping Phone,Id\n")


def shopify_order(number, qty="1", total="25.00", city="Portland", lines=1):
    first = (f"#{number},c{number}@example.com,paid,2026-11-01 10:00:00 -0400,unfulfilled,,USD,"
             f"20.00,5.00,0.00,{total},2026-11-01 09:55:00 -0400,{qty},Mug,20.00,MUG-1,true,"
             f"Ann Lee,Ann Lee,{number % 97} Main St,,{city},97201,OR,US,,{number}\n")
    more = "".join(f"#{number},c{number}@example.com,,,,,,,,,,2026-11-01 09:55:00 -0400,1,"
                   f"Bowl,0.00,BWL-{k},true,,,,,,,,,,\n" for k in range(1, lines))
    return first + more


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("POSTSALE_DB", None)
    if env:
        e.update(env)
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=e, timeout=300)
    return p.returncode, p.stdout, p.stderr


def query(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def count(db, table):
    return query(db, f"SELECT count(*) FROM {table}")[0][0]


class ImportTest(unittest.TestCase):
    KEYS = ("orders_created", "orders_updated", "orders_unchanged", "line_items",
            "rows_rejected", "errors")

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "t.db")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text, mode="w"):
        path = os.path.join(self.tmp.name, name)
        with open(path, mode) as f:
            f.write(text)
        return path

    def import_json(self, *args, code=0):
        rc, out, err = run("--db", self.db, "--json", "import", *args)
        self.assertEqual(rc, code, err)
        if code != 0 and not out:
            return None
        return json.loads(out)

    def assertOneLineError(self, rc, out, err, code=2):
        self.assertEqual(rc, code, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("postsale-cli: "), err)

    def fingerprint(self):
        if not os.path.exists(self.db):
            return None
        return query(self.db, "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM"
                              " line_items), (SELECT count(*) FROM events), (SELECT count(*)"
                              " FROM shipments), (SELECT count(*) FROM channels)")[0]

    def test_json_keys_and_rejected_rows(self):
        path = self.write("orders.csv", SHOPIFY_HEADER + shopify_order(1001, lines=2)
                          + shopify_order(1002, qty="two") + shopify_order(1003))
        result = self.import_json(path)
        for key in self.KEYS:
            self.assertIn(key, result)
        self.assertNotIn("files", result)
        self.assertEqual(result["orders_created"], 2)
        self.assertEqual(result["orders_updated"], 0)
        self.assertEqual(result["orders_unchanged"], 0)
        self.assertEqual(result["line_items"], 3)
        self.assertEqual(result["rows_rejected"], 1)
        self.assertEqual(len(result["errors"]), 1)
        self.assertEqual(result["errors"][0]["line"], 4)
        self.assertTrue(result["errors"][0]["message"])
        self.assertEqual(count(self.db, "orders"), 2)

        # The same file again: nothing new anywhere.
        before = self.fingerprint()
        again = self.import_json(path)
        self.assertEqual(again["orders_created"], 0)
        self.assertEqual(again["orders_unchanged"], 2)
        self.assertEqual(self.fingerprint(), before)

        # An overlapping export: one changed, one new.
        newer = self.write("newer.csv", SHOPIFY_HEADER + shopify_order(1003, total="30.00")
                           + shopify_order(1004))
        result = self.import_json(newer)
        self.assertEqual((result["orders_created"], result["orders_updated"],
                          result["orders_unchanged"]), (1, 1, 0))
        data = query(self.db, "SELECT e.data FROM events e JOIN orders o ON o.id = e.order_id"
                              " WHERE e.type = 'order.updated' AND o.order_number = '#1003'")
        self.assertEqual(len(data), 1)
        self.assertIn("total", json.loads(data[0][0])["changed"])

        # Without --json: a summary, exit 0.
        rc, out, err = run("--db", self.db, "import", path)
        self.assertEqual(rc, 0, err)
        self.assertIn("unchanged", out)

    def test_unreadable_inputs(self):
        # A database with something in it, which no failure may touch.
        good = self.write("good.csv", SHOPIFY_HEADER + shopify_order(1))
        self.import_json(good)
        before = self.fingerprint()

        cases = {
            "empty.csv": "",
            "header-only.csv": SHOPIFY_HEADER,
            "unknown.csv": "foo,bar,baz\n1,2,3\n",
        }
        paths = [self.write(name, text) for name, text in cases.items()]
        paths.append(self.write("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "wb"))
        paths.append(os.path.join(self.tmp.name, "missing.csv"))
        for path in paths:
            with self.subTest(path=os.path.basename(path)):
                start = time.monotonic()
                rc, out, err = run("--db", self.db, "--json", "import", path)
                self.assertOneLineError(rc, out, err, 2)
                self.assertLess(time.monotonic() - start, 30)
                self.assertEqual(self.fingerprint(), before)

    def test_big_garbage_file_fails_fast(self):
        # 2 GiB of binary (sparse, so the test stays light): decided from
        # the first bytes, never read to the end.
        path = os.path.join(self.tmp.name, "big.bin")
        with open(path, "wb") as f:
            f.write(b"PK\x03\x04" + bytes(range(256)) * 64)
            f.truncate(2 * 1024 * 1024 * 1024)
        start = time.monotonic()
        rc, out, err = run("--db", self.db, "import", path)
        self.assertOneLineError(rc, out, err, 2)
        self.assertLess(time.monotonic() - start, 10)

    def test_several_files(self):
        a = self.write("a.csv", SHOPIFY_HEADER + shopify_order(1) + shopify_order(2))
        b = self.write("b.csv", SHOPIFY_HEADER + shopify_order(2) + shopify_order(3, qty="x"))
        result = self.import_json(a, b)
        self.assertEqual(len(result["files"]), 2)
        for entry in result["files"]:
            for key in self.KEYS + ("file",):
                self.assertIn(key, entry)
        self.assertEqual([f["file"] for f in result["files"]], ["a.csv", "b.csv"])
        self.assertEqual(result["orders_created"], 2)
        self.assertEqual(result["orders_unchanged"], 1)
        self.assertEqual(result["rows_rejected"], 1)
        self.assertEqual(result["files"][1]["errors"][0]["line"], 3)

        # One unreadable file among readable ones: the others import, exit 2.
        empty = self.write("empty.csv", "")
        c = self.write("c.csv", SHOPIFY_HEADER + shopify_order(4))
        rc, out, err = run("--db", self.db, "--json", "import", empty, c)
        self.assertEqual(rc, 2, err)
        result = json.loads(out)
        self.assertEqual(result["orders_created"], 1)
        self.assertIn("error", result["files"][0])
        self.assertEqual(len(err.strip().splitlines()), 1)

    def test_format_forcing(self):
        path = self.write("orders.csv", SHOPIFY_HEADER + shopify_order(1))
        for fmt in ("amazon", "ebay", "etsy", "woocommerce"):
            with self.subTest(fmt=fmt):
                self.assertOneLineError(*run("--db", self.db, "import", "--format", fmt, path))
        self.assertOneLineError(*run("--db", self.db, "import", "--format", "csv-ish", path))
        self.assertEqual(count(self.db, "orders"), 0)
        result = self.import_json("--format", "shopify", path)
        self.assertEqual(result["orders_created"], 1)
        result = self.import_json("--format", "auto", path)
        self.assertEqual(result["orders_unchanged"], 1)

    def test_usage(self):
        rc, out, err = run("import", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("--format", out)
        self.assertIn("--mapping", out)
        self.assertOneLineError(*run("--db", self.db, "import"))

    def test_saved_mapping(self):
        sheet = ("Order Ref,Placed,Buyer,Street,Town,Post Code,Land,Article,Description,Count,"
                 "Each,Grand Total\n"
                 "S-1,2026-11-01,Ann Lee,1 Main St,Portland,97201,US,MUG-1,Mug,2,15.00,30.00\n"
                 "S-2,2026-11-02,Bob Roe,2 Oak Ave,Seattle,98101,US,TEA-1,Teapot,1,20.00,20.00\n")
        path = self.write("sheet.csv", sheet)
        rc, out, err = run("--db", self.db, "import", path)
        self.assertOneLineError(rc, out, err, 2)
        self.assertIn("mapping", err)

        rc, out, err = run("--db", self.db, "--json", "mappings", "save", path, "--name", "Market")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["name"], "Market")
        rc, out, err = run("--db", self.db, "--json", "mappings", "list")
        self.assertEqual(rc, 0, err)
        mappings = json.loads(out)["mappings"]
        self.assertEqual([m["name"] for m in mappings], ["Market"])

        # Next week's file of the same layout: no questions.
        result = self.import_json(path)
        self.assertEqual(result["orders_created"], 2)
        self.assertEqual(result["format"], "generic")
        # By name, too.
        result = self.import_json("--mapping", "market", path)
        self.assertEqual(result["orders_unchanged"], 2)
        self.assertOneLineError(*run("--db", self.db, "import", "--mapping", "Nope", path))


def write_big_shopify(path, n_orders):
    with open(path, "w") as f:
        f.write(SHOPIFY_HEADER)
        for n in range(n_orders):
            number = 500000 + n
            f.write(f"#{number},c{n}@example.com,paid,2026-10-01 10:00:00 -0400,unfulfilled,,USD,"
                    f"35.00,5.00,0.00,40.00,2026-10-01 09:00:00 -0400,1,Mug,15.00,MUG-{n % 50},true,"
                    f"Cus Tomer,Cus Tomer,{n} Main St,,Portland,97201,OR,US,,{n}\n"
                    f"#{number},c{n}@example.com,,,,,,,,,,2026-10-01 09:00:00 -0400,1,Bowl,20.00,"
                    f"BWL-1,true,,,,,,,,,,\n")


class KillTest(unittest.TestCase):
    """kill -9 in the middle of an import leaves the database as before the file."""

    N_ORDERS = 150000   # 300,000 lines: a few seconds of writing

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.big = os.path.join(cls.tmp.name, "big.csv")
        write_big_shopify(cls.big, cls.N_ORDERS)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self, db, expected):
        con = sqlite3.connect(db)
        try:
            self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
            self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            got = con.execute("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM"
                              " line_items), (SELECT count(*) FROM events)").fetchone()
        finally:
            con.close()
        self.assertEqual(got, expected)
        # And Postsale still opens it.
        rc, out, err = run("--db", db, "--json", "info")
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["orders"], expected[0])

    def kill_midway(self, db, delay, at_wal_growth=False):
        env = dict(os.environ)
        env.pop("POSTSALE_DB", None)
        child = subprocess.Popen([CLI, "--db", db, "import", self.big], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wal = db + "-wal"
        start = time.monotonic()
        # Wait until the import is writing (the WAL grows as the page cache
        # spills) or the delay has passed, whichever is later.
        while time.monotonic() - start < 30:
            if child.poll() is not None:
                break
            grown = os.path.exists(wal) and os.path.getsize(wal) > 0
            if at_wal_growth:
                if grown:
                    break
            elif time.monotonic() - start >= delay and (grown or time.monotonic() - start > 2 * delay):
                break
            time.sleep(0.002 if at_wal_growth else 0.02)
        still_running = child.poll() is None
        child.send_signal(signal.SIGKILL)
        child.wait()
        self.assertTrue(still_running, "the import finished before it could be killed; "
                                       "make the file bigger")
        self.assertEqual(child.returncode, -signal.SIGKILL)

    def test_kill_empty_database(self):
        db = os.path.join(self.tmp.name, "empty.db")
        rc, out, err = run("--db", db, "info")
        self.assertEqual(rc, 0, err)
        self.kill_midway(db, 0.5)
        self.check(db, (0, 0, 0))

    def test_kill_after_one_file(self):
        db = os.path.join(self.tmp.name, "one.db")
        first = os.path.join(self.tmp.name, "first.csv")
        with open(first, "w") as f:
            f.write(SHOPIFY_HEADER + "".join(shopify_order(n, lines=2) for n in range(1, 51)))
        rc, out, err = run("--db", db, "--json", "import", first)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["orders_created"], 50)
        for delay in (0.5, 1.2):
            with self.subTest(delay=delay):
                self.kill_midway(db, delay)
                self.check(db, (50, 100, 50))

        # Killed as the transaction's pages reach the WAL (the commit being
        # written): the file is in completely or not at all.
        self.kill_midway(db, 0, at_wal_growth=True)
        n = query(db, "SELECT count(*) FROM orders")[0][0]
        if n != 50:
            # The commit was through before the kill: all of it, then.
            self.check(db, (50 + self.N_ORDERS, 100 + 2 * self.N_ORDERS, 50 + self.N_ORDERS))
            return
        self.check(db, (50, 100, 50))

        # After all that, the file imports completely.
        rc, out, err = run("--db", db, "--json", "import", self.big)
        self.assertEqual(rc, 0, err)
        self.assertEqual(json.loads(out)["orders_created"], self.N_ORDERS)
        self.check(db, (50 + self.N_ORDERS, 100 + 2 * self.N_ORDERS, 50 + self.N_ORDERS))


if __name__ == "__main__":
    unittest.main(verbosity=2)
