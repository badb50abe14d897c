package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasPointerMode;
import jcuda.jcusolver.JCusolverDn;
import jcuda.jcusolver.cusolverDnHandle;
import jcuda.nvrtc.JNvrtc;
import jcuda.runtime.cudaStream_t;

/**
 * One GPU as the engine uses it: the device's primary context (shared with cuBLAS, cuSOLVER and any
 * CUDA runtime code of the caller), one stream, a cuBLAS and a cuSOLVER handle bound to it, the compiled
 * kernels, a pinned host staging buffer for transfers, and reusable device workspaces.
 *
 * <p>Threading: all device work of the engine runs under one lock ({@link #call}), so concurrent callers
 * are served one at a time; each call ends with one synchronization of the stream it ran on: the engine's
 * own, or the caller's when the call's wrapped buffers were given one ({@link #call(CUstream, Supplier)}).
 */
final class CudaDevice implements AutoCloseable {

    /** Pinned staging grows to at most this many bytes; larger transfers go in chunks. */
    private static final long MAX_STAGING = 64L << 20;

    private final ReentrantLock lock = new ReentrantLock();
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    /** The stream of the call in progress: {@link #stream} or a caller's. */
    private CUstream current = stream;

    private final cublasHandle cublas = new cublasHandle();
    private final cusolverDnHandle cusolver = new cusolverDnHandle();
    private final KernelModule module;
    private final KernelLauncher kernels;
    private final Workspace workspace;
    private final String description;
    private Pointer staging;
    private long stagingBytes;
    private boolean closed;

    /** Opens device {@code ordinal}: retains its primary context, creates the stream, handles and kernels. */
    CudaDevice(int ordinal) {
        Status.driver(cuDeviceGet(device, ordinal), "cuDeviceGet", "opening CUDA device " + ordinal);
        Status.driver(
                cuDevicePrimaryCtxRetain(context, device),
                "cuDevicePrimaryCtxRetain",
                "retaining the primary context of device " + ordinal);
        Status.driver(cuCtxSetCurrent(context), "cuCtxSetCurrent", "making the primary context current");
        Status.driver(cuStreamCreate(stream, 0), "cuStreamCreate", "creating the engine's stream");
        Status.cublas(JCublas2.cublasCreate(cublas), "cublasCreate_v2", "creating the cuBLAS handle");
        Status.cublas(
                JCublas2.cublasSetStream(cublas, new cudaStream_t(stream)),
                "cublasSetStream_v2",
                "binding cuBLAS to the stream");
        Status.cublas(
                JCublas2.cublasSetPointerMode(cublas, cublasPointerMode.CUBLAS_POINTER_MODE_HOST),
                "cublasSetPointerMode_v2",
                "setting host scalars");
        Status.cusolver(JCusolverDn.cusolverDnCreate(cusolver), "cusolverDnCreate", "creating the cuSOLVER handle");
        Status.cusolver(
                JCusolverDn.cusolverDnSetStream(cusolver, new cudaStream_t(stream)),
                "cusolverDnSetStream",
                "binding cuSOLVER to the stream");
        int major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        module = new KernelModule(major, minor, this::stream);
        kernels = new KernelLauncher(module);
        workspace = new Workspace(this);
        description = describe(ordinal, major, minor);
    }

    private String describe(int ordinal, int major, int minor) {
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, device);
        int end = 0;
        while (end < name.length && name[end] != 0) {
            end++;
        }
        long[] memory = new long[1];
        cuDeviceTotalMem(memory, device);
        int[] driver = new int[1];
        cuDriverGetVersion(driver);
        int[] blas = new int[1];
        JCublas2.cublasGetVersion(cublas, blas);
        int[] rtcMajor = new int[1];
        int[] rtcMinor = new int[1];
        JNvrtc.nvrtcVersion(rtcMajor, rtcMinor);
        return String.format(
                Locale.ROOT,
                "device %d %s (compute %d.%d, %.1f GiB), driver API %d.%d, cuBLAS %d.%d.%d, NVRTC %d.%d, kernels %s",
                ordinal,
                new String(name, 0, end, StandardCharsets.US_ASCII).strip(),
                major,
                minor,
                memory[0] / (double) (1L << 30),
                driver[0] / 1000,
                driver[0] % 1000 / 10,
                blas[0] / 10000,
                blas[0] / 100 % 100,
                blas[0] % 100,
                rtcMajor[0],
                rtcMinor[0],
                module.target());
    }

    private int attribute(int attribute) {
        int[] value = new int[1];
        Status.driver(
                cuDeviceGetAttribute(value, attribute, device), "cuDeviceGetAttribute", "reading device attributes");
        return value[0];
    }

    /** What the engine runs on. */
    String description() {
        return description;
    }

    /** The context all work runs in. */
    CUcontext context() {
        return context;
    }

    /** The stream work is issued on now: the engine's, or the caller's during a call on it. */
    CUstream stream() {
        return current;
    }

    cublasHandle cublas() {
        return cublas;
    }

    cusolverDnHandle cusolver() {
        return cusolver;
    }

    /** The typed kernel launches, on {@link #stream()}. */
    KernelLauncher kernels() {
        return kernels;
    }

    /** Kernel launches so far (cuBLAS and cuSOLVER calls excluded). */
    long kernelLaunches() {
        return module.launches();
    }

    Workspace workspace() {
        return workspace;
    }

    /**
     * Runs {@code body} with the lock held and the context current, then waits for the stream: the one
     * synchronization of an operation.
     */
    <T> T call(Supplier<T> body) {
        return call(null, body);
    }

    /**
     * {@link #call(Supplier)} with the work issued on {@code callerStream} (null: the engine's stream):
     * cuBLAS, cuSOLVER, the kernels and the copies all use it, and it is the stream synchronized at the end,
     * so the call is ordered after whatever the caller queued there before.
     */
    <T> T call(CUstream callerStream, Supplier<T> body) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the cuda engine is closed");
            }
            Status.driver(cuCtxSetCurrent(context), "cuCtxSetCurrent", "making the primary context current");
            if (callerStream != null) {
                bind(callerStream);
            }
            try {
                T result = body.get();
                synchronize();
                return result;
            } finally {
                if (callerStream != null) {
                    bind(stream);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void bind(CUstream s) {
        current = s;
        Status.cublas(
                JCublas2.cublasSetStream(cublas, new cudaStream_t(s)),
                "cublasSetStream_v2",
                "binding cuBLAS to a stream");
        Status.cusolver(
                JCusolverDn.cusolverDnSetStream(cusolver, new cudaStream_t(s)),
                "cusolverDnSetStream",
                "binding cuSOLVER to a stream");
    }

    /** {@link #call} for work with no result. */
    void run(Runnable body) {
        run(null, body);
    }

    /** {@link #call(CUstream, Supplier)} for work with no result. */
    void run(CUstream callerStream, Runnable body) {
        call(callerStream, () -> {
            body.run();
            return null;
        });
    }

    /** Waits for the stream work is issued on now ({@link #stream()}): the engine's, or the call's caller stream. */
    void synchronize() {
        Status.driver(cuStreamSynchronize(current), "cuStreamSynchronize", "waiting for the GPU");
    }

    /** Allocates {@code bytes} of device memory (not zeroed). */
    CUdeviceptr allocate(long bytes, String what) {
        CUdeviceptr p = new CUdeviceptr();
        Status.driver(
                cuMemAlloc(p, Math.max(bytes, 4)),
                "cuMemAlloc",
                "allocating " + bytes + " bytes of device memory for " + what);
        return p;
    }

    /** Frees device memory allocated by {@link #allocate}. */
    static void free(CUdeviceptr p) {
        cuMemFree(p);
    }

    /** Zero-fills {@code count} floats or ints at {@code p}. */
    void zero(CUdeviceptr p, long count) {
        if (count > 0) {
            Status.driver(cuMemsetD32Async(p, 0, count, current), "cuMemsetD32Async", "clearing device memory");
        }
    }

    /** Copies {@code count} floats between device regions, in stream order. */
    void copy(CUdeviceptr from, CUdeviceptr to, long count) {
        if (count > 0) {
            Status.driver(
                    cuMemcpyDtoDAsync(to, from, count * 4L, current), "cuMemcpyDtoDAsync", "copying on the device");
        }
    }

    /** Copies floats src[position .. limit) to the device at {@code to}, through pinned staging. */
    void upload(FloatBuffer src, CUdeviceptr to) {
        FloatBuffer s = src.duplicate();
        long done = 0;
        while (s.hasRemaining()) {
            int chunk = (int) Math.min(s.remaining(), MAX_STAGING / 4);
            FloatBuffer view = staging(chunk * 4L).asFloatBuffer();
            int limit = s.limit();
            s.limit(s.position() + chunk);
            view.put(s);
            s.limit(limit);
            synchronize();
            Status.driver(
                    cuMemcpyHtoD(to.withByteOffset(done * 4L), staging, chunk * 4L),
                    "cuMemcpyHtoD",
                    "copying " + chunk + " floats to the device");
            done += chunk;
        }
    }

    /** Copies ints to the device at {@code to}. */
    void upload(int[] src, CUdeviceptr to) {
        if (src.length > 0) {
            IntBuffer view = staging(src.length * 4L).asIntBuffer();
            view.put(src);
            synchronize();
            Status.driver(cuMemcpyHtoD(to, staging, src.length * 4L), "cuMemcpyHtoD", "copying a table to the device");
        }
    }

    /** Copies {@code len} doubles of src from {@code off} to the device at {@code to}. */
    void upload(double[] src, int off, int len, CUdeviceptr to) {
        if (len > 0) {
            staging(len * 8L).asDoubleBuffer().put(src, off, len);
            synchronize();
            Status.driver(cuMemcpyHtoD(to, staging, len * 8L), "cuMemcpyHtoD", "copying a vector to the device");
        }
    }

    /** Copies {@code dst.remaining()} floats from the device at {@code from} into dst (after the stream's work). */
    void download(CUdeviceptr from, FloatBuffer dst) {
        FloatBuffer d = dst.duplicate();
        long done = 0;
        while (d.hasRemaining()) {
            int chunk = (int) Math.min(d.remaining(), MAX_STAGING / 4);
            ByteBuffer bytes = staging(chunk * 4L);
            synchronize();
            Status.driver(
                    cuMemcpyDtoH(staging, from.withByteOffset(done * 4L), chunk * 4L),
                    "cuMemcpyDtoH",
                    "copying " + chunk + " floats from the device");
            FloatBuffer view = bytes.asFloatBuffer();
            view.limit(chunk);
            d.put(view);
            done += chunk;
        }
    }

    /** Copies {@code count} floats from the device. */
    float[] downloadFloats(CUdeviceptr from, int count) {
        float[] out = new float[count];
        download(from, FloatBuffer.wrap(out));
        return out;
    }

    /** Copies {@code count} doubles from the device. */
    double[] downloadDoubles(CUdeviceptr from, int count) {
        double[] out = new double[count];
        downloadDoubles(from, out, count);
        return out;
    }

    /** Copies {@code count} doubles from the device into out[0 .. count). */
    void downloadDoubles(CUdeviceptr from, double[] out, int count) {
        if (count > 0) {
            ByteBuffer bytes = staging(count * 8L);
            synchronize();
            Status.driver(cuMemcpyDtoH(staging, from, count * 8L), "cuMemcpyDtoH", "copying results from the device");
            bytes.asDoubleBuffer().get(out, 0, count);
        }
    }

    /** Copies {@code count} ints from the device. */
    int[] downloadInts(CUdeviceptr from, int count) {
        int[] out = new int[count];
        if (count > 0) {
            ByteBuffer bytes = staging(count * 4L);
            synchronize();
            Status.driver(cuMemcpyDtoH(staging, from, count * 4L), "cuMemcpyDtoH", "copying results from the device");
            bytes.asIntBuffer().get(out);
        }
        return out;
    }

    /** The pinned staging buffer, grown to at least {@code bytes}, as a native-order view from 0. */
    private ByteBuffer staging(long bytes) {
        if (bytes > stagingBytes) {
            synchronize();
            if (staging != null) {
                cuMemFreeHost(staging);
                staging = null;
                stagingBytes = 0;
            }
            long size = Math.max(bytes, 1L << 20);
            Pointer p = new Pointer();
            Status.driver(cuMemAllocHost(p, size), "cuMemAllocHost", "allocating " + size + " bytes of pinned memory");
            staging = p;
            stagingBytes = size;
        }
        return staging.getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            cuCtxSetCurrent(context);
            cuStreamSynchronize(stream);
            workspace.close();
            module.close();
            if (staging != null) {
                cuMemFreeHost(staging);
            }
            JCusolverDn.cusolverDnDestroy(cusolver);
            JCublas2.cublasDestroy(cublas);
            cuStreamDestroy(stream);
            cuDevicePrimaryCtxRelease(device);
        } finally {
            lock.unlock();
        }
    }
}
