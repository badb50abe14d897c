package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;

import dev.specnorm.api.PowerState;
import dev.specnorm.api.StateLayout;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;

/**
 * Power-iteration state resident on the GPU: u and v of every matrix in {@link StateLayout}'s layout,
 * double-buffered (an operation iterates on the second pair and {@link #commit()}s only after every
 * matrix succeeded), plus the per-matrix offset tables the kernels read: for the v side
 * (work offset, v offset, v length) and for the u side (work offset, u offset, u length), with work
 * vectors packed matrix after matrix.
 */
final class CudaPowerState extends PowerState {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final CUdeviceptr[] u = new CUdeviceptr[2];
    private final CUdeviceptr[] v = new CUdeviceptr[2];
    private final CUdeviceptr vMeta;
    private final CUdeviceptr uMeta;
    private final int[] workV;
    private final int[] workU;
    private final Cleaner.Cleanable cleanable;
    private int current;

    CudaPowerState(CudaDevice device, StateLayout layout, float[] u0, float[] v0) {
        super(layout, CudaEngine.NAME);
        this.device = device;
        int count = layout.matrices();
        workV = new int[count + 1];
        workU = new int[count + 1];
        int[] vm = new int[3 * count];
        int[] um = new int[3 * count];
        for (int k = 0; k < count; k++) {
            workV[k + 1] = workV[k] + layout.vLength(k);
            workU[k + 1] = workU[k] + layout.uLength(k);
            vm[3 * k] = workV[k];
            vm[3 * k + 1] = layout.vOffset(k);
            vm[3 * k + 2] = layout.vLength(k);
            um[3 * k] = workU[k];
            um[3 * k + 1] = layout.uOffset(k);
            um[3 * k + 2] = layout.uLength(k);
        }
        CUdeviceptr[] all = device.call(() -> {
            CUdeviceptr[] p = new CUdeviceptr[6];
            try {
                for (int i = 0; i < 2; i++) {
                    p[i] = device.allocate(layout.uSize() * 4L, "power-iteration state u");
                    p[2 + i] = device.allocate(layout.vSize() * 4L, "power-iteration state v");
                }
                p[4] = device.allocate(vm.length * 4L, "state tables");
                p[5] = device.allocate(um.length * 4L, "state tables");
                device.upload(FloatBuffer.wrap(u0), p[0]);
                device.upload(FloatBuffer.wrap(v0), p[2]);
                device.upload(vm, p[4]);
                device.upload(um, p[5]);
                return p;
            } catch (RuntimeException e) {
                for (CUdeviceptr q : p) {
                    if (q != null) {
                        CudaDevice.free(q);
                    }
                }
                throw e;
            }
        });
        u[0] = all[0];
        u[1] = all[1];
        v[0] = all[2];
        v[1] = all[3];
        vMeta = all[4];
        uMeta = all[5];
        cleanable = CLEANER.register(this, new Free(device.context(), all));
    }

    /** The committed u of every matrix. */
    CUdeviceptr u() {
        return u[current];
    }

    /** The committed v. */
    CUdeviceptr v() {
        return v[current];
    }

    /** The second u, where an operation iterates before committing. */
    CUdeviceptr nextU() {
        return u[1 - current];
    }

    /** The second v. */
    CUdeviceptr nextV() {
        return v[1 - current];
    }

    /** Makes the second pair the state (after every matrix succeeded). */
    void commit() {
        current = 1 - current;
    }

    /** Per matrix: (work offset, v offset, v length). */
    CUdeviceptr vMeta() {
        return vMeta;
    }

    /** Per matrix: (work offset, u offset, u length). */
    CUdeviceptr uMeta() {
        return uMeta;
    }

    /** Offset of matrix k's v-length work vector; {@code workV(matrices())} is the total. */
    int workV(int k) {
        return workV[k];
    }

    /** Offset of matrix k's u-length work vector. */
    int workU(int k) {
        return workU[k];
    }

    CudaDevice device() {
        return device;
    }

    @Override
    protected void read(float[] uOut, float[] vOut) {
        device.run(() -> {
            if (uOut != null) {
                device.download(u(), FloatBuffer.wrap(uOut));
            }
            if (vOut != null) {
                device.download(v(), FloatBuffer.wrap(vOut));
            }
        });
    }

    @Override
    protected void write(float[] uIn, float[] vIn) {
        device.run(() -> {
            device.upload(FloatBuffer.wrap(uIn), u());
            device.upload(FloatBuffer.wrap(vIn), v());
        });
    }

    @Override
    protected void release() {
        cleanable.clean();
    }

    @SuppressWarnings("ArrayRecordComponent") // the private cleaner action, never compared or hashed
    private record Free(CUcontext context, CUdeviceptr[] pointers) implements Runnable {
        @Override
        public void run() {
            cuCtxSetCurrent(context);
            for (CUdeviceptr p : pointers) {
                CudaDevice.free(p);
            }
        }
    }
}
