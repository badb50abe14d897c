package dev.specnorm.cuda;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.SpectralBackend;
import java.util.Objects;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * Zero-copy interoperation with JCuda code: wrap device memory the caller already holds as a JCuda
 * {@link Pointer} (for example from {@code cuMemAlloc} or {@code cudaMalloc}) into a batch the CUDA
 * backend computes on in place, and get the device pointer of a CUDA backend buffer.
 */
public final class CudaMemory {

    private CudaMemory() {}

    /**
     * Wraps {@code devicePointer} (at least B·m·n floats, row-major, 4-byte aligned) as a batch of the
     * CUDA backend {@code backend}; the memory stays the caller's. Work on it first waits for the work
     * already queued in the context, so pending writes on the caller's streams are complete.
     *
     * @throws IllegalArgumentException if the pointer is null or not aligned, or the backend is not cuda
     */
    public static BatchBuffer wrap(SpectralBackend backend, Pointer devicePointer, BatchShape shape) {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(devicePointer, "devicePointer");
        if (!CudaEngine.NAME.equals(backend.name())) {
            throw new IllegalArgumentException(
                    "device pointers can be wrapped by the cuda backend only, not by " + backend.name());
        }
        return backend.wrapDevice(address(devicePointer), shape, 0);
    }

    /**
     * {@link #wrap(SpectralBackend, Pointer, BatchShape)} whose operations are issued on the caller's
     * {@code stream}: they run after the work the caller queued there, with no device-wide wait.
     */
    public static BatchBuffer wrap(SpectralBackend backend, Pointer devicePointer, BatchShape shape, CUstream stream) {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(devicePointer, "devicePointer");
        if (!CudaEngine.NAME.equals(backend.name())) {
            throw new IllegalArgumentException(
                    "device pointers can be wrapped by the cuda backend only, not by " + backend.name());
        }
        return backend.wrapDevice(address(devicePointer), shape, NativeHandles.value(stream));
    }

    /** The address a JCuda pointer points at (native value plus byte offset). */
    static long address(Pointer p) {
        return Address.of(p);
    }

    /**
     * The device pointer of element 0 of a CUDA backend buffer, for JCuda code that works on it in place.
     *
     * @throws IllegalArgumentException if the buffer is not the CUDA backend's
     * @throws IllegalStateException    if it is closed
     */
    public static CUdeviceptr pointer(BatchBuffer buffer) {
        if (!(Objects.requireNonNull(buffer, "buffer") instanceof CudaBuffer b)) {
            throw new IllegalArgumentException(buffer + " is not a buffer of the cuda backend");
        }
        return b.pointer();
    }

    /** Reads a pointer's address: JCuda keeps it in protected fields that a subclass may read on itself. */
    private static final class Address extends Pointer {
        private Address(Pointer p) {
            super(p);
        }

        static long of(Pointer p) {
            Address a = new Address(p);
            return a.getNativePointer() + a.getByteOffset();
        }
    }
}
