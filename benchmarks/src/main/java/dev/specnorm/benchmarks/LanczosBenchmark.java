package dev.specnorm.benchmarks;

import dev.specnorm.api.LanczosEstimate;
import dev.specnorm.api.LanczosOptions;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.SpectralBackend;
import java.util.List;
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
 * The Lanczos workload (docs/PERFORMANCE.md): σ₁ of a size×size N(0, 1) matrix (seed 0; σ₂/σ₁ ≈ 0.995 at 1024, a hard case)
 * by Golub–Kahan–Lanczos to relative tolerance 1e-6 ({@link LanczosOptions#DEFAULT}). The setup prints
 * the steps the solver takes, as a line {@code lanczos: size=… steps=… converged=…}.
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
public class LanczosBenchmark {

    @Param({"1024"})
    int size;

    private SpectralBackend backend;
    private List<MatrixBatch> w;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        w = List.of(MatrixBatch.of(Inputs.gaussian(0, size * size), size, size));
        LanczosEstimate e = backend.lanczos(w, LanczosOptions.DEFAULT).get(0);
        System.out.printf(
                "lanczos: size=%d steps=%d converged=%b sigma=%s bound=%s%n",
                size, e.steps(), e.converged(), e.sigma(), e.residualBound());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void sigma(Blackhole bh) {
        bh.consume(backend.lanczos(w, LanczosOptions.DEFAULT));
    }
}
