package io.codesous.scheduler;

import io.codesous.auth.Principal;
import io.vertx.core.json.JsonObject;

/**
 * The principal a schedule's runs carry ({@link TickPublisher#servicePrincipal}) and its JSON, which every run's
 * request holds: built once per written spec ({@link SpecCache}), where building the JSON for each run was about
 * 3 % of the scheduler's lanes at ten thousand runs a second. The JSON is shared by the requests, which only read
 * it, as they share their schedule's payload.
 */
record Runner(Principal principal, JsonObject json) {

  static Runner of(Principal principal) {
    return new Runner(principal, principal.toJson());
  }
}
