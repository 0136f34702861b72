package io.codesous.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The guest half of the runtime ({@code cs-runtime.js}): installs {@code console}, {@code cs} and the guards on
 * built-ins in a fresh context and gives the host typed access to the helpers it returns.
 *
 * <p>The script's {@link Source} is built once per runtime, so the shared engine parses it once.
 */
final class GuestApi {

  private static final String SCRIPT = "cs-runtime.js";
  /**
   * The script's name in stack traces, which the script strips from the stacks it reports. Bundle paths cannot
   * contain {@code <} or {@code >}, so no function frame is ever mistaken for it.
   */
  private static final String SOURCE_NAME = "<cs-runtime>";

  /**
   * The Web platform APIs, evaluated in a context when its function first touches one (see cs-runtime.js); its
   * frames are the runtime's too.
   */
  private static final String WEB_SCRIPT = "cs-web.js";
  /** whatwg-url, bundled by {@code runtime-js/web/build.sh}; evaluated in a context on its first use of URL. */
  private static final String URL_SCRIPT = "web-url.js";
  /**
   * The larger Web platform APIs, each in a script of its own ({@code web-<part>.js}) that cs-web.js has evaluated
   * in a context only when its function first uses one of the part's globals, so touching TextEncoder does not
   * evaluate fetch's and crypto's code as well.
   */
  private static final List<String> WEB_PARTS = List.of("encoding", "clone", "fetch", "crypto", "console", "streams",
      "buffer", "urlpattern");

  /** Guards the engine's WebAssembly API, in the contexts that have it, before the runtime's script installs it. */
  private static final String WASM_SCRIPT = "web-wasm.js";

  private final Source source;
  private final Source webSource;
  private final Source wasmSource;
  private final Source urlSource;
  /** Evaluates the URL implementation in the context that calls it, from the source every context shares. */
  private final ProxyExecutable loadUrl;
  /** Evaluates a part of the Web platform APIs by name in the context that calls it; shared sources too. */
  private final ProxyExecutable loadWebPart;

  GuestApi() {
    this.source = Source.newBuilder("js", readScript(SCRIPT), SOURCE_NAME).buildLiteral();
    this.webSource = Source.newBuilder("js", readScript(WEB_SCRIPT), SOURCE_NAME + "web").buildLiteral();
    this.urlSource = Source.newBuilder("js", readScript(URL_SCRIPT), SOURCE_NAME + "url").buildLiteral();
    this.wasmSource = Source.newBuilder("js", readScript(WASM_SCRIPT), SOURCE_NAME + "wasm").buildLiteral();
    this.loadUrl = arguments -> Context.getCurrent().eval(urlSource);
    Map<String, Source> parts = new HashMap<>();
    for (String part : WEB_PARTS) {
      String script = "web-" + part + ".js";
      parts.put(part, Source.newBuilder("js", readScript(script), SOURCE_NAME + "web-" + part).buildLiteral());
    }
    this.loadWebPart = arguments -> {
      // Only cs-web.js calls it, with the names of its PART_OF; the guest never holds it.
      Source part = parts.get(arguments[0].asString());
      if (part == null) {
        throw new IllegalArgumentException("no Web platform part " + arguments[0]);
      }
      return Context.getCurrent().eval(part);
    };
  }

  /** A script of the runtime's own, from its resources. */
  static String readScript(String name) {
    try (InputStream in = GuestApi.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /**
   * Installs the guest globals in {@code context}, wired to {@code bridge}.
   *
   * @param maxMessageChars longest log message handed to the host
   * @param maxElements     most elements a guarded built-in may walk (see the script)
   * @param maxInflatedBytes most bytes a DecompressionStream of the context may inflate a body to
   * @param wasm             the bounds of WebAssembly modules in a context that has the API, else {@code null}
   * @param env              the manifest's {@code env} values, the context's {@code process.env}
   */
  Bound install(Context context, GuestBridge bridge, int maxMessageChars, long maxElements, long maxInflatedBytes,
      WasmLimits wasm, Map<String, String> env) {
    Value webAssembly = wasm == null ? null : context.eval(wasmSource).execute(
        context.getBindings("js").getMember("WebAssembly"), wasm.capModule(), GuestBridge.COPY_LATIN1,
        wasm.maxPages(), wasm.maxTableElements());
    ProxyExecutable loadWeb = arguments -> context.eval(webSource).execute(arguments[0], GuestBridge.MONOTONIC_MS,
        bridge.armTimer, GuestBridge.RANDOM_LATIN1, GuestBridge.DECODE_UTF8_FATAL, WebCrypto.DIGEST, WebCrypto.HMAC,
        WebCrypto.IMPORT_PUBLIC_KEY, WebCrypto.VERIFY, loadUrl, loadWebPart, GuestBridge.BASE64_ENCODE,
        GuestBridge.BASE64_DECODE, WebCipher.CIPHER, WebKeyDerivation.DERIVE_BITS, WebPrivateKeys.IMPORT_PRIVATE_KEY,
        WebPrivateKeys.SIGN, WebCompression.COMPRESS, WebCompression.decompressor(maxInflatedBytes),
        WebKeyPairs.GENERATE_KEY_PAIR, WebKeyPairs.EXPORT_KEY, WebKeyPairs.AGREE, WebKeyPairs.OAEP);
    Value helpers = context.eval(source).execute(bridge.emit, bridge.remainingMs, bridge.hostCall,
        bridge.reportUnhandled, GuestBridge.DECODE_UTF8, GuestBridge.COPY_LATIN1, maxMessageChars, maxElements,
        loadWeb, webAssembly, stringsJson(env), NodeModules.LOAD);
    return new Bound(helpers);
  }

  /**
   * A map of names to strings as a JSON object's text: secrets, env values. They travel as text rather than as a
   * host map, so the guest never holds a host object.
   */
  static String stringsJson(Map<String, String> strings) {
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> entry : strings.entrySet()) {
      if (json.length() > 1) {
        json.append(',');
      }
      Json.quote(json, entry.getKey()).append(':');
      Json.quote(json, entry.getValue());
    }
    return json.append('}').toString();
  }

  /** The helpers of one context. Every method runs guest code and may throw a {@code PolyglotException}. */
  static final class Bound {

    /** How a throw or rejection is recorded. */
    record ErrorDescription(String message, String stack) {
    }

    private final Value helpers;

    private Bound(Value helpers) {
      this.helpers = helpers;
    }

    /** Runs the earliest due timer of the activation, if any, and arms the next. */
    void runTimer() {
      helpers.invokeMember("runTimer");
    }

    /**
     * Prepares the context for the next activation: defines {@code cs} the first time (with {@code cs.cadence} for
     * the {@code cadence} trigger only), reopens the log and the reporting of unhandled rejections.
     */
    void beginActivation(String triggerType) {
      helpers.invokeMember("beginActivation", triggerType);
    }

    /** Stops reporting unhandled rejections until the next activation. */
    void endActivation() {
      helpers.invokeMember("endActivation");
    }

    /**
     * Opens the log and the reporting of unhandled rejections for a module evaluated ahead of its activation,
     * without defining {@code cs}; {@link #endActivation()} closes them again.
     */
    void beginPreparation() {
      helpers.invokeMember("beginPreparation");
    }

    Value parseEvent(String json) {
      return helpers.invokeMember("parseEvent", json);
    }

    /**
     * The activation's {@code ctx}. The secrets travel as a JSON text ({@link #stringsJson}); the script turns them
     * into {@code ctx.secrets} and keeps no reference of its own.
     */
    Value makeContext(InvocationInfo info, long deadlineMs, Map<String, String> secrets, Map<String, String> env) {
      return helpers.invokeMember("makeContext", info.activationId(), info.requestId(), info.tenant(),
          info.namespace(), info.function(), info.version(), info.triggerType(), info.traceparent(),
          info.tracestate(), deadlineMs, stringsJson(secrets), stringsJson(env));
    }

    /**
     * The handler to call, or {@code null} when the module exports none: a handler function first, else the fetch
     * method of a default export object (the Workers shape), adapted to take the event and give a response.
     */
    Value findHandler(Value moduleNamespace) {
      Value found = helpers.invokeMember("findHandler", moduleNamespace);
      return found.isNull() ? null : found;
    }

    /**
     * Calls the handler. Exactly one callback is called once with the settled value or the reason; possibly
     * before this returns, possibly later from a task of the activation.
     */
    void run(Value handler, Value event, Value ctx, ProxyExecutable onFulfilled, ProxyExecutable onRejected) {
      helpers.invokeMember("run", handler, event, ctx, onFulfilled, onRejected);
    }

    /**
     * A Cadence activity's return value as JSON ({@code undefined} reads as {@code null}); one that JSON cannot
     * express is an invalid response.
     */
    String encodeResult(Value value) throws ResponseValidator.InvalidResponseException {
      Value encoded = helpers.invokeMember("encodeResult", value);
      if (encoded.isString()) {
        return encoded.asString();
      }
      throw new ResponseValidator.InvalidResponseException("an activity result must be JSON-serializable: "
          + encoded.getMember("error").asString());
    }

    ErrorDescription describeError(Value error) {
      Value description = helpers.invokeMember("describeError", error);
      Value stack = description.getMember("stack");
      return new ErrorDescription(description.getMember("message").asString(),
          stack.isNull() ? null : stack.asString());
    }
  }
}
