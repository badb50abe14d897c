package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PenaltyResult;
import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The part the spectral and orthogonality regularizations share: the weight as a specnorm matrix (in
 * place when ND4J's memory already has the layout, see {@link NdMatrices}), the library's gradient written
 * to a scratch array of the weight's shape and added to DL4J's gradient view before the updater runs.
 * The scratch array is the one copy that remains: specnorm overwrites its gradient output, DL4J's view
 * already holds the loss gradient.
 */
abstract class WeightPenalty implements Regularization {

    private static final long serialVersionUID = 1L;

    /** The weight's shape: DL4J's updater hands a regularization the weight flattened to one row. */
    private final long[] weightShape;

    WeightPenalty(long[] weightShape) {
        if (weightShape.length != 2 && weightShape.length != 4) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(weightShape)
                    + ": expected (nIn, nOut) of a dense layer or (out, in, kh, kw) of a convolution");
        }
        for (long d : weightShape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "weight shape " + Arrays.toString(weightShape) + " has a dimension < 1");
            }
        }
        this.weightShape = weightShape.clone();
    }

    long[] weightShape() {
        return weightShape.clone();
    }

    /**
     * R(W) and, if {@code gradient} is not null, ∂R/∂W written into it; {@code key} names the parameter's
     * persistent state, {@code training} says whether state may advance.
     */
    abstract PenaltyResult evaluate(String key, MatrixBatch weight, boolean training, MatrixBatch gradient);

    /** A copy with the same settings and fresh state. */
    @Override
    public abstract WeightPenalty clone();

    @Override
    public final ApplyStep applyStep() {
        return ApplyStep.BEFORE_UPDATER;
    }

    @Override
    public final void apply(INDArray param, INDArray gradView, double lr, int iteration, int epoch) {
        INDArray weight = shaped(param);
        INDArray scratch = NdMatrices.zerosLike(weight);
        evaluate(keyOf(weight), asMatrix(weight), true, NdMatrices.wrap(scratch));
        shaped(gradView).addi(scratch.castTo(gradView.dataType()));
    }

    @Override
    public final double score(INDArray param, int iteration, int epoch) {
        INDArray weight = shaped(param);
        return evaluate(keyOf(weight), asMatrix(weight), false, null).loss();
    }

    /**
     * A key that stays the same for one parameter of one network: the address of its first element (DL4J
     * keeps all parameters in one flat buffer for the network's life), or for an array that must be
     * copied, the array object itself.
     */
    static String keyOf(INDArray param) {
        if (NdMatrices.isWrappable(param)) {
            return "@" + new Pointer(NdMatrices.wrap(param).buffer()).address();
        }
        return "#" + System.identityHashCode(param);
    }

    /**
     * {@code array} (the weight or its gradient, as DL4J passes it: flattened to a row in the layout of
     * its parameter, 'f' for a dense weight and 'c' for a convolution) as a view of the weight's shape.
     */
    private INDArray shaped(INDArray array) {
        if (array.length() != Arrays.stream(weightShape).reduce(1, Math::multiplyExact)) {
            throw new IllegalArgumentException("parameter of " + array.length() + " values does not have the shape "
                    + Arrays.toString(weightShape) + " this regularization was made for");
        }
        if (Arrays.equals(array.shape(), weightShape)) {
            return array;
        }
        return array.reshape(weightShape.length == 2 ? 'f' : 'c', weightShape);
    }

    private static MatrixBatch asMatrix(INDArray param) {
        return NdMatrices.wrap(NdMatrices.isWrappable(param) ? param : NdMatrices.copyOf(param));
    }
}
