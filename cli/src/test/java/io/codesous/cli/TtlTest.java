package io.codesous.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TtlTest {

  @Test
  void parsesEachUnit() {
    assertEquals(Duration.ofSeconds(30), Ttl.parse("30s"));
    assertEquals(Duration.ofMinutes(15), Ttl.parse("15m"));
    assertEquals(Duration.ofHours(1), Ttl.parse("1h"));
    assertEquals(Duration.ofDays(7), Ttl.parse("7d"));
    assertEquals(Duration.ofHours(2), Ttl.parse(" 2h "));
  }

  @Test
  void acceptsUpToAYear() {
    assertEquals(Duration.ofDays(365), Ttl.parse("365d"));
    assertEquals(Duration.ofDays(365), Ttl.parse("8760h"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "h", "1w", "1H", "0s", "0d", "-1h", "1.5h", "1h30m", "PT1H", "366d",
      "31536001s", "9999999999s"})
  void refusesOtherForms(String text) {
    assertThrows(IllegalArgumentException.class, () -> Ttl.parse(text));
  }
}
