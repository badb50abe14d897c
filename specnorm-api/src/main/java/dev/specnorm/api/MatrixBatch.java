package dev.specnorm.api;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Objects;

/**
 * B float32 matrices of m×n in host memory, row-major and batch-major: element (b, i, j) at
 * {@code b·m·n + i·n + j}, the layout of a C-order NumPy array or a contiguous PyTorch tensor of
 * shape (B, m, n) (SPEC.md "Data layout").
 *
 * <p>A batch is a view: the factories wrap the caller's array or buffer without copying, so the
 * caller's data must not change while an operation reads it. Operations never write to a batch they
 * read; they write only to batches passed as outputs. A batch is not thread-safe for writing; any
 * number of threads may read it.
 */
public final class MatrixBatch implements Matrices {

    private final BatchShape shape;
    private final FloatBuffer data;

    private MatrixBatch(BatchShape shape, FloatBuffer data) {
        this.shape = shape;
        this.data = data;
    }

    /** One m×n matrix wrapping {@code data} (length m·n, row-major). */
    public static MatrixBatch of(float[] data, int rows, int cols) {
        return of(data, 1, rows, cols);
    }

    /**
     * B matrices of m×n wrapping {@code data} (length B·m·n) without copying.
     *
     * @throws IllegalArgumentException if data is null or its length is not B·m·n
     */
    public static MatrixBatch of(float[] data, int batch, int rows, int cols) {
        Objects.requireNonNull(data, "data");
        BatchShape shape = new BatchShape(batch, rows, cols);
        requireLength("data", data.length, shape);
        return new MatrixBatch(shape, FloatBuffer.wrap(data));
    }

    /**
     * B matrices of m×n wrapping {@code buffer} from its position to its limit, without copying. A
     * direct buffer lets native backends read the memory in place.
     *
     * @throws IllegalArgumentException if buffer is null or its remaining length is not B·m·n
     */
    public static MatrixBatch of(FloatBuffer buffer, int batch, int rows, int cols) {
        Objects.requireNonNull(buffer, "buffer");
        BatchShape shape = new BatchShape(batch, rows, cols);
        requireLength("buffer.remaining()", buffer.remaining(), shape);
        return new MatrixBatch(shape, buffer.slice());
    }

    /** A new zero-filled batch of the given shape, backed by a heap array. */
    public static MatrixBatch zeros(BatchShape shape) {
        Objects.requireNonNull(shape, "shape");
        return new MatrixBatch(shape, FloatBuffer.wrap(new float[shape.elementCount()]));
    }

    /**
     * Convolution weights reshaped into a batch, per {@code reshape} (SPEC.md "Data layout"). The
     * {@link ConvolutionReshape#FILTERS} and {@link ConvolutionReshape#SLICES} reshapes wrap the array;
     * {@link ConvolutionReshape#TRANSPOSED} copies it, since it permutes the first two dimensions.
     *
     * @param weight the weights, C-order, of shape (d0, d1, kh, kw): (out, in, kh, kw) for a
     *               convolution, (in, out, kh, kw) for a transposed convolution
     */
    public static MatrixBatch fromConvolution(
            float[] weight, int d0, int d1, int kh, int kw, ConvolutionReshape reshape) {
        Objects.requireNonNull(reshape, "reshape");
        return reshape.toBatch(weight, d0, d1, kh, kw);
    }

    /**
     * Stacks matrices of one shape into a new batch (copying).
     *
     * @throws IllegalArgumentException if the list is empty or the batches' matrices differ in shape
     */
    public static MatrixBatch stack(List<MatrixBatch> batches) {
        Objects.requireNonNull(batches, "batches");
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("batches must not be empty");
        }
        BatchShape first = Objects.requireNonNull(batches.get(0), "batches[0]").shape();
        long total = 0;
        for (int k = 0; k < batches.size(); k++) {
            BatchShape s =
                    Objects.requireNonNull(batches.get(k), "batches[" + k + "]").shape();
            if (s.rows() != first.rows() || s.cols() != first.cols()) {
                throw new IllegalArgumentException("batches[" + k + "] holds " + s.rows() + "×" + s.cols()
                        + " matrices, batches[0] holds " + first.rows() + "×" + first.cols()
                        + ": a batch cannot mix shapes (pass a list of batches instead)");
            }
            total += s.batch();
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("stacked batch count " + total + " overflows an int");
        }
        MatrixBatch out = zeros(new BatchShape((int) total, first.rows(), first.cols()));
        int at = 0;
        for (MatrixBatch b : batches) {
            b.copyTo(out.data, at);
            at += b.shape.elementCount();
        }
        return out;
    }

    @Override
    public BatchShape shape() {
        return shape;
    }

    /** Element (b, i, j). */
    public float get(int b, int i, int j) {
        return data.get(checkedIndex(b, i, j));
    }

    /** Sets element (b, i, j). */
    public void set(int b, int i, int j, float value) {
        data.put(checkedIndex(b, i, j), value);
    }

    /** The data as a buffer of B·m·n floats, position 0; it shares the batch's memory. */
    public FloatBuffer buffer() {
        return data.duplicate();
    }

    /** Whether the data lives in an accessible Java array ({@link #array()}). */
    public boolean hasArray() {
        return data.hasArray();
    }

    /**
     * The backing array, shared; element 0 of the batch is at {@link #arrayOffset()}.
     *
     * @throws UnsupportedOperationException if the batch wraps a direct or read-only buffer
     */
    public float[] array() {
        return data.array();
    }

    /** Offset of element 0 in {@link #array()}. */
    public int arrayOffset() {
        return data.arrayOffset();
    }

    /** Whether the batch can be written (an output of an operation). */
    public boolean isWritable() {
        return !data.isReadOnly();
    }

    /** A new array with a copy of the data. */
    public float[] toArray() {
        float[] out = new float[shape.elementCount()];
        data.duplicate().get(out);
        return out;
    }

    /** Matrix {@code b} as a new batch of one, sharing memory. */
    public MatrixBatch matrix(int b) {
        Objects.checkIndex(b, shape.batch());
        int size = shape.matrixSize();
        return new MatrixBatch(
                BatchShape.matrix(shape.rows(), shape.cols()),
                data.duplicate().position(b * size).limit((b + 1) * size).slice());
    }

    /** Copies this batch's data into {@code dst} starting at element {@code offset}. */
    void copyTo(FloatBuffer dst, int offset) {
        dst.duplicate().position(offset).put(data.duplicate());
    }

    private int checkedIndex(int b, int i, int j) {
        Objects.checkIndex(b, shape.batch());
        Objects.checkIndex(i, shape.rows());
        Objects.checkIndex(j, shape.cols());
        return shape.index(b, i, j);
    }

    private static void requireLength(String name, int length, BatchShape shape) {
        if (length != shape.elementCount()) {
            throw new IllegalArgumentException(
                    name + " holds " + length + " floats, shape " + shape + " needs " + shape.elementCount());
        }
    }

    @Override
    public String toString() {
        return "MatrixBatch[" + shape + (data.isDirect() ? ", direct" : "") + "]";
    }
}
