package io.codesous.auth.audit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Appends audit events to a file, one JSON object per line. The file is opened in append mode ({@code O_APPEND}):
 * every line is written by one system call at the end of the file as it is at that moment, so several processes
 * that share a data directory can append to one file without overwriting each other's lines. Writes and the flush
 * run on the sink's own writer thread, in the order of the {@link #emit} calls; each {@link #emit} completes after its line is on the storage device, so an
 * acknowledged event survives a crash.
 *
 * <p>A new file is created readable by its owner only ({@code 600}) where the file system has POSIX permissions.
 */
public final class FileAuditSink implements AuditSink {

  private final Vertx vertx;
  private final Path file;
  private volatile FileChannel out;
  private volatile ExecutorService writer;

  public FileAuditSink(Vertx vertx, Path file) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.file = Objects.requireNonNull(file, "file");
  }

  public Path file() {
    return file;
  }

  @Override
  public Future<Void> start() {
    return vertx.executeBlocking(() -> {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      FileChannel channel = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
          : FileChannel.open(file, options);
      writer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "cs-audit-file");
        thread.setDaemon(true);
        return thread;
      });
      // published last: emit reads it first, so it never sees a channel without its writer
      out = channel;
      return null;
    });
  }

  @Override
  public Future<Void> emit(AuditEvent event) {
    Objects.requireNonNull(event, "event");
    FileChannel current = out;
    if (current == null) {
      return Future.failedFuture(new IllegalStateException("audit file " + file + " is not open"));
    }
    // JSON encoding escapes line breaks, so one event is always exactly one line
    byte[] line = (event.toJson().encode() + "\n").getBytes(StandardCharsets.UTF_8);
    ExecutorService thread = writer;
    Context caller = vertx.getOrCreateContext();
    Promise<Void> written = Promise.promise();
    try {
      thread.execute(() -> {
        try {
          ByteBuffer buffer = ByteBuffer.wrap(line);
          while (buffer.hasRemaining()) {
            current.write(buffer);
          }
          current.force(false);
          caller.runOnContext(v -> written.complete());
        } catch (IOException | RuntimeException e) {
          caller.runOnContext(v -> written.fail(e));
        }
      });
    } catch (RejectedExecutionException stopped) {
      return Future.failedFuture(new IllegalStateException("audit file " + file + " is not open"));
    }
    return written.future();
  }

  @Override
  public Future<Void> stop() {
    FileChannel current = out;
    ExecutorService thread = writer;
    out = null;
    writer = null;
    if (current == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      // lines already accepted are written before the file closes
      thread.shutdown();
      thread.awaitTermination(30, TimeUnit.SECONDS);
      current.close();
      return null;
    });
  }
}
