package dev.specnorm.spark;

import dev.specnorm.cli.checkpoint.InspectProgress;

/** Counts the progress calls a job makes: its starts, its steps, and whether it finished. */
final class CountingProgress implements InspectProgress {

    int starts;
    int steps;
    boolean finished;

    @Override
    public synchronized void start(String what, int units) {
        starts++;
    }

    @Override
    public synchronized void step(String what) {
        steps++;
    }

    @Override
    public synchronized void finish() {
        finished = true;
    }
}
