package dev.netlib.linux.internal.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off between a caller and the worker threads of one namespace: results, failures,
 * interrupts, reuse and shutdown. On the test's own namespace (the root of a fresh manager), so
 * no setns happens and no privilege is needed.
 */
class NamespaceExecutorTest {
    private NetnsManager manager;
    private NamespaceExecutor executor;

    @BeforeEach
    void open() {
        manager = new NetnsManager();
        executor = manager.root().executor();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void aTaskRunsOnAWorkerAndItsResultComesBack() throws Exception {
        Thread caller = Thread.currentThread();
        Thread ran = executor.call(Thread::currentThread, false);
        assertThat(ran).isNotSameAs(caller);
        assertThat(ran.getName()).startsWith("netlib-netns-");
    }

    @Test
    void failuresAreRethrownAsThey() {
        assertThatThrownBy(() -> executor.call(() -> {
            throw new IOException("checked");
        }, false)).isInstanceOf(IOException.class).hasMessage("checked");
        assertThatThrownBy(() -> executor.call(() -> {
            throw new StackOverflowError("an error");
        }, false)).isInstanceOf(StackOverflowError.class).hasMessage("an error");
    }

    @Test
    void aSubmittedTaskRunsWhileTheCallerWorksAndAwaitGivesItsOutcome() throws Exception {
        // the task waits for the caller: a submit that ran it before returning would never return
        CountDownLatch callerWorked = new CountDownLatch(1);
        NamespaceExecutor.Pending<Thread> pending = executor.submit(() -> {
            if (!callerWorked.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the caller never got on");
            }
            return Thread.currentThread();
        }, false);
        callerWorked.countDown();
        assertThat(pending.await(false)).isNotSameAs(Thread.currentThread());
        NamespaceExecutor.Pending<Object> failing = executor.submit(() -> {
            throw new IOException("checked");
        }, false);
        assertThatThrownBy(() -> failing.await(false)).isInstanceOf(IOException.class).hasMessage("checked");
        // from the namespace's own worker: run before submit returns (a worker never waits on another)
        Thread[] inline = new Thread[2];
        executor.call(() -> {
            inline[0] = Thread.currentThread();
            inline[1] = executor.submit(Thread::currentThread, false).await(false);
            return null;
        }, false);
        assertThat(inline[1]).isSameAs(inline[0]);
    }

    @Test
    void callsOneAfterAnotherReuseOneWorker() throws Exception {
        Thread first = executor.call(Thread::currentThread, false);
        int started = NamespaceExecutor.startedWorkers();
        for (int i = 0; i < 200; i++) {
            assertThat(executor.call(Thread::currentThread, false)).isSameAs(first);
        }
        assertThat(NamespaceExecutor.startedWorkers() - started).as("workers started for 200 sequential calls").isZero();
    }

    @Test
    void concurrentCallsRunAtOnce() throws Exception {
        // each task waits for the other: a single worker taking them in turn would never pass the barrier
        CyclicBarrier both = new CyclicBarrier(2);
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                executor.call(() -> both.await(10, TimeUnit.SECONDS), false);
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        executor.call(() -> both.await(10, TimeUnit.SECONDS), false);
        t.join(10_000);
        assertThat(other.get()).isNull();
        assertThat(executor.workers()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void anInterruptibleCallerStopsWaitingWhenInterrupted() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                executor.call(() -> {
                    running.countDown();
                    return release.await(30, TimeUnit.SECONDS);
                }, true);
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        caller.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        caller.join(10_000);
        assertThat(caller.isAlive()).as("the interrupted caller returned while its task still runs").isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        release.countDown();
        // the worker finishes the abandoned task and serves the next call
        assertThat(executor.call(() -> "next", false)).isEqualTo("next");
    }

    @Test
    void netlibsOwnTasksAreWaitedOutAndTheInterruptKept() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                result.set(executor.call(() -> {
                    running.countDown();
                    release.await(30, TimeUnit.SECONDS);
                    return "kept";
                }, false));
            } catch (Throwable e) {
                result.set(e);
            }
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        Thread.sleep(50);
        assertThat(caller.isAlive()).as("a non-interruptible caller keeps waiting for its result").isTrue();
        release.countDown();
        caller.join(10_000);
        assertThat(result.get()).isEqualTo("kept");
        assertThat(flagAfter.get()).as("interrupt flag restored").isTrue();
    }

    @Test
    void shutdownEndsIdleWorkersAndRefusesNewTasks() throws Exception {
        Thread worker = executor.call(Thread::currentThread, false);
        assertThat(executor.workers()).isEqualTo(1);
        executor.shutdown();
        worker.join(5_000);
        assertThat(worker.isAlive()).as("idle worker ended by shutdown, long before its keep-alive").isFalse();
        assertThat(executor.workers()).isZero();
        assertThatThrownBy(() -> executor.call(() -> "late", false)).isInstanceOf(RuntimeException.class);
    }
}
