#!/usr/bin/python3
# tests/a11y/test_pages.py: drive the real postsale binary through AT-SPI.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_pages.py POSTSALE [POSTSALE_CLI]
#   (POSTSALE_CLI defaults to $POSTSALE_CLI from the tests' environment)
#
# Builds a 300-order demo database with postsale-cli in a temporary directory,
# starts `postsale --db` on it, and for every page selects the sidebar row BY
# ITS ACCESSIBLE NAME through the AT-SPI Selection interface of the "Pages"
# list (GtkListBoxRow exposes no AT-SPI action in GTK 4.8, and dogtail's mouse
# clicks use wrong coordinates under GTK 4), then checks what the user would
# read:
#   - the content header's AdwWindowTitle shows the page name (and no longer
#     the previous page's name);
#   - for the placeholder pages, an AdwStatusPage titled with the page name and
#     with a non-empty description;
#   - for Orders, the "Orders table" column view shows rows, and the first
#     30 all have an order number ("#1459", "111-0172331-1385548", ...) in the
#     "Order" column;
#   - for the built pages (BUILT below), a control only that page has.
#
# GTK 4.8 exposes no SHOWING state (every widget is just "visible") and keeps
# every stack page in the tree, so which stack child is on screen cannot be
# read through AT-SPI; the header title is the evidence that the page
# switched, the status page checks prove each page's content is right.
#
# Needs an X display and a session bus (build-aux/ci-session.sh gives both);
# exits 77 (skipped) when there is no DISPLAY. Must run with Debian's
# /usr/bin/python3 (gi, pyatspi and dogtail live there).

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback

PAGES = ['Dashboard', 'Orders', 'Shipments', 'Automations', 'Returns', 'Improvements']
N_ORDERS = 300
TOTAL_BUDGET_S = 100      # meson's timeout is 120 s; fail cleanly before it
APP_APPEAR_S = 30         # the app registers on the a11y bus within ~1 s normally
PAGE_SWITCH_S = 10        # per page: selection -> header/status/table checks
ORDER_ROWS_S = 20         # rows are filled from the worker thread


class TestFailure(Exception):
    pass


class AppGone(Exception):
    """The app process ended: no point in polling further."""


class OutOfTime(BaseException):
    """SIGALRM: the whole-test budget is spent. A BaseException, so that no
    polling loop's `except Exception` can swallow it."""


def log(msg):
    print(f'a11y: {msg}', flush=True)


def wait_for(what, timeout, func, interval=0.2):
    """Poll func() until it returns something truthy; TestFailure on timeout.
    func may raise TestFailure to explain the last failed attempt."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            result = func()
            if result:
                return result
        except AppGone:
            raise
        except TestFailure as e:
            last = str(e)
        except Exception as e:    # AT-SPI objects can vanish while walking
            last = f'{type(e).__name__}: {e}'
        if time.monotonic() > deadline:
            raise TestFailure(f'timed out after {timeout} s waiting for {what}'
                              + (f' (last: {last})' if last else ''))
        time.sleep(interval)


def walk(node, prune=None, depth=0, max_depth=60):
    """Depth-first walk over an Atspi accessible, tolerating vanished children.
    Every node costs D-Bus round trips, so callers prune subtrees they do not
    need (the orders table alone has ~2000 nodes): prune(node) -> True means
    yield the node but not its descendants."""
    yield node
    if depth >= max_depth or (prune is not None and depth > 0 and prune(node)):
        return
    try:
        n = node.childCount
    except Exception:
        return
    for i in range(n):
        try:
            child = node.getChildAtIndex(i)
        except Exception:
            continue
        if child is not None:
            yield from walk(child, prune, depth + 1, max_depth)


def role(node):
    try:
        return node.getRoleName()
    except Exception:
        return ''


def name(node):
    try:
        return node.name or ''
    except Exception:
        return ''


def children(node, limit=None):
    out = []
    n = node.childCount
    for i in range(n if limit is None else min(n, limit)):
        c = node.getChildAtIndex(i)
        if c is not None:
            out.append(c)
    return out


def labels_below(node):
    return [name(n) for n in walk(node, prune=is_big) if role(n) == 'label']


def is_big(node):
    """Subtrees that never hold headers or status pages."""
    return role(node) in ('tree table', 'list')


def find_app(tree, pid):
    for app in tree.root.applications():
        try:
            if app.name == 'postsale' and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def find_pages_list(app):
    for n in walk(app, prune=lambda n: role(n) == 'tree table'):
        if role(n) == 'list' and name(n) == 'Pages':
            return n
    raise TestFailure('no list named "Pages" (the sidebar) in the a11y tree')


def header_titles(app):
    """Titles of every AdwWindowTitle (sidebar header + content header)."""
    titles = []
    for n in walk(app, prune=is_big):
        if name(n) == 'AdwWindowTitle':
            labels = labels_below(n)
            if labels:
                titles.append(labels[0])      # first label = title, second = subtitle
    return titles


def select_page(pages_list, page):
    """Select the sidebar row whose accessible name is `page`."""
    rows = children(pages_list)
    names = [name(r) for r in rows]
    if page not in names:
        raise TestFailure(f'no sidebar row named {page!r}; rows are {names}')
    index = names.index(page)
    row = rows[index]
    # An action on the row would be the most direct; GTK 4.8 rows have none,
    # but prefer it if a later GTK or the app adds one.
    try:
        action = row.queryAction()
        for i in range(action.nActions):
            if action.getName(i) in ('activate', 'click'):
                action.doAction(i)
                return
    except (NotImplementedError, AttributeError):
        pass
    except Exception:
        pass
    if not pages_list.querySelection().selectChild(index):
        raise TestFailure(f'Selection.selectChild({index}) for {page!r} returned false')


def selected_rows(pages_list):
    sel = pages_list.querySelection()
    return [name(sel.getSelectedChild(i)) for i in range(sel.nSelectedChildren)]


def check_selected(pages_list, page):
    selected = selected_rows(pages_list)
    if selected != [page]:
        raise TestFailure(f'selected rows: {selected}')
    return True


def check_header(app, page, previous):
    titles = header_titles(app)
    if page not in titles:
        raise TestFailure(f'content header shows {titles}, expected {page!r}')
    if previous and previous in titles:
        raise TestFailure(f'header still shows the previous page {previous!r}: {titles}')
    return titles


def check_button(app, label):
    """A push button whose name (mnemonics dropped) starts with label."""
    for n in walk(app, prune=is_big):
        if role(n) == 'push button' and name(n).replace('_', '').startswith(label):
            return True
    raise TestFailure(f'no push button named {label!r}')


# Pages that are built: what proves the page's own content is there (its
# placeholder status page is gone from the window template).
BUILT = {
    # A tile is a button named by its sentence ("Orders 103, down 3.7% ...").
    'Dashboard': ('the Orders tile', lambda app: check_button(app, 'Orders ')),
    # Each exception has an Email Customer button; a quiet shop has none.
    'Shipments': ('an exception or the No Exceptions page',
                  lambda app: check_button_or_status(app, 'Email Customer', 'No Exceptions')),
    'Automations': ('the New Rule button', lambda app: check_button(app, 'New Rule')),
}


def check_button_or_status(app, label, status):
    """A push button named label…, or else the status page titled status."""
    try:
        return check_button(app, label)
    except TestFailure:
        for n in walk(app, prune=is_big):
            if role(n) == 'panel' and name(n) == status:
                return True
    raise TestFailure(f'no push button named {label!r} and no status page {status!r}')


def check_status_page(app, page):
    """An AdwStatusPage (a 'panel' named like its title) whose first two labels
    are the title and a non-empty description."""
    found = []
    for n in walk(app, prune=is_big):
        if role(n) != 'panel' or name(n) != page:
            continue
        labels = [l for l in labels_below(n) if l]
        found.append(labels[:2])
        if len(labels) >= 2 and labels[0] == page and labels[1].strip():
            return True
    raise TestFailure(f'no status page titled {page!r} with a description (candidates: {found})')


# Order numbers as shops write them: "#1459", "111-0172331-1385548", "WC-5733",
# "3110067079": one token with at least one digit.
ORDER_NUMBER = re.compile(r'^#?[A-Za-z0-9][A-Za-z0-9-]*$')
MAX_ROWS = 30


def check_orders_table(app):
    """The first MAX_ROWS data rows of "Orders table" all show an order number
    in the "Order" column (the first column if no header says "Order")."""
    tables = [n for n in walk(app, prune=lambda n: role(n) in ('tree table', 'list'))
              if role(n) == 'tree table' and name(n) == 'Orders table']
    if not tables:
        raise TestFailure('no "tree table" named "Orders table"')
    table = tables[0]
    # tree table > [header 'table row' > GtkColumnViewTitle > label,
    #               'list' > data 'table row' > 'table cell' > label]
    # Each node read is a D-Bus round trip: read only what is needed.
    column = 0
    rows = []
    for part in children(table):
        if role(part) == 'table row':
            titles = [(labels_below(t) or [''])[0] for t in children(part)]
            if 'Order' in titles:
                column = titles.index('Order')
        elif role(part) == 'list':
            for row in children(part, MAX_ROWS):
                if role(row) != 'table row':
                    continue
                cells = [c for c in children(row) if role(c) == 'table cell']
                if len(cells) > column:
                    text = labels_below(cells[column])
                    rows.append(text[0] if text else '')
    if not rows:
        raise TestFailure('"Orders table" has no data rows')
    numbered = [r for r in rows if ORDER_NUMBER.match(r) and re.search(r'\d', r)]
    if len(numbered) != len(rows):
        # Rows still being filled in show placeholders: wait_for retries.
        raise TestFailure(f'{len(rows) - len(numbered)} of {len(rows)} rows have no order '
                          f'number in column {column}: {rows[:8]}')
    return rows


def main(argv):
    if len(argv) < 2:
        print(f'usage: {argv[0]} POSTSALE [POSTSALE_CLI]', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('a11y: no DISPLAY; run under build-aux/ci-session.sh (skipping)')
        return 77

    # meson passes executables relative to the build directory (the cwd).
    postsale = os.path.abspath(argv[1])
    cli = argv[2] if len(argv) > 2 else os.environ.get('POSTSALE_CLI')
    if not cli:
        print('a11y: pass POSTSALE_CLI as the 2nd argument or in the environment', file=sys.stderr)
        return 2
    cli = os.path.abspath(cli)

    # Everything this test writes goes under one temporary directory,
    # including dogtail's log/scratch/data directories. dogtail creates
    # "/tmp/dogtail-$LOGNAME/..." when dogtail.config is imported, so make
    # that path BE our temporary directory (mkdtemp under /tmp with the
    # "dogtail-" prefix, LOGNAME = the rest) before importing it.
    tmp = tempfile.mkdtemp(prefix='dogtail-postsale-a11y.', dir='/tmp')
    app_proc = None
    app_log = os.path.join(tmp, 'postsale.log')
    real_logname = os.environ.get('LOGNAME')
    os.environ['LOGNAME'] = tmp[len('/tmp/dogtail-'):]

    def on_alarm(signum, frame):
        raise OutOfTime(f'whole test exceeded {TOTAL_BUDGET_S} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_BUDGET_S)

    failures = []
    try:
        from dogtail.config import config
        config.checkForA11y = False    # else dogtail exits: no toolkit-accessibility key
        config.logDebugToFile = False
        config.logDebugToStdOut = False
        config.searchShowingOnly = False
        from dogtail import tree
        if real_logname is not None:
            os.environ['LOGNAME'] = real_logname
        else:
            del os.environ['LOGNAME']

        db = os.path.join(tmp, 'orders.db')
        t0 = time.monotonic()
        subprocess.run([cli, '--db', db, 'demo', '--orders', str(N_ORDERS)],
                       check=True, timeout=60, stdout=subprocess.DEVNULL)
        log(f'demo database with {N_ORDERS} orders in {time.monotonic() - t0:.1f} s')

        with open(app_log, 'wb') as out:
            app_proc = subprocess.Popen([postsale, '--db', db], stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=subprocess.STDOUT)

        def app_appeared():
            if app_proc.poll() is not None:
                # e.g. another instance already owns com.example.Postsale on
                # this bus and our process handed over to it.
                raise AppGone(f'postsale exited early with status {app_proc.returncode}')
            return find_app(tree, app_proc.pid)
        app = wait_for('postsale in the AT-SPI tree', APP_APPEAR_S, app_appeared)
        pages_list = wait_for('the "Pages" sidebar list', APP_APPEAR_S, lambda: find_pages_list(app))
        row_names = [name(r) for r in children(pages_list)]
        log(f'sidebar rows: {row_names}; selected: {selected_rows(pages_list)}')
        if row_names != PAGES:
            failures.append(f'sidebar rows are {row_names}, expected {PAGES}')

        # Start on a page other than the first tested one, so the first
        # switch has to change the header too.
        previous = next((t for t in header_titles(app) if t in PAGES), None)
        order = PAGES if previous != PAGES[0] else PAGES[1:] + PAGES[:1]
        for page in order:
            try:
                t0 = time.monotonic()
                select_page(pages_list, page)
                wait_for(f'{page!r} to be the selected row', PAGE_SWITCH_S,
                         lambda: check_selected(pages_list, page))
                titles = wait_for(f'header title {page!r}', PAGE_SWITCH_S,
                                  lambda: check_header(app, page, previous))
                if page == 'Orders':
                    rows = wait_for('order rows', ORDER_ROWS_S, lambda: check_orders_table(app))
                    detail = f'first {len(rows)} rows show order numbers ({rows[0]!r}, …)'
                elif page in BUILT:
                    what, check = BUILT[page]
                    wait_for(what, PAGE_SWITCH_S, lambda: check(app))
                    detail = what
                else:
                    wait_for(f'status page {page!r}', PAGE_SWITCH_S,
                             lambda: check_status_page(app, page))
                    detail = 'status page title and description'
                log(f'ok   {page}: header {titles}, {detail} ({time.monotonic() - t0:.2f} s)')
            except TestFailure as e:
                log(f'FAIL {page}: {e}')
                failures.append(f'{page}: {e}')
            previous = page

        if app_proc.poll() is not None:
            failures.append(f'postsale exited during the test with status {app_proc.returncode}')
    except (TestFailure, AppGone, OutOfTime) as e:
        failures.append(str(e))
    except Exception:
        failures.append(traceback.format_exc())
    finally:
        signal.alarm(0)
        if app_proc is not None and app_proc.poll() is None:
            app_proc.terminate()
            try:
                app_proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                app_proc.kill()
                app_proc.wait()
        if failures and os.path.exists(app_log):
            with open(app_log, errors='replace') as f:
                text = f.read()
            print('---- postsale output ----\n' + text[-8000:] + '---- end ----')
        shutil.rmtree(tmp, ignore_errors=True)

    for f in failures:
        print(f'a11y: FAIL: {f}')
    print('a11y: ' + ('FAILED' if failures else 'all pages OK'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
