package io.codesous.platform;

import io.codesous.control.ParseAhead;
import io.codesous.invoker.ActivationLimits;
import io.codesous.invoker.InvokerOptions;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Parses an uploaded draft's entry module into this process's sandbox ({@link JsRuntime#parseAhead}), with the
 * limits its versions' activations will have, so that the version published from it starts from parsed code. Counted
 * by outcome in {@code cs.invoker.parsed_ahead}. It joins the control component to the invoker's sandbox, so it
 * belongs to the composition that runs both.
 */
final class SandboxParseAhead implements ParseAhead {

  private static final Logger LOG = LoggerFactory.getLogger(SandboxParseAhead.class);

  private final JsRuntime runtime;
  private final int maxLogLines;
  private final Counter parsed;
  private final Counter unparsed;

  private SandboxParseAhead(JsRuntime runtime, InvokerOptions options, MeterRegistry registry) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.maxLogLines = options.getMaxLogLines();
    this.parsed = counter(registry, "parsed");
    this.unparsed = counter(registry, "not-parsed");
  }

  /**
   * The parse ahead of an invoker running in this process with {@code runtime}; none when the invoker prepares no
   * versions ({@link InvokerOptions#isPrepareVersions()}), which asks for no work in the sandbox before an activation.
   */
  static ParseAhead of(JsRuntime runtime, InvokerOptions options, MeterRegistry registry) {
    return options.isPrepareVersions() ? new SandboxParseAhead(runtime, options, registry) : ParseAhead.NONE;
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("cs.invoker.parsed_ahead").tag("outcome", outcome)
        .description("uploaded drafts whose entry module the sandbox parsed before a publish (or could not)")
        .register(registry);
  }

  @Override
  public void parse(BundleFiles bundle, Manifest manifest) {
    try {
      boolean done = runtime.parseAhead(bundle.sha256(), bundle.files(), manifest.entry(),
          ActivationLimits.of(manifest.limits(), maxLogLines));
      (done ? parsed : unparsed).increment();
    } catch (RuntimeException e) {
      // the runtime closing under the parse: the draft stands, its version is parsed when prepared
      unparsed.increment();
      LOG.debug("bundle {}: entry module not parsed ahead: {}", bundle.sha256(), e.toString());
    }
  }
}
