package io.codesous.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code cs} command running on a thread of its own whose stdout is read line by line while it runs: what a
 * command prints before it ends (a followed log) can be seen before it ends.
 */
final class LiveOutput {

  /** Long enough for any step of a test on a loaded machine; a line that does not come by then fails the test. */
  private static final long LINE_WAIT_S = 60;

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringWriter err = new StringWriter();
  private final StringBuilder rest = new StringBuilder();
  private CompletableFuture<Integer> exit;

  private LiveOutput() {
  }

  static LiveOutput start(Map<String, String> env, String... args) {
    LiveOutput live = new LiveOutput();
    CommandLine cli = Cs.commandLine(new Cs(env, new ByteArrayInputStream(new byte[0])));
    cli.setOut(new PrintWriter(live.new Lines(), true));
    cli.setErr(new PrintWriter(live.err, true));
    live.exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
    return live;
  }

  /** The next line the command printed, waiting for it. */
  String nextLine() throws InterruptedException {
    String line = lines.poll(LINE_WAIT_S, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("no line within " + LINE_WAIT_S + " s; stderr: " + err);
    }
    return line;
  }

  /** Waits for the command to end: its exit code and whatever it printed that was not read. */
  CliRun end() throws Exception {
    int code = exit.get(LINE_WAIT_S, TimeUnit.SECONDS);
    StringBuilder unread = new StringBuilder();
    lines.forEach(l -> unread.append(l).append('\n'));
    return new CliRun(code, unread.toString() + rest, err.toString());
  }

  /** Hands each complete line to the queue as soon as it is written. */
  private final class Lines extends Writer {
    @Override
    public synchronized void write(char[] buf, int off, int len) {
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          lines.add(rest.toString());
          rest.setLength(0);
        } else {
          rest.append(buf[i]);
        }
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
