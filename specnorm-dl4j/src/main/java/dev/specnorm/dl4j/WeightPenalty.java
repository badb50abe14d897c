package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PenaltyResult;
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
        INDArray scratch = NdMatrices.zerosLike(param);
        evaluate(keyOf(param), asMatrix(param), true, NdMatrices.wrap(scratch));
        gradView.addi(scratch.castTo(gradView.dataType()));
    }

    @Override
    public final double score(INDArray param, int iteration, int epoch) {
        return evaluate(keyOf(param), asMatrix(param), false, null).loss();
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

    private static MatrixBatch asMatrix(INDArray param) {
        return NdMatrices.wrap(NdMatrices.isWrappable(param) ? param : NdMatrices.copyOf(param));
    }
}
