package io.codesous.observe;

import java.time.Duration;

/** Histogram buckets shared by the latency meters: they resolve 1 ms to 60 s, as an alert on p99 needs. */
final class Buckets {

  static final Duration[] LATENCY = {
      ms(1), ms(2), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
      ms(1_000), ms(2_500), ms(5_000), ms(10_000), ms(30_000), ms(60_000)};

  private Buckets() {
  }

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }
}
