package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.testing.Tolerances;
import org.junit.jupiter.api.Test;

/** {@code specnorm demo}: the SN-GAN discriminator's layers, every operation consistent with the others. */
class DemoCommandTest {

    private static final String[] SHAPES = {
        "[64,3,3,3]",
        "[64,64,4,4]",
        "[128,64,3,3]",
        "[128,128,4,4]",
        "[256,128,3,3]",
        "[256,256,4,4]",
        "[512,256,3,3]",
        "[1,8192]"
    };

    @Test
    void everyLayerIsConsistent() {
        JsonNode json = CliRunner.json("demo", "--backend", "cpu");
        assertEquals("cpu", json.get("backend").asText());
        JsonNode layers = json.get("layers");
        assertEquals(SHAPES.length, layers.size());
        for (int i = 0; i < SHAPES.length; i++) {
            JsonNode layer = layers.get(i);
            assertEquals(SHAPES[i], layer.get("shape").toString());
            int m = layer.at("/matrix/0").asInt();
            int n = layer.at("/matrix/1").asInt();
            double tau = Tolerances.singularValues(m, n);
            double sigma = layer.get("sigma").asDouble();
            double power = layer.get("powerSigma").asDouble();
            assertTrue(sigma > 0 && power <= sigma * (1 + Tolerances.POWER_UPPER_BOUND), layer.toString());
            assertEquals(
                    (sigma - power) / sigma, layer.get("powerRelativeError").asDouble(), 1e-6);
            assertEquals(
                    sigma,
                    layer.get("lanczosSigma").asDouble(),
                    layer.get("lanczosResidualBound").asDouble() + tau * sigma,
                    layer.toString());
            // W/σ̂ has σ = σ₁/σ̂: about 1, off by the power iteration's error
            assertEquals(
                    sigma / power, layer.get("normalizedSigma").asDouble(), 2 * tau * sigma / power, layer.toString());
            assertTrue(layer.get("biggan").asDouble() >= 0);
        }
        assertEquals(1.0, layers.get(7).get("normalizedSigma").asDouble(), 1e-5, "a 1×n matrix converges at once");
        assertTrue(json.get("totalMs").asDouble() > 0);
    }

    @Test
    void textTableAndTimes() {
        String out = CliRunner.run("demo", "--backend", "cpu", "--seed", "3")
                .succeeded()
                .out();
        assertTrue(out.startsWith("SN-GAN standard CNN discriminator"), out);
        assertTrue(out.contains("conv7 3x3 s1") && out.contains("dense"), out);
        assertTrue(
                out.contains("one call each over all 8 layers:") && out.contains("total, with building the weights"),
                out);
    }
}
