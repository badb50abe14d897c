package dev.specnorm.api.testing;

/**
 * Every tolerance the tests use, exactly as SPEC.md "Accuracy expectations" states it (float32 input,
 * float64 reference). Nothing here is tuned to what the code printed.
 */
public final class Tolerances {

    /** ε = 2⁻²⁴, the unit roundoff of float32. */
    public static final double FLOAT_EPS = 0x1.0p-24;

    /** Normwise relative tolerance of gradients: ‖g − g₆₄‖_F ≤ 1e-5·‖ḡ‖_F. */
    public static final double GRADIENT = 1e-5;

    /**
     * SPEC.md's gradient rule applied to the other results of a formula evaluated from the same state (σ̂ =
     * uᵀWv, Ŵ, one normalize step, penalty and regularizer values): |x − x₆₄| ≤ 1e-5·x̄ (normwise for
     * vectors), x̄ being the formula on |W|, |u|, |v| with subtractions made additions. SPEC.md states no
     * separate tolerance for these; this is the same forward-error criterion, not a looser one.
     */
    public static final double FORMULA = GRADIENT;

    /** σ̂ ≤ σ₁ up to rounding: σ̂ ≤ σ₁·(1 + 1e-6). */
    public static final double POWER_UPPER_BOUND = 1e-6;

    private Tolerances() {}

    /** τ = max(1e-5, 2·r·ε) for a matrix of rank bound r = min(m, n): |σ̂ᵢ − σᵢ| ≤ τ·σ₁. */
    public static double singularValues(int rank) {
        return Math.max(1e-5, 2.0 * rank * FLOAT_EPS);
    }

    /** τ for an m×n matrix. */
    public static double singularValues(int rows, int cols) {
        return singularValues(Math.min(rows, cols));
    }
}
