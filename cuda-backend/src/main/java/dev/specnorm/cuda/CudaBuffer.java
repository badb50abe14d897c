package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.BatchShape;
import dev.specnorm.api.MatrixBatch;
import java.lang.ref.Cleaner;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;

/**
 * A matrix batch in GPU memory, row-major and batch-major like every batch (element (b, i, j) at float
 * index b·m·n + i·n + j). Either owned (allocated by the engine; {@link #close()} frees it, and a
 * {@link Cleaner} frees it if the buffer is forgotten) or wrapped (the caller's memory, never freed here).
 * Work on a wrapped buffer first waits for all work already queued in the context
 * ({@code cuCtxSynchronize}), so the caller's pending writes on its own stream are complete; every
 * operation has finished on the GPU when it returns.
 */
public final class CudaBuffer extends BatchBuffer {

    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final CUdeviceptr pointer;
    private final boolean wrapped;
    private final Cleaner.Cleanable cleanable;

    private CudaBuffer(CudaDevice device, BatchShape shape, CUdeviceptr pointer, boolean owned) {
        super(shape, CudaEngine.NAME);
        this.device = device;
        this.pointer = pointer;
        this.wrapped = !owned;
        this.cleanable = owned ? CLEANER.register(this, new Free(device.context(), pointer)) : null;
    }

    /** A new zero-filled buffer on the device. */
    static CudaBuffer allocate(CudaDevice device, BatchShape shape) {
        return device.call(() -> {
            CUdeviceptr p = device.allocate(shape.elementCount() * 4L, "buffer " + shape);
            device.zero(p, shape.elementCount());
            return new CudaBuffer(device, shape, p, true);
        });
    }

    /** Wraps the caller's device memory at {@code address} (at least B·m·n floats, 4-byte aligned). */
    static CudaBuffer wrap(CudaDevice device, long address, BatchShape shape) {
        return new CudaBuffer(device, shape, new CUdeviceptr().withByteOffset(address), false);
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

    /** For a wrapped buffer, waits for the work queued in the context (no-op for owned buffers). Under the device lock. */
    void awaitCaller() {
        if (wrapped) {
            Status.driver(cuCtxSynchronize(), "cuCtxSynchronize", "waiting for the caller's work on " + this);
        }
    }

    CudaDevice device() {
        return device;
    }

    @Override
    protected void write(MatrixBatch source) {
        device.run(() -> {
            awaitCaller();
            device.upload(source.buffer(), pointer);
        });
    }

    @Override
    protected void read(MatrixBatch destination) {
        device.run(() -> {
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
