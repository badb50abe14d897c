package dev.specnorm.cuda;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;
import jcuda.jcusolver.cusolverStatus;
import jcuda.nvrtc.nvrtcResult;

/**
 * Turns the status codes of the CUDA driver, cuBLAS, cuSOLVER and NVRTC into
 * {@link CudaOperationException}s that name the call and the operation. Every JCuda call of the backend
 * goes through one of these checks (JCuda's own exception mode stays off).
 */
final class Status {

    /**
     * A test seam: sees every status before it is checked and may replace it, to inject a failure into a
     * chosen call (package-private; null in normal operation).
     */
    interface Injector {
        /** The status to check instead of {@code status} for {@code call}. */
        int status(String call, int status);
    }

    private static volatile Injector injector;

    private Status() {}

    /** Installs (or with null removes) the failure injector. */
    static void inject(Injector i) {
        injector = i;
    }

    private static int seen(String call, int status) {
        Injector i = injector;
        return i == null ? status : i.status(call, status);
    }

    /** Checks a CUDA driver API status. */
    static void driver(int status, String call, String detail) {
        status = seen(call, status);
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaOperationException(
                    call, status, CUresult.stringFor(status), status == CUresult.CUDA_ERROR_OUT_OF_MEMORY, detail);
        }
    }

    /** Checks a cuBLAS status. */
    static void cublas(int status, String call, String detail) {
        status = seen(call, status);
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaOperationException(
                    call,
                    status,
                    cublasStatus.stringFor(status),
                    status == cublasStatus.CUBLAS_STATUS_ALLOC_FAILED,
                    detail);
        }
    }

    /** Checks a cuSOLVER status. */
    static void cusolver(int status, String call, String detail) {
        status = seen(call, status);
        if (status != cusolverStatus.CUSOLVER_STATUS_SUCCESS) {
            throw new CudaOperationException(
                    call,
                    status,
                    cusolverStatus.stringFor(status),
                    status == cusolverStatus.CUSOLVER_STATUS_ALLOC_FAILED,
                    detail);
        }
    }

    /** Checks an NVRTC status. */
    static void nvrtc(int status, String call, String detail) {
        status = seen(call, status);
        if (status != nvrtcResult.NVRTC_SUCCESS) {
            throw new CudaOperationException(
                    call,
                    status,
                    nvrtcResult.stringFor(status),
                    status == nvrtcResult.NVRTC_ERROR_OUT_OF_MEMORY,
                    detail);
        }
    }
}
