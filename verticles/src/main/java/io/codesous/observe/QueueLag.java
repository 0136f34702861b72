package io.codesous.observe;

import io.codesous.codeq.CodeQ;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code cs_codeq_lag{topic,group}}: how many messages a consumer group has not acknowledged, sampled every
 * {@code periodMs} (on Kafka each sample is three admin requests, too many to make per scrape). A sample that fails
 * keeps the last value and sets {@code cs_codeq_lag_sample_failures_total}, so an alert on lag never reads a
 * broker outage as "no lag" without a second signal.
 */
public final class QueueLag {

  private static final Logger LOG = LoggerFactory.getLogger(QueueLag.class);

  private final Vertx vertx;
  private final CodeQ codeq;
  private final String topic;
  private final String group;
  private final AtomicLong lag = new AtomicLong();
  private final Counter failures;
  private long timer = -1;

  public QueueLag(Vertx vertx, CodeQ codeq, MeterRegistry registry, String topic, String group) {
    this.vertx = vertx;
    this.codeq = codeq;
    this.topic = topic;
    this.group = group;
    Gauge.builder("cs.codeq.lag", lag, AtomicLong::get)
        .description("Messages of the topic the consumer group has not acknowledged (sampled)")
        .tag("topic", topic).tag("group", group).register(registry);
    this.failures = Counter.builder("cs.codeq.lag.sample.failures")
        .description("Lag samples the queue did not answer")
        .tag("topic", topic).tag("group", group).register(registry);
  }

  /** Samples now and then every {@code periodMs}. */
  public QueueLag start(long periodMs) {
    sample();
    timer = vertx.setPeriodic(periodMs, id -> sample());
    return this;
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void sample() {
    codeq.lag(topic, group).onComplete(ar -> {
      if (ar.succeeded()) {
        lag.set(ar.result());
      } else {
        failures.increment();
        LOG.debug("lag of {} on {} not sampled: {}", group, topic, ar.cause().toString());
      }
    });
  }
}
