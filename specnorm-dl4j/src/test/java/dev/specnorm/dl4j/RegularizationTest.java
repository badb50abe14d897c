package dev.specnorm.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Penalty;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class RegularizationTest {

    private static final double H = 1e-4;

    @Test
    void spectralRegularizerAddsTheGradientOfLambdaSigmaSquared() {
        double[][] m = Reference.withSingularValues(5, 4, 11, 2.0, 0.5, 0.25);
        double lambda = 0.3;
        SpectralRegularization r = new SpectralRegularization(lambda, 1, 4, 5);
        INDArray w = SpectralNormConstraintTest.denseWeight(m);
        assertEquals(lambda * 4.0, r.score(w, 0, 0), 1e-5 * lambda * 4.0, "R = λσ₁² after the warm-up");
        // R(W) = λσ₁(W)² in float64; at a simple σ₁ its gradient is 2λσ₁u₁v₁ᵀ, what the library returns
        checkGradient(r, m, mat -> lambda * Math.pow(Reference.sigma1(mat), 2));
    }

    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SOFT", "DOUBLE_SOFT", "L1"})
    void orthogonalPenaltiesAddTheirGradient(Penalty penalty) {
        double[][] m = Reference.withSingularValues(4, 6, 13, 1.7, 1.1, 0.6, 0.3);
        double beta = 0.05;
        OrthogonalRegularization r = new OrthogonalRegularization(penalty, beta, 6, 4);
        ToDoubleFunction<double[][]> reference = mat -> beta * Penalties.value(penalty, mat);
        assertEquals(
                reference.applyAsDouble(m),
                r.score(SpectralNormConstraintTest.denseWeight(m), 0, 0),
                1e-5 * reference.applyAsDouble(m) + 1e-6);
        checkGradient(r, m, reference);
    }

    @Test
    void slicesIsRejectedForAMatrix() {
        assertThrows(IllegalArgumentException.class, () -> new OrthogonalRegularization(Penalty.SLICES, 1e-4, 2, 2));
    }

    @Test
    void aRegularizationForAnotherShapeIsRejected() {
        SpectralRegularization r = new SpectralRegularization(0.1, 1, 3, 3);
        assertThrows(IllegalArgumentException.class, () -> r.score(Nd4j.ones(DataType.FLOAT, 2, 2), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SpectralRegularization(0.1, 1, 3));
    }

    @Test
    void inANetworkTheSpectralRegularizerShrinksTheLayersSigma() {
        double plain = trainedSigma(null);
        double regularized = trainedSigma(new SpectralRegularization(0.5, 1, 4, 16));
        assertTrue(regularized < 0.8 * plain, "σ₁ " + regularized + " with the regularizer, " + plain + " without");
    }

    private static double trainedSigma(SpectralRegularization r) {
        DenseLayer.Builder hidden = new DenseLayer.Builder().nIn(4).nOut(16).activation(Activation.TANH);
        if (r != null) {
            hidden.regularization(List.of(r));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(4)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.05))
                .weightInit(WeightInit.NORMAL)
                .list()
                .layer(hidden.build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(16)
                        .nOut(2)
                        .activation(Activation.IDENTITY)
                        .build())
                .build());
        net.init();
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.FLOAT, 16, 4);
        INDArray y = Nd4j.rand(DataType.FLOAT, 16, 2);
        for (int step = 0; step < 30; step++) {
            net.fit(x, y);
        }
        return Reference.sigma1(Reference.denseMatrix(net.getLayer(0).getParam("W")));
    }

    /**
     * apply() on a gradient view holding ones must leave ones + ∂R/∂W, with ∂R/∂W by central differences
     * of the float64 reference (entries in the dense (nIn, nOut) layout).
     */
    private static void checkGradient(
            org.nd4j.linalg.learning.regularization.Regularization r,
            double[][] m,
            ToDoubleFunction<double[][]> reference) {
        INDArray w = SpectralNormConstraintTest.denseWeight(m);
        INDArray grad = Nd4j.ones(DataType.FLOAT, w.shape()).dup('f');
        // as DL4J's updater passes them: flattened to a row in the parameter's 'f' layout
        r.apply(w.reshape('f', 1, w.length()), grad.reshape('f', 1, grad.length()), 0.1, 0, 0);
        double scale = 0;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                double keep = m[i][j];
                m[i][j] = keep + H;
                double plus = reference.applyAsDouble(m);
                m[i][j] = keep - H;
                double minus = reference.applyAsDouble(m);
                m[i][j] = keep;
                double fd = (plus - minus) / (2 * H);
                scale = Math.max(scale, Math.abs(fd));
                assertEquals(
                        1 + fd,
                        grad.getDouble(j, i),
                        1e-4 * Math.max(1, Math.abs(fd)),
                        "∂R/∂W at (" + i + ", " + j + ")");
            }
        }
    }
}
