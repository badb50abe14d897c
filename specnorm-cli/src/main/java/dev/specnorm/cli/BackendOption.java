package dev.specnorm.cli;

import dev.specnorm.api.BackendUnavailableException;
import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --backend auto|cpu|cuda}. Without it the system property {@value Backends#PROPERTY}, then the
 * environment variable {@value Backends#ENVIRONMENT}, then {@code auto} decide ({@link Backends#requested}).
 */
public final class BackendOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--backend",
            order = 60,
            paramLabel = "NAME",
            description = {
                "Backend to compute on: auto (the first available of cuda, cpu), cpu or cuda. "
                        + "Default: the system property " + Backends.PROPERTY + ", else the environment variable "
                        + Backends.ENVIRONMENT + ", else auto. A backend asked for by name that cannot run here is "
                        + "an error (exit 1), never a silent fallback."
            })
    String backend;

    /**
     * Checks that the backend in force names an installed backend or {@code auto}, before any work.
     *
     * @throws CommandLine.ParameterException if it does not, listing the installed ones
     */
    public void requireKnown() {
        String requested = Backends.requested(backend);
        if (requested.equals(Backends.AUTO)) {
            return;
        }
        StringBuilder installed = new StringBuilder();
        for (Backends.Info info : Backends.list()) {
            if (info.name().equals(requested)) {
                return;
            }
            installed.append(info.name()).append(", ");
        }
        throw new CommandLine.ParameterException(
                mixee.commandLine(),
                "unknown backend '" + requested
                        + "'"
                        + (backend == null || backend.isBlank()
                                ? " (from " + Backends.PROPERTY + " or " + Backends.ENVIRONMENT + ")"
                                : "")
                        + "; installed: " + installed + "or auto");
    }

    /**
     * Opens the backend in force.
     *
     * @throws CommandLine.ParameterException                 if no installed backend has the name asked for
     * @throws BackendUnavailableException if it is installed but cannot run here
     */
    public SpectralBackend open() {
        String requested = Backends.requested(backend);
        try {
            return Backends.open(requested);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), e.getMessage());
        }
    }
}
