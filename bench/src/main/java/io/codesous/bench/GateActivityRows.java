package io.codesous.bench;

import java.util.List;
import java.util.Objects;

/**
 * The Cadence side of the load gate's verdict, read from Cadence after the load: how many workflows started, and
 * what their histories say of the activities (scheduled, completed). The activities' activations join the HTTP
 * invokes' and the ticks' in the gate's loss checks.
 */
final class GateActivityRows {

  private final long sent;
  private final long started;
  private final long stillOpen;
  private final List<ActivityHistory> histories;

  private GateActivityRows(long sent, long started, long stillOpen, List<ActivityHistory> histories) {
    this.sent = sent;
    this.started = started;
    this.stillOpen = stillOpen;
    this.histories = histories;
  }

  /** Waits until every workflow closed or the deadline passed, then reads their histories. */
  static GateActivityRows await(GateActivities activities, long deadlineMs) throws Exception {
    long open = activities.awaitClosed(deadlineMs);
    List<ActivityHistory> histories = activities.histories();
    return new GateActivityRows(activities.sent(), histories.size(), open, histories);
  }

  /** The activation of every activity Cadence scheduled. */
  List<String> activationIds() {
    return histories.stream().map(ActivityHistory::activationId).filter(Objects::nonNull).toList();
  }

  void addTo(GateTable table, int results) {
    long scheduled = activationIds().size();
    long completed = histories.stream().filter(ActivityHistory::completed).count();
    table.row("Cadence workflows started / sent", started + " / " + sent, "equal", sent > 0 && started == sent);
    table.row("activities completed in Cadence / scheduled", completed + " / " + scheduled
        + (stillOpen > 0 ? ", " + stillOpen + " workflows open" : ""), "equal, one per workflow",
        scheduled == started && completed == scheduled);
    table.row("activity results / activities scheduled", results + " / " + scheduled, "equal", results == scheduled);
  }
}
