#!/usr/bin/python3
# tests/build/check-gtk-free.py: GTK stays in src/ui (STYLE.md 3.1).
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: check-gtk-free.py --source-root DIR --build-root DIR
#                          --gui POSTSALE --cli POSTSALE_CLI
#
# Fails (exit 1) when
#   1. postsale-cli links libgtk-4 or libadwaita-1 (ldd);
#   2. any test executable of the model suites (core store carriers importers
#      labels automation services cli, read from the build's
#      meson-info/intro-tests.json, so new tests are covered without editing
#      this file) links them;
#   3. a source file in src/{core,store,carriers,importers,automation,labels,
#      services,cli} includes <gtk/...>, <gdk/...>, <gsk/...> or <adwaita.h>,
#      or calls a gtk_/gdk_/gsk_/adw_ function (comments and strings ignored),
#      or its meson.build names the GTK or libadwaita dependency;
# and, so that check 1 can fail at all, when
#   4. the GUI binary postsale does NOT link libgtk-4 and libadwaita-1 (if ldd
#      output could not be read, every "does not link" result is worthless).

import argparse
import json
import os
import re
import subprocess
import sys

MODEL_SUITES = {'core', 'store', 'carriers', 'importers', 'labels',
                'automation', 'services', 'cli'}
GTK_FREE_DIRS = ['core', 'store', 'carriers', 'importers', 'automation',
                 'labels', 'services', 'cli']
GUI_LIBS = {'libgtk-4': re.compile(r'^\s*libgtk-4\.so'),
            'libadwaita-1': re.compile(r'^\s*libadwaita-1\.so')}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"]\s*(gtk/|gdk/|gsk/|adwaita\.h|gtk\.h)', re.M)
# gdk-pixbuf is a separate, GTK-free library: gdk_pixbuf_*, GdkPixbuf* and
# GDK_TYPE_PIXBUF* are allowed.
CALL_RE = re.compile(r'\b((?:gtk|gsk|adw|gdk(?!_pixbuf))_[a-z0-9_]+)\s*\(')
TYPE_RE = re.compile(r'\b((?:Gtk|Gsk|Adw|Gdk(?!Pixbuf))[A-Z][A-Za-z]+'
                     r'|(?:GTK|GSK|ADW)_(?:TYPE|IS)_[A-Z_]+|GDK_(?:TYPE|IS)_(?!PIXBUF)[A-Z_]+)\b')
MESON_RE = re.compile(r"\b(gtk_dep|adw_dep|unixprint_dep)\b|['\"](gtk4|libadwaita-1|gtk4-unix-print)['\"]")
# Strip comments and string/char literals before looking for calls, so a
# comment saying "unlike gtk_widget_show()" is not a violation.
C_NOISE_RE = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)

failures = []
passes = []


def fail(msg):
    failures.append(msg)
    print(f'FAIL: {msg}')


def ok(msg):
    passes.append(msg)
    print(f'ok:   {msg}')


def linked_gui_libs(path):
    """Return (set of GUI libs found, full ldd output)."""
    try:
        out = subprocess.run(['ldd', path], capture_output=True, text=True,
                             timeout=60, check=False)
    except OSError as e:
        raise RuntimeError(f'cannot run ldd: {e}')
    text = out.stdout + out.stderr
    if out.returncode != 0 or 'libglib-2.0.so' not in text:
        # Every executable here links GLib; anything else means ldd did not
        # really read the file and a "GTK-free" verdict would be a lie.
        raise RuntimeError(f'ldd {path} failed (status {out.returncode}):\n{text}')
    found = {name for name, rx in GUI_LIBS.items()
             if any(rx.match(line) for line in text.splitlines())}
    return found, text


def is_elf(path):
    try:
        with open(path, 'rb') as f:
            return f.read(4) == b'\x7fELF'
    except OSError:
        return False


def check_binaries(args):
    # 4 first: the positive control.
    try:
        found, text = linked_gui_libs(args.gui)
    except RuntimeError as e:
        fail(str(e))
        return
    missing = set(GUI_LIBS) - found
    if missing:
        fail(f'{args.gui} should link {sorted(missing)} (sanity check of this test); ldd says:\n{text}')
    else:
        ok(f'{os.path.basename(args.gui)} links {sorted(found)} (the check can see GTK)')

    targets = [('postsale-cli', args.cli)]
    intro = os.path.join(args.build_root, 'meson-info', 'intro-tests.json')
    try:
        with open(intro) as f:
            tests = json.load(f)
    except (OSError, ValueError) as e:
        fail(f'cannot read {intro}: {e}')
        tests = []
    build_root = os.path.realpath(args.build_root)
    seen = {os.path.realpath(args.cli)}
    n_model = 0
    for t in tests:
        suites = {s.split(':', 1)[-1] for s in t.get('suite', [])}
        if not suites & MODEL_SUITES or not t.get('cmd'):
            continue
        exe = os.path.realpath(t['cmd'][0])
        if exe in seen or not exe.startswith(build_root + os.sep):
            continue              # interpreters (/usr/bin/python3) and repeats
        seen.add(exe)
        if not os.path.exists(exe):
            fail(f'test executable {exe} (test "{t["name"]}") is not built')
            continue
        if is_elf(exe):
            targets.append((f'test "{t["name"]}"', exe))
            n_model += 1
    print(f'info: {n_model} model test executable(s) found in {intro}')

    for label, exe in targets:
        try:
            found, _ = linked_gui_libs(exe)
        except RuntimeError as e:
            fail(str(e))
            continue
        if found:
            fail(f'{label} ({exe}) links {sorted(found)}: GTK must stay in src/ui')
        else:
            ok(f'{label} links no GTK/libadwaita')


def check_sources(args):
    n_files = 0
    for d in GTK_FREE_DIRS:
        top = os.path.join(args.source_root, 'src', d)
        if not os.path.isdir(top):
            continue
        for dirpath, _, files in os.walk(top):
            for fn in sorted(files):
                path = os.path.join(dirpath, fn)
                rel = os.path.relpath(path, args.source_root)
                if fn.endswith(('.c', '.h')):
                    n_files += 1
                    with open(path, encoding='utf-8', errors='replace') as f:
                        text = f.read()
                    for m in INCLUDE_RE.finditer(text):
                        line = text.count('\n', 0, m.start()) + 1
                        fail(f'{rel}:{line}: includes {m.group(1)}')
                    code = C_NOISE_RE.sub(lambda m: '\n' * m.group(0).count('\n'), text)
                    for rx, what in ((CALL_RE, 'calls'), (TYPE_RE, 'uses')):
                        for m in rx.finditer(code):
                            line = code.count('\n', 0, m.start()) + 1
                            fail(f'{rel}:{line}: {what} {m.group(1)}')
                elif fn == 'meson.build':
                    n_files += 1
                    with open(path, encoding='utf-8', errors='replace') as f:
                        for i, line in enumerate(f, 1):
                            code = line.split('#', 1)[0]
                            m = MESON_RE.search(code)
                            if m:
                                fail(f'{rel}:{i}: names {m.group(0)}')
    if n_files == 0:
        fail(f'no sources found under {args.source_root}/src/{{{",".join(GTK_FREE_DIRS)}}}')
    else:
        ok(f'{n_files} files in src/{{{",".join(GTK_FREE_DIRS)}}} scanned for GTK includes/calls')


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--source-root', required=True)
    p.add_argument('--build-root', required=True)
    p.add_argument('--gui', required=True)
    p.add_argument('--cli', required=True)
    args = p.parse_args()
    check_binaries(args)
    check_sources(args)
    print(f'{len(passes)} checks passed, {len(failures)} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
