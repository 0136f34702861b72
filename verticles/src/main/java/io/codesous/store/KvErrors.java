package io.codesous.store;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;

/** Translates KV port failures into the catalog, once, at the store edge. */
final class KvErrors {

  private KvErrors() {
  }

  static <T> Future<T> translate(Throwable failure) {
    if (failure instanceof CsException) {
      return Future.failedFuture(failure);
    }
    if (failure instanceof KvConflictException) {
      return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT, "the resource changed concurrently"));
    }
    if (failure instanceof KvException) {
      return Future.failedFuture(new CsException(ErrorCode.CS_UNAVAILABLE, "state store unavailable", null, failure));
    }
    return Future.failedFuture(failure);
  }
}
