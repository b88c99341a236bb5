package dev.netlib.spi.nft;

import java.util.regex.Pattern;

/**
 * Shell rendering of nft commands for logs, dry runs and errors: an argument with characters the
 * shell would interpret (braces, quotes, semicolons, spaces, {@code !=}) is put in single quotes,
 * so every rendered command can be pasted into a shell and nft reads what netlib sent.
 */
public final class NftCommands {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,+@%=-]+");

    private NftCommands() {}

    /** {@code arg} as one shell word: unchanged when plain, else in single quotes ({@code '} written {@code '\''}). */
    public static String quote(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
