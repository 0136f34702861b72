package io.codesous.platform;

import io.codesous.kv.KvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accepted-request journal as servers before {@link KvKeys#acceptedRequest} wrote it: a sorted index
 * ({@link KvKeys#legacyAcceptedRegistry()}) of {@code tenant:namespace:activation_id} members beside one key per
 * request ({@link KvKeys#legacyAcceptedRequest}). A server upgraded after a crash may still find requests there; at
 * start each is moved to the current layout (written there first, then removed here, so a crash in between leaves it
 * in both, and its second copy runs nothing: the invoker's claim answers it from the record), before the journal is
 * read.
 */
final class LegacyJournal {

  private static final Logger LOG = LoggerFactory.getLogger(LegacyJournal.class);

  private LegacyJournal() {
  }

  /** @return how many requests were moved */
  static Future<Integer> move(KvStore kv) {
    return kv.indexRange(KvKeys.legacyAcceptedRegistry(), Integer.MAX_VALUE, false)
        .compose(members -> moveEach(kv, members, 0, 0))
        .onSuccess(moved -> {
          if (moved > 0) {
            LOG.info("{} accepted invocation request(s) journaled by an earlier version were moved to the current "
                + "journal", moved);
          }
        });
  }

  /** One member after the other: a journal left by a crash may be long, and nothing waits for it but the start. */
  private static Future<Integer> moveEach(KvStore kv, List<String> members, int at, int moved) {
    if (at == members.size()) {
      return Future.succeededFuture(moved);
    }
    String member = members.get(at);
    return moveOne(kv, member).compose(wasMoved -> moveEach(kv, members, at + 1, wasMoved ? moved + 1 : moved));
  }

  private static Future<Boolean> moveOne(KvStore kv, String member) {
    String[] parts = member.split(":", 3);
    if (parts.length != 3) {
      return kv.indexRemove(KvKeys.legacyAcceptedRegistry(), member).map(false);
    }
    String legacy = KvKeys.legacyAcceptedRequest(parts[0], parts[1], parts[2]);
    return kv.get(legacy).compose(raw -> {
      if (raw == null) {
        // a member without its request: never published, or already finished
        return kv.indexRemove(KvKeys.legacyAcceptedRegistry(), member).map(false);
      }
      InvocationRequest request;
      try {
        request = MessageCodec.decodeRequest(Buffer.buffer(raw));
      } catch (RuntimeException unreadable) {
        LOG.error("accepted request of activation {} (tenant {}, namespace {}) cannot be read and is dropped: {}",
            parts[2], parts[0], parts[1], unreadable.getMessage());
        return forget(kv, legacy, member).map(false);
      }
      return kv.put(JournaledCodeQ.entry(request), raw)
          .compose(written -> forget(kv, legacy, member)).map(true);
    });
  }

  private static Future<Void> forget(KvStore kv, String legacy, String member) {
    return kv.delete(legacy).compose(deleted -> kv.indexRemove(KvKeys.legacyAcceptedRegistry(), member)).mapEmpty();
  }
}
