package dev.orderly.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs an end-to-end class only when a real control plane is given; otherwise JUnit reports it
 * disabled with one line saying how to give one. On each concrete class: JUnit does not look for
 * conditions on superclasses.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfEnvironmentVariable(
    named = ControlPlane.KUBECONFIG_ENV,
    matches = ".+",
    disabledReason =
        "no control plane: set ORDERLY_E2E_KUBECONFIG to an admin kubeconfig (.ci/run starts"
            + " ../shared/k8s and sets it; see README)")
@interface RequiresControlPlane {}
