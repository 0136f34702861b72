package io.codesous.cli;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A local run starts no server: while a runner is open and has run a function, this process holds no listening TCP
 * socket it did not hold before. Read from Linux's socket tables: the listening sockets of the machine whose inode is
 * one of this process's file descriptors.
 */
@EnabledOnOs(OS.LINUX)
class LocalRunListensOnNoPortTest {

  @Test
  void aLocalRunOpensNoListeningSocket() throws Exception {
    Set<String> before = listeningSocketsOfThisProcess();
    Path dir = Files.createTempDirectory("cs-run-noport");
    Files.writeString(dir.resolve("index.mjs"), """
        export async function handler() {
          await cs.kv.set('runs/n', '1');
          return { statusCode: 200, body: await cs.kv.get('runs/n') };
        }""");
    JsonObject manifest = new JsonObject("{\"capabilities\":{\"kv\":{\"read\":[\"runs/\"],\"write\":[\"runs/\"]}}}");
    try (LocalPlatform local = LocalPlatform.start()) {
      JsonObject result = LocalRun.run(local, "noport", BundleFiles.read(dir), manifest,
          new RunCommand.LocalRequest("GET", "/", null, Map.of()), true);
      assertEquals(200, result.getInteger("status"), result.encodePrettily());
      assertEquals("1", result.getString("body"));

      Set<String> opened = listeningSocketsOfThisProcess();
      opened.removeAll(before);
      assertEquals(Set.of(), opened, "listening sockets opened by the local run (socket inodes)");
    }
  }

  /** Inodes of sockets in state LISTEN (0A) in /proc/net/tcp and tcp6 that are open in this process. */
  private static Set<String> listeningSocketsOfThisProcess() throws IOException {
    Set<String> listening = new HashSet<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path file = Path.of(table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length > 9 && fields[3].equals("0A")) {
          listening.add(fields[9]);
        }
      }
    }
    Set<String> mine = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      fds.forEach(fd -> {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            mine.add(target.substring("socket:[".length(), target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // a descriptor closed while listing is not a listening socket of this run
        }
      });
    }
    mine.retainAll(listening);
    return mine;
  }
}
