package dev.specnorm.api;

/** The constants of SPEC.md that every backend shares. */
public final class Conventions {

    /**
     * eps of normalize(x) = x / max(‖x‖₂, eps) and of Ŵ = W / max(σ̂, eps): PyTorch's absolute 1e-12.
     * Matrices with σ below about eps are outside the power iteration's accuracy contract.
     */
    public static final float EPS = 1e-12f;

    /** Default strength β of the orthogonality penalties. */
    public static final float DEFAULT_BETA = 1e-4f;

    /** Iterations Bansal et al. run for SRIP, from a fresh vector each step. */
    public static final int SRIP_ITERATIONS = 2;

    private Conventions() {}
}
