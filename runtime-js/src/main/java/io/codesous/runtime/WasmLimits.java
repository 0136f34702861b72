package io.codesous.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds what a WebAssembly module may allocate, by rewriting the limits of the memories and tables it defines
 * before the engine compiles it.
 *
 * <h2>Why a rewrite</h2>
 * The engine allocates a module's memory at instantiation and again at every {@code memory.grow}, in one array
 * each time, up to the module's declared maximum or, without one, 65,536 pages (4 GiB): one instruction could ask
 * the heap for gigabytes before the memory guard's next sample, and GraalWasm has no option that caps it. A
 * module's memory and table definitions are therefore given a maximum no larger than the context's allocation cap
 * ({@link ContextShape#allocationCap()}, the cap every ArrayBuffer already has): a {@code memory.grow} past it
 * returns -1, which the WebAssembly standard allows any grow to do, and what is below it counts towards the
 * budget like any other allocation. A definition whose initial size alone is past the cap is refused with a
 * {@code RangeError}, as a {@code WebAssembly.Memory} of that size is. Imported memories and tables need nothing:
 * they come from the guarded constructors or from other modules that went through here.
 *
 * <p>Only the memory (5) and table (4) sections are read; every other byte is copied as it is, and the engine
 * validates the whole module afterwards. Limits this does not know (shared, 64-bit) are refused rather than passed
 * on unbounded; the engine's options leave those proposals off anyway.
 */
final class WasmLimits {

  private static final Logger LOG = LoggerFactory.getLogger(WasmLimits.class);

  /**
   * GraalWasm 25 calls {@code List.removeLast()}, which Java 21 added, when it reads the constant expressions
   * nearly every real module has (globals, data segment offsets): on an older JVM such a module fails with a
   * {@code NoSuchMethodError} inside the engine. There, contexts do not get the API at all, so a function finds
   * {@code WebAssembly} undefined (and a library says it needs WebAssembly) rather than failing halfway.
   */
  private static final boolean RUNS_ON_THIS_JVM = Runtime.version().feature() >= 21;
  private static final AtomicBoolean TOLD = new AtomicBoolean();

  static final int PAGE_BYTES = 1 << 16;
  private static final int MEMORY_SECTION = 5;
  private static final int TABLE_SECTION = 4;
  private static final int FUNCREF = 0x70;
  private static final int EXTERNREF = 0x6f;
  private static final byte[] PREAMBLE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

  /** Why a module cannot be compiled within the limits; the message names what is too large. */
  static final class LimitException extends Exception {
    /** Whether the module is malformed ({@code CompileError}) rather than too large ({@code RangeError}). */
    private final boolean malformed;

    LimitException(String message, boolean malformed) {
      super(message, null, false, false);
      this.malformed = malformed;
    }

    boolean malformed() {
      return malformed;
    }
  }

  private final long maxPages;
  private final long maxTableElements;

  /**
   * @param maxMemoryBytes  the largest memory a module may define or grow to, rounded down to whole pages
   * @param maxTableElements the most elements a table may hold
   */
  WasmLimits(long maxMemoryBytes, long maxTableElements) {
    this.maxPages = maxMemoryBytes / PAGE_BYTES;
    this.maxTableElements = maxTableElements;
  }

  /**
   * Whether WebAssembly can run on this JVM; the first time a function that uses it asks on one where it cannot,
   * says so in the log.
   */
  static boolean runsOnThisJvm() {
    if (!RUNS_ON_THIS_JVM && TOLD.compareAndSet(false, true)) {
      LOG.warn("a function uses WebAssembly, which needs Java 21 or later; this JVM is Java {}, so its contexts "
          + "run without the WebAssembly API (bin/cs server runs on the JDK 25 when it is installed)",
          Runtime.version().feature());
    }
    return RUNS_ON_THIS_JVM;
  }

  long maxPages() {
    return maxPages;
  }

  long maxTableElements() {
    return maxTableElements;
  }

  /**
   * capModule(arrayBuffer) -> "=" when the module needs no change, "+" and the rewritten module (one byte per
   * char), or "C" (malformed) / "R" (too large) and why: the guest throws a {@code CompileError} or a
   * {@code RangeError} with that message. The guest passes a copy of the module's bytes it holds alone.
   */
  ProxyExecutable capModule() {
    return arguments -> {
      Value buffer = arguments[0];
      byte[] module = new byte[(int) buffer.getBufferSize()];
      buffer.readBuffer(0, module, 0, module.length);
      try {
        byte[] capped = cap(module);
        return capped == module ? "=" : "+" + new String(capped, StandardCharsets.ISO_8859_1);
      } catch (LimitException e) {
        return (e.malformed() ? "C" : "R") + e.getMessage();
      }
    };
  }

  /**
   * The module with every memory and table it defines bounded; {@code module} itself when none needed it. A module
   * that is not WebAssembly 1.0 binary (another magic or version) is returned as it is for the engine to refuse.
   */
  byte[] cap(byte[] module) throws LimitException {
    if (module.length < PREAMBLE.length
        || !Arrays.equals(module, 0, PREAMBLE.length, PREAMBLE, 0, PREAMBLE.length)) {
      return module;
    }
    Reader in = new Reader(module, PREAMBLE.length);
    ByteArrayOutputStream out = null;
    int copiedUpTo = 0;
    while (in.position < module.length) {
      int sectionStart = in.position;
      int id = in.readByte();
      long size = in.readU32();
      int payloadStart = in.position;
      if (size > module.length - payloadStart) {
        throw new LimitException("section " + id + " at byte " + sectionStart + " runs past the end of the module",
            true);
      }
      int payloadEnd = payloadStart + (int) size;
      if (id == MEMORY_SECTION || id == TABLE_SECTION) {
        byte[] payload = id == MEMORY_SECTION ? memories(new Reader(module, payloadStart), payloadEnd)
            : tables(new Reader(module, payloadStart), payloadEnd);
        if (Arrays.equals(payload, 0, payload.length, module, payloadStart, payloadEnd)) {
          // every maximum was within the caps already: no copy of the module for the guest to take back
          in.position = payloadEnd;
          continue;
        }
        if (out == null) {
          out = new ByteArrayOutputStream(module.length + 16);
        }
        out.write(module, copiedUpTo, sectionStart - copiedUpTo);
        out.write(id);
        writeU32(out, payload.length);
        out.writeBytes(payload);
        copiedUpTo = payloadEnd;
      }
      in.position = payloadEnd;
    }
    if (out == null) {
      return module;
    }
    out.write(module, copiedUpTo, module.length - copiedUpTo);
    return out.toByteArray();
  }

  /** Copies one entry of a section, from {@code in} to {@code out}. */
  private interface EntryCopy {
    void copy(Reader in, ByteArrayOutputStream out, long index) throws LimitException;
  }

  private byte[] memories(Reader in, int end) throws LimitException {
    return entries(in, end, "memory", (entry, out, i) -> limits(entry, out, maxPages, "memory " + i, "pages"));
  }

  private byte[] tables(Reader in, int end) throws LimitException {
    return entries(in, end, "table", (entry, out, i) -> {
      int type = entry.readByte();
      if (type != FUNCREF && type != EXTERNREF) {
        throw new LimitException("table " + i + " has an element type (0x" + Integer.toHexString(type)
            + ") this runtime does not support", true);
      }
      out.write(type);
      limits(entry, out, maxTableElements, "table " + i, "elements");
    });
  }

  /** A section's payload: its count of entries, then each entry as {@code copy} writes it. */
  private static byte[] entries(Reader in, int end, String section, EntryCopy copy) throws LimitException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long count = in.readU32();
    writeU32(out, count);
    for (long i = 0; i < count; i++) {
      copy.copy(in, out, i);
    }
    in.expectEnd(end, section);
    return out.toByteArray();
  }

  /** Copies one limits entry with its maximum lowered to {@code cap}, or refuses it. */
  private static void limits(Reader in, ByteArrayOutputStream out, long cap, String what, String unit)
      throws LimitException {
    int flags = in.readByte();
    if (flags != 0 && flags != 1) {
      throw new LimitException(what + " is shared or 64-bit (limits flags 0x" + Integer.toHexString(flags)
          + "), which this runtime does not support", true);
    }
    long initial = in.readU32();
    long maximum = flags == 1 ? in.readU32() : cap;
    if (initial > cap) {
      throw new LimitException(what + " starts at " + initial + " " + unit + ", more than the "
          + cap + " the function's memory limit allows", false);
    }
    out.write(1);
    writeU32(out, initial);
    // A maximum below the initial size is the engine's to refuse, so it is kept as it is.
    writeU32(out, Math.min(maximum, cap));
  }

  private static void writeU32(ByteArrayOutputStream out, long value) {
    long rest = value;
    do {
      int b = (int) (rest & 0x7f);
      rest >>>= 7;
      out.write(rest == 0 ? b : b | 0x80);
    } while (rest != 0);
  }

  /** Reads bytes and unsigned LEB128 numbers of the binary format. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;

    Reader(byte[] bytes, int position) {
      this.bytes = bytes;
      this.position = position;
    }

    int readByte() throws LimitException {
      if (position >= bytes.length) {
        throw new LimitException("the module ends at byte " + position + " in the middle of a section", true);
      }
      return bytes[position++] & 0xff;
    }

    /** An unsigned 32-bit LEB128 number: at most five bytes, the fifth carrying four bits. */
    long readU32() throws LimitException {
      int start = position;
      long value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = readByte();
        if (shift == 28 && (b & 0x70) != 0) {
          break;
        }
        value |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new LimitException("the number at byte " + start + " is not an unsigned 32-bit LEB128", true);
    }

    void expectEnd(int end, String section) throws LimitException {
      if (position != end) {
        throw new LimitException("the " + section + " section's size does not match its entries", true);
      }
    }
  }
}
