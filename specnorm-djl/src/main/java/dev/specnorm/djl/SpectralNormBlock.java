package dev.specnorm.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.Objects;

/**
 * Spectral normalization (Miyato et al. 2018, SN-GAN) of any DJL block with a {@code weight} parameter
 * ({@code Linear}: matrix out × in; {@code Conv1d/2d/3d}: out × in·k…, the FILTERS reshape): the wrapped block
 * computes with Ŵ = W / σ̂, σ̂ = uᵀ W v. In each training forward pass specnorm first runs
 * {@code iterations} power iterations (v ← normalize(Wᵀu), u ← normalize(Wv)) on the persistent u, v; in
 * inference it uses them as they are. u and v enter autograd as constants, so the gradient reaching W is
 * the SN backward (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂, as in PyTorch's {@code spectral_norm}.
 *
 * <p>W is read by specnorm in place when it is a float32 CPU tensor ({@link DjlMatrices}); u and v (m + n
 * floats) are copied into two small arrays per forward pass. The state is not part of
 * {@code saveParameters}; it restarts from the seeded warm-up when a model is loaded.
 *
 * <p>Use: {@code new SequentialBlock().add(new SpectralNormBlock(Linear.builder().setUnits(64).build(), 1))}.
 */
public final class SpectralNormBlock extends AbstractBlock {

    private static final String WEIGHT = "weight";

    private final Block wrapped;
    private final int iterations;
    private final String backendName;
    private PowerState state;

    /**
     * @param block      the block to normalize; it must own a parameter named {@code weight}
     * @param iterations power iterations per training forward pass, ≥ 1 (SN-GAN uses 1)
     */
    public SpectralNormBlock(Block block, int iterations) {
        this(block, iterations, "auto");
    }

    /** As {@link #SpectralNormBlock(Block, int)}, computing on the specnorm backend {@code backendName}. */
    public SpectralNormBlock(Block block, int iterations, String backendName) {
        Objects.requireNonNull(block, "block");
        if (!block.getDirectParameters().contains(WEIGHT)) {
            throw new IllegalArgumentException(
                    block.getClass().getSimpleName() + " has no parameter named weight to normalize");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.wrapped = addChildBlock("normalized", block);
        this.iterations = iterations;
        this.backendName = Objects.requireNonNull(backendName, "backendName");
    }

    /** The wrapped block. */
    public Block wrapped() {
        return wrapped;
    }

    /** σ̂ of the last forward pass's power-iteration state for the current W (evaluated, not iterated). */
    public float sigma() {
        NDArray w = weight().getArray();
        return backend().powerIteration(DjlMatrices.of(w), state(DjlMatrices.of(w)), 0)[0];
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        Parameter weight = weight();
        NDArray w = parameterStore.getValue(weight, inputs.head().getDevice(), training);
        MatrixBatch matrix = DjlMatrices.of(w);
        PowerState s = state(matrix);
        backend().powerIteration(matrix, s, training ? iterations : 0);
        NDManager manager = inputs.head().getManager();
        int rows = matrix.shape().rows();
        int cols = matrix.shape().cols();
        NDArray u = manager.create(s.exportU(), new Shape(1, rows)).toType(w.getDataType(), false);
        NDArray v = manager.create(s.exportV(), new Shape(cols, 1)).toType(w.getDataType(), false);
        NDArray sigma = u.matMul(w.reshape(rows, cols)).matMul(v).reshape(new Shape());
        NDArray normalized = w.div(sigma.maximum(EPS));
        return wrapped.forward(
                new SubstitutedParameterStore(parameterStore, weight, normalized), inputs, training, params);
    }

    /** SPEC.md's eps in max(σ̂, eps). */
    private static final float EPS = 1e-12f;

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return wrapped.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        wrapped.initialize(manager, dataType, inputShapes);
    }

    private Parameter weight() {
        return wrapped.getDirectParameters().get(WEIGHT);
    }

    private SpectralBackend backend() {
        return SharedBackend.named(backendName);
    }

    private PowerState state(MatrixBatch matrix) {
        if (state == null || !state.layout().shapes().get(0).equals(matrix.shape())) {
            state = backend().newPowerState(matrix, PowerOptions.DEFAULT);
        }
        return state;
    }

    @Override
    public String toString() {
        return "SpectralNormBlock(" + wrapped + ", iterations=" + iterations + ")";
    }
}
