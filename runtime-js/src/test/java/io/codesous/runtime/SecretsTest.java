package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ctx.secrets}: the activation's own secrets, frozen, and nowhere else in the context. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecretsTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void theFunctionReadsItsSecretsByName() {
    ExecutionResult result = runtime.execute(TestRequest.handler(
            "return {statusCode: 200, body: ctx.secrets['db-password'] + '|' + ctx.secrets.token + '|'"
                + " + Object.keys(ctx.secrets).join(',')};")
        .secrets(ordered("db-password", "s3cr3t \"quoted\" \\ \u00e9\n", "token", "tok-123"))
        .build());
    assertEquals("s3cr3t \"quoted\" \\ \u00e9\n|tok-123|db-password,token", assertSuccessBody(result));
  }

  @Test
  void theSecretsAreFrozenAndHaveNoPrototype() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
            const s = ctx.secrets;
            const outcomes = [];
            const attempt = (what, change) => {
              try { change(); outcomes.push(what + ':allowed'); }
              catch (e) { outcomes.push(what + ':' + e.constructor.name); }
            };
            attempt('assign', () => { s.token = 'changed'; });
            attempt('add', () => { s.extra = 'x'; });
            attempt('delete', () => { delete s.token; });
            attempt('define', () => Object.defineProperty(s, 'token', {value: 'changed'}));
            attempt('prototype', () => Object.setPrototypeOf(s, {}));
            attempt('replace', () => { ctx.secrets = {token: 'changed'}; });
            const sloppy = new Function('s', 's.token = "changed"; s.extra = "x"; delete s.token; return s.token;');
            return {statusCode: 200, body: [
              outcomes.join(','),
              'sloppy:' + sloppy(s),
              'frozen:' + Object.isFrozen(s),
              'proto:' + Object.getPrototypeOf(s),
              'inherited:' + ('toString' in s) + ('hasOwnProperty' in s),
              'now:' + ctx.secrets.token + ':' + Object.keys(ctx.secrets).join(','),
            ].join('|')};
            """)
        .secrets(Map.of("token", "tok-123"))
        .build());
    assertEquals("assign:TypeError,add:TypeError,delete:TypeError,define:TypeError,prototype:TypeError,"
            + "replace:TypeError|sloppy:tok-123|frozen:true|proto:null|inherited:falsefalse|now:tok-123:token",
        assertSuccessBody(result));
  }

  @Test
  void withoutSecretsCtxSecretsIsAnEmptyFrozenObject() {
    String body = "return {statusCode: 200, body: [typeof ctx.secrets, ctx.secrets === null,"
        + " Object.keys(ctx.secrets).length, Object.isFrozen(ctx.secrets), String(Object.getPrototypeOf(ctx.secrets)),"
        + " Object.getOwnPropertyNames(ctx).includes('secrets')].join('|')};";
    String expected = "object|false|0|true|null|true";
    assertEquals(expected, assertSuccessBody(runtime.execute(TestRequest.handler(body).build())));
    assertEquals(expected, assertSuccessBody(runtime.execute(TestRequest.handler(body).secrets(Map.of()).build())));
  }

  @Test
  void theRequestKeepsTheSecretsOutOfItsStringForm() {
    ExecutionRequest request = TestRequest.handler("return {statusCode: 204};")
        .secrets(Map.of("token", "tok-very-secret"))
        .build();
    assertTrue(request.toString().contains("secrets=[token]"), request.toString());
    assertFalse(request.toString().contains("tok-very-secret"), request.toString());
  }

  @Test
  void theRequestCopiesItsSecretsAndRefusesNulls() {
    Map<String, String> mutable = new LinkedHashMap<>();
    mutable.put("token", "tok-123");
    ExecutionRequest request = TestRequest.handler("return {statusCode: 204};").build().withSecrets(mutable);
    mutable.put("other", "x");
    assertEquals(Map.of("token", "tok-123"), request.secrets());
    assertThrows(UnsupportedOperationException.class, () -> request.secrets().put("other", "x"));
    assertEquals(Map.of(), TestRequest.handler("return {statusCode: 204};").build().secrets());

    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("token", null);
    NullPointerException e = assertThrows(NullPointerException.class, () -> request.withSecrets(nullValue));
    assertTrue(e.getMessage().contains("token"), e.getMessage());
    assertThrows(NullPointerException.class, () -> request.withSecrets(null));
  }

  @Test
  void concurrentActivationsOfOneVersionSeeOnlyTheirOwnSecrets() throws Exception {
    // Both activations wait inside cs.kv.get until the other has reached it too, so they overlap for sure.
    Rendezvous rendezvous = new Rendezvous(2);
    String source = """
        export async function handler(event, ctx) {
          const before = ctx.secrets.token;
          await cs.kv.get('rendezvous');
          return {statusCode: 200, body: before + '|' + ctx.secrets.token + '|' + Object.keys(ctx.secrets).join(',')};
        }
        """;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<ExecutionResult> first = pool.submit(() -> runtime.execute(TestRequest.entry(source)
          .bundleId("secrets-concurrent").warm().bindings(rendezvous)
          .secrets(Map.of("token", "first-secret")).build()));
      Future<ExecutionResult> second = pool.submit(() -> runtime.execute(TestRequest.entry(source)
          .bundleId("secrets-concurrent").warm().bindings(rendezvous)
          .secrets(Map.of("token", "second-secret", "extra", "extra-secret")).build()));
      assertEquals("first-secret|first-secret|token", assertSuccessBody(first.get(1, TimeUnit.MINUTES)));
      String secondBody = assertSuccessBody(second.get(1, TimeUnit.MINUTES));
      assertTrue(List.of("second-secret|second-secret|token,extra", "second-secret|second-secret|extra,token")
          .contains(secondBody), secondBody);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWarmContextKeepsNoSecretForTheNextActivation() {
    // The first activation reads its secret, then the next one in the same context looks for it everywhere the
    // runtime could have left it: its own ctx, the globals, and the members of cs and console.
    String source = """
        export function handler(event, ctx) {
          globalThis.uses = (globalThis.uses ?? 0) + 1;
          if (event.read) {
            return {statusCode: 200, body: 'read ' + ctx.secrets.token.length};
          }
          const found = [];
          const look = (where, value) => {
            if (typeof value === 'string' && value.includes('warm-only-secret')) found.push(where);
          };
          for (const name of Reflect.ownKeys(globalThis)) {
            let value;
            try { value = globalThis[name]; } catch (e) { continue; }
            look(String(name), value);
            if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
              for (const member of Reflect.ownKeys(value)) {
                try { look(String(name) + '.' + String(member), value[member]); } catch (e) { /* getter */ }
              }
            }
          }
          for (const name of Reflect.ownKeys(ctx.secrets)) look('ctx.secrets.' + name, ctx.secrets[name]);
          return {statusCode: 200, body: globalThis.uses + '|' + Object.keys(ctx.secrets).join(',') + '|'
              + found.join(',')};
        }
        """;
    ExecutionResult read = runtime.execute(TestRequest.entry(source).bundleId("secrets-warm").warm()
        .event("{\"read\":true}").secrets(Map.of("token", "warm-only-secret")).build());
    assertEquals("read 16", assertSuccessBody(read));
    ExecutionResult next = runtime.execute(TestRequest.entry(source).bundleId("secrets-warm").warm()
        .secrets(Map.of("other", "other-value")).build());
    // Same context (its globals count two activations), only the new activation's secret, nothing found.
    assertEquals("2|other|", assertSuccessBody(next));
  }

  private static Map<String, String> ordered(String... namesAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return map;
  }

  /** Completes every {@code cs.kv.get} once {@code parties} of them have been made; refuses everything else. */
  private static final class Rendezvous implements HostBindings {

    private final CountDownLatch arrived;

    Rendezvous(int parties) {
      this.arrived = new CountDownLatch(parties);
    }

    @Override
    public CompletionStage<String> kvGet(String key) {
      arrived.countDown();
      return CompletableFuture.supplyAsync(() -> {
        try {
          if (!arrived.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other activation never arrived");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return "go";
      });
    }

    @Override
    public CompletionStage<Void> kvSet(String key, String value) {
      return NONE.kvSet(key, value);
    }

    @Override
    public CompletionStage<Boolean> kvDel(String key) {
      return NONE.kvDel(key);
    }

    @Override
    public CompletionStage<List<String>> kvList(String prefix) {
      return NONE.kvList(prefix);
    }

    @Override
    public CompletionStage<Void> codeqPublish(String topic, String message) {
      return NONE.codeqPublish(topic, message);
    }

    @Override
    public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
      return NONE.httpFetch(request);
    }

    @Override
    public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
      return NONE.cadenceHeartbeat(detailsJson);
    }
  }
}
