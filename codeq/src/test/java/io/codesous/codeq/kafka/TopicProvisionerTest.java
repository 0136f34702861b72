package io.codesous.codeq.kafka;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.kafka.admin.KafkaAdminClient;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topic check before each publish: one creation per topic, and for a topic created already nothing that takes
 * the caller's chained work to another context. The admin client is a stand-in that creates every topic on one
 * context of its own, as the real one answers on the context of the first use.
 */
class TopicProvisionerTest {

  private Vertx vertx;
  private Context creator;
  private final AtomicInteger creations = new AtomicInteger();
  private TopicProvisioner topics;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    creator = ((VertxInternal) vertx).createEventLoopContext();
    KafkaAdminClient admin = (KafkaAdminClient) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {KafkaAdminClient.class}, (proxy, method, args) -> {
          if (!method.getName().equals("createTopics")) {
            throw new UnsupportedOperationException(method.getName());
          }
          creations.incrementAndGet();
          Promise<Void> created = ((ContextInternal) creator).promise();
          creator.runOnContext(v -> created.complete());
          return created.future();
        });
    topics = new TopicProvisioner(admin, 4, (short) 1);
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  @Test
  void whatAPublisherChainsOnACreatedTopicRunsOnThePublishersOwnContext() {
    await(onContext(creator, () -> topics.ensure("cs.invoke")));
    Context publisher = ((VertxInternal) vertx).createEventLoopContext();
    assertNotSame(creator, publisher);

    Promise<Context> ranOn = Promise.promise();
    publisher.runOnContext(v -> topics.ensure("cs.invoke")
        .onComplete(done -> ranOn.complete(Vertx.currentContext())));

    assertSame(publisher, await(ranOn.future()), "the publish continued where it was asked for");
    assertEquals(1, creations.get(), "the topic was created once");
  }

  @Test
  void concurrentFirstUsesShareOneCreation() {
    Promise<Void> both = Promise.promise();
    creator.runOnContext(v -> Future.all(topics.ensure("cs.results"), topics.ensure("cs.results"))
        .<Void>mapEmpty().onComplete(both));
    await(both.future());
    assertEquals(1, creations.get());
  }

  private static <T> Future<T> onContext(Context context, Supplier<Future<T>> call) {
    Promise<T> answer = Promise.promise();
    context.runOnContext(v -> call.get().onComplete(answer));
    return answer.future();
  }
}
