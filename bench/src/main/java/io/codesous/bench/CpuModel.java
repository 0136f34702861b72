package io.codesous.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The processor's name for the report, where the operating system tells it (Linux). */
final class CpuModel {

  private CpuModel() {
  }

  static String name() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst().orElse("cpu model unknown");
    } catch (IOException | RuntimeException unavailable) {
      return "cpu model unknown";
    }
  }
}
