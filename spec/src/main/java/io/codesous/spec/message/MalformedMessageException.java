package io.codesous.spec.message;

/** A queue message that is not valid JSON, names an unknown schema, or breaks its schema. */
public class MalformedMessageException extends RuntimeException {

  public MalformedMessageException(String reason) {
    super(reason);
  }
}
