package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import java.lang.ref.Cleaner;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * A matrix batch in GPU memory, row-major and batch-major like every batch (element (b, i, j) at float
 * index b·m·n + i·n + j). Either owned (allocated by the engine; {@link #close()} frees it, and a
 * {@link Cleaner} frees it if the buffer is forgotten) or wrapped (the caller's memory, never freed here).
 * A buffer wrapped with the caller's stream has every operation on it issued on that stream, so it runs
 * after the caller's pending work there; wrapped with stream 0, an operation first waits for all work
 * queued in the context ({@code cuCtxSynchronize}). Every operation has finished on the GPU when it
 * returns.
 */
public final class CudaBuffer extends BatchBuffer {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final CUdeviceptr pointer;
    private final boolean wrapped;
    private final CUstream callerStream;
    private final Cleaner.Cleanable cleanable;

    private CudaBuffer(CudaDevice device, BatchShape shape, CUdeviceptr pointer, boolean owned, CUstream callerStream) {
        super(shape, CudaEngine.NAME);
        this.device = device;
        this.pointer = pointer;
        this.wrapped = !owned;
        this.callerStream = callerStream;
        this.cleanable = owned ? CLEANER.register(this, new Free(device.context(), pointer)) : null;
    }

    /** A new zero-filled buffer on the device. */
    static CudaBuffer allocate(CudaDevice device, BatchShape shape) {
        return device.call(() -> {
            CUdeviceptr p = device.allocate(shape.elementCount() * 4L, "buffer " + shape);
            device.zero(p, shape.elementCount());
            return new CudaBuffer(device, shape, p, true, null);
        });
    }

    /**
     * Wraps the caller's device memory at {@code address} (at least B·m·n floats, 4-byte aligned); work on
     * it goes to the caller's stream {@code stream} (a {@code CUstream}/{@code cudaStream_t} handle, 0 for
     * none).
     */
    static CudaBuffer wrap(CudaDevice device, long address, BatchShape shape, long stream) {
        CUstream s = stream == 0 ? null : NativeHandles.withValue(new CUstream(), stream);
        return new CudaBuffer(device, shape, new CUdeviceptr().withByteOffset(address), false, s);
    }

    /** The device pointer of element 0 (valid while the buffer is open). */
    public CUdeviceptr pointer() {
        requireOpen();
        return pointer;
    }

    /** Whether this buffer wraps memory the caller owns. */
    public boolean isWrapped() {
        return wrapped;
    }

    /** The caller's stream this buffer was wrapped with, or null. */
    CUstream callerStream() {
        return callerStream;
    }

    /**
     * Orders the current call after the caller's pending work on this buffer (no-op for owned buffers, and
     * for a buffer whose stream the call runs on). Under the device lock.
     */
    void awaitCaller() {
        if (!wrapped) {
            return;
        }
        if (callerStream == null) {
            Status.driver(cuCtxSynchronize(), "cuCtxSynchronize", "waiting for the caller's work on " + this);
        } else if (NativeHandles.value(callerStream) != NativeHandles.value(device.stream())) {
            Status.driver(
                    cuStreamSynchronize(callerStream),
                    "cuStreamSynchronize",
                    "waiting for the caller's stream of " + this);
        }
    }

    CudaDevice device() {
        return device;
    }

    @Override
    protected void write(MatrixBatch source) {
        device.run(callerStream, () -> {
            awaitCaller();
            device.upload(source.buffer(), pointer);
        });
    }

    @Override
    protected void read(MatrixBatch destination) {
        device.run(callerStream, () -> {
            awaitCaller();
            device.download(pointer, destination.buffer());
        });
    }

    @Override
    protected void release() {
        if (cleanable != null) {
            cleanable.clean();
        }
    }

    /** Frees an owned allocation once: from {@link #release()} or, for a forgotten buffer, the Cleaner. */
    private record Free(CUcontext context, CUdeviceptr pointer) implements Runnable {
        @Override
        public void run() {
            cuCtxSetCurrent(context);
            CudaDevice.free(pointer);
        }
    }
}
