package io.codesous.egress;

import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;

/**
 * Turns a normalized DNS name into addresses. The client asks once per hop, checks every answer,
 * and connects to one of exactly those addresses; nothing else resolves the name again, so a DNS
 * server that answers differently the second time (rebinding) gains nothing.
 *
 * <p>Implementations must not block the calling thread. A failed future or an empty list means
 * the name does not resolve.
 */
@FunctionalInterface
public interface HostResolver {

  Future<List<InetAddress>> resolve(String host);
}
