package dev.specnorm.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Output files written atomically: each is written in full to a temporary file beside its target,
 * flushed to disk, and only then renamed over the target, so a failure never leaves a half-written file
 * and an existing file is either kept or wholly replaced. Stage every output of a command, then
 * {@link #commit()}; closing without committing deletes the temporary files.
 */
final class OutputFiles implements AutoCloseable {

    /** Writes a file's content. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Staged(Path temporary, Path target) {}

    private final List<Staged> staged = new ArrayList<>();

    /** Writes {@code target} atomically. */
    static void write(Path target, Content content) throws IOException {
        try (OutputFiles files = new OutputFiles()) {
            files.stage(target, content);
            files.commit();
        }
    }

    /** Writes {@code content} to a temporary file beside {@code target}; nothing is visible until commit. */
    void stage(Path target, Content content) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path temporary =
                createTemporary(target, directory, absolute.getFileName().toString());
        staged.add(new Staged(temporary, target));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(new KeepOpen(Channels.newOutputStream(channel)), 1 << 16);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw failure(target, e);
        }
    }

    /** Renames every staged file over its target. */
    void commit() throws IOException {
        while (!staged.isEmpty()) {
            Staged s = staged.get(0);
            try {
                move(s.temporary(), s.target());
            } catch (IOException e) {
                throw failure(s.target(), e);
            }
            staged.remove(0);
        }
    }

    /** Deletes the temporary files of anything not committed. */
    @Override
    public void close() {
        for (Staged s : staged) {
            try {
                Files.deleteIfExists(s.temporary());
            } catch (IOException ignored) {
                // best effort: the failure that led here is what the user needs to see
            }
        }
        staged.clear();
    }

    private static Path createTemporary(Path target, Path directory, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path temporary = directory.resolve("." + name + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                // default permissions (as the umask allows), unlike Files.createTempFile's owner-only ones
                Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                        .close();
                return temporary;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw failure(target, e);
                }
            } catch (IOException e) {
                throw failure(target, e);
            }
        }
    }

    private static void move(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Lets content close its stream (a zip stream does) without closing the channel before it is forced. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    private static IOException failure(Path target, IOException e) {
        String why = e instanceof NoSuchFileException
                ? "no such directory"
                : e instanceof AccessDeniedException
                        ? "permission denied"
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IOException("cannot write " + target + ": " + why, e);
    }
}
