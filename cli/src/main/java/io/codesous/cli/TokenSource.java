package io.codesous.cli;

import io.codesous.auth.token.LocalSigningKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the bearer token a command sends: {@code --token}, then the {@code CS_TOKEN} environment
 * variable, then {@code --token-file}, then {@code <data-dir>/admin.token}.
 *
 * <p>The last step makes the common local case work with no setup: the embedded server writes an
 * operator token there on start. A missing {@code admin.token} is not an error (the request then
 * goes out without credentials and the server says so); a named {@code --token-file} that cannot be
 * read is, since the caller asked for it.
 */
final class TokenSource {

  static final String ENV_TOKEN = "CS_TOKEN";

  /** A token and where it came from, for messages (never the token itself). */
  record Token(String value, String origin) {
  }

  private TokenSource() {
  }

  /**
   * @param option    the {@code --token} value, or null
   * @param env       the environment
   * @param tokenFile the {@code --token-file} value, or null
   * @param dataDir   the data directory whose {@code admin.token} is the last resort
   * @return the token, or empty when no source holds one
   */
  static Optional<Token> resolve(String option, Map<String, String> env, Path tokenFile, Path dataDir)
      throws CliException {
    if (option != null) {
      return Optional.of(new Token(check(option, "--token"), "--token"));
    }
    String fromEnv = env.get(ENV_TOKEN);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new Token(check(fromEnv, ENV_TOKEN), ENV_TOKEN));
    }
    if (tokenFile != null) {
      return Optional.of(new Token(check(read(tokenFile, "--token-file"), "--token-file " + tokenFile),
          tokenFile.toString()));
    }
    Path admin = dataDir.resolve(LocalSigningKey.ADMIN_TOKEN_FILE);
    if (!Files.isRegularFile(admin)) {
      return Optional.empty();
    }
    return Optional.of(new Token(check(read(admin, admin.toString()), admin.toString()), admin.toString()));
  }

  private static String read(Path file, String what) throws CliException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw CliException.usage(what + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Trims the token and refuses characters that have no place in a header value. */
  private static String check(String raw, String what) throws CliException {
    String token = raw.strip();
    if (token.isEmpty()) {
      throw CliException.usage(what + ": the token is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw CliException.usage(what + ": the token holds whitespace or non-ASCII characters");
      }
    }
    return token;
  }
}
