package io.codesous.platform;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static io.codesous.platform.PlatformOptions.ALL_COMPONENTS;
import static io.codesous.platform.PlatformOptions.EMBEDDED;
import static io.codesous.platform.PlatformOptions.GATEWAY;
import static io.codesous.platform.PlatformOptions.INVOKER;
import static io.codesous.platform.PlatformOptions.SCHEDULER;

/** The rules on which components one process may run together. */
final class ComponentSet {

  private ComponentSet() {
  }

  /** A copy of {@code components}, refused when it is empty or names a component there is not. */
  static Set<String> checked(Set<String> components) {
    for (String c : components) {
      if (!ALL_COMPONENTS.contains(c)) {
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
    if (!EMBEDDED.equals(codeqBackend) || components.contains(INVOKER)) {
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
