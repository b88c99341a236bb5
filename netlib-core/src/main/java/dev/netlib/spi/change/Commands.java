package dev.netlib.spi.change;

import dev.netlib.model.NetnsRef;
import java.util.regex.Pattern;

/**
 * The one renderer of netlib's kernel changes in the kernel's own language: every DEBUG line of
 * {@code dev.netlib.changes}, every dry run ({@code Batch.commands()}) and every {@link
 * dev.netlib.error.KernelException#operation()} is built here, identically for every backend.
 *
 * <p>Each line is a valid shell command that names its namespace:
 * <ul>
 *   <li>the backend's own (root) namespace: no prefix ({@code ip link add br0 type bridge});
 *   <li>a named namespace: {@code ip -n NAME ...} and {@code bridge -n NAME ...} for iproute2's
 *       programs, {@code ip netns exec NAME ...} for any other ({@code sysctl}, {@code nft});
 *   <li>a namespace opened by path or pid: {@code nsenter --net=PATH ...};
 *   <li>an anonymous namespace: the stable label {@code anon-INODE} used as a name (the inode is
 *       the one {@code ls -iL /proc/PID/ns/net} shows); such a namespace has no name a shell can
 *       reach, {@code ip netns attach anon-INODE PID} gives it one.
 * </ul>
 * Words that a shell would split or expand are single-quoted.
 *
 * <p>nf_tables commands are rendered by the nft layer as {@code nft ...} lines without a
 * namespace; they get their namespace from {@link #exec(NetnsRef, String)}, the hook for them.
 */
public final class Commands {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,^-]+");

    private Commands() {}

    /**
     * A change as the command that makes it inside {@code ns}.
     *
     * @param ns where the change applies; null renders no namespace
     * @param change the change
     * @return one shell command line ({@code &&}-joined when the kernel needs several requests)
     */
    public static String of(NetnsRef ns, KernelChange change) {
        return change.accept(new ChangeCommands(ns));
    }

    /**
     * An iproute2 program ({@code ip} or {@code bridge}) run inside {@code ns}.
     *
     * @param ns the namespace; null or the root renders no option
     * @param program {@code ip} or {@code bridge}
     * @param arguments what follows the program name, already quoted
     * @return the command line
     */
    public static String iproute(NetnsRef ns, String program, String arguments) {
        if (ns == null || ns.isRoot()) {
            return program + " " + arguments;
        }
        if (ns.ipArgument() == null && ns.file().isPresent()) {
            return exec(ns, program + " " + arguments);
        }
        return program + " -n " + quote(label(ns)) + " " + arguments;
    }

    /**
     * Any command run inside {@code ns}: {@code ip netns exec NAME COMMAND} (or {@code nsenter}
     * for a namespace known by path). The hook the nf_tables renderer and sysctls use.
     *
     * @param ns the namespace; null or the root renders the command unchanged
     * @param command the command line, already quoted
     * @return the command line run in the namespace
     */
    public static String exec(NetnsRef ns, String command) {
        if (ns == null || ns.isRoot()) {
            return command;
        }
        if (ns.ipArgument() == null && ns.file().isPresent()) {
            return "nsenter --net=" + quote(ns.file().get().toString()) + " " + command;
        }
        return "ip netns exec " + quote(label(ns)) + " " + command;
    }

    /**
     * {@code sysctl -w KEY=VALUE} inside {@code ns}.
     *
     * @param ns the namespace
     * @param key the key, dotted or with slashes
     * @param value the value
     * @return the command line
     */
    public static String sysctl(NetnsRef ns, String key, String value) {
        return exec(ns, "sysctl -w " + quote(key + "=" + value));
    }

    /**
     * {@code sysctl -n KEY} inside {@code ns}: the operation a failed sysctl read names.
     *
     * @param ns the namespace
     * @param key the key, dotted or with slashes
     * @return the command line
     */
    public static String readSysctl(NetnsRef ns, String key) {
        return exec(ns, "sysctl -n " + quote(key));
    }

    /**
     * {@code ip netns add NAME} for a named namespace; for an anonymous one the same with its
     * label, which makes a namespace that replaying commands can use in its place.
     *
     * @param ns the new namespace
     * @return the command line
     */
    public static String addNamespace(NetnsRef ns) {
        return "ip netns add " + quote(label(ns));
    }

    /**
     * {@code ip netns del NAME}.
     *
     * @param ns the namespace
     * @return the command line
     */
    public static String deleteNamespace(NetnsRef ns) {
        return "ip netns del " + quote(label(ns));
    }

    /**
     * How a command names {@code ns}: its iproute2 name, its file, or {@code anon-INODE}; the
     * root namespace as {@code 1} (pid 1's namespace, which {@code ip link ... netns} accepts).
     *
     * @param ns the namespace
     * @return the label, never null
     */
    public static String label(NetnsRef ns) {
        if (ns.isRoot()) {
            return "1";
        }
        if (ns.ipArgument() != null) {
            return ns.ipArgument();
        }
        return ns.file().map(Object::toString).orElse("anon-" + ns.inode());
    }

    /**
     * How {@code ip link ... netns X} names a namespace.
     *
     * @param ns the namespace
     * @return the quoted argument
     */
    public static String netnsArgument(NetnsRef ns) {
        return quote(label(ns));
    }

    /**
     * A word as a shell reads it back unchanged: as is when it holds only safe characters, else
     * in single quotes.
     *
     * @param word the word
     * @return the quoted word
     */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Inserts {@code -n NAME} after the program name ({@code ip} or {@code bridge}).
     *
     * @param command the command without a namespace option
     * @param namespaceName the iproute2 name; null leaves the command unchanged
     * @return the command in the namespace
     * @deprecated renders no anonymous or path namespace; use {@link #of(NetnsRef, KernelChange)}
     */
    @Deprecated
    public static String inNamespace(String command, String namespaceName) {
        if (namespaceName == null) {
            return command;
        }
        // a change iproute2 says in two commands (a follow-up joined by &&) runs both in the namespace
        StringBuilder out = new StringBuilder();
        for (String part : command.split(" && ", -1)) {
            int space = part.indexOf(' ');
            out.append(out.length() == 0 ? "" : " && ")
                    .append(space < 0 ? part : part.substring(0, space) + " -n " + quote(namespaceName) + part.substring(space));
        }
        return out.toString();
    }
}
