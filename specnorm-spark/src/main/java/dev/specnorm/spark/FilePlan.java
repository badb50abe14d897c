package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointPlan;
import java.io.Serializable;

/**
 * What the first stage returns for one checkpoint: its {@link CheckpointPlan} (the layers to inspect, from the
 * header), or why it cannot be inspected ({@code error} non-null, {@code plan} null).
 *
 * @param file  the file as listed (path or URI)
 * @param bytes its size
 * @param plan  its plan, or null
 * @param error the reader's message, or null
 */
record FilePlan(String file, long bytes, CheckpointPlan plan, String error) implements Serializable {}
