package dev.specnorm.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The CPU engine's accelerated kernels: OpenBLAS's {@code sgemm} and LAPACK's {@code sgesdd}, bundled by
 * JavaCPP's preset ({@code org.bytedeco:openblas}, natives for linux-x86_64 in the jar). Probed once per
 * JVM, lazily, on first use: the library is loaded, OpenBLAS is fixed to one thread (the engine
 * parallelizes over matrices and fixed blocks itself, so results do not depend on thread counts), and a
 * tiny {@code sgemm} and {@code sgesdd} are checked against known results. When any step fails, or the
 * system property {@value #PROPERTY} is {@code false}, the engine uses its pure-Java kernels and
 * {@link #reason()} says why in one line.
 *
 * <p>Matrices are passed column-major as LAPACK expects: a row-major m×n W is the column-major n×m Wᵀ,
 * so no transposition is made; the kernels read and write off-heap memory ({@link NativeWorkspace}),
 * never Java arrays (which JNI may copy).
 */
final class NativeBlas {

    /** The system property that switches the native path off ({@code -Dspecnorm.cpu.native=false}). */
    static final String PROPERTY = "specnorm.cpu.native";

    /** LAPACKE's LAPACK_COL_MAJOR. */
    private static final int COL_MAJOR = 102;

    private NativeBlas() {}

    /** The outcome of the probe: available with a version, or not with a reason. */
    record Probe(boolean available, String version, String reason) {}

    private static final class Holder {
        static final Probe PROBE = probe();
    }

    /** Whether the native kernels are usable in this JVM (probes on first call). */
    static boolean available() {
        return Holder.PROBE.available();
    }

    /** The library's version, e.g. "OpenBLAS 0.3.31", or null when unavailable. */
    static String version() {
        return Holder.PROBE.version();
    }

    /** Why the native kernels are not used (one line), or null when they are. */
    static String reason() {
        return Holder.PROBE.reason();
    }

    /** Whether the property asks for the pure-Java path. */
    static boolean disabledByProperty() {
        String p = System.getProperty(PROPERTY);
        return p != null && p.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    private static Probe probe() {
        if (disabledByProperty()) {
            return new Probe(false, null, "disabled by -D" + PROPERTY + "=false");
        }
        String platform;
        try {
            platform = Loader.getPlatform();
        } catch (Throwable t) {
            return new Probe(false, null, "JavaCPP is not usable: " + oneLine(t));
        }
        try {
            Loader.load(openblas.class);
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
        } catch (Throwable t) {
            return new Probe(false, null, "OpenBLAS could not be loaded on " + platform + ": " + oneLine(t));
        }
        try {
            String check = selfTest();
            if (check != null) {
                return new Probe(false, null, "OpenBLAS failed its self-test: " + check);
            }
        } catch (Throwable t) {
            return new Probe(false, null, "OpenBLAS failed its self-test: " + oneLine(t));
        }
        String version = openblas.OPENBLAS_VERSION == null ? "OpenBLAS" : openblas.OPENBLAS_VERSION.trim();
        return new Probe(true, version, null);
    }

    /** A 2×3 by 3×2 product and the singular values of [[1, 1], [0, 1]] (φ and 1/φ); null when right. */
    private static String selfTest() {
        try (NativeWorkspace ws = new NativeWorkspace()) {
            // row-major A = [[1,2,3],[4,5,6]], B = [[1,0],[0,1],[1,1]]: AB = [[4,5],[10,11]]
            ws.put(0, new float[] {1, 2, 3, 4, 5, 6}, 0, 6);
            ws.put(1, new float[] {1, 0, 0, 1, 1, 1}, 0, 6);
            ws.floats(2, 4);
            sgemm(false, false, 2, 2, 3, 1f, ws.at(0, 0), 3, ws.at(1, 0), 2, 0f, ws.at(2, 0), 2);
            float[] c = new float[4];
            ws.get(2, c, 0, 4);
            if (c[0] != 4 || c[1] != 5 || c[2] != 10 || c[3] != 11) {
                return "sgemm gave " + Arrays.toString(c) + ", expected [4.0, 5.0, 10.0, 11.0]";
            }
            ws.put(0, new float[] {1, 1, 0, 1}, 0, 4);
            float[] s = new float[2];
            int info = singularValues(ws, 2, 2, s);
            double phi = (1 + Math.sqrt(5)) / 2;
            if (info != 0 || Math.abs(s[0] - phi) > 1e-5 || Math.abs(s[1] - 1 / phi) > 1e-5) {
                return "sgesdd gave info " + info + ", " + Arrays.toString(s) + ", expected [" + phi + ", " + 1 / phi
                        + "]";
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ kernels

    /** The address of a direct buffer's element 0 (its memory, as OpenBLAS would be handed it). */
    static long address(FloatBuffer buffer) {
        return new FloatPointer(buffer).address();
    }

    /**
     * C = α op(A) op(B) + βC, all row-major (cblas_sgemm, CblasRowMajor): op(A) is m×k, op(B) k×n, C m×n.
     */
    static void sgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            FloatPointer a,
            int lda,
            FloatPointer b,
            int ldb,
            float beta,
            FloatPointer c,
            int ldc) {
        openblas.cblas_sgemm(
                openblas.CblasRowMajor,
                transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans,
                m,
                n,
                k,
                alpha,
                a,
                lda,
                b,
                ldb,
                beta,
                c,
                ldc);
    }

    /**
     * The upper triangle of C = α op(A) op(A)ᵀ, row-major (cblas_ssyrk, CblasRowMajor, CblasUpper): op(A) is
     * n×k, A itself when {@code trans} is false, Aᵀ (A k×n) when true; the strict lower triangle of C is
     * not written.
     */
    static void ssyrkUpper(boolean trans, int n, int k, float alpha, FloatPointer a, int lda, FloatPointer c, int ldc) {
        openblas.cblas_ssyrk(
                openblas.CblasRowMajor,
                openblas.CblasUpper,
                trans ? openblas.CblasTrans : openblas.CblasNoTrans,
                n,
                k,
                alpha,
                a,
                lda,
                0f,
                c,
                ldc);
    }

    /**
     * The singular values, descending, of the row-major m×n matrix in slot 0 of {@code ws} (destroyed),
     * by sgesdd with jobz = 'N' on its column-major view Wᵀ (n×m; same values).
     *
     * @return LAPACK's info (0: success; &gt; 0: no convergence)
     */
    static int singularValues(NativeWorkspace ws, int m, int n, float[] values) {
        int r = Math.min(m, n);
        FloatPointer s = ws.floats(1, r);
        IntPointer iwork = ws.ints(8L * r);
        int lwork = ws.lwork('N', n, m);
        if (lwork < 0) {
            FloatPointer query = ws.floats(2, 1);
            int info = openblas.LAPACKE_sgesdd_work(
                    COL_MAJOR, (byte) 'N', n, m, ws.at(0, 0), Math.max(1, n), s, null, 1, null, 1, query, -1, iwork);
            if (info != 0) {
                return info;
            }
            lwork = Math.max(1, (int) Math.ceil(query.get(0)));
            ws.setLwork('N', n, m, lwork);
        }
        FloatPointer work = ws.floats(2, lwork);
        int info = openblas.LAPACKE_sgesdd_work(
                COL_MAJOR, (byte) 'N', n, m, ws.at(0, 0), Math.max(1, n), s, null, 1, null, 1, work, lwork, iwork);
        if (info == 0) {
            ws.get(1, values, 0, r);
        }
        return info;
    }

    /**
     * The thin SVD of the row-major m×n matrix in slot 0 of {@code ws} (destroyed), by sgesdd with
     * jobz = 'S' on its column-major view Wᵀ = V Σ Uᵀ: LAPACK's U′ (n×r, column-major) is read as the
     * row-major r×n Vᵀ, and its V′ᵀ (r×m, column-major) as the row-major m×r U, without transposing.
     *
     * @return LAPACK's info (0: success; &gt; 0: no convergence)
     */
    static int decompose(NativeWorkspace ws, int m, int n, float[] values, float[] u, float[] vt) {
        int r = Math.min(m, n);
        FloatPointer s = ws.floats(1, r);
        FloatPointer uPrime = ws.floats(3, (long) n * r);
        FloatPointer vtPrime = ws.floats(4, (long) r * m);
        IntPointer iwork = ws.ints(8L * r);
        int ldu = Math.max(1, n);
        int ldvt = Math.max(1, r);
        int lwork = ws.lwork('S', n, m);
        if (lwork < 0) {
            FloatPointer query = ws.floats(2, 1);
            int info = openblas.LAPACKE_sgesdd_work(
                    COL_MAJOR,
                    (byte) 'S',
                    n,
                    m,
                    ws.at(0, 0),
                    Math.max(1, n),
                    s,
                    uPrime,
                    ldu,
                    vtPrime,
                    ldvt,
                    query,
                    -1,
                    iwork);
            if (info != 0) {
                return info;
            }
            lwork = Math.max(1, (int) Math.ceil(query.get(0)));
            ws.setLwork('S', n, m, lwork);
        }
        FloatPointer work = ws.floats(2, lwork);
        int info = openblas.LAPACKE_sgesdd_work(
                COL_MAJOR,
                (byte) 'S',
                n,
                m,
                ws.at(0, 0),
                Math.max(1, n),
                s,
                uPrime,
                ldu,
                vtPrime,
                ldvt,
                work,
                lwork,
                iwork);
        if (info == 0) {
            ws.get(1, values, 0, r);
            ws.get(4, u, 0, m * r);
            ws.get(3, vt, 0, r * n);
        }
        return info;
    }

    private static String oneLine(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
