package io.codesous.auth.token;

import static io.codesous.auth.token.TestKeys.sign;
import static io.codesous.auth.token.TestKeys.validClaims;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens checked against a JWK set served by a loopback HTTP server. The clock that paces fetches
 * is stepped by hand, so rate limiting and cache expiry are tested without waiting.
 */
class JwksKeySourceTest {

  private static final RSAKey FIRST = TestKeys.RSA;
  private static final ECKey SECOND = TestKeys.ec("rotated-ec");
  private static final OctetKeyPair THIRD = TestKeys.ed25519("rotated-ed");

  private Vertx vertx;
  private HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private final AtomicReference<JsonObject> served = new AtomicReference<>();
  private final AtomicInteger failWithStatus = new AtomicInteger();
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  /** While set, requests are parked here instead of answered. */
  private final AtomicReference<List<Runnable>> heldResponses = new AtomicReference<>();
  private TokenVerifier verifier;

  @BeforeEach
  void startServer() {
    vertx = Vertx.vertx();
    served.set(TestKeys.publicJwks(FIRST));
    server = await(vertx.createHttpServer()
        .requestHandler(request -> {
          hits.incrementAndGet();
          int status = failWithStatus.get();
          if (status != 0) {
            request.response().setStatusCode(status).end("unavailable");
            return;
          }
          Context requestContext = Vertx.currentContext();
          Runnable answer = () -> requestContext.runOnContext(v ->
              request.response().putHeader("content-type", "application/jwk-set+json").end(served.get().encode()));
          List<Runnable> held = heldResponses.get();
          if (held != null) {
            held.add(answer);
          } else {
            answer.run();
          }
        })
        .listen(0, "127.0.0.1"));
    verifier = newVerifier(new TokenVerifierOptions());
  }

  @AfterEach
  void stop() {
    await(verifier.close());
    await(server.close());
    await(vertx.close());
  }

  private TokenVerifier newVerifier(TokenVerifierOptions base) {
    TokenVerifierOptions options = new TokenVerifierOptions(base)
        .setIssuer(TestKeys.ISSUER)
        .setAudience(TestKeys.AUDIENCE)
        .setJwksUrl("http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json");
    return TokenVerifier.create(vertx, options, clock::get);
  }

  private void advanceSeconds(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  private static String tokenFor(JWK key) {
    return sign(key, validClaims().build());
  }

  private Principal accepted(String token) {
    return await(verifier.verify(token));
  }

  private void assertRefused(String token) {
    Throwable failure = awaitFailure(verifier.verify(token));
    assertInstanceOf(AuthenticationException.class, failure);
    assertEquals(AuthenticationException.MESSAGE, failure.getMessage());
  }

  @Test
  void firstTokenFetchesAndLaterTokensUseTheCache() {
    accepted(tokenFor(FIRST));
    accepted(tokenFor(FIRST));
    accepted(tokenFor(FIRST));
    assertEquals(1, hits.get());
  }

  @Test
  void rotatedKeyIsPickedUpOnUnknownKidOncePerInterval() {
    accepted(tokenFor(FIRST));
    assertEquals(1, hits.get());

    served.set(TestKeys.publicJwks(FIRST, SECOND, THIRD));
    // the key set was fetched a moment ago: a refetch now would break the rate limit
    assertRefused(tokenFor(SECOND));
    assertEquals(1, hits.get());

    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS);
    assertEquals("agent-7", accepted(tokenFor(SECOND)).subject());
    assertEquals(2, hits.get());
    // the same fetch brought the third key
    accepted(tokenFor(THIRD));
    accepted(tokenFor(FIRST));
    assertEquals(2, hits.get());
  }

  @Test
  void unknownKidsCostAtMostOneFetchPerInterval() {
    accepted(tokenFor(FIRST));
    for (int i = 0; i < 25; i++) {
      assertRefused(sign(FIRST, JWSAlgorithm.RS256, "made-up-" + i, validClaims().build()));
    }
    assertEquals(1, hits.get());

    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS - 1);
    assertRefused(sign(FIRST, JWSAlgorithm.RS256, "made-up", validClaims().build()));
    assertEquals(1, hits.get());

    advanceSeconds(1);
    for (int i = 0; i < 25; i++) {
      assertRefused(sign(FIRST, JWSAlgorithm.RS256, "made-up-again-" + i, validClaims().build()));
    }
    assertEquals(2, hits.get());
  }

  @Test
  void concurrentUnknownKidsShareOneFetch() {
    accepted(tokenFor(FIRST));
    served.set(TestKeys.publicJwks(FIRST, SECOND));
    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS);
    String token = tokenFor(SECOND);
    List<Future<Principal>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(verifier.verify(token));
    }
    for (Future<Principal> each : all) {
      assertEquals("agent-7", await(each).subject());
    }
    assertEquals(2, hits.get());
  }

  @Test
  void expiredCacheIsRefetched() {
    accepted(tokenFor(FIRST));
    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_CACHE_TTL_SECONDS - 1);
    accepted(tokenFor(FIRST));
    assertEquals(1, hits.get());
    advanceSeconds(1);
    accepted(tokenFor(FIRST));
    assertEquals(2, hits.get());
  }

  @Test
  void removedKeyStopsWorkingAfterTheCacheExpires() {
    accepted(tokenFor(FIRST));
    served.set(TestKeys.publicJwks(SECOND));
    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_CACHE_TTL_SECONDS);
    assertRefused(tokenFor(FIRST));
    assertEquals(2, hits.get());
  }

  @Test
  void failedFetchKeepsTheCachedKeys() {
    accepted(tokenFor(FIRST));
    failWithStatus.set(503);
    advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_CACHE_TTL_SECONDS);
    accepted(tokenFor(FIRST));
    assertEquals(2, hits.get());
  }

  @Test
  void unreachableOrOversizedKeySetRefusesTokens() {
    failWithStatus.set(500);
    assertRefused(tokenFor(FIRST));
    assertEquals(1, hits.get());

    failWithStatus.set(0);
    TokenVerifier small = newVerifier(new TokenVerifierOptions().setJwksMaxBytes(64));
    try {
      Throwable failure = awaitFailure(small.verify(tokenFor(FIRST)));
      assertInstanceOf(AuthenticationException.class, failure);
      assertEquals(2, hits.get());
    } finally {
      small.close();
    }
  }

  @Test
  void aKeyServerThatNeverAnswersEndsInARefusalAndALaterFetchWorks() {
    List<Runnable> held = java.util.Collections.synchronizedList(new ArrayList<>());
    heldResponses.set(held);
    TokenVerifier impatient = newVerifier(new TokenVerifierOptions().setJwksFetchTimeoutMs(200));
    try {
      assertInstanceOf(AuthenticationException.class, awaitFailure(impatient.verify(tokenFor(FIRST))));
      heldResponses.set(null);
      advanceSeconds(TokenVerifierOptions.DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS);
      assertEquals("agent-7", await(impatient.verify(tokenFor(FIRST))).subject());
      assertEquals(2, hits.get());
    } finally {
      impatient.close();
    }
  }

  @Test
  void aVerifyJoiningAnotherContextsFetchCompletesOnItsOwnContext() throws Exception {
    List<Runnable> held = java.util.Collections.synchronizedList(new ArrayList<>());
    heldResponses.set(held);
    String token = tokenFor(FIRST);
    Context starter = vertx.getOrCreateContext();
    Context joiner = vertx.getOrCreateContext();
    Promise<Context> starterDone = Promise.promise();
    Promise<Context> joinerDone = Promise.promise();

    starter.runOnContext(v -> verifier.verify(token).onSuccess(p -> starterDone.complete(Vertx.currentContext())));
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (hits.get() == 0 && System.nanoTime() < giveUp) {
      Thread.sleep(5);
    }
    assertEquals(1, hits.get(), "the key server was never asked");
    // the fetch started by the other context is in flight; this verify joins it
    Promise<Void> joined = Promise.promise();
    joiner.runOnContext(v -> {
      verifier.verify(token).onSuccess(p -> joinerDone.complete(Vertx.currentContext()));
      joined.complete();
    });
    await(joined.future());
    heldResponses.set(null);
    held.forEach(Runnable::run);

    assertSame(starter, await(starterDone.future()));
    assertSame(joiner, await(joinerDone.future()));
    assertEquals(1, hits.get());
  }

  @Test
  void staticKeysAreUsedWithoutFetching() {
    TokenVerifier mixed = TokenVerifier.create(vertx, new TokenVerifierOptions(TestKeys.options(SECOND))
        .setJwksUrl("http://127.0.0.1:" + server.actualPort() + "/jwks"), clock::get);
    try {
      assertSame(Boolean.TRUE, await(mixed.verify(tokenFor(SECOND)).map(p -> true)));
      assertEquals(0, hits.get());
      await(mixed.verify(tokenFor(FIRST)));
      assertEquals(1, hits.get());
    } finally {
      mixed.close();
    }
  }
}
