package dev.specnorm.cpu;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The engine's {@link NativeWorkspace}s, reused from call to call: a call takes one per participant
 * through a {@link Lease} and gives them all back when it ends; {@link #close()} frees them.
 */
final class NativePool implements AutoCloseable {

    private final Queue<NativeWorkspace> free = new ConcurrentLinkedQueue<>();

    /** The workspaces of one call. */
    final class Lease implements AutoCloseable {
        private final Queue<NativeWorkspace> taken = new ConcurrentLinkedQueue<>();

        /** A workspace for one participant of this call (thread-safe). */
        NativeWorkspace take() {
            NativeWorkspace ws = free.poll();
            if (ws == null) {
                ws = new NativeWorkspace();
            }
            taken.add(ws);
            return ws;
        }

        @Override
        public void close() {
            NativeWorkspace ws;
            while ((ws = taken.poll()) != null) {
                free.add(ws);
            }
        }
    }

    /** A lease for one call. */
    Lease lease() {
        return new Lease();
    }

    @Override
    public void close() {
        NativeWorkspace ws;
        while ((ws = free.poll()) != null) {
            ws.close();
        }
    }
}
