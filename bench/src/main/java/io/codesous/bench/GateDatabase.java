package io.codesous.bench;

import io.codesous.spec.kv.KvKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the load gate measures only itself. The scheduler walks one platform-wide registry of schedules and
 * the Cadence pollers one of bindings ({@code cs:$platform:schedules}, {@code cs:$platform:bindings}), whatever
 * tenant they belong to: schedules another run left in the same Redis database fire in the gate's platform and
 * add to its queue lag (a 60 s gate at 50/s once measured a lag of 1106 over the threshold of 1000 with the 1,000
 * schedules of a scheduler benchmark left behind). So the gate runs on a Redis database of its own, and before it
 * starts it removes what killed gate runs left there and refuses to run beside anything else.
 */
final class GateDatabase {

  /** The gate's database unless {@code --redis} names another: one no test or benchmark of the project uses. */
  static final String DEFAULT_REDIS = "redis://127.0.0.1:6379/14";
  static final String TENANT_PREFIX = "gate-";
  /** A gate run takes minutes; a gate tenant older than this belongs to a run that was killed. */
  private static final long ABANDONED_AFTER_MS = TimeUnit.HOURS.toMillis(1);
  /** The platform-wide registries the scheduler and the Cadence pollers walk, as {@code tenant:namespace:name}. */
  private static final List<String> REGISTRIES = List.of(KvKeys.scheduleRegistry(), KvKeys.bindingRegistry());

  private GateDatabase() {
  }

  /** A tenant of the gate's own, named by the time the run started ({@code gate-} and base-36 milliseconds). */
  static String newTenant() {
    return TENANT_PREFIX + Long.toString(System.currentTimeMillis(), 36);
  }

  /**
   * Removes the schedules, bindings and keys of abandoned gate tenants, then fails naming every registered
   * schedule or binding that is still not the gate's.
   */
  static void claim(SharedBackends backends, String redisUri) throws Exception {
    backends.removeRegisteredTenants(REGISTRIES, GateDatabase::abandoned);
    List<String> foreign = others(backends, null);
    if (!foreign.isEmpty()) {
      throw new IllegalStateException("the Redis database at " + redisUri + " holds schedules or bindings the gate"
          + " did not make (" + String.join(", ", foreign.subList(0, Math.min(5, foreign.size())))
          + (foreign.size() > 5 ? ", … " + foreign.size() + " in all" : "") + "): they would run in the gate's"
          + " platform and count in what it measures; give the gate a database of its own with --redis "
          + "redis://host:port/<db>");
    }
  }

  /**
   * The registered schedules and bindings that are not {@code tenant}'s ({@code null}: not of any gate run). Another
   * process may start using the database during a run (a test that picks a database at random, say): the gate
   * looks again while it runs, so a verdict on a shared database says so.
   */
  static List<String> others(SharedBackends backends, String tenant) throws Exception {
    List<String> others = new ArrayList<>();
    for (String registry : REGISTRIES) {
      for (String entry : backends.indexMembers(registry)) {
        String of = SharedBackends.tenantOf(entry);
        if (tenant == null ? !abandoned(of) : !tenant.equals(of)) {
          others.add(entry);
        }
      }
    }
    return others;
  }

  /** Looks for others' schedules and bindings once a second while the gate runs; what it saw at the most. */
  static final class Watch implements AutoCloseable {

    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "gate-database-watch");
      t.setDaemon(true);
      return t;
    });
    private volatile List<String> most = List.of();

    Watch(SharedBackends backends, String tenant) {
      sampler.scheduleWithFixedDelay(() -> {
        try {
          List<String> seen = others(backends, tenant);
          if (seen.size() > most.size()) {
            most = seen;
          }
        } catch (Exception e) {
          // a look that failed saw nothing; the next one looks again
        }
      }, 0, 1, TimeUnit.SECONDS);
    }

    /** The row: none of others' schedules or bindings may share the run. */
    void addTo(GateTable table) {
      List<String> seen = most;
      table.row("others' schedules and bindings in the gate's database", seen.size()
          + (seen.isEmpty() ? "" : " (" + seen.get(0) + ", …)"), "0", seen.isEmpty());
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }

  private static boolean abandoned(String tenant) {
    if (!tenant.startsWith(TENANT_PREFIX)) {
      return false;
    }
    try {
      long startedMs = Long.parseLong(tenant.substring(TENANT_PREFIX.length()), 36);
      return System.currentTimeMillis() - startedMs > ABANDONED_AFTER_MS;
    } catch (NumberFormatException notAGateRun) {
      return false;
    }
  }
}
