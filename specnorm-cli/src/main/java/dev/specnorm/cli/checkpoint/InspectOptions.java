package dev.specnorm.cli.checkpoint;

import dev.specnorm.api.ConvolutionReshape;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link CheckpointInspector} computes.
 *
 * @param layers          tensors whose name this finds (anywhere in the name) are inspected; null: all
 * @param reshape         how a 4-D weight becomes matrices (FILTERS: one d0 × d1·kh·kw matrix)
 * @param method          how σ₁ is computed
 * @param iterations      K, the power steps after which σ̂ and its error are reported (≥ 1)
 * @param seed            seed of the power iteration's and Lanczos' start vectors
 * @param inputSize       n, the side of the square input of the convolution operator norms
 * @param void2IsBfloat16 whether NumPy {@code '|V2'} arrays hold bfloat16
 * @param spectra         how many of the largest layers get their full singular-value spectrum (for charts)
 */
public record InspectOptions(
        Pattern layers,
        ConvolutionReshape reshape,
        Method method,
        int iterations,
        long seed,
        int inputSize,
        boolean void2IsBfloat16,
        int spectra) {

    /** How σ₁ is computed. */
    public enum Method {
        /** From the SVD. */
        EXACT,
        /** Golub–Kahan–Lanczos to a relative tolerance, with a residual bound. */
        LANCZOS,
        /** σ̂ after K power steps (a lower bound). */
        POWER;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the values. */
    public InspectOptions {
        Objects.requireNonNull(reshape, "reshape");
        Objects.requireNonNull(method, "method");
        if (iterations < 1 || inputSize < 1 || spectra < 0) {
            throw new IllegalArgumentException("iterations and inputSize must be >= 1, spectra >= 0");
        }
    }

    /** Whether tensor {@code name} is selected by {@link #layers}. */
    boolean selects(String name) {
        return layers == null || layers.matcher(name).find();
    }
}
