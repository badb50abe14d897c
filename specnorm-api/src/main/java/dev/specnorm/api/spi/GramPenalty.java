package dev.specnorm.api.spi;

import dev.specnorm.api.Penalty;
import dev.specnorm.api.SpectralBackend;

/**
 * The orthogonality penalties an engine computes from a Gram matrix (SPEC.md table; A = WWᵀ, C = WᵀW, β
 * the strength, ⊙ elementwise), each with the factor c of its gradient ∂R/∂W = c·β·M·W (or W·M through
 * C) and whether a tall W may go through the smaller Gram C. {@link Penalty#SRIP} (stateful) and
 * {@link Penalty#SLICES} (a reshape of {@link #BIGGAN}) are resolved by {@link SpectralBackend}
 * and never reach an engine.
 */
public enum GramPenalty {

    /** R = β‖A ⊙ (1 − I)‖²_F, M = A ⊙ (1 − I), c = 4; needs A itself (through C the value would cancel). */
    BIGGAN(Penalty.BIGGAN, 4.0, false),

    /** R = β‖A − I‖²_F, M = Gram − I, c = 4; a tall W uses C: ‖A − Iₘ‖²_F = ‖C − Iₙ‖²_F + (m − n). */
    SOFT(Penalty.SOFT, 4.0, true),

    /** R = β(‖A − Iₘ‖²_F + ‖C − Iₙ‖²_F) = β(2‖Gram − I‖²_F + |m − n|), M = Gram − I, c = 8. */
    DOUBLE_SOFT(Penalty.DOUBLE_SOFT, 8.0, true),

    /** R = β Σᵢⱼ |(A − I)ᵢⱼ|, M = sign(A − I) with sign(0) = 0, c = 2; needs A itself. */
    L1(Penalty.L1, 2.0, false);

    private final Penalty penalty;
    private final double gradientFactor;
    private final boolean smallerGramAllowed;

    GramPenalty(Penalty penalty, double gradientFactor, boolean smallerGramAllowed) {
        this.penalty = penalty;
        this.gradientFactor = gradientFactor;
        this.smallerGramAllowed = smallerGramAllowed;
    }

    /**
     * The Gram penalty of user penalty {@code p}.
     *
     * @throws IllegalArgumentException for {@link Penalty#SRIP} and {@link Penalty#SLICES}, which are not
     *                                  Gram penalties
     */
    public static GramPenalty of(Penalty p) {
        for (GramPenalty g : values()) {
            if (g.penalty == p) {
                return g;
            }
        }
        throw new IllegalArgumentException("not a Gram penalty: " + p);
    }

    /** The user-facing penalty. */
    public Penalty penalty() {
        return penalty;
    }

    /** The name used in messages and on the command line, e.g. {@code double-soft}. */
    public String cliName() {
        return penalty.cliName();
    }

    /** c·β: the coefficient of M·W (or W·M) in ∂R/∂W. */
    public double gradientCoefficient(float beta) {
        return gradientFactor * beta;
    }

    /** Whether an m×n W goes through the smaller Gram C = WᵀW (n×n): only a tall W, and only for soft and double-soft. */
    public boolean usesColumnGram(int m, int n) {
        return smallerGramAllowed && m > n;
    }

    /**
     * The constant added to Σ over the used Gram's r×r entries of (Gram − I)² to give R/β: |m − n| for
     * double-soft (the sum counts twice), m − n for soft through C, otherwise 0.
     */
    public int identityExcess(int m, int n) {
        return switch (this) {
            case DOUBLE_SOFT -> Math.abs(m - n);
            case SOFT -> usesColumnGram(m, n) ? m - n : 0;
            case BIGGAN, L1 -> 0;
        };
    }
}
