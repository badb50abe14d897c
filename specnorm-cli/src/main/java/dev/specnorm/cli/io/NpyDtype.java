package dev.specnorm.cli.io;

import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The element types specnorm reads: IEEE float32 and float64, in either byte order.
 *
 * <p>NumPy writes the {@code descr} of a float array as its type string: {@code '<f4'}, {@code '>f8'}.
 * A descriptor without an explicit order ({@code 'f4'}, {@code '=f4'}, {@code '|f4'}) is taken in this
 * machine's native order, as NumPy itself reads it.
 *
 * @param descr     the descriptor as the header spelled it
 * @param itemSize  4 for float32, 8 for float64
 * @param byteOrder the byte order of the data
 */
public record NpyDtype(String descr, int itemSize, ByteOrder byteOrder) {

    /** Little-endian float32, what {@link NpyWriter} writes. */
    public static final NpyDtype FLOAT32_LE = new NpyDtype("<f4", 4, ByteOrder.LITTLE_ENDIAN);

    private static final Pattern TYPE_STRING = Pattern.compile("([<>=|]?)([a-zA-Z])(\\d*)");

    /**
     * The dtype a header's {@code descr} string names.
     *
     * @param source the file, for the message
     * @throws NpyFormatException if it is not float32 or float64, naming what it is instead
     */
    public static NpyDtype parse(String source, String descr) throws NpyFormatException {
        Matcher m = TYPE_STRING.matcher(descr);
        if (!m.matches()) {
            throw unsupported(source, descr, "not a NumPy type string");
        }
        char kind = m.group(2).charAt(0);
        int size = m.group(3).isEmpty() ? -1 : parseSize(m.group(3));
        if (kind == 'O') {
            throw new NpyFormatException(
                    source,
                    "object arrays (dtype '" + descr
                            + "') hold pickled Python objects, not numbers; save a float32 or float64 array");
        }
        if (kind != 'f') {
            throw unsupported(source, descr, kindName(kind));
        }
        if (size != 4 && size != 8) {
            throw unsupported(
                    source, descr, size == 2 ? "float16" : size > 0 ? "float" + 8 * size : "float of no size");
        }
        return new NpyDtype(descr, size, order(m.group(1)));
    }

    /** Whether this is float64. */
    public boolean isFloat64() {
        return itemSize == 8;
    }

    /** {@code float32} or {@code float64}. */
    public String typeName() {
        return isFloat64() ? "float64" : "float32";
    }

    private static ByteOrder order(String prefix) {
        return switch (prefix) {
            case "<" -> ByteOrder.LITTLE_ENDIAN;
            case ">" -> ByteOrder.BIG_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
    }

    private static int parseSize(String digits) {
        return digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    }

    private static String kindName(char kind) {
        return switch (kind) {
            case 'i' -> "signed integer";
            case 'u' -> "unsigned integer";
            case 'b' -> "boolean";
            case 'c' -> "complex";
            case 'U' -> "unicode string";
            case 'S', 'a' -> "byte string";
            case 'V' -> "void / structured";
            case 'M', 'm' -> "datetime";
            default -> "kind '" + kind + "'";
        };
    }

    private static NpyFormatException unsupported(String source, String descr, String what) {
        return new NpyFormatException(
                source,
                "unsupported dtype '" + descr + "' (" + what
                        + "); specnorm reads float32 ('<f4', '>f4') and float64 ('<f8', '>f8')");
    }
}
