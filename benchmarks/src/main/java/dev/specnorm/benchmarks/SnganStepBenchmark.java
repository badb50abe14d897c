package dev.specnorm.benchmarks;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The SN-GAN workload (docs/PERFORMANCE.md): the spectral-normalization step of one training step of the SN-GAN standard CNN
 * discriminator (Miyato et al. 2018, Table 3; the shapes of {@code examples}' {@code SnganDiscriminator}):
 * its eight layers in one list, one power iteration and Ŵ = W/σ̂ ({@code normalize}), then the backward
 * pass ∂L/∂W = (G − ⟨G, Ŵ⟩uvᵀ)/σ̂ for a given upstream gradient G ({@code normalizeBackward}).
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
public class SnganStepBenchmark {

    /** Rows × cols of each layer in the FILTERS reshape: seven convolutions, then the dense layer. */
    static final int[][] LAYERS = {
        {64, 3 * 3 * 3}, {64, 64 * 4 * 4}, {128, 64 * 3 * 3}, {128, 128 * 4 * 4},
        {256, 128 * 3 * 3}, {256, 256 * 4 * 4}, {512, 256 * 3 * 3}, {1, 512 * 4 * 4},
    };

    /** Standard deviation of the weights, as SnganDiscriminator draws them. */
    static final double INIT_STD = 0.02;

    private SpectralBackend backend;
    private final List<MatrixBatch> weights = new ArrayList<>();
    private final List<MatrixBatch> gradOutput = new ArrayList<>();
    private final List<MatrixBatch> normalized = new ArrayList<>();
    private final List<MatrixBatch> gradInput = new ArrayList<>();
    private PowerState state;

    @Setup(Level.Trial)
    public void setUp() {
        backend = Inputs.cpu();
        for (int l = 0; l < LAYERS.length; l++) {
            int rows = LAYERS[l][0];
            int cols = LAYERS[l][1];
            weights.add(MatrixBatch.of(Inputs.gaussian(l, rows * cols, INIT_STD), rows, cols));
            gradOutput.add(MatrixBatch.of(Inputs.gaussian(LAYERS.length + l, rows * cols), rows, cols));
            normalized.add(MatrixBatch.zeros(weights.get(l).shape()));
            gradInput.add(MatrixBatch.zeros(weights.get(l).shape()));
        }
        state = backend.newPowerState(weights, PowerOptions.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        state.close();
        backend.close();
    }

    @Benchmark
    public void forwardAndBackward(Blackhole bh) {
        bh.consume(backend.normalize(weights, state, 1, normalized));
        backend.normalizeBackward(weights, state, gradOutput, gradInput);
        bh.consume(gradInput);
    }
}
