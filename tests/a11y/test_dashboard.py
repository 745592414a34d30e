#!/usr/bin/python3
# tests/a11y/test_dashboard.py: click a Dashboard tile the way a screen reader
# user would and check that the Orders page lists as many orders as the tile
# said.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_dashboard.py POSTSALE [POSTSALE_CLI]
#
# On a 600-order demo database, starts `postsale --page dashboard`, waits for
# the tiles (push buttons whose accessible name is the tile's sentence,
# "Awaiting shipment 35, oldest 23 hours"), checks the "Awaiting shipment"
# tile against `postsale-cli metrics --json`, clicks it (its AT-SPI click
# action) and counts the data rows of "Orders table" once the Orders page is
# shown: they must be exactly the tile's number (an exact drill-down; the
# number is kept small enough for the list to realize every row).
#
# Skips (77) when there is no DISPLAY, or when the window has no Dashboard
# tiles yet (the page is wired into the window separately).
#
# Needs an X display and a session bus (build-aux/ci-session.sh). Debian's
# /usr/bin/python3 (dogtail, pyatspi).

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_pages as tp  # noqa: E402

N_ORDERS = 600
TILE = 'Awaiting shipment'
TOTAL_BUDGET_S = 110
TILES_S = 30
STEP_S = 30
MAX_LISTED = 150          # rows the orders list realizes at once, with room


def tile_buttons(app):
    """Push buttons named like a tile's sentence: "Title value[, …]". The
    orders table is pruned (thousands of nodes)."""
    return [n for n in tp.walk(app, prune=tp.is_big)
            if tp.role(n) == 'push button' and tp.name(n).startswith(TILE + ' ')]


def click(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == 'click':
            action.doAction(i)
            return
    raise tp.TestFailure(f'{tp.role(node)} {tp.name(node)!r} has no click action')


def tile_number(tile):
    """'Awaiting shipment 35, oldest 23 hours' -> 35; None while loading."""
    m = re.match(re.escape(TILE) + r' ([\d,]+)(,|$)', tp.name(tile))
    return int(m.group(1).replace(',', '')) if m else None


def orders_rows(app):
    """Data rows of "Orders table" with an order number in their first cell."""
    tables = [n for n in tp.walk(app, prune=lambda n: tp.role(n) in ('tree table', 'list'))
              if tp.role(n) == 'tree table' and tp.name(n) == 'Orders table']
    if not tables:
        raise tp.TestFailure('no "tree table" named "Orders table"')
    rows = 0
    for part in tp.children(tables[0]):
        if tp.role(part) != 'list':
            continue
        for row in tp.children(part):
            if tp.role(row) != 'table row':
                continue
            cells = [c for c in tp.children(row) if tp.role(c) == 'table cell']
            text = tp.labels_below(cells[0]) if cells else []
            if not text or not re.search(r'\d', text[0]):
                raise tp.TestFailure('rows are still being filled in')
            rows += 1
    return rows


def main(argv):
    if len(argv) < 2:
        print(f'usage: {argv[0]} POSTSALE [POSTSALE_CLI]', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('a11y: no DISPLAY; run under build-aux/ci-session.sh (skipping)')
        return 77
    postsale = os.path.abspath(argv[1])
    cli = os.path.abspath(argv[2] if len(argv) > 2 else os.environ['POSTSALE_CLI'])

    tmp = tempfile.mkdtemp(prefix='dogtail-postsale-dashboard.', dir='/tmp')
    real_logname = os.environ.get('LOGNAME')
    os.environ['LOGNAME'] = tmp[len('/tmp/dogtail-'):]
    app_proc = None
    app_log = os.path.join(tmp, 'postsale.log')

    def on_alarm(signum, frame):
        raise tp.OutOfTime(f'whole test exceeded {TOTAL_BUDGET_S} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_BUDGET_S)

    failure = None
    skipped = None
    try:
        from dogtail.config import config
        config.checkForA11y = False
        config.logDebugToFile = False
        config.logDebugToStdOut = False
        config.searchShowingOnly = False
        from dogtail import tree
        if real_logname is not None:
            os.environ['LOGNAME'] = real_logname
        else:
            del os.environ['LOGNAME']

        db = os.path.join(tmp, 'shop.db')
        subprocess.run([cli, '--db', db, 'demo', '--orders', str(N_ORDERS)], check=True,
                       timeout=60, stdout=subprocess.DEVNULL)
        out = subprocess.run([cli, '--db', db, 'metrics', '--json'], check=True, timeout=60,
                             capture_output=True, text=True).stdout
        expected = json.loads(out)['awaiting_shipment']
        tp.log(f'postsale-cli metrics: awaiting_shipment {expected}')
        if not 0 < expected <= MAX_LISTED:
            raise tp.TestFailure(f'the demo has {expected} orders awaiting shipment; the check '
                                 f'needs 1 to {MAX_LISTED}')

        with open(app_log, 'wb') as log:
            app_proc = subprocess.Popen([postsale, '--db', db, '--page', 'dashboard'],
                                        stdin=subprocess.DEVNULL, stdout=log,
                                        stderr=subprocess.STDOUT)

        def app_appeared():
            if app_proc.poll() is not None:
                raise tp.AppGone(f'postsale exited early with status {app_proc.returncode}')
            return tp.find_app(tree, app_proc.pid)
        app = tp.wait_for('postsale in the AT-SPI tree', 30, app_appeared)

        try:
            tile = tp.wait_for(f'the "{TILE}" tile', TILES_S, lambda: (tile_buttons(app) or [None])[0])
        except tp.TestFailure:
            # The page exists (tests/ui/test-dashboard.c) but the window may
            # not show it yet: that is not this test's failure.
            if not [n for n in tp.walk(app, prune=tp.is_big)
                    if tp.role(n) == 'push button'
                    and re.match(r'Orders ([\d,]+|loading)', tp.name(n))]:
                skipped = ('the Dashboard page shows no tile buttons: PsDashboardPage is not '
                           'in the window yet (ps-window.ui still has the placeholder)')
                raise
            raise

        shown = tp.wait_for('the tile\'s number', STEP_S, lambda: tile_number(tile))
        tp.log(f'tile: {tp.name(tile)!r}')
        if shown != expected:
            raise tp.TestFailure(f'the tile says {shown}, postsale-cli metrics {expected}')

        click(tile)

        def listed():
            rows = orders_rows(app)
            if rows != shown:
                raise tp.TestFailure(f'{rows} rows listed, the tile said {shown}')
            return rows
        rows = tp.wait_for('the Orders page to list the tile\'s orders', STEP_S, listed)
        tp.log(f'the Orders page lists {rows} orders, as the tile said')
    except BaseException as e:          # noqa: B036 - report everything, then clean up
        if skipped is None:
            failure = e
            traceback.print_exc()
    finally:
        signal.alarm(0)
        if app_proc is not None:
            app_proc.terminate()
            try:
                app_proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                app_proc.kill()
        if failure is not None and os.path.exists(app_log):
            with open(app_log, errors='replace') as f:
                sys.stdout.write('--- postsale log ---\n' + f.read()[-4000:])
        shutil.rmtree(tmp, ignore_errors=True)

    if skipped is not None:
        print(f'a11y: SKIP: {skipped}')
        return 77
    if failure is not None:
        print(f'a11y: FAIL: {failure}')
        return 1
    print('a11y: PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
