package dev.specnorm.examples.gan;

import java.util.Locale;

/**
 * How the discriminator's weights are kept in check, each computed by the library:
 * {@code none}; {@code sn}: spectral normalization Ŵ = W/σ̂ with one power iteration per forward pass
 * (Miyato et al. 2018); {@code snreg}: the spectral-norm regularizer λσ̂² (Yoshida &amp; Miyato 2017);
 * {@code biggan}, {@code soft}: β‖WWᵀ ⊙ (1 − I)‖²_F, β‖WWᵀ − I‖²_F (Brock et al. 2018; Bansal et al. 2018);
 * {@code srip}: β·σ̂(smaller Gram − I) (Bansal et al. 2018).
 */
public enum Constraint {
    NONE(0),
    SN(0),
    SNREG(0.01),
    BIGGAN(1e-4),
    SOFT(1e-4),
    SRIP(0.01);

    private final double defaultStrength;

    Constraint(double defaultStrength) {
        this.defaultStrength = defaultStrength;
    }

    /** λ or β used when none is given (0 for none and sn, which have no strength). */
    public double defaultStrength() {
        return defaultStrength;
    }

    /** The command-line name, e.g. {@code snreg}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constraint named {@code name} (any case).
     *
     * @throws IllegalArgumentException listing the valid names
     */
    public static Constraint fromName(String name) {
        for (Constraint c : values()) {
            if (c.cliName().equalsIgnoreCase(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "unknown constraint '" + name + "'; valid: none, sn, snreg, biggan, soft, srip");
    }
}
