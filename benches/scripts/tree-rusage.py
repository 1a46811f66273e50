#!/usr/bin/env python3
"""Runs a server and records the CPU time and memory of its whole process tree.

    tree-rusage.py OUT.json -- command args...

Like server-rusage.py (wait4(): CPU of the server and every descendant it reaped, `maxrss_kb` the
largest single process), plus a sampler that every 20 ms reads /proc for the server and all its
live descendants (through /proc/PID/task/TID/children) and records the largest *sum* of their
RSS (`tree_rss_kb`) and the CPU they used (`tree_cpu`, the last value seen per process, summed).
The sum counts pages shared between processes once per process, and a peak shorter than 20 ms
can be missed; for a single-process server it matches `maxrss_kb` within a sample.

`cpu` is the larger of wait4's figure and the sampled one (a descendant its parent never reaped
is missing from wait4). SIGTERM/SIGINT sent to this wrapper are forwarded to the server; a server
still running 30 s later gets SIGKILL.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

PAGE = os.sysconf("SC_PAGE_SIZE")
TICK = os.sysconf("SC_CLK_TCK")


def children(pid):
    out = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def tree(root):
    seen, todo = [], [root]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.append(p)
        todo.extend(children(p))
    return seen


def sample(pid):
    """(rss_bytes, cpu_seconds) of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # After "pid (comm)": state is fields[0]; utime, stime are stat fields 14, 15.
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        return rss, cpu
    except (OSError, IndexError, ValueError):
        return None


def main():
    out = sys.argv[1]
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit("usage: tree-rusage.py OUT.json -- command args...")
    cmd = sys.argv[3:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd)
    state = {"peak": 0, "cpu": {}, "procs": 0, "stop": False}

    def sampler():
        while not state["stop"]:
            total = 0
            pids = tree(proc.pid)
            state["procs"] = max(state["procs"], len(pids))
            for p in pids:
                s = sample(p)
                if s is None:
                    continue
                total += s[0]
                state["cpu"][p] = s[1]
            state["peak"] = max(state["peak"], total)
            time.sleep(0.02)

    t = threading.Thread(target=sampler, daemon=True)
    t.start()

    def forward(sig, _frame):
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass

        def hard():
            time.sleep(30)
            try:
                proc.kill()
            except ProcessLookupError:
                pass

        threading.Thread(target=hard, daemon=True).start()

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        try:
            _, status, ru = os.wait4(proc.pid, 0)
            break
        except InterruptedError:
            continue
    state["stop"] = True
    t.join()
    wait_cpu = ru.ru_utime + ru.ru_stime
    tree_cpu = sum(state["cpu"].values())
    with open(out, "w") as f:
        json.dump({
            "utime": ru.ru_utime,
            "stime": ru.ru_stime,
            "wait4_cpu": wait_cpu,
            "tree_cpu": tree_cpu,
            "cpu": max(wait_cpu, tree_cpu),
            "maxrss_kb": ru.ru_maxrss,
            "tree_rss_kb": max(state["peak"] // 1024, 0),
            "tree_procs": state["procs"],
            "alive_s": time.monotonic() - start,
            "status": status,
        }, f)


if __name__ == "__main__":
    main()
