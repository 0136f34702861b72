package io.codesous.cadence;

import com.uber.cadence.PollForActivityTaskRequest;
import com.uber.cadence.PollForActivityTaskResponse;
import com.uber.cadence.TaskList;
import com.uber.cadence.serviceclient.IWorkflowService;
import io.codesous.store.BindingSpec;
import io.micrometer.core.instrument.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;

/**
 * The long-poll loops of one binding, {@code pollers.activity} of them, each on a thread of its own: a long poll
 * blocks for up to a minute, which no event loop may do. A loop polls only while it holds one of the binding's
 * {@code max_inflight_tasks} slots, so at the cap the binding stops asking Cadence for work; a task keeps its slot
 * until the activation's result arrives ({@link #release()}). Stopping interrupts the loops that are inside a poll
 * (an in-memory Cadence service waits for exactly that) and leaves the tasks already taken to be answered.
 */
final class PollLoops {

  private static final Logger LOG = LoggerFactory.getLogger(PollLoops.class);
  private static final long BACKOFF_MS = 1000;

  /** Who the binding is: its registry entry ({@code tenant:namespace:name}) and the document's version. */
  record Binding(String entry, String tenant, String namespace, String name, BindingSpec spec, long updatedAtMs) {
  }

  private final Binding binding;
  private final IWorkflowService service;
  private final BiConsumer<PollLoops, PollForActivityTaskResponse> onTask;
  private final Counter polls;
  private final Semaphore slots;
  private final List<Thread> threads = new ArrayList<>();
  private final Set<Thread> polling = new HashSet<>();
  private volatile boolean running = true;

  /** @param onTask takes a task and the slot it holds; called on the loop's thread */
  PollLoops(Binding binding, IWorkflowService service, BiConsumer<PollLoops, PollForActivityTaskResponse> onTask,
            Counter polls) {
    this.binding = Objects.requireNonNull(binding, "binding");
    this.service = Objects.requireNonNull(service, "service");
    this.onTask = Objects.requireNonNull(onTask, "onTask");
    this.polls = Objects.requireNonNull(polls, "polls");
    this.slots = new Semaphore(binding.spec().maxInflightTasks());
  }

  Binding binding() {
    return binding;
  }

  void start() {
    for (int i = 0; i < binding.spec().activityPollers(); i++) {
      Thread thread = new Thread(this::loop, "cs-cadence-poll-" + binding.entry() + "-" + i);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
  }

  /** Stops polling; the loops end once their current poll is interrupted. Tasks already taken are not touched. */
  void stop() {
    synchronized (polling) {
      running = false;
      polling.forEach(Thread::interrupt);
    }
    // a loop waiting for a slot waits in acquire(), which the interrupt above does not reach
    threads.forEach(Thread::interrupt);
  }

  /** Gives back the slot of a task whose activation ended (or that was never published). */
  void release() {
    slots.release();
  }

  /** Tasks taken and not yet ended. */
  int inflight() {
    return binding.spec().maxInflightTasks() - slots.availablePermits();
  }

  private void loop() {
    BindingSpec spec = binding.spec();
    PollForActivityTaskRequest request = new PollForActivityTaskRequest().setDomain(spec.domain())
        .setTaskList(new TaskList().setName(spec.tasklist())).setIdentity(spec.workerId());
    while (running) {
      try {
        slots.acquire();
      } catch (InterruptedException stopping) {
        continue;
      }
      PollForActivityTaskResponse task = poll(request);
      if (task == null || task.getTaskToken() == null || task.getTaskToken().length == 0) {
        slots.release();
        continue;
      }
      try {
        onTask.accept(this, task);
      } catch (RuntimeException refused) {
        // the event loop refused the hand-over (the process is stopping): Cadence hands the task out again
        slots.release();
        LOG.warn("binding {}: a task of {} could not be handed over: {}", binding.entry(), spec.tasklist(),
            refused.toString());
      }
    }
  }

  private PollForActivityTaskResponse poll(PollForActivityTaskRequest request) {
    Thread self = Thread.currentThread();
    synchronized (polling) {
      if (!running) {
        return null;
      }
      polling.add(self);
    }
    try {
      polls.increment();
      return service.PollForActivityTask(request);
    } catch (Exception failed) {
      if (running) {
        LOG.warn("binding {}: poll of domain {} tasklist {} failed: {}", binding.entry(), binding.spec().domain(),
            binding.spec().tasklist(), failed.toString());
        pause();
      }
      return null;
    } finally {
      synchronized (polling) {
        polling.remove(self);
        if (running) {
          // an interrupt meant for a poll that had just returned must not cut the next one short
          Thread.interrupted();
        }
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(BACKOFF_MS);
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    }
  }
}
