package dev.specnorm.cli.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Another place to run {@code specnorm inspect} over a directory of checkpoints than the command's own loop,
 * found at run time through {@link ServiceLoader} ({@code META-INF/services}) so that the command
 * line never depends on it at compile time: specnorm-spark provides {@code spark}. An engine must compute, for
 * every checkpoint, exactly the {@link CheckpointReport} that {@link CheckpointInspector#inspect} computes
 * with the same options and backend; a file that cannot be read becomes a {@link Failure}, not an exception.
 */
public interface InspectEngine {

    /** The name {@code --engine} selects it by. */
    String name();

    /**
     * Inspects every checkpoint under {@code request.input()}.
     *
     * @param progress one unit per checkpoint file
     * @throws IOException if the input cannot be listed or the engine's own output cannot be written
     */
    Result inspect(Request request, InspectProgress progress) throws IOException;

    /**
     * What to inspect and how.
     *
     * @param input   a directory (or one file): a local path or a file system URI the engine can read
     * @param options the options of {@link CheckpointInspector}
     * @param backend the backend name asked for ({@code auto}, {@code cpu}, {@code cuda})
     * @param master  where the engine runs (for Spark a master URL); null: the engine's default
     * @param out     where the engine may write its own files besides the command's; null: nowhere
     */
    record Request(String input, InspectOptions options, String backend, String master, Path out) {
        /** Checks the values. */
        public Request {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(backend, "backend");
        }
    }

    /**
     * A checkpoint that could not be inspected.
     *
     * @param file    the file
     * @param message why, as the exception said it
     */
    record Failure(String file, String message) {}

    /**
     * The reports of the checkpoints that were inspected (any order) and the files that failed.
     *
     * @param reports  one per inspected checkpoint
     * @param failures one per file that could not be inspected
     * @param files    the engine's own files written into {@link Request#out()}
     */
    record Result(List<CheckpointReport> reports, List<Failure> failures, List<String> files) {
        /** Copies the lists. */
        public Result {
            reports = List.copyOf(reports);
            failures = List.copyOf(failures);
            files = List.copyOf(files);
        }
    }
}
