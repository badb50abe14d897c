#!/usr/bin/env python3
"""Per-module size of the main code: Java files, median and largest file (lines), public types and methods.

    python3 scripts/module-stats.py [GIT_REV]      (default: the working tree)

Counts from the source text: a public type is a `public` class/interface/enum/record declaration (nested
ones included); a public method is a `public` method or constructor declaration, plus every method declared
in a public interface body without a modifier (implicitly public). Generated and test code is not counted.
"""
import re
import statistics
import subprocess
import sys
from collections import defaultdict

TYPE = re.compile(r'^\s*public\s+(?:(?:static|final|abstract|sealed|non-sealed|strictfp)\s+)*'
                  r'(class|interface|enum|record|@interface)\s+(\w+)')
METHOD = re.compile(r'^\s*public\s+(?:(?:static|final|abstract|synchronized|default|native)\s+)*'
                    r'(?:<[^>]+>\s+)?[\w.<>\[\], ?]+\s+\w+\s*\(|^\s*public\s+\w+\s*\(')
IFACE_METHOD = re.compile(r'^    (?:(?:static|default)\s+)?(?:<[^>]+>\s+)?[\w.<>\[\], ?]+\s+\w+\s*\([^;{]*')


def files(rev):
    if rev:
        out = subprocess.run(['git', 'ls-tree', '-r', '--name-only', rev], capture_output=True, text=True,
                             check=True).stdout.split()
    else:
        out = subprocess.run(['git', 'ls-files', '--cached', '--others', '--exclude-standard'],
                             capture_output=True, text=True, check=True).stdout.split()
    return [f for f in out if f.endswith('.java') and '/src/main/java/' in f]


def read(rev, path):
    if rev:
        return subprocess.run(['git', 'show', f'{rev}:{path}'], capture_output=True, text=True, check=True).stdout
    with open(path, encoding='utf-8') as f:
        return f.read()


def count(text):
    lines = text.split('\n')
    types = methods = 0
    public_interface = False
    for line in lines:
        m = TYPE.match(line)
        if m:
            types += 1
            if line.startswith('public') and m.group(1) in ('interface', '@interface'):
                public_interface = True
            continue
        if METHOD.match(line):
            methods += 1
        elif public_interface and IFACE_METHOD.match(line) and not line.strip().startswith(('return', 'new ')):
            methods += 1
    return len(lines), types, methods


def main():
    rev = sys.argv[1] if len(sys.argv) > 1 else None
    modules = defaultdict(list)
    for path in files(rev):
        if path.endswith('package-info.java'):
            continue
        module = path.split('/src/main/java/')[0]
        modules[module].append((path.rsplit('/', 1)[1][:-5],) + count(read(rev, path)))
    print(f"{'module':<20}{'files':>6}{'lines':>8}{'median':>8}  {'largest':<34}{'pub types':>10}{'pub methods':>12}")
    total = [0, 0, 0, 0]
    for module in sorted(modules):
        rows = modules[module]
        big = max(rows, key=lambda r: r[1])
        lines = sum(r[1] for r in rows)
        types = sum(r[2] for r in rows)
        methods = sum(r[3] for r in rows)
        print(f"{module:<20}{len(rows):>6}{lines:>8}{statistics.median(r[1] for r in rows):>8.0f}  "
              f"{big[0] + ' (' + str(big[1]) + ')':<34}{types:>10}{methods:>12}")
        for i, v in enumerate((len(rows), lines, types, methods)):
            total[i] += v
    print(f"{'total':<20}{total[0]:>6}{total[1]:>8}{'':>8}  {'':<34}{total[2]:>10}{total[3]:>12}")


if __name__ == '__main__':
    main()
