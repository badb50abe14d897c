package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --help}, {@code -h} and {@code --version} on every command. */
class HelpAndVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "sigma", "svd", "normalize", "ortho", "backends", "demo"})
    void helpAndVersion(String command) {
        Object[] prefix = command.isEmpty() ? new Object[0] : new Object[] {command};
        for (String flag : new String[] {"--help", "-h"}) {
            String help = CliRunner.run(append(prefix, flag)).succeeded().out();
            assertTrue(help.contains("Usage: specnorm" + (command.isEmpty() ? "" : " " + command)), help);
            assertTrue(help.contains("Exit codes:"), help);
        }
        String version = CliRunner.run(append(prefix, "--version")).succeeded().out();
        assertTrue(version.matches("(?s)specnorm \\d+\\.\\d+\\.\\d+\\S*\\RJava .*"), version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigma", "svd", "normalize", "ortho", "backends", "demo"})
    void helpCommand(String command) {
        assertTrue(CliRunner.run("help", command).succeeded().out().contains("Usage: specnorm " + command));
    }

    private static Object[] append(Object[] prefix, String flag) {
        Object[] out = Arrays.copyOf(prefix, prefix.length + 1);
        out[prefix.length] = flag;
        return out;
    }
}
