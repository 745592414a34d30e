#!/usr/bin/python3
# smtp-fixture.py: a real SMTP server on loopback for the outbox tests.
#
# Copyright 2026 The Postsale authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: smtp-fixture.py MAILDIR PORT [--auth USER:PASSWORD]
# Writes each accepted message to MAILDIR/<n>.eml (envelope in X-MailFrom
# and X-RcptTo headers in front), refuses recipients starting with
# "refuse" with 550, prints "READY" once listening and stops when its
# stdin closes (so a crashed test never leaves it behind).

import argparse
import os
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Handler:
    def __init__(self, maildir):
        self.maildir = maildir
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().startswith("refuse"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.maildir, "%d-%d.eml" % (os.getpid(), self.count))
        with open(name + ".tmp", "wb") as f:
            f.write(b"X-MailFrom: " + envelope.mail_from.encode() + b"\r\n")
            f.write(b"X-RcptTo: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(name + ".tmp", name)
        return "250 2.0.0 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("maildir")
    parser.add_argument("port", type=int)
    parser.add_argument("--auth")
    args = parser.parse_args()

    kwargs = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode() == user and auth_data.password.decode() == password)
            return AuthResult(success=ok, handled=False)

        kwargs = dict(authenticator=authenticator, auth_require_tls=False)

    controller = Controller(Handler(args.maildir), hostname="127.0.0.1", port=args.port, **kwargs)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
