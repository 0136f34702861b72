package io.codesous.observe;

import io.codesous.observe.ObservabilityOptions.LogFormat;
import org.apache.logging.log4j.core.config.Configurator;

import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;

/**
 * Chooses how the process writes its platform log lines: Log4j 2 with a text pattern, or one JSON object per line
 * ({@code JsonTemplateLayout}, template {@code cs-log-template.json}). Both go to standard error, apart from what the
 * process prints for its operator (the banner) on standard output.
 */
public final class LogFormats {

  private LogFormats() {
  }

  /** {@code json} or {@code text}, any case. */
  public static LogFormat parse(String format) {
    try {
      return LogFormat.valueOf(format.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new IllegalArgumentException("log format must be json or text, not " + format);
    }
  }

  /** The configured format, or text on a terminal and JSON otherwise (a container, a service manager, a pipe). */
  public static LogFormat effective(LogFormat configured) {
    if (configured != null) {
      return configured;
    }
    return System.console() != null ? LogFormat.TEXT : LogFormat.JSON;
  }

  /**
   * Reconfigures Log4j 2 for {@code configured} (see {@link #effective}), with what libraries log through
   * {@code java.util.logging} in the same layout ({@link JulBridge}); returns the format applied.
   */
  public static LogFormat apply(LogFormat configured) {
    JulBridge.install();
    LogFormat format = effective(configured);
    String resource = format == LogFormat.JSON ? "log4j2-json.xml" : "log4j2-text.xml";
    URL config = LogFormats.class.getResource(resource);
    if (config == null) {
      throw new IllegalStateException("logging configuration missing from the class path: " + resource);
    }
    try {
      Configurator.reconfigure(config.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("logging configuration " + config + " has no URI", e);
    }
    return format;
  }
}
