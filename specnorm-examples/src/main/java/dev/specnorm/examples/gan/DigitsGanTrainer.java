package dev.specnorm.examples.gan;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A GAN on the 8×8 {@link Digits}: a {@link DigitsGenerator} against the reduced SN-GAN CNN
 * ({@link SnCnnDiscriminator#digits}), both trained, with a {@link GanLoss}, Adam (rate, β₁, β₂) for both
 * networks, {@code dSteps} discriminator updates per generator update and optionally both rates decayed
 * linearly to 0. Under {@code sn} every discriminator layer's weight is Ŵₗ = Wₗ/σ̂ₗ, all five layers in one
 * library call per forward pass (one power iteration, persistent u, v; Miyato et al. 2018) and the SN backward
 * (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ in one call per discriminator update; under {@code none} D uses W. Time is split into the
 * networks' convolution and dense work (forward and backward, both networks), the library's SN calls, and the
 * rest (data, noise, losses, Adam).
 */
public final class DigitsGanTrainer implements AutoCloseable {

    /** Generator channel widths c₀, c₁, c₂. */
    static final int[] GENERATOR_WIDTHS = {64, 32, 16};
    /** Generated images per quality measurement. */
    public static final int EVAL_IMAGES = 1000;
    /** Images in each sample grid (fixed latent vectors). */
    public static final int GRID_IMAGES = 64;

    /**
     * The settings of one digits GAN run.
     *
     * @param constraint  {@code none} or {@code sn}
     * @param loss        the GAN objective
     * @param steps       generator updates
     * @param batch       real and generated images per update
     * @param rate        Adam's rate (both networks)
     * @param beta1       Adam's β₁
     * @param beta2       Adam's β₂
     * @param dSteps      discriminator updates per generator update
     * @param linearDecay whether the rates fall linearly to 0 over the steps
     * @param every       steps between quality measurements
     * @param seed        seed of the weights, the batches and the noise
     */
    public record Options(
            Constraint constraint,
            GanLoss loss,
            int steps,
            int batch,
            double rate,
            double beta1,
            double beta2,
            int dSteps,
            boolean linearDecay,
            int every,
            long seed) {

        /** @throws IllegalArgumentException for a constraint other than none or sn, or invalid counts and rates */
        public Options {
            if ((constraint != Constraint.NONE && constraint != Constraint.SN) || loss == null) {
                throw new IllegalArgumentException("the digits GAN takes the constraint none or sn and a loss");
            }
            if (steps < 1
                    || batch < 2
                    || every < 1
                    || dSteps < 1
                    || !(rate > 0)
                    || !Double.isFinite(rate)
                    || !(beta1 >= 0 && beta1 < 1)
                    || !(beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException(
                        "digits GAN options need steps, every, d-steps ≥ 1, batch ≥ 2, " + "rate > 0, 0 ≤ β₁, β₂ < 1");
            }
        }
    }

    /**
     * One measurement: losses averaged since the previous one, the {@link ImageQuality} of
     * {@value #EVAL_IMAGES} generated images against all real ones, the smallest and largest exact σ of the
     * matrices D's forward pass uses, the mean time of one step (a generator update and its discriminator
     * updates) since the previous measurement split as in the class comment, and the {@value #GRID_IMAGES}
     * images of the fixed latent vectors (rows of 64 pixels).
     */
    @SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
    public record Metrics(
            int step,
            double discriminatorLoss,
            double generatorLoss,
            ImageQuality quality,
            double minSigma,
            double maxSigma,
            double convMs,
            double snMs,
            double otherMs,
            double[] grid) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Metrics r
                    && step == r.step
                    && Double.compare(discriminatorLoss, r.discriminatorLoss) == 0
                    && Double.compare(generatorLoss, r.generatorLoss) == 0
                    && Objects.equals(quality, r.quality)
                    && Double.compare(minSigma, r.minSigma) == 0
                    && Double.compare(maxSigma, r.maxSigma) == 0
                    && Double.compare(convMs, r.convMs) == 0
                    && Double.compare(snMs, r.snMs) == 0
                    && Double.compare(otherMs, r.otherMs) == 0
                    && Arrays.equals(grid, r.grid);
        }

        @Override
        public int hashCode() {
            return Objects.hash(
                    step,
                    discriminatorLoss,
                    generatorLoss,
                    quality,
                    minSigma,
                    maxSigma,
                    convMs,
                    snMs,
                    otherMs,
                    Arrays.hashCode(grid));
        }

        @Override
        public String toString() {
            return "Metrics[step=" + step + ", discriminatorLoss=" + discriminatorLoss + ", generatorLoss="
                    + generatorLoss + ", quality=" + quality + ", minSigma=" + minSigma + ", maxSigma=" + maxSigma
                    + ", convMs=" + convMs + ", snMs=" + snMs + ", otherMs=" + otherMs + ", grid="
                    + Arrays.toString(grid) + "]";
        }
    }

    private final SpectralBackend backend;
    private final Options options;
    private final Digits data;
    private final Random random;
    private final DigitsGenerator generator;
    private final SnCnnDiscriminator discriminator;
    private final List<MatrixBatch> weights;
    private final List<float[]> normalized = new ArrayList<>();
    private final List<MatrixBatch> normalizedBatches;
    private final List<MatrixBatch> gradients = new ArrayList<>();
    private final List<MatrixBatch> scratch = new ArrayList<>();
    private final List<Adam> dOpt = new ArrayList<>();
    private final List<Adam> gOpt = new ArrayList<>();
    private final PowerState state;
    private final double[] gridNoise;
    private final double[] evalNoise;
    private double rate;
    private long convNanos;
    private long snNanos;

    /** A trainer with fresh networks on {@code data}. */
    public DigitsGanTrainer(SpectralBackend backend, Options options, Digits data) {
        this.backend = backend;
        this.options = options;
        this.data = data;
        this.random = new Random(options.seed());
        generator = new DigitsGenerator(GENERATOR_WIDTHS, options.seed());
        discriminator = SnCnnDiscriminator.digits(options.seed() + 1);
        weights = discriminator.matrices();
        for (float[] w : discriminator.weights()) {
            normalized.add(new float[w.length]);
            gradients.add(null);
            dOpt.add(adam(w.length));
        }
        for (float[] b : discriminator.biases()) {
            dOpt.add(adam(b.length));
        }
        for (float[] p : generator.parameters()) {
            gOpt.add(adam(p.length));
        }
        normalizedBatches = discriminator.matrices(normalized);
        for (MatrixBatch w : weights) {
            scratch.add(MatrixBatch.zeros(w.shape()));
        }
        state = options.constraint() == Constraint.SN
                ? backend.newPowerState(weights, PowerOptions.DEFAULT.withSeed(options.seed()))
                : null;
        Random fixed = new Random(~options.seed());
        gridNoise = gaussian(fixed, GRID_IMAGES * DigitsGenerator.LATENT);
        evalNoise = gaussian(fixed, EVAL_IMAGES * DigitsGenerator.LATENT);
        rate = options.rate();
    }

    private Adam adam(int size) {
        return new Adam(size, options.rate(), options.beta1(), options.beta2(), 1e-8);
    }

    /** Trains; calls {@code progress} with each measurement (step 0, every {@code every} steps, the last). */
    public List<Metrics> train(Consumer<Metrics> progress) {
        List<Metrics> out = new ArrayList<>();
        Metrics first = measure(0, 0, 0, 0, 0);
        out.add(first);
        progress.accept(first);
        double dSum = 0;
        double gSum = 0;
        int since = 0;
        long t0 = System.nanoTime();
        convNanos = snNanos = 0;
        for (int step = 1; step <= options.steps(); step++) {
            rate = options.linearDecay()
                    ? options.rate() * (1 - (step - 1) / (double) options.steps())
                    : options.rate();
            for (int k = 0; k < options.dSteps(); k++) {
                dSum += discriminatorStep() / options.dSteps();
            }
            gSum += generatorStep();
            since++;
            if (step % options.every() == 0 || step == options.steps()) {
                long total = System.nanoTime() - t0;
                Metrics m = measure(step, dSum / since, gSum / since, since, total);
                out.add(m);
                progress.accept(m);
                dSum = gSum = 0;
                since = 0;
                convNanos = snNanos = 0;
                t0 = System.nanoTime();
            }
        }
        return out;
    }

    /** The matrices D's forward pass uses: Ŵ after one power iteration under sn, else W. */
    private List<float[]> discriminatorMatrices() {
        if (state == null) {
            return discriminator.weights();
        }
        long t = System.nanoTime();
        backend.normalize(weights, state, 1, normalizedBatches);
        snNanos += System.nanoTime() - t;
        return normalized;
    }

    /** One discriminator update on a real and a generated batch; returns L_D. */
    double discriminatorStep() {
        int b = options.batch();
        GanLoss loss = options.loss();
        List<float[]> m = discriminatorMatrices();
        int[] rows = new int[b];
        for (int i = 0; i < b; i++) {
            rows[i] = random.nextInt(data.size());
        }
        double[] real = data.batch(rows);
        double[] z = gaussian(random, b * DigitsGenerator.LATENT);
        discriminator.zeroGradients();
        long t = System.nanoTime();
        double[] fake = generator.forward(z, b);
        double[] tr = discriminator.forward(real, b, m);
        convNanos += System.nanoTime() - t;
        double value = 0;
        double[] gr = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.real(tr[i]) / b;
            gr[i] = loss.realDerivative(tr[i]) / b;
        }
        t = System.nanoTime();
        discriminator.backward(gr);
        double[] tf = discriminator.forward(fake, b, m);
        convNanos += System.nanoTime() - t;
        double[] gf = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.fake(tf[i]) / b;
            gf[i] = loss.fakeDerivative(tf[i]) / b;
        }
        t = System.nanoTime();
        discriminator.backward(gf);
        convNanos += System.nanoTime() - t;
        if (state != null) {
            snBackward();
        }
        int layers = discriminator.weights().size();
        for (int l = 0; l < layers; l++) {
            dOpt.get(l)
                    .step(
                            discriminator.weights().get(l),
                            discriminator.weightGradients().get(l),
                            rate);
            dOpt.get(layers + l)
                    .step(
                            discriminator.biases().get(l),
                            discriminator.biasGradients().get(l),
                            rate);
        }
        return value;
    }

    /** Replaces ∂L/∂Ŵ of every layer by ∂L/∂W, the library's SN backward, in one call. */
    private void snBackward() {
        List<double[]> grads = discriminator.weightGradients();
        for (int l = 0; l < grads.size(); l++) {
            gradients.set(
                    l,
                    MatrixBatch.of(
                            ConstrainedWeights.toFloat(grads.get(l)),
                            weights.get(l).shape().rows(),
                            weights.get(l).shape().cols()));
        }
        long t = System.nanoTime();
        backend.normalizeBackward(weights, state, gradients, scratch);
        snNanos += System.nanoTime() - t;
        for (int l = 0; l < grads.size(); l++) {
            float[] s = scratch.get(l).array();
            double[] w = grads.get(l);
            for (int i = 0; i < w.length; i++) {
                w[i] = s[i];
            }
        }
    }

    /** One generator update through D; returns L_G. */
    double generatorStep() {
        int b = options.batch();
        GanLoss loss = options.loss();
        List<float[]> m = discriminatorMatrices();
        double[] z = gaussian(random, b * DigitsGenerator.LATENT);
        generator.zeroGradients();
        long t = System.nanoTime();
        double[] out = discriminator.forward(generator.forward(z, b), b, m);
        convNanos += System.nanoTime() - t;
        double value = 0;
        double[] g = new double[b];
        for (int i = 0; i < b; i++) {
            value += loss.generator(out[i]) / b;
            g[i] = loss.generatorDerivative(out[i]) / b;
        }
        t = System.nanoTime();
        generator.backward(discriminator.backward(g));
        convNanos += System.nanoTime() - t;
        discriminator.zeroGradients();
        List<float[]> p = generator.parameters();
        List<double[]> gp = generator.gradients();
        for (int i = 0; i < p.size(); i++) {
            gOpt.get(i).step(p.get(i), gp.get(i), rate);
        }
        return value;
    }

    /** Images of {@code rows} latent rows, generated 100 at a time. */
    private double[] generate(double[] z, int rows) {
        double[] out = new double[rows * Digits.PIXELS];
        for (int from = 0; from < rows; from += 100) {
            int n = Math.min(100, rows - from);
            double[] part = Arrays.copyOfRange(z, from * DigitsGenerator.LATENT, (from + n) * DigitsGenerator.LATENT);
            System.arraycopy(generator.forward(part, n), 0, out, from * Digits.PIXELS, n * Digits.PIXELS);
        }
        return out;
    }

    private Metrics measure(int step, double dLoss, double gLoss, int steps, long nanos) {
        double[] images = generate(evalNoise, EVAL_IMAGES);
        int[] all = new int[data.size()];
        int[] labels = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            labels[i] = data.label(i);
        }
        ImageQuality q = ImageQuality.of(images, data.batch(all), labels, Digits.PIXELS);
        List<float[]> used = state == null ? discriminator.weights() : normalized;
        if (state != null && step == 0) {
            used = discriminatorMatrices();
        }
        float[] sigma = backend.spectralNorm(discriminator.matrices(used));
        double min = Double.MAX_VALUE;
        double max = 0;
        for (float s : sigma) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double perStep = steps == 0 ? 0 : 1e-6 / steps;
        double conv = convNanos * perStep;
        double sn = snNanos * perStep;
        double other = steps == 0 ? 0 : nanos * perStep - conv - sn;
        return new Metrics(step, dLoss, gLoss, q, min, max, conv, sn, other, generate(gridNoise, GRID_IMAGES));
    }

    private static double[] gaussian(Random random, int count) {
        double[] z = new double[count];
        for (int i = 0; i < count; i++) {
            z[i] = random.nextGaussian();
        }
        return z;
    }

    @Override
    public void close() {
        if (state != null) {
            state.close();
        }
    }
}
