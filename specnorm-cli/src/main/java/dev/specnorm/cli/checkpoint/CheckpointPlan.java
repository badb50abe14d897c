package dev.specnorm.cli.checkpoint;

import java.io.Serializable;
import java.util.List;

/**
 * What {@link CheckpointInspector#inspect} will compute for one checkpoint, known from its header alone
 * ({@link CheckpointInspector#plan}): so that its layers can be inspected one by one, anywhere
 * ({@link CheckpointInspector#inspectLayer}), and put back together into the same {@link CheckpointReport}.
 *
 * @param format             the file's format ({@link TensorSource#format()})
 * @param tensors            how many tensors the file holds
 * @param layers             the layers inspected, in file order
 * @param skippedLowRank     tensors of rank &lt; 2, skipped
 * @param skippedNotSelected tensors of rank ≥ 2 that {@code --layers} did not select
 */
public record CheckpointPlan(String format, int tensors, List<Layer> layers, int skippedLowRank, int skippedNotSelected)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Copies the list. */
    public CheckpointPlan {
        layers = List.copyOf(layers);
    }

    /**
     * One layer to inspect.
     *
     * @param name         the tensor's name
     * @param firstMatrix  the index of its first matrix in the flattened list of the file's shape batches: the
     *                     index its seeded power-iteration and Lanczos start vectors are drawn for
     * @param spectrumRank its place among the layers that get a full spectrum (0 = largest), or −1 for none
     */
    public record Layer(String name, int firstMatrix, int spectrumRank) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
