package dev.specnorm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.specnorm.api.testing.InvalidCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The facade rejects every invalid call of {@link InvalidCalls} before the engine is asked to compute
 * anything: on a {@link FakeEngine}, whose computing methods fail the test if called.
 */
class SpectralBackendValidationTest {

    @TestFactory
    Stream<DynamicTest> invalidCallsNeverReachTheEngine() {
        List<String> names = new ArrayList<>();
        SpectralBackend probe = SpectralBackend.forEngine(new FakeEngine("fake"));
        try (InvalidCalls.Fixture f = new InvalidCalls.Fixture(probe)) {
            InvalidCalls.all(probe, f).forEach(i -> names.add(i.name()));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            int index = k;
            tests.add(dynamicTest(names.get(k), () -> {
                FakeEngine engine = new FakeEngine("fake");
                SpectralBackend backend = SpectralBackend.forEngine(engine);
                try (InvalidCalls.Fixture f = new InvalidCalls.Fixture(backend)) {
                    InvalidCalls.all(backend, f).get(index).check();
                    f.assertUntouched(names.get(index));
                }
                assertEquals(List.of(), engine.calls, "the engine computed nothing");
            }));
        }
        return tests.stream();
    }
}
