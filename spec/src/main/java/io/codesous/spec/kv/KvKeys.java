package io.codesous.spec.kv;

import io.codesous.spec.validation.Names;

/**
 * Every KV key the platform uses, built in one place. Each key starts with {@code cs:{tenant}:}
 * so a tenant's state is one prefix, and every lookup carries the tenant. Segments are names or
 * ids that {@link Names} restricts to {@code [a-z0-9-]}, so ':' can only be a separator.
 * The schema is documented in {@code spec/kv-keys.md}.
 */
public final class KvKeys {

  private static final String ACCEPTED_REQUEST = "cs:$platform:accepted-request:";
  /** Milliseconds since the epoch have 13 digits until the year 2286; 16 leave room. */
  private static final int PUBLISHED_AT_DIGITS = 16;

  private KvKeys() {
  }

  private static String ns(String tenant, String namespace) {
    return "cs:" + tenant + ":" + namespace;
  }

  /** Sorted index of a namespace's function names, scored by creation time. */
  public static String functionIndex(String tenant, String namespace) {
    return ns(tenant, namespace) + ":fns";
  }

  public static String function(String tenant, String namespace, String function) {
    return ns(tenant, namespace) + ":fn:" + function;
  }

  public static String draft(String tenant, String namespace, String function, String draftId) {
    return function(tenant, namespace, function) + ":draft:" + draftId;
  }

  /** Outlives the draft so a late publish is told "expired" (410) rather than "unknown" (404). */
  public static String draftTombstone(String tenant, String namespace, String function, String draftId) {
    return draft(tenant, namespace, function, draftId) + ":seen";
  }

  /** Counter holding the highest version number allocated. */
  public static String versionSeq(String tenant, String namespace, String function) {
    return function(tenant, namespace, function) + ":ver:seq";
  }

  /** Version metadata; {@code version} may be a number, or a placeholder the store substitutes. */
  public static String versionMeta(String tenant, String namespace, String function, String version) {
    return function(tenant, namespace, function) + ":ver:" + version + ":meta";
  }

  public static String versionBundle(String tenant, String namespace, String function, String version) {
    return function(tenant, namespace, function) + ":ver:" + version + ":bundle";
  }

  public static String alias(String tenant, String namespace, String function, String alias) {
    return function(tenant, namespace, function) + ":alias:" + alias;
  }

  /**
   * The activation an {@code Idempotency-Key} of a function's web route stands for. The client's key is stored as its
   * SHA-256 (hex), so any printable key yields a key of fixed length and alphabet.
   */
  public static String idempotency(String tenant, String namespace, String function, String keySha256Hex) {
    return function(tenant, namespace, function) + ":idem:" + keySha256Hex;
  }

  /** Sorted index of a function's alias names. */
  public static String aliasIndex(String tenant, String namespace, String function) {
    return function(tenant, namespace, function) + ":aliases";
  }

  /**
   * A function's data key ({@code cs.kv}). The {@code $data} segment cannot be a namespace name
   * (names start with a letter), so no data key can land on platform state.
   */
  public static String tenantData(String tenant, String key) {
    return "cs:" + tenant + ":$data:" + key;
  }

  /** Sorted index (one score) of a tenant's data keys, for listing by prefix. */
  public static String tenantDataIndex(String tenant) {
    return "cs:" + tenant + ":$data-index";
  }

  /**
   * A namespace secret: its metadata and its value sealed by {@code SecretBox}. Kept apart from the function keys
   * because a secret belongs to the namespace, and any of its functions may be granted it.
   */
  public static String secret(String tenant, String namespace, String name) {
    return ns(tenant, namespace) + ":secret:" + name;
  }

  /** Sorted index (one score, so ordered by name) of a namespace's secret names. */
  public static String secretIndex(String tenant, String namespace) {
    return ns(tenant, namespace) + ":secrets";
  }

  public static String activation(String tenant, String namespace, String activationId) {
    return ns(tenant, namespace) + ":act:" + activationId;
  }

  public static String activationLogs(String tenant, String namespace, String activationId, int chunk) {
    return activation(tenant, namespace, activationId) + ":logs:" + chunk;
  }

  /**
   * One chunk of the log an attempt of a running activation has written so far, numbered from 0 in the order the
   * invoker wrote them: what a follower reads before the activation ends and its logs are stored whole.
   */
  public static String activationLiveLogs(String tenant, String namespace, String activationId, int attempt,
                                          int chunk) {
    return activation(tenant, namespace, activationId) + ":live:" + attempt + ":" + chunk;
  }

  /** Sorted index of a function's activation ids, scored by start time. */
  public static String activationIndex(String tenant, String namespace, String function) {
    return function(tenant, namespace, function) + ":acts";
  }

  /** A schedule: its validated spec and its live state (next tick, inflight runs, counters, recent ticks). */
  public static String schedule(String tenant, String namespace, String name) {
    return ns(tenant, namespace) + ":sched:" + name;
  }

  /** Sorted index (one score, so ordered by name) of a namespace's schedule names. */
  public static String scheduleIndex(String tenant, String namespace) {
    return ns(tenant, namespace) + ":scheds";
  }

  /**
   * The one platform-wide key: the index of every schedule as {@code tenant:namespace:name}, which the
   * scheduler walks. It holds pointers only, each naming its tenant; {@code $} cannot start a tenant name.
   */
  public static String scheduleRegistry() {
    return "cs:$platform:schedules";
  }

  /**
   * Platform-wide index of the schedules the control API changed since the leading scheduler last looked, as
   * {@code tenant:namespace:name}: how a leader that keeps its schedules in memory learns of a change made through
   * any process.
   */
  public static String scheduleChanges() {
    return "cs:$platform:schedule-changes";
  }

  /** The scheduler's leadership lease: which process fires ticks, with its epoch. */
  public static String schedulerLease() {
    return "cs:$platform:scheduler-lease";
  }
  /**
   * An invocation request the embedded server accepted onto its in-JVM queue and no invoker has finished yet: the
   * request as published, so a server that died with its queue can publish it again when it starts. One key per
   * request under {@link #acceptedRequestPrefix()}, its publication time first (zero-padded), so that the keys in
   * byte order are the requests oldest first and a start finds them with one walk of the prefix: no index to keep
   * beside them, whose writes cost an activation more than the request's own.
   */
  public static String acceptedRequest(String tenant, String namespace, long publishedAtMs, String activationId) {
    String time = Long.toString(Math.max(0, publishedAtMs));
    return ACCEPTED_REQUEST + "0".repeat(Math.max(0, PUBLISHED_AT_DIGITS - time.length())) + time + ":" + tenant
        + ":" + namespace + ":" + activationId;
  }

  /** What every {@link #acceptedRequest} key starts with. */
  public static String acceptedRequestPrefix() {
    return ACCEPTED_REQUEST;
  }

  /**
   * An accepted request as servers before {@link #acceptedRequest} wrote it, with {@link #legacyAcceptedRegistry()}:
   * read once at start and moved to the current layout.
   */
  public static String legacyAcceptedRequest(String tenant, String namespace, String activationId) {
    return ns(tenant, namespace) + ":accepted:" + activationId;
  }

  /** The index of {@link #legacyAcceptedRequest}s as {@code tenant:namespace:activation_id}, walked at start. */
  public static String legacyAcceptedRegistry() {
    return "cs:$platform:accepted";
  }

  /** A Cadence worker binding: its validated spec and when it last changed. */
  public static String binding(String tenant, String namespace, String name) {
    return ns(tenant, namespace) + ":binding:" + name;
  }

  /** Sorted index (one score, so ordered by name) of a namespace's binding names. */
  public static String bindingIndex(String tenant, String namespace) {
    return ns(tenant, namespace) + ":bindings";
  }

  /** Platform-wide index of every binding as {@code tenant:namespace:name}, which the Cadence pollers walk. */
  public static String bindingRegistry() {
    return "cs:$platform:bindings";
  }

  /**
   * A Cadence activity task a poller published and has not answered yet, by the SHA-256 of its task token: the
   * token itself, the activation id and when it was taken, so any poller can answer it after a restart. The
   * design note spells it {@code cs:cadence:{tenant}:...}; it is tenant-first here like every other key, so a
   * tenant named {@code cadence} cannot meet it.
   */
  public static String cadenceTask(String tenant, String namespace, String taskTokenHash) {
    return ns(tenant, namespace) + ":cadence:task:" + taskTokenHash;
  }

  /** The reverse entry of {@link #cadenceTask}: the token hash of the task an activation answers. */
  public static String cadenceActivation(String tenant, String namespace, String activationId) {
    return ns(tenant, namespace) + ":cadence:act:" + activationId;
  }
}
