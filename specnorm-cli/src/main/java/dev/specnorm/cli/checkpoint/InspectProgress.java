package dev.specnorm.cli.checkpoint;

/** Where {@link CheckpointInspector} reports progress: a number of units of work, then each one done. */
public interface InspectProgress {

    /** Nothing is reported. */
    InspectProgress NONE = new InspectProgress() {
        @Override
        public void start(String what, int units) {}

        @Override
        public void step(String what) {}

        @Override
        public void finish() {}
    };

    /** {@code what} starts, {@code units} steps long. */
    void start(String what, int units);

    /** One step done; {@code what} comes next. */
    void step(String what);

    /** The work ended. */
    void finish();
}
