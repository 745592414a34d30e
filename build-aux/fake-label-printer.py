#!/usr/bin/python3
# build-aux/fake-label-printer.py: a network label printer for the print tests.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: fake-label-printer.py OUTDIR PORTFILE
#
# Listens on 127.0.0.1 on a free port (written to PORTFILE once listening)
# and speaks the receiving half of AppSocket/JetDirect, the protocol of
# CUPS's socket:// backend: one connection is one job, its bytes are the
# job, the job ends when the sender closes its side. Every job is saved
# as OUTDIR/job-N.bin, N counting from 1; the file appears complete (it is
# written under another name and renamed), so a test that sees it may read
# it. Runs until killed.
import os
import socket
import sys


def main():
    outdir, portfile = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(('127.0.0.1', 0))
    server.listen(8)
    tmp = portfile + '.tmp'
    with open(tmp, 'w') as f:
        f.write(f'{server.getsockname()[1]}\n')
    os.rename(tmp, portfile)

    n = 0
    while True:
        conn, _ = server.accept()
        chunks = []
        with conn:
            while True:
                data = conn.recv(65536)
                if not data:
                    break
                chunks.append(data)
        if not chunks:
            # CUPS may probe the printer (SNMP-less status check) with an
            # empty connection; that is not a job.
            continue
        n += 1
        path = os.path.join(outdir, f'job-{n}.bin')
        with open(path + '.part', 'wb') as f:
            f.write(b''.join(chunks))
        os.rename(path + '.part', path)
        print(f'job {n}: {sum(map(len, chunks))} bytes', flush=True)


if __name__ == '__main__':
    main()
