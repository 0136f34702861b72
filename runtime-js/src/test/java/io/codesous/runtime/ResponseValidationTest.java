package io.codesous.runtime;

import static io.codesous.runtime.Results.assertRuntimeError;
import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResponseValidationTest {

  private static final ExecutionLimits SMALL_BODY = new ExecutionLimits(
      ExecutionLimits.DEFAULT_MAX_LOG_BYTES, ExecutionLimits.DEFAULT_MAX_LOG_LINES, 10, ExecutionLimits.DEFAULT_MEMORY_BYTES);

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static ExecutionResult respond(String expression) {
    return runtime.execute(TestRequest.handler("return " + expression + ";").limits(SMALL_BODY).build());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      'a string'                                         | the handler must return an object, got a string
      null                                               | the handler must return an object, got null
      undefined                                          | the handler must return an object, got undefined
      [200]                                              | the handler must return an object, got an array
      42                                                 | the handler must return an object, got the number 42
      () => ({statusCode: 200})                          | the handler must return an object, got a function
      {}                                                 | statusCode must be an integer 200..599, got undefined
      {statusCode: 99}                                   | statusCode must be an integer 200..599, got the number 99
      {statusCode: 600}                                  | statusCode must be an integer 200..599, got the number 600
      {statusCode: 1.5}                                  | statusCode must be an integer 200..599, got the number 1.5
      {statusCode: '200'}                                | statusCode must be an integer 200..599, got a string
      {statusCode: null}                                 | statusCode must be an integer 200..599, got null
      {statusCode: NaN}                                  | statusCode must be an integer 200..599
      {statusCode: 100}                                  | statusCode must be an integer 200..599, got the number 100
      {statusCode: 101}                                  | statusCode must be an integer 200..599, got the number 101
      {statusCode: 103}                                  | statusCode must be an integer 200..599, got the number 103
      {statusCode: 199}                                  | statusCode must be an integer 200..599, got the number 199
      {statusCode: 200, headers: 'x: y'}                 | headers must be an object, got a string
      {statusCode: 200, headers: ['x']}                  | headers must be an object, got an array
      {statusCode: 200, headers: {'x-n': 1}}             | headers["x-n"] must be a string, got the number 1
      {statusCode: 200, headers: {ok: 'v', 'x-o': {}}}   | headers["x-o"] must be a string, got an object
      {statusCode: 200, headers: {'x-u': undefined}}     | headers["x-u"] must be a string, got undefined
      {statusCode: 200, body: {}}                        | body must be a string, got an object
      {statusCode: 200, body: 12}                        | body must be a string, got the number 12
      {statusCode: 200, isBase64Encoded: 'yes'}          | isBase64Encoded must be a boolean, got a string
      {statusCode: 200, isBase64Encoded: 1}              | isBase64Encoded must be a boolean, got the number 1
      {statusCode: 200, body: '***', isBase64Encoded: true} | body is not valid base64
      """)
  void invalidResponseIsAnErrorNamingTheMember(String expression, String problem) {
    ExecutionResult result = respond("(" + expression + ")");

    assertRuntimeError(result, problem);
    assertTrue(result.errorMessage().startsWith("invalid response: "), result.errorMessage());
  }

  @Test
  void bodyOverTheLimitIsAnError() {
    ExecutionResult result = respond("{statusCode: 200, body: 'x'.repeat(11)}");

    assertEquals("invalid response: response body exceeds 10 bytes",
        assertRuntimeError(result, "response body exceeds 10 bytes").errorMessage());
  }

  @Test
  void bodyLimitCountsUtf8Bytes() {
    assertEquals("ééééé", assertSuccessBody(respond("{statusCode: 200, body: 'é'.repeat(5)}")));
    assertRuntimeError(respond("{statusCode: 200, body: 'é'.repeat(6)}"), "response body exceeds 10 bytes");
  }

  @Test
  void base64BodyLimitCountsDecodedBytes() {
    // 16 characters of base64, 10 decoded bytes: within the limit.
    String tenBytes = "MDEyMzQ1Njc4OQ==";
    // 16 characters of base64, 11 decoded bytes: over it.
    String elevenBytes = "MDEyMzQ1Njc4OTA=";

    ExecutionResult fits = respond("{statusCode: 200, body: '" + tenBytes + "', isBase64Encoded: true}");
    ExecutionResult tooBig = respond("{statusCode: 200, body: '" + elevenBytes + "', isBase64Encoded: true}");

    assertEquals("{\"statusCode\":200,\"headers\":{},\"body\":\"" + tenBytes + "\",\"isBase64Encoded\":true}",
        fits.responseJson());
    assertRuntimeError(tooBig, "response body exceeds 10 bytes");
  }

  @Test
  void headersOverTheCountAreAnErrorGivingLimitAndCount() {
    ExecutionLimits fewHeaders = ExecutionLimits.DEFAULTS.withResponseHeaderLimits(3, 1024);

    ExecutionResult four = runtime.execute(TestRequest.handler(
        "return {statusCode: 200, headers: {a: '1', b: '2', c: '3', d: '4'}};").limits(fewHeaders).build());
    ExecutionResult three = runtime.execute(TestRequest.handler(
        "return {statusCode: 200, headers: {a: '1', b: '2', c: '3'}};").limits(fewHeaders).build());

    assertEquals("invalid response: headers has 4 entries; at most 3 are allowed",
        assertRuntimeError(four, "at most 3").errorMessage());
    assertTrue(three.responseJson().contains("\"c\":\"3\""), three.responseJson());
  }

  @Test
  void headersOverTheTotalBytesAreAnErrorGivingLimitAndSize() {
    ExecutionLimits smallHeaders = ExecutionLimits.DEFAULTS.withResponseHeaderLimits(100, 20);

    // names and values in UTF-8: "ab" + "12345678" + "cd" + "é".repeat(4) = 2 + 8 + 2 + 8 = 20 bytes
    ExecutionResult fits = runtime.execute(TestRequest.handler(
        "return {statusCode: 200, headers: {ab: '12345678', cd: 'é'.repeat(4)}};").limits(smallHeaders).build());
    ExecutionResult over = runtime.execute(TestRequest.handler(
        "return {statusCode: 200, headers: {ab: '12345678', cd: 'é'.repeat(5)}};").limits(smallHeaders).build());

    assertTrue(fits.responseJson() != null && fits.responseJson().startsWith("{\"statusCode\":200,"),
        String.valueOf(fits.errorMessage()));
    assertEquals("invalid response: headers total at least 22 bytes; at most 20 are allowed",
        assertRuntimeError(over, "at most 20").errorMessage());
  }

  @Test
  void thousandsOfLargeHeadersAreRefusedByTheDefaultLimits() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const headers = {};
        for (let i = 0; i < 5000; i++) headers['x-h' + i] = 'v'.repeat(1024);
        return {statusCode: 200, headers};
        """).build());

    assertRuntimeError(result, "headers has 5000 entries; at most "
        + ExecutionLimits.DEFAULT_MAX_RESPONSE_HEADERS + " are allowed");
  }

  @Test
  void aFewLargeHeadersAreRefusedByTheDefaultByteLimit() {
    ExecutionResult result = runtime.execute(TestRequest.handler(
        "return {statusCode: 200, headers: {a: 'v'.repeat(1024 * 1024), b: 'w'.repeat(1024 * 1024)}};").build());

    assertRuntimeError(result, "; at most " + ExecutionLimits.DEFAULT_MAX_RESPONSE_HEADER_BYTES + " are allowed");
  }

  @Test
  void optionalMembersTakeTheirDefaults() {
    ExecutionResult minimal = respond("{statusCode: 204}");
    ExecutionResult nulls = respond("{statusCode: 204, headers: null, body: null, isBase64Encoded: undefined}");

    String expected = "{\"statusCode\":204,\"headers\":{},\"body\":\"\",\"isBase64Encoded\":false}";
    assertEquals(expected, minimal.responseJson());
    assertEquals(expected, nulls.responseJson());
  }

  @Test
  void integralDoubleStatusCodeIsAccepted() {
    ExecutionResult result = respond("{statusCode: 404.0}");

    assertTrue(result.responseJson().startsWith("{\"statusCode\":404,"), result.responseJson());
  }

  @Test
  void responseJsonEscapesEverythingTheGuestCanPutInAString() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        return {
          statusCode: 200,
          headers: {'x-"q"': 'a\\\\b', 'x-ctl': '\\u0001\\t'},
          body: 'line\\n"quoted" é 😀 \\u2028 lone \\ud800 end',
        };
        """).build());

    assertEquals("{\"statusCode\":200,\"headers\":{\"x-\\\"q\\\"\":\"a\\\\b\",\"x-ctl\":\"\\u0001\\t\"},"
        + "\"body\":\"line\\n\\\"quoted\\\" é 😀 \\u2028 lone \\ud800 end\",\"isBase64Encoded\":false}",
        result.responseJson());
  }

  @Test
  void headersKeepTheirOrderAndOnlyOwnEnumerableMembersCount() {
    ExecutionResult result = runtime.execute(TestRequest.handler("""
        const headers = Object.create({inherited: 'no'});
        headers.b = '2';
        headers.a = '1';
        Object.defineProperty(headers, 'hidden', {value: 3, enumerable: false});
        return {statusCode: 200, headers};
        """).build());

    assertEquals("{\"statusCode\":200,\"headers\":{\"b\":\"2\",\"a\":\"1\"},\"body\":\"\",\"isBase64Encoded\":false}",
        result.responseJson());
  }

  @Test
  void throwingGetterOnTheResponseIsAGuestError() {
    ExecutionResult result = respond("{get statusCode() { throw new Error('getter failed'); }}");

    assertEquals("Error: getter failed", assertRuntimeError(result, "getter failed").errorMessage());
  }
}
