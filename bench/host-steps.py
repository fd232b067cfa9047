#!/usr/bin/env python3
"""bench/host-steps.py PLAN: the timing driver of bench/30-netns.sh and
bench/70-lifecycle.sh.  It runs inside the simulated hosts itself, as a
scheduler runs on its host: before each step it joins that step's host
network namespace with setns(2) (outside the timed part), then execs the
step's commands directly, one after the other, without a shell or nsenter
in between.  At the end it prints "NAME MS" for every key: the median wall
time of the steps with that KEY, and for steps of several commands also
"KEY/I" for the I-th command; NAME is KEY with '-' and '/' made '_', so
that it can name an awk variable.

PLAN has one step a line, fields separated by tabs:
  KEY  NETNS-FILE  SETTLE-SECONDS  ENV  CMD...
ENV is "-" or space-separated NAME=VALUE added to the environment; each CMD
is one command, split like a shell would (shlex) but never run by one.
SETTLE seconds of quiet come before the step (not timed).  A command that
fails stops the driver with its stderr and exit status (no number is made
up for a failed step).
"""
import ctypes
import os
import shlex
import statistics
import subprocess
import sys
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def enter(path, fds={}):
    if path not in fds:
        fds[path] = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    if libc.setns(fds[path], CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        sys.exit(f"host-steps: setns {path}: {os.strerror(err)}")


def main():
    samples = {}
    base = dict(os.environ)
    for line in open(sys.argv[1]):
        line = line.rstrip("\n")
        if not line:
            continue
        key, netns, settle, env, *cmds = line.split("\t")
        enter(netns)
        e = dict(base)
        if env != "-":
            e.update(kv.split("=", 1) for kv in env.split())
        argvs = [shlex.split(c) for c in cmds]
        time.sleep(float(settle))
        t0 = time.perf_counter()
        marks = [t0]
        for argv in argvs:
            p = subprocess.run(argv, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if p.returncode != 0:
                sys.stderr.write(p.stderr.decode(errors="replace"))
                sys.exit(f"host-steps: {key}: {argv[0]} failed (exit {p.returncode})")
            marks.append(time.perf_counter())
        samples.setdefault(key, []).append(marks[-1] - t0)
        if len(argvs) > 1:
            for i in range(len(argvs)):
                samples.setdefault(f"{key}/{i + 1}", []).append(marks[i + 1] - marks[i])
    for key, times in samples.items():
        name = key.replace("-", "_").replace("/", "_")
        print(f"{name} {statistics.median(times) * 1000:.3f}")


main()
