package dev.netlib.spi.change;

import dev.netlib.model.RouteSpec;
import java.util.Objects;

/** RTM_DELROUTE. */
public record DeleteRoute(RouteSpec route) implements KernelChange {
    public DeleteRoute {
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(route.destination(), "route destination");
    }


    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.deleteRoute(this);
    }
}
