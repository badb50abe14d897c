package dev.specnorm.examples;

import dev.specnorm.api.Backends;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.SpectralBackend;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The README's Java example, compiled and tested: exact σ₁ of two layers (a dense 64×576 matrix and a
 * 128→64 3×3 convolution in the {@code FILTERS} reshape) in one call, one spectral-normalization step from
 * seeded power-iteration state, a checkpoint of that state, and the BigGAN orthogonality penalty
 * β‖WWᵀ ⊙ (1 − I)‖²_F. Run with {@code java -cp specnorm-cli/target/specnorm.jar dev.specnorm.examples.QuickStart}.
 */
public final class QuickStart {

    /**
     * What the example computed.
     *
     * @param exact    σ₁ of each layer
     * @param sigmaHat the power-iteration estimate used to normalize each layer
     * @param penalty  the BigGAN penalty over both layers
     * @param u        the exported left vectors (the checkpoint)
     * @param v        the exported right vectors
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
    public record Result(float[] exact, float[] sigmaHat, PenaltyResult penalty, float[] u, float[] v) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r
                    && Arrays.equals(exact, r.exact)
                    && Arrays.equals(sigmaHat, r.sigmaHat)
                    && Objects.equals(penalty, r.penalty)
                    && Arrays.equals(u, r.u)
                    && Arrays.equals(v, r.v);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    Arrays.hashCode(exact), Arrays.hashCode(sigmaHat), penalty, Arrays.hashCode(u), Arrays.hashCode(v));
        }

        @Override
        public String toString() {
            return "Result[exact=" + Arrays.toString(exact) + ", sigmaHat=" + Arrays.toString(sigmaHat) + ", penalty="
                    + penalty + ", u=" + Arrays.toString(u) + ", v=" + Arrays.toString(v) + "]";
        }
    }

    private QuickStart() {}

    /** Prints σ₁, σ̂ and the penalty of the example's two layers on the backend in force. */
    public static void main(String[] args) {
        try (SpectralBackend backend = Backends.open("auto")) {
            Result r = run(backend, gaussian(0, 64 * 576), gaussian(1, 128 * 64 * 3 * 3));
            System.out.printf(
                    "backend %s%nexact sigma %s%nestimate    %s%nbiggan loss %g%n",
                    backend.name(),
                    Arrays.toString(r.exact()),
                    Arrays.toString(r.sigmaHat()),
                    r.penalty().loss());
        }
    }

    /** The README example on {@code weights} (64×576) and {@code kernel} (128, 64, 3, 3). */
    public static Result run(SpectralBackend backend, float[] weights, float[] kernel) {
        MatrixBatch w = MatrixBatch.of(weights, 64, 576);
        MatrixBatch conv = MatrixBatch.fromConvolution(kernel, 128, 64, 3, 3, ConvolutionReshape.FILTERS);
        List<MatrixBatch> layers = List.of(w, conv);

        float[] exact = backend.spectralNorm(layers);

        try (PowerState state = backend.newPowerState(layers, PowerOptions.DEFAULT)) {
            List<MatrixBatch> normalized = List.of(MatrixBatch.zeros(w.shape()), MatrixBatch.zeros(conv.shape()));
            float[] sigmaHat = backend.normalize(layers, state, 1, normalized);
            float[] u = state.exportU();
            float[] v = state.exportV();

            PenaltyResult ortho = backend.orthogonalPenalty(layers, Penalty.BIGGAN, 1e-4f, null);
            return new Result(exact, sigmaHat, ortho, u, v);
        }
    }

    private static float[] gaussian(long stream, int count) {
        float[] x = new float[count];
        new SeededGaussian(42, stream).fill(x, 0, count);
        return x;
    }
}
