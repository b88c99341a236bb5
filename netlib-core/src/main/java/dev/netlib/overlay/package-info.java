/**
 * VXLAN overlay networks across hosts (Docker's overlay driver, without a daemon). Each host joins
 * with {@link dev.netlib.overlay.Cluster} (given to {@code Networks.Builder#cluster}), which starts
 * its {@link dev.netlib.overlay.OverlayAgent}: threads of the caller's JVM that keep the host's
 * lease alive, advertise its endpoints in the {@link dev.netlib.cluster.ClusterStore}, watch the
 * others' adverts and program the kernel (one bridge and one VXLAN device per network, permanent
 * neighbour and FDB entries per remote endpoint, written with replace semantics), with periodic
 * anti-entropy against the kernel's tables. Names of remote containers reach the containers'
 * hosts files, rewritten in place so running programs see them at once.
 */
package dev.netlib.overlay;
