package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The rewrite of a module's memory and table limits, byte for byte: what it changes, what it leaves alone and what
 * it refuses.
 */
class WasmLimitsTest {

  private static final byte[] PREAMBLE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  /** 64 MiB and 4,096 elements: 1,024 pages. */
  private final WasmLimits limits = new WasmLimits(64L << 20, 4096);

  private static byte[] module(int... sectionBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PREAMBLE);
    for (int b : sectionBytes) {
      out.write(b);
    }
    return out.toByteArray();
  }

  @Test
  void aModuleWithoutMemoriesOrTablesIsReturnedAsItIs() throws Exception {
    // a type section and a custom section named "x" holding 5 (0x05, the memory section's id, as data)
    byte[] module = module(1, 4, 1, 0x60, 0, 0, 0, 3, 1, 'x', 5);
    assertSame(module, limits.cap(module));
  }

  @Test
  void aMemoryWithoutMaximumGetsTheCapAsItsMaximum() throws Exception {
    // custom section before and after, to see that everything else is copied as it is
    byte[] capped = limits.cap(module(0, 2, 1, 'a', 5, 3, 1, 0, 17, 0, 2, 1, 'b'));
    // 1024 = 0x80 0x08; the section grows from 3 to 5 bytes
    assertArrayEquals(module(0, 2, 1, 'a', 5, 5, 1, 1, 17, 0x80, 0x08, 0, 2, 1, 'b'), capped);
  }

  @Test
  void aMaximumAboveTheCapIsLoweredAndOneBelowItKept() throws Exception {
    // two memories (a module with two is the engine's to refuse; the limits are rewritten each)
    byte[] capped = limits.cap(module(5, 9, 2, 1, 1, 0x80, 0x80, 0x04, 1, 0, 10));
    assertArrayEquals(module(5, 8, 2, 1, 1, 0x80, 0x08, 1, 0, 10), capped);
  }

  @Test
  void paddedNumbersAreReadAsTheEngineReadsThem() throws Exception {
    // initial 2 written in five bytes, which the binary format allows
    byte[] capped = limits.cap(module(5, 7, 1, 0, 0x82, 0x80, 0x80, 0x80, 0x00));
    assertArrayEquals(module(5, 5, 1, 1, 2, 0x80, 0x08), capped);
  }

  @Test
  void limitsAlreadyWithinTheCapsLeaveTheModuleAsItIs() throws Exception {
    // a memory of 1 to 10 pages and a table of 0 to 8 elements
    byte[] module = module(4, 5, 1, 0x70, 1, 0, 8, 5, 4, 1, 1, 1, 10);
    assertSame(module, limits.cap(module));
  }

  @Test
  void tablesAreCappedInElements() throws Exception {
    byte[] capped = limits.cap(module(4, 4, 1, 0x70, 0, 1));
    // 4096 = 0x80 0x20
    assertArrayEquals(module(4, 6, 1, 0x70, 1, 1, 0x80, 0x20), capped);
  }

  @Test
  void anInitialSizePastTheCapIsRefusedAsTooLarge() {
    WasmLimits.LimitException refused = assertThrows(WasmLimits.LimitException.class,
        () -> limits.cap(module(5, 4, 1, 0, 0x81, 0x08)));
    assertFalse(refused.malformed());
    assertEquals("memory 0 starts at 1025 pages, more than the 1024 the function's memory limit allows",
        refused.getMessage());
    WasmLimits.LimitException table = assertThrows(WasmLimits.LimitException.class,
        () -> limits.cap(module(4, 5, 1, 0x70, 0, 0x81, 0x20)));
    assertEquals("table 0 starts at 4097 elements, more than the 4096 the function's memory limit allows",
        table.getMessage());
  }

  @Test
  void limitsThisRuntimeCannotBoundAreRefusedAsMalformed() {
    // shared memory (flags 3) and 64-bit memory (flags 4)
    for (int flags : new int[] {3, 4}) {
      WasmLimits.LimitException refused = assertThrows(WasmLimits.LimitException.class,
          () -> limits.cap(module(5, 4, 1, flags, 1, 2)));
      assertTrue(refused.malformed());
      assertTrue(refused.getMessage().startsWith("memory 0 is shared or 64-bit"), refused.getMessage());
    }
  }

  @Test
  void truncatedOrOverlongInputIsMalformed() {
    assertTrue(assertThrows(WasmLimits.LimitException.class, () -> limits.cap(module(5, 9, 1))).malformed());
    assertTrue(assertThrows(WasmLimits.LimitException.class, () -> limits.cap(module(5, 3, 1, 0))).malformed());
    // a six-byte number
    assertTrue(assertThrows(WasmLimits.LimitException.class,
        () -> limits.cap(module(5, 8, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00))).malformed());
    // the section says 4 bytes, its entries take 3
    assertEquals("the memory section's size does not match its entries", assertThrows(
        WasmLimits.LimitException.class, () -> limits.cap(module(5, 4, 1, 0, 1, 0))).getMessage());
  }

  @Test
  void bytesThatAreNotAVersionOneModuleAreLeftToTheEngine() throws Exception {
    byte[] notWasm = {1, 2, 3};
    assertSame(notWasm, limits.cap(notWasm));
    byte[] otherVersion = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 5, 3, 1, 0, 1};
    assertSame(otherVersion, limits.cap(otherVersion));
  }
}
