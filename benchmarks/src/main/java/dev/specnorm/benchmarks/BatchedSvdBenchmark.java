package dev.specnorm.benchmarks;

import dev.specnorm.api.ConvolutionReshape;
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
 * The batched small SVD workload (docs/PERFORMANCE.md): singular values, no vectors, of a batch of small N(0, 1) matrices in one call:
 * {@code 262144x3x3} is the {@link ConvolutionReshape#SLICES} reshape of a 512×512×3×3 convolution (the
 * same memory layout), {@code 4096x32x32} a batch of 4,096 matrices of 32×32.
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
public class BatchedSvdBenchmark {

    /** batch × rows × cols. */
    @Param({"262144x3x3", "4096x32x32"})
    String shape;

    private SpectralBackend backend;
    private MatrixBatch w;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        String[] d = shape.split("x", -1);
        int batch = Integer.parseInt(d[0]);
        int rows = Integer.parseInt(d[1]);
        int cols = Integer.parseInt(d[2]);
        w = MatrixBatch.of(Inputs.gaussian(0, batch * rows * cols), batch, rows, cols);
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
