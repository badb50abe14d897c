package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.cuda.loading.CudaLoader;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Zero-copy on the caller's stream: weights the caller is still copying to the device on its own
 * non-blocking stream, wrapped with that stream, are normalized after the copy (stream order), and the
 * result matches the CPU backend on the same host weights.
 */
@Tag("gpu")
class CallerStreamTest {

    @Test
    void workOnWrappedMemoryIsOrderedOnTheCallersStream() {
        assertTrue(
                CudaLoader.load().available(),
                () -> "cuda unavailable: " + CudaLoader.load().reason());
        MatrixBatch host = TestMatrices.gaussian(41, 4, 300, 500, 1.0);
        float[] data = host.toArray();
        CUdevice device = new CUdevice();
        cuDeviceGet(device, 0);
        CUcontext context = new CUcontext();
        cuDevicePrimaryCtxRetain(context, device);
        cuCtxSetCurrent(context);
        CUstream stream = new CUstream();
        cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING);
        CUdeviceptr w = new CUdeviceptr();
        CUdeviceptr out = new CUdeviceptr();
        cuMemAlloc(w, data.length * 4L);
        cuMemAlloc(out, data.length * 4L);
        try (SpectralBackend cuda = Backends.open("cuda");
                SpectralBackend cpu = Backends.open("cpu")) {
            cuMemcpyHtoDAsync(w, Pointer.to(data), data.length * 4L, stream); // still pending on the caller's stream
            try (BatchBuffer wb = CudaMemory.wrap(cuda, w, host.shape(), stream);
                    BatchBuffer ob = CudaMemory.wrap(cuda, out, host.shape(), stream);
                    PowerState gs = cuda.newPowerState(wb, PowerOptions.DEFAULT);
                    PowerState cs = cpu.newPowerState(host, PowerOptions.DEFAULT)) {
                float[] sg = cuda.normalize(wb, gs, 1, ob);
                MatrixBatch expected = MatrixBatch.zeros(host.shape());
                float[] sc = cpu.normalize(host, cs, 1, expected);
                float[] got = ob.toHost().toArray();
                float[] want = expected.toArray();
                double d = 0;
                double n = 0;
                for (int i = 0; i < got.length; i++) {
                    d += (got[i] - want[i]) * (double) (got[i] - want[i]);
                    n += want[i] * (double) want[i];
                }
                assertTrue(
                        Math.sqrt(d) <= 2e-5 * Math.sqrt(n), "Ŵ differs from the CPU backend's by " + Math.sqrt(d / n));
                for (int k = 0; k < sg.length; k++) {
                    assertTrue(
                            Math.abs(sg[k] - sc[k]) <= 2e-5 * sc[k], "σ̂ " + k + ": cuda " + sg[k] + ", cpu " + sc[k]);
                }
            }
        } finally {
            cuCtxSetCurrent(context);
            cuMemFree(w);
            cuMemFree(out);
            cuStreamDestroy(stream);
            cuDevicePrimaryCtxRelease(device);
        }
    }
}
