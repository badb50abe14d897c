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

    private Status() {
    }

    /** Checks a CUDA driver API status. */
    static void driver(int status, String call, String detail) {
        if (status != CUresult.CUDA_SUCCESS) {
            throw new CudaOperationException(call, status, CUresult.stringFor(status),
                    status == CUresult.CUDA_ERROR_OUT_OF_MEMORY, detail);
        }
    }

    /** Checks a cuBLAS status. */
    static void cublas(int status, String call, String detail) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
            throw new CudaOperationException(call, status, cublasStatus.stringFor(status),
                    status == cublasStatus.CUBLAS_STATUS_ALLOC_FAILED, detail);
        }
    }

    /** Checks a cuSOLVER status. */
    static void cusolver(int status, String call, String detail) {
        if (status != cusolverStatus.CUSOLVER_STATUS_SUCCESS) {
            throw new CudaOperationException(call, status, cusolverStatus.stringFor(status),
                    status == cusolverStatus.CUSOLVER_STATUS_ALLOC_FAILED, detail);
        }
    }

    /** Checks an NVRTC status. */
    static void nvrtc(int status, String call, String detail) {
        if (status != nvrtcResult.NVRTC_SUCCESS) {
            throw new CudaOperationException(call, status, nvrtcResult.stringFor(status),
                    status == nvrtcResult.NVRTC_ERROR_OUT_OF_MEMORY, detail);
        }
    }
}
