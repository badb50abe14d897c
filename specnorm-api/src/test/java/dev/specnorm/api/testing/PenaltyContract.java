package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertGradient;
import static dev.specnorm.api.testing.NumericAssertions.assertGradientMatchesDifferences;
import static dev.specnorm.api.testing.NumericAssertions.assertPowerStep;
import static dev.specnorm.api.testing.NumericAssertions.assertValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spectral-norm regularizer and every orthogonality penalty (SPEC.md): values and gradients against
 * the float64 formulas with their absolute bounds, against central differences, over batches and lists
 * (R is the sum over matrices), on every storage; SRIP with persistent state (its steps on G checked) and
 * from fresh state; zero penalties of an exactly orthogonal W; {@code slices} as {@code biggan} of the
 * SLICES reshape.
 */
public abstract class PenaltyContract extends ContractSupport {

    static final float BETA = 0.01f;
    static final float LAMBDA = 0.37f;
    static final Penalty[] GRAM_PENALTIES = {Penalty.BIGGAN, Penalty.SOFT, Penalty.DOUBLE_SOFT, Penalty.L1};

    static Stream<Arguments> regularizerCases() {
        return Cases.withStorages(Cases.general());
    }

    static Stream<Arguments> penaltyCases() {
        List<Arguments> out = new ArrayList<>();
        for (Penalty p : GRAM_PENALTIES) {
            Stream<Cases.Case> cases = p == Penalty.L1 ? Cases.awayFromKinks() : Cases.general();
            Cases.withStorages(cases).forEach(a -> out.add(Arguments.of(p, a.get()[0], a.get()[1])));
        }
        return out.stream();
    }

    static Stream<Arguments> penaltySmallCases() {
        List<Arguments> out = new ArrayList<>();
        for (Penalty p : GRAM_PENALTIES) {
            Cases.small().forEach(c -> out.add(Arguments.of(p, c)));
        }
        return out.stream();
    }

    static Stream<Cases.Case> small() {
        return Cases.small();
    }

    static Stream<Cases.Case> general() {
        return Cases.general();
    }

    // ------------------------------------------------------------------ regularizer

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("regularizerCases")
    void regularizerFollowsFormula(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            List<Matrices> grad = ops.outputs(shapes(host));
            try (PowerState state = backend().newPowerState(in, new PowerOptions(3, 15, 1))) {
                Snapshot before = Snapshot.of(state);
                PenaltyResult r = backend().spectralRegularizer(in, state, 1, LAMBDA, grad);
                List<Float64Reference.Evaluation> refs =
                        afterOneStep(c.toString(), w, before, state, Float64Reference::matrix, REGULARIZER_FORMULA);
                assertResult(c + ": λσ̂²", r, refs, readMatrices(grad));
                try (PowerState again = backend()
                        .importPowerState(shapes(host), StateLayout.Operator.MATRIX, 1, before.u(), before.v())) {
                    PenaltyResult noGradient = backend().spectralRegularizer(in, again, 1, LAMBDA, null);
                    assertEquals(r.loss(), noGradient.loss(), "the loss does not depend on asking for the gradient");
                }
            }
            ops.assertInputsUnchanged();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("small")
    void regularizerMatchesFiniteDifferences(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        List<MatrixBatch> grad = zerosLike(host);
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT)) {
            backend().spectralRegularizer(host, state, 0, LAMBDA, grad);
            assertMatchesDifferences(c.toString(), w, TestMatrices.flatten(grad), state, REGULARIZER_FORMULA);
        }
    }

    // ------------------------------------------------------------------ Gram penalties

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("penaltyCases")
    void penaltyFollowsFormula(Penalty p, Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            List<Matrices> grad = ops.outputs(shapes(host));
            PenaltyResult r = backend().orthogonalPenalty(in, p, BETA, grad);
            List<Float64Reference.Evaluation> refs =
                    w.stream().map(x -> Float64Reference.penalty(p, x, BETA)).toList();
            assertResult(c + ": " + p, r, refs, readMatrices(grad));
            assertEquals(
                    r.loss(),
                    backend().orthogonalPenalty(in, p, BETA, null).loss(),
                    "the loss does not depend on asking for the gradient");
            ops.assertInputsUnchanged();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("penaltySmallCases")
    void penaltyMatchesFiniteDifferences(Penalty p, Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        List<MatrixBatch> grad = zerosLike(host);
        backend().orthogonalPenalty(host, p, BETA, grad);
        List<Dense> g = TestMatrices.flatten(grad);
        for (int k = 0; k < w.size(); k++) {
            Float64Reference.Evaluation ref = Float64Reference.penalty(p, w.get(k), BETA);
            FiniteDifferences.Estimate fd = FiniteDifferences.gradient(
                    x -> Float64Reference.penaltyLoss(p, x, BETA), w.get(k), 1e-5, ref.valueBound());
            assertGradientMatchesDifferences(c + ", " + p + ", matrix " + k, g.get(k), fd, ref.gradientBound());
        }
    }

    /**
     * An exactly orthogonal W (scaled Hadamard matrices, A = I with no rounding): every Gram penalty and
     * its gradient are exactly 0. SRIP's value is 0 too, within SPEC.md's bound, since it may evaluate
     * G v = W(Wᵀv) − v without forming G, which rounds: |R| ≤ 1e-5·β(‖|W|‖₂² + 1), the absolute formula
     * β|u|ᵀ(|W||W|ᵀ + I)|v| maximized over unit u, v. (Its gradient β(uvᵀ + vuᵀ)W is not 0.)
     */
    @ParameterizedTest
    @EnumSource(Penalty.class)
    void orthogonalMatrixHasZeroPenalty(Penalty p) {
        List<MatrixBatch> host = List.of(TestMatrices.orthogonalHadamard(16), TestMatrices.orthogonalHadamard(4));
        List<MatrixBatch> grad = zerosLike(host);
        for (MatrixBatch g : grad) {
            Arrays.fill(g.array(), 1f);
        }
        PenaltyResult r = backend().orthogonalPenalty(host, p, BETA, grad);
        if (p == Penalty.SRIP) {
            assertSripNearZero("srip from fresh state", r, host);
            return;
        }
        assertEquals(0f, r.loss(), p + ": loss");
        for (int l = 0; l < grad.size(); l++) {
            assertArrayEquals(
                    new float[grad.get(l).shape().elementCount()], grad.get(l).toArray(), p + ": gradient " + l);
        }
    }

    /** |Rₖ| ≤ 1e-5·β(‖|W|‖₂² + 1) for matrices with G = 0 in exact arithmetic. */
    static void assertSripNearZero(String what, PenaltyResult r, List<MatrixBatch> host) {
        List<Dense> w = TestMatrices.flatten(host);
        for (int k = 0; k < w.size(); k++) {
            double absNorm = JacobiSvd.values(w.get(k).abs())[0];
            assertValue(what + ", matrix " + k + ": value", r.perMatrix()[k], 0, BETA * (absNorm * absNorm + 1));
        }
    }

    // ------------------------------------------------------------------ SRIP

    static Stream<Arguments> sripCases() {
        return Cases.withStorages(Cases.general());
    }

    /** Persistent SRIP state: seeded on G, each step on G, R = βuᵀGv and its gradient. */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("sripCases")
    void sripWithPersistentState(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            List<Matrices> grad = ops.outputs(shapes(host));
            try (PowerState state = backend().newSripState(in, new PowerOptions(5, 0, 1))) {
                assertEquals(StateLayout.of(shapes(host), StateLayout.Operator.GRAM, 1), state.layout());
                List<Float64Reference.Vectors> init = vectors(state);
                for (int k = 0; k < w.size(); k++) {
                    int r = Math.min(w.get(k).rows, w.get(k).cols);
                    assertPowerStep(
                            c + ", matrix " + k + " at initialization",
                            Float64Reference.gram(w.get(k)),
                            Float64Reference.seeded(5, k, 1, r, r),
                            init.get(k),
                            true);
                }
                backend().srip(in, state, 2, BETA, null);
                Snapshot before = Snapshot.of(state);
                PenaltyResult result = backend().srip(in, state, 1, BETA, grad);
                List<Float64Reference.Evaluation> refs =
                        afterOneStep(c.toString(), w, before, state, Float64Reference::gram, SRIP_FORMULA);
                assertResult(c + ": srip", result, refs, readMatrices(grad));
                Snapshot after = Snapshot.of(state);
                PenaltyResult evaluation = backend().srip(in, state, 0, BETA, null);
                after.assertSame(state, "srip with 0 iterations");
                assertResult(c + ": srip evaluated with the same vectors", evaluation, refs, null);
            }
            ops.assertInputsUnchanged();
        }
    }

    /**
     * {@code orthogonalPenalty(SRIP)} is Bansal et al.'s form: fresh state (seed 0, no warm-up, 2
     * iterations) per call; the same as {@code srip} on new state of those options.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("general")
    void sripFromFreshState(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        List<MatrixBatch> grad = zerosLike(host);
        PenaltyResult r = backend().orthogonalPenalty(host, Penalty.SRIP, BETA, grad);
        List<Float64Reference.Evaluation> refs = new ArrayList<>();
        for (int k = 0; k < w.size(); k++) {
            refs.add(Float64Reference.sripFresh(w.get(k), k, BETA));
        }
        assertResult(c + ": srip from fresh state", r, refs, TestMatrices.flatten(grad));
        List<MatrixBatch> grad2 = zerosLike(host);
        try (PowerState state = backend().newSripState(host, new PowerOptions(0, 0, 1))) {
            PenaltyResult same = backend().srip(host, state, 2, BETA, grad2);
            assertArrayEquals(
                    r.perMatrix(), same.perMatrix(), "fresh SRIP equals srip(newSripState(seed 0, warm-up 0), 2)");
            for (int l = 0; l < grad.size(); l++) {
                assertArrayEquals(grad.get(l).toArray(), grad2.get(l).toArray(), "gradient of batch " + l);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("small")
    void sripMatchesFiniteDifferences(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        List<MatrixBatch> grad = zerosLike(host);
        try (PowerState state = backend().newSripState(host, new PowerOptions(1, 3, 1))) {
            backend().srip(host, state, 1, BETA, grad);
            assertMatchesDifferences(c + ", srip", w, TestMatrices.flatten(grad), state, SRIP_FORMULA);
        }
    }

    /**
     * G = 0 (W orthogonal): uᵀGv = 0 is a valid penalty, not a stale state (SPEC.md "srip"), also with
     * k = 0; where G v is exactly zero (a W whose products are exact) the stored vectors stay.
     */
    @Test
    void sripOfOrthogonalMatrixIsZeroNotStale() {
        List<MatrixBatch> host = List.of(
                TestMatrices.orthogonalHadamard(16), MatrixBatch.of(new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 2, 4));
        try (PowerState state = backend().newSripState(host, new PowerOptions(8, 0, 1))) {
            List<MatrixBatch> grad = zerosLike(host);
            assertSripNearZero("k = 0", backend().srip(host, state, 0, BETA, grad), host);
            assertSripNearZero("k = 2", backend().srip(host, state, 2, BETA, grad), host);
            List<Float64Reference.Vectors> v = vectors(state);
            List<Dense> w = TestMatrices.flatten(host);
            List<Dense> g = TestMatrices.flatten(grad);
            for (int k = 0; k < w.size(); k++) {
                assertGradient(
                        "matrix " + k + ": β(uvᵀ + vuᵀ)W",
                        g.get(k),
                        Float64Reference.srip(w.get(k), v.get(k).u[0], v.get(k).v[0], BETA));
            }
            Float64Reference.Vectors seeded = Float64Reference.seeded(8, 1, 1, 2, 2);
            Float64Reference.Vectors exact = vectors(state).get(1);
            NumericAssertions.assertRounded("G v = 0 exactly: u stays", exact.u[0], seeded.u[0]);
            NumericAssertions.assertRounded("G v = 0 exactly: v stays the fallback", exact.v[0], seeded.v[0]);
        }
    }

    // ------------------------------------------------------------------ slices

    /** {@code slices} is {@code biggan} summed over the kh×kw slices; its gradient maps back to the weight. */
    @Test
    void slicesIsBigganOfTheSlicesReshape() {
        float[] weight = TestMatrices.convolutionWeight(701, 4, 3, 3, 3);
        MatrixBatch slices = MatrixBatch.fromConvolution(weight, 4, 3, 3, 3, ConvolutionReshape.SLICES);
        MatrixBatch grad = MatrixBatch.zeros(slices.shape());
        PenaltyResult r = backend().orthogonalPenalty(slices, Penalty.SLICES, BETA, grad);
        List<Float64Reference.Evaluation> refs = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            refs.add(Float64Reference.penalty(Penalty.BIGGAN, Dense.of(weight, 9 * s, 3, 3), BETA));
        }
        assertResult("slices of (4, 3, 3, 3)", r, refs, TestMatrices.flatten(List.of(grad)));
        float[] back = ConvolutionReshape.SLICES.toWeightLayout(grad, 4, 3, 3, 3);
        assertArrayEquals(grad.toArray(), back, "the SLICES gradient is already in the weight's layout");
        MatrixBatch biggan = MatrixBatch.zeros(slices.shape());
        assertEquals(
                r.loss(),
                backend()
                        .orthogonalPenalty(slices, Penalty.BIGGAN, BETA, biggan)
                        .loss(),
                "slices = biggan");
        assertArrayEquals(grad.toArray(), biggan.toArray(), "slices = biggan, gradient");
    }

    /** 1×1 kernels: every slice is 1×1, so {@code slices} is 0. */
    @Test
    void slicesOfPointwiseKernelsIsZero() {
        float[] weight = TestMatrices.convolutionWeight(702, 5, 4, 1, 1);
        MatrixBatch slices = MatrixBatch.fromConvolution(weight, 5, 4, 1, 1, ConvolutionReshape.SLICES);
        MatrixBatch grad = MatrixBatch.zeros(slices.shape());
        PenaltyResult r = backend().orthogonalPenalty(slices, Penalty.SLICES, BETA, grad);
        assertEquals(0f, r.loss());
        assertArrayEquals(new float[20], grad.toArray());
    }

    /** The one-batch overload is the list form with one batch. */
    @Test
    void batchOverloadAgreesWithList() {
        MatrixBatch w = TestMatrices.gaussian(703, 3, 5, 7, 0.5);
        for (Penalty p : Penalty.values()) {
            MatrixBatch ga = MatrixBatch.zeros(w.shape());
            MatrixBatch gb = MatrixBatch.zeros(w.shape());
            PenaltyResult a = backend().orthogonalPenalty(w, p, BETA, ga);
            PenaltyResult b = backend().orthogonalPenalty(List.of(w), p, BETA, List.of(gb));
            assertArrayEquals(b.perMatrix(), a.perMatrix(), p.toString());
            assertArrayEquals(gb.toArray(), ga.toArray(), p + " gradient");
            assertEquals(a.loss(), backend().orthogonalPenalty(w, p, BETA, null).loss(), p + " without gradient");
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** A formula of SPEC.md on W with the power-iteration vectors u, v held fixed, with its absolute bounds. */
    interface FixedVectorFormula {
        Float64Reference.Evaluation evaluate(Dense w, double[] u, double[] v);
    }

    static final FixedVectorFormula REGULARIZER_FORMULA = (w, u, v) -> Float64Reference.regularizer(w, u, v, LAMBDA);
    static final FixedVectorFormula SRIP_FORMULA = (w, u, v) -> Float64Reference.srip(w, u, v, BETA);

    /**
     * Checks that every matrix took one power-iteration step on its {@code operator} from {@code before} to
     * the state's vectors now, and returns {@code formula} of every matrix with those new vectors.
     */
    static List<Float64Reference.Evaluation> afterOneStep(
            String what,
            List<Dense> w,
            Snapshot before,
            PowerState state,
            Function<Dense, Float64Reference.Operator> operator,
            FixedVectorFormula formula) {
        List<Float64Reference.Vectors> b = before.vectors(state.layout());
        List<Float64Reference.Vectors> a = vectors(state);
        List<Float64Reference.Evaluation> refs = new ArrayList<>();
        for (int k = 0; k < w.size(); k++) {
            assertPowerStep(what + ", matrix " + k, operator.apply(w.get(k)), b.get(k), a.get(k), false);
            refs.add(formula.evaluate(w.get(k), a.get(k).u[0], a.get(k).v[0]));
        }
        return refs;
    }

    /**
     * Each gradient {@code g} against central differences of {@code formula}'s value, the state's vectors
     * held fixed (SPEC.md's tolerance plus the differences' own error).
     */
    static void assertMatchesDifferences(
            String what, List<Dense> w, List<Dense> g, PowerState state, FixedVectorFormula formula) {
        List<Float64Reference.Vectors> v = vectors(state);
        for (int k = 0; k < w.size(); k++) {
            double[] u0 = v.get(k).u[0];
            double[] v0 = v.get(k).v[0];
            Float64Reference.Evaluation ref = formula.evaluate(w.get(k), u0, v0);
            FiniteDifferences.Estimate fd = FiniteDifferences.gradient(
                    x -> formula.evaluate(x, u0, v0).value(), w.get(k), 1e-4, ref.valueBound());
            assertGradientMatchesDifferences(what + ", matrix " + k, g.get(k), fd, ref.gradientBound());
        }
    }

    /**
     * Per-matrix values against the references (|Rₖ − Rₖ₆₄| ≤ 1e-5 R̄ₖ), the total against their sum, and
     * each gradient against its reference (‖g − g₆₄‖_F ≤ 1e-5‖ḡ‖_F) when {@code gradients} is non-null.
     */
    static void assertResult(
            String what, PenaltyResult r, List<Float64Reference.Evaluation> refs, List<Dense> gradients) {
        assertEquals(refs.size(), r.perMatrix().length, what + ": one term per matrix");
        double total = 0;
        double totalBound = 0;
        for (int k = 0; k < refs.size(); k++) {
            Float64Reference.Evaluation ref = refs.get(k);
            assertValue(what + ", matrix " + k + ": value", r.perMatrix()[k], ref.value(), ref.valueBound());
            total += ref.value();
            totalBound += ref.valueBound();
            if (gradients != null) {
                assertGradient(what + ", matrix " + k + ": gradient", gradients.get(k), ref);
            }
        }
        assertValue(what + ": total", r.loss(), total, totalBound);
    }

    static List<MatrixBatch> zerosLike(List<MatrixBatch> host) {
        return shapes(host).stream().map(MatrixBatch::zeros).toList();
    }
}
