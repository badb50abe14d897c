package dev.specnorm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.Backends;
import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.api.SpectralBackend;
import dev.specnorm.cli.SpecnormCli;
import dev.specnorm.cli.checkpoint.CheckpointInspector;
import dev.specnorm.cli.checkpoint.CheckpointReport;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectOptions;
import dev.specnorm.cli.checkpoint.InspectProgress;
import dev.specnorm.cli.checkpoint.LayerReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark engine on local[2] against the single-JVM inspection of the same files: specnorm-cli's committed
 * checkpoint fixtures (safetensors, PyTorch .pt, .npz, .npy in float64/32/16 and bfloat16), flattened into one
 * directory, plus one truncated file. Every report must equal {@link CheckpointInspector}'s bit for bit.
 */
class SparkInspectEngineTest {

    private static final Path FIXTURES = Path.of("../specnorm-cli/src/test/resources/checkpoints");
    private static final String CORRUPT = "truncated.npy";

    @TempDir
    static Path work;

    private static Path good;
    private static Path mixed;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws IOException {
        good = Files.createDirectories(work.resolve("good"));
        mixed = Files.createDirectories(work.resolve("mixed"));
        for (String group : List.of("safetensors", "pt", "numpy", "run")) {
            try (Stream<Path> files = Files.list(FIXTURES.resolve(group))) {
                for (Path f : files.toList()) {
                    Files.copy(f, good.resolve(f.getFileName()));
                    Files.copy(f, mixed.resolve(f.getFileName()));
                }
            }
        }
        Files.copy(FIXTURES.resolve("hostile").resolve(CORRUPT), mixed.resolve(CORRUPT));
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("SparkInspectEngineTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static InspectOptions options() {
        return new InspectOptions(null, ConvolutionReshape.FILTERS, InspectOptions.Method.EXACT, 10, 7, 8, true, 2);
    }

    @Test
    void everyReportEqualsTheSingleJvmInspectionAndTheCorruptFileIsReported() throws IOException {
        Path out = work.resolve("engine-out");
        CountingProgress progress = new CountingProgress();
        InspectEngine.Result result = new SparkInspectEngine()
                .inspect(new InspectEngine.Request(mixed.toString(), options(), "cpu", null, out), progress);

        long fileCount;
        try (Stream<Path> files = Files.list(mixed)) {
            fileCount = files.count();
        }
        assertTrue(fileCount >= 21, "20+ checkpoints and the corrupt one: " + fileCount);
        assertEquals(fileCount - 1, result.reports().size());
        assertEquals(1, result.failures().size());
        InspectEngine.Failure failure = result.failures().get(0);
        assertTrue(failure.file().endsWith(CORRUPT), failure.file());
        try (SpectralBackend cpu = Backends.open("cpu")) {
            IOException local = assertThrows(
                    IOException.class,
                    () -> new CheckpointInspector(cpu, options(), InspectProgress.NONE)
                            .inspect(mixed.resolve(CORRUPT)));
            assertEquals(local.getMessage(), failure.message());
            for (CheckpointReport r : result.reports()) {
                assertEquals(mixed, r.file().getParent(), "named as inspect names it");
                assertSameReport(new CheckpointInspector(cpu, options(), InspectProgress.NONE).inspect(r.file()), r);
            }
        }
        long layers =
                result.reports().stream().mapToLong(r -> r.layers().size()).sum();
        assertEquals(fileCount + layers, progress.steps, "one progress step per file planned and per layer");
        assertEquals(2, progress.starts, "the planning job, then the layers' job");
        assertTrue(progress.finished);

        List<Row> table =
                spark.read().parquet(out.resolve("layers.parquet").toString()).collectAsList();
        assertEquals(layers, table.size());
        Row epoch = table.stream()
                .filter(row -> row.getString(0).equals("epoch-2.safetensors"))
                .findFirst()
                .orElseThrow();
        LayerReport expected = result.reports().stream()
                .filter(r -> r.file().endsWith("epoch-2.safetensors"))
                .findFirst()
                .orElseThrow()
                .layers()
                .stream()
                .filter(l -> l.name().equals(epoch.getString(1)))
                .findFirst()
                .orElseThrow();
        assertEquals(expected.sigma(), epoch.getDouble(epoch.fieldIndex("sigma")));
        List<Row> failed =
                spark.read().parquet(out.resolve("failures.parquet").toString()).collectAsList();
        assertEquals(1, failed.size());
        assertEquals(CORRUPT, failed.get(0).getString(0));
    }

    @Test
    void theCommandLineWritesWhatPlainInspectWritesAndReRunningIsSafe() throws IOException {
        Path plainOut = work.resolve("plain");
        Path sparkOut = work.resolve("spark");
        String[] common = {
            "inspect", good.toString(), "--backend", "cpu", "--seed", "3", "--input-size", "8", "--void2", "bfloat16"
        };
        Run plain = run(common, "--out", plainOut.toString());
        assertEquals(0, plain.exit, plain.err);
        Run first = run(common, "--engine", "spark", "--out", sparkOut.toString());
        assertEquals(0, first.exit, first.err);
        Map<String, byte[]> once = files(sparkOut);
        Run again = run(common, "--engine", "spark", "--out", sparkOut.toString());
        assertEquals(0, again.exit, again.err);
        assertEquals(first.out, again.out);

        Map<String, byte[]> expected = files(plainOut);
        Map<String, byte[]> twice = files(sparkOut);
        for (Map.Entry<String, byte[]> f : expected.entrySet()) {
            if (f.getKey().endsWith(".png")) {
                assertTrue(twice.containsKey(f.getKey()), f.getKey());
                continue;
            }
            assertArrayEquals(f.getValue(), twice.get(f.getKey()), f.getKey());
            assertArrayEquals(once.get(f.getKey()), twice.get(f.getKey()), f.getKey() + " after the re-run");
        }
        assertEquals("checkpoint,error\n", new String(twice.get("failures.csv"), StandardCharsets.UTF_8));
        assertTrue(
                first.out.startsWith(plain.out.substring(0, plain.out.indexOf("wrote "))), "the same tables on stdout");
        Run json = run(common, "--engine", "spark", "--json");
        Run plainJson = run(common, "--json");
        assertEquals(plainJson.out, json.out);
    }

    @Test
    void aMissingDirectoryIsInvalidInput() {
        Run r = run(new String[] {"inspect", work.resolve("absent").toString(), "--engine", "spark"});
        assertEquals(3, r.exit, r.err);
        assertTrue(r.err.startsWith("specnorm: error: "), r.err);
        assertTrue(r.err.contains("absent"), r.err);
    }

    private static void assertSameReport(CheckpointReport expected, CheckpointReport actual) {
        String where = actual.file().toString();
        assertEquals(expected.format(), actual.format(), where);
        assertEquals(expected.backend(), actual.backend(), where);
        assertEquals(expected.tensors(), actual.tensors(), where);
        assertEquals(expected.skippedLowRank(), actual.skippedLowRank(), where);
        assertEquals(expected.skippedNotSelected(), actual.skippedNotSelected(), where);
        assertEquals(expected.layers().size(), actual.layers().size(), where);
        for (int i = 0; i < expected.layers().size(); i++) {
            LayerReport e = expected.layers().get(i);
            LayerReport a = actual.layers().get(i);
            String layer = where + " " + e.name();
            assertEquals(e.name(), a.name(), layer);
            assertArrayEquals(e.shape(), a.shape(), layer);
            assertEquals(e.dtype(), a.dtype(), layer);
            assertEquals(List.of(e.matrices(), e.rows(), e.cols()), List.of(a.matrices(), a.rows(), a.cols()), layer);
            double[] ev = {
                e.sigma(),
                e.residualBound(),
                e.powerSigma(),
                e.powerRelativeError(),
                e.frobenius(),
                e.convOperatorNorm(),
                e.convCircularNorm()
            };
            double[] av = {
                a.sigma(),
                a.residualBound(),
                a.powerSigma(),
                a.powerRelativeError(),
                a.frobenius(),
                a.convOperatorNorm(),
                a.convCircularNorm()
            };
            assertArrayEquals(ev, av, 0.0, layer + ": bit for bit");
            assertEquals(e.convOperatorConverged(), a.convOperatorConverged(), layer);
        }
        assertEquals(expected.spectra().keySet(), actual.spectra().keySet(), where);
        for (String name : expected.spectra().keySet()) {
            assertArrayEquals(expected.spectra().get(name), actual.spectra().get(name), where + " spectrum " + name);
        }
        assertFalse(actual.layers().isEmpty() && Double.isNaN(actual.log10SigmaProduct()), where);
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String[] args, String... more) {
        String[] all = Stream.concat(Stream.of(args), Stream.of(more)).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = SpecnormCli.newCommandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Every regular file under {@code dir} (Parquet's directories left out), by relative path. */
    private static Map<String, byte[]> files(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (!name.contains(".parquet")) {
                    files.put(name, Files.readAllBytes(p));
                }
            }
        }
        return files;
    }
}
