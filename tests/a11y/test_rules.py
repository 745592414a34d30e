#!/usr/bin/python3
# tests/a11y/test_rules.py: write an automation rule in the rule editor, run
# its dry run and switch it on, the way a screen reader user would.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test_rules.py POSTSALE [POSTSALE_CLI]
#
# On a 300-order demo database, on the Automations page: clicks "New Rule…",
# names the rule, keeps "Tracking status changes" as the trigger, adds the
# event condition "To status is Exception" and the action "Add tag
# a11y-exception" with the combo boxes (AT-SPI Selection) and text entries
# (EditableText); waits for the live "would have fired" count; opens "Dry
# Run…" and checks its count equals the editor's; saves; switches the rule
# on with its "Enabled" switch; and checks with `postsale-cli rules list
# --json` that the rule exists, with that trigger, and is enabled.
#
# Needs an X display and a session bus (build-aux/ci-session.sh); exits 77
# when there is no DISPLAY.

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
import test_filters as tf  # noqa: E402

N_ORDERS = 300
RULE_NAME = 'A11y exception tag'
TAG = 'a11y-exception'
TOTAL_BUDGET_S = 115
STEP_S = 30
FIRES_RE = r'Would have fired ([\d,]+) times? in the last 30 days.*'
DRY_RUN_RE = r'Would have fired ([\d,]+) times? on [\d,]+ orders in the last 30 days.*'


def not_table(node):
    """Walk everything but the orders table (thousands of nodes)."""
    return tp.role(node) == 'tree table'


def find(root, predicate):
    return [n for n in tp.walk(root, prune=not_table) if predicate(n)]


def one(root, predicate, what):
    found = find(root, predicate)
    if not found:
        raise tp.TestFailure(f'no {what}')
    return found[0]


def plain(text):
    return text.replace('_', '')


def button(root, label):
    """A push button whose name (mnemonics dropped) starts with `label`."""
    return one(root, lambda n: tp.role(n) == 'push button' and plain(tp.name(n)).startswith(label),
               f'button {label!r}')


def settled_label(root, pattern, what):
    import pyatspi
    label = one(root, lambda n: tp.role(n) == 'label' and re.fullmatch(pattern, tp.name(n)) is not None, what)
    if label.getState().contains(pyatspi.STATE_BUSY):
        raise tp.TestFailure(f'{what} is still being computed')
    return label


def window_named(app, predicate):
    for w in tp.children(app):
        if predicate(tp.name(w)):
            return w
    return None


def toggle(node):
    """GtkSwitch: use whatever action it offers (GTK 4.8 names it 'click'
    or 'activate')."""
    action = node.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for wanted in ('click', 'activate', 'toggle', 'press'):
        if wanted in names:
            action.doAction(names.index(wanted))
            return
    if names:
        action.doAction(0)
        return
    raise tp.TestFailure(f'{tp.role(node)} {tp.name(node)!r} has no action')


def cli_rules(cli, db):
    out = subprocess.run([cli, '--db', db, 'rules', 'list', '--json'], check=True, timeout=30,
                         capture_output=True, text=True).stdout
    return json.loads(out)['rules']


def exceptions_near_edge(db, margin=300):
    """Exception events within margin seconds of 30 days ago: the editor's
    count and the later dry run each replay "the last 30 days" from their
    own now, so such an event can be in one and not the other."""
    import sqlite3
    edge = int(time.time()) - 30 * 86400
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM events WHERE type = 'tracking.status_changed'"
                           " AND data LIKE '%\"to\":\"exception\"%'"
                           " AND occurred_at BETWEEN ? AND ?",
                           (edge - margin, edge + margin + TOTAL_BUDGET_S)).fetchone()[0]
    finally:
        con.close()


def make_demo(cli, db):
    """The demo ends now, or an hour earlier per try when an exception
    event would sit on the 30-day edge while the test runs."""
    for shift in range(6):
        args = [cli, '--db', db, 'demo', '--replace', '--orders', str(N_ORDERS)]
        if shift:
            args += ['--now', str(int(time.time()) - shift * 3600)]
        subprocess.run(args, check=True, timeout=60, stdout=subprocess.DEVNULL)
        if exceptions_near_edge(db) == 0:
            return
    raise tp.TestFailure('every demo tried has an exception event on the 30-day edge')


def main(argv):
    if len(argv) < 2:
        print(f'usage: {argv[0]} POSTSALE [POSTSALE_CLI]', file=sys.stderr)
        return 2
    if not os.environ.get('DISPLAY'):
        print('a11y: no DISPLAY; run under build-aux/ci-session.sh (skipping)')
        return 77
    postsale = os.path.abspath(argv[1])
    cli = os.path.abspath(argv[2] if len(argv) > 2 else os.environ['POSTSALE_CLI'])

    tmp = tempfile.mkdtemp(prefix='dogtail-postsale-rules.', dir='/tmp')
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
        make_demo(cli, db)
        with open(app_log, 'wb') as out:
            app_proc = subprocess.Popen([postsale, '--db', db, '--page', 'automations'],
                                        stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT)

        def app_appeared():
            if app_proc.poll() is not None:
                raise tp.AppGone(f'postsale exited early with status {app_proc.returncode}')
            return tp.find_app(tree, app_proc.pid)
        app = tp.wait_for('postsale in the AT-SPI tree', 30, app_appeared)

        new_rule = tp.wait_for('the New Rule button', 15, lambda: button(app, 'New Rule'))
        tf.click(new_rule)

        editor = tp.wait_for('the rule editor', STEP_S,
                             lambda: window_named(app, lambda n: n == 'New Rule'))
        tp.wait_for('the editor to load its templates', STEP_S,
                    lambda: one(editor, lambda n: tp.role(n) == 'panel' and tp.name(n) == 'Action 1',
                                'first action'))

        tf.set_text(one(editor, lambda n: tp.role(n) == 'text' and tp.name(n) == 'Name', 'Name entry'),
                    RULE_NAME)
        tf.choose(one(editor, lambda n: tp.role(n) == 'combo box' and tp.name(n) == 'Trigger', 'Trigger'),
                  'Tracking status changes')

        # Event condition: To status is Exception.
        tf.click(button(editor, 'Add Event Condition'))
        cond = tp.wait_for('the event condition', STEP_S,
                           lambda: one(editor, lambda n: tp.name(n) == 'Event condition', 'event condition'))
        tf.choose(one(cond, lambda n: tp.role(n) == 'combo box' and tp.name(n) == 'Event field', 'Event field'),
                  'To status')
        tf.choose(one(cond, lambda n: tp.role(n) == 'combo box' and tp.name(n) == 'Operator', 'Operator'), 'is')
        tf.choose(one(cond, lambda n: tp.role(n) == 'combo box' and tp.name(n) == 'Value', 'Value'), 'Exception')

        # Action 1: Add tag.
        action = one(editor, lambda n: tp.role(n) == 'panel' and tp.name(n) == 'Action 1', 'first action')
        tf.choose(one(action, lambda n: tp.role(n) == 'combo box' and tp.name(n) == 'Action type', 'Action type'),
                  'Add tag')
        tag = tp.wait_for('the tag entry', STEP_S,
                          lambda: one(action, lambda n: tp.role(n) == 'text' and tp.name(n) == 'Tag', 'Tag entry'))
        tf.set_text(tag, TAG)
        time.sleep(0.6)    # the editor waits for a pause in editing before replaying

        live = tp.wait_for('the live count', STEP_S, lambda: settled_label(editor, FIRES_RE, 'live count'))
        editor_fires = tf.number(re.fullmatch(FIRES_RE, tp.name(live)).group(1))
        tp.log(f'the editor says the rule would have fired {editor_fires} times in 30 days')

        # The dry run dialog agrees.
        tf.click(button(editor, 'Dry Run'))
        dialog = tp.wait_for('the dry run window', STEP_S,
                             lambda: window_named(app, lambda n: n.startswith('Dry Run')))
        summary = tp.wait_for('the dry run', STEP_S, lambda: settled_label(dialog, DRY_RUN_RE, 'dry run summary'))
        dry_fires = tf.number(re.fullmatch(DRY_RUN_RE, tp.name(summary)).group(1))
        tp.log(f'the dry run says {dry_fires}')
        if dry_fires != editor_fires:
            raise tp.TestFailure(f'dry run {dry_fires} != live count {editor_fires}')
        if dry_fires == 0:
            raise tp.TestFailure('the rule would never have fired on the demo; the check proves nothing')
        tf.click(one(dialog, lambda n: tp.role(n) == 'push button' and tp.name(n) == 'Close', 'Close button'))
        tp.wait_for('the dry run window to close', STEP_S,
                    lambda: window_named(app, lambda n: n.startswith('Dry Run')) is None or None)

        tf.click(button(editor, 'Save'))
        tp.wait_for('the editor to close', STEP_S,
                    lambda: window_named(app, lambda n: n == 'New Rule') is None or None)

        rules = [r for r in cli_rules(cli, db) if r['name'] == RULE_NAME]
        if len(rules) != 1 or rules[0]['enabled']:
            raise tp.TestFailure(f'after saving, postsale-cli lists {rules}')

        # Switch it on from its row.
        def rule_switch():
            for row in find(app, lambda n: tp.name(n) == RULE_NAME and tp.role(n) != 'label'):
                for n in tp.walk(row):
                    if tp.name(n) == 'Enabled' and tp.role(n) in ('toggle button', 'switch', 'check box'):
                        return n
            return None
        toggle(tp.wait_for('the rule\'s Enabled switch', STEP_S, rule_switch))

        def enabled():
            found = [r for r in cli_rules(cli, db) if r['name'] == RULE_NAME]
            return found[0] if found and found[0]['enabled'] else None
        rule = tp.wait_for('postsale-cli to list the rule enabled', STEP_S, enabled, interval=0.5)
        if rule['trigger'] != 'tracking.status_changed':
            raise tp.TestFailure(f'the rule\'s trigger is {rule["trigger"]!r}')
        tp.log(f'postsale-cli: {json.dumps(rule)}')
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
