#!/usr/bin/python3
# test_rules.py: postsale-cli rules on a demo database: list, add, dry-run
# checked against SQL written here, the real run agreeing with the dry run,
# never firing twice, usage errors.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_rules.py /path/to/postsale-cli
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

NOW = 1794999600   # Wednesday 2026-11-18 11:00:00 UTC

EXCEPTION_RULE = {
    "name": "Shopify exceptions",
    "trigger": "tracking.status_changed",
    "event_conditions": [{"field": "to", "op": "is", "value": "exception"}],
    "condition": {"all": [{"field": "channel", "op": "is", "value": "shopify"}]},
    "actions": [{"type": "add_tag", "tag": "cli-exception"}],
}


def run(*args):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    env["POSTSALE_NOW"] = str(NOW)
    env["TZ"] = "UTC"
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


class RulesCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        rc, out, err = run("--db", cls.db, "demo", "--orders", "1500", "--seed", "7",
                           "--now", str(NOW))
        assert rc == 0, err

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def cli(self, *args, rc=0):
        code, out, err = run("--db", self.db, *args)
        self.assertEqual(code, rc, f"{args}: {err}")
        return out, err

    def add(self, rule):
        path = os.path.join(self.tmp.name, "rule.json")
        with open(path, "w") as f:
            json.dump(rule, f)
        out, _ = self.cli("--json", "rules", "add", path)
        return json.loads(out)["id"]

    def expected_fires(self):
        """The exception events of Shopify orders, asked in SQL here."""
        con = sqlite3.connect(self.db)
        rows = con.execute(
            "SELECT e.id, e.order_id FROM events e JOIN orders o ON o.id = e.order_id"
            " JOIN channels c ON c.id = o.channel_id"
            " WHERE e.type = 'tracking.status_changed' AND json_extract(e.data, '$.to') = 'exception'"
            " AND c.name = 'Shopify' COLLATE NOCASE").fetchall()
        con.close()
        return rows

    def test_1_flow(self):
        out, _ = self.cli("--json", "rules", "list")
        self.assertEqual(json.loads(out), {"rules": []})

        rule_id = self.add(EXCEPTION_RULE)
        listed = json.loads(self.cli("--json", "rules", "list")[0])["rules"]
        self.assertEqual([(r["id"], r["name"], r["trigger"], r["enabled"]) for r in listed],
                         [(rule_id, "Shopify exceptions", "tracking.status_changed", False)])

        expected = self.expected_fires()
        self.assertGreater(len(expected), 0)
        dry = json.loads(self.cli("--json", "rules", "dry-run", str(rule_id),
                                  "--since", "2000-01-01")[0])
        self.assertEqual(dry["fires"], len(expected))
        self.assertEqual(sorted(dry["orders"]), sorted({o for _, o in expected}))
        self.assertEqual(sum(d["fires"] for d in dry["per_day"]), len(expected))
        self.assertEqual(sorted(r["event"] for r in dry["runs"]), sorted(e for e, _ in expected))

        # A dry run writes nothing.
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM rule_runs").fetchone()[0], 0)

        # The demo was written before any rule: its history is pending, so the
        # real run goes over the same events and agrees with the dry run.
        self.cli("rules", "enable", str(rule_id))
        report = json.loads(self.cli("--json", "rules", "run")[0])
        self.assertEqual(report["events"]["fired"], len(expected))
        runs = con.execute("SELECT event_id, order_id FROM rule_runs WHERE rule_id = ?",
                           (rule_id,)).fetchall()
        self.assertEqual(sorted(runs), sorted(expected))
        tagged = con.execute(
            "SELECT count(DISTINCT ot.order_id) FROM order_tags ot JOIN tags t ON t.id = ot.tag_id"
            " WHERE t.name = 'cli-exception'").fetchone()[0]
        self.assertEqual(tagged, len({o for _, o in expected}))
        actors = con.execute("SELECT DISTINCT actor FROM events WHERE actor LIKE 'rule:%'").fetchall()
        self.assertEqual(actors, [(f"rule:{rule_id}",)])

        # Again: nothing new, nothing fires twice.
        report = json.loads(self.cli("--json", "rules", "run")[0])
        self.assertEqual(report["events"]["fired"], 0)
        self.assertEqual(con.execute("SELECT count(*) FROM rule_runs").fetchone()[0],
                         len(expected))
        listed = json.loads(self.cli("--json", "rules", "list")[0])["rules"]
        self.assertTrue(listed[0]["enabled"])
        self.assertEqual(listed[0]["fires_7d"], len(expected))
        self.assertEqual(listed[0]["last_fired_at"], NOW)

        log = json.loads(self.cli("--json", "rules", "log", "--limit", "3")[0])["runs"]
        self.assertEqual(len(log), 3)
        self.assertEqual(log[0]["detail"]["actions"][0]["action"]["tag"], "cli-exception")

        self.cli("rules", "disable", str(rule_id))
        listed = json.loads(self.cli("--json", "rules", "list")[0])["rules"]
        self.assertFalse(listed[0]["enabled"])
        con.close()

    def test_2_templates(self):
        out, _ = self.cli("--json", "rules", "add-templates")
        ids = json.loads(out)["ids"]
        self.assertEqual(len(ids), 3)
        listed = {r["id"]: r for r in json.loads(self.cli("--json", "rules", "list")[0])["rules"]}
        self.assertEqual([listed[i]["trigger"] for i in ids],
                         ["tracking.status_changed", "time", "order.imported"])
        self.assertFalse(any(listed[i]["enabled"] for i in ids))
        # "4 or more items" over the demo's imports, counted here in SQL.
        dry = json.loads(self.cli("--json", "rules", "dry-run", str(ids[2]),
                                  "--since", "2000-01-01")[0])
        con = sqlite3.connect(self.db)
        big = con.execute("SELECT count(*) FROM events e JOIN orders o ON o.id = e.order_id"
                          " WHERE e.type = 'order.imported' AND o.item_count >= 4").fetchone()[0]
        con.close()
        self.assertEqual(dry["fires"], big)

    def test_3_errors(self):
        path = os.path.join(self.tmp.name, "bad.json")
        with open(path, "w") as f:
            json.dump({"name": "x", "trigger": "time",
                       "actions": [{"type": "set_status", "status": "lost"}]}, f)
        _, err = self.cli("rules", "add", path, rc=2)
        self.assertIn("/actions/0", err)
        self.assertEqual(len(err.strip().splitlines()), 1)
        self.cli("rules", "dry-run", "abc", rc=2)
        self.cli("rules", "dry-run", "9999", rc=2)
        self.cli("rules", "enable", "9999", rc=2)
        self.cli("rules", "frobnicate", rc=2)
        self.cli("rules", "run", "--since", "2020-01-01", rc=2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
