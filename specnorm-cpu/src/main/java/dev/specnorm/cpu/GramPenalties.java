package dev.specnorm.cpu;

import dev.specnorm.api.spi.GramPenalty;
import dev.specnorm.api.spi.ResultChecks;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.bytedeco.javacpp.FloatPointer;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * The Gram-matrix orthogonality penalties of one m×n matrix W (SPEC.md table; A = WWᵀ, C = WᵀW, β the
 * strength):
 * <ul>
 *   <li>{@code biggan} (Brock et al., "Large Scale GAN Training for High Fidelity Natural Image
 *       Synthesis", 2018): R = β‖A ⊙ (1 − I)‖²_F, ∂R/∂W = 4β (A ⊙ (1 − I)) W;</li>
 *   <li>{@code soft} (Bansal, Chen &amp; Wang, NeurIPS 2018): R = β‖A − I‖²_F, ∂R/∂W = 4β (A − I) W;</li>
 *   <li>{@code double-soft}: R = β(‖A − Iₘ‖²_F + ‖C − Iₙ‖²_F), ∂R/∂W = 8β (WWᵀW − W);</li>
 *   <li>{@code l1} (Brock et al., "Neural Photo Editing with Introspective Adversarial Networks", 2017):
 *       R = β Σᵢⱼ |(A − I)ᵢⱼ|, ∂R/∂W = 2β sign(A − I) W, sign(0) = 0.</li>
 * </ul>
 * A tall W goes through the smaller Gram C for {@code soft} and {@code double-soft}, where the value is a
 * sum of non-negative terms: ‖A − Iₘ‖²_F = ‖C − Iₙ‖²_F + (m − n), with the same gradient 4β W(C − I).
 * {@code biggan} and {@code l1} need A itself: ‖A ⊙ (1 − I)‖²_F = ‖C‖²_F − Σᵢ‖wᵢ‖⁴ would cancel
 * catastrophically when one row dominates (W = (1e10, 1, …, 1)ᵀ loses every digit).
 *
 * <p>Small matrices (r ≤ {@value #SMALL_RANK}, m·n ≤ {@value #SMALL_ELEMENTS}) are computed in float64
 * loops with no allocation; larger ones with EJML's float32 {@code multInner} (the Gram, symmetric) and
 * {@code mult} (the gradient), multi-threaded when the matrix is processed alone. The loss is accumulated
 * in float64 and rounded once; the Gram's diagonal (every entry of W appears in one diagonal entry) and
 * the gradient are checked for non-finite values.
 *
 * <p>With the native path ({@link NativeBlas}) the two products of a large matrix are OpenBLAS's float32
 * {@code ssyrk}/{@code sgemm} instead of EJML's, on W where it lies (a direct buffer) or on one off-heap copy,
 * cut into tasks fixed by the shape that the engine's threads share when the matrix is processed alone:
 * <ul>
 *   <li>the Gram: the inner dimension k cut into {@link #taskCount}(k, {@value #GRAM_DEPTH}) even chunks,
 *       Gram = Σ_t op(W)_t op(W)_tᵀ, each chunk's upper triangle one {@code ssyrk} into its own r×r
 *       buffer, the chunks added in float64 in chunk order while the lower part is mirrored;</li>
 *   <li>the gradient: {@link #taskCount}(columns of MW or rows of WM, {@value #GRADIENT_BLOCK}) even
 *       blocks, one {@code sgemm} each.</li>
 * </ul>
 * The tasks do not depend on the thread count, so neither do the results. Everything else (the formulas,
 * the checks) is the code above, on both paths.
 */
final class GramPenalties implements CallPool.Kernels {

    static final int SMALL_RANK = 32;
    static final int SMALL_ELEMENTS = 8192;
    /**
     * The least inner dimension per chunk of the native Gram. Raw OpenBLAS calls at 512×4608 on 2 threads
     * (Xeon, AVX-512, 2026-12-08; medians of 40): 2 or 4 chunks of one {@code ssyrk} each 3.8–4.2 ms, 3 chunks
     * 5.4–5.6 ms, the earlier block rows of 96 (an {@code ssyrk} and a {@code sgemm} repacking the rest of W
     * per block) 4.9–5.4 ms, OpenBLAS's own two threads 5.1–5.4 ms.
     */
    static final int GRAM_DEPTH = 1024;
    /**
     * The least columns (left) or rows (right) of the gradient per native task. Raw OpenBLAS calls at
     * 512×4608 on 2 threads (same run): 2 or 4 blocks 6.8–7.6 ms, 3 blocks 9.2–9.9 ms, 6 blocks 7.2–7.9 ms.
     */
    static final int GRADIENT_BLOCK = 768;
    /** The least Gram rows per task of widening and mirroring the native Gram. */
    static final int WIDEN_ROWS = 64;
    /** The most native tasks one product is cut into. */
    static final int MAX_TASKS = 8;

    private NativeWorkspace blas;
    private CpuThreads.RowBlocks blocks;
    private double[] gram = new double[0];
    private double[] row = new double[0];
    private double[] norms = new double[0];
    private float[] chunkGrams = new float[0];
    /** Per-band results of {@link #formula} and {@link #gradientBound}. */
    private final double[] bandValues = new double[MAX_TASKS];

    private final FMatrixRMaj wm = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj wt = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj gramF = new FMatrixRMaj(1, 1);
    private final FMatrixRMaj gradF = new FMatrixRMaj(1, 1);

    /**
     * Splits the following matrices' work: with {@code blocks} (the matrix is processed alone: EJML's
     * multi-threaded GEMMs, or the native tasks shared by these threads), or on the calling thread when null.
     */
    @Override
    public void useBlocks(CpuThreads.RowBlocks blocks) {
        this.blocks = blocks;
    }

    /** Multiplies the following large matrices with OpenBLAS in {@code blas}, or with EJML when null. */
    void useWorkspace(NativeWorkspace blas) {
        this.blas = blas;
    }

    /** The multiply-adds of one m×n matrix's penalty and gradient, up to a constant: r²·k, the Gram r×r over k. */
    static long work(GramPenalty penalty, int m, int n) {
        boolean right = penalty.usesColumnGram(m, n);
        long r = right ? n : m;
        return r * r * (right ? m : n);
    }

    /**
     * The penalty of matrix k of {@code weights}; writes ∂R/∂W to matrix k of {@code gradients} unless that
     * is null. On the native path a matrix kept in place (a direct buffer, {@link HostBatches#direct}) is
     * read, or written, where it lies.
     *
     * @return R in float64, checked to fit float32
     */
    double evaluate(int k, HostBatches weights, HostBatches gradients, GramPenalty penalty, float beta) {
        int m = weights.rows(k);
        int n = weights.cols(k);
        int len = m * n;
        boolean right = penalty.usesColumnGram(m, n);
        int r = right ? n : m;
        boolean small = Math.max(m, n) <= SMALL_RANK || (r <= SMALL_RANK && (long) m * n <= SMALL_ELEMENTS);
        boolean nativePath = blas != null && !small;
        BooleanSupplier inputFinite = () -> ResultChecks.inputIsFinite(weights.data(k), weights.offset(k), len);
        ensure(r, n);
        FloatPointer w0 = null;
        if (nativePath) {
            FloatBuffer direct = weights.direct(k);
            if (direct != null) {
                w0 = at(new FloatPointer(direct), weights.directOffset(k));
                nativeGram(w0, null, 0, m, n, right);
            } else {
                w0 = blas.floats(0, len);
                blas.shared(0);
                nativeGram(w0, weights.data(k), weights.offset(k), m, n, right);
            }
        } else if (small) {
            smallGram(weights.data(k), weights.offset(k), m, n, right);
        } else {
            largeGram(weights.data(k), weights.offset(k), m, n, right);
        }
        for (int i = 0; i < r; i++) {
            double a = gram[i * r + i];
            if (!Double.isFinite(a)) {
                throw ResultChecks.nonFinite(
                        k, penalty.cliName() + ": Gram diagonal entry " + i + " = " + a, inputFinite.getAsBoolean());
            }
            norms[i] = Math.sqrt(a);
        }
        double sum = formula(penalty, r) + penalty.identityExcess(m, n);
        double loss = beta * sum;
        ResultChecks.toFloat(k, loss, penalty.cliName() + " loss", inputFinite);
        if (gradients != null) {
            double coefficient = penalty.gradientCoefficient(beta);
            boolean mayOverflow = Checks.mayOverflow(2 * gradientBound(r, coefficient));
            String what = penalty.cliName() + " gradient";
            FloatBuffer direct = nativePath ? gradients.direct(k) : null;
            if (direct != null) {
                int at = gradients.directOffset(k);
                nativeGradient(w0, m, n, right, coefficient, at(new FloatPointer(direct), at), null, 0);
                Checks.output(k, what, direct, at, len, mayOverflow, inputFinite);
                return loss;
            }
            float[] out = gradients.data(k);
            int oo = gradients.offset(k);
            if (nativePath) {
                nativeGradient(w0, m, n, right, coefficient, null, out, oo);
            } else if (small) {
                smallGradient(weights.data(k), weights.offset(k), m, n, right, coefficient, out, oo);
            } else {
                largeGradient(m, n, right, coefficient, out, oo);
            }
            Checks.output(k, what, out, oo, len, mayOverflow, inputFinite);
        }
        return loss;
    }

    /** A pointer {@code offset} elements past {@code base}. */
    private static FloatPointer at(FloatPointer base, long offset) {
        return new FloatPointer(base).position(base.position() + offset);
    }

    /**
     * Turns the Gram matrix (r×r, in {@code gram}) into the gradient's multiplier M in place and returns
     * R/β less {@link GramPenalty#identityExcess}: biggan M = A ⊙ (1 − I), soft and double-soft
     * M = Gram − I, l1 M = sign(A − I). The rows are cut into {@link #taskCount}(r, {@value #WIDEN_ROWS})
     * bands, fixed by r, whose sums are added in band order.
     */
    private double formula(GramPenalty penalty, int r) {
        int bands = taskCount(r, WIDEN_ROWS);
        tasks(bands, b -> bandValues[b] = formulaRows(penalty, r, evenStart(b, bands, r), evenStart(b + 1, bands, r)));
        double sum = 0;
        for (int b = 0; b < bands; b++) {
            sum += bandValues[b];
        }
        return penalty == GramPenalty.DOUBLE_SOFT ? 2 * sum : sum;
    }

    /** {@link #formula} on rows [i0, i1): their share of R/β (double-soft's half), their rows of M. */
    private double formulaRows(GramPenalty penalty, int r, int i0, int i1) {
        double sum = 0;
        for (int i = i0; i < i1; i++) {
            gram[i * r + i] = penalty == GramPenalty.BIGGAN ? 0 : gram[i * r + i] - 1;
        }
        int from = i0 * r;
        int to = i1 * r;
        if (penalty == GramPenalty.L1) {
            for (int i = from; i < to; i++) {
                double a = gram[i];
                sum += Math.abs(a);
                // Math.signum without its branches on the sign, which mispredict on a Gram's mixed signs
                gram[i] = a != 0 && !Double.isNaN(a) ? Math.copySign(1.0, a) : a;
            }
        } else {
            for (int i = from; i < to; i++) {
                sum += gram[i] * gram[i];
            }
        }
        return sum;
    }

    /**
     * A bound on every |∂R/∂W| entry from the r×r multiplier M alone: with ν_l = √Gram_ll the norm of row (A)
     * or column (C) l of W, |c·(M W)_ij| ≤ |c| Σ_l |M_il| ν_l, and likewise for W M (M symmetric). The float32
     * products stay within a factor 1 + γ_r of it, which the caller's factor 2 covers. In the bands of
     * {@link #formula}.
     */
    private double gradientBound(int r, double coefficient) {
        int bands = taskCount(r, WIDEN_ROWS);
        tasks(bands, b -> bandValues[b] = largestRowBound(r, evenStart(b, bands, r), evenStart(b + 1, bands, r)));
        double largest = 0;
        for (int b = 0; b < bands; b++) {
            largest = Math.max(largest, bandValues[b]);
        }
        return Math.abs(coefficient) * largest;
    }

    /** The largest Σ_l |M_il| ν_l over rows i in [i0, i1). */
    private double largestRowBound(int r, int i0, int i1) {
        double largest = 0;
        for (int i = i0; i < i1; i++) {
            double s = 0;
            for (int l = 0; l < r; l++) {
                s += Math.abs(gram[i * r + l]) * norms[l];
            }
            largest = Math.max(largest, s);
        }
        return largest;
    }

    /** The Gram matrix in float64: A = WWᵀ (rows' dot products) or C = WᵀW (sum of rows' outer products). */
    private void smallGram(float[] w, int off, int m, int n, boolean right) {
        if (!right) {
            for (int i = 0; i < m; i++) {
                for (int j = i; j < m; j++) {
                    double s = 0;
                    int a = off + i * n;
                    int b = off + j * n;
                    for (int l = 0; l < n; l++) {
                        s += (double) w[a + l] * w[b + l];
                    }
                    gram[i * m + j] = s;
                    gram[j * m + i] = s;
                }
            }
        } else {
            Arrays.fill(gram, 0, n * n, 0.0);
            for (int l = 0; l < m; l++) {
                int a = off + l * n;
                for (int i = 0; i < n; i++) {
                    double wi = w[a + i];
                    for (int j = i; j < n; j++) {
                        gram[i * n + j] += wi * w[a + j];
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    gram[i * n + j] = gram[j * n + i];
                }
            }
        }
    }

    /** out = coefficient·(M W) (left) or coefficient·(W M) (right), in float64. */
    private void smallGradient(
            float[] w, int off, int m, int n, boolean right, double coefficient, float[] out, int oo) {
        for (int i = 0; i < m; i++) {
            Arrays.fill(row, 0, n, 0.0);
            if (!right) {
                for (int l = 0; l < m; l++) {
                    double c = gram[i * m + l];
                    if (c != 0) {
                        int b = off + l * n;
                        for (int j = 0; j < n; j++) {
                            row[j] += c * w[b + j];
                        }
                    }
                }
            } else {
                int a = off + i * n;
                for (int l = 0; l < n; l++) {
                    double wl = w[a + l];
                    for (int j = 0; j < n; j++) {
                        row[j] += wl * gram[l * n + j];
                    }
                }
            }
            int o = oo + i * n;
            for (int j = 0; j < n; j++) {
                out[o + j] = (float) (coefficient * row[j]);
            }
        }
    }

    /** The Gram matrix with EJML's float32 multInner (on Wᵀ for A = WWᵀ), then widened to float64. */
    private void largeGram(float[] w, int off, int m, int n, boolean right) {
        wm.reshape(m, n, false);
        System.arraycopy(w, off, wm.data, 0, m * n);
        int r = right ? n : m;
        gramF.reshape(r, r, false);
        if (right) {
            if (blocks != null) {
                CommonOps_MT_FDRM.multInner(wm, gramF);
            } else {
                CommonOps_FDRM.multInner(wm, gramF);
            }
        } else {
            wt.reshape(n, m, false);
            if (blocks != null) {
                CommonOps_MT_FDRM.transpose(wm, wt);
                CommonOps_MT_FDRM.multInner(wt, gramF);
            } else {
                CommonOps_FDRM.transpose(wm, wt);
                CommonOps_FDRM.multInner(wt, gramF);
            }
        }
        float[] g = gramF.data;
        for (int i = 0; i < r * r; i++) {
            gram[i] = g[i];
        }
    }

    /** The gradient with EJML's float32 mult: coefficient·(M W) or coefficient·(W M). */
    private void largeGradient(int m, int n, boolean right, double coefficient, float[] out, int oo) {
        int r = right ? n : m;
        float[] g = gramF.data;
        for (int i = 0; i < r * r; i++) {
            g[i] = (float) gram[i];
        }
        gradF.reshape(m, n, false);
        float alpha = (float) coefficient;
        FMatrixRMaj a = right ? wm : gramF;
        FMatrixRMaj b = right ? gramF : wm;
        if (blocks != null) {
            CommonOps_MT_FDRM.mult(alpha, a, b, gradF);
        } else {
            CommonOps_FDRM.mult(alpha, a, b, gradF);
        }
        System.arraycopy(gradF.data, 0, out, oo, m * n);
    }

    /** Runs tasks 0 .. count − 1: shared by the engine's threads when the matrix is alone, else in order. */
    private void tasks(int count, IntConsumer task) {
        if (blocks != null && count > 1) {
            blocks.tasks(count, task);
        } else {
            for (int t = 0; t < count; t++) {
                task.accept(t);
            }
        }
    }

    /**
     * The Gram matrix with OpenBLAS from W at {@code w0}: chunk t of the inner dimension k (columns of W for
     * WWᵀ, rows for WᵀW) one {@code ssyrk} into the upper triangle of its r×r buffer in slot 1; the chunks
     * added in float64, in chunk order, into {@code gram}, mirrored. When {@code src} is not null, W is
     * src[off ..] and w0 slot 0: each chunk's task first copies its part of W there.
     */
    private void nativeGram(FloatPointer w0, float[] src, int off, int m, int n, boolean right) {
        int r = right ? n : m;
        int k = right ? m : n;
        long rr = (long) r * r;
        // the chunks' Grams are also copied into one float[]
        int chunks =
                Math.min(taskCount(k, GRAM_DEPTH), Integer.highestOneBit((int) Math.max(1, Integer.MAX_VALUE / rr)));
        blas.floats(1, chunks * rr);
        tasks(chunks, t -> {
            int k0 = evenStart(t, chunks, k);
            int depth = evenStart(t + 1, chunks, k) - k0;
            if (src != null && right) {
                blas.put(0, (long) k0 * n, src, off + k0 * n, depth * n);
            } else if (src != null) {
                for (int i = 0; i < m; i++) {
                    blas.put(0, (long) i * n + k0, src, off + i * n + k0, depth);
                }
            }
            // op(W) (r×k) restricted to columns [k0, k0 + depth): from column k0 of W (WWᵀ) or row k0 (WᵀW).
            long first = right ? (long) k0 * n : k0;
            NativeBlas.ssyrkUpper(right, r, depth, 1f, at(w0, first), n, blas.at(1, t * rr), r);
        });
        int all = chunks * r * r;
        if (chunkGrams.length < all) {
            chunkGrams = new float[all];
        }
        blas.shared(1);
        int bands = taskCount(r, WIDEN_ROWS);
        tasks(bands, band -> widenUpper(evenStart(band, bands, r), evenStart(band + 1, bands, r), r, chunks));
        tasks(bands, band -> mirrorUpper(evenStart(band, bands, r), evenStart(band + 1, bands, r), r));
    }

    /**
     * Rows [i0, i1) of the Gram's upper triangle: the chunks' float32 rows copied from slot 1, then added in
     * float64 in chunk order into {@code gram}.
     */
    private void widenUpper(int i0, int i1, int r, int chunks) {
        float[] g = chunkGrams;
        int rr = r * r;
        for (int t = 0; t < chunks; t++) {
            blas.get(1, (long) t * rr + (long) i0 * r, g, t * rr + i0 * r, (i1 - i0) * r);
        }
        double[] a = gram;
        for (int i = i0; i < i1; i++) {
            int from = i * r + i;
            int to = i * r + r;
            for (int at = from; at < to; at++) {
                a[at] = g[at];
            }
            for (int t = 1; t < chunks; t++) {
                int shift = t * rr;
                for (int at = from; at < to; at++) {
                    a[at] += g[at + shift];
                }
            }
        }
    }

    /** Rows [i0, i1) of the Gram's strict lower triangle copied from its upper one, in tiles of 32 columns. */
    private void mirrorUpper(int i0, int i1, int r) {
        final int tile = 32;
        double[] a = gram;
        for (int j0 = 0; j0 < i1 - 1; j0 += tile) {
            int j1 = Math.min(j0 + tile, i1 - 1);
            for (int i = Math.max(i0, j0 + 1); i < i1; i++) {
                int end = Math.min(j1, i);
                for (int j = j0; j < end; j++) {
                    a[i * r + j] = a[j * r + i];
                }
            }
        }
    }

    /** The tasks one native product of {@code length} along its split is cut into: 1, 2, 4 or 8, at least {@code least} each. */
    static int taskCount(int length, int least) {
        int most = Math.min(MAX_TASKS, Math.max(1, length / least));
        return Integer.highestOneBit(most);
    }

    /** The start of part t of {@code length} cut into {@code parts} even parts. */
    private static int evenStart(int t, int parts, int length) {
        return (int) ((long) t * length / parts);
    }

    /**
     * The gradient with OpenBLAS from W at {@code w0}: M (float32) to slot 1, then coefficient·(M W) by blocks
     * of columns, or coefficient·(W M) by blocks of rows, into {@code target} when given (memory of W's
     * shape), else into slot 2, each block then copied to out by the task that made it (while the other
     * threads still multiply). The blocks split the m·n outputs evenly into {@link #taskCount} tasks of at
     * least {@value #GRADIENT_BLOCK} columns or rows (one for a smaller matrix), multiples of 16, from the
     * shape alone.
     */
    private void nativeGradient(
            FloatPointer w0,
            int m,
            int n,
            boolean right,
            double coefficient,
            FloatPointer target,
            float[] out,
            int oo) {
        int r = right ? n : m;
        gramF.reshape(r, r, false);
        float[] g = gramF.data;
        int bands = taskCount(r, WIDEN_ROWS);
        tasks(bands, b -> {
            int from = evenStart(b, bands, r) * r;
            int to = evenStart(b + 1, bands, r) * r;
            for (int i = from; i < to; i++) {
                g[i] = (float) gram[i];
            }
            blas.put(1, from, g, from, to - from);
        });
        FloatPointer c0 = target;
        if (c0 == null) {
            c0 = blas.floats(2, (long) m * n);
            blas.shared(2);
        }
        FloatPointer c = c0;
        float alpha = (float) coefficient;
        int split = right ? m : n;
        int block = gradientBlock(split);
        tasks((split + block - 1) / block, b -> {
            int s0 = b * block;
            int size = Math.min(block, split - s0);
            if (right) {
                NativeBlas.sgemm(
                        false,
                        false,
                        size,
                        n,
                        n,
                        alpha,
                        at(w0, (long) s0 * n),
                        n,
                        blas.at(1, 0),
                        n,
                        0f,
                        at(c, (long) s0 * n),
                        n);
                if (out != null) {
                    blas.get(2, (long) s0 * n, out, oo + s0 * n, size * n);
                }
            } else {
                NativeBlas.sgemm(false, false, m, size, m, alpha, blas.at(1, 0), m, at(w0, s0), n, 0f, at(c, s0), n);
                if (out != null) {
                    for (int i = 0; i < m; i++) {
                        blas.get(2, (long) i * n + s0, out, oo + i * n + s0, size);
                    }
                }
            }
        });
    }

    /** Columns or rows per gradient task: {@code split} cut evenly into {@link #taskCount} parts, rounded up to 16. */
    static int gradientBlock(int split) {
        int tasks = taskCount(split, GRADIENT_BLOCK);
        int even = (split + tasks - 1) / tasks;
        return Math.min(split, (even + 15) / 16 * 16);
    }

    private void ensure(int r, int n) {
        if (gram.length < r * r) {
            gram = new double[r * r];
        }
        if (row.length < n) {
            row = new double[n];
        }
        if (norms.length < r) {
            norms = new double[r];
        }
    }
}
