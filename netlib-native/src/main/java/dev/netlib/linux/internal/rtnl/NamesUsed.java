package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.BridgeSpec;
import dev.netlib.model.DummySpec;
import dev.netlib.model.LinkKindSpec;
import dev.netlib.model.MacvlanSpec;
import dev.netlib.model.VethSpec;
import dev.netlib.model.VxlanSpec;
import dev.netlib.spi.change.AddAddress;
import dev.netlib.spi.change.AddFdb;
import dev.netlib.spi.change.AddRoute;
import dev.netlib.spi.change.CreateLink;
import dev.netlib.spi.change.DeleteAddress;
import dev.netlib.spi.change.DeleteFdb;
import dev.netlib.spi.change.DeleteLink;
import dev.netlib.spi.change.DeleteLinkGroup;
import dev.netlib.spi.change.DeleteNeighbor;
import dev.netlib.spi.change.DeleteRoute;
import dev.netlib.spi.change.KernelChange;
import dev.netlib.spi.change.SetLink;
import dev.netlib.spi.change.SetNeighbor;
import java.util.ArrayList;
import java.util.List;

/**
 * Names of existing links a change refers to by index (masters, parents, targets): the requests
 * carry ifindexes, so {@link Rtnl} looks these names up before it sends the change.
 */
final class NamesUsed implements KernelChange.Visitor<List<String>> {

    @Override
    public List<String> createLink(CreateLink x) {
        List<String> out = names(x.attributes().master());
        out.addAll(x.kind().accept(new LinkKindSpec.Visitor<List<String>>() {
            @Override
            public List<String> bridge(BridgeSpec s) {
                return List.of();
            }

            @Override
            public List<String> veth(VethSpec v) {
                // a peer born in another namespace gets its master there, in a follow-up
                return v.peer().netns() == null ? names(v.peer().master()) : List.of();
            }

            @Override
            public List<String> vxlan(VxlanSpec v) {
                return names(v.device());
            }

            @Override
            public List<String> macvlan(MacvlanSpec m) {
                return names(m.parent());
            }

            @Override
            public List<String> dummy(DummySpec s) {
                return List.of();
            }
        }));
        return out;
    }

    @Override
    public List<String> setLink(SetLink x) {
        return names(x.name(), x.changes().master());
    }

    @Override
    public List<String> deleteLink(DeleteLink x) {
        return names(x.name());
    }

    @Override
    public List<String> deleteLinkGroup(DeleteLinkGroup x) {
        return names();
    }

    @Override
    public List<String> addAddress(AddAddress x) {
        return names(x.device());
    }

    @Override
    public List<String> deleteAddress(DeleteAddress x) {
        return names(x.device());
    }

    @Override
    public List<String> addRoute(AddRoute x) {
        return names(x.route().device());
    }

    @Override
    public List<String> deleteRoute(DeleteRoute x) {
        return names(x.route().device());
    }

    @Override
    public List<String> setNeighbor(SetNeighbor x) {
        return names(x.neighbor().device());
    }

    @Override
    public List<String> deleteNeighbor(DeleteNeighbor x) {
        return names(x.device());
    }

    @Override
    public List<String> addFdb(AddFdb x) {
        return names(x.entry().device());
    }

    @Override
    public List<String> deleteFdb(DeleteFdb x) {
        return names(x.entry().device());
    }

    /** The non-null names, in a list the caller may extend. */
    private static List<String> names(String... names) {
        List<String> out = new ArrayList<>(3);
        for (String n : names) {
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }
}
