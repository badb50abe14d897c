package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.specnorm.api.Backends;
import dev.specnorm.cpu.CpuEngine;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code specnorm backends}, and what happens when the backend asked for cannot run. */
class BackendsCommandTest {

    private static final Path W = Fixtures.path("cli/w.npy");

    @AfterEach
    void clearProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    private static Backends.Info cuda() {
        return Backends.list().stream()
                .filter(b -> b.name().equals("cuda"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void listsEveryBackendWithItsAvailability() {
        JsonNode json = CliRunner.json("backends");
        assertEquals("backends", json.get("command").asText());
        JsonNode list = json.get("backends");
        assertEquals(Backends.list().size(), list.size());
        for (int i = 0; i < list.size(); i++) {
            Backends.Info info = Backends.list().get(i);
            assertEquals(info.name(), list.get(i).get("name").asText());
            assertEquals(
                    info.availability().available(),
                    list.get(i).get("available").asBoolean());
            assertEquals(info.availability().reason(), list.get(i).get("reason").asText());
        }
        assertTrue(json.get("auto").isTextual(), "the CPU backend is always available");

        String text = CliRunner.run("backends").succeeded().out();
        assertTrue(text.contains("cpu") && text.contains("cuda") && text.contains("auto selects: "), text);
        assertTrue(json.get("cpuPath").asText().startsWith(CpuEngine.path()), json.toString());
        assertTrue(text.contains("cpu path: " + CpuEngine.path()), text);
    }

    /** The CPU path in use is named: native OpenBLAS on linux-x86_64 unless the property turns it off. */
    @Test
    void namesTheCpuPathInUse() {
        String path = CliRunner.json("backends").get("cpuPath").asText();
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        boolean linuxX86 =
                os.startsWith("linux") && System.getProperty("os.arch", "").equals("amd64");
        if ("false".equals(System.getProperty("specnorm.cpu.native"))) {
            assertEquals("pure Java (disabled by -Dspecnorm.cpu.native=false)", path);
        } else if (linuxX86) {
            assertTrue(path.startsWith("native OpenBLAS 0.3."), path);
        } else {
            assertTrue(path.startsWith("native OpenBLAS") || path.startsWith("pure Java ("), path);
        }
    }

    @Test
    void unavailableBackendIsExitOneWithItsReason() {
        Backends.Info cuda = cuda();
        assumeFalse(cuda.availability().available(), "this machine can run the CUDA backend");
        String line = CliRunner.run("sigma", W, "--backend", "cuda").failedWith(ExitCodes.FAILURE);
        assertTrue(
                line.contains("backend cuda is not available")
                        && line.contains(cuda.availability().reason()),
                line);
    }

    @Test
    void systemPropertyChoosesTheBackendUnlessTheOptionDoes() {
        assumeFalse(cuda().availability().available(), "this machine can run the CUDA backend");
        System.setProperty(Backends.PROPERTY, "cuda");
        CliRunner.run("sigma", W).failedWith(ExitCodes.FAILURE);
        assertEquals(
                "cpu",
                CliRunner.json("sigma", W, "--backend", "cpu").get("backend").asText());
        System.setProperty(Backends.PROPERTY, "tpu");
        assertTrue(CliRunner.run("svd", W).failedWith(ExitCodes.USAGE).contains("unknown backend 'tpu'"));
    }

    @Test
    void autoPicksAnAvailableBackend() {
        assertEquals(
                CliRunner.json("backends").get("auto").asText(),
                CliRunner.json("sigma", W, "--backend", "auto").get("backend").asText());
    }
}
