#!/usr/bin/python3
# tests/a11y/test_filters.py: build a saved filter through the filter builder,
# the way a screen reader user would, and check its sidebar count.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_filters.py POSTSALE [POSTSALE_CLI]
#
# On a 300-order demo database: clicks "New Filter", names the filter, and
# builds
#     channel is etsy AND (tracking status is exception
#                          OR label created more than 2 days ago)
# with the combo boxes (AT-SPI Selection), text entries (EditableText) and
# the day-count spin button (Value) of the builder; waits for the live count,
# saves, and checks that the new sidebar row's count equals both the editor's
# count and `postsale-cli orders --saved NAME --count --json`, and that the
# saved definition is exactly the tree built (`filters show NAME`).
#
# Needs an X display and a session bus (build-aux/ci-session.sh); exits 77
# when there is no DISPLAY. Debian's /usr/bin/python3 (dogtail, pyatspi).

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

N_ORDERS = 300
FILTER_NAME = 'Etsy needing attention'
TOTAL_BUDGET_S = 110
STEP_S = 30
EXPECTED = {'all': [
    {'field': 'channel', 'op': 'is', 'value': 'etsy'},
    {'any': [
        {'field': 'tracking_status', 'op': 'is', 'value': 'exception'},
        {'field': 'label_created_at', 'op': 'older_than_days', 'value': 2},
    ]},
]}


def nodes(root, predicate):
    """The builder's window is small: walk all of it. Below the main window,
    skip the orders table (thousands of nodes)."""
    prune = tp.is_big if tp.role(root) == 'application' else None
    return [n for n in tp.walk(root, prune=prune) if predicate(n)]


def one(root, predicate, what):
    found = nodes(root, predicate)
    if not found:
        raise tp.TestFailure(f'no {what}')
    return found[0]


def click(node):
    """GtkButton exposes a 'click' action; a button drawn with a mnemonic
    is named "_Save Save", so callers match on the label below it."""
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) == 'click':
            action.doAction(i)
            return
    raise tp.TestFailure(f'{tp.role(node)} {tp.name(node)!r} has no click action')


def button(root, label):
    return one(root, lambda n: tp.role(n) == 'push button' and
               (tp.name(n).replace('_', '').split(' ')[0] == label.split(' ')[0] and
                label in tp.name(n).replace('_', '')),
               f'button {label!r}')


def set_text(node, text):
    node.queryEditableText().setTextContents(text)


def description(node):
    try:
        return node.description or ''
    except Exception:
        return ''


def choose(combo, label):
    """Pick the combo box entry whose text is `label`. GTK 4.8 does not list
    a combo box's entries as AT-SPI children, so select by index until the
    combo's description (the chosen text) is the one wanted."""
    selection = combo.querySelection()
    if description(combo) == label:
        return
    for index in range(64):
        if not selection.selectChild(index):
            break
        deadline = time.monotonic() + 2
        while description(combo) == '' and time.monotonic() < deadline:
            time.sleep(0.05)
        if description(combo) == label:
            return
    raise tp.TestFailure(f'combo {tp.name(combo)!r} has no entry {label!r}')


def combos(root, name):
    return nodes(root, lambda n: tp.role(n) == 'combo box' and tp.name(n) == name)


def condition_rows(group):
    """The "Condition" panels directly inside a group (not in nested ones)."""
    rows = []
    for n in tp.walk(group, prune=lambda n: n is not group and tp.name(n) in ('Condition group', 'Condition')):
        if n is not group and tp.role(n) == 'panel' and tp.name(n) == 'Condition':
            rows.append(n)
    return rows


def count_text(editor):
    """The live count, once it is about the current conditions: the label
    is marked busy from an edit until its count arrives."""
    import pyatspi
    label = one(editor, lambda n: tp.role(n) == 'label' and
                re.fullmatch(r'[\d,]+ matching orders?', tp.name(n)) is not None,
                'match count label')
    if label.getState().contains(pyatspi.STATE_BUSY):
        raise tp.TestFailure('the count is still being computed')
    return label


def number(text):
    return int(re.sub(r'[^\d]', '', text))


def main(argv):
    if len(argv) < 2:
        print(f'usage: {argv[0]} POSTSALE [POSTSALE_CLI]', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('a11y: no DISPLAY; run under build-aux/ci-session.sh (skipping)')
        return 77
    postsale = os.path.abspath(argv[1])
    cli = os.path.abspath(argv[2] if len(argv) > 2 else os.environ['POSTSALE_CLI'])

    tmp = tempfile.mkdtemp(prefix='dogtail-postsale-filters.', dir='/tmp')
    real_logname = os.environ.get('LOGNAME')
    os.environ['LOGNAME'] = tmp[len('/tmp/dogtail-'):]
    app_proc = None
    app_log = os.path.join(tmp, 'postsale.log')

    def on_alarm(signum, frame):
        raise tp.OutOfTime(f'whole test exceeded {TOTAL_BUDGET_S} s')
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TOTAL_BUDGET_S)

    failure = None
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
        with open(app_log, 'wb') as out:
            app_proc = subprocess.Popen([postsale, '--db', db, '--page', 'orders'],
                                        stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT)

        def app_appeared():
            if app_proc.poll() is not None:
                raise tp.AppGone(f'postsale exited early with status {app_proc.returncode}')
            return tp.find_app(tree, app_proc.pid)
        app = tp.wait_for('postsale in the AT-SPI tree', 30, app_appeared)

        click(tp.wait_for('the New Filter button', STEP_S, lambda: button(app, 'New Filter')))

        def editor_window():
            for w in tp.children(app):
                if tp.name(w) == 'New Filter':
                    return w
            return None
        editor = tp.wait_for('the filter builder window', STEP_S, editor_window)
        root = tp.wait_for('the conditions', STEP_S,
                           lambda: one(editor, lambda n: tp.name(n) == 'Conditions', 'Conditions group'))

        set_text(one(editor, lambda n: tp.role(n) == 'text' and tp.name(n) == 'Name', 'Name entry'),
                 FILTER_NAME)

        # 1. Channel is etsy (a new filter starts with one "Channel is" row).
        first = condition_rows(root)[0]
        choose(combos(first, 'Field')[0], 'Channel')
        choose(combos(first, 'Operator')[0], 'is')
        set_text(one(first, lambda n: tp.role(n) == 'text' and tp.name(n) == 'Value', 'value entry'),
                 'etsy')

        # 2. A nested group: any of ...
        click(button(root, 'Add Group'))
        group = tp.wait_for('the nested group', STEP_S,
                            lambda: one(root, lambda n: tp.name(n) == 'Condition group', 'nested group'))
        choose(combos(group, 'Match')[0], 'any')

        # 2a. tracking status is exception
        row = tp.wait_for('the group\'s first condition', STEP_S, lambda: condition_rows(group)[0])
        choose(combos(row, 'Field')[0], 'Tracking status')
        choose(combos(row, 'Operator')[0], 'is')
        choose(tp.wait_for('the status choices', STEP_S, lambda: combos(row, 'Value')[0]), 'Exception')

        # 2b. label created more than 2 days ago
        click(button(group, 'Add Condition'))
        row = tp.wait_for('the group\'s second condition', STEP_S,
                          lambda: condition_rows(group)[1] if len(condition_rows(group)) > 1 else None)
        choose(combos(row, 'Field')[0], 'Label created')
        choose(combos(row, 'Operator')[0], 'more than N days ago')
        days = tp.wait_for('the days spin button', STEP_S,
                           lambda: one(row, lambda n: tp.role(n) == 'spin button' and tp.name(n) == 'Days',
                                       'Days spin button'))
        days.queryValue().currentValue = 2
        time.sleep(0.5)    # the builder waits for a pause in editing before counting

        editor_count = number(tp.name(tp.wait_for('the live count', STEP_S, lambda: count_text(editor))))
        tp.log(f'the builder counts {editor_count} matching orders')
        click(button(editor, 'Save'))
        tp.wait_for('the builder to close', STEP_S, lambda: editor_window() is None)

        # The sidebar row and its count.
        def sidebar_count():
            filters = one(app, lambda n: tp.role(n) == 'list' and tp.name(n) == 'Filters', 'Filters list')
            for row in tp.children(filters):
                if tp.name(row) == FILTER_NAME:
                    labels = [l for l in tp.labels_below(row) if l]
                    if len(labels) >= 2 and re.fullmatch(r'[\d,]+', labels[-1]):
                        return number(labels[-1])
            return None
        shown = tp.wait_for('the new filter\'s sidebar count', STEP_S, sidebar_count)

        out = subprocess.run([cli, '--db', db, 'orders', '--saved', FILTER_NAME, '--count', '--json'],
                             check=True, timeout=30, capture_output=True, text=True).stdout
        cli_count = json.loads(out)['count']
        tp.log(f'sidebar {shown}, builder {editor_count}, postsale-cli {cli_count}')
        if not (shown == editor_count == cli_count):
            raise tp.TestFailure(f'counts differ: sidebar {shown}, builder {editor_count}, cli {cli_count}')
        if cli_count == 0:
            raise tp.TestFailure('the filter matches no demo order; the check would prove nothing')

        out = subprocess.run([cli, '--db', db, 'filters', 'show', FILTER_NAME, '--json'],
                             check=True, timeout=30, capture_output=True, text=True).stdout
        saved = json.loads(out)
        definition = saved.get('definition', saved)
        if isinstance(definition, str):
            definition = json.loads(definition)
        if definition != EXPECTED:
            raise tp.TestFailure(f'saved definition {json.dumps(definition)} != {json.dumps(EXPECTED)}')
        tp.log('saved definition matches the tree built')
    except BaseException as e:          # noqa: B036 - report everything, then clean up
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

    if failure is not None:
        print(f'a11y: FAIL: {failure}')
        return 1
    print('a11y: PASS')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
