package dev.specnorm.api.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.specnorm.api.BatchBuffer;
import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.Matrices;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.NonFiniteValueException;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SingularDecomposition;
import dev.specnorm.api.SpectralBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The threading model of {@link SpectralBackend} ("a backend serves concurrent callers; states and buffers
 * belong to one caller at a time"), stressed: {@value #JOBS} jobs of mixed operations — exact SVD with and
 * without vectors, spectral norm, Lanczos, power iteration with persistent state, top-k, normalization
 * forward and backward, the regularizer, every orthogonality penalty, SRIP with state, operands in
 * backend buffers, and calls that fail on a NaN — run once on one thread, then by {@value #THREADS} threads
 * at once against the same backend in a shuffled order, twice. Every result (every float, and the failing
 * calls' exception class and matrix index) must be bit-for-bit the single-threaded one. Sizes run from 1×1
 * to 160×96, so both the per-matrix parallel loops and the multi-threaded GEMMs of large matrices are hit.
 * Each backend's test suite extends this class with its backend (the CUDA one under the {@code gpu} tag).
 */
public abstract class ConcurrencyStressContract {

    static final int JOBS = 480;
    static final int THREADS = 8;
    /** The penalties the jobs take in turn. */
    private static final List<Penalty> PENALTIES = List.of(Penalty.values());

    /** The backend under test, shared by all threads; closed by the subclass. */
    protected abstract SpectralBackend backend();

    /** One job: an operation on its own inputs and state; returns every float it produced. */
    static List<float[]> run(SpectralBackend backend, int job) {
        Random r = new Random(1_000_003L * job);
        int kind = job % 12;
        boolean large = job % 23 == 0;
        int batch = 1 + r.nextInt(3);
        int rows = large ? 160 : 1 + r.nextInt(24);
        int cols = large ? 96 : 1 + r.nextInt(24);
        List<MatrixBatch> w = new ArrayList<>(List.of(TestMatrices.gaussian(job, batch, rows, cols, 1)));
        if (r.nextBoolean()) {
            w.add(TestMatrices.gaussian(job + 7, 1, 1 + r.nextInt(9), 1 + r.nextInt(9), 0.5));
        }
        List<float[]> out = new ArrayList<>();
        if (job % 17 == 5) {
            // a call that fails: NaN in the last matrix; the exception's class and index are the result
            MatrixBatch last = w.get(w.size() - 1);
            w.set(w.size() - 1, TestMatrices.withEntry(last, last.shape().batch() - 1, 0, Float.NaN));
            try {
                backend.orthogonalPenalty(w, PENALTIES.get(job % PENALTIES.size()), 0.1f, zerosLike(w));
                out.add(new float[] {Float.NaN});
            } catch (NonFiniteValueException e) {
                out.add(new float[] {-1, e.matrixIndex()});
            }
            return out;
        }
        List<BatchBuffer> buffers = new ArrayList<>();
        try {
            List<Matrices> ws = new ArrayList<>();
            for (MatrixBatch b : w) {
                if (job % 3 == 0) {
                    BatchBuffer buffer = backend.upload(b);
                    buffers.add(buffer);
                    ws.add(buffer);
                } else {
                    ws.add(b);
                }
            }
            switch (kind) {
                case 0 -> backend.svd(ws, false).forEach(d -> out.add(d.values()));
                case 1 -> {
                    for (SingularDecomposition d : backend.svd(ws, true)) {
                        out.add(d.values());
                        out.add(d.u());
                        out.add(d.vt());
                    }
                }
                case 2 -> out.add(backend.spectralNorm(ws));
                case 3 -> {
                    for (LanczosEstimate e : backend.lanczos(ws, new LanczosOptions(1e-6, 300, job))) {
                        out.add(new float[] {e.sigma(), (float) e.residualBound(), e.steps()});
                    }
                }
                case 4, 5 -> {
                    try (PowerState s = backend.newPowerState(ws, PowerOptions.DEFAULT.withSeed(job))) {
                        for (int k : new int[] {1, 3, 0, 2}) {
                            out.add(backend.powerIteration(ws, s, k));
                        }
                        out.add(s.exportU());
                        out.add(s.exportV());
                    }
                }
                case 6 -> {
                    int vectors = TestMatrices.shapes(w).stream()
                                            .mapToInt(x -> Math.min(x.rows(), x.cols()))
                                            .min()
                                            .orElse(1)
                                    >= 2
                            ? 2
                            : 1;
                    try (PowerState s = backend.newPowerState(ws, new PowerOptions(job, 5, vectors))) {
                        for (float[] row : backend.topK(ws, s, 4)) {
                            out.add(row);
                        }
                    }
                }
                case 7 -> {
                    try (PowerState s = backend.newPowerState(ws, PowerOptions.DEFAULT.withSeed(job))) {
                        List<MatrixBatch> normalized = zerosLike(w);
                        out.add(backend.normalize(ws, s, 1, normalized));
                        normalized.forEach(b -> out.add(b.toArray()));
                        List<MatrixBatch> grad = zerosLike(w);
                        backend.normalizeBackward(ws, s, gaussianLike(w, job), grad);
                        grad.forEach(b -> out.add(b.toArray()));
                        List<MatrixBatch> rg = zerosLike(w);
                        out.add(backend.spectralRegularizer(ws, s, 1, 0.3f, rg).perMatrix());
                        rg.forEach(b -> out.add(b.toArray()));
                    }
                }
                case 8, 9, 10 -> {
                    for (Penalty p : Penalty.values()) {
                        List<MatrixBatch> grad = zerosLike(w);
                        var result = backend.orthogonalPenalty(ws, p, 0.01f, kind == 10 ? null : grad);
                        out.add(new float[] {result.loss()});
                        out.add(result.perMatrix());
                        grad.forEach(b -> out.add(b.toArray()));
                    }
                }
                default -> {
                    try (PowerState s = backend.newSripState(ws, PowerOptions.DEFAULT.withSeed(job))) {
                        for (int k : new int[] {1, 0, 2}) {
                            List<MatrixBatch> grad = zerosLike(w);
                            out.add(backend.srip(ws, s, k, 0.01f, grad).perMatrix());
                            grad.forEach(b -> out.add(b.toArray()));
                        }
                    }
                }
            }
        } finally {
            buffers.forEach(BatchBuffer::close);
        }
        return out;
    }

    static List<MatrixBatch> zerosLike(List<MatrixBatch> w) {
        return TestMatrices.shapes(w).stream().map(MatrixBatch::zeros).toList();
    }

    static List<MatrixBatch> gaussianLike(List<MatrixBatch> w, long seed) {
        List<MatrixBatch> out = new ArrayList<>();
        for (MatrixBatch b : w) {
            out.add(TestMatrices.gaussian(
                    seed + out.size(),
                    b.shape().batch(),
                    b.shape().rows(),
                    b.shape().cols(),
                    1));
        }
        return out;
    }

    @Test
    void everyConcurrentResultEqualsTheSingleThreadedOne() throws Exception {
        SpectralBackend backend = backend();
        List<List<float[]>> expected = new ArrayList<>();
        for (int job = 0; job < JOBS; job++) {
            expected.add(run(backend, job));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        AtomicInteger calls = new AtomicInteger();
        try {
            for (int round = 0; round < 2; round++) {
                List<Integer> order = new ArrayList<>();
                for (int job = 0; job < JOBS; job++) {
                    order.add(job);
                }
                Collections.shuffle(order, new Random(round));
                List<Future<List<float[]>>> futures = new ArrayList<>(Collections.nCopies(JOBS, null));
                for (int job : order) {
                    futures.set(job, pool.submit(() -> {
                        calls.incrementAndGet();
                        return run(backend, job);
                    }));
                }
                int finished = round;
                Assertions.assertTimeoutPreemptively(
                        Duration.ofMinutes(5),
                        () -> {
                            for (int job = 0; job < JOBS; job++) {
                                List<float[]> got = futures.get(job).get();
                                assertEquals(
                                        expected.get(job).size(), got.size(), "job " + job + ", round " + finished);
                                for (int i = 0; i < got.size(); i++) {
                                    assertArrayEquals(
                                            expected.get(job).get(i),
                                            got.get(i),
                                            "job " + job + " (kind " + job % 12 + "), result " + i + ", round "
                                                    + finished);
                                }
                            }
                        },
                        "hang guard: concurrent jobs did not finish");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2 * JOBS, calls.get());
    }
}
