package io.codesous.runtime;

import org.graalvm.polyglot.Value;

/** How the handler's promise settled; written and read on the executing thread only. */
final class Settlement {
  private boolean settled;
  private boolean rejected;
  private Value value;

  Object fulfill(Value... arguments) {
    settle(false, arguments);
    return null;
  }

  Object reject(Value... arguments) {
    settle(true, arguments);
    return null;
  }

  boolean settled() {
    return settled;
  }

  boolean rejected() {
    return rejected;
  }

  Value value() {
    return value;
  }

  private void settle(boolean isRejection, Value[] arguments) {
    if (!settled) {
      settled = true;
      rejected = isRejection;
      value = arguments[0];
    }
  }
}
