package io.codesous.cli;

import io.codesous.platform.LocalRunner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One invocation as {@code cs run} and {@code cs invoke --normalized} print it, the same for a local run and a
 * remote call so the two can be compared field by field: the HTTP status, headers and body; the activation's
 * status, error code and message; its log entries (level and message); its duration. Left out is what differs
 * between two runs of the same code by nature: request and activation ids (in the body they read
 * {@code {activation_id}} and {@code {request_id}}), dates, the version number.
 */
final class NormalizedResult {

  /** Headers that name this request or this moment, not what the function answered. */
  static final Set<String> VOLATILE_HEADERS = Set.of("x-request-id", InvokeCommand.ACTIVATION_HEADER, "date",
      "location", "content-length");
  /** How long the activation read waits for a terminal record after the gateway's answer. */
  static final String WAIT = "30s";

  private NormalizedResult() {
  }

  /** The body with this request's ids written as {@code {activation_id}} and {@code {request_id}}. */
  private static String withoutIds(String body, String activation, String request) {
    if (activation != null && !activation.isEmpty()) {
      body = body.replace(activation, "{activation_id}");
    }
    if (request != null && !request.isEmpty()) {
      body = body.replace(request, "{request_id}");
    }
    return body;
  }

  /**
   * Builds the result of a web answer: reads the activation it started (waiting for its end) and its logs. An
   * answer without an activation (the platform refused the request) has {@code activation: null} and no logs.
   */
  static JsonObject of(ApiClient client, String tenant, String namespace, ApiClient.Response web)
      throws CliException {
    String id = web.header(InvokeCommand.ACTIVATION_HEADER).orElse(null);
    String requestId = web.header("x-request-id").orElse(null);
    if (id == null) {
      return of(web.status(), web.headers().map(), web.text(), null, requestId, null, new JsonArray());
    }
    String path = ApiClient.namespacePath(tenant, namespace) + "/activations/" + ApiClient.segment(id);
    ApiClient.Response record = client.get(path + "?wait=" + WAIT);
    if (!record.ok()) {
      throw new CliException(CliException.FAILED, "activation " + id + ": " + ClientCommand.errorLine(record));
    }
    JsonArray logs = new JsonArray();
    String cursor = null;
    do {
      ApiClient.Response page = client.get(path + "/logs?limit=1000"
          + (cursor == null ? "" : "&cursor=" + ApiClient.segment(cursor)));
      if (!page.ok()) {
        throw new CliException(CliException.FAILED, "logs of " + id + ": " + ClientCommand.errorLine(page));
      }
      JsonObject json = ClientCommand.jsonObject(page);
      json.getJsonArray("logs", new JsonArray()).forEach(logs::add);
      cursor = json.getString("next_cursor");
    } while (cursor != null);
    return of(web.status(), web.headers().map(), web.text(), id, requestId, ClientCommand.jsonObject(record), logs);
  }

  /** The result of a local run: the answer the gateway would have written and the activation it ran. */
  static JsonObject of(LocalRunner.Outcome outcome) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    outcome.answer().headers().forEach(h -> headers.computeIfAbsent(h.getKey(), k -> new ArrayList<>())
        .add(h.getValue()));
    return of(outcome.answer().status(), headers, outcome.answer().body().toString(StandardCharsets.UTF_8),
        outcome.activationId(), outcome.requestId(), outcome.activation(), outcome.logs());
  }

  /**
   * @param activation the activation's record as the lifecycle API shows it, {@code null} when none started
   * @param logEntries its log entries as the logs route pages them
   */
  private static JsonObject of(int status, Map<String, List<String>> headers, String body, String activationId,
                               String requestId, JsonObject activation, JsonArray logEntries) {
    TreeMap<String, String> kept = new TreeMap<>();
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (!VOLATILE_HEADERS.contains(lower) && !lower.startsWith(":")) {
        kept.merge(lower, String.join(",", values), (a, b) -> a + "," + b);
      }
    });
    JsonObject result = new JsonObject()
        .put("status", status)
        .put("headers", new JsonObject(new LinkedHashMap<>(kept)))
        .put("body", withoutIds(body, activationId, requestId));
    if (activation == null) {
      return result.putNull("activation").put("logs", new JsonArray()).putNull("duration_ms");
    }
    JsonObject error = activation.getJsonObject("error");
    result.put("activation", new JsonObject()
        .put("status", activation.getString("status"))
        .put("error_code", error == null ? null : error.getString("code"))
        .put("error_message", error == null ? null : error.getString("message")));
    JsonArray logs = new JsonArray();
    logEntries.forEach(e -> logs.add(new JsonObject()
        .put("level", ((JsonObject) e).getString("level")).put("message", ((JsonObject) e).getString("message"))));
    return result.put("logs", logs).put("duration_ms", activation.getLong("duration_ms"));
  }
}
