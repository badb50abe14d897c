package dev.specnorm.api;

import java.util.Objects;

/**
 * How 4-D convolution weights (d0, d1, kh, kw), C-order, become a matrix batch (SPEC.md "Data layout").
 */
public enum ConvolutionReshape {

    /**
     * A convolution's weight (out, in, kh, kw) as one matrix of out × (in·kh·kw), as PyTorch and
     * SN-GAN reshape it. A view: no copy.
     */
    FILTERS,

    /** A convolution's weight (out, in, kh, kw) as a batch of out·in matrices of kh × kw. A view. */
    SLICES,

    /**
     * A transposed convolution's weight (in, out, kh, kw): dimension 1 moves to the front, giving
     * (out, in, kh, kw), which is then reshaped as {@link #FILTERS}. A copy.
     */
    TRANSPOSED;

    /**
     * The batch shape this reshape gives a weight of shape (d0, d1, kh, kw).
     *
     * @throws IllegalArgumentException if a dimension is below 1 or the size overflows an int
     */
    public BatchShape shape(int d0, int d1, int kh, int kw) {
        BatchShape.requirePositive("d0", d0);
        BatchShape.requirePositive("d1", d1);
        BatchShape.requirePositive("kh", kh);
        BatchShape.requirePositive("kw", kw);
        int window = checkedInt((long) kh * kw, "kh·kw");
        return switch (this) {
            case FILTERS -> new BatchShape(1, d0, checkedInt((long) d1 * window, "in·kh·kw"));
            case SLICES -> new BatchShape(checkedInt((long) d0 * d1, "out·in"), kh, kw);
            case TRANSPOSED -> new BatchShape(1, d1, checkedInt((long) d0 * window, "in·kh·kw"));
        };
    }

    /**
     * Reshapes {@code weight} (C-order, shape (d0, d1, kh, kw)) into a batch.
     *
     * @throws IllegalArgumentException if weight is null or its length is not d0·d1·kh·kw
     */
    public MatrixBatch toBatch(float[] weight, int d0, int d1, int kh, int kw) {
        Objects.requireNonNull(weight, "weight");
        BatchShape shape = shape(d0, d1, kh, kw);
        if (weight.length != shape.elementCount()) {
            throw new IllegalArgumentException("weight holds " + weight.length + " floats, shape (" + d0 + ", " + d1
                    + ", " + kh + ", " + kw + ") needs " + shape.elementCount());
        }
        float[] data = this == TRANSPOSED ? swapLeadingDimensions(weight, d0, d1, kh * kw) : weight;
        return MatrixBatch.of(data, shape.batch(), shape.rows(), shape.cols());
    }

    /**
     * The inverse of {@link #toBatch}: a batch of this reshape's shape (for example a gradient) laid out
     * as the weight (d0, d1, kh, kw) it came from, in a new array.
     *
     * @throws IllegalArgumentException if the batch's shape is not this reshape's shape of the weight
     */
    public float[] toWeightLayout(MatrixBatch batch, int d0, int d1, int kh, int kw) {
        Objects.requireNonNull(batch, "batch");
        BatchShape shape = shape(d0, d1, kh, kw);
        if (!batch.shape().equals(shape)) {
            throw new IllegalArgumentException("batch has shape " + batch.shape() + ", the " + this + " reshape of ("
                    + d0 + ", " + d1 + ", " + kh + ", " + kw + ") has " + shape);
        }
        float[] data = batch.toArray();
        return this == TRANSPOSED ? swapLeadingDimensions(data, d1, d0, kh * kw) : data;
    }

    /** (a, b, w) → (b, a, w), C-order. */
    private static float[] swapLeadingDimensions(float[] x, int a, int b, int w) {
        float[] out = new float[x.length];
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(x, (i * b + j) * w, out, (j * a + i) * w, w);
            }
        }
        return out;
    }

    private static int checkedInt(long value, String what) {
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " = " + value + " overflows an int index");
        }
        return (int) value;
    }
}
