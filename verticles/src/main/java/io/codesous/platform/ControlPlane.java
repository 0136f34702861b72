package io.codesous.platform;

import io.codesous.cadence.CadencePoller;
import io.codesous.codeq.CodeQ;
import io.codesous.control.ActivationCancelApi;
import io.codesous.control.BindingApi;
import io.codesous.control.ControlApi;
import io.codesous.control.ControlOptions;
import io.codesous.control.ParseAhead;
import io.codesous.control.ScheduleApi;
import io.codesous.control.ValidationPool;
import io.codesous.control.VersionAnnouncer;
import io.codesous.http.AccessControl;
import io.codesous.kv.KvStore;
import io.codesous.runtime.ModuleCheck;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

import java.util.function.LongSupplier;

/** The control component's HTTP APIs (functions, schedules, bindings, cancels), built and mounted together. */
final class ControlPlane implements AutoCloseable {

  private final ModuleCheck modules = new ModuleCheck();
  private final ControlApi functions;
  private final ScheduleApi schedules;
  private final BindingApi bindings;
  private final ActivationCancelApi cancels;

  ControlPlane(Vertx vertx, Stores stores, KvStore kv, CodeQ codeq, AccessControl access, ControlOptions options,
               LongSupplier clock, ParseAhead parseAhead) {
    this.functions = new ControlApi(stores.functions(), stores.activations(), stores.secrets(), access, options,
        ValidationPool.create(vertx, options.getValidationThreads()), modules, new VersionAnnouncer(codeq),
        parseAhead);
    this.schedules = new ScheduleApi(stores.schedules(), stores.functions(), access, options, clock);
    this.bindings = new BindingApi(stores.bindings(), stores.functions(), access, options, vertx.eventBus());
    this.cancels = new ActivationCancelApi(stores.queuedCancels(), CadencePoller.waitingTasks(kv), codeq, access,
        clock);
  }

  void mount(Router router) {
    functions.mount(router);
    schedules.mount(router);
    bindings.mount(router);
    cancels.mount(router);
  }

  @Override
  public void close() {
    modules.close();
  }
}
