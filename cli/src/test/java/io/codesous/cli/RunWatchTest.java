package io.codesous.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** {@code cs run --watch} runs again when a file changes, on the same KV as the runs before. */
class RunWatchTest {

  private static final String COUNTER = """
      export async function handler() {
        const n = Number((await cs.kv.get('runs/n')) ?? 0) + 1;
        await cs.kv.set('runs/n', String(n));
        return { statusCode: 200, body: '%s ' + n };
      }""";

  @TempDir
  Path work;

  @Test
  void aChangedFileRunsAgainAndSeesWhatTheEarlierRunStored() throws Exception {
    Path dir = Files.createDirectory(work.resolve("counter"));
    Files.writeString(dir.resolve("index.mjs"), COUNTER.formatted("first"));
    Path manifest = Files.writeString(work.resolve("counter.json"),
        "{\"capabilities\":{\"kv\":{\"read\":[\"runs/\"],\"write\":[\"runs/\"]}}}");
    BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    StringWriter err = new StringWriter();
    CommandLine cli = Cs.commandLine(new Cs(Map.of(), new ByteArrayInputStream(new byte[0])));
    cli.setOut(new PrintWriter(new BodyLines(bodies), true));
    cli.setErr(new PrintWriter(err, true));
    Thread watching = new Thread(() -> cli.execute("run", dir.toString(), "--manifest", manifest.toString(),
        "--watch"), "cs-run-watch");
    watching.start();
    try {
      assertEquals("first 1", next(bodies, err));
      Files.writeString(dir.resolve("index.mjs"), COUNTER.formatted("second"));
      assertEquals("second 2", next(bodies, err));
    } finally {
      watching.interrupt();
      watching.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  private static String next(BlockingQueue<String> bodies, StringWriter err) throws InterruptedException {
    String body = bodies.poll(120, TimeUnit.SECONDS);
    assertNotNull(body, "no run printed within 120 s; stderr: " + err);
    return body;
  }

  /** Keeps the {@code "body"} member of each printed result, as it is written. */
  private static final class BodyLines extends Writer {
    private static final String BODY = "\"body\" : \"";
    private final BlockingQueue<String> bodies;
    private final StringBuilder line = new StringBuilder();

    BodyLines(BlockingQueue<String> bodies) {
      this.bodies = bodies;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] != '\n') {
          line.append(buf[i]);
          continue;
        }
        String text = line.toString().strip();
        int at = text.indexOf(BODY);
        if (at >= 0) {
          bodies.add(text.substring(at + BODY.length(), text.lastIndexOf('"')));
        }
        line.setLength(0);
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  }
}
