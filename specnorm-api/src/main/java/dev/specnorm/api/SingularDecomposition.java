package dev.specnorm.api;

/**
 * The thin singular value decomposition W = U Σ Vᵀ of one m×n matrix, r = min(m, n), in NumPy's
 * {@code svd(full_matrices=False)} convention.
 *
 * @param rows   m
 * @param cols   n
 * @param values σ₁ ≥ … ≥ σᵣ ≥ 0
 * @param u      U, m×r row-major, or null when vectors were not asked for
 * @param vt     Vᵀ ("Vh"), r×n row-major, or null when vectors were not asked for
 */
public record SingularDecomposition(int rows, int cols, float[] values, float[] u, float[] vt) {

    /** Whether U and Vᵀ are present. */
    public boolean hasVectors() {
        return u != null;
    }
}
