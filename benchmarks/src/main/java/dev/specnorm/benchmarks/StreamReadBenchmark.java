package dev.specnorm.benchmarks;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The read-only bandwidth limit of the power step (docs/PERFORMANCE.md): {@link Arrays#mismatch(float[], int,
 * int, float[], int, int)} of two equal 512 MiB float arrays, on one thread or split into one contiguous chunk per
 * available processor. Every element of both is read and nothing is written, so read bandwidth = bytes read /
 * time = 1 GiB / median time. A power step only reads W, so this, not the copy of {@link StreamCopyBenchmark}
 * (which also writes), is the figure its effective bandwidth is measured against. The comparison is HotSpot's
 * vectorized mismatch intrinsic (full-width vector loads), so neither the latency of a sequential sum nor scalar
 * loads bound it before the memory does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgs = {Inputs.VECTOR_MODULE},
        jvmArgsAppend = {Inputs.HEAP_MIN, Inputs.HEAP_MAX})
public class StreamReadBenchmark {

    /** Floats in each of the two arrays: 2²⁷, 512 MiB. */
    static final int LENGTH = 1 << 27;

    /** {@code 1}, or {@code all} for one chunk per available processor. */
    @Param({"1", "all"})
    String threads;

    private float[] first;
    private float[] second;
    private int chunks;

    @Setup(Level.Trial)
    public void setUp() {
        first = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            first[i] = i;
        }
        second = first.clone();
        chunks = threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }

    /** The index of the first difference: always -1 (the arrays are equal), so every element is read. */
    @Benchmark
    public int read() {
        if (chunks == 1) {
            return Arrays.mismatch(first, 0, LENGTH, second, 0, LENGTH);
        }
        return IntStream.range(0, chunks)
                .parallel()
                .map(c -> {
                    int from = (int) ((long) LENGTH * c / chunks);
                    int to = (int) ((long) LENGTH * (c + 1) / chunks);
                    return Arrays.mismatch(first, from, to, second, from, to);
                })
                .max()
                .orElseThrow();
    }
}
