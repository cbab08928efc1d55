"""Generate the benchmark repository with Mercurial's own API.

Run with the pinned hg's Python: ``.venv/bin/python make-repo.py DEST REVS FILES``.
The first commit adds a quarter of FILES files in nested directories; every
later commit changes one or two files and often adds one, so the history
ends with at least FILES files, on a few named branches
with periodic merges back to default, by several users, with dates spread
over years. Everything happens under one lock and one transaction, through
in-memory commits, so no working copy is written until the final update.
"""

import os
import random
import sys

from mercurial import context, hg, ui as uimod


def main():
    dest, revs, nfiles = sys.argv[1].encode(), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(42)
    u = uimod.ui.load()
    u.setconfig(b'ui', b'quiet', b'true')
    u.setconfig(b'storage', b'revlog.optimize-delta-parent-choice', b'no')
    u.setconfig(b'storage', b'revlog.reuse-external-delta-parent', b'yes')
    repo = hg.repository(u, dest, create=True)
    users = [b'alice <alice@example.com>', b'bob <bob@example.org>', b'carol',
             b'dave <dave@example.net>', b'erin <erin@example.com>']
    def name(i):
        return b'src/d%02d/sub%02d/file%05d.txt' % (i % 40, (i // 40) % 25, i)

    initial = nfiles // 4
    files = [name(i) for i in range(initial)]
    add_every = max(1, (revs - 1) // max(1, nfiles - initial))
    contents = {f: b'initial content of %s\n' % f for f in files}
    start = 1262304000  # 2010-01-01

    with repo.wlock(), repo.lock(), repo.transaction(b'bench'):
        def commit(parents, changed, text, branch, n):
            def getfile(repo_, memctx_, path):
                return context.memfilectx(repo_, memctx_, path, contents[path])
            ctx = context.memctx(
                repo, parents, text, changed, getfile,
                user=users[n % len(users)],
                date=(start + n * 3600 * 2, -3600 * (n % 5)),
                extra={b'branch': branch})
            return repo.commitctx(ctx)

        tip = commit((None, None), files, b'initial import', b'default', 0)
        heads = {b'default': tip}
        branches = [b'default', b'stable', b'feature-x']
        for n in range(1, revs):
            branch = branches[0] if n % 10 < 7 else branches[1 + n % 2]
            parent = heads.get(branch, heads[b'default'])
            changed = rng.sample(files, rng.randint(1, 2))
            for f in changed:
                contents[f] += b'line %d by change %d\n' % (rng.randint(0, 99), n)
            if n % add_every == 0:
                f = name(len(files))
                files.append(f)
                contents[f] = b'added in %d\n' % n
                changed.append(f)
            p2 = None
            if branch == b'default' and n % 50 == 0:
                for other in (b'stable', b'feature-x'):
                    if other in heads:
                        p2 = heads[other]
                        break
            heads[branch] = commit((parent, p2), changed,
                                   b'change %d on %s\n\nmore text' % (n, branch), branch, n)
    hg.update(repo, heads[b'default'])


if __name__ == '__main__':
    main()
