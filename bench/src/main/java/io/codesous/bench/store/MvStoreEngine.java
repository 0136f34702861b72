package io.codesous.bench.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * H2's MVStore with auto-commit off and a commit after every write: MVStore has no log, so a
 * write is in the file only once its chunk is committed (auto-commit alone would leave up to a
 * second of acknowledged writes in memory).
 */
final class MvStoreEngine implements StoreEngine {

  private final MVStore store;
  private final MVMap<String, String> values;
  private final MVMap<String, Long> scores;
  private final MVMap<String, String> ordered;

  MvStoreEngine(Path file) {
    store = new MVStore.Builder().fileName(file.toString()).autoCommitDisabled().open();
    values = store.openMap("values");
    scores = store.openMap("scores");
    ordered = store.openMap("ordered");
  }

  @Override
  public String name() {
    return "h2-mvstore";
  }

  @Override
  public synchronized void put(String key, String value) {
    values.put(key, value);
    store.commit();
  }

  @Override
  public String get(String key) {
    return values.get(key);
  }

  @Override
  public synchronized boolean compareAndSet(String key, String expected, String update) {
    if (!expected.equals(values.get(key))) {
      return false;
    }
    put(key, update);
    return true;
  }

  @Override
  public synchronized void indexAdd(String index, String member, long score) {
    Long previous = scores.put(index + "\0" + member, score);
    if (previous != null) {
      ordered.remove(orderKey(index, previous, member));
    }
    ordered.put(orderKey(index, score, member), "");
    store.commit();
  }

  @Override
  public List<String> indexRangeDescending(String index, int limit) {
    String prefix = index + "\0";
    List<String> members = new ArrayList<>(limit);
    Iterator<String> keys = ordered.keyIteratorReverse(prefix + "\uffff");
    while (keys.hasNext() && members.size() < limit) {
      String key = keys.next();
      if (!key.startsWith(prefix)) {
        break;
      }
      members.add(key.substring(prefix.length() + 17));
    }
    return members;
  }

  @Override
  public void close() {
    store.close();
  }

  private static String orderKey(String index, long score, String member) {
    return index + "\0" + String.format("%016x", score ^ Long.MIN_VALUE) + "\0" + member;
  }
}
