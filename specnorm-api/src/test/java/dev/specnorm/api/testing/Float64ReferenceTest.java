package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test suite's own references checked before any backend is: the Jacobi SVD against EJML's float64
 * SVD, the known-spectrum generator against its prescription, every gradient formula against central
 * differences of its loss, the power-iteration reference against σ₁, and identities of SPEC.md.
 */
class Float64ReferenceTest {

    static Stream<MatrixBatch> matrices() {
        return Stream.of(
                TestMatrices.gaussian(1, 30, 20),
                TestMatrices.gaussian(2, 20, 30),
                TestMatrices.gaussian(3, 25, 25),
                TestMatrices.gaussian(4, 1, 9),
                TestMatrices.gaussian(5, 9, 1),
                TestMatrices.rankDeficient(6, 30, 20, 5),
                TestMatrices.zeros(1, 4, 3),
                KnownSpectrum.of(24, 16, 7, 3, 3, 3, 1).batch());
    }

    @ParameterizedTest
    @MethodSource("matrices")
    void jacobiAgreesWithEjml(MatrixBatch batch) {
        int m = batch.shape().rows();
        int n = batch.shape().cols();
        Dense w = Dense.of(batch.toArray(), 0, m, n);
        JacobiSvd svd = JacobiSvd.of(w);
        SingularValueDecomposition_F64<DMatrixRMaj> ejml = DecompositionFactory_DDRM.svd(m, n, false, false, true);
        assertTrue(ejml.decompose(new DMatrixRMaj(m, n, true, w.a.clone())));
        double[] expected = Arrays.copyOf(ejml.getSingularValues(), Math.min(m, n));
        Arrays.sort(expected);
        double top = expected[expected.length - 1];
        for (int i = 0; i < expected.length; i++) {
            assertEquals(
                    expected[expected.length - 1 - i], svd.values[i], 1e-12 * Math.max(top, 1e-300), "σ" + (i + 1));
        }
        Dense recon = Dense.zeros(m, n);
        for (int k = 0; k < svd.values.length; k++) {
            recon = recon.plus(svd.values[k], Dense.outer(svd.leftVector(k), svd.rightVector(k)));
        }
        assertTrue(recon.plus(-1, w).frobenius() <= 1e-12 * Math.max(w.frobenius(), 1e-300), "reconstruction");
        NumericAssertions.assertOrthonormalColumns("V", svd.v, 1e-12);
    }

    @Test
    void knownSpectrumIsWithinRoundingOfItsPrescription() {
        for (KnownSpectrum k : new KnownSpectrum[] {
            KnownSpectrum.geometric(40, 24, 8, 2, 0.7),
            KnownSpectrum.geometric(24, 40, 9, 5, 0.5),
            KnownSpectrum.of(16, 16, 10, 1, 1, 1e-3)
        }) {
            double[] s = k.exact().values;
            for (int i = 0; i < s.length; i++) {
                assertEquals(k.prescribed[i], s[i], k.roundingBound() + 1e-13 * k.prescribed[0], "σ" + (i + 1));
            }
        }
    }

    static Stream<MatrixBatch> small() {
        return Stream.of(
                TestMatrices.awayFromKinks(11, 5, 8, 0.45, 1e-3),
                TestMatrices.awayFromKinks(12, 8, 5, 0.45, 1e-3),
                TestMatrices.awayFromKinks(13, 1, 6, 0.45, 1e-3));
    }

    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SOFT", "DOUBLE_SOFT", "L1"})
    void penaltyGradientsAreDerivatives(Penalty p) {
        small().forEach(b -> {
            Dense w = Dense.of(b.toArray(), 0, b.shape().rows(), b.shape().cols());
            Float64Reference.Evaluation e = Float64Reference.penalty(p, w, 0.3);
            assertDerivative(p + " " + b, x -> Float64Reference.penaltyLoss(p, x, 0.3), w, e);
        });
    }

    @Test
    void fixedStateGradientsAreDerivatives() {
        small().forEach(b -> {
            int m = b.shape().rows();
            int n = b.shape().cols();
            Dense w = Dense.of(b.toArray(), 0, m, n);
            double[] u = unit(TestMatrices.gaussian(21, m));
            double[] v = Float64Reference.normalize(w.transposeTimes(u), u);
            Dense g = Dense.of(TestMatrices.gaussian(23, m * n), 0, m, n);
            assertDerivative(
                    "SN backward " + b,
                    x -> Float64Reference.normalizeLoss(x, u, v, g),
                    w,
                    Float64Reference.normalizeBackward(w, u, v, g));
            assertDerivative(
                    "regularizer " + b,
                    x -> Float64Reference.regularizerLoss(x, u, v, 0.7),
                    w,
                    Float64Reference.regularizer(w, u, v, 0.7));
            int r = Math.min(m, n);
            double[] ur = unit(TestMatrices.gaussian(24, r));
            double[] vr = unit(TestMatrices.gaussian(25, r));
            assertDerivative(
                    "srip " + b,
                    x -> Float64Reference.sripLoss(x, ur, vr, 0.3),
                    w,
                    Float64Reference.srip(w, ur, vr, 0.3));
        });
    }

    private static void assertDerivative(
            String what, ToDoubleFunction<Dense> loss, Dense w, Float64Reference.Evaluation e) {
        FiniteDifferences.Estimate fd = FiniteDifferences.gradient(loss, w, 1e-5, e.valueBound());
        double diff = e.gradient().plus(-1, fd.gradient()).frobenius();
        assertTrue(
                diff <= fd.error().frobenius() + 1e-9 * e.gradientBound().frobenius(),
                what + ": ‖g₆₄ − fd‖ = " + diff + ", fd error " + fd.error().frobenius());
        assertTrue(Math.abs(e.value()) <= e.valueBound() * (1 + 1e-12), what + ": |R| ≤ R̄");
        for (int k = 0; k < w.a.length; k++) {
            assertTrue(
                    Math.abs(e.gradient().a[k]) <= e.gradientBound().a[k] * (1 + 1e-12) + 1e-300, what + ": |g| ≤ ḡ");
        }
    }

    @Test
    void powerIterationReferenceConvergesToTheTopSingularValues() {
        KnownSpectrum k = KnownSpectrum.geometric(30, 20, 31, 4, 0.5);
        Dense w = Dense.of(k.data, 0, 30, 20);
        Float64Reference.Operator op = Float64Reference.matrix(w);
        Float64Reference.Vectors s = Float64Reference.initialize(op, Float64Reference.seeded(0, 0, 3, 30, 20));
        s = Float64Reference.iterate(op, s, 80);
        double[] sigma = Float64Reference.sigma(op, s);
        for (int j = 0; j < 3; j++) {
            assertEquals(k.exact().values[j], sigma[j], 1e-12 * k.exact().values[0], "σ" + (j + 1));
        }
    }

    @Test
    void sripReferenceEstimatesSigmaOfGFromBelow() {
        Dense w = Dense.of(TestMatrices.gaussian(32, 1, 12, 20, 0.3).toArray(), 0, 12, 20);
        double sigmaG = JacobiSvd.values(Float64Reference.gramMatrix(w))[0];
        double fresh = Float64Reference.sripFresh(w, 0, 1).value();
        assertTrue(fresh <= sigmaG * (1 + 1e-12) && fresh > 0, fresh + " ≤ σ(G) = " + sigmaG);
        Float64Reference.Operator g = Float64Reference.gram(w);
        Float64Reference.Vectors s = Float64Reference.iterate(
                g, Float64Reference.initialize(g, Float64Reference.seeded(0, 0, 1, 12, 12)), 500);
        assertEquals(sigmaG, Float64Reference.sigma(g, s)[0], 1e-9 * sigmaG);
    }

    @Test
    void normalizeFollowsTheEpsAndZeroRules() {
        double[] kept = {0.6, 0.8};
        assertEquals(Arrays.toString(kept), Arrays.toString(Float64Reference.normalize(new double[2], kept)));
        double[] tiny = Float64Reference.normalize(new double[] {3e-14, 4e-14}, kept);
        assertEquals(0.05, Dense.norm2(tiny), 1e-9, "below eps: x / eps");
        assertEquals(1, Dense.norm2(Float64Reference.normalize(new double[] {3e30, 4e30}, kept)), 1e-15);
    }

    @Test
    void softForTallAndWideDiffersByTheConstant() {
        Dense w = Dense.of(TestMatrices.gaussian(33, 1, 9, 4, 0.5).toArray(), 0, 9, 4);
        double big = Float64Reference.penalty(Penalty.SOFT, w, 1).value();
        double small = Float64Reference.penalty(Penalty.SOFT, w.transpose(), 1).value();
        assertEquals(9 - 4, big - small, 1e-12 * big, "‖WWᵀ − Iₘ‖² − ‖WᵀW − Iₙ‖² = m − n");
        assertEquals(
                big + small, Float64Reference.penalty(Penalty.DOUBLE_SOFT, w, 1).value(), 1e-12 * big);
    }

    @Test
    void seededVectorsAreUnitAndReproducible() {
        Float64Reference.Vectors a = Float64Reference.seeded(3, 4, 2, 7, 5);
        Float64Reference.Vectors b = Float64Reference.seeded(3, 4, 2, 7, 5);
        for (int j = 0; j < 2; j++) {
            assertEquals(1, Dense.norm2(a.u[j]), 1e-6);
            assertEquals(1, Dense.norm2(a.v[j]), 1e-6);
            assertEquals(Arrays.toString(a.u[j]), Arrays.toString(b.u[j]));
        }
    }

    private static double[] unit(float[] x) {
        double[] d = Dense.vector(x, 0, x.length);
        double n = Dense.norm2(d);
        for (int i = 0; i < d.length; i++) {
            d[i] /= n;
        }
        return d;
    }
}
