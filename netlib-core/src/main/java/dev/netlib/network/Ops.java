package dev.netlib.network;

/** The operation classes under the facade, as one bundle for the handles and builders that call them. */
record Ops(Host host, NetworkOps networks, EndpointOps endpoints, NameOps names, ContainerOps containers) {
    static Ops over(Host host) {
        NameOps names = new NameOps(host);
        NetworkOps networks = new NetworkOps(host);
        EndpointOps endpoints = new EndpointOps(host, networks, names);
        return new Ops(host, networks, endpoints, names, new ContainerOps(host, endpoints, names));
    }
}
