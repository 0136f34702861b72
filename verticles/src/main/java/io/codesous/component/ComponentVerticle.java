package io.codesous.component;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.Objects;

/** The thin verticle around a component: the component runs on this verticle's event loop. */
public final class ComponentVerticle extends VerticleBase {

  private final Lifecycle component;

  public ComponentVerticle(Lifecycle component) {
    this.component = Objects.requireNonNull(component, "component");
  }

  @Override
  public Future<?> start() {
    return component.start();
  }

  @Override
  public Future<?> stop() {
    return component.stop();
  }
}
