package io.codesous.codeq.kafka;

import io.vertx.core.Future;
import io.vertx.kafka.admin.ConsumerGroupDescription;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.ListOffsetsResultInfo;
import io.vertx.kafka.admin.OffsetSpec;
import io.vertx.kafka.admin.TopicDescription;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.common.TopicPartitionInfo;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A consumer group's lag on one topic, as the broker sees it: per partition, the end offset minus the group's
 * committed offset, or minus the earliest retained offset where the group committed nothing yet (a group new to a
 * topic starts at the oldest message, so all of it is still ahead of the group); a group with no commit on the
 * topic and no members has never subscribed to it and is 0 behind. A few admin requests, none of which joins the
 * group.
 */
final class ConsumerLag {

  private ConsumerLag() {
  }

  static Future<Long> of(KafkaAdminClient admin, String topic, String group) {
    return admin.describeTopics(List.of(topic)).compose(described -> {
      TopicDescription description = described.get(topic);
      if (description == null || description.getPartitions().isEmpty()) {
        return Future.succeededFuture(0L);
      }
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (TopicPartitionInfo partition : description.getPartitions()) {
        TopicPartition tp = new TopicPartition(topic, partition.getPartition());
        latest.put(tp, OffsetSpec.LATEST);
        earliest.put(tp, OffsetSpec.EARLIEST);
      }
      Future<Map<TopicPartition, OffsetAndMetadata>> committed = admin.listConsumerGroupOffsets(group);
      Future<Map<TopicPartition, ListOffsetsResultInfo>> ends = admin.listOffsets(latest);
      Future<Map<TopicPartition, ListOffsetsResultInfo>> starts = admin.listOffsets(earliest);
      // a group the broker does not know fails the description: it has no members
      Future<Map<String, ConsumerGroupDescription>> groups = admin.describeConsumerGroups(List.of(group))
          .recover(failure -> unknownGroup(failure) ? Future.succeededFuture(Map.of()) : Future.failedFuture(failure));
      return Future.all(committed, ends, starts, groups).map(all -> {
        boolean committedHere = committed.result().keySet().stream().anyMatch(tp -> topic.equals(tp.getTopic()));
        ConsumerGroupDescription members = groups.result().get(group);
        if (!committedHere && (members == null || members.getMembers().isEmpty())) {
          // a group that neither committed on the topic nor has members has never subscribed to it
          return 0L;
        }
        long lag = 0;
        for (TopicPartition tp : latest.keySet()) {
          ListOffsetsResultInfo end = ends.result().get(tp);
          if (end == null) {
            continue;
          }
          OffsetAndMetadata done = committed.result().get(tp);
          ListOffsetsResultInfo start = starts.result().get(tp);
          long from = done != null ? done.getOffset() : start == null ? end.getOffset() : start.getOffset();
          lag += Math.max(0, end.getOffset() - from);
        }
        return lag;
      });
    });
  }

  private static boolean unknownGroup(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return true;
      }
    }
    return false;
  }
}
