package io.codesous.store;

import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.secret.SecretBoxException;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stored secret: metadata and the sealed value.
 *
 * @param sealed the {@link SecretBox} envelope of the value
 */
record SecretRecord(String name, long version, long createdAtMs, long updatedAtMs, String sealed) {

  static SecretRecord sealed(SecretBox box, String tenant, String namespace, String name, String value, long version,
                             long createdAtMs, long updatedAtMs) {
    byte[] plaintext = value.getBytes(StandardCharsets.UTF_8);
    try {
      return new SecretRecord(name, version, createdAtMs, updatedAtMs, box.encrypt(tenant, namespace, name, plaintext));
    } catch (SecretBoxException e) {
      throw new CsException(ErrorCode.CS_INTERNAL, "secret " + name + " could not be sealed", null, e);
    } finally {
      Arrays.fill(plaintext, (byte) 0);
    }
  }

  static SecretRecord decode(String raw) {
    JsonObject json = new JsonObject(raw);
    return new SecretRecord(json.getString("name"), json.getLong("version"), json.getLong("created_at_ms"),
        json.getLong("updated_at_ms"), json.getString("sealed"));
  }

  String encode() {
    return metadata().put("sealed", sealed).encode();
  }

  /** What callers may see: everything but the sealed value. */
  JsonObject metadata() {
    return new JsonObject().put("name", name).put("version", version).put("created_at_ms", createdAtMs)
        .put("updated_at_ms", updatedAtMs);
  }

  /**
   * The value, opened for the secret the caller asked for by key: not for the name the record says, so a record
   * copied under another secret's key does not open there.
   */
  String open(SecretBox box, String tenant, String namespace, String requestedName) {
    try {
      byte[] plaintext = box.decrypt(tenant, namespace, requestedName, sealed);
      try {
        return new String(plaintext, StandardCharsets.UTF_8);
      } finally {
        Arrays.fill(plaintext, (byte) 0);
      }
    } catch (SecretBoxException e) {
      // The box's message is fixed and carries nothing of the value; the cause is left out all the same.
      throw new CsException(ErrorCode.CS_INTERNAL, "secret " + requestedName + " could not be decrypted");
    }
  }

  @Override
  public String toString() {
    return "SecretRecord[name=" + name + ", version=" + version + "]";
  }
}
