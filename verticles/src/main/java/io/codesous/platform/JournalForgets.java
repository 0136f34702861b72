package io.codesous.platform;

import io.codesous.kv.CallerContext;
import io.codesous.kv.KvStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Removes the requests that ended from the accepted-request journal, all those that ended while the previous removal
 * was being written in one store call. Under load activations end while the store writes: one call (one hop to the
 * store's pool and back, one batch) then forgets several. In a perf profile of the embedded server under load, the
 * futex waits and wake-ups around each hop took about a sixth of the store pool's samples, as much as RocksDB's
 * writes to its log.
 *
 * <p>Nothing waits longer than one store call more: the first removal is written at once, and each later one with
 * the next call. A removal that is lost in a crash leaves an entry that is published again at start, whose record
 * has ended: its invoker answers from the record and runs nothing.
 */
final class JournalForgets {

  private final KvStore kv;
  /** Guards {@link #queued} and {@link #writing}: acknowledgements come from any invoker's context. */
  private final Object lock = new Object();
  private List<Forget> queued = new ArrayList<>();
  private boolean writing;

  JournalForgets(KvStore kv) {
    this.kv = Objects.requireNonNull(kv, "kv");
  }

  /** Removes {@code entry}; completes on the caller's context. */
  Future<Void> forget(String entry) {
    Promise<Void> removed = Promise.promise();
    Future<Void> onCaller = CallerContext.completeOnCaller(removed.future());
    boolean first;
    synchronized (lock) {
      queued.add(new Forget(entry, removed));
      first = !writing;
      writing = true;
    }
    if (first) {
      writeQueued();
    }
    return onCaller;
  }

  private void writeQueued() {
    List<Forget> batch;
    synchronized (lock) {
      batch = queued;
      if (batch.isEmpty()) {
        writing = false;
        return;
      }
      queued = new ArrayList<>();
    }
    List<String> entries = new ArrayList<>(batch.size());
    for (Forget forget : batch) {
      entries.add(forget.entry);
    }
    Future<Void> written;
    try {
      written = kv.deleteEach(entries);
    } catch (RuntimeException refused) {
      written = Future.failedFuture(refused);
    }
    written.onComplete(outcome -> {
      for (Forget forget : batch) {
        forget.removed.handle(outcome);
      }
      writeQueued();
    });
  }

  private record Forget(String entry, Promise<Void> removed) {
  }
}
