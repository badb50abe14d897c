package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Tolerances;
import dev.specnorm.cli.checkpoint.CheckpointFixtures;
import dev.specnorm.examples.conv.ConvolutionNorms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code specnorm inspect} on the PyTorch-, NumPy- and hand-written fixtures: σ₁, ‖W‖_F and the stable
 * rank against NumPy's float64 references (SPEC.md's singular-value tolerance), the σ̂ error against its
 * own definition, skipping and selection, the files of {@code --out}, directory order, and refusals.
 */
class InspectCommandTest {

    @TempDir
    Path dir;

    static Stream<String> files() {
        List<String> names = new ArrayList<>();
        CheckpointFixtures.references().fieldNames().forEachRemaining(names::add);
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void exactSigmaAndFrobeniusMatchNumpy(String file) {
        JsonNode json = CliRunner.run(
                        "inspect", CheckpointFixtures.path(file), "--json", "--backend", "cpu", "--void2", "bfloat16")
                .succeeded()
                .json();
        JsonNode expected = CheckpointFixtures.references().get(file);
        int matrices = 0;
        int lowRank = 0;
        for (Map.Entry<String, JsonNode> e : expected.properties()) {
            if (e.getValue().get("shape").size() < 2) {
                lowRank++;
                continue;
            }
            JsonNode layer = layer(json, e.getKey());
            double sigma = e.getValue().get("sigma1").asDouble();
            int rows = layer.get("rows").asInt();
            int cols = layer.get("cols").asInt();
            assertEquals(
                    sigma,
                    layer.get("sigma").asDouble(),
                    Tolerances.singularValues(rows, cols) * sigma,
                    file + " " + e.getKey() + " sigma");
            double frobenius = e.getValue().get("frobenius").asDouble();
            assertEquals(frobenius, layer.get("frobenius").asDouble(), 1e-6 * frobenius, file + " " + e.getKey());
            assertEquals(
                    frobenius * frobenius / (sigma * sigma),
                    layer.get("stableRank").asDouble(),
                    1e-4 * frobenius * frobenius / (sigma * sigma),
                    file + " stable rank");
            double powerSigma = layer.get("powerSigma").asDouble();
            assertTrue(
                    powerSigma <= layer.get("sigma").asDouble() * (1 + Tolerances.POWER_UPPER_BOUND),
                    "sigma-hat <= sigma");
            assertEquals(
                    Math.abs(powerSigma - layer.get("sigma").asDouble())
                            / layer.get("sigma").asDouble(),
                    layer.get("powerRelativeError").asDouble(),
                    1e-12);
            matrices++;
        }
        assertEquals(matrices, json.get("layers").size(), file + ": every tensor of rank >= 2 is a layer");
        int skipped = json.get("skipped").get("rankBelow2").asInt();
        assertTrue(skipped >= lowRank, file + ": skipped " + skipped + " of rank < 2 (integer counters included)");
        double log = 0;
        for (JsonNode l : json.get("layers")) {
            log += Math.log10(l.get("sigma").asDouble());
        }
        assertEquals(log, json.get("log10SigmaProduct").asDouble(), 1e-9);
    }

    @Test
    void lanczosReportsABoundThatHolds() {
        String file = "safetensors/cnn_f16.safetensors";
        JsonNode json = CliRunner.run(
                        "inspect", CheckpointFixtures.path(file), "--json", "--method", "lanczos", "--backend", "cpu")
                .succeeded()
                .json();
        for (JsonNode layer : json.get("layers")) {
            double sigma = CheckpointFixtures.references()
                    .get(file)
                    .get(layer.get("name").asText())
                    .get("sigma1")
                    .asDouble();
            double bound = layer.get("residualBound").asDouble();
            assertTrue(
                    Math.abs(layer.get("sigma").asDouble() - sigma)
                            <= bound
                                    + Tolerances.singularValues(
                                                    layer.get("rows").asInt(),
                                                    layer.get("cols").asInt())
                                            * sigma,
                    layer.toString());
        }
    }

    @Test
    void convolutionNormsObeyTheirBoundsAndPowerMethodHasNoError() {
        JsonNode json = CliRunner.run(
                        "inspect",
                        CheckpointFixtures.path("pt/cnn_f16.pt"),
                        "--json",
                        "--method",
                        "power",
                        "--iterations",
                        "3",
                        "--input-size",
                        "8",
                        "--backend",
                        "cpu")
                .succeeded()
                .json();
        JsonNode ref = CheckpointFixtures.references().get("pt/cnn_f16.pt");
        int conv = 0;
        for (JsonNode layer : json.get("layers")) {
            assertTrue(layer.get("powerRelativeError").isNull(), "no error when sigma_1 is sigma-hat itself");
            if (layer.get("shape").size() != 4) {
                assertTrue(layer.get("convOperatorNorm") == null);
                continue;
            }
            conv++;
            int kh = layer.get("shape").get(2).asInt();
            int kw = layer.get("shape").get(3).asInt();
            double sigma = ref.get(layer.get("name").asText()).get("sigma1").asDouble();
            double operator = layer.get("convOperatorNorm").asDouble();
            assertTrue(operator <= ConvolutionNorms.upperBoundFactor(kh, kw, 1) * sigma * (1 + 1e-6), layer.toString());
            assertTrue(ConvolutionNorms.lowerBoundApplies(8, kh, kw, 1, kh / 2));
            assertTrue(sigma <= operator * (1 + 1e-6), layer.toString());
            assertTrue(
                    sigma <= layer.get("convCircularNorm").asDouble() * (1 + 1e-6),
                    "with n >= k one output position sees a whole kernel window, circular padding too: " + layer);
        }
        assertEquals(2, conv);
    }

    @Test
    void layersSelectsAndSlicesReshapes() {
        JsonNode json = CliRunner.run(
                        "inspect",
                        CheckpointFixtures.path("pt/cnn_f16.pt"),
                        "--json",
                        "--layers",
                        "^[02]\\.",
                        "--reshape",
                        "slices",
                        "--backend",
                        "cpu")
                .succeeded()
                .json();
        assertEquals(2, json.get("layers").size());
        assertEquals(1, json.get("skipped").get("notSelected").asInt());
        JsonNode first = json.get("layers").get(0);
        assertEquals(18, first.get("matrices").asInt());
        assertEquals(3, first.get("rows").asInt());
        double filters = CheckpointFixtures.references()
                .get("pt/cnn_f16.pt")
                .get("0.weight")
                .get("sigma1")
                .asDouble();
        assertTrue(first.get("sigma").asDouble() <= filters * (1 + 1e-5), "a slice's sigma is at most the filters'");
    }

    @Test
    void textOutputListsLayersAndTheProduct() {
        String out = CliRunner.run("inspect", CheckpointFixtures.path("pt/nested.pt"), "--backend", "cpu")
                .succeeded()
                .out();
        assertTrue(out.contains("model.0.weight") && out.contains("model.2.weight"), out);
        assertTrue(out.contains("skipped 2 tensors of rank < 2"), out);
        assertTrue(out.contains("product of sigma_1 over the 2 layers"), out);
    }

    @Test
    void directoryIsInspectedInNaturalOrderWithAllFiles() throws IOException {
        Path out = dir.resolve("report");
        JsonNode json = CliRunner.run(
                        "inspect", CheckpointFixtures.path("run"), "--json", "--out", out, "--backend", "cpu")
                .succeeded()
                .json();
        List<String> order = new ArrayList<>();
        json.get("checkpoints")
                .forEach(c ->
                        order.add(Path.of(c.get("file").asText()).getFileName().toString()));
        assertEquals(List.of("epoch-1.safetensors", "epoch-2.safetensors", "epoch-10.safetensors"), order);
        for (String f : List.of(
                "index.html",
                "checkpoints.csv",
                "report.json",
                "sigma-over-checkpoints.png",
                "epoch-2.safetensors/index.html",
                "epoch-2.safetensors/layers.csv",
                "epoch-2.safetensors/sigma-per-layer.png",
                "epoch-2.safetensors/spectrum.png")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        byte[] png = Files.readAllBytes(out.resolve("sigma-over-checkpoints.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        String html = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("src=\"sigma-over-checkpoints.png\"") && !html.contains("http"), "offline page");
        assertEquals(
                1 + 3 * 2, Files.readAllLines(out.resolve("checkpoints.csv")).size());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "hostile/header_beyond_file.safetensors | beyond",
                "hostile/header_huge_length.safetensors | after the length field",
                "hostile/overlapping_offsets.safetensors | overlap",
                "hostile/offsets_out_of_range.safetensors | outside the data section",
                "hostile/negative_shape.safetensors | negative",
                "hostile/huge_shape.safetensors | too many bytes",
                "hostile/not_json.safetensors | not valid JSON",
                "hostile/os_system.pt | posix.system",
                "hostile/builtins_eval.pt | builtins.eval",
                "hostile/legacy.pt | legacy",
                "hostile/zip_bomb_pickle.pt | zip bomb",
                "hostile/zip_bomb_storage.pt | more than the archive",
                "hostile/truncated_storage.pt | truncated",
                "hostile/big_endian.pt | byte order 'big'",
                "hostile/view_outside_storage.pt | of a storage of 6 elements",
                "hostile/truncated.npy | holds 26",
                "hostile/integer_matrix.safetensors | dtype int32",
                "numpy/w_bf16.npy | --void2 bfloat16",
            })
    void hostileFilesExitThreeWithOneLine(String file, String expected) {
        String line = CliRunner.run("inspect", CheckpointFixtures.path(file), "--backend", "cpu")
                .failedWith(ExitCodes.INVALID_INPUT);
        assertTrue(line.contains(expected), line);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--void2 float16 | --void2 takes only bfloat16",
                "--iterations 0 | --iterations must be at least 1",
                "--layers ( | is not a regular expression",
                "--method svd | not one of exact, power, lanczos",
                "--input-size 0 | --input-size must be in",
            })
    void usageErrorsExitTwo(String option, String expected) {
        List<Object> args = new ArrayList<>(List.of("inspect", CheckpointFixtures.path("pt/mlp_f32.pt")));
        args.addAll(List.of(option.split(" ")));
        String line = CliRunner.run(args.toArray()).failedWith(ExitCodes.USAGE);
        assertTrue(line.contains(expected), line);
    }

    @Test
    void anEmptyDirectoryOrMissingFileIsInvalidInput() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "no checkpoints");
        assertTrue(CliRunner.run("inspect", dir)
                .failedWith(ExitCodes.INVALID_INPUT)
                .contains("no checkpoints"));
        assertTrue(CliRunner.run("inspect", dir.resolve("missing.pt"))
                .failedWith(ExitCodes.INVALID_INPUT)
                .contains("no such file"));
    }

    private static JsonNode layer(JsonNode json, String name) {
        for (JsonNode l : json.get("layers")) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no layer " + name + " in " + json);
    }
}
