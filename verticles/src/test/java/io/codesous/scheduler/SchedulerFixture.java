package io.codesous.scheduler;

import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;


/** What the scheduler tests share: a function {@code report} whose alias {@code prod} names a version, and waiting. */
final class SchedulerFixture {

  private SchedulerFixture() {
  }

  /** Creates {@code report} in {@code tenant}'s {@code default} namespace and publishes a version as {@code prod}. */
  static void publishReport(FunctionStore functions, String tenant) throws Exception {
    functions.create(tenant, "default", "report").await(10, TimeUnit.SECONDS);
    String draft = functions.putDraft(tenant, "default", "report",
            BundleFiles.fromUpload(new JsonObject().put("index.mjs", "export const handler = () => 'ok';"),
                BundleFiles.DEFAULT_MAX_TOTAL_BYTES),
            Manifest.parse(null), Duration.ofMinutes(5))
        .await(10, TimeUnit.SECONDS).getString("draft_id");
    functions.publish(tenant, "default", "report", draft, "prod").await(10, TimeUnit.SECONDS);
  }

  /** Puts {@code count} schedules {@code s0}, {@code s1}, … of {@code report} every second, overlap allowed. */
  static void putEverySecond(ScheduleStore schedules, String tenant, int count) throws Exception {
    ScheduleSpec everySecond = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "1s").put("overlap", "allow"));
    List<Future<JsonObject>> puts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      puts.add(schedules.put(tenant, "default", "s" + i, everySecond, new JsonObject(), 1_000));
    }
    Future.all(puts).await(60, TimeUnit.SECONDS);
  }
}
