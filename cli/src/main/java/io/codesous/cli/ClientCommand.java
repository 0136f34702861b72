package io.codesous.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Mixin;

/**
 * Base of the commands that call the API: builds the client from the shared options and prints
 * answers the same way everywhere — the JSON body, pretty, on stdout for a success; {@code code:
 * message} on stderr for an error, with exit code 1, or 3 when the server refused the credentials
 * (401/403) so a script can tell "fix the token" from "fix the request".
 */
abstract class ClientCommand extends CliCommand {

  @Mixin
  ClientOptions clientOptions;

  private ApiClient client;

  ApiClient client() throws CliException {
    if (client == null) {
      client = clientOptions.client(root());
    }
    return client;
  }

  /** Prints a success's body and returns 0, or reports the error and returns its exit code. */
  int print(ApiClient.Response response) {
    if (!response.ok()) {
      return fail(response);
    }
    String body = pretty(response);
    if (!body.isEmpty()) {
      out().println(body);
    }
    return 0;
  }

  /** Reports an error answer on stderr; returns the exit code for it. */
  int fail(ApiClient.Response response) {
    err().println(errorLine(response));
    if (response.status() == 401 && client != null && client.tokenOrigin().isEmpty()) {
      err().println("cs: no token was sent: pass --token, set " + TokenSource.ENV_TOKEN
          + ", pass --token-file, or point --data-dir at the server's data directory (its admin.token)");
    }
    return exitCode(response.status());
  }

  static int exitCode(int status) {
    return status == 401 || status == 403 ? CliException.DENIED : CliException.FAILED;
  }

  /** {@code CODE: message} from the API's error body, or the status and the start of the text. */
  static String errorLine(ApiClient.Response response) {
    try {
      Object parsed = Json.decodeValue(response.text());
      if (parsed instanceof JsonObject json && json.getValue("error") instanceof JsonObject error
          && error.getString("code") != null) {
        return error.getString("code") + ": " + error.getString("message", "");
      }
    } catch (DecodeException | ClassCastException notTheErrorBody) {
      // fall through to the raw form
    }
    String text = response.text().strip();
    if (text.length() > 200) {
      text = text.substring(0, 200) + "…";
    }
    return "HTTP " + response.status() + (text.isEmpty() ? "" : ": " + text);
  }

  /** The body as indented JSON when it is JSON, else as text. */
  static String pretty(ApiClient.Response response) {
    String text = response.text();
    if (text.isBlank()) {
      return "";
    }
    try {
      Object parsed = Json.decodeValue(text);
      if (parsed instanceof JsonObject json) {
        return json.encodePrettily();
      }
      if (parsed instanceof JsonArray array) {
        return array.encodePrettily();
      }
    } catch (DecodeException notJson) {
      // shown as it is
    }
    return text.stripTrailing();
  }

  /** Reads a JSON object answer; a success that is not one is reported as a failure. */
  static JsonObject jsonObject(ApiClient.Response response) throws CliException {
    try {
      return new JsonObject(response.text());
    } catch (DecodeException e) {
      throw new CliException(CliException.FAILED, "the server answered HTTP " + response.status()
          + " with a body that is not a JSON object");
    }
  }
}
