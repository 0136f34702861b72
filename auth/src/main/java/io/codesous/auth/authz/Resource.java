package io.codesous.auth.authz;

import java.util.Objects;

/**
 * What an action is about, inside the tenant the check names: a kind of thing, the namespace, and
 * the thing's name ({@code null} for a whole collection, e.g. when listing).
 *
 * <p>Decisions depend on the tenant and the action, not on the resource; the resource is carried so
 * that audit events and denial logs say what was asked for, and so that finer rules can be added
 * without changing callers.
 *
 * @param type {@code function}, {@code alias}, {@code activation}, {@code schedule}, {@code binding},
 *     {@code secret}, …
 * @param namespace the namespace, or {@code null} when the resource is not in one
 * @param name the resource's name, or {@code null} for the collection
 */
public record Resource(String type, String namespace, String name) {

  public Resource {
    Objects.requireNonNull(type, "type");
  }

  public static Resource function(String namespace, String function) {
    return new Resource("function", namespace, function);
  }

  /** All functions of a namespace (create, list). */
  public static Resource functions(String namespace) {
    return new Resource("function", namespace, null);
  }

  public static Resource alias(String namespace, String function, String alias) {
    return new Resource("alias", namespace, function + "/" + alias);
  }

  public static Resource activation(String namespace, String activationId) {
    return new Resource("activation", namespace, activationId);
  }

  public static Resource schedule(String namespace, String schedule) {
    return new Resource("schedule", namespace, schedule);
  }

  public static Resource binding(String namespace, String binding) {
    return new Resource("binding", namespace, binding);
  }

  public static Resource secret(String namespace, String secret) {
    return new Resource("secret", namespace, secret);
  }

  /** A readable form for logs and audit events: {@code type:namespace/name}. */
  public String path() {
    StringBuilder out = new StringBuilder(type).append(':');
    if (namespace != null) {
      out.append(namespace);
    }
    if (name != null) {
      out.append('/').append(name);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return path();
  }
}
