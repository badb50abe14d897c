package dev.specnorm.api;

import java.util.Locale;

/**
 * The orthogonality penalties of SPEC.md, with β the strength, A = W Wᵀ (m×m), I the identity and ⊙ the
 * elementwise product. For a batch or list, R is the sum over its matrices.
 */
public enum Penalty {

    /**
     * Off-diagonal orthogonality (Brock et al., "Large Scale GAN Training for High Fidelity Natural Image
     * Synthesis", 2018): R = β‖A ⊙ (1 − I)‖²_F, ∂R/∂W = 4β (A ⊙ (1 − I)) W.
     */
    BIGGAN("biggan"),

    /** Soft orthogonality (Bansal, Chen &amp; Wang, NeurIPS 2018): R = β‖A − I‖²_F, ∂R/∂W = 4β (A − I) W. */
    SOFT("soft"),

    /** Double soft orthogonality: R = β(‖WWᵀ − Iₘ‖²_F + ‖WᵀW − Iₙ‖²_F), ∂R/∂W = 8β (W Wᵀ W − W). */
    DOUBLE_SOFT("double-soft"),

    /**
     * L1 orthogonality (Brock et al., "Neural Photo Editing with Introspective Adversarial Networks", ICLR 2017): R = β Σᵢⱼ |(A − I)ᵢⱼ|,
     * ∂R/∂W = 2β sign(A − I) W with sign(0) = 0.
     */
    L1("l1"),

    /**
     * Spectral restricted isometry (Bansal et al. 2018): R = β uᵀGv with G the smaller Gram matrix minus
     * the identity and u, v power-iteration state on G; ∂R/∂W = β (uvᵀ + vuᵀ) W when G = WWᵀ − Iₘ,
     * β W (uvᵀ + vuᵀ) when G = WᵀW − Iₙ (u, v constant).
     */
    SRIP("srip"),

    /** {@link #BIGGAN} applied to each kh×kw slice of the {@link ConvolutionReshape#SLICES} reshape. */
    SLICES("slices");

    private final String cliName;

    Penalty(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in JSON, e.g. {@code double-soft}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The penalty named {@code name} ({@link #cliName()} or the constant's name, any case).
     *
     * @throws IllegalArgumentException listing the valid names if none matches
     */
    public static Penalty fromName(String name) {
        if (name != null) {
            for (Penalty p : values()) {
                if (p.cliName.equalsIgnoreCase(name) || p.name().equalsIgnoreCase(name)) {
                    return p;
                }
            }
        }
        StringBuilder valid = new StringBuilder();
        for (Penalty p : values()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(p.cliName);
        }
        throw new IllegalArgumentException("unknown penalty '" + name + "'; valid: " + valid);
    }

    @Override
    public String toString() {
        return cliName.toLowerCase(Locale.ROOT);
    }
}
