package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
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
 * The power-step workload (docs/PERFORMANCE.md): one power-iteration step, v ← normalize(Wᵀu), u ← normalize(Wv), on one
 * size×size N(0, 1) matrix with persistent state ({@code powerIteration(w, state, 1)}). The step reads W
 * twice, so its effective bandwidth is 2·size²·4 bytes per step. {@code threads} 0 is the backend's default
 * (one thread per available processor); {@code -p threads=1} measures the engine on the calling thread alone.
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
public class PowerIterationBenchmark {

    @Param({"1024", "4096"})
    int size;

    /** Threads per call of the CPU engine; 0: the default backend. */
    @Param({"0"})
    int threads;

    private SpectralBackend backend;
    private MatrixBatch w;
    private PowerState state;

    @Setup(Level.Trial)
    public void setUp() {
        backend = threads == 0 ? Inputs.cpu() : Inputs.cpu(threads);
        w = MatrixBatch.of(Inputs.gaussian(0, size * size), size, size);
        state = backend.newPowerState(w, PowerOptions.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
        backend.close();
    }

    @Benchmark
    public void step(Blackhole bh) {
        bh.consume(backend.powerIteration(w, state, 1));
    }
}
