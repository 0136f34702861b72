package io.codesous.spec.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * About how many bytes of heap a message held as objects takes, for a queue that keeps messages in memory and bounds
 * them by size ({@code InJvmCodeQ}): a count alone did not bound the heap. The in-JVM queue of an embedded server
 * held up to 100,000 invocation requests; a heap histogram of one that was full (the scheduler's benchmark, hello
 * requests of schedules) gave 99,517 requests in about 300 MB of live objects, 3 KB each, most of it the maps
 * of their JSON trees (15 map entries and 9 byte arrays a request). At the server's default heap of 512 MB that
 * queue ran it out of memory ({@code GC overhead limit exceeded}) before it refused anything, and a request with a
 * body of megabytes weighs a thousand of those.
 *
 * <p>An estimate, not a measurement: a fixed cost per object, entry and string on a 64-bit JVM with compressed
 * pointers, and a string's characters at one byte each (most are Latin-1, which the JVM stores so); it walks the
 * tree once and allocates nothing. Values shared between messages are counted in each.
 */
public final class HeapWeight {

  /** An object's header and a few fields. */
  static final int OBJECT = 24;
  /** A map entry (key, value, hash, links) and its share of the map's table. */
  static final int ENTRY = 56;
  /** A string beside its characters: its object and its array's header. */
  static final int STRING = 40;
  /** A boxed number or boolean. */
  static final int BOXED = 16;
  /** A list's slot for one element. */
  static final int SLOT = 8;

  private HeapWeight() {
  }

  /** What {@code value} (a JSON value as Vert.x holds it: map, list, string, number, bytes) takes. */
  public static long of(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof String s) {
      return STRING + s.length();
    }
    if (value instanceof JsonObject json) {
      return ofMap(json.getMap());
    }
    if (value instanceof Map<?, ?> map) {
      return ofMap(map);
    }
    if (value instanceof JsonArray array) {
      return ofList(array.getList());
    }
    if (value instanceof List<?> list) {
      return ofList(list);
    }
    if (value instanceof Buffer buffer) {
      return OBJECT + buffer.length();
    }
    if (value instanceof byte[] bytes) {
      return OBJECT + bytes.length;
    }
    return BOXED;
  }

  private static long ofMap(Map<?, ?> map) {
    long bytes = OBJECT * 2L;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      bytes += ENTRY + of(entry.getKey()) + of(entry.getValue());
    }
    return bytes;
  }

  private static long ofList(List<?> list) {
    long bytes = OBJECT * 2L;
    for (Object element : list) {
      bytes += SLOT + of(element);
    }
    return bytes;
  }

  /** The strings of a record's fields, each with its own cost. */
  static long ofStrings(String... strings) {
    long bytes = 0;
    for (String s : strings) {
      bytes += of(s);
    }
    return bytes;
  }
}
