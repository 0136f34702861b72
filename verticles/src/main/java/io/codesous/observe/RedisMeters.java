package io.codesous.observe;

import io.codesous.kv.redis.CommandObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * {@code cs_redis_command_duration_seconds{command,outcome}}: each command the Redis KV store sent, from sending to
 * its reply. Commands and scripts are the store's own, a closed set.
 */
public final class RedisMeters implements CommandObserver {

  private final MeterCache<Timer> timers;

  public RedisMeters(MeterRegistry registry) {
    this.timers = new MeterCache<>((command, outcome) -> Timer.builder("cs.redis.command.duration")
        .description("Redis command latency, sending to reply")
        .tag("command", command).tag("outcome", outcome)
        .serviceLevelObjectives(Buckets.LATENCY).register(registry));
  }

  @Override
  public void completed(String command, long nanos, boolean succeeded) {
    timers.get(command, succeeded ? "ok" : "failed").record(nanos, TimeUnit.NANOSECONDS);
  }
}
