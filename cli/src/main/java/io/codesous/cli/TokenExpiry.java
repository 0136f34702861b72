package io.codesous.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads a token's own expiry before it is sent. The server answers every refused token with the same
 * {@code invalid token} (no oracle for a caller probing tokens), so the one who holds the token learns why here:
 * a JWT's {@code exp} is readable without its key. Nothing is verified; a token that is not a JWT, or has no
 * {@code exp}, goes out as it is and the server decides.
 */
final class TokenExpiry {

  private TokenExpiry() {
  }

  /** The {@code exp} claim of a JWT, or empty when the token is not a JWT carrying one. */
  static Optional<Instant> of(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.getValue("exp") instanceof Number exp
          ? Optional.of(Instant.ofEpochSecond(exp.longValue())) : Optional.empty();
    } catch (IllegalArgumentException | DecodeException notAJwt) {
      return Optional.empty();
    }
  }

  /**
   * @throws CliException ({@link CliException#DENIED}) when the token expired, saying when and where it came from
   */
  static void requireUnexpired(TokenSource.Token token, Instant now) throws CliException {
    Optional<Instant> expiry = of(token.value());
    if (expiry.isPresent() && !now.isBefore(expiry.get())) {
      throw new CliException(CliException.DENIED, "the token from " + token.origin() + " expired at "
          + expiry.get() + " (" + ago(Duration.between(expiry.get(), now)) + " ago); mint a new one with "
          + "cs token create, or use the server's admin.token");
    }
  }

  private static String ago(Duration d) {
    if (d.toDays() > 0) {
      return d.toDays() + " d";
    }
    if (d.toHours() > 0) {
      return d.toHours() + " h";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + " min";
    }
    return d.toSeconds() + " s";
  }
}
