"""Time hg and qs on the same commands in one repository; print ratios.

Usage: compare.py REPO HG QS RUNS -- "cmd args" ...
Each command runs RUNS times per tool with HGPLAIN=1 and output discarded;
the median wall time is reported. Outputs are also compared once, so a
speed-up never hides a wrong answer.
"""

import os
import shlex
import statistics
import subprocess
import sys
import time


def run(tool, repo, args, env):
    start = time.perf_counter()
    proc = subprocess.run([tool, *args], cwd=repo, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return time.perf_counter() - start, proc


def main():
    repo, hg, qs, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    commands = sys.argv[sys.argv.index('--') + 1:]
    env = dict(os.environ, HGPLAIN='1', HGRCPATH='', LANG='C', LC_ALL='C')
    print(f"repository: {repo}")
    print(f"{'command':<28} {'hg ms':>9} {'qs ms':>9} {'hg/qs':>8}  same output")
    for command in commands:
        args = shlex.split(command)
        times = {}
        outputs = {}
        for name, tool in (('hg', hg), ('qs', qs)):
            samples = []
            for _ in range(runs):
                elapsed, proc = run(tool, repo, args, env)
                samples.append(elapsed)
                outputs[name] = (proc.returncode, proc.stdout, proc.stderr)
            times[name] = statistics.median(samples) * 1000
        same = 'yes' if outputs['hg'] == outputs['qs'] else 'NO'
        ratio = times['hg'] / times['qs'] if times['qs'] > 0 else float('inf')
        print(f"{command[:28]:<28} {times['hg']:>9.1f} {times['qs']:>9.1f} {ratio:>8.1f}  {same}")


if __name__ == '__main__':
    main()
