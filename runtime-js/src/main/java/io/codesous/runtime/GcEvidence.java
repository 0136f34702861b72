package io.codesous.runtime;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What garbage collections say about the heap, for the {@link MemoryGuard}: how much each collection kept beyond
 * the previous one, and whether the old generation is filling up.
 *
 * <p>After a collection the heap holds only what is reachable (plus, for partial collections, old objects not yet
 * examined). Its growth from one collection to the next, {@code max(0, usedAfter(n) - usedAfter(n-1))}, bounds what
 * everything allocated in between left alive: the guard charges each running activation at most that much for what
 * it allocated in between, and forgives the rest as garbage.
 */
final class GcEvidence implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GcEvidence.class);
  /** Fraction of the old generation (or of the heap, without one) past which the heap counts as under pressure. */
  private static final double PRESSURE = 0.7;

  private final Set<String> heapPools = new HashSet<>();
  private final MemoryPoolMXBean tenured;
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::onNotification;
  private long lastUsedAfter;
  private long collections;
  private long survivedTotal;

  GcEvidence() {
    MemoryPoolMXBean old = null;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
        String name = pool.getName();
        if (name.contains("Old") || name.contains("Tenured")) {
          old = pool;
        }
      }
    }
    this.tenured = old;
    this.lastUsedAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  /** A consistent reading: collections so far and the sum of what each kept beyond the previous one. */
  record Reading(long collections, long survivedTotal) {
  }

  synchronized Reading read() {
    return new Reading(collections, survivedTotal);
  }

  /** Whether the old generation (or the heap) is fuller than the pressure threshold right now. */
  boolean underPressure() {
    MemoryUsage usage = tenured != null ? tenured.getUsage()
        : ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long max = usage.getMax() > 0 ? usage.getMax() : Runtime.getRuntime().maxMemory();
    return usage.getUsed() > PRESSURE * max;
  }

  /**
   * Whether the old generation (or the heap) still held more than the pressure threshold after the last collection
   * that examined it: what stays after a collection is live, so this says the heap is filling with data, not with
   * garbage a collection will take. False before any such collection.
   */
  boolean fullAfterCollection() {
    MemoryPoolMXBean pool = tenured;
    MemoryUsage after = pool != null ? pool.getCollectionUsage() : null;
    if (after == null) {
      return false;
    }
    long max = after.getMax() > 0 ? after.getMax() : Runtime.getRuntime().maxMemory();
    return after.getUsed() > PRESSURE * max;
  }

  private void onNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    try {
      GarbageCollectionNotificationInfo info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
      String name = info.getGcName();
      // Concurrent cycles and pause-only reports do not describe an emptied young generation.
      if (name.contains("Concurrent") || name.contains("Pauses")) {
        return;
      }
      long usedAfter = 0;
      for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(pool.getKey())) {
          usedAfter += pool.getValue().getUsed();
        }
      }
      synchronized (this) {
        survivedTotal += Math.max(0, usedAfter - lastUsedAfter);
        lastUsedAfter = usedAfter;
        collections++;
      }
    } catch (RuntimeException e) {
      LOG.warn("cannot read a garbage collection notification", e);
    }
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException e) {
        // Already removed.
      }
    }
  }
}
