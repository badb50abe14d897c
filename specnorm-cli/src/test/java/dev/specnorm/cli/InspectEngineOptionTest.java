package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.cli.checkpoint.CheckpointFixtures;
import org.junit.jupiter.api.Test;

/**
 * {@code specnorm inspect --engine}: specnorm-cli carries no engine but its own loop, so asking for Spark
 * without the specnorm-spark module on the class path is a usage error that says where the engine is.
 */
class InspectEngineOptionTest {

    @Test
    void sparkWithoutTheModuleSaysWhereItIs() {
        String line = CliRunner.run("inspect", CheckpointFixtures.path("run"), "--engine", "spark")
                .failedWith(ExitCodes.USAGE);
        assertTrue(line.contains("--engine spark is not on the class path (engines here: local)"), line);
        assertTrue(line.contains("specnorm-spark/specnorm-spark"), line);
    }

    @Test
    void masterNeedsTheSparkEngine() {
        String line = CliRunner.run("inspect", CheckpointFixtures.path("run"), "--master", "local[2]")
                .failedWith(ExitCodes.USAGE);
        assertTrue(line.contains("--master is for --engine spark"), line);
    }

    @Test
    void explicitLocalEngineIsThePlainCommand() {
        String plain = CliRunner.run("inspect", CheckpointFixtures.path("run"), "--json")
                .succeeded()
                .out();
        String local = CliRunner.run("inspect", CheckpointFixtures.path("run"), "--json", "--engine", "local")
                .succeeded()
                .out();
        assertTrue(plain.equals(local), "--engine local changes nothing");
    }
}
