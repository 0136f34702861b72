package io.codesous.codeq.kafka;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lets one write at a time reach each partition of a topic until a write to it has succeeded,
 * then lets everything through in the order it came (see {@link KafkaPublisher} for why).
 *
 * <p>Per partition: the first write is let through; later writes are held while it is in flight.
 * When it succeeds, the held writes are released in order, and writes arriving while released ones
 * are still being sent queue behind them. When it fails, the oldest held write becomes the next
 * first write. Thread-safe; every method is short and never blocks.
 *
 * @param <T> a write
 */
final class PartitionGates<T> {

  /** What to do with a write just offered. */
  enum Admission {
    /** Send it now: the partition is open, or this is its first write. */
    SEND,
    /** Nothing: it is held and comes back from {@link #firstWriteDone}. */
    HELD,
    /** Send it after the writes released before it: on the thread that sends those. */
    SEND_AFTER_RELEASED
  }

  /**
   * What follows a first write's completion.
   *
   * @param released      to send, in this order, each followed by {@link #released(int)}
   * @param nextFirstWrite to send as the partition's next first write, or null
   * @param abandoned     held writes that will not be sent (the publisher is closing)
   */
  record AfterFirstWrite<T>(List<T> released, T nextFirstWrite, List<T> abandoned) {
    private static final AfterFirstWrite<?> NOTHING = new AfterFirstWrite<>(List.of(), null, List.of());

    @SuppressWarnings("unchecked")
    static <T> AfterFirstWrite<T> nothing() {
      return (AfterFirstWrite<T>) NOTHING;
    }
  }

  private static final class Gate<T> {
    boolean open;
    /** The first write in flight, or null. */
    T firstWrite;
    final ArrayDeque<T> held = new ArrayDeque<>();
    /** Released writes not yet sent. */
    int releasing;
  }

  /** Guarded by this. */
  private final Map<Integer, Gate<T>> gates = new HashMap<>();

  synchronized Admission admit(int partition, T write) {
    Gate<T> gate = gates.computeIfAbsent(partition, p -> new Gate<>());
    if (gate.open) {
      if (gate.releasing == 0) {
        return Admission.SEND;
      }
      gate.releasing++;
      return Admission.SEND_AFTER_RELEASED;
    }
    if (gate.firstWrite == null) {
      gate.firstWrite = write;
      return Admission.SEND;
    }
    gate.held.add(write);
    return Admission.HELD;
  }

  /**
   * @param write     a write that completed; nothing follows unless it was its partition's first
   * @param closing   whether held writes are to be abandoned rather than tried
   */
  synchronized AfterFirstWrite<T> firstWriteDone(
      int partition, T write, boolean succeeded, boolean closing) {
    Gate<T> gate = gates.get(partition);
    if (gate == null || gate.firstWrite != write) {
      return AfterFirstWrite.nothing();
    }
    gate.firstWrite = null;
    if (succeeded) {
      gate.open = true;
      List<T> released = new ArrayList<>(gate.held);
      gate.held.clear();
      gate.releasing += released.size();
      return new AfterFirstWrite<>(released, null, List.of());
    }
    if (closing) {
      List<T> abandoned = new ArrayList<>(gate.held);
      gate.held.clear();
      return new AfterFirstWrite<>(List.of(), null, abandoned);
    }
    gate.firstWrite = gate.held.poll();
    return gate.firstWrite == null
        ? AfterFirstWrite.nothing()
        : new AfterFirstWrite<>(List.of(), gate.firstWrite, List.of());
  }

  /** A write that was released, or admitted to go after released ones, has been sent. */
  synchronized void released(int partition) {
    Gate<T> gate = gates.get(partition);
    if (gate != null && gate.releasing > 0) {
      gate.releasing--;
    }
  }
}
