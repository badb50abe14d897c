package dev.specnorm.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.specnorm.api.MatrixBatch;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * DJL weight arrays as specnorm matrices with rows as output units: a {@code Linear} weight (out, in) is
 * the matrix itself, a convolution weight (out, in, kh, kw) the {@code FILTERS} matrix out × (in·kh·kw);
 * both are the row-major memory of the contiguous tensor. A float32 array on the CPU is read in place
 * through the direct buffer the PyTorch engine returns for its memory; any other array (float64, on a
 * GPU) is copied to a float32 host buffer first.
 */
final class DjlMatrices {

    private DjlMatrices() {}

    /** Whether {@code weight} is a 2-D or 4-D array (a dense or convolution weight). */
    static boolean isWeight(Shape shape) {
        return shape.dimension() == 2 || shape.dimension() == 4;
    }

    /** The rows × cols matrix of {@code weight}, a view of its memory where possible, else a copy. */
    static MatrixBatch of(NDArray weight) {
        Shape shape = weight.getShape();
        if (!isWeight(shape)) {
            throw new IllegalArgumentException(
                    "weight of shape " + shape + ": expected a 2-D (out, in) or 4-D (out, in, kh, kw) weight");
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.size() / rows);
        NDArray floats = weight.getDataType() == DataType.FLOAT32 ? weight : weight.toType(DataType.FLOAT32, false);
        FloatBuffer data =
                floats.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return MatrixBatch.of(data, 1, rows, cols);
    }
}
