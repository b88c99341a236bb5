package dev.netlib.spi.change;

import dev.netlib.model.RouteSpec;
import java.util.Objects;

/** RTM_NEWROUTE with NLM_F_CREATE and NLM_F_EXCL, or NLM_F_REPLACE when {@code replace}. */
public record AddRoute(RouteSpec route, boolean replace) implements KernelChange {
    public AddRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(route.destination(), "route destination");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.addRoute(this);
    }
}
