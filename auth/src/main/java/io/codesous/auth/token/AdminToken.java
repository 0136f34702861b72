package io.codesous.auth.token;

import java.nio.file.Path;
import java.time.Instant;

/**
 * An operator token written by {@link LocalSigningKey#writeAdminToken}.
 *
 * @param token the compact JWT (secret: never log it)
 * @param file where it was written, readable by its owner only
 * @param expiresAt when the token stops working
 */
public record AdminToken(String token, Path file, Instant expiresAt) {

  @Override
  public String toString() {
    return "AdminToken[file=" + file + ", expiresAt=" + expiresAt + "]";
  }
}
