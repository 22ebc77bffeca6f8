{{- define "node-agent.labels" -}}
app.kubernetes.io/name: node-agent
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
