package io.codesous.codeq;

import io.vertx.core.Future;

/** A live subscription. */
public interface CodeQSubscription {

  /** Stops deliveries; messages handed out but not acknowledged return to the group. */
  Future<Void> close();
}
