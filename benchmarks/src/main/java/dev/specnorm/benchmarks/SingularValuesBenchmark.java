package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The full-spectrum workload (docs/PERFORMANCE.md): all singular values, no vectors, of one size×size N(0, 1) matrix
 * ({@code singularValues}), against LAPACK's values-only SVD.
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
public class SingularValuesBenchmark {

    @Param({"512", "1024"})
    int size;

    private SpectralBackend backend;
    private MatrixBatch w;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        w = MatrixBatch.of(Inputs.gaussian(0, size * size), size, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void values(Blackhole bh) {
        bh.consume(backend.singularValues(w));
    }
}
