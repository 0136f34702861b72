package io.codesous.runtime;

import java.util.Map;

/**
 * Everything a context is prepared with before it meets an activation: contexts of one shape are interchangeable.
 *
 * @param bundleId    the bundle's content hash (its files are the context's file system)
 * @param entry       normalized path of the entry module inside the bundle, without the leading {@code /}
 * @param memoryBytes the memory budget, which sizes the single-allocation caps below
 * @param maxLogBytes the log cap, which bounds the messages handed to the host
 * @param webAssembly whether the context has the WebAssembly API ({@link EntryModule#webAssembly()})
 * @param env         the manifest's {@code env} values, which a context's {@code process.env} holds from its start, so
 *                    that a module's top level reads them as it would on Node.js
 */
record ContextShape(String bundleId, String entry, long memoryBytes, int maxLogBytes, boolean webAssembly,
                    Map<String, String> env) {

  /** Largest cap, so that every cap fits an {@code int}. */
  private static final long MAX_CAP = 1L << 30;
  /** Bytes assumed per element when the built-ins guarded in {@code cs-runtime.js} create one value per element. */
  private static final long BYTES_PER_ELEMENT = 128;
  private static final long MIN_ELEMENTS = 1L << 16;

  static ContextShape of(ExecutionRequest request, EntryModule entry) {
    return of(request.bundleId(), entry, request.limits(), request.env());
  }

  /** The shape of a context that runs no activation (a parse ahead): its {@code process.env} is empty. */
  static ContextShape of(String bundleId, EntryModule entry, ExecutionLimits limits) {
    return of(bundleId, entry, limits, Map.of());
  }

  private static ContextShape of(String bundleId, EntryModule entry, ExecutionLimits limits, Map<String, String> env) {
    return new ContextShape(bundleId, entry.name(), limits.memoryBytes(), limits.maxLogBytes(),
        entry.webAssembly() && WasmLimits.runsOnThisJvm(), env);
  }

  /**
   * The budget rounded down to a power of two (at most 1 GiB). The caps derive from it rather than from the budget
   * itself because contexts whose engine options differ cannot share parsed code: rounding keeps the number of
   * distinct option sets, and so of code copies, to a handful.
   */
  long allocationCap() {
    return Long.highestOneBit(Math.min(memoryBytes, MAX_CAP));
  }

  /** {@code js.max-typed-array-length}: the engine checks it against the byte length of every buffer. */
  int maxBufferBytes() {
    return (int) allocationCap();
  }

  /** {@code js.string-length-limit}, in UTF-16 units: a string of that length takes up to twice as many bytes. */
  int maxStringLength() {
    return (int) (allocationCap() / 2);
  }

  /** What a WebAssembly module may allocate: its memories up to the cap of a buffer, its tables as many elements. */
  WasmLimits wasmLimits() {
    return new WasmLimits(allocationCap(), maxElements());
  }

  /** Most elements a guarded built-in may walk. */
  long maxElements() {
    return Math.max(MIN_ELEMENTS, allocationCap() / BYTES_PER_ELEMENT);
  }
}
