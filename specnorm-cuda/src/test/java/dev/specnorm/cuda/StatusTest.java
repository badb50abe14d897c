package dev.specnorm.cuda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcusolver.cusolverStatus;
import jcuda.nvrtc.nvrtcResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layer every JCuda status passes through, without a GPU: each library's failure statuses become a
 * {@link CudaOperationException} that names the operation, the call, the status name and number, and flags
 * allocation failures; success passes; the failure injector (the seam the GPU tests use to fail a chosen
 * call mid-batch) replaces exactly the statuses of the call it targets and nothing once removed.
 */
class StatusTest {

    @AfterEach
    void removeInjector() {
        Status.inject(null);
    }

    @Test
    void everyLibrarysFailureNamesOperationCallAndStatus() {
        CudaOperationException e = assertThrows(
                CudaOperationException.class,
                () -> Status.cublas(
                        cublasStatus.CUBLAS_STATUS_EXECUTION_FAILED, "cublasSgemvStridedBatched", "normalize"));
        assertEquals(
                "normalize: cublasSgemvStridedBatched returned CUBLAS_STATUS_EXECUTION_FAILED (13)", e.getMessage());
        assertEquals("cublasSgemvStridedBatched", e.call());
        assertEquals(13, e.status());
        assertFalse(e.isOutOfMemory());

        e = assertThrows(
                CudaOperationException.class,
                () -> Status.driver(CUresult.CUDA_ERROR_OUT_OF_MEMORY, "cuMemAlloc", "allocating 4.0 GiB"));
        assertEquals("allocating 4.0 GiB: cuMemAlloc returned CUDA_ERROR_OUT_OF_MEMORY (2)", e.getMessage());
        assertTrue(e.isOutOfMemory());

        e = assertThrows(
                CudaOperationException.class,
                () -> Status.cusolver(cusolverStatus.CUSOLVER_STATUS_ALLOC_FAILED, "cusolverDnSgesvd", "svd"));
        assertTrue(e.isOutOfMemory() && e.getMessage().contains("CUSOLVER_STATUS_ALLOC_FAILED"), e.getMessage());

        e = assertThrows(
                CudaOperationException.class,
                () -> Status.nvrtc(nvrtcResult.NVRTC_ERROR_COMPILATION, "nvrtcCompileProgram", "compiling kernels"));
        assertFalse(e.isOutOfMemory());
        assertTrue(
                e.getMessage().startsWith("compiling kernels: nvrtcCompileProgram returned NVRTC_ERROR_COMPILATION"),
                e.getMessage());
        assertTrue(cublasAllocFailed().isOutOfMemory());
    }

    private static CudaOperationException cublasAllocFailed() {
        return assertThrows(
                CudaOperationException.class,
                () -> Status.cublas(cublasStatus.CUBLAS_STATUS_ALLOC_FAILED, "cublasCreate", "starting"));
    }

    @Test
    void successPassesAndTheInjectorFailsOnlyItsTarget() {
        assertDoesNotThrow(() -> Status.driver(CUresult.CUDA_SUCCESS, "cuMemcpyHtoD", "upload"));
        Status.inject((call, status) -> call.equals("cuMemcpyHtoD") ? CUresult.CUDA_ERROR_ILLEGAL_ADDRESS : status);
        assertDoesNotThrow(() -> Status.driver(CUresult.CUDA_SUCCESS, "cuMemAlloc", "upload"));
        assertDoesNotThrow(() -> Status.cublas(cublasStatus.CUBLAS_STATUS_SUCCESS, "cublasSgemm", "gram"));
        CudaOperationException e = assertThrows(
                CudaOperationException.class, () -> Status.driver(CUresult.CUDA_SUCCESS, "cuMemcpyHtoD", "upload"));
        assertEquals("upload: cuMemcpyHtoD returned CUDA_ERROR_ILLEGAL_ADDRESS (700)", e.getMessage());
        Status.inject(null);
        assertDoesNotThrow(() -> Status.driver(CUresult.CUDA_SUCCESS, "cuMemcpyHtoD", "upload"));
    }
}
