package dev.specnorm.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SpectralNormalizedTest {

    @Test
    void forwardComputesWithTheWeightDividedByItsSpectralNorm() {
        double[][] m = Reference.withSingularValues(6, 3, 21, 4.0, 1.0, 0.5);
        MultiLayerNetwork sn = denseNetwork(DataType.FLOAT, true);
        MultiLayerNetwork plain = denseNetwork(DataType.FLOAT, false);
        plain.setParams(sn.params());
        INDArray w = SpectralNormConstraintTest.denseWeight(m);
        sn.setParam("0_W", w);
        plain.setParam("0_W", w.div(Reference.sigma1(m)));
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3);
        INDArray expected = plain.output(x);
        INDArray actual = sn.output(x);
        // σ̂ after the 15 warm-up iterations with σ₂/σ₁ = 1/4: relative error far below the float32 floor
        assertTrue(expected.equalsWithEps(actual, 1e-5), "\n" + expected + "\n" + actual);
        assertEquals(w, sn.getParam("0_W"), "the stored W is not changed by normalizing it");
    }

    @Test
    void denseWeightGradientMatchesFiniteDifferencesOfTheNormalizedNetwork() {
        double[][] m = Reference.withSingularValues(6, 3, 22, 2.0, 0.7, 0.2);
        MultiLayerNetwork net = denseNetwork(DataType.DOUBLE, true);
        net.setParam("0_W", SpectralNormConstraintTest.denseWeight(m).castTo(DataType.DOUBLE));
        checkWeightGradient(
                net, "0_W", new DataSet(Nd4j.rand(DataType.DOUBLE, 5, 3), Nd4j.rand(DataType.DOUBLE, 5, 2)));
    }

    @Test
    void convolutionWeightGradientMatchesFiniteDifferences() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(3)
                .dataType(DataType.DOUBLE)
                .updater(new Sgd(0.1))
                .list()
                .layer(new SpectralNormalized(
                        new ConvolutionLayer.Builder(3, 3)
                                .nIn(2)
                                .nOut(4)
                                .activation(Activation.TANH)
                                .build(),
                        1))
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG)
                        .kernelSize(2, 2)
                        .build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.convolutional(6, 6, 2))
                .build());
        net.init();
        checkWeightGradient(
                net, "0_W", new DataSet(Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6), Nd4j.rand(DataType.DOUBLE, 3, 2)));
    }

    @Test
    void aLayerWithoutWeightsIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpectralNormalized(
                        new SubsamplingLayer.Builder().kernelSize(2, 2).build(), 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpectralNormalized(
                        new DenseLayer.Builder().nIn(2).nOut(2).build(), 0));
    }

    /**
     * The training backward pass (one power iteration, then the SN backward by the library) against
     * central differences of the inference score, which uses the state that pass left with u, v fixed.
     */
    private static void checkWeightGradient(MultiLayerNetwork net, String key, DataSet data) {
        net.setInput(data.getFeatures());
        net.setLabels(data.getLabels());
        net.computeGradientAndScore();
        // DL4J's gradient is the sum over the minibatch; its score is the mean (the updater divides)
        INDArray analytic = net.gradient().getGradientFor(key).div(data.numExamples());
        INDArray w = net.getParam(key);
        INDArray flat = w.reshape(w.ordering(), new long[] {w.length()});
        double h = 1e-3;
        double largest = 0;
        double worst = 0;
        for (long i = 0; i < flat.length(); i++) {
            double keep = flat.getDouble(i);
            flat.putScalar(i, keep + h);
            double plus = net.score(data, false);
            flat.putScalar(i, keep - h);
            double minus = net.score(data, false);
            flat.putScalar(i, keep);
            double fd = (plus - minus) / (2 * h);
            double a = analytic.reshape(w.ordering(), new long[] {w.length()}).getDouble(i);
            largest = Math.max(largest, Math.abs(fd));
            worst = Math.max(worst, Math.abs(fd - a));
        }
        assertTrue(largest > 1e-3, "the check is not vacuous: largest ∂L/∂W = " + largest);
        // Ŵ is computed in float32: its rounding (6e-8 relative) over the step 2h = 2e-3 bounds the
        // differences' accuracy near 3e-5 of the largest entry; a missing SN backward term is of order 1
        assertTrue(worst <= 3e-4 * largest, "max |fd − analytic| = " + worst + ", max |fd| = " + largest);
    }

    private static MultiLayerNetwork denseNetwork(DataType type, boolean normalized) {
        DenseLayer hidden = new DenseLayer.Builder()
                .nIn(3)
                .nOut(6)
                .activation(Activation.TANH)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(2)
                .dataType(type)
                .updater(new Sgd(0.1))
                .list()
                .layer(normalized ? new SpectralNormalized(hidden, 1) : hidden)
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(6)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        return net;
    }
}
