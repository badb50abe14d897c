package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of invalid input file exits with 3 and one line on stderr naming the file and the problem. */
class InvalidInputTest {

    @TempDir
    Path dir;

    private String fails(Path file, String command) {
        Object[] args = command.equals("normalize")
                ? new Object[] {command, file, "--out", dir.resolve("out.npy")}
                : command.equals("ortho")
                        ? new Object[] {command, file, "--penalty", "soft"}
                        : new Object[] {command, file};
        String line = CliRunner.run(args).failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(line.startsWith("specnorm: error: " + file), "names the file: " + line);
        return line;
    }

    @ParameterizedTest
    @CsvSource({
        "bad/int32.npy, unsupported dtype '<i4'",
        "bad/float16.npy, unsupported dtype '<f2' (float16)",
        "bad/object.npy, object arrays",
        "bad/structured.npy, structured dtypes",
        "bad/rank1.npy, has rank 1; expected 2",
        "bad/rank5.npy, has rank 5; expected 2",
        "bad/empty_rows.npy, zero dimension",
        "bad/nan.npy, entry [1, 2] is NaN",
        "bad/inf_fortran.npy, entry [0, 3] is Infinity",
        "bad/f8_overflow.npy, outside the float32 range",
    })
    void numpyWrittenFilesSpecnormRefuses(String fixture, String problem) {
        Path file = Fixtures.copy(fixture, dir);
        for (String command : new String[] {"sigma", "svd", "normalize", "ortho"}) {
            String line = fails(file, command);
            assertTrue(line.contains(problem), line);
        }
    }

    @Test
    void missingFile() {
        assertTrue(fails(dir.resolve("missing.npy"), "sigma").endsWith("missing.npy: no such file"));
    }

    @Test
    void directory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("weights.npy"));
        assertTrue(fails(sub, "svd").endsWith("is a directory, not an .npy file"));
    }

    @Test
    void emptyAndTruncatedFiles() throws IOException {
        assertTrue(fails(Files.write(dir.resolve("empty.npy"), new byte[0]), "sigma")
                .contains("is empty"));
        byte[] image = Fixtures.bytes("cli/w.npy");
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(image, image.length - 100));
        assertTrue(fails(cut, "sigma").contains("truncated"));
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = Fixtures.copy("cli/w.npy", dir);
        assertTrue(file.toFile().setReadable(false));
        try {
            assumeFalse(Files.isReadable(file), "running as a user who reads anything");
            assertTrue(fails(file, "sigma").endsWith("permission denied"));
        } finally {
            file.toFile().setReadable(true);
        }
    }

    @Test
    void errorsGoToStderrEvenWithJson() {
        assertTrue(CliRunner.run("sigma", dir.resolve("missing.npy"), "--json")
                .failedWith(ExitCodes.INVALID_INPUT)
                .endsWith("no such file"));
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRunner.Result result = CliRunner.run("sigma", dir.resolve("missing.npy"), "--verbose");
        List<String> lines = result.err().lines().toList();
        assertTrue(result.exitCode() == ExitCodes.INVALID_INPUT && lines.size() > 2, result.err());
        assertTrue(
                lines.get(0).startsWith("specnorm: error: ") && lines.get(1).contains("InvalidInputException"),
                result.err());
    }
}
