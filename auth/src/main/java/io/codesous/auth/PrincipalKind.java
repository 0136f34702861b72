package io.codesous.auth;

import java.util.Locale;

/** Whether a token speaks for a person or agent ({@code user}) or a platform component ({@code service}). */
public enum PrincipalKind {
  USER,
  SERVICE;

  /** The lower-case name used in tokens and JSON. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code user} / {@code service}; anything else is an {@link IllegalArgumentException}. */
  public static PrincipalKind fromId(String id) {
    for (PrincipalKind kind : values()) {
      if (kind.id().equals(id)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown principal kind: " + id);
  }
}
