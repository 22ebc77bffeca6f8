/**
 * Schema-only classes: the CRD generator reads their fields' descriptions where the runtime type
 * (fabric8's {@code Condition}, {@code LabelSelector}) carries none. Nothing instantiates them.
 */
package dev.orderly.api.schema;
