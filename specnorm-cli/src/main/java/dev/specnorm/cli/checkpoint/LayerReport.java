package dev.specnorm.cli.checkpoint;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One inspected weight tensor. Its matrix view W (d0 × d1·…, or for a 4-D weight the reshape asked for,
 * {@code matrices} matrices of rows × cols) gives: σ₁ = ‖W‖₂ (the largest over the matrices), the Frobenius
 * norm ‖W‖_F = √(Σ wᵢⱼ²) over all of them, the stable rank ‖W‖²_F / σ₁², σ̂ = uᵀWv after K power steps and
 * its relative error |σ̂ − σ₁| / σ₁; for a 4-D weight (out, in, kh, kw) also the operator norms of the
 * stride-1 convolution on an n×n input: with zero padding ⌊k/2⌋ by power iteration on the operator (Gouk
 * et al. 2021, a lower estimate) and with circular padding exactly (Sedghi et al. 2019). Absent values
 * are NaN.
 *
 * @param name                    the tensor's name
 * @param shape                   its shape in the file
 * @param dtype                   its element type in the file
 * @param matrices                how many matrices the view holds
 * @param rows                    their rows
 * @param cols                    their columns
 * @param sigma                   σ₁ by the method asked for
 * @param residualBound           Lanczos' bound on |σ − σ₁| (NaN for the other methods)
 * @param powerSigma              σ̂ after K power steps
 * @param powerRelativeError      |σ̂ − σ₁| / σ₁ (NaN when σ₁ is itself σ̂)
 * @param frobenius               ‖W‖_F
 * @param convOperatorNorm        ‖conv‖₂, zero padding, by operator power iteration (NaN if not 4-D)
 * @param convOperatorConverged   whether that power iteration met its tolerance
 * @param convCircularNorm        ‖conv‖₂, circular padding, exact (NaN if not 4-D)
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record LayerReport(
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

    /** ‖W‖²_F / σ₁² (NaN for σ₁ = 0). */
    public double stableRank() {
        return sigma > 0 ? frobenius * frobenius / (sigma * sigma) : Double.NaN;
    }

    /** The shape as {@code 64x3x3x3}. */
    public String shapeText() {
        StringBuilder s = new StringBuilder();
        for (int d : shape) {
            s.append(s.length() == 0 ? "" : "x").append(d);
        }
        return s.toString();
    }

    /** The matrix view as {@code 64 x 27} or {@code 192 x (3 x 3)}. */
    public String viewText() {
        return matrices == 1 ? rows + " x " + cols : matrices + " x (" + rows + " x " + cols + ")";
    }

    /** Element count. */
    public long elements() {
        return (long) matrices * rows * cols;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerReport r
                && Objects.equals(name, r.name)
                && Arrays.equals(shape, r.shape)
                && Objects.equals(dtype, r.dtype)
                && matrices == r.matrices
                && rows == r.rows
                && cols == r.cols
                && Double.compare(sigma, r.sigma) == 0
                && Double.compare(residualBound, r.residualBound) == 0
                && Double.compare(powerSigma, r.powerSigma) == 0
                && Double.compare(powerRelativeError, r.powerRelativeError) == 0
                && Double.compare(frobenius, r.frobenius) == 0
                && Double.compare(convOperatorNorm, r.convOperatorNorm) == 0
                && convOperatorConverged == r.convOperatorConverged
                && Double.compare(convCircularNorm, r.convCircularNorm) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name,
                Arrays.hashCode(shape),
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

    @Override
    public String toString() {
        return "LayerReport[name=" + name + ", shape=" + Arrays.toString(shape) + ", dtype=" + dtype + ", matrices="
                + matrices + ", rows=" + rows + ", cols=" + cols + ", sigma=" + sigma + ", residualBound="
                + residualBound + ", powerSigma=" + powerSigma + ", powerRelativeError=" + powerRelativeError
                + ", frobenius=" + frobenius + ", convOperatorNorm=" + convOperatorNorm + ", convOperatorConverged="
                + convOperatorConverged + ", convCircularNorm=" + convCircularNorm + "]";
    }
}
