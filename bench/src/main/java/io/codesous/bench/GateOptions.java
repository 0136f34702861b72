package io.codesous.bench;

import java.nio.file.Path;

/**
 * The load gate's options: {@code --duration S} (60), {@code --rate R} HTTP invokes a second (50),
 * {@code --activities R} Cadence activities a second (5; 0 runs none), {@code --redis URI} (a database of the
 * gate's own, {@link GateDatabase#DEFAULT_REDIS}), {@code --alerts FILE} (deploy/prometheus/alerts.yml).
 */
record GateOptions(long durationS, int rate, int activities, String redis, Path alerts) {

  static GateOptions parse(String[] args) {
    long durationS = 60;
    int rate = 50;
    int activities = 5;
    String redis = GateDatabase.DEFAULT_REDIS;
    Path alerts = Path.of("deploy/prometheus/alerts.yml");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--duration" -> durationS = Long.parseLong(value);
        case "--rate" -> rate = Integer.parseInt(value);
        case "--activities" -> activities = Integer.parseInt(value);
        case "--redis" -> redis = value;
        case "--alerts" -> alerts = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    if (durationS < 1 || rate < 1 || activities < 0) {
      throw new IllegalArgumentException("--duration and --rate must be at least 1, --activities at least 0");
    }
    return new GateOptions(durationS, rate, activities, redis, alerts);
  }
}
