"""Time hg and qs on the same commands in one repository; print ratios.

Usage: compare.py REPO HG QS RUNS -- "cmd args" ...
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


def hyperfine_medians(repo, hg, qs, args, runs, env):
    """Median seconds for (hg, qs) measured by hyperfine, or None."""
    exe = shutil.which('hyperfine')
    if not exe or os.environ.get('BENCH_TIMER') == 'internal':
        return None
    line = ' '.join(shlex.quote(a) for a in args)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'h.json')
        proc = subprocess.run(
            [exe, '-N', '--style', 'none', '--warmup', '1', '--runs', str(runs),
             '-i', '--export-json', out,
             f'{shlex.quote(hg)} {line}', f'{shlex.quote(qs)} {line}'],
            cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode != 0 or not os.path.exists(out):
            return None
        with open(out) as f:
            results = json.load(f)['results']
    return results[0]['median'], results[1]['median']


def main():
    repo, hg, qs, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    commands = sys.argv[sys.argv.index('--') + 1:]
    env = dict(os.environ, HGPLAIN='1', HGRCPATH='', LANG='C', LC_ALL='C')
    timer = 'internal (median of time.perf_counter runs)'
    if shutil.which('hyperfine') and os.environ.get('BENCH_TIMER') != 'internal':
        timer = 'hyperfine (median)'
    print(f"repository: {repo}")
    print(f"timer: {timer}, {runs} runs per tool and command")
    print(f"{'command':<28} {'hg ms':>9} {'qs ms':>9} {'hg/qs':>8}  same output")
    for command in commands:
        args = shlex.split(command)
        times = {}
        outputs = {}
        medians = hyperfine_medians(repo, hg, qs, args, runs, env)
        for i, (name, tool) in enumerate((('hg', hg), ('qs', qs))):
            samples = []
            for _ in range(1 if medians else runs):
                elapsed, proc = run(tool, repo, args, env)
                samples.append(elapsed)
                outputs[name] = (proc.returncode, proc.stdout, proc.stderr)
            times[name] = (medians[i] if medians else statistics.median(samples)) * 1000
        same = 'yes' if outputs['hg'] == outputs['qs'] else 'NO'
        ratio = times['hg'] / times['qs'] if times['qs'] > 0 else float('inf')
        print(f"{command[:28]:<28} {times['hg']:>9.1f} {times['qs']:>9.1f} {ratio:>8.1f}  {same}")


if __name__ == '__main__':
    main()
