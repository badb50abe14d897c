package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Conventions;
import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.Float64Reference;
import dev.specnorm.api.testing.JacobiSvd;
import dev.specnorm.api.testing.NumericAssertions;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.api.testing.Tolerances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Assertions;

/**
 * Property-based tests over the public API of the CPU backend (docs/RELIABILITY.md): random small
 * shapes (lists of 1–2 batches of 1–3 matrices up to 7×7), entries at scales 1, 1e±18, 1e±25, 1e±30 and
 * subnormal, sprinkled with ±0, subnormals, ±1e30, and (in about half the inputs) NaN and ±∞, and random
 * seeds. Every call either returns a finite, contract-respecting result or throws the documented exception:
 * {@link NonFiniteValueException} naming a matrix that really holds a non-finite entry, or
 * {@link FloatOverflowException} naming a finite matrix whose result overflows float32. After an exception
 * the caller's power-iteration state is exactly what it was. Each property runs a fixed number of tries
 * from a fixed seed, so a failure reproduces; a hang guard bounds every try.
 */
class ApiPropertiesTest {

    private static final SpectralBackend CPU = Backends.open("cpu");
    private static final int TRIES = 200;
    private static final String SEED = "20261122";
    /** Hang guard per try, not a speed target (a try takes milliseconds). */
    private static final Duration GUARD = Duration.ofSeconds(30);

    // ------------------------------------------------------------------ generators

    /** A generated input: a list of batches, described for the report. */
    record Input(List<MatrixBatch> weights, String description) {
        List<float[]> matrices() {
            return TestMatrices.flattenFloat(weights);
        }

        List<BatchShape> shapes() {
            return TestMatrices.shapes(weights);
        }

        boolean finite(int k) {
            for (float x : matrices().get(k)) {
                if (!Float.isFinite(x)) {
                    return false;
                }
            }
            return true;
        }

        boolean allFinite() {
            for (int k = 0; k < matrices().size(); k++) {
                if (!finite(k)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    private static final double[] SCALES = {1, 1, 1, 1e18, 1e-18, 1e25, 1e-25, 1e30, 1e-30, 1e-41};
    private static final float[] FINITE_SPECIALS = {
        0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, 1e30f, -1e30f, 1e-30f, 3f, -0.5f
    };
    private static final float[] NON_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Integer> layers = Arbitraries.integers().between(1, 2);
        Arbitrary<Long> seeds = Arbitraries.longs();
        Arbitrary<Integer> scale = Arbitraries.integers().between(0, SCALES.length - 1);
        Arbitrary<Integer> specials = Arbitraries.of(0, 0, 2, 10, 40, 100); // per cent of entries replaced
        Arbitrary<Boolean> nonFinite = Arbitraries.of(false, true);
        return Combinators.combine(layers, seeds, scale, specials, nonFinite).as(ApiPropertiesTest::makeInput);
    }

    static Input makeInput(int layers, long seed, int scaleIndex, int specialPercent, boolean nonFinite) {
        Random r = new Random(seed);
        List<MatrixBatch> out = new ArrayList<>();
        StringBuilder d = new StringBuilder();
        double scale = SCALES[scaleIndex];
        for (int l = 0; l < layers; l++) {
            int batch = 1 + r.nextInt(3);
            int rows = 1 + r.nextInt(7);
            int cols = 1 + r.nextInt(7);
            float[] x = new float[batch * rows * cols];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * scale);
                if (r.nextInt(100) < specialPercent) {
                    boolean bad = nonFinite && r.nextInt(4) == 0;
                    x[i] = bad
                            ? NON_FINITE[r.nextInt(NON_FINITE.length)]
                            : FINITE_SPECIALS[r.nextInt(FINITE_SPECIALS.length)];
                }
            }
            out.add(MatrixBatch.of(x, batch, rows, cols));
            d.append(l == 0 ? "" : " + ")
                    .append(batch)
                    .append('×')
                    .append(rows)
                    .append('×')
                    .append(cols);
        }
        d.append(String.format(
                " (seed %d, scale %.0e, %d%% specials%s)",
                seed, scale, specialPercent, nonFinite ? ", non-finite allowed" : ""));
        return new Input(List.copyOf(out), d.toString());
    }

    // ------------------------------------------------------------------ the documented outcomes

    /**
     * Runs {@code call}; returns its result, or null after checking that the exception is a documented one:
     * NonFiniteValueException naming a matrix that holds a non-finite entry, or FloatOverflowException
     * naming a finite matrix (and only when {@code overflowPossible}).
     */
    static <T> T documented(Input in, String what, boolean overflowPossible, Supplier<T> call) {
        T result;
        try {
            result = Assertions.assertTimeoutPreemptively(GUARD, call::get, what + " hangs on " + in);
        } catch (FloatOverflowException e) {
            assertTrue(overflowPossible, what + ": overflow of " + in + ": " + e.getMessage());
            int k = e.matrixIndex();
            if (k == -1) {
                // a sum over matrices overflowed, no single matrix: then every matrix is finite
                assertTrue(
                        in.allFinite(),
                        what + ": overflow of a total, yet some entry is not finite: " + e.getMessage() + "; " + in);
                return null;
            }
            assertTrue(k >= 0 && k < in.matrices().size(), what + ": index " + k + " of " + in + ": " + e.getMessage());
            assertTrue(
                    in.finite(k),
                    what + ": FloatOverflowException names matrix " + k
                            + ", which holds a non-finite entry (should be NonFiniteValueException): " + in);
            return null;
        } catch (NonFiniteValueException e) {
            int k = e.matrixIndex();
            assertTrue(k >= 0 && k < in.matrices().size(), what + ": index " + k + " of " + in + ": " + e.getMessage());
            assertTrue(
                    !in.finite(k),
                    what + ": NonFiniteValueException names matrix " + k + ", whose entries are all finite: "
                            + e.getMessage() + "; " + in);
            return null;
        }
        assertTrue(in.allFinite(), what + " returned a result for input with NaN or ±∞: " + in);
        return result;
    }

    static void assertFinite(String what, float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                fail(what + ": entry " + i + " is " + x[i]);
            }
        }
    }

    static void assertFinite(String what, List<MatrixBatch> out) {
        for (int l = 0; l < out.size(); l++) {
            assertFinite(what + " [" + l + "]", out.get(l).toArray());
        }
    }

    static List<MatrixBatch> zerosLike(Input in) {
        return in.shapes().stream().map(MatrixBatch::zeros).toList();
    }

    /** Whether a σ₁ is in float32's normal range with room: where relative accuracy is meaningful. */
    static boolean normalRange(double sigma) {
        return sigma >= 1e-30 && sigma <= 1e36;
    }

    /** Exact σ (float64 Jacobi) of every matrix of a finite input. */
    static List<double[]> exact(Input in) {
        return TestMatrices.flatten(in.weights()).stream()
                .map(JacobiSvd::values)
                .toList();
    }

    // ------------------------------------------------------------------ exact methods, Lanczos

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void exactSvdIsFiniteDescendingAndRight(@ForAll("inputs") Input in) {
        List<SingularDecomposition> svd = documented(in, "svd", false, () -> CPU.svd(in.weights(), true));
        float[] norms = documented(in, "spectralNorm", false, () -> CPU.spectralNorm(in.weights()));
        if (svd == null || norms == null) {
            assertTrue(svd == null && norms == null, "svd and spectralNorm disagree on failing: " + in);
            return;
        }
        List<double[]> exact = exact(in);
        List<Dense> dense = TestMatrices.flatten(in.weights());
        for (int k = 0; k < svd.size(); k++) {
            SingularDecomposition d = svd.get(k);
            String what = "matrix " + k + " of " + in;
            assertFinite(what + " values", d.values());
            assertFinite(what + " U", d.u());
            assertFinite(what + " Vᵀ", d.vt());
            for (int i = 0; i < d.values().length; i++) {
                assertTrue(d.values()[i] >= 0, what + ": σ" + (i + 1) + " < 0: " + Arrays.toString(d.values()));
            }
            if (normalRange(exact.get(k)[0])) {
                NumericAssertions.assertSingularValues(what, d.values(), exact.get(k), d.rows(), d.cols());
            } else {
                // subnormal range: the float32 result itself is only good to its spacing, Float.MIN_VALUE
                double tau = Tolerances.singularValues(d.rows(), d.cols());
                for (int i = 0; i < d.values().length; i++) {
                    assertTrue(i == 0 || d.values()[i] <= d.values()[i - 1], what + ": not descending");
                    assertEquals(
                            exact.get(k)[i],
                            d.values()[i],
                            tau * exact.get(k)[0] + 2 * Float.MIN_VALUE,
                            what + ": σ" + (i + 1));
                }
            }
            assertEquals(
                    d.values()[0],
                    norms[k],
                    Tolerances.singularValues(d.rows(), d.cols()) * exact.get(k)[0],
                    what + ": spectralNorm versus svd");
            if (normalRange(exact.get(k)[0])) {
                NumericAssertions.assertDecomposition(what, d, dense.get(k));
            }
        }
    }

    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void lanczosIsFiniteAndAtMostSigma1(@ForAll("inputs") Input in, @ForAll long seed) {
        LanczosOptions options = new LanczosOptions(1e-6, 300, seed);
        List<LanczosEstimate> est = documented(in, "lanczos", false, () -> CPU.lanczos(in.weights(), options));
        if (est == null) {
            return;
        }
        List<double[]> exact = exact(in);
        for (int k = 0; k < est.size(); k++) {
            LanczosEstimate e = est.get(k);
            String what = "lanczos, matrix " + k + " of " + in + ": " + e;
            double s1 = exact.get(k)[0];
            assertTrue(Float.isFinite(e.sigma()) && e.sigma() >= 0, what);
            assertTrue(Double.isFinite(e.residualBound()) && e.residualBound() >= 0, what);
            assertTrue(e.sigma() <= s1 * (1 + 1e-5) + 1e-44, what + ": exceeds σ₁ = " + s1);
            if (e.converged() && normalRange(s1)) {
                NumericAssertions.assertSigma(what, e.sigma(), s1, 7, 7, e.residualBound());
            }
        }
    }

    // ------------------------------------------------------------------ power iteration with state

    /** A stateful call that must leave the state as it was when it throws. */
    static <T> T stateful(Input in, PowerState state, String what, boolean overflowPossible, Supplier<T> call) {
        float[] u = state.exportU();
        float[] v = state.exportV();
        T result = documented(in, what, overflowPossible, call);
        if (result == null) {
            assertArrayEquals(u, state.exportU(), what + " failed and changed u: " + in);
            assertArrayEquals(v, state.exportV(), what + " failed and changed v: " + in);
        } else {
            assertFinite(what + ": u", state.exportU());
            assertFinite(what + ": v", state.exportV());
        }
        return result;
    }

    /** σ̂ never exceeds σ₁ beyond rounding (relative 1e-6, plus subnormal granularity). */
    static void assertPowerBound(String what, float sigma, double sigma1, int iterations) {
        assertTrue(Float.isFinite(sigma), what + ": σ̂ = " + sigma);
        if (iterations > 0) {
            assertTrue(sigma >= 0, what + ": σ̂ = " + sigma + " < 0 after " + iterations + " iterations");
        }
        assertTrue(
                sigma <= sigma1 * (1 + Tolerances.POWER_UPPER_BOUND) + 1e-44,
                what + ": σ̂ = " + sigma + " exceeds σ₁ = " + sigma1);
    }

    /**
     * A state made on a clean copy of the shapes (or on the input itself when it is finite), then a random
     * sequence of power iterations (0–3 iterations each) on the input: σ̂ finite, ≥ 0 after an iteration,
     * ≤ σ₁(1 + 1e-6); failures leave the state as it was.
     */
    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void powerIterationWithPersistentState(@ForAll("inputs") Input in, @ForAll long seed) {
        PowerOptions options = PowerOptions.DEFAULT.withSeed(seed);
        PowerState made = documented(in, "newPowerState", false, () -> CPU.newPowerState(in.weights(), options));
        try (PowerState state =
                made != null ? made : CPU.newPowerState(clean(in).weights(), options)) {
            List<double[]> exact = in.allFinite() ? exact(in) : null;
            Random r = new Random(seed);
            for (int call = 0; call < 4; call++) {
                int k = call == 0 ? 1 : r.nextInt(4);
                float[] sigma = stateful(
                        in, state, "powerIteration k=" + k, false, () -> CPU.powerIteration(in.weights(), state, k));
                if (sigma == null) {
                    continue;
                }
                for (int m = 0; m < sigma.length; m++) {
                    assertPowerBound(
                            "matrix " + m + ", call " + call + ", k=" + k + ", " + in, sigma[m], exact.get(m)[0], k);
                }
            }
        }
    }

    /**
     * Normalization forward and backward: Ŵ = W / max(σ̂, eps) finite (so σ(Ŵ) ≥ 1 − 1e-5 when σ̂ &gt; eps,
     * σ(Ŵ) = 1 when σ̂ = σ₁), the gradient finite; or a documented exception with the state unchanged.
     */
    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void normalizeForwardAndBackward(@ForAll("inputs") Input in, @ForAll long seed) {
        PowerState made = documented(
                clean(in),
                "newPowerState",
                false,
                () -> CPU.newPowerState(clean(in).weights(), PowerOptions.DEFAULT.withSeed(seed)));
        if (made == null) {
            return;
        }
        try (PowerState state = made) {
            List<MatrixBatch> out = zerosLike(in);
            float[] sigma = stateful(in, state, "normalize", true, () -> CPU.normalize(in.weights(), state, 1, out));
            if (sigma != null) {
                assertFinite("Ŵ of " + in, out);
                List<double[]> exact = exact(in);
                List<Dense> normalized = TestMatrices.flatten(out);
                for (int k = 0; k < sigma.length; k++) {
                    String what = "normalize, matrix " + k + " of " + in + ", σ̂ = " + sigma[k];
                    assertPowerBound(what, sigma[k], exact.get(k)[0], 1);
                    double s1 = exact.get(k)[0];
                    if (sigma[k] > Conventions.EPS && normalRange(s1)) {
                        double normalizedSigma = JacobiSvd.values(normalized.get(k))[0];
                        assertEquals(s1 / sigma[k], normalizedSigma, 1e-4 * s1 / sigma[k], what + ": σ(Ŵ) = σ₁/σ̂");
                        assertTrue(normalizedSigma >= 1 - 1e-5, what + ": σ(Ŵ) = " + normalizedSigma + " < 1");
                    }
                }
            }
            List<MatrixBatch> g = new ArrayList<>();
            for (int l = 0; l < in.weights().size(); l++) {
                BatchShape s = in.shapes().get(l);
                g.add(TestMatrices.gaussian(seed + l, s.batch(), s.rows(), s.cols(), 1));
            }
            List<MatrixBatch> grad = zerosLike(in);
            Boolean done = stateful(in, state, "normalizeBackward", true, () -> {
                CPU.normalizeBackward(in.weights(), state, g, grad);
                return Boolean.TRUE;
            });
            if (done != null) {
                assertFinite("∂L/∂W of " + in, grad);
            }
        }
    }

    /** The regularizer: λσ̂² ≥ 0 and finite, its gradient finite, or a documented exception. */
    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void spectralRegularizer(@ForAll("inputs") Input in, @ForAll long seed) {
        PowerState made = documented(
                clean(in),
                "newPowerState",
                false,
                () -> CPU.newPowerState(clean(in).weights(), PowerOptions.DEFAULT.withSeed(seed)));
        if (made == null) {
            return;
        }
        try (PowerState state = made) {
            List<MatrixBatch> grad = zerosLike(in);
            PenaltyResult r = stateful(
                    in,
                    state,
                    "spectralRegularizer",
                    true,
                    () -> CPU.spectralRegularizer(in.weights(), state, 1, 0.5f, grad));
            if (r != null) {
                assertTrue(Float.isFinite(r.loss()) && r.loss() >= 0, "λσ̂² = " + r.loss() + " of " + in);
                assertFinite("per-matrix λσ̂² of " + in, r.perMatrix());
                assertFinite("∂R/∂W of " + in, grad);
            }
        }
    }

    /**
     * Every orthogonality penalty, with and without gradient: loss finite and ≥ 0 (SRIP: ≥ −rounding),
     * equal to the float64 formula; FloatOverflowException only where the float64 value really exceeds the
     * float32 range, and always where it exceeds it by 2×.
     */
    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void orthogonalPenalties(@ForAll("inputs") Input in, @ForAll float betaSeed) {
        float beta = Float.isFinite(betaSeed) && betaSeed != 0 ? Math.min(Math.abs(betaSeed), 10f) : 1e-4f;
        List<Dense> dense = in.allFinite() ? TestMatrices.flatten(in.weights()) : null;
        for (Penalty p : Penalty.values()) {
            for (boolean withGradient : new boolean[] {false, true}) {
                List<MatrixBatch> grad = withGradient ? zerosLike(in) : null;
                String what = p + (withGradient ? " with gradient" : "") + ", β = " + beta;
                PenaltyResult r = documented(in, what, true, () -> CPU.orthogonalPenalty(in.weights(), p, beta, grad));
                if (dense == null) {
                    continue;
                }
                double total = 0;
                double[] values = new double[dense.size()];
                for (int k = 0; k < dense.size(); k++) {
                    values[k] = p == Penalty.SRIP
                            ? Float64Reference.sripFresh(dense.get(k), k, beta).value()
                            : Float64Reference.penalty(p, dense.get(k), beta).value();
                    total += values[k];
                }
                if (r == null) {
                    boolean overflows = Math.abs(total) > Float.MAX_VALUE;
                    for (double value : values) {
                        overflows |= Math.abs(value) > Float.MAX_VALUE / 2;
                    }
                    // the gradient grows like the loss / ‖W‖: with a gradient, huge entries may overflow first
                    assertTrue(
                            overflows || withGradient, what + ": overflow reported, but R = " + total + " fits: " + in);
                    continue;
                }
                assertTrue(
                        Math.abs(total) <= 2.0 * Float.MAX_VALUE,
                        what + ": R = " + total + " overflows, got " + r.loss());
                assertTrue(Float.isFinite(r.loss()), what + ": loss " + r.loss());
                assertFinite(what + ": per matrix", r.perMatrix());
                if (p != Penalty.SRIP) {
                    assertTrue(r.loss() >= 0, what + ": loss " + r.loss() + " < 0 for " + in);
                    assertEquals(
                            total, r.loss(), 1e-4 * Math.abs(total) + 1e-6 * beta, what + ": float64 value, " + in);
                }
                if (grad != null) {
                    assertFinite(what + ": gradient of " + in, grad);
                }
            }
        }
    }

    /** SRIP with persistent state: finite loss, finite gradient, or documented exception; state kept on failure. */
    @Property(tries = TRIES, seed = SEED, shrinking = ShrinkingMode.OFF)
    void sripWithPersistentState(@ForAll("inputs") Input in, @ForAll long seed) {
        // SRIP's G = Gram − I grows like ‖W‖²: state on 1e30 entries overflows (documented)
        PowerState made = documented(
                clean(in),
                "newSripState",
                true,
                () -> CPU.newSripState(clean(in).weights(), PowerOptions.DEFAULT.withSeed(seed)));
        if (made == null) {
            return;
        }
        try (PowerState state = made) {
            for (int k : new int[] {1, 0, 2}) {
                List<MatrixBatch> grad = zerosLike(in);
                PenaltyResult r =
                        stateful(in, state, "srip k=" + k, true, () -> CPU.srip(in.weights(), state, k, 0.01f, grad));
                if (r != null) {
                    assertTrue(Float.isFinite(r.loss()), "srip loss " + r.loss() + " of " + in);
                    assertFinite("srip gradient of " + in, grad);
                }
            }
        }
    }

    /** The input with every non-finite entry replaced by 1: a state made for the same shapes. */
    static Input clean(Input in) {
        List<MatrixBatch> out = new ArrayList<>();
        for (MatrixBatch b : in.weights()) {
            float[] x = b.toArray();
            for (int i = 0; i < x.length; i++) {
                if (!Float.isFinite(x[i])) {
                    x[i] = 1f;
                }
            }
            out.add(MatrixBatch.of(
                    x, b.shape().batch(), b.shape().rows(), b.shape().cols()));
        }
        return new Input(List.copyOf(out), "non-finite entries of " + in + " replaced by 1");
    }
}
