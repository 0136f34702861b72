package io.codesous.codeq.jvm;

import io.vertx.core.json.JsonObject;

/** Settings of the in-JVM queue. */
public class InJvmCodeQOptions {

  /**
   * Enough headroom for bursts of invocation requests while keeping a stalled consumer group from
   * exhausting the heap: past this, publishers get an error they can turn into a 503.
   */
  public static final int DEFAULT_MAX_RETAINED_PER_TOPIC = 100_000;

  /**
   * A topic no consumer group reads keeps its newest thousand messages for a group that subscribes later. On an
   * embedded server without Cadence nobody reads {@code cs.results}: at the general limit it held the last 100,000
   * results of a busy server (about 100 MB of heap at 1,500 hellos a second) only to drop them one by one.
   */
  public static final int DEFAULT_MAX_UNREAD_PER_TOPIC = 1_000;

  private int maxRetainedPerTopic = DEFAULT_MAX_RETAINED_PER_TOPIC;
  private int maxUnreadPerTopic = DEFAULT_MAX_UNREAD_PER_TOPIC;

  public InJvmCodeQOptions() {
  }

  public InJvmCodeQOptions(InJvmCodeQOptions other) {
    this.maxRetainedPerTopic = other.maxRetainedPerTopic;
    this.maxUnreadPerTopic = other.maxUnreadPerTopic;
  }

  public InJvmCodeQOptions(JsonObject json) {
    setMaxRetainedPerTopic(json.getInteger("maxRetainedPerTopic", DEFAULT_MAX_RETAINED_PER_TOPIC));
    setMaxUnreadPerTopic(json.getInteger("maxUnreadPerTopic", DEFAULT_MAX_UNREAD_PER_TOPIC));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxRetainedPerTopic", maxRetainedPerTopic)
        .put("maxUnreadPerTopic", maxUnreadPerTopic);
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

  /**
   * How many messages a topic keeps while no consumer group reads it: the newest, for a group that subscribes
   * later (as a log keeps what its retention allows); past it the oldest makes room. Once a group reads the topic,
   * {@link #getMaxRetainedPerTopic()} bounds it instead.
   */
  public int getMaxUnreadPerTopic() {
    return maxUnreadPerTopic;
  }

  public InJvmCodeQOptions setMaxUnreadPerTopic(int maxUnreadPerTopic) {
    if (maxUnreadPerTopic < 1) {
      throw new IllegalArgumentException("maxUnreadPerTopic must be at least 1");
    }
    this.maxUnreadPerTopic = maxUnreadPerTopic;
    return this;
  }
}
