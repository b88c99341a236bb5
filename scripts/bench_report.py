#!/usr/bin/python3
"""Writes BENCHMARKS.md (to stdout) from the JSON lines scripts/bench.sh collected.
usage: /usr/bin/python3 scripts/bench_report.py RESULTS_DIR
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time


def load(path):
    rows = []
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line.startswith('{'):
                    rows.append(json.loads(line))
    return rows


def mmm(vals, nd=2):
    vals = [v for v in vals if v is not None]
    if not vals:
        return '-'
    f = '%.' + str(nd) + 'f'
    return (f + ' [' + f + '..' + f + ']') % (statistics.median(vals), min(vals), max(vals))


def med(vals):
    vals = [v for v in vals if v is not None]
    return statistics.median(vals) if vals else None


def sh(*argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip()
    except OSError:
        return '?'


def main():
    d = sys.argv[1]
    eps = load(os.path.join(d, 'endpoints.jsonl'))
    nft = load(os.path.join(d, 'nft.jsonl'))
    ipam = load(os.path.join(d, 'ipam.jsonl'))
    inner = load(os.path.join(d, 'netlib-inner.jsonl'))
    jmh = []
    if os.path.exists(os.path.join(d, 'jmh.json')):
        with open(os.path.join(d, 'jmh.json')) as f:
            jmh = json.load(f)
    cpu = sh('sh', '-c', "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")
    print('# Benchmarks\n')
    print('Written by `bash scripts/bench.sh` (root) on %s.\n' % time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
    print('- machine: %s CPUs (%s), %s' % (os.cpu_count(), cpu.strip(), sh('sh', '-c', "free -h | awk '/Mem:/{print $2}'") + ' RAM'))
    print('- kernel: %s; %s' % (platform.release(), sh('ip', '-V')))
    print('- java: %s' % sh('sh', '-c', 'java -version 2>&1 | head -1'))
    print('- every method ran inside a private network namespace (NB_ISOLATE=1) through the shared harness, '
          'which verifies each result (namespaces, bridge ports, addresses, routes, a ping) before timing teardown.\n')
    if eps:
        print('## Endpoints (bridge + namespace + veth + address + default route)\n')
        print('Wall time of the whole method (netlib: includes JVM start; "in-process" is netlib\'s own clock). '
              'Median [min..max] over the repetitions.\n')
        print('| method | N | reps | setup ms/endpoint | teardown ms/endpoint | in-process setup ms/endpoint |')
        print('|---|---|---|---|---|---|')
        groups = {}
        for r in eps:
            groups.setdefault((r['method'], r['n']), []).append(r)
        for (m, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0] != 'netlib', kv[0][0])):
            inner = [r['setup_inner_s'] * 1000 / n for r in rs if r.get('setup_inner_s') is not None]
            print('| %s | %d | %d | %s | %s | %s |' % (m, n, len(rs), mmm([r.get('setup_ms_per_ep') for r in rs]),
                                                    mmm([r.get('teardown_ms_per_ep') for r in rs]), mmm(inner) if inner else '-'))
        print('\n### netlib against each peer (ratio of medians, higher = netlib faster)\n')
        print('| peer | N | setup: peer / netlib | teardown: peer / netlib |')
        print('|---|---|---|---|')
        for (m, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if m == 'netlib' or ('netlib', n) not in groups:
                continue
            nl = groups[('netlib', n)]
            s = med([r.get('setup_ms_per_ep') for r in rs]) / med([r.get('setup_ms_per_ep') for r in nl])
            t = med([r.get('teardown_ms_per_ep') for r in rs]) / med([r.get('teardown_ms_per_ep') for r in nl])
            print('| %s | %d | %.1fx | %.1fx |' % (m, n, s, t))
        print()
    ups = [r for r in inner if r.get('phase') == 'up']
    if ups:
        print('### netlib in-process, per phase (its own clock, JVM start excluded)\n')
        print('| N | reps | setup ms/endpoint | first 10 endpoints ms each | last 10 endpoints ms each | last / first | teardown ms/endpoint |')
        print('|---|---|---|---|---|---|---|')
        downs = [r for r in inner if r.get('phase') == 'down']
        for n in sorted({r['n'] for r in ups}):
            u = [r for r in ups if r['n'] == n]
            dn = [r for r in downs if r['n'] == n]
            ratio = [r['last_ms'] / r['first_ms'] for r in u if r.get('first_ms')]
            print('| %d | %d | %s | %s | %s | %s | %s |' % (n, len(u), mmm([r['ms_per_ep'] for r in u], 3),
                  mmm([r.get('first_ms') for r in u], 3), mmm([r.get('last_ms') for r in u], 3), mmm(ratio),
                  mmm([r['ms_per_ep'] for r in dn], 3)))
        print()
    if jmh:
        print('## Netlink codec (JMH, `NetlinkCodecBench`, one fork)\n')
        print('| benchmark | messages/s | bytes allocated per message |')
        print('|---|---|---|')
        for b in jmh:
            name = b['benchmark'].rsplit('.', 1)[-1]
            alloc = b.get('secondaryMetrics', {}).get('gc.alloc.rate.norm', {}).get('score')
            print('| %s | %.0f | %s |' % (name, b['primaryMetric']['score'], '%.0f' % alloc if alloc is not None else '-'))
        print()
    if nft:
        print('## nftables: table + masquerade + N DNAT port mappings\n')
        print('| method | N | reps | setup ms | teardown ms | single add ms | single delete ms |')
        print('|---|---|---|---|---|---|---|')
        groups = {}
        for r in nft:
            groups.setdefault((r.get('method', r.get('mode', '?')), r.get('n')), []).append(r)
        for (m, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0])):
            print('| %s | %s | %d | %s | %s | %s | %s |' % (m, n, len(rs), mmm([r.get('setup_ms') for r in rs]),
                                                           mmm([r.get('teardown_ms') for r in rs]),
                                                           mmm([r.get('single_add_ms') for r in rs], 3),
                                                           mmm([r.get('single_delete_ms') for r in rs], 3)))
        print()
    if ipam:
        print('## IPAM: allocations and releases per second\n')
        print('| store | threads | allocations/s | releases/s |')
        print('|---|---|---|---|')
        for r in ipam:
            print('| %s | %s | %s | %s |' % (r.get('store'), r.get('threads'), r.get('alloc_per_s', '-'), r.get('release_per_s', '-')))
        print()


if __name__ == '__main__':
    main()
