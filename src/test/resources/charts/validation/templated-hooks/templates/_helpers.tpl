{{- define "templated-hooks.fullname" -}}
{{ .Release.Name }}-{{ .Chart.Name }}
{{- end }}

{{/* Emits the complete hook annotation block; the keys appear only in this helper. */}}
{{- define "templated-hooks.cleanupHook" -}}
'helm.sh/hook': {{ .Values.cleanup.event }}
"helm.sh/hook-weight": {{ .Values.cleanup.weight | quote }}
{{- with .Values.cleanup.annotations }}
{{ toYaml . }}
{{- end }}
{{- end }}
