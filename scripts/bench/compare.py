"""Time hg and qs on the same commands in one repository; print ratios.

Usage: compare.py REPO HG QS RUNS -- "cmd args" ...
With RHG=/path/to/rhg in the environment, rhg (Mercurial's Rust client)
is timed too where it answers natively (rhg exits 252 for what it does
not support; that is shown as "-").
Each command runs RUNS times per tool with HGPLAIN=1 and output discarded;
the median wall time is reported. Timing uses hyperfine when it is on PATH
(set BENCH_TIMER=internal to force the built-in loop of
time.perf_counter() runs). Outputs are also compared once, so a speed-up
never hides a wrong answer.
"""

import json
import os
import shlex
import shutil
import tempfile
import statistics
import subprocess
import sys
import time


def run(tool, repo, args, env):
    start = time.perf_counter()
    proc = subprocess.run([tool, *args], cwd=repo, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - start, proc


def hyperfine_medians(repo, tools, args, runs, env):
    """Median seconds for each tool measured by hyperfine, or None."""
    exe = shutil.which('hyperfine')
    if not exe or os.environ.get('BENCH_TIMER') == 'internal':
        return None
    line = ' '.join(shlex.quote(a) for a in args)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'h.json')
        proc = subprocess.run(
            [exe, '-N', '--style', 'none', '--warmup', '1', '--runs', str(runs),
             '-i', '--export-json', out,
             *[f'{shlex.quote(t)} {line}' for t in tools]],
            cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode != 0 or not os.path.exists(out):
            return None
        with open(out) as f:
            results = json.load(f)['results']
    return [r['median'] for r in results]


def main():
    repo, hg, qs, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    commands = sys.argv[sys.argv.index('--') + 1:]
    env = dict(os.environ, HGPLAIN='1', HGRCPATH='', LANG='C', LC_ALL='C')
    rhg = os.environ.get('RHG')
    tools = [('hg', hg), ('qs', qs)] + ([('rhg', rhg)] if rhg else [])
    timer = 'internal (median of time.perf_counter runs)'
    if shutil.which('hyperfine') and os.environ.get('BENCH_TIMER') != 'internal':
        timer = 'hyperfine (median)'
    print(f"repository: {repo}")
    print(f"timer: {timer}, {runs} runs per tool and command")
    header = f"{'command':<28} {'hg ms':>9} {'qs ms':>9} {'hg/qs':>8}"
    if rhg:
        header += f" {'rhg ms':>9} {'rhg/qs':>8}"
    print(header + "  same output")
    for command in commands:
        args = shlex.split(command)
        # rhg is timed only where it answers by itself.
        active = list(tools)
        if rhg:
            code = subprocess.run([rhg, *args], cwd=repo, env=env,
                                  stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL).returncode
            if code == 252:
                active = tools[:2]
        times = {}
        outputs = {}
        medians = hyperfine_medians(repo, [t for _, t in active], args, runs, env)
        for i, (name, tool) in enumerate(active):
            samples = []
            for _ in range(1 if medians else runs):
                elapsed, proc = run(tool, repo, args, env)
                samples.append(elapsed)
                outputs[name] = (proc.returncode, proc.stdout, proc.stderr)
            times[name] = (medians[i] if medians else statistics.median(samples)) * 1000
        same = 'yes' if outputs['hg'] == outputs['qs'] else 'NO'
        ratio = times['hg'] / times['qs'] if times['qs'] > 0 else float('inf')
        row = f"{command[:28]:<28} {times['hg']:>9.1f} {times['qs']:>9.1f} {ratio:>8.1f}"
        if rhg:
            if 'rhg' in times:
                row += f" {times['rhg']:>9.1f} {times['rhg'] / times['qs']:>8.1f}"
            else:
                row += f" {'-':>9} {'-':>8}"
        print(f"{row}  {same}")


if __name__ == '__main__':
    main()
