#!/usr/bin/python3
# test_orders.py: postsale-cli orders and filters, checked against SQL
# written here, independently of the condition compiler; orders --search
# against a brute-force scan of the demo's text.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_orders.py /path/to/postsale-cli
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]

# Wednesday 2026-11-18 11:00:00 UTC: the demo's history ends here and the
# time-based filters count from here.
NOW = 1794999600
DAY = 86400

BUILTINS = ["Awaiting shipment", "Ready to ship", "Late handoff", "Exceptions",
            "Address issues", "High complexity", "Delivered this week"]


def run(*args):
    env = dict(os.environ)
    env.pop("POSTSALE_DB", None)
    env["POSTSALE_NOW"] = str(NOW)
    env["TZ"] = "UTC"
    p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)
    return p.returncode, p.stdout, p.stderr


def business_seconds(a, b):
    """Seconds of [a, b) on Monday to Friday, in UTC: business time counted
    the slow way, to check "older than N business days"."""
    total = 0
    day = a - a % DAY
    while day < b:
        weekday = (day // DAY + 3) % 7   # 1970-01-01 was a Thursday; 0 = Monday
        lo, hi = max(a, day), min(b, day + DAY)
        if weekday < 5 and hi > lo:
            total += hi - lo
        day += DAY
    return total


class OrdersCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.db = os.path.join(cls.tmp.name, "demo.db")
        rc, out, err = run("--db", cls.db, "demo", "--orders", "3000", "--seed", "11",
                           "--now", str(NOW))
        assert rc == 0, err
        cls.con = sqlite3.connect(cls.db)

    @classmethod
    def tearDownClass(cls):
        cls.con.close()
        cls.tmp.cleanup()

    def cli(self, *args):
        return run("--db", self.db, *args)

    def cli_json(self, *args):
        rc, out, err = self.cli("--json", *args)
        self.assertEqual(rc, 0, err)
        return json.loads(out)

    def count(self, *args):
        return self.cli_json("orders", "--count", *args)["count"]

    def sql_count(self, sql, *params):
        return self.con.execute(sql, params).fetchone()[0]

    def assertOneLineError(self, rc, err, needle, code=2):
        self.assertEqual(rc, code, err)
        lines = err.strip().splitlines()
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith("postsale-cli: "), err)
        self.assertIn(needle, lines[0])

    # --- built-in filters against SQL written here ------------------------

    def test_awaiting_and_ready(self):
        for name, status in (("Awaiting shipment", "awaiting_shipment"),
                             ("Ready to ship", "ready_to_ship")):
            expected = self.sql_count("SELECT count(*) FROM orders WHERE status = ?", status)
            self.assertGreater(expected, 0)
            self.assertEqual(self.count("--saved", name), expected)

    def test_high_complexity(self):
        expected = self.sql_count(
            "SELECT count(*) FROM orders o WHERE"
            " (SELECT sum(quantity) FROM line_items WHERE order_id = o.id) >= 4")
        self.assertGreater(expected, 0)
        self.assertEqual(self.count("--saved", "high complexity"), expected)

    def test_exceptions(self):
        expected = self.sql_count(
            "SELECT count(*) FROM orders o WHERE o.status = 'exception' OR EXISTS"
            " (SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.voided_at IS NULL"
            "  AND s.tracking_status IN ('exception', 'return_to_sender'))")
        self.assertGreater(expected, 0)
        self.assertEqual(self.count("--saved", "Exceptions"), expected)

    def test_delivered_this_week(self):
        expected = self.sql_count(
            "SELECT count(DISTINCT order_id) FROM shipments WHERE voided_at IS NULL"
            " AND delivered_at >= ? AND delivered_at <= ?", NOW - 7 * DAY, NOW)
        self.assertGreater(expected, 0)
        self.assertEqual(self.count("--saved", "Delivered this week"), expected)

    def test_late_handoff(self):
        # Each condition looks at the shipments on its own: some live label
        # more than 2 business days old, and some live shipment pre-transit.
        old, pre = set(), set()
        for order_id, label, status in self.con.execute(
                "SELECT order_id, label_created_at, tracking_status FROM shipments"
                " WHERE voided_at IS NULL"):
            if label is not None and business_seconds(label, NOW) > 2 * DAY:
                old.add(order_id)
            if status == "pre_transit":
                pre.add(order_id)
        expected = len(old & pre)
        self.assertGreater(expected, 0)
        self.assertEqual(self.count("--saved", "Late handoff"), expected)

    def test_address_issues(self):
        expected = self.sql_count(
            "SELECT count(*) FROM orders WHERE address_issue = 1 AND status IN"
            " ('awaiting_payment', 'awaiting_shipment', 'on_hold', 'ready_to_ship')")
        self.assertEqual(self.count("--saved", "Address issues"), expected)

    def test_sidebar_counts(self):
        # filters list --counts (one job, as the sidebar) equals one count each.
        listed = self.cli_json("filters", "list", "--counts")["filters"]
        self.assertEqual([f["name"] for f in listed], BUILTINS)
        for f in listed:
            self.assertTrue(f["builtin"])
            self.assertEqual(f["count"], self.count("--saved", f["name"]), f["name"])
            self.assertIn(next(iter(f["definition"])), ("all", "any"))

    # --- orders: ad-hoc filters and output -------------------------------

    def test_filter_json(self):
        expected = self.sql_count(
            "SELECT count(*) FROM orders o JOIN channels c ON c.id = o.channel_id"
            " WHERE c.name = 'Etsy' AND o.ship_country <> 'US' AND o.total_minor > 5000")
        condition = json.dumps({"all": [
            {"field": "channel", "op": "is", "value": "ETSY"},
            {"field": "ship_country", "op": "is_not", "value": "us"},
            {"field": "total", "op": "gt", "value": 5000}]})
        self.assertEqual(self.count("--filter", condition), expected)

        tagged = self.sql_count(
            "SELECT count(DISTINCT ot.order_id) FROM order_tags ot JOIN tags t"
            " ON t.id = ot.tag_id WHERE t.name IN ('gift', 'vip')")
        condition = json.dumps({"field": "tags", "op": "in", "value": ["GIFT", "vip"]})
        self.assertGreater(tagged, 0)
        self.assertEqual(self.count("--filter", condition), tagged)

        everything = self.sql_count("SELECT count(*) FROM orders")
        self.assertEqual(self.count(), everything)
        self.assertEqual(self.count("--filter", '{"all": []}'), everything)
        self.assertEqual(self.count("--filter", '{"any": []}'), 0)

    def test_filter_shipment_group(self):
        # One shipment passes every test of a shipment group; the same tests
        # on their own may be met by two shipments of a split order.
        since = NOW - 30 * DAY
        one = self.sql_count(
            "SELECT count(DISTINCT order_id) FROM shipments WHERE voided_at IS NULL"
            " AND carrier = 'ups' AND label_created_at >= ? AND first_scan_at IS NULL"
            " AND (coalesce(exception_reason, 'none') NOT IN ('none', '') OR EXISTS"
            "      (SELECT 1 FROM tracking_events t WHERE t.shipment_id = shipments.id"
            "       AND t.status = 'exception'))", since)
        tests = [{"field": "carrier", "op": "is", "value": "UPS"},
                 {"field": "label_created_at", "op": "gt", "value": since - 1},
                 {"field": "first_scan_at", "op": "is_empty"},
                 {"field": "had_exception", "op": "is", "value": True}]
        self.assertGreater(one, 0)
        self.assertEqual(self.count("--filter", json.dumps({"shipment": {"all": tests}})), one)
        apart = self.count("--filter", json.dumps({"all": [
            {"shipment": {"all": [t]}} for t in tests if t["op"] != "is_empty"]}))
        self.assertGreaterEqual(apart, one)

        # On the way with a carrier estimate.
        expected = self.sql_count(
            "SELECT count(DISTINCT order_id) FROM shipments WHERE voided_at IS NULL"
            " AND delivered_at IS NULL AND estimated_delivery_at IS NOT NULL")
        self.assertGreater(expected, 0)
        self.assertEqual(self.count("--filter", json.dumps({"shipment": {"all": [
            {"field": "estimated_delivery_at", "op": "gt", "value": 0},
            {"field": "delivered_at", "op": "is_empty"}]}})), expected)

        # Order fields inside are refused, naming the field.
        rc, out, err = self.cli("orders", "--count", "--filter", json.dumps(
            {"shipment": {"all": [{"field": "ship_country", "op": "is", "value": "US"}]}}))
        self.assertOneLineError(rc, err, "ship_country")

    def test_count_json_shape(self):
        rc, out, err = self.cli("--json", "orders", "--saved", "Ready to ship", "--count")
        self.assertEqual(rc, 0, err)
        self.assertEqual(list(json.loads(out)), ["count"])
        rc, out, err = self.cli("orders", "--saved", "Ready to ship", "--count")
        self.assertEqual(rc, 0, err)
        self.assertEqual(int(out.strip()), self.count("--saved", "Ready to ship"))

    def test_list_json(self):
        result = self.cli_json("orders", "--saved", "Awaiting shipment", "--limit", "5")
        self.assertEqual(result["count"], self.count("--saved", "Awaiting shipment"))
        self.assertEqual(len(result["orders"]), 5)
        keys = {"id", "number", "channel", "status", "total_minor", "currency", "created_at"}
        for order in result["orders"]:
            self.assertTrue(keys <= set(order), order)
            self.assertEqual(order["status"], "awaiting_shipment")
            row = self.con.execute(
                "SELECT o.order_number, c.name, o.total_minor, o.currency FROM orders o"
                " JOIN channels c ON c.id = o.channel_id WHERE o.id = ?",
                (order["id"],)).fetchone()
            self.assertEqual(row, (order["number"], order["channel"], order["total_minor"],
                                   order["currency"]))
        # Newest first by default.
        created = [o["created_at"] for o in result["orders"]]
        self.assertEqual(created, sorted(created, reverse=True))

        # --sort total --ascending: the cheapest five of the filter.
        cheap = self.cli_json("orders", "--saved", "Awaiting shipment", "--limit", "5",
                              "--sort", "total", "--ascending")["orders"]
        expected = [r[0] for r in self.con.execute(
            "SELECT id FROM orders WHERE status = 'awaiting_shipment'"
            " ORDER BY total_minor, id LIMIT 5")]
        self.assertEqual([o["id"] for o in cheap], expected)

    def test_list_text(self):
        rc, out, err = self.cli("orders", "--saved", "Exceptions", "--limit", "4")
        self.assertEqual(rc, 0, err)
        lines = out.splitlines()
        self.assertEqual(len(lines), 4)
        for line in lines:
            fields = line.split("\t")
            # number, date, customer, channel, status, total
            self.assertEqual(len(fields), 6, line)
            self.assertRegex(fields[1], r"^\d{4}-\d\d-\d\d \d\d:\d\d$")
            self.assertRegex(fields[5], r"^-?\d+(\.\d+)? [A-Z]{3}$")

    # --- errors ----------------------------------------------------------

    def test_errors_name_the_culprit(self):
        rc, out, err = self.cli("orders", "--filter",
                                '{"all": [{"field": "colour", "op": "is", "value": "red"}]}')
        self.assertOneLineError(rc, err, "colour")
        rc, out, err = self.cli("orders", "--filter",
                                '{"field": "status", "op": "resembles", "value": "x"}')
        self.assertOneLineError(rc, err, "resembles")
        rc, out, err = self.cli("orders", "--filter",
                                '{"field": "status", "op": "is", "value": "lost_in_space"}')
        self.assertOneLineError(rc, err, "lost_in_space")
        rc, out, err = self.cli("orders", "--filter", '{"all": [')
        self.assertOneLineError(rc, err, "JSON")
        rc, out, err = self.cli("orders", "--saved", "No such filter")
        self.assertOneLineError(rc, err, "No such filter")
        rc, out, err = self.cli("orders", "--saved", "Exceptions", "--filter", '{"all": []}')
        self.assertOneLineError(rc, err, "--saved")
        rc, out, err = self.cli("orders", "--limit", "-3")
        self.assertOneLineError(rc, err, "--limit")
        rc, out, err = self.cli("orders", "--sort", "colour")
        self.assertOneLineError(rc, err, "colour")
        rc, out, err = self.cli("filters", "save", "Mine",
                                '{"any": [{"field": "bogus_field", "op": "is", "value": 1}]}')
        self.assertOneLineError(rc, err, "bogus_field")
        rc, out, err = self.cli("filters", "frobnicate")
        self.assertOneLineError(rc, err, "frobnicate")
        rc, out, err = self.cli("filters", "show")
        self.assertOneLineError(rc, err, "NAME")

    # --- search ----------------------------------------------------------

    def searchable_words(self):
        """Per order id, the columns of the search index as lists of
        lower-case runs of letters and digits: the number; the customer's
        name then email; each line's SKU, name and variant; the tracking
        numbers (the demo's text is ASCII, so folding is lower())."""
        columns = {}

        def add(order_id, column, text):
            if text:
                columns[order_id][column].extend(re.findall(r"[a-z0-9]+", text.lower()))
        for order_id, number, name, email in self.con.execute(
                "SELECT id, order_number, customer_name, customer_email FROM orders"):
            columns[order_id] = ([], [], [], [])
            add(order_id, 0, number)
            add(order_id, 1, name)
            add(order_id, 1, email)
        for order_id, sku, name, variant in self.con.execute(
                "SELECT order_id, sku, name, variant FROM line_items ORDER BY order_id, position"):
            add(order_id, 2, sku)
            add(order_id, 2, name)
            add(order_id, 2, variant)
        for order_id, number in self.con.execute(
                "SELECT order_id, tracking_number FROM shipments ORDER BY id"):
            add(order_id, 3, number)
        return columns

    @staticmethod
    def phrase_in(tokens, phrase):
        """Whether the words of @phrase follow each other in @tokens, the
        last one as a prefix: a typed word like "lant-led" is a phrase."""
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tokens[i:i + n - 1] == phrase[:-1] and tokens[i + n - 1].startswith(phrase[-1]):
                return True
        return False

    def brute_force(self, columns, typed, ids=None):
        """The orders a search must find, the slow way: every typed word
        (split at white space) is a phrase found in one column; a text
        without any letter or digit finds nothing."""
        phrases = [p for p in (re.findall(r"[a-z0-9]+", t.lower()) for t in typed.split()) if p]
        if not phrases:
            return set()
        return {i for i, cols in columns.items()
                if (ids is None or i in ids)
                and all(any(self.phrase_in(c, p) for c in cols) for p in phrases)}

    def test_search(self):
        # The demo leaves the index complete.
        self.assertEqual(self.sql_count("SELECT count(*) FROM order_search"),
                         self.sql_count("SELECT count(*) FROM orders"))
        self.assertEqual(self.sql_count("SELECT count(*) FROM search_dirty"), 0)

        words = self.searchable_words()
        name, email, number = self.con.execute(
            "SELECT customer_name, customer_email, order_number FROM orders"
            " WHERE id = (SELECT order_id FROM shipments WHERE tracking_number IS NOT NULL"
            " ORDER BY id LIMIT 1)").fetchone()
        tracking = self.con.execute(
            "SELECT tracking_number FROM shipments WHERE tracking_number IS NOT NULL"
            " ORDER BY id LIMIT 1").fetchone()[0]
        sku = self.con.execute("SELECT sku FROM line_items WHERE sku IS NOT NULL LIMIT 1"
                               ).fetchone()[0]
        first = name.split()[0]
        for typed in ("s", "jo", first, first[:3] + " " + name.split()[-1][:2], email,
                      number, tracking, tracking[:6], sku, sku.split("-")[0],
                      "example", "zzzq"):
            expected = self.brute_force(words, typed)
            result = self.cli_json("orders", "--search", typed)
            self.assertEqual(result["count"], len(expected), typed)
            self.assertEqual({o["id"] for o in result["orders"]}, expected, typed)
            self.assertEqual(self.count("--search", typed), len(expected), typed)
        self.assertEqual(self.cli_json("orders", "--search", number)["orders"][0]["number"],
                         number)

    def test_search_combined(self):
        words = self.searchable_words()
        # --saved, --limit, --sort and --json together.
        awaiting = {r[0] for r in self.con.execute(
            "SELECT id FROM orders WHERE status = 'awaiting_shipment'")}
        expected = self.brute_force(words, "ma", awaiting)
        self.assertGreater(len(expected), 5)
        result = self.cli_json("orders", "--saved", "Awaiting shipment", "--search", "ma",
                               "--limit", "5", "--sort", "total", "--ascending")
        self.assertEqual(result["count"], len(expected))
        want = [r[0] for r in self.con.execute(
            "SELECT id FROM orders WHERE id IN (%s) ORDER BY total_minor, id LIMIT 5"
            % ",".join(str(i) for i in expected))]
        self.assertEqual([o["id"] for o in result["orders"]], want)

        # --filter and --count.
        etsy = {r[0] for r in self.con.execute(
            "SELECT o.id FROM orders o JOIN channels c ON c.id = o.channel_id"
            " WHERE c.name = 'Etsy'")}
        condition = json.dumps({"field": "channel", "op": "is", "value": "etsy"})
        self.assertEqual(self.count("--filter", condition, "--search", "s"),
                         len(self.brute_force(words, "s", etsy)))

        # Blank is no search; query syntax is searched as text, never an error.
        self.assertEqual(self.count("--search", "  "), self.count())
        for typed in ('"', "*", "(", "NEAR(a b)", "-x", "a:b", "^", "AND OR NOT", 'x" OR "y',
                      "s -", "(jo)"):
            rc, out, err = self.cli("--json", "orders", "--count", "--search", typed)
            self.assertEqual(rc, 0, (typed, err))
            self.assertEqual(json.loads(out)["count"], len(self.brute_force(words, typed)),
                             typed)

        # Text output: one line per order.
        rc, out, err = self.cli("orders", "--search", "s", "--limit", "3")
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(out.splitlines()), 3)

    # --- filters: save, show, duplicate, delete --------------------------

    def test_filters_crud(self):
        definition = {"all": [{"field": "carrier", "op": "is", "value": "ups"},
                              {"field": "delivered_at", "op": "is_empty"}]}
        rc, out, err = self.cli("filters", "save", "UPS on the way", json.dumps(definition))
        self.assertEqual(rc, 0, err)
        shown = self.cli_json("filters", "show", "ups ON THE WAY")
        self.assertEqual(shown["name"], "UPS on the way")
        self.assertFalse(shown["builtin"])
        self.assertEqual(shown["definition"], definition)

        expected = self.sql_count(
            "SELECT count(*) FROM orders o WHERE EXISTS (SELECT 1 FROM shipments s"
            " WHERE s.order_id = o.id AND s.voided_at IS NULL AND s.carrier = 'ups')"
            " AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = o.id"
            " AND s.voided_at IS NULL AND s.delivered_at IS NOT NULL)")
        self.assertEqual(self.count("--saved", "UPS on the way"), expected)

        # Built-in filters are read-only.
        rc, out, err = self.cli("filters", "save", "late HANDOFF", '{"all": []}')
        self.assertOneLineError(rc, err, "Late handoff")
        rc, out, err = self.cli("filters", "delete", "Late handoff")
        self.assertOneLineError(rc, err, "Late handoff")

        copy = self.cli_json("filters", "duplicate", "Late handoff")
        self.assertEqual(copy["name"], "Late handoff (copy)")
        self.assertFalse(copy["builtin"])
        self.assertEqual(self.count("--saved", "Late handoff (copy)"),
                         self.count("--saved", "Late handoff"))

        for name in ("Late handoff (copy)", "UPS on the way"):
            rc, out, err = self.cli("filters", "delete", name)
            self.assertEqual(rc, 0, err)
        rc, out, err = self.cli("filters", "show", "UPS on the way")
        self.assertOneLineError(rc, err, "UPS on the way")
        names = [f["name"] for f in self.cli_json("filters", "list")["filters"]]
        self.assertEqual(names, BUILTINS)


if __name__ == "__main__":
    unittest.main(verbosity=2)
