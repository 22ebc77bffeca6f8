{{- define "bench.labels" -}}
app.kubernetes.io/name: bench
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Cluster-scoped names must be unique across the many releases of one benchmark run. */}}
{{- define "bench.clusterName" -}}
{{ .Release.Namespace }}-{{ .Release.Name }}
{{- end -}}
