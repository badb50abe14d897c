package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.SpectralBackend;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.NormOps_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_FDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whether the pure-Java path beats EJML on its own and Commons Math: four of the CPU workloads
 * written as a Java user would write them with one of those libraries alone, on the same inputs
 * ({@link Inputs}, seed 0) as the library's benchmarks:
 * <ul>
 *   <li>{@code power1024}: one power step v ← Wᵀu/‖Wᵀu‖, u ← Wv/‖Wv‖ on 1024×1024 (EJML
 *       {@code multTransA}/{@code mult} in float32; Commons Math {@code preMultiply}/{@code operate} in
 *       float64 on an {@code Array2DRowRealMatrix});</li>
 *   <li>{@code svd512}: all singular values of 512×512 (EJML's float32 SVD without U, V; Commons Math's
 *       {@code SingularValueDecomposition}, which always forms U and V);</li>
 *   <li>{@code batched32}: the singular values of 4,096 matrices of 32×32, one reused decomposition;</li>
 *   <li>{@code biggan}: β‖WWᵀ ⊙ (1 − I)‖²_F and its gradient 4β(WWᵀ ⊙ (1 − I))W for 512×4608 (EJML
 *       {@code multTransB}/{@code mult}; Commons Math {@code BlockRealMatrix}).</li>
 * </ul>
 * Each setup checks the alternative's result against the library's exact one (σ₁, the penalty) before
 * anything is timed. The library's own figures are the matching benchmarks run with
 * {@code -Dspecnorm.cpu.native=false} ({@code benchmarks/alternatives.sh} runs both).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgs = {Inputs.VECTOR_MODULE},
        jvmArgsAppend = {Inputs.HEAP_MIN, Inputs.HEAP_MAX})
public class AlternativesBenchmark {

    private static final int POWER = 1024;
    private static final int SVD = 512;
    private static final int BATCH = 4096;
    private static final int SMALL = 32;
    private static final int ROWS = 512;
    private static final int COLS = 4608;
    private static final float BETA = 1e-4f;

    /** {@code ejml} or {@code commons-math}. */
    @Param({"ejml", "commons-math"})
    String library;

    private float[] power;
    private float[] svd;
    private float[] batched;
    private float[] penalty;

    private FMatrixRMaj powerF;
    private FMatrixRMaj u;
    private FMatrixRMaj v;
    private RealMatrix powerD;
    private double[] ud;
    private FMatrixRMaj penaltyF;
    private FMatrixRMaj gramF;
    private FMatrixRMaj gradientF;
    private RealMatrix penaltyD;
    private RealMatrix gradientD;

    @Setup(Level.Trial)
    public void setUp() {
        power = Inputs.gaussian(0, POWER * POWER);
        svd = Inputs.gaussian(0, SVD * SVD);
        batched = Inputs.gaussian(0, BATCH * SMALL * SMALL);
        penalty = Inputs.gaussian(0, ROWS * COLS);
        powerF = FMatrixRMaj.wrap(POWER, POWER, power);
        u = new FMatrixRMaj(POWER, 1);
        v = new FMatrixRMaj(POWER, 1);
        CommonOps_FDRM.fill(u, (float) (1 / Math.sqrt(POWER)));
        powerD = new Array2DRowRealMatrix(toDouble(power, POWER, POWER), false);
        ud = new double[POWER];
        Arrays.fill(ud, 1 / Math.sqrt(POWER));
        penaltyF = FMatrixRMaj.wrap(ROWS, COLS, penalty);
        gramF = new FMatrixRMaj(ROWS, ROWS);
        gradientF = new FMatrixRMaj(ROWS, COLS);
        penaltyD = new BlockRealMatrix(toDouble(penalty, ROWS, COLS));
        check();
    }

    /** The alternatives compute what the library computes (σ₁ to 1e-4, the penalty to 1e-3, relative). */
    private void check() {
        try (SpectralBackend backend = Inputs.cpu()) {
            float sigma = backend.spectralNorm(MatrixBatch.of(svd, SVD, SVD))[0];
            double mine = singularValues(svd, 0, SVD)[0];
            require("svd512 sigma_1", mine, sigma, 1e-4);
            float small = backend.spectralNorm(MatrixBatch.of(Arrays.copyOf(batched, SMALL * SMALL), SMALL, SMALL))[0];
            require("batched32 sigma_1", singularValues(batched, 0, SMALL)[0], small, 1e-4);
            float loss = backend.orthogonalPenalty(MatrixBatch.of(penalty, ROWS, COLS), Penalty.BIGGAN, BETA, null)
                    .loss();
            require("biggan loss", biggan(), loss, 1e-3);
        }
    }

    private static void require(String what, double got, double expected, double tolerance) {
        if (!(Math.abs(got - expected) <= tolerance * Math.abs(expected))) {
            throw new IllegalStateException(what + ": alternative " + got + ", specnorm " + expected);
        }
    }

    private static double[][] toDouble(float[] a, int rows, int cols) {
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                d[i][j] = a[i * cols + j];
            }
        }
        return d;
    }

    /** The singular values of the n×n matrix at {@code a[offset...]}, descending, by the chosen library. */
    private double[] singularValues(float[] a, int offset, int n) {
        if (library.equals("ejml")) {
            SingularValueDecomposition_F32<FMatrixRMaj> d = DecompositionFactory_FDRM.svd(n, n, false, false, true);
            float[] copy = Arrays.copyOfRange(a, offset, offset + n * n);
            if (!d.decompose(FMatrixRMaj.wrap(n, n, copy))) {
                throw new IllegalStateException("EJML's SVD failed");
            }
            float[] s = d.getSingularValues();
            double[] out = new double[d.numberOfSingularValues()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s[i];
            }
            Arrays.sort(out);
            for (int i = 0; i < out.length / 2; i++) {
                double t = out[i];
                out[i] = out[out.length - 1 - i];
                out[out.length - 1 - i] = t;
            }
            return out;
        }
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = a[offset + i * n + j];
            }
        }
        return new SingularValueDecomposition(new Array2DRowRealMatrix(m, false)).getSingularValues();
    }

    private double biggan() {
        if (library.equals("ejml")) {
            CommonOps_FDRM.multTransB(penaltyF, penaltyF, gramF);
            for (int i = 0; i < ROWS; i++) {
                gramF.set(i, i, 0f);
            }
            double loss = BETA * (double) NormOps_FDRM.normF(gramF) * NormOps_FDRM.normF(gramF);
            CommonOps_FDRM.mult(4 * BETA, gramF, penaltyF, gradientF);
            return loss;
        }
        RealMatrix a = penaltyD.multiply(penaltyD.transpose());
        for (int i = 0; i < ROWS; i++) {
            a.setEntry(i, i, 0);
        }
        double f = a.getFrobeniusNorm();
        gradientD = a.multiply(penaltyD).scalarMultiply(4 * BETA);
        return BETA * f * f;
    }

    @Benchmark
    public void power1024(Blackhole bh) {
        if (library.equals("ejml")) {
            CommonOps_FDRM.multTransA(powerF, u, v);
            CommonOps_FDRM.divide(v, NormOps_FDRM.normF(v));
            CommonOps_FDRM.mult(powerF, v, u);
            float norm = NormOps_FDRM.normF(u);
            CommonOps_FDRM.divide(u, norm);
            bh.consume(norm);
        } else {
            double[] vd = powerD.preMultiply(ud);
            scale(vd);
            double[] next = powerD.operate(vd);
            bh.consume(scale(next));
            ud = next;
        }
    }

    private static double scale(double[] x) {
        double s = 0;
        for (double e : x) {
            s += e * e;
        }
        double norm = Math.sqrt(s);
        for (int i = 0; i < x.length; i++) {
            x[i] /= norm;
        }
        return norm;
    }

    @Benchmark
    public void svd512(Blackhole bh) {
        bh.consume(singularValues(svd, 0, SVD));
    }

    @Benchmark
    public void batched32(Blackhole bh) {
        if (library.equals("ejml")) {
            SingularValueDecomposition_F32<FMatrixRMaj> d =
                    DecompositionFactory_FDRM.svd(SMALL, SMALL, false, false, true);
            FMatrixRMaj m = new FMatrixRMaj(SMALL, SMALL);
            for (int k = 0; k < BATCH; k++) {
                System.arraycopy(batched, k * SMALL * SMALL, m.data, 0, SMALL * SMALL);
                d.decompose(m);
                bh.consume(d.getSingularValues());
            }
        } else {
            for (int k = 0; k < BATCH; k++) {
                bh.consume(singularValues(batched, k * SMALL * SMALL, SMALL));
            }
        }
    }

    @Benchmark
    public void biggan(Blackhole bh) {
        bh.consume(biggan());
        bh.consume(library.equals("ejml") ? gradientF : gradientD);
    }
}
