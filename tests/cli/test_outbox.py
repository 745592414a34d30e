#!/usr/bin/python3
# test_outbox.py: postsale-cli smtp and outbox against a real SMTP server on
# loopback (tests/services/smtp-fixture.py, aiosmtpd) and a demo database,
# checked with Python's sqlite3 and email parser.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_outbox.py /path/to/postsale-cli
import email
import email.policy
import glob
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import unittest

CLI = sys.argv.pop(1) if len(sys.argv) > 1 else os.environ["POSTSALE_CLI"]
FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "services", "smtp-fixture.py")
NOW = 1794999600
NASTY = '<b>Tom & "Jerry"</b>'


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, maildir, port):
        self.proc = subprocess.Popen(["/usr/bin/python3", FIXTURE, maildir, str(port)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "READY"

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


class OutboxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template_dir = tempfile.mkdtemp(prefix="outbox-cli-")
        cls.template_db = os.path.join(cls.template_dir, "demo.db")
        code, _, err = cls.run_cli(None, "--db", cls.template_db, "demo", "--orders", "60")
        assert code == 0, err

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.template_dir)

    @staticmethod
    def run_cli(now, *args, stdin=None):
        env = dict(os.environ)
        env.pop("POSTSALE_DB", None)
        env["POSTSALE_NOW"] = str(now or NOW)
        env["TZ"] = "UTC"
        p = subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=120, input=stdin)
        return p.returncode, p.stdout, p.stderr

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="outbox-cli-")
        self.db = os.path.join(self.dir, "t.db")
        shutil.copy(self.template_db, self.db)
        self.maildir = os.path.join(self.dir, "mail")
        os.mkdir(self.maildir)
        self.port = free_port()
        self.server = None
        self.now = NOW
        self.order_id, = self.one("SELECT id FROM orders WHERE customer_email IS NOT NULL"
                                  " AND last_shipment_id IS NOT NULL ORDER BY id LIMIT 1")

    def tearDown(self):
        if self.server:
            self.server.stop()
        shutil.rmtree(self.dir)

    def cli(self, *args, stdin=None):
        return self.run_cli(self.now, "--db", self.db, *args, stdin=stdin)

    def ok(self, *args):
        code, out, err = self.cli(*args)
        self.assertEqual(code, 0, err)
        return json.loads(out) if "--json" in args else out

    def one(self, sql, *params):
        con = sqlite3.connect(self.db)
        try:
            return con.execute(sql, params).fetchone()
        finally:
            con.close()

    def update(self, sql, *params):
        con = sqlite3.connect(self.db)
        try:
            con.execute(sql, params)
            con.commit()
        finally:
            con.close()

    def start(self):
        self.server = Server(self.maildir, self.port)

    def configure(self):
        self.ok("smtp", "set", "--host", "127.0.0.1", "--port", str(self.port), "--security", "none",
                "--from", "shop@example.com", "--from-name", "Café Ünïcorn", "--shop-name", "Café Ünïcorn")

    def mails(self):
        return sorted(glob.glob(os.path.join(self.maildir, "*.eml")))

    def test_smtp_settings(self):
        self.configure()
        shown = self.ok("smtp", "show", "--json")
        self.assertEqual(shown["host"], "127.0.0.1")
        self.assertEqual(shown["port"], self.port)
        self.assertEqual(shown["security"], "none")
        self.assertEqual(self.one("SELECT value FROM mail_settings WHERE key = 'from.address'"),
                         ("shop@example.com",))
        code, _, err = self.cli("smtp", "set", "--security", "ssl")
        self.assertEqual(code, 2)
        self.assertIn("security", err)
        code, _, err = self.cli("smtp", "set", "--from", "not-an-address")
        self.assertEqual(code, 2)
        self.assertIn("From address", err)
        # No password ever lands in the database.
        self.assertEqual(self.one("SELECT count(*) FROM mail_settings WHERE key LIKE '%pass%'"), (0,))

    def test_not_configured(self):
        self.ok("outbox", "add", "shipped", str(self.order_id))
        code, _, err = self.cli("outbox", "send")
        self.assertEqual(code, 2)
        self.assertIn("not set up", err)
        self.assertEqual(self.one("SELECT status, attempts FROM messages"), ("queued", 0))

    def test_once_per_key_with_headers(self):
        self.update("UPDATE orders SET customer_name = ? WHERE id = ?", NASTY, self.order_id)
        self.configure()
        self.start()
        first = self.ok("--json", "outbox", "add", "shipped", str(self.order_id), "--key", "k1")
        second = self.ok("--json", "outbox", "add", "shipped", str(self.order_id), "--key", "k1")
        self.assertTrue(first["created"])
        self.assertFalse(second["created"])
        self.assertEqual(first["id"], second["id"])
        run = self.ok("--json", "outbox", "send")
        self.assertEqual(run["sent"], 1)
        run = self.ok("--json", "outbox", "send")
        self.assertEqual(run["sent"], 0)
        self.assertEqual(len(self.mails()), 1)

        listed = self.ok("--json", "outbox", "list")["messages"]
        self.assertEqual(len(listed), 1)
        m = listed[0]
        self.assertEqual(set(m), {"id", "status", "order_id", "order_number", "template", "dedup_key",
                                  "message_id", "to", "subject", "attempts", "last_error",
                                  "next_attempt_at", "created_at", "sent_at"})
        self.assertEqual((m["status"], m["attempts"], m["sent_at"]), ("sent", 1, NOW))

        with open(self.mails()[0], "rb") as f:
            raw = f.read()
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        email_addr, number = self.one("SELECT customer_email, order_number FROM orders WHERE id = ?",
                                      self.order_id)
        self.assertEqual(msg["X-RcptTo"], email_addr)
        self.assertEqual(str(msg["Subject"]), "Your order %s is on its way" % number)
        self.assertEqual(msg["From"].addresses[0].display_name, "Café Ünïcorn")
        self.assertEqual(msg["To"].addresses[0].display_name, NASTY)
        self.assertEqual(msg["Message-ID"], m["message_id"])
        self.assertNotIn("Ünïcorn".encode(), raw.split(b"\r\n\r\n")[0])     # headers are encoded
        self.assertEqual(msg.get_content_type(), "multipart/alternative")
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        self.assertIn("Hi <b>Tom", text)
        self.assertIn("Hi &lt;b&gt;Tom", html)
        self.assertNotIn("<b>Tom", html)

    def test_retry_then_crash_rules(self):
        self.configure()
        self.ok("outbox", "add", "delay", str(self.order_id))
        run = self.ok("--json", "outbox", "send")            # nobody listening
        self.assertEqual(run["retrying"], 1)
        self.assertIn("Could not connect", run["problems"][0]["error"])
        self.assertEqual(self.one("SELECT status, attempts, next_attempt_at FROM messages"),
                         ("queued", 1, NOW + 60))
        self.start()
        self.assertEqual(self.ok("--json", "outbox", "send")["sent"], 0)   # backing off
        self.now = NOW + 61
        self.assertEqual(self.ok("--json", "outbox", "send")["sent"], 1)
        self.assertEqual(len(self.mails()), 1)

        # A process that died after handing the body over: not re-sent.
        self.ok("outbox", "add", "delivered", str(self.order_id))
        self.update("UPDATE messages SET status = 'sending', attempts = 1, lease_until = ?,"
                    " data_sent_at = ? WHERE status = 'queued'", self.now - 1, self.now - 50)
        code, out, err = self.cli("--json", "outbox", "send")
        self.assertEqual(code, 1)
        self.assertEqual(json.loads(out)["unknown"], 1)
        self.assertEqual(len(self.mails()), 1)
        mid, status, error = self.one("SELECT id, status, last_error FROM messages WHERE template_id ="
                                      " (SELECT id FROM message_templates WHERE name = 'delivered')")
        self.assertEqual(status, "failed")
        self.assertTrue(error.startswith("Delivery unknown"))
        # The merchant's Send now sends it, once.
        self.assertEqual(self.ok("--json", "outbox", "retry", str(mid))["sent"], 1)
        self.assertEqual(len(self.mails()), 2)
        code, _, err = self.cli("outbox", "retry", str(mid))
        self.assertEqual(code, 2)
        self.assertIn("already sent", err)

    def test_cancel_and_refused(self):
        self.configure()
        self.start()
        kept = self.ok("--json", "outbox", "add", "return_received", str(self.order_id))["id"]
        self.ok("outbox", "cancel", str(kept))
        self.ok("--json", "outbox", "add", "shipped", str(self.order_id), "--to", "refused@example.com")
        code, out, _ = self.cli("--json", "outbox", "send")
        self.assertEqual(code, 1)
        run = json.loads(out)
        self.assertEqual((run["sent"], run["failed"]), (0, 1))
        self.assertIn("refused the recipient refused@example.com", run["problems"][0]["error"])
        self.assertEqual(self.mails(), [])
        statuses = [m["status"] for m in self.ok("--json", "outbox", "list")["messages"]]
        self.assertEqual(sorted(statuses), ["cancelled", "failed"])
        self.assertEqual(len(self.ok("--json", "outbox", "list", "--status", "failed")["messages"]), 1)

    def test_usage_errors(self):
        for args, needle in ((["outbox"], "say list"), (["outbox", "cancel", "x"], "message id"),
                             (["outbox", "add", "nope", str(self.order_id)], "no email template"),
                             (["outbox", "list", "--status", "bogus"], "unknown --status")):
            code, _, err = self.cli(*args)
            self.assertEqual(code, 2, args)
            self.assertIn(needle, err.lower() if needle.islower() else err)
            self.assertEqual(len(err.strip().splitlines()), 1)


if __name__ == "__main__":
    if subprocess.run(["/usr/bin/python3", "-c", "import aiosmtpd"], capture_output=True).returncode:
        print("aiosmtpd is missing: skipped")
        sys.exit(77)
    unittest.main(verbosity=2)
