package dev.specnorm.cuda;

import dev.specnorm.api.StateLayout;
import dev.specnorm.api.spi.SigmaEvidence;
import jcuda.driver.CUdeviceptr;

/**
 * {@link SigmaEvidence} for one call on the device: matrix k of the call's operands, u and v from the state's
 * buffers at the offsets of {@code layout}; each answer downloads what it needs (the checks ask only on a
 * failure or rounding path).
 */
final class DeviceSigmaEvidence implements SigmaEvidence {

    private final CudaDevice device;
    private final DeviceOperands w;
    private final StateLayout layout;
    private final CUdeviceptr u;
    private final CUdeviceptr v;

    /** @param layout the state layout of u and v; layout, u and v may be null where only finiteness is asked */
    DeviceSigmaEvidence(CudaDevice device, DeviceOperands w, StateLayout layout, CUdeviceptr u, CUdeviceptr v) {
        this.device = device;
        this.w = w;
        this.layout = layout;
        this.u = u;
        this.v = v;
    }

    @Override
    public boolean inputIsFinite(int k) {
        return w.finite(k);
    }

    @Override
    public double frobeniusSquared(int k) {
        return sumOfSquares(w.download(k));
    }

    @Override
    public double normU(int k) {
        return Math.sqrt(
                sumOfSquares(device.downloadFloats(u.withByteOffset(4L * layout.uOffset(k)), layout.uLength(k))));
    }

    @Override
    public double normV(int k) {
        return Math.sqrt(
                sumOfSquares(device.downloadFloats(v.withByteOffset(4L * layout.vOffset(k)), layout.vLength(k))));
    }

    private static double sumOfSquares(float[] x) {
        double s = 0;
        for (float f : x) {
            s += (double) f * f;
        }
        return s;
    }
}
