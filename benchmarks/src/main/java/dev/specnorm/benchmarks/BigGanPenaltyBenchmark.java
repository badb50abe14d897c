package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
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
 * The BigGAN-penalty workload (docs/PERFORMANCE.md): the BigGAN orthogonality penalty β‖WWᵀ ⊙ (1 − I)‖²_F with its gradient
 * 4β(WWᵀ ⊙ (1 − I))W, β = 1e-4, for one N(0, 1) matrix of rows×cols (512×4608: a 512→512 3×3
 * convolution in the FILTERS reshape). Two GEMMs of 2·m²·n flops each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {Inputs.VECTOR_MODULE}, jvmArgsAppend = {Inputs.HEAP_MIN, Inputs.HEAP_MAX})
public class BigGanPenaltyBenchmark {

    /** rows × cols. */
    @Param({"512x4608"})
    String shape;

    private SpectralBackend backend;
    private MatrixBatch w;
    private MatrixBatch gradient;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        String[] d = shape.split("x");
        int rows = Integer.parseInt(d[0]);
        int cols = Integer.parseInt(d[1]);
        w = MatrixBatch.of(Inputs.gaussian(0, rows * cols), rows, cols);
        gradient = MatrixBatch.zeros(w.shape());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void lossAndGradient(Blackhole bh) {
        bh.consume(backend.orthogonalPenalty(w, Penalty.BIGGAN, 1e-4f, gradient));
    }
}
