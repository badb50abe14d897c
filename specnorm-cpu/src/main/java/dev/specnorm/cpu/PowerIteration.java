package dev.specnorm.cpu;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.StateLayout;

/**
 * Power iteration on one matrix (Miyato et al., "Spectral Normalization for Generative Adversarial
 * Networks", ICLR 2018, Algorithm 1; SPEC.md "Power iteration"): one iteration is
 * v ← normalize(Aᵀu), u ← normalize(A v), and σ̂ = uᵀAv, where normalize(x) = x / max(‖x‖₂, eps) and a
 * zero vector never replaces the stored one. A is W ({@link StateLayout.Operator#MATRIX}) or, for SRIP,
 * the symmetric G = WWᵀ − Iₘ (m ≤ n) or WᵀW − Iₙ (m &gt; n) ({@link StateLayout.Operator#GRAM}), applied
 * as W(Wᵀx) − x or Wᵀ(Wx) − x without forming G.
 *
 * <p>With k vectors per matrix (BigGAN's {@code num_svs}), iteration j of each sweep deflates:
 * v_j ← normalize(Aᵀu_j minus its projections on v_1..v_{j−1}), u_j ← normalize(A v_j minus its
 * projections on u_1..u_{j−1}), σ̂_j = u_jᵀ A v_j.
 *
 * <p>For one vector on W, consecutive iterations share a pass: the pass computing t = W v also
 * accumulates Wᵀt, and Wᵀu = Wᵀt / max(‖t‖, eps) starts the next iteration, so k iterations read W
 * k + 1 times instead of 2k. After k ≥ 1 iterations σ̂ = uᵀ(Wv) = ‖Wv‖ (or ‖Wv‖²/eps below eps), known
 * from the last pass.
 *
 * <p>One instance per participant, kept from call to call ({@link PowerCalls}). Its work vectors are the
 * slots of its own {@link Workspace}, taken again for each matrix and grown to the largest one seen, and
 * its {@link MatrixPasses} keep their pass state likewise, so steady-state iterations allocate nothing.
 */
final class PowerIteration {

    private static final double EPS = Conventions.EPS;

    private final MatrixPasses passes;
    private final Workspace workspace = new Workspace();
    /** Slots of the workspace. */
    private static final int U = 0;

    private static final int V = 1;
    private static final int ADJOINT = 2;
    private static final int FORWARD = 3;
    private static final int FORWARD_COPY = 4;
    private static final int GRAM_INNER = 5;
    private static final int OPERAND = 6;

    private float[] u;
    private float[] v;
    private float[] y;
    private float[] t;
    private float[] t2;
    private float[] tmp;
    private float[] tmpVector;

    private boolean gram;
    private int p;
    private int q;

    PowerIteration(MatrixPasses passes) {
        this.passes = passes;
    }

    /** The work vector u after {@link #run}: {@code vectors} rows of its u length. */
    float[] u() {
        return u;
    }

    /** The work vector v after {@link #run}. */
    float[] v() {
        return v;
    }

    /** The passes over the bound matrix. */
    MatrixPasses passes() {
        return passes;
    }

    /**
     * Runs on the matrix bound to {@link #passes()}: loads the state of this matrix ({@code vectors} u
     * rows at uIn[uo..], v rows at vIn[vo..]) into the work vectors, optionally initializes
     * (v ← normalize(Aᵀu), deflated, keeping the stored v where that is zero), runs {@code iterations}
     * iterations (0: evaluates), writes σ̂_j to sigma[so + j] and, if uOut is not null, the new vectors to
     * uOut[uo..], vOut[vo..]. Initialization with no iterations leaves sigma as it was. A non-finite norm
     * stops early and leaves a non-finite σ̂.
     */
    void run(
            StateLayout.Operator operator,
            int vectors,
            float[] uIn,
            float[] vIn,
            int uo,
            int vo,
            boolean initialize,
            int iterations,
            float[] sigma,
            int so,
            float[] uOut,
            float[] vOut) {
        int m = passes.rows();
        int n = passes.cols();
        gram = operator == StateLayout.Operator.GRAM;
        p = gram ? Math.min(m, n) : m;
        q = gram ? Math.min(m, n) : n;
        ensure(vectors, m, n);
        System.arraycopy(uIn, uo, u, 0, vectors * p);
        System.arraycopy(vIn, vo, v, 0, vectors * q);
        boolean finite = !initialize || initialize(vectors, sigma, so);
        if (finite && (iterations > 0 || !initialize)) {
            if (iterations == 0) {
                evaluate(vectors, sigma, so);
            } else if (vectors == 1) {
                iterateOne(iterations, sigma, so);
            } else {
                iterateDeflated(vectors, iterations, sigma, so);
            }
        }
        if (uOut != null) {
            System.arraycopy(u, 0, uOut, uo, vectors * p);
            System.arraycopy(v, 0, vOut, vo, vectors * q);
        }
    }

    private boolean initialize(int vectors, float[] sigma, int so) {
        for (int j = 0; j < vectors; j++) {
            adjoint(u, j * p, y);
            if (!deflateAndStore(y, v, j, q, sigma, so)) {
                return false;
            }
        }
        return true;
    }

    private void evaluate(int vectors, float[] sigma, int so) {
        for (int j = 0; j < vectors; j++) {
            forward(v, j * q, t);
            sigma[so + j] = (float) Vectors.dot(u, j * p, t, 0, p);
        }
    }

    /** One vector: iterations share passes as the class comment describes. */
    private void iterateOne(int iterations, float[] sigma, int so) {
        boolean haveY = false;
        double ny = 0;
        double s = 0;
        for (int it = 0; it < iterations; it++) {
            if (!haveY) {
                adjoint(u, 0, y);
                ny = Vectors.norm(y, q);
            }
            if (!Double.isFinite(ny)) {
                s = ny;
                break;
            }
            if (ny > 0) {
                Vectors.scale(y, 1 / Math.max(ny, EPS), v, 0, q);
            }
            boolean fuse = !gram && it + 1 < iterations;
            if (fuse) {
                passes.multiplyBoth(v, t, y);
            } else {
                forward(v, 0, t);
            }
            double nt = Vectors.norm(t, p);
            if (!Double.isFinite(nt)) {
                s = nt;
                break;
            }
            double div = Math.max(nt, EPS);
            if (nt > 0) {
                Vectors.scale(t, 1 / div, u, 0, p);
            }
            s = nt >= EPS ? nt : nt * nt / EPS;
            haveY = false;
            if (fuse && nt > 0) {
                double nz = Vectors.norm(y, q);
                if (nz > 0 && Double.isFinite(nz)) {
                    // y = Wᵀt = div·Wᵀu: rescale so that y = Wᵀu, as the unfused pass would give
                    Vectors.scale(y, 1 / div, y, 0, q);
                    ny = nz / div;
                    haveY = true;
                }
            }
        }
        sigma[so] = (float) s;
    }

    private void iterateDeflated(int vectors, int iterations, float[] sigma, int so) {
        for (int it = 0; it < iterations; it++) {
            for (int j = 0; j < vectors; j++) {
                adjoint(u, j * p, y);
                if (!deflateAndStore(y, v, j, q, sigma, so + j)) {
                    return;
                }
                forward(v, j * q, t);
                // deflate a copy: σ̂ⱼ = uⱼᵀ(A vⱼ) needs the product itself
                System.arraycopy(t, 0, t2, 0, p);
                if (!deflateAndStore(t2, u, j, p, sigma, so + j)) {
                    return;
                }
                sigma[so + j] = (float) Vectors.dot(u, j * p, t, 0, p);
            }
        }
    }

    /**
     * One deflated half-step for vector j, after the product x = Aᵀuⱼ or A vⱼ: x minus its projections on
     * rows 0..j−1 of {@code rows} (each of length len), then row j ← x / max(‖x‖, eps), the stored row kept
     * where x is zero. A non-finite ‖x‖ is written to sigma[at] and stores nothing: returns false.
     */
    private boolean deflateAndStore(float[] x, float[] rows, int j, int len, float[] sigma, int at) {
        for (int l = 0; l < j; l++) {
            Vectors.removeProjection(x, rows, l * len, len);
        }
        double norm = Vectors.norm(x, len);
        if (!Double.isFinite(norm)) {
            sigma[at] = (float) norm;
            return false;
        }
        if (norm > 0) {
            Vectors.scale(x, 1 / Math.max(norm, EPS), rows, j * len, len);
        }
        return true;
    }

    /** out = A x, x = src[so .. so+q). */
    private void forward(float[] src, int so, float[] out) {
        float[] x = vector(src, so, q);
        if (gram) {
            applyGram(x, out);
        } else {
            passes.multiply(x, out);
        }
    }

    /** out = Aᵀ x, x = src[so .. so+p). */
    private void adjoint(float[] src, int so, float[] out) {
        float[] x = vector(src, so, p);
        if (gram) {
            applyGram(x, out);
        } else {
            passes.multiplyTransposed(x, out);
        }
    }

    /** out = G x without forming G: W(Wᵀx) − x for m ≤ n, Wᵀ(Wx) − x for m &gt; n. */
    private void applyGram(float[] x, float[] out) {
        int r = Math.min(passes.rows(), passes.cols());
        if (passes.rows() <= passes.cols()) {
            passes.multiplyTransposed(x, tmp);
            passes.multiply(tmp, out);
        } else {
            passes.multiplyBoth(x, tmp, out);
        }
        for (int i = 0; i < r; i++) {
            out[i] -= x[i];
        }
    }

    /** The vector src[so .. so+len) as an array starting at 0 (copied if it does not start there). */
    private float[] vector(float[] src, int so, int len) {
        if (so == 0) {
            return src;
        }
        System.arraycopy(src, so, tmpVector, 0, len);
        return tmpVector;
    }

    private void ensure(int vectors, int m, int n) {
        int big = Math.max(m, n);
        Workspace ws = workspace;
        u = ws.vector(U, vectors * p);
        v = ws.vector(V, vectors * q);
        y = ws.vector(ADJOINT, big);
        t = ws.vector(FORWARD, big);
        t2 = ws.vector(FORWARD_COPY, big);
        tmp = ws.vector(GRAM_INNER, big);
        tmpVector = ws.vector(OPERAND, big);
    }
}
