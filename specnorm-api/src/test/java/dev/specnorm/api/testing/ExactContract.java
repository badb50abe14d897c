package dev.specnorm.api.testing;

import static dev.specnorm.api.testing.NumericAssertions.assertDecomposition;
import static dev.specnorm.api.testing.NumericAssertions.assertSigma;
import static dev.specnorm.api.testing.NumericAssertions.assertSingularValues;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SingularDecomposition;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Exact singular values, thin SVDs and spectral norms (SPEC.md "Exact") against the float64 Jacobi
 * reference of the same float32 matrices: |σ̂ᵢ − σᵢ| ≤ τσ₁ in descending order, ‖UΣVᵀ − W‖_F ≤ τ‖W‖_F,
 * ‖UᵀU − I‖₂ and ‖VᵀV − I‖₂ ≤ τ, on every storage, for single batches and lists of layers.
 */
public abstract class ExactContract extends ContractSupport {

    static Stream<Arguments> exactCases() {
        return Cases.withStorages(Cases.exact());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("exactCases")
    void singularValuesMatchReference(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<double[]> expected = exactValues(host);
        try (Operands ops = operands(storage)) {
            List<SingularDecomposition> svd = backend().svd(ops.inputs(host), false);
            assertEquals(c.matrices(), svd.size(), "one decomposition per matrix");
            List<Dense> w = TestMatrices.flatten(host);
            for (int k = 0; k < svd.size(); k++) {
                SingularDecomposition d = svd.get(k);
                assertEquals(w.get(k).rows, d.rows(), "matrix " + k + ": rows");
                assertEquals(w.get(k).cols, d.cols(), "matrix " + k + ": cols");
                assertNull(d.u(), "matrix " + k + ": U only when asked for");
                assertNull(d.vt(), "matrix " + k + ": Vᵀ only when asked for");
                assertSingularValues(c + ", matrix " + k, d.values(), expected.get(k), d.rows(), d.cols());
            }
            ops.assertInputsUnchanged();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("exactCases")
    void decompositionReconstructsAndIsOrthonormal(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<double[]> expected = exactValues(host);
        try (Operands ops = operands(storage)) {
            List<SingularDecomposition> svd = backend().svd(ops.inputs(host), true);
            List<Dense> w = TestMatrices.flatten(host);
            assertEquals(w.size(), svd.size(), "one decomposition per matrix");
            for (int k = 0; k < svd.size(); k++) {
                assertSingularValues(
                        c + ", matrix " + k, svd.get(k).values(), expected.get(k), w.get(k).rows, w.get(k).cols);
                assertDecomposition(c + ", matrix " + k, svd.get(k), w.get(k));
            }
            ops.assertInputsUnchanged();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("exactCases")
    void spectralNormIsSigma1(Cases.Case c, Storage storage) {
        List<MatrixBatch> host = c.copies();
        List<double[]> expected = exactValues(host);
        try (Operands ops = operands(storage)) {
            float[] sigma = backend().spectralNorm(ops.inputs(host));
            assertEquals(c.matrices(), sigma.length, "one σ per matrix");
            List<Dense> w = TestMatrices.flatten(host);
            for (int k = 0; k < sigma.length; k++) {
                assertSigma(c + ", matrix " + k, sigma[k], expected.get(k)[0], w.get(k).rows, w.get(k).cols, 0);
            }
            ops.assertInputsUnchanged();
        }
    }

    static Stream<Cases.Case> generalCases() {
        return Cases.general();
    }

    /** Host arrays, direct buffers and backend buffers give the same results, bit for bit. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("generalCases")
    void storagesGiveIdenticalResults(Cases.Case c) {
        List<List<SingularDecomposition>> results = new ArrayList<>();
        List<float[]> norms = new ArrayList<>();
        List<Storage> storages = List.of(Storage.values());
        for (Storage s : storages) {
            try (Operands ops = operands(s)) {
                List<Matrices> in = ops.inputs(c.copies());
                results.add(backend().svd(in, true));
                norms.add(backend().spectralNorm(in));
            }
        }
        for (int s = 1; s < results.size(); s++) {
            String which = storages.get(s) + " versus " + Storage.HOST;
            assertArrayEquals(norms.get(0), norms.get(s), which + ": spectral norms");
            for (int k = 0; k < results.get(0).size(); k++) {
                SingularDecomposition a = results.get(0).get(k);
                SingularDecomposition b = results.get(s).get(k);
                assertArrayEquals(a.values(), b.values(), which + ", matrix " + k + ": values");
                assertArrayEquals(a.u(), b.u(), which + ", matrix " + k + ": U");
                assertArrayEquals(a.vt(), b.vt(), which + ", matrix " + k + ": Vᵀ");
            }
        }
    }

    /** The one-batch and one-matrix overloads agree with the list form. */
    @Test
    void overloadsAgreeWithListForm() {
        MatrixBatch w = TestMatrices.gaussian(201, 3, 9, 6, 1);
        List<SingularDecomposition> list = backend().svd(List.of(w), false);
        float[][] values = backend().singularValues(w);
        float[] norms = backend().spectralNorm(w);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(list.get(k).values(), values[k], "singularValues(batch), matrix " + k);
            assertEquals(backend().spectralNorm(List.of(w))[k], norms[k], "spectralNorm(batch), matrix " + k);
            float[] one = w.matrix(k).toArray();
            assertSigma(
                    "spectralNorm(float[], m, n), matrix " + k,
                    backend().spectralNorm(one, 9, 6),
                    JacobiSvd.values(Dense.of(one, 0, 9, 6))[0],
                    9,
                    6,
                    0);
            assertArrayEquals(
                    values[k], backend().singularValues(one, 9, 6), "singularValues(float[], m, n), matrix " + k);
        }
    }

    /** A larger matrix: τ = 2rε for r = 256 (SPEC.md), values and vectors. */
    @Test
    void largeMatrix() {
        KnownSpectrum w = KnownSpectrum.geometric(320, 256, 202, 10, 0.97);
        SingularDecomposition d = backend().svd(List.of(w.batch()), true).get(0);
        assertSingularValues("320×256", d.values(), w.exact().values, 320, 256);
        assertDecomposition("320×256", d, Dense.of(w.data, 0, 320, 256));
    }

    /**
     * Entries near 1e18 (‖W‖_F² overflows float32) and σ₁ near 1e-15 (below the power iteration's eps):
     * the exact methods scale and still meet τ (SPEC.md "Norms of vectors").
     */
    @ParameterizedTest(name = "scale {0}")
    @MethodSource("extremeScales")
    void extremeScales(double top) {
        KnownSpectrum w = KnownSpectrum.geometric(40, 24, 203, top, 0.8);
        assertSingularValues("σ₁ = " + top, backend().singularValues(w.batch())[0], w.exact().values, 40, 24);
        assertSigma("σ₁ = " + top, backend().spectralNorm(w.batch())[0], w.exact().values[0], 40, 24, 0);
        SingularDecomposition d = backend().svd(List.of(w.batch()), true).get(0);
        assertDecomposition("σ₁ = " + top, d, Dense.of(w.data, 0, 40, 24));
    }

    static Stream<Double> extremeScales() {
        return Stream.of(4e19, 1e-15);
    }
}
