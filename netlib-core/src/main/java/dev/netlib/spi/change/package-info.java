/**
 * The changes a {@link dev.netlib.spi.Backend} applies, one record per kind of kernel request
 * (create, set or delete a link; add or delete an address, route, neighbour or FDB entry). Each
 * can render itself as the {@code ip} or {@code bridge} command it stands for.
 */
package dev.netlib.spi.change;
