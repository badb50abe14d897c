package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * What one executor task returns for one checkpoint file: its {@link CheckpointReport} in serializable parts,
 * or the error that stopped it ({@code error} non-null, the other parts empty), plus the file's size and the
 * seconds the inspection took, for throughput.
 *
 * @param file         the file as listed (path or URI)
 * @param format       its format
 * @param backend      the backend that ran on the executor
 * @param tensors      how many tensors the file holds
 * @param layers       the inspected layers, in file order
 * @param lowRank      tensors of rank &lt; 2 skipped
 * @param notSelected  tensors --layers did not select
 * @param spectra      layer name → singular values (largest layers only)
 * @param error        why the file could not be inspected, or null
 * @param bytes        the file's size
 * @param seconds      wall time of reading and inspecting it
 */
record FileResult(String file, String format, String backend, int tensors, List<LayerRow> layers, int lowRank,
                  int notSelected, LinkedHashMap<String, float[]> spectra, String error, long bytes, double seconds)
        implements Serializable {

    static FileResult of(String file, CheckpointReport r, long bytes, double seconds) {
        List<LayerRow> rows = new ArrayList<>();
        r.layers().forEach(l -> rows.add(LayerRow.of(l)));
        return new FileResult(file, r.format(), r.backend(), r.tensors(), rows, r.skippedLowRank(),
                r.skippedNotSelected(), new LinkedHashMap<>(r.spectra()), null, bytes, seconds);
    }

    static FileResult failed(String file, String error, long bytes, double seconds) {
        return new FileResult(file, null, null, 0, List.of(), 0, 0, new LinkedHashMap<>(), error, bytes, seconds);
    }

    boolean failed() {
        return error != null;
    }

    /** The report, its file named {@code shown} (the path as the command line would name it). */
    CheckpointReport report(Path shown, InspectOptions options) {
        List<dev.specnorm.cli.checkpoint.LayerReport> reports = new ArrayList<>();
        layers.forEach(l -> reports.add(l.report()));
        return new CheckpointReport(shown, format, backend, options, tensors, reports, lowRank, notSelected,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spectra)));
    }

    InspectEngine.Failure failure() {
        return new InspectEngine.Failure(file, error);
    }
}
