package io.codesous.codeq.jvm;

import io.vertx.core.json.JsonObject;

/** Settings of the in-JVM queue. */
public class InJvmCodeQOptions {

  /**
   * Enough headroom for bursts of invocation requests while keeping a stalled consumer group from
   * exhausting the heap: past this, publishers get an error they can turn into a 503.
   */
  public static final int DEFAULT_MAX_RETAINED_PER_TOPIC = 100_000;

  private int maxRetainedPerTopic = DEFAULT_MAX_RETAINED_PER_TOPIC;

  public InJvmCodeQOptions() {
  }

  public InJvmCodeQOptions(InJvmCodeQOptions other) {
    this.maxRetainedPerTopic = other.maxRetainedPerTopic;
  }

  public InJvmCodeQOptions(JsonObject json) {
    setMaxRetainedPerTopic(json.getInteger("maxRetainedPerTopic", DEFAULT_MAX_RETAINED_PER_TOPIC));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxRetainedPerTopic", maxRetainedPerTopic);
  }

  /**
   * How many messages one topic may hold that some consumer group has not acknowledged yet
   * (waiting or in flight). Publishing to a full topic fails instead of dropping anything.
   */
  public int getMaxRetainedPerTopic() {
    return maxRetainedPerTopic;
  }

  public InJvmCodeQOptions setMaxRetainedPerTopic(int maxRetainedPerTopic) {
    if (maxRetainedPerTopic < 1) {
      throw new IllegalArgumentException("maxRetainedPerTopic must be at least 1");
    }
    this.maxRetainedPerTopic = maxRetainedPerTopic;
    return this;
  }
}
