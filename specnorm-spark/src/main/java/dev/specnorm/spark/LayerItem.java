package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointPlan;
import java.io.Serializable;

/**
 * One work item of the second stage: a layer of a checkpoint.
 *
 * @param file  the file as listed (path or URI)
 * @param layer the layer as planned
 */
record LayerItem(String file, CheckpointPlan.Layer layer) implements Serializable {}
