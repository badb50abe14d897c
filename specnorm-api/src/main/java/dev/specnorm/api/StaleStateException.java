package dev.specnorm.api;

/**
 * Evaluation with zero iterations gave σ̂ = uᵀWv &lt; 0: the stored u, v no longer match W (SPEC.md
 * "Power iteration"). Run at least one iteration, or start new state.
 */
public class StaleStateException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int matrixIndex;

    /**
     * @param matrixIndex the matrix's position in the flattened batch or list
     * @param sigma       the negative σ̂ found
     */
    public StaleStateException(int matrixIndex, float sigma) {
        super("matrix " + matrixIndex + ": stale power-iteration state, uᵀWv = " + sigma
                + " < 0 with 0 iterations; run at least one iteration or start new state");
        this.matrixIndex = matrixIndex;
    }

    /** The matrix's position in the flattened batch or list. */
    public int matrixIndex() {
        return matrixIndex;
    }
}
