package io.codesous.gateway;

import io.codesous.http.JsonBodies;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorBody;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The HTTP answer to an invocation's result, computed without a connection: the function's own response when the
 * activation succeeded, else the platform's error body for how it ended. The gateway writes it to the caller, and
 * {@code cs run} prints it, so a local run answers exactly what a deployment answers.
 *
 * @param headers in the order they are written; a name appears more than once only as {@code set-cookie}
 */
public record WebAnswer(int status, List<Map.Entry<String, String>> headers, Buffer body) {

  public WebAnswer {
    headers = List.copyOf(headers);
  }

  /** The answer to {@code result}; the function's headers pass {@code rules}, an error body names {@code requestId}. */
  public static WebAnswer of(InvocationResult result, ResponseHeaderRules rules, String requestId) {
    if (result.status() == ActivationStatus.SUCCESS) {
      try {
        return response(result.response(), rules);
      } catch (IllegalArgumentException undecodable) {
        return error(new CsException(ErrorCode.CS_RUNTIME_EXCEPTION,
            "the function's response could not be decoded; read activation " + result.activationId(),
            new JsonObject().put("activation_id", result.activationId())), requestId);
      }
    }
    return error(new CsException(errorCode(result),
        "the function did not complete (" + result.status().wire() + "); read activation " + result.activationId(),
        new JsonObject().put("activation_id", result.activationId()).put("status", result.status().wire())),
        requestId);
  }

  /** The platform's error answer: the code's status and the JSON error body. */
  public static WebAnswer error(CsException failure, String requestId) {
    return new WebAnswer(failure.code().httpStatus(), List.of(Map.entry("content-type", "application/json")),
        JsonBodies.line(ErrorBody.encode(failure, requestId)));
  }

  /**
   * A validated function response ({@code {statusCode, headers, body, isBase64Encoded}}).
   *
   * @throws IllegalArgumentException when the status is not final or a base64 body does not decode
   */
  static WebAnswer response(JsonObject fnResponse, ResponseHeaderRules rules) {
    Integer status = fnResponse.getInteger("statusCode");
    // the sandbox and the results schema refuse a 1xx already; written as the answer, one would desynchronise the
    // caller's connection, so the last step before the wire does not rely on them
    if (status == null || status < 200 || status > 599) {
      throw new IllegalArgumentException("statusCode " + status + " is not a final status");
    }
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> header : rules.apply(fnResponse.getJsonObject("headers", new JsonObject()))) {
      // a function may send Set-Cookie and set-cookie: each is one cookie, both are kept; any other name is one
      // header, its last spelling wins, as a response's putHeader would have it
      if (!header.getKey().equalsIgnoreCase("set-cookie")) {
        headers.removeIf(earlier -> earlier.getKey().equalsIgnoreCase(header.getKey()));
      }
      headers.add(header);
    }
    String body = fnResponse.getString("body", "");
    Buffer bytes = fnResponse.getBoolean("isBase64Encoded", false)
        ? Buffer.buffer(Base64.getDecoder().decode(body))
        : Buffer.buffer(body, "UTF-8");
    return new WebAnswer(status, headers, bytes);
  }

  private static ErrorCode errorCode(InvocationResult result) {
    if (result.error() != null) {
      try {
        return ErrorCode.valueOf(result.error().getString("code"));
      } catch (IllegalArgumentException | NullPointerException unknown) {
        // fall through to the status's code
      }
    }
    return result.status().defaultError();
  }

  /** Writes the answer; a response whose head is already out is reset, as the router's failure handler does. */
  public void writeTo(HttpServerResponse response) {
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status);
    headers.forEach(header -> response.headers().add(header.getKey(), header.getValue()));
    response.end(body);
  }
}
