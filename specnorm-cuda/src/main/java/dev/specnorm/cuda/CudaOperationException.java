package dev.specnorm.cuda;

/**
 * A CUDA library call that failed: names the operation, the library call and its status (for example
 * {@code normalize: cublasSgemvStridedBatched returned CUBLAS_STATUS_EXECUTION_FAILED (13)}). The backend
 * stays usable after an error that leaves the context intact (a failed allocation, an invalid value);
 * {@link #isOutOfMemory()} tells an allocation failure apart.
 */
public final class CudaOperationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final boolean outOfMemory;

    /**
     * @param call        the library function, e.g. {@code cuMemAlloc}
     * @param status      its numeric status
     * @param statusName  the status's name
     * @param outOfMemory whether the status means the device ran out of memory
     * @param detail      what was being done, e.g. {@code allocating 4.0 GiB for buffer 1×32768×32768}
     */
    public CudaOperationException(String call, int status, String statusName, boolean outOfMemory, String detail) {
        super(detail + ": " + call + " returned " + statusName + " (" + status + ")");
        this.call = call;
        this.status = status;
        this.outOfMemory = outOfMemory;
    }

    /** The CUDA library function that failed. */
    public String call() {
        return call;
    }

    /** Its numeric status. */
    public int status() {
        return status;
    }

    /** Whether the device ran out of memory. */
    public boolean isOutOfMemory() {
        return outOfMemory;
    }
}
