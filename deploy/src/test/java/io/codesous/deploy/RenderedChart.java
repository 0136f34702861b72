package io.codesous.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chart rendered by {@code helm template} (the Helm library inside helm-java) with some values
 * files, every object parsed into fabric8's Kubernetes model. The model keeps a field it does not know
 * in {@code additionalProperties} instead of failing; {@link #strict} walks every parsed object and
 * fails on any such field, so a misspelt or misplaced key cannot render silently.
 */
final class RenderedChart {

  static final String RELEASE = "cs";
  static final String NAMESPACE = "functions";
  /** Within the chart's kubeVersion (autoscaling/v2 and policy/v1 PodDisruptionBudgets). */
  static final String KUBE_VERSION = "v1.30.0";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final List<HasMetadata> objects;

  private RenderedChart(List<HasMetadata> objects) {
    this.objects = objects;
  }

  /** Rendering is pure; the test classes ask for the same few value sets many times. */
  private static final Map<List<Path>, RenderedChart> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

  static RenderedChart render(Path... valuesFiles) {
    return RENDERED.computeIfAbsent(List.of(valuesFiles), files -> renderNow(valuesFiles));
  }

  private static RenderedChart renderNow(Path... valuesFiles) {
    TemplateCommand template = new Helm(DeployFiles.CHART).template().withName(RELEASE).withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
    for (Path values : valuesFiles) {
      template = template.withValuesFile(values);
    }
    String manifest = template.call();
    List<HasMetadata> parsed = new ArrayList<>();
    for (Object document : DeployFiles.yaml().loadAll(manifest)) {
      if (document == null) {
        continue;
      }
      @SuppressWarnings("unchecked")
      String json = new JsonObject((Map<String, Object>) document).encode();
      KubernetesResource resource = SERIALIZATION.unmarshal(json, KubernetesResource.class);
      if (!(resource instanceof HasMetadata object) || resource.getClass().getSimpleName().startsWith("Generic")) {
        throw new AssertionError("not a known Kubernetes kind: " + json);
      }
      strict(object, object.getKind() + "/" + object.getMetadata().getName(), new IdentityHashMap<>());
      parsed.add(object);
    }
    return new RenderedChart(parsed);
  }

  List<HasMetadata> objects() {
    return objects;
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
    return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  <T extends HasMetadata> T get(Class<T> kind, String name) {
    return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name
        + " among " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
  }

  /** Fails on any field the model did not recognise, anywhere below {@code value}. */
  private static void strict(Object value, String path, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        strict(item, path + "[" + i++ + "]", seen);
      }
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> strict(v, path + "." + k, seen));
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
          || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      Object field;
      try {
        field = getter.invoke(value);
      } catch (IllegalAccessException | InvocationTargetException e) {
        continue;
      }
      if (getter.getName().equals("getAdditionalProperties")) {
        if (field instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
          throw new AssertionError(path + ": fields the Kubernetes model does not know: " + unknown.keySet());
        }
        continue;
      }
      strict(field, path + "." + getter.getName().substring(3), seen);
    }
  }
}
