package dev.specnorm.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PenaltyResult;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.api.StateLayout;
import dev.specnorm.api.testing.TestMatrices;
import dev.specnorm.cuda.loading.CudaLoader;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * CUDA errors in the middle of a call, injected into the layer that checks every JCuda status
 * ({@link Status}): the error names the library call, its status and the operation; the caller's state
 * is unchanged; the next call works and gives the result an undisturbed run gives.
 */
@Tag("gpu")
class InjectedFailureTest {

    private static SpectralBackend backend;
    private static final List<MatrixBatch> LAYERS = List.of(
            TestMatrices.gaussian(31, 2, 40, 70, 1.0),
            TestMatrices.gaussian(32, 3, 90, 20, 1.0),
            TestMatrices.gaussian(33, 1, 64, 64, 1.0));

    @BeforeAll
    static void open() {
        assertTrue(
                CudaLoader.load().available(),
                () -> "cuda unavailable: " + CudaLoader.load().reason());
        backend = SpectralBackend.forEngine(new CudaEngine(0));
    }

    @AfterAll
    static void close() {
        backend.close();
    }

    @AfterEach
    void removeInjector() {
        Status.inject(null);
    }

    /** Fails the n-th call named {@code call} (1-based) with {@code failure}. */
    private static void failNth(String call, int n, int failure) {
        AtomicInteger seen = new AtomicInteger();
        Status.inject((c, status) -> c.equals(call) && seen.incrementAndGet() == n ? failure : status);
    }

    @Test
    void aCublasFailureInTheMiddleOfABatchLeavesTheStateAndLaterCallsIntact() {
        try (PowerState state = backend.newPowerState(LAYERS, PowerOptions.DEFAULT);
                PowerState twin = backend.importPowerState(
                        TestMatrices.shapes(LAYERS),
                        StateLayout.Operator.MATRIX,
                        1,
                        state.exportU(),
                        state.exportV())) {
            float[] u = state.exportU();
            float[] v = state.exportV();
            failNth("cublasSgemvStridedBatched", 4, cublasStatus.CUBLAS_STATUS_EXECUTION_FAILED);
            CudaOperationException e =
                    assertThrows(CudaOperationException.class, () -> backend.powerIteration(LAYERS, state, 3));
            assertTrue(
                    e.getMessage().contains("cublasSgemvStridedBatched")
                            && e.getMessage().contains("CUBLAS_STATUS_EXECUTION_FAILED"),
                    e.getMessage());
            assertArrayEquals(u, state.exportU(), "u after the failure");
            assertArrayEquals(v, state.exportV(), "v after the failure");
            Status.inject(null);
            assertArrayEquals(
                    backend.powerIteration(LAYERS, twin, 3),
                    backend.powerIteration(LAYERS, state, 3),
                    "the call after the failure gives what an undisturbed state gives");
        }
    }

    @Test
    void failuresOfEveryLibraryAreReportedAndRecoveredFrom() {
        MatrixBatch w = LAYERS.get(2);
        float expected = backend.spectralNorm(w)[0];
        PenaltyResult penalty = backend.orthogonalPenalty(w, Penalty.BIGGAN, 1e-3f, null);
        failNth("cusolverDnSgesvdjBatched", 1, jcuda.jcusolver.cusolverStatus.CUSOLVER_STATUS_INTERNAL_ERROR);
        MatrixBatch small = TestMatrices.gaussian(34, 5, 8, 8, 1.0);
        CudaOperationException solver = assertThrows(CudaOperationException.class, () -> backend.spectralNorm(small));
        assertTrue(solver.getMessage().contains("CUSOLVER_STATUS_INTERNAL_ERROR"), solver.getMessage());
        failNth("cuLaunchKernel", 1, CUresult.CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES);
        CudaOperationException launch = assertThrows(
                CudaOperationException.class, () -> backend.orthogonalPenalty(w, Penalty.BIGGAN, 1e-3f, null));
        assertTrue(launch.getMessage().contains("cuLaunchKernel"), launch.getMessage());
        failNth("cuMemAlloc", 1, CUresult.CUDA_ERROR_OUT_OF_MEMORY);
        CudaOperationException oom =
                assertThrows(CudaOperationException.class, () -> backend.allocate(new BatchShape(1, 100, 100)));
        assertTrue(oom.isOutOfMemory(), oom.getMessage());
        Status.inject(null);
        assertTrue(backend.spectralNorm(w)[0] == expected, "σ after the failures");
        assertTrue(
                backend.orthogonalPenalty(w, Penalty.BIGGAN, 1e-3f, null).loss() == penalty.loss(),
                "the penalty after the failures");
    }
}
