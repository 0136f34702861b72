package io.codesous.gateway;

/**
 * Where results travel back to the gateway that holds the request: a per-gateway event-bus
 * address named by the {@code reply_to} route in the InvocationRequest. In one JVM this is the
 * local event bus; across JVMs the clustered one carries it point to point, so no gateway reads
 * results that are not its own.
 */
public final class ReplyRoutes {

  private static final String PREFIX = "cs.reply.";

  private ReplyRoutes() {
  }

  public static String address(String replyTo) {
    return PREFIX + replyTo;
  }
}
