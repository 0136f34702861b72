package io.codesous.deploy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Prometheus series names a platform's meters are exported under, as Micrometer's Prometheus
 * registry names them: dots become underscores, counters end in {@code _total}, timers are in
 * seconds with {@code _count}, {@code _sum} and {@code _max} (and {@code _bucket} when they keep a
 * histogram), summaries likewise without the unit.
 */
final class ExportedMetrics {

  private ExportedMetrics() {
  }

  static Set<String> of(MeterRegistry registry) {
    Set<String> names = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      String base = NamingConvention.snakeCase.name(meter.getId().getName(), meter.getId().getType());
      if (meter instanceof Counter || meter instanceof FunctionCounter) {
        names.add(base + "_total");
      } else if (meter instanceof Timer timer) {
        distribution(names, base + "_seconds", timer.takeSnapshot().histogramCounts().length > 0);
      } else if (meter instanceof FunctionTimer || meter instanceof LongTaskTimer) {
        distribution(names, base + "_seconds", false);
      } else if (meter instanceof DistributionSummary summary) {
        distribution(names, base, summary.takeSnapshot().histogramCounts().length > 0);
      } else {
        names.add(base);
      }
    }
    return names;
  }

  private static void distribution(Set<String> names, String base, boolean histogram) {
    // the bare name carries the published percentiles (quantile label)
    for (String suffix : List.of("", "_count", "_sum", "_max")) {
      names.add(base + suffix);
    }
    if (histogram) {
      names.add(base + "_bucket");
    }
  }
}
