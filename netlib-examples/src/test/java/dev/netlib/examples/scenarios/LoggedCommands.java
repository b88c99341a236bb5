package dev.netlib.examples.scenarios;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The commands netlib logged at DEBUG on {@code dev.netlib.changes}, and the namespaces they name. */
final class LoggedCommands {
    static final String MARK = "dev.netlib.changes - ";
    /** Where a command names a namespace: ip -n X, ip netns add/exec/del X, nsenter --net=X, ip link ... netns X. */
    static final Pattern LABEL = Pattern.compile(
            "(?:(?:^|&& )(?:ip|bridge) -n |ip netns (?:add|exec|del) |nsenter --net=| netns )(\\S+)");

    private LoggedCommands() {}

    static List<String> read(Path log) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                int i = line.indexOf(MARK);
                if (i >= 0) {
                    out.add(line.substring(i + MARK.length()));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> labels(List<String> commands) {
        Set<String> out = new LinkedHashSet<>();
        for (String c : commands) {
            Matcher m = LABEL.matcher(c);
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
