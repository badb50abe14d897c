package dev.specnorm.cuda;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.cuda.Workspace.Slot;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * The spectral-normalization backward (SPEC.md; u, v constants, as in PyTorch and SN-GAN): with
 * G = ∂L/∂Ŵ, σ̂ = uᵀW v and σ̂ &gt; eps, ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ) / σ̂ = G/σ̂ − (⟨G, W⟩/σ̂²) u vᵀ; when
 * σ̂ ≤ eps, ∂L/∂W = G / eps. Per batch t = W v (GEMV) and the rows' ⟨G_r, W_r⟩ ({@code row_dot}); then
 * σ̂, ⟨G, W⟩ and the two coefficients of every matrix ({@code backward_coefficients}); then the update
 * ({@code rank_update}). The state is read, never changed. Used under the device lock.
 */
final class CudaNormalizeBackward {

    private final CudaDevice device;
    private final CudaBlas blas;

    CudaNormalizeBackward(CudaDevice device, CudaBlas blas) {
        this.device = device;
        this.blas = blas;
    }

    /** ∂L/∂W into {@code out} for ∂L/∂Ŵ = {@code gradOutput}, with the state's u, v of the first vector. */
    void backward(
            List<? extends Matrices> weights,
            CudaPowerState s,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        StateLayout layout = s.layout();
        int vectors = layout.vectors();
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
            blas.forward(
                    w,
                    e,
                    s.v().withByteOffset(4L * layout.vOffset(k0)),
                    vectors * sh.cols(),
                    t.withByteOffset(4L * s.workU(k0)),
                    sh.rows(),
                    0f);
            long rows = (long) sh.batch() * sh.rows();
            device.kernels()
                    .rowDot(rows, sh.cols(), g.pointer(e), w.pointer(e), rowSums.withByteOffset(8L * s.workU(k0)));
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
            device.kernels()
                    .rankUpdate(
                            sh.elementCount(),
                            sh.cols(),
                            sh.matrixSize(),
                            k0,
                            g.pointer(e),
                            scale,
                            coef,
                            s.u().withByteOffset(4L * layout.uOffset(k0)),
                            s.v().withByteOffset(4L * layout.vOffset(k0)),
                            null,
                            null,
                            vectors * sh.rows(),
                            vectors * sh.cols(),
                            o.pointer(e),
                            flags);
        }
        float[] sg = device.downloadFloats(sigma, count);
        double[] in = device.downloadDoubles(inner, count);
        int[] f = device.downloadInts(flags, count);
        DeviceSigmaEvidence evidence = new DeviceSigmaEvidence(device, w, null, null, null);
        for (int k = 0; k < count; k++) {
            ResultChecks.checkComputedSigma(k, sg[k], true, evidence);
            if (!Double.isFinite(in[k])) {
                throw ResultChecks.nonFinite(k, "⟨G, W⟩ = " + in[k], g.finite(k));
            }
            if ((f[k] & 1) != 0) {
                throw ResultChecks.nonFinite(k, o.firstNonFinite(k, "∂L/∂W"), g.finite(k));
            }
        }
        o.flush();
    }
}
