package io.codesous.invoker;

import io.codesous.runtime.JsRuntime;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.model.Manifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Parses an uploaded draft's entry module into the sandbox ({@link JsRuntime#parseAhead}), with the limits its
 * versions' activations will have, so that the version published from it starts from parsed code. Counted by
 * outcome in {@code cs.invoker.parsed_ahead}. The one way a draft is parsed ahead, whether the control API hands it
 * over in the same process or an invoker hears of it on {@code cs.drafts} ({@link StoredDrafts}).
 */
public final class DraftParsing {

  private static final Logger LOG = LoggerFactory.getLogger(DraftParsing.class);

  private final JsRuntime runtime;
  private final int maxLogLines;
  private final Counter parsed;
  private final Counter unparsed;

  public DraftParsing(JsRuntime runtime, InvokerOptions options, MeterRegistry registry) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.maxLogLines = options.getMaxLogLines();
    this.parsed = counter(registry, "parsed");
    this.unparsed = counter(registry, "not-parsed");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("cs.invoker.parsed_ahead").tag("outcome", outcome)
        .description("uploaded drafts whose entry module the sandbox parsed before a publish (or could not)")
        .register(registry);
  }

  /** Parses on the calling thread, a worker's; never throws. */
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
