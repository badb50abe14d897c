package dev.specnorm.examples.study;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SeededGaussian;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.examples.accuracy.AccuracyCheck;
import dev.specnorm.examples.conv.ConvolutionNorms;
import dev.specnorm.examples.conv.OperatorPowerIteration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a study on one backend. For every subject (a batch of matrices):
 * <ol>
 *   <li>the exact spectrum by the backend's values-only SVD (timed);</li>
 *   <li>cold start: a new power-iteration state with warm-up 0 (seeded u, then v ← normalize(Wᵀu)), then
 *       iterations up to each k of the configuration, σ̂ recorded after k iterations in all (timed per
 *       iteration);</li>
 *   <li>warm start, the training-loop situation: from a cold state, {@code burnIn} steps of
 *       W ← W + δ‖W‖_F/√(mn)·N(0, 1) with one iteration each (the state carried across steps), one more drift
 *       step, then σ̂ after k further iterations against the exact σ of the drifted W (matrices with both sides
 *       at most {@code warmMaxSide});</li>
 *   <li>top-k by deflated power iteration (k vectors, cold start) against the exact top-k.</li>
 * </ol>
 * Every sample checks σ̂₁ ≤ σ₁(1 + 1e-6). The conv layers get {@link ConvolutionNorms#analyze}.
 */
public final class StudyRunner {

    /** Slack of the upper bound σ̂ ≤ σ(1 + slack), as {@link AccuracyCheck}. */
    public static final double BOUND_SLACK = 1e-6;

    private final SpectralBackend backend;
    private final StudyConfig config;
    private final ProgressBar progress;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Timing> timings = new ArrayList<>();

    /** A runner that draws on {@code progress}. */
    public StudyRunner(SpectralBackend backend, StudyConfig config, ProgressBar progress) {
        this.backend = backend;
        this.config = config;
        this.progress = progress;
    }

    /** Units of work {@link #run} reports to the progress bar. */
    public static int work(List<Subject> subjects, List<ConvLayerSpec> conv) {
        return subjects.size() + conv.size();
    }

    /** Measures every subject and conv layer. */
    public StudyResult run(List<Subject> subjects, List<ConvLayerSpec> conv) {
        warmUp();
        int index = 0;
        for (Subject s : subjects) {
            progress.start(s.group() + " " + s.name());
            measure(s, index++);
            progress.step();
        }
        List<StudyResult.ConvResult> convResults = new ArrayList<>();
        for (ConvLayerSpec l : conv) {
            progress.start("operator norm " + l.name());
            convResults.add(new StudyResult.ConvResult(
                    l.name(),
                    ConvolutionNorms.analyze(
                            l.weight(),
                            l.out(),
                            l.in(),
                            l.kernel(),
                            l.kernel(),
                            l.stride(),
                            l.padding(),
                            l.inputSize(),
                            config.seed(),
                            OperatorPowerIteration.DEFAULT_TOLERANCE,
                            config.convMaxIterations())));
            progress.step();
        }
        return new StudyResult(config, backend.name(), samples, timings, convResults);
    }

    /** Untimed calls on a small matrix first, so that the first timings do not include JIT compilation. */
    private void warmUp() {
        float[] data = new float[96 * 80];
        new SeededGaussian(config.seed(), 999).fill(data, 0, data.length);
        MatrixBatch w = MatrixBatch.of(data, 96, 80);
        for (int r = 0; r < 3; r++) {
            backend.singularValues(w);
            try (PowerState state = backend.newPowerState(w, new PowerOptions(config.seed(), 0, 1))) {
                backend.powerIteration(w, state, 50);
            }
        }
    }

    private void measure(Subject s, int subjectIndex) {
        MatrixBatch w = s.batch();
        int count = s.count();
        long t0 = System.nanoTime();
        float[][] exact = backend.singularValues(w);
        timings.add(timing(s, "exact-svd", (System.nanoTime() - t0) / 1e6 / count));

        int maxK = config.iterations().get(config.iterations().size() - 1);
        PowerOptions cold = new PowerOptions(config.seed(), 0, 1);
        try (PowerState state = backend.newPowerState(w, cold)) {
            int done = 0;
            long elapsed = 0;
            for (int k : config.iterations()) {
                long t = System.nanoTime();
                float[] est = backend.powerIteration(w, state, k - done);
                elapsed += System.nanoTime() - t;
                done = k;
                record(s, exact, "cold", k, est);
            }
            timings.add(timing(s, "power-iteration", elapsed / 1e6 / maxK / count));
        }

        if (Math.max(s.rows(), s.cols()) <= config.warmMaxSide()) {
            float[] data = w.toArray();
            MatrixBatch drifting = MatrixBatch.of(data, count, s.rows(), s.cols());
            try (PowerState state = backend.newPowerState(drifting, cold)) {
                for (int t = 1; t <= config.burnIn(); t++) {
                    drift(data, s, subjectIndex, t);
                    backend.powerIteration(drifting, state, 1);
                }
                drift(data, s, subjectIndex, config.burnIn() + 1);
                float[][] exactDrifted = backend.singularValues(drifting);
                int done = 0;
                for (int k : config.iterations()) {
                    float[] est = backend.powerIteration(drifting, state, k - done);
                    done = k;
                    record(s, exactDrifted, "warm", k, est);
                }
            }
        }

        int topK = Math.min(config.topK(), Math.min(s.rows(), s.cols()));
        if (topK >= 2) {
            try (PowerState state = backend.newPowerState(w, cold.withVectors(topK))) {
                int done = 0;
                for (int k : config.iterations()) {
                    float[][] est = backend.topK(List.of(w), state, k - done);
                    done = k;
                    for (int b = 0; b < count; b++) {
                        for (int j = 0; j < topK; j++) {
                            samples.add(sample(s, exact[b], b, "topk", k, j, est[b][j]));
                        }
                    }
                }
            }
        }
    }

    private void record(Subject s, float[][] exact, String mode, int k, float[] est) {
        for (int b = 0; b < est.length; b++) {
            samples.add(sample(s, exact[b], b, mode, k, 0, est[b]));
        }
    }

    private static Sample sample(Subject s, float[] spectrum, int b, String mode, int k, int j, float estimate) {
        float exact = spectrum[j];
        double gap = spectrum.length > 1 && spectrum[0] > 0 ? (double) spectrum[1] / spectrum[0] : Double.NaN;
        double rel = exact == 0
                ? (estimate == 0 ? 0 : Double.POSITIVE_INFINITY)
                : Math.abs((double) estimate - exact) / exact;
        boolean within = j > 0 || estimate <= exact * (1 + BOUND_SLACK);
        return new Sample(
                s.population(),
                s.group(),
                s.name(),
                b,
                s.rows(),
                s.cols(),
                gap,
                mode,
                k,
                j + 1,
                estimate,
                exact,
                rel,
                within);
    }

    /** W ← W + δ‖W‖_F/√(mn)·N(0, 1), per matrix, from a stream of (seed, subject, step). */
    private void drift(float[] data, Subject s, int subjectIndex, int step) {
        int size = s.rows() * s.cols();
        SeededGaussian g = new SeededGaussian(config.seed() + 303 + 7919L * subjectIndex, step);
        for (int b = 0; b < s.count(); b++) {
            double fro = 0;
            for (int i = 0; i < size; i++) {
                double x = data[b * size + i];
                fro += x * x;
            }
            double scale = config.delta() * Math.sqrt(fro) / Math.sqrt(size);
            for (int i = 0; i < size; i++) {
                data[b * size + i] += (float) (scale * g.nextGaussian());
            }
        }
    }

    private Timing timing(Subject s, String method, double ms) {
        return new Timing(
                s.population(), s.group(), s.name(), s.rows(), s.cols(), s.count(), backend.name(), method, ms);
    }
}
