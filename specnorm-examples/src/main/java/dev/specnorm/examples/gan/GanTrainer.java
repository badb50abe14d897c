package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A GAN on a {@link GaussianMixture} (Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014) with a
 * chosen {@link GanLoss}, generator and discriminator MLPs of three hidden layers of 128 with LeakyReLU(0.2),
 * z ~ N(0, I₁₆), Adam (rate, β₁, β₂) for both networks, {@code dSteps} discriminator steps per generator step
 * (SN-GAN's n_dis), optionally with both rates decayed linearly to 0, and the discriminator D(x) = K·f(x), f the MLP whose weights are held by a
 * {@link Constraint} computed by the library ({@link ConstrainedWeights}); under {@code sn} ‖f‖_L ≤ 1, so
 * ‖D‖_L ≤ K (the Lipschitz scale).
 *
 * <p>Metrics ({@link Metrics}): modes covered, high-quality share, the mode histogram's KL to uniform and the
 * energy distance to real data of 2,500 generated samples; the Lipschitz upper bound K·∏ₗ σ(Mₗ), the exact
 * spectral norms of the matrices the forward pass uses (LeakyReLU is 1-Lipschitz); and the largest ‖∇ₓD(x)‖
 * over a batch of real data, a lower bound of D's Lipschitz constant.
 */
public final class GanTrainer implements AutoCloseable {

    /** Latent dimension. */
    public static final int LATENT = 16;
    /** Hidden width. */
    public static final int HIDDEN = 128;
    /** Samples for the quality metrics. */
    public static final int EVAL_SAMPLES = 2500;

    /**
     * The settings of one mixture GAN run.
     *
     * @param constraint the discriminator's constraint
     * @param strength   its λ or β
     * @param problem    the data
     * @param loss       the GAN objective
     * @param steps      generator steps
     * @param batch      samples per step
     * @param rate       Adam's learning rate (both networks)
     * @param beta1      Adam's β₁
     * @param beta2      Adam's β₂
     * @param dSteps     discriminator updates per generator update (SN-GAN's n_dis)
     * @param scale      the Lipschitz scale K of D = K·f
     * @param linearDecay whether both rates fall linearly to 0 over the generator steps (rate·(1 − (t − 1)/steps)
     *                   at step t, as SN-GAN's code schedules them), else stay constant
     * @param every      steps between metrics
     * @param seed       seed of the weights, the data and the noise
     */
    public record Options(
            Constraint constraint,
            double strength,
            GaussianMixture problem,
            GanLoss loss,
            int steps,
            int batch,
            double rate,
            double beta1,
            double beta2,
            int dSteps,
            double scale,
            boolean linearDecay,
            int every,
            long seed) {

        /** @throws IllegalArgumentException for non-positive counts, rate or scale, betas outside [0, 1), a negative strength */
        public Options {
            if (constraint == null || problem == null || loss == null) {
                throw new IllegalArgumentException("GAN options need a constraint, a problem and a loss");
            }
            if (steps < 1
                    || batch < 1
                    || every < 1
                    || dSteps < 1
                    || !(rate > 0)
                    || !(strength >= 0)
                    || !(beta1 >= 0 && beta1 < 1)
                    || !(beta2 >= 0 && beta2 < 1)
                    || !(scale > 0)
                    || !Double.isFinite(rate)
                    || !Double.isFinite(scale)
                    || !Double.isFinite(strength)) {
                throw new IllegalArgumentException("GAN options need steps, batch, every, d-steps ≥ 1, rate > 0, "
                        + "0 ≤ β₁, β₂ < 1, scale > 0, strength ≥ 0");
            }
        }
    }

    /**
     * One measurement (losses averaged over the steps since the previous one); {@code layerNorms} are the exact
     * σ of the matrices the discriminator's forward pass uses, {@code lipschitzBound} K times their product;
     * {@code samples} are the {@value #EVAL_SAMPLES} generated points the quality metrics were computed on,
     * rows of (x, y); {@code modeCount} the problem's number of modes.
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
    public record Metrics(
            int step,
            double discriminatorLoss,
            double generatorLoss,
            double penalty,
            int modesCovered,
            int modeCount,
            double highQuality,
            double klUniform,
            double energyDistance,
            double lipschitzBound,
            double maxGradientNorm,
            float[] layerNorms,
            double[] samples) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Metrics r
                    && step == r.step
                    && Double.compare(discriminatorLoss, r.discriminatorLoss) == 0
                    && Double.compare(generatorLoss, r.generatorLoss) == 0
                    && Double.compare(penalty, r.penalty) == 0
                    && modesCovered == r.modesCovered
                    && modeCount == r.modeCount
                    && Double.compare(highQuality, r.highQuality) == 0
                    && Double.compare(klUniform, r.klUniform) == 0
                    && Double.compare(energyDistance, r.energyDistance) == 0
                    && Double.compare(lipschitzBound, r.lipschitzBound) == 0
                    && Double.compare(maxGradientNorm, r.maxGradientNorm) == 0
                    && Arrays.equals(layerNorms, r.layerNorms)
                    && Arrays.equals(samples, r.samples);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    step,
                    discriminatorLoss,
                    generatorLoss,
                    penalty,
                    modesCovered,
                    modeCount,
                    highQuality,
                    klUniform,
                    energyDistance,
                    lipschitzBound,
                    maxGradientNorm,
                    Arrays.hashCode(layerNorms),
                    Arrays.hashCode(samples));
        }

        @Override
        public String toString() {
            return "Metrics[step=" + step + ", discriminatorLoss=" + discriminatorLoss + ", generatorLoss="
                    + generatorLoss + ", penalty=" + penalty + ", modesCovered=" + modesCovered + ", modeCount="
                    + modeCount + ", highQuality=" + highQuality + ", klUniform=" + klUniform + ", energyDistance="
                    + energyDistance + ", lipschitzBound=" + lipschitzBound + ", maxGradientNorm=" + maxGradientNorm
                    + ", layerNorms=" + Arrays.toString(layerNorms) + ", samples=" + Arrays.toString(samples) + "]";
        }
    }

    private final SpectralBackend backend;
    private final Options options;
    private final Random random;
    private final Mlp generator;
    private final Mlp discriminator;
    private final ConstrainedWeights constrained;
    private final List<Adam> gOpt = new ArrayList<>();
    private final List<Adam> dOpt = new ArrayList<>();
    private final double[] reference;
    private double rate;

    /** A trainer with freshly initialized networks. */
    public GanTrainer(SpectralBackend backend, Options options) {
        this.backend = backend;
        this.options = options;
        this.random = new Random(options.seed());
        generator = new Mlp(new int[] {LATENT, HIDDEN, HIDDEN, HIDDEN, 2}, 0.2, random::nextGaussian);
        discriminator = new Mlp(new int[] {2, HIDDEN, HIDDEN, HIDDEN, 1}, 0.2, random::nextGaussian);
        constrained = new ConstrainedWeights(
                backend, options.constraint(), options.strength(), discriminator, options.seed());
        addOptimizers(generator, gOpt);
        addOptimizers(discriminator, dOpt);
        reference = options.problem().sample(EVAL_SAMPLES, new Random(~options.seed()));
        rate = options.rate();
    }

    public Mlp generator() {
        return generator;
    }

    public Mlp discriminator() {
        return discriminator;
    }

    /** The matrices the discriminator's last forward pass used (Ŵ under sn), without a new iteration. */
    List<float[]> usedMatrices() {
        return constrained.current();
    }

    /** The constraint's σ̂ at the last forward pass under sn (null otherwise). */
    public float[] sigma() {
        return constrained.sigma();
    }

    /** Trains; calls {@code progress} with each measurement (at step 0, every {@code every} steps, and at the end). */
    public List<Metrics> train(Consumer<Metrics> progress) {
        List<Metrics> out = new ArrayList<>();
        Metrics first = measure(0, 0, 0, 0);
        out.add(first);
        progress.accept(first);
        double dSum = 0;
        double gSum = 0;
        double pSum = 0;
        int since = 0;
        for (int step = 1; step <= options.steps(); step++) {
            rate = options.linearDecay()
                    ? options.rate() * (1 - (step - 1) / (double) options.steps())
                    : options.rate();
            for (int k = 0; k < options.dSteps(); k++) {
                double[] d = discriminatorStep();
                dSum += d[0] / options.dSteps();
                pSum += d[1] / options.dSteps();
            }
            gSum += generatorStep();
            since++;
            if (step % options.every() == 0 || step == options.steps()) {
                Metrics m = measure(step, dSum / since, gSum / since, pSum / since);
                out.add(m);
                progress.accept(m);
                dSum = gSum = pSum = 0;
                since = 0;
            }
        }
        return out;
    }

    /** One discriminator update; returns {L_D, penalty}. */
    double[] discriminatorStep() {
        int b = options.batch();
        GanLoss loss = options.loss();
        List<float[]> m = constrained.matrices();
        discriminator.zeroGradients();
        double[] tr = output(options.problem().sample(b, random), b, m);
        double value = 0;
        double[] gr = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.real(tr[i]) / b;
            gr[i] = loss.realDerivative(tr[i]) / b;
        }
        backward(gr);
        double[] tf = output(generator.forward(noise(b), b, null), b, m);
        double[] gf = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.fake(tf[i]) / b;
            gf[i] = loss.fakeDerivative(tf[i]) / b;
        }
        backward(gf);
        double penalty = constrained.finish();
        step(discriminator, dOpt);
        return new double[] {value, penalty};
    }

    /** One generator update through the (constrained) discriminator; returns L_G. */
    double generatorStep() {
        int b = options.batch();
        GanLoss loss = options.loss();
        List<float[]> m = constrained.matrices();
        generator.zeroGradients();
        double[] t = output(generator.forward(noise(b), b, null), b, m);
        double value = 0;
        double[] g = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.generator(t[i]) / b;
            g[i] = loss.generatorDerivative(t[i]) / b;
        }
        generator.backward(backward(g));
        step(generator, gOpt);
        return value;
    }

    /** D(x) = K·f(x) for b rows of x with the matrices m. */
    private double[] output(double[] x, int b, List<float[]> m) {
        double[] t = discriminator.forward(x, b, m);
        for (int i = 0; i < t.length; i++) {
            t[i] *= options.scale();
        }
        return t;
    }

    /** Accumulates D's gradients for ∂L/∂D = g and returns ∂L/∂x (through the factor K). */
    private double[] backward(double[] g) {
        double[] gy = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            gy[i] = g[i] * options.scale();
        }
        return discriminator.backward(gy);
    }

    private Metrics measure(int step, double dLoss, double gLoss, double penalty) {
        double[] samples = generator.forward(noise(EVAL_SAMPLES), EVAL_SAMPLES, null);
        GaussianMixture.Quality q = options.problem().quality(samples);
        double energy = GaussianMixture.energyDistance(samples, reference);
        List<float[]> used = copies(constrained.current());
        List<MatrixBatch> batches = new ArrayList<>();
        for (int l = 0; l < used.size(); l++) {
            DenseLayer d = discriminator.layers().get(l);
            batches.add(MatrixBatch.of(used.get(l), d.outputs(), d.inputs()));
        }
        float[] norms = backend.spectralNorm(batches);
        double bound = options.scale();
        for (float s : norms) {
            bound *= s;
        }
        int b = options.batch();
        output(options.problem().sample(b, random), b, used);
        double[] ones = new double[b];
        Arrays.fill(ones, 1);
        double[] gx = backward(ones);
        discriminator.zeroGradients();
        double max = 0;
        for (int i = 0; i < b; i++) {
            max = Math.max(max, Math.hypot(gx[2 * i], gx[2 * i + 1]));
        }
        return new Metrics(
                step,
                dLoss,
                gLoss,
                penalty,
                q.modesCovered(),
                options.problem().modeCount(),
                q.highQuality(),
                q.klUniform(),
                energy,
                bound,
                max,
                norms,
                samples);
    }

    private static List<float[]> copies(List<float[]> m) {
        List<float[]> out = new ArrayList<>();
        m.forEach(a -> out.add(a.clone()));
        return out;
    }

    private double[] noise(int rows) {
        double[] z = new double[rows * LATENT];
        for (int i = 0; i < z.length; i++) {
            z[i] = random.nextGaussian();
        }
        return z;
    }

    private void addOptimizers(Mlp net, List<Adam> opt) {
        for (DenseLayer d : net.layers()) {
            opt.add(new Adam(d.weight().length, options.rate(), options.beta1(), options.beta2(), 1e-8));
            opt.add(new Adam(d.bias().length, options.rate(), options.beta1(), options.beta2(), 1e-8));
        }
    }

    private void step(Mlp net, List<Adam> opt) {
        for (int l = 0; l < net.layers().size(); l++) {
            DenseLayer d = net.layers().get(l);
            opt.get(2 * l).step(d.weight(), d.weightGradient(), rate);
            opt.get(2 * l + 1).step(d.bias(), d.biasGradient(), rate);
        }
    }

    @Override
    public void close() {
        constrained.close();
    }
}
