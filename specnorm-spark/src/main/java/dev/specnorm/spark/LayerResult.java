package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.LayerReport;
import java.io.Serializable;

/**
 * What an executor returns for one {@link LayerItem}: the layer's row and planned spectrum, or the error that
 * stopped it ({@code error} non-null, {@code row} null), and the seconds it took.
 *
 * @param file     the file as listed
 * @param row      the layer's row, or null
 * @param spectrum its singular values if planned, else null
 * @param backend  the backend that ran on the executor
 * @param error    why it could not be inspected, or null
 * @param seconds  wall time of reading and inspecting it
 */
@SuppressWarnings("ArrayRecordComponent") // a package-private Spark task result, never compared or hashed
record LayerResult(String file, LayerReport row, float[] spectrum, String backend, String error, double seconds)
        implements Serializable {}
