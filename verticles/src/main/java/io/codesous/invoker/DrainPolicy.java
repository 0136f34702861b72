package io.codesous.invoker;

/**
 * What a stopping invoker finishes before it lets go (see {@link Invoker#stop()}), chosen by the composition
 * root from the queue backend.
 */
public enum DrainPolicy {

  /**
   * A queue shared with other processes (Kafka): stop taking messages and finish the ones taken; those never
   * taken, and any left unacknowledged when the drain times out, stay in the queue for another invoker.
   */
  TAKEN,

  /**
   * A queue that lives in this process (the in-JVM one): nobody else will ever take what it holds, so keep
   * consuming until it is empty and nothing is running, then stop. The HTTP servers and the scheduler stop before
   * the invoker, so nothing new arrives meanwhile.
   */
  WHOLE_QUEUE
}
