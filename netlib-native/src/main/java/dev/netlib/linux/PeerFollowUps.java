package dev.netlib.linux;

import dev.netlib.linux.rtnl.LinkEncoder;
import dev.netlib.model.VethSpec;
import dev.netlib.spi.NetnsRef;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Veths whose peer is born in another namespace with an addrgenmode (e.g. {@code ipv6LinkLocal(false)},
 * which keeps a container's eth0 quiet): the kernel refuses IFLA_AF_SPEC on a link created in another
 * namespace, so {@link dev.netlib.linux.rtnl.Rtnl} refuses such a request. The backend splits it: the
 * creation without the peer's addrgenmode and state here ({@link LinkEncoder#withoutPeerFollowUp}),
 * then a SetLink with the addrgenmode and the state in the peer's namespace ({@link LinkEncoder#peerFollowUp}).
 */
final class PeerFollowUps {
    /** A follow-up for the change at {@code index} of the caller's list, to send in {@code namespace}. */
    record FollowUp(int index, NetnsRef namespace, SetLink change) {}

    /** The changes to send here (same order and indexes as the caller's) and the follow-ups to send after them. */
    record Split(List<KernelChange> here, List<FollowUp> followUps) {}

    private PeerFollowUps() {}

    static Split split(List<? extends KernelChange> changes) {
        List<KernelChange> here = new ArrayList<>(changes.size());
        List<FollowUp> followUps = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            KernelChange c = changes.get(i);
            if (c instanceof CreateLink create) {
                Optional<SetLink> f = LinkEncoder.peerFollowUp(create);
                if (f.isPresent()) {
                    here.add(LinkEncoder.withoutPeerFollowUp(create));
                    followUps.add(new FollowUp(i, ((VethSpec) create.kind()).peer().netns(), f.get()));
                    continue;
                }
            }
            here.add(c);
        }
        return new Split(here, followUps);
    }
}
