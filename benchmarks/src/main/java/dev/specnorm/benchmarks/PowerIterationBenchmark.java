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
 * {@code -p storage=direct} puts W in a direct native-order buffer, as the DL4J adapter passes it.
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

    /** Where W lives: {@code heap} (a float array, the default) or {@code direct} (a native-order direct buffer). */
    @Param({"heap"})
    String storage;

    private SpectralBackend backend;
    private MatrixBatch w;
    private PowerState state;

    @Setup(Level.Trial)
    public void setUp() {
        backend = threads == 0 ? Inputs.cpu() : Inputs.cpu(threads);
        float[] values = Inputs.gaussian(0, size * size);
        w = switch (storage) {
            case "heap" -> MatrixBatch.of(values, size, size);
            case "direct" -> MatrixBatch.of(Inputs.directBuffer(values), 1, size, size);
            default -> throw new IllegalArgumentException("storage must be heap or direct, not " + storage);
        };
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
