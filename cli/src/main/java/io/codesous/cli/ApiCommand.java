package io.codesous.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;
import java.util.regex.Pattern;

/** {@code cs api METHOD PATH}: any API call, for what the other commands do not cover. */
@Command(name = "api",
    footer = {"", "Examples:",
        "  cs api GET /v1/tenants/acme/namespaces/default/functions",
        "  cs api POST /v1/tenants/acme/namespaces/default/functions --data '{\"name\":\"hello\"}'",
        "  cs api PUT /v1/tenants/acme/namespaces/default/functions/hello/aliases/prod --data @alias.json"},
    mixinStandardHelpOptions = true,
    description = {"Call any API route with the configured server and token, and print the answer.",
        "Example: cs api GET '/v1/tenants/acme/namespaces/default/functions?limit=10'"})
final class ApiCommand extends ClientCommand {

  private static final Pattern METHOD = Pattern.compile("^[A-Za-z]{1,16}$");

  @Parameters(index = "0", paramLabel = "METHOD", description = "HTTP method, e.g. GET, POST, PUT, DELETE")
  String method;

  @Parameters(index = "1", paramLabel = "PATH", description = "Path with query string, e.g. /v1/tenants/acme/...")
  String path;

  @Option(names = "--data", paramLabel = "JSON|@FILE", description = "Request body (JSON), or @FILE to read it")
  String data;

  @Override
  protected int execute() throws CliException {
    if (!METHOD.matcher(method).matches()) {
      throw CliException.usage("METHOD: not an HTTP method: " + method);
    }
    if (!path.startsWith("/")) {
      throw CliException.usage("PATH: must start with /, e.g. /v1/tenants/acme/namespaces/default/functions");
    }
    byte[] body = RequestBody.read(data, "--data");
    return print(client().send(method.toUpperCase(Locale.ROOT), path, body, body == null ? null : "application/json"));
  }
}
