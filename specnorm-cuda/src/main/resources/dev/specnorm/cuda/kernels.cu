// The CUDA backend's own kernels (SPEC.md), compiled at first use by NVRTC for the device's architecture.
// Conventions: float32 data, float64 accumulation; every reduction runs in a fixed order (no atomics on
// floating-point values), so a call gives bit-identical results on every run. Matrices are numbered by
// their position k in the flattened list of the call; per-matrix tables hold int offsets in floats.
// Every kernel that reduces uses blockDim.x == 256.

#define SPECNORM_EPS 1e-12
#define THREADS 256

// Sum of v over the block, returned to every thread; deterministic for a given blockDim.
__device__ double block_sum(double v) {
    __shared__ double partial[THREADS / 32];
    __shared__ double total;
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    for (int o = 16; o > 0; o >>= 1) {
        v += __shfl_down_sync(0xffffffffu, v, o);
    }
    __syncthreads();
    if (lane == 0) {
        partial[warp] = v;
    }
    __syncthreads();
    if (warp == 0) {
        v = lane < THREADS / 32 ? partial[lane] : 0.0;
        for (int o = 16; o > 0; o >>= 1) {
            v += __shfl_down_sync(0xffffffffu, v, o);
        }
        if (lane == 0) {
            total = v;
        }
    }
    __syncthreads();
    return total;
}

__device__ double block_dot(const float* a, const float* b, int len) {
    double s = 0.0;
    for (int i = threadIdx.x; i < len; i += blockDim.x) {
        s += (double) a[i] * (double) b[i];
    }
    return block_sum(s);
}

// One deflated half-step of power iteration for vector j of every matrix (one block per matrix):
// x = work minus its projections on rows 0..j-1 (x <- x - (b.x / b.b) b, zero rows skipped), then
// row j <- x / max(|x|, eps), kept where x = 0. meta[3k..3k+2] = (work offset, rows offset, length).
// A non-finite |x| marks the matrix failed and is stored as its sigma. sigmaMode 1 (the u side) also
// stores sigma_j = u_j . work (K = 1: |x| or |x|^2/eps below eps, the same value in closed form).
extern "C" __global__ void deflate_store(int count, const int* __restrict__ meta, const float* __restrict__ work,
                                         float* __restrict__ scratch, float* __restrict__ rows, int j, int K,
                                         int sigmaMode, float* __restrict__ sigma, int* __restrict__ failed) {
    for (int k = blockIdx.x; k < count; k += gridDim.x) {
        if (failed[k]) {
            continue;
        }
        int wo = meta[3 * k];
        int ro = meta[3 * k + 1];
        int len = meta[3 * k + 2];
        const float* t = work + wo;
        float* x = scratch + wo;
        float* base = rows + ro;
        for (int i = threadIdx.x; i < len; i += blockDim.x) {
            x[i] = t[i];
        }
        __syncthreads();
        for (int l = 0; l < j; l++) {
            const float* b = base + l * len;
            double bb = block_dot(b, b, len);
            double bx = block_dot(b, x, len);
            if (bb > 0.0) {
                float c = (float) (bx / bb);
                for (int i = threadIdx.x; i < len; i += blockDim.x) {
                    x[i] -= c * b[i];
                }
            }
            __syncthreads();
        }
        double norm = sqrt(block_dot(x, x, len));
        if (!isfinite(norm)) {
            if (threadIdx.x == 0) {
                failed[k] = 1;
                sigma[k * K + j] = (float) norm;
            }
            __syncthreads();
            continue;
        }
        float* out = base + j * len;
        if (norm > 0.0) {
            double inv = 1.0 / fmax(norm, SPECNORM_EPS);
            for (int i = threadIdx.x; i < len; i += blockDim.x) {
                out[i] = (float) (x[i] * inv);
            }
        }
        __syncthreads();
        if (sigmaMode == 1) {
            double s;
            if (K == 1) {
                s = norm >= SPECNORM_EPS ? norm : norm * norm / SPECNORM_EPS;
            } else {
                s = block_dot(out, t, len);
            }
            if (threadIdx.x == 0) {
                sigma[k * K + j] = (float) s;
            }
        }
        __syncthreads();
    }
}

// sigma_j = u_j . work for every matrix (0 iterations: evaluation). meta as in deflate_store (u side).
extern "C" __global__ void evaluate_sigma(int count, const int* __restrict__ meta, const float* __restrict__ work,
                                          const float* __restrict__ rows, int j, int K, float* __restrict__ sigma) {
    for (int k = blockIdx.x; k < count; k += gridDim.x) {
        int wo = meta[3 * k];
        int ro = meta[3 * k + 1];
        int len = meta[3 * k + 2];
        double s = block_dot(rows + ro + j * len, work + wo, len);
        if (threadIdx.x == 0) {
            sigma[k * K + j] = (float) s;
        }
    }
}

// out = w * (1 / max(sigma_k, eps)) for the matrices k = kBase + idx / mn of one batch (SN forward).
// flags[k] |= 1 where an output is not finite, |= 2 where an input is not finite.
extern "C" __global__ void scale_by_sigma(long long total, int mn, const float* __restrict__ w,
                                          float* __restrict__ out, const float* __restrict__ sigma, int K,
                                          int kBase, int* __restrict__ flags) {
    for (long long idx = blockIdx.x * (long long) blockDim.x + threadIdx.x; idx < total;
         idx += (long long) gridDim.x * blockDim.x) {
        int k = kBase + (int) (idx / mn);
        float s = (float) (1.0 / fmax((double) sigma[k * K], SPECNORM_EPS));
        float x = w[idx];
        float y = x * s;
        out[idx] = y;
        if (!isfinite(y)) {
            atomicOr(flags + k, isfinite(x) ? 1 : 3);
        }
    }
}

// out[r] = G_r . W_r (float64) for every row r of one batch: a warp per row.
extern "C" __global__ void row_dot(long long rows, int n, const float* __restrict__ g, const float* __restrict__ w,
                                   double* __restrict__ out) {
    long long warps = ((long long) gridDim.x * blockDim.x) >> 5;
    int lane = threadIdx.x & 31;
    for (long long r = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5; r < rows; r += warps) {
        const float* a = g + r * n;
        const float* b = w + r * n;
        double s = 0.0;
        for (int j = lane; j < n; j += 32) {
            s += (double) a[j] * (double) b[j];
        }
        for (int o = 16; o > 0; o >>= 1) {
            s += __shfl_down_sync(0xffffffffu, s, o);
        }
        if (lane == 0) {
            out[r] = s;
        }
    }
}

// SN backward coefficients, one block per matrix: sigma = u . (W v) (t = W v), inner = <G, W> summed
// over the matrix's rows; sigma > eps: scale = 1/sigma, coef = -inner/sigma^2 (a = coef u);
// else scale = 1/eps, coef = 0. meta[3k..3k+2] = (t offset, u offset, m); t and the row sums share the
// offset (both hold one value per row of the matrix).
extern "C" __global__ void backward_coefficients(int count, const int* __restrict__ meta, const float* __restrict__ t,
                                                 const float* __restrict__ u, const double* __restrict__ rowSums,
                                                 float* __restrict__ sigma, double* __restrict__ inner,
                                                 float* __restrict__ scale, double* __restrict__ coef) {
    for (int k = blockIdx.x; k < count; k += gridDim.x) {
        int to = meta[3 * k];
        int uo = meta[3 * k + 1];
        int m = meta[3 * k + 2];
        int r0 = to;
        float s = (float) block_dot(u + uo, t + to, m);
        double g = 0.0;
        for (int i = threadIdx.x; i < m; i += blockDim.x) {
            g += rowSums[r0 + i];
        }
        g = block_sum(g);
        if (threadIdx.x == 0) {
            sigma[k] = s;
            inner[k] = g;
            if (s > SPECNORM_EPS) {
                double si = 1.0 / s;
                scale[k] = (float) si;
                coef[k] = -g * si * si;
            } else {
                scale[k] = (float) (1.0 / SPECNORM_EPS);
                coef[k] = 0.0;
            }
        }
    }
}

// coef[k] = value (mode 0) or 2 value sigma_k (mode 1: the spectral regularizer's 2 lambda sigma).
extern "C" __global__ void fill_coefficients(int count, int mode, const float* __restrict__ sigma, int K, double value,
                                             double* __restrict__ coef) {
    for (int k = blockIdx.x * blockDim.x + threadIdx.x; k < count; k += gridDim.x * blockDim.x) {
        coef[k] = mode == 0 ? value : 2.0 * value * (double) sigma[k * K];
    }
}

// out_ij = gs_k G_ij + (float)(coef_k a_i) b_j + (float)(coef_k c_i) d_j for the matrices k = kBase + idx/mn
// of one batch; G omitted when g is null, the second term when c is null. a and c step by aStride per
// matrix, b and d by bStride. flags[k] |= 1 where an output is not finite.
extern "C" __global__ void rank_update(long long total, int n, int mn, int kBase, const float* __restrict__ g,
                                       const float* __restrict__ gs, const double* __restrict__ coef,
                                       const float* __restrict__ a, const float* __restrict__ b,
                                       const float* __restrict__ c, const float* __restrict__ d,
                                       int aStride, int bStride, float* __restrict__ out, int* __restrict__ flags) {
    for (long long idx = blockIdx.x * (long long) blockDim.x + threadIdx.x; idx < total;
         idx += (long long) gridDim.x * blockDim.x) {
        int local = (int) (idx / mn);
        int k = kBase + local;
        int e = (int) (idx - (long long) local * mn);
        int i = e / n;
        int j = e - i * n;
        double ck = coef[k];
        float ai = (float) (ck * a[(long long) local * aStride + i]);
        float y = ai * b[(long long) local * bStride + j];
        if (c != 0) {
            float ci = (float) (ck * c[(long long) local * aStride + i]);
            y = y + ci * d[(long long) local * bStride + j];
        }
        if (g != 0) {
            y = gs[k] * g[idx] + y;
        }
        out[idx] = y;
        if (!isfinite(y)) {
            atomicOr(flags + k, 1);
        }
    }
}

// The Gram penalties, first stage, a warp per row of the r x r Gram matrices (float, from cuBLAS) of one
// batch: the row is turned in place into the gradient's multiplier M and its share of R/beta is written to
// partial[row] in float64: penalty 0 biggan: M = A o (1 - I), R = |M|_F^2; 1 soft and 2 double-soft:
// M = Gram - I, R = |M|_F^2; 3 l1: M = sign(A - I), R = sum |A - I|. flags[k] |= 4 where a diagonal
// entry of the Gram matrix is not finite.
extern "C" __global__ void gram_rows(long long rows, int r, int kBase, int penalty, float* __restrict__ gram,
                                     double* __restrict__ partial, int* __restrict__ flags) {
    long long warps = ((long long) gridDim.x * blockDim.x) >> 5;
    int lane = threadIdx.x & 31;
    for (long long row = ((long long) blockIdx.x * blockDim.x + threadIdx.x) >> 5; row < rows; row += warps) {
        int i = (int) (row % r);
        float* a = gram + row * r;
        double s = 0.0;
        for (int j = lane; j < r; j += 32) {
            double x = a[j];
            if (i == j) {
                if (!isfinite(x)) {
                    atomicOr(flags + kBase + (int) (row / r), 4);
                }
                x = penalty == 0 ? 0.0 : x - 1.0;
            }
            if (penalty == 3) {
                s += fabs(x);
                a[j] = x > 0.0 ? 1.0f : (x < 0.0 ? -1.0f : 0.0f);
            } else {
                s += x * x;
                a[j] = (float) x;
            }
        }
        for (int o = 16; o > 0; o >>= 1) {
            s += __shfl_down_sync(0xffffffffu, s, o);
        }
        if (lane == 0) {
            partial[row] = s;
        }
    }
}

// The Gram penalties, second stage, one block per matrix: R/beta = the sum of its r row shares, then
// penalty 2 (double-soft): 2 R + |m - n|; penalty 1 (soft) with the smaller Gram of a tall W: R + m - n
// (extra holds the added constant, doubled is 1 for double-soft).
extern "C" __global__ void gram_sum(int count, int r, int kBase, int doubled, int extra,
                                    const double* __restrict__ partial, double* __restrict__ loss) {
    for (int local = blockIdx.x; local < count; local += gridDim.x) {
        double s = 0.0;
        for (int i = threadIdx.x; i < r; i += blockDim.x) {
            s += partial[(long long) local * r + i];
        }
        s = block_sum(s);
        if (threadIdx.x == 0) {
            loss[kBase + local] = (doubled ? 2.0 * s : s) + extra;
        }
    }
}

// Finishes a GEMM output: -0 becomes +0 (a product of zeros keeps the sign cuBLAS happened to give it;
// a sum started from +0, as the CPU backend's, never yields -0), and flags[kBase + idx/mn] |= bit where
// x[idx] is not finite.
extern "C" __global__ void finish_output(long long total, int mn, int kBase, float* __restrict__ x, int bit,
                                         int* __restrict__ flags) {
    for (long long idx = blockIdx.x * (long long) blockDim.x + threadIdx.x; idx < total;
         idx += (long long) gridDim.x * blockDim.x) {
        float v = x[idx] + 0.0f;
        x[idx] = v;
        if (!isfinite(v)) {
            atomicOr(flags + kBase + (int) (idx / mn), bit);
        }
    }
}

// Lanczos products in float64 with float32 W (m x n, row-major): out = W x, a warp per row.
extern "C" __global__ void matvec_f64(int m, int n, const float* __restrict__ w, const double* __restrict__ x,
                                      double* __restrict__ out) {
    int warps = (gridDim.x * blockDim.x) >> 5;
    int lane = threadIdx.x & 31;
    for (int i = (blockIdx.x * blockDim.x + threadIdx.x) >> 5; i < m; i += warps) {
        const float* row = w + (long long) i * n;
        double s = 0.0;
        for (int j = lane; j < n; j += 32) {
            s += (double) row[j] * x[j];
        }
        for (int o = 16; o > 0; o >>= 1) {
            s += __shfl_down_sync(0xffffffffu, s, o);
        }
        if (lane == 0) {
            out[i] = s;
        }
    }
}

// out = W^T y in float64: a thread per column, rows in order.
extern "C" __global__ void matvec_t_f64(int m, int n, const float* __restrict__ w, const double* __restrict__ y,
                                        double* __restrict__ out) {
    for (int j = blockIdx.x * blockDim.x + threadIdx.x; j < n; j += gridDim.x * blockDim.x) {
        double s = 0.0;
        for (int i = 0; i < m; i++) {
            s += y[i] * (double) w[(long long) i * n + j];
        }
        out[j] = s;
    }
}

// Power-of-two scaling before a factorization (one block per matrix of one batch): with 2^e the power of
// two nearest above max |w|, dst = w * 2^-e exactly (no rounding), exps[kBase + k] = e, so that float32
// products inside cuSOLVER neither underflow (entries near 1e-25) nor overflow (near 1e18); singular
// values are scaled back by 2^e. A zero matrix gets e = 0. flags[kBase + k] |= 2 for a non-finite entry.
extern "C" __global__ void scale_to_unit(int count, int mn, int kBase, const float* __restrict__ src,
                                         float* __restrict__ dst, int* __restrict__ exps, int* __restrict__ flags) {
    __shared__ float maxima[THREADS];
    for (int local = blockIdx.x; local < count; local += gridDim.x) {
        const float* w = src + (long long) local * mn;
        float* out = dst + (long long) local * mn;
        float m = 0.0f;
        int bad = 0;
        for (int i = threadIdx.x; i < mn; i += blockDim.x) {
            float a = fabsf(w[i]);
            if (!isfinite(a)) {
                bad = 1;
            } else {
                m = fmaxf(m, a);
            }
        }
        maxima[threadIdx.x] = m;
        bad = __syncthreads_or(bad);
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                maxima[threadIdx.x] = fmaxf(maxima[threadIdx.x], maxima[threadIdx.x + s]);
            }
            __syncthreads();
        }
        int e = 0;
        if (maxima[0] > 0.0f) {
            frexpf(maxima[0], &e);
        }
        for (int i = threadIdx.x; i < mn; i += blockDim.x) {
            out[i] = ldexpf(w[i], -e);
        }
        if (threadIdx.x == 0) {
            exps[kBase + local] = e;
            if (bad) {
                atomicOr(flags + kBase + local, 2);
            }
        }
        __syncthreads();
    }
}
