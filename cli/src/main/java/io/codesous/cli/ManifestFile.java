package io.codesous.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code --manifest FILE}: a JSON object, read whole; a bad one is a usage error naming the file. */
final class ManifestFile {

  private ManifestFile() {
  }

  static JsonObject read(Path manifest) throws CliException {
    try {
      return new JsonObject(Files.readString(manifest, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.usage("--manifest: cannot read " + manifest + " (" + e.getClass().getSimpleName() + ")");
    } catch (DecodeException | ClassCastException e) {
      throw CliException.usage("--manifest: " + manifest + " is not a JSON object");
    }
  }
}
