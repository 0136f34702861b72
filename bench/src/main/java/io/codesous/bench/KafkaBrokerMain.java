package io.codesous.bench;

import io.codesous.codeq.kafka.KafkaTestBroker;

import java.io.PrintStream;

/**
 * A single-node KRaft broker in a process of its own, for measurements that must tell its CPU apart from the
 * server's ({@code bench/cpu-per-request.sh} with {@code BACKENDS=redis-kafka}). Prints one line,
 * {@code bootstrap <host:port>}, once the broker answers, then runs until it is stopped (SIGTERM); the broker's
 * shutdown hook stops it and removes its directory on the way out.
 */
public final class KafkaBrokerMain {

  private KafkaBrokerMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    // the broker announces itself and logs on stdout: only the bootstrap line goes there
    PrintStream stdout = System.out;
    System.setOut(System.err);
    String servers = KafkaTestBroker.shared().bootstrapServers();
    stdout.println("bootstrap " + servers);
    stdout.flush();
    Thread.currentThread().join();
  }
}
