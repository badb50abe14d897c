package dev.specnorm.djl;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** One open {@link SpectralBackend} per backend name for the process, shared by the DJL adapter objects. */
final class SharedBackend {

    private static final ConcurrentMap<String, SpectralBackend> OPEN = new ConcurrentHashMap<>();

    private SharedBackend() {}

    static SpectralBackend named(String name) {
        return OPEN.computeIfAbsent(name, Backends::open);
    }
}
