package io.codesous.codeq.jvm;

/** A message waiting in one group's queue, with how many times the group's handlers saw it. */
record QueuedMessage(StoredMessage message, int attemptsSoFar) {
}
