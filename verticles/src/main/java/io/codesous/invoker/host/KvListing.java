package io.codesous.invoker.host;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which index ranges one {@code cs.kv.list(prefix)} reads. A text prefix such as {@code orders} also matches keys
 * no grant covers ({@code orders-archive/1}, {@code ordersX}); reading the text prefix and filtering afterwards
 * would let those look-alikes fill the page and hide the readable keys behind them. So the listing reads, per read
 * grant, only what that grant covers under the prefix, and every range holds readable keys alone.
 */
final class KvListing {

  /**
   * One index read: the members starting with {@code prefix}, or, when {@code exact}, only the member equal to it
   * (the smallest member with that prefix, so one entry tells).
   */
  record Scan(String prefix, boolean exact) {
  }

  private KvListing() {
  }

  /** The scans whose union is every key under {@code prefix} that a grant of {@code readPaths} covers. */
  static List<Scan> scans(List<String> readPaths, String prefix) {
    Set<Scan> scans = new LinkedHashSet<>();
    for (String path : readPaths) {
      if (path.startsWith(prefix)) {
        // the whole grant lies under the prefix: its own key and everything below it, by whole segment
        scans.add(new Scan(path, true));
        scans.add(new Scan(path + "/", false));
      } else if (prefix.startsWith(path + "/")) {
        // the prefix lies inside the grant: every key starting with it is covered
        scans.add(new Scan(prefix, false));
      }
    }
    return List.copyOf(scans);
  }
}
