package io.codesous.egress;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Records every dial and stops any that would leave loopback, so tests can assert that a refusal
 * happened before any connection and can never send traffic off this machine, even if the code
 * under test regresses.
 */
final class LoopbackDialGuard implements DialGuard {

  private final List<InetSocketAddress> dials = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void beforeDial(InetSocketAddress target) {
    dials.add(target);
    if (!target.getAddress().isLoopbackAddress()) {
      throw new EgressException(EgressFailure.CONNECTION_FAILED,
          "test guard: refusing to dial a non-loopback address");
    }
  }

  List<InetSocketAddress> dials() {
    synchronized (dials) {
      return List.copyOf(dials);
    }
  }
}
