package io.codesous.component;

import io.vertx.core.Future;

/** A component: a plain object that starts and stops asynchronously. */
public interface Lifecycle {

  Future<Void> start();

  Future<Void> stop();
}
