package dev.specnorm.api;

import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds backends with {@link ServiceLoader} ({@link BackendProvider}) and opens one.
 *
 * <p>Which backend: an explicit name ({@code --backend} on the command line), else the system property
 * {@value #PROPERTY}, else the environment variable {@value #ENVIRONMENT}, else {@value #AUTO}.
 * {@code auto} takes the first available backend in priority order (cuda, then cpu) and logs which it
 * took and why; a backend asked for by name that is unavailable fails with its reason, never falling back.
 */
public final class Backends {

    /** The name that picks the first available backend. */
    public static final String AUTO = "auto";
    /** System property that names the backend when none is given explicitly. */
    public static final String PROPERTY = "specnorm.backend";
    /** Environment variable that names the backend when neither argument nor property does. */
    public static final String ENVIRONMENT = "SPECNORM_BACKEND";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());

    private Backends() {}

    /**
     * A backend's name, priority and availability.
     *
     * @param name         as {@code --backend} takes it
     * @param priority     lower is preferred by {@code auto}
     * @param availability whether it can run here, and why not
     */
    public record Info(String name, int priority, Availability availability) {}

    /** Every installed backend, in priority order, each probed for availability. */
    public static List<Info> list() {
        return list(providers());
    }

    /** {@link #list()} over the given providers (a seam for tests: sorted here, as installed ones are). */
    static List<Info> list(List<BackendProvider> installed) {
        List<Info> out = new ArrayList<>();
        for (BackendProvider p : sorted(installed)) {
            out.add(new Info(p.name(), p.priority(), probe(p)));
        }
        return out;
    }

    /**
     * The backend name in force: {@code explicit} if non-null and non-blank, else the property
     * {@value #PROPERTY}, else the variable {@value #ENVIRONMENT}, else {@value #AUTO}; trimmed, lower case.
     */
    public static String requested(String explicit) {
        return requested(explicit, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
    }

    /** {@link #requested(String)} with the property's and the variable's values given (a seam for tests). */
    static String requested(String explicit, String property, String environment) {
        String[] candidates = {explicit, property, environment};
        for (String c : candidates) {
            if (c != null && !c.isBlank()) {
                return c.trim().toLowerCase(Locale.ROOT);
            }
        }
        return AUTO;
    }

    /** Opens the backend {@link #requested(String) requested} by property, environment or default. */
    public static SpectralBackend open() {
        return open(requested(null));
    }

    /**
     * Opens backend {@code name}, or the first available one for {@value #AUTO}.
     *
     * @throws IllegalArgumentException     if no installed backend has that name (the message lists them)
     * @throws BackendUnavailableException  if it is installed but cannot run here (the message says why)
     */
    public static SpectralBackend open(String name) {
        return open(requested(name), providers());
    }

    /** {@link #open(String)} of an already resolved name among the given providers (a seam for tests). */
    static SpectralBackend open(String wanted, List<BackendProvider> installed) {
        List<BackendProvider> providers = sorted(installed);
        if (AUTO.equals(wanted)) {
            StringBuilder skipped = new StringBuilder();
            for (BackendProvider p : providers) {
                Availability a = probe(p);
                if (a.available()) {
                    LOG.log(
                            System.Logger.Level.INFO,
                            "specnorm: backend auto -> {0} ({1}){2}",
                            p.name(),
                            a.reason(),
                            skipped.length() == 0 ? "" : "; skipped " + skipped);
                    return SpectralBackend.forEngine(p.start());
                }
                skipped.append(skipped.length() == 0 ? "" : "; ")
                        .append(p.name())
                        .append(": ")
                        .append(a.reason());
            }
            throw new BackendUnavailableException("no backend is available: " + skipped);
        }
        for (BackendProvider p : providers) {
            if (p.name().equals(wanted)) {
                Availability a = probe(p);
                if (!a.available()) {
                    throw new BackendUnavailableException("backend " + p.name() + " is not available: " + a.reason());
                }
                LOG.log(System.Logger.Level.DEBUG, "specnorm: backend {0} ({1})", p.name(), a.reason());
                return SpectralBackend.forEngine(p.start());
            }
        }
        throw new IllegalArgumentException("unknown backend '" + wanted + "'; installed: "
                + providers.stream().map(BackendProvider::name).collect(Collectors.joining(", ")) + ", or " + AUTO);
    }

    /** The installed providers; one that cannot be instantiated is logged and left out. */
    private static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class).iterator();
        for (int failures = 0; failures < 64; ) {
            try {
                if (!it.hasNext()) {
                    return list;
                }
                list.add(it.next());
            } catch (ServiceConfigurationError e) {
                failures++;
                LOG.log(
                        System.Logger.Level.WARNING,
                        "specnorm: skipping a backend provider that failed to load: {0}",
                        e.getMessage());
            }
        }
        return list;
    }

    private static List<BackendProvider> sorted(List<BackendProvider> installed) {
        List<BackendProvider> list = new ArrayList<>(installed);
        list.sort(Comparator.comparingInt(BackendProvider::priority).thenComparing(BackendProvider::name));
        return list;
    }

    private static Availability probe(BackendProvider p) {
        try {
            return p.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("availability check failed: " + e);
        }
    }
}
