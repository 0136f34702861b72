package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sandbox's warm-up ({@link JsRuntime#warmUp()}): its function uses what it claims to, it runs in the background
 * for the rounds asked, it gives way to the first function, and it leaves nothing behind.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EngineWarmUpTest {

  private static WarmUpOutcome await(JsRuntime runtime) throws Exception {
    return runtime.warmUp().toCompletableFuture().get(150, TimeUnit.SECONDS);
  }

  @Test
  void theWarmUpFunctionParsesTheBundledLibraryAndUsesTheWebPlatformApis() {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      String body = assertSuccessBody(runtime.execute(new EngineWarmUp().request(3)));

      // the whatwg-url bundle, given as a module of its own, evaluated and used: /a/./b/../c is /a/c
      assertTrue(body.contains("\"/A/C\""), body);
      // URL and URLSearchParams: the query with locale=de appended, sorted, and the host
      assertTrue(body.contains("\"CUSTOMER=ADA&DAYS=5&LOCALE=DE\""), body);
      assertTrue(body.contains("\"API.EXAMPLE.COM\""), body);
      // through TextEncoder, TextDecoder (fatal), a Request's body and back
      assertTrue(body.contains("\"ÜNÏCØDÉ\""), body);
      assertTrue(body.contains("\"verified\":true"), "HMAC signed and verified with crypto.subtle: " + body);
      assertTrue(Pattern.compile("\"ids\":\\[\"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-").matcher(body).find(),
          "crypto.randomUUID: " + body);
      assertTrue(Pattern.compile("\"matched\":[1-9]").matcher(body).find(),
          "regular expressions were compiled and matched: " + body);
    }
  }

  @Test
  void aRuntimeRunsTheRoundsItWasAskedForInTheBackground() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmUpRounds(2))) {
      WarmUpOutcome outcome = await(runtime);

      assertTrue(outcome.complete(), String.valueOf(outcome));
      assertEquals(2, outcome.roundsRun());
      assertNull(outcome.stoppedBecause());
      // every round is a strict activation of a bundle of its own: no context is kept for it
      assertEquals(0, runtime.readyContexts());
      assertEquals(0, runtime.idleWarmContexts());
    }
  }

  @Test
  void theWarmUpStopsOnceAFunctionRunsCancellingTheRoundItIsIn() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmUpRounds(RuntimeOptions.MAX_WARM_UP_ROUNDS))) {
      var warming = runtime.warmUp();

      assertSuccessBody(runtime.execute(TestRequest.handler("return { statusCode: 200, body: 'mine' };").build()));
      WarmUpOutcome outcome = warming.toCompletableFuture().get(150, TimeUnit.SECONDS);

      assertFalse(outcome.complete());
      // the round running when the function arrived is cancelled; one that had not begun yet is not started
      assertTrue(outcome.roundsRun() <= 1, String.valueOf(outcome));
      assertEquals("a function's activation or preparation began", outcome.stoppedBecause());
    }
  }

  @Test
  void closingTheRuntimeEndsTheWarmUpItIsRunning() throws Exception {
    JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmUpRounds(RuntimeOptions.MAX_WARM_UP_ROUNDS));
    var warming = runtime.warmUp();

    runtime.close();
    WarmUpOutcome outcome = warming.toCompletableFuture().get(150, TimeUnit.SECONDS);

    assertFalse(outcome.complete());
    assertTrue(outcome.roundsRun() < RuntimeOptions.MAX_WARM_UP_ROUNDS, String.valueOf(outcome));
    assertEquals("the runtime closed", outcome.stoppedBecause());
  }

  @Test
  void initializingTheEngineIsNotAFunctionAndDoesNotStopTheWarmUp() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions().setWarmUpRounds(1))) {
      assertEquals(ExecutionStatus.SUCCESS, runtime.initialize().status());

      WarmUpOutcome outcome = await(runtime);

      assertTrue(outcome.complete(), String.valueOf(outcome));
      assertEquals(1, outcome.roundsRun());
    }
  }

  @Test
  void aRuntimeMadeInCodeDoesNoWarmUpUnlessAsked() throws Exception {
    try (JsRuntime runtime = new JsRuntime(new RuntimeOptions())) {
      WarmUpOutcome outcome = await(runtime);

      assertTrue(outcome.complete());
      assertEquals(0, outcome.roundsRun());
    }
  }

  @Test
  void roundsOutsideTheirRangeAreRefused() {
    RuntimeOptions options = new RuntimeOptions();
    var refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> options.setWarmUpRounds(RuntimeOptions.MAX_WARM_UP_ROUNDS + 1));
    assertEquals("warmUpRounds must be 0 to 32", refused.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> options.setWarmUpRounds(-1));
  }
}
