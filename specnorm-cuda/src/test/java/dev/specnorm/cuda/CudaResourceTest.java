package dev.specnorm.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.cuda.loading.CudaLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device memory under stress on the GPU: running out of device memory is a clear
 * {@link CudaOperationException} that leaves the backend usable; forgotten buffers are reclaimed by the
 * Cleaner; 100,000 calls leave device memory where it was.
 */
@Tag("gpu")
class CudaResourceTest {

    private static CudaEngine engine;
    private static SpectralBackend backend;

    @BeforeAll
    static void open() {
        assertTrue(
                CudaLoader.load().available(),
                () -> "cuda unavailable: " + CudaLoader.load().reason());
        engine = new CudaEngine(0);
        backend = SpectralBackend.forEngine(engine);
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    private static long used() {
        long[] m = engine.deviceMemory();
        return m[1] - m[0];
    }

    @Test
    void outOfMemoryIsAClearExceptionAndTheBackendStaysUsable() {
        List<BatchBuffer> held = new ArrayList<>();
        CudaOperationException failure = null;
        try {
            for (int i = 0; i < 64 && failure == null; i++) {
                try {
                    held.add(backend.allocate(new BatchShape(1, 32768, 32768))); // 4 GiB each
                } catch (CudaOperationException e) {
                    failure = e;
                }
            }
        } finally {
            held.forEach(BatchBuffer::close);
        }
        assertTrue(failure != null, "64 × 4 GiB did not exhaust the device");
        assertTrue(failure.isOutOfMemory(), failure.getMessage());
        assertTrue(
                failure.getMessage().contains("cuMemAlloc")
                        && failure.getMessage().contains("OUT_OF_MEMORY"),
                failure.getMessage());
        MatrixBatch w = TestMatrices.gaussian(7, 64, 48);
        float cpu = Backends.open("cpu").spectralNorm(w)[0];
        float gpu = backend.spectralNorm(w)[0];
        assertTrue(Math.abs(cpu - gpu) <= 1e-5 * cpu, "after OOM: cpu " + cpu + ", cuda " + gpu);
    }

    @Test
    void forgottenBuffersAreReclaimedByTheCleaner() throws InterruptedException {
        long before = used();
        for (int i = 0; i < 200; i++) {
            backend.allocate(new BatchShape(1, 16384, 16384)); // 1 GiB, never closed: 200 GiB in all
            if (i % 20 == 19) {
                System.gc();
                Thread.sleep(50);
            }
        }
        for (int i = 0; i < 20 && used() > before + (2L << 30); i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertTrue(used() <= before + (2L << 30), "device memory in use grew by " + (used() - before) + " bytes");
    }

    @Test
    void hundredThousandCallsLeaveDeviceMemoryFlat() {
        MatrixBatch host = TestMatrices.gaussian(11, 4, 64, 64, 1.0);
        try (BatchBuffer w = backend.upload(host);
                BatchBuffer out = backend.allocate(host.shape());
                PowerState state = backend.newPowerState(w, PowerOptions.DEFAULT)) {
            float[] first = backend.normalize(w, state, 1, out);
            long before = used();
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            float[] last = null;
            for (int i = 0; i < 100_000; i++) {
                last = backend.normalize(w, state, 1, out);
            }
            System.gc();
            long heapAfter = rt.totalMemory() - rt.freeMemory();
            assertTrue(used() <= before + (64L << 20), "device memory grew by " + (used() - before) + " bytes");
            assertTrue(heapAfter <= heapBefore + (64L << 20), "heap grew by " + (heapAfter - heapBefore) + " bytes");
            float[] exact = backend.spectralNorm(w);
            for (int k = 0; k < exact.length; k++) {
                assertTrue(
                        last[k] <= exact[k] * (1 + 1e-6) && last[k] >= exact[k] * (1 - 1e-5),
                        "after 100,000 iterations σ̂ = " + last[k] + ", σ₁ = " + exact[k] + " (first σ̂ " + first[k]
                                + ")");
            }
        }
    }
}
