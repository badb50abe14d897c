package dev.specnorm.cpu;

import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.spi.ResultChecks;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Exact singular values, descending, and optionally the thin U (m×r) and Vᵀ (r×n), r = min(m, n), in
 * NumPy's {@code svd(full_matrices=False)} convention, of one float32 matrix, computed in float64: by
 * one-sided Jacobi ({@link JacobiSvd}) when both sides are at most {@value #JACOBI_MAX}, otherwise by
 * EJML's implicit-QR SVD ({@code DecompositionFactory_DDRM.svd}, Golub–Kahan bidiagonalization then
 * Demmel–Kahan QR sweeps), sorted with {@code SingularOps_DDRM.descendingOrder}. With the native path
 * ({@link NativeBlas}), every matrix larger than {@value #JACOBI_MAX}×{@value #JACOBI_MAX} goes to
 * LAPACK's float32 {@code sgesdd} instead (jobz 'N' for values, 'S' for the thin vectors; LAPACK quality as
 * SPEC.md asks), falling back to the pure-Java path if LAPACK reports no convergence. One instance per
 * participant.
 */
final class ExactSvd {

    /**
     * Jacobi takes the matrices whose sides are all at most this; above it LAPACK (native path) and EJML's
     * float64 SVD (pure Java) are faster: 4,096 matrices of 32×32, values, pure Java on 2 threads: 748 ms by
     * Jacobi, 198 ms by EJML.
     */
    static final int JACOBI_MAX = 8;

    private final boolean concurrent;
    private final NativeWorkspace lapack;
    private final JacobiSvd jacobi = new JacobiSvd();
    private SingularValueDecomposition_F64<DMatrixRMaj> decomposition;
    private int decRows;
    private int decCols;
    private boolean decVectors;
    private final DMatrixRMaj matrix = new DMatrixRMaj(1, 1);

    /** @param concurrent whether to use EJML's multi-threaded decomposition (the matrix is processed alone) */
    ExactSvd(boolean concurrent) {
        this(concurrent, null);
    }

    /**
     * @param concurrent whether to use EJML's multi-threaded decomposition (the matrix is processed alone)
     * @param lapack     the workspace of the native path, or null for the pure-Java path
     */
    ExactSvd(boolean concurrent, NativeWorkspace lapack) {
        this.concurrent = concurrent;
        this.lapack = lapack;
    }

    /** The decomposition of matrix k = w[off .. off + m·n). */
    SingularDecomposition decompose(int k, float[] w, int off, int m, int n, boolean vectors) {
        int r = Math.min(m, n);
        float[] values = new float[r];
        float[] u = vectors ? new float[m * r] : null;
        float[] vt = vectors ? new float[r * n] : null;
        if (lapack != null && Math.max(m, n) > JACOBI_MAX && lapack(k, w, off, m, n, values, u, vt)) {
            // done by LAPACK
        } else if (Math.max(m, n) <= JACOBI_MAX) {
            jacobi.decompose(w, off, m, n, values, u, vt);
        } else {
            ejml(k, w, off, m, n, values, u, vt);
        }
        for (int i = 0; i < r; i++) {
            if (!Float.isFinite(values[i])) {
                throw ResultChecks.nonFinite(
                        k, "σ" + (i + 1) + " = " + values[i], ResultChecks.inputIsFinite(w, off, m * n));
            }
        }
        return new SingularDecomposition(m, n, values, u, vt);
    }

    /** sgesdd on a copy of W; false (nothing written) when LAPACK did not converge. */
    private boolean lapack(int k, float[] w, int off, int m, int n, float[] values, float[] u, float[] vt) {
        int len = m * n;
        if (!ResultChecks.inputIsFinite(w, off, len)) {
            throw ResultChecks.nonFinite(k, "SVD input", false);
        }
        lapack.put(0, w, off, len);
        int info = u == null
                ? NativeBlas.singularValues(lapack, m, n, values)
                : NativeBlas.decompose(lapack, m, n, values, u, vt);
        if (info < 0) {
            throw new IllegalStateException("matrix " + k + ": sgesdd rejected argument " + -info);
        }
        return info == 0;
    }

    private void ejml(int k, float[] w, int off, int m, int n, float[] values, float[] u, float[] vt) {
        boolean vectors = u != null;
        int r = Math.min(m, n);
        matrix.reshape(m, n, false);
        double[] d = matrix.data;
        double poison = 0;
        for (int i = 0; i < m * n; i++) {
            d[i] = w[off + i];
            poison += d[i] * 0.0;
        }
        // EJML's Householder scaling can skip a NaN, so non-finite input is caught here (0·x is NaN for it)
        if (!(poison == 0)) {
            throw ResultChecks.nonFinite(k, "SVD input", false);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decomposition(m, n, vectors);
        if (!svd.decompose(matrix)) {
            throw new ArithmeticException("matrix " + k + ": EJML's SVD did not converge");
        }
        if (!vectors) {
            double[] s = svd.getSingularValues();
            double[] sorted = new double[r];
            System.arraycopy(s, 0, sorted, 0, r);
            Arrays.sort(sorted);
            for (int i = 0; i < r; i++) {
                values[i] = (float) sorted[r - 1 - i];
            }
            return;
        }
        DMatrixRMaj uu = svd.getU(null, false);
        DMatrixRMaj ww = svd.getW(null);
        DMatrixRMaj vv = svd.getV(null, false);
        SingularOps_DDRM.descendingOrder(uu, false, ww, vv, false);
        for (int i = 0; i < r; i++) {
            values[i] = (float) ww.get(i, i);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < r; j++) {
                u[i * r + j] = (float) uu.get(i, j);
            }
        }
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < n; j++) {
                vt[i * n + j] = (float) vv.get(j, i);
            }
        }
    }

    private SingularValueDecomposition_F64<DMatrixRMaj> decomposition(int m, int n, boolean vectors) {
        if (decomposition == null || decRows != m || decCols != n || decVectors != vectors) {
            decomposition = concurrent
                    ? DecompositionFactory_MT_DDRM.svd(m, n, vectors, vectors, true)
                    : DecompositionFactory_DDRM.svd(m, n, vectors, vectors, true);
            decRows = m;
            decCols = n;
            decVectors = vectors;
        }
        return decomposition;
    }
}
