package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Power iteration, Lanczos, the normalization backward and the Gram penalties in the steady state allocate (almost) nothing
 * but the results they return (issue #16): the engine keeps its call state, participants, workspaces and
 * operand index from call to call. Measured on the calling thread of a single-threaded engine, so the count is deterministic. Power
 * iteration is measured first: once the backward's passes have run, the JIT may compile the power step's
 * Vector API kernels with boxed vectors (JDK 17; seen as about 5 KB per call on the list below), which is
 * the compiler's doing, not the engine's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SteadyStateAllocationTest {

    /** Calls per measured window. */
    private static final int CALLS = 20;
    /**
     * Windows measured; the least allocating counts, so that a one-off JIT event (a deoptimized call runs in
     * the interpreter, where the Vector API allocates its vectors) does not, while a per-call allocation
     * shows in every window.
     */
    private static final int WINDOWS = 20;
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
    /** Nothing is returned: slack only (no operand index, sweep, passes, workspace or evidence per call). */
    private static final long BACKWARD_BOUND_PER_CALL = 128;
    /**
     * The returned result and the loss array per call, small objects per matrix (on the native path, JavaCPP
     * pointers into the workspace, a few per task: 1,640 B per call measured for the 48×160 matrix below),
     * and slack; no Gram (8·r² bytes) and no workspace per call (20,184 B per call when the Gram was
     * allocated anew, checked).
     */
    private static final long PENALTY_BOUND_PER_CALL = 4096;
    /** The list the power-iteration and backward cases use. */
    private static final String A_LIST = "a list of 64×64 and 3 5×64 matrices";

    @Order(1)
    @ParameterizedTest(name = "{0} iteration(s)")
    @ValueSource(ints = {1, 3})
    void steadyStatePowerIterationAllocatesOnlyItsResult(int iterations) {
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            MatrixBatch w = square();
            List<MatrixBatch> list = withSmall(w);
            try (PowerState one = backend.newPowerState(w, PowerOptions.DEFAULT);
                    PowerState two = backend.newPowerState(list, PowerOptions.DEFAULT)) {
                Call callOne = () -> backend.powerIteration(w, one, iterations)[0];
                Call callList = () -> backend.powerIteration(list, two, iterations)[0];
                assertSteadyState(POWER_BOUND_PER_CALL, "one 64×64 matrix", callOne, A_LIST, callList);
            }
        }
    }

    @Order(2)
    @Test
    void steadyStateLanczosAllocatesOnlyItsEstimates() {
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            List<MatrixBatch> one = List.of(MatrixBatch.of(gaussian(48 * 64), 48, 64));
            List<MatrixBatch> list = List.of(one.get(0), MatrixBatch.of(gaussian(2 * 8 * 64), 2, 8, 64));
            Call callOne =
                    () -> backend.lanczos(one, LanczosOptions.DEFAULT).get(0).sigma();
            Call callList =
                    () -> backend.lanczos(list, LanczosOptions.DEFAULT).get(2).sigma();
            assertSteadyState(
                    LANCZOS_BOUND_PER_CALL,
                    "one 48×64 matrix",
                    callOne,
                    "a list of 48×64 and 2 8×64 matrices",
                    callList);
        }
    }

    @Order(3)
    @Test
    void steadyStateNormalizeBackwardAllocatesNothing() {
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            List<MatrixBatch> one = List.of(square());
            List<MatrixBatch> list = withSmall(one.get(0));
            List<MatrixBatch> gOne = List.of(square());
            List<MatrixBatch> gList = withSmall(gOne.get(0));
            List<MatrixBatch> outOne = List.of(MatrixBatch.zeros(one.get(0).shape()));
            List<MatrixBatch> outList =
                    List.of(outOne.get(0), MatrixBatch.zeros(list.get(1).shape()));
            try (PowerState stateOne = backend.newPowerState(one, PowerOptions.DEFAULT);
                    PowerState stateList = backend.newPowerState(list, PowerOptions.DEFAULT)) {
                Call callOne = () -> {
                    backend.normalizeBackward(one, stateOne, gOne, outOne);
                    return outOne.get(0).get(0, 0, 0);
                };
                Call callList = () -> {
                    backend.normalizeBackward(list, stateList, gList, outList);
                    return outList.get(1).get(2, 4, 63);
                };
                assertSteadyState(BACKWARD_BOUND_PER_CALL, "one 64×64 matrix", callOne, A_LIST, callList);
            }
        }
    }

    @Order(4)
    @Test
    void steadyStateGramPenaltyAllocatesNoWorkspace() {
        try (SpectralBackend backend = SpectralBackend.forEngine(new CpuEngine(1))) {
            // 48×160: above GramPenalties' small-matrix bounds, so through EJML or OpenBLAS
            MatrixBatch w = MatrixBatch.of(gaussian(48 * 160), 48, 160);
            List<MatrixBatch> one = List.of(w);
            List<MatrixBatch> list = List.of(w, MatrixBatch.of(gaussian(3 * 5 * 64), 3, 5, 64));
            List<MatrixBatch> gOne = List.of(MatrixBatch.zeros(w.shape()));
            List<MatrixBatch> gList =
                    List.of(gOne.get(0), MatrixBatch.zeros(list.get(1).shape()));
            Call callOne = () ->
                    backend.orthogonalPenalty(one, Penalty.BIGGAN, 1e-4f, gOne).loss();
            Call callList = () ->
                    backend.orthogonalPenalty(list, Penalty.SOFT, 1e-4f, gList).loss();
            assertSteadyState(
                    PENALTY_BOUND_PER_CALL,
                    "biggan of one 48×160 matrix",
                    callOne,
                    "soft of a list of 48×160 and 3 5×64 matrices",
                    callList);
        }
    }

    /** A call that returns one of the values it computed. */
    private interface Call {
        float run();
    }

    /**
     * Warms both calls up together (so that the JIT sees every shape they use), then checks that each
     * allocates at most {@code bound} bytes per call on the calling thread.
     */
    private static void assertSteadyState(long bound, String oneLabel, Call one, String listLabel, Call list) {
        com.sun.management.ThreadMXBean mx = allocationCounter();
        float checksum = 0;
        for (int i = 0; i < WARMUP; i++) {
            checksum += one.run() + list.run();
        }
        assertTrue(Float.isFinite(checksum));
        assertAtMost(oneLabel, bound, bytesPerCall(mx, one));
        assertAtMost(listLabel, bound, bytesPerCall(mx, list));
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

    /** A 64×64 N(0, 1) matrix. */
    private static MatrixBatch square() {
        return MatrixBatch.of(gaussian(64 * 64), 64, 64);
    }

    /** {@code first} and a batch of 3 5×64 N(0, 1) matrices. */
    private static List<MatrixBatch> withSmall(MatrixBatch first) {
        // rows of 64 floats: JDK 17's Vector API kernels allocate vector boxes on rows a few lanes long
        return List.of(first, MatrixBatch.of(gaussian(3 * 5 * 64), 3, 5, 64));
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
