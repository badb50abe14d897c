package dev.specnorm.cli;

import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code specnorm} command line: {@code sigma}, {@code svd}, {@code normalize}, {@code ortho},
 * {@code backends} and {@code demo} on NumPy {@code .npy} weights; {@code inspect} (per-layer report of a
 * safetensors, PyTorch, {@code .npz} or {@code .npy} checkpoint); {@code study} (accuracy studies),
 * {@code gan} and {@code discriminator} (the GAN examples). Exit codes: {@link ExitCodes}. Errors
 * are one line on stderr ({@code specnorm: error: ...}), with the stack trace only under
 * {@code --verbose}.
 */
@Command(
        name = "specnorm",
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        synopsisSubcommandLabel = "COMMAND",
        header = "Spectral norms, exact SVDs, spectral normalization and orthogonality penalties of neural-network "
                + "weights stored as NumPy .npy files.",
        descriptionHeading = "%n",
        description = {
            "A .npy file of float32 or float64 (either byte order, C or Fortran order) holds one matrix (2-D), "
                    + "a batch of matrices (3-D) or convolution weights (4-D, reshaped per --reshape). Every "
                    + "computing command takes --backend auto|cpu|cuda, --json (one JSON object on stdout), "
                    + "--repeat N (median time of N runs) and --verbose. Formulas and conventions: docs/SPEC.md.",
            "",
            "Try: specnorm demo"
        },
        commandListHeading = "%nCommands:%n",
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        subcommands = {
            SigmaCommand.class,
            SvdCommand.class,
            NormalizeCommand.class,
            OrthoCommand.class,
            BackendsCommand.class,
            DemoCommand.class,
            InspectCommand.class,
            StudyCommand.class,
            GanCommand.class,
            DiscriminatorCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%n",
        footer = "Run 'specnorm COMMAND --help' for the options of a command.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE, ExitCodes.INVALID_INPUT_LINE})
public final class SpecnormCli implements Callable<Integer> {

    /** The logger of every specnorm class; quiet (warnings only) unless {@code --verbose}. */
    private static final Logger SPECNORM_LOGGER = Logger.getLogger("dev.specnorm");

    @Spec
    CommandSpec spec;

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * A configured command line: error handling, exit codes and logging as documented. Tests replace its
     * output and error writers with {@link CommandLine#setOut} and {@link CommandLine#setErr}.
     */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new SpecnormCli());
        ErrorReporter errors = new ErrorReporter();
        commandLine.setParameterExceptionHandler(errors);
        commandLine.setExecutionExceptionHandler(errors);
        commandLine.setExecutionStrategy(parseResult -> {
            boolean verbose = parseResult.originalArgs().contains(ErrorReporter.VERBOSE);
            SPECNORM_LOGGER.setLevel(verbose ? Level.ALL : Level.WARNING);
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (ServiceConfigurationError | LinkageError | OutOfMemoryError e) {
                // a broken installation or too little heap: still one line and exit 1, not a JVM crash report
                throw new CommandLine.ExecutionException(commandLine, String.valueOf(e.getMessage()), e);
            }
        });
        return commandLine;
    }

    /** Without a command: a usage error that lists the commands. */
    @Override
    public Integer call() {
        List<String> commands = spec.subcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
        throw new CommandLine.ParameterException(
                spec.commandLine(),
                "missing command: " + String.join(", ", commands.subList(0, commands.size() - 1)) + " or "
                        + commands.get(commands.size() - 1));
    }
}
