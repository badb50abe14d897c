package dev.specnorm.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import java.util.List;
import java.util.Objects;

/**
 * An orthogonality penalty (SPEC.md table: {@code biggan} β‖WWᵀ ⊙ (1 − I)‖²_F, {@code soft} β‖WWᵀ − I‖²_F,
 * {@code double-soft}, {@code l1}, {@code srip}) summed over every 2-D or 4-D parameter named
 * {@code weight} of a block, as a DJL loss term to add to the task loss (for example with
 * {@code SimpleCompositeLoss}); labels and predictions are ignored. specnorm computes R and ∂R/∂W; the term
 * returned is R + ⟨W, g⟩ − ⟨W, g⟩|const with g = ∂R/∂W held constant, whose value is R and whose autograd
 * gradient is g. Each weight is read in place ({@link DjlMatrices}); g is copied into one array per weight.
 *
 * <p>Use: {@code new SimpleCompositeLoss().addLoss(Loss.softmaxCrossEntropyLoss())
 * .addLoss(new OrthogonalPenaltyLoss(net, Penalty.SOFT, 1e-4f))}.
 */
public final class OrthogonalPenaltyLoss extends Loss {

    private final Block block;
    private final Penalty penalty;
    private final float beta;

    /**
     * @param block   whose {@code weight} parameters are penalized (read at every evaluation)
     * @param penalty any {@link Penalty} but {@link Penalty#SLICES}
     * @param beta    the strength β (finite)
     */
    public OrthogonalPenaltyLoss(Block block, Penalty penalty, float beta) {
        super("orthogonal-" + Objects.requireNonNull(penalty, "penalty").cliName());
        this.block = Objects.requireNonNull(block, "block");
        if (penalty == Penalty.SLICES) {
            throw new IllegalArgumentException("penalty slices needs the SLICES reshape; use biggan");
        }
        if (!Float.isFinite(beta)) {
            throw new IllegalArgumentException("beta must be finite, got " + beta);
        }
        this.penalty = penalty;
        this.beta = beta;
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDManager manager = predictions.head().getManager();
        NDArray total = manager.zeros(new ai.djl.ndarray.types.Shape());
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter parameter = p.getValue();
            if (!parameter.getName().equals("weight")
                    || !parameter.isInitialized()
                    || !DjlMatrices.isWeight(parameter.getShape())) {
                continue;
            }
            NDArray w = parameter.getArray();
            MatrixBatch matrix = DjlMatrices.of(w);
            MatrixBatch gradient = MatrixBatch.zeros(matrix.shape());
            PenaltyResult r =
                    SharedBackend.named("auto").orthogonalPenalty(List.of(matrix), penalty, beta, List.of(gradient));
            float[] g = gradient.toArray();
            NDArray gArray = manager.create(g, w.getShape()).toType(w.getDataType(), false);
            double inner = 0;
            float[] wf = matrix.toArray();
            for (int i = 0; i < g.length; i++) {
                inner += (double) wf[i] * g[i];
            }
            NDArray term = w.mul(gArray).sum().add((float) (r.loss() - inner));
            total = total.add(term.toType(total.getDataType(), false));
        }
        return total;
    }
}
