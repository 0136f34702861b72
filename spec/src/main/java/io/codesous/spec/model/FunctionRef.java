package io.codesous.spec.model;

import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.Names;

/**
 * What a caller names when invoking: a version number, an alias, or {@code latest}.
 */
public sealed interface FunctionRef {

  record Version(long number) implements FunctionRef {
  }

  record Alias(String name) implements FunctionRef {
  }

  record Latest() implements FunctionRef {
  }

  /** @throws CsException {@code CS_VALIDATION_FAILED} for anything that is none of the three */
  static FunctionRef parse(String field, String ref) {
    if (ref != null && Names.VERSION.matcher(ref).matches()) {
      return new Version(Long.parseLong(ref));
    }
    if (Names.LATEST.equals(ref)) {
      return new Latest();
    }
    if (ref != null && Names.NAME.matcher(ref).matches()) {
      return new Alias(ref);
    }
    throw CsException.validation(field, "must be a version number, an alias name or 'latest'");
  }
}
