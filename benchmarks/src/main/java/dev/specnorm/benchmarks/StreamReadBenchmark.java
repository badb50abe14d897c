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
 * int, float[], int, int)} of two equal float arrays, 512 MiB each ({@code size} {@code 1GiB}, read from DRAM) or
 * 32 MiB each ({@code 64MiB}: W's size at 4096², read from the last-level cache where that holds it), on one
 * thread or split into one contiguous chunk per available processor. Every element of both is read and
 * nothing is written, so read bandwidth = bytes read / median time. A power step only reads W, so this, not the copy of {@link StreamCopyBenchmark}
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

    /** The bytes read per call, both arrays together: {@code 1GiB} (2²⁷ floats each) or {@code 64MiB} (2²³). */
    @Param({"1GiB", "64MiB"})
    String size;

    /** {@code 1}, or {@code all} for one chunk per available processor. */
    @Param({"1", "all"})
    String threads;

    private int length;
    private float[] first;
    private float[] second;
    private int chunks;

    @Setup(Level.Trial)
    public void setUp() {
        length = switch (size) {
            case "1GiB" -> 1 << 27;
            case "64MiB" -> 1 << 23;
            default -> throw new IllegalArgumentException("size must be 1GiB or 64MiB, not " + size);
        };
        first = new float[length];
        for (int i = 0; i < length; i++) {
            first[i] = i;
        }
        second = first.clone();
        chunks = threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }

    /** The index of the first difference: always -1 (the arrays are equal), so every element is read. */
    @Benchmark
    public int read() {
        if (chunks == 1) {
            return Arrays.mismatch(first, 0, length, second, 0, length);
        }
        return IntStream.range(0, chunks)
                .parallel()
                .map(c -> {
                    int from = (int) ((long) length * c / chunks);
                    int to = (int) ((long) length * (c + 1) / chunks);
                    return Arrays.mismatch(first, from, to, second, from, to);
                })
                .max()
                .orElseThrow();
    }
}
