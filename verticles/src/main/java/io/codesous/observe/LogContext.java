package io.codesous.observe;

import io.vertx.core.Context;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The ids a platform log line carries ({@code request_id}, {@code activation_id}, {@code tenant}, {@code function},
 * {@code trace_id}), kept in the local data of the Vert.x context that handles the request or the activation.
 *
 * <p>Only a duplicated context holds them: Vert.x runs each HTTP request on one, and the invoker runs each delivered
 * message on one ({@link #runIsolated}). Its callbacks, wherever a future completes, come back to it, so the ids follow
 * the request across asynchronous steps; an event loop's next task runs on another context and sees none of them,
 * which a thread-local would not guarantee.
 */
public final class LogContext {

  public static final String REQUEST_ID = "request_id";
  public static final String ACTIVATION_ID = "activation_id";
  public static final String TENANT = "tenant";
  public static final String FUNCTION = "function";
  public static final String TRACE_ID = "trace_id";

  /** The key of this class's map among the context's local data. */
  private static final Object KEY = LogContext.class;

  private LogContext() {
  }

  /** Sets {@code key} for the rest of the current request or activation; ignored outside a duplicated context. */
  public static void put(String key, String value) {
    if (value == null) {
      return;
    }
    ConcurrentMap<String, String> ids = ids(true);
    if (ids != null) {
      ids.put(key, value);
    }
  }

  /** What the current request or activation has set; empty outside one. */
  public static Map<String, String> current() {
    ConcurrentMap<String, String> ids = ids(false);
    return ids == null ? Map.of() : ids;
  }

  /**
   * Runs one unit of work started on {@code parent} (a delivered message) on a context of its own: the same event
   * loop, but local data of its own. On {@code parent}'s thread it runs at once, without a hop through the loop's
   * task queue.
   */
  public static void runIsolated(Context parent, Runnable work) {
    DuplicatedContexts.runOnDuplicate(parent, work);
  }

  @SuppressWarnings("unchecked")
  private static ConcurrentMap<String, String> ids(boolean create) {
    ConcurrentMap<Object, Object> data = DuplicatedContexts.currentLocalData();
    if (data == null) {
      return null;
    }
    Object ids = data.get(KEY);
    if (ids == null && create) {
      ids = data.computeIfAbsent(KEY, k -> new ConcurrentHashMap<String, String>());
    }
    return (ConcurrentMap<String, String>) ids;
  }
}
