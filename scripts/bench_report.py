#!/usr/bin/python3
"""Writes BENCHMARKS.md (to stdout) from the JSON lines scripts/bench.sh collected.
usage: /usr/bin/python3 scripts/bench_report.py RESULTS_DIR [PREVIOUS_BENCHMARKS_MD]

With PREVIOUS_BENCHMARKS_MD, its top-level sections ("## ...") that this run did not measure (a
step skipped with SKIP=...) are carried over unchanged, marked with the date they came from.
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


def read_text(path):
    if os.path.exists(path):
        with open(path) as f:
            return f.read().strip()
    return None


# The top-level sections this script writes (also as "Previous run: ..."); the others are hand-written.
OWN_SECTIONS = ('Endpoints', 'Previous run:', 'Netlink codec', 'nftables:', 'Cluster:', 'IPAM:', "netlib and the kernel's floor")


def sections(text):
    """Top-level sections of a markdown file: [(title, text)] in order; the part before the first is skipped."""
    out, title, buf = [], None, []
    for line in text.splitlines():
        if line.startswith('## '):
            if title:
                out.append((title, '\n'.join(buf).rstrip() + '\n'))
            title, buf = line[3:].strip(), [line]
        elif title:
            buf.append(line)
    if title:
        out.append((title, '\n'.join(buf).rstrip() + '\n'))
    return out


def main():
    import io
    real = sys.stdout
    sys.stdout = io.StringIO()
    try:
        report()
    finally:
        text, sys.stdout = sys.stdout.getvalue(), real
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        with open(sys.argv[2]) as f:
            old = f.read()
        stamp = next((l for l in old.splitlines() if l.startswith('Written by')), '').replace('Written by', 'measured by')
        have = {t.split('(')[0].strip() for t, _ in sections(text)}
        kept = [(t, body) for t, body in sections(old) if t.split('(')[0].strip() not in have
                and not (t.startswith('Previous run:') and 'netlib against each peer' in text)]
        if 'netlib against each peer' not in text:
            # this run measured no peers: keep the previous run's endpoint comparison beside the new one
            kept = [(t, body.replace('## ' + t, '## Previous run: ' + t, 1)) for t, body in sections(old)
                    if t.startswith('Endpoints') and 'netlib against each peer' in body] + kept
        for t, body in kept:
            # one stamp per kept section, naming the run that measured it: a section kept before keeps its
            # stamp; the hand-written sections this script never measures get none (they say how they were measured)
            lines = body.splitlines()
            rest = lines[1:]
            stamped = any(l.startswith('_Not measured in this run') for l in rest)
            if t.startswith(OWN_SECTIONS) and not stamped:
                rest = ['', '_Not measured in this run: kept from the previous BENCHMARKS.md (%s)._' % stamp.rstrip('.')] + rest
            text += '\n'.join([lines[0]] + rest) + '\n\n'
    sys.stdout.write(text)


def report():
    d = sys.argv[1]
    eps = load(os.path.join(d, 'endpoints.jsonl'))
    nft = load(os.path.join(d, 'nft.jsonl'))
    ipam = load(os.path.join(d, 'ipam.jsonl'))
    inner_rows = load(os.path.join(d, 'netlib-inner.jsonl'))
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
          'which verifies each result (namespaces, bridge ports, addresses, routes, a ping) before timing teardown.')
    load_txt = read_text(os.path.join(d, 'load.txt'))
    if load_txt:
        print('- load while measuring (/proc/loadavg 1/5/15 min at start and end; the harness also waits up to 60 s for an '
              'idle machine before each timed phase): %s' % '; '.join(load_txt.splitlines()))
    note = read_text(os.path.join(d, 'note.txt'))
    if note:
        print('- note: %s' % note.strip())
    opts = read_text(os.path.join(d, 'java-opts.txt'))
    if opts is not None:
        print('- netlib ran as `java %s -jar netlib-examples.jar` (launcher flags: see "Cold start" below)' % opts.strip().replace(os.path.abspath(d) + '/', ''))
    print()
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
        peer_rows = [(m, n) for (m, n) in groups if m not in ('netlib', 'floor') and ('netlib', n) in groups]
        if peer_rows:
            print('\n### netlib against each peer (ratio of medians, higher = netlib faster)\n')
            print('| peer | N | setup: peer / netlib | teardown: peer / netlib |')
            print('|---|---|---|---|')
        for (m, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            if m in ('netlib', 'floor') or ('netlib', n) not in groups:
                continue
            nl = groups[('netlib', n)]
            s = med([r.get('setup_ms_per_ep') for r in rs]) / med([r.get('setup_ms_per_ep') for r in nl])
            t = med([r.get('teardown_ms_per_ep') for r in rs]) / med([r.get('teardown_ms_per_ep') for r in nl])
            print('| %s | %d | %.1fx | %.1fx |' % (m, n, s, t))
        print()
    ups = [r for r in inner_rows if r.get('phase') == 'up']
    if ups:
        print('### netlib in-process, per phase (its own clock, JVM start excluded)\n')
        print('| N | reps | setup ms/endpoint | first 10 endpoints ms each | last 10 endpoints ms each | last / first | teardown ms/endpoint |')
        print('|---|---|---|---|---|---|---|')
        downs = [r for r in inner_rows if r.get('phase') == 'down']
        for n in sorted({r['n'] for r in ups}):
            u = [r for r in ups if r['n'] == n]
            dn = [r for r in downs if r['n'] == n]
            ratio = [r['last_ms'] / r['first_ms'] for r in u if r.get('first_ms')]
            print('| %d | %d | %s | %s | %s | %s | %s |' % (n, len(u), mmm([r['ms_per_ep'] for r in u], 3),
                  mmm([r.get('first_ms') for r in u], 3), mmm([r.get('last_ms') for r in u], 3), mmm(ratio),
                  mmm([r['ms_per_ep'] for r in dn], 3)))
        print()
    if eps and ups and ('netlib', 500) in groups:
        nl = groups[('netlib', 500)]
        nl_setup = med([r.get('setup_ms_per_ep') for r in nl])
        nl_down = med([r.get('teardown_ms_per_ep') for r in nl])
        u500 = [r for r in ups if r['n'] == 500]
        inner_setup = med([r['ms_per_ep'] for r in u500])
        growth = med([r['last_ms'] / r['first_ms'] for r in u500 if r.get('first_ms')])
        print('### Targets (issue 7, medians at N = 500, this run)\n')
        print('| target | measured | met |')
        print('|---|---|---|')
        for peer in ('batch', 'cni'):
            if (peer, 500) in groups:
                ratio = med([r.get('setup_ms_per_ep') for r in groups[(peer, 500)]]) / nl_setup
                inner_ratio = med([r.get('setup_ms_per_ep') for r in groups[(peer, 500)]]) / inner_setup
                print('| setup >= 8x faster than %s | %.1fx wall (JVM start included), %.1fx in-process | %s |'
                      % (peer, ratio, inner_ratio, 'yes' if ratio >= 8 else 'in-process only' if inner_ratio >= 8 else 'no'))
        print('| in-process setup <= 3 ms/endpoint | %.2f ms | %s |' % (inner_setup, 'yes' if inner_setup <= 3 else 'no'))
        print('| teardown <= 2 ms/endpoint | %.2f ms wall | %s |' % (nl_down, 'yes' if nl_down <= 2 else 'no'))
        if growth is not None:
            print('| 500th endpoint <= 1.5x the 1st | last 10 / first 10 = %.2f | %s |' % (growth, 'yes' if growth <= 1.5 else 'no'))
        print()
    floor_section(d, eps, inner_rows, nft)
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
        print('`nft -f` (file) and one `nft` command per rule (cmd) from shared/bench/nft_bench.sh; netlib: '
              '`nft-bench N`, in-process, one nf_tables batch per call. Milliseconds, median [min..max] over the runs.\n')
        print('| method | N | runs | all mappings in one call | teardown in one call | one call per mapping: add each | delete each | single add with N present | single remove with N present |')
        print('|---|---|---|---|---|---|---|---|---|')
        groups = {}
        for r in nft:
            groups.setdefault((r.get('method'), r.get('n')), []).append(r)
        for (m, n), rs in sorted(groups.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0] != 'netlib', kv[0][0])):
            if m == 'netlib':
                cols = [mmm([r.get('setup_ms') for r in rs], 3), mmm([r.get('teardown_ms') for r in rs], 3),
                        mmm([r.get('per_call_add_ms') for r in rs], 3), mmm([r.get('per_call_delete_ms') for r in rs], 3),
                        mmm([r.get('single_add_ms_median') for r in rs], 3), mmm([r.get('single_remove_ms_median') for r in rs], 3)]
            elif m == 'cmd':
                cols = ['-', '-', mmm([r.get('setup_ms_per_rule') for r in rs], 3), mmm([r.get('teardown_ms_per_rule') for r in rs], 3), '-', '-']
            else:
                cols = [mmm([r['setup_s'] * 1000 for r in rs if r.get('setup_s') is not None], 3),
                        mmm([r['teardown_s'] * 1000 for r in rs if r.get('teardown_s') is not None], 3), '-', '-', '-', '-']
            print('| %s | %s | %d | %s |' % ('nft ' + m if m != 'netlib' else 'netlib', n, len(rs), ' | '.join(cols)))
        print()
    cluster_section(load(os.path.join(d, 'cluster.jsonl')))
    ipam_text = os.path.join(d, 'ipam.jsonl')
    if os.path.exists(ipam_text):
        with open(ipam_text) as f:
            text = f.read().strip()
        if text:
            print('## IPAM: allocations and releases per second\n')
            print('`ipam-bench`: netlib\'s IpPool on each store, and the CNI host-local plugin (one process per '
                  'allocation, file + flock) for comparison.\n')
            print('```')
            print(text)
            print('```')
            print()

def cluster_section(rows):
    """cluster-bench: one row per run (H sweep, churn, chaos, one JVM per host)."""
    if not rows:
        return
    rows = sorted(rows, key=lambda r: (bool(r.get('churn_s')) or bool(r.get('chaos')) or bool(r.get('jvm_per_host')), r['hosts']))
    def st(r, k, f='p50_ms'):
        v = r.get(k)
        return '%.0f' % v[f] if isinstance(v, dict) and v.get('n') else '-'
    def trio(r, k):
        v = r.get(k)
        if not isinstance(v, dict) or not v.get('n'):
            return '-'
        return '%.0f / %.0f / %.0f%s' % (v['p50_ms'], v['p99_ms'], v['max_ms'], ' (%d timed out)' % v['timed_out'] if v.get('timed_out') else '')
    def mode(r):
        m = []
        if r.get('churn_s'):
            m.append('churn %ds' % r['churn_s'])
        if r.get('chaos'):
            m.append('chaos')
        if r.get('jvm_per_host'):
            m.append('JVM per host')
        return ', '.join(m) or 'sweep'
    print('## Cluster: overlay convergence, store cost, churn and chaos (`cluster-bench`)\n')
    print('H simulated hosts (namespaces on an underlay switch in a namespace of its own) x C containers on one '
          'overlay network, one etcd on loopback; every host an independent `Networks` with its own etcd client and '
          'lease (TTL %s s). Convergence is read back from each peer\'s kernel (neighbour + FDB dumps, polled), from '
          '`connect()` returning (join) or `disconnect()` being called (leave) to the last peer having it. Milliseconds '
          'p50 / p99 / max. Store cost: requests and payload bytes the joining host sent (keep-alives apart); watch '
          'events per peer per join. Load average of the machine at the start of each run in the last column.\n'
          % rows[0].get('lease_ttl_s'))
    print('| run | H x C | build s (ms/endpoint) | join | graceful leave | host close | crash withdrawal | TCP mesh probes (failed) '
          '| requests / bytes per join | requests per leave | watch events per peer per join | per host: memory, threads '
          '| kernel entries per host (expected) | stale, duplicates | total s | load |')
    print('|' + '---|' * 16)
    for r in rows:
        mem = ('%.0f MiB RSS' % r['host_rss_mib']) if r.get('host_rss_mib') is not None else (
            '%.1f MiB heap' % r['host_heap_mib'] if r.get('host_heap_mib') is not None else '-')
        stale = sum(v for k, v in r.items() if k.startswith('stale_'))
        dups = sum(v for k, v in r.items() if k.startswith('duplicates_'))
        print('| %s | %d x %d | %.1f (%.1f) | %s | %s | %s | %s | %s (%s) | %s / %s | %s | %s | %s, %s | %s..%s (%s) | %d, %d | %.0f | %s |' % (
            mode(r), r['hosts'], r['containers_per_host'], r.get('build_s', 0), r.get('build_ms_per_endpoint', 0),
            trio(r, 'join'), trio(r, 'leave'), st(r, 'host_leave', 'max_ms'), trio(r, 'crash'),
            r.get('mesh_probes', '-'), r.get('mesh_failed', '-'), r.get('join_requests', '-'),
            '%.0f' % r['join_bytes_out'] if r.get('join_bytes_out') is not None else '-',
            r.get('leave_requests', '-'), r.get('watch_events_per_peer_per_join', '-'), mem, r.get('host_threads', '-'),
            r.get('kernel_entries_min', '-'), r.get('kernel_entries_max', '-'), r.get('kernel_entries_expected', '-'),
            stale, dups, r.get('total_s', 0), r.get('load_at_start', '?')))
    print()
    churn = [r for r in rows if r.get('churn_s')]
    chaos = [r for r in rows if r.get('chaos')]
    if churn or chaos:
        print('| run | H x C | what happened | probes lost |')
        print('|---|---|---|---|')
        for r in churn:
            print('| churn | %d x %d | %s joins + %s leaves in %s s while the mesh was probed | %s of %s |' % (
                r['hosts'], r['containers_per_host'], r.get('churn_joins'), r.get('churn_leaves'), r.get('churn_s'),
                r.get('churn_failed_probes'), r.get('churn_probes')))
        for r in chaos:
            print('| chaos | %d x %d | kill -9 of a host JVM (withdrawn from every peer after %.0f ms) | %s |' % (
                r['hosts'], r['containers_per_host'], r.get('chaos_kill_withdrawn_ms'), r.get('chaos_lost_kill')))
            print('| chaos | | etcd stopped and started | %s |' % r.get('chaos_lost_etcd_restart'))
            print('| chaos | | one host\'s underlay down 5 s | %s between other hosts (%s to/from the cut host) |' % (
                r.get('chaos_lost_partition'), r.get('chaos_lost_partition_cut_host')))
            print('| chaos | | etcd compacted to its head revision | %s |' % r.get('chaos_lost_compaction'))
        print()
    sweep = [r for r in rows if not r.get('churn_s') and not r.get('chaos') and not r.get('jvm_per_host') and r.get('join', {}).get('n')]
    if sweep:
        at20 = [r for r in sweep if r['hosts'] == 20]
        big = at20[0] if at20 else max(sweep, key=lambda r: r['hosts'])  # the issue sets its targets for H = 20
        j, l, c = big['join'], big['leave'], big.get('crash', {})
        ttl = big.get('lease_ttl_s', 10)
        print('Targets (issue 16) at H = %d, this run: join p50 < 50 ms: %.0f ms (%s); join p99 < 300 ms: %.0f ms (%s); '
              'graceful leave p99 < 300 ms: %.0f ms (%s); crash withdrawal <= TTL + 1 s: %s ms (%s); 0 stale entries and 0 duplicate '
              'addresses: %s; store requests per join independent of H: %s.\n' % (
                  big['hosts'], j['p50_ms'], 'met' if j['p50_ms'] < 50 else 'missed', j['p99_ms'], 'met' if j['p99_ms'] < 300 else 'missed',
                  l['p99_ms'], 'met' if l['p99_ms'] < 300 else 'missed', '%.0f' % c['max_ms'] if c.get('n') else '-',
                  'met' if c.get('n') and c['max_ms'] <= (ttl + 1) * 1000 else 'missed',
                  'yes' if all(sum(v for k, v in r.items() if k.startswith(('stale_', 'duplicates_'))) == 0 for r in rows) else 'NO',
                  ', '.join('%.1f at H = %d' % (r['join_requests'], r['hosts']) for r in sorted(sweep, key=lambda r: r['hosts']))))
    print('Reading the figures: the bench polls every peer\'s neighbour table (and its FDB once the neighbour is there) '
          'with 1 ms pauses, so the poller itself takes CPU from the agents and a figure is an upper bound by one round '
          'of dumps. Each agent reconciles a network by re-reading its whole neighbour and FDB tables after a watched '
          'change, so per-event work grows with the number of endpoints (H x C), which is what makes join convergence '
          'grow with H here. A graceful leave is measured from `disconnect()` being called: the network layer does its '
          'own store bookkeeping (records, lease, hosts files) before the overlay withdraws the advert, its last step. '
          'The partition cuts only the host\'s data path (its switch port); its etcd traffic goes over the JVM\'s '
          'loopback, so its lease survives. The kernel\'s ARP table is one table for every namespace of the machine '
          '(gc_thresh3 = 1024 by default, entries younger than 5 s never collected): the mesh check deletes the '
          'entries its probes made after each chunk of 40, and the churn and chaos probers use 48 fixed pairs, so the '
          'bench never overflows it for the other users of the machine (Docker raises gc_thresh1/2/3 to '
          '8192/49152/65536 instead; the bench may not touch the machine\'s sysctls).\n')

def floor_section(d, eps, inner_rows, nft):
    """netlib beside the raw-netlink floor (shared/bench/m_floor_endpoint.py): issue 13's targets."""
    sysc = {r['method']: r for r in load(os.path.join(d, 'syscalls.jsonl'))}
    cold = [r for r in load(os.path.join(d, 'coldstart.jsonl')) if r.get('exit', 0) == 0]  # failed runs are not figures
    coldnft = load(os.path.join(d, 'coldnft.jsonl'))
    rss = load(os.path.join(d, 'rss.jsonl'))
    groups = {}
    for r in eps:
        groups.setdefault((r['method'], r['n']), []).append(r)
    sizes = sorted({n for (m, n) in groups if m == 'floor' and ('netlib', n) in groups})
    if not sizes and not sysc and not cold and not rss:
        return
    print('## netlib and the kernel\'s floor\n')
    print('The floor is `shared/bench/m_floor_endpoint.py`: exactly the kernel work of one benchmark endpoint and nothing '
          'else (named netns, one sendmsg on the host socket, one in the namespace; teardown one RTM_DELLINK by group, then '
          'umount + unlink per name), run through the same harness, interleaved rep by rep with netlib. Median [min..max] '
          'over the repetitions; ratio = netlib / floor of the medians (lower is better, 1.0 = the floor).\n')

    def ms(rs, key):
        vals = []
        for r in rs:
            v = r.get(key)
            if v is not None:
                vals.append(v * 1000 / r['n'] if key.endswith('inner_s') else v)
        return vals

    rows = []
    if sizes:
        print('| N | reps | setup in-process ms/ep: netlib / floor | ratio | teardown in-process | ratio | setup wall | ratio | teardown wall | ratio |')
        print('|---|---|---|---|---|---|---|---|---|---|')
        for n in sizes:
            nl, fl = groups[('netlib', n)], groups[('floor', n)]
            cells = []
            for key in ('setup_inner_s', 'teardown_inner_s', 'setup_ms_per_ep', 'teardown_ms_per_ep'):
                a, b = ms(nl, key), ms(fl, key)
                ratio = med(a) / med(b) if a and b and med(b) else None
                cells += ['%s / %s' % (mmm(a, 3), mmm(b, 3)), '%.2fx' % ratio if ratio else '-']
                rows.append((n, key, med(a), med(b), ratio))
            print('| %d | %d | %s |' % (n, min(len(nl), len(fl)), ' | '.join(cells)))
        print()
    if sysc:
        print('Syscalls per endpoint (strace -f; (count at N=250 - count at N=50) / 200; JVM compiler/GC threads, which name '
              'themselves, left out), and netlink sends (sendto/sendmsg = round trips):\n')
        print('| method | setup syscalls | setup sends | teardown syscalls | teardown sends | setup calls |')
        print('|---|---|---|---|---|---|')
        for m in ('netlib', 'floor'):
            if m in sysc:
                r = sysc[m]
                calls = ', '.join('%s %g' % (c, v) for c, v in sorted(r.get('setup_by_call', {}).items(), key=lambda kv: -kv[1]) if v >= 0.5)
                print('| %s | %.1f | %.1f | %.1f | %.1f | %s |' % (m, r['setup_syscalls_per_ep'], r['setup_sends_per_ep'],
                      r['teardown_syscalls_per_ep'], r['teardown_sends_per_ep'], calls))
        print()
    if cold:
        print('Cold start: `java [flags] -jar netlib-examples.jar bench down 0` (JVM start, library init, one request), '
              'wall and CPU seconds, median [min..max] of %d runs each. The launcher flags, for any short-lived program '
              'on netlib: an AppCDS archive made once by a training run (`java -XX:ArchiveClassesAtExit=app.jsa -jar '
              'netlib-examples.jar bench up 20`, then `-XX:SharedArchiveFile=app.jsa`: classes are mapped, not parsed '
              'and verified; the archive belongs to one JDK build and one jar), `-XX:TieredStopAtLevel=1` (C1 only: a '
              'short run never repays C2\'s compile threads), `-XX:CICompilerCount=1` (one C1 thread: on 2 CPUs the JVM '
              'starts two, and while a program\'s first calls are compiled they take both CPUs from it), '
              '`-XX:+UseSerialGC` (sets up a small heap in a fraction of G1\'s time) and `-XX:-UsePerfData`. A program that builds many endpoints in one run adds '
              '`-XX:CompileThresholdScaling=0.1` (the endpoint runs above do): code that runs once per endpoint is then '
              'compiled after ~20 endpoints instead of ~200, for ~30 ms more start-up, which is why a one-request '
              'program (this table) leaves it out. Since issue 13 libc is bound through jffi per function on first '
              'use instead of jnr-ffi\'s generated stubs for the whole interface, which was most of the start-up:\n' % (len(cold) // 2))
        print('| launcher | wall s | CPU s (user+sys) | max RSS MiB |')
        print('|---|---|---|---|')
        for v in ('plain', 'flags'):
            rs = [r for r in cold if r.get('variant') == v]
            if rs:
                print('| %s | %s | %s | %s |' % ('`java -jar`' if v == 'plain' else 'launcher flags', mmm([r['wall_s'] for r in rs], 3),
                      mmm([r['user_s'] + r['sys_s'] for r in rs], 3), mmm([r['maxrss_kb'] / 1024 for r in rs], 1)))
        print()
    if coldnft:
        print('The first nf_tables call of a fresh JVM (`nft-bench 1 1`, `cold_setup_ms`: `NftFirewall.apply` creating the table\'s '
              'layout with a masquerade rule and one published port; issue 12, target 15 ms), median [min..max] of %d runs each:\n' % (len(coldnft) // 2))
        print('| launcher | first call ms (wall) | of it on a CPU | of it waiting for a CPU |')
        print('|---|---|---|---|')
        for v in ('plain', 'flags'):
            rs = [r for r in coldnft if r.get('variant') == v]
            if rs:
                print('| %s | %s | %s | %s |' % ('`java -jar`' if v == 'plain' else 'launcher flags', mmm([r['cold_setup_ms'] for r in rs], 1),
                      mmm([r.get('cold_setup_oncpu_ms') for r in rs], 1), mmm([r.get('cold_setup_runqueue_ms') for r in rs], 1)))
        print()
    ups = [r for r in inner_rows if r.get('phase') == 'up']
    big = max(sizes) if sizes else (max((r['n'] for r in ups), default=None))
    print('### Targets (issue 13, medians, this run)\n')
    print('| target | measured | met |')
    print('|---|---|---|')
    limits = {'setup_inner_s': ('in-process setup <= 1.3x the floor', 1.3), 'teardown_inner_s': ('in-process teardown <= 1.3x the floor', 1.3),
              'setup_ms_per_ep': ('wall setup <= 1.6x the floor', 1.6), 'teardown_ms_per_ep': ('wall teardown <= 2x the floor', 2.0)}
    for n, key, a, b, ratio in rows:
        if n == big and ratio:
            text, lim = limits[key]
            print('| %s (N=%d) | %.3f / %.3f ms = %.2fx | %s |' % (text, n, a, b, ratio, 'yes' if ratio <= lim else 'no'))
    if 'netlib' in sysc:
        r = sysc['netlib']
        print('| syscalls per endpoint: setup <= 30 | %.1f (floor %s) | %s |' % (r['setup_syscalls_per_ep'],
              '%.1f' % sysc['floor']['setup_syscalls_per_ep'] if 'floor' in sysc else '-', 'yes' if r['setup_syscalls_per_ep'] <= 30 else 'no'))
        print('| syscalls per endpoint: teardown <= 4 | %.1f (floor %s) | %s |' % (r['teardown_syscalls_per_ep'],
              '%.1f' % sysc['floor']['teardown_syscalls_per_ep'] if 'floor' in sysc else '-', 'yes' if r['teardown_syscalls_per_ep'] <= 4 else 'no'))
        print('| 2 netlink round trips per endpoint | %.1f sends per endpoint | %s |' % (r['setup_sends_per_ep'],
              'yes' if r['setup_sends_per_ep'] <= 2.05 else 'no'))
    for v in ('plain', 'flags'):
        rs = [r['wall_s'] for r in cold if r.get('variant') == v]
        if rs:
            print('| cold start `bench down 0` <= 0.25 s (%s) | %.3f s wall | %s |' % ('`java -jar`' if v == 'plain' else 'launcher flags',
                  med(rs), 'yes' if med(rs) <= 0.25 else 'no'))
    for v in ('flags', 'plain'):
        rs = [r['cold_setup_ms'] for r in coldnft if r.get('variant') == v]
        if rs:
            print('| issue 12: first nf_tables call in a fresh JVM <= 15 ms (%s) | %.1f ms | %s |' % (
                  '`java -jar`' if v == 'plain' else 'launcher flags', med(rs), 'yes' if med(rs) <= 15 else 'no'))
    at1000 = [r for r in nft if r.get('method') == 'netlib' and r.get('n') == 1000]
    if at1000:
        add, rem = med([r['single_add_ms_median'] for r in at1000]), med([r['single_remove_ms_median'] for r in at1000])
        print('| issue 12: single mapping add / remove with 1,000 present <= 0.2 ms (`java -jar`) | %.3f / %.3f ms | %s |' % (
              add, rem, 'yes' if max(add, rem) <= 0.2 else 'no'))
    u = [r for r in ups if r['n'] == big]
    if u:
        first = med([r.get('first_ms') for r in u])
        print('| first 10 endpoints <= 3 ms each (N=%d) | %.2f ms | %s |' % (big, first, 'yes' if first <= 3 else 'no'))
    for v in ('plain', 'flags'):
        rs = [r['maxrss_kb'] / 1024 for r in rss if r.get('variant') == v]
        if rs:
            print('| peak RSS of `bench up 500` <= 80 MiB (%s) | %.1f MiB | %s |' % ('`java -jar`' if v == 'plain' else 'launcher flags',
                  med(rs), 'yes' if med(rs) <= 80 else 'no'))
    print()
    in_the_way(groups, big, sysc, cold)


def in_the_way(groups, n, sysc, cold):
    """What keeps netlib from the floor in this run, from this run's own figures."""
    nl, fl = groups.get(('netlib', n), []), groups.get(('floor', n), [])
    per_rep = ['%.2fx' % ((a['setup_inner_s']) / b['setup_inner_s']) for a, b in zip(nl, fl)
               if a.get('setup_inner_s') and b.get('setup_inner_s')]
    print('### What stands between netlib and the floor (this run)\n')
    if per_rep:
        print('- In-process setup, netlib / floor rep by rep (each pair measured back to back): %s. The floor is one '
              'thread; netlib creates each namespace on a platform thread it owns (unshare and setns never run on the '
              'caller\'s thread, DESIGN.md), so every endpoint hands work to that thread and back%s. The hand-off '
              '(~0.15 ms around the real unshare, `HandoffBench`) now overlaps the name\'s O_CREAT|O_EXCL open on the '
              'caller\'s thread, which costs the floor as much as its unshare; on a loaded machine each wake-up can '
              'still wait for a CPU, the likely reason netlib\'s ratio follows the load while the floor\'s time barely '
              'moves. The rest is the JVM warming up within the run: see "Where the remaining time goes" below.' % (', '.join(per_rep),
              ' (%.1f futex calls per endpoint, the floor has none)' % sysc['netlib']['setup_by_call'].get('futex', 0)
              if 'netlib' in sysc else ''))
    plain = [r['user_s'] + r['sys_s'] for r in cold if r.get('variant') == 'plain']
    flags = [r['user_s'] + r['sys_s'] for r in cold if r.get('variant') == 'flags']
    if plain and flags:
        print('- Cold start: wall time on a loaded machine mostly measures waiting for a CPU; CPU time does not: %.2f s '
              'with `java -jar`, %.2f s with the launcher flags (on the machine of issue 13, 2 vCPU, the JVM alone took '
              '~0.11 s CPU and `bench down 0` took ~0.86 s CPU before jnr-ffi\'s stub generation was replaced).'
              % (med(plain), med(flags)))
    print('- The first endpoints run interpreted and are compiled as they go (C1 only with the launcher flags, after '
          '~20 endpoints with `-XX:CompileThresholdScaling=0.1`); the AppCDS archive removes class loading, not this. '
          'The first endpoint pays for the rest of the first run of every path: on the machine of issue 13 (2 vCPU) it '
          'takes ~12 ms with the launcher flags, ~10 ms of it on the CPU of the calling thread (perf, 10 runs: a third '
          'interpreting, a fifth resolving each call site and class reference on first use, a third in the kernel, '
          'which includes first-touch page faults and the namespace worker\'s start).')
    print()


if __name__ == '__main__':
    main()
