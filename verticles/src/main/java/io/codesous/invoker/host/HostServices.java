package io.codesous.invoker.host;

import io.codesous.codeq.CodeQ;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressException;
import io.codesous.egress.EgressPolicy;
import io.codesous.egress.FetchRequest;
import io.codesous.egress.FetchResponse;
import io.codesous.kv.KvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.validation.KvPaths;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
  /** Functions' topics live apart from the platform's ({@code cs.*}) and from other tenants'. */
  static final String TOPIC_PREFIX = "fn.";

  private final KvStore kv;
  private final CodeQ codeq;
  private final EgressClient egress;

  public HostServices(KvStore kv, CodeQ codeq, EgressClient egress) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.egress = Objects.requireNonNull(egress, "egress");
  }

  private static CsException denied(String what) {
    return new CsException(ErrorCode.CS_CAPABILITY_DENIED, what);
  }

  private static void requireKey(String key) {
    String problem = KvPaths.problem(key);
    if (problem != null) {
      throw CsException.validation("key", problem);
    }
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

  /** Keys under {@code prefix} this version may read, in lexicographic order. */
  public Future<List<String>> kvList(String tenant, Capabilities caps, String prefix) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (prefix == null || !caps.mayList(prefix)) {
        throw denied("kv prefix '" + prefix + "' is outside the prefixes this version may read");
      }
      return kv.indexMembersWithPrefix(KvKeys.tenantDataIndex(tenant), prefix, MAX_LIST)
          .map(keys -> keys.stream().filter(caps::mayRead).toList());
    });
  }

  /** The physical topic of a function's topic: tenant-scoped, never a platform topic. */
  public static String topicFor(String tenant, String topic) {
    return TOPIC_PREFIX + tenant + "." + topic;
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

  public Future<FetchResponse> fetch(Capabilities caps, String url, String method, Map<String, String> headers,
                                     byte[] body) {
    return Future.<Void>succeededFuture().compose(v -> {
      if (caps.httpHosts().isEmpty()) {
        throw denied("this version may not make HTTP requests");
      }
      FetchRequest.Builder request = FetchRequest.builder(url).method(method == null ? "GET" : method);
      if (headers != null) {
        headers.forEach(request::header);
      }
      if (body != null) {
        request.body(body);
      }
      return egress.fetch(request.build(), EgressPolicy.allowing(caps.httpHosts()));
    }).recover(failure -> Future.failedFuture(failure instanceof EgressException e
        ? new CsException(ErrorCode.valueOf(e.code().name()), e.getMessage())
        : failure));
  }
}
