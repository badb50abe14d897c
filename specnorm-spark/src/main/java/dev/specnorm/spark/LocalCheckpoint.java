package dev.specnorm.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * A listed checkpoint as a local file for the readers, which memory-map it: a path or {@code file:} URI is used
 * in place; a file on another Hadoop file system is copied into a new temporary directory, which
 * {@link #close()} deletes.
 */
final class LocalCheckpoint implements AutoCloseable {

    private final Path path;
    private final Path copyDirectory;

    private LocalCheckpoint(Path path, Path copyDirectory) {
        this.path = path;
        this.copyDirectory = copyDirectory;
    }

    static LocalCheckpoint of(String file) throws IOException {
        Path local = localPath(file);
        if (local != null) {
            return new LocalCheckpoint(local, null);
        }
        URI uri = URI.create(file);
        Path directory = Files.createTempDirectory("specnorm-");
        Path copy = directory.resolve(Path.of(uri.getPath()).getFileName().toString());
        try {
            FileSystem.get(uri, new Configuration())
                    .copyToLocalFile(
                            false,
                            new org.apache.hadoop.fs.Path(uri),
                            new org.apache.hadoop.fs.Path(copy.toUri()),
                            true);
        } catch (IOException | RuntimeException e) {
            new LocalCheckpoint(copy, directory).close();
            throw e;
        }
        return new LocalCheckpoint(copy, directory);
    }

    /** The local path of {@code file} (a path, or a file: URI), or null for another file system. */
    static Path localPath(String file) {
        if (!file.contains(":/")) {
            return Path.of(file);
        }
        URI uri = URI.create(file);
        return "file".equalsIgnoreCase(uri.getScheme()) ? Path.of(uri) : null;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (copyDirectory != null) {
            Files.deleteIfExists(path);
            Files.deleteIfExists(copyDirectory);
        }
    }
}
