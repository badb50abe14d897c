package dev.specnorm.cli;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for training runs handed to a thread pool, with their failures rethrown as they were thrown. */
final class TrainingRuns {

    private TrainingRuns() {}

    /**
     * The result of {@code run}, once it ends. An {@link IOException}, unchecked exception or error of the
     * run is rethrown unwrapped; any other checked failure comes wrapped in an {@link IllegalStateException}.
     */
    static <T> T await(Future<T> run) throws IOException {
        try {
            return run.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while training", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }
}
