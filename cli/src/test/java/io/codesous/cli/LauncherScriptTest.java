package io.codesous.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options {@code bin/cs} gives a server: its own heap and collector, unless the operator's {@code CS_JAVA_OPTS}
 * choose them. Run against the repository's script in a distribution's layout ({@code bin/cs} beside {@code lib/}),
 * with a {@code java} that prints the command line it was given instead of starting anything.
 */
class LauncherScriptTest {

  @TempDir
  Path home;

  @Test
  void aServerGetsTheLaunchersHeapAndTheParallelCollectorByDefault() throws Exception {
    List<String> args = launch("");
    assertTrue(args.contains("-Xmx512m"), args.toString());
    assertTrue(args.contains("-XX:+UseParallelGC"), args.toString());
  }

  @Test
  void aCollectorChosenInTheOptionsIsTheOnlyOneOnTheCommandLine() throws Exception {
    // two collectors on one command line stop the JVM before it starts ("Multiple garbage collectors selected")
    for (String chosen : List.of("-XX:+UseG1GC", "-XX:+UseZGC", "-XX:+UseSerialGC", "-XX:+UseShenandoahGC")) {
      List<String> args = launch(chosen);
      assertTrue(args.contains(chosen), args.toString());
      assertFalse(args.contains("-XX:+UseParallelGC"), chosen + ": " + args);
      assertTrue(args.contains("-Xmx512m"), args.toString());
    }
  }

  @Test
  void aMaximumHeapInTheOptionsReplacesTheLaunchersOwn() throws Exception {
    List<String> args = launch("-Xmx1g");
    assertTrue(args.contains("-Xmx1g"), args.toString());
    assertFalse(args.contains("-Xmx512m"), args.toString());
    assertTrue(args.contains("-XX:+UseParallelGC"), args.toString());
  }

  /** Runs {@code bin/cs server} with {@code options} as {@code CS_JAVA_OPTS}; answers the arguments java got. */
  private List<String> launch(String options) throws Exception {
    Path script = Path.of("..", "bin", "cs").toAbsolutePath().normalize();
    Files.createDirectories(home.resolve("bin"));
    Files.createDirectories(home.resolve("lib"));
    Files.copy(script, home.resolve("bin/cs"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(home.resolve("lib/cs.jar"), "");
    Path jdk = home.resolve("jdk/bin");
    Files.createDirectories(jdk);
    Path java = Files.writeString(jdk.resolve("java"), "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder builder = new ProcessBuilder("bash", home.resolve("bin/cs").toString(), "server");
    builder.environment().put("JAVA_HOME", home.resolve("jdk").toString());
    builder.environment().put("CODESOUS_JIT", "0");
    builder.environment().put("CS_JAVA_OPTS", options);
    builder.environment().remove("CODESOUS_JAVA_OPTS");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/cs should end");
    assertEquals(0, process.exitValue(), out);
    return out.lines().toList();
  }
}
