package io.codesous.codeq;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/** What to subscribe to, as whom, and with how many credits. */
public class SubscribeOptions {

  public static final int DEFAULT_MAX_IN_FLIGHT = 16;

  private String topic;
  private String group;
  private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;

  public SubscribeOptions() {
  }

  public SubscribeOptions(JsonObject json) {
    this.topic = json.getString("topic");
    this.group = json.getString("group");
    this.maxInFlight = json.getInteger("maxInFlight", DEFAULT_MAX_IN_FLIGHT);
  }

  public JsonObject toJson() {
    return new JsonObject().put("topic", topic).put("group", group).put("maxInFlight", maxInFlight);
  }

  public String getTopic() {
    return topic;
  }

  public SubscribeOptions setTopic(String topic) {
    this.topic = Objects.requireNonNull(topic, "topic");
    return this;
  }

  public String getGroup() {
    return group;
  }

  public SubscribeOptions setGroup(String group) {
    this.group = Objects.requireNonNull(group, "group");
    return this;
  }

  public int getMaxInFlight() {
    return maxInFlight;
  }

  public SubscribeOptions setMaxInFlight(int maxInFlight) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    this.maxInFlight = maxInFlight;
    return this;
  }
}
