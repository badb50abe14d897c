package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.LayerReport;
import dev.specnorm.cli.checkpoint.TensorDtype;
import java.io.Serializable;

/**
 * A {@link LayerReport} as executors send it to the driver: the same fields, serializable. See LayerReport
 * for what each value is (σ₁, σ̂ after K steps and its relative error, ‖W‖_F, convolution norms).
 */
@SuppressWarnings("ArrayRecordComponent") // a package-private Spark row, never compared or hashed
record LayerRow(
        String name,
        int[] shape,
        TensorDtype dtype,
        int matrices,
        int rows,
        int cols,
        double sigma,
        double residualBound,
        double powerSigma,
        double powerRelativeError,
        double frobenius,
        double convOperatorNorm,
        boolean convOperatorConverged,
        double convCircularNorm)
        implements Serializable {

    static LayerRow of(LayerReport l) {
        return new LayerRow(
                l.name(),
                l.shape(),
                l.dtype(),
                l.matrices(),
                l.rows(),
                l.cols(),
                l.sigma(),
                l.residualBound(),
                l.powerSigma(),
                l.powerRelativeError(),
                l.frobenius(),
                l.convOperatorNorm(),
                l.convOperatorConverged(),
                l.convCircularNorm());
    }

    LayerReport report() {
        return new LayerReport(
                name,
                shape,
                dtype,
                matrices,
                rows,
                cols,
                sigma,
                residualBound,
                powerSigma,
                powerRelativeError,
                frobenius,
                convOperatorNorm,
                convOperatorConverged,
                convCircularNorm);
    }
}
