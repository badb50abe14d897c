package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.Penalty;
import dev.specnorm.api.SpectralBackend;
import java.util.ArrayList;
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
 * The Gram-penalty workloads (docs/PERFORMANCE.md): an orthogonality penalty of SPEC.md with its gradient, β =
 * 1e-4, in one call ({@code orthogonalPenalty(weights, penalty, β, gradient)}): {@code biggan} β‖A ⊙ (1 − I)‖²_F,
 * {@code soft} β‖A − I‖²_F, {@code double-soft} β(‖WWᵀ − I‖²_F + ‖WᵀW − I‖²_F), {@code l1} β Σ|A − I|, with
 * A = WWᵀ. {@code shape} {@code 512x4608} is one N(0, 1) matrix (a 512→512 3×3 convolution in the FILTERS
 * reshape: two GEMMs of 2·m²·n flops each); {@code sngan-d} is the SN-GAN discriminator's eight layers
 * ({@link SnganStepBenchmark#LAYERS}, N(0, 0.02²)) in one list, the penalty summed over them.
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
public class GramPenaltyBenchmark {

    /** rows × cols of one matrix, or {@code sngan-d}: the SN-GAN discriminator's eight layers in one list. */
    @Param({"512x4608", "sngan-d"})
    String shape;

    /** The penalty, by its SPEC.md name. */
    @Param({"biggan", "soft", "double-soft", "l1"})
    String penalty;

    /**
     * Where the weights and gradients live: {@code heap} (float arrays, the default) or {@code direct}
     * (native-order direct buffers, as the DL4J and DJL adapters pass them; {@code -p storage=direct}).
     */
    @Param({"heap"})
    String storage;

    private SpectralBackend backend;
    private Penalty kind;
    private final List<MatrixBatch> weights = new ArrayList<>();
    private final List<MatrixBatch> gradients = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        kind = Penalty.fromName(penalty);
        if (shape.equals("sngan-d")) {
            int[][] layers = SnganStepBenchmark.LAYERS;
            for (int l = 0; l < layers.length; l++) {
                add(
                        Inputs.gaussian(l, layers[l][0] * layers[l][1], SnganStepBenchmark.INIT_STD),
                        layers[l][0],
                        layers[l][1]);
            }
        } else {
            String[] d = shape.split("x", -1);
            int rows = Integer.parseInt(d[0]);
            int cols = Integer.parseInt(d[1]);
            add(Inputs.gaussian(0, rows * cols), rows, cols);
        }
    }

    private void add(float[] data, int rows, int cols) {
        switch (storage) {
            case "heap" -> {
                weights.add(MatrixBatch.of(data, rows, cols));
                gradients.add(MatrixBatch.of(new float[data.length], rows, cols));
            }
            case "direct" -> {
                weights.add(MatrixBatch.of(Inputs.directBuffer(data), 1, rows, cols));
                gradients.add(MatrixBatch.of(Inputs.directBuffer(data.length), 1, rows, cols));
            }
            default -> throw new IllegalArgumentException("storage must be heap or direct, not " + storage);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        backend.close();
    }

    @Benchmark
    public void lossAndGradient(Blackhole bh) {
        bh.consume(backend.orthogonalPenalty(weights, kind, 1e-4f, gradients));
    }
}
