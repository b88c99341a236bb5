package dev.netlib.linux.internal.nft.expr;

import dev.netlib.linux.internal.netlink.AttributeNames;
import java.util.concurrent.ConcurrentHashMap;

/** The cache behind {@link Expr#names(String)}. */
final class Names {
    static final ConcurrentHashMap<String, AttributeNames> CACHE = new ConcurrentHashMap<>();

    private Names() {}
}
