/**
 * Immutable values describing kernel objects: what a caller asks for (link kinds and their specs,
 * {@link dev.netlib.model.LinkAttributes}, route, neighbour and FDB specs) and what the kernel
 * reports ({@link dev.netlib.model.LinkInfo}, {@link dev.netlib.model.AddressInfo},
 * {@link dev.netlib.model.RouteInfo}, {@link dev.netlib.model.NeighborInfo},
 * {@link dev.netlib.model.FdbInfo}). Enumerations keep the kernel's values and {@code ip}'s words.
 */
package dev.netlib.model;
