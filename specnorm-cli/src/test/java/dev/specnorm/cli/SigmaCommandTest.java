package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Tolerances;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code specnorm sigma} against NumPy's float64 SVD of the same NumPy-written files. */
class SigmaCommandTest {

    private static final Path W = Fixtures.path("cli/w.npy");
    private static final JsonNode REFS = Fixtures.references();
    private static final double SIGMA = REFS.at("/w/singularValues/0").asDouble();
    /** SPEC.md: |σ̂ − σ| ≤ τ·σ₁, τ = max(1e-5, 2·min(m, n)·2⁻²⁴), for the 40×24 fixture. */
    private static final double TAU = Tolerances.singularValues(40, 24);

    @Test
    void exactAgreesWithNumpyFloat64Svd() {
        JsonNode json = CliRunner.json("sigma", W, "--backend", "cpu");
        assertEquals("sigma", json.get("command").asText());
        assertEquals("cpu", json.get("backend").asText());
        assertEquals("exact", json.get("method").asText());
        assertEquals("[40,24]", json.get("shape").toString());
        assertEquals(1, json.at("/matrices/count").asInt());
        assertEquals(1, json.get("sigmas").size());
        assertEquals(SIGMA, json.at("/sigmas/0").asDouble(), TAU * SIGMA);
        assertFalse(json.has("timing"), "timing only with --repeat");
    }

    @Test
    void exactOnABatchGivesOneSigmaPerMatrix() {
        JsonNode json = CliRunner.json("sigma", Fixtures.path("cli/batch.npy"));
        double tau = Tolerances.singularValues(12, 8);
        for (int b = 0; b < 3; b++) {
            double expected = REFS.at("/batch/singularValues/" + b + "/0").asDouble();
            assertEquals(expected, json.at("/sigmas/" + b).asDouble(), tau * expected, "matrix " + b);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "filters, sigmaFilters, 1, 8, 36",
        "slices, sigmaSlices, 32, 3, 3",
        "transposed, sigmaTransposed, 1, 4, 72"
    })
    void convolutionWeightsFollowTheReshape(String reshape, String reference, int count, int rows, int cols) {
        JsonNode json = CliRunner.json("sigma", Fixtures.path("cli/conv.npy"), "--reshape", reshape);
        assertEquals(reshape, json.get("reshape").asText());
        assertEquals("[8,4,3,3]", json.get("shape").toString());
        assertEquals(count, json.at("/matrices/count").asInt());
        assertEquals(rows, json.at("/matrices/rows").asInt());
        assertEquals(cols, json.at("/matrices/cols").asInt());
        double[] expected = Fixtures.doubles(REFS.at("/conv/" + reference));
        double tau = Tolerances.singularValues(rows, cols);
        for (int k = 0; k < count; k++) {
            assertEquals(expected[k], json.at("/sigmas/" + k).asDouble(), tau * expected[k], "matrix " + k);
        }
    }

    @Test
    void powerIterationIsALowerBoundAndConvergesWithAGap() {
        // σ₂/σ₁ = 0.5: after 15 warm-up iterations and 1 more the Rayleigh quotient is at the float32 floor
        JsonNode json = CliRunner.json("sigma", W, "--method", "power");
        assertEquals(1, json.get("iterations").asInt());
        assertEquals(15, json.get("warmup").asInt());
        assertEquals(0, json.get("seed").asInt());
        double estimate = json.at("/sigmas/0").asDouble();
        assertTrue(estimate <= SIGMA * (1 + Tolerances.POWER_UPPER_BOUND), estimate + " > " + SIGMA);
        assertEquals(SIGMA, estimate, TAU * SIGMA);
    }

    @Test
    void lanczosReportsItsResidualBound() {
        JsonNode json = CliRunner.json("sigma", W, "--method", "lanczos", "--tol", "1e-5", "--max-steps", "24");
        assertEquals(1e-5, json.get("tolerance").asDouble());
        assertEquals(24, json.get("maxSteps").asInt());
        double bound = json.at("/residualBounds/0").asDouble();
        assertTrue(bound >= 0, "bound " + bound);
        assertTrue(json.at("/steps/0").asInt() >= 1);
        assertTrue(json.at("/converged/0").isBoolean());
        assertEquals(SIGMA, json.at("/sigmas/0").asDouble(), bound + TAU * SIGMA);
    }

    @Test
    void checkComparesTheEstimateWithTheExactSigma() {
        // from the seeded start without warm-up, one iteration is far from converged: the error is visible
        JsonNode json = CliRunner.json("sigma", W, "--method", "power", "--warmup", "0", "--check");
        JsonNode check = json.get("check");
        double estimate = json.at("/sigmas/0").asDouble();
        double exact = check.at("/exactSigmas/0").asDouble();
        assertEquals(SIGMA, exact, TAU * SIGMA);
        assertEquals(Math.abs(exact - estimate), check.at("/absoluteErrors/0").asDouble(), 1e-6 * exact);
        assertEquals(
                Math.abs(exact - estimate) / exact,
                check.at("/relativeErrors/0").asDouble(),
                1e-6);
        assertTrue(check.at("/relativeErrors/0").asDouble() > 1e-4, "one iteration from a random start is not exact");
        assertTrue(check.at("/withinUpperBound/0").asBoolean()
                && check.get("allWithinUpperBound").asBoolean());
        assertEquals(
                check.at("/relativeErrors/0").asDouble(),
                check.get("maxRelativeError").asDouble());
    }

    @Test
    void repeatAddsTiming() {
        JsonNode json = CliRunner.json("sigma", W, "--repeat", "3");
        JsonNode timing = json.get("timing");
        assertEquals(3, timing.get("repeat").asInt());
        assertTrue(timing.get("medianMs").asDouble() >= timing.get("minMs").asDouble());
        assertTrue(timing.get("minMs").asDouble() >= 0);
        assertEquals(SIGMA, json.at("/sigmas/0").asDouble(), TAU * SIGMA, "the result is unchanged by repeating");
    }

    @Test
    void textOutputIsReadable() {
        CliRunner.Result result = CliRunner.run("sigma", W, "--method", "lanczos", "--repeat", "2")
                .succeeded();
        assertTrue(result.out().startsWith(W + ": shape (40, 24): 1 matrix of 40x24; backend "), result.out());
        assertTrue(result.out().contains("residual bound"), result.out());
        assertTrue(result.out().contains("over 2 runs"), result.out());
        assertFalse(result.out().contains("{"), "not JSON");
    }
}
