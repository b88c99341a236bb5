#!/usr/bin/env bash
# Measures netlib beside the kernel's floor and its peers in one run and writes BENCHMARKS.md.
#
#   bash scripts/bench.sh            (as root, unattended; env: REPS=3 NS="100 500" PEERS="ip batch cni pyroute2"
#                                     NETLIB_PEER_BENCH=path/to/shared/bench SKIP="endpoints floor cost nft jmh ipam cluster"
#                                     CLUSTER_HOSTS="5 10 20" CLUSTER_CHURN_HOSTS=10
#                                     NETLIB_JAVA_OPTS=... (default: the launcher flags below) NOTE="free text for the report")
#
# Endpoints: the shared harness (shared/bench/endpoints.sh) runs every method, netlib as its "ext"
# method (java -jar netlib-examples.jar bench up|down) and the raw-netlink floor
# (shared/bench/m_floor_endpoint.py) as another "ext" run, interleaved rep by rep, and verifies each
# result the same way. Everything runs inside a private network namespace (NB_ISOLATE=1): the
# bridge, the host ends and the rules never touch the machine's own network.
# Cost ("cost" step): syscalls and netlink sends per endpoint (strace -f, netlib and the floor, the
# difference between N=50 and N=250 so start-up cancels out), cold start of `bench down 0` (plain
# `java -jar` and with the launcher flags), peak RSS of `bench up 500`.
# nft and IPAM: netlib's own benchmark programs beside nft_bench.sh and the CNI host-local plugin.
# Cluster: cluster-bench (simulated hosts as namespaces on an underlay switch in a namespace of its
# own, one etcd on loopback) at each of CLUSTER_HOSTS, then a 60 s churn run, a chaos run and a
# one-JVM-per-host run.
# Sections of BENCHMARKS.md that a run skips are kept from the previous file.
#
# Launcher flags for the examples jar (what NETLIB_JAVA_OPTS defaults to): an AppCDS archive made
# by a training run of `bench up 20` (-XX:ArchiveClassesAtExit; the JVM maps the classes instead
# of parsing and verifying them), C1 only (-XX:TieredStopAtLevel=1: a short-lived CLI never
# profits from C2, whose compiler threads took a third of the CPU), the serial GC (a small heap
# set up in a fraction of G1's time), one compiler thread (-XX:CICompilerCount=1: on 2 CPUs the
# JVM starts two C1 threads, which while the first endpoints are compiled take both CPUs from the
# program and its namespace worker; with one, the first 10 endpoints took 2.6-3.0 ms in six runs
# out of six instead of 2.7-6.0 ms) and no perf-data file. The runs that build many endpoints
# (bench up/down, and its peak RSS) add -XX:CompileThresholdScaling=0.1: the code one endpoint runs
# once is compiled after ~20 endpoints instead of ~200 (C1's invocation threshold is 200), which
# costs a one-request program ~30 ms of start-up, so the cold-start runs leave it out.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench=${NETLIB_PEER_BENCH:-$root/../shared/bench}
[ -x "$bench/endpoints.sh" ] || [ -n "${NETLIB_PEER_BENCH:-}" ] || bench=$root/../../shared/bench  # from a worktree under wt/
reps=${REPS:-3}
sizes=${NS:-"100 500"}
peers=${PEERS-"ip batch cni pyroute2"}
skip=" ${SKIP:-} "
[ "$(id -u)" = 0 ] || { echo "bench.sh needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN)" >&2; exit 1; }
if [[ $skip != *" endpoints "* || $skip != *" nft "* ]]; then
  [ -x "$bench/endpoints.sh" ] || { echo "no peer harness at $bench (set NETLIB_PEER_BENCH)" >&2; exit 1; }
fi

need=()
command -v ip >/dev/null || need+=(iproute2)
command -v nft >/dev/null || need+=(nftables)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
/usr/bin/python3 -c 'import pyroute2' 2>/dev/null || need+=(python3-pyroute2)
command -v ping >/dev/null || need+=(iputils-ping)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

[ -f "$bench/m_floor_endpoint.py" ] || skip="$skip floor "
command -v strace >/dev/null || { apt-get install -y -qq strace >/dev/null 2>&1 || skip="$skip cost "; }

mvn -B -q -ntp -DskipTests package
jar=$root/netlib-examples/target/netlib-examples.jar
out=$root/target/bench/$(date +%Y%m%d-%H%M%S)
# nf_tables lock files (NftLock) of the benchmarks' throwaway namespaces: with the run's output, not under /run
export NETLIB_NFT_LOCKDIR=$out/nft-locks
mkdir -p "$out"
echo "results in $out" >&2
{ echo "start $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg)"; } >"$out/load.txt"
[ -n "${NOTE:-}" ] && echo "$NOTE" >"$out/note.txt"

# Namespaces of the cost step and the AppCDS training run: removed on any exit.
cost_ns=nbsc
cleanup_cost() {
  for f in /var/run/netns/${cost_ns}[0-9]* /var/run/netns/${cost_ns}t[0-9]*; do
    [ -e "$f" ] && ip netns del "$(basename "$f")" 2>/dev/null
  done
  return 0
}
trap cleanup_cost EXIT

# One run of "up N" then "down N" of a command in a private network namespace with its own bridge.
#   in_netns NSPREFIX N UP-CMD DOWN-CMD   (the commands see NB_N NB_BR NB_GW NB_PLEN NB_NS NB_HV)
in_netns() {
  NB_NS=$1 NB_HV=${1}h NB_BR=${1}br NB_GW=10.77.0.1 NB_PLEN=16 NB_N=$2 unshare --net -- bash -c '
    ip link add "$NB_BR" type bridge && ip addr add 10.77.0.1/16 dev "$NB_BR" && ip link set "$NB_BR" up && ip link set lo up
    '"$3"' && '"$4"
}

jsa=$out/netlib-examples.jsa
in_netns ${cost_ns}t 20 "java -XX:ArchiveClassesAtExit=$jsa -jar $jar bench up 20 >/dev/null 2>&1" \
  "java -jar $jar bench down 20 >/dev/null" || echo "no AppCDS archive (training run failed)" >&2
cleanup_cost
flags="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UsePerfData"
[ -f "$jsa" ] && flags="$flags -XX:SharedArchiveFile=$jsa -Xshare:auto"
jopts=${NETLIB_JAVA_OPTS-$flags}
eopts=${NETLIB_JAVA_OPTS-$flags -XX:CompileThresholdScaling=0.1}
echo "$eopts" >"$out/java-opts.txt"

if [[ $skip != *" endpoints "* ]]; then
  methods="netlib $peers"
  [[ $skip != *" floor "* ]] && methods="floor $methods"
  for r in $(seq 1 "$reps"); do
    for n in $sizes; do
      for m in $methods; do
        echo "[$(date +%T)] rep $r  $m  N=$n" >&2
        if [ "$m" = netlib ]; then
          NETLIB_BENCH_LOG="$out/netlib-inner.jsonl" NB_ISOLATE=1 NB_EXT_SETUP="java $eopts -jar $jar bench up" \
            NB_EXT_TEARDOWN="java $eopts -jar $jar bench down" \
            "$bench/endpoints.sh" ext "$n" | sed 's/"method": "ext"/"method": "netlib"/' >>"$out/endpoints.jsonl" \
            || { echo "FAILED: $m $n" >&2; "$bench/cleanup.sh" >&2; }
        elif [ "$m" = floor ]; then
          NETLIB_BENCH_LOG="$out/floor-inner.jsonl" NB_ISOLATE=1 NB_EXT_SETUP="/usr/bin/python3 m_floor_endpoint.py up" \
            NB_EXT_TEARDOWN="/usr/bin/python3 m_floor_endpoint.py down" \
            "$bench/endpoints.sh" ext "$n" | sed 's/"method": "ext"/"method": "floor"/' >>"$out/endpoints.jsonl" \
            || { echo "FAILED: $m $n" >&2; "$bench/cleanup.sh" >&2; }
        else
          NB_ISOLATE=1 "$bench/endpoints.sh" "$m" "$n" >>"$out/endpoints.jsonl" || { echo "FAILED: $m $n" >&2; "$bench/cleanup.sh" >&2; }
        fi
      done
    done
  done
fi

if [[ $skip != *" cost "* ]]; then
  echo "[$(date +%T)] cost: syscalls, cold start, peak RSS" >&2
  floor=$bench/m_floor_endpoint.py
  for m in netlib floor; do
    [ $m = floor ] && [[ $skip == *" floor "* ]] && continue
    for n in 50 250; do
      if [ $m = netlib ]; then up="java $eopts -jar $jar bench up $n"; down="java $eopts -jar $jar bench down $n"
      else up="/usr/bin/python3 $floor up $n"; down="/usr/bin/python3 $floor down $n"; fi
      in_netns $cost_ns "$n" "strace -f -o $out/strace-$m-up-$n $up >/dev/null" "strace -f -o $out/strace-$m-down-$n $down >/dev/null" \
        || echo "FAILED: strace $m $n" >&2
      cleanup_cost
    done
    /usr/bin/python3 scripts/bench_syscalls.py --per-endpoint "$m" 50 250 "$out" >>"$out/syscalls.jsonl" || echo "FAILED: syscall count $m" >&2
  done
  nftjsa=$out/nft-bench.jsa
  java -XX:ArchiveClassesAtExit="$nftjsa" -jar "$jar" nft-bench 20 2 >/dev/null 2>&1 || echo "no nft-bench AppCDS archive" >&2
  nftflags=${jopts//-XX:SharedArchiveFile=$jsa/}
  for r in $(seq 1 10); do
    for variant in plain flags; do
      o=""; [ $variant = flags ] && o=$jopts
      # the exit status goes with the figures: a run that failed (a usage error exits in a fraction of
      # the time) is left out of the report, not averaged in
      /usr/bin/time -f "{\"variant\": \"$variant\", \"wall_s\": %e, \"user_s\": %U, \"sys_s\": %S, \"maxrss_kb\": %M, \"exit\": %x}" -a -o "$out/coldstart.jsonl" \
        unshare --net java $o -jar "$jar" bench down 0 >/dev/null || echo "FAILED: cold start" >&2
      # the first nf_tables call of a fresh JVM (nft-bench's cold_setup_ms), same launchers; the flags
      # use an archive trained on nft-bench (an archive holds the classes its training run loaded)
      [ $variant = flags ] && [ -f "$nftjsa" ] && o="$nftflags -XX:SharedArchiveFile=$nftjsa"
      java $o -jar "$jar" nft-bench 1 1 2>/dev/null | sed "s/^{/{\"variant\": \"$variant\", /" | grep '"cold_setup_ms"' >>"$out/coldnft.jsonl" \
        || echo "FAILED: cold nft-bench" >&2
    done
  done
  for variant in plain flags; do
    o=""; [ $variant = flags ] && o=$eopts
    in_netns $cost_ns 500 "/usr/bin/time -f '{\"variant\": \"$variant\", \"n\": 500, \"wall_s\": %e, \"maxrss_kb\": %M}' -a -o $out/rss.jsonl java $o -jar $jar bench up 500 >/dev/null" \
      "java -jar $jar bench down 500 >/dev/null" || echo "FAILED: rss $variant" >&2
    cleanup_cost
  done
fi

if [[ $skip != *" nft "* ]]; then
  for r in $(seq 1 "$reps"); do
    for n in 100 500; do
      "$bench/nft_bench.sh" file "$n" >>"$out/nft.jsonl" || echo "FAILED: nft file $n" >&2
      "$bench/nft_bench.sh" cmd "$n" >>"$out/nft.jsonl" || echo "FAILED: nft cmd $n" >&2
      java -jar "$jar" nft-bench "$n" >>"$out/nft.jsonl" || echo "FAILED: netlib nft $n" >&2
    done
    # issue 12's single add/remove target is set at 1,000 mappings present (netlib only: nft_bench.sh
    # cmd would start 2,000 nft processes a rep)
    java -jar "$jar" nft-bench 1000 >>"$out/nft.jsonl" || echo "FAILED: netlib nft 1000" >&2
  done
fi

if [[ $skip != *" jmh "* ]]; then
  echo "[$(date +%T)] JMH: netlink codec" >&2
  java -cp "$jar" org.openjdk.jmh.Main NetlinkCodecBench -prof gc -rf json -rff "$out/jmh.json" >"$out/jmh.txt" 2>&1 \
    || echo "FAILED: jmh" >&2
fi

if [[ $skip != *" ipam "* ]]; then
  java -jar "$jar" ipam-bench >"$out/ipam.jsonl" || echo "FAILED: ipam bench" >&2
fi

if [[ $skip != *" cluster "* ]]; then
  command -v etcd >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends etcd-server >/dev/null; }
  cluster() {  # NAME ARGS...: one cluster-bench run; its report in NAME.txt, its figures appended to cluster.jsonl
    local name=$1; shift
    echo "[$(date +%T)] cluster-bench $*" >&2
    java -jar "$jar" cluster-bench "$@" --json "$out/cluster.jsonl" >"$out/cluster-$name.txt" 2>"$out/cluster-$name.err" \
      || echo "FAILED: cluster-bench $* (see $out/cluster-$name.txt)" >&2
  }
  for h in ${CLUSTER_HOSTS:-5 10 20}; do
    cluster "h$h" --hosts "$h"
  done
  ch=${CLUSTER_CHURN_HOSTS:-10}
  cluster churn --hosts "$ch" --samples 0 --churn 60
  cluster chaos --hosts "$ch" --samples 0 --chaos
  cluster jvm --hosts "$ch" --jvm-per-host
fi

echo "end $(date -u +%FT%TZ) loadavg $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"
/usr/bin/python3 scripts/bench_report.py "$out" BENCHMARKS.md >"$out/BENCHMARKS.md" && cp "$out/BENCHMARKS.md" BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
