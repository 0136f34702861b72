package io.codesous.store;

import io.codesous.spec.error.CsException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AliasTargetTest {

  @Test
  void everyRollFromZeroToNinetyNineGoesToTheVersionWhoseShareCoversIt() {
    AliasTarget target = AliasTarget.parse(3, new JsonObject().put("5", 5).put("4", 10));
    Map<Long, Integer> counts = new TreeMap<>();
    IntStream.range(0, 100).forEach(roll -> counts.merge(target.pick(roll), 1, Integer::sum));
    assertEquals(Map.of(3L, 85, 4L, 10, 5L, 5), counts);
  }

  @Test
  void sharesAddingUpToAHundredLeaveTheAliasVersionNothing() {
    AliasTarget target = AliasTarget.parse(1, new JsonObject().put("2", 100));
    assertEquals(0, IntStream.range(0, 100).filter(roll -> target.pick(roll) == 1).count());
  }

  @Test
  void theStoredFormReadsBackAsTheSameTarget() {
    AliasTarget target = AliasTarget.parse(3, new JsonObject().put("4", 10));
    assertEquals(target, AliasTarget.fromStored(target.toJson().put("updated_at_ms", 1L)));
    assertEquals(AliasTarget.of(7), AliasTarget.fromStored(new JsonObject().put("version", 7)));
  }

  @Test
  void sharesOverAHundredInAllAreRefused() {
    CsException e = assertThrows(CsException.class,
        () -> AliasTarget.parse(1, new JsonObject().put("2", 60).put("3", 50)));
    assertEquals("weights: add up to 110 %; at most 100 are allowed", e.getMessage());
  }
}
