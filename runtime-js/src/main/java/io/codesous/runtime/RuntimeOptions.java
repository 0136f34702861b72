package io.codesous.runtime;

import java.util.Objects;

/** Settings of one {@link JsRuntime} (one shared GraalJS engine). */
public class RuntimeOptions {

  /** How many compiled module sources are kept (across bundles). */
  public static final int DEFAULT_SOURCE_CACHE_SIZE = 1024;
  /** How long after {@code close(true)} a stuck execution is given before it is abandoned. */
  public static final long DEFAULT_CANCEL_GRACE_MS = 2_000;
  /** How often the memory guard reads each running activation's allocation. */
  public static final long DEFAULT_MEMORY_SAMPLE_INTERVAL_MS = 2;
  /** Contexts kept ready per hot bundle; 0 creates every context on the request path. */
  public static final int DEFAULT_PREWARM_CONTEXTS = 2;
  /** Bundles (hot versions) that have contexts kept ready; the least recently used one loses them first. */
  public static final int DEFAULT_PREWARM_BUNDLES = 32;
  /** A bundle unused for this long loses its ready contexts. */
  public static final long DEFAULT_PREWARM_IDLE_MS = 60_000;
  /**
   * Whether ready contexts also evaluate their module ahead of the activation (see {@link ContextPool}); without
   * it they only parse it.
   */
  public static final boolean DEFAULT_PREPARE_MODULES = true;
  /** A warm context is retired after this many activations. */
  public static final int DEFAULT_WARM_MAX_USES = 1_000;
  /** A warm context unused for this long is closed. */
  public static final long DEFAULT_WARM_IDLE_MS = 60_000;
  /**
   * Idle warm contexts kept across all versions; past it the one idle longest is closed. 100 functions called at
   * random on one server were all warm with 256 places and 63% with 64 (bench/many-functions.sh); the heap bounds the
   * pool as well, since idle contexts make way while live data fills it.
   */
  public static final int DEFAULT_WARM_MAX_IDLE = 256;

  /**
   * Rounds of the runtime's warm-up function run by {@link JsRuntime#warmUp()}: none for a runtime made in code (a
   * test, a benchmark, a local run), which would only spend CPU on it; servers set their own (see the
   * {@code runtime.warmUpRounds} setting).
   */
  public static final int DEFAULT_WARM_UP_ROUNDS = 0;
  /** A bound, so that no configuration makes every start spend minutes of CPU on it. */
  public static final int MAX_WARM_UP_ROUNDS = 32;
  /**
   * How many nice levels below the platform's own threads the threads that run guest code are scheduled (see
   * {@link GuestThreads}); 0 leaves them equal. Equal by default: ten levels down made ticks of ten thousand
   * schedules a second on a saturated embedded server less late at p99 (128 ms to 81 after a minute of warm-up),
   * but on a server pinned to one core the requests' p99 latency rose (warm 21-30 ms to 34-42, strict 89-102 to
   * 152-272) and the first invoke after publish took about twice as long (215-407 ms to 451-597): a guest then
   * runs behind the compilers and the event loops, which take the core from it whenever they wake. The CPU per
   * warm request after a minute was about the same, per strict request lower (bench/README.md).
   */
  public static final int DEFAULT_GUEST_NICE = 0;
  /**
   * How many nice levels below the process's other threads the engine's compiler threads are scheduled where the
   * engine compiles guest code (see {@link CompilerThreads}); 0 leaves them equal. Ten: on the JIT launcher the
   * first invoke of a 1.27 MB bundle after its publish took 723-889 ms against 1,142-1,397 ms at 0; on a server
   * pinned to one core under a hello load the CPU per request after 20 s was 336-668 µs against 1,200-3,179, after
   * 60 s 274-348 against 207-727; a 1.27 MB bundle in warm isolation on two full cores reached its steady state
   * (p50 0.06 ms) after 100 s of load rather than 40 (the compiler finishes later when the cores are full).
   */
  public static final int DEFAULT_COMPILER_NICE = 10;

  private int sourceCacheSize = DEFAULT_SOURCE_CACHE_SIZE;
  private long cancelGraceMs = DEFAULT_CANCEL_GRACE_MS;
  private long memorySampleIntervalMs = DEFAULT_MEMORY_SAMPLE_INTERVAL_MS;
  private int prewarmContexts = DEFAULT_PREWARM_CONTEXTS;
  private int prewarmBundles = DEFAULT_PREWARM_BUNDLES;
  private long prewarmIdleMs = DEFAULT_PREWARM_IDLE_MS;
  private boolean prepareModules = DEFAULT_PREPARE_MODULES;
  private int warmMaxUses = DEFAULT_WARM_MAX_USES;
  private long warmIdleMs = DEFAULT_WARM_IDLE_MS;
  private int warmMaxIdle = DEFAULT_WARM_MAX_IDLE;
  private int warmUpRounds = DEFAULT_WARM_UP_ROUNDS;
  private int guestNice = DEFAULT_GUEST_NICE;
  private int compilerNice = DEFAULT_COMPILER_NICE;

  public int getSourceCacheSize() {
    return sourceCacheSize;
  }

  public RuntimeOptions setSourceCacheSize(int sourceCacheSize) {
    if (sourceCacheSize < 1) {
      throw new IllegalArgumentException("sourceCacheSize must be at least 1");
    }
    this.sourceCacheSize = sourceCacheSize;
    return this;
  }

  public long getCancelGraceMs() {
    return cancelGraceMs;
  }

  public RuntimeOptions setCancelGraceMs(long cancelGraceMs) {
    this.cancelGraceMs = cancelGraceMs;
    return this;
  }

  public long getMemorySampleIntervalMs() {
    return memorySampleIntervalMs;
  }

  public RuntimeOptions setMemorySampleIntervalMs(long memorySampleIntervalMs) {
    if (memorySampleIntervalMs < 1) {
      throw new IllegalArgumentException("memorySampleIntervalMs must be at least 1");
    }
    this.memorySampleIntervalMs = memorySampleIntervalMs;
    return this;
  }

  public int getPrewarmContexts() {
    return prewarmContexts;
  }

  /** Contexts created ahead of demand per hot bundle; 0 turns prewarming off. */
  public RuntimeOptions setPrewarmContexts(int prewarmContexts) {
    if (prewarmContexts < 0) {
      throw new IllegalArgumentException("prewarmContexts must not be negative");
    }
    this.prewarmContexts = prewarmContexts;
    return this;
  }

  public int getPrewarmBundles() {
    return prewarmBundles;
  }

  public RuntimeOptions setPrewarmBundles(int prewarmBundles) {
    if (prewarmBundles < 1) {
      throw new IllegalArgumentException("prewarmBundles must be at least 1");
    }
    this.prewarmBundles = prewarmBundles;
    return this;
  }

  public long getPrewarmIdleMs() {
    return prewarmIdleMs;
  }

  public RuntimeOptions setPrewarmIdleMs(long prewarmIdleMs) {
    if (prewarmIdleMs < 1) {
      throw new IllegalArgumentException("prewarmIdleMs must be at least 1");
    }
    this.prewarmIdleMs = prewarmIdleMs;
    return this;
  }

  public boolean isPrepareModules() {
    return prepareModules;
  }

  /** Whether contexts kept ready evaluate their module ahead of the activation; {@code false} only parses it. */
  public RuntimeOptions setPrepareModules(boolean prepareModules) {
    this.prepareModules = prepareModules;
    return this;
  }

  public int getWarmMaxUses() {
    return warmMaxUses;
  }

  public RuntimeOptions setWarmMaxUses(int warmMaxUses) {
    if (warmMaxUses < 1) {
      throw new IllegalArgumentException("warmMaxUses must be at least 1");
    }
    this.warmMaxUses = warmMaxUses;
    return this;
  }

  public long getWarmIdleMs() {
    return warmIdleMs;
  }

  public RuntimeOptions setWarmIdleMs(long warmIdleMs) {
    if (warmIdleMs < 1) {
      throw new IllegalArgumentException("warmIdleMs must be at least 1");
    }
    this.warmIdleMs = warmIdleMs;
    return this;
  }

  public int getWarmMaxIdle() {
    return warmMaxIdle;
  }

  public RuntimeOptions setWarmMaxIdle(int warmMaxIdle) {
    if (warmMaxIdle < 0) {
      throw new IllegalArgumentException("warmMaxIdle must not be negative");
    }
    this.warmMaxIdle = warmMaxIdle;
    return this;
  }

  public int getWarmUpRounds() {
    return warmUpRounds;
  }

  public RuntimeOptions setWarmUpRounds(int warmUpRounds) {
    if (warmUpRounds < 0 || warmUpRounds > MAX_WARM_UP_ROUNDS) {
      throw new IllegalArgumentException("warmUpRounds must be 0 to " + MAX_WARM_UP_ROUNDS);
    }
    this.warmUpRounds = warmUpRounds;
    return this;
  }

  public int getGuestNice() {
    return guestNice;
  }

  /** Nice levels below the platform's threads for the threads that run guest code, 0 to 19; 0 leaves them equal. */
  public RuntimeOptions setGuestNice(int guestNice) {
    if (guestNice < 0 || guestNice > GuestThreads.MAX_NICE) {
      throw new IllegalArgumentException("guestNice must be 0 to " + GuestThreads.MAX_NICE);
    }
    this.guestNice = guestNice;
    return this;
  }

  public int getCompilerNice() {
    return compilerNice;
  }

  /** Nice levels below the process's other threads for the engine's compiler threads, 0 to 19; 0 leaves them equal. */
  public RuntimeOptions setCompilerNice(int compilerNice) {
    if (compilerNice < 0 || compilerNice > GuestThreads.MAX_NICE) {
      throw new IllegalArgumentException("compilerNice must be 0 to " + GuestThreads.MAX_NICE);
    }
    this.compilerNice = compilerNice;
    return this;
  }

  @Override
  public String toString() {
    return "RuntimeOptions{sourceCacheSize=" + sourceCacheSize + ", cancelGraceMs=" + cancelGraceMs
        + ", memorySampleIntervalMs=" + memorySampleIntervalMs + ", prewarmContexts=" + prewarmContexts
        + ", prewarmBundles=" + prewarmBundles + ", prewarmIdleMs=" + prewarmIdleMs + ", prepareModules="
        + prepareModules + ", warmMaxUses=" + warmMaxUses
        + ", warmIdleMs=" + warmIdleMs + ", warmMaxIdle=" + warmMaxIdle + ", warmUpRounds=" + warmUpRounds
        + ", guestNice=" + guestNice + ", compilerNice=" + compilerNice + '}';
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RuntimeOptions r && r.sourceCacheSize == sourceCacheSize && r.cancelGraceMs == cancelGraceMs
        && r.memorySampleIntervalMs == memorySampleIntervalMs && r.prewarmContexts == prewarmContexts
        && r.prewarmBundles == prewarmBundles && r.prewarmIdleMs == prewarmIdleMs
        && r.prepareModules == prepareModules && r.warmMaxUses == warmMaxUses
        && r.warmIdleMs == warmIdleMs && r.warmMaxIdle == warmMaxIdle && r.warmUpRounds == warmUpRounds
        && r.guestNice == guestNice && r.compilerNice == compilerNice;
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceCacheSize, cancelGraceMs, memorySampleIntervalMs, prewarmContexts, prewarmBundles,
        prewarmIdleMs, prepareModules, warmMaxUses, warmIdleMs, warmMaxIdle, warmUpRounds, guestNice,
        compilerNice);
  }
}
