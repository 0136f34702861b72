package io.codesous.cli;

import io.vertx.core.json.JsonObject;

/**
 * One local run: the bundle uploaded and published as the next version of a function of the {@link LocalPlatform}
 * (created on the first run), then the request sent to its web route, and the normalized result read back.
 */
final class LocalRun {

  /** The platform refused the bundle or manifest; the message is its {@code CODE: message}. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private LocalRun() {
  }

  static JsonObject run(LocalPlatform platform, String function, JsonObject files, JsonObject manifest,
                        RunCommand.LocalRequest request, boolean create) throws CliException, Refused {
    ApiClient client = platform.client();
    String functions = ApiClient.namespacePath(LocalPlatform.TENANT, LocalPlatform.NAMESPACE) + "/functions";
    String fn = functions + "/" + ApiClient.segment(function);
    if (create) {
      expectOk(client.postJson(functions, new JsonObject().put("name", function)));
    }
    JsonObject draft = new JsonObject().put("files", files);
    if (manifest != null) {
      draft.put("manifest", manifest);
    }
    ApiClient.Response uploaded = client.postJson(fn + "/drafts", draft);
    if (!uploaded.ok()) {
      throw new Refused(ClientCommand.errorLine(uploaded));
    }
    expectOk(client.postJson(fn + "/versions", new JsonObject()
        .put("draft_id", ClientCommand.jsonObject(uploaded).getString("draft_id"))));
    String route = "/v1/web/" + LocalPlatform.TENANT + "/" + LocalPlatform.NAMESPACE + "/" + ApiClient.segment(function)
        + "/latest" + request.path();
    ApiClient.Response web = client.sendWithHeaders(request.method(), route, request.body(), request.headers());
    return NormalizedResult.of(client, LocalPlatform.TENANT, LocalPlatform.NAMESPACE, web);
  }

  private static void expectOk(ApiClient.Response response) throws CliException {
    if (!response.ok()) {
      throw new CliException(CliException.FAILED, "the local platform refused a step: "
          + ClientCommand.errorLine(response));
    }
  }
}
