package dev.specnorm.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every usage error exits with 2 and one line on stderr that points to the command's help. */
class UsageErrorTest {

    private static final Path W = Fixtures.path("cli/w.npy");
    private static final Path CONV = Fixtures.path("cli/conv.npy");

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("no command", new Object[] {}, "missing command"),
                Arguments.of("unknown command", new Object[] {"frobnicate"}, "frobnicate"),
                Arguments.of("missing file", new Object[] {"sigma"}, "FILE"),
                Arguments.of("unknown option", new Object[] {"sigma", W, "--bogus"}, "--bogus"),
                Arguments.of("extra argument", new Object[] {"svd", W, "extra.npy"}, "extra.npy"),
                Arguments.of("missing value", new Object[] {"sigma", W, "--warmup"}, "--warmup"),
                Arguments.of("unknown method", new Object[] {"sigma", W, "--method", "svd"}, "exact, power, lanczos"),
                Arguments.of("not a number", new Object[] {"sigma", W, "--iterations", "abc"}, "abc"),
                Arguments.of(
                        "negative iterations",
                        new Object[] {"sigma", W, "--method", "power", "--iterations", "-1"},
                        "--iterations must be at least 0"),
                Arguments.of(
                        "negative warm-up",
                        new Object[] {"normalize", W, "--out", "x.npy", "--warmup", "-2"},
                        "--warmup must be at least 0"),
                Arguments.of("state with exact", new Object[] {"sigma", W, "--state", "s.npz"}, "--state applies only"),
                Arguments.of(
                        "state with lanczos",
                        new Object[] {"sigma", W, "--method", "lanczos", "--state", "s.npz"},
                        "--state applies only"),
                Arguments.of("seed with exact", new Object[] {"sigma", W, "--seed", "3"}, "--seed applies only"),
                Arguments.of("check without power", new Object[] {"sigma", W, "--check"}, "--check applies only"),
                Arguments.of("tol without lanczos", new Object[] {"sigma", W, "--tol", "1e-3"}, "--tol applies only"),
                Arguments.of(
                        "tol out of range",
                        new Object[] {"sigma", W, "--method", "lanczos", "--tol", "2"},
                        "--tol must be in (0, 1)"),
                Arguments.of(
                        "no steps",
                        new Object[] {"sigma", W, "--method", "lanczos", "--max-steps", "0"},
                        "--max-steps must be at least 1"),
                Arguments.of("repeat zero", new Object[] {"sigma", W, "--repeat", "0"}, "--repeat must be at least 1"),
                Arguments.of(
                        "unknown reshape",
                        new Object[] {"sigma", W, "--reshape", "rows"},
                        "filters, slices, transposed"),
                Arguments.of("unknown backend", new Object[] {"sigma", W, "--backend", "tpu"}, "unknown backend 'tpu'"),
                Arguments.of("normalize without out", new Object[] {"normalize", W}, "--out"),
                Arguments.of("output over input", new Object[] {"normalize", W, "--out", W}, "is the input file"),
                Arguments.of("ortho without penalty", new Object[] {"ortho", W}, "--penalty"),
                Arguments.of("unknown penalty", new Object[] {"ortho", W, "--penalty", "frobenius"}, "unknown penalty"),
                Arguments.of(
                        "srip option without srip",
                        new Object[] {"ortho", W, "--penalty", "soft", "--iterations", "3"},
                        "--iterations applies only to --penalty srip"),
                Arguments.of("negative beta", new Object[] {"ortho", W, "--penalty", "soft", "--beta", "-1"}, "--beta"),
                Arguments.of("NaN beta", new Object[] {"ortho", W, "--penalty", "soft", "--beta", "NaN"}, "--beta"),
                Arguments.of(
                        "slices with filters",
                        new Object[] {"ortho", CONV, "--penalty", "slices", "--reshape", "filters"},
                        "--reshape filters"),
                Arguments.of("backends option", new Object[] {"backends", "--bogus"}, "--bogus"),
                Arguments.of("demo seed", new Object[] {"demo", "--seed", "x"}, "'x'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void exitsWithTwo(String name, Object[] args, String mentioned) {
        String line = CliRunner.run(args).failedWith(ExitCodes.USAGE);
        assertTrue(line.contains(mentioned), line);
        assertTrue(line.endsWith("--help')"), "points to the help: " + line);
    }

    @Test
    void missingCommandListsEveryCommand() {
        String line = CliRunner.run().failedWith(ExitCodes.USAGE);
        Set<String> commands =
                new TreeSet<>(SpecnormCli.newCommandLine().getSubcommands().keySet());
        commands.remove("help");
        assertFalse(commands.isEmpty());
        for (String command : commands) {
            assertTrue(line.matches(".*\\b" + command + "\\b.*"), command + " missing from: " + line);
        }
    }
}
