package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.examples.study.StudyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code specnorm study}: every output of --quick, reproducibility, user input, and its errors. */
class StudyCommandTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path dir;

    @Test
    void quickWritesEveryOutput() throws IOException {
        Path out = dir.resolve("quick");
        JsonNode json = CliRunner.run("study", "--quick", "--backend", "cpu", "--out", out, "--json")
                .succeeded()
                .json();
        assertEquals("study", json.get("command").asText());
        assertEquals("cpu", json.get("backend").asText());
        for (String f : List.of("samples.csv", "timings.csv", "conv.csv", "study.json", "index.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        String html = Files.readString(out.resolve("index.html"));
        for (String chart : StudyReport.CHARTS) {
            byte[] png = Files.readAllBytes(out.resolve(chart));
            assertTrue(png.length > 1000, chart);
            byte[] head = Arrays.copyOf(png, PNG_MAGIC.length);
            assertArrayEquals(PNG_MAGIC, head, chart + " is a PNG");
            assertTrue(html.contains("src=\"" + chart + "\""), "index.html shows " + chart);
        }
        String csv = Files.readString(out.resolve("samples.csv"));
        assertTrue(csv.startsWith("population,group,subject,matrix,rows,cols,gap,mode,k,j,"), csv.substring(0, 80));
        assertTrue(csv.lines().count() > 1000);
        assertTrue(csv.lines().skip(1).allMatch(l -> l.endsWith(",true")), "every sample within sigma(1 + 1e-6)");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        String conv = Files.readString(out.resolve("conv.csv"));
        assertEquals(8, conv.lines().count());
        assertTrue(conv.lines().skip(1).allMatch(l -> l.endsWith("true,true,true")), conv);
    }

    @Test
    void theSameSeedGivesTheSameCsv() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        CliRunner.run("study", "--quick", "--population", "gap", "--seed", "3", "--backend", "cpu", "--out", a)
                .succeeded();
        CliRunner.run("study", "--quick", "--population", "gap", "--seed", "3", "--backend", "cpu", "--out", b)
                .succeeded();
        assertArrayEquals(Files.readAllBytes(a.resolve("samples.csv")), Files.readAllBytes(b.resolve("samples.csv")));
        Path c = dir.resolve("c");
        CliRunner.run("study", "--quick", "--population", "gap", "--seed", "4", "--backend", "cpu", "--out", c)
                .succeeded();
        assertTrue(
                !Files.readString(a.resolve("samples.csv")).equals(Files.readString(c.resolve("samples.csv"))),
                "another seed, other matrices");
    }

    @Test
    void studiesUserWeights() throws Exception {
        Path w = Path.of(getClass().getResource("/fixtures/cli/w.npy").toURI());
        Path out = dir.resolve("input");
        CliRunner.run("study", "--input", w, "--iterations", "1,5,20", "--backend", "cpu", "--out", out)
                .succeeded();
        String csv = Files.readString(out.resolve("samples.csv"));
        assertTrue(csv.contains("input,w.npy,"), csv.lines().skip(1).findFirst().orElse(""));
        assertTrue(Files.exists(out.resolve("error-vs-iterations.png")));
        // a directory of .npy files
        Path out2 = dir.resolve("input-dir");
        CliRunner.run("study", "--input", w.getParent(), "--iterations", "1,2", "--backend", "cpu", "--out", out2)
                .succeeded();
        assertTrue(Files.readString(out2.resolve("samples.csv")).contains("conv.npy"));
    }

    @Test
    void aMissingInputIsInvalidInput() {
        String line = CliRunner.run("study", "--input", dir.resolve("nope.npy"), "--out", dir.resolve("o"))
                .failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(line.contains("nope.npy"), line);
        assertTrue(!Files.exists(dir.resolve("o")), "nothing written");
    }

    @Test
    void badOptionsAreUsageErrors() {
        CliRunner.run("study", "--bogus").failedWith(ExitCodes.USAGE);
        CliRunner.run("study", "--population", "cats").failedWith(ExitCodes.USAGE);
        CliRunner.run("study", "--iterations", "0,5").failedWith(ExitCodes.USAGE);
        CliRunner.run("study", "--population", "gap", "--input", dir).failedWith(ExitCodes.USAGE);
        CliRunner.run("study", "--delta", "-1").failedWith(ExitCodes.USAGE);
    }
}
