package io.codesous.platform;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The components one process may run, and the rules on which of them may run together. */
public final class Components {

  public static final String CONTROL = "control";
  public static final String GATEWAY = "gateway";
  public static final String INVOKER = "invoker";
  public static final String SCHEDULER = "scheduler";
  /** The Cadence activity worker; in the default set only when a {@code cadence} section is configured. */
  public static final String CADENCE_POLLER = "cadence-poller";
  /** Every component there is. */
  public static final Set<String> ALL = Set.of(CONTROL, GATEWAY, INVOKER, SCHEDULER, CADENCE_POLLER);
  /** What a process runs when its configuration names no components: the embedded shape. */
  public static final Set<String> DEFAULTS = Set.of(CONTROL, GATEWAY, INVOKER, SCHEDULER);

  private Components() {
  }

  /** A modifiable copy of {@link #DEFAULTS}, in the order a process starts them. */
  static Set<String> defaults() {
    return new LinkedHashSet<>(List.of(CONTROL, GATEWAY, INVOKER, SCHEDULER));
  }

  /** A copy of {@code components}, refused when it is empty or names a component there is not. */
  static Set<String> checked(Set<String> components) {
    for (String c : components) {
      if (!ALL.contains(c)) {
        throw new IllegalArgumentException("unknown component " + c + "; known: control, gateway, invoker, scheduler, cadence-poller");
      }
    }
    if (components.isEmpty()) {
      throw new IllegalArgumentException("at least one component");
    }
    return new LinkedHashSet<>(components);
  }

  /**
   * Refuses a process that would report ready and never serve: the in-JVM queue reaches only this process, so a
   * gateway or a scheduler on it without an invoker beside it publishes invocations nobody can ever consume.
   *
   * @throws IllegalArgumentException with a sentence saying why and what to change
   */
  static void checkShape(Set<String> components, String codeqBackend) {
    if (!BackendNames.EMBEDDED.equals(codeqBackend) || components.contains(INVOKER)) {
      return;
    }
    List<String> publishers = components.stream().filter(c -> c.equals(GATEWAY) || c.equals(SCHEDULER)).sorted()
        .toList();
    if (!publishers.isEmpty()) {
      throw new IllegalArgumentException("components " + String.join(",", new TreeSet<>(components))
          + " cannot run on the in-JVM queue (codeq.backend: embedded): it reaches only the process it lives in, "
          + "and this one runs no invoker, so every invocation its " + String.join(" and ", publishers)
          + " accepted would wait forever. Add invoker to --components, or use codeq.backend: kafka so that "
          + "invoker processes elsewhere serve it.");
    }
  }
}
