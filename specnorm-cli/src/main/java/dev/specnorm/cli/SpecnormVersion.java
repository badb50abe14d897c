package dev.specnorm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the specnorm version (from the build) and the Java runtime. */
public final class SpecnormVersion implements CommandLine.IVersionProvider {

    private static final String RESOURCE = "/dev/specnorm/cli/version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "specnorm " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
        };
    }

    /** The project version the jar was built from. */
    public static String version() {
        try (InputStream in = SpecnormVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "(unknown version)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
