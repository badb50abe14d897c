package dev.specnorm.cli.io;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The header of an {@code .npy} file: a Python dict literal with exactly the keys {@code descr},
 * {@code fortran_order} and {@code shape} (NumPy's format, {@code numpy.lib.format}).
 *
 * @param dtype        the element type
 * @param fortranOrder whether the data is stored column-major
 * @param shape        the dimensions, each at least 1; empty for a 0-d array
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record NpyHeader(NpyDtype dtype, boolean fortranOrder, int[] shape) {

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** Copies the shape. */
    public NpyHeader {
        shape = shape.clone();
    }

    /** The dimensions (a copy). */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /**
     * Parses the dict literal of a header.
     *
     * @param source the file, for messages
     * @throws NpyFormatException if the text is not such a dict, a key is missing or extra, the dtype is
     *                            unsupported, or a dimension is not a positive int
     */
    public static NpyHeader parse(String source, String text) throws NpyFormatException {
        return parse(source, text, NpyDtype::parse);
    }

    /** Reads a header's {@code descr} string into a dtype, or refuses it. */
    @FunctionalInterface
    public interface DtypeParser {
        NpyDtype parse(String source, String descr) throws NpyFormatException;
    }

    /**
     * Parses the dict literal of a header, reading {@code descr} with {@code dtypes} (for readers of more
     * element types than {@link NpyDtype#parse} accepts).
     */
    public static NpyHeader parse(String source, String text, DtypeParser dtypes) throws NpyFormatException {
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (PythonLiteral.SyntaxException e) {
            throw new NpyFormatException(source, "header is not a valid Python dict literal: " + e.getMessage());
        }
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new NpyFormatException(source, "header is not a dict: " + literal);
        }
        if (!dict.keySet().equals(KEYS)) {
            throw new NpyFormatException(
                    source,
                    "header has keys " + new TreeSet<>(dict.keySet()) + ", expected [descr, fortran_order, shape]");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String typeString)) {
            throw new NpyFormatException(
                    source,
                    descr instanceof List<?>
                            ? "structured dtypes (record arrays) are not supported; save a plain float32 or float64 array"
                            : "descr " + descr + " is not a dtype string");
        }
        NpyDtype dtype = dtypes.parse(source, typeString);
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new NpyFormatException(
                    source, "fortran_order " + dict.get("fortran_order") + " is not True or False");
        }
        return new NpyHeader(dtype, fortran, dimensions(source, dict.get("shape")));
    }

    private static int[] dimensions(String source, Object shape) throws NpyFormatException {
        if (!(shape instanceof PythonLiteral.Tuple tuple)) {
            throw new NpyFormatException(source, "shape " + shape + " is not a tuple");
        }
        List<Object> items = tuple.items();
        int[] dims = new int[items.size()];
        for (int k = 0; k < dims.length; k++) {
            if (!(items.get(k) instanceof BigInteger d)) {
                throw new NpyFormatException(source, "shape entry " + k + " (" + items.get(k) + ") is not an integer");
            }
            if (d.signum() <= 0) {
                throw new NpyFormatException(
                        source,
                        "shape " + describe(items) + " has "
                                + (d.signum() == 0 ? "a zero dimension (an empty array)" : "a negative dimension"));
            }
            if (d.bitLength() > 31) {
                throw new NpyFormatException(
                        source,
                        "shape " + describe(items) + " has dimension " + d + ", larger than a Java array can hold");
            }
            dims[k] = d.intValue();
        }
        return dims;
    }

    /**
     * The number of elements, the product of the dimensions (1 for a 0-d array).
     *
     * @throws ArithmeticException if it overflows a long
     */
    public long elementCount() {
        long count = 1;
        for (int d : shape) {
            count = Math.multiplyExact(count, d);
        }
        return count;
    }

    /** The shape as NumPy prints it: {@code (3, 4)}, {@code (5,)}, {@code ()}. */
    public String shapeText() {
        return formatShape(shape);
    }

    /** A shape as a Python tuple: {@code (3, 4)}, {@code (5,)}, {@code ()}. */
    public static String formatShape(int[] shape) {
        StringBuilder out = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            out.append(k == 0 ? "" : ", ").append(shape[k]);
        }
        return out.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static String describe(List<Object> items) {
        StringBuilder out = new StringBuilder("(");
        for (int k = 0; k < items.size(); k++) {
            out.append(k == 0 ? "" : ", ").append(items.get(k));
        }
        return out.append(items.size() == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h
                && h.dtype.equals(dtype)
                && h.fortranOrder == fortranOrder
                && Arrays.equals(h.shape, shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Boolean.hashCode(fortranOrder)) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyHeader[" + dtype.descr() + ", " + (fortranOrder ? "Fortran" : "C") + " order, " + shapeText() + "]";
    }
}
