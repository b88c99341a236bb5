#!/usr/bin/env bash
# Measures netlib beside its peers in one run and writes BENCHMARKS.md.
#
#   bash scripts/bench.sh            (as root; env: REPS=3 NS="100 500" PEERS="ip batch cni pyroute2"
#                                     NETLIB_PEER_BENCH=path/to/shared/bench SKIP="endpoints nft jmh ipam cluster"
#                                     CLUSTER_HOSTS="5 10 20" CLUSTER_CHURN_HOSTS=10)
#
# Endpoints: the shared harness (shared/bench/endpoints.sh) runs every method, netlib as its "ext"
# method (java -jar netlib-examples.jar bench up|down), and verifies each result the same way.
# Everything runs inside a private network namespace (NB_ISOLATE=1): the bridge, the host ends
# and the rules never touch the machine's own network. nft and IPAM: netlib's own benchmark
# programs beside nft_bench.sh and the CNI host-local plugin. Cluster: cluster-bench (simulated hosts
# as namespaces on an underlay switch in a namespace of its own, one etcd on loopback) at each of
# CLUSTER_HOSTS, then a 60 s churn run, a chaos run and a one-JVM-per-host run.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bench=${NETLIB_PEER_BENCH:-$root/../shared/bench}
reps=${REPS:-3}
sizes=${NS:-"100 500"}
peers=${PEERS:-"ip batch cni pyroute2"}
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

mvn -B -q -ntp -DskipTests package
jar=$root/netlib-examples/target/netlib-examples.jar
out=$root/target/bench/$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "results in $out" >&2

if [[ $skip != *" endpoints "* ]]; then
  for r in $(seq 1 "$reps"); do
    for n in $sizes; do
      for m in netlib $peers; do
        echo "[$(date +%T)] rep $r  $m  N=$n" >&2
        if [ "$m" = netlib ]; then
          NETLIB_BENCH_LOG="$out/netlib-inner.jsonl" NB_ISOLATE=1 NB_EXT_SETUP="java -jar $jar bench up" NB_EXT_TEARDOWN="java -jar $jar bench down" \
            "$bench/endpoints.sh" ext "$n" | sed 's/"method": "ext"/"method": "netlib"/' >>"$out/endpoints.jsonl" \
            || { echo "FAILED: $m $n" >&2; "$bench/cleanup.sh" >&2; }
        else
          NB_ISOLATE=1 "$bench/endpoints.sh" "$m" "$n" >>"$out/endpoints.jsonl" || { echo "FAILED: $m $n" >&2; "$bench/cleanup.sh" >&2; }
        fi
      done
    done
  done
fi

if [[ $skip != *" nft "* ]]; then
  for r in $(seq 1 "$reps"); do
    for n in 100 500; do
      "$bench/nft_bench.sh" file "$n" >>"$out/nft.jsonl" || echo "FAILED: nft file $n" >&2
      "$bench/nft_bench.sh" cmd "$n" >>"$out/nft.jsonl" || echo "FAILED: nft cmd $n" >&2
      java -jar "$jar" nft-bench "$n" >>"$out/nft.jsonl" || echo "FAILED: netlib nft $n" >&2
    done
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

/usr/bin/python3 scripts/bench_report.py "$out" >BENCHMARKS.md
echo "wrote BENCHMARKS.md" >&2
