package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Views of DL4J weight arrays as specnorm matrices, with rows as output units (SPEC.md "Data layout").
 *
 * <p>A dense layer's {@code W} has shape (nIn, nOut); DL4J stores it in 'f' order, whose memory is the
 * row-major nOut × nIn matrix specnorm expects. A convolution's {@code W} has shape
 * (out, in, kh, kw) in 'c' order, whose memory is the {@code FILTERS} matrix out × (in·kh·kw). In both cases
 * the batch is a direct {@link FloatBuffer} over ND4J's off-heap memory: nothing is copied. Only an array
 * in neither layout (a strided view, a 'c'-order dense weight, a non-float type) is copied by
 * {@link #copyOf} into a new array in the expected layout; {@link #isWrappable} says which case applies.
 */
final class NdMatrices {

    private NdMatrices() {}

    /** Rows of the matrix of {@code weight}: nOut for a 2-D (nIn, nOut) weight, out for a 4-D one. */
    static int rows(INDArray weight) {
        requireSupportedRank(weight);
        return (int) (weight.rank() == 2 ? weight.size(1) : weight.size(0));
    }

    /** Columns: nIn for a 2-D weight, in·kh·kw for a 4-D one. */
    static int cols(INDArray weight) {
        return (int) (weight.length() / rows(weight));
    }

    /** Whether {@code weight}'s own memory already is the row-major rows × cols float matrix. */
    static boolean isWrappable(INDArray weight) {
        requireSupportedRank(weight);
        char expected = weight.rank() == 2 ? 'f' : 'c';
        return weight.dataType() == DataType.FLOAT
                && weight.ordering() == expected
                && Arrays.equals(weight.stride(), Nd4j.getStrides(weight.shape(), expected));
    }

    /**
     * The matrix in {@code weight}'s memory, without copying: reads see the array, writes change it.
     *
     * @throws IllegalArgumentException if {@link #isWrappable} is false
     */
    static MatrixBatch wrap(INDArray weight) {
        if (!isWrappable(weight)) {
            throw new IllegalArgumentException("weight " + Arrays.toString(weight.shape()) + " order "
                    + weight.ordering() + " " + weight.dataType() + " is not a contiguous float matrix");
        }
        FloatBuffer all = weight.data().asNioFloat();
        int from = Math.toIntExact(weight.offset());
        FloatBuffer view = all.duplicate()
                .position(from)
                .limit(from + Math.toIntExact(weight.length()))
                .slice();
        return MatrixBatch.of(view, 1, rows(weight), cols(weight));
    }

    /** A float array of {@code weight}'s shape in the wrappable layout holding a copy of it. */
    static INDArray copyOf(INDArray weight) {
        requireSupportedRank(weight);
        return weight.castTo(DataType.FLOAT).dup(weight.rank() == 2 ? 'f' : 'c');
    }

    /** A new zero float array of {@code weight}'s shape in the wrappable layout (an output buffer). */
    static INDArray zerosLike(INDArray weight) {
        requireSupportedRank(weight);
        return Nd4j.create(DataType.FLOAT, weight.shape(), weight.rank() == 2 ? 'f' : 'c');
    }

    private static void requireSupportedRank(INDArray weight) {
        if (weight.rank() != 2 && weight.rank() != 4) {
            throw new IllegalArgumentException("weight of shape " + Arrays.toString(weight.shape())
                    + ": expected a 2-D dense (nIn, nOut) or 4-D convolution (out, in, kh, kw) weight");
        }
    }
}
