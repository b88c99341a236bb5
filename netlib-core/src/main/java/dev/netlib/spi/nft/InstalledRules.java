package dev.netlib.spi.nft;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FirewallState} made from a list of installed rules ({@link FirewallState#of}): for dry
 * runs, and for a backend that can only read the whole table. Kernel handles are unknown: 0.
 */
final class InstalledRules implements FirewallState {
    private final List<FirewallRule> rules;
    private final Map<NftElement.Id, String> comments = new HashMap<>();

    InstalledRules(List<FirewallRule> rules) {
        this.rules = rules;
        rules.forEach(r -> r.elements().forEach(e -> comments.putIfAbsent(e.id(), e.comment())));
    }

    @Override
    public boolean tableExists() {
        return !rules.isEmpty();
    }

    @Override
    public List<Long> handles(FirewallRule rule) {
        return rules.contains(rule) ? rule.expand().stream().map(t -> 0L).toList() : List.of();
    }

    @Override
    public String elementComment(NftElement element) {
        return comments.get(element.id());
    }
}
