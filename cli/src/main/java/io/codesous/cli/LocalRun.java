package io.codesous.cli;

import io.codesous.platform.LocalRunner;
import io.codesous.spec.error.CsException;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * One local run: the bundle published as the next version of a function of the {@link LocalPlatform} (created on
 * the first run), the request run on it, and the normalized result of its answer.
 */
final class LocalRun {

  /** How long one run may take, module checks and the activation's own budgets included. */
  private static final long RUN_LIMIT_S = 600;

  /** The bundle or manifest was refused as a deployment refuses it; the message is its {@code CODE: message}. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private LocalRun() {
  }

  static JsonObject run(LocalPlatform platform, String function, JsonObject files, JsonObject manifest,
                        RunCommand.LocalRequest request, boolean create) throws CliException, Refused {
    JsonObject draft = new JsonObject().put("files", files);
    if (manifest != null) {
      draft.put("manifest", manifest);
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(headers::add);
    if (request.body() != null) {
      // as the HTTP client of cs invoke sends --data
      if (!headers.contains("content-type")) {
        headers.add("content-type", InvokeCommand.guessType(request.body()));
      }
      headers.set("content-length", String.valueOf(request.body().length));
    }
    LocalRunner.Call call = new LocalRunner.Call(request.method(), request.path(), headers,
        request.body() == null ? null : Buffer.buffer(request.body()));
    LocalRunner.Outcome outcome;
    try {
      outcome = platform.runner().run(function, draft, call, create).await(RUN_LIMIT_S, TimeUnit.SECONDS);
    } catch (Exception failure) {
      for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
        if (cause instanceof CsException refused) {
          throw new Refused(refused.code().name() + ": " + refused.getMessage());
        }
      }
      throw new CliException(CliException.FAILED, "the local run failed: " + failure.getMessage(), failure);
    }
    return NormalizedResult.of(outcome);
  }
}
