package dev.specnorm.spark;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.checkpoint.CheckpointInspector;
import dev.specnorm.cli.checkpoint.Checkpoints;
import dev.specnorm.cli.checkpoint.InspectProgress;
import dev.specnorm.cli.checkpoint.InspectedLayer;
import dev.specnorm.cli.checkpoint.TensorSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The second stage, on the executors: inspects each (file, layer) item of its partition with
 * {@link CheckpointInspector#inspectLayer} — the tensor is read there, memory-mapped, and only its row comes
 * back — on one backend opened per partition ({@code auto} takes CUDA where the executor has a GPU). A file is
 * opened once for a run of consecutive items of it. Any exception becomes that item's error.
 */
final class InspectLayerTask implements FlatMapFunction<Iterator<LayerItem>, LayerResult> {

    private static final long serialVersionUID = 1L;

    private final InspectSettings settings;

    InspectLayerTask(InspectSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<LayerResult> call(Iterator<LayerItem> items) throws IOException {
        List<LayerResult> results = new ArrayList<>();
        if (!items.hasNext()) {
            return results.iterator();
        }
        try (SpectralBackend backend = Backends.open(settings.backend())) {
            CheckpointInspector inspector = new CheckpointInspector(backend, settings.options(), InspectProgress.NONE);
            OpenFile open = null;
            try {
                while (items.hasNext()) {
                    LayerItem item = items.next();
                    long start = System.nanoTime();
                    try {
                        if (open == null || !open.file.equals(item.file())) {
                            if (open != null) {
                                open.close();
                                open = null;
                            }
                            open = OpenFile.of(item.file(), settings.void2IsBfloat16());
                        }
                        InspectedLayer l = inspector.inspectLayer(open.source, open.local.path(), item.layer());
                        results.add(new LayerResult(
                                item.file(), l.report(), l.spectrum(), backend.name(), null, seconds(start)));
                    } catch (IOException | RuntimeException e) {
                        results.add(
                                new LayerResult(item.file(), null, null, backend.name(), message(e), seconds(start)));
                    }
                }
            } finally {
                if (open != null) {
                    open.close();
                }
            }
        }
        return results.iterator();
    }

    /** What an exception says, for a failure row. */
    static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** A checkpoint open for reading its tensors. */
    private static final class OpenFile implements AutoCloseable {
        final String file;
        final LocalCheckpoint local;
        final TensorSource source;

        private OpenFile(String file, LocalCheckpoint local, TensorSource source) {
            this.file = file;
            this.local = local;
            this.source = source;
        }

        static OpenFile of(String file, boolean void2IsBfloat16) throws IOException {
            LocalCheckpoint local = LocalCheckpoint.of(file);
            try {
                return new OpenFile(file, local, Checkpoints.open(local.path(), void2IsBfloat16));
            } catch (IOException | RuntimeException e) {
                local.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                source.close();
            } finally {
                local.close();
            }
        }
    }
}
