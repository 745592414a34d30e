#!/usr/bin/python3
# test_cli.py: postsale-cli as a script would use it.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_cli.py /path/to/postsale-cli
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]


def run(*args, env=None):
    e = dict(os.environ)
    e.pop("POSTSALE_DB", None)
    if env:
        e.update(env)
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=e, timeout=300)
    return p.returncode, p.stdout, p.stderr


def digest(path, sql):
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    for row in con.execute(sql):
        h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


class CliTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.db = os.path.join(self.tmp.name, "t.db")

    def tearDown(self):
        self.tmp.cleanup()

    def assertOneLineError(self, rc, out, err, code=2):
        self.assertEqual(rc, code, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("postsale-cli: "), err)

    def test_help(self):
        rc, out, err = run("--help")
        self.assertEqual(rc, 0)
        self.assertIn("demo", out)
        self.assertIn("--db", out)
        rc, out, err = run("demo", "--help")
        self.assertEqual(rc, 0)
        self.assertIn("--orders", out)
        self.assertIn("--seed", out)

    def test_usage_errors(self):
        rc, out, err = run()
        self.assertEqual(rc, 2)
        self.assertIn("no command", err)
        self.assertOneLineError(*run("frobnicate"))
        self.assertOneLineError(*run("--db", self.db, "demo", "--orders", "0"))
        self.assertOneLineError(*run("--db", self.db, "demo", "--orders", "many"))
        self.assertOneLineError(*run("--db", self.db, "demo", "--now", "yesterday-ish"))
        self.assertOneLineError(*run("--db", self.db, "info", "extra"))
        self.assertOneLineError(*run("--db", self.db, "demo", "--bogus"))

    def test_not_a_database(self):
        with open(self.db, "w") as f:
            f.write("order,number\n1,2\n" * 50)
        before = open(self.db).read()
        rc, out, err = run("--db", self.db, "info")
        self.assertOneLineError(rc, out, err)
        self.assertEqual(open(self.db).read(), before)

    def test_demo_and_info(self):
        rc, out, err = run("--db", self.db, "--json", "demo", "--orders", "300", "--seed", "5",
                           "--now", "2026-11-01")
        self.assertEqual(rc, 0, err)
        stats = json.loads(out)
        self.assertEqual(stats["orders"], 300)
        for key in ("line_items", "shipments", "tracking_events", "returns", "events"):
            self.assertIn(key, stats)
        self.assertGreater(stats["shipments"], 100)
        self.assertGreaterEqual(stats["line_items"], 300)

        # Global options may also follow the command.
        rc, out, err = run("info", "--db", self.db, "--json")
        self.assertEqual(rc, 0, err)
        info = json.loads(out)
        self.assertEqual(info["orders"], 300)
        self.assertTrue(info["demo"])
        self.assertGreaterEqual(info["schema_version"], 1)

        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM orders").fetchone()[0], 300)
        self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
        self.assertEqual(con.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        con.close()

        # A second demo refuses to mix with existing orders...
        self.assertOneLineError(*run("--db", self.db, "demo", "--orders", "10"))
        # ...unless asked to replace them.
        rc, out, err = run("--db", self.db, "--json", "demo", "--orders", "10", "--replace")
        self.assertEqual(rc, 0, err)
        rc, out, err = run("--db", self.db, "--json", "info")
        self.assertEqual(json.loads(out)["orders"], 10)

    def test_env_database(self):
        rc, out, err = run("--json", "demo", "--orders", "20", env={"POSTSALE_DB": self.db})
        self.assertEqual(rc, 0, err)
        self.assertTrue(os.path.exists(self.db))
        rc, out, err = run("--json", "info", env={"POSTSALE_DB": self.db})
        self.assertEqual(json.loads(out)["path"], self.db)

    def test_deterministic(self):
        a = os.path.join(self.tmp.name, "a.db")
        b = os.path.join(self.tmp.name, "b.db")
        c = os.path.join(self.tmp.name, "c.db")
        for path, seed in ((a, "11"), (b, "11"), (c, "12")):
            rc, out, err = run("--db", path, "demo", "--orders", "200", "--seed", seed,
                               "--now", "2026-10-01")
            self.assertEqual(rc, 0, err)
        for sql in ("SELECT * FROM orders ORDER BY id",
                    "SELECT * FROM line_items ORDER BY id",
                    "SELECT * FROM shipments ORDER BY id",
                    "SELECT * FROM tracking_events ORDER BY id",
                    "SELECT * FROM events ORDER BY id",
                    "SELECT * FROM returns ORDER BY id"):
            self.assertEqual(digest(a, sql), digest(b, sql), sql)
        self.assertNotEqual(digest(a, "SELECT * FROM orders ORDER BY id"),
                            digest(c, "SELECT * FROM orders ORDER BY id"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
