package io.codesous.store;

import io.vertx.core.json.JsonObject;

/**
 * A schedule's document as the leader steps it: the members a step never changes (tenant, namespace, name, spec,
 * principal, timeout, times), encoded once; the live state as fields ({@link LiveState}); the leader's epoch; and
 * the text the document was read as or last written as, which a compare-and-set compares. A step changes the state
 * and the epoch and writes {@link #encode}: the fixed members' text as it was, then the state and the epoch, so a
 * tick neither parses the document again nor encodes its fixed members again.
 *
 * <p>The text is JSON with the members of the stored document (spec/kv-keys.md); written here, {@code state} and
 * {@code leader_epoch} come last, whatever order the text it was read from had them in. Not thread-safe: a document
 * belongs to one lane, or to one change.
 */
public final class ScheduleDocument {

  private final LiveState.Owner owner;
  private final long timeoutMs;
  private final Long specTag;
  private final JsonObject spec;
  private final JsonObject principal;
  /** The fixed members, encoded, without the closing brace. */
  private final String head;
  private final LiveState state;
  private long leaderEpoch;
  private String text;

  private ScheduleDocument(ScheduleDocument of, LiveState state) {
    this.owner = of.owner;
    this.timeoutMs = of.timeoutMs;
    this.specTag = of.specTag;
    this.spec = of.spec;
    this.principal = of.principal;
    this.head = of.head;
    this.state = state;
    this.leaderEpoch = of.leaderEpoch;
    this.text = of.text;
  }

  private ScheduleDocument(JsonObject fixed, LiveState state, long leaderEpoch, String text) {
    this.owner = ScheduleState.owner(fixed);
    this.timeoutMs = fixed.getLong("timeout_ms", ScheduleState.DEFAULT_TIMEOUT_MS);
    this.specTag = fixed.getLong(ScheduleStore.SPEC_TAG);
    this.spec = fixed.getJsonObject("spec");
    this.principal = fixed.getJsonObject("principal", new JsonObject());
    String encoded = fixed.encode();
    this.head = encoded.substring(0, encoded.length() - 1);
    this.state = state;
    this.leaderEpoch = leaderEpoch;
    this.text = text;
  }

  /** The document stored as {@code text}. */
  public static ScheduleDocument parse(String text) {
    JsonObject doc = new JsonObject(text);
    Object state = doc.getValue("state");
    Object epoch = doc.getValue(ScheduleStore.LEADER_EPOCH);
    doc.remove("state");
    doc.remove(ScheduleStore.LEADER_EPOCH);
    return new ScheduleDocument(doc, state instanceof JsonObject json ? LiveState.of(json) : LiveState.empty(),
        epoch instanceof Number n ? n.longValue() : 0L, text);
  }

  /** A document to change: the same fixed members, shared, and a copy of the state. */
  public ScheduleDocument copy() {
    return new ScheduleDocument(this, state.copy());
  }

  /** This document with the state and epoch it holds now, as text. */
  public String encode() {
    // the text written last holds the same fixed members and a state of about the same length
    StringBuilder out = new StringBuilder(text.length() + 64);
    out.append(head).append(head.length() > 1 ? ",\"state\":" : "\"state\":");
    state.encode(out);
    return out.append(",\"" + ScheduleStore.LEADER_EPOCH + "\":").append(leaderEpoch).append('}').toString();
  }

  /** The document as a tree, for what reads it rarely (a takeover's republishing, the tests). */
  public JsonObject toJson() {
    return new JsonObject(encode());
  }

  /** The text the document was read as or last written as: what a compare-and-set expects to find. */
  public String text() {
    return text;
  }

  /** This document was stored as {@code written} (its own {@link #encode}). */
  void stored(String written) {
    this.text = written;
  }

  public LiveState state() {
    return state;
  }

  public LiveState.Owner owner() {
    return owner;
  }

  public long leaderEpoch() {
    return leaderEpoch;
  }

  public void leaderEpoch(long epoch) {
    this.leaderEpoch = epoch;
  }

  /** See {@link ScheduleState#markerMs}. */
  public long markerMs(long markerMarginMs) {
    return timeoutMs + markerMarginMs;
  }

  /** The spec's tag ({@link ScheduleStore#SPEC_TAG}); {@code null} for a document written before specs had one. */
  public Long specTag() {
    return specTag;
  }

  /** The stored spec; not to be changed. */
  public JsonObject spec() {
    return spec;
  }

  /** The principal that last wrote the schedule; not to be changed. */
  public JsonObject principal() {
    return principal;
  }

  /** About how many bytes of heap this document holds. */
  public long weight() {
    // the fixed members' text, the text, about as much again for the state and the parsed spec and principal
    return head.length() + 2L * text.length() + 512;
  }
}
