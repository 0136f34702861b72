package io.codesous.scheduler;

import io.codesous.auth.Principal;
import io.codesous.spec.message.HeapWeight;
import io.vertx.core.json.JsonObject;

/**
 * The principal a schedule's runs carry ({@link TickPublisher#servicePrincipal}) and its JSON, which every run's
 * request holds: built once per written spec ({@link SpecCache}), where building the JSON for each run was about
 * 3 % of the scheduler's lanes at ten thousand runs a second. The JSON is shared by the requests, which only read
 * it, as they share their schedule's payload; so is its weight in the in-JVM queue's bound ({@link HeapWeight}),
 * which walking the tree for every run took another 2 %.
 *
 * @param jsonBytes what {@code json} weighs ({@link HeapWeight#of})
 */
record Runner(Principal principal, JsonObject json, long jsonBytes) {

  static Runner of(Principal principal) {
    JsonObject json = principal.toJson();
    return new Runner(principal, json, HeapWeight.of(json));
  }
}
