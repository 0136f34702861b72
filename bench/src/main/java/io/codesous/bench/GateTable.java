package io.codesous.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The load gate's verdict: one row per check, and whether all passed. */
final class GateTable {

  private record Row(String check, String measured, String limit, boolean pass) {
  }

  private final List<Row> rows = new ArrayList<>();

  void row(String check, Object measured, String limit, boolean pass) {
    rows.add(new Row(check, String.valueOf(measured), limit, pass));
  }

  boolean print(PrintStream out) {
    String format = "%-56s %-30s %-32s %s%n";
    out.printf(format, "check", "measured", "limit", "result");
    boolean all = true;
    for (Row row : rows) {
      out.printf(format, row.check, row.measured, row.limit, row.pass ? "pass" : "FAIL");
      all &= row.pass;
    }
    out.println(all ? "gate: pass" : "gate: FAIL");
    return all;
  }
}
