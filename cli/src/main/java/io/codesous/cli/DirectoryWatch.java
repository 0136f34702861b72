package io.codesous.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Calls back once per burst of changes under a directory (new folders are watched as they appear). An editor's save
 * is several events in a few milliseconds; they are gathered for {@link #SETTLE_MS} so one save is one run.
 */
final class DirectoryWatch implements AutoCloseable {

  static final long SETTLE_MS = 150;

  private final Path root;
  private final WatchService watcher;

  private DirectoryWatch(Path root, WatchService watcher) {
    this.root = root;
    this.watcher = watcher;
  }

  /**
   * Starts watching at once, so a change made while the first run still runs (an editor's save right after the
   * command started) is seen.
   */
  static DirectoryWatch open(Path root) throws CliException {
    try {
      WatchService watcher = FileSystems.getDefault().newWatchService();
      try {
        register(watcher, root);
      } catch (IOException e) {
        watcher.close();
        throw e;
      }
      return new DirectoryWatch(root, watcher);
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot watch " + root + ": " + e.getMessage(), e);
    }
  }

  /** Blocks until the thread is interrupted; returns 0 then. */
  int forEachChange(Runnable onChange) throws CliException {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WatchKey key = watcher.take();
        boolean newFolder = drain(key);
        WatchKey more;
        while ((more = watcher.poll(SETTLE_MS, TimeUnit.MILLISECONDS)) != null) {
          newFolder |= drain(more);
        }
        if (newFolder) {
          register(watcher, root);
        }
        onChange.run();
      }
      return 0;
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (IOException e) {
      throw new CliException(CliException.FAILED, "cannot watch " + root + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws CliException {
    try {
      watcher.close();
    } catch (IOException ignored) {
      // the process ends next, and its watches with it
    }
  }

  private static boolean drain(WatchKey key) {
    boolean created = key.pollEvents().stream().anyMatch(e -> e.kind() == StandardWatchEventKinds.ENTRY_CREATE);
    key.reset();
    return created;
  }

  private static void register(WatchService watcher, Path dir) throws IOException {
    try (Stream<Path> dirs = Files.walk(dir)) {
      for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
    }
  }
}
