package dev.gan4j.cuda;

import dev.gan4j.tensor.backend.KernelClock;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

import java.util.ArrayDeque;

/**
 * Times kernel calls on the GPU: an event recorded on the stream before the call and one after, so a
 * call's time is what the device spent between them, not the microseconds the host took to issue it.
 * Reading a timing waits for its end event; its two events then go back to a pool for reuse.
 */
final class CudaEventClock implements KernelClock {

    private final CudaBackend backend;
    private final CudaDevice gpu;
    private final ArrayDeque<CUevent> spare = new ArrayDeque<>();

    CudaEventClock(CudaBackend backend, CudaDevice gpu) {
        this.backend = backend;
        this.gpu = gpu;
    }

    @Override
    public Timing start() {
        return new EventTiming(recordEvent());
    }

    @Override
    public void synchronize() {
        backend.synchronize();
    }

    /** Events created so far and now unused; none leak when every timing is read. */
    synchronized int spareEvents() {
        return spare.size();
    }

    private synchronized CUevent recordEvent() {
        gpu.makeCurrent();
        CUevent event = spare.poll();
        if (event == null) {
            event = new CUevent();
            CudaStatus.driver(JCudaDriver.cuEventCreate(event, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        }
        CudaStatus.driver(JCudaDriver.cuEventRecord(event, gpu.stream), "cuEventRecord");
        return event;
    }

    private synchronized long elapsedNanos(CUevent start, CUevent end) {
        gpu.makeCurrent();
        CudaStatus.driver(JCudaDriver.cuEventSynchronize(end), "cuEventSynchronize");
        float[] millis = new float[1];
        CudaStatus.driver(JCudaDriver.cuEventElapsedTime(millis, start, end), "cuEventElapsedTime");
        spare.push(start);
        spare.push(end);
        return Math.round(millis[0] * 1e6);
    }

    /** One call's pair of events; read once, then the events are recycled. */
    private final class EventTiming implements Timing {
        private final CUevent start;
        private CUevent end;
        private long nanos = -1;

        EventTiming(CUevent start) {
            this.start = start;
        }

        @Override
        public void stop() {
            end = recordEvent();
        }

        @Override
        public long nanos() {
            if (nanos < 0) nanos = elapsedNanos(start, end);
            return nanos;
        }
    }
}
