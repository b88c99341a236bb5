package dev.netlib.spi.nft;

import java.util.List;

/**
 * What a backend read of netlib's table just before planning a change ({@link FirewallPlan#of}):
 * the kernel's current state, not a memory of earlier changes. A backend reads only what the change
 * touches (the elements it names, the keyed rules of chain postrouting), never the whole table.
 */
public interface FirewallState {

    /** True if table {@code ip netlib} exists (then with its whole layout, made in one batch). */
    boolean tableExists();

    /** The kernel handles of a keyed rule's kernel rules (in {@link FirewallRule#expand()} order), empty if it is not installed. */
    List<Long> handles(FirewallRule rule);

    /** The comment of the element with {@code element}'s set and key, or null if there is none. */
    String elementComment(NftElement element);
}
