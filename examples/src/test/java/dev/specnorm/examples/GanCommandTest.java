package dev.specnorm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code specnorm gan}: a short run writes its metrics as CSV and a summary; bad options are usage errors. */
class GanCommandTest {

    @Test
    void shortRunWritesMetricsAndSummary(@TempDir Path dir) throws Exception {
        CliRunner.Result r = CliRunner.run("gan", "--constraint", "sn", "--steps", "20", "--every", "10", "--batch", "16",
                "--out", dir.toString(), "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("metrics-sn-seed0.csv"));
        assertEquals(4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("step,d_loss,g_loss"), csv.get(0));
        assertTrue(r.out().contains("sn") && r.out().contains("modes covered"), r.out());
        assertTrue(r.err().contains("step    20/20"), r.err());
    }

    @Test
    void unknownConstraintAndBadCountsAreUsageErrors(@TempDir Path dir) {
        assertEquals(ExitCodes.USAGE, CliRunner.run("gan", "--constraint", "weird", "--out", dir.toString()).exitCode());
        assertEquals(ExitCodes.USAGE, CliRunner.run("gan", "--steps", "0", "--out", dir.toString()).exitCode());
    }
}
