package dev.netlib;

/** Both ends of a new veth pair; each handle acts in the namespace its end lives in. */
public record VethPair(Link local, Link peer) {}
