package io.codesous.runtime;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * Creates the sandboxed contexts functions run in, on whatever thread asks: a context may be prepared on one thread
 * and used on another, as long as one thread at a time uses it.
 *
 * <h2>Single allocations</h2>
 * The memory guard samples; one statement must not be able to exhaust the heap between two samples. Each context
 * therefore gets engine limits sized from its budget ({@link ContextShape#allocationCap()}): the byte length of
 * every ArrayBuffer, typed array, DataView and resizable buffer ({@code js.max-typed-array-length}, which the
 * engine checks on every path that allocates one: constructors, {@code slice}, {@code resize}, {@code from}) and the
 * length of every string ({@code js.string-length-limit}: {@code repeat}, concatenation, {@code join},
 * {@code JSON.stringify}, {@code padEnd}...). Past them the engine throws a {@code RangeError} ("Invalid string
 * length", "Array buffer allocation failed", "Invalid typed array length") that the function may catch; uncaught,
 * it ends the activation as an ERROR like any other throw. Everything below them counts towards the budget.
 */
final class ContextFactory {

  private static final String MODULE_MIME_TYPE = "application/javascript+module";

  private final Engine engine;
  private final GuestApi guestApi;
  /** Guards {@link #creating} and {@link #closed}. */
  private final Object gate = new Object();
  private int creating;
  private boolean closed;

  ContextFactory(Engine engine, GuestApi guestApi) {
    this.engine = engine;
    this.guestApi = guestApi;
  }

  static String moduleMimeType() {
    return MODULE_MIME_TYPE;
  }

  /**
   * A ready context: runtime script installed, no function code run.
   *
   * @param entryToParse when not {@code null}, the entry module is parsed (not evaluated) so that the shared engine
   *                     has its code before the first activation needs it; a syntax error is left for the
   *                     activation to report
   */
  GuestContext create(ContextShape shape, Map<String, byte[]> files, Source entryToParse) {
    synchronized (gate) {
      if (closed) {
        throw new IllegalStateException("the runtime is closed");
      }
      creating++;
    }
    try {
      return createOpen(shape, files, entryToParse);
    } finally {
      synchronized (gate) {
        creating--;
        gate.notifyAll();
      }
    }
  }

  /**
   * Refuses new contexts and waits, up to {@code timeoutMs}, for the ones being created. The engine must not be
   * closed while a context is being created: initializing a context takes the engine's lock, and closing the engine
   * holds that lock while it waits for every thread to leave its contexts, so the two would wait for each other.
   *
   * @return whether no context is being created any more
   */
  boolean closeAndAwaitCreations(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (gate) {
      closed = true;
      while (creating > 0) {
        long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remainingMs <= 0) {
          return false;
        }
        gate.wait(remainingMs);
      }
      return true;
    }
  }

  /**
   * Parses {@code source} in {@code context}, one parse of a source object at a time: the engine does not wait for a
   * parse of the same source in progress on another thread, it parses again and keeps one of the two. A module parsed
   * ahead of its version's publish ({@link JsRuntime#parseAhead}) is still being parsed when the publish prepares the
   * version's first context; waiting for it costs that context no more than parsing itself would, and the CPU once.
   * The lock is the source object, which the runtime shares through its source cache and nothing else locks.
   *
   * @return whether the source parsed
   */
  boolean parse(Context context, Source source) {
    synchronized (source) {
      try {
        context.parse(source);
        return true;
      } catch (PolyglotException e) {
        return false;
      }
    }
  }

  private GuestContext createOpen(ContextShape shape, Map<String, byte[]> files, Source entryToParse) {
    BundleFileSystem fileSystem = new BundleFileSystem(files);
    BundlePath entryPath = BundleFileSystem.pathOf(shape.entry());
    // The bundle is the only file system; the entry's directory is where its relative imports resolve,
    // because the entry is a cached literal source without a path of its own.
    Path directory = entryPath.getParent();
    Context context = (shape.webAssembly() ? SandboxBuilders.webAssemblyContext(engine, fileSystem, directory)
        : SandboxBuilders.context(engine, fileSystem, directory))
        // The two limits are experimental options; setting them is the host's choice, the guest cannot set any.
        .allowExperimentalOptions(true)
        .option("js.max-typed-array-length", Integer.toString(shape.maxBufferBytes()))
        .option("js.string-length-limit", Integer.toString(shape.maxStringLength()))
        .build();
    try {
      GuestBridge bridge = new GuestBridge();
      GuestApi.Bound api = guestApi.install(context, bridge, shape.maxLogBytes(), shape.maxElements(),
          shape.maxStringLength(), shape.webAssembly() ? shape.wasmLimits() : null, shape.env());
      if (entryToParse != null) {
        // a module that does not parse is evaluated by the activation, which reports the error as its outcome
        parse(context, entryToParse);
      }
      return new GuestContext(context, api, bridge, shape);
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }
}
