/**
 * NAT, port publishing and isolation (Docker's {@code -p}, masquerade, isolation chains and
 * {@code icc=false}), kept by netlib in its own nftables table {@code ip netlib}: build rules with
 * {@link dev.netlib.nat.NatRule}, install them with {@link dev.netlib.nat.Nat} from
 * {@code netlib.nat()}. Every call is one atomic batch; bad input fails before anything changes.
 */
package dev.netlib.nat;
