package dev.keel.registry.approval;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How numbers appear in check details: four decimals at most, no trailing zeros, no locale; counts with their noun. */
final class Figures {
    private Figures() {
    }

    static String of(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.toString(value);
        }
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /**
     * {@code value} beside the bound it is compared with: when four decimals would show them
     * equal although they differ (0.79996 against 0.8), the value is shown in full, so a
     * failure never reads "0.8 < 0.8".
     */
    static String against(double value, double bound) {
        String shown = of(value);
        return shown.equals(of(bound)) && value != bound ? Double.toString(value) : shown;
    }

    /** {@code n} and {@code noun}, plural unless there is one: "1 file", "3 files". */
    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
