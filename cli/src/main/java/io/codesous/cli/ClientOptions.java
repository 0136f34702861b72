package io.codesous.cli;

import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Where the server is and which credentials to send: the options every API command shares. */
final class ClientOptions {

  static final String ENV_URL = "CS_URL";
  static final String DEFAULT_URL = "http://127.0.0.1:8080";

  @Option(names = "--url", paramLabel = "URL",
      description = "Server base URL (default: $CS_URL, else " + DEFAULT_URL + ")")
  String url;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Bearer token (visible to other local users in the process list: prefer $CS_TOKEN "
          + "or --token-file)")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the token; used when neither --token nor $CS_TOKEN is set")
  Path tokenFile;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The server's data directory; its admin.token is the last resort for a token "
          + "(default: $CS_DATADIR, else ~/.code-sous)")
  String dataDir;

  /** A client for these options, as seen from {@code cs}. */
  ApiClient client(Cs cs) throws CliException {
    URI base = baseUri(cs);
    Optional<TokenSource.Token> credentials = TokenSource.resolve(token, cs.env(), tokenFile, cs.dataDir(dataDir));
    if (credentials.isPresent()) {
      TokenExpiry.requireUnexpired(credentials.get(), Instant.now());
    }
    return new ApiClient(base, credentials);
  }

  private URI baseUri(Cs cs) throws CliException {
    String what = url != null ? "--url" : ENV_URL;
    String raw = url != null ? url : cs.env().getOrDefault(ENV_URL, "");
    if (raw.isBlank()) {
      what = "default URL";
      raw = DEFAULT_URL;
    }
    raw = raw.strip();
    while (raw.endsWith("/")) {
      raw = raw.substring(0, raw.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(raw);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(what + ": not a URL: " + raw);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw CliException.usage(what + ": must be an http(s) URL like " + DEFAULT_URL + ", not " + raw);
    }
    return uri;
  }
}
