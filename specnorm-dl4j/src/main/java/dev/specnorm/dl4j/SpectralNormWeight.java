package dev.specnorm.dl4j;

import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The forward half of spectral normalization (Miyato et al. 2018) in DL4J's weight-noise slot, which every
 * layer asks for the weight it computes with: Ŵ = W / max(σ̂, eps), σ̂ = uᵀWv after {@code iterations}
 * power iterations in training (none in inference), u, v kept for the layer instance. DL4J reuses the
 * returned Ŵ for the layer's backward pass; {@link #backward} then maps the gradient with respect to Ŵ to
 * the gradient with respect to W, (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂, with u, v as the forward pass left them.
 *
 * <p>Ŵ is a new array each forward pass (DL4J keeps it until the update); it and the backward scratch are
 * the copies that remain. W itself is read in place when it is a contiguous float array
 * ({@link NdMatrices}). One instance serves one layer instance: {@link SpectralNormalized} makes it.
 */
final class SpectralNormWeight implements IWeightNoise {

    private static final long serialVersionUID = 1L;

    static final String WEIGHT = "W";

    private final int iterations;
    private final String backendName;
    private transient PowerState state;

    SpectralNormWeight(int iterations, String backendName) {
        this.iterations = iterations;
        this.backendName = backendName;
    }

    @Override
    public INDArray getParameter(
            Layer layer, String paramKey, int iteration, int epoch, boolean train, LayerWorkspaceMgr workspaceMgr) {
        INDArray w = layer.getParam(paramKey);
        if (!WEIGHT.equals(paramKey)) {
            return w;
        }
        MatrixBatch matrix = asMatrix(w);
        INDArray normalized = NdMatrices.zerosLike(w);
        backend().normalize(matrix, state(matrix), train ? iterations : 0, NdMatrices.wrap(normalized));
        return normalized.dataType() == w.dataType() ? normalized : normalized.castTo(w.dataType());
    }

    /** Replaces {@code gradient} (∂L/∂Ŵ on entry) by ∂L/∂W, for the weight {@code w} of the last forward pass. */
    void backward(INDArray w, INDArray gradient) {
        MatrixBatch matrix = asMatrix(w);
        INDArray g = NdMatrices.isWrappable(gradient) ? gradient : NdMatrices.copyOf(gradient);
        INDArray out = NdMatrices.zerosLike(w);
        backend().normalizeBackward(matrix, state(matrix), NdMatrices.wrap(g), NdMatrices.wrap(out));
        gradient.assign(out);
    }

    private SpectralBackend backend() {
        return SharedBackend.named(backendName);
    }

    private PowerState state(MatrixBatch matrix) {
        if (state == null) {
            state = backend().newPowerState(matrix, PowerOptions.DEFAULT);
        }
        return state;
    }

    private static MatrixBatch asMatrix(INDArray w) {
        return NdMatrices.wrap(NdMatrices.isWrappable(w) ? w : NdMatrices.copyOf(w));
    }

    @Override
    public SpectralNormWeight clone() {
        return new SpectralNormWeight(iterations, backendName);
    }
}
