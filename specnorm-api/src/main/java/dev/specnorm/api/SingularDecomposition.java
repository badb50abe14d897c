package dev.specnorm.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The thin singular value decomposition W = U Σ Vᵀ of one m×n matrix, r = min(m, n), in NumPy's
 * {@code svd(full_matrices=False)} convention. Immutable: the arrays are copied on the way in and every
 * accessor returns a copy; {@link #value(int)} and {@link #sigma1()} read without copying.
 *
 * @param rows   m
 * @param cols   n
 * @param values σ₁ ≥ … ≥ σᵣ ≥ 0
 * @param u      U, m×r row-major, or null when vectors were not asked for
 * @param vt     Vᵀ ("Vh"), r×n row-major, or null when vectors were not asked for
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record SingularDecomposition(int rows, int cols, float[] values, float[] u, float[] vt) {

    /** Copies the arrays. */
    public SingularDecomposition {
        values = values.clone();
        u = u == null ? null : u.clone();
        vt = vt == null ? null : vt.clone();
    }

    /** Whether U and Vᵀ are present. */
    public boolean hasVectors() {
        return u != null;
    }

    /** A copy of σ₁ ≥ … ≥ σᵣ. */
    @Override
    public float[] values() {
        return values.clone();
    }

    /** A copy of U (m×r row-major), or null without vectors. */
    @Override
    public float[] u() {
        return u == null ? null : u.clone();
    }

    /** A copy of Vᵀ (r×n row-major), or null without vectors. */
    @Override
    public float[] vt() {
        return vt == null ? null : vt.clone();
    }

    /** σᵢ₊₁, the singular value at {@code i} (0-based, descending). */
    public float value(int i) {
        return values[i];
    }

    /** σ₁ = ‖W‖₂ (0 for a matrix with no entries). */
    public float sigma1() {
        return values.length == 0 ? 0f : values[0];
    }

    /** Equal shape and equal arrays. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SingularDecomposition d
                && rows == d.rows
                && cols == d.cols
                && Arrays.equals(values, d.values)
                && Arrays.equals(u, d.u)
                && Arrays.equals(vt, d.vt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, cols, Arrays.hashCode(values), Arrays.hashCode(u), Arrays.hashCode(vt));
    }

    @Override
    public String toString() {
        return "SingularDecomposition[" + rows + "x" + cols + ", values=" + Arrays.toString(values)
                + (hasVectors() ? ", with vectors]" : "]");
    }
}
