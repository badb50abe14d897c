package dev.specnorm.cuda;

import static jcuda.jcublas.cublasOperation.CUBLAS_OP_N;
import static jcuda.jcublas.cublasOperation.CUBLAS_OP_T;

import dev.specnorm.api.BatchShape;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcublas.JCublas2;

/**
 * The cuBLAS products of the engine on row-major batches: y = W x + βy and y = Wᵀx for every matrix of
 * a batch ({@code cublasSgemvStridedBatched}, or with {@code -Dspecnorm.cuda.gemv=gemm} the same product as
 * a one-column {@code cublasSgemmStridedBatched}), strided vector copies ({@code cublasSgeam}) and
 * strided-batched GEMMs. cuBLAS is column-major: a row-major m×n W is its column-major n×m Wᵀ (ld n).
 * Used under the device lock.
 */
final class CudaBlas {

    /** Matrix–vector products as GEMMs with one column ({@code -Dspecnorm.cuda.gemv=gemm}) instead of GEMV. */
    private static final boolean GEMV_AS_GEMM = "gemm".equals(System.getProperty("specnorm.cuda.gemv", "gemv"));

    private final CudaDevice device;

    CudaBlas(CudaDevice device) {
        this.device = device;
    }

    /** y = W x + beta·y for every matrix of batch e (x of length n stepping xStride, y of length m stepping yStride). */
    void forward(DeviceOperands w, int e, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta) {
        gemv(CUBLAS_OP_T, w.shape(e), x, xStride, y, yStride, beta, w.pointer(e));
    }

    /** y = Wᵀ x + beta·y for every matrix of batch e (x of length m stepping xStride, y of length n stepping yStride). */
    void adjoint(DeviceOperands w, int e, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta) {
        gemv(CUBLAS_OP_N, w.shape(e), x, xStride, y, yStride, beta, w.pointer(e));
    }

    /**
     * cuBLAS strided-batched GEMV on the column-major view of row-major W (n×m, ld n, that is Wᵀ):
     * OP_N gives Wᵀx, OP_T gives W x.
     */
    private void gemv(
            int op, BatchShape s, CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, float beta, CUdeviceptr a) {
        if (GEMV_AS_GEMM) {
            // the same product as a strided-batched GEMM with one column (C: rows × 1, ldc = rows)
            int rows = op == CUBLAS_OP_N ? s.cols() : s.rows();
            int inner = op == CUBLAS_OP_N ? s.rows() : s.cols();
            Status.cublas(
                    JCublas2.cublasSgemmStridedBatched(
                            device.cublas(),
                            op,
                            CUBLAS_OP_N,
                            rows,
                            1,
                            inner,
                            Pointer.to(new float[] {1f}),
                            a,
                            s.cols(),
                            s.matrixSize(),
                            x,
                            inner,
                            xStride,
                            Pointer.to(new float[] {beta}),
                            y,
                            rows,
                            yStride,
                            s.batch()),
                    "cublasSgemmStridedBatched",
                    (op == CUBLAS_OP_N ? "Wᵀx" : "W x") + " for batch " + s);
            return;
        }
        Status.cublas(
                JCublas2.cublasSgemvStridedBatched(
                        device.cublas(),
                        op,
                        s.cols(),
                        s.rows(),
                        Pointer.to(new float[] {1f}),
                        a,
                        s.cols(),
                        s.matrixSize(),
                        x,
                        1,
                        xStride,
                        Pointer.to(new float[] {beta}),
                        y,
                        1,
                        yStride,
                        s.batch()),
                "cublasSgemvStridedBatched",
                (op == CUBLAS_OP_N ? "Wᵀx" : "W x") + " for batch " + s);
    }

    /** Copies {@code batch} vectors of length len from x (stepping xStride) to y (stepping yStride). */
    void copyVectors(CUdeviceptr x, int xStride, CUdeviceptr y, int yStride, int len, int batch) {
        Status.cublas(
                JCublas2.cublasSgeam(
                        device.cublas(),
                        CUBLAS_OP_N,
                        CUBLAS_OP_N,
                        len,
                        batch,
                        Pointer.to(new float[] {1f}),
                        x,
                        xStride,
                        Pointer.to(new float[] {0f}),
                        x,
                        xStride,
                        y,
                        yStride),
                "cublasSgeam",
                "copying vectors");
    }

    /** C = alpha·op(A)·op(B) for a strided batch (column-major). */
    void gemm(
            int opA,
            int opB,
            int m,
            int n,
            int k,
            float alpha,
            CUdeviceptr a,
            int lda,
            long strideA,
            CUdeviceptr b,
            int ldb,
            long strideB,
            CUdeviceptr c,
            int ldc,
            long strideC,
            int batch,
            String what) {
        Status.cublas(
                JCublas2.cublasSgemmStridedBatched(
                        device.cublas(),
                        opA,
                        opB,
                        m,
                        n,
                        k,
                        Pointer.to(new float[] {alpha}),
                        a,
                        lda,
                        strideA,
                        b,
                        ldb,
                        strideB,
                        Pointer.to(new float[] {0f}),
                        c,
                        ldc,
                        strideC,
                        batch),
                "cublasSgemmStridedBatched",
                what);
    }
}
