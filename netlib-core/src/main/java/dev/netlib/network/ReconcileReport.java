package dev.netlib.network;

import java.util.List;

/** What {@link Networks#reconcile} found between the store and the kernel, and what it repaired. */
public record ReconcileReport(List<Finding> findings) {

    /** One difference: the object, what is wrong, and whether it was repaired. */
    public record Finding(String subject, String problem, boolean repaired) {
        @Override
        public String toString() {
            return subject + ": " + problem + (repaired ? " (repaired)" : "");
        }
    }

    public ReconcileReport {
        findings = List.copyOf(findings);
    }

    /** True if store and kernel agreed. */
    public boolean isClean() {
        return findings.isEmpty();
    }

    @Override
    public String toString() {
        return findings.isEmpty() ? "store and kernel agree"
                : String.join("\n", findings.stream().map(Finding::toString).toList());
    }
}
