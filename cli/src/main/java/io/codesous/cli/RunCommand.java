package io.codesous.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code cs run DIR}: runs a function's directory once in this process, with no server (see
 * {@link LocalPlatform}) and prints the normalized result {@code cs invoke --normalized} prints for a deployment.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Run DIR locally with the platform's own runtime, limits and validation (in-memory KV and queue, "
        + "no server to start) and print the normalized result: HTTP status, headers and body, activation status, "
        + "error code and message, logs and duration - the same JSON as cs invoke --normalized.",
        "Exit code 0 when the answer is 1xx-3xx, 1 otherwise, 2 for bad input."},
    footer = {"", "Examples:",
        "  cs run ./hello",
        "  cs run ./hello --method POST --path '/items?x=1' --header 'x-trace: 7' --data @body.json",
        "  cs run ./hello --event request.json     # {\"method\",\"path\",\"headers\",\"body\"}",
        "  cs run ./hello --manifest hello.json --watch"})
final class RunCommand extends CliCommand {

  static final String FUNCTION = "local";

  @Parameters(paramLabel = "DIR", description = "Directory holding the function's files")
  Path dir;

  @Option(names = "--manifest", paramLabel = "FILE", description = "Manifest (JSON); default: the platform's")
  Path manifest;

  @ArgGroup(exclusive = true)
  RequestSource request = new RequestSource();

  @Option(names = "--watch", description = "Run again whenever a file under DIR changes (until interrupted)")
  boolean watch;

  /** Either a request file or request options, not both. */
  static final class RequestSource {
    @Option(names = "--event", paramLabel = "FILE",
        description = "The request as JSON: {\"method\", \"path\", \"headers\": {..}, \"body\": \"..\"}")
    Path event;

    @ArgGroup(exclusive = false)
    RequestOptions options = new RequestOptions();
  }

  static final class RequestOptions {
    @Option(names = "--method", paramLabel = "M", description = "HTTP method (default: POST with --data, else GET)")
    String method;

    @Option(names = "--path", paramLabel = "PATH", description = "Path and query after the ref (default /)")
    String path;

    @Option(names = "--header", paramLabel = "K:V", description = "A request header (repeatable)")
    List<String> headers;

    @Option(names = "--data", paramLabel = "BODY|@FILE", description = "Request body, or @FILE to read it")
    String data;
  }

  @Override
  protected int execute() throws CliException {
    LocalRequest local = localRequest();
    QuietLogs.apply();
    JsonObject files = BundleFiles.read(dir);
    JsonObject manifestJson = manifest == null ? null : ManifestFile.read(manifest);
    try (DirectoryWatch changes = watch ? DirectoryWatch.open(dir) : null;
         LocalPlatform platform = LocalPlatform.start()) {
      int exit = runOnce(platform, files, manifestJson, local, true);
      if (changes == null) {
        return exit;
      }
      return changes.forEachChange(() -> {
        err().println("cs: " + dir + " changed; running again");
        err().flush();
        try {
          runOnce(platform, BundleFiles.read(dir), manifestJson, local, false);
        } catch (CliException e) {
          err().println("cs: " + e.getMessage());
        }
      });
    }
  }

  private int runOnce(LocalPlatform platform, JsonObject files, JsonObject manifestJson, LocalRequest local,
                      boolean create) throws CliException {
    JsonObject result;
    try {
      result = LocalRun.run(platform, FUNCTION, files, manifestJson, local, create);
    } catch (LocalRun.Refused refused) {
      // the bundle or manifest is refused exactly as a deployment would refuse it
      err().println(refused.getMessage());
      return CliException.USAGE;
    }
    out().println(result.encodePrettily());
    out().flush();
    return result.getInteger("status") < 400 ? 0 : CliException.FAILED;
  }

  /** The request to send, from --event or the request options. */
  record LocalRequest(String method, String path, byte[] body, Map<String, String> headers) {
  }

  private LocalRequest localRequest() throws CliException {
    if (request.event != null) {
      return fromEvent(request.event);
    }
    RequestOptions o = request.options == null ? new RequestOptions() : request.options;
    byte[] body = RequestBody.read(o.data, "--data");
    Map<String, String> headers = new LinkedHashMap<>();
    if (o.headers != null) {
      for (String header : o.headers) {
        int colon = header.indexOf(':');
        if (colon < 1) {
          throw CliException.usage("--header: expected NAME:VALUE, not " + header);
        }
        headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
      }
    }
    String method = o.method != null ? o.method : body != null ? "POST" : "GET";
    return new LocalRequest(method.toUpperCase(Locale.ROOT), path(o.path, "--path"), body, headers);
  }

  private static LocalRequest fromEvent(Path file) throws CliException {
    JsonObject event;
    try {
      event = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.usage("--event: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    } catch (DecodeException | ClassCastException e) {
      throw CliException.usage("--event: " + file + " is not a JSON object");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject given = event.getValue("headers") instanceof JsonObject h ? h : new JsonObject();
    given.forEach(e -> headers.put(e.getKey().toLowerCase(Locale.ROOT), String.valueOf(e.getValue())));
    Object rawBody = event.getValue("body");
    if (rawBody != null && !(rawBody instanceof String)) {
      throw CliException.usage("--event: body must be a string (the request body as text)");
    }
    byte[] body = rawBody == null ? null : ((String) rawBody).getBytes(StandardCharsets.UTF_8);
    String method = event.getValue("method") instanceof String m ? m : body != null ? "POST" : "GET";
    String path = event.getValue("path") instanceof String p ? p : null;
    return new LocalRequest(method.toUpperCase(Locale.ROOT), path(path, "--event path"), body, headers);
  }

  private static String path(String raw, String what) throws CliException {
    if (raw == null || raw.isEmpty()) {
      return "/";
    }
    if (!raw.startsWith("/") && !raw.startsWith("?")) {
      raw = "/" + raw;
    }
    if (raw.chars().anyMatch(c -> c <= ' ')) {
      throw CliException.usage(what + ": spaces and control characters must be percent-encoded: " + raw);
    }
    return raw;
  }
}
