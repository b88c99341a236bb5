package dev.netlib.ipam;

import dev.netlib.error.InvalidConfigException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A versioned key-value store with compare-and-swap: the only thing IP address management (and,
 * later, network definitions) needs to be correct under threads, processes and hosts racing each
 * other. No operation holds a lock across calls: a writer reads a value and its version, computes
 * the new value, and writes it only if the version is still the one it read; on a conflict it reads
 * again and retries.
 *
 * <p>Implementations: {@link MemoryIpamStore} (one JVM), {@link FileIpamStore} (one host, the
 * default), and {@code EtcdIpamStore} in the optional {@code netlib-etcd} module (several hosts).
 *
 * <p>Keys are 1..200 characters of {@code [A-Za-z0-9._:/-]}, not starting with {@code .} or
 * {@code /} and without {@code ..}, e.g. {@code ipam/pools/net1}. Values are UTF-8 text. Version
 * {@code 0} stands for "absent" in {@link #compareAndSet}; stored versions are positive (see
 * {@link Versioned}).
 *
 * <p>Errors: {@link IpamStoreException} when the store cannot be reached or written, {@link
 * CorruptStoreException} when a stored record cannot be parsed.
 */
public interface IpamStore extends AutoCloseable {

    /** The current value and version of {@code key}, or empty if it does not exist. */
    Optional<Versioned> get(String key);

    /**
     * Writes {@code value} under {@code key} if the key's current version is {@code expectedVersion}
     * ({@code 0}: only if the key does not exist).
     *
     * @return the new version, or empty if the current version differed (nothing was written)
     */
    OptionalLong compareAndSet(String key, long expectedVersion, String value);

    /**
     * Deletes {@code key} if its current version is {@code expectedVersion}.
     *
     * @return true if deleted; false if the key was absent or its version differed
     */
    boolean delete(String key, long expectedVersion);

    /** Every existing key starting with {@code prefix}, in key order, with its value and version. */
    SortedMap<String, Versioned> list(String prefix);

    /**
     * The keys under {@code prefix}, without their values: for callers that find records by their
     * names alone (a file store then reads no file, so the cost does not grow with the values). By
     * default the keys of {@link #list}.
     *
     * @param prefix the key prefix ("" for all)
     * @return the live keys, in key order
     */
    default SortedSet<String> keys(String prefix) {
        return new TreeSet<>(list(prefix).keySet());
    }

    /** A short description for error messages, e.g. {@code file store /var/lib/netlib}. */
    String describe();

    /** Releases the store's resources (files, connections); the stored data stays. */
    @Override
    void close();

    /** Checks a key against the rules in the class comment and returns it. */
    static String checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > 200) {
            throw new InvalidConfigException("store key must be 1..200 characters, got " + (key == null ? "null" : "'" + key + "'"));
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '/' || c == '-';
            if (!ok) {
                throw new InvalidConfigException("store key '" + key + "' has character '" + c + "'; allowed: A-Z a-z 0-9 . _ : / -");
            }
        }
        if (key.startsWith(".") || key.startsWith("/") || key.contains("..")) {
            throw new InvalidConfigException("store key '" + key + "' must not start with '.' or '/' nor contain '..'");
        }
        return key;
    }

    /** Checks a list prefix: empty, or a key prefix under the same character rules. */
    static String checkPrefix(String prefix) {
        return prefix == null || prefix.isEmpty() ? "" : checkKey(prefix);
    }
}
