package dev.specnorm.api;

import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.GramPenalty;
import dev.specnorm.api.testing.ArrayBatchBuffer;
import dev.specnorm.api.testing.ArrayPowerState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A host-memory engine for tests of the facade and of discovery: it makes buffers and states, and its
 * {@code initialize} does nothing; every computing method records its name in {@link #calls} and fails,
 * so a test can prove that the facade rejected an argument before any work reached the engine.
 */
final class FakeEngine implements BackendEngine {

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final String name;
    boolean closed;

    FakeEngine(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "fake engine " + name;
    }

    @Override
    public BatchBuffer allocate(BatchShape shape) {
        return new ArrayBatchBuffer(shape, name);
    }

    @Override
    public BatchBuffer wrapDevice(long address, BatchShape shape, long stream) {
        throw new UnsupportedOperationException("no device memory");
    }

    @Override
    public PowerState createState(StateLayout layout, float[] u, float[] v) {
        // typed as PowerState: its protected write is reachable from this package
        PowerState s = new ArrayPowerState(layout, name);
        s.write(u, v);
        return s;
    }

    @Override
    public void initialize(List<? extends Matrices> weights, PowerState state, int warmup) {}

    private AssertionError work(String what) {
        calls.add(what);
        return new AssertionError("the engine was asked to " + what + ": the facade should have rejected the call");
    }

    @Override
    public List<SingularDecomposition> svd(List<? extends Matrices> weights, boolean vectors) {
        throw work("svd");
    }

    @Override
    public float[] spectralNorm(List<? extends Matrices> weights) {
        throw work("spectralNorm");
    }

    @Override
    public List<LanczosEstimate> lanczos(List<? extends Matrices> weights, LanczosOptions options) {
        throw work("lanczos");
    }

    @Override
    public float[] powerIteration(List<? extends Matrices> weights, PowerState state, int iterations) {
        throw work("powerIteration");
    }

    @Override
    public float[] normalize(
            List<? extends Matrices> weights, PowerState state, int iterations, List<? extends Matrices> out) {
        throw work("normalize");
    }

    @Override
    public void normalizeBackward(
            List<? extends Matrices> weights,
            PowerState state,
            List<? extends Matrices> gradOutput,
            List<? extends Matrices> out) {
        throw work("normalizeBackward");
    }

    @Override
    public PenaltyResult spectralRegularizer(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float lambda,
            List<? extends Matrices> gradient) {
        throw work("spectralRegularizer");
    }

    @Override
    public PenaltyResult orthogonalPenalty(
            List<? extends Matrices> weights, GramPenalty penalty, float beta, List<? extends Matrices> gradient) {
        throw work("orthogonalPenalty");
    }

    @Override
    public PenaltyResult srip(
            List<? extends Matrices> weights,
            PowerState state,
            int iterations,
            float beta,
            List<? extends Matrices> gradient) {
        throw work("srip");
    }

    @Override
    public void close() {
        closed = true;
    }
}
