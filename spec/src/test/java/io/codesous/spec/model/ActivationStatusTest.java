package io.codesous.spec.model;

import io.codesous.spec.error.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ActivationStatusTest {

  @ParameterizedTest
  @CsvSource({
      "QUEUED, queued, false, ",
      "RUNNING, running, false, ",
      "SUCCESS, success, true, ",
      "ERROR, error, true, CS_RUNTIME_EXCEPTION",
      "TIMEOUT, timeout, true, CS_TIMEOUT",
      "MEMORY_LIMIT, memory_limit, true, CS_MEMORY_LIMIT",
      "EXPIRED, expired, true, CS_EXPIRED",
      "CANCELLED, cancelled, true, CS_CANCELLED"})
  void table(ActivationStatus status, String wire, boolean terminal, ErrorCode defaultError) {
    assertEquals(wire, status.wire());
    assertEquals(terminal, status.terminal());
    assertEquals(defaultError, status.defaultError());
  }

  @Test
  void tableCoversEveryConstant() {
    assertEquals(8, ActivationStatus.values().length);
    assertNull(ActivationStatus.SUCCESS.defaultError());
  }

  @ParameterizedTest
  @EnumSource(ActivationStatus.class)
  void wireRoundTrip(ActivationStatus status) {
    assertSame(status, ActivationStatus.fromWire(status.wire()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"SUCCESS", "Success", "memory-limit", "done", " success"})
  @NullAndEmptySource
  void unknownWireIsRejected(String wire) {
    assertThrows(IllegalArgumentException.class, () -> ActivationStatus.fromWire(wire));
  }
}
