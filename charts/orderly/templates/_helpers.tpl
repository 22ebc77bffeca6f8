{{/*
The chart's name, or nameOverride.
*/}}
{{- define "orderly.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name every object is named after: fullnameOverride, else the release name when it already
contains the chart's name (release "orderly" gives "orderly"), else "<release>-<chart>".
*/}}
{{- define "orderly.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Labels on every object. helm.sh/chart and app.kubernetes.io/managed-by are the only ones the plain
manifests in operator/ leave out (OperatorManifestsTest strips exactly these two).
*/}}
{{- define "orderly.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "orderly.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that select the operator's pods: they must never change between chart versions, since a
Deployment's selector is immutable.
*/}}
{{- define "orderly.selectorLabels" -}}
app.kubernetes.io/name: {{ include "orderly.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "orderly.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "orderly.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference: a digest wins over the tag; the tag defaults to the chart's appVersion.
*/}}
{{- define "orderly.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The ServiceAccount as an RBAC subject.
*/}}
{{- define "orderly.subject" -}}
- kind: ServiceAccount
  name: {{ include "orderly.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
{{- end }}

{{/*
What the operator itself needs in every namespace it watches, as RBAC rules. Rendered into a
ClusterRole when it watches all namespaces and into one Role per namespace otherwise, so both
modes grant exactly the same thing. Each rule says why it is there.
*/}}
{{- define "orderly.rbac.operatorRules" -}}
# Watch OrderedReleases, add and remove the teardown finalizer.
- apiGroups: ["orderly.dev"]
  resources: ["orderedreleases"]
  verbs: ["get", "list", "watch", "update", "patch"]
# Report conditions and the persisted teardown state machine.
- apiGroups: ["orderly.dev"]
  resources: ["orderedreleases/status"]
  verbs: ["get", "update", "patch"]
# Objects the operator creates (hook Jobs and Pods) may block their owner's deletion.
- apiGroups: ["orderly.dev"]
  resources: ["orderedreleases/finalizers"]
  verbs: ["update"]
# An Event for every phase change, a Warning for every timeout or failure.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create", "patch"]
# Helm keeps each release revision in a Secret (owner=helm) in the release's namespace; valuesFrom
# may name Secrets; the teardown keeps its steps in a ledger Secret next to the OrderedRelease.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "list", "watch", "create", "update", "patch", "delete"]
# valuesFrom may name ConfigMaps; changes to them trigger an upgrade.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch"]
# Hook Jobs and Pods are created and removed by the teardown; DaemonSet pods are watched until
# they are gone.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list", "watch", "create", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch", "create", "delete"]
# Workloads are deleted phase by phase and watched until they are gone.
- apiGroups: ["apps"]
  resources: ["daemonsets", "deployments", "statefulsets", "replicasets"]
  verbs: ["get", "list", "watch", "delete"]
# A release with spec.serviceAccountName (or --default-service-account) is installed and torn
# down as that ServiceAccount of its own namespace. Only users are impersonated, never groups:
# the API server adds a ServiceAccount's groups itself.
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["impersonate"]
{{- end }}

{{/*
What installing, upgrading and deleting the objects of arbitrary charts needs:
rbac.releaseObjectRules, plus rbac.clusterReleaseObjectRules when the operator watches all
namespaces (a Role cannot grant cluster-scoped kinds), plus bind/escalate on Roles and ClusterRoles
when rbac.allowEscalation is set. Rendered into the same places as orderly.rbac.operatorRules.
Empty when there is nothing to grant.
*/}}
{{- define "orderly.rbac.releaseObjectRules" -}}
{{- $rules := list }}
{{- if .Values.rbac.manageReleaseObjects }}
{{- $rules = concat $rules .Values.rbac.releaseObjectRules }}
{{- if and (not .Values.watchNamespaces) .Values.rbac.clusterReleaseObjectRules }}
{{- $rules = concat $rules .Values.rbac.clusterReleaseObjectRules }}
{{- end }}
{{- end }}
{{- if .Values.rbac.allowEscalation }}
{{- $rules = append $rules (dict "apiGroups" (list "rbac.authorization.k8s.io") "resources" (list "roles" "clusterroles") "verbs" (list "bind" "escalate")) }}
{{- end }}
{{- range $rule := $rules }}
{{- $first := true }}
{{- range $field := list "apiGroups" "resources" "resourceNames" "nonResourceURLs" "verbs" }}
{{- if hasKey $rule $field }}
{{ if $first }}- {{ else }}  {{ end }}{{ $field }}: {{ include "orderly.flowList" (get $rule $field) }}
{{- $first = false }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/*
A list as a one-line YAML flow sequence of quoted strings: ["get", "list"].
*/}}
{{- define "orderly.flowList" -}}
[{{ range $i, $item := . }}{{ if $i }}, {{ end }}{{ $item | toString | quote }}{{ end }}]
{{- end }}

{{/*
Whether the pods elect a leader: on unless turned off, also with one replica, because a rolling
update briefly runs the old and the new pod side by side.
*/}}
{{- define "orderly.leaderElection" -}}
{{- if .Values.leaderElection.enabled }}true{{ else }}false{{ end }}
{{- end }}
