package dev.specnorm.dl4j.example;

import dev.specnorm.api.Backends;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.dl4j.OrthogonalRegularization;
import dev.specnorm.dl4j.SpectralNormConstraint;
import dev.specnorm.dl4j.SpectralNormalized;
import dev.specnorm.dl4j.SpectralRegularization;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Trains a 2-64-64-2 MLP on two interleaved spirals (made here, seeded) with each DL4J adapter and without
 * one, and prints accuracy, the largest hidden-layer σ₁ and the median time per training step beside the
 * plain network's. The variants train in lockstep (one step of each in turn), so a slower or faster phase
 * of a shared machine affects them all alike; a first network trained alone warms the JIT and is not timed.
 * Arguments: [steps (default 300)]. Run: {@code specnorm-dl4j/run-example.sh}.
 */
public final class TwoSpiralsTraining {

    private static final int POINTS = 400;
    private static final int HIDDEN = 64;
    private static final SpectralBackend BACKEND = Backends.open("auto");

    private TwoSpiralsTraining() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        INDArray[] data = spirals(POINTS, new Random(7));
        System.out.printf(
                "two spirals, %d points, 2-%d-%d-2 tanh MLP, Adam 1e-2, %d full-batch steps, %s%n",
                POINTS, HIDDEN, HIDDEN, steps, Nd4j.getExecutioner().getClass().getSimpleName());
        MultiLayerNetwork warmUp = network(l -> l, null);
        for (int step = 0; step < steps; step++) {
            warmUp.fit(data[0], data[1]);
        }
        List<Variant> variants = List.of(
                new Variant("plain DL4J", network(l -> l, null), steps),
                new Variant("SpectralNormalized (1 it.)", network(l -> new SpectralNormalized(l, 1), null), steps),
                new Variant(
                        "SpectralNormConstraint K=1",
                        network(l -> l, new Tweak(SpectralNormConstraint.powerIteration(1, 1), null)),
                        steps),
                new Variant(
                        "SpectralRegularization 1e-2",
                        network(l -> l, new Tweak(null, shape -> new SpectralRegularization(1e-2, 1, shape))),
                        steps),
                new Variant(
                        "OrthogonalRegularization soft",
                        network(
                                l -> l,
                                new Tweak(null, shape -> new OrthogonalRegularization(Penalty.SOFT, 1e-3, shape))),
                        steps));
        for (int step = 0; step < steps; step++) {
            for (Variant variant : variants) {
                variant.fit(step, data);
            }
        }
        double plain = variants.get(0).medianMillis();
        for (Variant variant : variants) {
            Evaluation eval = new Evaluation(2);
            eval.eval(data[1], variant.net.output(data[0]));
            double median = variant.medianMillis();
            System.out.printf(
                    "%-30s accuracy %.3f  max hidden σ₁ %.3f  median step %.3f ms  (%.2f× plain, %+.3f ms)%n",
                    variant.name, eval.accuracy(), maxHiddenSigma(variant.net), median, median / plain, median - plain);
        }
    }

    private record Tweak(SpectralNormConstraint constraint, Function<long[], Regularization> reg) {}

    /** One network under training and the wall time of each of its steps. */
    private static final class Variant {
        final String name;
        final MultiLayerNetwork net;
        final long[] nanos;

        Variant(String name, MultiLayerNetwork net, int steps) {
            this.name = name;
            this.net = net;
            this.nanos = new long[steps];
        }

        void fit(int step, INDArray[] data) {
            long start = System.nanoTime();
            net.fit(data[0], data[1]);
            nanos[step] = System.nanoTime() - start;
            if ((step + 1) % 100 == 0) {
                System.out.printf("  %-30s step %4d  loss %.4f%n", name, step + 1, net.score());
            }
        }

        /** Median over the steps after the first tenth. */
        double medianMillis() {
            int skip = nanos.length / 10;
            long[] sorted = Arrays.copyOfRange(nanos, skip, nanos.length);
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / 1e6;
        }
    }

    private static MultiLayerNetwork network(Function<DenseLayer, Layer> wrap, Tweak tweak) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER)
                .list();
        for (int layer = 0; layer < 2; layer++) {
            DenseLayer.Builder b = new DenseLayer.Builder()
                    .nIn(layer == 0 ? 2 : HIDDEN)
                    .nOut(HIDDEN)
                    .activation(Activation.TANH);
            if (tweak != null && tweak.constraint() != null) {
                b.constrainWeights(tweak.constraint().clone());
            }
            if (tweak != null && tweak.reg() != null) {
                b.regularization(List.of(tweak.reg().apply(new long[] {layer == 0 ? 2 : HIDDEN, HIDDEN})));
            }
            list.layer(wrap.apply(b.build()));
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(HIDDEN)
                .nOut(2)
                .activation(Activation.SOFTMAX)
                .build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** The largest σ₁ of the hidden layers' stored W (for SpectralNormalized: before normalization). */
    private static double maxHiddenSigma(MultiLayerNetwork net) {
        double max = 0;
        for (int layer = 0; layer < 2; layer++) {
            INDArray w = net.getLayer(layer).getParam("W");
            max = Math.max(max, BACKEND.spectralNorm(w.dup('f').data().asFloat(), (int) w.size(1), (int) w.size(0)));
        }
        return max;
    }

    /** Two interleaved spirals of n points, slightly noisy; features (n, 2), one-hot labels (n, 2). */
    static INDArray[] spirals(int n, Random random) {
        float[][] x = new float[n][2];
        float[][] y = new float[n][2];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            int turn = i / 2;
            double t = 0.5 + 3.0 * Math.PI * turn / (n / 2.0);
            double sign = cls == 0 ? 1 : -1;
            x[i][0] = (float) (sign * t * Math.cos(t) / 10 + 0.02 * random.nextGaussian());
            x[i][1] = (float) (sign * t * Math.sin(t) / 10 + 0.02 * random.nextGaussian());
            y[i][cls] = 1;
        }
        return new INDArray[] {Nd4j.create(x), Nd4j.create(y)};
    }
}
