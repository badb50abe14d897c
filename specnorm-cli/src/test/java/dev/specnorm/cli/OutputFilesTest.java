package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputFiles}: a target is replaced whole or not at all, and no temporary file is left. */
class OutputFilesTest {

    @TempDir
    Path dir;

    private List<Path> files() throws IOException {
        try (var list = Files.list(dir)) {
            return list.toList();
        }
    }

    @Test
    void replacesTheTarget() throws IOException {
        Path target = Files.writeString(dir.resolve("out.npy"), "old");
        OutputFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailureWhileWritingKeepsTheOldFile() throws IOException {
        Path target = Files.writeString(dir.resolve("out.npy"), "old");
        IOException e = assertThrows(
                IOException.class,
                () -> OutputFiles.write(target, out -> {
                    out.write(new byte[100_000]);
                    throw new IOException("disk full");
                }));
        assertTrue(e.getMessage().startsWith("cannot write " + target + ": disk full"), e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    @Test
    void nothingIsCommittedWhenALaterStageFails() throws IOException {
        Path first = dir.resolve("a.npy");
        try (OutputFiles outputs = new OutputFiles()) {
            outputs.stage(first, out -> out.write(1));
            assertThrows(
                    IllegalStateException.class,
                    () -> outputs.stage(dir.resolve("b.npy"), out -> {
                        throw new IllegalStateException("bug");
                    }));
        }
        assertEquals(List.of(), files());
    }

    @Test
    void missingDirectoryAndDirectoryTarget() throws IOException {
        IOException missing = assertThrows(
                IOException.class, () -> OutputFiles.write(dir.resolve("no/such/out.npy"), out -> out.write(1)));
        assertTrue(missing.getMessage().endsWith(": no such directory"), missing.getMessage());
        Path sub = Files.createDirectory(dir.resolve("sub"));
        IOException directory = assertThrows(IOException.class, () -> OutputFiles.write(sub, out -> out.write(1)));
        assertTrue(directory.getMessage().endsWith("it is a directory"), directory.getMessage());
    }
}
