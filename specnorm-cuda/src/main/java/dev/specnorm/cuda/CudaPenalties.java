package dev.specnorm.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.spi.GramPenalty;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.cuda.CudaPowerSweep.Launched;
import dev.specnorm.cuda.Workspace.Slot;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * The penalties of SPEC.md on the GPU, with their gradients (A = WWᵀ, β the strength):
 * <ul>
 *   <li>Gram penalties, the Gram matrix and the gradient's product by {@code cublasSgemmStridedBatched},
 *       the penalty and the gradient's multiplier M in place of the Gram matrix ({@code gram_rows},
 *       {@code gram_sum}): biggan β‖A ⊙ (1 − I)‖²_F with 4β(A ⊙ (1 − I))W; soft β‖A − I‖²_F with
 *       4β(A − I)W (a tall W through WᵀW, the value corrected by m − n); double-soft
 *       β(‖WWᵀ − Iₘ‖²_F + ‖WᵀW − Iₙ‖²_F) = β(2‖G − I‖²_F + |m − n|) with 8β(WWᵀW − W); l1 βΣᵢⱼ|(A − I)ᵢⱼ|
 *       with 2β sign(A − I)W;</li>
 *   <li>the spectral-norm regularizer λσ̂² with 2λσ̂ u vᵀ, and SRIP β uᵀGv with its rank-two gradient,
 *       after a {@link CudaPowerSweep} ({@code fill_coefficients}, then {@code rank_update}).</li>
 * </ul>
 * Used under the device lock.
 */
final class CudaPenalties {

    private final CudaDevice device;
    private final CudaBlas blas;
    private final CudaPowerSweep sweep;

    CudaPenalties(CudaDevice device, CudaBlas blas, CudaPowerSweep sweep) {
        this.device = device;
        this.blas = blas;
        this.sweep = sweep;
    }

    /**
     * The Gram penalty {@code penalty} (biggan, soft, double-soft, l1) of every matrix, and into
     * {@code gradient} (unless null) its gradient.
     */
    double[] orthogonalPenalty(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
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
        };
        double coefficient = penalty.gradientCoefficient(beta);
        for (int e = 0; e < w.entries(); e++) {
            BatchShape sh = w.shape(e);
            int m = sh.rows();
            int n = sh.cols();
            int batch = sh.batch();
            boolean right = penalty.usesColumnGram(m, n);
            int r = right ? n : m;
            long rr = (long) r * r;
            CUdeviceptr gram = ws.floats(Slot.GRAM, rr * batch);
            CUdeviceptr x = w.pointer(e);
            long mn = sh.matrixSize();
            if (right) {
                blas.gemm(
                        CUBLAS_OP_N,
                        CUBLAS_OP_T,
                        n,
                        n,
                        m,
                        1f,
                        x,
                        n,
                        mn,
                        x,
                        n,
                        mn,
                        gram,
                        n,
                        rr,
                        batch,
                        "the Gram matrix WᵀW");
            } else {
                blas.gemm(
                        CUBLAS_OP_T,
                        CUBLAS_OP_N,
                        m,
                        m,
                        n,
                        1f,
                        x,
                        n,
                        mn,
                        x,
                        n,
                        mn,
                        gram,
                        m,
                        rr,
                        batch,
                        "the Gram matrix WWᵀ");
            }
            int extra = penalty.identityExcess(m, n);
            long rows = (long) batch * r;
            CUdeviceptr partial = ws.doubles(Slot.ROW_SUMS, rows);
            device.kernels().gramRows(rows, r, w.first(e), code, gram, partial, flags);
            device.kernels()
                    .gramSum(batch, r, w.first(e), penalty == GramPenalty.DOUBLE_SOFT ? 1 : 0, extra, partial, loss);
            if (o != null) {
                if (right) {
                    blas.gemm(
                            CUBLAS_OP_N,
                            CUBLAS_OP_N,
                            n,
                            m,
                            n,
                            (float) coefficient,
                            gram,
                            n,
                            rr,
                            x,
                            n,
                            mn,
                            o.pointer(e),
                            n,
                            mn,
                            batch,
                            "the penalty gradient W·M");
                } else {
                    blas.gemm(
                            CUBLAS_OP_N,
                            CUBLAS_OP_N,
                            n,
                            m,
                            m,
                            (float) coefficient,
                            x,
                            n,
                            mn,
                            gram,
                            m,
                            rr,
                            o.pointer(e),
                            n,
                            mn,
                            batch,
                            "the penalty gradient M·W");
                }
                device.kernels().finishOutput(sh.elementCount(), sh.matrixSize(), w.first(e), o.pointer(e), 1, flags);
            }
        }
        double[] sums = device.downloadDoubles(loss, count);
        int[] f = device.downloadInts(flags, count);
        double[] values = new double[count];
        for (int k = 0; k < count; k++) {
            if ((f[k] & 4) != 0) {
                throw ResultChecks.nonFinite(
                        k, penalty.cliName() + ": a Gram diagonal entry is not finite", w.finite(k));
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
        return values;
    }

    /** R = λσ̂², and into {@code gradient} (unless null) 2λσ̂ u vᵀ, after {@code iterations} iterations. */
    PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            CudaPowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient) {
        double[] loss = new double[state.layout().matrices()];
        sweep.iterate(weights, state, iterations, false, (it, w) -> {
            DeviceOperands o = DeviceOperands.output(device, gradient, Slot.OUTPUTS);
            int[] f = null;
            if (o != null) {
                CUdeviceptr coef = device.workspace().doubles(Slot.COEFFICIENTS, w.count());
                device.kernels().fillCoefficients(w.count(), 1, it.sigma, it.vectors, lambda, coef);
                CUdeviceptr flags = device.workspace().zeroedInts(Slot.FLAGS, w.count());
                for (int e = 0; e < w.entries(); e++) {
                    BatchShape sh = w.shape(e);
                    int k0 = w.first(e);
                    device.kernels()
                            .rankUpdate(
                                    sh.elementCount(),
                                    sh.cols(),
                                    sh.matrixSize(),
                                    k0,
                                    null,
                                    null,
                                    coef,
                                    it.u(k0),
                                    it.v(k0),
                                    null,
                                    null,
                                    it.vectors * sh.rows(),
                                    it.vectors * sh.cols(),
                                    o.pointer(e),
                                    flags);
                }
                f = device.downloadInts(flags, w.count());
            }
            int[] flags = f;
            return new Launched(
                    k -> {
                        float s = it.sigmaHost[k * it.vectors];
                        loss[k] = (double) lambda * s * s;
                        ResultChecks.toFloat(k, loss[k], "spectral regularizer", () -> w.finite(k));
                        if (flags != null && (flags[k] & 1) != 0) {
                            throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "regularizer gradient"), w.finite(k));
                        }
                    },
                    o);
        });
        return ResultChecks.penaltyFromTerms(loss);
    }

    /**
     * R = β uᵀGv with G the smaller Gram minus I, and into {@code gradient} (unless null) β(u vᵀ + v uᵀ)W
     * (m ≤ n, G = WWᵀ − Iₘ) or βW(u vᵀ + v uᵀ) (m &gt; n, G = WᵀW − Iₙ), after {@code iterations} iterations
     * on G.
     */
    PenaltyResult srip(
            List<? extends Matrices> weights,
            CudaPowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient) {
        double[] loss = new double[state.layout().matrices()];
        sweep.iterate(weights, state, iterations, false, (it, w) -> {
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
                        blas.adjoint(w, e, it.v(k0), stride, xe, n, 0f);
                        blas.adjoint(w, e, it.u(k0), stride, ye, n, 0f);
                        a = it.u(k0);
                        c = it.v(k0);
                        b = xe;
                        d = ye;
                        aStride = stride;
                        bStride = n;
                    } else {
                        blas.forward(w, e, it.u(k0), stride, xe, m, 0f);
                        blas.forward(w, e, it.v(k0), stride, ye, m, 0f);
                        a = xe;
                        c = ye;
                        b = it.v(k0);
                        d = it.u(k0);
                        aStride = m;
                        bStride = stride;
                    }
                    device.kernels()
                            .rankUpdate(
                                    sh.elementCount(),
                                    n,
                                    sh.matrixSize(),
                                    k0,
                                    null,
                                    null,
                                    coef,
                                    a,
                                    b,
                                    c,
                                    d,
                                    aStride,
                                    bStride,
                                    o.pointer(e),
                                    flags);
                }
                f = device.downloadInts(flags, w.count());
            }
            int[] flags = f;
            return new Launched(
                    k -> {
                        loss[k] = (double) beta * it.sigmaHost[k * it.vectors];
                        ResultChecks.toFloat(k, loss[k], "srip loss", () -> w.finite(k));
                        if (flags != null && (flags[k] & 1) != 0) {
                            throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "srip gradient"), w.finite(k));
                        }
                    },
                    o);
        });
        return ResultChecks.penaltyFromTerms(loss);
    }
}
