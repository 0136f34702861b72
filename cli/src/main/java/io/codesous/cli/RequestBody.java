package io.codesous.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A {@code --data} value: the text itself, or with a leading {@code @} the contents of that file. */
final class RequestBody {

  private RequestBody() {
  }

  static byte[] read(String data, String option) throws CliException {
    if (data == null) {
      return null;
    }
    if (!data.startsWith("@")) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    Path file = Path.of(data.substring(1));
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw CliException.usage(option + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }
}
