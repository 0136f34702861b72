package io.codesous.codeq.kafka;

import io.codesous.codeq.CodeQMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One hand-out of a Kafka record to one subscription's handler. */
final class KafkaDelivery implements CodeQMessage {

  enum State {
    /** Holds one of the subscription's credits. */
    IN_FLIGHT,
    ACKED,
    /** Given back by {@link #release()}; the subscription reads it again. */
    RELEASED,
    /** The subscription closed or its partition moved to another member, which delivers it again. */
    WITHDRAWN
  }

  private final DeliveryLedger ledger;
  private final PartitionLedger partition;
  private final long offset;
  private final String topic;
  private final String key;
  private final Buffer payload;
  private final int attempt;
  // guarded by the ledger's monitor
  private State state = State.IN_FLIGHT;
  private boolean seenByHandler;

  KafkaDelivery(DeliveryLedger ledger, PartitionLedger partition, long offset,
      ConsumerRecord<String, byte[]> record, int attempt) {
    this.ledger = ledger;
    this.partition = partition;
    this.offset = offset;
    this.topic = record.topic();
    this.key = record.key();
    // each fetch deserializes its own bytes, so no other delivery shares this buffer
    this.payload = record.value() == null ? Buffer.buffer() : Buffer.buffer(record.value());
    this.attempt = attempt;
  }

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public Buffer payload() {
    return payload;
  }

  @Override
  public int deliveryAttempt() {
    return attempt;
  }

  /**
   * Records the message as done; the offset is committed with the next commit that reaches it.
   * Fails with {@link io.codesous.codeq.CodeQException} once the delivery was released or
   * withdrawn: the message is then delivered again, so this stale copy cannot complete it.
   */
  @Override
  public Future<Void> ack() {
    return ledger.ack(this);
  }

  /** Does nothing once the delivery was acknowledged, released or withdrawn. */
  @Override
  public void release() {
    ledger.release(this);
  }

  PartitionLedger partition() {
    return partition;
  }

  long offset() {
    return offset;
  }

  State state() {
    return state;
  }

  void state(State state) {
    this.state = state;
  }

  boolean seenByHandler() {
    return seenByHandler;
  }

  void markSeenByHandler() {
    seenByHandler = true;
  }
}
