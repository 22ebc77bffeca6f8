{{- define "own-namespace.namespace" -}}
{{- .Values.namespace | default (printf "%s-workspace" .Release.Name) -}}
{{- end -}}

{{- define "own-namespace.labels" -}}
app.kubernetes.io/name: own-namespace
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
