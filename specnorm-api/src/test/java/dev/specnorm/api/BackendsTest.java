package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.specnorm.api.spi.Availability;
import dev.specnorm.api.spi.BackendEngine;
import dev.specnorm.api.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backend discovery and selection through the package-private seams of {@link Backends} (fake providers,
 * no services file): explicit name &gt; system property &gt; environment variable &gt; auto; auto takes the
 * first available by priority and names the ones it skipped; a backend asked for by name that cannot run
 * fails with its reason and never falls back; an unknown name lists the installed ones.
 */
class BackendsTest {

    /** A provider with a fixed answer, counting starts. */
    static final class FakeProvider implements BackendProvider {
        final String name;
        final int priority;
        final Availability availability;
        final RuntimeException probeFailure;
        int starts;

        FakeProvider(String name, int priority, Availability availability) {
            this(name, priority, availability, null);
        }

        FakeProvider(String name, int priority, Availability availability, RuntimeException probeFailure) {
            this.name = name;
            this.priority = priority;
            this.availability = availability;
            this.probeFailure = probeFailure;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public int priority() {
            return priority;
        }

        @Override
        public Availability availability() {
            if (probeFailure != null) {
                throw probeFailure;
            }
            return availability;
        }

        @Override
        public BackendEngine start() {
            starts++;
            if (!availability.available()) {
                throw new BackendUnavailableException(name + " cannot start");
            }
            return new FakeEngine(name);
        }
    }

    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger julLogger = Logger.getLogger(Backends.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        julLogger.addHandler(handler);
    }

    @AfterEach
    void release() {
        julLogger.removeHandler(handler);
    }

    private static FakeProvider cuda(boolean available) {
        return new FakeProvider(
                "cuda",
                10,
                available ? Availability.available("fake GPU") : Availability.unavailable("no CUDA driver found"));
    }

    private static FakeProvider cpu() {
        return new FakeProvider("cpu", 100, Availability.available("2 threads"));
    }

    @Test
    void precedenceIsExplicitThenPropertyThenEnvironmentThenAuto() {
        assertEquals("cpu", Backends.requested("cpu", "cuda", "other"));
        assertEquals("cuda", Backends.requested(null, "cuda", "other"));
        assertEquals("other", Backends.requested(null, null, "other"));
        assertEquals("auto", Backends.requested(null, null, null));
        assertEquals("cuda", Backends.requested("  ", "cuda", "other"), "a blank explicit name does not count");
        assertEquals("other", Backends.requested(null, "", "other"), "an empty property does not count");
        assertEquals("cpu", Backends.requested(" CPU ", null, null), "trimmed, lower case");
        assertEquals("auto", Backends.requested("", " ", ""));
    }

    @Test
    void autoTakesTheFirstAvailableByPriorityAndNamesTheSkipped() {
        FakeProvider cuda = cuda(false);
        FakeProvider cpu = cpu();
        try (SpectralBackend b = Backends.open("auto", List.of(cpu, cuda))) {
            assertEquals("cpu", b.name());
        }
        assertEquals(0, cuda.starts, "an unavailable backend is not started");
        String message =
                logged.stream().map(r -> new SimpleFormatter().formatMessage(r)).reduce("", String::concat);
        assertTrue(
                message.contains("cpu") && message.contains("cuda") && message.contains("no CUDA driver found"),
                "auto says which backend it took and which it skipped, and why: " + message);
    }

    @Test
    void autoPrefersTheLowerPriorityValue() {
        try (SpectralBackend b = Backends.open("auto", List.of(cpu(), cuda(true)))) {
            assertEquals("cuda", b.name());
        }
    }

    @Test
    void autoWithNothingAvailableSaysWhy() {
        FakeProvider other = new FakeProvider("tpu", 50, Availability.unavailable("no TPU"));
        BackendUnavailableException e = assertThrows(
                BackendUnavailableException.class, () -> Backends.open("auto", List.of(other, cuda(false))));
        assertTrue(
                e.getMessage().contains("no CUDA driver found")
                        && e.getMessage().contains("no TPU"),
                e.getMessage());
    }

    @Test
    void anUnavailableBackendAskedByNameFailsWithItsReasonAndNeverFallsBack() {
        FakeProvider cuda = cuda(false);
        FakeProvider cpu = cpu();
        BackendUnavailableException e =
                assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda", List.of(cpu, cuda)));
        assertTrue(e.getMessage().contains("cuda") && e.getMessage().contains("no CUDA driver found"), e.getMessage());
        assertEquals(0, cpu.starts, "no fallback to another backend");
        assertEquals(0, cuda.starts);
    }

    @Test
    void aNamedAvailableBackendIsOpened() {
        FakeProvider cpu = cpu();
        try (SpectralBackend b = Backends.open("cpu", List.of(cuda(true), cpu))) {
            assertEquals("cpu", b.name(), "the name wins over priority");
        }
        assertEquals(1, cpu.starts);
    }

    @Test
    void anUnknownNameListsTheInstalledBackends() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", List.of(cpu(), cuda(false))));
        assertTrue(
                e.getMessage().contains("tpu")
                        && e.getMessage().contains("cpu")
                        && e.getMessage().contains("cuda")
                        && e.getMessage().contains("auto"),
                e.getMessage());
    }

    @Test
    void aFailingProbeMeansUnavailableWithTheFailureAsReason() {
        FakeProvider broken =
                new FakeProvider("cuda", 10, Availability.available("x"), new IllegalStateException("driver crashed"));
        try (SpectralBackend b = Backends.open("auto", List.of(broken, cpu()))) {
            assertEquals("cpu", b.name());
        }
        BackendUnavailableException e =
                assertThrows(BackendUnavailableException.class, () -> Backends.open("cuda", List.of(broken, cpu())));
        assertTrue(e.getMessage().contains("driver crashed"), e.getMessage());
        assertEquals(0, broken.starts);
    }

    @Test
    void listReportsEveryBackendInPriorityOrderWithItsAvailability() {
        List<Backends.Info> infos = Backends.list(List.of(cpu(), cuda(false)));
        assertEquals(2, infos.size());
        assertEquals("cuda", infos.get(0).name());
        assertEquals(10, infos.get(0).priority());
        assertFalse(infos.get(0).availability().available());
        assertEquals("no CUDA driver found", infos.get(0).availability().reason());
        assertEquals("cpu", infos.get(1).name());
        assertTrue(infos.get(1).availability().available());
    }

    @Test
    void availabilityNeedsAReason() {
        assertThrows(NullPointerException.class, () -> new Availability(true, null));
    }
}
