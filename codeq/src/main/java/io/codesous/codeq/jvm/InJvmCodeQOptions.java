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

  /**
   * The share of the JVM's maximum heap one topic's messages may take by default ({@link
   * #getMaxRetainedBytesPerTopic()}): an eighth, 64 MB at the embedded server's default heap of 512 MB, about
   * 20,000 hello requests of a schedule or ten requests with 6 MB bodies. The count alone let a saturated embedded
   * server at that heap fill it with waiting requests until it failed with {@code OutOfMemoryError} (see
   * {@code HeapWeight}); only the invoke topic fills in practice, so a few topics full at once still leave most of
   * the heap to the rest.
   */
  public static final int DEFAULT_HEAP_SHARE_PER_TOPIC = 8;

  private int maxRetainedPerTopic = DEFAULT_MAX_RETAINED_PER_TOPIC;
  private int maxUnreadPerTopic = DEFAULT_MAX_UNREAD_PER_TOPIC;
  /** 0: the default share of the heap. */
  private long maxRetainedBytesPerTopic;

  public InJvmCodeQOptions() {
  }

  public InJvmCodeQOptions(InJvmCodeQOptions other) {
    this.maxRetainedPerTopic = other.maxRetainedPerTopic;
    this.maxUnreadPerTopic = other.maxUnreadPerTopic;
    this.maxRetainedBytesPerTopic = other.maxRetainedBytesPerTopic;
  }

  public InJvmCodeQOptions(JsonObject json) {
    setMaxRetainedPerTopic(json.getInteger("maxRetainedPerTopic", DEFAULT_MAX_RETAINED_PER_TOPIC));
    setMaxUnreadPerTopic(json.getInteger("maxUnreadPerTopic", DEFAULT_MAX_UNREAD_PER_TOPIC));
    setMaxRetainedBytesPerTopic(json.getLong("maxRetainedBytesPerTopic", 0L));
  }

  public JsonObject toJson() {
    return new JsonObject().put("maxRetainedPerTopic", maxRetainedPerTopic)
        .put("maxUnreadPerTopic", maxUnreadPerTopic).put("maxRetainedBytesPerTopic", maxRetainedBytesPerTopic);
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

  /**
   * About how many bytes of heap the messages one topic retains may take, waiting or unread (a message's bytes as
   * published, or what its publisher estimated for an object, {@link io.codesous.codeq.TypedMessage#heapBytes()}):
   * past it a publish to a topic some group reads is refused, and a topic no group reads drops its oldest. A message
   * larger than the whole bound is still taken by an empty topic, so none is refused for ever. By default an
   * {@link #DEFAULT_HEAP_SHARE_PER_TOPIC}th of the JVM's maximum heap.
   */
  public long getMaxRetainedBytesPerTopic() {
    return maxRetainedBytesPerTopic > 0 ? maxRetainedBytesPerTopic
        : Runtime.getRuntime().maxMemory() / DEFAULT_HEAP_SHARE_PER_TOPIC;
  }

  /** @param maxRetainedBytesPerTopic the bound in bytes, or 0 for the default share of the heap */
  public InJvmCodeQOptions setMaxRetainedBytesPerTopic(long maxRetainedBytesPerTopic) {
    if (maxRetainedBytesPerTopic < 0) {
      throw new IllegalArgumentException("maxRetainedBytesPerTopic must not be negative");
    }
    this.maxRetainedBytesPerTopic = maxRetainedBytesPerTopic;
    return this;
  }
}
