package dev.specnorm.cuda;

import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * Typed launches of the kernels of {@code kernels.cu}: one method per {@code extern "C" __global__}
 * kernel, named as the kernel in camel case ({@code deflate_store} is {@link #deflateStore}), whose
 * parameters are the kernel's, in its order and of its types: a device pointer is a {@link CUdeviceptr}
 * (null passes the null pointer), {@code int} is {@code int}, {@code long long} is {@code long},
 * {@code double} is {@code double}. A call site with a missing, extra or mistyped argument does not
 * compile; {@code KernelSourceTest} checks these methods against the declarations in kernels.cu.
 * The comment above each kernel in kernels.cu says what its parameters mean.
 *
 * <p>Each method also picks its kernel's grid, always of {@value #THREADS}-thread blocks: kernels that
 * give each matrix (or batch item) a block get one block per item, at most {@value #MAX_BLOCKS}, and loop
 * beyond that ({@link #perItem}); grid-stride kernels get one thread per element, or a warp (32 threads)
 * per row, up to {@value #MAX_BLOCKS}·16 blocks ({@link #perElement}).
 */
final class KernelLauncher {

    /** Where launches go: the loaded {@link KernelModule}, or a recorder in tests. */
    interface Sink {
        /** Launches {@code kernel} with {@code blocks} blocks of {@link #THREADS} threads. */
        void launch(String kernel, int blocks, KernelArgs args);
    }

    /** Threads per block of every kernel (the reductions in kernels.cu assume it). */
    static final int THREADS = 256;
    /** Most blocks a one-block-per-item launch uses (the kernels loop over the rest). */
    static final int MAX_BLOCKS = 65535;
    /** Threads of a warp: the kernels that give each row a warp need 32 threads per row. */
    private static final long WARP = 32;

    /** The kernels, as kernels.cu names them: one method each below. */
    static final List<String> NAMES = List.of(
            "deflate_store",
            "evaluate_sigma",
            "scale_by_sigma",
            "row_dot",
            "backward_coefficients",
            "fill_coefficients",
            "rank_update",
            "gram_rows",
            "gram_sum",
            "finish_output",
            "matvec_f64",
            "matvec_t_f64",
            "scale_to_unit");

    private final Sink sink;

    KernelLauncher(Sink sink) {
        this.sink = sink;
    }

    /** {@code deflate_store}: a deflated, normalized half-step of vector j for every matrix; a block per matrix. */
    void deflateStore(
            int count,
            CUdeviceptr meta,
            CUdeviceptr work,
            CUdeviceptr scratch,
            CUdeviceptr rows,
            int j,
            int vectors,
            int sigmaMode,
            CUdeviceptr sigma,
            CUdeviceptr failed) {
        sink.launch(
                "deflate_store",
                perItem(count),
                new KernelArgs(10)
                        .i32(count)
                        .pointer(meta)
                        .pointer(work)
                        .pointer(scratch)
                        .pointer(rows)
                        .i32(j)
                        .i32(vectors)
                        .i32(sigmaMode)
                        .pointer(sigma)
                        .pointer(failed));
    }

    /** {@code evaluate_sigma}: σ̂_j = u_j · work for every matrix; a block per matrix. */
    void evaluateSigma(
            int count, CUdeviceptr meta, CUdeviceptr work, CUdeviceptr rows, int j, int vectors, CUdeviceptr sigma) {
        sink.launch(
                "evaluate_sigma",
                perItem(count),
                new KernelArgs(7)
                        .i32(count)
                        .pointer(meta)
                        .pointer(work)
                        .pointer(rows)
                        .i32(j)
                        .i32(vectors)
                        .pointer(sigma));
    }

    /** {@code scale_by_sigma}: out = w / max(σ̂_k, eps) over one batch; a thread per element. */
    void scaleBySigma(
            long total,
            int mn,
            CUdeviceptr w,
            CUdeviceptr out,
            CUdeviceptr sigma,
            int vectors,
            int kBase,
            CUdeviceptr flags) {
        sink.launch(
                "scale_by_sigma",
                perElement(total),
                new KernelArgs(8)
                        .i64(total)
                        .i32(mn)
                        .pointer(w)
                        .pointer(out)
                        .pointer(sigma)
                        .i32(vectors)
                        .i32(kBase)
                        .pointer(flags));
    }

    /** {@code row_dot}: out[r] = G_r · W_r in float64 for every row of one batch; a warp per row. */
    void rowDot(long rows, int n, CUdeviceptr g, CUdeviceptr w, CUdeviceptr out) {
        sink.launch(
                "row_dot",
                perElement(rows * WARP),
                new KernelArgs(5).i64(rows).i32(n).pointer(g).pointer(w).pointer(out));
    }

    /** {@code backward_coefficients}: σ̂, ⟨G, W⟩ and the backward's scale and coefficient; a block per matrix. */
    void backwardCoefficients(
            int count,
            CUdeviceptr meta,
            CUdeviceptr t,
            CUdeviceptr u,
            CUdeviceptr rowSums,
            CUdeviceptr sigma,
            CUdeviceptr inner,
            CUdeviceptr scale,
            CUdeviceptr coef) {
        sink.launch(
                "backward_coefficients",
                perItem(count),
                new KernelArgs(9)
                        .i32(count)
                        .pointer(meta)
                        .pointer(t)
                        .pointer(u)
                        .pointer(rowSums)
                        .pointer(sigma)
                        .pointer(inner)
                        .pointer(scale)
                        .pointer(coef));
    }

    /** {@code fill_coefficients}: coef[k] = value (mode 0) or 2·value·σ̂_k (mode 1); a thread per matrix. */
    void fillCoefficients(int count, int mode, CUdeviceptr sigma, int vectors, double value, CUdeviceptr coef) {
        sink.launch(
                "fill_coefficients",
                perElement(count),
                new KernelArgs(6)
                        .i32(count)
                        .i32(mode)
                        .pointer(sigma)
                        .i32(vectors)
                        .f64(value)
                        .pointer(coef));
    }

    /** {@code rank_update}: out = gs·G + coef·(a bᵀ + c dᵀ) over one batch; a thread per element. */
    void rankUpdate(
            long total,
            int n,
            int mn,
            int kBase,
            CUdeviceptr g,
            CUdeviceptr gs,
            CUdeviceptr coef,
            CUdeviceptr a,
            CUdeviceptr b,
            CUdeviceptr c,
            CUdeviceptr d,
            int aStride,
            int bStride,
            CUdeviceptr out,
            CUdeviceptr flags) {
        sink.launch(
                "rank_update",
                perElement(total),
                new KernelArgs(15)
                        .i64(total)
                        .i32(n)
                        .i32(mn)
                        .i32(kBase)
                        .pointer(g)
                        .pointer(gs)
                        .pointer(coef)
                        .pointer(a)
                        .pointer(b)
                        .pointer(c)
                        .pointer(d)
                        .i32(aStride)
                        .i32(bStride)
                        .pointer(out)
                        .pointer(flags));
    }

    /** {@code gram_rows}: the Gram penalties' multiplier and row shares of R/β; a warp per Gram row. */
    void gramRows(long rows, int r, int kBase, int penalty, CUdeviceptr gram, CUdeviceptr partial, CUdeviceptr flags) {
        sink.launch(
                "gram_rows",
                perElement(rows * WARP),
                new KernelArgs(7)
                        .i64(rows)
                        .i32(r)
                        .i32(kBase)
                        .i32(penalty)
                        .pointer(gram)
                        .pointer(partial)
                        .pointer(flags));
    }

    /** {@code gram_sum}: R/β of every matrix of one batch from its row shares; a block per matrix. */
    void gramSum(int count, int r, int kBase, int doubled, int extra, CUdeviceptr partial, CUdeviceptr loss) {
        sink.launch(
                "gram_sum",
                perItem(count),
                new KernelArgs(7)
                        .i32(count)
                        .i32(r)
                        .i32(kBase)
                        .i32(doubled)
                        .i32(extra)
                        .pointer(partial)
                        .pointer(loss));
    }

    /** {@code finish_output}: −0 to +0 and non-finite flags over a GEMM output; a thread per element. */
    void finishOutput(long total, int mn, int kBase, CUdeviceptr x, int bit, CUdeviceptr flags) {
        sink.launch(
                "finish_output",
                perElement(total),
                new KernelArgs(6)
                        .i64(total)
                        .i32(mn)
                        .i32(kBase)
                        .pointer(x)
                        .i32(bit)
                        .pointer(flags));
    }

    /** {@code matvec_f64}: out = W x in float64 (m×n W); a warp per row. */
    void matvecF64(int m, int n, CUdeviceptr w, CUdeviceptr x, CUdeviceptr out) {
        sink.launch(
                "matvec_f64",
                perElement(m * WARP),
                new KernelArgs(5).i32(m).i32(n).pointer(w).pointer(x).pointer(out));
    }

    /** {@code matvec_t_f64}: out = Wᵀ y in float64 (m×n W); a thread per column. */
    void matvecTF64(int m, int n, CUdeviceptr w, CUdeviceptr y, CUdeviceptr out) {
        sink.launch(
                "matvec_t_f64",
                perElement(n),
                new KernelArgs(5).i32(m).i32(n).pointer(w).pointer(y).pointer(out));
    }

    /** {@code scale_to_unit}: each matrix of one batch times the power of two that brings it near 1; a block per matrix. */
    void scaleToUnit(
            int count, int mn, int kBase, CUdeviceptr src, CUdeviceptr dst, CUdeviceptr exps, CUdeviceptr flags) {
        sink.launch(
                "scale_to_unit",
                perItem(count),
                new KernelArgs(7)
                        .i32(count)
                        .i32(mn)
                        .i32(kBase)
                        .pointer(src)
                        .pointer(dst)
                        .pointer(exps)
                        .pointer(flags));
    }

    /** Blocks for one block per item: at most {@value #MAX_BLOCKS} (kernels stride beyond). */
    static int perItem(long items) {
        return (int) Math.max(1, Math.min(items, MAX_BLOCKS));
    }

    /** Blocks for one thread per element: at most {@value #MAX_BLOCKS}·16 (kernels stride beyond). */
    static int perElement(long elements) {
        long blocks = (elements + THREADS - 1) / THREADS;
        return (int) Math.max(1, Math.min(blocks, MAX_BLOCKS * 16L));
    }
}
