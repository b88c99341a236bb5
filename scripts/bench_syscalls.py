#!/usr/bin/python3
"""Counts the syscalls of the threads that do the work in an `strace -f -o FILE` trace.

usage: bench_syscalls.py TRACE   -> one JSON object: {"syscalls": total, "by_call": {...}}

A JVM runs compiler, GC and service threads beside the program; they name themselves with
prctl(PR_SET_NAME) (HotSpot's os::set_native_thread_name), and their syscalls (futex, gettid,
sysinfo, mprotect of the code cache, ...) scale with JIT work, not with the program's. Counted are
the threads that never name themselves (the main thread; a Python process has only that) and
those named netlib-* (netlib's namespace workers). strace's own resumption lines are merged."""
import json, re, sys
from collections import Counter

JVM = re.compile(r'^(GC Thread|G1 |VM Thread|Reference Handl|Finalizer|Signal Dispatch|Service Thread|Monitor Deflati|'
                 r'C[12] CompilerThre|Sweeper|Notification Th|VM Periodic|Common-Cleaner|Cleaner-|Attach Listener|'
                 r'process reaper|DestroyJavaVM|Thread-|pool-|ForkJoinPool)')
LINE = re.compile(r'^(\d+)\s+(?:<\.\.\. )?([a-z_0-9]+)\(')

def count(path):
    names, calls = {}, []
    for line in open(path, errors='replace'):
        m = LINE.match(line)
        if not m or '<... ' in line.split(' ', 1)[1][:5] or 'resumed>' in line[:60]:
            continue
        tid, call = m.group(1), m.group(2)
        if call == 'prctl' and 'PR_SET_NAME' in line:
            n = re.search(r'PR_SET_NAME, "([^"]*)"', line)
            if n:
                names[tid] = n.group(1)
        calls.append((tid, call))
    by = Counter(c for t, c in calls if not JVM.match(names.get(t, '')))
    return {'syscalls': sum(by.values()), 'by_call': dict(by.most_common())}

if __name__ == '__main__':
    print(json.dumps(count(sys.argv[1])))
