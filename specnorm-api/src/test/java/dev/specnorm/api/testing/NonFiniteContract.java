package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.FloatOverflowException;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NaN and infinity never become a result (SPEC.md, issue "Errors"): every operation given a NaN or ±∞ in
 * one matrix of a list throws {@link NonFiniteValueException} naming that matrix's flattened index and
 * leaves the caller's state as it was; a NaN hidden from the loss (1×n, 1×1 slices) is still caught; a
 * result of finite entries that overflows float32 is a {@link FloatOverflowException}.
 */
public abstract class NonFiniteContract extends ContractSupport {

    /** An operation on weights and (for those that take one) a state made on clean weights. */
    record Call(String name, StateLayout.Operator state, Run run) {}

    interface Run {
        void run(List<MatrixBatch> weights, PowerState state);
    }

    List<Call> calls() {
        List<Call> c = new ArrayList<>();
        c.add(new Call("svd values", null, (w, s) -> backend().svd(w, false)));
        c.add(new Call("svd vectors", null, (w, s) -> backend().svd(w, true)));
        c.add(new Call("spectralNorm", null, (w, s) -> backend().spectralNorm(w)));
        c.add(new Call("lanczos", null, (w, s) -> backend().lanczos(w, LanczosOptions.DEFAULT)));
        c.add(new Call(
                "newPowerState",
                null,
                (w, s) -> backend().newPowerState(w, PowerOptions.DEFAULT).close()));
        c.add(new Call(
                "newSripState",
                null,
                (w, s) -> backend().newSripState(w, PowerOptions.DEFAULT).close()));
        for (int k : new int[] {0, 1}) {
            c.add(new Call(
                    "powerIteration k=" + k,
                    StateLayout.Operator.MATRIX,
                    (w, s) -> backend().powerIteration(w, s, k)));
            c.add(new Call(
                    "normalize k=" + k,
                    StateLayout.Operator.MATRIX,
                    (w, s) -> backend().normalize(w, s, k, zerosLike(w))));
            c.add(new Call(
                    "spectralRegularizer k=" + k,
                    StateLayout.Operator.MATRIX,
                    (w, s) -> backend().spectralRegularizer(w, s, k, 0.5f, zerosLike(w))));
            c.add(new Call(
                    "spectralRegularizer k=" + k + " without gradient",
                    StateLayout.Operator.MATRIX,
                    (w, s) -> backend().spectralRegularizer(w, s, k, 0.5f, null)));
            c.add(new Call(
                    "srip k=" + k,
                    StateLayout.Operator.GRAM,
                    (w, s) -> backend().srip(w, s, k, 0.5f, zerosLike(w))));
            c.add(new Call(
                    "srip k=" + k + " without gradient",
                    StateLayout.Operator.GRAM,
                    (w, s) -> backend().srip(w, s, k, 0.5f, null)));
        }
        c.add(new Call(
                "normalizeBackward",
                StateLayout.Operator.MATRIX,
                (w, s) -> backend().normalizeBackward(w, s, onesLike(w), zerosLike(w))));
        for (Penalty p : Penalty.values()) {
            c.add(new Call(p + " penalty", null, (w, s) -> backend().orthogonalPenalty(w, p, 0.5f, zerosLike(w))));
            c.add(new Call(
                    p + " penalty without gradient", null, (w, s) -> backend().orthogonalPenalty(w, p, 0.5f, null)));
        }
        return c;
    }

    /** Every operation × {NaN, +∞, −∞} in matrix 4 (layer 2, member 1) of a list of layers. */
    @TestFactory
    Stream<DynamicTest> nonFiniteEntryIsReportedWithItsMatrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Call call : calls()) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                tests.add(dynamicTest(call.name() + ", " + bad, () -> {
                    List<MatrixBatch> clean = TestMatrices.layers(801);
                    List<MatrixBatch> dirty = TestMatrices.copy(clean);
                    dirty.set(2, TestMatrices.withEntry(clean.get(2), 1, 12, bad));
                    int index = TestMatrices.flatIndex(clean, 2, 1);
                    assertReported(call, clean, dirty, index);
                }));
            }
        }
        return tests.stream();
    }

    /** A NaN in the incoming gradient of spectral normalization's backward pass is caught too. */
    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY})
    void nonFiniteGradOutputIsReported(float bad) {
        List<MatrixBatch> w = TestMatrices.layers(802);
        List<MatrixBatch> g = TestMatrices.copy(onesLike(w));
        g.set(1, TestMatrices.withEntry(g.get(1), 0, 3, bad));
        try (PowerState state = backend().newPowerState(w, PowerOptions.DEFAULT)) {
            Snapshot before = Snapshot.of(state);
            NonFiniteValueException e = assertThrows(
                    NonFiniteValueException.class, () -> backend().normalizeBackward(w, state, g, zerosLike(w)));
            assertEquals(TestMatrices.flatIndex(w, 1, 0), e.matrixIndex(), e.getMessage());
            before.assertSame(state, "after the failed call");
        }
    }

    /**
     * Masked cases: the loss of {@code biggan} on a 1×n matrix, or of {@code slices} on 1×1 kernels, is 0
     * whatever the entries, so only the diagonal of A (or the gradient) shows the NaN: still an error.
     */
    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SLICES", "SOFT", "DOUBLE_SOFT", "L1", "SRIP"})
    void maskedNonFiniteIsCaught(Penalty p) {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            List<MatrixBatch> rows = List.of(
                    TestMatrices.gaussian(803, 2, 4, 6, 1),
                    TestMatrices.withEntry(TestMatrices.gaussian(804, 1, 1, 17, 1), 0, 5, bad));
            float[] weight = TestMatrices.convolutionWeight(805, 3, 2, 1, 1);
            weight[4] = bad;
            List<MatrixBatch> pointwise =
                    List.of(MatrixBatch.fromConvolution(weight, 3, 2, 1, 1, ConvolutionReshape.SLICES));
            for (List<MatrixBatch> w : List.of(rows, pointwise)) {
                int index = w == rows ? 2 : 4;
                for (boolean gradient : new boolean[] {false, true}) {
                    NonFiniteValueException e = assertThrows(
                            NonFiniteValueException.class,
                            () -> backend().orthogonalPenalty(w, p, 0.5f, gradient ? zerosLike(w) : null),
                            p + ", " + bad + (gradient ? ", with gradient" : ", loss only") + ", " + w);
                    assertEquals(index, e.matrixIndex(), e.getMessage());
                    assertFalse(e instanceof FloatOverflowException, "non-finite input is not an overflow: " + e);
                }
            }
        }
    }

    /** Finite entries whose penalty overflows float32 (it grows like ‖W‖⁴): FloatOverflowException. */
    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SOFT", "DOUBLE_SOFT", "L1", "SRIP", "SLICES"})
    void penaltyOverflowIsAnError(Penalty p) {
        double scale = p == Penalty.L1 || p == Penalty.SRIP ? 1e19 : 1e12;
        MatrixBatch big = TestMatrices.scaled(TestMatrices.gaussian(806, 1, 6, 9, 1), scale);
        Dense bd = Dense.of(big.toArray(), 0, 6, 9);
        double value = p == Penalty.SRIP
                ? Float64Reference.sripFresh(bd, 1, 1).value()
                : Float64Reference.penalty(p, bd, 1).value();
        assertTrue(Math.abs(value) > Float.MAX_VALUE, "the test matrix must overflow float32: R = " + value);
        MatrixBatch batch =
                MatrixBatch.stack(List.of(TestMatrices.gaussian(807, 6, 9), big, TestMatrices.gaussian(808, 6, 9)));
        for (boolean gradient : new boolean[] {false, true}) {
            FloatOverflowException e = assertThrows(
                    FloatOverflowException.class,
                    () -> backend()
                            .orthogonalPenalty(
                                    List.of(batch),
                                    p,
                                    1f,
                                    gradient ? List.of(MatrixBatch.zeros(batch.shape())) : null));
            assertEquals(1, e.matrixIndex(), e.getMessage());
        }
    }

    /** λσ̂² of finite entries overflowing float32 (σ̂ itself fits): FloatOverflowException, state unchanged. */
    @Test
    void regularizerOverflowIsAnError() {
        MatrixBatch big = TestMatrices.scaled(TestMatrices.gaussian(809, 1, 6, 9, 1), 1e19);
        double sigma1 = JacobiSvd.values(Dense.of(big.toArray(), 0, 6, 9))[0];
        assertTrue(sigma1 < Float.MAX_VALUE && sigma1 * sigma1 > Float.MAX_VALUE, "σ₁ = " + sigma1);
        MatrixBatch batch = MatrixBatch.stack(List.of(TestMatrices.gaussian(810, 6, 9), big));
        try (PowerState state = backend().newPowerState(batch, PowerOptions.DEFAULT)) {
            Snapshot before = Snapshot.of(state);
            FloatOverflowException e = assertThrows(
                    FloatOverflowException.class,
                    () -> backend().spectralRegularizer(List.of(batch), state, 1, 1f, null));
            assertEquals(1, e.matrixIndex(), e.getMessage());
            before.assertSame(state, "after the overflow");
        }
    }

    private void assertReported(Call call, List<MatrixBatch> clean, List<MatrixBatch> dirty, int index) {
        PowerState state = null;
        try {
            if (call.state() == StateLayout.Operator.MATRIX) {
                state = backend().newPowerState(clean, PowerOptions.DEFAULT);
            } else if (call.state() == StateLayout.Operator.GRAM) {
                state = backend().newSripState(clean, PowerOptions.DEFAULT);
            }
            Snapshot before = state == null ? null : Snapshot.of(state);
            PowerState s = state;
            NonFiniteValueException e =
                    assertThrows(NonFiniteValueException.class, () -> call.run().run(dirty, s));
            assertEquals(index, e.matrixIndex(), "the exception names the matrix: " + e.getMessage());
            assertFalse(e instanceof FloatOverflowException, "non-finite input is not an overflow: " + e);
            if (before != null) {
                before.assertSame(state, "after the failed call");
            }
        } finally {
            if (state != null) {
                state.close();
            }
        }
    }

    static List<MatrixBatch> zerosLike(List<MatrixBatch> w) {
        return shapes(w).stream().map(MatrixBatch::zeros).toList();
    }

    static List<MatrixBatch> onesLike(List<MatrixBatch> w) {
        List<MatrixBatch> out = new ArrayList<>();
        for (MatrixBatch b : w) {
            float[] x = new float[b.shape().elementCount()];
            Arrays.fill(x, 1f);
            out.add(MatrixBatch.of(
                    x, b.shape().batch(), b.shape().rows(), b.shape().cols()));
        }
        return out;
    }
}
