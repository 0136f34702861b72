package io.codesous.platform;

import io.codesous.auth.secret.SecretBox;
import io.codesous.kv.KvStore;
import io.codesous.store.ActivationStore;
import io.codesous.store.BindingStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.QueuedCancels;
import io.codesous.store.ScheduleStore;
import io.codesous.store.SecretStore;

import java.time.Duration;
import java.util.function.LongSupplier;

/** The stores every component of one process shares, each over the process's one KV. */
record Stores(FunctionStore functions, ActivationStore activations, SecretStore secrets, ScheduleStore schedules,
              BindingStore bindings, QueuedCancels queuedCancels) {

  static Stores over(KvStore kv, SecretBox secretBox, LongSupplier clock, PlatformOptions options) {
    // activation records and the cancels queued for them are kept for the same time
    Duration retention = Duration.ofMillis(options.getInvoker().getActivationRetentionMs());
    return new Stores(new FunctionStore(kv, clock), new ActivationStore(kv, clock, retention),
        new SecretStore(kv, secretBox, clock), new ScheduleStore(kv, clock), new BindingStore(kv, clock),
        new QueuedCancels(kv, clock, retention));
  }
}
