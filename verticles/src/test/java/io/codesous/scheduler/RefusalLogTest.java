package io.codesous.scheduler;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Refused runs are logged a line at a time, each line saying how many runs it stands for. */
class RefusalLogTest {

  final List<List<Object>> warnings = new ArrayList<>();
  final Logger logger = (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
      (proxy, method, args) -> {
        if (method.getName().equals("warn")) {
          warnings.add(Arrays.asList((Object[]) args[1]));
        }
        return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
      });

  @Test
  void aBurstOfRefusalsIsOneLineAndTheNextLineCountsTheRunsItStandsFor() {
    AtomicLong clock = new AtomicLong(1_000);
    RefusalLog log = new RefusalLog(logger, clock::get, "were refused");
    log.count("acme:default:s1", 10, "a-1", "topic cs.invoke is full");
    log.count("acme:default:s2", 10, "a-2", "topic cs.invoke is full");
    log.count("acme:default:s3", 10, "a-3", "topic cs.invoke is full");
    assertEquals(1, warnings.size());
    assertEquals(List.of(1, "were refused", "acme:default:s1", 10L, "a-1", "topic cs.invoke is full"),
        warnings.get(0));

    clock.addAndGet(RefusalLog.INTERVAL_MS - 1);
    log.count("acme:default:s4", 11, "a-4", "topic cs.invoke is full");
    assertEquals(1, warnings.size(), "not before the interval has passed");
    clock.addAndGet(1);
    log.count("acme:default:s5", 11, "a-5", "broker out of reach");
    assertEquals(2, warnings.size());
    assertEquals(List.of(4, "were refused", "acme:default:s5", 11L, "a-5", "broker out of reach"), warnings.get(1));
  }
}
