# Test helper for against_hg.rs: run by the Python interpreter of the pinned
# Mercurial. Reads lines "MODE HEX" from stdin and writes, per line, the hex
# of a report of what hg's own parser makes of the expression, in the same
# format qs-lang's test renders. Modes:
#   R  revset: parsed / expanded / concatenated / analyzed / optimized
#   T  template: parsed / expanded (debugtemplate -v)
#   F  fileset: parsed
import sys

import mercurial.revset_predicates  # noqa: F401  (registers the weights)
from mercurial import error, filesetlang, revsetlang, templater

KNOWN = {b'a-b', b'foo-bar', b'1.0-rc', b'old-tag', b'tip', b'x-y-z'}

REVSET_ALIASES = [
    (b'h', b'heads(default)'),
    (b'b($1)', b'ancestors($1) - ancestors(default)'),
    (b'two($1, $2)', b'$1 or $2'),
    (b'rec', b'rec2'),
    (b'rec2', b'rec'),
    (b'bad1', b'f('),
    (b'bad2($1, $1)', b'x'),
    (b'$bad3', b'x'),
    (b'bad4($x', b'x'),
    (b'bad5', b'$1'),
    (b'bad6(a, "b")', b'x'),
    (b'one($1)', b'p1($1)'),
    (b'foo::bar', b'x'),
]

TEMPLATE_ALIASES = [
    (b'r', b'rev'),
    (b'rn', b'"{r}:{node|short}"'),
    (b'wrap($1)', b'"[{$1}]"'),
    (b'up(s)', b's|upper'),
    (b'rec', b'rec'),
    (b'bad1', b'f('),
    (b'bad2($1, $1)', b'x'),
    (b'my(x)', b'x|my'),
    (b'short', b'"S"'),
]


def err(e):
    return b'error: ' + e.format()


def revset(expr):
    out = []
    try:
        tree = revsetlang.parse(expr, lookup=lambda s: s in KNOWN)
    except error.ParseError as e:
        return err(e)
    out.append(b'parsed:\n' + revsetlang.prettyformat(tree))
    warnings = []
    try:
        tree = revsetlang.expandaliases(tree, REVSET_ALIASES, warnings.append)
        out.append(b'expanded:\n' + revsetlang.prettyformat(tree))
        out.append(b''.join(warnings))
        tree = revsetlang.foldconcat(tree)
        out.append(b'concatenated:\n' + revsetlang.prettyformat(tree))
        tree = revsetlang.analyze(tree)
        out.append(b'analyzed:\n' + revsetlang.prettyformat(tree))
        tree = revsetlang.optimize(tree)
        out.append(b'optimized:\n' + revsetlang.prettyformat(tree))
    except error.ParseError as e:
        out.append(err(e))
    except error.Abort as e:
        out.append(b'abort: ' + e.message)
    return b'\n'.join(out)


def template(tmpl):
    try:
        tree = templater.parse(tmpl)
    except error.ParseError as e:
        return err(e)
    out = [b'parsed:\n' + templater.prettyformat(tree)]
    try:
        tree = templater.expandaliases(tree, TEMPLATE_ALIASES)
        out.append(b'expanded:\n' + templater.prettyformat(tree))
    except error.ParseError as e:
        out.append(err(e))
    except error.Abort as e:
        out.append(b'abort: ' + e.message)
    return b'\n'.join(out)


def fileset(expr):
    try:
        tree = filesetlang.parse(expr)
    except error.ParseError as e:
        return err(e)
    return b'parsed:\n' + filesetlang.prettyformat(tree)


MODES = {'R': revset, 'T': template, 'F': fileset}

for line in sys.stdin:
    mode, _, data = line.strip().partition(' ')
    expr = bytes.fromhex(data)
    try:
        result = MODES[mode](expr)
    except RecursionError:
        result = b'recursion'
    except Exception as e:  # a crash in hg: report it, never match it
        result = b'crash: ' + repr(e).encode()
    sys.stdout.write(result.hex() + '\n')
