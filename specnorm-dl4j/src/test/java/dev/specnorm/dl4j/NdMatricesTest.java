package dev.specnorm.dl4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.MatrixBatch;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class NdMatricesTest {

    @Test
    void aNetworksDenseWeightIsWrappedInPlaceWithRowsAsOutputs() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1)
                .dataType(DataType.FLOAT)
                .list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                        .nIn(5)
                        .nOut(2)
                        .build())
                .build());
        net.init();
        INDArray w = net.getLayer(1).getParam("W");
        assertTrue(NdMatrices.isWrappable(w));
        MatrixBatch m = NdMatrices.wrap(w);
        assertEquals(2, m.shape().rows());
        assertEquals(5, m.shape().cols());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(w.getFloat(j, i), m.get(0, i, j));
            }
        }
        m.set(0, 1, 3, 42f);
        assertEquals(42f, w.getFloat(3, 1), "a write through the batch reaches the network's weight");
        assertEquals(42f, net.params().getFloat(3 * 5 + 5 + 3 + 5 * 1), "… which is the flat parameter vector");
    }

    @Test
    void aConvolutionWeightIsTheFiltersMatrix() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 4, 3, 2, 2);
        MatrixBatch m = NdMatrices.wrap(w);
        assertEquals(4, m.shape().rows());
        assertEquals(12, m.shape().cols());
        assertEquals(w.getFloat(2, 1, 0, 1), m.get(0, 2, 1 * 4 + 0 * 2 + 1));
    }

    @Test
    void aCOrderDenseWeightIsCopiedIntoTheExpectedLayout() {
        INDArray w = Nd4j.rand(DataType.FLOAT, 'c', 3L, 2L);
        assertFalse(NdMatrices.isWrappable(w));
        MatrixBatch m = NdMatrices.wrap(NdMatrices.copyOf(w));
        assertEquals(w.getFloat(2, 1), m.get(0, 1, 2));
    }
}
