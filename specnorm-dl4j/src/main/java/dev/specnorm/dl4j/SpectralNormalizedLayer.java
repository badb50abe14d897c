package dev.specnorm.dl4j;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The layer {@link SpectralNormalized} builds: the wrapped layer computes with Ŵ (its weight-noise slot
 * holds {@link SpectralNormWeight}); after its backward pass the weight gradient, which DL4J computed with
 * respect to Ŵ, is replaced by the SN backward with respect to W.
 */
final class SpectralNormalizedLayer extends BaseWrapperLayer {

    private static final long serialVersionUID = 1L;

    private final SpectralNormWeight weight;

    SpectralNormalizedLayer(Layer underlying, SpectralNormWeight weight) {
        super(underlying);
        this.weight = weight;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        Pair<Gradient, INDArray> result = underlying.backpropGradient(epsilon, workspaceMgr);
        INDArray gradient = result.getFirst().getGradientFor(SpectralNormWeight.WEIGHT);
        weight.backward(underlying.getParam(SpectralNormWeight.WEIGHT), gradient);
        return result;
    }
}
