package dev.specnorm.cpu;

import java.util.Locale;

/**
 * Whether the row kernels use the JDK's Vector API ({@code jdk.incubator.vector}, {@link VectorRowKernels} and
 * {@link VectorDoubleRowKernels}):
 * only when the JVM was started with {@code --add-modules jdk.incubator.vector} and the system property
 * {@value #PROPERTY} is not {@code false}. Otherwise the plain loops of {@link RowKernels} run, so the flag
 * is never required. Decided once per JVM.
 */
final class VectorSupport {

    /** The system property that switches the Vector API path off ({@code -Dspecnorm.cpu.vector=false}). */
    static final String PROPERTY = "specnorm.cpu.vector";

    /** The module the Vector API lives in (an incubator module in Java 17). */
    static final String MODULE = "jdk.incubator.vector";

    /** Whether {@link VectorRowKernels} is used. */
    static final boolean ENABLED = decide();

    private VectorSupport() {}

    /** Why the Vector API path is not used (one line), or null when it is. */
    static String reason() {
        if (ENABLED) {
            return null;
        }
        if (disabledByProperty()) {
            return "disabled by -D" + PROPERTY + "=false";
        }
        if (!modulePresent()) {
            return "the JVM was started without --add-modules " + MODULE;
        }
        return "the Vector API failed its self-test";
    }

    /** Whether the module is in the boot layer (added with --add-modules). */
    static boolean modulePresent() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    private static boolean disabledByProperty() {
        String p = System.getProperty(PROPERTY);
        return p != null && p.trim().toLowerCase(Locale.ROOT).equals("false");
    }

    private static boolean decide() {
        if (disabledByProperty() || !modulePresent()) {
            return false;
        }
        try {
            return VectorRowKernels.selfTest() && VectorDoubleRowKernels.selfTest();
        } catch (LinkageError e) {
            return false;
        }
    }
}
