package io.codesous.auth.token;

import static io.codesous.auth.token.TestKeys.EC;
import static io.codesous.auth.token.TestKeys.sign;
import static io.codesous.auth.token.TestKeys.validClaims;
import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Remembered acceptances: bounded, never past the token's expiry or the time to live, exact text only. */
class AcceptedTokensTest {

  static final Principal AGENT = new Principal("agent-7", "acme", Set.of("developer"), PrincipalKind.USER, null);
  final AtomicLong clock = new AtomicLong(1_000_000);

  @Test
  void aTokenIsRememberedUntilItsExpiryOrTheTimeToLiveWhicheverIsSooner() {
    AcceptedTokens tokens = new AcceptedTokens(10, 60_000, clock::get);
    tokens.put("expires-soon", AGENT, clock.get() + 5_000);
    tokens.put("expires-late", AGENT, clock.get() + 3_600_000);
    clock.addAndGet(4_999);
    assertEquals(AGENT, tokens.get("expires-soon"));
    clock.addAndGet(1);
    assertNull(tokens.get("expires-soon"), "not past its expiry");
    assertEquals(AGENT, tokens.get("expires-late"));
    clock.addAndGet(55_000);
    assertNull(tokens.get("expires-late"), "checked again once the time to live is over");
  }

  @Test
  void theLeastRecentlyUsedTokenGoesFirst() {
    AcceptedTokens tokens = new AcceptedTokens(2, 60_000, clock::get);
    tokens.put("a", AGENT, Long.MAX_VALUE);
    tokens.put("b", AGENT, Long.MAX_VALUE);
    tokens.get("a");
    tokens.put("c", AGENT, Long.MAX_VALUE);
    assertEquals(2, tokens.size());
    assertNull(tokens.get("b"));
    assertEquals(AGENT, tokens.get("a"));
    assertEquals(AGENT, tokens.get("c"));
  }

  @Test
  void sizeZeroRemembersNothing() {
    AcceptedTokens tokens = new AcceptedTokens(0, 60_000, clock::get);
    tokens.put("a", AGENT, Long.MAX_VALUE);
    assertNull(tokens.get("a"));
  }

  @Test
  void theVerifierStillRefusesARememberedTokenOnceItExpiredAndChecksAnyOtherTextInFull() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TokenVerifier verifier = TokenVerifier.create(vertx, TestKeys.options(EC).setClockSkewSeconds(0));
      String token = sign(EC, validClaims().expirationTime(Date.from(Instant.now().plusMillis(1_500))).build());
      assertEquals("agent-7", await(verifier.verify(token)).subject());
      assertEquals("agent-7", await(verifier.verify(token)).subject(), "remembered");

      // a character in the middle of the signature: all six of its bits count
      int at = token.lastIndexOf('.') + 20;
      String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
      assertInstanceOf(io.codesous.auth.AuthenticationException.class, awaitFailure(verifier.verify(tampered)));

      Thread.sleep(2_100);
      assertInstanceOf(io.codesous.auth.AuthenticationException.class, awaitFailure(verifier.verify(token)),
          "an expired token is refused even though it was accepted before");
    } finally {
      await(vertx.close());
    }
  }
}
