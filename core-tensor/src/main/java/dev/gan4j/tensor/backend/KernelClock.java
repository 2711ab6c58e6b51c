package dev.gan4j.tensor.backend;

/**
 * How long a backend's kernels take, measured the backend's own way: the host clock for a backend whose
 * kernels have finished when the call returns (the CPU), device events for one that only issues them
 * (CUDA). The profiler times every kernel call through this.
 */
public interface KernelClock {

    /** Starts timing one kernel call, just before it is issued. */
    Timing start();

    /** Waits until every kernel issued so far has finished, so a host clock read afterwards covers them. */
    void synchronize();

    /** The duration of one kernel call. */
    interface Timing {

        /** Marks the end of the call, just after it was issued. */
        void stop();

        /** The call's duration in nanoseconds; may wait for the device to finish it. Call after {@link #stop()}. */
        long nanos();
    }

    /** The host's monotonic clock, for kernels that run to completion inside the call. */
    KernelClock HOST = new KernelClock() {
        @Override
        public Timing start() {
            long start = System.nanoTime();
            return new Timing() {
                private long end;

                @Override
                public void stop() {
                    end = System.nanoTime();
                }

                @Override
                public long nanos() {
                    return end - start;
                }
            };
        }

        @Override
        public void synchronize() {
            // Nothing is in flight: every kernel finished before its call returned.
        }
    };
}
