package dev.specnorm.cli.checkpoint;

/**
 * One layer inspected on its own ({@link CheckpointInspector#inspectLayer}).
 *
 * @param report   its row, equal to the one {@link CheckpointInspector#inspect} makes
 * @param spectrum its singular values, descending, if the plan gives it a spectrum; else null
 */
public record InspectedLayer(LayerReport report, float[] spectrum) {}
