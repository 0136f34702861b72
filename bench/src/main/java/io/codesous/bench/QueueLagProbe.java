package io.codesous.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples the lag of one consumer group on one topic (end offsets minus committed offsets, summed
 * over partitions) twice a second, as a Kafka lag exporter would, and keeps the highest sample.
 */
final class QueueLagProbe implements AutoCloseable {

  private static final long SAMPLE_MS = 500;

  private final Admin admin;
  private final String topic;
  private final String group;
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gate-lag-probe");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong max = new AtomicLong();
  private final AtomicLong samples = new AtomicLong();
  private final AtomicLong last = new AtomicLong(-1);

  QueueLagProbe(String bootstrapServers, String topic, String group) {
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(config);
    this.topic = topic;
    this.group = group;
    sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_MS, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS);
      long lag = 0;
      for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += end.getValue().offset() - (at == null ? 0 : at.offset());
      }
      max.accumulateAndGet(lag, Math::max);
      last.set(lag);
      samples.incrementAndGet();
    } catch (Exception e) {
      // a sample that failed is no sample; the count printed says how many there were
    }
  }

  long maxLag() {
    return max.get();
  }

  /** The latest sample, or -1 before the first. */
  long lastLag() {
    return last.get();
  }

  long samples() {
    return samples.get();
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    admin.close();
  }
}
