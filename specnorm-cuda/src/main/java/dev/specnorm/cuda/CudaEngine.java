package dev.specnorm.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Conventions;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.ResultChecks;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.cuda.Workspace.Slot;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;

/**
 * The CUDA engine: every operation of SPEC.md on an NVIDIA GPU, through cuBLAS, cuSOLVER and the
 * backend's own kernels ({@code kernels.cu}):
 * <ul>
 *   <li>power iteration v ← normalize(Wᵀu), u ← normalize(Wv), σ̂ = uᵀWv (Miyato et al. 2018) for every
 *       matrix of the list at once: per batch one {@code cublasSgemvStridedBatched} per half-step, then one
 *       kernel that normalizes (and deflates, for top-k) the vectors of all matrices; for SRIP the operator
 *       G = WWᵀ − I (m ≤ n) or WᵀW − I is applied as two products, never formed;</li>
 *   <li>spectral normalization Ŵ = W/max(σ̂, eps), its backward (G − ⟨G, Ŵ⟩uvᵀ)/σ̂, the regularizer
 *       λσ̂² with 2λσ̂uvᵀ, SRIP β uᵀGv with its rank-two gradient: fused element-wise kernels;</li>
 *   <li>the Gram penalties (biggan, soft, double-soft, l1): the Gram matrix and the gradient's product
 *       with {@code cublasSgemmStridedBatched}, the penalty and its multiplier in one kernel;</li>
 *   <li>exact SVD with cuSOLVER ({@link CudaSvd}); σ₁ by Golub–Kahan–Lanczos ({@link CudaLanczos}).</li>
 * </ul>
 * Power-iteration state stays on the device ({@link CudaPowerState}); a call iterates on its second
 * buffer and commits after every matrix succeeded. Reductions run in a fixed order, so results do not
 * depend on timing, storage (host batch or device buffer) or other callers.
 *
 * <p>Threading: the engine is thread-safe. All its device work runs under one lock (calls from several
 * threads are served one at a time), on the engine's stream or, when an operand was wrapped with the
 * caller's stream ({@link #wrapDevice}), on that stream; each call synchronizes that stream once at its
 * end, so its outputs are complete when it returns.
 */
public final class CudaEngine implements BackendEngine {

    /** The backend name. */
    public static final String NAME = "cuda";

    private static final double EPS = Conventions.EPS;
    /** Matrix–vector products as GEMMs with one column ({@code -Dspecnorm.cuda.gemv=gemm}) instead of GEMV. */
    private static final boolean GEMV_AS_GEMM = "gemm".equals(System.getProperty("specnorm.cuda.gemv", "gemv"));

    private final CudaDevice device;
    private final CudaSvd svd;
    private final CudaLanczos lanczos;

    /**
     * Starts an engine on device {@code ordinal}. The natives must have been loaded
     * ({@link dev.specnorm.cuda.loading.CudaLoader}).
     *
     * @throws CudaOperationException if the device, its context or a library handle cannot be set up
     */
    public CudaEngine(int ordinal) {
        device = new CudaDevice(ordinal);
        svd = new CudaSvd(device);
        lanczos = new CudaLanczos(device);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return device.description();
    }

    /** Kernel launches so far, for benchmarks that count launches per iteration (cuBLAS calls excluded). */
    public long kernelLaunches() {
        return device.kernelLaunches();
    }

    /** The device's free and total memory in bytes ({@code cuMemGetInfo}), for monitoring and soak tests. */
    public long[] deviceMemory() {
        return device.call(() -> {
            long[] free = new long[1];
            long[] total = new long[1];
            Status.driver(jcuda.driver.JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo", "reading device memory");
            return new long[]{free[0], total[0]};
        });
    }

    @Override
    public BatchBuffer allocate(BatchShape shape) {
        return CudaBuffer.allocate(device, shape);
    }

    @Override
    public BatchBuffer wrapDevice(long address, BatchShape shape, long stream) {
        if (address == 0 || address % 4 != 0) {
            throw new IllegalArgumentException("device address 0x" + Long.toHexString(address)
                    + " is null or not aligned to 4 bytes");
        }
        return CudaBuffer.wrap(device, address, shape, stream);
    }

    @Override
    public PowerState createState(StateLayout layout, float[] u, float[] v) {
        return new CudaPowerState(device, layout, u, v);
    }

    // ---------------------------------------------------------------- exact

    @Override
    public List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors) {
        return device.call(callerStream(weights),
                () -> svd.decompose(DeviceOperands.input(device, weights, Slot.WEIGHTS), vectors));
    }

    @Override
    public float[] spectralNorm(List<? extends Matrices> weights) {
        List<SingularDecomposition> all = svd(weights, false);
        float[] sigma = new float[all.size()];
        for (int k = 0; k < sigma.length; k++) {
            sigma[k] = all.get(k).values()[0];
        }
        return sigma;
    }

    @Override
    public List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options) {
        return device.call(callerStream(weights),
                () -> lanczos.estimate(DeviceOperands.input(device, weights, Slot.WEIGHTS), options));
    }

    // ---------------------------------------------------------------- power iteration

    @Override
    public void initialize(List<? extends Matrices> weights, PowerState state, int warmup) {
        iterate(weights, (CudaPowerState) state, warmup, true, null);
    }

    @Override
    public float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations) {
        return iterate(weights, (CudaPowerState) state, iterations, false, null);
    }

    @Override
    public float[] normalize(List<? extends Matrices> weights, PowerState state, int iterations,
                             List<? extends Matrices> out) {
        return iterate(weights, (CudaPowerState) state, iterations, false, (it, w) -> {
            DeviceOperands o = DeviceOperands.output(device, out, Slot.OUTPUTS);
            CUdeviceptr flags = device.workspace().zeroedInts(Slot.FLAGS, w.count());
            for (int e = 0; e < w.entries(); e++) {
                BatchShape s = w.shape(e);
                device.kernels().scaleBySigma(s.elementCount(), s.matrixSize(), w.pointer(e), o.pointer(e), it.sigma,
                        it.vectors, w.first(e), flags);
            }
            int[] f = device.downloadInts(flags, w.count());
            return new Launched(k -> {
                if ((f[k] & 1) != 0) {
                    throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "Ŵ"), w.finite(k));
                }
            }, o);
        }, out);
    }

    @Override
    public void normalizeBackward(List<? extends Matrices> weights, PowerState state,
                                  List<? extends Matrices> gradOutput, List<? extends Matrices> out) {
        CudaPowerState s = (CudaPowerState) state;
        StateLayout layout = s.layout();
        int vectors = layout.vectors();
        device.run(callerStream(weights, gradOutput, out), () -> {
            Workspace ws = device.workspace();
            DeviceOperands w = DeviceOperands.input(device, weights, Slot.WEIGHTS);
            DeviceOperands g = DeviceOperands.input(device, gradOutput, Slot.GRADIENTS);
            DeviceOperands o = DeviceOperands.output(device, out, Slot.OUTPUTS);
            int count = w.count();
            CUdeviceptr t = ws.floats(Slot.RIGHT, s.workU(count));
            CUdeviceptr rowSums = ws.doubles(Slot.ROW_SUMS, s.workU(count));
            for (int e = 0; e < w.entries(); e++) {
                BatchShape sh = w.shape(e);
                int k0 = w.first(e);
                forward(w, e, s.v().withByteOffset(4L * layout.vOffset(k0)), vectors * sh.cols(),
                        t.withByteOffset(4L * s.workU(k0)), sh.rows(), 0f);
                long rows = (long) sh.batch() * sh.rows();
                device.kernels().rowDot(rows, sh.cols(), g.pointer(e), w.pointer(e),
                        rowSums.withByteOffset(8L * s.workU(k0)));
            }
            CUdeviceptr sigma = ws.floats(Slot.SIGMA, count);
            CUdeviceptr inner = ws.doubles(Slot.DOUBLES, count);
            CUdeviceptr scale = ws.floats(Slot.TEMP, count);
            CUdeviceptr coef = ws.doubles(Slot.COEFFICIENTS, count);
            device.kernels().backwardCoefficients(count, s.uMeta(), t, s.u(), rowSums, sigma, inner, scale, coef);
            CUdeviceptr flags = ws.zeroedInts(Slot.FLAGS, count);
            for (int e = 0; e < w.entries(); e++) {
                BatchShape sh = w.shape(e);
                int k0 = w.first(e);
                device.kernels().rankUpdate(sh.elementCount(), sh.cols(), sh.matrixSize(), k0, g.pointer(e), scale, coef,
                        s.u().withByteOffset(4L * layout.uOffset(k0)), s.v().withByteOffset(4L * layout.vOffset(k0)),
                        null, null, vectors * sh.rows(), vectors * sh.cols(), o.pointer(e), flags);
            }
            float[] sg = device.downloadFloats(sigma, count);
            double[] in = device.downloadDoubles(inner, count);
            int[] f = device.downloadInts(flags, count);
            for (int k = 0; k < count; k++) {
                checkSigma(w, k, sg[k], true);
                if (!Double.isFinite(in[k])) {
                    throw ResultChecks.nonFinite(k, "⟨G, W⟩ = " + in[k], g.finite(k));
                }
                if ((f[k] & 1) != 0) {
                    throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "∂L/∂W"), g.finite(k));
                }
            }
            o.flush();
        });
    }

    @Override
    public PenaltyResult spectralRegularizer(List<? extends Matrices> weights, PowerState state, int iterations,
                                             float lambda, List<? extends Matrices> gradient) {
        double[] loss = new double[((CudaPowerState) state).layout().matrices()];
        iterate(weights, (CudaPowerState) state, iterations, false, (it, w) -> {
            DeviceOperands o = DeviceOperands.output(device, gradient, Slot.OUTPUTS);
            int[] f = null;
            if (o != null) {
                CUdeviceptr coef = device.workspace().doubles(Slot.COEFFICIENTS, w.count());
                device.kernels().fillCoefficients(w.count(), 1, it.sigma, it.vectors, lambda, coef);
                CUdeviceptr flags = device.workspace().zeroedInts(Slot.FLAGS, w.count());
                for (int e = 0; e < w.entries(); e++) {
                    BatchShape sh = w.shape(e);
                    int k0 = w.first(e);
                    device.kernels().rankUpdate(sh.elementCount(), sh.cols(), sh.matrixSize(), k0, null, null, coef,
                            it.u(k0), it.v(k0), null, null, it.vectors * sh.rows(), it.vectors * sh.cols(), o.pointer(e),
                            flags);
                }
                f = device.downloadInts(flags, w.count());
            }
            int[] flags = f;
            return new Launched(k -> {
                float s = it.sigmaHost[k * it.vectors];
                loss[k] = (double) lambda * s * s;
                ResultChecks.toFloat(k, loss[k], "spectral regularizer", () -> w.finite(k));
                if (flags != null && (flags[k] & 1) != 0) {
                    throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "regularizer gradient"), w.finite(k));
                }
            }, o);
        }, gradient);
        return PenaltyResult.fromTerms(loss);
    }

    @Override
    public PenaltyResult srip(List<? extends Matrices> weights, PowerState state, int iterations, float beta,
                              List<? extends Matrices> gradient) {
        double[] loss = new double[((CudaPowerState) state).layout().matrices()];
        iterate(weights, (CudaPowerState) state, iterations, false, (it, w) -> {
            DeviceOperands o = DeviceOperands.output(device, gradient, Slot.OUTPUTS);
            int[] f = null;
            if (o != null) {
                Workspace ws = device.workspace();
                long[] at = new long[w.entries() + 1];
                for (int e = 0; e < w.entries(); e++) {
                    BatchShape sh = w.shape(e);
                    at[e + 1] = at[e] + (long) sh.batch() * Math.max(sh.rows(), sh.cols());
                }
                CUdeviceptr x = ws.floats(Slot.LEFT, at[w.entries()]);
                CUdeviceptr y = ws.floats(Slot.TEMP, at[w.entries()]);
                CUdeviceptr coef = ws.doubles(Slot.COEFFICIENTS, w.count());
                device.kernels().fillCoefficients(w.count(), 0, it.sigma, it.vectors, beta, coef);
                CUdeviceptr flags = ws.zeroedInts(Slot.FLAGS, w.count());
                for (int e = 0; e < w.entries(); e++) {
                    BatchShape sh = w.shape(e);
                    int m = sh.rows();
                    int n = sh.cols();
                    int r = Math.min(m, n);
                    int k0 = w.first(e);
                    int stride = it.vectors * r;
                    CUdeviceptr xe = x.withByteOffset(4L * at[e]);
                    CUdeviceptr ye = y.withByteOffset(4L * at[e]);
                    CUdeviceptr a;
                    CUdeviceptr b;
                    CUdeviceptr c;
                    CUdeviceptr d;
                    int aStride;
                    int bStride;
                    if (m <= n) {
                        adjoint(w, e, it.v(k0), stride, xe, n);
                        adjoint(w, e, it.u(k0), stride, ye, n);
                        a = it.u(k0);
                        c = it.v(k0);
                        b = xe;
                        d = ye;
                        aStride = stride;
                        bStride = n;
                    } else {
                        forward(w, e, it.u(k0), stride, xe, m, 0f);
                        forward(w, e, it.v(k0), stride, ye, m, 0f);
                        a = xe;
                        c = ye;
                        b = it.v(k0);
                        d = it.u(k0);
                        aStride = m;
                        bStride = stride;
                    }
                    device.kernels().rankUpdate(sh.elementCount(), n, sh.matrixSize(), k0, null, null, coef, a, b, c, d,
                            aStride, bStride, o.pointer(e), flags);
                }
                f = device.downloadInts(flags, w.count());
            }
            int[] flags = f;
            return new Launched(k -> {
                loss[k] = (double) beta * it.sigmaHost[k * it.vectors];
                ResultChecks.toFloat(k, loss[k], "srip loss", () -> w.finite(k));
                if (flags != null && (flags[k] & 1) != 0) {
                    throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "srip gradient"), w.finite(k));
                }
            }, o);
        }, gradient);
        return PenaltyResult.fromTerms(loss);
    }

    // ---------------------------------------------------------------- penalties

    @Override
    public PenaltyResult orthogonalPenalty(List<? extends Matrices> weights, Penalty penalty, float beta,
                                           List<? extends Matrices> gradient) {
        return device.call(callerStream(weights, gradient), () -> {
            Workspace ws = device.workspace();
            DeviceOperands w = DeviceOperands.input(device, weights, Slot.WEIGHTS);
            DeviceOperands o = DeviceOperands.output(device, gradient, Slot.OUTPUTS);
            int count = w.count();
            CUdeviceptr loss = ws.doubles(Slot.DOUBLES, count);
            CUdeviceptr flags = ws.zeroedInts(Slot.FLAGS, count);
            int code = switch (penalty) {
                case BIGGAN -> 0;
                case SOFT -> 1;
                case DOUBLE_SOFT -> 2;
                case L1 -> 3;
                default -> throw new IllegalArgumentException("not a Gram penalty: " + penalty);
            };
            double coefficient = beta * switch (penalty) {
                case DOUBLE_SOFT -> 8.0;
                case L1 -> 2.0;
                default -> 4.0;
            };
            for (int e = 0; e < w.entries(); e++) {
                BatchShape sh = w.shape(e);
                int m = sh.rows();
                int n = sh.cols();
                int batch = sh.batch();
                boolean right = (penalty == Penalty.SOFT || penalty == Penalty.DOUBLE_SOFT) && m > n;
                int r = right ? n : m;
                long rr = (long) r * r;
                CUdeviceptr gram = ws.floats(Slot.GRAM, rr * batch);
                CUdeviceptr x = w.pointer(e);
                long mn = sh.matrixSize();
                if (right) {
                    gemm(CUBLAS_OP_N, CUBLAS_OP_T, n, n, m, 1f, x, n, mn, x, n, mn, gram, n, rr, batch, "the Gram matrix WᵀW");
                } else {
                    gemm(CUBLAS_OP_T, CUBLAS_OP_N, m, m, n, 1f, x, n, mn, x, n, mn, gram, m, rr, batch, "the Gram matrix WWᵀ");
                }
                int extra = penalty == Penalty.DOUBLE_SOFT ? Math.abs(m - n) : (right ? m - n : 0);
                long rows = (long) batch * r;
                CUdeviceptr partial = ws.doubles(Slot.ROW_SUMS, rows);
                device.kernels().gramRows(rows, r, w.first(e), code, gram, partial, flags);
                device.kernels().gramSum(batch, r, w.first(e), penalty == Penalty.DOUBLE_SOFT ? 1 : 0, extra, partial,
                        loss);
                if (o != null) {
                    if (right) {
                        gemm(CUBLAS_OP_N, CUBLAS_OP_N, n, m, n, (float) coefficient, gram, n, rr, x, n, mn, o.pointer(e), n,
                                mn, batch, "the penalty gradient W·M");
                    } else {
                        gemm(CUBLAS_OP_N, CUBLAS_OP_N, n, m, m, (float) coefficient, x, n, mn, gram, m, rr, o.pointer(e), n,
                                mn, batch, "the penalty gradient M·W");
                    }
                    device.kernels().finishOutput(sh.elementCount(), sh.matrixSize(), w.first(e), o.pointer(e), 1, flags);
                }
            }
            double[] sums = device.downloadDoubles(loss, count);
            int[] f = device.downloadInts(flags, count);
            double[] values = new double[count];
            for (int k = 0; k < count; k++) {
                if ((f[k] & 4) != 0) {
                    throw ResultChecks.nonFinite(k, penalty.cliName() + ": a Gram diagonal entry is not finite",
                            w.finite(k));
                }
                values[k] = beta * sums[k];
                int matrix = k;
                ResultChecks.toFloat(k, values[k], penalty.cliName() + " loss", () -> w.finite(matrix));
                if ((f[k] & 1) != 0) {
                    throw ResultChecks.nonFinite(k, o.firstNonFinite(k, penalty.cliName() + " gradient"), w.finite(k));
                }
            }
            if (o != null) {
                o.flush();
            }
            return PenaltyResult.fromTerms(values);
        });
    }

    // ---------------------------------------------------------------- shared

    /** The vectors and σ̂ of an iteration, for the work that follows it. */
    private static final class Iterated {
        final CudaPowerState state;
        final StateLayout layout;
        final int vectors;
        final CUdeviceptr u;
        final CUdeviceptr v;
        final CUdeviceptr sigma;
        float[] sigmaHost;

        Iterated(CudaPowerState state, CUdeviceptr u, CUdeviceptr v, CUdeviceptr sigma) {
            this.state = state;
            this.layout = state.layout();
            this.vectors = layout.vectors();
            this.u = u;
            this.v = v;
            this.sigma = sigma;
        }

        /** The iterated u vectors of matrix k. */
        CUdeviceptr u(int k) {
            return u.withByteOffset(4L * layout.uOffset(k));
        }

        /** The iterated v vectors of matrix k. */
        CUdeviceptr v(int k) {
            return v.withByteOffset(4L * layout.vOffset(k));
        }
    }

    /** Work launched after the iterations (on the device): its per-matrix host check and its outputs. */
    private interface After {
        Launched launch(Iterated iterated, DeviceOperands weights);
    }

    /** What {@link After} launched: the check, and the outputs to copy back once every check passed (or null). */
    private record Launched(MatrixCheck check, DeviceOperands outputs) {
    }

    /** A host-side check of matrix k, after σ̂ was checked. */
    private interface MatrixCheck {
        void check(int k);
    }

    /**
     * Initializes (when {@code initialize}) and iterates every matrix, launches {@code after}, then checks
     * σ̂ and after's results matrix by matrix (the first failure is thrown), copies host outputs back and
     * commits the new vectors.
     */
    private float[] iterate(List<? extends Matrices> weights, CudaPowerState state, int iterations, boolean initialize,
                            After after) {
        return iterate(weights, state, iterations, initialize, after, null);
    }

    private float[] iterate(List<? extends Matrices> weights, CudaPowerState state, int iterations, boolean initialize,
                            After after, List<? extends Matrices> outputs) {
        return device.call(callerStream(weights, outputs), () -> {
            Workspace ws = device.workspace();
            StateLayout layout = state.layout();
            int vectors = layout.vectors();
            int count = layout.matrices();
            boolean update = initialize || iterations > 0;
            DeviceOperands w = DeviceOperands.input(device, weights, Slot.WEIGHTS);
            CUdeviceptr u = update ? state.nextU() : state.u();
            CUdeviceptr v = update ? state.nextV() : state.v();
            if (update) {
                device.copy(state.u(), u, layout.uSize());
                device.copy(state.v(), v, layout.vSize());
            }
            CUdeviceptr sigma = ws.floats(Slot.SIGMA, (long) count * vectors);
            if (iterations == 0) {
                device.zero(sigma, (long) count * vectors); // otherwise the last half-step writes every σ̂
            }
            CUdeviceptr failed = ws.zeroedInts(Slot.FAILED, count);
            Sweep sweep = new Sweep(w, state, u, v, sigma, failed);
            if (initialize) {
                for (int j = 0; j < vectors; j++) {
                    sweep.halfStep(j, false);
                }
            }
            boolean evaluated = iterations == 0 && !initialize;
            if (evaluated) {
                for (int j = 0; j < vectors; j++) {
                    sweep.evaluate(j);
                }
            }
            for (int it = 0; it < iterations; it++) {
                for (int j = 0; j < vectors; j++) {
                    sweep.halfStep(j, false);
                    sweep.halfStep(j, true);
                }
            }
            Iterated iterated = new Iterated(state, u, v, sigma);
            float[] sg = device.downloadFloats(sigma, count * vectors);
            iterated.sigmaHost = sg;
            boolean gram = layout.operator() == StateLayout.Operator.GRAM;
            for (int k = 0; k < count; k++) {
                int so = k * vectors;
                if (evaluated && sg[so] < 0 && Float.isFinite(sg[so])) {
                    sg[so] = roundingZero(sg[so], gram, w, k, state, u, v);
                }
                for (int j = 0; j < vectors; j++) {
                    checkSigma(w, k, sg[so + j], evaluated && j == 0);
                }
            }
            if (after != null) {
                Launched launched = after.launch(iterated, w);
                for (int k = 0; k < count; k++) {
                    launched.check().check(k);
                }
                if (launched.outputs() != null) {
                    launched.outputs().flush();
                }
            }
            if (update) {
                state.commit();
            }
            return sg;
        });
    }

    /** The power-iteration steps of one call over all matrices. */
    private final class Sweep {
        private final DeviceOperands w;
        private final CudaPowerState state;
        private final StateLayout layout;
        private final CUdeviceptr u;
        private final CUdeviceptr v;
        private final CUdeviceptr sigma;
        private final CUdeviceptr failed;
        private final CUdeviceptr workV;
        private final CUdeviceptr workU;
        private final CUdeviceptr scratch;
        private final CUdeviceptr temp;
        private final long[] tempAt;
        private final boolean gram;
        private final int vectors;

        Sweep(DeviceOperands w, CudaPowerState state, CUdeviceptr u, CUdeviceptr v, CUdeviceptr sigma,
              CUdeviceptr failed) {
            this.w = w;
            this.state = state;
            this.layout = state.layout();
            this.u = u;
            this.v = v;
            this.sigma = sigma;
            this.failed = failed;
            this.vectors = layout.vectors();
            this.gram = layout.operator() == StateLayout.Operator.GRAM;
            Workspace ws = device.workspace();
            int count = w.count();
            workV = ws.floats(Slot.LEFT, state.workV(count));
            workU = ws.floats(Slot.RIGHT, state.workU(count));
            scratch = ws.floats(Slot.SCRATCH, Math.max(state.workV(count), state.workU(count)));
            tempAt = new long[w.entries() + 1];
            for (int e = 0; e < w.entries(); e++) {
                BatchShape s = w.shape(e);
                tempAt[e + 1] = tempAt[e] + (gram ? (long) s.batch() * Math.max(s.rows(), s.cols()) : 0);
            }
            temp = gram ? ws.floats(Slot.TEMP, tempAt[w.entries()]) : null;
        }

        /** Vector j's half-step: v side (x = Aᵀu_j, store v_j) or u side (t = A v_j, store u_j and σ̂_j). */
        void halfStep(int j, boolean uSide) {
            for (int e = 0; e < w.entries(); e++) {
                int k0 = w.first(e);
                if (uSide) {
                    apply(e, v.withByteOffset(4L * (layout.vOffset(k0) + (long) j * layout.vLength(k0))),
                            vectors * layout.vLength(k0), workU.withByteOffset(4L * state.workU(k0)), layout.uLength(k0),
                            true);
                } else {
                    apply(e, u.withByteOffset(4L * (layout.uOffset(k0) + (long) j * layout.uLength(k0))),
                            vectors * layout.uLength(k0), workV.withByteOffset(4L * state.workV(k0)), layout.vLength(k0),
                            false);
                }
            }
            device.kernels().deflateStore(w.count(), uSide ? state.uMeta() : state.vMeta(), uSide ? workU : workV,
                    scratch, uSide ? u : v, j, vectors, uSide ? 1 : 0, sigma, failed);
        }

        /** σ̂_j = u_jᵀ A v_j with the stored vectors (0 iterations). */
        void evaluate(int j) {
            for (int e = 0; e < w.entries(); e++) {
                int k0 = w.first(e);
                apply(e, v.withByteOffset(4L * (layout.vOffset(k0) + (long) j * layout.vLength(k0))),
                        vectors * layout.vLength(k0), workU.withByteOffset(4L * state.workU(k0)), layout.uLength(k0), true);
            }
            device.kernels().evaluateSigma(w.count(), state.uMeta(), workU, u, j, vectors, sigma);
        }

        /**
         * y = A x (forward) or Aᵀ x for every matrix of batch e; x steps by xStride floats per matrix, y by
         * yStride. A = W, or G = WWᵀ − I (m ≤ n) / WᵀW − I (symmetric, both directions alike).
         */
        private void apply(int e, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, boolean forward) {
            BatchShape s = w.shape(e);
            if (!gram) {
                if (forward) {
                    CudaEngine.this.forward(w, e, x, xStride, y, yStride, 0f);
                } else {
                    adjoint(w, e, x, xStride, y, yStride);
                }
                return;
            }
            int r = Math.min(s.rows(), s.cols());
            int big = Math.max(s.rows(), s.cols());
            CUdeviceptr t = temp.withByteOffset(4L * tempAt[e]);
            copyVectors(x, xStride, y, yStride, r, s.batch());
            if (s.rows() <= s.cols()) {
                adjoint(w, e, x, xStride, t, big);
                CudaEngine.this.forward(w, e, t, big, y, yStride, -1f);
            } else {
                CudaEngine.this.forward(w, e, x, xStride, t, big, 0f);
                gemv(CUBLAS_OP_N, s, t, big, y, yStride, -1f, w.pointer(e));
            }
        }
    }

    /** y = W x + beta·y for every matrix of batch e (x of length n stepping xStride, y of length m stepping yStride). */
    private void forward(DeviceOperands w, int e, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta) {
        gemvT(w.shape(e), x, xStride, y, yStride, beta, w.pointer(e));
    }

    /** y = Wᵀ x for every matrix of batch e (x of length m, y of length n). */
    private void adjoint(DeviceOperands w, int e, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride) {
        gemv(CUBLAS_OP_N, w.shape(e), x, xStride, y, yStride, 0f, w.pointer(e));
    }

    private void gemvT(BatchShape s, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta, CUdeviceptr a) {
        gemv(CUBLAS_OP_T, s, x, xStride, y, yStride, beta, a);
    }

    /**
     * cuBLAS strided-batched GEMV on the column-major view of row-major W (n×m, ld n, that is Wᵀ):
     * OP_N gives Wᵀx, OP_T gives W x.
     */
    private void gemv(int op, BatchShape s, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta,
                      CUdeviceptr a) {
        if (GEMV_AS_GEMM) {
            // the same product as a strided-batched GEMM with one column (C: rows × 1, ldc = rows)
            int rows = op == CUBLAS_OP_N ? s.cols() : s.rows();
            int inner = op == CUBLAS_OP_N ? s.rows() : s.cols();
            Status.cublas(JCublas2.cublasSgemmStridedBatched(device.cublas(), op, CUBLAS_OP_N, rows, 1, inner,
                            Pointer.to(new float[]{1f}), a, s.cols(), s.matrixSize(), x, inner, xStride,
                            Pointer.to(new float[]{beta}), y, rows, yStride, s.batch()),
                    "cublasSgemmStridedBatched", (op == CUBLAS_OP_N ? "Wᵀx" : "W x") + " for batch " + s);
            return;
        }
        Status.cublas(JCublas2.cublasSgemvStridedBatched(device.cublas(), op, s.cols(), s.rows(),
                        Pointer.to(new float[]{1f}), a, s.cols(), s.matrixSize(), x, 1, xStride,
                        Pointer.to(new float[]{beta}), y, 1, yStride, s.batch()),
                "cublasSgemvStridedBatched", (op == CUBLAS_OP_N ? "Wᵀx" : "W x") + " for batch " + s);
    }

    /** Copies `batch` vectors of length len from x (stepping xStride) to y (stepping yStride). */
    private void copyVectors(CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, int len, int batch) {
        Status.cublas(JCublas2.cublasSgeam(device.cublas(), CUBLAS_OP_N, CUBLAS_OP_N, len, batch,
                        Pointer.to(new float[]{1f}), x, xStride, Pointer.to(new float[]{0f}), x, xStride, y, yStride),
                "cublasSgeam", "copying vectors");
    }

    /** C = alpha·op(A)·op(B) for a strided batch (column-major). */
    private void gemm(int opA, int opB, int m, int n, int k, float alpha, CUdeviceptr a, int lda, long strideA,
                      CUdeviceptr b, int ldb, long strideB, CUdeviceptr c, int ldc, long strideC, int batch, String what) {
        Status.cublas(JCublas2.cublasSgemmStridedBatched(device.cublas(), opA, opB, m, n, k, Pointer.to(new float[]{alpha}),
                        a, lda, strideA, b, ldb, strideB, Pointer.to(new float[]{0f}), c, ldc, strideC, batch),
                "cublasSgemmStridedBatched", what);
    }

    /**
     * The stream a call runs on: the caller's stream of the first wrapped buffer among the operands that has
     * one, or null (the engine's stream). Other wrapped buffers are ordered by {@link CudaBuffer#awaitCaller}.
     */
    @SafeVarargs
    private static jcuda.driver.CUstream callerStream(List<? extends Matrices>... lists) {
        for (List<? extends Matrices> list : lists) {
            if (list != null) {
                for (Matrices m : list) {
                    if (m instanceof CudaBuffer b && b.callerStream() != null) {
                        return b.callerStream();
                    }
                }
            }
        }
        return null;
    }

    /** The checks of one σ̂ (SPEC.md): non-finite is bad input or overflow; stale when negative on evaluation. */
    private static void checkSigma(DeviceOperands w, int k, float sigma, boolean stale) {
        if (!Float.isFinite(sigma)) {
            throw ResultChecks.nonFinite(k, "σ̂ = " + sigma, w.finite(k));
        }
        ResultChecks.checkSigma(k, sigma, stale ? 0 : 1);
    }

    /** σ̂, or 0 when its negative value is within the rounding bound of its float32 evaluation. */
    private float roundingZero(float sigma, boolean gram, DeviceOperands w, int k, CudaPowerState state,
                               CUdeviceptr u, CUdeviceptr v) {
        StateLayout layout = state.layout();
        float[] wk = w.download(k);
        float[] uk = device.downloadFloats(u.withByteOffset(4L * layout.uOffset(k)), layout.uLength(k));
        float[] vk = device.downloadFloats(v.withByteOffset(4L * layout.vOffset(k)), layout.vLength(k));
        double frobenius = sumOfSquares(wk);
        double bound = ResultChecks.evaluationRoundingBound(w.rows(k), w.cols(k), Math.sqrt(sumOfSquares(uk)),
                Math.sqrt(sumOfSquares(vk)), gram ? frobenius + 1 : Math.sqrt(frobenius));
        return ResultChecks.zeroWithinRounding(sigma, bound);
    }

    private static double sumOfSquares(float[] x) {
        double s = 0;
        for (float f : x) {
            s += (double) f * f;
        }
        return s;
    }

    @Override
    public void close() {
        device.close();
    }

    @Override
    public String toString() {
        return "CudaEngine[" + description() + "]";
    }
}
