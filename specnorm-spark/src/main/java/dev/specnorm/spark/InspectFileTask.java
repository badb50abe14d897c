package dev.specnorm.spark;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.checkpoint.CheckpointInspector;
import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.InspectProgress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FlatMapFunction;

/**
 * The executor's side: inspects each checkpoint of its partition with {@link CheckpointInspector}, exactly
 * as {@code specnorm inspect} does, with one backend opened per partition ({@code auto} takes CUDA where the
 * executor has a GPU). A local file is read in place (memory-mapped by the readers); a file on another
 * Hadoop file system is first copied to the executor's temporary directory. Any exception reading or
 * inspecting a file becomes that file's {@link FileResult#failed} row.
 */
final class InspectFileTask implements FlatMapFunction<Iterator<String>, FileResult> {

    private static final long serialVersionUID = 1L;

    private final InspectSettings settings;

    InspectFileTask(InspectSettings settings) {
        this.settings = settings;
    }

    @Override
    public Iterator<FileResult> call(Iterator<String> files) {
        List<FileResult> results = new ArrayList<>();
        if (!files.hasNext()) {
            return results.iterator();
        }
        try (SpectralBackend backend = Backends.open(settings.backend())) {
            CheckpointInspector inspector = new CheckpointInspector(backend, settings.options(), InspectProgress.NONE);
            while (files.hasNext()) {
                results.add(inspect(inspector, files.next()));
            }
        }
        return results.iterator();
    }

    private static FileResult inspect(CheckpointInspector inspector, String file) {
        long start = System.nanoTime();
        long bytes = 0;
        Path copy = null;
        try {
            Path local = localPath(file);
            if (local == null) {
                URI uri = URI.create(file);
                copy = Files.createTempDirectory("specnorm-");
                local = copy.resolve(Path.of(uri.getPath()).getFileName().toString());
                FileSystem.get(uri, new Configuration()).copyToLocalFile(false, new org.apache.hadoop.fs.Path(uri),
                        new org.apache.hadoop.fs.Path(local.toUri()), true);
            }
            bytes = Files.size(local);
            CheckpointReport report = inspector.inspect(local);
            return FileResult.of(file, report, bytes, seconds(start));
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return FileResult.failed(file, message, bytes, seconds(start));
        } finally {
            if (copy != null) {
                try {
                    try (var stale = Files.list(copy)) {
                        for (Path p : stale.toList()) {
                            Files.delete(p);
                        }
                    }
                    Files.delete(copy);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The local path of {@code file} (a path, or a file: URI), or null for another file system. */
    static Path localPath(String file) {
        if (!file.contains(":/")) {
            return Path.of(file);
        }
        URI uri = URI.create(file);
        return "file".equalsIgnoreCase(uri.getScheme()) ? Path.of(uri) : null;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
