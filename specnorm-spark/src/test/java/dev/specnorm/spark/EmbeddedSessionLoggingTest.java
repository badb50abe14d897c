package dev.specnorm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.ConvolutionReshape;
import dev.specnorm.cli.checkpoint.InspectEngine;
import dev.specnorm.cli.checkpoint.InspectOptions;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The session the engine starts itself on a local master: Spark's INFO lines are off (root level WARN) even
 * when the logging was at INFO before, while the engine's own progress still reaches its listener, and the
 * session is stopped afterwards.
 */
class EmbeddedSessionLoggingTest {

    private static final Path RUN = Path.of("../specnorm-cli/src/test/resources/checkpoints/run");

    @Test
    void anEmbeddedLocalSessionLogsAtWarnAndKeepsTheProgress() throws IOException {
        assertTrue(SparkSession.getActiveSession().isEmpty(), "no session of another test is active");
        Configurator.setRootLevel(Level.INFO);
        CountingProgress progress = new CountingProgress();
        InspectOptions options =
                new InspectOptions(null, ConvolutionReshape.FILTERS, InspectOptions.Method.EXACT, 10, 7, 8, true, 2);

        InspectEngine.Result result = new SparkInspectEngine()
                .inspect(new InspectEngine.Request(RUN.toString(), options, "cpu", "local[1]", null), progress);

        assertEquals(3, result.reports().size());
        assertTrue(result.failures().isEmpty());
        assertEquals(Level.WARN, LogManager.getRootLogger().getLevel());
        assertFalse(LogManager.getLogger("org.apache.spark.SparkContext").isInfoEnabled());
        assertTrue(LogManager.getLogger("org.apache.spark.SparkContext").isWarnEnabled());
        assertEquals(2, progress.starts, "the planning job and the layers' job");
        assertTrue(progress.steps >= 3 + 3, "one step per file planned and per layer");
        assertTrue(SparkSession.getActiveSession().isEmpty(), "the engine stops the session it started");
    }
}
