package dev.orderly.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every object the chart renders reads into fabric8's typed Kubernetes model with no field left
 * over, so a misspelt or misplaced field (say {@code readOnlyRootFileSystem}) fails here instead of
 * being dropped by the API server.
 */
class KubernetesSchemaTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        """
        watchNamespaces: [team-a]
        rbac: {allowEscalation: true}
        replicas: 1
        image: {digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
        tmpDir: {medium: Memory}
        extraVolumes: [{name: charts, configMap: {name: my-charts}}]
        extraVolumeMounts: [{name: charts, mountPath: /charts, readOnly: true}]
        extraEnv: [{name: JAVA_OPTS, value: -Xss1m}]
        imagePullSecrets: [{name: registry}]
        priorityClassName: system-cluster-critical
        podAnnotations: {example.com/a: b}
        podLabels: {team: platform}
        metrics: {service: {annotations: {example.com/c: d}}}
        serviceAccount: {annotations: {example.com/e: f}}
        nodeSelector: {kubernetes.io/os: linux}
        tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]
        affinity:
          podAntiAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 100
                podAffinityTerm:
                  topologyKey: kubernetes.io/hostname
                  labelSelector: {matchLabels: {app.kubernetes.io/name: orderly}}
        topologySpreadConstraints:
          - maxSkew: 1
            topologyKey: topology.kubernetes.io/zone
            whenUnsatisfiable: ScheduleAnyway
            labelSelector: {matchLabels: {app.kubernetes.io/name: orderly}}
        """
      })
  void everyRenderedObjectFitsItsKubernetesType(String values) {
    for (Manifest.Document document : OrderlyChart.render(values).documents()) {
      HasMetadata typed = SERIALIZATION.unmarshal(document.text());
      if (typed instanceof GenericKubernetesResource) {
        continue; // a custom resource such as the ServiceMonitor: no typed model to check against
      }
      assertThat(unknownFields(typed, document.kind()))
          .as("fields of %s that its type does not have", document.id())
          .isEmpty();
    }
  }

  private static List<String> unknownFields(Object value, String path) {
    List<String> unknown = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        unknown.addAll(unknownFields(list.get(i), path + "[" + i + "]"));
      }
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key)));
    } else if (value instanceof KubernetesResource) {
      for (Method getter : value.getClass().getMethods()) {
        if (!isPropertyGetter(getter)) {
          continue;
        }
        Object property = invoke(getter, value);
        if (getter.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) property).keySet().forEach(key -> unknown.add(path + "." + key));
        } else {
          String name = Introspector.decapitalize(getter.getName().substring(3));
          unknown.addAll(unknownFields(property, path + "." + name));
        }
      }
    }
    return unknown;
  }

  private static boolean isPropertyGetter(Method method) {
    return method.getName().startsWith("get")
        && method.getParameterCount() == 0
        && !Modifier.isStatic(method.getModifiers())
        && !method.getName().equals("getClass")
        && method.getDeclaringClass().getName().startsWith("io.fabric8.kubernetes.api.model");
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + " failed", e);
    }
  }
}
