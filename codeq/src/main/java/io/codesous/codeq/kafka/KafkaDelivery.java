package io.codesous.codeq.kafka;

import io.codesous.codeq.Delivery;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One hand-out of a Kafka record to one subscription's handler. Withdrawn when the subscription
 * closes or its partition moves to another member, which delivers the record again.
 */
final class KafkaDelivery extends Delivery {

  private final DeliveryLedger ledger;
  private final PartitionLedger partition;
  private final long offset;

  KafkaDelivery(DeliveryLedger ledger, PartitionLedger partition, long offset,
      ConsumerRecord<String, byte[]> record, int attempt) {
    // each fetch deserializes its own bytes, so no other delivery shares this buffer
    super(record.topic(), record.key(),
        record.value() == null ? Buffer.buffer() : Buffer.buffer(record.value()), attempt);
    this.ledger = ledger;
    this.partition = partition;
    this.offset = offset;
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

  @Override
  protected String describe() {
    return "message at offset " + offset + " of " + partition.partition();
  }

  PartitionLedger partition() {
    return partition;
  }

  long offset() {
    return offset;
  }
}
