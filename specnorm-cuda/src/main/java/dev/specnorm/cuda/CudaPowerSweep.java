package dev.specnorm.cuda;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.cuda.Workspace.Slot;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * Power iteration (SPEC.md "Spectral norm"; Miyato et al. 2018, Algorithm 1) on every matrix of a call at
 * once, and the spectral-normalization forward. One iteration for vector j = 1..k of each matrix:
 * v_j ← normalize(Aᵀu_j minus its projections on v_1..v_{j−1}), then u_j ← normalize(A v_j minus its
 * projections on u_1..u_{j−1}), σ̂_j = u_jᵀ A v_j, where A = W, or for SRIP the smaller Gram
 * G = WWᵀ − Iₘ (m ≤ n) or WᵀW − Iₙ applied as two products, never formed. With 0 iterations σ̂_j is
 * evaluated with the stored vectors. Normalization: Ŵ = W / max(σ̂₁, eps).
 *
 * <p>Per batch of the list, each half-step is one strided-batched GEMV ({@link CudaBlas}); then one
 * {@code deflate_store} launch normalizes (and deflates) the vectors of all matrices. The sweep works on
 * the state's second buffer; σ̂ and the follow-up work's results are checked on the host matrix by matrix,
 * and the state is committed only when every matrix passed. Used under the device lock.
 */
final class CudaPowerSweep {

    private final CudaDevice device;
    private final CudaBlas blas;

    CudaPowerSweep(CudaDevice device, CudaBlas blas) {
        this.device = device;
        this.blas = blas;
    }

    /** Sets up the state of every matrix: the v half-step from the stored u, then {@code warmup} iterations. */
    void initialize(List<? extends Matrices> weights, CudaPowerState state, int warmup) {
        iterate(weights, state, warmup, true, null);
    }

    /** σ̂ of every matrix (vectors·matrices values, matrix-major) after {@code iterations} iterations. */
    float[] powerIteration(List<? extends Matrices> weights, CudaPowerState state, int iterations) {
        return iterate(weights, state, iterations, false, null);
    }

    /** Ŵ = W / max(σ̂₁, eps) into {@code out} ({@code scale_by_sigma}), after {@code iterations} iterations; σ̂. */
    float[] normalize(
            List<? extends Matrices> weights, CudaPowerState state, int iterations, List<? extends Matrices> out) {
        return iterate(weights, state, iterations, false, (it, w) -> {
            DeviceOperands o = DeviceOperands.output(device, out, Slot.OUTPUTS);
            CUdeviceptr flags = device.workspace().zeroedInts(Slot.FLAGS, w.count());
            for (int e = 0; e < w.entries(); e++) {
                BatchShape s = w.shape(e);
                device.kernels()
                        .scaleBySigma(
                                s.elementCount(),
                                s.matrixSize(),
                                w.pointer(e),
                                o.pointer(e),
                                it.sigma,
                                it.vectors,
                                w.first(e),
                                flags);
            }
            int[] f = device.downloadInts(flags, w.count());
            return new Launched(
                    k -> {
                        if ((f[k] & 1) != 0) {
                            throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "Ŵ"), w.finite(k));
                        }
                    },
                    o);
        });
    }

    /** The vectors and σ̂ of an iteration, for the work that follows it. */
    static final class Iterated {
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
    interface After {
        Launched launch(Iterated iterated, DeviceOperands weights);
    }

    /** What {@link After} launched: the check, and the outputs to copy back once every check passed (or null). */
    record Launched(MatrixCheck check, DeviceOperands outputs) {}

    /** A host-side check of matrix k, after σ̂ was checked. */
    interface MatrixCheck {
        void check(int k);
    }

    /**
     * Initializes (when {@code initialize}) and iterates every matrix, launches {@code after} (or null),
     * then checks σ̂ and after's results matrix by matrix (the first failure is thrown), copies host
     * outputs back and commits the new vectors. Returns σ̂ (vectors·matrices values, matrix-major).
     */
    float[] iterate(
            List<? extends Matrices> weights, CudaPowerState state, int iterations, boolean initialize, After after) {
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
        DeviceSigmaEvidence evidence = new DeviceSigmaEvidence(device, w, layout, u, v);
        for (int k = 0; k < count; k++) {
            ResultChecks.checkSigmas(k, sg, k * vectors, vectors, evaluated, gram, w.rows(k), w.cols(k), evidence);
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

        Sweep(
                DeviceOperands w,
                CudaPowerState state,
                CUdeviceptr u,
                CUdeviceptr v,
                CUdeviceptr sigma,
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
                    apply(
                            e,
                            v.withByteOffset(4L * (layout.vOffset(k0) + (long) j * layout.vLength(k0))),
                            vectors * layout.vLength(k0),
                            workU.withByteOffset(4L * state.workU(k0)),
                            layout.uLength(k0),
                            true);
                } else {
                    apply(
                            e,
                            u.withByteOffset(4L * (layout.uOffset(k0) + (long) j * layout.uLength(k0))),
                            vectors * layout.uLength(k0),
                            workV.withByteOffset(4L * state.workV(k0)),
                            layout.vLength(k0),
                            false);
                }
            }
            device.kernels()
                    .deflateStore(
                            w.count(),
                            uSide ? state.uMeta() : state.vMeta(),
                            uSide ? workU : workV,
                            scratch,
                            uSide ? u : v,
                            j,
                            vectors,
                            uSide ? 1 : 0,
                            sigma,
                            failed);
        }

        /** σ̂_j = u_jᵀ A v_j with the stored vectors (0 iterations). */
        void evaluate(int j) {
            for (int e = 0; e < w.entries(); e++) {
                int k0 = w.first(e);
                apply(
                        e,
                        v.withByteOffset(4L * (layout.vOffset(k0) + (long) j * layout.vLength(k0))),
                        vectors * layout.vLength(k0),
                        workU.withByteOffset(4L * state.workU(k0)),
                        layout.uLength(k0),
                        true);
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
                    blas.forward(w, e, x, xStride, y, yStride, 0f);
                } else {
                    blas.adjoint(w, e, x, xStride, y, yStride, 0f);
                }
                return;
            }
            int r = Math.min(s.rows(), s.cols());
            int big = Math.max(s.rows(), s.cols());
            CUdeviceptr t = temp.withByteOffset(4L * tempAt[e]);
            blas.copyVectors(x, xStride, y, yStride, r, s.batch());
            if (s.rows() <= s.cols()) {
                blas.adjoint(w, e, x, xStride, t, big, 0f);
                blas.forward(w, e, t, big, y, yStride, -1f);
            } else {
                blas.forward(w, e, x, xStride, t, big, 0f);
                blas.adjoint(w, e, t, big, y, yStride, -1f);
            }
        }
    }
}
