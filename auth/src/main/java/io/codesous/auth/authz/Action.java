package io.codesous.auth.authz;

import java.util.EnumSet;
import java.util.Set;

/**
 * Everything a principal can ask the platform to do. The id ({@code function:create}, …) is the
 * form used in configuration, audit events and AUTHZ.md.
 */
public enum Action {
  FUNCTION_CREATE("function:create"),
  FUNCTION_READ("function:read"),
  FUNCTION_DELETE("function:delete"),
  FUNCTION_LIST("function:list"),
  DRAFT_CREATE("draft:create"),
  FUNCTION_PUBLISH("function:publish"),
  ALIAS_UPDATE("alias:update"),
  ALIAS_READ("alias:read"),
  FUNCTION_INVOKE("function:invoke"),
  ACTIVATION_READ("activation:read"),
  ACTIVATION_CANCEL("activation:cancel"),
  SCHEDULE_CREATE("schedule:create"),
  SCHEDULE_READ("schedule:read"),
  SCHEDULE_UPDATE("schedule:update"),
  SCHEDULE_DELETE("schedule:delete"),
  SCHEDULE_LIST("schedule:list"),
  BINDING_CREATE("binding:create"),
  BINDING_READ("binding:read"),
  BINDING_UPDATE("binding:update"),
  BINDING_DELETE("binding:delete"),
  BINDING_LIST("binding:list"),
  SECRET_CREATE("secret:create"),
  SECRET_ROTATE("secret:rotate"),
  SECRET_DELETE("secret:delete"),
  SECRET_LIST("secret:list");

  private final String id;

  Action(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** Whether the action only looks (read or list) and changes nothing. */
  public boolean isReadOnly() {
    return id.endsWith(":read") || id.endsWith(":list");
  }

  /** The action with this id; an {@link IllegalArgumentException} for an unknown one. */
  public static Action fromId(String id) {
    for (Action action : values()) {
      if (action.id.equals(id)) {
        return action;
      }
    }
    throw new IllegalArgumentException("unknown action: " + id);
  }

  /**
   * The actions a configuration pattern names: an exact id, {@code <prefix>:*} for every action
   * whose id starts with {@code <prefix>:}, or {@code *} for all.
   *
   * @throws IllegalArgumentException when the pattern names no action
   */
  public static Set<Action> matching(String pattern) {
    if ("*".equals(pattern)) {
      return EnumSet.allOf(Action.class);
    }
    if (pattern != null && pattern.endsWith(":*")) {
      String prefix = pattern.substring(0, pattern.length() - 1);
      EnumSet<Action> matched = EnumSet.noneOf(Action.class);
      for (Action action : values()) {
        if (action.id.startsWith(prefix)) {
          matched.add(action);
        }
      }
      if (matched.isEmpty()) {
        throw new IllegalArgumentException("no action matches " + pattern);
      }
      return matched;
    }
    return EnumSet.of(fromId(pattern));
  }

  @Override
  public String toString() {
    return id;
  }
}
