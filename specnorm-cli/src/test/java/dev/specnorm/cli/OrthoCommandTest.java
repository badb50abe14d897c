package dev.specnorm.cli;

import static dev.specnorm.api.testing.NumericAssertions.assertNormwise;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Dense;
import dev.specnorm.api.testing.Tolerances;
import dev.specnorm.cli.io.NpyArray;
import dev.specnorm.cli.io.NpyReader;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code specnorm ortho} against NumPy float64 evaluations of SPEC.md's formulas.
 *
 * <p>Loss tolerance. Each float32 Gram entry carries an error |δA_ij| ≤ γ·(|W||W|ᵀ)_ij with γ a few
 * times n·2⁻²⁴ (n = 24 here, so γ ≲ 1e-5, the constant SPEC.md gives gradients). A squared penalty
 * R = β Σ f(A)_ij² then moves by |δR| ≲ 2β Σ |f(A)_ij| |δA_ij| ≤ 2γ · β Σ (|W||W|ᵀ + I)_ij², and l1 by
 * β Σ |δA_ij| ≤ γ · β Σ (|W||W|ᵀ + I)_ij. The sums are SPEC.md's ḡ recipe applied to the loss: the formula
 * on |W| with every subtraction made an addition, computed by make_fixtures.py as "scale". So the test
 * asserts |R − R₆₄| ≤ 2·1e-5·scale: a forward-error bound that, like SPEC.md's gradient bound, stays
 * meaningful when A − I cancels. Gradients use SPEC.md's bound as stated: ‖g − g₆₄‖_F ≤ 1e-5·‖ḡ‖_F.
 */
class OrthoCommandTest {

    private static final Path W = Fixtures.path("cli/w.npy");
    private static final Path CONV = Fixtures.path("cli/conv.npy");
    private static final JsonNode REFS = Fixtures.references();
    private static final double LOSS_TOLERANCE = 2 * Tolerances.GRADIENT;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"biggan", "soft", "double-soft", "l1"})
    void lossAgreesWithNumpyFloat64(String penalty) {
        JsonNode json = CliRunner.json("ortho", W, "--penalty", penalty);
        assertEquals(penalty, json.get("penalty").asText());
        assertEquals(1e-4, json.get("beta").asDouble(), 1e-12);
        JsonNode ref = REFS.at("/w/penalties/" + penalty);
        double loss = json.get("loss").asDouble();
        assertEquals(
                ref.get("loss").asDouble(),
                loss,
                LOSS_TOLERANCE * ref.get("scale").asDouble());
        assertEquals(loss, json.at("/perMatrix/0").asDouble(), 1e-6 * loss);
    }

    @Test
    void betaScalesTheLoss() {
        double base =
                CliRunner.json("ortho", W, "--penalty", "soft").get("loss").asDouble();
        double scaled = CliRunner.json("ortho", W, "--penalty", "soft", "--beta", "0.5")
                .get("loss")
                .asDouble();
        assertEquals(5000 * base, scaled, 1e-5 * scaled);
    }

    @Test
    void gradientIsWrittenInTheInputsShape() throws IOException {
        Path grad = dir.resolve("grad.npy");
        JsonNode json = CliRunner.json("ortho", W, "--penalty", "soft", "--grad", grad);
        assertEquals(grad.toString(), json.get("grad").asText());
        NpyArray gradient = NpyReader.read(grad);
        assertArrayEquals(new int[] {40, 24}, gradient.shape());
        // the float64 reference read through the float32 reader: a relative change ≤ 2⁻²⁴ per entry, far below the
        // bound
        NpyArray reference = NpyReader.read(Fixtures.path("cli/w_soft_grad64.npy"));
        assertNormwise(
                "soft gradient",
                flat(gradient),
                flat(reference),
                REFS.at("/w/softGradientBarNorm").asDouble(),
                0);
    }

    @Test
    void slicesPenaltyReshapesFourDimensionalWeightsIntoKernelSlices() throws IOException {
        Path grad = dir.resolve("conv-grad.npy");
        JsonNode json = CliRunner.json("ortho", CONV, "--penalty", "slices", "--grad", grad);
        assertEquals("slices", json.get("reshape").asText());
        assertEquals(32, json.at("/matrices/count").asInt());
        assertEquals(32, json.get("perMatrix").size());
        double loss = json.get("loss").asDouble();
        assertEquals(
                REFS.at("/conv/slicesLoss").asDouble(),
                loss,
                LOSS_TOLERANCE * REFS.at("/conv/slicesScale").asDouble());

        NpyArray gradient = NpyReader.read(grad);
        assertArrayEquals(new int[] {8, 4, 3, 3}, gradient.shape(), "gradient in the weight's 4-D layout");
        NpyArray reference = NpyReader.read(Fixtures.path("cli/conv_slices_grad64.npy"));
        assertNormwise(
                "slices gradient",
                flat(gradient),
                flat(reference),
                REFS.at("/conv/slicesGradientBarNorm").asDouble(),
                0);

        JsonNode explicit = CliRunner.json("ortho", CONV, "--penalty", "biggan", "--reshape", "slices");
        assertEquals(loss, explicit.get("loss").asDouble(), 1e-6 * loss, "slices = biggan on the slices reshape");
    }

    @Test
    void sripIsALowerBoundOnBetaSigmaOfGAndConverges() {
        // G = WᵀW − I (24×24); its float32 evaluation is off by about τ·(σ₁² + 1) in the operator norm
        double beta = 1e-4;
        double sigmaG = REFS.at("/w/sripSigmaG").asDouble();
        double sigma1 = REFS.at("/w/singularValues/0").asDouble();
        double slack = Tolerances.singularValues(24) * (sigma1 * sigma1 + 1);

        JsonNode bansal = CliRunner.json("ortho", W, "--penalty", "srip");
        assertEquals(2, bansal.get("iterations").asInt());
        assertEquals(0, bansal.get("warmup").asInt());
        double loss = bansal.get("loss").asDouble();
        assertTrue(loss >= 0 && loss <= beta * (sigmaG + slack), loss + " vs beta*sigma(G) " + beta * sigmaG);

        JsonNode converged = CliRunner.json("ortho", W, "--penalty", "srip", "--iterations", "30", "--warmup", "10");
        assertEquals(beta * sigmaG, converged.get("loss").asDouble(), beta * slack);
    }

    /** The array's entries as one row, for norms. */
    private static Dense flat(NpyArray a) {
        return Dense.of(a.data(), 0, 1, a.data().length);
    }

    @Test
    void textOutput() {
        CliRunner.Result result = CliRunner.run("ortho", Fixtures.path("cli/batch.npy"), "--penalty", "l1")
                .succeeded();
        assertTrue(result.out().contains("penalty l1 (beta 0.0001): loss "), result.out());
        assertTrue(result.out().contains("matrix"), "a batch lists each matrix's loss: " + result.out());
    }
}
