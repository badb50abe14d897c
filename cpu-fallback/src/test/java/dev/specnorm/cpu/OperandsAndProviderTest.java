package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Backends;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.spi.BackendProvider;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Operand kinds (arrays, direct and read-only buffers, CPU buffers), concurrency, the provider, AccuracyCheck. */
class OperandsAndProviderTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void everyOperandKindGivesTheSameResults() {
        Random random = new Random(60);
        BatchShape shape = new BatchShape(3, 12, 7);
        float[] w = Ref.gaussian(shape.elementCount(), 1, 0.5, random);
        float[] padded = new float[w.length + 5];
        System.arraycopy(w, 0, padded, 5, w.length);
        MatrixBatch array = MatrixBatch.of(w, 3, 12, 7);
        MatrixBatch offset = MatrixBatch.of(FloatBuffer.wrap(padded).position(5), 3, 12, 7);
        MatrixBatch direct = MatrixBatch.of(directCopy(w), 3, 12, 7);
        MatrixBatch readOnly = MatrixBatch.of(FloatBuffer.wrap(w).asReadOnlyBuffer(), 3, 12, 7);
        try (BatchBuffer buffer = CPU.upload(array)) {
            List<?> expected = null;
            for (Object operand : List.of(array, offset, direct, readOnly, buffer)) {
                dev.specnorm.api.Matrices m = (dev.specnorm.api.Matrices) operand;
                MatrixBatch out = MatrixBatch.zeros(shape);
                PowerState state = CPU.newPowerState(m, PowerOptions.DEFAULT);
                float[] sigma = CPU.normalize(m, state, 1, out);
                PenaltyResult penalty = CPU.orthogonalPenalty(m, Penalty.SOFT, 1f, null);
                List<Object> result = List.of(arrayList(sigma), arrayList(out.array()), penalty.loss(),
                        arrayList(CPU.spectralNorm(m)));
                if (expected == null) {
                    expected = result;
                } else {
                    assertEquals(expected, result, operand.toString());
                }
            }
        }
    }

    @Test
    void outputsAreWrittenBackToDirectBuffersAndCpuBuffers() {
        Random random = new Random(61);
        float[] w = Ref.gaussian(2 * 5 * 6, 1, 0.5, random);
        MatrixBatch batch = MatrixBatch.of(w, 2, 5, 6);
        MatrixBatch expected = MatrixBatch.zeros(batch.shape());
        CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, expected);
        FloatBuffer directOut = ByteBuffer.allocateDirect(4 * 60).order(ByteOrder.nativeOrder()).asFloatBuffer();
        CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, MatrixBatch.of(directOut, 2, 5, 6));
        float[] got = new float[60];
        directOut.get(0, got);
        assertArrayEquals(expected.array(), got);
        try (BatchBuffer out = CPU.allocate(batch.shape())) {
            CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, out);
            assertArrayEquals(expected.array(), out.toHost().array());
        }
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        Random random = new Random(62);
        List<MatrixBatch> batches = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            MatrixBatch b = MatrixBatch.of(Ref.gaussian(4 * 30 * 20, 1, 1, random), 4, 30, 20);
            batches.add(b);
            expected.add(CPU.powerIteration(b, CPU.newPowerState(b, PowerOptions.DEFAULT), 3));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int rep = 0; rep < 4; rep++) {
                for (MatrixBatch b : batches) {
                    futures.add(pool.submit(() -> CPU.powerIteration(b, CPU.newPowerState(b, PowerOptions.DEFAULT), 3)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertArrayEquals(expected.get(i % 8), futures.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void providerIsAlwaysAvailableAndFoundByServiceLoader() {
        BackendProvider cpu = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals("cpu")) {
                cpu = p;
            }
        }
        assertTrue(cpu instanceof CpuBackendProvider);
        assertEquals(100, cpu.priority());
        assertTrue(cpu.availability().available());
        assertTrue(cpu.availability().reason().contains("EJML"), cpu.availability().reason());
        try (SpectralBackend backend = Backends.open("cpu")) {
            assertEquals("cpu", backend.name());
            assertEquals(3f, backend.spectralNorm(new float[] {3, 0, 0, 1}, 2, 2), 1e-6f);
        }
        CpuEngine engine = new CpuEngine(1);
        engine.close();
        engine.close();
        assertThrows(IllegalStateException.class, () -> engine.allocate(BatchShape.matrix(1, 1)));
        assertThrows(UnsupportedOperationException.class, () -> CPU.wrapDevice(1, BatchShape.matrix(1, 1), 0));
    }

    @Test
    void accuracyCheckReportsErrorsAndTheUpperBound() {
        Random random = new Random(63);
        float[] w = Ref.withSpectrum(20, 30, new double[] {5, 1}, random);
        float[] two = new float[1200];
        System.arraycopy(w, 0, two, 0, 600);
        System.arraycopy(w, 0, two, 600, 600);
        float exact = (float) Ref.singularValues(w, 0, 20, 30)[0];
        AccuracyCheck.Report report = AccuracyCheck.check(List.of(MatrixBatch.of(two, 2, 20, 30)),
                new float[] {exact * 0.99f, exact * 1.01f});
        assertEquals(2, report.rows().size());
        AccuracyCheck.Row low = report.rows().get(0);
        assertEquals(exact, low.exact(), 1e-5 * exact);
        assertEquals(0.01, low.relativeError(), 1e-5);
        assertEquals(0.01 * exact, low.absoluteError(), 1e-4 * exact);
        assertTrue(low.withinUpperBound());
        assertFalse(report.rows().get(1).withinUpperBound());
        assertFalse(report.allWithinUpperBound());
        assertEquals(0.01, report.maxRelativeError(), 1e-5);
        assertEquals(0.01, report.medianRelativeError(), 1e-5);
        AccuracyCheck.Report zero = AccuracyCheck.compare(new float[] {0, 1, 2}, new float[] {0, 0, 2});
        assertEquals(0, zero.rows().get(0).relativeError());
        assertEquals(Double.POSITIVE_INFINITY, zero.rows().get(1).relativeError());
        assertEquals(0, zero.medianRelativeError());
        assertThrows(IllegalArgumentException.class,
                () -> AccuracyCheck.check(List.of(MatrixBatch.of(two, 2, 20, 30)), new float[1]));
    }

    private static FloatBuffer directCopy(float[] w) {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * w.length).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(w).flip();
        return b;
    }

    private static List<Float> arrayList(float[] x) {
        List<Float> list = new ArrayList<>(x.length);
        for (float f : x) {
            list.add(f);
        }
        return list;
    }
}
