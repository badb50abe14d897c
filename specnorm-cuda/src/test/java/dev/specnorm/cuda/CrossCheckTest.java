package dev.specnorm.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.api.testing.Tolerances;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every operation on the CUDA backend against the CPU backend, on fresh random batches of every shape
 * class: tall, wide, square, 1×n, 262,144 3×3 slices, 4,096 32×32 matrices and one 4096×4096 matrix.
 * Both backends are held to SPEC.md's tolerances against float64, so they may differ by twice the
 * tolerance: singular values by 2τσ₁, formulas and gradients by 2·1e-5 of the reference's scale (here the
 * larger of the two results' norms, which for these Gaussian inputs has no cancellation). Stateful
 * operations start both backends from the same imported vectors.
 */
@Tag("gpu")
class CrossCheckTest {

    private static final SpectralBackend CPU = Backends.open("cpu");
    private static final SpectralBackend CUDA = Backends.open("cuda");

    /** A shape class: its name, its shape, and whether the CPU's exact SVD of it is affordable here. */
    private record Case(String name, BatchShape shape, boolean exact) {}

    private static final List<Case> CASES = List.of(
            new Case("tall 300×40", new BatchShape(3, 300, 40), true),
            new Case("wide 40×300", new BatchShape(3, 40, 300), true),
            new Case("square 257×257", new BatchShape(2, 257, 257), true),
            new Case("row 1×500", new BatchShape(4, 1, 500), true),
            new Case("column 500×1", new BatchShape(4, 500, 1), true),
            new Case("slices 262144×3×3", new BatchShape(262_144, 3, 3), true),
            new Case("4096×32×32", new BatchShape(4096, 32, 32), true),
            new Case("single 4096×4096", new BatchShape(1, 4096, 4096), false));

    @AfterAll
    static void close() {
        CUDA.close();
        CPU.close();
    }

    @TestFactory
    Stream<DynamicTest> everyOperationAgreesWithTheCpuBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 20261122L;
        for (Case c : CASES) {
            long s = seed++;
            tests.add(DynamicTest.dynamicTest(c.name(), () -> crossCheck(c, s)));
        }
        return tests.stream();
    }

    private static void crossCheck(Case c, long seed) {
        BatchShape sh = c.shape();
        MatrixBatch w = TestMatrices.gaussian(seed, sh.batch(), sh.rows(), sh.cols(), 1.0);
        List<MatrixBatch> ws = List.of(w);
        int r = Math.min(sh.rows(), sh.cols());
        double tau = 2 * Tolerances.singularValues(r);
        double tol = 2 * Tolerances.GRADIENT;

        if (c.exact()) {
            List<SingularDecomposition> a = CPU.svd(ws, false);
            List<SingularDecomposition> b = CUDA.svd(ws, false);
            for (int k = 0; k < a.size(); k++) {
                float[] x = a.get(k).values();
                float[] y = b.get(k).values();
                for (int i = 0; i < x.length; i++) {
                    assertTrue(
                            Math.abs(x[i] - y[i]) <= tau * x[0],
                            c.name() + ": σ" + (i + 1) + " of matrix " + k + ": cpu " + x[i] + ", cuda " + y[i]);
                }
            }
        }
        if (sh.batch() <= 4) {
            List<LanczosEstimate> a = CPU.lanczos(ws, LanczosOptions.DEFAULT);
            List<LanczosEstimate> b = CUDA.lanczos(ws, LanczosOptions.DEFAULT);
            for (int k = 0; k < a.size(); k++) {
                assertEquals(
                        a.get(k).sigma(), b.get(k).sigma(), tau * a.get(k).sigma(), c.name() + ": Lanczos σ̂ " + k);
            }
        }

        // the same state on both backends: the CPU's seeded, warmed-up vectors
        PowerState seeded = CPU.newPowerState(ws, PowerOptions.DEFAULT.withWarmup(2));
        float[] u = seeded.exportU();
        float[] v = seeded.exportV();
        seeded.close();
        List<BatchShape> shapes = List.of(sh);
        try (PowerState pc = CPU.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, u, v);
                PowerState pg = CUDA.importPowerState(shapes, StateLayout.Operator.MATRIX, 1, u, v)) {
            MatrixBatch oc = MatrixBatch.zeros(sh);
            MatrixBatch og = MatrixBatch.zeros(sh);
            float[] sc = CPU.normalize(ws, pc, 1, List.of(oc));
            float[] sg = CUDA.normalize(ws, pg, 1, List.of(og));
            assertClose(c.name() + ": normalize σ̂", sc, sg, tol);
            assertClose(c.name() + ": Ŵ", oc.toArray(), og.toArray(), tol);
            assertClose(c.name() + ": state u", pc.exportU(), pg.exportU(), tol);

            MatrixBatch g = TestMatrices.gaussian(seed + 1000, sh.batch(), sh.rows(), sh.cols(), 1.0);
            MatrixBatch bc = MatrixBatch.zeros(sh);
            MatrixBatch bg = MatrixBatch.zeros(sh);
            CPU.normalizeBackward(ws, pc, List.of(g), List.of(bc));
            CUDA.normalizeBackward(ws, pg, List.of(g), List.of(bg));
            assertClose(c.name() + ": SN backward", bc.toArray(), bg.toArray(), tol);

            MatrixBatch rc = MatrixBatch.zeros(sh);
            MatrixBatch rg = MatrixBatch.zeros(sh);
            PenaltyResult lc = CPU.spectralRegularizer(ws, pc, 1, 0.5f, List.of(rc));
            PenaltyResult lg = CUDA.spectralRegularizer(ws, pg, 1, 0.5f, List.of(rg));
            assertClose(c.name() + ": regularizer", lc.perMatrix(), lg.perMatrix(), tol);
            assertClose(c.name() + ": regularizer gradient", rc.toArray(), rg.toArray(), tol);
        }

        for (Penalty p : new Penalty[] {Penalty.BIGGAN, Penalty.SOFT, Penalty.DOUBLE_SOFT, Penalty.L1}) {
            if (p == Penalty.L1 && sh.batch() == 1 && r > 1000) {
                continue; // sign(A − I) of a near-zero entry flips between backends: no stable comparison
            }
            MatrixBatch gc = MatrixBatch.zeros(sh);
            MatrixBatch gg = MatrixBatch.zeros(sh);
            PenaltyResult a = CPU.orthogonalPenalty(ws, p, 1e-3f, List.of(gc));
            PenaltyResult b = CUDA.orthogonalPenalty(ws, p, 1e-3f, List.of(gg));
            assertClose(c.name() + ": " + p + " value", a.perMatrix(), b.perMatrix(), tol);
            if (p != Penalty.L1) {
                assertClose(c.name() + ": " + p + " gradient", gc.toArray(), gg.toArray(), tol);
            }
        }

        if (r > 1) {
            PowerState seededGram = CPU.newSripState(ws, PowerOptions.DEFAULT.withWarmup(2));
            float[] gu = seededGram.exportU();
            float[] gv = seededGram.exportV();
            seededGram.close();
            try (PowerState pc = CPU.importPowerState(shapes, StateLayout.Operator.GRAM, 1, gu, gv);
                    PowerState pg = CUDA.importPowerState(shapes, StateLayout.Operator.GRAM, 1, gu, gv)) {
                MatrixBatch gc = MatrixBatch.zeros(sh);
                MatrixBatch gg = MatrixBatch.zeros(sh);
                PenaltyResult a = CPU.srip(ws, pc, 1, 1e-2f, List.of(gc));
                PenaltyResult b = CUDA.srip(ws, pg, 1, 1e-2f, List.of(gg));
                assertClose(c.name() + ": srip value", a.perMatrix(), b.perMatrix(), tol);
                assertClose(c.name() + ": srip gradient", gc.toArray(), gg.toArray(), tol);
            }
        }
    }

    /** ‖a − b‖ ≤ tol·max(‖a‖, ‖b‖), normwise in float64. */
    private static void assertClose(String what, float[] a, float[] b, double tol) {
        assertEquals(a.length, b.length, what + ": length");
        double d = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            d += (x - y) * (x - y);
            na += x * x;
            nb += y * y;
        }
        double scale = Math.sqrt(Math.max(na, nb));
        assertTrue(
                Math.sqrt(d) <= tol * scale,
                what + ": ‖cpu − cuda‖ = " + Math.sqrt(d) + " exceeds " + tol + "·" + scale);
    }
}
