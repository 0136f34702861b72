package io.codesous.runtime;

import io.codesous.runtime.GuestApi.Bound.ErrorDescription;
import io.codesous.runtime.ResponseValidator.InvalidResponseException;
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

  /**
   * The activation's outcome from the settled promise: a rejection is the function's error, a fulfilment is its
   * response once validated against the limits — an activity's result for a Cadence trigger, which has no HTTP
   * shape, and a web response for every other trigger.
   */
  Outcome outcome(GuestApi.Bound api, ExecutionLimits limits, boolean activity) {
    if (rejected) {
      ErrorDescription error = api.describeError(value);
      return Outcome.error(error.message(), error.stack());
    }
    ResponseValidator validator = new ResponseValidator(limits);
    try {
      return Outcome.success((activity ? validator.activityResult(api.encodeResult(value)) : validator.validate(value))
          .toJson());
    } catch (InvalidResponseException e) {
      return Outcome.error(e.getMessage());
    }
  }

  private void settle(boolean isRejection, Value[] arguments) {
    if (!settled) {
      settled = true;
      rejected = isRejection;
      value = arguments[0];
    }
  }
}
