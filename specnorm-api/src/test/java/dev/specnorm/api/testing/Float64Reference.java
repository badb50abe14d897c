package dev.specnorm.api.testing;

import dev.specnorm.api.Conventions;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.StateLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Every formula of SPEC.md in float64 on float32 inputs, written from SPEC.md alone: normalize with the
 * eps and zero-vector rules, the seeded initial state, power iteration (v first) on W or on the SRIP
 * operator G, top-k deflation, σ̂ = uᵀAv, spectral normalization forward and backward, the spectral-norm
 * regularizer and every orthogonality penalty with its gradient.
 *
 * <p>Each formula also has its "absolute" bound of SPEC.md "Accuracy expectations": the same formula on
 * |W|, |G|, |u|, |v| with every subtraction made an addition ({@link Evaluation#valueBound},
 * {@link Evaluation#gradientBound}); a float32 result passes when ‖g − g₆₄‖_F ≤ 1e-5‖ḡ‖_F.
 */
public final class Float64Reference {

    /** eps of normalize and of Ŵ = W / max(σ̂, eps), as the backends use it (float 1e-12 widened). */
    public static final double EPS = Conventions.EPS;

    private Float64Reference() {}

    // ------------------------------------------------------------------ operators

    /** A linear operator A with its transpose and its absolute counterpart Ā (for bounds). */
    public interface Operator {
        /** Rows of A (length of u). */
        int rows();

        /** Columns of A (length of v). */
        int cols();

        /** A x. */
        double[] apply(double[] x);

        /** Aᵀ x. */
        double[] applyTranspose(double[] x);

        /** Ā: the operator on |W| with subtractions made additions. */
        Operator abs();
    }

    /** The operator W itself (SPEC.md "Spectral norm"). */
    public static Operator matrix(Dense w) {
        return new Operator() {
            @Override
            public int rows() {
                return w.rows;
            }

            @Override
            public int cols() {
                return w.cols;
            }

            @Override
            public double[] apply(double[] x) {
                return w.times(x);
            }

            @Override
            public double[] applyTranspose(double[] x) {
                return w.transposeTimes(x);
            }

            @Override
            public Operator abs() {
                return matrix(w.abs());
            }
        };
    }

    /**
     * The SRIP operator G: W Wᵀ − Iₘ when m ≤ n, else Wᵀ W − Iₙ (the smaller Gram minus the identity),
     * symmetric, r×r.
     */
    public static Operator gram(Dense w) {
        return gram(w, -1);
    }

    private static Operator gram(Dense w, double identitySign) {
        boolean wide = w.rows <= w.cols;
        int r = Math.min(w.rows, w.cols);
        return new Operator() {
            @Override
            public int rows() {
                return r;
            }

            @Override
            public int cols() {
                return r;
            }

            @Override
            public double[] apply(double[] x) {
                double[] y = wide ? w.times(w.transposeTimes(x)) : w.transposeTimes(w.times(x));
                return Dense.plus(y, identitySign, x);
            }

            @Override
            public double[] applyTranspose(double[] x) {
                return apply(x);
            }

            @Override
            public Operator abs() {
                return gram(w.abs(), +1);
            }
        };
    }

    /** G as a dense matrix (for the SRIP value and tests). */
    public static Dense gramMatrix(Dense w) {
        Dense g = w.rows <= w.cols ? w.times(w.transpose()) : w.transpose().times(w);
        return g.plus(-1, Dense.identity(g.rows));
    }

    // ------------------------------------------------------------------ power iteration

    /** normalize(x) = x / max(‖x‖₂, eps); a zero x returns {@code kept} (the stored vector stays). */
    public static double[] normalize(double[] x, double[] kept) {
        boolean zero = true;
        for (double xi : x) {
            zero &= xi == 0;
        }
        if (zero) {
            return kept.clone();
        }
        double d = Math.max(Dense.norm2(x), EPS);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / d;
        }
        return y;
    }

    /** Power-iteration vectors of one matrix: k left vectors u (rows of length m) and k right vectors v. */
    public static final class Vectors {
        /** u₁..u_k. */
        public final double[][] u;
        /** v₁..v_k. */
        public final double[][] v;

        /** Vectors holding {@code u} and {@code v} (not copied). */
        public Vectors(double[][] u, double[][] v) {
            this.u = u;
            this.v = v;
        }

        /** Vectors per matrix. */
        public int count() {
            return u.length;
        }

        /** A deep copy. */
        public Vectors copy() {
            double[][] cu = new double[u.length][];
            double[][] cv = new double[v.length][];
            for (int j = 0; j < u.length; j++) {
                cu[j] = u[j].clone();
                cv[j] = v[j].clone();
            }
            return new Vectors(cu, cv);
        }
    }

    /**
     * The state of every matrix of {@code layout} as exported ({@link PowerState#exportU()},
     * {@link PowerState#exportV()}), widened to float64.
     */
    public static List<Vectors> unpack(StateLayout layout, float[] u, float[] v) {
        List<Vectors> out = new ArrayList<>();
        int k = layout.vectors();
        for (int m = 0; m < layout.matrices(); m++) {
            double[][] um = new double[k][];
            double[][] vm = new double[k][];
            for (int j = 0; j < k; j++) {
                um[j] = Dense.vector(u, layout.uOffset(m) + j * layout.uLength(m), layout.uLength(m));
                vm[j] = Dense.vector(v, layout.vOffset(m) + j * layout.vLength(m), layout.vLength(m));
            }
            out.add(new Vectors(um, vm));
        }
        return out;
    }

    /**
     * The seeded vectors before any product with W (SPEC.md "Initial state"), exactly as the facade draws
     * them: from {@code SeededGaussian(seed, index)}, first the k u-vectors of length {@code uLength},
     * then the k fallback v-vectors of length {@code vLength}, each normalized in float64 and rounded to
     * float32.
     */
    public static Vectors seeded(long seed, int index, int vectors, int uLength, int vLength) {
        SeededGaussian g = new SeededGaussian(seed, index);
        double[][] u = new double[vectors][];
        double[][] v = new double[vectors][];
        for (int j = 0; j < vectors; j++) {
            u[j] = unitRow(g, uLength);
        }
        for (int j = 0; j < vectors; j++) {
            v[j] = unitRow(g, vLength);
        }
        return new Vectors(u, v);
    }

    private static double[] unitRow(SeededGaussian g, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.nextGaussian();
        }
        double norm = Math.sqrt(Dense.dot(x, x));
        for (int i = 0; i < n; i++) {
            x[i] = (float) (x[i] / norm);
        }
        return x;
    }

    /**
     * The initialization step after seeding: vⱼ ← normalize(Aᵀuⱼ minus its projections on v₁..vⱼ₋₁), the
     * fallback vⱼ kept where that is zero. Returns new vectors; u is unchanged.
     */
    public static Vectors initialize(Operator a, Vectors s) {
        Vectors t = s.copy();
        for (int j = 0; j < t.count(); j++) {
            t.v[j] = normalize(deflate(a.applyTranspose(t.u[j]), t.v, j), t.v[j]);
        }
        return t;
    }

    /**
     * {@code iterations} power iterations (SPEC.md): for j = 1..k, vⱼ ← normalize(Aᵀuⱼ deflated against
     * v₁..vⱼ₋₁), then uⱼ ← normalize(A vⱼ deflated against u₁..uⱼ₋₁), zero vectors never stored.
     */
    public static Vectors iterate(Operator a, Vectors s, int iterations) {
        Vectors t = s.copy();
        for (int it = 0; it < iterations; it++) {
            for (int j = 0; j < t.count(); j++) {
                t.v[j] = normalize(deflate(a.applyTranspose(t.u[j]), t.v, j), t.v[j]);
                t.u[j] = normalize(deflate(a.apply(t.v[j]), t.u, j), t.u[j]);
            }
        }
        return t;
    }

    /** x minus its projections on y₀..y_{j−1} (modified Gram–Schmidt; the y are unit vectors). */
    static double[] deflate(double[] x, double[][] y, int j) {
        double[] z = x.clone();
        for (int i = 0; i < j; i++) {
            double d = Dense.dot(y[i], z);
            for (int t = 0; t < z.length; t++) {
                z[t] -= d * y[i][t];
            }
        }
        return z;
    }

    /** The absolute bound of {@link #deflate}: x̄ plus |yᵢ|(|yᵢ|ᵀx̄) for every yᵢ projected out. */
    static double[] deflateBound(double[] xbar, double[][] y, int j) {
        double[] z = xbar.clone();
        for (int i = 0; i < j; i++) {
            double[] ay = Dense.abs(y[i]);
            double d = Dense.dot(ay, xbar);
            for (int t = 0; t < z.length; t++) {
                z[t] += d * ay[t];
            }
        }
        return z;
    }

    /** σ̂ⱼ = uⱼᵀ A vⱼ for every vector pair. */
    public static double[] sigma(Operator a, Vectors s) {
        double[] out = new double[s.count()];
        for (int j = 0; j < out.length; j++) {
            out[j] = Dense.dot(s.u[j], a.apply(s.v[j]));
        }
        return out;
    }

    /** The absolute bound of σ̂ⱼ: |uⱼ|ᵀ Ā |vⱼ|. */
    public static double[] sigmaBound(Operator a, Vectors s) {
        Operator abs = a.abs();
        double[] out = new double[s.count()];
        for (int j = 0; j < out.length; j++) {
            out[j] = Dense.dot(Dense.abs(s.u[j]), abs.apply(Dense.abs(s.v[j])));
        }
        return out;
    }

    // ------------------------------------------------------------------ evaluations

    /**
     * A scalar and a gradient in float64 with their absolute bounds (SPEC.md "Accuracy expectations").
     *
     * @param value         R₆₄
     * @param valueBound    the formula of R on |W|, |u|, |v| with subtractions made additions
     * @param gradient      g₆₄ (or the forward output for spectral normalization)
     * @param gradientBound ḡ
     */
    public record Evaluation(double value, double valueBound, Dense gradient, Dense gradientBound) {}

    /** Ŵ = W / max(σ̂, eps) with σ̂ = uᵀWv of the given vectors; value σ̂, bound |u|ᵀ|W||v|, gradient Ŵ. */
    public static Evaluation normalizeForward(Dense w, double[] u, double[] v) {
        double sigma = Dense.dot(u, w.times(v));
        double bound = Dense.dot(Dense.abs(u), w.abs().times(Dense.abs(v)));
        double d = Math.max(sigma, EPS);
        return new Evaluation(sigma, bound, w.scale(1 / d), w.abs().scale(1 / d));
    }

    /**
     * SN backward with u, v constant: (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂ when σ̂ &gt; eps, G/eps otherwise; bound
     * (|G| + |⟨G, Ŵ⟩|·|u||v|ᵀ)/σ̂ as SPEC.md writes it (|G|/eps in the eps branch). The value is the loss
     * L = ⟨G, Ŵ⟩ whose gradient this is, bounded by ⟨|G|, |W|⟩ / max(σ̂, eps).
     */
    public static Evaluation normalizeBackward(Dense w, double[] u, double[] v, Dense gradOutput) {
        double sigma = Dense.dot(u, w.times(v));
        double loss = normalizeLoss(w, u, v, gradOutput);
        double lossBound = gradOutput.abs().dot(w.abs()) / Math.max(sigma, EPS);
        if (sigma <= EPS) {
            return new Evaluation(
                    loss, lossBound, gradOutput.scale(1 / EPS), gradOutput.abs().scale(1 / EPS));
        }
        Dense normalized = w.scale(1 / sigma);
        double inner = gradOutput.dot(normalized);
        Dense g = gradOutput.plus(-inner, Dense.outer(u, v)).scale(1 / sigma);
        Dense bound = gradOutput
                .abs()
                .plus(Math.abs(inner), Dense.outer(Dense.abs(u), Dense.abs(v)))
                .scale(1 / sigma);
        return new Evaluation(loss, lossBound, g, bound);
    }

    /** The loss whose gradient {@link #normalizeBackward} is: L(W) = ⟨G, W / max(uᵀWv, eps)⟩, u, v fixed. */
    public static double normalizeLoss(Dense w, double[] u, double[] v, Dense gradOutput) {
        double sigma = Dense.dot(u, w.times(v));
        return gradOutput.dot(w) / Math.max(sigma, EPS);
    }

    /** R = λσ̂², ∂R/∂W = 2λσ̂ u vᵀ, σ̂ = uᵀWv (u, v constant). */
    public static Evaluation regularizer(Dense w, double[] u, double[] v, double lambda) {
        double sigma = Dense.dot(u, w.times(v));
        double sbar = Dense.dot(Dense.abs(u), w.abs().times(Dense.abs(v)));
        return new Evaluation(
                lambda * sigma * sigma,
                Math.abs(lambda) * sbar * sbar,
                Dense.outer(u, v).scale(2 * lambda * sigma),
                Dense.outer(Dense.abs(u), Dense.abs(v)).scale(2 * Math.abs(lambda) * sbar));
    }

    /** The value of the regularizer for finite differences. */
    public static double regularizerLoss(Dense w, double[] u, double[] v, double lambda) {
        double sigma = Dense.dot(u, w.times(v));
        return lambda * sigma * sigma;
    }

    /**
     * An orthogonality penalty of one matrix (not SRIP; SLICES means BIGGAN of one slice), per the table
     * of SPEC.md, with A = W Wᵀ.
     */
    public static Evaluation penalty(Penalty p, Dense w, double beta) {
        Dense wt = w.transpose();
        Dense a = w.times(wt);
        Dense i = Dense.identity(w.rows);
        Dense aw = w.abs();
        Dense abar = aw.times(aw.transpose());
        double b = Math.abs(beta);
        switch (p) {
            case BIGGAN, SLICES -> {
                Dense off = a.offDiagonal();
                Dense offBar = abar.offDiagonal();
                return new Evaluation(
                        beta * square(off),
                        b * square(offBar),
                        off.times(w).scale(4 * beta),
                        offBar.times(aw).scale(4 * b));
            }
            case SOFT -> {
                Dense d = a.plus(-1, i);
                Dense dBar = abar.plus(1, i);
                return new Evaluation(
                        beta * square(d),
                        b * square(dBar),
                        d.times(w).scale(4 * beta),
                        dBar.times(aw).scale(4 * b));
            }
            case DOUBLE_SOFT -> {
                Dense right = wt.times(w).plus(-1, Dense.identity(w.cols));
                Dense rightBar = aw.transpose().times(aw).plus(1, Dense.identity(w.cols));
                Dense g = a.times(w).plus(-1, w).scale(8 * beta);
                Dense gBar = abar.times(aw).plus(1, aw).scale(8 * b);
                return new Evaluation(
                        beta * (square(a.plus(-1, i)) + square(right)),
                        b * (square(abar.plus(1, i)) + square(rightBar)),
                        g,
                        gBar);
            }
            case L1 -> {
                Dense d = a.plus(-1, i);
                Dense dBar = abar.plus(1, i);
                return new Evaluation(
                        beta * d.sumAbs(),
                        b * dBar.sumAbs(),
                        d.sign().times(w).scale(2 * beta),
                        dBar.sign().times(aw).scale(2 * b));
            }
            case SRIP -> throw new IllegalArgumentException("SRIP needs its vectors: use srip(w, u, v, beta)");
            default -> throw new AssertionError(p);
        }
    }

    /** The value of a Gram penalty, for finite differences. */
    public static double penaltyLoss(Penalty p, Dense w, double beta) {
        return penalty(p, w, beta).value();
    }

    /**
     * SRIP with fixed u, v ∈ Rʳ: R = β uᵀGv, ∂R/∂W = β(uvᵀ + vuᵀ)W if G = WWᵀ − Iₘ, βW(uvᵀ + vuᵀ) if
     * G = WᵀW − Iₙ.
     */
    public static Evaluation srip(Dense w, double[] u, double[] v, double beta) {
        Operator g = gram(w);
        double value = beta * Dense.dot(u, g.apply(v));
        double bound = Math.abs(beta) * Dense.dot(Dense.abs(u), g.abs().apply(Dense.abs(v)));
        Dense sym = Dense.outer(u, v).plus(1, Dense.outer(v, u));
        Dense symBar = Dense.outer(Dense.abs(u), Dense.abs(v)).plus(1, Dense.outer(Dense.abs(v), Dense.abs(u)));
        boolean wide = w.rows <= w.cols;
        Dense grad = (wide ? sym.times(w) : w.times(sym)).scale(beta);
        Dense gradBar = (wide ? symBar.times(w.abs()) : w.abs().times(symBar)).scale(Math.abs(beta));
        return new Evaluation(value, bound, grad, gradBar);
    }

    /** The SRIP value with fixed u, v, for finite differences. */
    public static double sripLoss(Dense w, double[] u, double[] v, double beta) {
        return beta * Dense.dot(u, gram(w).apply(v));
    }

    /**
     * SRIP from fresh state as {@code orthogonalPenalty(SRIP)} runs it: seed 0, the matrix's stream, no
     * warm-up, {@link Conventions#SRIP_ITERATIONS} iterations on G, then β uᵀGv.
     */
    public static Evaluation sripFresh(Dense w, int index, double beta) {
        Operator g = gram(w);
        int r = Math.min(w.rows, w.cols);
        Vectors s = iterate(g, initialize(g, seeded(0, index, 1, r, r)), Conventions.SRIP_ITERATIONS);
        return srip(w, s.u[0], s.v[0], beta);
    }

    private static double square(Dense d) {
        double f = d.frobenius();
        return f * f;
    }
}
