package dev.netlib.linux.internal.rtnl;

import dev.netlib.model.VethSpec;
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
import java.util.Collection;
import java.util.List;

/**
 * Names whose ifindex a change's messages leave unknown until they are sent (created, renamed,
 * moved or deleted), so {@link Rtnl} forgets what it had learned about them.
 */
final class NamesTouched implements KernelChange.Visitor<Collection<String>> {
    @Override
    public Collection<String> createLink(CreateLink x) {
        List<String> out = new ArrayList<>(2);
        out.add(x.name());
        if (x.kind() instanceof VethSpec v && v.peerName() != null) {
            out.add(v.peerName());
        }
        return out;
    }

    @Override
    public Collection<String> setLink(SetLink x) {
        if (x.newName() != null) {
            return List.of(x.name(), x.newName());
        }
        return x.changes().netns() != null ? List.of(x.name()) : List.of();
    }

    // Deletes make Rtnl forget every known index (a veth's peer, a group's members go too), so
    // they name nothing here.
    @Override
    public Collection<String> deleteLink(DeleteLink x) {
        return List.of();
    }

    @Override
    public Collection<String> deleteLinkGroup(DeleteLinkGroup x) {
        return List.of();
    }

    @Override
    public Collection<String> addAddress(AddAddress x) {
        return List.of();
    }

    @Override
    public Collection<String> deleteAddress(DeleteAddress x) {
        return List.of();
    }

    @Override
    public Collection<String> addRoute(AddRoute x) {
        return List.of();
    }

    @Override
    public Collection<String> deleteRoute(DeleteRoute x) {
        return List.of();
    }

    @Override
    public Collection<String> setNeighbor(SetNeighbor x) {
        return List.of();
    }

    @Override
    public Collection<String> deleteNeighbor(DeleteNeighbor x) {
        return List.of();
    }

    @Override
    public Collection<String> addFdb(AddFdb x) {
        return List.of();
    }

    @Override
    public Collection<String> deleteFdb(DeleteFdb x) {
        return List.of();
    }
}
