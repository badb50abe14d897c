package dev.specnorm.cli.io;

import java.util.Arrays;

/**
 * An array holds a NaN or an infinity, or a float64 value too large for float32. specnorm refuses such
 * input rather than let it become a NaN result; the message names the file and the first bad entry in
 * C order (the order NumPy prints).
 */
public final class NonFiniteEntryException extends NpyFormatException {

    private static final long serialVersionUID = 1L;

    private final int[] index;

    /**
     * @param source the file (or archive entry) as the user named it
     * @param index  the multi-index of the first bad entry, in C order
     * @param value  the entry as stored in the file
     */
    public NonFiniteEntryException(String source, int[] index, double value) {
        super(source, "entry " + Arrays.toString(index) + describe(value));
        this.index = index.clone();
    }

    /** The multi-index of the first non-finite entry (C order). */
    public int[] index() {
        return index.clone();
    }

    private static String describe(double value) {
        if (Double.isNaN(value)) {
            return " is NaN";
        }
        if (Double.isInfinite(value)) {
            return " is " + value;
        }
        return " = " + value + " is outside the float32 range";
    }
}
