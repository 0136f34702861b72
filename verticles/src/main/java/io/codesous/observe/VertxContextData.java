package io.codesous.observe;

import org.apache.logging.log4j.core.util.ContextDataProvider;

import java.util.Map;

/**
 * Gives Log4j 2 the ids of the request or activation being handled on the logging thread's Vert.x context
 * ({@link LogContext}), so every line carries them, in JSON as top-level fields. Found through
 * {@code META-INF/services}.
 */
public final class VertxContextData implements ContextDataProvider {

  @Override
  public Map<String, String> supplyContextData() {
    return LogContext.current();
  }
}
