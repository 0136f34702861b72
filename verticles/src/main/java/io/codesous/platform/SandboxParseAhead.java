package io.codesous.platform;

import io.codesous.control.ParseAhead;
import io.codesous.invoker.DraftParsing;
import io.codesous.invoker.InvokerOptions;
import io.codesous.runtime.JsRuntime;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;

/**
 * Parses an uploaded draft's entry module into this process's sandbox ({@link DraftParsing}) as the control API
 * hands it over, where the control API and an invoker share a process and no other process hears of the draft (an
 * in-JVM queue). It joins the control component to the invoker's sandbox, so it belongs to the composition that runs
 * both.
 */
final class SandboxParseAhead implements ParseAhead {

  private final DraftParsing parsing;

  private SandboxParseAhead(DraftParsing parsing) {
    this.parsing = Objects.requireNonNull(parsing, "parsing");
  }

  /**
   * The parse ahead of an invoker running in this process with {@code runtime}; none when the invoker prepares no
   * versions ({@link InvokerOptions#isPrepareVersions()}), which asks for no work in the sandbox before an activation.
   */
  static ParseAhead of(JsRuntime runtime, InvokerOptions options, MeterRegistry registry) {
    return options.isPrepareVersions() ? new SandboxParseAhead(new DraftParsing(runtime, options, registry))
        : ParseAhead.NONE;
  }

  @Override
  public void parse(Draft draft) {
    parsing.parse(draft.bundle(), draft.manifest());
  }
}
