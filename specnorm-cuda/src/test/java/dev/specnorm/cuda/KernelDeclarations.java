package dev.specnorm.cuda;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code extern "C" __global__} kernel declarations of a CUDA C source, read with a small parser
 * that is enough for kernels.cu: comments removed, then each {@code extern "C" __global__ void name(...)}
 * with its parameters, each classed by how it is passed ({@link Type}).
 */
final class KernelDeclarations {

    /** How a kernel parameter is passed. */
    enum Type {
        POINTER,
        INT,
        LONG,
        FLOAT,
        DOUBLE
    }

    /** One parameter: its C type as written, its class and its name. */
    record Parameter(String declaredType, Type type, String name) {}

    /** One kernel. */
    record Kernel(String name, List<Parameter> parameters) {
        List<Type> types() {
            return parameters.stream().map(Parameter::type).toList();
        }
    }

    private static final Pattern KERNEL =
            Pattern.compile("extern\\s+\"C\"\\s+__global__\\s+void\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern GLOBAL = Pattern.compile("\\b__global__\\b");
    private static final Pattern PARAMETER = Pattern.compile("(.*?)(\\w+)\\s*");

    private KernelDeclarations() {}

    /**
     * The kernels of {@code source} in order of appearance.
     *
     * @throws IllegalArgumentException for a {@code __global__} function without C linkage (its name would
     *                                  be mangled, and the module lookup by name would fail) or a parameter
     *                                  type the classes do not cover
     */
    static List<Kernel> parse(String source) {
        String code = withoutComments(source);
        List<Kernel> kernels = new ArrayList<>();
        Matcher m = KERNEL.matcher(code);
        while (m.find()) {
            List<Parameter> parameters = new ArrayList<>();
            String list = m.group(2).strip();
            if (!list.isEmpty() && !list.equals("void")) {
                for (String p : list.split(",", -1)) {
                    parameters.add(parameter(m.group(1), p.strip()));
                }
            }
            kernels.add(new Kernel(m.group(1), List.copyOf(parameters)));
        }
        long globals = GLOBAL.matcher(code).results().count();
        if (globals != kernels.size()) {
            throw new IllegalArgumentException(globals + " __global__ functions but " + kernels.size()
                    + " declared extern \"C\" __global__ void name(...)");
        }
        return kernels;
    }

    private static Parameter parameter(String kernel, String text) {
        Matcher m = PARAMETER.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(kernel + ": cannot read parameter '" + text + "'");
        }
        String declared = m.group(1).strip();
        return new Parameter(declared, type(kernel, declared), m.group(2));
    }

    /** The class of a C parameter type such as {@code const float* __restrict__} or {@code long long}. */
    static Type type(String kernel, String declared) {
        if (declared.contains("*")) {
            return Type.POINTER;
        }
        String base = declared.replaceAll("\\b(const|volatile|__restrict__)\\b", " ")
                .strip()
                .replaceAll("\\s+", " ");
        return switch (base) {
            case "int", "unsigned", "unsigned int" -> Type.INT;
            case "long", "long long", "long long int", "unsigned long long", "size_t", "int64_t" -> Type.LONG;
            case "float" -> Type.FLOAT;
            case "double" -> Type.DOUBLE;
            default ->
                throw new IllegalArgumentException(kernel + ": parameter type '" + declared
                        + "' has no Java counterpart here (add one to KernelArgs and to this parser)");
        };
    }

    /** The source with comments replaced by a space (kernels.cu has no comment markers inside strings). */
    static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }

    /** The Java method name of a kernel: {@code matvec_t_f64} is {@code matvecTF64}. */
    static String javaName(String kernel) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < kernel.length(); i++) {
            char c = kernel.charAt(i);
            if (c == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
