package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code cs invoke TENANT NAMESPACE FUNCTION REF [PATH]}: one call of the web route, printed as the
 * status line, the activation id and the function's body, so the activation can be read next.
 */
@Command(name = "invoke",
    footer = {"", "Examples:",
        "  cs invoke acme default hello prod",
        "  cs invoke acme default hello 3 /items/7?x=1 --method PUT --data @item.json",
        "  cs invoke acme default hello latest --normalized | jq .activation.status",
        "  cs invoke acme default hello prod --data @order.json --async --idempotency-key order-42",
        "  cs activations get --tenant acme \"$ID\" --wait 30s     # the async activation's end"},
    mixinStandardHelpOptions = true,
    description = {"Invoke a function through the web route and print the HTTP status, the activation id "
        + "and the body.",
        "When the function failed (502) or timed out (504), the activation's error code, message and the "
            + "function's stack are printed on stderr.",
        "Exit code 0 for 1xx-3xx, 1 for other statuses, 3 when the platform refused the credentials."})
final class InvokeCommand extends ClientCommand {

  static final String ACTIVATION_HEADER = "x-cs-activation-id";
  private static final Pattern METHOD = Pattern.compile("^[A-Za-z]{1,16}$");

  @Parameters(index = "0", paramLabel = "TENANT")
  String tenant;

  @Parameters(index = "1", paramLabel = "NAMESPACE")
  String namespace;

  @Parameters(index = "2", paramLabel = "FUNCTION")
  String function;

  @Parameters(index = "3", paramLabel = "REF", description = "Version number, alias, or latest")
  String ref;

  @Parameters(index = "4", arity = "0..1", paramLabel = "PATH",
      description = "Path (and query) passed to the function, e.g. /items/7?x=1 (default /)")
  String path;

  @Option(names = "--method", paramLabel = "METHOD", description = "HTTP method (default: POST with --data, else GET)")
  String method;

  @Option(names = "--data", paramLabel = "BODY|@FILE", description = "Request body, or @FILE to read it")
  String data;

  @Option(names = "--content-type", paramLabel = "TYPE",
      description = "Media type of --data (default: application/json when it parses as JSON, else text/plain)")
  String contentType;

  @Option(names = "--async", description = "Do not wait for the function: the platform answers 202 with the "
      + "activation id at once (x-cs-async: true); read its end with cs activations get ID --wait 30s")
  boolean async;

  @Option(names = "--idempotency-key", paramLabel = "KEY", description = "Send Idempotency-Key: the same key for the "
      + "same function within 24 h answers the same activation (its result, or 202 while it runs) and never runs the "
      + "code twice; the key with a different request is 409 CS_IDEMPOTENCY_CONFLICT")
  String idempotencyKey;

  @Option(names = "--normalized",
      description = "Print the normalized result as JSON instead: status, headers, body, activation status and "
          + "error, logs, duration (what cs run prints for a local run)")
  boolean normalized;

  @Override
  protected int execute() throws CliException {
    String verb = method != null ? method : data != null ? "POST" : "GET";
    if (!METHOD.matcher(verb).matches()) {
      throw CliException.usage("--method: not an HTTP method: " + verb);
    }
    String proxyPath = path == null ? "" : path;
    if (!proxyPath.isEmpty() && !proxyPath.startsWith("/") && !proxyPath.startsWith("?")) {
      proxyPath = "/" + proxyPath;
    }
    String route = "/v1/web/" + ApiClient.segment(tenant) + "/" + ApiClient.segment(namespace) + "/"
        + ApiClient.segment(function) + "/" + ApiClient.segment(ref) + proxyPath;
    byte[] body = RequestBody.read(data, "--data");
    String type = body == null ? null : contentType != null ? contentType : guessType(body);

    Map<String, String> headers = new LinkedHashMap<>();
    if (type != null) {
      headers.put("content-type", type);
    }
    if (async) {
      headers.put("x-cs-async", "true");
    }
    if (idempotencyKey != null) {
      headers.put("idempotency-key", idempotencyKey);
    }
    ApiClient.Response response = client().sendWithHeaders(verb.toUpperCase(Locale.ROOT), route, body, headers);
    String activationId = response.header(ACTIVATION_HEADER).orElse(null);
    if (normalized) {
      out().println(NormalizedResult.of(client(), tenant, namespace, response).encodePrettily());
      return response.status() < 400 ? 0 : CliException.FAILED;
    }
    out().println("HTTP " + response.status());
    out().println(ACTIVATION_HEADER + ": " + (activationId == null ? "-" : activationId));
    out().println();
    String text = response.text();
    out().print(text);
    if (!text.isEmpty() && !text.endsWith("\n")) {
      out().println();
    }
    if (response.status() < 400) {
      return 0;
    }
    // without an activation id the platform answered, not the function: say why on stderr
    if (activationId == null) {
      return fail(response);
    }
    if (response.status() == 502 || response.status() == 504) {
      explainFailure(activationId);
    }
    return CliException.FAILED;
  }

  /**
   * The function failed (502) or ran out of time (504): the HTTP body carries only the code, by design, so read the
   * activation (its error's code, message and the function's stack, with file:line) and print it on stderr, where
   * the one who just invoked is looking.
   */
  private void explainFailure(String activationId) throws CliException {
    String recordPath = "/v1/tenants/" + ApiClient.segment(tenant) + "/namespaces/" + ApiClient.segment(namespace)
        + "/activations/" + ApiClient.segment(activationId) + "?wait=10s";
    ApiClient.Response record = client().get(recordPath);
    if (!record.ok()) {
      err().println("cs: cannot read activation " + activationId + ": " + errorLine(record));
      return;
    }
    JsonObject activation = jsonObject(record);
    JsonObject error = activation.getJsonObject("error");
    err().println("cs: activation " + activationId + " ended " + activation.getString("status", "?")
        + (error == null ? "" : ": " + error.getString("code", "?") + ": " + error.getString("message", "")));
    String stack = error == null ? null : error.getString("stack");
    if (stack != null && !stack.isBlank()) {
      err().println(stack.stripTrailing());
    }
  }

  static String guessType(byte[] body) {
    String text = BundleFiles.utf8(body);
    if (text == null) {
      return "application/octet-stream";
    }
    String trimmed = text.strip();
    return trimmed.startsWith("{") || trimmed.startsWith("[") ? "application/json" : "text/plain; charset=utf-8";
  }
}
