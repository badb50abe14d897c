package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power iteration and Lanczos in the steady state allocate (almost) nothing but the results they return
 * (issue #16): the engine keeps its call state, participants, workspaces and operand index from call to
 * call. Measured on the calling thread of a single-threaded engine, so the count is deterministic.
 */
class SteadyStateAllocationTest {

    /** Calls per measured window. */
    private static final int CALLS = 20;
    /**
     * Windows measured; the least allocating counts, so that a one-off JIT event (a deoptimized call runs in
     * the interpreter, where the Vector API allocates its vectors) does not, while a per-call allocation
     * shows in every window.
     */
    private static final int WINDOWS = 5;
    /** Calls before measuring: enough for the JIT to compile the kernels (the Vector API allocates until then). */
    private static final int WARMUP = 5000;
    /** The returned σ̂ array (16–24 bytes), the API's one-element operand list, and slack. */
    private static final long POWER_BOUND_PER_CALL = 256;
    /**
     * The returned list of estimates (its array and its copy, 16 bytes + 4 per matrix each, and the list),
     * one {@code LanczosEstimate} (32 bytes) and one seeded Gaussian stream (40 bytes) per matrix, and slack:
     * no float64 basis (8·(steps + 1)(m + n) bytes) and no operator per call.
     */
    private static final long LANCZOS_BOUND_PER_CALL = 512;

    @ParameterizedTest(name = "{0} iteration(s)")
    @ValueSource(ints = {1, 3})
    void steadyStatePowerIterationAllocatesOnlyItsResult(int iterations) {
        com.sun.management.ThreadMXBean mx = allocationCounter();
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            MatrixBatch w = MatrixBatch.of(gaussian(64 * 64), 64, 64);
            // rows of 64 floats: JDK 17's Vector API kernels allocate vector boxes on rows a few lanes long
            MatrixBatch small = MatrixBatch.of(gaussian(3 * 5 * 64), 3, 5, 64);
            List<MatrixBatch> list = List.of(w, small);
            try (PowerState one = backend.newPowerState(w, PowerOptions.DEFAULT);
                    PowerState two = backend.newPowerState(list, PowerOptions.DEFAULT)) {
                Call callOne = () -> backend.powerIteration(w, one, iterations)[0];
                Call callList = () -> backend.powerIteration(list, two, iterations)[0];
                warmUp(callOne, callList);
                assertAtMost("one 64×64 matrix", POWER_BOUND_PER_CALL, bytesPerCall(mx, callOne));
                assertAtMost("a list of 64×64 and 3 5×64 matrices", POWER_BOUND_PER_CALL, bytesPerCall(mx, callList));
            }
        }
    }

    @Test
    void steadyStateLanczosAllocatesOnlyItsEstimates() {
        com.sun.management.ThreadMXBean mx = allocationCounter();
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            List<MatrixBatch> one = List.of(MatrixBatch.of(gaussian(48 * 64), 48, 64));
            List<MatrixBatch> list = List.of(one.get(0), MatrixBatch.of(gaussian(2 * 8 * 64), 2, 8, 64));
            Call callOne =
                    () -> backend.lanczos(one, LanczosOptions.DEFAULT).get(0).sigma();
            Call callList =
                    () -> backend.lanczos(list, LanczosOptions.DEFAULT).get(2).sigma();
            warmUp(callOne, callList);
            assertAtMost("one 48×64 matrix", LANCZOS_BOUND_PER_CALL, bytesPerCall(mx, callOne));
            assertAtMost("a list of 48×64 and 2 8×64 matrices", LANCZOS_BOUND_PER_CALL, bytesPerCall(mx, callList));
        }
    }

    /** A call that returns one of the values it computed. */
    private interface Call {
        float run();
    }

    /** {@value #WARMUP} rounds of {@code calls}, together, so that the JIT sees every shape they use. */
    private static void warmUp(Call... calls) {
        float checksum = 0;
        for (int i = 0; i < WARMUP; i++) {
            for (Call call : calls) {
                checksum += call.run();
            }
        }
        assertTrue(Float.isFinite(checksum));
    }

    /**
     * Bytes the calling thread allocates per {@code call} (warmed up already): the least over
     * {@value #WINDOWS} windows of {@value #CALLS} calls.
     */
    private static long bytesPerCall(com.sun.management.ThreadMXBean mx, Call call) {
        float checksum = 0;
        long least = Long.MAX_VALUE;
        for (int window = 0; window < WINDOWS; window++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < CALLS; i++) {
                checksum += call.run();
            }
            least = Math.min(least, (mx.getCurrentThreadAllocatedBytes() - before) / CALLS);
        }
        assertTrue(Float.isFinite(checksum));
        return least;
    }

    private static void assertAtMost(String what, long bound, long perCall) {
        assertTrue(perCall <= bound, what + ": " + perCall + " B per call, bound " + bound);
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "no com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) threads;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "thread allocation counting is not supported");
        if (!mx.isThreadAllocatedMemoryEnabled()) {
            mx.setThreadAllocatedMemoryEnabled(true);
        }
        return mx;
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
