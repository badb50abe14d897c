package dev.specnorm.benchmarks;

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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The reference of the power step's bandwidth target (docs/PERFORMANCE.md): a copy of a 1 GiB float array into another in Java
 * ({@link System#arraycopy}), on one thread or split into one contiguous chunk per available processor.
 * Streaming bandwidth = (bytes read + bytes written) / time = 2 GiB / median time. The caches cannot hold
 * the arrays, so this is the memory bandwidth a plain Java loop can reach.
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
public class StreamCopyBenchmark {

    /** Floats in each array: 2²⁸, 1 GiB. */
    static final int LENGTH = 1 << 28;

    /** {@code 1}, or {@code all} for one chunk per available processor. */
    @Param({"1", "all"})
    String threads;

    private float[] source;
    private float[] target;
    private int chunks;

    @Setup(Level.Trial)
    public void setUp() {
        source = new float[LENGTH];
        target = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            source[i] = i;
        }
        chunks = threads.equals("all") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
    }

    @Benchmark
    public void copy(Blackhole bh) {
        if (chunks == 1) {
            System.arraycopy(source, 0, target, 0, LENGTH);
        } else {
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int from = (int) ((long) LENGTH * c / chunks);
                int to = (int) ((long) LENGTH * (c + 1) / chunks);
                System.arraycopy(source, from, target, from, to - from);
            });
        }
        bh.consume(target);
    }
}
