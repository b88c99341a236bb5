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
        Map<NftElement.Id, Integer> users = new HashMap<>();
        rules.forEach(r -> r.elements().forEach(e -> {
            if (e.shared()) {
                users.merge(e.id(), 1, Integer::sum); // as the kernel counts it: one per rule that uses it
            } else {
                comments.putIfAbsent(e.id(), e.comment());
            }
        }));
        users.forEach((id, n) -> comments.put(id, RuleKeys.sharedComment(n)));
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
