package dev.specnorm.cli;

import dev.specnorm.api.Backends;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code specnorm backends}: every installed backend, whether it can run here, and why not. */
@Command(
        name = "backends",
        sortOptions = false,
        mixinStandardHelpOptions = true,
        versionProvider = SpecnormVersion.class,
        header = "List the installed backends, whether each can run here, and why not.",
        descriptionHeading = "%n",
        description = {
            "auto takes the first available backend in priority order (cuda, then cpu). --backend, "
                    + "then the system property " + Backends.PROPERTY + ", then the environment variable "
                    + Backends.ENVIRONMENT + " choose one by name.",
            "",
            "The cpu backend uses bundled native OpenBLAS/LAPACK kernels where they load (linux-x86_64), "
                    + "else pure Java; -Dspecnorm.cpu.native=false (in JAVA_TOOL_OPTIONS for the script) asks for pure Java. "
                    + "The line 'cpu path' says which runs."
        },
        parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.OK_LINE, ExitCodes.FAILURE_LINE, ExitCodes.USAGE_LINE})
public final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        List<Backends.Info> backends = Backends.list();
        String auto = backends.stream()
                .filter(b -> b.availability().available())
                .map(Backends.Info::name)
                .findFirst()
                .orElse(null);
        String requested = Backends.requested(null);
        String cpuPath = backends.stream()
                .filter(b -> b.name().equals("cpu"))
                .map(b -> b.availability().reason())
                .findFirst()
                .orElse("not installed");
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            List<Object> list = new ArrayList<>();
            for (Backends.Info b : backends) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", b.name());
                entry.put("priority", b.priority());
                entry.put("available", b.availability().available());
                entry.put("reason", b.availability().reason());
                list.add(entry);
            }
            JsonReport.of("backends")
                    .put("backends", list)
                    .put("auto", auto)
                    .put("requested", requested)
                    .put("cpuPath", cpuPath)
                    .print(out);
            return ExitCodes.OK;
        }
        TextTable table = new TextTable("backend", "priority", "available", "details");
        for (Backends.Info b : backends) {
            table.row(
                    b.name(),
                    b.priority(),
                    b.availability().available() ? "yes" : "no",
                    b.availability().reason());
        }
        table.print(out);
        out.println("auto selects: " + (auto == null ? "none (no backend is available)" : auto));
        out.println("cpu path: " + cpuPath);
        if (!requested.equals(Backends.AUTO)) {
            out.println("requested by " + Backends.PROPERTY + " or " + Backends.ENVIRONMENT + ": " + requested);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
