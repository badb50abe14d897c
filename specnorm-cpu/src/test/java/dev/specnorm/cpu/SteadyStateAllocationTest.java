package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power iteration in the steady state allocates (almost) nothing but the σ̂ array it returns (issue #16):
 * the engine keeps its call state, participants, workspaces and operand index from call to call. Measured
 * on the calling thread of a single-threaded engine, so the count is deterministic.
 */
class SteadyStateAllocationTest {

    private static final int CALLS = 50;
    /** Calls before measuring: enough for the JIT to compile the kernels (the Vector API allocates until then). */
    private static final int WARMUP = 5000;
    /** The returned σ̂ array (16–24 bytes), the API's one-element operand list, and slack. */
    private static final long BOUND_PER_CALL = 256;

    @ParameterizedTest(name = "{0} iteration(s)")
    @ValueSource(ints = {1, 3})
    void steadyStatePowerIterationAllocatesOnlyItsResult(int iterations) {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "thread allocation counting is not supported");
        if (!mx.isThreadAllocatedMemoryEnabled()) {
            mx.setThreadAllocatedMemoryEnabled(true);
        }
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            MatrixBatch w = MatrixBatch.of(gaussian(64 * 64), 64, 64);
            // rows of 64 floats: JDK 17's Vector API kernels allocate vector boxes on rows a few lanes long
            MatrixBatch small = MatrixBatch.of(gaussian(3 * 5 * 64), 3, 5, 64);
            List<MatrixBatch> list = List.of(w, small);
            try (PowerState one = backend.newPowerState(w, PowerOptions.DEFAULT);
                    PowerState two = backend.newPowerState(list, PowerOptions.DEFAULT)) {
                float checksum = 0;
                for (int i = 0; i < WARMUP; i++) {
                    checksum += backend.powerIteration(w, one, iterations)[0];
                    checksum += backend.powerIteration(list, two, iterations)[0];
                }
                long before = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    checksum += backend.powerIteration(w, one, iterations)[0];
                }
                long afterOne = mx.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < CALLS; i++) {
                    checksum += backend.powerIteration(list, two, iterations)[0];
                }
                long afterList = mx.getCurrentThreadAllocatedBytes();
                long perCallOne = (afterOne - before) / CALLS;
                long perCallList = (afterList - afterOne) / CALLS;
                assertTrue(
                        perCallOne <= BOUND_PER_CALL,
                        "one 64×64 matrix: " + perCallOne + " B per call, bound " + BOUND_PER_CALL);
                assertTrue(
                        perCallList <= BOUND_PER_CALL,
                        "a list of 64×64 and 3 5×64 matrices: " + perCallList + " B per call, bound " + BOUND_PER_CALL);
                assertTrue(Float.isFinite(checksum));
            }
        }
    }

    private static float[] gaussian(int count) {
        Random r = new Random(16);
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }
}
