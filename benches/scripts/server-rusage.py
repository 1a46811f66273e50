#!/usr/bin/env python3
"""Runs a server and, when it ends, records the CPU time and peak RSS of its whole process tree.

    server-rusage.py OUT.json -- command args...

SIGTERM/SIGINT sent to this wrapper are forwarded to the server. The numbers come from wait4(),
which covers the server and every descendant it waited for (git http-backend, upload-pack,
pack-objects... under the CGI server): utime+stime summed, maxrss the largest single process.
"""
import json
import os
import signal
import subprocess
import sys
import time


def main():
    out = sys.argv[1]
    assert sys.argv[2] == "--"
    cmd = sys.argv[3:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd)

    def forward(sig, _frame):
        try:
            proc.send_signal(sig)
        except ProcessLookupError:
            pass

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    while True:
        try:
            _, status, ru = os.wait4(proc.pid, 0)
            break
        except InterruptedError:
            continue
    with open(out, "w") as f:
        json.dump({
            "utime": ru.ru_utime,
            "stime": ru.ru_stime,
            "cpu": ru.ru_utime + ru.ru_stime,
            "maxrss_kb": ru.ru_maxrss,
            "alive_s": time.monotonic() - start,
            "status": status,
        }, f)


if __name__ == "__main__":
    main()
