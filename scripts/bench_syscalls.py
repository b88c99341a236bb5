#!/usr/bin/python3
"""Counts the syscalls of the threads that do the work in an `strace -f -o FILE` trace.

usage: bench_syscalls.py TRACE   -> one JSON object: {"syscalls": total, "by_call": {...}}
       bench_syscalls.py --per-endpoint METHOD N1 N2 DIR
           -> one JSON line per method from DIR/strace-METHOD-{up,down}-{N1,N2}: syscalls and netlink
              sends (sendto/sendmsg) per endpoint, as (count at N2 - count at N1) / (N2 - N1), so
              start-up and one-off work cancel out

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

SENDS = ('sendto', 'sendmsg')


def per_endpoint(method, n1, n2, d):
    out = {'method': method, 'n': [n1, n2]}
    for phase, key in (('up', 'setup'), ('down', 'teardown')):
        a = count('%s/strace-%s-%s-%d' % (d, method, phase, n1))
        b = count('%s/strace-%s-%s-%d' % (d, method, phase, n2))
        span = float(n2 - n1)
        out[key + '_syscalls_per_ep'] = round((b['syscalls'] - a['syscalls']) / span, 2)
        out[key + '_sends_per_ep'] = round(sum(b['by_call'].get(c, 0) - a['by_call'].get(c, 0) for c in SENDS) / span, 2)
        calls = set(a['by_call']) | set(b['by_call'])
        out[key + '_by_call'] = {c: round((b['by_call'].get(c, 0) - a['by_call'].get(c, 0)) / span, 2) for c in sorted(calls)
                                 if abs(b['by_call'].get(c, 0) - a['by_call'].get(c, 0)) >= span / 10}
    return out


if __name__ == '__main__':
    if sys.argv[1] == '--per-endpoint':
        print(json.dumps(per_endpoint(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])))
    else:
        print(json.dumps(count(sys.argv[1])))
