package dev.specnorm.cuda;

import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.specnorm.api.BatchShape;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.spi.ResultChecks;
import dev.specnorm.cuda.Workspace.Slot;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;
import jcuda.jcusolver.JCusolverDn;
import jcuda.jcusolver.cusolverEigMode;
import jcuda.jcusolver.gesvdjInfo;

/**
 * Exact singular values (and thin U, Vᵀ on request) with cuSOLVER, in NumPy's
 * {@code svd(full_matrices=False)} convention.
 * <ul>
 *   <li>Singular values of batches of matrices up to 32×32: {@code gesvdjBatched} (one-sided Jacobi,
 *       Hestenes 1958) on the whole batch at once; a matrix it did not converge on (info ≠ 0) is redone
 *       with {@code gesvd}, as PyTorch does. With vectors, {@code gesvd} per matrix: in float32 the
 *       vectors Jacobi derives from A·V/σ are orthogonal only to about 1e-5 at 32×32 (measured on an
 *       H100: ‖VᵀV − I‖₂ = 1.03e-5), above SPEC.md's τ, where gesvd's stay near ε.</li>
 *   <li>Larger matrices: {@code gesvd} (Householder bidiagonalization and QR iteration), one matrix at a
 *       time. It needs rows ≥ columns in its column-major view: a row-major m×n W is the column-major
 *       n×m matrix Wᵀ, used as it is when m ≤ n (σ(W) = σ(Wᵀ), U and V swap roles); a tall W is first
 *       transposed with {@code cublasSgeam}.</li>
 * </ul>
 * Every matrix is first scaled by a power of two to a largest entry in [1/2, 1) (exact), so that float32
 * products inside cuSOLVER neither underflow (entries near 1e-25) nor overflow (near 1e18); the values
 * are scaled back exactly. Non-finite input is rejected before any factorization (cuSOLVER's result on it
 * is undefined).
 */
final class CudaSvd {

    /** gesvdjBatched's size limit. */
    static final int JACOBI_MAX = 32;

    private final CudaDevice device;
    /** The power-of-two exponents of the current call's matrices. */
    private int[] exponents;

    CudaSvd(CudaDevice device) {
        this.device = device;
    }

    /** The SVD of every matrix of {@code w}. Under the device lock. */
    List<SingularDecomposition> decompose(DeviceOperands w, boolean vectors) {
        int count = w.count();
        Workspace ws = device.workspace();
        CUdeviceptr flags = ws.zeroedInts(Slot.FLAGS, count);
        CUdeviceptr exps = ws.floats(Slot.META, count);
        long total = 0;
        for (int e = 0; e < w.entries(); e++) {
            total += w.shape(e).elementCount();
        }
        CUdeviceptr scaled = ws.floats(Slot.WEIGHTS_SCALED, total);
        long at = 0;
        for (int e = 0; e < w.entries(); e++) {
            BatchShape s = w.shape(e);
            device.kernels()
                    .scaleToUnit(
                            s.batch(),
                            s.matrixSize(),
                            w.first(e),
                            w.pointer(e),
                            scaled.withByteOffset(4L * at),
                            exps,
                            flags);
            at += s.elementCount();
        }
        int[] f = device.downloadInts(flags, count);
        exponents = device.downloadInts(exps, count);
        for (int k = 0; k < count; k++) {
            if (f[k] != 0) {
                throw ResultChecks.nonFinite(k, "SVD input", false);
            }
        }
        SingularDecomposition[] out = new SingularDecomposition[count];
        long from = 0;
        for (int e = 0; e < w.entries(); e++) {
            BatchShape s = w.shape(e);
            CUdeviceptr batch = scaled.withByteOffset(4L * from);
            if (!vectors && Math.max(s.rows(), s.cols()) <= JACOBI_MAX) {
                jacobiBatch(w, e, batch, vectors, out);
            } else {
                for (int k = w.first(e); k < w.first(e + 1); k++) {
                    out[k] = gesvd(w, k, batch.withByteOffset(4L * (k - w.first(e)) * s.matrixSize()), vectors);
                }
            }
            from += s.elementCount();
        }
        for (int k = 0; k < count; k++) {
            float[] values = out[k].values();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw ResultChecks.nonFinite(k, "σ" + (i + 1) + " = " + values[i], w.finite(k));
                }
            }
        }
        return List.of(out);
    }

    /** gesvdjBatched on the column-major Wᵀ (n×m) of every matrix of batch e: σ, U_A = V_W, V_A = U_W. */
    private void jacobiBatch(
            DeviceOperands w, int e, CUdeviceptr scaled, boolean vectors, SingularDecomposition[] out) {
        BatchShape s = w.shape(e);
        int m = s.rows();
        int n = s.cols();
        int r = Math.min(m, n);
        int batch = s.batch();
        Workspace ws = device.workspace();
        CUdeviceptr a = scaled;
        CUdeviceptr sv = ws.floats(Slot.LEFT, (long) batch * r);
        CUdeviceptr ua = ws.floats(Slot.RIGHT, (long) batch * n * n);
        CUdeviceptr va = ws.floats(Slot.TEMP, (long) batch * m * m);
        CUdeviceptr info = ws.floats(Slot.INFO, batch);
        int jobz = vectors ? cusolverEigMode.CUSOLVER_EIG_MODE_VECTOR : cusolverEigMode.CUSOLVER_EIG_MODE_NOVECTOR;
        gesvdjInfo params = createGesvdjInfo();
        try {
            int[] lwork = new int[1];
            Status.cusolver(
                    JCusolverDn.cusolverDnSgesvdjBatched_bufferSize(
                            device.cusolver(), jobz, n, m, a, n, sv, ua, n, va, m, lwork, params, batch),
                    "cusolverDnSgesvdjBatched_bufferSize",
                    "batched SVD of " + s);
            CUdeviceptr work = ws.floats(Slot.SOLVER_WORK, Math.max(lwork[0], 1));
            Status.cusolver(
                    JCusolverDn.cusolverDnSgesvdjBatched(
                            device.cusolver(), jobz, n, m, a, n, sv, ua, n, va, m, work, lwork[0], info, params, batch),
                    "cusolverDnSgesvdjBatched",
                    "batched SVD of " + s);
        } finally {
            JCusolverDn.cusolverDnDestroyGesvdjInfo(params);
        }
        float[] values = device.downloadFloats(sv, batch * r);
        int[] status = device.downloadInts(info, batch);
        float[] uHost = vectors ? device.downloadFloats(va, batch * m * m) : null;
        float[] vHost = vectors ? device.downloadFloats(ua, batch * n * n) : null;
        for (int b = 0; b < batch; b++) {
            int k = w.first(e) + b;
            if (status[b] != 0) {
                out[k] = gesvd(w, k, matrixCopy(w, k), vectors);
                continue;
            }
            float[] sk = unscale(Arrays.copyOfRange(values, b * r, (b + 1) * r), k);
            float[] u = null;
            float[] vt = null;
            if (vectors) {
                u = new float[m * r];
                int vo = b * m * m;
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < r; c++) {
                        u[i * r + c] = uHost[vo + i + c * m];
                    }
                }
                vt = Arrays.copyOfRange(vHost, b * n * n, b * n * n + r * n);
            }
            out[k] = new SingularDecomposition(m, n, sk, u, vt);
        }
    }

    /**
     * A new gesvdj parameter object. JCusolver's JNI for {@code cusolverDnCreateGesvdjInfo} (11.7.0 and
     * 12.6.0 alike) passes the object's pointer value, not its address, as the output argument, so a fresh
     * {@link gesvdjInfo} (value 0) makes cuSOLVER write to address 0. We therefore hand it an object whose
     * value is the address of 8 bytes of pinned host memory, read the created handle from there, and return
     * an object holding that handle.
     */
    private static gesvdjInfo createGesvdjInfo() {
        Pointer out = new Pointer();
        Status.driver(cuMemAllocHost(out, 8), "cuMemAllocHost", "allocating 8 bytes of pinned memory");
        try {
            Status.cusolver(
                    JCusolverDn.cusolverDnCreateGesvdjInfo(
                            NativeHandles.withValue(new gesvdjInfo(), CudaMemory.address(out))),
                    "cusolverDnCreateGesvdjInfo",
                    "creating the gesvdj parameters");
            long handle = out.getByteBuffer(0, 8).order(ByteOrder.nativeOrder()).getLong(0);
            return NativeHandles.withValue(new gesvdjInfo(), handle);
        } finally {
            cuMemFreeHost(out);
        }
    }

    /** Matrix k scaled again (gesvdjBatched overwrote the batch's scaled copy). */
    private CUdeviceptr matrixCopy(DeviceOperands w, int k) {
        int mn = w.rows(k) * w.cols(k);
        CUdeviceptr copy = device.workspace().floats(Slot.SCRATCH2, mn);
        CUdeviceptr flags = device.workspace().zeroedInts(Slot.FLAGS, w.count());
        CUdeviceptr exps = device.workspace().floats(Slot.META2, w.count());
        device.kernels().scaleToUnit(1, mn, k, w.matrix(k), copy, exps, flags);
        return copy;
    }

    /** σ·2^e for matrix k, exact. */
    private float[] unscale(float[] values, int k) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.scalb(values[i], exponents[k]);
        }
        return values;
    }

    /** gesvd of matrix k, given its scaled copy (see the class comment for the transposes). */
    private SingularDecomposition gesvd(DeviceOperands w, int k, CUdeviceptr scaled, boolean vectors) {
        int m = w.rows(k);
        int n = w.cols(k);
        boolean wide = m <= n;
        int rows = wide ? n : m;
        int cols = wide ? m : n;
        Workspace ws = device.workspace();
        long mn = (long) m * n;
        CUdeviceptr a = ws.floats(Slot.SOLVER, mn);
        if (wide) {
            device.copy(scaled, a, mn);
        } else {
            Status.cublas(
                    JCublas2.cublasSgeam(
                            device.cublas(),
                            CUBLAS_OP_T,
                            CUBLAS_OP_N,
                            m,
                            n,
                            Pointer.to(new float[] {1f}),
                            scaled,
                            n,
                            Pointer.to(new float[] {0f}),
                            a,
                            m,
                            a,
                            m),
                    "cublasSgeam",
                    "transposing matrix " + k + " for gesvd");
        }
        CUdeviceptr sv = ws.floats(Slot.LEFT, cols);
        CUdeviceptr u = ws.floats(Slot.RIGHT, (long) rows * cols);
        CUdeviceptr vt = ws.floats(Slot.TEMP, (long) cols * cols);
        CUdeviceptr rwork = ws.floats(Slot.SCRATCH, Math.max(cols, 1));
        CUdeviceptr info = ws.floats(Slot.INFO, 1);
        int[] lwork = new int[1];
        Status.cusolver(
                JCusolverDn.cusolverDnSgesvd_bufferSize(device.cusolver(), rows, cols, lwork),
                "cusolverDnSgesvd_bufferSize",
                "SVD of matrix " + k);
        CUdeviceptr work = ws.floats(Slot.SOLVER_WORK, Math.max(lwork[0], 1));
        char job = vectors ? 'S' : 'N';
        Status.cusolver(
                JCusolverDn.cusolverDnSgesvd(
                        device.cusolver(),
                        job,
                        job,
                        rows,
                        cols,
                        a,
                        rows,
                        sv,
                        u,
                        rows,
                        vt,
                        cols,
                        work,
                        lwork[0],
                        rwork,
                        info),
                "cusolverDnSgesvd",
                "SVD of matrix " + k);
        int[] status = device.downloadInts(info, 1);
        if (status[0] != 0) {
            throw new ArithmeticException(
                    "matrix " + k + ": cuSOLVER gesvd did not converge (info = " + status[0] + ")");
        }
        float[] values = unscale(device.downloadFloats(sv, cols), k);
        if (!vectors) {
            return new SingularDecomposition(m, n, values, null, null);
        }
        float[] uc = device.downloadFloats(u, rows * cols);
        float[] vc = device.downloadFloats(vt, cols * cols);
        if (wide) {
            // W = Aᵀ: U_W = V_A, whose row-major layout is VT_A's column-major one; Vᵀ_W likewise is U_A
            return new SingularDecomposition(m, n, values, vc, uc);
        }
        return new SingularDecomposition(m, n, values, transpose(uc, n, m), transpose(vc, n, n));
    }

    /** The row-major form (r×c) of a column-major r×c matrix, given as c rows of r. */
    private static float[] transpose(float[] columnMajor, int c, int r) {
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[i * c + j] = columnMajor[i + j * r];
            }
        }
        return out;
    }
}
