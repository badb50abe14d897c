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
 * {@code ssyrk}/{@code sgemm} instead of EJML's, on one off-heap copy of W, cut into tasks fixed by the
 * shape (the Gram: block rows of {@value #GRAM_BLOCK} of its upper triangle, the lower part mirrored; the
 * gradient: even blocks of at least {@value #GRADIENT_BLOCK} columns of MW, or rows of WM) that the
 * engine's threads share when the matrix is processed alone. The tasks do not depend on the thread count, so neither do the results. Everything
 * else (the formulas, the checks) is the code above, on both paths.
 */
final class GramPenalties implements CallPool.Kernels {

    static final int SMALL_RANK = 32;
    static final int SMALL_ELEMENTS = 8192;
    /**
     * Rows of the Gram per native task: of 32, 64, 96 and 128, 96 was fastest on raw OpenBLAS calls at 512×4608
     * with 2 threads under load (15.5 against 17.0–20.5 ms); quiet, the blockings did not differ beyond noise.
     */
    static final int GRAM_BLOCK = 96;
    /**
     * The least columns (left) or rows (right) of the gradient per native task: on raw OpenBLAS calls at
     * 512×4608 with 2 threads under load, blocks of 256 columns took 40 ms and blocks of 768–2304 took 25 ms;
     * quiet, both took about 24 ms.
     */
    static final int GRADIENT_BLOCK = 768;

    private NativeWorkspace blas;
    private CpuThreads.RowBlocks blocks;
    private double[] gram = new double[0];
    private double[] row = new double[0];
    private double[] norms = new double[0];
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
            w0 = nativeOperand(weights, k);
            nativeGram(w0, m, n, right);
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

    /** Matrix k of {@code weights} for OpenBLAS: where it lies when kept in place, else copied to slot 0. */
    private FloatPointer nativeOperand(HostBatches weights, int k) {
        FloatBuffer direct = weights.direct(k);
        if (direct != null) {
            return at(new FloatPointer(direct), weights.directOffset(k));
        }
        blas.put(0, weights.data(k), weights.offset(k), weights.rows(k) * weights.cols(k));
        return blas.at(0, 0);
    }

    /** A pointer {@code offset} elements past {@code base}. */
    private static FloatPointer at(FloatPointer base, long offset) {
        return new FloatPointer(base).position(base.position() + offset);
    }

    /**
     * Turns the Gram matrix (r×r, in {@code gram}) into the gradient's multiplier M in place and returns
     * R/β less {@link GramPenalty#identityExcess}: biggan M = A ⊙ (1 − I), soft and double-soft
     * M = Gram − I, l1 M = sign(A − I).
     */
    private double formula(GramPenalty penalty, int r) {
        double sum = 0;
        switch (penalty) {
            case BIGGAN -> {
                for (int i = 0; i < r; i++) {
                    gram[i * r + i] = 0;
                }
                for (int i = 0; i < r * r; i++) {
                    sum += gram[i] * gram[i];
                }
            }
            case SOFT, DOUBLE_SOFT -> {
                for (int i = 0; i < r; i++) {
                    gram[i * r + i] -= 1;
                }
                for (int i = 0; i < r * r; i++) {
                    sum += gram[i] * gram[i];
                }
                if (penalty == GramPenalty.DOUBLE_SOFT) {
                    sum *= 2;
                }
            }
            case L1 -> {
                for (int i = 0; i < r; i++) {
                    gram[i * r + i] -= 1;
                }
                for (int i = 0; i < r * r; i++) {
                    sum += Math.abs(gram[i]);
                    gram[i] = Math.signum(gram[i]);
                }
            }
        }
        return sum;
    }

    /**
     * A bound on every |∂R/∂W| entry from the r×r multiplier M alone: with ν_l = √Gram_ll the norm of row (A)
     * or column (C) l of W, |c·(M W)_ij| ≤ |c| Σ_l |M_il| ν_l, and likewise for W M (M symmetric). The float32
     * products stay within a factor 1 + γ_r of it, which the caller's factor 2 covers.
     */
    private double gradientBound(int r, double coefficient) {
        double largest = 0;
        for (int i = 0; i < r; i++) {
            double s = 0;
            for (int l = 0; l < r; l++) {
                s += Math.abs(gram[i * r + l]) * norms[l];
            }
            largest = Math.max(largest, s);
        }
        return Math.abs(coefficient) * largest;
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
     * The Gram matrix with OpenBLAS from W at {@code w0}: the upper triangle of WWᵀ (or WᵀW) into slot 1 by task b over its rows [b·B, (b+1)·B) (B = {@value #GRAM_BLOCK}): ssyrk for the diagonal block,
     * sgemm for the rest of the block row; mirrored while widening.
     */
    private void nativeGram(FloatPointer w0, int m, int n, boolean right) {
        int r = right ? n : m;
        int k = right ? m : n;
        blas.floats(1, (long) r * r);
        tasks((r + GRAM_BLOCK - 1) / GRAM_BLOCK, b -> {
            int i0 = b * GRAM_BLOCK;
            int rows = Math.min(GRAM_BLOCK, r - i0);
            int j0 = i0 + rows;
            // Row i of op(W) (r×k) starts at element i·n of W (WWᵀ) or at column i (WᵀW).
            long first = right ? i0 : (long) i0 * n;
            long rest = right ? j0 : (long) j0 * n;
            NativeBlas.ssyrkUpper(right, rows, k, 1f, at(w0, first), n, blas.at(1, (long) i0 * r + i0), r);
            if (j0 < r) {
                NativeBlas.sgemm(
                        right,
                        !right,
                        rows,
                        r - j0,
                        k,
                        1f,
                        at(w0, first),
                        n,
                        at(w0, rest),
                        n,
                        0f,
                        blas.at(1, (long) i0 * r + j0),
                        r);
            }
        });
        gramF.reshape(r, r, false);
        float[] g = gramF.data;
        blas.get(1, g, 0, r * r);
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < i; j++) {
                gram[i * r + j] = g[j * r + i];
            }
            for (int j = i; j < r; j++) {
                gram[i * r + j] = g[i * r + j];
            }
        }
    }

    /**
     * The gradient with OpenBLAS from W at {@code w0}: M (float32) to slot 1, then coefficient·(M W) by blocks
     * of columns, or coefficient·(W M) by blocks of rows, into {@code target} when given (memory of W's
     * shape), else into slot 2, each block then copied to out by the task that made it (while the other
     * threads still multiply). The blocks split the m·n outputs evenly into tasks of at least
     * {@value #GRADIENT_BLOCK} columns or rows (fewer for a smaller matrix), multiples of 16, from the shape
     * alone.
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
        float[] g = gramF.data;
        for (int i = 0; i < r * r; i++) {
            g[i] = (float) gram[i];
        }
        blas.put(1, g, 0, r * r);
        FloatPointer c0 = target;
        if (c0 == null) {
            c0 = blas.floats(2, (long) m * n);
            blas.readable(2);
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

    /** Columns or rows per gradient task: {@code split} cut evenly into ⌊split / GRADIENT_BLOCK⌋ parts or one. */
    static int gradientBlock(int split) {
        int tasks = Math.max(1, split / GRADIENT_BLOCK);
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
