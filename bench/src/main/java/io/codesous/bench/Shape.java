package io.codesous.bench;

import java.util.Locale;

/** A way of running the platform, as deployed in production or embedded. */
enum Shape {

  /** Every component in this JVM over the in-memory KV and the in-JVM queue. */
  EMBEDDED("embedded", false),
  /** As {@link #EMBEDDED} but with the KV on disk (RocksDB in the shape's data directory), as {@code cs server} runs. */
  EMBEDDED_DISK("emb-disk", false),
  /** Every component in one process (this JVM) over Redis and Kafka. */
  SINGLE("single", true),
  /** Gateway (with control) and invoker in two child processes, clustered, over Redis and Kafka. */
  SPLIT("split", true);

  private final String label;
  private final boolean usesSharedBackends;

  Shape(String label, boolean usesSharedBackends) {
    this.label = label;
    this.usesSharedBackends = usesSharedBackends;
  }

  String label() {
    return label;
  }

  /** Whether the shape needs Redis and the Kafka broker. */
  boolean usesSharedBackends() {
    return usesSharedBackends;
  }

  static Shape parse(String label) {
    for (Shape shape : values()) {
      if (shape.label.equals(label.trim().toLowerCase(Locale.ROOT))) {
        return shape;
      }
    }
    throw new IllegalArgumentException("unknown shape '" + label + "'; known: embedded, emb-disk, single, split");
  }
}
