package io.codesous.invoker;

import io.codesous.auth.secret.SecretRedactor;
import io.vertx.core.json.JsonObject;

/**
 * The {@code error} member of an activation record, bounded. A function chooses its error's message and stack (a
 * thrown 20 MiB string, an {@code Error} whose {@code stack} it overwrote, an unhandled rejection's reason): stored
 * whole, such a text made a 10 MB record out of one activation, and past the JSON reader's 20 M character limit
 * for one string a record nobody could read back, which broke its function's activation list. Like the log, the
 * message and the stack are kept up to a cap and end with a marker that says how much was cut.
 *
 * <p>Secrets are redacted before the cut, so a secret value that straddles the cap cannot survive as a fragment the
 * redactor no longer recognises. Only a window of the text is redacted: the cap plus the longest text a secret can
 * take in JSON-escaped form, so a huge text costs no more than a small one.
 */
final class ErrorRecord {

  /** The most characters of {@code error.message} kept. */
  static final int MAX_MESSAGE_CHARS = 8 * 1024;
  /** The most characters of {@code error.stack} kept. */
  static final int MAX_STACK_CHARS = 32 * 1024;
  /** A secret value is at most 64 KiB; escaped as a JSON string, at most six characters for each. */
  private static final int REDACTION_MARGIN = 6 * 64 * 1024;

  private ErrorRecord() {
  }

  /** {@code {code, message[, stack]}}, each text redacted and capped. */
  static JsonObject of(String code, String message, String stack, SecretRedactor redactor) {
    JsonObject error = new JsonObject().put("code", code).put("message", cap(message, MAX_MESSAGE_CHARS, redactor));
    if (stack != null) {
      error.put("stack", cap(stack, MAX_STACK_CHARS, redactor));
    }
    return error;
  }

  /**
   * The redacted text, or its first {@code max} characters followed by
   * {@code " [cs] truncated: <n> characters, the first <max> kept"}, where {@code n} is the length of the text as the
   * function produced it. A surrogate pair is never split.
   */
  static String cap(String text, int max, SecretRedactor redactor) {
    if (text.length() <= max) {
      return redactor.redact(text);
    }
    int windowEnd = cutAt(text, Math.min(text.length(), max + REDACTION_MARGIN));
    String window = redactor.redact(text.substring(0, windowEnd));
    if (window.length() <= max) {
      // redaction made the window short enough: only what lies past the window is cut
      return windowEnd == text.length() ? window : window + marker(text.length(), window.length());
    }
    int cut = cutAt(window, max);
    return window.substring(0, cut) + marker(text.length(), cut);
  }

  private static String marker(int length, int kept) {
    return " [cs] truncated: " + length + " characters, the first " + kept + " kept";
  }

  /** {@code end}, or one less when that would separate a surrogate pair. */
  private static int cutAt(String text, int end) {
    return end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
  }
}
