package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertGradient;
import static dev.specnorm.api.testing.NumericAssertions.assertGradientMatchesDifferences;
import static dev.specnorm.api.testing.NumericAssertions.assertPowerStep;
import static dev.specnorm.api.testing.NumericAssertions.assertValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spectral normalization (SPEC.md "Spectral normalization"): forward iterates exactly as power iteration
 * does and writes Ŵ = W / max(σ̂, eps); backward, with u, v constant, writes (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ or G/eps,
 * against the float64 formula (‖g − g₆₄‖_F ≤ 1e-5‖ḡ‖_F) and central differences; zero matrices normalize
 * to 0; the σ̂ ≤ eps branch.
 */
public abstract class NormalizationContract extends ContractSupport {

    static Stream<Arguments> cases() {
        return Cases.withStorages(Cases.general());
    }

    static Stream<Cases.Case> small() {
        return Cases.small();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void forwardFollowsFormula(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            List<Matrices> out = ops.outputs(shapes(host));
            try (PowerState state = backend().newPowerState(in, new PowerOptions(3, 15, 1));
                    PowerState twin = backend().newPowerState(in, new PowerOptions(3, 15, 1))) {
                Snapshot before = Snapshot.of(state);
                float[] sigma = backend().normalize(in, state, 1, out);
                List<Float64Reference.Vectors> b = before.vectors(state.layout());
                List<Float64Reference.Vectors> a = vectors(state);
                List<Dense> normalized = readMatrices(out);
                for (int k = 0; k < w.size(); k++) {
                    String what = c + ", matrix " + k;
                    assertPowerStep(what, Float64Reference.matrix(w.get(k)), b.get(k), a.get(k), false);
                    Float64Reference.Evaluation ref =
                            Float64Reference.normalizeForward(w.get(k), a.get(k).u[0], a.get(k).v[0]);
                    assertValue(what + ": σ̂", sigma[k], ref.value(), ref.valueBound());
                    assertGradient(what + ": Ŵ = W / max(σ̂, eps)", normalized.get(k), ref);
                    if (w.get(k).maxAbs() == 0) {
                        assertEquals(0f, sigma[k], what + ": σ̂ of a zero matrix");
                        assertEquals(0, normalized.get(k).maxAbs(), what + ": a zero matrix normalizes to 0");
                    }
                }
                backend().powerIteration(in, twin, 1);
                NumericAssertions.assertVector(
                        "normalize iterates as powerIteration does: u",
                        Dense.vector(twin.exportU(), 0, twin.layout().uSize()),
                        Dense.vector(state.exportU(), 0, state.layout().uSize()),
                        1);
                NumericAssertions.assertVector(
                        "normalize iterates as powerIteration does: v",
                        Dense.vector(twin.exportV(), 0, twin.layout().vSize()),
                        Dense.vector(state.exportV(), 0, state.layout().vSize()),
                        1);
            }
            ops.assertInputsUnchanged();
        }
    }

    /** k = 0: Ŵ = W/σ̂ with the stored vectors, which stay as they were. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("small")
    void forwardWithZeroIterations(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<Dense> w = TestMatrices.flatten(host);
        List<MatrixBatch> out = shapes(host).stream().map(MatrixBatch::zeros).toList();
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT)) {
            Snapshot before = Snapshot.of(state);
            float[] sigma = backend().normalize(host, state, 0, out);
            before.assertSame(state, "normalize with 0 iterations");
            List<Float64Reference.Vectors> v = before.vectors(state.layout());
            List<Dense> normalized = TestMatrices.flatten(out);
            for (int k = 0; k < w.size(); k++) {
                Float64Reference.Evaluation ref =
                        Float64Reference.normalizeForward(w.get(k), v.get(k).u[0], v.get(k).v[0]);
                assertValue(c + ", matrix " + k + ": σ̂", sigma[k], ref.value(), ref.valueBound());
                assertGradient(c + ", matrix " + k + ": Ŵ", normalized.get(k), ref);
            }
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void backwardFollowsFormula(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<MatrixBatch> g = randomLike(host, 601);
        List<Dense> w = TestMatrices.flatten(host);
        List<Dense> gd = TestMatrices.flatten(g);
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            List<Matrices> gin = ops.inputs(g);
            List<Matrices> out = ops.outputs(shapes(host));
            try (PowerState state = backend().newPowerState(in, PowerOptions.DEFAULT)) {
                backend().normalize(in, state, 1, ops.outputs(shapes(host)));
                Snapshot before = Snapshot.of(state);
                backend().normalizeBackward(in, state, gin, out);
                before.assertSame(state, "backward");
                List<Float64Reference.Vectors> v = before.vectors(state.layout());
                List<Dense> grad = readMatrices(out);
                for (int k = 0; k < w.size(); k++) {
                    Float64Reference.Evaluation ref =
                            Float64Reference.normalizeBackward(w.get(k), v.get(k).u[0], v.get(k).v[0], gd.get(k));
                    assertGradient(c + ", matrix " + k + ": ∂L/∂W", grad.get(k), ref);
                }
            }
            ops.assertInputsUnchanged();
        }
    }

    /** The backward gradient is the derivative of L(W) = ⟨G, W/(uᵀWv)⟩ with u, v fixed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("small")
    void backwardMatchesFiniteDifferences(Cases.Case c) {
        List<MatrixBatch> host = c.copies();
        List<MatrixBatch> g = randomLike(host, 602);
        List<Dense> w = TestMatrices.flatten(host);
        List<Dense> gd = TestMatrices.flatten(g);
        List<MatrixBatch> out = shapes(host).stream().map(MatrixBatch::zeros).toList();
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT)) {
            backend().normalizeBackward(host, state, g, out);
            List<Float64Reference.Vectors> v = vectors(state);
            List<Dense> grad = TestMatrices.flatten(out);
            for (int k = 0; k < w.size(); k++) {
                double[] u0 = v.get(k).u[0];
                double[] v0 = v.get(k).v[0];
                Dense gk = gd.get(k);
                Float64Reference.Evaluation ref = Float64Reference.normalizeBackward(w.get(k), u0, v0, gk);
                FiniteDifferences.Estimate fd = FiniteDifferences.gradient(
                        x -> Float64Reference.normalizeLoss(x, u0, v0, gk), w.get(k), 1e-4, ref.valueBound());
                assertGradientMatchesDifferences(c + ", matrix " + k, grad.get(k), fd, ref.gradientBound());
            }
        }
    }

    /** σ̂ ≤ eps: Ŵ = W/eps and ∂L/∂W = G/eps. */
    @Test
    void epsBranch() {
        MatrixBatch w = TestMatrices.gaussian(603, 1, 8, 6, 1e-14);
        double sigma1 = JacobiSvd.values(Dense.of(w.toArray(), 0, 8, 6))[0];
        assertTrue(sigma1 < Conventions.EPS, "the test matrix must have σ₁ < eps, has " + sigma1);
        MatrixBatch g = TestMatrices.gaussian(604, 1, 8, 6, 1);
        MatrixBatch out = MatrixBatch.zeros(w.shape());
        MatrixBatch grad = MatrixBatch.zeros(w.shape());
        try (PowerState state = backend().newPowerState(w, PowerOptions.DEFAULT)) {
            float sigma = backend().normalize(w, state, 1, out)[0];
            assertTrue(sigma <= Conventions.EPS, "σ̂ = " + sigma + " ≤ σ₁ < eps");
            Dense wd = Dense.of(w.toArray(), 0, 8, 6);
            Dense expected = wd.scale(1 / Float64Reference.EPS);
            NumericAssertions.assertNormwise(
                    "Ŵ = W/eps", Dense.of(out.toArray(), 0, 8, 6), expected, expected.abs(), 0);
            backend().normalizeBackward(w, state, g, grad);
            List<Float64Reference.Vectors> v = vectors(state);
            Float64Reference.Evaluation ref = Float64Reference.normalizeBackward(
                    wd, v.get(0).u[0], v.get(0).v[0], Dense.of(g.toArray(), 0, 8, 6));
            assertGradient("∂L/∂W = G/eps", Dense.of(grad.toArray(), 0, 8, 6), ref);
        }
    }

    /** The one-batch overloads are the list forms with one batch. */
    @Test
    void batchOverloadsAgreeWithLists() {
        MatrixBatch w = TestMatrices.gaussian(605, 2, 7, 5, 1);
        MatrixBatch g = TestMatrices.gaussian(606, 2, 7, 5, 1);
        try (PowerState a = backend().newPowerState(w, PowerOptions.DEFAULT);
                PowerState b = backend()
                        .importPowerState(
                                List.of(w.shape()), StateLayout.Operator.MATRIX, 1, a.exportU(), a.exportV())) {
            MatrixBatch oa = MatrixBatch.zeros(w.shape());
            MatrixBatch ob = MatrixBatch.zeros(w.shape());
            assertArrayEquals(
                    backend().normalize(List.of(w), b, 1, List.of(ob)),
                    backend().normalize(w, a, 1, oa));
            assertArrayEquals(ob.toArray(), oa.toArray(), "Ŵ");
            backend().normalizeBackward(w, a, g, oa);
            backend().normalizeBackward(List.of(w), b, List.of(g), List.of(ob));
            assertArrayEquals(ob.toArray(), oa.toArray(), "∂L/∂W");
        }
    }
}
