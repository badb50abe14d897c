package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.CheckpointPlan;
import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectOptions;
import dev.specnorm.cli.checkpoint.LayerReport;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One checkpoint file as the driver puts it together from its plan and its layers' results: its
 * {@link CheckpointReport} in parts, or the error that stopped it ({@code error} non-null, the other parts empty), plus the file's size and the
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
 * @param seconds      executor time spent inspecting its layers
 */
record FileResult(
        String file,
        String format,
        String backend,
        int tensors,
        List<LayerReport> layers,
        int lowRank,
        int notSelected,
        LinkedHashMap<String, float[]> spectra,
        String error,
        long bytes,
        double seconds)
        implements Serializable {

    /**
     * A file put back together from its plan and its layers' results, in plan order: failed with the first
     * layer's error if some layer failed, as the whole-file inspection would have stopped there.
     *
     * @param noLayers the backend named for a file without layers (the one the other files ran on)
     */
    static FileResult of(FilePlan plan, List<LayerResult> layers, String noLayers) {
        double seconds = layers.stream().mapToDouble(LayerResult::seconds).sum();
        if (plan.error() != null) {
            return failed(plan.file(), plan.error(), plan.bytes(), seconds);
        }
        List<LayerReport> rows = new ArrayList<>();
        float[][] ranked = new float[layers.size()][];
        String[] names = new String[layers.size()];
        int spectra = 0;
        for (int i = 0; i < layers.size(); i++) {
            LayerResult r = layers.get(i);
            if (r.error() != null) {
                return failed(plan.file(), r.error(), plan.bytes(), seconds);
            }
            rows.add(r.row());
            int rank = plan.plan().layers().get(i).spectrumRank();
            if (rank >= 0) {
                ranked[rank] = r.spectrum();
                names[rank] = r.row().name();
                spectra++;
            }
        }
        LinkedHashMap<String, float[]> spectrum = new LinkedHashMap<>();
        for (int k = 0; k < spectra; k++) {
            spectrum.put(names[k], ranked[k]);
        }
        String backend = layers.isEmpty() ? noLayers : layers.get(0).backend();
        CheckpointPlan p = plan.plan();
        return new FileResult(
                plan.file(),
                p.format(),
                backend,
                p.tensors(),
                rows,
                p.skippedLowRank(),
                p.skippedNotSelected(),
                spectrum,
                null,
                plan.bytes(),
                seconds);
    }

    static FileResult failed(String file, String error, long bytes, double seconds) {
        return new FileResult(file, null, null, 0, List.of(), 0, 0, new LinkedHashMap<>(), error, bytes, seconds);
    }

    boolean failed() {
        return error != null;
    }

    /** The report, its file named {@code shown} (the path as the command line would name it). */
    CheckpointReport report(Path shown, InspectOptions options) {
        List<LayerReport> reports = new ArrayList<>(layers);
        return new CheckpointReport(
                shown,
                format,
                backend,
                options,
                tensors,
                reports,
                lowRank,
                notSelected,
                Collections.unmodifiableMap(new LinkedHashMap<>(spectra)));
    }

    InspectEngine.Failure failure() {
        return new InspectEngine.Failure(file, error);
    }
}
