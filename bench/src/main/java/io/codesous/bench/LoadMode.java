package io.codesous.bench;

/** How requests are paced in one run: by the answers (closed loop) or by the clock (open loop). */
sealed interface LoadMode {

  /** The mode's name in the result table. */
  String label();

  /** {@code users} virtual users, each sending its next request when the previous one answered. */
  record ClosedLoop(int users) implements LoadMode {
    @Override
    public String label() {
      return "c=" + users;
    }
  }

  /** Requests started on a fixed schedule, {@code perSecond} of them a second, whatever the answers. */
  record FixedRate(int perSecond) implements LoadMode {
    @Override
    public String label() {
      return "rate=" + perSecond;
    }
  }
}
