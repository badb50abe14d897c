package dev.specnorm.dl4j;

import dev.specnorm.api.Backends;
import dev.specnorm.api.SpectralBackend;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One open {@link SpectralBackend} per backend name for the whole process, shared by every adapter
 * object: DL4J configurations are cloned and serialized, so they carry the name ("auto" picks the best
 * available backend, as {@link Backends#open(String)} does), never the open backend.
 */
final class SharedBackend {

    private static final ConcurrentMap<String, SpectralBackend> OPEN = new ConcurrentHashMap<>();

    private SharedBackend() {}

    static SpectralBackend named(String name) {
        return OPEN.computeIfAbsent(name, Backends::open);
    }
}
