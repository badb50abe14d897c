package dev.specnorm.api.testing;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Invalid arguments to every public entry point ({@link InvalidCalls}): each fails with
 * IllegalArgumentException or NullPointerException naming the argument, before any work — no state moves
 * and no input changes. Every call gets a fresh {@link InvalidCalls.Fixture}, so that one failure cannot
 * spill into the next.
 */
public abstract class ArgumentContract extends ContractSupport {

    @TestFactory
    Stream<DynamicTest> invalidArgumentsAreRejectedBeforeAnyWork() {
        List<String> names = new ArrayList<>();
        try (InvalidCalls.Fixture f = new InvalidCalls.Fixture(backend())) {
            for (InvalidCalls.Invalid i : InvalidCalls.all(backend(), f)) {
                names.add(i.name());
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            int index = k;
            tests.add(dynamicTest(names.get(k), () -> {
                try (InvalidCalls.Fixture f = new InvalidCalls.Fixture(backend())) {
                    InvalidCalls.all(backend(), f).get(index).check();
                    f.assertUntouched(names.get(index));
                }
            }));
        }
        return tests.stream();
    }
}
