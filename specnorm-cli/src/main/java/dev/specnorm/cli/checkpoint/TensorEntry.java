package dev.specnorm.cli.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One named tensor of a checkpoint, not yet read: its dtype, shape, and where its elements lie in a
 * storage (a buffer of {@code storageElements} elements). Element (i₀, …, i_{r−1}) is storage element
 * {@code offset + Σ iₖ·strides[k]} (PyTorch's view: strides and storage offset in elements; contiguous
 * C order has strides[k] = Π_{j>k} shape[j]). The constructor checks that every element lies inside the
 * storage, so {@link #toFloat32()} never reads out of bounds.
 */
public final class TensorEntry {

    /** Loads the bytes of a storage, in their byte order; called only when the tensor is read. */
    @FunctionalInterface
    public interface StorageBytes {
        ByteBuffer load() throws IOException;
    }

    /** The most elements a tensor may have to be read (a Java array's limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final String source;
    private final String name;
    private final TensorDtype dtype;
    private final int[] shape;
    private final long[] strides;
    private final long offset;
    private final StorageBytes storage;

    /**
     * @param source          the file, for messages
     * @param storageElements how many elements the storage holds
     * @throws CheckpointFormatException if a dimension, stride or the offset is negative, or some element
     *                                   lies outside the storage
     */
    public TensorEntry(
            String source,
            String name,
            TensorDtype dtype,
            long[] shape,
            long[] strides,
            long offset,
            long storageElements,
            StorageBytes storage)
            throws CheckpointFormatException {
        this.source = source;
        this.name = name;
        this.dtype = dtype;
        if (strides.length != shape.length) {
            throw problem("has " + shape.length + " dimensions but " + strides.length + " strides");
        }
        this.shape = new int[shape.length];
        long elements = 1;
        long last = offset;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] < 0 || strides[k] < 0) {
                throw problem("has a negative " + (shape[k] < 0 ? "dimension" : "stride") + " in shape " + text(shape)
                        + ", strides " + text(strides));
            }
            if (shape[k] > MAX_ELEMENTS) {
                throw problem("has dimension " + shape[k] + ", larger than specnorm reads");
            }
            this.shape[k] = (int) shape[k];
            elements = saturatingMultiply(elements, shape[k]);
            if (shape[k] > 0) {
                last = saturatingAdd(last, saturatingMultiply(shape[k] - 1, strides[k]));
            }
        }
        if (offset < 0) {
            throw problem("has a negative storage offset " + offset);
        }
        if (elements > MAX_ELEMENTS) {
            throw problem("has shape " + text(shape) + ", "
                    + (elements == Long.MAX_VALUE ? "too many" : String.valueOf(elements))
                    + " elements, more than specnorm reads (" + MAX_ELEMENTS + ")");
        }
        if (elements > 0 && last >= storageElements) {
            throw problem("shape " + text(shape) + ", strides " + text(strides) + " and offset " + offset
                    + " reach element " + last + " of a storage of " + storageElements + " elements");
        }
        this.strides = strides.clone();
        this.offset = offset;
        this.storage = storage;
    }

    /** A tensor stored contiguously in C order from the start of its storage. */
    public static TensorEntry contiguous(
            String source, String name, TensorDtype dtype, long[] shape, long storageElements, StorageBytes storage)
            throws CheckpointFormatException {
        long[] strides = new long[shape.length];
        long step = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            strides[k] = step;
            step = saturatingMultiply(step, Math.max(shape[k], 1));
        }
        return new TensorEntry(source, name, dtype, shape, strides, 0, storageElements, storage);
    }

    /** The tensor's name (a state-dict key such as {@code conv1.weight}). */
    public String name() {
        return name;
    }

    /** The element type in the file. */
    public TensorDtype dtype() {
        return dtype;
    }

    /** The shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The rank (number of dimensions). */
    public int rank() {
        return shape.length;
    }

    /** The number of elements, the product of the shape (1 for a scalar). */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape as NumPy prints it: {@code (64, 3, 3, 3)}. */
    public String shapeText() {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * The elements in C order as float32, converted exactly (float64 rounded to nearest).
     *
     * @throws CheckpointFormatException if the dtype is not one specnorm reads, or an element is NaN or
     *                                   infinite (or a float64 beyond the float32 range)
     */
    public float[] toFloat32() throws IOException {
        if (!dtype.isReadable()) {
            throw problem("has dtype " + dtype.typeName() + "; specnorm reads float64, float32, float16 and bfloat16");
        }
        ByteBuffer bytes = storage.load();
        int n = (int) elementCount();
        float[] out = new float[n];
        int rank = shape.length;
        int[] index = new int[rank];
        long position = offset;
        for (int k = 0; k < n; k++) {
            float value = dtype.read(bytes, (int) position);
            if (!Float.isFinite(value)) {
                throw problem("element " + k + " (C order) is " + dtype.readDouble(bytes, (int) position)
                        + (Double.isFinite(dtype.readDouble(bytes, (int) position)) ? ", beyond the float32 range" : "")
                        + "; weights must be finite");
            }
            out[k] = value;
            for (int d = rank - 1; d >= 0; d--) {
                position += strides[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                position -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype.typeName() + " " + shapeText();
    }

    private CheckpointFormatException problem(String what) {
        return new CheckpointFormatException(source, "tensor '" + name + "' " + what);
    }

    private static String text(long[] values) {
        return Arrays.toString(values);
    }

    static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
