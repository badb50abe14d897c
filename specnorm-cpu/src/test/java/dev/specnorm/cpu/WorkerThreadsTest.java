package dev.specnorm.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine's worker threads: every task runs once, parked workers wake, a bad spin setting is refused. */
class WorkerThreadsTest {

    @ParameterizedTest(name = "spin {0} ns")
    @ValueSource(longs = {0, 50_000, 5_000_000})
    @Timeout(60)
    void everyTaskRunsOnceWhetherWorkersSpinOrPark(long spinNanos) throws InterruptedException {
        try (WorkerThreads workers = new WorkerThreads(3, "test", spinNanos)) {
            AtomicInteger runs = new AtomicInteger();
            for (int round = 0; round < 200; round++) {
                int tasks = 1 + round % 5;
                CountDownLatch done = new CountDownLatch(tasks);
                for (int t = 0; t < tasks; t++) {
                    workers.execute(() -> {
                        runs.incrementAndGet();
                        done.countDown();
                    });
                }
                assertTrue(done.await(10, TimeUnit.SECONDS), "round " + round + " lost a task");
                if (round % 50 == 0) {
                    Thread.sleep(2); // let the workers spin out and park before the next round
                }
            }
            int expected = 0;
            for (int round = 0; round < 200; round++) {
                expected += 1 + round % 5;
            }
            assertEquals(expected, runs.get());
        }
    }

    @Test
    @Timeout(30)
    void aFailingTaskDoesNotStopItsWorker() throws InterruptedException {
        try (WorkerThreads workers = new WorkerThreads(1, "test", 0)) {
            workers.execute(() -> {
                throw new IllegalStateException("expected by the test");
            });
            CountDownLatch done = new CountDownLatch(1);
            workers.execute(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClosedPoolRefusesWork() {
        WorkerThreads workers = new WorkerThreads(1, "test", 0);
        workers.close();
        assertThrows(IllegalStateException.class, () -> workers.execute(() -> {}));
    }

    @Test
    void theSpinSettingIsReadAndBadValuesAreRefused() {
        String before = System.getProperty(WorkerThreads.SPIN_PROPERTY);
        try {
            System.clearProperty(WorkerThreads.SPIN_PROPERTY);
            assertEquals(WorkerThreads.DEFAULT_SPIN_MICROS * 1000, WorkerThreads.configuredSpinNanos());
            System.setProperty(WorkerThreads.SPIN_PROPERTY, "7");
            assertEquals(7000, WorkerThreads.configuredSpinNanos());
            for (String bad : new String[] {"-1", "fast", "1.5"}) {
                System.setProperty(WorkerThreads.SPIN_PROPERTY, bad);
                IllegalArgumentException e =
                        assertThrows(IllegalArgumentException.class, WorkerThreads::configuredSpinNanos);
                assertTrue(e.getMessage().contains(WorkerThreads.SPIN_PROPERTY), e.getMessage());
            }
        } finally {
            if (before == null) {
                System.clearProperty(WorkerThreads.SPIN_PROPERTY);
            } else {
                System.setProperty(WorkerThreads.SPIN_PROPERTY, before);
            }
        }
    }
}
