package io.codesous.bench;

/** A started shape of the platform: where its gateway and control API answer, and how to stop it. */
interface RunningShape extends AutoCloseable {

  /** HTTP port of the process that runs the gateway and the control API. */
  int port();

  /**
   * A platform-admin token (tenant {@code *}) that the platform's {@code /v1} routes accept, sent
   * as {@code Authorization: Bearer <token>}. Secret: never print it.
   */
  String token();

  /** What to show when the shape misbehaves (its processes' logs); empty when it has none. */
  String diagnostics();

  /** Stops the shape; reports problems on stderr instead of throwing. */
  @Override
  void close();
}
