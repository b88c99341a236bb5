package dev.netlib;

import dev.netlib.error.InvalidConfigException;

/** Argument checks shared by the builders; each message says what is allowed. */
final class Validate {
    /** ETH_MIN_MTU and ETH_MAX_MTU (if_ether.h): the range every Ethernet-like link kind accepts at most. */
    static final int ETH_MIN_MTU = 68;
    static final int ETH_MAX_MTU = 65535;

    private Validate() {}

    static int mtu(int mtu) {
        if (mtu < ETH_MIN_MTU || mtu > ETH_MAX_MTU) {
            throw new InvalidConfigException("MTU " + mtu + " is out of range; allowed " + ETH_MIN_MTU + ".." + ETH_MAX_MTU);
        }
        return mtu;
    }

    static int port(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new InvalidConfigException(what + " " + port + " is out of range; allowed 1..65535");
        }
        return port;
    }

    static int range(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(what + " " + value + " is out of range; allowed " + min + ".." + max);
        }
        return value;
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new InvalidConfigException(what + " must be given");
        }
        return value;
    }
}
