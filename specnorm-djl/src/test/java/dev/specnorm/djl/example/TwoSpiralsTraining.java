package dev.specnorm.djl.example;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SimpleCompositeLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.specnorm.api.Penalty;
import dev.specnorm.djl.OrthogonalPenaltyLoss;
import dev.specnorm.djl.SpectralNormBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Trains a 2-64-64-2 MLP on two interleaved spirals (made here, seeded) with DJL's PyTorch engine, plain,
 * with {@link SpectralNormBlock} on the hidden layers, and with {@link OrthogonalPenaltyLoss}, and prints
 * accuracy and the median time per training step beside the plain network's. The variants train in
 * lockstep (one step of each in turn), so a slower or faster phase of a shared machine affects them all
 * alike; a first network trained alone warms the JIT and is not timed.
 * Arguments: [steps (default 300)]. Run: {@code specnorm-djl/run-example.sh}.
 */
public final class TwoSpiralsTraining {

    private static final int POINTS = 400;
    private static final int HIDDEN = 64;

    private TwoSpiralsTraining() {}

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        float[] x = new float[POINTS * 2];
        float[] y = new float[POINTS];
        spirals(x, y, new Random(7));
        System.out.printf(
                "two spirals, %d points, 2-%d-%d-2 tanh MLP, Adam 1e-2, %d full-batch steps, DJL PyTorch%n",
                POINTS, HIDDEN, HIDDEN, steps);
        try (Variant warmUp = new Variant("warm-up (JIT), not compared", b -> b, false, steps)) {
            for (int step = 0; step < steps; step++) {
                warmUp.step(step, x, y);
            }
        }
        List<Variant> variants = new ArrayList<>();
        try {
            variants.add(new Variant("plain DJL", b -> b, false, steps));
            variants.add(new Variant("SpectralNormBlock (1 it.)", b -> new SpectralNormBlock(b, 1), false, steps));
            variants.add(new Variant("OrthogonalPenaltyLoss soft", b -> b, true, steps));
            for (int step = 0; step < steps; step++) {
                for (Variant variant : variants) {
                    variant.step(step, x, y);
                }
            }
            double plain = variants.get(0).medianMillis();
            for (Variant variant : variants) {
                double median = variant.medianMillis();
                System.out.printf(
                        "%-30s accuracy %.3f  median step %.3f ms  (%.2f× plain, %+.3f ms)%n",
                        variant.name, variant.accuracy(x, y), median, median / plain, median - plain);
            }
        } finally {
            variants.forEach(Variant::close);
        }
    }

    /** One model under training and the wall time of each of its steps. */
    private static final class Variant implements AutoCloseable {
        final String name;
        final Model model;
        final Trainer trainer;
        final long[] nanos;

        Variant(String name, Function<Block, Block> wrap, boolean penalty, int steps) {
            this.name = name;
            SequentialBlock net = new SequentialBlock()
                    .add(wrap.apply(Linear.builder().setUnits(HIDDEN).build()))
                    .add(Activation::tanh)
                    .add(wrap.apply(Linear.builder().setUnits(HIDDEN).build()))
                    .add(Activation::tanh)
                    .add(Linear.builder().setUnits(2).build());
            Loss loss = penalty
                    ? new SimpleCompositeLoss()
                            .addLoss(Loss.softmaxCrossEntropyLoss())
                            .addLoss(new OrthogonalPenaltyLoss(net, Penalty.SOFT, 1e-3f))
                    : Loss.softmaxCrossEntropyLoss();
            model = Model.newInstance(name);
            model.setBlock(net);
            trainer = model.newTrainer(new DefaultTrainingConfig(loss)
                    .optOptimizer(Optimizer.adam()
                            .optLearningRateTracker(Tracker.fixed(1e-2f))
                            .build()));
            trainer.initialize(new Shape(POINTS, 2));
            nanos = new long[steps];
        }

        void step(int step, float[] x, float[] y) {
            long start = System.nanoTime();
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray features = batch.create(x, new Shape(POINTS, 2));
                NDArray labels = batch.create(y, new Shape(POINTS, 1));
                float value;
                try (GradientCollector collector = trainer.newGradientCollector()) {
                    NDList predictions = trainer.forward(new NDList(features));
                    NDArray l = trainer.getLoss().evaluate(new NDList(labels), predictions);
                    value = l.getFloat();
                    collector.backward(l);
                }
                trainer.step();
                if ((step + 1) % 100 == 0) {
                    System.out.printf("  %-30s step %4d  loss %.4f%n", name, step + 1, value);
                }
            }
            nanos[step] = System.nanoTime() - start;
        }

        double accuracy(float[] x, float[] y) {
            try (NDManager batch = trainer.getManager().newSubManager()) {
                NDArray predicted = trainer.evaluate(new NDList(batch.create(x, new Shape(POINTS, 2))))
                        .head()
                        .argMax(1)
                        .toType(DataType.FLOAT32, false);
                return predicted.eq(batch.create(y)).sum().getLong() / (double) POINTS;
            }
        }

        /** Median over the steps after the first tenth. */
        double medianMillis() {
            int skip = nanos.length / 10;
            long[] sorted = Arrays.copyOfRange(nanos, skip, nanos.length);
            Arrays.sort(sorted);
            return sorted[sorted.length / 2] / 1e6;
        }

        @Override
        public void close() {
            trainer.close();
            model.close();
        }
    }

    /** Two interleaved spirals, slightly noisy: features into x (n×2, row-major), class 0/1 into y. */
    static void spirals(float[] x, float[] y, Random random) {
        int n = y.length;
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            int turn = i / 2;
            double t = 0.5 + 3.0 * Math.PI * turn / (n / 2.0);
            double sign = cls == 0 ? 1 : -1;
            x[2 * i] = (float) (sign * t * Math.cos(t) / 10 + 0.02 * random.nextGaussian());
            x[2 * i + 1] = (float) (sign * t * Math.sin(t) / 10 + 0.02 * random.nextGaussian());
            y[i] = cls;
        }
    }
}
