package dev.netlib.examples.bench;

/**
 * A number with a fixed count of decimals, as {@code String.format(Locale.ROOT, "%.3f", v)} writes
 * it, without {@link java.util.Formatter}. The first {@code String.format} of a JVM costs ~35 ms
 * (its format parser, the locale providers and DecimalFormatSymbols are loaded and initialised),
 * which was a tenth of {@code bench down 0}'s whole cold start, the figure issue 13 measures; the
 * benchmark's own output must not weigh on it.
 */
public final class Fixed {
    private Fixed() {}

    /**
     * {@code value} rounded half-up to {@code decimals} places (0 to 9), with a '.' and no grouping;
     * NaN and the infinities as {@link Double#toString} writes them.
     */
    public static String of(double value, int decimals) {
        if (decimals < 0 || decimals > 9) {
            throw new IllegalArgumentException("decimals must be 0 to 9, got " + decimals);
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        long scale = 1;
        for (int i = 0; i < decimals; i++) {
            scale *= 10;
        }
        boolean negative = value < 0;
        long units = Math.round(Math.abs(value) * scale);
        StringBuilder s = new StringBuilder(24);
        if (negative && units != 0) {
            s.append('-');
        }
        s.append(units / scale);
        if (decimals > 0) {
            String fraction = Long.toString(units % scale);
            s.append('.');
            for (int i = fraction.length(); i < decimals; i++) {
                s.append('0');
            }
            s.append(fraction);
        }
        return s.toString();
    }
}
