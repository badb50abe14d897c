package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.testing.TestMatrices;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Backend-owned resources of the CPU backend: closing twice is harmless, every use after close fails with
 * an exception that says "closed", and a soak of {@value #CALLS} small calls — a quarter of whose buffers
 * and states are never closed, to stand for forgotten ones — leaves the heap flat. The soak is a leak
 * detector, not a timing: it measures used heap after {@code System.gc()} at {@value #CHECKPOINTS}
 * checkpoints and fails only on growth far beyond any noise (see {@link #LEAK_BOUND}).
 */
class ResourceSoakTest {

    static final int CALLS = 100_000;
    static final int CHECKPOINTS = 10;
    /** Heap growth from the first checkpoint to the last that counts as a leak: 32 MiB (the work itself holds KiB). */
    static final long LEAK_BOUND = 32L << 20;

    private static final SpectralBackend CPU = Backends.open("cpu");
    /** The penalties the calls take in turn. */
    private static final List<Penalty> PENALTIES = List.of(Penalty.values());

    @AfterAll
    static void close() {
        CPU.close();
    }

    private static void assertClosedUse(String what, Executable call) {
        RuntimeException e = assertThrows(RuntimeException.class, call, what);
        assertTrue(e instanceof IllegalStateException || e instanceof IllegalArgumentException, what + ": " + e);
        assertTrue(
                String.valueOf(e.getMessage()).contains("closed"),
                what + ": the message says closed: " + e.getMessage());
    }

    @Test
    void closeTwiceIsHarmlessAndUseAfterCloseFailsClearly() {
        MatrixBatch w = TestMatrices.gaussian(1, 2, 5, 4, 1);
        BatchBuffer buffer = CPU.upload(w);
        PowerState state = CPU.newPowerState(buffer, PowerOptions.DEFAULT);
        PowerState srip = CPU.newSripState(List.of(w), PowerOptions.DEFAULT);
        float[] u = state.exportU();
        float[] v = state.exportV();
        for (int k = 0; k < 2; k++) {
            assertDoesNotThrow(buffer::close);
            assertDoesNotThrow(state::close);
            assertDoesNotThrow(srip::close);
        }
        assertTrue(buffer.isClosed() && state.isClosed() && srip.isClosed());
        assertTrue(buffer.toString().contains("closed") && state.toString().contains("closed"));
        assertClosedUse("copyFrom", () -> buffer.copyFrom(w));
        assertClosedUse("copyTo", () -> buffer.copyTo(MatrixBatch.zeros(w.shape())));
        assertClosedUse("toHost", buffer::toHost);
        assertClosedUse("requireOpen", buffer::requireOpen);
        assertClosedUse("exportU", state::exportU);
        assertClosedUse("exportV", state::exportV);
        assertClosedUse("importVectors", () -> state.importVectors(u, v));
        assertClosedUse("svd of a closed buffer", () -> CPU.svd(List.of(buffer), true));
        assertClosedUse("spectralNorm of a closed buffer", () -> CPU.spectralNorm(buffer));
        assertClosedUse("newPowerState of a closed buffer", () -> CPU.newPowerState(buffer, PowerOptions.DEFAULT));
        assertClosedUse("powerIteration with a closed state", () -> CPU.powerIteration(w, state, 1));
        assertClosedUse(
                "normalize with a closed state", () -> CPU.normalize(w, state, 1, MatrixBatch.zeros(w.shape())));
        assertClosedUse(
                "normalizeBackward with a closed state",
                () -> CPU.normalizeBackward(w, state, w, MatrixBatch.zeros(w.shape())));
        assertClosedUse(
                "spectralRegularizer with a closed state",
                () -> CPU.spectralRegularizer(List.of(w), state, 1, 1f, null));
        assertClosedUse("srip with a closed state", () -> CPU.srip(List.of(w), srip, 1, 1f, null));
        assertClosedUse("penalty into a closed buffer", () -> CPU.orthogonalPenalty(w, Penalty.SOFT, 1f, buffer));
        // the backend itself still works
        assertEquals(2, CPU.spectralNorm(w).length);
    }

    /** A failing call (NaN) in the middle of a state's life leaves it usable. */
    @Test
    void stateSurvivesFailedCalls() {
        MatrixBatch w = TestMatrices.gaussian(2, 1, 6, 5, 1);
        MatrixBatch bad = TestMatrices.withEntry(w, 0, 3, Float.NaN);
        try (PowerState state = CPU.newPowerState(w, PowerOptions.DEFAULT)) {
            float before = CPU.powerIteration(w, state, 0)[0];
            for (int k = 0; k < 100; k++) {
                assertThrows(NonFiniteValueException.class, () -> CPU.powerIteration(bad, state, 1));
            }
            assertEquals(before, CPU.powerIteration(w, state, 0)[0]);
            assertFalse(state.isClosed());
        }
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, memory.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    void soakOfSmallCallsKeepsTheHeapFlat() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MatrixBatch w = TestMatrices.gaussian(3, 2, 6, 4, 1);
        MatrixBatch bad = TestMatrices.withEntry(w, 1, 2, Float.NaN);
        BatchShape shape = w.shape();
        long[] heap = new long[CHECKPOINTS + 1];
        Assertions.assertTimeoutPreemptively(
                Duration.ofMinutes(5),
                () -> {
                    PowerState state = CPU.newPowerState(w, PowerOptions.DEFAULT);
                    List<MatrixBatch> out = List.of(MatrixBatch.zeros(shape));
                    int per = CALLS / CHECKPOINTS;
                    for (int c = 0; c < CHECKPOINTS; c++) {
                        heap[c] = usedHeapAfterGc(memory);
                        for (int i = 0; i < per; i++) {
                            int call = c * per + i;
                            switch (call % 8) {
                                case 0 -> {
                                    BatchBuffer b = CPU.upload(w);
                                    CPU.spectralNorm(b);
                                    if (call % 32 != 0) {
                                        b.close(); // every fourth buffer is forgotten
                                    }
                                }
                                case 1 -> {
                                    PowerState s = CPU.newPowerState(w, new PowerOptions(call, 2, 1));
                                    if (call % 32 != 1) {
                                        s.close(); // every fourth state is forgotten
                                    }
                                }
                                case 2 -> CPU.powerIteration(w, state, 1);
                                case 3 -> CPU.normalize(List.of(w), state, 1, out);
                                case 4 ->
                                    CPU.orthogonalPenalty(
                                            List.of(w), PENALTIES.get(call % PENALTIES.size()), 1e-3f, out);
                                case 5 -> CPU.singularValues(w);
                                case 6 -> {
                                    try {
                                        CPU.powerIteration(bad, state, 1);
                                    } catch (NonFiniteValueException expected) {
                                        // the failure path must not leak either
                                    }
                                }
                                default -> CPU.lanczos(w);
                            }
                        }
                    }
                    state.close();
                    heap[CHECKPOINTS] = usedHeapAfterGc(memory);
                },
                "hang guard: the soak did not finish");
        StringBuilder trace = new StringBuilder();
        for (long h : heap) {
            trace.append(String.format(" %.1f", h / 1048576.0));
        }
        long growth = heap[CHECKPOINTS] - heap[1];
        assertTrue(
                growth < LEAK_BOUND,
                "used heap after GC grew by " + growth + " bytes over " + CALLS + " calls (MiB at checkpoints:" + trace
                        + ")");
        System.out.println("ResourceSoakTest: " + CALLS + " calls, used heap after GC (MiB) at checkpoints:" + trace);
    }
}
