package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertAtMostSigma1;
import static dev.specnorm.api.testing.NumericAssertions.assertPowerStep;
import static dev.specnorm.api.testing.NumericAssertions.assertValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Top-k singular values by deflated power iteration (SPEC.md "Top-k"): the seeded k-vector state, each
 * step against the float64 deflation formula, σ̂₁ ≤ σ₁, convergence of every σ̂ⱼ to σⱼ, evaluation, and
 * export/import of k-vector state.
 */
public abstract class TopKContract extends ContractSupport {

    /** Two layers with gaps of 1/2 between consecutive singular values, and a rank-4 one taken whole. */
    static List<MatrixBatch> layers() {
        return List.of(
                MatrixBatch.stack(List.of(
                        KnownSpectrum.geometric(20, 16, 501, 8, 0.5).batch(),
                        KnownSpectrum.geometric(20, 16, 502, 1, 0.5).batch())),
                KnownSpectrum.geometric(12, 30, 503, 3, 0.5).batch(),
                KnownSpectrum.of(4, 6, 504, 4, 2, 1, 0.5).batch());
    }

    @ParameterizedTest
    @EnumSource(Storage.class)
    void initializationAndIterationFollowDeflation(Storage storage) {
        List<MatrixBatch> host = layers();
        List<Dense> w = TestMatrices.flatten(host);
        int k = 3;
        try (Operands ops = operands(storage)) {
            List<Matrices> in = ops.inputs(host);
            try (PowerState state = backend().newPowerState(in, new PowerOptions(6, 0, k))) {
                assertEquals(StateLayout.of(shapes(host), StateLayout.Operator.MATRIX, k), state.layout());
                List<Float64Reference.Vectors> init = vectors(state);
                for (int m = 0; m < w.size(); m++) {
                    assertPowerStep(
                            "matrix " + m + " at initialization",
                            Float64Reference.matrix(w.get(m)),
                            Float64Reference.seeded(6, m, k, w.get(m).rows, w.get(m).cols),
                            init.get(m),
                            true);
                }
                float[][] sigma = backend().topK(in, state, 1);
                List<Float64Reference.Vectors> after = vectors(state);
                assertEquals(w.size(), sigma.length, "one row per matrix");
                for (int m = 0; m < w.size(); m++) {
                    Float64Reference.Operator op = Float64Reference.matrix(w.get(m));
                    assertPowerStep("matrix " + m, op, init.get(m), after.get(m), false);
                    double[] ref = Float64Reference.sigma(op, after.get(m));
                    double[] bound = Float64Reference.sigmaBound(op, after.get(m));
                    assertEquals(k, sigma[m].length, "k values per matrix");
                    for (int j = 0; j < k; j++) {
                        assertValue("matrix " + m + ": σ̂" + (j + 1) + " = uⱼᵀWvⱼ", sigma[m][j], ref[j], bound[j]);
                    }
                }
            }
            ops.assertInputsUnchanged();
        }
    }

    /** After warm-up and 40 iterations every σ̂ⱼ is within τσ₁ of σⱼ; σ̂₁ ≤ σ₁(1 + 1e-6) throughout. */
    @Test
    void convergesToLeadingSingularValues() {
        List<MatrixBatch> host = layers();
        List<double[]> exact = exactValues(host);
        List<Dense> w = TestMatrices.flatten(host);
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT.withVectors(4))) {
            float[][] sigma = null;
            for (int call = 0; call < 8; call++) {
                sigma = backend().topK(host, state, 5);
                for (int m = 0; m < sigma.length; m++) {
                    assertAtMostSigma1("matrix " + m + ", call " + call, sigma[m][0], exact.get(m)[0]);
                }
            }
            for (int m = 0; m < sigma.length; m++) {
                for (int j = 0; j < 4; j++) {
                    String what = "matrix " + m + ": σ̂" + (j + 1);
                    double diff = Math.abs(sigma[m][j] - exact.get(m)[j]);
                    double limit = Tolerances.singularValues(w.get(m).rows, w.get(m).cols) * exact.get(m)[0];
                    assertEquals(
                            exact.get(m)[j],
                            sigma[m][j],
                            limit,
                            what + " within τσ₁ of σ" + (j + 1) + ", off by " + diff);
                }
            }
        }
    }

    /** k = 0 evaluates every σ̂ⱼ = uⱼᵀWvⱼ and changes nothing; powerIteration returns the same values flat. */
    @Test
    void evaluationAndFlatLayout() {
        List<MatrixBatch> host = layers();
        List<Dense> w = TestMatrices.flatten(host);
        try (PowerState state = backend().newPowerState(host, PowerOptions.DEFAULT.withVectors(2))) {
            Snapshot before = Snapshot.of(state);
            float[][] rows = backend().topK(host, state, 0);
            float[] flat = backend().powerIteration(host, state, 0);
            before.assertSame(state, "evaluation");
            List<Float64Reference.Vectors> v = before.vectors(state.layout());
            for (int m = 0; m < w.size(); m++) {
                Float64Reference.Operator op = Float64Reference.matrix(w.get(m));
                double[] ref = Float64Reference.sigma(op, v.get(m));
                double[] bound = Float64Reference.sigmaBound(op, v.get(m));
                for (int j = 0; j < 2; j++) {
                    assertValue("matrix " + m + ", σ̂" + (j + 1), rows[m][j], ref[j], bound[j]);
                    assertEquals(rows[m][j], flat[2 * m + j], "flat layout: k values per matrix, in order");
                }
            }
        }
    }

    /** k-vector state survives export and import. */
    @Test
    void exportImportRoundTrip() {
        List<MatrixBatch> host = layers();
        try (PowerState a = backend().newPowerState(host, PowerOptions.DEFAULT.withVectors(3))) {
            Snapshot saved = Snapshot.of(a);
            try (PowerState b =
                    backend().importPowerState(shapes(host), StateLayout.Operator.MATRIX, 3, saved.u(), saved.v())) {
                float[][] sa = backend().topK(host, a, 2);
                float[][] sb = backend().topK(host, b, 2);
                for (int m = 0; m < sa.length; m++) {
                    assertArrayEquals(sa[m], sb[m], "matrix " + m);
                }
                Snapshot.of(a).assertSame(b, "after 2 iterations");
            }
        }
    }
}
