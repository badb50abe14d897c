package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A GAN on {@link EightGaussians} (Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014) with the
 * non-saturating logistic losses L_D = E softplus(−D(x)) + E softplus(D(G(z))), L_G = E softplus(−D(G(z))),
 * generator and discriminator MLPs of three hidden layers of 128 with LeakyReLU(0.2), z ~ N(0, I₁₆), Adam
 * (β₁ = 0.5, β₂ = 0.999), {@code dSteps} discriminator steps per generator step; the discriminator's weights are held
 * by a {@link Constraint} computed by the library ({@link ConstrainedWeights}).
 *
 * <p>Metrics ({@link Metrics}): modes covered and high-quality share of 2,500 generated samples; the
 * discriminator's Lipschitz upper bound ∏ₗ σ(Mₗ), the exact spectral norms of the matrices its forward pass
 * uses (LeakyReLU is 1-Lipschitz); and the largest ‖∇ₓD(x)‖ over a batch of real data, a lower bound of
 * its Lipschitz constant.
 */
public final class GanTrainer implements AutoCloseable {

    /** Latent dimension. */
    public static final int LATENT = 16;
    /** Hidden width. */
    public static final int HIDDEN = 128;
    /** Samples for the quality metrics. */
    public static final int EVAL_SAMPLES = 2500;

    /**
     * @param constraint the discriminator's constraint
     * @param strength   its λ or β
     * @param steps      generator steps
     * @param batch      samples per step
     * @param rate       Adam's learning rate (both networks)
     * @param every      steps between metrics
     * @param seed       seed of the weights, the data and the noise
     * @param dSteps     discriminator updates per generator update (SN-GAN's n_dis)
     */
    public record Options(Constraint constraint, double strength, int steps, int batch, double rate, int every, long seed,
                          int dSteps) {

        /** @throws IllegalArgumentException for non-positive counts or rate, or a negative strength */
        public Options {
            if (steps < 1 || batch < 1 || every < 1 || dSteps < 1 || !(rate > 0) || !(strength >= 0)) {
                throw new IllegalArgumentException(
                        "GAN options need steps, batch, every, d-steps ≥ 1, rate > 0, strength ≥ 0");
            }
        }

        /** Options with one discriminator update per generator update. */
        public Options(Constraint constraint, double strength, int steps, int batch, double rate, int every, long seed) {
            this(constraint, strength, steps, batch, rate, every, seed, 1);
        }
    }

    /**
     * One measurement (losses averaged over the steps since the previous one); {@code layerNorms} are the exact
     * σ of the matrices the discriminator's forward pass uses, whose product is {@code lipschitzBound};
     * {@code samples} are the {@value #EVAL_SAMPLES} generated points the quality metrics were computed on,
     * rows of (x, y).
     */
    public record Metrics(int step, double discriminatorLoss, double generatorLoss, double penalty, int modesCovered,
                          double highQuality, double lipschitzBound, double maxGradientNorm, float[] layerNorms,
                          double[] samples) {
    }

    private final SpectralBackend backend;
    private final Options options;
    private final Random random;
    private final Mlp generator;
    private final Mlp discriminator;
    private final ConstrainedWeights constrained;
    private final List<Adam> gOpt = new ArrayList<>();
    private final List<Adam> dOpt = new ArrayList<>();

    /** A trainer with freshly initialized networks. */
    public GanTrainer(SpectralBackend backend, Options options) {
        this.backend = backend;
        this.options = options;
        this.random = new Random(options.seed());
        generator = new Mlp(new int[] {LATENT, HIDDEN, HIDDEN, HIDDEN, 2}, 0.2, random::nextGaussian);
        discriminator = new Mlp(new int[] {2, HIDDEN, HIDDEN, HIDDEN, 1}, 0.2, random::nextGaussian);
        constrained = new ConstrainedWeights(backend, options.constraint(), options.strength(), discriminator, options.seed());
        for (DenseLayer d : generator.layers()) {
            gOpt.add(new Adam(d.weight().length, options.rate(), 0.5, 0.999, 1e-8));
            gOpt.add(new Adam(d.bias().length, options.rate(), 0.5, 0.999, 1e-8));
        }
        for (DenseLayer d : discriminator.layers()) {
            dOpt.add(new Adam(d.weight().length, options.rate(), 0.5, 0.999, 1e-8));
            dOpt.add(new Adam(d.bias().length, options.rate(), 0.5, 0.999, 1e-8));
        }
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
        List<float[]> m = constrained.matrices();
        discriminator.zeroGradients();
        double[] real = EightGaussians.sample(b, random);
        double[] tr = discriminator.forward(real, b, m);
        double loss = 0;
        double[] gr = new double[b];
        for (int i = 0; i < b; i++) {
            loss += softplus(-tr[i]) / b;
            gr[i] = -sigmoid(-tr[i]) / b;
        }
        discriminator.backward(gr);
        double[] fake = generator.forward(noise(b), b, null);
        double[] tf = discriminator.forward(fake, b, m);
        double[] gf = new double[b];
        for (int i = 0; i < b; i++) {
            loss += softplus(tf[i]) / b;
            gf[i] = sigmoid(tf[i]) / b;
        }
        discriminator.backward(gf);
        double penalty = constrained.finish();
        step(discriminator, dOpt);
        return new double[] {loss, penalty};
    }

    /** One generator update through the (constrained) discriminator; returns L_G. */
    double generatorStep() {
        int b = options.batch();
        List<float[]> m = constrained.matrices();
        generator.zeroGradients();
        double[] fake = generator.forward(noise(b), b, null);
        double[] t = discriminator.forward(fake, b, m);
        double loss = 0;
        double[] g = new double[b];
        for (int i = 0; i < b; i++) {
            loss += softplus(-t[i]) / b;
            g[i] = -sigmoid(-t[i]) / b;
        }
        generator.backward(discriminator.backward(g));
        step(generator, gOpt);
        return loss;
    }

    private Metrics measure(int step, double dLoss, double gLoss, double penalty) {
        double[] samples = generator.forward(noise(EVAL_SAMPLES), EVAL_SAMPLES, null);
        EightGaussians.Quality q = EightGaussians.quality(samples);
        List<float[]> used = copies(constrained.current());
        List<MatrixBatch> batches = new ArrayList<>();
        for (int l = 0; l < used.size(); l++) {
            DenseLayer d = discriminator.layers().get(l);
            batches.add(MatrixBatch.of(used.get(l), d.outputs(), d.inputs()));
        }
        float[] norms = backend.spectralNorm(batches);
        double bound = 1;
        for (float s : norms) {
            bound *= s;
        }
        int b = options.batch();
        double[] real = EightGaussians.sample(b, random);
        discriminator.forward(real, b, used);
        double[] ones = new double[b];
        java.util.Arrays.fill(ones, 1);
        double[] gx = discriminator.backward(ones);
        discriminator.zeroGradients();
        double max = 0;
        for (int i = 0; i < b; i++) {
            max = Math.max(max, Math.hypot(gx[2 * i], gx[2 * i + 1]));
        }
        return new Metrics(step, dLoss, gLoss, penalty, q.modesCovered(), q.highQuality(), bound, max, norms, samples);
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

    private static void step(Mlp net, List<Adam> opt) {
        for (int l = 0; l < net.layers().size(); l++) {
            DenseLayer d = net.layers().get(l);
            opt.get(2 * l).step(d.weight(), d.weightGradient());
            opt.get(2 * l + 1).step(d.bias(), d.biasGradient());
        }
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    @Override
    public void close() {
        constrained.close();
    }
}
