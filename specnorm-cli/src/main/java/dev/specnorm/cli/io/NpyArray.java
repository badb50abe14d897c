package dev.specnorm.cli.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * An n-dimensional float32 array in C order (row-major), as read from or written to an {@code .npy} file.
 * Float64 files are rounded to float32 when read; {@link #sourceDtype()} says what the file held.
 */
public final class NpyArray {

    private final int[] shape;
    private final float[] data;
    private final NpyDtype sourceDtype;

    /**
     * Wraps {@code data} (not copied) as an array of {@code shape}.
     *
     * @param sourceDtype the dtype the values came from
     * @throws IllegalArgumentException if a dimension is below 1 or data.length is not their product
     */
    public NpyArray(int[] shape, float[] data, NpyDtype sourceDtype) {
        this.shape = Objects.requireNonNull(shape, "shape").clone();
        this.data = Objects.requireNonNull(data, "data");
        this.sourceDtype = Objects.requireNonNull(sourceDtype, "sourceDtype");
        long count = 1;
        for (int d : this.shape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "dimension " + d + " of shape " + Arrays.toString(shape) + " is below 1");
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " overflows an int index");
            }
        }
        if (count != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + count + " values, data holds " + data.length);
        }
    }

    /** A float32 array of {@code shape} wrapping {@code data}. */
    public static NpyArray ofFloat32(int[] shape, float[] data) {
        return new NpyArray(shape, data, NpyDtype.FLOAT32_LE);
    }

    /** The dimensions (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The values in C order; shared, not copied. */
    public float[] data() {
        return data;
    }

    /** The dtype of the file the values came from. */
    public NpyDtype sourceDtype() {
        return sourceDtype;
    }

    /** The shape as NumPy prints it, e.g. {@code (64, 3, 3, 3)}. */
    public String shapeText() {
        return NpyHeader.formatShape(shape);
    }

    @Override
    public String toString() {
        return "NpyArray[" + shapeText() + ", from " + sourceDtype.descr() + "]";
    }
}
