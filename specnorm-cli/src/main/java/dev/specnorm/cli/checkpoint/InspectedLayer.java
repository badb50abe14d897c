package dev.specnorm.cli.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * One layer inspected on its own ({@link CheckpointInspector#inspectLayer}).
 *
 * @param report   its row, equal to the one {@link CheckpointInspector#inspect} makes
 * @param spectrum its singular values, descending, if the plan gives it a spectrum; else null
 */
@SuppressWarnings("ArrayRecordComponent") // equals, hashCode and toString below use the arrays' contents
public record InspectedLayer(LayerReport report, float[] spectrum) {

    @Override
    public boolean equals(Object o) {
        return o instanceof InspectedLayer r && Objects.equals(report, r.report) && Arrays.equals(spectrum, r.spectrum);
    }

    @Override
    public int hashCode() {
        return Objects.hash(report, Arrays.hashCode(spectrum));
    }

    @Override
    public String toString() {
        return "InspectedLayer[report=" + report + ", spectrum=" + Arrays.toString(spectrum) + "]";
    }
}
