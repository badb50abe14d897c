package dev.specnorm.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import dev.specnorm.api.Penalty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrthogonalPenaltyLossTest {

    @ParameterizedTest
    @EnumSource(
            value = Penalty.class,
            names = {"BIGGAN", "SOFT", "DOUBLE_SOFT", "L1"})
    void valueAndGradientAreThePenaltysOnEveryWeight(Penalty penalty) {
        float beta = 0.05f;
        double[][] first = Reference.withSingularValues(4, 3, 5, 1.6, 0.9, 0.4);
        double[][] second = Reference.withSingularValues(2, 4, 6, 1.3, 0.7);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = new SequentialBlock()
                    .add(Linear.builder().setUnits(4).build())
                    .add(Linear.builder().setUnits(2).build());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
            Parameter w1 =
                    net.getChildren().get(0).getValue().getDirectParameters().get("weight");
            Parameter w2 =
                    net.getChildren().get(1).getValue().getDirectParameters().get("weight");
            w1.getArray().set(SpectralNormBlockTest.flatten(first));
            w2.getArray().set(SpectralNormBlockTest.flatten(second));
            OrthogonalPenaltyLoss loss = new OrthogonalPenaltyLoss(net, penalty, beta);
            NDList predictions = new NDList(manager.zeros(new Shape(1, 2)));
            NDArray value;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                value = loss.evaluate(predictions, predictions);
                collector.backward(value);
            }
            double expected = beta * (Penalties.value(penalty, first) + Penalties.value(penalty, second));
            assertEquals(expected, value.getFloat(), 1e-5 * expected);
            checkGradient(w1.getArray().getGradient().toFloatArray(), first, beta, penalty);
            checkGradient(w2.getArray().getGradient().toFloatArray(), second, beta, penalty);
        }
    }

    @Test
    void slicesIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new OrthogonalPenaltyLoss(new SequentialBlock(), Penalty.SLICES, 1e-4f));
    }

    /** Central differences of the float64 penalty against the autograd gradient (row-major (out, in)). */
    private static void checkGradient(float[] gradient, double[][] m, float beta, Penalty penalty) {
        double h = 1e-5;
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                double keep = m[i][j];
                m[i][j] = keep + h;
                double plus = beta * Penalties.value(penalty, m);
                m[i][j] = keep - h;
                double minus = beta * Penalties.value(penalty, m);
                m[i][j] = keep;
                double fd = (plus - minus) / (2 * h);
                assertEquals(
                        fd,
                        gradient[i * m[0].length + j],
                        1e-4 * Math.max(1e-2, Math.abs(fd)),
                        penalty + " ∂R/∂W[" + i + ", " + j + "]");
            }
        }
    }
}
