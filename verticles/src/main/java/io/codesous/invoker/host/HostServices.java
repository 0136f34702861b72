package io.codesous.invoker.host;

import io.codesous.codeq.CodeQ;
import io.codesous.spec.message.CadenceHeartbeat;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressException;
import io.codesous.egress.EgressPolicy;
import io.codesous.egress.FetchRequest;
import io.codesous.egress.FetchResponse;
import io.codesous.kv.KvStore;
import io.codesous.observe.EgressMeters;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.Topics;
import io.codesous.spec.validation.KvPaths;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The platform side of the capabilities a function may use: its tenant's data, its topics, the
 * hosts it may fetch from. Every call checks the version's grants first and works only inside the
 * tenant's own space; a refusal is a {@link CsException} with {@code CS_CAPABILITY_DENIED}.
 */
public final class HostServices {

  /** The largest value a function may store under one key. */
  public static final int MAX_VALUE_BYTES = 1024 * 1024;
  /** The most keys one list call returns. */
  public static final int MAX_LIST = 1000;

  private final KvStore kv;
  private final CodeQ codeq;
  private final EgressClient egress;
  private final boolean loopbackEgress;
  private final EgressMeters egressMeters;

  public HostServices(KvStore kv, CodeQ codeq, EgressClient egress) {
    this(kv, codeq, egress, false);
  }

  public HostServices(KvStore kv, CodeQ codeq, EgressClient egress, EgressMeters egressMeters) {
    this(kv, codeq, egress, false, egressMeters);
  }

  /**
   * @param loopbackEgress whether fetches may reach this machine's loopback addresses: for tests against local
   *                       servers and setups that say so explicitly; a manifest never grants it
   */
  public HostServices(KvStore kv, CodeQ codeq, EgressClient egress, boolean loopbackEgress) {
    this(kv, codeq, egress, loopbackEgress, EgressMeters.NONE);
  }

  public HostServices(KvStore kv, CodeQ codeq, EgressClient egress, boolean loopbackEgress,
                      EgressMeters egressMeters) {
    this.egressMeters = Objects.requireNonNull(egressMeters, "egressMeters");
    this.kv = Objects.requireNonNull(kv, "kv");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.egress = Objects.requireNonNull(egress, "egress");
    this.loopbackEgress = loopbackEgress;
  }

  private static CsException denied(String what) {
    return new CsException(ErrorCode.CS_CAPABILITY_DENIED, what);
  }

  /**
   * A key with a {@code .} or {@code ..} segment is a path stepping somewhere else ({@code orders/../billing}):
   * whatever it aims at, it is outside every grant, so it is refused as such. The message is about the key the
   * function gave, never about what it would have reached.
   */
  private static void requireKey(String key) {
    String problem = KvPaths.problem(key);
    if (problem == null) {
      return;
    }
    if (KvPaths.hasDotSegment(key)) {
      throw denied("kv key '" + key + "' has a '.' or '..' segment; such a key is outside every granted prefix");
    }
    throw CsException.validation("key", problem);
  }

  public Future<String> kvGet(String tenant, Capabilities caps, String key) {
    return Future.<Void>succeededFuture().compose(v -> {
      requireKey(key);
      if (!caps.mayRead(key)) {
        throw denied("kv key '" + key + "' is outside the prefixes this version may read");
      }
      return kv.get(KvKeys.tenantData(tenant, key));
    });
  }

  public Future<Void> kvSet(String tenant, Capabilities caps, String key, String value) {
    return Future.<Void>succeededFuture().compose(v -> {
      requireKey(key);
      if (!caps.mayWrite(key)) {
        throw denied("kv key '" + key + "' is outside the prefixes this version may write");
      }
      if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
        throw new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE, "kv values are at most " + MAX_VALUE_BYTES + " bytes");
      }
      // the index first: a key listed but not yet written reads as absent, never the reverse
      return kv.indexAdd(KvKeys.tenantDataIndex(tenant), key, 0)
          .compose(x -> kv.put(KvKeys.tenantData(tenant, key), value));
    });
  }

  public Future<Boolean> kvDel(String tenant, Capabilities caps, String key) {
    return Future.<Void>succeededFuture().compose(v -> {
      requireKey(key);
      if (!caps.mayWrite(key)) {
        throw denied("kv key '" + key + "' is outside the prefixes this version may write");
      }
      return kv.delete(KvKeys.tenantData(tenant, key))
          .compose(existed -> kv.indexRemove(KvKeys.tenantDataIndex(tenant), key).map(existed));
    });
  }

  /** The first {@link #MAX_LIST} keys under {@code prefix} this version may read, in lexicographic order. */
  public Future<List<String>> kvList(String tenant, Capabilities caps, String prefix) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (prefix == null || !caps.mayList(prefix)) {
        throw denied("kv prefix '" + prefix + "' is outside the prefixes this version may read");
      }
      String index = KvKeys.tenantDataIndex(tenant);
      List<Future<List<String>>> reads = new ArrayList<>();
      for (KvListing.Scan scan : KvListing.scans(caps.readPaths(), prefix)) {
        reads.add(scan.exact()
            ? kv.indexMembersWithPrefix(index, scan.prefix(), 1)
                .map(first -> first.contains(scan.prefix()) ? List.of(scan.prefix()) : List.<String>of())
            : kv.indexMembersWithPrefix(index, scan.prefix(), MAX_LIST));
      }
      // each scan holds its first MAX_LIST keys, so the first MAX_LIST of their union are the listing's
      return Future.all(reads).map(done -> {
        TreeSet<String> keys = new TreeSet<>();
        reads.forEach(read -> keys.addAll(read.result()));
        return keys.stream().filter(caps::mayRead).limit(MAX_LIST).toList();
      });
    });
  }

  /** The physical topic of a function's topic: tenant-scoped, never a platform topic. */
  public static String topicFor(String tenant, String topic) {
    return Topics.function(tenant, topic);
  }

  /**
   * Sends a Cadence activity's heartbeat to the poller that holds its task ({@link Topics#CADENCE_HEARTBEAT},
   * keyed by activation id, so one activation's heartbeats stay in order and reach one poller).
   */
  public Future<Void> cadenceHeartbeat(String tenant, String namespace, String activationId, String detailsJson) {
    return Future.<Void>succeededFuture().compose(v -> {
      byte[] details = detailsJson.getBytes(StandardCharsets.UTF_8);
      if (details.length > MAX_VALUE_BYTES) {
        throw new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE, "heartbeat details are at most " + MAX_VALUE_BYTES
            + " bytes");
      }
      return codeq.publish(Topics.CADENCE_HEARTBEAT, activationId,
          new CadenceHeartbeat(activationId, tenant, namespace, details, System.currentTimeMillis()).encode());
    });
  }

  public Future<Void> publish(String tenant, Capabilities caps, String topic, String message) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (topic == null || !caps.mayPublish(topic)) {
        throw denied("topic '" + topic + "' is not one this version may publish to");
      }
      if (message.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
        throw new CsException(ErrorCode.CS_PAYLOAD_TOO_LARGE, "messages are at most " + MAX_VALUE_BYTES + " bytes");
      }
      return codeq.publish(topicFor(tenant, topic), null, Buffer.buffer(message));
    });
  }

  /** A fetch with no deadline but the egress client's own, never cancelled. */
  public Future<FetchResponse> fetch(Capabilities caps, String url, String method, Map<String, String> headers,
                                     byte[] body) {
    return fetch(caps, url, method, headers, body, 0, Promise.<Void>promise().future());
  }

  /**
   * @param timeoutMs the longest the fetch may take, or 0 for none; it ends at this or the egress client's total
   *                  timeout, whichever comes first
   * @param cancelled completing it stops the fetch: the request is reset and its connection closed
   */
  public Future<FetchResponse> fetch(Capabilities caps, String url, String method, Map<String, String> headers,
                                     byte[] body, long timeoutMs, Future<?> cancelled) {
    Future<FetchResponse> fetched = Future.<Void>succeededFuture().compose(v -> {
      if (caps.httpHosts().isEmpty()) {
        throw denied("this version may not make HTTP requests");
      }
      FetchRequest.Builder request = FetchRequest.builder(url).method(method == null ? "GET" : method);
      if (headers != null) {
        headers.forEach(request::header);
      }
      // the runtime hands an empty body for "none"; an empty body on a GET would be refused as a body
      if (body != null && body.length > 0) {
        request.body(body);
      }
      request.timeoutMs(timeoutMs);
      EgressPolicy policy = EgressPolicy.allowing(caps.httpHosts());
      return egress.fetch(request.build(), loopbackEgress ? policy.withLoopbackAllowed() : policy, cancelled);
    }).andThen(ended -> egressMeters.ended(outcome(ended.succeeded() ? null : ended.cause())));
    return fetched.recover(failure -> Future.failedFuture(failure instanceof EgressException e
        ? new CsException(ErrorCode.valueOf(e.code().name()), e.getMessage())
        : failure));
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return EgressMeters.RESPONSE;
    }
    if (failure instanceof EgressException e) {
      return e.code().name();
    }
    return failure instanceof CsException cs && cs.code() == ErrorCode.CS_CAPABILITY_DENIED
        ? EgressMeters.DENIED : "error";
  }
}
