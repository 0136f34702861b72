package io.codesous.spec.message;

/**
 * Every name a message travels under: the queue topics and the event-bus reply routes. The table in
 * {@code spec/messages.md} lists the same names; a name is spelled here and nowhere else.
 */
public final class Topics {

  /** InvocationRequests ({@code cs.invoke.v1}), keyed by activation id. */
  public static final String INVOKE = "cs.invoke";
  /** InvocationResults ({@code cs.results.v1}), keyed by activation id: the durable record of every result. */
  public static final String RESULTS = "cs.results";
  /** Published versions ({@code cs.versions.v1}), keyed by tenant/namespace/function: every invoker prepares them. */
  public static final String VERSIONS = "cs.versions";
  /** Stored drafts ({@code cs.drafts.v1}), keyed by tenant/namespace/function: every invoker parses them ahead. */
  public static final String DRAFTS = "cs.drafts";
  /**
   * Heartbeats of Cadence activities ({@code cs.cadence.heartbeat.v1}), keyed by activation id: what
   * {@code cs.cadence.heartbeat(details)} sends from the invoker to the poller that holds the task.
   */
  public static final String CADENCE_HEARTBEAT = "cs.cadence.heartbeat";
  /**
   * Requests to stop a running activation ({@code cs.cancel.v1}), keyed by activation id: every invoker reads them
   * and the one running the activation stops its sandbox.
   */
  public static final String CANCEL = "cs.cancel";
  /** Messages no consumer could understand, with the reason. */
  public static final String INVOKE_DEAD_LETTER = "cs.invoke.dlq";
  /** Audit events ({@code cs.audit.v1}), keyed by tenant, when the audit sink is the queue. */
  public static final String AUDIT = "cs.audit";
  /** Prefix of the topics functions publish to: {@code fn.<tenant>.<topic>}. */
  public static final String FUNCTION_PREFIX = "fn.";
  /**
   * Event-bus address (published to every process) where the control plane says that a Cadence binding changed,
   * as {@code tenant:namespace:name}, so pollers react at once rather than at their next refresh.
   */
  public static final String BINDINGS_CHANGED = "cs.bindings.changed";
  /** Prefix of the event-bus addresses results travel back on: {@code cs.reply.<reply_to>}. */
  public static final String REPLY_PREFIX = "cs.reply.";

  private Topics() {
  }

  /**
   * The queue topic a function of {@code tenant} publishes {@code topic} to. Tenant names contain no
   * {@code .}, so the tenant part is unambiguous, and no function topic can be a platform topic.
   */
  public static String function(String tenant, String topic) {
    return FUNCTION_PREFIX + tenant + "." + topic;
  }

  /**
   * Where the result of a request with {@code reply_to = replyTo} travels back to the caller that waits
   * for it: an event-bus address, point to point. In one JVM it is the local event bus; across JVMs the
   * clustered one carries it, so no waiting caller reads results that are not its own.
   */
  public static String reply(String replyTo) {
    return REPLY_PREFIX + replyTo;
  }
}
