package dev.netlib.network;

import dev.netlib.error.InvalidConfigException;
import java.util.regex.Pattern;

/**
 * Checks on names that become file system paths (a namespace name is a file in /var/run/netns and a
 * directory in /etc/netns). Applied to user input and to every value read back from the store
 * alike: a tampered record must not make netlib write or delete outside those directories.
 */
final class Paths {
    /** One path component: no '/', not '.' or '..', no control characters; the length of a file name. */
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.@+-]{1,255}");

    private Paths() {}

    static String checkNetnsName(String name) {
        if (name == null || !NETNS.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new InvalidConfigException("namespace name '" + name + "' cannot be a file name under /var/run/netns and /etc/netns; "
                    + "allowed: 1 to 255 of [A-Za-z0-9_.@+-], not '.' or '..'");
        }
        if (name.equals(NetworkHostsFiles.DIR)) {
            throw new InvalidConfigException("namespace name '" + name + "' is reserved: /etc/netns/" + name
                    + " holds netlib's hosts files of networks");
        }
        return name;
    }
}
