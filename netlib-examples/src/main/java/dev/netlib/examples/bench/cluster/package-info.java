/**
 * {@code cluster-bench}: a simulated cluster on one machine (an underlay switch in a namespace of its
 * own, host namespaces, container namespaces, one real etcd on loopback) on which every host runs the
 * overlay through its own {@code Networks}, and the measurements made on it: convergence read back
 * from the kernels, a TCP full mesh, store cost, resources, churn and chaos. Nothing here touches the
 * machine's own network namespace, and everything is removed at the end, on failure and on Ctrl-C.
 */
package dev.netlib.examples.bench.cluster;
