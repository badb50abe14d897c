package dev.specnorm.api.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Penalty;
import org.junit.jupiter.api.Test;

/** GramPenalty: the mapping from user penalties, gradient coefficients, and the smaller-Gram identity. */
class GramPenaltyTest {

    @Test
    void onlyTheGramPenaltiesMap() {
        assertEquals(GramPenalty.BIGGAN, GramPenalty.of(Penalty.BIGGAN));
        assertEquals(GramPenalty.SOFT, GramPenalty.of(Penalty.SOFT));
        assertEquals(GramPenalty.DOUBLE_SOFT, GramPenalty.of(Penalty.DOUBLE_SOFT));
        assertEquals(GramPenalty.L1, GramPenalty.of(Penalty.L1));
        assertThrows(IllegalArgumentException.class, () -> GramPenalty.of(Penalty.SRIP));
        assertThrows(IllegalArgumentException.class, () -> GramPenalty.of(Penalty.SLICES));
        for (GramPenalty g : GramPenalty.values()) {
            assertEquals(g.penalty().cliName(), g.cliName());
        }
    }

    /** SPEC.md: ∂R/∂W = 4β M W (biggan, soft), 8β (WWᵀW − W) (double-soft), 2β sign(A − I) W (l1). */
    @Test
    void gradientCoefficientsAreTheSpecsFactors() {
        assertEquals(1.0, GramPenalty.BIGGAN.gradientCoefficient(0.25f));
        assertEquals(1.0, GramPenalty.SOFT.gradientCoefficient(0.25f));
        assertEquals(2.0, GramPenalty.DOUBLE_SOFT.gradientCoefficient(0.25f));
        assertEquals(0.5, GramPenalty.L1.gradientCoefficient(0.25f));
    }

    /**
     * For a tall W, soft and double-soft through C = WᵀW plus {@link GramPenalty#identityExcess} equal the
     * SPEC.md formulas evaluated with both Gram matrices in float64.
     */
    @Test
    void theColumnGramPlusTheExcessGivesTheSpecsValue() {
        int m = 5;
        int n = 3;
        double[] w = new double[m * n];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.sin(1.7 * i + 0.3);
        }
        double rowGram = squaredDistanceToIdentity(w, m, n, false);
        double columnGram = squaredDistanceToIdentity(w, m, n, true);
        assertTrue(GramPenalty.SOFT.usesColumnGram(m, n));
        assertTrue(GramPenalty.DOUBLE_SOFT.usesColumnGram(m, n));
        assertFalse(GramPenalty.SOFT.usesColumnGram(n, m));
        assertFalse(GramPenalty.BIGGAN.usesColumnGram(m, n));
        assertFalse(GramPenalty.L1.usesColumnGram(m, n));
        assertEquals(rowGram, columnGram + GramPenalty.SOFT.identityExcess(m, n), 1e-12 * rowGram);
        assertEquals(
                rowGram + columnGram, 2 * columnGram + GramPenalty.DOUBLE_SOFT.identityExcess(m, n), 1e-12 * rowGram);
        assertEquals(0, GramPenalty.SOFT.identityExcess(n, m));
        assertEquals(m - n, GramPenalty.DOUBLE_SOFT.identityExcess(n, m));
        assertEquals(0, GramPenalty.BIGGAN.identityExcess(m, n));
        assertEquals(0, GramPenalty.L1.identityExcess(m, n));
    }

    /** ‖WWᵀ − Iₘ‖²_F, or ‖WᵀW − Iₙ‖²_F when {@code columns}, of a row-major m×n W. */
    private static double squaredDistanceToIdentity(double[] w, int m, int n, boolean columns) {
        int r = columns ? n : m;
        double sum = 0;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < r; j++) {
                double g = 0;
                for (int l = 0; l < (columns ? m : n); l++) {
                    g += columns ? w[l * n + i] * w[l * n + j] : w[i * n + l] * w[j * n + l];
                }
                double d = g - (i == j ? 1 : 0);
                sum += d * d;
            }
        }
        return sum;
    }
}
