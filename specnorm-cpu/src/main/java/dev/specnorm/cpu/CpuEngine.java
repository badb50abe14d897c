package dev.specnorm.cpu;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.AbstractEngine;
import dev.specnorm.api.spi.GolubKahanLanczos;
import dev.specnorm.api.spi.GramPenalty;
import dev.specnorm.api.spi.ResultChecks;
import java.util.List;
import org.ejml.EjmlVersion;

/**
 * The CPU engine: every operation of SPEC.md on heap float32 data, in pure Java, with an accelerated path
 * ({@link NativeBlas}: OpenBLAS's sgemm and LAPACK's sgesdd, bundled) for the exact SVD of matrices larger
 * than 8×8 and the GEMMs of the Gram penalties, used when its probe succeeds and
 * {@code -Dspecnorm.cpu.native=false} is not given. Both paths share everything else (the formulas,
 * scaling, checks, canonical order) and meet SPEC.md's tolerances; {@link #path()} says which one runs.
 * <ul>
 *   <li>exact SVD and σ₁: one-sided Jacobi (Hestenes 1958) for matrices up to 8×8, LAPACK or EJML's float64 SVD
 *       otherwise ({@link ExactSvd});</li>
 *   <li>σ₁ by Golub–Kahan–Lanczos bidiagonalization (Golub &amp; Kahan 1965) with full reorthogonalization,
 *       stopping on the residual bound β_k|e_kᵀp₁| ≤ tol·σ̂₁ ({@link GolubKahanLanczos});</li>
 *   <li>power iteration v ← normalize(Wᵀu), u ← normalize(Wv), σ̂ = uᵀWv (Miyato et al. 2018), top-k by
 *       deflation, and on G = smaller Gram − I for SRIP ({@link PowerIteration});</li>
 *   <li>spectral normalization Ŵ = W/max(σ̂, eps) and its backward (G − ⟨G, Ŵ⟩uvᵀ)/σ̂, the regularizer
 *       λσ̂² with gradient 2λσ̂uvᵀ ({@link SpectralNormalization}; Yoshida &amp; Miyato 2017);</li>
 *   <li>the orthogonality penalties biggan, soft, double-soft, l1 (Brock et al. 2017, 2018; Bansal et al.
 *       2018) ({@link GramPenalties}) and SRIP β uᵀGv ({@link Srip}).</li>
 * </ul>
 *
 * <p>Threading: the engine is thread-safe; each call works in its own workspaces (for the power-iteration
 * operations, Lanczos, the normalization backward and the Gram penalties, kept per thread from call to call:
 * {@link PowerCalls}, {@link LanczosCalls}, {@link BackwardCalls}, {@link PenaltyCalls}). The engine that
 * {@code Backends.open("cpu")} starts uses {@link #defaultThreads()} threads: the system property
 * {@value #THREADS_PROPERTY} ({@code -Dspecnorm.cpu.threads=4}, a positive integer) when set, else one per
 * available processor; {@link #CpuEngine(int)} sets the count for an engine made directly. Within a call, the
 * matrices of a batch or list run in parallel on the engine's pool, and a large matrix on its own is split
 * into row blocks (power iteration, normalization) or handed to EJML's multi-threaded kernels (penalties,
 * SVD). Power-iteration state is written to the state's second buffer and committed only after every
 * matrix succeeded; the first failure (lowest matrix index) is thrown.
 */
public final class CpuEngine extends AbstractEngine {

    /** The backend name. */
    public static final String NAME = "cpu";

    /** The system property that sets the thread count of the default engine: a positive integer. */
    public static final String THREADS_PROPERTY = "specnorm.cpu.threads";

    private final CpuThreads threads;
    private final boolean accelerated;
    private final NativePool nativePool = new NativePool();
    private final Staging staging = new Staging();
    private final PowerCalls powerCalls;
    private final LanczosCalls lanczosCalls;
    private final BackwardCalls backwardCalls;
    private final PenaltyCalls penaltyCalls;
    private volatile boolean closed;

    /**
     * An engine with {@link #defaultThreads()} threads.
     *
     * @throws IllegalArgumentException if {@value #THREADS_PROPERTY} is set but not a positive integer
     */
    public CpuEngine() {
        this(defaultThreads());
    }

    /**
     * The thread count of the default engine: {@value #THREADS_PROPERTY} when set, else
     * {@link Runtime#availableProcessors()}.
     *
     * @throws IllegalArgumentException if the property is set but not a positive integer
     */
    public static int defaultThreads() {
        String value = System.getProperty(THREADS_PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int threads = Integer.parseInt(value.trim());
            if (threads >= 1) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        throw new IllegalArgumentException(
                "-D" + THREADS_PROPERTY + " must be a positive integer, got '" + value + "'");
    }

    /**
     * An engine using {@code threads} threads per call (the caller's included).
     *
     * @throws IllegalArgumentException if threads &lt; 1
     */
    public CpuEngine(int threads) {
        this(threads, true);
    }

    /**
     * An engine using {@code threads} threads per call, with the native path when {@code nativeKernels}
     * and {@link NativeBlas} is available (its probe succeeded and {@code -Dspecnorm.cpu.native=false} was
     * not given), else the pure-Java path.
     *
     * @throws IllegalArgumentException if threads &lt; 1
     */
    public CpuEngine(int threads, boolean nativeKernels) {
        super(NAME);
        this.threads = new CpuThreads(threads);
        this.powerCalls = new PowerCalls(this.threads, staging);
        this.lanczosCalls = new LanczosCalls(this.threads, staging);
        this.backwardCalls = new BackwardCalls(this.threads, staging);
        this.accelerated = nativeKernels && NativeBlas.available();
        this.penaltyCalls = new PenaltyCalls(this.threads, staging, accelerated ? nativePool : null);
    }

    /** Whether this engine uses the native kernels. */
    public boolean accelerated() {
        return accelerated;
    }

    /**
     * The CPU path a default engine uses in this JVM, in words: {@code "native OpenBLAS 0.3.31"}, or
     * {@code "pure Java (<why the native path is off>)"}. Probes the native library on first call.
     */
    public static String path() {
        return NativeBlas.available() ? "native " + NativeBlas.version() : "pure Java (" + NativeBlas.reason() + ")";
    }

    @Override
    public String description() {
        return describe(threads.threads(), accelerated);
    }

    /** The heap arrays this engine stages operands in (what a test asks whether anything was staged). */
    Staging staging() {
        return staging;
    }

    /** The description of a default engine with {@code threads} threads. */
    static String describe(int threads) {
        return describe(threads, NativeBlas.available());
    }

    private static String describe(int threads, boolean accelerated) {
        String path = accelerated
                ? "native " + NativeBlas.version() + " (sgemm, sgesdd) + Java "
                        + Runtime.version().feature()
                : "pure Java " + Runtime.version().feature()
                        + (NativeBlas.available() ? "" : " (native path off: " + NativeBlas.reason() + ")");
        return path + ", " + threads + (threads == 1 ? " thread" : " threads") + ", EJML " + EjmlVersion.VERSION;
    }

    @Override
    public BatchBuffer allocate(BatchShape shape) {
        requireOpen();
        return new CpuBuffer(shape, NAME);
    }

    @Override
    public BatchBuffer wrapDevice(long address, BatchShape shape, long stream) {
        throw new UnsupportedOperationException("the cpu backend has no device memory: use MatrixBatch or allocate()");
    }

    @Override
    public PowerState createState(StateLayout layout, float[] u, float[] v) {
        requireOpen();
        return new CpuPowerState(layout, NAME, u, v);
    }

    // ---------------------------------------------------------------- exact

    @Override
    public List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors) {
        requireOpen();
        try (HostBatches w = HostBatches.read(weights, staging).planAlone(threads.threads());
                NativePool.Lease lease = nativePool.lease()) {
            SingularDecomposition[] out = new SingularDecomposition[w.count()];
            threads.forEach(w, alone -> {
                ExactSvd svd = new ExactSvd(alone, accelerated ? lease.take() : null);
                return k -> out[k] = svd.decompose(k, w.data(k), w.offset(k), w.rows(k), w.cols(k), vectors);
            });
            return List.of(out);
        }
    }

    @Override
    public List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options) {
        requireOpen();
        return lanczosCalls.run(weights, options);
    }

    // ---------------------------------------------------------------- power iteration

    @Override
    public void initialize(List<? extends Matrices> weights, PowerState state, int warmup) {
        iterate(weights, (CpuPowerState) state, warmup, true, null);
    }

    @Override
    public float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations) {
        return iterate(weights, (CpuPowerState) state, iterations, false, null);
    }

    @Override
    public float[] normalize(
            List<? extends Matrices> weights, PowerState state, int iterations, List<? extends Matrices> out) {
        requireOpen();
        try (HostBatches o = HostBatches.write(out, staging)) {
            float[] sigma = iterate(
                    weights,
                    (CpuPowerState) state,
                    iterations,
                    false,
                    (k, it, ws, s) -> SpectralNormalization.forward(k, it.passes(), s, o.data(k), o.offset(k)));
            o.flush();
            return sigma;
        }
    }

    @Override
    public void normalizeBackward(
            List<? extends Matrices> weights,
            PowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        requireOpen();
        backwardCalls.run(weights, (CpuPowerState) state, gradOutput, out);
    }

    @Override
    public PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient) {
        requireOpen();
        try (HostBatches o = gradient == null ? null : HostBatches.write(gradient, staging)) {
            double[] loss = new double[((CpuPowerState) state).layout().matrices()];
            iterate(weights, (CpuPowerState) state, iterations, false, (k, it, ws, s) -> {
                MatrixPasses w = it.passes();
                loss[k] = SpectralNormalization.regularizer(
                        k,
                        w,
                        lambda,
                        s,
                        it.u(),
                        it.v(),
                        o == null ? null : o.data(k),
                        o == null ? 0 : o.offset(k),
                        ws.vector(0, w.rows()));
            });
            if (o != null) {
                o.flush();
            }
            return ResultChecks.penaltyFromTerms(loss);
        }
    }

    @Override
    public PenaltyResult srip(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient) {
        requireOpen();
        try (HostBatches o = gradient == null ? null : HostBatches.write(gradient, staging)) {
            double[] loss = new double[((CpuPowerState) state).layout().matrices()];
            iterate(weights, (CpuPowerState) state, iterations, false, (k, it, ws, s) -> {
                MatrixPasses w = it.passes();
                int big = Math.max(w.rows(), w.cols());
                loss[k] = Srip.penalty(
                        k,
                        w,
                        beta,
                        s,
                        it.u(),
                        it.v(),
                        o == null ? null : o.data(k),
                        o == null ? 0 : o.offset(k),
                        ws.vector(0, big),
                        ws.vector(1, big),
                        ws.vector(2, big),
                        ws.vector(3, big));
            });
            if (o != null) {
                o.flush();
            }
            return ResultChecks.penaltyFromTerms(loss);
        }
    }

    // ---------------------------------------------------------------- penalties

    @Override
    protected double[] gramPenaltyTerms(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
        requireOpen();
        return penaltyCalls.run(weights, penalty, beta, gradient);
    }

    // ---------------------------------------------------------------- shared

    /**
     * Iterates (after initializing when {@code initialize}) every matrix on its own participant, checks
     * each σ̂, runs {@code after}, and commits the new vectors once every matrix succeeded; on the engine's
     * reusable {@link PowerCalls}, so that the steady state allocates only the σ̂ returned.
     */
    private float[] iterate(
            List<? extends Matrices> weights,
            CpuPowerState state,
            int iterations,
            boolean initialize,
            PowerCalls.After after) {
        requireOpen();
        return powerCalls.run(weights, state, iterations, initialize, after);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the cpu engine is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            threads.close();
            staging.clear();
            nativePool.close();
        }
    }

    @Override
    public String toString() {
        return "CpuEngine[" + description() + "]";
    }
}
