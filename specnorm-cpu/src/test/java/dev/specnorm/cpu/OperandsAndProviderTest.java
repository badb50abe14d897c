package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.spi.BackendProvider;
import dev.specnorm.api.testing.Operands;
import dev.specnorm.api.testing.TestMatrices;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Operand kinds (arrays, offset, direct and read-only buffers, CPU buffers), the provider, AccuracyCheck. */
class OperandsAndProviderTest {

    private static final SpectralBackend CPU = SpectralBackend.forEngine(new CpuEngine(2));

    @AfterAll
    static void close() {
        CPU.close();
    }

    @Test
    void everyOperandKindGivesTheSameResults() {
        MatrixBatch array = TestMatrices.gaussian(60, 3, 12, 7, 0.5);
        BatchShape shape = array.shape();
        float[] w = array.array();
        float[] padded = new float[w.length + 5];
        System.arraycopy(w, 0, padded, 5, w.length);
        MatrixBatch offset = MatrixBatch.of(FloatBuffer.wrap(padded).position(5), 3, 12, 7);
        MatrixBatch direct = Operands.direct(array);
        MatrixBatch readOnly = MatrixBatch.of(FloatBuffer.wrap(w).asReadOnlyBuffer(), 3, 12, 7);
        try (BatchBuffer buffer = CPU.upload(array)) {
            List<?> expected = null;
            for (Object operand : List.of(array, offset, direct, readOnly, buffer)) {
                Matrices m = (Matrices) operand;
                MatrixBatch out = MatrixBatch.zeros(shape);
                PowerState state = CPU.newPowerState(m, PowerOptions.DEFAULT);
                float[] sigma = CPU.normalize(m, state, 1, out);
                PenaltyResult penalty = CPU.orthogonalPenalty(m, Penalty.SOFT, 1f, null);
                List<Object> result = List.of(
                        arrayList(sigma), arrayList(out.array()), penalty.loss(), arrayList(CPU.spectralNorm(m)));
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
        MatrixBatch batch = TestMatrices.gaussian(61, 2, 5, 6, 0.5);
        MatrixBatch expected = MatrixBatch.zeros(batch.shape());
        CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, expected);
        MatrixBatch directOut = Operands.direct(MatrixBatch.zeros(batch.shape()));
        CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, directOut);
        assertArrayEquals(expected.array(), directOut.toArray());
        try (BatchBuffer out = CPU.allocate(batch.shape())) {
            CPU.orthogonalPenalty(batch, Penalty.BIGGAN, 1f, out);
            assertArrayEquals(expected.array(), out.toHost().array());
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
        assertTrue(
                cpu.availability().reason().contains("EJML"), cpu.availability().reason());
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
    void threadPropertySetsTheDefaultEngineAndABadValueIsRefused() {
        String before = System.getProperty(CpuEngine.THREADS_PROPERTY);
        try {
            System.setProperty(CpuEngine.THREADS_PROPERTY, "3");
            assertEquals(3, CpuEngine.defaultThreads());
            try (SpectralBackend backend = Backends.open("cpu")) {
                assertTrue(backend.description().contains(", 3 threads,"), backend.description());
            }
            for (String bad : List.of("0", "-2", "two", "1.5")) {
                System.setProperty(CpuEngine.THREADS_PROPERTY, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CpuEngine::new);
                assertTrue(
                        e.getMessage().contains(CpuEngine.THREADS_PROPERTY)
                                && e.getMessage().contains(bad),
                        e.getMessage());
                assertFalse(new CpuBackendProvider().availability().available());
                BackendUnavailableException u =
                        assertThrows(BackendUnavailableException.class, () -> Backends.open("cpu"));
                assertTrue(u.getMessage().contains(CpuEngine.THREADS_PROPERTY), u.getMessage());
            }
            System.clearProperty(CpuEngine.THREADS_PROPERTY);
            assertEquals(Runtime.getRuntime().availableProcessors(), CpuEngine.defaultThreads());
        } finally {
            if (before == null) {
                System.clearProperty(CpuEngine.THREADS_PROPERTY);
            } else {
                System.setProperty(CpuEngine.THREADS_PROPERTY, before);
            }
        }
    }

    private static List<Float> arrayList(float[] x) {
        List<Float> list = new ArrayList<>(x.length);
        for (float f : x) {
            list.add(f);
        }
        return list;
    }
}
