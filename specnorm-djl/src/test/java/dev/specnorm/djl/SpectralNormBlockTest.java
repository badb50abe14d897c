package dev.specnorm.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.specnorm.api.Backends;
import dev.specnorm.api.MatrixBatch;
import dev.specnorm.api.PowerOptions;
import dev.specnorm.api.PowerState;
import dev.specnorm.api.SpectralBackend;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpectralNormBlockTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void forwardComputesWithTheWeightDividedByItsSpectralNorm() {
        double[][] m = Reference.withSingularValues(5, 3, 1, 3.0, 1.0, 0.5);
        SpectralNormBlock block = new SpectralNormBlock(
                Linear.builder().setUnits(5).optBias(false).build(), 1);
        block.initialize(manager, DataType.FLOAT32, new Shape(4, 3));
        weightOf(block).getArray().set(flatten(m));
        NDArray x = manager.randomNormal(new Shape(4, 3));
        float[] y = block.forward(new ParameterStore(manager, false), new NDList(x), false)
                .head()
                .toFloatArray();
        double sigma = Reference.sigma1(m);
        float[] xs = x.toFloatArray();
        for (int b = 0; b < 4; b++) {
            for (int i = 0; i < 5; i++) {
                double expected = 0;
                for (int j = 0; j < 3; j++) {
                    expected += xs[b * 3 + j] * m[i][j] / sigma;
                }
                assertEquals(expected, y[b * 5 + i], 1e-5 * (1 + Math.abs(expected)), "y[" + b + ", " + i + "]");
            }
        }
        assertEquals(sigma, block.sigma(), 1e-5 * sigma);
    }

    @Test
    void weightGradientIsTheLibrarysSpectralNormBackward() {
        double[][] m = Reference.withSingularValues(4, 6, 2, 2.0, 1.5, 0.5, 0.1);
        SpectralNormBlock block = new SpectralNormBlock(
                Linear.builder().setUnits(4).optBias(false).build(), 1);
        block.initialize(manager, DataType.FLOAT32, new Shape(3, 6));
        Parameter weight = weightOf(block);
        weight.getArray().set(flatten(m));
        NDArray x = manager.randomNormal(new Shape(3, 6));
        NDArray r = manager.randomNormal(new Shape(3, 4));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                    .head();
            collector.backward(y.mul(r).sum());
        }
        float[] actual = weight.getArray().getGradient().toFloatArray();

        // the same step by the library: one power iteration from the same seeded state, then the SN backward
        // of G = ∂L/∂Ŵ = rᵀx for L = Σ r ⊙ (x Ŵᵀ)
        float[] g = r.transpose().matMul(x).toFloatArray();
        float[] expected = new float[g.length];
        try (SpectralBackend backend = Backends.open("auto")) {
            MatrixBatch w = MatrixBatch.of(flatten(m), 4, 6);
            PowerState state = backend.newPowerState(w, PowerOptions.DEFAULT);
            backend.powerIteration(w, state, 1);
            backend.normalizeBackward(w, state, MatrixBatch.of(g, 4, 6), MatrixBatch.of(expected, 4, 6));
        }
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        assertTrue(scale > 1e-2, "the check is not vacuous");
        for (int k = 0; k < g.length; k++) {
            assertEquals(expected[k], actual[k], 1e-5 * scale, "∂L/∂W[" + k + "]");
        }
    }

    @Test
    void convolutionWeightGradientMatchesFiniteDifferences() {
        SpectralNormBlock block = new SpectralNormBlock(
                Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(3).build(), 1);
        Shape input = new Shape(2, 2, 5, 5);
        block.initialize(manager, DataType.FLOAT64, input);
        Parameter weight = weightOf(block);
        NDArray x = manager.randomNormal(input).toType(DataType.FLOAT64, false);
        NDArray r = manager.randomNormal(new Shape(2, 3, 3, 3)).toType(DataType.FLOAT64, false);
        ToDoubleFunction<Boolean> loss =
                training -> block.forward(new ParameterStore(manager, false), new NDList(x), training)
                        .head()
                        .mul(r)
                        .sum()
                        .getDouble();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true)
                    .head();
            collector.backward(y.mul(r).sum());
        }
        double[] analytic = weight.getArray().getGradient().toDoubleArray();
        NDArray w = weight.getArray();
        double[] values = w.toDoubleArray();
        double h = 1e-3;
        double largest = 0;
        double worst = 0;
        for (int k = 0; k < values.length; k++) {
            double keep = values[k];
            values[k] = keep + h;
            w.set(values);
            double plus = loss.applyAsDouble(false);
            values[k] = keep - h;
            w.set(values);
            double minus = loss.applyAsDouble(false);
            values[k] = keep;
            w.set(values);
            double fd = (plus - minus) / (2 * h);
            largest = Math.max(largest, Math.abs(fd));
            worst = Math.max(worst, Math.abs(fd - analytic[k]));
        }
        assertTrue(largest > 1e-2, "the check is not vacuous");
        // specnorm iterates in float32 on this float64 block: u, v carry 6e-8 relative rounding; the
        // differences over 2h = 2e-3 resolve the gradient to about 3e-5 of its largest entry
        assertTrue(worst <= 3e-4 * largest, "max |fd − analytic| = " + worst + ", max |fd| = " + largest);
    }

    @Test
    void aBlockWithoutWeightIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SpectralNormBlock(Activation.reluBlock(), 1));
        assertThrows(
                IllegalArgumentException.class,
                () -> new SpectralNormBlock(Linear.builder().setUnits(2).build(), 0));
    }

    static Parameter weightOf(SpectralNormBlock block) {
        return block.wrapped().getDirectParameters().get("weight");
    }

    static float[] flatten(double[][] m) {
        float[] out = new float[m.length * m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                out[i * m[0].length + j] = (float) m[i][j];
            }
        }
        return out;
    }
}
