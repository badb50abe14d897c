package dev.specnorm.dl4j;

import java.util.Collection;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * A spectrally normalized layer (Miyato et al. 2018, SN-GAN) for DL4J: wraps any layer with a weight
 * parameter {@code W} — a {@code DenseLayer} (matrix nOut × nIn), {@code OutputLayer}, or
 * {@code ConvolutionLayer} (matrix out × in·kh·kw, the FILTERS reshape) — so that it computes with
 * Ŵ = W / max(σ̂, eps) and trains W through the SN backward ∂L/∂W = (G − ⟨G, Ŵ⟩ u vᵀ)/σ̂ with u, v
 * constant, both computed by specnorm. σ̂ = uᵀWv after {@code iterations} power iterations per training
 * forward pass (none in inference), u, v persistent per layer, seeded and warmed up as SPEC.md says.
 *
 * <p>Use: {@code .layer(new SpectralNormalized(new DenseLayer.Builder().nIn(2).nOut(64).build(), 1))}.
 * The wrapped layer's weight-noise setting is replaced (spectral normalization occupies that slot).
 */
public final class SpectralNormalized extends BaseWrapperLayer {

    private static final long serialVersionUID = 1L;

    private int iterations = 1;
    private String backend = "auto";

    /** For DL4J's JSON deserialization. */
    SpectralNormalized() {}

    /**
     * @param layer      the layer to normalize (a {@code BaseLayer} with a {@code W} parameter)
     * @param iterations power iterations per training forward pass, ≥ 1 (SN-GAN uses 1)
     */
    public SpectralNormalized(org.deeplearning4j.nn.conf.layers.Layer layer, int iterations) {
        super(requireBaseLayer(layer));
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.iterations = iterations;
    }

    /** Power iterations per training forward pass. */
    public int getIterations() {
        return iterations;
    }

    /** Sets the power iterations per training forward pass (≥ 1). */
    public void setIterations(int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + iterations);
        }
        this.iterations = iterations;
    }

    /** The specnorm backend name ("auto": the best available). */
    public String getBackend() {
        return backend;
    }

    /** Sets the specnorm backend name, as {@code Backends.open(name)} takes it. */
    public void setBackend(String backend) {
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    @Override
    public Layer instantiate(
            NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners,
            int layerIndex,
            INDArray layerParamsView,
            boolean initializeParams,
            DataType networkDataType) {
        BaseLayer inner = (BaseLayer) getUnderlying().clone();
        SpectralNormWeight weight = new SpectralNormWeight(iterations, backend);
        inner.setWeightNoise(weight);
        NeuralNetConfiguration innerConf = conf.clone();
        innerConf.setLayer(inner);
        Layer layer =
                inner.instantiate(innerConf, listeners, layerIndex, layerParamsView, initializeParams, networkDataType);
        return new SpectralNormalizedLayer(layer, weight);
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return getUnderlying().getUpdaterByParam(paramName);
    }

    @Override
    public SpectralNormalized clone() {
        SpectralNormalized c = new SpectralNormalized(getUnderlying().clone(), iterations);
        c.backend = backend;
        return c;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer requireBaseLayer(
            org.deeplearning4j.nn.conf.layers.Layer layer) {
        Objects.requireNonNull(layer, "layer");
        if (!(layer instanceof BaseLayer)) {
            throw new IllegalArgumentException(layer.getClass().getSimpleName()
                    + " has no weight parameter W to normalize (expected a dense, output or convolution layer)");
        }
        return layer;
    }
}
