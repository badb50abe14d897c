package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specnorm gan} and {@code specnorm discriminator}: short runs write what they promise (CSV, decodable
 * PNG charts, the HTML page, the table with mean ± sd); bad options are usage errors.
 */
class GanCommandTest {

    @Test
    void shortRunWritesMetricsAndSummary(@TempDir Path dir) throws Exception {
        CliRunner.Result r = CliRunner.run(
                "gan",
                "--constraint",
                "sn",
                "--steps",
                "20",
                "--every",
                "10",
                "--batch",
                "16",
                "--out",
                dir.toString(),
                "--backend",
                "cpu");
        assertEquals(0, r.exitCode(), r.err());
        List<String> csv = Files.readAllLines(dir.resolve("metrics-sn-seed0.csv"));
        assertEquals(4, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("step,d_loss,g_loss"), csv.get(0));
        assertTrue(r.out().contains("sn") && r.out().contains("modes covered"), r.out());
        assertTrue(r.err().contains("step    20/20"), r.err());
        for (String png : List.of("samples-sn.png", "curves-sn.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertTrue(image != null && image.getWidth() >= 400 && image.getHeight() >= 400, png);
        }
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<img src=\"samples-sn.png\"") && html.contains("<td>sn</td>"), html);
        assertEquals(2, Files.readAllLines(dir.resolve("summary.csv")).size());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void allConstraintsOnTwoSeedsGiveTheComparisonChartAndMeanAndSd(@TempDir Path dir) throws Exception {
        CliRunner.Result r = CliRunner.run(
                "gan",
                "--constraint",
                "all",
                "--seeds",
                "2",
                "--steps",
                "4",
                "--every",
                "2",
                "--batch",
                "8",
                "--out",
                dir.toString(),
                "--backend",
                "cpu");
        assertEquals(0, r.exitCode(), r.err());
        List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(7, summary.size(), String.join("\n", summary));
        for (String c : List.of("none", "sn", "snreg", "biggan", "soft", "srip")) {
            assertTrue(
                    Files.exists(dir.resolve("metrics-" + c + "-seed0.csv"))
                            && Files.exists(dir.resolve("metrics-" + c + "-seed1.csv")),
                    c);
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(c + " ") && l.contains("±")), r.out());
        }
        assertTrue(ImageIO.read(dir.resolve("comparison.png").toFile()) != null);
    }

    @Test
    void unknownConstraintAndBadCountsAreUsageErrors(@TempDir Path dir) {
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--constraint", "weird", "--out", dir.toString())
                        .exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--steps", "0", "--out", dir.toString()).exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--rate", "-1", "--out", dir.toString()).exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--d-steps", "0", "--out", dir.toString()).exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--problem", "spiral", "--out", dir.toString())
                        .exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--loss", "l2", "--out", dir.toString()).exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--beta1", "1", "--out", dir.toString()).exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--scale", "0", "--out", dir.toString()).exitCode());
    }

    @Test
    void gridProblemWithEachLossReportsItsTwentyFiveModes(@TempDir Path dir) throws Exception {
        for (String loss : List.of("hinge", "wasserstein", "bce")) {
            CliRunner.Result r = CliRunner.run(
                    "gan",
                    "--problem",
                    "grid",
                    "--loss",
                    loss,
                    "--steps",
                    "4",
                    "--every",
                    "2",
                    "--batch",
                    "8",
                    "--d-steps",
                    "2",
                    "--out",
                    dir.resolve(loss),
                    "--backend",
                    "cpu");
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.err().contains("/25"), r.err());
            assertTrue(Files.readAllLines(dir.resolve(loss).resolve("metrics-sn-seed0.csv"))
                    .get(0)
                    .contains("kl_uniform,energy_distance"));
        }
    }

    @Test
    void runsTrainedInParallelGiveTheNumbersOfASequentialRun(@TempDir Path dir) throws Exception {
        for (String threads : List.of("1", "3")) {
            CliRunner.Result r = CliRunner.run(
                    "gan",
                    "--constraint",
                    "all",
                    "--seeds",
                    "2",
                    "--steps",
                    "6",
                    "--every",
                    "3",
                    "--batch",
                    "8",
                    "--threads",
                    threads,
                    "--out",
                    dir.resolve(threads),
                    "--backend",
                    "cpu");
            assertEquals(0, r.exitCode(), r.err());
        }
        for (String c : List.of("none", "sn", "snreg", "biggan", "soft", "srip")) {
            for (String seed : List.of("0", "1")) {
                String name = "metrics-" + c + "-seed" + seed + ".csv";
                assertEquals(
                        Files.readString(dir.resolve("1").resolve(name)),
                        Files.readString(dir.resolve("3").resolve(name)),
                        name);
            }
        }
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--threads", "0", "--out", dir.toString()).exitCode());
    }

    @Test
    void digitsSubcommandWritesBothRunsChartsAndPage(@TempDir Path dir) throws Exception {
        CliRunner.Result r = CliRunner.run(
                "gan",
                "digits",
                "--steps",
                "4",
                "--every",
                "2",
                "--batch",
                "8",
                "--out",
                dir.toString(),
                "--backend",
                "cpu");
        assertEquals(0, r.exitCode(), r.err());
        for (String c : List.of("none", "sn")) {
            List<String> csv = Files.readAllLines(dir.resolve("metrics-digits-" + c + ".csv"));
            assertEquals(4, csv.size(), String.join("\n", csv));
            assertTrue(csv.get(0).startsWith("step,d_loss,g_loss,precision,recall"), csv.get(0));
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(c + " ") && l.contains("/10")), r.out());
            // real + three snapshots (steps 0, 2, 4) side by side, each panel about square
            BufferedImage grid =
                    ImageIO.read(dir.resolve("samples-digits-" + c + ".png").toFile());
            assertTrue(grid != null && grid.getWidth() > 3 * grid.getHeight(), c);
        }
        assertTrue(ImageIO.read(dir.resolve("curves-digits.png").toFile()) != null);
        String html = Files.readString(dir.resolve("index.html"));
        assertTrue(html.contains("<img src=\"samples-digits-sn.png\"") && html.contains("precision"), html);
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "digits", "--constraint", "srip", "--out", dir.toString())
                        .exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "digits", "--batch", "1", "--out", dir.toString())
                        .exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("gan", "--decay", "cosine", "--out", dir.toString())
                        .exitCode());
    }

    @Test
    void discriminatorRunsAndReportsEveryLayer() {
        CliRunner.Result r =
                CliRunner.run("discriminator", "--divisor", "16", "--steps", "3", "--batch", "4", "--backend", "cpu");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("mean per step (steps 2..3): conv"), r.out());
        assertEquals(
                8,
                r.out().lines().filter(l -> l.matches("^(conv[1-7]|dense) .*")).count(),
                r.out());
        assertTrue(r.out().contains("conv7 3x3 s1 16->32") && r.out().contains("dense 512->1"), r.out());
    }

    @Test
    void discriminatorRejectsBadOptions() {
        assertEquals(
                ExitCodes.USAGE, CliRunner.run("discriminator", "--batch", "3").exitCode());
        assertEquals(
                ExitCodes.USAGE,
                CliRunner.run("discriminator", "--divisor", "3").exitCode());
        assertEquals(
                ExitCodes.USAGE, CliRunner.run("discriminator", "--steps", "0").exitCode());
        assertEquals(
                ExitCodes.USAGE, CliRunner.run("discriminator", "--rate", "0").exitCode());
    }
}
