package dev.specnorm.cli.checkpoint;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The inspection of one checkpoint: a {@link LayerReport} per weight tensor of rank ≥ 2 (in file order),
 * how many tensors were skipped and why, the full singular values of the largest layers, and the product
 * Π σ₁ over the layers — the Lipschitz upper bound of a plain feed-forward stack of them (with
 * 1-Lipschitz activations), kept as log₁₀ so that it never overflows.
 *
 * @param file               the checkpoint
 * @param format             its format ({@link TensorSource#format()})
 * @param backend            the backend that computed σ₁ and σ̂
 * @param options            what was asked for
 * @param tensors            how many tensors the file holds
 * @param layers             the inspected layers
 * @param skippedLowRank     tensors of rank &lt; 2 (biases, norm parameters, counters), skipped
 * @param skippedNotSelected tensors of rank ≥ 2 that {@code --layers} did not select
 * @param spectra            layer name → its singular values, descending (largest layers only)
 */
public record CheckpointReport(
        Path file,
        String format,
        String backend,
        InspectOptions options,
        int tensors,
        List<LayerReport> layers,
        int skippedLowRank,
        int skippedNotSelected,
        Map<String, float[]> spectra) {

    /** log₁₀ Π σ₁ over the layers (−∞ if some σ₁ is 0; 0 without layers). */
    public double log10SigmaProduct() {
        double sum = 0;
        for (LayerReport layer : layers) {
            sum += Math.log10(layer.sigma());
        }
        return sum;
    }

    /** Π σ₁ over the layers (infinite when it overflows a double; see {@link #log10SigmaProduct()}). */
    public double sigmaProduct() {
        return Math.pow(10, log10SigmaProduct());
    }
}
